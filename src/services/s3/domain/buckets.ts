/**
 * Bucket rules: general purpose bucket naming, and where CreateBucket puts a bucket given the
 * signing region and the LocationConstraint (with us-east-1's legacy global-endpoint quirks).
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { isKnownRegion } from '../../../core/regions.js';
import { invalidBucketName } from './errors.js';

export interface BucketRecord {
  name: string;
  account: string;
  region: string;
  createdAt: number; // epoch ms
  objectOwnership: string;
  objectLockEnabled?: boolean;
  versioning?: 'Enabled' | 'Suspended';
  mfaDelete?: 'Enabled' | 'Disabled';
  tags?: { Key: string; Value: string }[];
  cors?: import('../generated/types.js').CORSRule[];
  /** bucket policy text as put (domain/policy.ts) */
  policy?: string;
  /** absent: the owner with FULL_CONTROL (domain/acl.ts) */
  acl?: import('./acl.js').StoredAcl;
  /** absent: no Block Public Access configuration on the bucket */
  publicAccessBlock?: import('../generated/types.js').PublicAccessBlockConfiguration;
  /** true after DeleteBucketOwnershipControls (the bucket then behaves as ObjectWriter) */
  noOwnershipControls?: boolean;
  website?: import('../generated/types.js').WebsiteConfiguration;
  lifecycle?: import('./lifecycle.js').LifecycleConfig;
  notification?: import('../generated/types.js').NotificationConfiguration;
  replication?: import('../generated/types.js').ReplicationConfiguration;
  /** Object Lock default retention (objectLockEnabled says whether lock is on) */
  objectLockRule?: import('../generated/types.js').ObjectLockRule;
  /** default encryption; absent: SSE-S3 */
  encryption?: import('../generated/types.js').ServerSideEncryptionRule;
  /** the legacy `EU` LocationConstraint it was created with (GetBucketLocation answers it) */
  locationConstraint?: string;
  /** Requester Pays (PutBucketRequestPayment); absent: BucketOwner */
  requesterPays?: true;
  /** Transfer Acceleration status, once set */
  accelerate?: 'Enabled' | 'Suspended';
  /** server access logging (access-logger.ts) */
  logging?: import('../generated/types.js').LoggingEnabled;
  /** id → configuration (domain/bucket-configs.ts); reports: inventory-runner.ts */
  inventory?: Record<string, import('../generated/types.js').InventoryConfiguration>;
  analytics?: Record<string, import('../generated/types.js').AnalyticsConfiguration>;
  metrics?: Record<string, import('../generated/types.js').MetricsConfiguration>;
  intelligentTiering?: Record<string, import('../generated/types.js').IntelligentTieringConfiguration>;
}

const FORBIDDEN_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'];
const FORBIDDEN_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'];

/** General purpose bucket naming rules (docs: "Bucket naming rules"). */
export function checkBucketName(name: string): void {
  const ok =
    name.length >= 3 &&
    name.length <= 63 &&
    /^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) &&
    !name.includes('..') &&
    !/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name) &&
    !FORBIDDEN_PREFIXES.some((p) => name.startsWith(p)) &&
    !FORBIDDEN_SUFFIXES.some((s) => name.endsWith(s));
  if (!ok) throw invalidBucketName(name);
}

const invalidLocation = (constraint: string) =>
  new AwsError('InvalidLocationConstraint', 'The specified location-constraint is not valid', 400, { fields: { LocationConstraint: constraint } });

/**
 * The region a new bucket lives in. Requests signed for us-east-1 (the global endpoint) may
 * name any other region, or none; naming us-east-1 itself is refused. Requests signed for
 * any other region must name exactly that region.
 */
export function bucketRegion(signingRegion: string, constraint: string | undefined): string {
  const c = constraint === 'EU' ? 'eu-west-1' : constraint;
  if (c === undefined || c === '') {
    if (signingRegion === 'us-east-1') return 'us-east-1';
    throw new AwsError('IllegalLocationConstraintException', 'The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.', 400);
  }
  if (c === 'us-east-1' || !isKnownRegion(c)) throw invalidLocation(constraint!);
  if (signingRegion !== 'us-east-1' && c !== signingRegion) {
    throw new AwsError('IllegalLocationConstraintException', `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`, 400);
  }
  return c;
}

/** Canonical user id of an account's owner (64 hex, stable per account). */
export function canonicalUserId(account: string): string {
  return createHash('sha256').update(`gureum-canonical-user:${account}`).digest('hex');
}
