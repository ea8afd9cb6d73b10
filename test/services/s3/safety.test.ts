// covers: s3.CreateBucket s3.PutObject s3.GetObject s3.ListObjectsV2
/**
 * Safety: keys and bucket names are names, never paths — `..`, `%2e%2e`, absolute paths, NUL
 * and backslashes cannot put a byte outside the data directory (object bytes live in blob files
 * named by random ids); and memory stays flat while 1 GiB streams in and out through SDK v3.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { startGureum, type Gureum } from '../../../src/index.js';
import { clientConfig } from '../../helpers.js';

const root = mkdtempSync(join(tmpdir(), 'gureum-s3-safety-'));
const dataDir = join(root, 'data');
const outside = join(root, 'outside');
let g: Gureum;
let s3: S3Client;
const Bucket = 'safety-bucket';
const SIGNED = 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00';

beforeAll(async () => {
  mkdirSync(outside);
  g = await startGureum({ dataDir });
  s3 = new S3Client(clientConfig(g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
});
afterAll(async () => {
  await g?.stop();
  rmSync(root, { recursive: true, force: true });
});

/** Every file under a directory, relative to it. */
function files(d: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) out.push(...files(p).map((f) => join(e.name, f)));
    else out.push(e.name);
  }
  return out;
}

/** A raw request with the path exactly as given (no client normalisation). */
function raw(method: string, path: string, body?: Buffer): Promise<{ status: number; text: string }> {
  const port = Number(new URL(g.endpoint).port);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { authorization: SIGNED, ...(body ? { 'content-length': body.length } : {}) } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject).end(body);
  });
}

describe('keys and bucket names never become paths', () => {
  const keys = [
    '../../outside/escaped.txt', '../outside/escape2', 'a/../../../outside/x', '..', '.', '/absolute/etc/passwd', `${outside}/absolute-escape`,
    '%2e%2e/%2e%2e/outside/y', '..%2f..%2foutside%2fz', 'nul\u0000byte/../x', '..\\..\\outside\\win', '~/.ssh/authorized_keys',
  ];

  it('stores and answers each such key as a plain name, writing nothing outside the data directory', async () => {
    // small bodies stay in the storage engine; large ones become blob files
    const bodies = new Map(keys.map((k, i) => [k, randomBytes(i % 2 ? 100 : 200_000)]));
    for (const [Key, Body] of bodies) await s3.send(new PutObjectCommand({ Bucket, Key, Body }));
    for (const [Key, Body] of bodies) {
      const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
      expect(got.equals(Body), Key).toBe(true);
    }
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket }))).Contents!.map((o) => o.Key);
    expect(new Set(listed)).toEqual(new Set(keys));
    // raw paths with dot segments, encoded dots and an encoded NUL: the key is the segments as sent
    expect((await raw('PUT', `/${Bucket}/../../outside/raw.txt`, Buffer.from('raw'))).status).toBe(200);
    expect((await raw('PUT', `/${Bucket}/%2e%2e/%2E%2E/outside/raw2.txt`, Buffer.from('raw2'))).status).toBe(200);
    expect((await raw('PUT', `/${Bucket}/nul%00/raw3.txt`, Buffer.from('raw3'))).status).toBe(200);
    expect((await raw('GET', `/${Bucket}/../../outside/raw.txt`)).text).toBe('raw');
    expect((await raw('GET', `/${Bucket}/../../outside/raw2.txt`)).text).toBe('raw2');

    // nothing outside the data directory; inside it, object bytes only under random blob ids
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(['data', 'outside']);
    const blobDir = join(dataDir, 'blobs', 's3');
    const blobFiles = files(blobDir);
    expect(blobFiles.length).toBeGreaterThanOrEqual(6);
    for (const f of blobFiles) expect(f).toMatch(/^(tmp\/)?[0-9a-f]{2}\/[0-9a-f]{32}$|^tmp\/[0-9a-f]{32}$/);
    for (const f of files(dataDir)) expect(relative(dataDir, join(dataDir, f)).startsWith('..')).toBe(false);
  });

  it('refuses bucket names that are dot segments, encoded dots or NUL', async () => {
    for (const name of ['..', '%2e%2e', '.', 'a%00b', '%2F..%2F..']) {
      const r = await raw('PUT', `/${name}`);
      expect(r.status, name).toBe(400);
      expect(r.text, name).toContain('<Code>InvalidBucketName</Code>');
    }
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(['data', 'outside']);
  });
});

describe('memory', () => {
  it('stays flat on a 1 GiB streamed PUT and GET through SDK v3', async () => {
    const GiB = 1024 ** 3;
    const chunk = randomBytes(1024 * 1024);
    const bodyHash = createHash('md5');
    let sent = 0;
    const body = new Readable({
      read() {
        if (sent >= GiB) return void this.push(null);
        sent += chunk.length;
        bodyHash.update(chunk);
        this.push(chunk);
      },
    });
    global.gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      await s3.send(new PutObjectCommand({ Bucket, Key: 'big/one-gib.bin', Body: body, ContentLength: GiB }));
      const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'big/one-gib.bin' }));
      expect(got.ContentLength).toBe(GiB);
      const readHash = createHash('md5');
      let received = 0;
      for await (const c of got.Body as Readable) {
        readHash.update(c as Buffer);
        received += (c as Buffer).length;
      }
      expect(received).toBe(GiB);
      expect(readHash.digest('hex')).toBe(bodyHash.digest('hex'));
    } finally {
      clearInterval(sampler);
    }
    const growthMiB = (peak - base) / 1024 / 1024;
    // a correctness bound (the object is 1,024 MiB), not a timing
    expect(growthMiB).toBeLessThan(200);
    const blobBytes = files(join(dataDir, 'blobs', 's3')).reduce((n, f) => n + statSync(join(dataDir, 'blobs', 's3', f)).size, 0);
    expect(blobBytes).toBeGreaterThanOrEqual(GiB);
  }, 600_000);
});
