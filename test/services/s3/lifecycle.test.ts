// covers: s3.PutBucketLifecycleConfiguration s3.GetBucketLifecycleConfiguration s3.DeleteBucketLifecycle s3.PutObject s3.HeadObject s3.GetObject s3.ListObjectVersions s3.CreateMultipartUpload s3.ListMultipartUploads s3.PutBucketVersioning
/** Lifecycle: AWS's validation, and rules applied at midnight UTC on the virtual clock. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, HeadObjectCommand, GetObjectCommand, PutBucketVersioningCommand, ListObjectVersionsCommand,
  PutBucketLifecycleConfigurationCommand, GetBucketLifecycleConfigurationCommand, DeleteBucketLifecycleCommand, CreateMultipartUploadCommand,
  ListMultipartUploadsCommand, type LifecycleRule,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const T0 = Date.parse('2030-01-01T10:30:00Z');
const at = (iso: string) => h.g.clock.set(iso);
const settle = () => new Promise((r) => setTimeout(r, 30));

const put = (Bucket: string, Rules: LifecycleRule[], TransitionDefaultMinimumObjectSize?: 'varies_by_storage_class' | 'all_storage_classes_128K') =>
  s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules }, TransitionDefaultMinimumObjectSize }));
const storageClass = async (Bucket: string, Key: string) => (await s3.send(new HeadObjectCommand({ Bucket, Key }))).StorageClass ?? 'STANDARD';

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  h.g.clock.set(T0);
  for (const Bucket of ['lc-rules', 'lc-flow', 'lc-versions', 'lc-mpu', 'lc-tags']) await s3.send(new CreateBucketCommand({ Bucket }));
});

describe('lifecycle configuration', () => {
  it('is validated as AWS does', async () => {
    const Bucket = 'lc-rules';
    expect(await failure(put(Bucket, [{ ID: 'x', Status: 'Enabled', Filter: { Prefix: '' } }]))).toEqual({
      name: 'InvalidRequest', message: 'At least one action needs to be specified in a rule', status: 400,
    });
    expect(await failure(put(Bucket, [{ ID: 'ia', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 10, StorageClass: 'STANDARD_IA' }] }]))).toEqual({
      name: 'InvalidArgument', message: "'Days' in Transition action must be greater than or equal to 30 for storageClass 'STANDARD_IA'", status: 400,
    });
    expect(await failure(put(Bucket, [{ ID: 'nc', Status: 'Enabled', Filter: {}, NoncurrentVersionTransitions: [{ NoncurrentDays: 5, StorageClass: 'ONEZONE_IA' }] }]))).toMatchObject({
      name: 'InvalidArgument', message: "'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to 30 for storageClass 'ONEZONE_IA'",
    });
    const dup: LifecycleRule[] = [{ ID: 'same', Status: 'Enabled', Filter: { Prefix: 'a/' }, Expiration: { Days: 1 } }, { ID: 'same', Status: 'Enabled', Filter: { Prefix: 'b/' }, Expiration: { Days: 2 } }];
    expect(await failure(put(Bucket, dup))).toMatchObject({ name: 'InvalidArgument', message: 'Rule ID must be unique. Found same ID for more than one rule' });
    expect(await failure(put(Bucket, [{ ID: 't', Status: 'Enabled', Filter: { Tag: { Key: 'k', Value: 'v' } }, Expiration: { ExpiredObjectDeleteMarker: true } }]))).toMatchObject({
      name: 'InvalidRequest', message: 'ExpiredObjectDeleteMarker cannot be specified with object tags',
    });
    expect(await failure(put(Bucket, [{ ID: 'd', Status: 'Enabled', Filter: {}, Expiration: { Days: 0 } }]))).toMatchObject({ name: 'InvalidArgument', message: "'Days' for Expiration action must be a positive integer" });
    expect(await failure(put(Bucket, [{ ID: 'order', Status: 'Enabled', Filter: {}, Transitions: [{ Days: 90, StorageClass: 'GLACIER' }], Expiration: { Days: 60 } }]))).toMatchObject({ name: 'InvalidArgument' });
    expect(await failure(put(Bucket, [{ ID: 'date', Status: 'Enabled', Filter: {}, Expiration: { Date: new Date('2031-01-01T12:00:00Z') } }]))).toMatchObject({ name: 'InvalidArgument', message: "'Date' must be at midnight GMT" });
    expect(await failure(put(Bucket, [{ ID: 'mpu', Status: 'Enabled', Filter: { Tag: { Key: 'k', Value: 'v' } }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 } }]))).toMatchObject({
      name: 'InvalidRequest', message: 'AbortIncompleteMultipartUpload cannot be specified with Tags.',
    });
    expect(await failure(put(Bucket, [{ ID: 'st', Status: 'On' as never /* invalid on purpose */, Filter: {}, Expiration: { Days: 1 } }]))).toMatchObject({ name: 'MalformedXML', status: 400 });
  });

  it('is stored, read back with generated ids and the default minimum size, and deleted', async () => {
    const Bucket = 'lc-rules';
    expect(await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).toEqual({ name: 'NoSuchLifecycleConfiguration', message: 'The lifecycle configuration does not exist', status: 404 });
    const out = await put(Bucket, [
      { ID: 'archive', Status: 'Enabled', Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'a', Value: 'b' }], ObjectSizeGreaterThan: 10 } }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'DEEP_ARCHIVE' }] },
      { Status: 'Disabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 7 }, NoncurrentVersionExpiration: { NoncurrentDays: 3, NewerNoncurrentVersions: 2 } },
    ]);
    expect(out.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    const got = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket }));
    expect(got.TransitionDefaultMinimumObjectSize).toBe('all_storage_classes_128K');
    expect(got.Rules).toHaveLength(2);
    expect(got.Rules![0]).toMatchObject({ ID: 'archive', Filter: { And: { Prefix: 'logs/', ObjectSizeGreaterThan: 10 } }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 90, StorageClass: 'DEEP_ARCHIVE' }] });
    expect(got.Rules![1]!.ID).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
    expect(got.Rules![1]).toMatchObject({ Status: 'Disabled', NoncurrentVersionExpiration: { NoncurrentDays: 3, NewerNoncurrentVersions: 2 } });
    await s3.send(new DeleteBucketLifecycleCommand({ Bucket }));
    expect((await failure(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })))).name).toBe('NoSuchLifecycleConfiguration');
  });

  it.skipIf(!HAS_AWS_CLI)('round-trips through the AWS CLI', async () => {
    const doc = JSON.stringify({ Rules: [{ ID: 'cli', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Days: 5 } }] });
    const p = await awsCli(h.g, ['s3api', 'put-bucket-lifecycle-configuration', '--bucket', 'lc-rules', '--lifecycle-configuration', doc]);
    expect(p.status, p.stderr).toBe(0);
    const g = await awsCli(h.g, ['s3api', 'get-bucket-lifecycle-configuration', '--bucket', 'lc-rules']);
    expect(g.json).toMatchObject({ Rules: [{ ID: 'cli', Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Days: 5 } }] });
  });
});

describe('rules on the clock', () => {
  it('transitions down the waterfall at midnight UTC, then expires (x-amz-expiration)', async () => {
    const Bucket = 'lc-flow';
    at('2030-01-01T10:30:00Z');
    await put(Bucket, [{ ID: 'archive', Status: 'Enabled', Filter: { Prefix: 'logs/' }, Transitions: [{ Days: 30, StorageClass: 'STANDARD_IA' }, { Days: 60, StorageClass: 'GLACIER' }], Expiration: { Days: 365 } }], 'varies_by_storage_class');
    const big = await s3.send(new PutObjectCommand({ Bucket, Key: 'logs/big', Body: Buffer.alloc(200 * 1024, 1) }));
    // created 2030-01-01 10:30 + 365 days → rounded up to midnight
    expect(big.Expiration).toBe(`expiry-date="${new Date('2031-01-02T00:00:00Z').toUTCString()}", rule-id="archive"`);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'logs/small', Body: 'tiny' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'other/x', Body: 'x' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'logs/big' }))).Expiration).toBe(big.Expiration);
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'other/x' }))).Expiration).toBeUndefined();

    at('2030-01-31T23:59:59Z'); // 30 days after creation is 2030-01-31 10:30 → due at 2030-02-01 00:00
    expect(await storageClass(Bucket, 'logs/big')).toBe('STANDARD');
    at('2030-02-01T00:00:01Z');
    expect(await storageClass(Bucket, 'logs/big')).toBe('STANDARD_IA');
    // under 128 KiB: no transition to STANDARD_IA by default
    expect(await storageClass(Bucket, 'logs/small')).toBe('STANDARD');
    expect(await storageClass(Bucket, 'other/x')).toBe('STANDARD');
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'logs/big' }))).Body!.transformToByteArray()).toHaveLength(200 * 1024);

    at('2030-03-03T00:00:01Z'); // 60 days → GLACIER (small objects may go to GLACIER with varies_by_storage_class)
    expect(await storageClass(Bucket, 'logs/big')).toBe('GLACIER');
    expect(await storageClass(Bucket, 'logs/small')).toBe('GLACIER');
    const archived = await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'logs/big' })));
    expect(archived).toEqual({ name: 'InvalidObjectState', message: "The operation is not valid for the object's storage class", status: 403 });

    at('2031-01-01T23:59:59Z');
    expect(await storageClass(Bucket, 'logs/big')).toBe('GLACIER');
    at('2031-01-02T00:00:01Z');
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'logs/big' })))).status).toBe(404);
    expect(await storageClass(Bucket, 'other/x')).toBe('STANDARD');
  });

  it('expires current versions into delete markers, then noncurrent versions, then the expired marker', async () => {
    const Bucket = 'lc-versions';
    at('2032-01-01T10:30:00Z');
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await put(Bucket, [{ ID: 'v', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 }, NoncurrentVersionExpiration: { NoncurrentDays: 2 } }]);
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));

    at('2032-01-02T23:00:00Z');
    h.g.clock.advance('2h'); // current version expires at midnight: a delete marker on top
    const afterExpiry = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(afterExpiry.Versions?.map((v) => [v.VersionId, v.IsLatest])).toEqual([[v1.VersionId, false]]);
    expect(afterExpiry.DeleteMarkers?.map((m) => [m.IsLatest, m.LastModified?.toISOString()])).toEqual([[true, '2032-01-03T00:00:00.000Z']]);

    at('2032-01-04T23:59:59Z');
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket }))).Versions).toHaveLength(1);
    at('2032-01-05T00:00:01Z'); // noncurrent since the marker (Jan 3) + 2 days
    const after = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect(after.Versions ?? []).toHaveLength(0);
    expect(after.DeleteMarkers).toHaveLength(1);
    at('2032-01-06T00:00:01Z'); // the marker has nothing under it any more: removed
    const empty = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    expect([empty.Versions ?? [], empty.DeleteMarkers ?? []]).toEqual([[], []]);
  });

  it('keeps NewerNoncurrentVersions and filters by tags and size', async () => {
    const Bucket = 'lc-tags';
    at('2033-01-01T12:00:00Z');
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    await put(Bucket, [
      { ID: 'keep2', Status: 'Enabled', Filter: { Prefix: 'doc' }, NoncurrentVersionExpiration: { NoncurrentDays: 1, NewerNoncurrentVersions: 2 } },
      { ID: 'cold', Status: 'Enabled', Filter: { And: { Tags: [{ Key: 'tier', Value: 'cold' }], ObjectSizeGreaterThan: 0 } }, Transitions: [{ Days: 0, StorageClass: 'DEEP_ARCHIVE' }] },
    ]);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push((await s3.send(new PutObjectCommand({ Bucket, Key: 'doc', Body: `v${i}` }))).VersionId!);
      h.g.clock.advance(1000);
    }
    await s3.send(new PutObjectCommand({ Bucket, Key: 'img-cold', Body: 'c', Tagging: 'tier=cold' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'img-warm', Body: 'w', Tagging: 'tier=warm' }));
    at('2033-01-03T00:00:01Z');
    const left = (await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'doc' }))).Versions!.map((v) => v.VersionId);
    expect(left).toEqual([ids[4], ids[3], ids[2]]); // the current one and the two newest noncurrent ones
    expect(await storageClass(Bucket, 'img-cold')).toBe('DEEP_ARCHIVE');
    expect(await storageClass(Bucket, 'img-warm')).toBe('STANDARD');
  });

  it('aborts incomplete multipart uploads (x-amz-abort-date on CreateMultipartUpload)', async () => {
    const Bucket = 'lc-mpu';
    at('2034-01-01T08:00:00Z');
    await put(Bucket, [{ ID: 'abort', Status: 'Enabled', Filter: { Prefix: 'up/' }, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 2 } }]);
    const u = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'up/file' }));
    expect(u.AbortRuleId).toBe('abort');
    expect(u.AbortDate?.toISOString()).toBe('2034-01-04T00:00:00.000Z');
    const other = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'keep/file' }));
    expect(other.AbortDate).toBeUndefined();
    at('2034-01-03T23:00:00Z');
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads).toHaveLength(2);
    at('2034-01-04T00:00:01Z');
    await settle();
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket }))).Uploads?.map((x) => x.Key)).toEqual(['keep/file']);
  });
});
