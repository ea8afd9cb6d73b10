// covers: s3.CreateBucket s3.PutObjectLockConfiguration s3.GetObjectLockConfiguration s3.PutObjectRetention s3.GetObjectRetention s3.PutObjectLegalHold s3.GetObjectLegalHold s3.PutObject s3.HeadObject s3.DeleteObject s3.DeleteObjects s3.GetBucketVersioning s3.PutBucketVersioning
/** Object Lock: bucket configuration, retention on the virtual clock, legal hold, protected deletes. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, HeadObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetBucketVersioningCommand, PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand, GetObjectLockConfigurationCommand, PutObjectRetentionCommand, GetObjectRetentionCommand, PutObjectLegalHoldCommand, GetObjectLegalHoldCommand,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Bucket = 'locked-bucket';
const now = () => h.g.clock.now().getTime();
const denied = { name: 'AccessDenied', message: 'Access Denied because object protected by object lock.', status: 403 };
const delVersion = (Key: string, VersionId: string, BypassGovernanceRetention?: boolean) => s3.send(new DeleteObjectCommand({ Bucket, Key, VersionId, BypassGovernanceRetention }));

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  h.g.clock.set('2030-01-01T00:00:00Z');
  await s3.send(new CreateBucketCommand({ Bucket, ObjectLockEnabledForBucket: true }));
  await s3.send(new CreateBucketCommand({ Bucket: 'unlocked-bucket' }));
});

describe('bucket configuration', () => {
  it('a bucket created with Object Lock is versioned and cannot be suspended', async () => {
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket }))).Status).toBe('Enabled');
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled' });
    expect((await failure(s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } })))).name).toBe('InvalidBucketState');
  });

  it('other buckets have none, refuse lock headers, and can enable lock once versioned', async () => {
    const b = 'unlocked-bucket';
    expect(await failure(s3.send(new GetObjectLockConfigurationCommand({ Bucket: b })))).toEqual({
      name: 'ObjectLockConfigurationNotFoundError', message: 'Object Lock configuration does not exist for this bucket', status: 404,
    });
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: b, Key: 'k', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(now() + 60_000) })))).toEqual({
      name: 'InvalidRequest', message: 'Bucket is missing Object Lock Configuration', status: 400,
    });
    const enable = new PutObjectLockConfigurationCommand({ Bucket: b, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } });
    expect(await failure(s3.send(enable))).toMatchObject({ name: 'InvalidBucketState', status: 409 });
    await s3.send(new PutBucketVersioningCommand({ Bucket: b, VersioningConfiguration: { Status: 'Enabled' } }));
    await s3.send(enable);
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket: b }))).ObjectLockConfiguration?.ObjectLockEnabled).toBe('Enabled');
  });

  it('validates default retention', async () => {
    const put = (DefaultRetention: Record<string, unknown>) => s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention } } }));
    expect((await failure(put({ Mode: 'GOVERNANCE', Days: 1, Years: 1 }))).name).toBe('MalformedXML');
    expect((await failure(put({ Mode: 'GOVERNANCE' }))).name).toBe('MalformedXML');
    expect((await failure(put({ Mode: 'STRICT', Days: 1 }))).name).toBe('MalformedXML');
    expect(await failure(put({ Mode: 'GOVERNANCE', Days: 0 }))).toMatchObject({ name: 'InvalidArgument', message: 'Default retention period must be a positive integer value' });
  });
});

describe('retention and legal hold', () => {
  it('default GOVERNANCE retention: deletes of the version need the bypass header', async () => {
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } } }));
    expect((await s3.send(new GetObjectLockConfigurationCommand({ Bucket }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 1 } } });
    const v = await s3.send(new PutObjectCommand({ Bucket, Key: 'gov', Body: 'x' }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'gov' }));
    expect([head.ObjectLockMode, head.ObjectLockRetainUntilDate?.toISOString(), head.ObjectLockLegalHoldStatus]).toEqual(['GOVERNANCE', '2030-01-02T00:00:00.000Z', undefined]);
    expect(await failure(delVersion('gov', v.VersionId!))).toEqual(denied);
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'gov' })); // a delete marker is always allowed
    expect(marker.DeleteMarker).toBe(true);
    const batch = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'gov', VersionId: v.VersionId }] } }));
    expect(batch.Errors?.map((e) => [e.Key, e.Code])).toEqual([['gov', 'AccessDenied']]);
    expect((await delVersion('gov', v.VersionId!, true)).VersionId).toBe(v.VersionId);
  });

  it('COMPLIANCE retention can only be extended, and protects the version until the date on the clock', async () => {
    const until = new Date(now() + 2 * 3600_000);
    const v = await s3.send(new PutObjectCommand({ Bucket, Key: 'comp', Body: 'x', ObjectLockMode: 'COMPLIANCE', ObjectLockRetainUntilDate: until }));
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'comp' }))).Retention).toEqual({ Mode: 'COMPLIANCE', RetainUntilDate: until });
    expect(await failure(delVersion('comp', v.VersionId!, true))).toEqual(denied);
    const shorter = new PutObjectRetentionCommand({ Bucket, Key: 'comp', BypassGovernanceRetention: true, Retention: { Mode: 'COMPLIANCE', RetainUntilDate: new Date(now() + 3600_000) } });
    expect(await failure(s3.send(shorter))).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect((await failure(s3.send(new PutObjectRetentionCommand({ Bucket, Key: 'comp', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(now() + 9e6) } })))).name).toBe('AccessDenied');
    const later = new Date(now() + 3 * 3600_000);
    await s3.send(new PutObjectRetentionCommand({ Bucket, Key: 'comp', Retention: { Mode: 'COMPLIANCE', RetainUntilDate: later } }));
    h.g.clock.advance('2h59m');
    expect(await failure(delVersion('comp', v.VersionId!))).toEqual(denied);
    h.g.clock.advance('1m');
    await delVersion('comp', v.VersionId!);
  });

  it('GOVERNANCE retention is shortened or removed only with the bypass header', async () => {
    const v = await s3.send(new PutObjectCommand({ Bucket, Key: 'gov2', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(now() + 86_400_000) }));
    const shorter = { Bucket, Key: 'gov2', Retention: { Mode: 'GOVERNANCE' as const, RetainUntilDate: new Date(now() + 60_000) } };
    expect((await failure(s3.send(new PutObjectRetentionCommand(shorter)))).name).toBe('AccessDenied');
    await s3.send(new PutObjectRetentionCommand({ ...shorter, BypassGovernanceRetention: true }));
    expect((await s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'gov2', VersionId: v.VersionId }))).Retention?.RetainUntilDate).toEqual(shorter.Retention.RetainUntilDate);
    expect(await failure(s3.send(new PutObjectRetentionCommand({ Bucket, Key: 'gov2', Retention: { Mode: 'GOVERNANCE', RetainUntilDate: new Date(now() - 1000) } })))).toMatchObject({
      name: 'InvalidArgument', message: 'The retain until date must be in the future!',
    });
  });

  it('legal hold blocks deletes whatever the retention, until it is OFF', async () => {
    await s3.send(new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }));
    const v = await s3.send(new PutObjectCommand({ Bucket, Key: 'held', Body: 'x', ObjectLockLegalHoldStatus: 'ON' }));
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'held' }))).ObjectLockLegalHoldStatus).toBe('ON');
    expect(await failure(s3.send(new GetObjectRetentionCommand({ Bucket, Key: 'held' })))).toEqual({
      name: 'NoSuchObjectLockConfiguration', message: 'The specified object does not have a ObjectLock configuration', status: 404,
    });
    expect(await failure(delVersion('held', v.VersionId!, true))).toEqual(denied);
    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'held', LegalHold: { Status: 'OFF' } }));
    expect((await s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: 'held' }))).LegalHold).toEqual({ Status: 'OFF' });
    await delVersion('held', v.VersionId!);

    const plain = await s3.send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'x' }));
    expect((await failure(s3.send(new GetObjectLegalHoldCommand({ Bucket, Key: 'plain' })))).name).toBe('NoSuchObjectLockConfiguration');
    await s3.send(new PutObjectLegalHoldCommand({ Bucket, Key: 'plain', VersionId: plain.VersionId, LegalHold: { Status: 'ON' } }));
    expect(await failure(delVersion('plain', plain.VersionId!))).toEqual(denied);
  });

  it('checks the lock headers of a write', async () => {
    expect(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'x', ObjectLockMode: 'GOVERNANCE' })))).toMatchObject({
      name: 'InvalidArgument', message: 'x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied',
    });
    expect(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'x', ObjectLockMode: 'GOVERNANCE', ObjectLockRetainUntilDate: new Date(now() - 1000) })))).toMatchObject({
      name: 'InvalidArgument', message: 'The retain until date must be in the future!',
    });
  });

  it.skipIf(!HAS_PYTHON_BOTO3)('boto3 puts and reads retention', async () => {
    const r = await boto3(h.g, `
import datetime
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.put_object(Bucket='${Bucket}', Key='py', Body=b'x')
s3.put_object_retention(Bucket='${Bucket}', Key='py', Retention={'Mode': 'GOVERNANCE', 'RetainUntilDate': datetime.datetime(2099, 1, 1, tzinfo=datetime.timezone.utc)})
r = s3.get_object_retention(Bucket='${Bucket}', Key='py')['Retention']
print(json.dumps({'mode': r['Mode'], 'until': r['RetainUntilDate'].isoformat()}))
`);
    expect(r.json, r.stderr).toEqual({ mode: 'GOVERNANCE', until: '2099-01-01T00:00:00+00:00' });
  });
});
