/**
 * Replication configurations: AWS's rules (versioning on both buckets, a role, rule ids,
 * priorities and DeleteMarkerReplication in the V2 schema, destination ARNs of buckets that
 * exist) and which rules replicate a new version or delete marker, to which bucket.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import type { ReplicationConfiguration, ReplicationRule, Tag } from '../generated/types.js';
import type { BucketRecord } from './buckets.js';
import { checkStorageClass } from './attributes.js';
import { invalidArgument, invalidRequest } from './errors.js';

export type ReplicationStatus = 'PENDING' | 'COMPLETED' | 'FAILED' | 'REPLICA';

const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

/** "arn:aws:s3:::name" → name */
export function destinationBucket(arn: string | undefined): string | undefined {
  const m = arn ? /^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$/.exec(arn) : null;
  return m?.[1];
}

const isV2 = (r: ReplicationRule) => r.Filter !== undefined;

/**
 * A configuration as stored (ids assigned). `lookup` finds a destination bucket by name,
 * in any account or region.
 */
export function checkReplicationConfiguration(c: ReplicationConfiguration | undefined, source: BucketRecord, lookup: (name: string) => BucketRecord | undefined): ReplicationConfiguration {
  if (source.versioning !== 'Enabled') throw invalidRequest("Versioning must be 'Enabled' on the bucket to apply a replication configuration");
  if (!c || !c.Role || !c.Rules?.length || c.Rules.length > 1000) throw malformed();
  const v2 = c.Rules.some(isV2);
  if (v2 && !c.Rules.every(isV2)) throw malformed();
  const ids = new Set<string>();
  const priorities = new Set<number>();
  const rules: ReplicationRule[] = [];
  for (const r of c.Rules) {
    if (r.Status !== 'Enabled' && r.Status !== 'Disabled') throw malformed();
    if (r.ID !== undefined && r.ID.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', r.ID);
    const id = r.ID ?? Buffer.from(randomUUID()).toString('base64');
    if (ids.has(id)) throw invalidArgument('Rule Id must be unique', 'ID', id);
    ids.add(id);
    if (v2) {
      if (r.Prefix !== undefined) throw malformed();
      if (r.Priority === undefined) throw invalidRequest('Priority must be specified for this version of Cross Region Replication configuration schema.');
      if (!r.DeleteMarkerReplication) throw invalidRequest('DeleteMarkerReplication must be specified for this version of Cross Region Replication configuration schema.');
      if (r.DeleteMarkerReplication.Status !== 'Enabled' && r.DeleteMarkerReplication.Status !== 'Disabled') throw malformed();
      if (priorities.has(r.Priority)) throw invalidRequest(`Found duplicate priority ${r.Priority} in replication configuration. Priority must be unique among all rules.`);
      priorities.add(r.Priority);
      const f = r.Filter!;
      if ([f.Prefix, f.Tag, f.And].filter((v) => v !== undefined).length > 1) throw malformed();
      if (r.DeleteMarkerReplication.Status === 'Enabled' && (f.Tag || f.And?.Tags?.length)) {
        throw invalidRequest('Delete marker replication is not supported if any Tag filter is specified.');
      }
    } else if (r.Priority !== undefined || r.DeleteMarkerReplication !== undefined) throw malformed();
    const name = destinationBucket(r.Destination?.Bucket);
    if (!name) throw invalidArgument('Invalid bucket ARN.', 'Bucket', r.Destination?.Bucket);
    if (name === source.name) throw invalidRequest('Destination bucket cannot be the same as the source bucket.');
    const dest = lookup(name);
    if (!dest) throw invalidRequest('Destination bucket must exist.');
    if (dest.versioning !== 'Enabled') throw invalidRequest('Destination bucket must have versioning enabled.');
    if (r.Destination.StorageClass !== undefined) checkStorageClass(r.Destination.StorageClass);
    rules.push({ ...r, ID: id });
  }
  return { Role: c.Role, Rules: rules };
}

export interface VersionFacts { key: string; tags?: Tag[]; kms?: boolean }

function matches(r: ReplicationRule, v: VersionFacts): boolean {
  if (r.Status !== 'Enabled') return false;
  const f = r.Filter;
  const prefix = f?.Prefix ?? f?.And?.Prefix ?? r.Prefix ?? '';
  if (!v.key.startsWith(prefix)) return false;
  const tags = [...(f?.Tag ? [f.Tag] : []), ...(f?.And?.Tags ?? [])];
  if (tags.some((t) => !v.tags?.some((x) => x.Key === t.Key && x.Value === t.Value))) return false;
  // SSE-KMS objects replicate only when the rule opts in.
  if (v.kms && r.SourceSelectionCriteria?.SseKmsEncryptedObjects?.Status !== 'Enabled') return false;
  return true;
}

export interface ReplicationTarget { bucket: string; storageClass?: string; ruleId: string }

/**
 * Where a new version (or, with `marker`, a delete marker) is replicated: per destination
 * bucket, the matching rule of highest priority.
 */
export function replicationTargets(c: ReplicationConfiguration | undefined, v: VersionFacts, marker = false): ReplicationTarget[] {
  if (!c) return [];
  const best = new Map<string, ReplicationRule>();
  for (const r of c.Rules) {
    if (!matches(r, v)) continue;
    if (marker && isV2(r) && r.DeleteMarkerReplication?.Status !== 'Enabled') continue;
    const name = destinationBucket(r.Destination.Bucket)!;
    const cur = best.get(name);
    if (!cur || (r.Priority ?? 0) > (cur.Priority ?? 0)) best.set(name, r);
  }
  return [...best].map(([bucket, r]) => ({ bucket, ruleId: r.ID!, ...(r.Destination.StorageClass ? { storageClass: r.Destination.StorageClass } : {}) }));
}
