/**
 * S3 Inventory reports in AWS's layout: CSV rows (every value quoted, keys URL-encoded, the
 * optional fields in S3's column order), the manifest.json that lists the data files, and the
 * object names under `[destination-prefix/]source-bucket/config-id/`.
 */
import type { InventoryConfiguration } from '../generated/types.js';
import type { ObjectRecord } from '../state.js';
import { canonicalUserId } from './buckets.js';
import { grantsOut, ownerOnly } from './acl.js';

/** Optional fields in the order S3 writes their columns. */
const FIELD_ORDER = [
  'Size', 'LastModifiedDate', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'ReplicationStatus', 'EncryptionStatus',
  'ObjectLockRetainUntilDate', 'ObjectLockMode', 'ObjectLockLegalHoldStatus', 'IntelligentTieringAccessTier', 'BucketKeyStatus',
  'ChecksumAlgorithm', 'ObjectAccessControlList', 'ObjectOwner',
];

/** The report's columns: Bucket, Key, (VersionId, IsLatest, IsDeleteMarker for All versions), then the optional fields. */
export function inventoryColumns(c: InventoryConfiguration): string[] {
  const opt = new Set(c.OptionalFields ?? []);
  return [
    'Bucket', 'Key',
    ...(c.IncludedObjectVersions === 'All' ? ['VersionId', 'IsLatest', 'IsDeleteMarker'] : []),
    ...FIELD_ORDER.filter((f) => opt.has(f)),
  ];
}

const iso = (ms: number) => new Date(ms).toISOString();

function encryptionStatus(o: ObjectRecord): string {
  if (o.sse?.customerKeyMD5) return 'SSE-C';
  if (o.sse?.algorithm === 'aws:kms') return 'SSE-KMS';
  if (o.sse?.algorithm === 'aws:kms:dsse') return 'DSSE-KMS';
  return 'SSE-S3';
}

/** One column's value for a version (empty when it does not apply). */
function value(column: string, bucket: { name: string; account: string }, o: ObjectRecord, latest: boolean): string {
  const marker = !!o.deleteMarker;
  switch (column) {
    case 'Bucket': return bucket.name;
    case 'Key': return encodeURIComponent(o.key).replace(/%2F/g, '/');
    case 'VersionId': return o.versionId ?? '';
    case 'IsLatest': return String(latest);
    case 'IsDeleteMarker': return String(marker);
    case 'Size': return marker ? '' : String(o.size);
    case 'LastModifiedDate': return iso(o.lastModified);
    case 'ETag': return marker ? '' : o.etag.replace(/"/g, '');
    case 'StorageClass': return marker ? '' : o.storageClass;
    case 'IsMultipartUploaded': return marker ? '' : String(!!o.parts);
    case 'ReplicationStatus': return o.replication ?? '';
    case 'EncryptionStatus': return marker ? '' : encryptionStatus(o);
    case 'ObjectLockRetainUntilDate': return o.lock?.retainUntil !== undefined ? iso(o.lock.retainUntil) : '';
    case 'ObjectLockMode': return o.lock?.mode ?? '';
    case 'ObjectLockLegalHoldStatus': return marker ? '' : o.lock?.legalHold ? 'ON' : 'OFF';
    case 'IntelligentTieringAccessTier': return o.storageClass === 'INTELLIGENT_TIERING' ? 'FREQUENT' : '';
    case 'BucketKeyStatus': return marker ? '' : o.sse?.bucketKey ? 'ENABLED' : 'DISABLED';
    case 'ChecksumAlgorithm': return marker ? '' : o.checksum.algorithm;
    case 'ObjectAccessControlList': {
      if (marker) return '';
      const acl = o.acl ?? ownerOnly(bucket.account);
      return Buffer.from(JSON.stringify({ version: '2022-11-10', status: 'AVAILABLE', grants: grantsOut(acl).map((g) => ({ permission: g.Permission, type: g.Grantee?.Type, canonicalId: g.Grantee?.ID, uri: g.Grantee?.URI })) })).toString('base64');
    }
    case 'ObjectOwner': return canonicalUserId(o.acl?.owner ?? bucket.account);
    default: return '';
  }
}

const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;

/** One CSV line (with its newline). */
export function inventoryRow(columns: string[], bucket: { name: string; account: string }, o: ObjectRecord, latest: boolean): string {
  return columns.map((c) => quote(value(c, bucket, o, latest))).join(',') + '\n';
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Where a report goes: the folder of one configuration, and the dated folder of one report. */
export function inventoryPaths(c: InventoryConfiguration, sourceBucket: string, at: number) {
  const prefix = c.Destination.S3BucketDestination.Prefix;
  const base = `${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}${sourceBucket}/${c.Id}`;
  const d = new Date(at);
  const day = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
  return {
    data: (name: string) => `${base}/data/${name}.csv.gz`,
    dated: `${base}/${day}T${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}Z`,
    hive: `${base}/hive/dt=${day}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}/symlink.txt`,
  };
}

export interface ManifestFile { key: string; size: number; MD5checksum: string }

/** manifest.json, as S3 writes it. */
export function inventoryManifest(c: InventoryConfiguration, sourceBucket: string, at: number, files: ManifestFile[]): string {
  return JSON.stringify({
    sourceBucket,
    destinationBucket: c.Destination.S3BucketDestination.Bucket,
    version: '2016-11-30',
    creationTimestamp: String(at),
    fileFormat: 'CSV',
    fileSchema: inventoryColumns(c).join(', '),
    files,
  }, null, 2);
}
