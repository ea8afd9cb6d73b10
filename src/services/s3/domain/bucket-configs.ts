/**
 * The id-keyed bucket configurations (inventory, analytics, metrics, Intelligent-Tiering):
 * each validated as S3 validates it, at most 1,000 per bucket, listed 100 a page in id order.
 */
import { AwsError } from '../../../core/errors.js';
import type {
  AnalyticsConfiguration, IntelligentTieringConfiguration, InventoryConfiguration, MetricsConfiguration, StorageClassAnalysis, Tag,
} from '../generated/types.js';
import { checkTags } from './attributes.js';
import { invalidArgument } from './errors.js';

export const malformedXml = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

export const noSuchConfiguration = () => new AwsError('NoSuchConfiguration', 'The specified configuration does not exist.', 404);

export const tooManyConfigurations = () =>
  new AwsError('TooManyConfigurations', 'You are attempting to create a new configuration but have already reached the 1,000-configuration limit.', 400);

export const MAX_CONFIGURATIONS = 1000;
/** configurations per List… page */
export const LIST_PAGE = 100;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Configuration ids: 1–64 letters, digits, periods, dashes and underscores. */
export function checkConfigId(id: string | undefined): void {
  if (id === undefined || id === '') throw malformedXml();
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) throw invalidArgument('The configuration ID is not valid.', 'id', id);
}

/** A filter of Prefix / Tag / And (Prefix + Tags): exactly one member, tags checked as bucket tags are. */
function checkFilter(f: unknown, extra: string[] = []): void {
  if (f === undefined) return;
  if (!isObj(f)) throw malformedXml();
  const set = Object.keys(f).filter((k) => f[k] !== undefined);
  if (set.length > 1) throw malformedXml();
  for (const k of set) if (!['Prefix', 'Tag', 'And', ...extra].includes(k)) throw malformedXml();
  if (f.Tag !== undefined) checkTags([f.Tag as Tag], 1, 'bucket');
  if (f.And !== undefined) {
    const and = f.And as { Prefix?: string; Tags?: Tag[]; [k: string]: unknown };
    if (!isObj(and)) throw malformedXml();
    if (and.Tags?.length) checkTags(and.Tags as { Key: string; Value: string }[], 50, 'bucket');
  }
}

const INVENTORY_FIELDS = new Set([
  'Size', 'LastModifiedDate', 'StorageClass', 'ETag', 'IsMultipartUploaded', 'ReplicationStatus', 'EncryptionStatus',
  'ObjectLockRetainUntilDate', 'ObjectLockMode', 'ObjectLockLegalHoldStatus', 'IntelligentTieringAccessTier', 'BucketKeyStatus',
  'ChecksumAlgorithm', 'ObjectAccessControlList', 'ObjectOwner',
]);

/** `arn:aws:s3:::bucket` → bucket name, or undefined. */
export function bucketOfArn(arn: string): string | undefined {
  const m = /^arn:aws[\w-]*:s3:::([^/]+)$/.exec(arn);
  return m?.[1];
}

/** PutBucketInventoryConfiguration: the document's structure, then the id, then the destination ARN. */
export function checkInventory(id: string, c: InventoryConfiguration | undefined): InventoryConfiguration {
  if (!isObj(c) || !c.Destination || !c.Schedule || c.IsEnabled === undefined || !c.IncludedObjectVersions || c.Id === undefined) throw malformedXml();
  const d = c.Destination.S3BucketDestination;
  if (!isObj(d) || !d.Bucket || !d.Format) throw malformedXml();
  if (!['CSV', 'ORC', 'Parquet'].includes(d.Format)) throw malformedXml();
  if (!['Daily', 'Weekly'].includes(c.Schedule.Frequency)) throw malformedXml();
  if (!['All', 'Current'].includes(c.IncludedObjectVersions)) throw malformedXml();
  if (c.OptionalFields?.some((f) => !INVENTORY_FIELDS.has(f))) throw malformedXml();
  if (c.Filter !== undefined && (!isObj(c.Filter) || typeof c.Filter.Prefix !== 'string')) throw malformedXml();
  if (d.Encryption && d.Encryption.SSES3 !== undefined && d.Encryption.SSEKMS !== undefined) throw malformedXml();
  if (d.Encryption?.SSEKMS && !d.Encryption.SSEKMS.KeyId) throw malformedXml();
  if (c.Id !== id) throw new AwsError('IdMismatch', 'Document ID does not match the specified configuration ID.', 400);
  checkConfigId(id);
  if (!bucketOfArn(d.Bucket)) throw new AwsError('InvalidS3DestinationBucket', 'Invalid bucket ARN.', 400);
  if (d.AccountId !== undefined && !/^\d{12}$/.test(d.AccountId)) throw invalidArgument('Invalid account id.', 'AccountId', d.AccountId);
  return c;
}

/** PutBucketAnalyticsConfiguration: filter, and the CSV export (schema V_1) to a bucket ARN. */
export function checkAnalytics(id: string, c: AnalyticsConfiguration | undefined): AnalyticsConfiguration {
  if (!isObj(c) || c.Id !== id || !isObj(c.StorageClassAnalysis)) throw malformedXml();
  checkConfigId(id);
  checkFilter(c.Filter);
  const e = (c.StorageClassAnalysis as StorageClassAnalysis).DataExport;
  if (e !== undefined) {
    const d = e.Destination?.S3BucketDestination;
    if (e.OutputSchemaVersion !== 'V_1' || !isObj(d) || d.Format !== 'CSV' || !d.Bucket) throw malformedXml();
    if (!bucketOfArn(d.Bucket)) throw invalidArgument('Invalid bucket ARN.', 'Bucket', d.Bucket);
  }
  return c;
}

/** PutBucketMetricsConfiguration: filter of Prefix / Tag / AccessPointArn / And. */
export function checkMetrics(id: string, c: MetricsConfiguration | undefined): MetricsConfiguration {
  if (!isObj(c) || c.Id !== id) throw malformedXml();
  checkConfigId(id);
  checkFilter(c.Filter, ['AccessPointArn']);
  const ap = c.Filter?.AccessPointArn ?? c.Filter?.And?.AccessPointArn;
  if (ap !== undefined && !/^arn:aws[\w-]*:s3:[a-z0-9-]+:\d{12}:accesspoint\/[a-z0-9-]+$/.test(ap)) {
    throw invalidArgument('Invalid access point ARN.', 'AccessPointArn', ap);
  }
  return c;
}

/** The archive tiers' day ranges (S3 Intelligent-Tiering archive configurations). */
const TIER_DAYS: Record<string, [number, number]> = { ARCHIVE_ACCESS: [90, 730], DEEP_ARCHIVE_ACCESS: [180, 730] };

/** PutBucketIntelligentTieringConfiguration: Status, filter, one or two distinct tiers within their day ranges. */
export function checkIntelligentTiering(id: string, c: IntelligentTieringConfiguration | undefined): IntelligentTieringConfiguration {
  if (!isObj(c) || c.Id !== id || !['Enabled', 'Disabled'].includes(c.Status) || !c.Tierings?.length) throw malformedXml();
  checkConfigId(id);
  checkFilter(c.Filter);
  const seen = new Map<string, number>();
  for (const t of c.Tierings) {
    const range = TIER_DAYS[t.AccessTier];
    if (!range || !Number.isInteger(t.Days) || seen.has(t.AccessTier)) throw malformedXml();
    if (t.Days < range[0] || t.Days > range[1]) {
      throw invalidArgument(`Days for ${t.AccessTier} must be between ${range[0]} and ${range[1]}`, 'Days', String(t.Days));
    }
    seen.set(t.AccessTier, t.Days);
  }
  const a = seen.get('ARCHIVE_ACCESS');
  const d = seen.get('DEEP_ARCHIVE_ACCESS');
  if (a !== undefined && d !== undefined && d <= a) {
    throw invalidArgument('Days for DEEP_ARCHIVE_ACCESS must be greater than days for ARCHIVE_ACCESS', 'Days', String(d));
  }
  return c;
}

const TOKEN_TAG = 'gureum-config:';

/** One page of configurations in id order, after the id a continuation token names. */
export function configPage<T extends { Id: string }>(all: Record<string, T> | undefined, token: string | undefined): { list: T[]; next?: string } {
  let after = '';
  if (token !== undefined) {
    const s = Buffer.from(token, 'base64').toString('utf8');
    if (!s.startsWith(TOKEN_TAG)) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', token);
    after = s.slice(TOKEN_TAG.length);
  }
  const sorted = Object.values(all ?? {}).filter((c) => c.Id > after).sort((x, y) => (x.Id < y.Id ? -1 : 1));
  const list = sorted.slice(0, LIST_PAGE);
  return { list, ...(sorted.length > LIST_PAGE ? { next: Buffer.from(TOKEN_TAG + list[list.length - 1]!.Id).toString('base64') } : {}) };
}
