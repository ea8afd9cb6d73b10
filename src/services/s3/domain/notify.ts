/**
 * Event notifications: the configuration's rules (event types, prefix/suffix filters, ARNs
 * in the bucket's region, no overlapping configurations) and the messages S3 sends — the
 * `Records` document for SQS, SNS and Lambda, the `s3:TestEvent`, and the EventBridge detail.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import type { FilterRule, NotificationConfiguration } from '../generated/types.js';
import { invalidArgument } from './errors.js';

export const EVENT_TYPES = [
  's3:ReducedRedundancyLostObject',
  's3:ObjectCreated:*', 's3:ObjectCreated:Put', 's3:ObjectCreated:Post', 's3:ObjectCreated:Copy', 's3:ObjectCreated:CompleteMultipartUpload',
  's3:ObjectRemoved:*', 's3:ObjectRemoved:Delete', 's3:ObjectRemoved:DeleteMarkerCreated',
  's3:ObjectRestore:*', 's3:ObjectRestore:Post', 's3:ObjectRestore:Completed', 's3:ObjectRestore:Delete',
  's3:Replication:*', 's3:Replication:OperationFailedReplication', 's3:Replication:OperationNotTracked',
  's3:Replication:OperationMissedThreshold', 's3:Replication:OperationReplicatedAfterThreshold',
  's3:LifecycleExpiration:*', 's3:LifecycleExpiration:Delete', 's3:LifecycleExpiration:DeleteMarkerCreated',
  's3:LifecycleTransition', 's3:IntelligentTiering',
  's3:ObjectTagging:*', 's3:ObjectTagging:Put', 's3:ObjectTagging:Delete', 's3:ObjectAcl:Put',
];

/** One destination of a configuration, in a uniform shape. */
export interface Target {
  kind: 'queue' | 'topic' | 'lambda';
  arn: string;
  id: string;
  events: string[];
  prefix: string;
  suffix: string;
}

const KINDS = [
  { list: 'QueueConfigurations', arnField: 'QueueArn', kind: 'queue', service: 'sqs' },
  { list: 'TopicConfigurations', arnField: 'TopicArn', kind: 'topic', service: 'sns' },
  { list: 'LambdaFunctionConfigurations', arnField: 'LambdaFunctionArn', kind: 'lambda', service: 'lambda' },
] as const;

type AnyConfig = { Id?: string; Events?: string[]; Filter?: { Key?: { FilterRules?: FilterRule[] } } } & Record<string, unknown>;

/** The configurations of a stored notification configuration as targets. */
export function targetsOf(c: NotificationConfiguration | undefined): Target[] {
  const out: Target[] = [];
  if (!c) return out;
  for (const k of KINDS) {
    for (const q of ((c as Record<string, unknown>)[k.list] ?? []) as AnyConfig[]) {
      const rules = q.Filter?.Key?.FilterRules ?? [];
      out.push({
        kind: k.kind, arn: q[k.arnField] as string, id: q.Id ?? '', events: q.Events ?? [],
        prefix: rules.find((r) => r.Name === 'Prefix')?.Value ?? '', suffix: rules.find((r) => r.Name === 'Suffix')?.Value ?? '',
      });
    }
  }
  return out;
}

function typesOverlap(a: string[], b: string[]): boolean {
  const covers = (p: string, e: string) => p === e || (p.endsWith(':*') && e.startsWith(p.slice(0, -1))) || (e.endsWith(':*') && p.startsWith(e.slice(0, -1)));
  return a.some((x) => b.some((y) => covers(x, y)));
}

/**
 * A configuration as S3 stores it: ids assigned, filter rule names as `Prefix`/`Suffix`.
 * Throws AWS's InvalidArgument for unknown events, malformed or foreign-region ARNs, bad
 * filters and overlapping configurations.
 */
export function checkNotificationConfiguration(c: NotificationConfiguration | undefined, bucketRegion: string): NotificationConfiguration {
  const out: NotificationConfiguration = {};
  const seen: Target[] = [];
  for (const k of KINDS) {
    const list = ((c as Record<string, unknown> | undefined)?.[k.list] ?? []) as AnyConfig[];
    if (!list.length) continue;
    const stored: AnyConfig[] = [];
    for (const q of list) {
      const arn = q[k.arnField] as string | undefined;
      const parsed = arn ? parseArn(arn) : undefined;
      if (!arn || !parsed || parsed.service !== k.service || !parsed.account || !parsed.resource) {
        throw invalidArgument('The ARN is not well formed', k.arnField, arn);
      }
      if (parsed.region !== bucketRegion) {
        throw invalidArgument('The notification destination service region is not valid for the bucket location constraint', k.arnField, arn);
      }
      if (!q.Events?.length) throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      for (const e of q.Events) if (!EVENT_TYPES.includes(e)) throw invalidArgument('The event is not supported for notifications', 'Event', e);
      const rules: FilterRule[] = [];
      for (const r of q.Filter?.Key?.FilterRules ?? []) {
        const name = (r.Name ?? '').toLowerCase();
        if (name !== 'prefix' && name !== 'suffix') throw invalidArgument('filter rule name must be either prefix or suffix', 'FilterRule.Name', r.Name);
        if (rules.some((x) => x.Name!.toLowerCase() === name)) throw invalidArgument(`Cannot specify more than one ${name} rule in a filter.`, 'FilterRule.Name', r.Name);
        if (!r.Value) throw invalidArgument('filter value cannot be empty', 'FilterRule.Value', r.Value);
        rules.push({ Name: name === 'prefix' ? 'Prefix' : 'Suffix', Value: r.Value });
      }
      const id = q.Id || Buffer.from(randomUUID()).toString('base64').slice(0, 48);
      const t: Target = { kind: k.kind, arn, id, events: q.Events, prefix: rules.find((r) => r.Name === 'Prefix')?.Value ?? '', suffix: rules.find((r) => r.Name === 'Suffix')?.Value ?? '' };
      for (const o of seen) {
        const prefixes = t.prefix.startsWith(o.prefix) || o.prefix.startsWith(t.prefix);
        const suffixes = t.suffix.endsWith(o.suffix) || o.suffix.endsWith(t.suffix);
        if (typesOverlap(t.events, o.events) && prefixes && suffixes) {
          throw invalidArgument('Configurations overlap. Configurations on the same bucket cannot share a common event type.', 'Event', t.events.join(','));
        }
      }
      seen.push(t);
      stored.push({ Id: id, [k.arnField]: arn, Events: q.Events, ...(rules.length ? { Filter: { Key: { FilterRules: rules } } } : {}) });
    }
    (out as Record<string, unknown>)[k.list] = stored;
  }
  if (c?.EventBridgeConfiguration) out.EventBridgeConfiguration = {};
  return out;
}

/** Whether a target wants an event ("ObjectCreated:Put") for a key. */
export function wants(t: Target, eventName: string, key: string): boolean {
  const full = `s3:${eventName}`;
  const typeOk = t.events.some((p) => p === full || (p.endsWith(':*') && full.startsWith(p.slice(0, -1))));
  return typeOk && key.startsWith(t.prefix) && key.endsWith(t.suffix);
}

/** Keys in event records are URL-encoded (form style: a space is `+`, `/` stays). */
export function eventKey(key: string): string {
  return encodeURIComponent(key).replace(/%2F/g, '/').replace(/%20/g, '+').replace(/[!'()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export interface EventFacts {
  eventName: string;
  time: number;
  region: string;
  bucket: string;
  bucketOwner: string;
  key: string;
  size?: number;
  etag?: string;
  versionId?: string;
  sequencer: string;
  /** the caller, or undefined for S3's own actions (lifecycle, restores) */
  principal?: string;
  sourceIp?: string;
  requestId: string;
  storageClass?: string;
  restoreExpiry?: number;
  transitionTo?: string;
}

const id2 = () => Buffer.from(randomUUID() + randomUUID()).toString('base64').slice(0, 76);

/** One element of `Records`, as S3 sends it. */
export function eventRecord(f: EventFacts, configurationId: string): Record<string, unknown> {
  const service = f.principal === undefined;
  const version = f.eventName.startsWith('Lifecycle') || f.eventName === 'ObjectRestore:Delete' || f.eventName.startsWith('ObjectTagging') || f.eventName.startsWith('ObjectAcl') ? '2.3' : '2.1';
  const object: Record<string, unknown> = { key: eventKey(f.key) };
  if (f.size !== undefined) object.size = f.size;
  if (f.etag !== undefined) object.eTag = f.etag.replace(/"/g, '');
  if (f.versionId !== undefined) object.versionId = f.versionId;
  object.sequencer = f.sequencer;
  const rec: Record<string, unknown> = {
    eventVersion: version,
    eventSource: 'aws:s3',
    awsRegion: f.region,
    eventTime: new Date(f.time).toISOString(),
    eventName: f.eventName,
    userIdentity: { principalId: service ? 's3.amazonaws.com' : f.principal },
    requestParameters: { sourceIPAddress: service ? 's3.amazonaws.com' : (f.sourceIp ?? '127.0.0.1') },
    responseElements: { 'x-amz-request-id': f.requestId, 'x-amz-id-2': id2() },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: configurationId,
      bucket: { name: f.bucket, ownerIdentity: { principalId: f.bucketOwner }, arn: `arn:aws:s3:::${f.bucket}` },
      object,
    },
  };
  if (f.eventName.startsWith('ObjectRestore:') && f.eventName !== 'ObjectRestore:Post') {
    rec.glacierEventData = { restoreEventData: { lifecycleRestorationExpiryTime: f.restoreExpiry !== undefined ? new Date(f.restoreExpiry).toISOString() : undefined, lifecycleRestoreStorageClass: f.storageClass } };
  }
  if (f.eventName === 'LifecycleTransition') rec.lifecycleEventData = { transitionEventData: { destinationStorageClass: f.transitionTo } };
  return rec;
}

export function testEvent(bucket: string, time: number, requestId: string): Record<string, unknown> {
  return { Service: 'Amazon S3', Event: 's3:TestEvent', Time: new Date(time).toISOString(), Bucket: bucket, RequestId: requestId, HostId: id2() };
}

/** The EventBridge detail-type and detail of an event (undefined for those EventBridge does not get). */
export function eventBridgeEvent(f: EventFacts): { detailType: string; detail: Record<string, unknown> } | undefined {
  const object: Record<string, unknown> = { key: f.key };
  if (f.size !== undefined) object.size = f.size;
  if (f.etag !== undefined) object.etag = f.etag.replace(/"/g, '');
  if (f.versionId !== undefined) object['version-id'] = f.versionId;
  object.sequencer = f.sequencer;
  const base = {
    version: '0', bucket: { name: f.bucket }, object, 'request-id': f.requestId,
    requester: f.principal ?? 's3.amazonaws.com', ...(f.principal !== undefined ? { 'source-ip-address': f.sourceIp ?? '127.0.0.1' } : {}),
  };
  const [group, action] = f.eventName.split(':') as [string, string | undefined];
  const reasons: Record<string, string> = { Put: 'PutObject', Post: 'POST Object', Copy: 'CopyObject', CompleteMultipartUpload: 'CompleteMultipartUpload' };
  switch (group) {
    case 'ObjectCreated':
      return { detailType: 'Object Created', detail: { ...base, reason: reasons[action!] ?? 'PutObject' } };
    case 'ObjectRemoved':
    case 'LifecycleExpiration':
      return {
        detailType: 'Object Deleted',
        detail: { ...base, 'deletion-type': action === 'DeleteMarkerCreated' ? 'Delete Marker Created' : 'Permanently Deleted', reason: group === 'ObjectRemoved' ? 'DeleteObject' : 'Lifecycle Expiration' },
      };
    case 'ObjectRestore':
      if (action === 'Post') return { detailType: 'Object Restore Initiated', detail: { ...base, 'source-storage-class': f.storageClass } };
      if (action === 'Completed') return { detailType: 'Object Restore Completed', detail: { ...base, 'restore-expiry-time': new Date(f.restoreExpiry!).toISOString(), 'source-storage-class': f.storageClass } };
      return { detailType: 'Object Restore Expired', detail: base };
    case 'LifecycleTransition':
      return { detailType: 'Object Storage Class Changed', detail: { ...base, 'destination-storage-class': f.transitionTo } };
    case 'ObjectTagging':
      return { detailType: action === 'Put' ? 'Object Tags Added' : 'Object Tags Deleted', detail: base };
    case 'ObjectAcl':
      return { detailType: 'Object ACL Updated', detail: base };
    default:
      return undefined;
  }
}
