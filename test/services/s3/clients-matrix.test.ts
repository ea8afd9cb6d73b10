// covers: s3.CreateBucket s3.DeleteBucket s3.ListBuckets s3.PutObject s3.GetObject s3.HeadObject s3.CopyObject s3.DeleteObject s3.DeleteObjects s3.ListObjectsV2 s3.CreateMultipartUpload s3.UploadPart s3.UploadPartCopy s3.CompleteMultipartUpload s3.PutBucketWebsite s3.GetBucketWebsite s3.PutBucketPolicy s3.DeletePublicAccessBlock
/**
 * The client matrix: what people run against S3 — the AWS CLI's high-level `aws s3` commands
 * (cp single and recursive with storage class, SSE and metadata; sync both ways with --delete;
 * ls; mv; rm --recursive; presign; website; mb / rb --force), SDK v3's lib-storage Upload in
 * path style and virtual-host style (`<bucket>.localhost`), and boto3's managed multipart copy.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Agent, request } from 'node:http';
import {
  S3Client, HeadObjectCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, GetBucketWebsiteCommand, PutBucketPolicyCommand,
  DeletePublicAccessBlockCommand, CreateBucketCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const h = useGureum();
let s3: S3Client;
let dir: string;
const MiB = 1024 * 1024;
const md5 = (b: Buffer | string) => createHash('md5').update(b).digest('hex');

/** `aws <args>` that must succeed; answers its stdout. */
async function aws(...args: string[]): Promise<string> {
  const r = await awsCli(h.g, args);
  expect(r.status, `aws ${args.join(' ')}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

/** Files under a local directory: relative path → MD5. */
function tree(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(root, p)] = md5(readFileSync(p));
    }
  };
  walk(root);
  return out;
}

/** Objects of a bucket (under a prefix): key → MD5 of the bytes. */
async function objects(Bucket: string, Prefix = ''): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix, ContinuationToken }));
    for (const o of page.Contents ?? []) {
      const body = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key: o.Key! }))).Body!.transformToByteArray());
      out[o.Key!.slice(Prefix.length)] = md5(body);
    }
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return out;
}

/**
 * Writes a local file dated a few seconds back: `aws s3 sync` uploads files newer than the
 * objects' LastModified, which (as in S3) has whole-second precision — a file written and
 * uploaded within the same second would look newer than its object.
 */
function write(path: string, body: Buffer | string): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, body);
  const past = new Date(Date.now() - 10_000);
  utimesSync(path, past, past);
}

beforeAll(() => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  dir = mkdtempSync(join(tmpdir(), 'gureum-s3-matrix-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!HAS_AWS_CLI)('aws s3 (the CLI\'s high-level commands)', () => {
  const B = 'matrix-cli';

  it('mb, then ls lists the bucket', async () => {
    expect(await aws('s3', 'mb', `s3://${B}`)).toContain(`make_bucket: ${B}`);
    expect(await aws('s3', 'ls')).toMatch(new RegExp(`\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ${B}\\n`));
  });

  it('cp a single file up with --storage-class, --sse and metadata, and back down', async () => {
    const body = randomBytes(3000);
    write(join(dir, 'one', 'report.txt'), body);
    const up = await aws('s3', 'cp', join(dir, 'one', 'report.txt'), `s3://${B}/single/report.txt`,
      '--storage-class', 'STANDARD_IA', '--sse', 'AES256', '--metadata', 'owner=alice,team=data', '--content-type', 'text/plain', '--cache-control', 'max-age=60');
    expect(up).toContain(`upload: `);
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'single/report.txt' }));
    expect(head).toMatchObject({ StorageClass: 'STANDARD_IA', ServerSideEncryption: 'AES256', Metadata: { owner: 'alice', team: 'data' }, ContentType: 'text/plain', CacheControl: 'max-age=60', ContentLength: 3000 });
    // SSE-KMS with the AWS managed key
    await aws('s3', 'cp', join(dir, 'one', 'report.txt'), `s3://${B}/single/kms.txt`, '--sse', 'aws:kms');
    const kms = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'single/kms.txt' }));
    expect(kms.ServerSideEncryption).toBe('aws:kms');
    expect(kms.SSEKMSKeyId).toMatch(/^arn:aws:kms:us-east-1:000000000000:key\//);
    await aws('s3', 'cp', `s3://${B}/single/report.txt`, join(dir, 'one', 'down.txt'));
    expect(readFileSync(join(dir, 'one', 'down.txt')).equals(body)).toBe(true);
    // copy within S3 keeps the metadata
    await aws('s3', 'cp', `s3://${B}/single/report.txt`, `s3://${B}/single/copy.txt`);
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'single/copy.txt' }))).Metadata).toEqual({ owner: 'alice', team: 'data' });
  });

  it('cp --recursive up (one file multipart) and down; ls prefixes, --recursive --human-readable --summarize', async () => {
    const src = join(dir, 'tree');
    write(join(src, 'a.txt'), 'alpha');
    write(join(src, 'sub', 'b.txt'), 'bravo!');
    write(join(src, 'sub', 'deeper', 'big.bin'), randomBytes(9 * MiB));
    write(join(src, 'sub', 'spaced name + plus.txt'), 'charlie');
    const out = await aws('s3', 'cp', src, `s3://${B}/tree/`, '--recursive', '--storage-class', 'STANDARD_IA');
    expect(out.match(/upload: /g)).toHaveLength(4);
    expect(await objects(B, 'tree/')).toEqual(tree(src));
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'tree/sub/deeper/big.bin' }))).ETag).toMatch(/-2"$/);
    expect((await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'tree/a.txt' }))).StorageClass).toBe('STANDARD_IA');

    const top = await aws('s3', 'ls', `s3://${B}/tree/`);
    expect(top).toMatch(/^\s+PRE sub\/$/m);
    expect(top).toMatch(/ 5 a\.txt$/m);
    const sub = await aws('s3', 'ls', `s3://${B}/tree/sub/`);
    expect(sub).toMatch(/^\s+PRE deeper\/$/m);
    expect(sub).toMatch(/ 7 spaced name \+ plus\.txt$/m);
    const summary = await aws('s3', 'ls', `s3://${B}/tree/`, '--recursive', '--human-readable', '--summarize');
    expect(summary).toMatch(/9\.0 MiB tree\/sub\/deeper\/big\.bin/);
    expect(summary).toMatch(/5 Bytes tree\/a\.txt/);
    expect(summary).toMatch(/Total Objects: 4/);
    expect(summary).toMatch(/Total Size: 9\.0 MiB/);

    const dest = join(dir, 'tree-down');
    await aws('s3', 'cp', `s3://${B}/tree/`, dest, '--recursive');
    expect(tree(dest)).toEqual(tree(src));
  });

  it('sync up with --delete, then a second sync copies nothing', async () => {
    const local = join(dir, 'site');
    write(join(local, 'index.html'), '<h1>v1</h1>');
    write(join(local, 'css', 'main.css'), 'body{}');
    write(join(local, 'old.txt'), 'old');
    let out = await aws('s3', 'sync', local, `s3://${B}/site/`);
    expect(out.match(/upload: /g)).toHaveLength(3);
    // change one file (size), remove one, add one
    write(join(local, 'index.html'), '<h1>version 2</h1>');
    rmSync(join(local, 'old.txt'));
    write(join(local, 'js', 'app.js'), 'go()');
    out = await aws('s3', 'sync', local, `s3://${B}/site/`, '--delete');
    expect(out).toMatch(/upload: .*index\.html to s3:\/\/matrix-cli\/site\/index\.html/);
    expect(out).toMatch(/upload: .*app\.js/);
    expect(out).toMatch(/delete: s3:\/\/matrix-cli\/site\/old\.txt/);
    expect(out).not.toMatch(/main\.css/);
    expect(await objects(B, 'site/')).toEqual(tree(local));
    expect(await aws('s3', 'sync', local, `s3://${B}/site/`, '--delete')).toBe('');
  });

  it('sync down with --delete, then a second sync copies nothing', async () => {
    const local = join(dir, 'site-down');
    let out = await aws('s3', 'sync', `s3://${B}/site/`, local);
    expect(out.match(/download: /g)).toHaveLength(3);
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'site/new/page.html', Body: 'new page' }));
    write(join(local, 'stray.txt'), 'not in the bucket');
    out = await aws('s3', 'sync', `s3://${B}/site/`, local, '--delete');
    expect(out).toMatch(/download: s3:\/\/matrix-cli\/site\/new\/page\.html/);
    expect(out).toMatch(/delete: .*stray\.txt/);
    expect(tree(local)).toEqual(await objects(B, 'site/'));
    // downloads got the objects' LastModified as their mtime: nothing differs
    const head = await s3.send(new HeadObjectCommand({ Bucket: B, Key: 'site/index.html' }));
    expect(Math.floor(statSync(join(local, 'index.html')).mtimeMs / 1000)).toBe(head.LastModified!.getTime() / 1000);
    expect(await aws('s3', 'sync', `s3://${B}/site/`, local, '--delete')).toBe('');
  });

  it('mv local → S3, S3 → S3, S3 → local', async () => {
    const f = join(dir, 'move-me.txt');
    write(f, 'moving');
    await aws('s3', 'mv', f, `s3://${B}/moved/a.txt`);
    expect(existsSync(f)).toBe(false);
    await aws('s3', 'mv', `s3://${B}/moved/a.txt`, `s3://${B}/moved/b.txt`);
    expect(Object.keys(await objects(B, 'moved/'))).toEqual(['b.txt']);
    await aws('s3', 'mv', `s3://${B}/moved/b.txt`, f);
    expect(readFileSync(f, 'utf8')).toBe('moving');
    expect(await objects(B, 'moved/')).toEqual({});
  });

  it('rm --recursive removes a prefix only', async () => {
    const out = await aws('s3', 'rm', `s3://${B}/tree/`, '--recursive');
    expect(out.match(/delete: /g)).toHaveLength(4);
    expect(await objects(B, 'tree/')).toEqual({});
    expect(Object.keys(await objects(B, 'site/')).length).toBeGreaterThan(0);
  });

  it('presign, then fetch the URL without credentials', async () => {
    const url = (await aws('s3', 'presign', `s3://${B}/single/report.txt`, '--expires-in', '300')).trim();
    expect(url).toContain('single/report.txt');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).length).toBe(3000);
    // the same URL without its signature is an anonymous request: denied
    expect((await fetch(url.split('?')[0]!)).status).toBe(403);
  });

  it('website configures index and error documents served by the website endpoint', async () => {
    await aws('s3', 'website', `s3://${B}/`, '--index-document', 'index.html', '--error-document', 'error.html');
    const site = await s3.send(new GetBucketWebsiteCommand({ Bucket: B }));
    expect(site.IndexDocument).toEqual({ Suffix: 'index.html' });
    expect(site.ErrorDocument).toEqual({ Key: 'error.html' });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: B }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: B, Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${B}/*` }] }) }));
    const port = Number(new URL(h.g.endpoint).port);
    const page = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      request({ host: '127.0.0.1', port, path: '/site/', headers: { host: `${B}.s3-website-us-east-1.localhost:${port}` } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode!, text }));
      }).on('error', reject).end();
    });
    expect(page).toEqual({ status: 200, text: '<h1>version 2</h1>' });
  });

  it('rb --force empties and removes the bucket', async () => {
    const out = await aws('s3', 'rb', `s3://${B}`, '--force');
    expect(out).toContain(`remove_bucket: ${B}`);
    expect(await aws('s3', 'ls')).not.toContain(B);
  });
});

describe('SDK v3 lib-storage Upload above the part size', () => {
  const body = randomBytes(12 * MiB + 123);

  it('path style', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'matrix-sdk' }));
    const up = new Upload({ client: s3, params: { Bucket: 'matrix-sdk', Key: 'path/style.bin', Body: body }, partSize: 5 * MiB });
    const out = await up.done();
    expect(out.ETag).toMatch(/-3"$/);
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'matrix-sdk', Key: 'path/style.bin' }))).Body!.transformToByteArray());
    expect(md5(got)).toBe(md5(body));
  });

  it('virtual-host style (<bucket>.localhost)', async () => {
    const port = new URL(h.g.endpoint).port;
    // *.localhost names resolve to 127.0.0.1 (RFC 6761); not every resolver does it, so say so here
    const agent = new Agent({ keepAlive: true, lookup: ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) => (opts?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as never });
    const vhost = new S3Client(clientConfig(h.g, { endpoint: `http://localhost:${port}`, forcePathStyle: false, requestHandler: new NodeHttpHandler({ httpAgent: agent }) }));
    const hosts = new Set<string>();
    vhost.middlewareStack.add((next) => async (args) => {
      hosts.add((args.request as { hostname: string }).hostname);
      return next(args);
    }, { step: 'finalizeRequest' });
    const up = new Upload({ client: vhost, params: { Bucket: 'matrix-sdk', Key: 'virtual/host.bin', Body: body, ContentType: 'application/x-test' }, partSize: 5 * MiB, queueSize: 3 });
    const out = await up.done();
    expect(out.ETag).toMatch(/-3"$/);
    expect([...hosts]).toEqual(['matrix-sdk.localhost']);
    const got = await vhost.send(new GetObjectCommand({ Bucket: 'matrix-sdk', Key: 'virtual/host.bin' }));
    expect(got.ContentType).toBe('application/x-test');
    expect(md5(Buffer.from(await got.Body!.transformToByteArray()))).toBe(md5(body));
    agent.destroy();
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3 managed copy', () => {
  it('copies a 12 MiB object in parts (UploadPartCopy) and keeps its bytes', async () => {
    const body = randomBytes(12 * MiB);
    await s3.send(new CreateBucketCommand({ Bucket: 'matrix-boto' }));
    await s3.send(new PutObjectCommand({ Bucket: 'matrix-boto', Key: 'src.bin', Body: body }));
    const r = await boto3(h.g, `
from boto3.s3.transfer import TransferConfig
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
cfg = TransferConfig(multipart_threshold=5 * 1024 * 1024, multipart_chunksize=5 * 1024 * 1024)
s3.copy({'Bucket': 'matrix-boto', 'Key': 'src.bin'}, 'matrix-boto', 'dst.bin', Config=cfg)
head = s3.head_object(Bucket='matrix-boto', Key='dst.bin')
print(json.dumps({'etag': head['ETag'], 'size': head['ContentLength']}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ size: 12 * MiB });
    expect((r.json as { etag: string }).etag).toMatch(/-3"$/);
    const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: 'matrix-boto', Key: 'dst.bin' }))).Body!.transformToByteArray());
    expect(md5(got)).toBe(md5(body));
  });
});
