// The gureum command line: start (as a real process), status, clock, reset, and `gureum aws`.
// Needs dist/ (npm test builds it first).
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HAS_AWS_CLI } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const MAIN = join(ROOT, 'dist/main.js');
let proc: ChildProcess;
let endpoint = '';
let dataDir = '';
let startup = '';

function gureum(args: string[]) {
  return spawnSync('node', [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, GUREUM_ENDPOINT: endpoint, AWS_CONFIG_FILE: '/dev/null', AWS_SHARED_CREDENTIALS_FILE: '/dev/null' }, timeout: 60_000 });
}

beforeAll(async () => {
  if (!existsSync(MAIN)) spawnSync('node', [join(ROOT, 'tools/build.mjs')]);
  dataDir = mkdtempSync(join(tmpdir(), 'gureum-cli-'));
  proc = spawn('node', [MAIN, 'start', '--port', '0', '--data-dir', dataDir, '--account-id', '123456789012'], { stdio: ['ignore', 'pipe', 'pipe'] });
  endpoint = await new Promise<string>((resolve, reject) => {
    proc.stdout!.on('data', (d: Buffer) => {
      startup += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(startup);
      if (m && startup.includes('state:')) resolve(m[1]!);
    });
    proc.on('exit', (code) => reject(new Error(`gureum exited ${code}: ${startup}`)));
  });
});

afterAll(() => {
  proc?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('gureum CLI', () => {
  test('start prints the endpoint and the data directory', () => {
    expect(endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(startup).toContain(`state: ${dataDir} (persistent)`);
  });

  test('status shows the running instance', () => {
    const r = gureum(['status']);
    expect(r.status).toBe(0);
    const h = JSON.parse(r.stdout);
    expect(h).toMatchObject({ status: 'running', accountId: '123456789012', persistence: true, dataDir });
  });

  test('clock freeze / advance / resume', () => {
    const frozen = JSON.parse(gureum(['clock', 'freeze']).stdout);
    expect(frozen.frozen).toBe(true);
    const adv = JSON.parse(gureum(['clock', 'advance', '2h']).stdout);
    expect(adv.epochMs - frozen.epochMs).toBe(7_200_000);
    const set = JSON.parse(gureum(['clock', 'set', '2031-05-06T07:08:09Z']).stdout);
    expect(set.now).toBe('2031-05-06T07:08:09.000Z');
    expect(JSON.parse(gureum(['clock', 'resume']).stdout).frozen).toBe(false);
    const bad = gureum(['clock', 'advance', 'later']);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('cannot parse duration');
  });

  test('reset answers for all and for one service', () => {
    expect(JSON.parse(gureum(['reset', 'sqs']).stdout)).toEqual({ reset: 'sqs' });
    expect(JSON.parse(gureum(['reset']).stdout)).toEqual({ reset: 'all' });
  });

  test('client commands say so when nothing is running', () => {
    const r = spawnSync('node', [MAIN, 'status', '--endpoint', 'http://127.0.0.1:1'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('gureum is not running');
  });

  test.skipIf(!HAS_AWS_CLI)('gureum aws runs the AWS CLI against the instance (account from --account-id)', () => {
    const r = gureum(['aws', 'sts', 'get-caller-identity', '--output', 'json']);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).Account).toBe('123456789012');
  });
});
