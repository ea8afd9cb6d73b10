// covers: sqs.CreateQueue sqs.SendMessage sqs.ReceiveMessage s3.CreateBucket s3.PutObject s3.GetObject dynamodb.CreateTable dynamodb.PutItem dynamodb.GetItem
//
// Fuzz: malformed requests for every protocol — truncated and garbage bodies, bodies of the
// wrong types, broken XML and CBOR, random bytes, invalid UTF-8, huge headers, absurd
// Content-Length, bad SigV4 headers and presigned queries, unknown targets and paths.
// Every answer must be a 4xx (or 501 NotImplemented for an operation that is routed but not
// built) in that protocol's error shape: never a 5xx, never a dropped connection or a hang.
// Afterwards the server still answers /_gureum/health and the data stored before is intact.
//
// Cases are generated from a seeded PRNG: FUZZ_SEED=<n> reproduces a run (the seed in use is
// printed), FUZZ_ROUNDS=<n> makes the random part longer. A failure names the case and its
// exact request.
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { connect } from 'node:net';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encode as cborEncode, decode as cborDecode } from 'cbor-x';
import { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { useGureum, clientConfig, raw } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const built = (s: string) => existsSync(join(ROOT, 'src/services', s, 'index.ts'));
const SEED = Number(process.env.FUZZ_SEED ?? 20240601);
const ROUNDS = Number(process.env.FUZZ_ROUNDS ?? 40);
console.log(`[fuzz.test] seed ${SEED} (FUZZ_SEED), ${ROUNDS} random rounds per protocol (FUZZ_ROUNDS)`);

const ctx = useGureum();

// ---------------------------------------------------------------------------------------------
// seeded PRNG (mulberry32)

function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)]!,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))),
  };
}
type Rng = ReturnType<typeof prng>;

// ---------------------------------------------------------------------------------------------
// a raw HTTP/1.1 client: sends exactly the bytes given, reads one response

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function parseHead(head: string): { status: number; headers: Record<string, string> } {
  const lines = head.split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
  if (!m) throw new Error(`not an HTTP response: ${JSON.stringify(head.slice(0, 200))}`);
  const headers: Record<string, string> = {};
  for (const l of lines.slice(1)) {
    const i = l.indexOf(':');
    if (i > 0) headers[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
  }
  return { status: Number(m[1]), headers };
}

function dechunk(b: Buffer): Buffer | undefined {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const nl = b.indexOf('\r\n', at);
    if (nl < 0) return undefined;
    const size = parseInt(b.subarray(at, nl).toString('latin1'), 16);
    if (Number.isNaN(size)) return undefined;
    if (size === 0) return Buffer.concat(out);
    if (b.length < nl + 2 + size + 2) return undefined;
    out.push(b.subarray(nl + 2, nl + 2 + size));
    at = nl + 2 + size + 2;
  }
}

/**
 * Sends `request` on a fresh connection and reads one response. `halfClose`: end the write
 * side after sending (a client that gives up on its body). Rejects on a connection closed
 * without an answer, or no answer within `timeoutMs`.
 */
function rawRequest(port: number, request: Buffer, opts: { halfClose?: boolean; timeoutMs?: number } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const sock = connect({ port, host: '127.0.0.1' });
    let buf = Buffer.alloc(0);
    let done = false;
    const finish = (err: Error | undefined, res?: RawResponse) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve(res!);
    };
    const timer = setTimeout(() => finish(new Error(`no answer within ${opts.timeoutMs ?? 5_000} ms`)), opts.timeoutMs ?? 5_000);
    const tryParse = (ended: boolean) => {
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) {
        if (ended) finish(new Error(`connection closed without a (complete) response; got ${JSON.stringify(buf.toString('latin1').slice(0, 200))}`));
        return;
      }
      const { status, headers } = parseHead(buf.subarray(0, sep).toString('latin1'));
      if (status === 100) {
        buf = buf.subarray(sep + 4);
        return tryParse(ended);
      }
      const rest = buf.subarray(sep + 4);
      if (headers['content-length'] !== undefined) {
        const n = Number(headers['content-length']);
        if (rest.length >= n) finish(undefined, { status, headers, body: rest.subarray(0, n) });
        else if (ended) finish(new Error(`connection closed after ${rest.length} of ${n} body bytes (status ${status})`));
      } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
        const body = dechunk(rest);
        if (body) finish(undefined, { status, headers, body });
        else if (ended) finish(new Error(`connection closed inside a chunked body (status ${status})`));
      } else if (ended || status === 204 || status === 304) finish(undefined, { status, headers, body: rest });
    };
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      tryParse(false);
    });
    sock.on('end', () => tryParse(true));
    sock.on('close', () => tryParse(true));
    sock.on('error', (e) => {
      // A reset after a complete response is fine; before it, it is a dropped connection.
      if (!done) {
        const sep = buf.indexOf('\r\n\r\n');
        if (sep >= 0) tryParse(true);
        if (!done) finish(new Error(`connection error before a response: ${e.message}`));
      }
    });
    sock.on('connect', () => {
      sock.write(request, () => {
        if (opts.halfClose) sock.end();
      });
    });
  });
}

interface Req {
  method: string;
  path: string;
  headers?: Record<string, string | Buffer>;
  body?: Buffer | string;
  /** send this Content-Length instead of the body's (or null for none) */
  contentLength?: string | null;
  halfClose?: boolean;
}

function encodeRequest(port: number, r: Req): Buffer {
  const body = r.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  const head: Buffer[] = [Buffer.from(`${r.method} ${r.path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`, 'latin1')];
  const headers = r.headers ?? {};
  for (const [k, v] of Object.entries(headers)) head.push(Buffer.concat([Buffer.from(`${k}: `, 'latin1'), Buffer.isBuffer(v) ? v : Buffer.from(v, 'utf8'), Buffer.from('\r\n')]));
  const te = Object.keys(headers).some((k) => k.toLowerCase() === 'transfer-encoding');
  if (r.contentLength !== null && !te) head.push(Buffer.from(`Content-Length: ${r.contentLength ?? body.length}\r\n`, 'latin1'));
  head.push(Buffer.from('\r\n'));
  return Buffer.concat([...head, body]);
}

const describeReq = (r: Req) => {
  const body = r.body === undefined ? '' : Buffer.isBuffer(r.body) ? `<${r.body.length} bytes: ${r.body.subarray(0, 120).toString('hex')}…>` : JSON.stringify(r.body.slice(0, 300));
  const headers = Object.entries(r.headers ?? {}).map(([k, v]) => `${k}: ${Buffer.isBuffer(v) ? `<bytes ${v.subarray(0, 40).toString('hex')}>` : v.length > 200 ? v.slice(0, 60) + `…(${v.length} chars)` : v}`);
  return `${r.method} ${r.path.length > 200 ? r.path.slice(0, 200) + '…' : r.path}\n  ${headers.join('\n  ')}${r.contentLength !== undefined ? `\n  Content-Length: ${r.contentLength}` : ''}\n  body: ${body}`;
};

// ---------------------------------------------------------------------------------------------
// what an AWS-shaped error looks like, per protocol

/** `fallback`: no service could be told (gureum's own JSON error); `http`: rejected by the HTTP layer before any AWS code ran. */
type Shape = 'json' | 'query' | 'ec2' | 'rest-json' | 'rest-xml' | 'cbor' | 'fallback' | 'http';

function checkShape(shape: Shape, res: RawResponse, method: string): string | undefined {
  const ct = res.headers['content-type'] ?? '';
  const text = res.body.toString('utf8');
  const xml = (re: RegExp) => re.test(text);
  switch (shape) {
    case 'json': {
      if (!/^application\/x-amz-json-1\.[01]/.test(ct)) return `content-type ${ct}`;
      if (!res.headers['x-amzn-requestid']) return 'no x-amzn-requestid';
      try {
        const j = JSON.parse(text) as Record<string, unknown>;
        if (typeof j.__type !== 'string' || !j.__type) return 'no __type';
        if (typeof (j.message ?? j.Message) !== 'string') return 'no message';
      } catch {
        return 'body is not JSON';
      }
      return undefined;
    }
    case 'rest-json': {
      if (!res.headers['x-amzn-errortype'] && !res.headers['x-amzn-error-type']) return 'no x-amzn-errortype';
      if (!res.headers['x-amzn-requestid']) return 'no x-amzn-requestid';
      if (method === 'HEAD') return undefined;
      if (!/json/.test(ct)) return `content-type ${ct}`;
      try {
        const j = JSON.parse(text) as Record<string, unknown>;
        if (typeof (j.message ?? j.Message) !== 'string') return 'no message';
      } catch {
        return 'body is not JSON';
      }
      return undefined;
    }
    case 'query':
      if (!/xml/.test(ct)) return `content-type ${ct}`;
      if (!res.headers['x-amzn-requestid']) return 'no x-amzn-requestid';
      if (!xml(/^(<\?xml[^>]*\?>\s*)?<ErrorResponse[\s>][\s\S]*<Error>[\s\S]*<Type>(Sender|Receiver)<\/Type>[\s\S]*<Code>[^<]+<\/Code>[\s\S]*<Message>[\s\S]*<\/Message>[\s\S]*<RequestId>[^<]+<\/RequestId>[\s\S]*<\/ErrorResponse>\s*$/)) return 'not <ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>';
      return undefined;
    case 'ec2':
      if (!/xml/.test(ct)) return `content-type ${ct}`;
      if (!xml(/^(<\?xml[^>]*\?>\s*)?<Response>\s*<Errors>\s*<Error>\s*<Code>[^<]+<\/Code>\s*<Message>[\s\S]*<\/Message>\s*<\/Error>\s*<\/Errors>\s*<RequestID>[^<]+<\/RequestID>\s*<\/Response>\s*$/)) return 'not <Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>';
      return undefined;
    case 'rest-xml':
      if (!res.headers['x-amz-request-id']) return 'no x-amz-request-id';
      if (method === 'HEAD') return undefined;
      if (!/xml/.test(ct)) return `content-type ${ct}`;
      if (!xml(/^(<\?xml[^>]*\?>\s*)?<Error>[\s\S]*<Code>[^<]+<\/Code>[\s\S]*<Message>[\s\S]*<\/Message>[\s\S]*<RequestId>[^<]+<\/RequestId>[\s\S]*<\/Error>\s*$/)) return 'not <Error><Code/><Message/>…<RequestId/></Error>';
      return undefined;
    case 'cbor': {
      if (res.headers['smithy-protocol'] !== 'rpc-v2-cbor') return 'no smithy-protocol: rpc-v2-cbor';
      if (ct !== 'application/cbor') return `content-type ${ct}`;
      try {
        const m = cborDecode(res.body) as Record<string, unknown>;
        if (typeof m.__type !== 'string') return 'no __type';
      } catch {
        return 'body is not CBOR';
      }
      return undefined;
    }
    case 'fallback': {
      if (!res.headers['x-amzn-requestid']) return 'no x-amzn-requestid';
      try {
        const j = JSON.parse(text) as Record<string, unknown>;
        if (typeof j.__type !== 'string' || typeof j.message !== 'string') return 'no __type / message';
      } catch {
        return 'body is not JSON';
      }
      return undefined;
    }
    case 'http':
      return undefined;
  }
}

interface Case {
  name: string;
  shape: Shape;
  req: Req;
  /** also acceptable for this case (e.g. a 2xx where the input happens to be valid) */
  allow2xx?: boolean;
}

interface Failure {
  name: string;
  request: string;
  response: string;
}

async function runCases(cases: Case[]): Promise<Failure[]> {
  const port = ctx.g.port;
  const failures: Failure[] = [];
  for (const c of cases) {
    let res: RawResponse;
    try {
      res = await rawRequest(port, encodeRequest(port, c.req), { halfClose: c.req.halfClose });
    } catch (e) {
      failures.push({ name: c.name, request: describeReq(c.req), response: `(no response) ${(e as Error).message}` });
      continue;
    }
    const okStatus = (res.status >= 400 && res.status < 500) || (res.status === 501 && /NotImplemented/.test(res.body.toString('utf8') + (res.headers['x-amzn-errortype'] ?? '') + (res.headers['x-amzn-query-error'] ?? ''))) || (res.status === 501 && c.shape === 'cbor') || (c.allow2xx && res.status < 300);
    const shapeProblem = res.status >= 300 ? checkShape(c.shape, res, c.req.method) : undefined;
    if (!okStatus || shapeProblem) {
      const body = c.shape === 'cbor' && /cbor/.test(res.headers['content-type'] ?? '') ? JSON.stringify(safeCbor(res.body)) : res.body.toString('utf8').slice(0, 600);
      failures.push({
        name: c.name,
        request: describeReq(c.req),
        response: `${res.status}${shapeProblem ? ` (shape: ${shapeProblem})` : ''}\n  ${Object.entries(res.headers).map(([k, v]) => `${k}: ${v}`).join('\n  ')}\n  ${body}`,
      });
    }
  }
  return failures;
}

function safeCbor(b: Buffer): unknown {
  try {
    return cborDecode(b);
  } catch {
    return b.toString('hex');
  }
}

function report(label: string, failures: Failure[]): void {
  if (!failures.length) return;
  const text = failures.map((f) => `--- ${f.name}\n> ${f.request}\n< ${f.response}`).join('\n');
  console.error(`[fuzz.test] ${label}: ${failures.length} failing case(s) (seed ${SEED})\n${text}`);
}

// ---------------------------------------------------------------------------------------------
// request building blocks

const sig = (service: string, region = 'us-east-1') => `AWS4-HMAC-SHA256 Credential=test/20240101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'ab'.repeat(32)}`;
const AMZ_DATE = '20240101T000000Z';
const INVALID_UTF8 = [Buffer.from([0xc3, 0x28]), Buffer.from([0xff, 0xfe]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0xe2, 0x82])];

function mutate(rng: Rng, valid: Buffer): { how: string; body: Buffer } {
  switch (rng.int(6)) {
    case 0: {
      const at = rng.int(Math.max(1, valid.length));
      return { how: `truncated at ${at}`, body: valid.subarray(0, at) };
    }
    case 1:
      return { how: 'random bytes', body: rng.bytes(1 + rng.int(300)) };
    case 2: {
      const at = rng.int(valid.length + 1);
      const bad = rng.pick(INVALID_UTF8);
      return { how: `invalid UTF-8 ${bad.toString('hex')} at ${at}`, body: Buffer.concat([valid.subarray(0, at), bad, valid.subarray(at)]) };
    }
    case 3: {
      const b = Buffer.from(valid);
      for (let i = 0; i < 1 + rng.int(4); i++) if (b.length) b[rng.int(b.length)] = rng.int(256);
      return { how: 'bytes flipped', body: b };
    }
    case 4: {
      const at = rng.int(valid.length + 1);
      return { how: `random bytes spliced at ${at}`, body: Buffer.concat([valid.subarray(0, at), rng.bytes(1 + rng.int(20)), valid.subarray(at)]) };
    }
    default:
      return { how: 'duplicated tail', body: Buffer.concat([valid, valid.subarray(rng.int(valid.length))]) };
  }
}

/** Type-confused variants of a JSON value: each member swapped for a value of another type. */
const WRONG_VALUES: unknown[] = ['', 'not-a-number', -1, 1e308, 1.5, true, null, [], [1, 'two'], {}, { nested: { deeper: [] } }, 'x'.repeat(5000), '\u0000', -0];

function wrongTypes(rng: Rng, valid: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = structuredClone(valid);
  const keys = Object.keys(out);
  const swap = (o: Record<string, unknown>, k: string) => {
    const v = o[k];
    if (v && typeof v === 'object' && !Array.isArray(v) && rng.next() < 0.5) {
      const inner = Object.keys(v as object);
      if (inner.length) return swap(v as Record<string, unknown>, rng.pick(inner));
    }
    o[k] = structuredClone(rng.pick(WRONG_VALUES));
  };
  for (let i = 0; i < 1 + rng.int(2); i++) if (keys.length) swap(out, rng.pick(keys));
  return out;
}

const deepJson = (depth: number, leaf: string) => '{"M":'.repeat(depth) + leaf + '}'.repeat(depth);

// ---------------------------------------------------------------------------------------------
// cases per protocol

function jsonCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const services: { id: string; target: string; version: string; sign: string; ops: Record<string, Record<string, unknown>> }[] = [];
  if (built('dynamodb'))
    services.push({
      id: 'dynamodb',
      target: 'DynamoDB_20120810',
      version: '1.0',
      sign: 'dynamodb',
      ops: {
        PutItem: { TableName: 'fuzz-table', Item: { pk: { S: 'a' }, n: { N: '1' }, m: { M: { x: { L: [{ S: 'y' }] } } } } },
        GetItem: { TableName: 'fuzz-table', Key: { pk: { S: 'a' } }, ConsistentRead: true },
        Query: { TableName: 'fuzz-table', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'a' } }, Limit: 5 },
        CreateTable: { TableName: 'fuzz-new', AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' },
        BatchWriteItem: { RequestItems: { 'fuzz-table': [{ PutRequest: { Item: { pk: { S: 'b' } } } }] } },
        UpdateItem: { TableName: 'fuzz-table', Key: { pk: { S: 'a' } }, UpdateExpression: 'SET #n = :v', ExpressionAttributeNames: { '#n': 'n' }, ExpressionAttributeValues: { ':v': { N: '2' } } },
      },
    });
  else console.warn('[fuzz.test] dynamodb not built yet: its json cases are skipped');
  if (built('sqs'))
    services.push({
      id: 'sqs',
      target: 'AmazonSQS',
      version: '1.0',
      sign: 'sqs',
      ops: {
        SendMessage: { QueueUrl: `http://127.0.0.1/000000000000/fuzz-q`, MessageBody: 'hi', MessageAttributes: { a: { DataType: 'String', StringValue: 'b' } } },
        ReceiveMessage: { QueueUrl: `http://127.0.0.1/000000000000/fuzz-q`, MaxNumberOfMessages: 1, WaitTimeSeconds: 0, VisibilityTimeout: 0 },
        CreateQueue: { QueueName: 'fuzz-other', Attributes: { VisibilityTimeout: '10' }, tags: { a: 'b' } },
        SendMessageBatch: { QueueUrl: `http://127.0.0.1/000000000000/fuzz-q`, Entries: [{ Id: '1', MessageBody: 'x' }] },
        ChangeMessageVisibility: { QueueUrl: `http://127.0.0.1/000000000000/fuzz-q`, ReceiptHandle: 'garbage', VisibilityTimeout: 5 },
      },
    });
  else console.warn('[fuzz.test] sqs not built yet: its json cases are skipped');
  if (built('logs'))
    services.push({
      id: 'logs',
      target: 'Logs_20140328',
      version: '1.1',
      sign: 'logs',
      ops: {
        CreateLogGroup: { logGroupName: '/fuzz/other' },
        PutLogEvents: { logGroupName: '/fuzz/g', logStreamName: 's', logEvents: [{ timestamp: 1, message: 'm' }] },
        FilterLogEvents: { logGroupName: '/fuzz/g', filterPattern: '[a, b', limit: 10 },
        DescribeLogGroups: { logGroupNamePrefix: '/fuzz', limit: 5 },
      },
    });
  else console.warn('[fuzz.test] logs not built yet: its json cases are skipped');

  for (const s of services) {
    const headers = (op: string, extra: Record<string, string> = {}) => ({ 'Content-Type': `application/x-amz-json-${s.version}`, 'X-Amz-Target': `${s.target}.${op}`, 'X-Amz-Date': AMZ_DATE, Authorization: sig(s.sign), ...extra });
    const ops = Object.keys(s.ops);
    // fixed cases
    cases.push({ name: `${s.id} unknown target operation`, shape: 'json', req: { method: 'POST', path: '/', headers: headers('NoSuchOperation'), body: '{}' } });
    cases.push({ name: `${s.id} target without operation`, shape: 'json', req: { method: 'POST', path: '/', headers: { ...headers('x'), 'X-Amz-Target': s.target }, body: '{}' } });
    cases.push({ name: `${s.id} top-level array`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: '[1,2,3]' } });
    cases.push({ name: `${s.id} top-level string`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: '"str"' } });
    cases.push({ name: `${s.id} top-level null`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: 'null' } });
    cases.push({ name: `${s.id} empty body`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: '' } });
    cases.push({ name: `${s.id} GET with target`, shape: 'json', req: { method: 'GET', path: '/', headers: headers(ops[0]!) } });
    cases.push({ name: `${s.id} __proto__ member`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: `{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}` } });
    cases.push({ name: `${s.id} deeply nested JSON (100000)`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: '['.repeat(100_000) + ']'.repeat(100_000) } });
    cases.push({ name: `${s.id} deeply nested map member (3000)`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: `{"${Object.keys(s.ops[ops[0]!]!)[1]}":${deepJson(3000, '{"S":"x"}')}}` } });
    cases.push({ name: `${s.id} gzip garbage`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!, { 'Content-Encoding': 'gzip' }), body: rng.bytes(200) } });
    cases.push({ name: `${s.id} gzip bomb (100 MiB of zeros)`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!, { 'Content-Encoding': 'gzip' }), body: gzipSync(Buffer.alloc(100 * 2 ** 20)) } });
    cases.push({ name: `${s.id} absurd Content-Length`, shape: 'json', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: '{}', contentLength: '99999999999999' } });
    // the client half-closes: Node's HTTP parser answers a bare 400 before any AWS code can
    cases.push({ name: `${s.id} body shorter than Content-Length, client gives up`, shape: 'http', req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: '{"a":', contentLength: '100', halfClose: true } });
    cases.push({ name: `${s.id} bad chunked body`, shape: 'http', req: { method: 'POST', path: '/', headers: { ...headers(ops[0]!), 'Transfer-Encoding': 'chunked' }, body: '5\r\n{"a":\r\nzz\r\n', halfClose: true } });
    cases.push({ name: `${s.id} 60 KiB header`, shape: 'json', allow2xx: true, req: { method: 'POST', path: '/', headers: headers(ops[0]!, { 'X-Padding': 'p'.repeat(60 * 1024) }), body: '{"x":' } });
    cases.push({ name: `${s.id} 1500 headers`, shape: 'json', allow2xx: true, req: { method: 'POST', path: '/', headers: { ...headers(ops[0]!), ...Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`X-H${i}`, 'v'])) }, body: '{"x":' } });
    cases.push({ name: `${s.id} X-Amz-Date garbage`, shape: 'json', allow2xx: true, req: { method: 'POST', path: '/', headers: headers(ops[0]!, { 'X-Amz-Date': 'yesterday' }), body: '{' } });
    cases.push({ name: `${s.id} wrong Content-Type`, shape: 'json', allow2xx: true, req: { method: 'POST', path: '/', headers: headers(ops[0]!, { 'Content-Type': 'text/html; charset=ebcdic' }), body: '{' } });
    cases.push({ name: `${s.id} numbers out of range`, shape: 'json', allow2xx: true, req: { method: 'POST', path: '/', headers: headers(ops[0]!), body: JSON.stringify(s.ops[ops[0]!]).replace(/}$/, ',"Limit":1e400,"MaxNumberOfMessages":-1e400}') } });
    // random cases
    for (let i = 0; i < ROUNDS; i++) {
      const op = rng.pick(ops);
      const valid = Buffer.from(JSON.stringify(s.ops[op]));
      if (rng.next() < 0.5) {
        const m = mutate(rng, valid);
        cases.push({ name: `${s.id} ${op} #${i}: ${m.how}`, shape: 'json', allow2xx: true, req: { method: 'POST', path: '/', headers: headers(op), body: m.body } });
      } else {
        const body = JSON.stringify(wrongTypes(rng, s.ops[op]!));
        cases.push({ name: `${s.id} ${op} #${i}: wrong types`, shape: 'json', allow2xx: true, req: { method: 'POST', path: '/', headers: headers(op), body } });
      }
    }
  }
  // an X-Amz-Target nobody knows, signed for nothing: no service can be told
  cases.push({ name: 'unknown X-Amz-Target prefix', shape: 'fallback', req: { method: 'POST', path: '/', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'NoSuchService_20200101.Op', Authorization: sig('nosuchservice') }, body: '{}' } });
  return cases;
}

function queryCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const form = (service: string, sign: string, shape: Shape, valid: string[]) => {
    const headers = { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8', 'X-Amz-Date': AMZ_DATE, Authorization: sig(sign) };
    cases.push({ name: `${service} missing Action`, shape, req: { method: 'POST', path: '/', headers, body: 'Version=' + valid[0]!.split('Version=')[1]!.split('&')[0] } });
    cases.push({ name: `${service} unknown Action`, shape, req: { method: 'POST', path: '/', headers, body: valid[0]!.replace(/Action=\w+/, 'Action=NoSuchAction') } });
    cases.push({ name: `${service} empty body`, shape, req: { method: 'POST', path: '/', headers, body: '' } });
    cases.push({ name: `${service} bad percent-encoding`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + '&Bad=%zz%&%%%' } });
    cases.push({ name: `${service} invalid UTF-8 percent-encoded`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + '&X=%C3%28%FF' } });
    cases.push({ name: `${service} absurd list index`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + '&Tags.member.999999999.Key=a&Tags.member.999999999.Value=b&Filter.99999999.Name=x&InstanceId.4294967296=i-1' } });
    cases.push({ name: `${service} negative / non-numeric list index`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + '&Tags.member.-1.Key=a&Tags.member.abc.Key=b&Filter.0.Name=x' } });
    cases.push({ name: `${service} __proto__ parameter`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + '&__proto__.polluted=yes&constructor.prototype.polluted=yes' } });
    cases.push({ name: `${service} GET with query string garbage`, shape, allow2xx: true, req: { method: 'GET', path: '/?' + valid[0] + '&%zz=%', headers: { 'X-Amz-Date': AMZ_DATE, Authorization: sig(sign) } } });
    cases.push({ name: `${service} parameter name with 5000 segments`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + `&Tags.member.1.${'x.'.repeat(5000)}Key=a` } });
    cases.push({ name: `${service} 100000 values of one list`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + Array.from({ length: 100_000 }, (_, i) => `&Filter.1.Value.${i + 1}=v`).join('') } });
    cases.push({ name: `${service} 10000 parameters`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: valid[0] + Array.from({ length: 10_000 }, (_, i) => `&P${i}.member.${i}=v`).join('') } });
    for (let i = 0; i < ROUNDS; i++) {
      const v = rng.pick(valid);
      const m = mutate(rng, Buffer.from(v));
      cases.push({ name: `${service} #${i}: ${m.how} of ${v.slice(0, 60)}`, shape, allow2xx: true, req: { method: 'POST', path: '/', headers, body: m.body } });
    }
  };
  if (built('sts'))
    form('sts', 'sts', 'query', [
      'Action=GetCallerIdentity&Version=2011-06-15',
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/r&RoleSessionName=s&DurationSeconds=abc',
      'Action=AssumeRole&Version=2011-06-15&RoleArn=arn:aws:iam::123456789012:role/r&RoleSessionName=s&DurationSeconds=1e309&Tags.member.1.Key=k&Tags.member.1.Value=v&PolicyArns.member.1.arn=x',
      'Action=GetSessionToken&Version=2011-06-15&DurationSeconds=-5',
    ]);
  else console.warn('[fuzz.test] sts not built yet: its query cases are skipped');
  if (built('ec2'))
    form('ec2', 'ec2', 'ec2', [
      'Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-0123456789abcdef0&Filter.1.Name=instance-state-name&Filter.1.Value.1=running&MaxResults=abc',
      'Action=RunInstances&Version=2016-11-15&ImageId=ami-12c6146b&InstanceType=t2.micro&MinCount=-5&MaxCount=abc',
      'Action=CreateTags&Version=2016-11-15&ResourceId.1=i-1&Tag.1.Key=a&Tag.1.Value=b&DryRun=maybe',
      'Action=DescribeVpcs&Version=2016-11-15&VpcId.1=vpc-1&MaxResults=5000000000',
    ]);
  else console.warn('[fuzz.test] ec2 not built yet: its ec2 cases are skipped');
  // SQS's legacy query API (json-first service that also answers query)
  if (built('sqs'))
    form('sqs (query)', 'sqs', 'query', [
      'Action=SendMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%2F000000000000%2Ffuzz-q&MessageBody=hi&MessageAttribute.1.Name=a&MessageAttribute.1.Value.DataType=String&MessageAttribute.1.Value.StringValue=b',
      'Action=ReceiveMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%2F000000000000%2Ffuzz-q&MaxNumberOfMessages=eleven&VisibilityTimeout=0',
    ]);
  // a form that names no service at all (no signature, unknown Version)
  cases.push({ name: 'form with unknown Version, unsigned', shape: 'rest-xml', req: { method: 'POST', path: '/', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'Action=Foo&Version=1999-01-01' } });
  return cases;
}

function restXmlCases(rng: Rng): Case[] {
  if (!built('s3')) {
    console.warn('[fuzz.test] s3 not built yet: rest-xml cases are skipped');
    return [];
  }
  const cases: Case[] = [];
  const h = (extra: Record<string, string> = {}) => ({ 'X-Amz-Date': AMZ_DATE, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD', Authorization: sig('s3'), ...extra });
  const b = 'fuzz-bucket';
  const tagging = '<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a</Key><Value>b</Value></Tag></TagSet></Tagging>';
  const cbc = '<CreateBucketConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>';
  const del = '<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>';
  const fixed: [string, Req, boolean?][] = [
    ['CreateBucket, broken XML configuration', { method: 'PUT', path: '/fuzz-new-1', headers: h(), body: '<CreateBucketConfiguration><LocationConstraint>eu-west-1</Location' }],
    ['CreateBucket, wrong root element', { method: 'PUT', path: '/fuzz-new-2', headers: h(), body: '<Nope><LocationConstraint>eu-west-1</LocationConstraint></Nope>' }, true],
    ['CreateBucket, not XML at all', { method: 'PUT', path: '/fuzz-new-3', headers: h(), body: '{"LocationConstraint":"eu-west-1"}' }],
    ['CreateBucket, invalid name', { method: 'PUT', path: '/Invalid_Bucket_Name!', headers: h() }],
    ['CreateBucket, one-letter name', { method: 'PUT', path: '/a', headers: h() }],
    ['PutBucketTagging, broken XML', { method: 'PUT', path: `/${b}?tagging`, headers: h(), body: '<Tagging><TagSet><Tag><Key>a</Key>' }],
    ['PutBucketTagging, XML entity expansion (billion laughs)', { method: 'PUT', path: `/${b}?tagging`, headers: h(), body: '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]><Tagging><TagSet><Tag><Key>k</Key><Value>&g;</Value></Tag></TagSet></Tagging>' }],
    ['PutBucketTagging, external entity', { method: 'PUT', path: `/${b}?tagging`, headers: h(), body: '<?xml version="1.0"?><!DOCTYPE t [<!ENTITY x SYSTEM "file:///etc/passwd">]><Tagging><TagSet><Tag><Key>k</Key><Value>&x;</Value></Tag></TagSet></Tagging>' }, true],
    ['PutBucketTagging, 60000 nested elements', { method: 'PUT', path: `/${b}?tagging`, headers: h(), body: '<Tagging>' + '<TagSet>'.repeat(60_000) + '</TagSet>'.repeat(60_000) + '</Tagging>' }],
    ['PutObjectTagging, broken XML', { method: 'PUT', path: `/${b}/obj?tagging`, headers: h(), body: '<Tagging><TagSet><Tag><Key>a</Key><Value>' }],
    ['PutObjectTagging, list where text expected', { method: 'PUT', path: `/${b}/obj?tagging`, headers: h(), body: '<Tagging><TagSet><Tag><Key><Key>a</Key><Key>b</Key></Key><Value>v</Value></Tag></TagSet></Tagging>' }, true],
    ['DeleteObjects, garbage XML', { method: 'POST', path: `/${b}?delete`, headers: h({ 'Content-MD5': createHash('md5').update('<Delete><Obj').digest('base64') }), body: '<Delete><Obj' }],
    ['DeleteObjects, no Content-MD5', { method: 'POST', path: `/${b}?delete`, headers: h(), body: del }, true],
    ['ListObjectsV2, max-keys not a number', { method: 'GET', path: `/${b}?list-type=2&max-keys=abc`, headers: h() }],
    ['ListObjectsV2, max-keys huge', { method: 'GET', path: `/${b}?list-type=2&max-keys=99999999999999999999`, headers: h() }, true],
    ['ListObjectsV2, continuation token garbage', { method: 'GET', path: `/${b}?list-type=2&continuation-token=%FF%FE%00garbage`, headers: h() }],
    ['GetObject, Range garbage', { method: 'GET', path: `/${b}/obj`, headers: h({ Range: 'bytes=garbage' }) }, true],
    ['GetObject, Range beyond the end', { method: 'GET', path: `/${b}/obj`, headers: h({ Range: 'bytes=999999-9999999' }) }],
    ['GetObject, If-Modified-Since garbage', { method: 'GET', path: `/${b}/obj`, headers: h({ 'If-Modified-Since': 'yesterday-ish' }) }, true],
    ['GetObject, bad percent-encoding in key', { method: 'GET', path: `/${b}/%zz%`, headers: h() }],
    ['GetObject, NUL in key', { method: 'GET', path: `/${b}/a%00b`, headers: h() }],
    ['GetObject, path traversal key', { method: 'GET', path: `/${b}/..%2F..%2F..%2Fetc%2Fpasswd`, headers: h() }],
    ['GetObject, 8 KiB key', { method: 'GET', path: `/${b}/${'k'.repeat(8192)}`, headers: h() }],
    ['HeadObject, missing', { method: 'HEAD', path: `/${b}/missing`, headers: h() }],
    ['PutObject, Content-MD5 mismatch', { method: 'PUT', path: `/${b}/md5`, headers: h({ 'Content-MD5': createHash('md5').update('other').digest('base64') }), body: 'data' }],
    ['PutObject, Content-MD5 not base64', { method: 'PUT', path: `/${b}/md5b`, headers: h({ 'Content-MD5': '!!!not base64!!!' }), body: 'data' }],
    ['PutObject, 60 KiB metadata header', { method: 'PUT', path: `/${b}/meta`, headers: h({ 'x-amz-meta-big': 'm'.repeat(60_000) }), body: 'data' }],
    ['PutObject, invalid UTF-8 metadata', { method: 'PUT', path: `/${b}/meta2`, headers: { ...h(), 'x-amz-meta-bad': Buffer.from([0xc3, 0x28, 0xff]) }, body: 'data' }, true],
    ['PutObject, absurd Content-Length', { method: 'PUT', path: `/${b}/huge`, headers: h(), body: 'x', contentLength: '99999999999999' }],
    ['PutObject, body shorter than Content-Length, client gives up (HTTP-level 400)', { method: 'PUT', path: `/${b}/short`, headers: h(), body: 'abc', contentLength: '1000', halfClose: true }],
    ['PutObject, garbage aws-chunked body', { method: 'PUT', path: `/${b}/chunked`, headers: h({ 'X-Amz-Content-Sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'Content-Encoding': 'aws-chunked', 'X-Amz-Decoded-Content-Length': '10' }), body: 'zz;chunk-signature=nothex\r\nabc\r\n' }],
    ['PutObject, aws-chunked decoded length lies', { method: 'PUT', path: `/${b}/chunked2`, headers: h({ 'X-Amz-Content-Sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', 'Content-Encoding': 'aws-chunked', 'X-Amz-Decoded-Content-Length': '5000' }), body: '3\r\nabc\r\n0\r\n\r\n' }],
    ['PutObject, x-amz-content-sha256 mismatch', { method: 'PUT', path: `/${b}/sha`, headers: h({ 'X-Amz-Content-Sha256': 'ab'.repeat(32) }), body: 'data' }, true],
    ['PutObject, bad storage class', { method: 'PUT', path: `/${b}/sc`, headers: h({ 'x-amz-storage-class': 'NOT_A_CLASS' }), body: 'data' }],
    ['PutObject, tagging header garbage', { method: 'PUT', path: `/${b}/tg`, headers: h({ 'x-amz-tagging': '%zz=&&==' }), body: 'data' }, true],
    ['CopyObject, copy source garbage', { method: 'PUT', path: `/${b}/copy`, headers: h({ 'x-amz-copy-source': '%zz/../nope' }) }],
    ['UploadPart, part number not a number', { method: 'PUT', path: `/${b}/mp?partNumber=abc&uploadId=x`, headers: h(), body: 'data' }],
    ['CompleteMultipartUpload, garbage XML', { method: 'POST', path: `/${b}/mp?uploadId=nope`, headers: h(), body: '<CompleteMultipartUpload><Part><PartNumber>one' }],
    ['unknown subresource', { method: 'GET', path: `/${b}?nosuchsubresource`, headers: h() }, true],
    ['PATCH method', { method: 'PATCH', path: `/${b}/obj`, headers: h(), body: 'x' }],
    ['presigned query: garbage credential', { method: 'GET', path: `/${b}/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=garbage&X-Amz-Date=${AMZ_DATE}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00` }],
    ['presigned query: wrong algorithm', { method: 'GET', path: `/${b}/obj?X-Amz-Algorithm=AWS4-HMAC-MD5&X-Amz-Credential=test%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=${AMZ_DATE}&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00` }],
    ['presigned query: expires not a number', { method: 'GET', path: `/${b}/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=garbage&X-Amz-Expires=soon&X-Amz-SignedHeaders=host&X-Amz-Signature=zz` }, true],
    ['presigned query: expired long ago', { method: 'GET', path: `/${b}/obj?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=test%2F20000101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20000101T000000Z&X-Amz-Expires=1&X-Amz-SignedHeaders=host&X-Amz-Signature=${'00'.repeat(32)}` }, true],
    ['bad SigV4 header: garbage', { method: 'GET', path: `/${b}/obj`, headers: { ...h(), Authorization: 'AWS4-HMAC-SHA256 garbage' } }],
    ['bad SigV4 header: credential with 3 parts', { method: 'GET', path: `/${b}/obj`, headers: { ...h(), Authorization: 'AWS4-HMAC-SHA256 Credential=a/b/c, SignedHeaders=host, Signature=00' } }],
    ['bad SigV4 header: non-hex signature', { method: 'PUT', path: `/${b}/sig`, headers: { ...h(), Authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=not-hex!' }, body: 'x' }],
    ['SigV2 header garbage', { method: 'GET', path: `/${b}/obj`, headers: { Authorization: 'AWS :::' } }, true],
  ];
  for (const [name, req, allow2xx] of fixed) cases.push({ name: `s3 ${name}`, shape: name.includes('(HTTP-level') ? 'http' : 'rest-xml', req, allow2xx });
  const bodies: [string, string, string][] = [
    ['PUT', `/${b}?tagging`, tagging],
    ['PUT', `/fuzz-cbc-${rng.int(1e6)}`, cbc],
    ['PUT', `/${b}/obj?tagging`, tagging],
    ['POST', `/${b}?delete`, del],
  ];
  for (let i = 0; i < ROUNDS; i++) {
    const [method, path, valid] = rng.pick(bodies);
    const m = mutate(rng, Buffer.from(valid));
    const headers = path.includes('?delete') ? h({ 'Content-MD5': createHash('md5').update(m.body).digest('base64') }) : h();
    cases.push({ name: `s3 ${method} ${path} #${i}: ${m.how}`, shape: 'rest-xml', allow2xx: true, req: { method, path, headers, body: m.body } });
  }
  return cases;
}

function restJsonCases(rng: Rng): Case[] {
  // Lambda when it is built; otherwise EKS, which is routed but not built (501 after parsing).
  const lambda = built('lambda');
  if (!lambda) console.warn('[fuzz.test] lambda not built yet: rest-json cases run against EKS (routed, not built: 501 after a valid parse)');
  const cases: Case[] = [];
  const h = (service: string, extra: Record<string, string> = {}) => ({ 'Content-Type': 'application/json', 'X-Amz-Date': AMZ_DATE, Authorization: sig(service), ...extra });
  const svc = lambda ? 'lambda' : 'eks';
  const create = lambda
    ? { path: '/2015-03-31/functions', valid: { FunctionName: 'fuzz-fn', Runtime: 'nodejs20.x', Role: 'arn:aws:iam::000000000000:role/r', Handler: 'index.handler', Code: { ZipFile: Buffer.from('PK\u0005\u0006' + '\u0000'.repeat(18)).toString('base64') }, Timeout: 3, MemorySize: 128, Environment: { Variables: { A: 'b' } } } }
    : { path: '/clusters', valid: { name: 'fuzz', roleArn: 'arn:aws:iam::000000000000:role/r', resourcesVpcConfig: { subnetIds: ['subnet-1'] }, tags: { a: 'b' } } };
  const fixed: [string, Req, boolean?][] = lambda
    ? [
        ['unknown path', { method: 'GET', path: '/2015-03-31/nothing-here', headers: h(svc) }],
        ['unknown API version path', { method: 'GET', path: '/1999-01-01/functions', headers: h(svc) }],
        ['GetFunction, bad percent-encoding', { method: 'GET', path: '/2015-03-31/functions/%zz%', headers: h(svc) }],
        ['GetFunction, 10 KiB name', { method: 'GET', path: `/2015-03-31/functions/${'f'.repeat(10_240)}`, headers: h(svc) }],
        ['ListFunctions, MaxItems not a number', { method: 'GET', path: '/2015-03-31/functions/?MaxItems=abc', headers: h(svc) }],
        ['Invoke missing function, random payload', { method: 'POST', path: '/2015-03-31/functions/nope/invocations', headers: h(svc, { 'X-Amz-Invocation-Type': 'Garbage' }), body: rng.bytes(100) }],
        ['Invoke, bad X-Amz-Log-Type', { method: 'POST', path: '/2015-03-31/functions/nope/invocations', headers: h(svc, { 'X-Amz-Log-Type': 'Everything' }), body: '{}' }],
        ['DELETE unknown function with qualifier garbage', { method: 'DELETE', path: '/2015-03-31/functions/nope?Qualifier=%FF%FE', headers: h(svc) }],
      ]
    : [
        ['unknown path', { method: 'GET', path: '/nothing-here/at-all', headers: h(svc) }],
        ['DescribeCluster, bad percent-encoding', { method: 'GET', path: '/clusters/%zz%', headers: h(svc) }],
        ['ListClusters, maxResults not a number', { method: 'GET', path: '/clusters?maxResults=abc', headers: h(svc) }],
      ];
  fixed.push(
    ['top-level array body', { method: 'POST', path: create.path, headers: h(svc), body: '[1,2]' }],
    ['truncated JSON', { method: 'POST', path: create.path, headers: h(svc), body: JSON.stringify(create.valid).slice(0, 30) }],
    ['deeply nested JSON', { method: 'POST', path: create.path, headers: h(svc), body: '{"a":'.repeat(50_000) + '1' + '}'.repeat(50_000) }],
    ['absurd Content-Length', { method: 'POST', path: create.path, headers: h(svc), body: '{}', contentLength: '99999999999999' }],
    ['bad SigV4 header (signature not hex)', { method: 'POST', path: create.path, headers: { ...h(svc), Authorization: `AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/${svc}/aws4_request, SignedHeaders=host, Signature=not-hex!` }, body: '{}' }],
    ['presigned query with a bad algorithm', { method: 'GET', path: `${create.path}?X-Amz-Algorithm=AWS4-HMAC-MD5&X-Amz-Credential=test%2F20240101%2Fus-east-1%2F${svc}%2Faws4_request&X-Amz-Signature=00`, headers: { 'X-Amz-Date': AMZ_DATE } }],
  );
  for (const [name, req, allow2xx] of fixed) cases.push({ name: `${svc} ${name}`, shape: 'rest-json', req, allow2xx });
  for (let i = 0; i < ROUNDS; i++) {
    if (rng.next() < 0.5) {
      const m = mutate(rng, Buffer.from(JSON.stringify(create.valid)));
      cases.push({ name: `${svc} create #${i}: ${m.how}`, shape: 'rest-json', allow2xx: true, req: { method: 'POST', path: create.path, headers: h(svc), body: m.body } });
    } else {
      cases.push({ name: `${svc} create #${i}: wrong types`, shape: 'rest-json', allow2xx: true, req: { method: 'POST', path: create.path, headers: h(svc), body: JSON.stringify(wrongTypes(rng, create.valid)) } });
    }
  }
  return cases;
}

function cborCases(rng: Rng): Case[] {
  if (!built('cloudwatch')) {
    console.warn('[fuzz.test] cloudwatch not built yet: cbor cases run against the routed-but-unbuilt service');
  }
  const path = '/service/GraniteServiceVersion20100801/operation/PutMetricData';
  const h = (extra: Record<string, string> = {}) => ({ 'Content-Type': 'application/cbor', Accept: 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor', 'X-Amz-Date': AMZ_DATE, Authorization: sig('monitoring'), ...extra });
  const valid = { Namespace: 'Fuzz', MetricData: [{ MetricName: 'm', Value: 1.5, Unit: 'Count', Dimensions: [{ Name: 'd', Value: 'v' }], Timestamp: new Date() }] };
  const cases: Case[] = [];
  const fixed: [string, Req, boolean?][] = [
    ['garbage bytes', { method: 'POST', path, headers: h(), body: rng.bytes(64) }],
    ['empty body', { method: 'POST', path, headers: h(), body: '' }],
    ['JSON instead of CBOR', { method: 'POST', path, headers: h(), body: JSON.stringify({ Namespace: 'x' }) }],
    ['truncated CBOR', { method: 'POST', path, headers: h(), body: Buffer.from(cborEncode(valid)).subarray(0, 20) }],
    ['CBOR top-level array', { method: 'POST', path, headers: h(), body: Buffer.from(cborEncode([1, 2, 3])) }],
    ['CBOR top-level text', { method: 'POST', path, headers: h(), body: Buffer.from(cborEncode('text')) }],
    ['MetricData is a string', { method: 'POST', path, headers: h(), body: Buffer.from(cborEncode({ Namespace: 'x', MetricData: 'nope' })) }],
    ['Value is text, Timestamp is a map', { method: 'POST', path, headers: h(), body: Buffer.from(cborEncode({ Namespace: 'x', MetricData: [{ MetricName: 'm', Value: 'high', Timestamp: { when: 'now' } }] })) }],
    ['byte string claiming 4 GiB', { method: 'POST', path, headers: h(), body: Buffer.from([0xa1, 0x69, ...Buffer.from('Namespace'), 0x5a, 0xff, 0xff, 0xff, 0xff, 0x00]) }],
    ['array claiming 2^63 items', { method: 'POST', path, headers: h(), body: Buffer.from([0xa1, 0x6a, ...Buffer.from('MetricData'), 0x9b, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]) }],
    ['indefinite-length nesting 10000 deep', { method: 'POST', path, headers: h(), body: Buffer.concat([Buffer.alloc(10_000, 0x9f), Buffer.alloc(10_000, 0xff)]) }],
    ['unknown CBOR tag on a timestamp', { method: 'POST', path, headers: h(), body: Buffer.concat([Buffer.from([0xa2, 0x69, ...Buffer.from('Namespace'), 0x61, 0x78, 0x6a, ...Buffer.from('MetricData'), 0x81, 0xa2, 0x6a, ...Buffer.from('MetricName'), 0x61, 0x6d, 0x69, ...Buffer.from('Timestamp'), 0xd9, 0xff, 0xff, 0x61, 0x78])]) }],
    ['invalid UTF-8 in a text string', { method: 'POST', path, headers: h(), body: Buffer.from([0xa1, 0x69, ...Buffer.from('Namespace'), 0x63, 0xc3, 0x28, 0xff]) }, true],
    ['unknown operation', { method: 'POST', path: '/service/GraniteServiceVersion20100801/operation/NoSuchOperation', headers: h(), body: Buffer.from(cborEncode({})) }],
    ['GET on an operation', { method: 'GET', path, headers: h() }],
    ['absurd Content-Length', { method: 'POST', path, headers: h(), body: Buffer.from(cborEncode(valid)), contentLength: '99999999999999' }],
    ['bad SigV4 header', { method: 'POST', path, headers: { ...h(), Authorization: 'AWS4-HMAC-SHA256 garbage' }, body: Buffer.from(cborEncode(valid)) }],
  ];
  for (const [name, req, allow2xx] of fixed) cases.push({ name: `cloudwatch cbor ${name}`, shape: 'cbor', req, allow2xx });
  const validBytes = Buffer.from(cborEncode(valid));
  for (let i = 0; i < ROUNDS; i++) {
    if (rng.next() < 0.6) {
      const m = mutate(rng, validBytes);
      cases.push({ name: `cloudwatch cbor #${i}: ${m.how}`, shape: 'cbor', allow2xx: true, req: { method: 'POST', path, headers: h(), body: m.body } });
    } else {
      cases.push({ name: `cloudwatch cbor #${i}: wrong types`, shape: 'cbor', allow2xx: true, req: { method: 'POST', path, headers: h(), body: Buffer.from(cborEncode(wrongTypes(rng, valid as unknown as Record<string, unknown>))) } });
    }
  }
  return cases;
}

/** Requests no service can claim, or that break HTTP itself. */
function httpCases(rng: Rng): Case[] {
  const cases: Case[] = [];
  const fixed: [string, Shape, Req, boolean?][] = [
    ['huge header beyond the limit (70 KiB)', 'http', { method: 'GET', path: '/', headers: { 'X-Big': 'h'.repeat(70 * 1024) } }],
    ['Content-Length not a number', 'http', { method: 'POST', path: '/', body: 'x', contentLength: 'abc' }],
    ['Content-Length negative', 'http', { method: 'POST', path: '/', body: 'x', contentLength: '-1' }],
    ['two different Content-Lengths', 'http', { method: 'POST', path: '/', headers: { 'Content-Length': '5' }, body: 'x', contentLength: '1' }],
    ['random bytes as a request', 'http', { method: rng.bytes(8).toString('latin1').replace(/[\s]/g, 'x'), path: '/', body: rng.bytes(50) }],
    ['invalid UTF-8 in the path', 'http', { method: 'GET', path: Buffer.from([0x2f, 0xc3, 0x28, 0xff]).toString('latin1') }, true],
    ['percent-encoded invalid UTF-8 in the path', 'rest-xml', { method: 'GET', path: '/%C3%28%FF/%ED%A0%80' }],
    ['very long path (16 KiB)', 'rest-xml', { method: 'GET', path: '/' + 'p'.repeat(16_384) }],
    ['unknown path, unsigned', 'rest-xml', { method: 'GET', path: '/no/such/path/here' }],
    ['POST / with nothing at all', 'rest-xml', { method: 'POST', path: '/' }],
    ['unknown signing name', 'fallback', { method: 'POST', path: '/', headers: { Authorization: sig('nosuchservice') }, body: '{}' }],
    ['SigV4 header garbage, unsigned otherwise', 'http', { method: 'POST', path: '/', headers: { Authorization: 'AWS4-HMAC-SHA256 garbage' }, body: '{}' }],
    ['SigV4 credential with empty parts', 'http', { method: 'POST', path: '/', headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=////, SignedHeaders=, Signature=' }, body: '{}' }],
  ];
  for (const [name, shape, req, allow2xx] of fixed) cases.push({ name: `http ${name}`, shape, req, allow2xx });
  return cases;
}

// ---------------------------------------------------------------------------------------------

const stored = { queueUrl: '', body: 'kept across the fuzz ✓', objectBytes: Buffer.from('object kept across the fuzz'), etag: '', item: { pk: { S: 'keep' }, v: { S: 'kept across the fuzz' } } };

beforeAll(async () => {
  const g = ctx.g;
  if (built('sqs')) {
    const sqs = new SQSClient(clientConfig(g));
    stored.queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'fuzz-q' }))).QueueUrl!;
    await sqs.send(new SendMessageCommand({ QueueUrl: stored.queueUrl, MessageBody: stored.body }));
    await sqs.send(new CreateQueueCommand({ QueueName: 'fuzz-keep' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: stored.queueUrl.replace('fuzz-q', 'fuzz-keep'), MessageBody: stored.body }));
  }
  if (built('s3')) {
    const s3 = new S3Client(clientConfig(g, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: 'fuzz-bucket' }));
    stored.etag = (await s3.send(new PutObjectCommand({ Bucket: 'fuzz-bucket', Key: 'obj', Body: stored.objectBytes }))).ETag!;
  }
  if (built('dynamodb')) {
    const ddb = new DynamoDBClient(clientConfig(g));
    await ddb.send(new CreateTableCommand({ TableName: 'fuzz-table', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    await ddb.send(new PutItemCommand({ TableName: 'fuzz-table', Item: stored.item }));
  }
});

/**
 * Failing cases caused by bugs outside the gateway/state/server, reported to their owners.
 * They are printed (loudly) instead of failing the suite; remove an entry once it is fixed.
 */
const KNOWN_BUGS: Record<string, string> = {
};

const collected: Failure[] = [];
afterAll(() => {
  if (collected.length) console.error(`[fuzz.test] ${collected.length} failing case(s) in all (seed ${SEED})`);
});

async function fuzz(label: string, make: (rng: Rng) => Case[]): Promise<void> {
  const cases = make(prng(SEED ^ [...label].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7)));
  const failures = await runCases(cases);
  report(label, failures);
  collected.push(...failures);
  const known = failures.filter((f) => KNOWN_BUGS[f.name]);
  for (const f of known) console.warn(`[fuzz.test] KNOWN BUG (not failing the suite): ${f.name}: ${KNOWN_BUGS[f.name]}`);
  for (const name of Object.keys(KNOWN_BUGS)) if (cases.some((c) => c.name === name) && !known.some((f) => f.name === name)) console.warn(`[fuzz.test] known bug now passes, remove it from KNOWN_BUGS: ${name}`);
  expect(failures.filter((f) => !KNOWN_BUGS[f.name]).map((f) => `${f.name} → ${f.response.split('\n')[0]}`)).toEqual([]);
}

describe('fuzz: malformed requests answer 4xx in the protocol shape', () => {
  test('json (DynamoDB, SQS, Logs via X-Amz-Target)', () => fuzz('json', jsonCases), 120_000);
  test('query (STS, SQS) and ec2 (EC2) forms', () => fuzz('query', queryCases), 120_000);
  test('rest-xml (S3)', () => fuzz('rest-xml', restXmlCases), 120_000);
  test('rest-json (Lambda)', () => fuzz('rest-json', restJsonCases), 120_000);
  test('smithy-rpc-v2-cbor (CloudWatch)', () => fuzz('cbor', cborCases), 120_000);
  test('HTTP-level garbage and requests no service claims', () => fuzz('http', httpCases), 120_000);
});

describe('fuzz: one keep-alive connection, many clients', () => {
  test('malformed requests on a reused connection are each answered, and the connection stays usable', async () => {
    const rng = prng(SEED);
    const g = ctx.g;
    for (let i = 0; i < 30; i++) {
      const r = await raw(g, '/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem', authorization: sig('dynamodb') }, body: new Uint8Array(rng.bytes(1 + rng.int(100))) });
      expect(r.status, r.text).toBeGreaterThanOrEqual(400);
      expect(r.status, r.text).toBeLessThan(500);
    }
    expect((await raw(g, '/_gureum/health')).status).toBe(200);
  });

  test('100 malformed requests at once', async () => {
    const rng = prng(SEED + 1);
    const port = ctx.g.port;
    const reqs = Array.from({ length: 100 }, (_, i): Req => ({ method: 'POST', path: i % 2 ? '/' : '/service/GraniteServiceVersion20100801/operation/PutMetricData', headers: i % 2 ? { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': 'AmazonSQS.SendMessage', Authorization: sig('sqs') } : { 'smithy-protocol': 'rpc-v2-cbor', 'Content-Type': 'application/cbor', Authorization: sig('monitoring') }, body: rng.bytes(1 + rng.int(200)) }));
    const res = await Promise.all(reqs.map((r) => rawRequest(port, encodeRequest(port, r))));
    for (const r of res) expect(r.status).toBeGreaterThanOrEqual(400);
    for (const r of res) expect(r.status).toBeLessThan(500);
  });
});

describe('after the fuzz', () => {
  test('the server is up', async () => {
    const r = await raw(ctx.g, '/_gureum/health');
    expect(r.status).toBe(200);
  });

  test('nothing was polluted', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as unknown as Record<string, unknown>).polluted).toBeUndefined();
  });

  test('data stored before the fuzz is intact', async () => {
    const g = ctx.g;
    if (built('sqs')) {
      const sqs = new SQSClient(clientConfig(g));
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: stored.queueUrl.replace('fuzz-q', 'fuzz-keep'), MaxNumberOfMessages: 10 }));
      expect(r.Messages?.map((m) => m.Body)).toEqual([stored.body]);
    }
    if (built('s3')) {
      const s3 = new S3Client(clientConfig(g, { forcePathStyle: true }));
      const r = await s3.send(new GetObjectCommand({ Bucket: 'fuzz-bucket', Key: 'obj' }));
      expect(Buffer.from(await r.Body!.transformToByteArray()).equals(stored.objectBytes)).toBe(true);
      expect(r.ETag).toBe(stored.etag);
    }
    if (built('dynamodb')) {
      const ddb = new DynamoDBClient(clientConfig(g));
      const r = await ddb.send(new GetItemCommand({ TableName: 'fuzz-table', Key: { pk: { S: 'keep' } } }));
      expect(r.Item).toEqual(stored.item);
    }
  });
});
