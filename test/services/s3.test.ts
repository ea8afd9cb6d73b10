// covers: s3.CreateBucket s3.ListBuckets s3.HeadBucket s3.DeleteBucket s3.PutObject s3.GetObject s3.HeadObject s3.DeleteObject
import { describe, it, expect } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  S3Client, CreateBucketCommand, ListBucketsCommand, HeadBucketCommand, DeleteBucketCommand,
  PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, S3ServiceException,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig } from '../helpers.js';

const h = useGureum();
const s3 = (extra: Record<string, unknown> = {}) => new S3Client(clientConfig(h.g, { forcePathStyle: true, ...extra }));
const md5 = (b: Buffer | string) => `"${createHash('md5').update(b).digest('hex')}"`;

async function fails(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    return e as S3ServiceException;
  }
  throw new Error('expected the call to fail');
}

describe('buckets', () => {
  it('creates, lists, heads and deletes a bucket', async () => {
    const c = s3();
    const created = await c.send(new CreateBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(created.Location).toBe('/alpha-bucket');
    const head = await c.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' }));
    expect(head.BucketRegion).toBe('us-east-1');
    const list = await c.send(new ListBucketsCommand({}));
    const mine = list.Buckets!.find((b) => b.Name === 'alpha-bucket')!;
    expect(mine.CreationDate).toBeInstanceOf(Date);
    expect(mine.BucketRegion).toBe('us-east-1');
    expect(list.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    await c.send(new DeleteBucketCommand({ Bucket: 'alpha-bucket' }));
    const e = await fails(c.send(new HeadBucketCommand({ Bucket: 'alpha-bucket' })));
    expect(e.$metadata.httpStatusCode).toBe(404);
    expect(e.name).toBe('NotFound');
  });

  it('rejects invalid bucket names with InvalidBucketName', async () => {
    const c = s3();
    for (const name of ['ab', 'Upper-Case', 'has_underscore', '-leading', 'trailing-', 'two..dots', '192.168.1.1', 'xn--punycode', 'x'.repeat(64), 'name-s3alias']) {
      const e = await fails(c.send(new CreateBucketCommand({ Bucket: name })));
      expect(e.name, name).toBe('InvalidBucketName');
      expect(e.$metadata.httpStatusCode).toBe(400);
    }
  });

  it('answers 200 for a repeat create in us-east-1 and BucketAlreadyOwnedByYou elsewhere', async () => {
    const east = s3();
    await east.send(new CreateBucketCommand({ Bucket: 'repeat-me' }));
    await expect(east.send(new CreateBucketCommand({ Bucket: 'repeat-me' }))).resolves.toBeDefined();

    const west = s3({ region: 'eu-west-1' });
    await west.send(new CreateBucketCommand({ Bucket: 'repeat-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const e = await fails(west.send(new CreateBucketCommand({ Bucket: 'repeat-west', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
    expect(e.name).toBe('BucketAlreadyOwnedByYou');
    expect(e.$metadata.httpStatusCode).toBe(409);
    const head = await west.send(new HeadBucketCommand({ Bucket: 'repeat-west' }));
    expect(head.BucketRegion).toBe('eu-west-1');
  });

  it('keeps bucket names global across accounts: BucketAlreadyExists', async () => {
    await s3().send(new CreateBucketCommand({ Bucket: 'taken-name' }));
    const other = s3({ credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } });
    const e = await fails(other.send(new CreateBucketCommand({ Bucket: 'taken-name' })));
    expect(e.name).toBe('BucketAlreadyExists');
    expect(e.$metadata.httpStatusCode).toBe(409);
    const list = await other.send(new ListBucketsCommand({}));
    expect(list.Buckets ?? []).toEqual([]);
  });

  it('applies the LocationConstraint rules', async () => {
    const east = s3();
    // us-east-1 may not be named explicitly
    let e = await fails(east.send(new CreateBucketCommand({ Bucket: 'loc-east', CreateBucketConfiguration: { LocationConstraint: 'us-east-1' as never } })));
    expect(e.name).toBe('InvalidLocationConstraint');
    e = await fails(east.send(new CreateBucketCommand({ Bucket: 'loc-bogus', CreateBucketConfiguration: { LocationConstraint: 'mars-north-1' as never } })));
    expect(e.name).toBe('InvalidLocationConstraint');
    // the global endpoint can create a bucket in another region
    await east.send(new CreateBucketCommand({ Bucket: 'loc-from-east', CreateBucketConfiguration: { LocationConstraint: 'ap-southeast-2' } }));
    expect((await east.send(new HeadBucketCommand({ Bucket: 'loc-from-east' }))).BucketRegion).toBe('ap-southeast-2');

    // (SDK v3 always names its region outside us-east-1; the no-constraint case is in rest-xml.test.ts)
    const west = s3({ region: 'us-west-2' });
    e = await fails(west.send(new CreateBucketCommand({ Bucket: 'loc-mismatch', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })));
    expect(e.name).toBe('IllegalLocationConstraintException');
    expect(e.message).toContain('eu-west-1 location constraint is incompatible');
  });

  it('filters and pages ListBuckets', async () => {
    const c = s3({ credentials: { accessKeyId: '444455556666', secretAccessKey: 'x' } });
    for (const n of ['page-c', 'page-a', 'page-b', 'other-x']) await c.send(new CreateBucketCommand({ Bucket: n }));
    const first = await c.send(new ListBucketsCommand({ Prefix: 'page-', MaxBuckets: 2 }));
    expect(first.Buckets!.map((b) => b.Name)).toEqual(['page-a', 'page-b']);
    expect(first.ContinuationToken).toBeTruthy();
    const second = await c.send(new ListBucketsCommand({ Prefix: 'page-', MaxBuckets: 2, ContinuationToken: first.ContinuationToken }));
    expect(second.Buckets!.map((b) => b.Name)).toEqual(['page-c']);
    expect(second.ContinuationToken).toBeUndefined();
  });

  it('refuses to delete a non-empty bucket and reports a missing one', async () => {
    const c = s3();
    await c.send(new CreateBucketCommand({ Bucket: 'full-bucket' }));
    await c.send(new PutObjectCommand({ Bucket: 'full-bucket', Key: 'k', Body: 'x' }));
    let e = await fails(c.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })));
    expect(e.name).toBe('BucketNotEmpty');
    expect(e.$metadata.httpStatusCode).toBe(409);
    await c.send(new DeleteObjectCommand({ Bucket: 'full-bucket', Key: 'k' }));
    await c.send(new DeleteBucketCommand({ Bucket: 'full-bucket' }));
    e = await fails(c.send(new DeleteBucketCommand({ Bucket: 'full-bucket' })));
    expect(e.name).toBe('NoSuchBucket');
    expect(e.$metadata.httpStatusCode).toBe(404);
  });
});

describe('objects', () => {
  const bucket = 'objects-bucket';
  it('round-trips bytes, ETag, metadata and content headers', async () => {
    const c = s3();
    await c.send(new CreateBucketCommand({ Bucket: bucket }));
    const body = 'hello gureum';
    const put = await c.send(new PutObjectCommand({
      Bucket: bucket, Key: 'dir/hello.txt', Body: body, ContentType: 'text/plain', Metadata: { owner: 'me', 'multi-word': 'a b' },
      CacheControl: 'max-age=60', ContentDisposition: 'attachment; filename="h.txt"', ContentLanguage: 'en',
    }));
    expect(put.ETag).toBe(md5(body));
    // SDK v3 sends a CRC32 by default; S3 echoes it back
    expect(put.ChecksumCRC32).toBeTruthy();
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'dir/hello.txt' }));
    expect(await got.Body!.transformToString()).toBe(body);
    expect(got.ETag).toBe(md5(body));
    expect(got.ContentType).toBe('text/plain');
    expect(got.ContentLength).toBe(body.length);
    expect(got.Metadata).toEqual({ owner: 'me', 'multi-word': 'a b' });
    expect(got.CacheControl).toBe('max-age=60');
    expect(got.ContentDisposition).toBe('attachment; filename="h.txt"');
    expect(got.ContentLanguage).toBe('en');
    expect(got.AcceptRanges).toBe('bytes');
    expect(got.LastModified).toBeInstanceOf(Date);
    expect(got.ChecksumCRC32).toBe(put.ChecksumCRC32);
    const head = await c.send(new HeadObjectCommand({ Bucket: bucket, Key: 'dir/hello.txt' }));
    expect(head.ContentLength).toBe(body.length);
    expect(head.ETag).toBe(md5(body));
  });

  it('streams a body of unknown length (aws-chunked with a CRC32 trailer) and a large one', async () => {
    const c = s3();
    const parts = [randomBytes(70_000), randomBytes(1), randomBytes(130_000)];
    const all = Buffer.concat(parts);
    const put = await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'streamed.bin', Body: Readable.from(parts), ContentLength: all.length }));
    expect(put.ETag).toBe(md5(all));
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'streamed.bin' }));
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(all)).toBe(true);

    const big = randomBytes(9 * 1024 * 1024);
    const bigPut = await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'big.bin', Body: big }));
    expect(bigPut.ETag).toBe(md5(big));
    const bigGet = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'big.bin' }));
    expect(bigGet.ContentLength).toBe(big.length);
    expect(createHash('sha256').update(await bigGet.Body!.transformToByteArray()).digest('hex')).toBe(createHash('sha256').update(big).digest('hex'));
  });

  for (const algorithm of ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'] as const) {
    it(`verifies and returns ${algorithm} checksums`, async () => {
      const c = s3();
      const body = randomBytes(5000);
      const key = `sum-${algorithm}`;
      const put = await c.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Readable.from([body]), ContentLength: body.length, ChecksumAlgorithm: algorithm }));
      const member = `Checksum${algorithm}` as const;
      expect(put[member]).toBeTruthy();
      const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: key, ChecksumMode: 'ENABLED' }));
      expect(got[member]).toBe(put[member]);
      expect(got.ChecksumType).toBe('FULL_OBJECT');
      await got.Body!.transformToByteArray(); // the SDK validates the checksum while reading
    });
  }

  it("computes S3's default CRC64NVME for an object uploaded without a checksum", async () => {
    const body = randomBytes(3000);
    const res = await fetch(`${h.g.endpoint}/${bucket}/no-checksum`, { method: 'PUT', body: new Uint8Array(body), headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
    expect(res.status).toBe(200);
    const c = s3();
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'no-checksum', ChecksumMode: 'ENABLED' }));
    expect(got.ChecksumCRC64NVME).toMatch(/=$/);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true); // validated by the SDK
    const again = await c.send(new HeadObjectCommand({ Bucket: bucket, Key: 'no-checksum', ChecksumMode: 'ENABLED' }));
    expect(again.ChecksumCRC64NVME).toBe(got.ChecksumCRC64NVME);
  });

  it('rejects a wrong checksum header with BadDigest and a malformed one with InvalidRequest', async () => {
    const c = s3();
    let e = await fails(c.send(new PutObjectCommand({ Bucket: bucket, Key: 'bad', Body: 'hello', ChecksumCRC32: 'AAAAAA==' })));
    expect(e.name).toBe('BadDigest');
    expect(e.message).toBe('The CRC32 you specified did not match the calculated checksum.');
    e = await fails(c.send(new PutObjectCommand({ Bucket: bucket, Key: 'bad', Body: 'hello', ChecksumSHA256: 'not-base64' })));
    expect(e.name).toBe('InvalidRequest');
    const missing = await fails(c.send(new HeadObjectCommand({ Bucket: bucket, Key: 'bad' })));
    expect(missing.$metadata.httpStatusCode).toBe(404);
  });

  it('checks Content-MD5: BadDigest on mismatch, InvalidDigest when malformed', async () => {
    const c = s3();
    const good = createHash('md5').update('payload').digest('base64');
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'payload', ContentMD5: good }));
    let e = await fails(c.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'other', ContentMD5: good })));
    expect(e.name).toBe('BadDigest');
    e = await fails(c.send(new PutObjectCommand({ Bucket: bucket, Key: 'md5', Body: 'other', ContentMD5: 'bm90LW1kNQ==' })));
    expect(e.name).toBe('InvalidDigest');
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'md5' }));
    expect(await got.Body!.transformToString()).toBe('payload');
  });

  it('answers byte ranges: closed, open-ended, suffix, clamped; 416 InvalidRange', async () => {
    const c = s3();
    const body = '0123456789abcdefghij';
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'range.txt', Body: body }));
    const cases: [string, string, string][] = [
      ['bytes=0-4', '01234', 'bytes 0-4/20'],
      ['bytes=15-', 'fghij', 'bytes 15-19/20'],
      ['bytes=-3', 'hij', 'bytes 17-19/20'],
      ['bytes=18-100', 'ij', 'bytes 18-19/20'],
      ['bytes=-50', body, 'bytes 0-19/20'],
    ];
    for (const [range, text, contentRange] of cases) {
      const r = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', Range: range }));
      expect(r.$metadata.httpStatusCode, range).toBe(206);
      expect(r.ContentRange, range).toBe(contentRange);
      expect(r.ContentLength).toBe(text.length);
      expect(await r.Body!.transformToString()).toBe(text);
    }
    const e = await fails(c.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', Range: 'bytes=20-30' })));
    expect(e.name).toBe('InvalidRange');
    expect(e.$metadata.httpStatusCode).toBe(416);
    // S3 ignores a range it does not support and returns the whole object
    const whole = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'range.txt', Range: 'bytes=5-2' }));
    expect(whole.$metadata.httpStatusCode).toBe(200);
    expect(await whole.Body!.transformToString()).toBe(body);
  });

  it('honours conditional reads: 304 and 412', async () => {
    const c = s3();
    const put = await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'cond', Body: 'v1' }));
    const etag = put.ETag!;
    const later = new Date(Date.now() + 3600_000);
    const earlier = new Date(Date.now() - 3600_000);
    expect((await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfMatch: etag }))).ETag).toBe(etag);
    let e = await fails(c.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfMatch: '"nope"' })));
    expect(e.$metadata.httpStatusCode).toBe(412);
    expect(e.name).toBe('PreconditionFailed');
    e = await fails(c.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfNoneMatch: etag })));
    expect(e.$metadata.httpStatusCode).toBe(304);
    e = await fails(c.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfModifiedSince: later })));
    expect(e.$metadata.httpStatusCode).toBe(304);
    e = await fails(c.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfUnmodifiedSince: earlier })));
    expect(e.$metadata.httpStatusCode).toBe(412);
    expect((await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfModifiedSince: earlier }))).$metadata.httpStatusCode).toBe(200);
    // If-Match true wins over a false If-Unmodified-Since
    expect((await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'cond', IfMatch: etag, IfUnmodifiedSince: earlier }))).$metadata.httpStatusCode).toBe(200);
    e = await fails(c.send(new HeadObjectCommand({ Bucket: bucket, Key: 'cond', IfNoneMatch: '*' })));
    expect(e.$metadata.httpStatusCode).toBe(304);
  });

  it('supports conditional writes (If-None-Match: *)', async () => {
    const c = s3();
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'first', IfNoneMatch: '*' }));
    const e = await fails(c.send(new PutObjectCommand({ Bucket: bucket, Key: 'once', Body: 'second', IfNoneMatch: '*' })));
    expect(e.$metadata.httpStatusCode).toBe(412);
    expect(await (await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'once' }))).Body!.transformToString()).toBe('first');
  });

  it('overwrites, deletes idempotently, and reports NoSuchKey / NoSuchBucket', async () => {
    const c = s3();
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'one' }));
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'over', Body: 'two!' }));
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'over' }));
    expect(await got.Body!.transformToString()).toBe('two!');
    const del = await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'over' }));
    expect(del.$metadata.httpStatusCode).toBe(204);
    expect((await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'over' }))).$metadata.httpStatusCode).toBe(204);
    let e = await fails(c.send(new GetObjectCommand({ Bucket: bucket, Key: 'over' })));
    expect(e.name).toBe('NoSuchKey');
    expect(e.$metadata.httpStatusCode).toBe(404);
    e = await fails(c.send(new GetObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k' })));
    expect(e.name).toBe('NoSuchBucket');
    e = await fails(c.send(new PutObjectCommand({ Bucket: 'no-such-bucket-here', Key: 'k', Body: 'x' })));
    expect(e.name).toBe('NoSuchBucket');
  });

  it('stores keys with unicode, spaces, plus signs and slashes exactly', async () => {
    const c = s3();
    const keys = ['a b+c.txt', 'ünïcödé/日本語.txt', 'emoji/😀.bin', 'trailing/', 'double//slash', 'percent%20literal', 'q?x=1&y=2#frag'];
    for (const Key of keys) await c.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));
    for (const Key of keys) {
      const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key }));
      expect(await got.Body!.transformToString(), Key).toBe(Key);
    }
  });

  it('stores an empty object', async () => {
    const c = s3();
    const put = await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'empty', Body: '' }));
    expect(put.ETag).toBe('"d41d8cd98f00b204e9800998ecf8427e"');
    const got = await c.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' }));
    expect(got.ContentLength).toBe(0);
    expect(await got.Body!.transformToString()).toBe('');
  });

  it('keeps another account out of a bucket', async () => {
    const other = s3({ credentials: { accessKeyId: '999988887777', secretAccessKey: 'x' } });
    const e = await fails(other.send(new GetObjectCommand({ Bucket: bucket, Key: 'empty' })));
    expect(e.name).toBe('AccessDenied');
    expect(e.$metadata.httpStatusCode).toBe(403);
  });
});
