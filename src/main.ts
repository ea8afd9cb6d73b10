#!/usr/bin/env node
/**
 * gureum CLI:
 *   gureum start [--port N] [--host H] [--data-dir D] [--ephemeral] [--account-id N] [--region R] [--quiet] [--iam-enforcement off|soft|enforce] [--durability process|disk]
 *   gureum status | reset [service] | clock [show|advance 2h|set ISO|freeze|resume|scale N]
 *   gureum aws <aws cli args…>      (the installed AWS CLI against the running emulator)
 * Client commands find the emulator at --endpoint, GUREUM_ENDPOINT, or http://127.0.0.1:4566.
 */
import { parseArgs } from 'node:util';
import { spawn } from 'node:child_process';
import { fromEnv, resolveConfig, type GureumConfig } from './config/config.js';

const argv = process.argv.slice(2);
const command = argv[0] ?? 'start';

function endpoint(): string {
  const i = argv.indexOf('--endpoint');
  if (i >= 0 && argv[i + 1]) return argv[i + 1]!.replace(/\/$/, '');
  if (process.env.GUREUM_ENDPOINT) return process.env.GUREUM_ENDPOINT.replace(/\/$/, '');
  const env = fromEnv();
  return `http://${env.host && env.host !== '0.0.0.0' ? env.host : '127.0.0.1'}:${env.port ?? 4566}`;
}

async function control(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(endpoint() + path, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  }).catch(() => {
    throw new Error(`gureum is not running at ${endpoint()} (start it with: gureum start)`);
  });
  const json = await res.json();
  if (!res.ok) throw new Error((json as { message?: string }).message ?? `HTTP ${res.status}`);
  return json;
}

async function start(): Promise<void> {
  const { values } = parseArgs({
    args: argv.slice(1),
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'data-dir': { type: 'string' },
      ephemeral: { type: 'boolean' },
      'account-id': { type: 'string' },
      region: { type: 'string' },
      quiet: { type: 'boolean' },
      'iam-enforcement': { type: 'string' },
      durability: { type: 'string' },
    },
  });
  const config = resolveConfig(fromEnv(), {
    port: values.port !== undefined ? Number(values.port) : undefined,
    host: values.host,
    dataDir: values['data-dir'],
    ephemeral: values.ephemeral,
    accountId: values['account-id'],
    defaultRegion: values.region,
    quiet: values.quiet,
    iamEnforcement: values['iam-enforcement'] as GureumConfig['iamEnforcement'] | undefined,
    durability: values.durability as GureumConfig['durability'] | undefined,
  });
  const { startWithConfig } = await import('./index.js');
  const g = await startWithConfig(config);
  console.log(`gureum listening on ${g.endpoint}`);
  console.log(g.dataDir ? `state: ${g.dataDir} (persistent)` : 'state: ephemeral (in memory)');
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await g.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

async function main(): Promise<void> {
  switch (command) {
    case 'start':
      return start();
    case 'status':
      console.log(JSON.stringify(await control('GET', '/_gureum/health'), null, 2));
      return;
    case 'reset': {
      const service = argv[1] && !argv[1].startsWith('--') ? argv[1] : undefined;
      console.log(JSON.stringify(await control('POST', '/_gureum/reset', service ? { service } : {})));
      return;
    }
    case 'clock': {
      const sub = argv[1] ?? 'show';
      const arg = argv[2];
      const body =
        sub === 'show' ? undefined
        : sub === 'advance' ? { advance: arg }
        : sub === 'set' ? { set: arg }
        : sub === 'freeze' ? { freeze: true }
        : sub === 'resume' ? { resume: true }
        : sub === 'scale' ? { scale: Number(arg) }
        : null;
      if (body === null) throw new Error(`unknown clock command "${sub}" (show|advance <duration>|set <ISO time>|freeze|resume|scale <factor>)`);
      console.log(JSON.stringify(await control(body ? 'POST' : 'GET', '/_gureum/clock', body), null, 2));
      return;
    }
    case 'aws': {
      const args = ['--endpoint-url', endpoint(), ...argv.slice(1)];
      const env = { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', ...process.env };
      const child = spawn('aws', args, { stdio: 'inherit', env });
      child.on('error', () => {
        console.error('the AWS CLI (aws) is not installed or not on PATH');
        process.exit(127);
      });
      child.on('exit', (code) => process.exit(code ?? 1));
      return;
    }
    case '--help':
    case '-h':
    case 'help':
      console.log('usage: gureum start [--port N] [--host H] [--data-dir D] [--ephemeral] [--account-id N] [--region R] [--quiet] [--iam-enforcement off|soft|enforce] [--durability process|disk]\n       gureum status | reset [service] | clock [show|advance 2h|set ISO|freeze|resume|scale N] | aws <args>');
      return;
    default:
      throw new Error(`unknown command "${command}" (try: gureum help)`);
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
