/**
 * Test helpers: start an isolated in-process gureum per test file, client config for SDK v3
 * clients, and runners for the AWS CLI and boto3 (skipped with a visible message if absent).
 *
 * Coverage: every test file names the operations it exercises through real clients in a
 * comment line `// covers: <service>.<Operation> <service>.<Operation> …` (read by
 * tools/coverage.mjs for docs/coverage.md).
 */
import { spawn, spawnSync } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { startGureum, type Gureum, type StartOptions } from '../src/index.js';
import { SQSClient, ReceiveMessageCommand, DeleteMessageCommand, type Message } from '@aws-sdk/client-sqs';

export const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

/** Starts gureum before the file's tests and stops it after. */
export function useGureum(opts: StartOptions = {}): { readonly g: Gureum } {
  const holder = {} as { g: Gureum };
  beforeAll(async () => {
    holder.g = await startGureum(opts);
  });
  afterAll(async () => {
    await holder.g?.stop();
  });
  return holder;
}

/** Config for any @aws-sdk/client-* v3 client. */
export function clientConfig(g: Gureum, extra: Record<string, unknown> = {}) {
  return { endpoint: g.endpoint, region: 'us-east-1', credentials: CREDENTIALS, maxAttempts: 1, ...extra };
}

const which = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
export const HAS_AWS_CLI = which('aws');
export const HAS_PYTHON_BOTO3 = spawnSync('python3', ['-c', 'import boto3']).status === 0;
if (!HAS_AWS_CLI) console.warn('[gureum tests] AWS CLI not found: CLI tests are skipped');
if (!HAS_PYTHON_BOTO3) console.warn('[gureum tests] python3 with boto3 not found: boto3 tests are skipped');

const cliEnv = (g: Gureum) => ({
  ...process.env,
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_PAGER: '',
  GUREUM_ENDPOINT: g.endpoint,
});

export interface RunResult { status: number; stdout: string; stderr: string; json?: unknown }

/**
 * Runs a child process without blocking: gureum serves from this same process, so a
 * spawnSync here would deadlock (the server could not answer until the child exited).
 */
function run(cmd: string, args: string[], g: Gureum): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: cliEnv(g), timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => resolve({ status: -1, stdout, stderr: stderr + String(e) }));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

/** `aws --endpoint-url <g> <args…> --output json` (await it). */
export async function awsCli(g: Gureum, args: string[]): Promise<RunResult> {
  const r = await run('aws', ['--endpoint-url', g.endpoint, '--output', 'json', ...args], g);
  let json: unknown;
  try {
    json = r.stdout.trim() ? JSON.parse(r.stdout) : undefined;
  } catch {
    /* not JSON */
  }
  return { ...r, json };
}

/**
 * Runs a python3 snippet with boto3 (await it); `ENDPOINT` is defined for it. Whatever it
 * prints as its last line is parsed as JSON when possible.
 */
export async function boto3(g: Gureum, code: string): Promise<RunResult> {
  const prelude = `import boto3, json, os\nENDPOINT = os.environ['GUREUM_ENDPOINT']\n`;
  const r = await run('python3', ['-c', prelude + code], g);
  let json: unknown;
  const last = r.stdout.trim().split('\n').pop();
  try {
    json = last ? JSON.parse(last) : undefined;
  } catch {
    /* not JSON */
  }
  return { ...r, json };
}

/** Raw HTTP against gureum (for protocol/fuzz tests). */
export async function raw(g: Gureum, path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(g.endpoint + path, init);
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** The error a client call rejects with (the test fails if the call succeeds). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function rejection<E = Error & { name: string; $metadata?: { httpStatusCode?: number }; [member: string]: any }>(p: Promise<unknown>): Promise<E> {
  try {
    await p;
  } catch (e) {
    return e as E;
  }
  throw new Error('expected the call to fail');
}

/** What AWS answered for a failed client call: error code (name), message and HTTP status. */
export async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const err = await rejection<{ name: string; message: string; $metadata?: { httpStatusCode?: number } }>(p);
  return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
}

/**
 * Receives and deletes every message a queue holds (with all attributes). Short polls may answer
 * fewer messages, or none, while some remain: it stops after three empty answers. The short
 * real pause first lets deliveries made after the caller's request settle.
 */
export async function drainQueue(g: Gureum, url: string): Promise<Message[]> {
  const sqs = new SQSClient(clientConfig(g));
  await new Promise((r) => setTimeout(r, 30));
  const out: Message[] = [];
  for (let empty = 0; empty < 3; ) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], AttributeNames: ['All'] }));
    if (!r.Messages?.length) {
      empty++;
      continue;
    }
    empty = 0;
    out.push(...r.Messages);
    for (const m of r.Messages) await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
  }
  return out;
}
