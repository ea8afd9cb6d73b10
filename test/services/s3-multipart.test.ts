// covers: s3.CreateMultipartUpload s3.UploadPart s3.UploadPartCopy s3.CompleteMultipartUpload s3.AbortMultipartUpload s3.ListParts s3.ListMultipartUploads s3.GetObject s3.HeadObject
/** Multipart uploads through SDK v3 (commands and lib-storage Upload), the AWS CLI and boto3. */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  S3Client, CreateBucketCommand, CreateMultipartUploadCommand, UploadPartCommand, UploadPartCopyCommand, CompleteMultipartUploadCommand,
  AbortMultipartUploadCommand, ListPartsCommand, ListMultipartUploadsCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const h = useGureum();
let s3: S3Client;
let dir: string;
const MiB = 1024 * 1024;
const md5 = (b: Buffer) => createHash('md5').update(b).digest();
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const Bucket = 'mpu-bucket';

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
  dir = mkdtempSync(join(tmpdir(), 'gureum-s3-mpu-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; [k: string]: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; $metadata?: { httpStatusCode?: number } };
    return { ...(e as object), name: err.name, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

describe('multipart with SDK v3 commands', () => {
  it('creates, uploads parts, lists, completes with AWS ETag; reads whole, ranges and parts', async () => {
    const p1 = randomBytes(5 * MiB), p2 = randomBytes(5 * MiB), p3 = randomBytes(1234);
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'a/big.bin', ContentType: 'text/x-big', Metadata: { m: '1' } }));
    expect(UploadId).toBeTruthy();
    const etags: string[] = [];
    for (const [i, body] of [p1, p2, p3].entries()) {
      const r = await s3.send(new UploadPartCommand({ Bucket, Key: 'a/big.bin', UploadId, PartNumber: i + 1, Body: body }));
      expect(r.ETag).toBe(`"${md5(body).toString('hex')}"`);
      etags.push(r.ETag!);
    }
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['a/big.bin', UploadId]]);
    const parts = await s3.send(new ListPartsCommand({ Bucket, Key: 'a/big.bin', UploadId, MaxParts: 2 }));
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size, p.ETag])).toEqual([[1, 5 * MiB, etags[0]], [2, 5 * MiB, etags[1]]]);
    expect(parts.IsTruncated).toBe(true);
    expect(parts.NextPartNumberMarker).toBe('2');
    const rest = await s3.send(new ListPartsCommand({ Bucket, Key: 'a/big.bin', UploadId, PartNumberMarker: '2' }));
    expect(rest.Parts?.map((p) => p.PartNumber)).toEqual([3]);

    const done = await s3.send(new CompleteMultipartUploadCommand({
      Bucket, Key: 'a/big.bin', UploadId, MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
    }));
    const expected = `"${createHash('md5').update(Buffer.concat([md5(p1), md5(p2), md5(p3)])).digest('hex')}-3"`;
    expect(done.ETag).toBe(expected);
    expect(done.Key).toBe('a/big.bin');
    expect(done.Bucket).toBe(Bucket);

    const all = Buffer.concat([p1, p2, p3]);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/big.bin' }));
    expect(got.ETag).toBe(expected);
    expect(got.ContentType).toBe('text/x-big');
    expect(got.Metadata).toEqual({ m: '1' });
    expect(sha(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha(all));
    // a range across the part boundary
    const r = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/big.bin', Range: `bytes=${5 * MiB - 10}-${5 * MiB + 9}` }));
    expect(Buffer.from(await r.Body!.transformToByteArray())).toEqual(all.subarray(5 * MiB - 10, 5 * MiB + 10));
    const part2 = await s3.send(new GetObjectCommand({ Bucket, Key: 'a/big.bin', PartNumber: 3 }));
    expect(part2.PartsCount).toBe(3);
    expect(part2.ContentRange).toBe(`bytes ${10 * MiB}-${10 * MiB + 1233}/${all.length}`);
    expect(Buffer.from(await part2.Body!.transformToByteArray())).toEqual(p3);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'a/big.bin', PartNumber: 1 }));
    expect(head.PartsCount).toBe(3);
    expect(head.ContentLength).toBe(5 * MiB);
    expect((await errorOf(s3.send(new HeadObjectCommand({ Bucket, Key: 'a/big.bin', PartNumber: 4 })))).status).toBe(416);
    // the upload is gone
    const gone = await errorOf(s3.send(new ListPartsCommand({ Bucket, Key: 'a/big.bin', UploadId })));
    expect(gone.name).toBe('NoSuchUpload');
    expect(gone.status).toBe(404);
  });

  it('refuses bad part lists: InvalidPartOrder, InvalidPart, EntityTooSmall, MalformedXML; part numbers 1–10000', async () => {
    const Key = 'bad.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const a = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.from('small part') }));
    const b = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 2, Body: Buffer.from('last') }));
    const order = await errorOf(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: b.ETag }, { PartNumber: 1, ETag: a.ETag }] } })));
    expect([order.name, order.status]).toEqual(['InvalidPartOrder', 400]);
    const wrong = await errorOf(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }] } })));
    expect([wrong.name, wrong.status]).toEqual(['InvalidPart', 400]);
    const missing = await errorOf(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 3, ETag: b.ETag }] } })));
    expect(missing.name).toBe('InvalidPart');
    const small = await errorOf(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: a.ETag }, { PartNumber: 2, ETag: b.ETag }] } })));
    expect([small.name, small.status, small.MinSizeAllowed, small.ProposedSize]).toEqual(['EntityTooSmall', 400, '5242880', '10']);
    const none = await errorOf(s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [] } })));
    expect(none.name).toBe('MalformedXML');
    for (const PartNumber of [0, 10001]) {
      const e = await errorOf(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body: Buffer.from('x') })));
      expect([e.name, e.status]).toEqual(['InvalidArgument', 400]);
    }
    await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 10000, Body: Buffer.from('x') }));
    // a single small last part completes
    const one = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 2, ETag: b.ETag }] } }));
    expect(one.ETag).toMatch(/-1"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(await got.Body!.transformToString()).toBe('last');
  });

  it('aborts; unknown uploads answer NoSuchUpload', async () => {
    const Key = 'aborted.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.from('x') }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    const e = await errorOf(s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: 1, Body: Buffer.from('x') })));
    expect([e.name, e.status, e.UploadId]).toEqual(['NoSuchUpload', 404, UploadId]);
    expect((await errorOf(s3.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId })))).name).toBe('NoSuchUpload');
    expect((await errorOf(s3.send(new GetObjectCommand({ Bucket, Key })))).name).toBe('NoSuchKey');
  });

  it('composite checksums: per-part CRC32, "<crc32 of part crc32s>-N" on Complete and GetObject', async () => {
    const Key = 'crc.bin';
    const p1 = randomBytes(5 * MiB), p2 = randomBytes(100);
    const c = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' }));
    expect([c.ChecksumAlgorithm, c.ChecksumType]).toEqual(['CRC32', 'COMPOSITE']);
    const parts = [];
    for (const [i, Body] of [p1, p2].entries()) {
      const r = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId: c.UploadId, PartNumber: i + 1, Body, ChecksumAlgorithm: 'CRC32' }));
      expect(r.ChecksumCRC32).toBeTruthy();
      parts.push({ PartNumber: i + 1, ETag: r.ETag, ChecksumCRC32: r.ChecksumCRC32 });
    }
    const lp = await s3.send(new ListPartsCommand({ Bucket, Key, UploadId: c.UploadId }));
    expect(lp.Parts?.map((p) => p.ChecksumCRC32)).toEqual(parts.map((p) => p.ChecksumCRC32));
    const done = await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId: c.UploadId, MultipartUpload: { Parts: parts } }));
    const { crc32 } = await import('node:zlib') as unknown as { crc32: (b: Uint8Array) => number };
    const raw = Buffer.concat(parts.map((p) => Buffer.from(p.ChecksumCRC32!, 'base64')));
    const want = Buffer.alloc(4);
    want.writeUInt32BE(crc32(raw));
    expect(done.ChecksumCRC32).toBe(`${want.toString('base64')}-2`);
    expect(done.ChecksumType).toBe('COMPOSITE');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key, ChecksumMode: 'ENABLED' }));
    expect([head.ChecksumCRC32, head.ChecksumType]).toEqual([`${want.toString('base64')}-2`, 'COMPOSITE']);
  });

  it('UploadPartCopy copies a range of an object into a part', async () => {
    const src = randomBytes(6 * MiB);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src.bin', Body: src }));
    const Key = 'copied.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key }));
    const c1 = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 1, CopySource: `${Bucket}/src.bin`, CopySourceRange: `bytes=0-${5 * MiB - 1}` }));
    expect(c1.CopyPartResult?.ETag).toBe(`"${md5(src.subarray(0, 5 * MiB)).toString('hex')}"`);
    const c2 = await s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 2, CopySource: `/${Bucket}/src.bin` }));
    const bad = await errorOf(s3.send(new UploadPartCopyCommand({ Bucket, Key, UploadId, PartNumber: 3, CopySource: `${Bucket}/src.bin`, CopySourceRange: `bytes=0-${7 * MiB}` })));
    expect([bad.name, bad.status]).toEqual(['InvalidArgument', 400]);
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: c1.CopyPartResult!.ETag }, { PartNumber: 2, ETag: c2.CopyPartResult!.ETag }] } }));
    const got = await s3.send(new GetObjectCommand({ Bucket, Key }));
    expect(sha(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha(Buffer.concat([src.subarray(0, 5 * MiB), src])));
  });
});

describe('lib-storage Upload', () => {
  it('uploads 17 MiB in parts and reads it back', async () => {
    const body = randomBytes(17 * MiB);
    const up = new Upload({ client: s3, params: { Bucket, Key: 'lib/storage.bin', Body: body }, partSize: 5 * MiB, queueSize: 4 });
    const r = await up.done();
    expect(r.ETag).toMatch(/-4"$/);
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'lib/storage.bin' }));
    expect(got.ContentLength).toBe(body.length);
    expect(sha(Buffer.from(await got.Body!.transformToByteArray()))).toBe(sha(body));
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('aws s3 cp of a 20 MiB file uses multipart with default settings', async () => {
    const big = randomBytes(20 * MiB);
    writeFileSync(join(dir, 'big20.bin'), big);
    let r = await awsCli(h.g, ['s3', 'cp', join(dir, 'big20.bin'), `s3://${Bucket}/cli/big20.bin`]);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3api', 'head-object', '--bucket', Bucket, '--key', 'cli/big20.bin']);
    expect(r.status, r.stderr).toBe(0);
    expect((r.json as { ETag: string; ContentLength: number }).ETag).toMatch(/-3"$/);
    expect((r.json as { ContentLength: number }).ContentLength).toBe(20 * MiB);
    r = await awsCli(h.g, ['s3', 'cp', `s3://${Bucket}/cli/big20.bin`, join(dir, 'back20.bin')]);
    expect(r.status, r.stderr).toBe(0);
    expect(sha(readFileSync(join(dir, 'back20.bin')))).toBe(sha(big));
    r = await awsCli(h.g, ['s3api', 'list-multipart-uploads', '--bucket', Bucket]);
    expect(r.status, r.stderr).toBe(0);
  }, 120_000);
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('upload_file above the multipart threshold, download_file', async () => {
    const big = randomBytes(12 * MiB);
    writeFileSync(join(dir, 'boto.bin'), big);
    const r = await boto3(h.g, `
from boto3.s3.transfer import TransferConfig
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
cfg = TransferConfig(multipart_threshold=8*1024*1024, multipart_chunksize=5*1024*1024)
s3.upload_file(${JSON.stringify(join(dir, 'boto.bin'))}, '${Bucket}', 'boto/big.bin', Config=cfg)
head = s3.head_object(Bucket='${Bucket}', Key='boto/big.bin', ChecksumMode='ENABLED')
s3.download_file('${Bucket}', 'boto/big.bin', ${JSON.stringify(join(dir, 'boto-back.bin'))})
print(json.dumps({'etag': head['ETag'], 'size': head['ContentLength'], 'type': head.get('ChecksumType')}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect((r.json as { etag: string }).etag).toMatch(/-3"$/);
    expect((r.json as { size: number }).size).toBe(12 * MiB);
    expect(sha(readFileSync(join(dir, 'boto-back.bin')))).toBe(sha(big));
  }, 120_000);
});
