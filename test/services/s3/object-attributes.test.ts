// covers: s3.GetObjectAttributes s3.PutObject s3.CreateMultipartUpload s3.UploadPart s3.CompleteMultipartUpload s3.PutBucketVersioning s3.DeleteObject s3.CreateBucket
/** GetObjectAttributes: ETag, checksum, storage class, size and the parts of multipart objects. */
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectAttributesCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand, PutBucketVersioningCommand, DeleteObjectCommand,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const h = useGureum();
let s3: S3Client;
const Bucket = 'attrs-bucket';
const MiB = 1024 * 1024;
const all = ['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize'] as const;

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
});

describe('GetObjectAttributes', () => {
  it('answers a simple object: unquoted ETag, checksum, class, size', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'plain.txt', Body: 'hello attributes', ChecksumAlgorithm: 'SHA256', StorageClass: 'GLACIER' }));
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'plain.txt', ObjectAttributes: [...all] }));
    expect(out.ETag).toBe(createHash('md5').update('hello attributes').digest('hex'));
    expect(out.Checksum).toEqual({ ChecksumSHA256: createHash('sha256').update('hello attributes').digest('base64'), ChecksumType: 'FULL_OBJECT' });
    expect(out.StorageClass).toBe('GLACIER'); // archived objects answer: no bytes are read
    expect(out.ObjectSize).toBe(16);
    expect(out.ObjectParts).toBeUndefined();
    expect(out.LastModified).toBeInstanceOf(Date);
    expect(out.VersionId).toBeUndefined();
    const some = await s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'plain.txt', ObjectAttributes: ['ObjectSize'] }));
    expect(some.ETag).toBeUndefined();
    expect(some.ObjectSize).toBe(16);
  });

  it('lists a multipart object\'s parts with their checksums, paged', async () => {
    const Key = 'multi.bin';
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key, ChecksumAlgorithm: 'CRC32' }));
    const bodies = [Buffer.alloc(5 * MiB, 1), Buffer.alloc(5 * MiB, 2), Buffer.alloc(1000, 3)];
    const parts = [];
    for (let i = 0; i < bodies.length; i++) {
      const p = await s3.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber: i + 1, Body: bodies[i], ChecksumAlgorithm: 'CRC32' }));
      parts.push({ PartNumber: i + 1, ETag: p.ETag, ChecksumCRC32: p.ChecksumCRC32 });
    }
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }));
    const out = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: [...all], MaxParts: 2 }));
    expect(out.ETag).toMatch(/^[0-9a-f]{32}-3$/);
    expect(out.Checksum!.ChecksumType).toBe('COMPOSITE');
    expect(out.ObjectSize).toBe(10 * MiB + 1000);
    expect(out.ObjectParts).toMatchObject({ TotalPartsCount: 3, PartNumberMarker: '0', NextPartNumberMarker: '2', MaxParts: 2, IsTruncated: true });
    expect(out.ObjectParts!.Parts).toEqual([
      { PartNumber: 1, Size: 5 * MiB, ChecksumCRC32: parts[0]!.ChecksumCRC32 },
      { PartNumber: 2, Size: 5 * MiB, ChecksumCRC32: parts[1]!.ChecksumCRC32 },
    ]);
    const next = await s3.send(new GetObjectAttributesCommand({ Bucket, Key, ObjectAttributes: ['ObjectParts'], PartNumberMarker: '2' }));
    expect(next.ObjectParts).toMatchObject({ IsTruncated: false, Parts: [{ PartNumber: 3, Size: 1000, ChecksumCRC32: parts[2]!.ChecksumCRC32 }] });
  });

  it('names versions; delete markers answer 404 / 405; bad attribute names are refused', async () => {
    const B = 'attrs-versioned';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: '1' }))).VersionId!;
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'k' }))).VersionId!;
    expect((await s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'k', VersionId: v1, ObjectAttributes: ['ObjectSize'] })))).toMatchObject({ VersionId: v1, ObjectSize: 1 });
    expect((await failure(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'k', ObjectAttributes: ['ObjectSize'] })))).status).toBe(404);
    expect((await failure(s3.send(new GetObjectAttributesCommand({ Bucket: B, Key: 'k', VersionId: marker, ObjectAttributes: ['ObjectSize'] })))).status).toBe(405);
    expect(await failure(s3.send(new GetObjectAttributesCommand({ Bucket, Key: 'plain.txt', ObjectAttributes: ['Colour' as never] })))).toEqual({
      name: 'InvalidArgument', message: 'Invalid attribute name specified.', status: 400,
    });
  });

  it.skipIf(!HAS_AWS_CLI)('works through the AWS CLI', async () => {
    const r = await awsCli(h.g, ['s3api', 'get-object-attributes', '--bucket', Bucket, '--key', 'plain.txt', '--object-attributes', 'ETag', 'ObjectSize']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ ETag: createHash('md5').update('hello attributes').digest('hex'), ObjectSize: 16 });
  });
});
