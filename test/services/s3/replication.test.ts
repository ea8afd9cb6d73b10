// covers: s3.PutBucketReplication s3.GetBucketReplication s3.DeleteBucketReplication s3.PutObject s3.HeadObject s3.GetObject s3.DeleteObject s3.ListObjectVersions s3.PutBucketVersioning
/** Replication: configuration rules, copies on the clock with PENDING → COMPLETED / REPLICA, delete markers, cross-region. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, HeadObjectCommand, GetObjectCommand, DeleteObjectCommand, ListObjectVersionsCommand,
  PutBucketVersioningCommand, PutBucketReplicationCommand, GetBucketReplicationCommand, DeleteBucketReplicationCommand, type ReplicationRule,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
let eu: S3Client;
const Role = 'arn:aws:iam::000000000000:role/replication';
const versioned = (Bucket: string, c = s3) => c.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
const putRules = (Bucket: string, Rules: ReplicationRule[]) => s3.send(new PutBucketReplicationCommand({ Bucket, ReplicationConfiguration: { Role, Rules } }));
const status = async (Bucket: string, Key: string, c = s3) => (await c.send(new HeadObjectCommand({ Bucket, Key }))).ReplicationStatus;

/** Advance past the replication delay and let the copy (real I/O) finish. */
async function replicate(Bucket: string, Key: string): Promise<string | undefined> {
  h.g.clock.advance('2s');
  for (let i = 0; i < 100; i++) {
    const s = await status(Bucket, Key);
    if (s !== 'PENDING') return s;
    await new Promise((r) => setTimeout(r, 10));
  }
  return 'PENDING';
}

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  eu = new S3Client(clientConfig(h.g, { forcePathStyle: true, region: 'eu-west-1' }));
  for (const Bucket of ['repl-src', 'repl-dst', 'repl-plain']) await s3.send(new CreateBucketCommand({ Bucket }));
  await eu.send(new CreateBucketCommand({ Bucket: 'repl-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
});

const rule = (over: Partial<ReplicationRule> = {}): ReplicationRule => ({
  ID: 'docs', Priority: 1, Status: 'Enabled', Filter: { Prefix: 'docs/' }, DeleteMarkerReplication: { Status: 'Enabled' },
  Destination: { Bucket: 'arn:aws:s3:::repl-dst', StorageClass: 'STANDARD_IA' }, ...over,
});

describe('replication configuration', () => {
  it('needs versioning on both buckets, an existing destination, and the V2 schema fields', async () => {
    expect(await failure(putRules('repl-src', [rule()]))).toEqual({ name: 'InvalidRequest', message: "Versioning must be 'Enabled' on the bucket to apply a replication configuration", status: 400 });
    await versioned('repl-src');
    expect(await failure(putRules('repl-src', [rule()]))).toMatchObject({ name: 'InvalidRequest', message: 'Destination bucket must have versioning enabled.' });
    await versioned('repl-dst');
    expect(await failure(putRules('repl-src', [rule({ Destination: { Bucket: 'arn:aws:s3:::no-such-destination' } })]))).toMatchObject({ name: 'InvalidRequest', message: 'Destination bucket must exist.' });
    expect(await failure(putRules('repl-src', [rule({ DeleteMarkerReplication: undefined })]))).toMatchObject({
      name: 'InvalidRequest', message: 'DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.',
    });
    expect(await failure(putRules('repl-src', [rule(), rule({ ID: 'two', Filter: { Prefix: 'x/' } })]))).toMatchObject({ name: 'InvalidRequest', message: expect.stringContaining('duplicate priority 1') });
    expect(await failure(s3.send(new GetBucketReplicationCommand({ Bucket: 'repl-src' })))).toEqual({ name: 'ReplicationConfigurationNotFoundError', message: 'The replication configuration was not found', status: 404 });
  });

  it('is stored, read back and deleted', async () => {
    await putRules('repl-src', [rule()]);
    const got = await s3.send(new GetBucketReplicationCommand({ Bucket: 'repl-src' }));
    expect(got.ReplicationConfiguration).toEqual({ Role, Rules: [rule()] });
    await s3.send(new DeleteBucketReplicationCommand({ Bucket: 'repl-src' }));
    expect((await failure(s3.send(new GetBucketReplicationCommand({ Bucket: 'repl-src' })))).name).toBe('ReplicationConfigurationNotFoundError');
  });
});

describe('replicating objects', () => {
  it('copies new versions: PENDING then COMPLETED on the source, REPLICA with the same version id on the copy', async () => {
    await putRules('repl-src', [rule()]);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'repl-src', Key: 'docs/a.txt', Body: 'replicate me', ContentType: 'text/plain', Metadata: { owner: 'me' }, Tagging: 'k=v' }));
    await s3.send(new PutObjectCommand({ Bucket: 'repl-src', Key: 'misc/b.txt', Body: 'stays' }));
    expect(await status('repl-src', 'docs/a.txt')).toBe('PENDING');
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: 'repl-dst', Key: 'docs/a.txt' })))).status).toBe(404);

    expect(await replicate('repl-src', 'docs/a.txt')).toBe('COMPLETED');
    const copy = await s3.send(new GetObjectCommand({ Bucket: 'repl-dst', Key: 'docs/a.txt' }));
    expect([copy.ReplicationStatus, copy.VersionId, copy.StorageClass, copy.ContentType, copy.Metadata, copy.TagCount, copy.ETag]).toEqual(['REPLICA', put.VersionId, 'STANDARD_IA', 'text/plain', { owner: 'me' }, 1, put.ETag]);
    expect(await copy.Body!.transformToString()).toBe('replicate me');
    expect(await status('repl-src', 'misc/b.txt')).toBeUndefined();
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket: 'repl-dst', Key: 'misc/b.txt' })))).status).toBe(404);
  });

  it('replicates delete markers when DeleteMarkerReplication is Enabled (not deletes of a version)', async () => {
    const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'repl-src', Key: 'docs/a.txt' }));
    h.g.clock.advance('2s');
    const dst = await s3.send(new ListObjectVersionsCommand({ Bucket: 'repl-dst', Prefix: 'docs/' }));
    expect(dst.DeleteMarkers?.map((m) => [m.VersionId, m.IsLatest])).toEqual([[marker.VersionId, true]]);
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: 'repl-dst', Key: 'docs/a.txt' })))).name).toBe('NoSuchKey');
    await s3.send(new DeleteObjectCommand({ Bucket: 'repl-src', Key: 'docs/a.txt', VersionId: marker.VersionId }));
    h.g.clock.advance('2s');
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: 'repl-dst', Prefix: 'docs/' }))).DeleteMarkers).toHaveLength(1);
  });

  it('replicates across regions and accounts, and fails when the destination stops being versioned', async () => {
    await versioned('repl-eu', eu);
    await putRules('repl-src', [rule(), rule({ ID: 'to-eu', Priority: 2, Filter: { Prefix: 'eu/' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: { Bucket: 'arn:aws:s3:::repl-eu' } })]);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'repl-src', Key: 'eu/x', Body: 'bonjour' }));
    expect(await replicate('repl-src', 'eu/x')).toBe('COMPLETED');
    const copy = await eu.send(new GetObjectCommand({ Bucket: 'repl-eu', Key: 'eu/x' }));
    expect([copy.ReplicationStatus, copy.VersionId, copy.StorageClass]).toEqual(['REPLICA', put.VersionId, undefined]);

    // another account's bucket (its owner's side of the permission is not modelled)
    const other = new S3Client(clientConfig(h.g, { forcePathStyle: true, credentials: { accessKeyId: '222222222222', secretAccessKey: 'x' } }));
    await other.send(new CreateBucketCommand({ Bucket: 'repl-other-account' }));
    await versioned('repl-other-account', other);
    await putRules('repl-src', [rule({ ID: 'acct', Priority: 3, Filter: { Prefix: 'acct/' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: { Bucket: 'arn:aws:s3:::repl-other-account', Account: '222222222222' } })]);
    await s3.send(new PutObjectCommand({ Bucket: 'repl-src', Key: 'acct/z', Body: 'shared' }));
    expect(await replicate('repl-src', 'acct/z')).toBe('COMPLETED');
    expect(await (await other.send(new GetObjectCommand({ Bucket: 'repl-other-account', Key: 'acct/z' }))).Body!.transformToString()).toBe('shared');

    await putRules('repl-src', [rule(), rule({ ID: 'to-eu', Priority: 2, Filter: { Prefix: 'eu/' }, DeleteMarkerReplication: { Status: 'Disabled' }, Destination: { Bucket: 'arn:aws:s3:::repl-eu' } })]);
    await eu.send(new PutBucketVersioningCommand({ Bucket: 'repl-eu', VersioningConfiguration: { Status: 'Suspended' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'repl-src', Key: 'eu/y', Body: 'lost' }));
    expect(await replicate('repl-src', 'eu/y')).toBe('FAILED');
  });
});
