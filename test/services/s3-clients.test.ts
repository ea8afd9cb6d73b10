// covers: s3.CreateBucket s3.ListBuckets s3.PutObject s3.GetObject s3.HeadObject s3.ListObjectsV2 s3.DeleteObject s3.DeleteBucket s3.HeadBucket
/**
 * S3 through the AWS CLI (v1), boto3, and virtual-host addressing (SDK v3 with a custom
 * endpoint resolved to 127.0.0.1 without DNS, and raw HTTP with a Host header).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'node:http';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, ListBucketsCommand } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const h = useGureum();
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gureum-s3-clients-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The AWS CLI with a config file (the shared helper points AWS_CONFIG_FILE at /dev/null). Async: gureum runs in this process. */
function cliWithConfig(config: string, args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  const file = join(dir, 'aws-config');
  writeFileSync(file, config);
  return new Promise((resolve) => {
    const child = spawn('aws', ['--endpoint-url', h.g.endpoint, '--output', 'json', ...args], {
      timeout: 120_000,
      env: { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: '/dev/null', AWS_PAGER: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ status: code ?? -1, stdout, stderr }));
  });
}

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('mb, cp up (1 KiB, 9 MiB), ls, cp down, get-object --range, rm, rb', async () => {
    const small = randomBytes(1024);
    const big = randomBytes(9 * 1024 * 1024);
    writeFileSync(join(dir, 'small.bin'), small);
    writeFileSync(join(dir, 'big.bin'), big);

    let r = await awsCli(h.g, ['s3', 'mb', 's3://cli-bucket']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('make_bucket: cli-bucket');

    r = await awsCli(h.g, ['s3', 'cp', join(dir, 'small.bin'), 's3://cli-bucket/dir/small.bin']);
    expect(r.status, r.stderr).toBe(0);
    // Default settings: the CLI uploads the 9 MiB file in parts (multipart above 8 MiB).
    const up = await awsCli(h.g, ['s3', 'cp', join(dir, 'big.bin'), 's3://cli-bucket/big.bin']);
    expect(up.status, up.stderr).toBe(0);

    r = await awsCli(h.g, ['s3', 'ls', 's3://cli-bucket', '--recursive']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\s1024 dir\/small\.bin/);
    expect(r.stdout).toMatch(new RegExp(`\\s${big.length} big\\.bin`));
    r = await awsCli(h.g, ['s3', 'ls']);
    expect(r.stdout).toContain('cli-bucket');

    // Download with the default config: above 8 MiB the CLI fetches concurrent ranges.
    r = await awsCli(h.g, ['s3', 'cp', 's3://cli-bucket/big.bin', join(dir, 'big.down')]);
    expect(r.status, r.stderr).toBe(0);
    expect(sha256(readFileSync(join(dir, 'big.down')))).toBe(sha256(big));
    r = await awsCli(h.g, ['s3', 'cp', 's3://cli-bucket/dir/small.bin', join(dir, 'small.down')]);
    expect(readFileSync(join(dir, 'small.down')).equals(small)).toBe(true);

    r = await awsCli(h.g, ['s3api', 'get-object', '--bucket', 'cli-bucket', '--key', 'big.bin', '--range', 'bytes=100-199', join(dir, 'range.out')]);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as { ContentRange: string; ContentLength: number; ETag: string };
    expect(out.ContentRange).toBe(`bytes 100-199/${big.length}`);
    expect(out.ContentLength).toBe(100);
    // 9 MiB in the CLI's 8 MiB parts: the multipart ETag "<md5 of the part MD5s>-2"
    const partMd5 = (b: Buffer) => createHash('md5').update(b).digest();
    const mib8 = 8 * 1024 * 1024;
    expect(out.ETag).toBe(`"${createHash('md5').update(Buffer.concat([partMd5(big.subarray(0, mib8)), partMd5(big.subarray(mib8))])).digest('hex')}-2"`);
    expect(readFileSync(join(dir, 'range.out')).equals(big.subarray(100, 200))).toBe(true);

    r = await awsCli(h.g, ['s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'missing']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('404');

    r = await awsCli(h.g, ['s3', 'rb', 's3://cli-bucket']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('BucketNotEmpty');
    r = await awsCli(h.g, ['s3', 'rm', 's3://cli-bucket', '--recursive']);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3', 'rb', 's3://cli-bucket']);
    expect(r.status, r.stderr).toBe(0);
    expect(statSync(join(dir, 'big.down')).size).toBe(big.length);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('put_object, get_object (whole and ranged), list_objects_v2, errors', async () => {
    const r = await boto3(h.g, `
import hashlib
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.create_bucket(Bucket='boto-bucket')
out = {}
body = b'hello from boto3' * 100
p = s3.put_object(Bucket='boto-bucket', Key='k/one.txt', Body=body, Metadata={'kind': 'test'}, ContentType='text/plain')
out['etag'] = p['ETag']
s3.put_object(Bucket='boto-bucket', Key='k/two.txt', Body=b'2')
s3.put_object(Bucket='boto-bucket', Key='ñ unicode.txt', Body=b'3')
g = s3.get_object(Bucket='boto-bucket', Key='k/one.txt')
out['same'] = g['Body'].read() == body
out['meta'] = g['Metadata']
out['ctype'] = g['ContentType']
rg = s3.get_object(Bucket='boto-bucket', Key='k/one.txt', Range='bytes=0-4')
out['range'] = [rg['ContentRange'], rg['Body'].read().decode(), rg['ResponseMetadata']['HTTPStatusCode']]
l = s3.list_objects_v2(Bucket='boto-bucket', Delimiter='/')
out['prefixes'] = [c['Prefix'] for c in l.get('CommonPrefixes', [])]
out['keys'] = [c['Key'] for c in l.get('Contents', [])]
l2 = s3.list_objects_v2(Bucket='boto-bucket', Prefix='k/', MaxKeys=1)
out['page'] = [l2['KeyCount'], l2['IsTruncated'], [c['Key'] for c in l2['Contents']]]
l3 = s3.list_objects_v2(Bucket='boto-bucket', Prefix='k/', MaxKeys=1, ContinuationToken=l2['NextContinuationToken'])
out['page2'] = [c['Key'] for c in l3['Contents']]
try:
    s3.get_object(Bucket='boto-bucket', Key='nope')
except s3.exceptions.NoSuchKey as e:
    out['nokey'] = e.response['Error']['Code']
try:
    s3.get_object(Bucket='boto-bucket', Key='k/two.txt', Range='bytes=10-20')
except Exception as e:
    out['range416'] = [e.response['Error']['Code'], e.response['ResponseMetadata']['HTTPStatusCode']]
print(json.dumps(out))
`);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as Record<string, unknown>;
    expect(out.etag).toBe(`"${createHash('md5').update(Buffer.from('hello from boto3'.repeat(100))).digest('hex')}"`);
    expect(out.same).toBe(true);
    expect(out.meta).toEqual({ kind: 'test' });
    expect(out.ctype).toBe('text/plain');
    expect(out.range).toEqual(['bytes 0-4/1600', 'hello', 206]);
    expect(out.prefixes).toEqual(['k/']);
    expect(out.keys).toEqual(['ñ unicode.txt']);
    expect(out.page).toEqual([1, true, ['k/one.txt']]);
    expect(out.page2).toEqual(['k/two.txt']);
    expect(out.nokey).toBe('NoSuchKey');
    expect(out.range416).toEqual(['InvalidRange', 416]);
  });
});

describe('virtual-host style', () => {
  it('works through SDK v3 with <bucket>.s3.localhost.localstack.cloud resolved locally', async () => {
    const port = new URL(h.g.endpoint).port;
    // Resolve every name to 127.0.0.1 so the virtual host needs no DNS.
    const agent = new Agent({ lookup: ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => (opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as never });
    const c = new S3Client(clientConfig(h.g, { endpoint: `http://s3.localhost.localstack.cloud:${port}`, forcePathStyle: false, requestHandler: new NodeHttpHandler({ httpAgent: agent }) }));
    const seenHosts: string[] = [];
    c.middlewareStack.add((next) => async (args) => {
      seenHosts.push((args.request as { hostname: string }).hostname);
      return next(args);
    }, { step: 'finalizeRequest' });
    await c.send(new CreateBucketCommand({ Bucket: 'vhost-bucket' }));
    await c.send(new PutObjectCommand({ Bucket: 'vhost-bucket', Key: 'nested/key.txt', Body: 'virtual' }));
    const got = await c.send(new GetObjectCommand({ Bucket: 'vhost-bucket', Key: 'nested/key.txt' }));
    expect(await got.Body!.transformToString()).toBe('virtual');
    const list = await c.send(new ListObjectsV2Command({ Bucket: 'vhost-bucket' }));
    expect(list.Contents!.map((o) => o.Key)).toEqual(['nested/key.txt']);
    expect((await c.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toContain('vhost-bucket');
    expect(seenHosts).toContain('vhost-bucket.s3.localhost.localstack.cloud');
    agent.destroy();
  });

  it('works over raw HTTP with Host: <bucket>.s3.localhost.localstack.cloud and <bucket>.localhost', async () => {
    // signed (unverified, as gureum accepts any key): anonymous requests are denied without a public grant
    const SIGNED = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';
    const port = Number(new URL(h.g.endpoint).port);
    const send = (method: string, host: string, path: string, body?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, method, path, headers: { host, authorization: SIGNED, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString() }));
        });
        req.on('error', reject);
        req.end(body);
      });
    const vhost = `raw-vhost.s3.localhost.localstack.cloud:${port}`;
    expect((await send('PUT', vhost, '/')).status).toBe(200);
    const put = await send('PUT', vhost, '/hello%20world.txt', 'raw body');
    expect(put.status).toBe(200);
    expect(put.headers.etag).toBe(`"${createHash('md5').update('raw body').digest('hex')}"`);
    const get = await send('GET', `raw-vhost.localhost:${port}`, '/hello%20world.txt');
    expect(get.status).toBe(200);
    expect(get.text).toBe('raw body');
    const list = await send('GET', vhost, '/?list-type=2');
    expect(list.text).toContain('<Key>hello world.txt</Key>');
    expect(list.text).toContain('<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">');
    const v1 = await send('GET', vhost, '/');
    expect(v1.text).toContain('<Marker></Marker>');
    const missing = await send('GET', `no-such-raw.s3.localhost.localstack.cloud:${port}`, '/key');
    expect(missing.status).toBe(404);
    expect(missing.text).toContain('<Code>NoSuchBucket</Code>');
  });
});
