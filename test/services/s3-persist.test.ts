// covers: s3.CreateBucket s3.PutObject s3.GetObject s3.ListObjectsV2 s3.DeleteObject s3.ListBuckets
/** S3 state across a restart on the same data directory: buckets, objects, bytes, key order. */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, DeleteObjectCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { startGureum, type Gureum } from '../../src/index.js';
import { clientConfig } from '../helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gureum-s3-persist-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const client = (g: Gureum) => new S3Client(clientConfig(g, { forcePathStyle: true }));

describe('S3 persistence', () => {
  it('keeps acknowledged buckets and objects across a restart', async () => {
    const payload = randomBytes(300_000);
    let g = await startGureum({ dataDir });
    try {
      const c = client(g);
      await c.send(new CreateBucketCommand({ Bucket: 'durable-bucket' }));
      await c.send(new PutObjectCommand({ Bucket: 'durable-bucket', Key: 'b/big.bin', Body: payload, Metadata: { k: 'v' } }));
      for (const k of ['z', 'a', 'm', 'gone']) await c.send(new PutObjectCommand({ Bucket: 'durable-bucket', Key: k, Body: k }));
      await c.send(new PutObjectCommand({ Bucket: 'durable-bucket', Key: 'm', Body: 'm2' }));
      await c.send(new DeleteObjectCommand({ Bucket: 'durable-bucket', Key: 'gone' }));
    } finally {
      await g.stop();
    }
    g = await startGureum({ dataDir });
    try {
      const c = client(g);
      expect((await c.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toEqual(['durable-bucket']);
      const list = await c.send(new ListObjectsV2Command({ Bucket: 'durable-bucket' }));
      expect(list.Contents!.map((o) => o.Key)).toEqual(['a', 'b/big.bin', 'm', 'z']);
      const big = await c.send(new GetObjectCommand({ Bucket: 'durable-bucket', Key: 'b/big.bin' }));
      expect(Buffer.from(await big.Body!.transformToByteArray()).equals(payload)).toBe(true);
      expect(big.Metadata).toEqual({ k: 'v' });
      expect(await (await c.send(new GetObjectCommand({ Bucket: 'durable-bucket', Key: 'm' }))).Body!.transformToString()).toBe('m2');
      // the global name index is rebuilt from the table
      const other = new S3Client(clientConfig(g, { forcePathStyle: true, credentials: { accessKeyId: '123456789012', secretAccessKey: 'x' } }));
      await expect(other.send(new CreateBucketCommand({ Bucket: 'durable-bucket' }))).rejects.toMatchObject({ name: 'BucketAlreadyExists' });
    } finally {
      await g.stop();
    }
  });
});
