// covers: s3.PutBucketLogging s3.GetBucketLogging s3.PutBucketPolicy s3.PutObject s3.GetObject s3.HeadObject s3.ListObjectsV2 s3.DeleteObjects s3.CopyObject s3.CreateBucket s3.PutBucketAcl
/**
 * Server access logging: PutBucketLogging validated as S3 does, and log records in S3's format
 * delivered to the target bucket in batches on the virtual clock (when the target lets S3's
 * logging service write).
 */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, DeleteObjectsCommand, CopyObjectCommand,
  PutBucketLoggingCommand, GetBucketLoggingCommand, PutBucketPolicyCommand, PutBucketAclCommand,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
let ownerId: string;
const Source = 'logged-bucket';
const Target = 'log-target-bucket';
const T0 = Date.parse('2030-03-04T05:06:07Z');
const settle = () => new Promise((r) => setTimeout(r, 60));

const loggingPolicy = (bucket: string, source: string) => JSON.stringify({
  Version: '2012-10-17',
  Statement: [{
    Sid: 'S3ServerAccessLogsPolicy', Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: 's3:PutObject',
    Resource: `arn:aws:s3:::${bucket}/*`, Condition: { ArnLike: { 'aws:SourceArn': `arn:aws:s3:::${source}` }, StringEquals: { 'aws:SourceAccount': '000000000000' } },
  }],
});

/** Every log line under a prefix of the target bucket (objects in key order). */
async function logLines(bucket: string, prefix: string): Promise<{ keys: string[]; lines: string[] }> {
  const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  const keys = (list.Contents ?? []).map((o) => o.Key!);
  const lines: string[] = [];
  for (const Key of keys) lines.push(...(await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body!.transformToString()).split('\n').filter(Boolean));
  return { keys, lines };
}

/** A log record's fields (quoted fields kept whole, brackets around the time). */
const fields = (line: string) => line.match(/"[^"]*"|\[[^\]]*\]|\S+/g)!;

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  h.g.clock.set(T0);
  await s3.send(new CreateBucketCommand({ Bucket: Source }));
  await s3.send(new CreateBucketCommand({ Bucket: Target }));
  await s3.send(new PutBucketPolicyCommand({ Bucket: Target, Policy: loggingPolicy(Target, 'logged-*') }));
  ownerId = (await import('node:crypto')).createHash('sha256').update('gureum-canonical-user:000000000000').digest('hex');
});

describe('PutBucketLogging / GetBucketLogging', () => {
  it('checks the target bucket as S3 does', async () => {
    const put = (TargetBucket: string, extra: object = {}) =>
      s3.send(new PutBucketLoggingCommand({ Bucket: Source, BucketLoggingStatus: { LoggingEnabled: { TargetBucket, TargetPrefix: 'logs/', ...extra } } }));
    expect(await failure(put('no-such-log-bucket'))).toEqual({ name: 'InvalidTargetBucketForLogging', message: 'The target bucket for logging does not exist', status: 400 });
    await s3.send(new CreateBucketCommand({ Bucket: 'log-target-oregon', CreateBucketConfiguration: { LocationConstraint: 'us-west-2' } }));
    expect(await failure(put('log-target-oregon'))).toEqual({ name: 'CrossLocationLoggingProhibitted', message: 'Cross S3 location logging not allowed. ', status: 403 });
    const other = new S3Client(clientConfig(h.g, { forcePathStyle: true, credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }));
    await other.send(new CreateBucketCommand({ Bucket: 'log-target-other-account' }));
    expect(await failure(put('log-target-other-account'))).toEqual({
      name: 'InvalidTargetBucketForLogging', message: 'The owner for the bucket to be logged and the target bucket must be the same.', status: 400,
    });
    const grants = { TargetGrants: [{ Grantee: { Type: 'Group' as const, URI: 'http://acs.amazonaws.com/groups/global/AllUsers' }, Permission: 'READ' as const }] };
    expect(await failure(put(Target, grants))).toEqual({ name: 'AccessControlListNotSupported', message: 'Target grants not allowed for bucket owner enforced buckets', status: 400 });
    expect((await failure(put(Target, { TargetObjectKeyFormat: { SimplePrefix: {}, PartitionedPrefix: { PartitionDateSource: 'EventTime' } } }))).name).toBe('MalformedXML');
  });

  it('is stored, answered and disabled with an empty status', async () => {
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: Source }))).LoggingEnabled).toBeUndefined();
    await s3.send(new PutBucketLoggingCommand({ Bucket: Source, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: Target, TargetPrefix: 'logs/' } } }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: Source }))).LoggingEnabled).toEqual({ TargetBucket: Target, TargetPrefix: 'logs/' });
    await s3.send(new PutBucketLoggingCommand({ Bucket: Source, BucketLoggingStatus: {} }));
    expect((await s3.send(new GetBucketLoggingCommand({ Bucket: Source }))).LoggingEnabled).toBeUndefined();
  });
});

describe('log delivery', () => {
  it('writes the requests as S3 log records into one log object after a few minutes', async () => {
    const Source = 'logged-requests';
    await s3.send(new CreateBucketCommand({ Bucket: Source }));
    await s3.send(new PutBucketLoggingCommand({ Bucket: Source, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: Target, TargetPrefix: 'requests/' } } }));
    await s3.send(new PutObjectCommand({ Bucket: Source, Key: 'photos/cat 1.jpg', Body: 'meow!' }));
    await s3.send(new GetObjectCommand({ Bucket: Source, Key: 'photos/cat 1.jpg' }));
    await s3.send(new HeadObjectCommand({ Bucket: Source, Key: 'photos/cat 1.jpg' }));
    expect((await failure(s3.send(new GetObjectCommand({ Bucket: Source, Key: 'missing.txt' })))).status).toBe(404);
    await s3.send(new ListObjectsV2Command({ Bucket: Source, Prefix: 'photos/' }));
    await s3.send(new CopyObjectCommand({ Bucket: Source, Key: 'copy.jpg', CopySource: `${Source}/photos/cat%201.jpg` }));
    await s3.send(new DeleteObjectsCommand({ Bucket: Source, Delete: { Objects: [{ Key: 'copy.jpg' }] } }));
    await settle();
    // nothing yet: records are batched
    expect((await logLines(Target, 'requests/')).keys).toEqual([]);
    h.g.clock.advance(5 * 60_000);
    await settle();
    const { keys, lines } = await logLines(Target, 'requests/');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^requests\/2030-03-04-05-11-07-[0-9A-F]{16}$/);
    const records = lines.map(fields);
    const ops = records.map((f) => f[6]);
    expect(ops).toEqual(['REST.PUT.OBJECT', 'REST.GET.OBJECT', 'REST.HEAD.OBJECT', 'REST.GET.OBJECT', 'REST.GET.BUCKET', 'REST.COPY.OBJECT', 'REST.COPY.OBJECT_GET', 'REST.POST.MULTI_OBJECT_DELETE', 'BATCH.DELETE.OBJECT']);
    for (const f of records) {
      expect(f[0]).toBe(ownerId);
      expect(f[1]).toBe(Source);
      expect(f[2]).toBe('[04/Mar/2030:05:06:07 +0000]');
      expect(f[4]).toBe(ownerId); // the requester: the account's root (test credentials)
      expect(f[19]).toBe('SigV4');
      expect(f[21]).toBe('AuthHeader');
      expect(f).toHaveLength(26);
    }
    const [put, get, head, missing, list] = records;
    expect(put!.slice(7, 13)).toEqual(['photos/cat%201.jpg', '"PUT /logged-requests/photos/cat%201.jpg?x-id=PutObject HTTP/1.1"', '200', '-', '-', '5']);
    expect(get!.slice(7, 13)).toEqual(['photos/cat%201.jpg', '"GET /logged-requests/photos/cat%201.jpg?x-id=GetObject HTTP/1.1"', '200', '-', '5', '5']);
    expect(head!.slice(9, 13)).toEqual(['200', '-', '-', '5']);
    expect(missing!.slice(7, 11)).toEqual(['missing.txt', '"GET /logged-requests/missing.txt?x-id=GetObject HTTP/1.1"', '404', 'NoSuchKey']);
    expect(Number(missing![11])).toBeGreaterThan(0); // the error document's bytes
    expect(list!.slice(7, 11)).toEqual(['-', '"GET /logged-requests/?list-type=2&prefix=photos%2F HTTP/1.1"', '200', '-']);
    expect(records[8]!.slice(7, 10)).toEqual(['copy.jpg', expect.any(String), '204']);
    expect(records[0]![16]).toMatch(/^"aws-sdk-js\//);
  });

  it('writes nothing when the target does not let the logging service in; a LogDelivery ACL grant does', async () => {
    const B = 'logged-no-permission';
    const T = 'log-target-closed';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new CreateBucketCommand({ Bucket: T, ObjectOwnership: 'BucketOwnerPreferred' }));
    await s3.send(new PutBucketLoggingCommand({ Bucket: B, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: T, TargetPrefix: '' } } }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'v' }));
    h.g.clock.advance(5 * 60_000);
    await settle();
    expect((await s3.send(new ListObjectsV2Command({ Bucket: T }))).KeyCount).toBe(0);
    // the legacy way: the LogDelivery group may WRITE (log-delivery-write)
    // S3 accepts this canned ACL on buckets, but the SDK's BucketCannedACL type omits it
    await s3.send(new PutBucketAclCommand({ Bucket: T, ACL: 'log-delivery-write' as never }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k2', Body: 'v' }));
    h.g.clock.advance(5 * 60_000);
    await settle();
    const { lines } = await logLines(T, '');
    expect(lines.map((l) => fields(l)[6])).toEqual(['REST.PUT.OBJECT']);
  });

  it('names log objects by account, region, bucket and date with PartitionedPrefix', async () => {
    const B = 'logged-partitioned';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
      await s3.send(new PutBucketLoggingCommand({
      Bucket: B,
      BucketLoggingStatus: { LoggingEnabled: { TargetBucket: Target, TargetPrefix: 'part/', TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: 'EventTime' } } } },
    }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'a', Body: 'a' }));
    h.g.clock.advance(5 * 60_000);
    await settle();
    const { keys, lines } = await logLines(Target, 'part/');
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^part\/000000000000\/us-east-1\/logged-partitioned\/2030\/03\/04\/2030-03-04-\d\d-\d\d-\d\d-[0-9A-F]{16}$/);
    expect(fields(lines[0]!)[1]).toBe(B);
  });

  it.skipIf(!HAS_AWS_CLI)('round-trips through the AWS CLI', async () => {
    const status = JSON.stringify({ LoggingEnabled: { TargetBucket: Target, TargetPrefix: 'cli/' } });
    const p = await awsCli(h.g, ['s3api', 'put-bucket-logging', '--bucket', Source, '--bucket-logging-status', status]);
    expect(p.status, p.stderr).toBe(0);
    const g = await awsCli(h.g, ['s3api', 'get-bucket-logging', '--bucket', Source]);
    expect(g.json).toEqual({ LoggingEnabled: { TargetBucket: Target, TargetPrefix: 'cli/' } });
  });
});
