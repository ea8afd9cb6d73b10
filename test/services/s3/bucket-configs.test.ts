// covers: s3.PutBucketRequestPayment s3.GetBucketRequestPayment s3.PutBucketAccelerateConfiguration s3.GetBucketAccelerateConfiguration s3.PutBucketAnalyticsConfiguration s3.GetBucketAnalyticsConfiguration s3.DeleteBucketAnalyticsConfiguration s3.ListBucketAnalyticsConfigurations s3.PutBucketMetricsConfiguration s3.GetBucketMetricsConfiguration s3.DeleteBucketMetricsConfiguration s3.ListBucketMetricsConfigurations s3.PutBucketIntelligentTieringConfiguration s3.GetBucketIntelligentTieringConfiguration s3.DeleteBucketIntelligentTieringConfiguration s3.ListBucketIntelligentTieringConfigurations s3.PutBucketInventoryConfiguration s3.GetBucketInventoryConfiguration s3.DeleteBucketInventoryConfiguration s3.ListBucketInventoryConfigurations s3.GetBucketLocation s3.PutBucketPolicy s3.GetObject s3.PutObject s3.CopyObject s3.ListObjectsV2 s3.CreateBucket
/**
 * Bucket configurations S3 stores and answers, validated as S3 validates them: Requester Pays
 * (and its enforcement on other accounts), Transfer Acceleration, analytics, metrics,
 * Intelligent-Tiering and inventory configurations; GetBucketLocation's legacy answers.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, DeletePublicAccessBlockCommand, GetObjectCommand, CopyObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand, GetBucketRequestPaymentCommand, PutBucketAccelerateConfigurationCommand, GetBucketAccelerateConfigurationCommand,
  PutBucketAnalyticsConfigurationCommand, GetBucketAnalyticsConfigurationCommand, DeleteBucketAnalyticsConfigurationCommand, ListBucketAnalyticsConfigurationsCommand,
  PutBucketMetricsConfigurationCommand, GetBucketMetricsConfigurationCommand, DeleteBucketMetricsConfigurationCommand, ListBucketMetricsConfigurationsCommand,
  PutBucketIntelligentTieringConfigurationCommand, GetBucketIntelligentTieringConfigurationCommand, DeleteBucketIntelligentTieringConfigurationCommand,
  ListBucketIntelligentTieringConfigurationsCommand, PutBucketInventoryConfigurationCommand, GetBucketInventoryConfigurationCommand,
  DeleteBucketInventoryConfigurationCommand, ListBucketInventoryConfigurationsCommand, GetBucketLocationCommand, type InventoryConfiguration,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const h = useGureum();
let s3: S3Client;
let other: S3Client;
const Bucket = 'cfg-bucket';
const Payer = 'cfg-requester-pays';
const anonymous = (path: string) => fetch(`${h.g.endpoint}${path}`);

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  other = new S3Client(clientConfig(h.g, { forcePathStyle: true, credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }));
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new CreateBucketCommand({ Bucket: Payer }));
});

describe('Requester Pays', () => {
  it('is BucketOwner until set; the Payer is validated', async () => {
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: Payer }))).Payer).toBe('BucketOwner');
    expect(await failure(s3.send(new PutBucketRequestPaymentCommand({ Bucket: Payer, RequestPaymentConfiguration: { Payer: 'Nobody' as never } })))).toMatchObject({ name: 'MalformedXML', status: 400 });
    await s3.send(new PutBucketRequestPaymentCommand({ Bucket: Payer, RequestPaymentConfiguration: { Payer: 'Requester' } }));
    expect((await s3.send(new GetBucketRequestPaymentCommand({ Bucket: Payer }))).Payer).toBe('Requester');
  });

  it('other accounts must confirm the charge; anonymous requests are refused; the owner pays nothing', async () => {
    await s3.send(new PutObjectCommand({ Bucket: Payer, Key: 'data.csv', Body: 'a,b\n' }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: Payer,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: ['s3:GetObject', 's3:ListBucket'], Resource: [`arn:aws:s3:::${Payer}`, `arn:aws:s3:::${Payer}/*`] }] }),
    }));
    // the owner: no header needed, nothing charged
    const own = await s3.send(new GetObjectCommand({ Bucket: Payer, Key: 'data.csv' }));
    expect(own.RequestCharged).toBeUndefined();
    expect(await own.Body!.transformToString()).toBe('a,b\n');
    // another account without x-amz-request-payer: 403 AccessDenied
    expect(await failure(other.send(new GetObjectCommand({ Bucket: Payer, Key: 'data.csv' })))).toEqual({ name: 'AccessDenied', message: 'Access Denied', status: 403 });
    expect((await failure(other.send(new ListObjectsV2Command({ Bucket: Payer })))).name).toBe('AccessDenied');
    // with it: allowed and charged (x-amz-request-charged: requester)
    const got = await other.send(new GetObjectCommand({ Bucket: Payer, Key: 'data.csv', RequestPayer: 'requester' }));
    expect(got.RequestCharged).toBe('requester');
    expect(await got.Body!.transformToString()).toBe('a,b\n');
    const list = await other.send(new ListObjectsV2Command({ Bucket: Payer, RequestPayer: 'requester' }));
    expect(list.Contents!.map((o) => o.Key)).toEqual(['data.csv']);
    expect(list.RequestCharged).toBe('requester');
    // a copy out of a Requester Pays bucket pays for the source too
    await other.send(new CreateBucketCommand({ Bucket: 'cfg-other-account-bucket' }));
    expect((await failure(other.send(new CopyObjectCommand({ Bucket: 'cfg-other-account-bucket', Key: 'copy.csv', CopySource: `${Payer}/data.csv` })))).name).toBe('AccessDenied');
    const copied = await other.send(new CopyObjectCommand({ Bucket: 'cfg-other-account-bucket', Key: 'copy.csv', CopySource: `${Payer}/data.csv`, RequestPayer: 'requester' }));
    expect(copied.RequestCharged).toBe('requester');
    // anonymous: refused even where a public policy lets everyone read
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: Payer }));
    await s3.send(new PutBucketPolicyCommand({
      Bucket: Payer,
      Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Payer}/*` }] }),
    }));
    expect((await anonymous(`/${Payer}/data.csv?x-amz-request-payer=requester`)).status).toBe(403);
    await s3.send(new PutBucketRequestPaymentCommand({ Bucket: Payer, RequestPaymentConfiguration: { Payer: 'BucketOwner' } }));
    expect((await anonymous(`/${Payer}/data.csv`)).status).toBe(200);
    await s3.send(new PutBucketRequestPaymentCommand({ Bucket: Payer, RequestPaymentConfiguration: { Payer: 'Requester' } }));
  });

  it.skipIf(!HAS_AWS_CLI)('works with the AWS CLI (s3api get-bucket-request-payment)', async () => {
    const r = await awsCli(h.g, ['s3api', 'get-bucket-request-payment', '--bucket', Payer]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ Payer: 'Requester' });
  });
});

describe('Transfer Acceleration', () => {
  it('is unset, then Enabled / Suspended; dotted names cannot have it', async () => {
    const first = await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }));
    expect(first.Status).toBeUndefined();
    await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status: 'Enabled' } }));
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status).toBe('Enabled');
    await s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status: 'Suspended' } }));
    expect((await s3.send(new GetBucketAccelerateConfigurationCommand({ Bucket }))).Status).toBe('Suspended');
    expect((await failure(s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket, AccelerateConfiguration: { Status: 'On' as never } })))).name).toBe('MalformedXML');
    await s3.send(new CreateBucketCommand({ Bucket: 'cfg.dotted.bucket' }));
    expect(await failure(s3.send(new PutBucketAccelerateConfigurationCommand({ Bucket: 'cfg.dotted.bucket', AccelerateConfiguration: { Status: 'Enabled' } })))).toEqual({
      name: 'InvalidRequest', message: 'S3 Transfer Acceleration is not supported for buckets with periods (.) in their names', status: 400,
    });
  });
});

describe('GetBucketLocation', () => {
  it('answers empty for us-east-1, the region elsewhere, and EU for legacy EU buckets', async () => {
    expect((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBeUndefined();
    await s3.send(new CreateBucketCommand({ Bucket: 'cfg-in-frankfurt', CreateBucketConfiguration: { LocationConstraint: 'eu-central-1' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'cfg-in-frankfurt' }))).LocationConstraint).toBe('eu-central-1');
    await s3.send(new CreateBucketCommand({ Bucket: 'cfg-legacy-eu', CreateBucketConfiguration: { LocationConstraint: 'EU' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'cfg-legacy-eu' }))).LocationConstraint).toBe('EU');
    const raw = await fetch(`${h.g.endpoint}/cfg-legacy-eu?location`, { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
    expect(await raw.text()).toContain('>EU</LocationConstraint>');
  });
});

describe('analytics configurations', () => {
  it('are validated, stored, listed in id order and deleted', async () => {
    const cfg = (Id: string) => ({
      Id, Filter: { And: { Prefix: 'logs/', Tags: [{ Key: 'team', Value: 'a' }] } },
      StorageClassAnalysis: { DataExport: { OutputSchemaVersion: 'V_1' as const, Destination: { S3BucketDestination: { Format: 'CSV' as const, Bucket: 'arn:aws:s3:::cfg-bucket', Prefix: 'analysis/' } } } },
    });
    expect(await failure(s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id: 'a1' })))).toEqual({ name: 'NoSuchConfiguration', message: 'The specified configuration does not exist.', status: 404 });
    expect((await failure(s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket, Id: 'a1', AnalyticsConfiguration: cfg('other') })))).name).toBe('MalformedXML');
    await s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket, Id: 'b2', AnalyticsConfiguration: cfg('b2') }));
    await s3.send(new PutBucketAnalyticsConfigurationCommand({ Bucket, Id: 'a1', AnalyticsConfiguration: cfg('a1') }));
    expect((await s3.send(new GetBucketAnalyticsConfigurationCommand({ Bucket, Id: 'a1' }))).AnalyticsConfiguration).toEqual(cfg('a1'));
    const list = await s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket }));
    expect(list.AnalyticsConfigurationList!.map((c) => c.Id)).toEqual(['a1', 'b2']);
    expect(list.IsTruncated).toBe(false);
    await s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket, Id: 'a1' }));
    expect((await failure(s3.send(new DeleteBucketAnalyticsConfigurationCommand({ Bucket, Id: 'a1' })))).name).toBe('NoSuchConfiguration');
    expect((await s3.send(new ListBucketAnalyticsConfigurationsCommand({ Bucket }))).AnalyticsConfigurationList!.map((c) => c.Id)).toEqual(['b2']);
  });
});

describe('metrics configurations', () => {
  it('page 100 at a time with continuation tokens, and refuse a 1,001st', async () => {
    const B = 'cfg-metrics';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    expect((await failure(s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: B, Id: 'm', MetricsConfiguration: { Id: 'm', Filter: { Prefix: 'a', Tag: { Key: 'k', Value: 'v' } } as never /* both at once: invalid on purpose */ } })))).name).toBe('MalformedXML');
    const ids = Array.from({ length: 1000 }, (_, i) => `m${String(i).padStart(4, '0')}`);
    for (const Id of ids) await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: B, Id, MetricsConfiguration: { Id, Filter: { Prefix: `p/${Id}/` } } }));
    expect(await failure(s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: B, Id: 'one-too-many', MetricsConfiguration: { Id: 'one-too-many' } })))).toEqual({
      name: 'TooManyConfigurations', message: 'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.', status: 400,
    });
    // replacing an existing one is fine at the limit
    await s3.send(new PutBucketMetricsConfigurationCommand({ Bucket: B, Id: 'm0000', MetricsConfiguration: { Id: 'm0000' } }));
    expect((await s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: B, Id: 'm0000' }))).MetricsConfiguration).toEqual({ Id: 'm0000' });
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(new ListBucketMetricsConfigurationsCommand({ Bucket: B, ContinuationToken: token }));
      pages++;
      expect(page.MetricsConfigurationList!.length).toBeLessThanOrEqual(100);
      seen.push(...page.MetricsConfigurationList!.map((c) => c.Id!));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(pages).toBe(10);
    expect(seen).toEqual(ids);
    await s3.send(new DeleteBucketMetricsConfigurationCommand({ Bucket: B, Id: 'm0001' }));
    expect((await failure(s3.send(new GetBucketMetricsConfigurationCommand({ Bucket: B, Id: 'm0001' })))).name).toBe('NoSuchConfiguration');
  }, 120_000);
});

describe('Intelligent-Tiering configurations', () => {
  it('check the archive tiers\' days and are stored', async () => {
    const put = (Tierings: { AccessTier: 'ARCHIVE_ACCESS' | 'DEEP_ARCHIVE_ACCESS'; Days: number }[], Status: 'Enabled' | 'Disabled' = 'Enabled') =>
      s3.send(new PutBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'tiers', IntelligentTieringConfiguration: { Id: 'tiers', Status, Filter: { Prefix: 'cold/' }, Tierings } }));
    expect(await failure(put([{ AccessTier: 'ARCHIVE_ACCESS', Days: 30 }]))).toMatchObject({ name: 'InvalidArgument', status: 400 });
    expect(await failure(put([{ AccessTier: 'DEEP_ARCHIVE_ACCESS', Days: 90 }]))).toMatchObject({ name: 'InvalidArgument' });
    expect(await failure(put([{ AccessTier: 'ARCHIVE_ACCESS', Days: 200 }, { AccessTier: 'DEEP_ARCHIVE_ACCESS', Days: 180 }]))).toMatchObject({ name: 'InvalidArgument' });
    expect((await failure(put([]))).name).toBe('MalformedXML');
    await put([{ AccessTier: 'ARCHIVE_ACCESS', Days: 90 }, { AccessTier: 'DEEP_ARCHIVE_ACCESS', Days: 180 }]);
    const got = await s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'tiers' }));
    expect(got.IntelligentTieringConfiguration).toEqual({ Id: 'tiers', Status: 'Enabled', Filter: { Prefix: 'cold/' }, Tierings: [{ AccessTier: 'ARCHIVE_ACCESS', Days: 90 }, { AccessTier: 'DEEP_ARCHIVE_ACCESS', Days: 180 }] });
    expect((await s3.send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket }))).IntelligentTieringConfigurationList!.map((c) => c.Id)).toEqual(['tiers']);
    await s3.send(new DeleteBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'tiers' }));
    expect((await failure(s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket, Id: 'tiers' })))).name).toBe('NoSuchConfiguration');
  });
});

describe('inventory configurations', () => {
  const inv = (Id: string, extra: Partial<InventoryConfiguration> = {}): InventoryConfiguration => ({
    Id, IsEnabled: true, IncludedObjectVersions: 'Current', Schedule: { Frequency: 'Daily' },
    Destination: { S3BucketDestination: { Bucket: 'arn:aws:s3:::cfg-bucket', Format: 'CSV', Prefix: 'inventory' } },
    OptionalFields: ['Size', 'ETag'], ...extra,
  });

  it('are validated as S3 does: structure, then the id, then the destination ARN', async () => {
    expect(await failure(s3.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: 'x', InventoryConfiguration: inv('y') })))).toEqual({
      name: 'IdMismatch', message: 'Document ID does not match the specified configuration ID.', status: 400,
    });
    const badArn = inv('x', { Destination: { S3BucketDestination: { Bucket: 'cfg-bucket', Format: 'CSV' } } });
    expect(await failure(s3.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: 'x', InventoryConfiguration: badArn })))).toEqual({
      name: 'InvalidS3DestinationBucket', message: 'Invalid bucket ARN.', status: 400,
    });
    expect((await failure(s3.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: 'x', InventoryConfiguration: inv('x', { OptionalFields: ['Colour' as never] }) })))).name).toBe('MalformedXML');
    expect((await failure(s3.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: 'x', InventoryConfiguration: inv('x', { Schedule: { Frequency: 'Hourly' as never } }) })))).name).toBe('MalformedXML');
  });

  it('are stored, listed and deleted', async () => {
    await s3.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: 'weekly', InventoryConfiguration: inv('weekly', { Schedule: { Frequency: 'Weekly' }, IncludedObjectVersions: 'All' }) }));
    await s3.send(new PutBucketInventoryConfigurationCommand({ Bucket, Id: 'daily', InventoryConfiguration: inv('daily', { Filter: { Prefix: 'data/' } }) }));
    expect((await s3.send(new GetBucketInventoryConfigurationCommand({ Bucket, Id: 'daily' }))).InventoryConfiguration).toEqual(inv('daily', { Filter: { Prefix: 'data/' } }));
    const list = await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket }));
    expect(list.InventoryConfigurationList!.map((c) => [c.Id, c.Schedule!.Frequency])).toEqual([['daily', 'Daily'], ['weekly', 'Weekly']]);
    await s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id: 'weekly' }));
    await s3.send(new DeleteBucketInventoryConfigurationCommand({ Bucket, Id: 'daily' }));
    expect((await s3.send(new ListBucketInventoryConfigurationsCommand({ Bucket }))).InventoryConfigurationList).toBeUndefined();
  });
});
