/**
 * Which service a request is for, from what arrives before the body: the SigV4 signing
 * name, X-Amz-Target, the smithy-rpc-v2-cbor path, the Host. Several services share a
 * signing name (dynamodb/dynamodbstreams, elb/elbv2, ses/sesv2, apigateway v1/v2); those
 * come back as several candidates for the chain to settle by target, Version or path.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ModelIndexEntry, ProtocolId } from '../protocol/model.js';
import { modelIndex } from '../protocol/models.js';

interface Lookup {
  bySigning: Map<string, ModelIndexEntry[]>;
  byTarget: Map<string, ModelIndexEntry>;
  byEndpoint: Map<string, ModelIndexEntry>;
  byId: Map<string, ModelIndexEntry>;
}

let lookup: Lookup | undefined;

function tables(): Lookup {
  if (lookup) return lookup;
  const l: Lookup = { bySigning: new Map(), byTarget: new Map(), byEndpoint: new Map(), byId: new Map() };
  for (const s of modelIndex().services) {
    l.byId.set(s.id, s);
    const list = l.bySigning.get(s.signingName) ?? [];
    list.push(s);
    l.bySigning.set(s.signingName, list);
    if (s.targetPrefix) l.byTarget.set(s.targetPrefix, s);
    for (const alias of s.targetPrefixAliases ?? []) l.byTarget.set(alias, s);
    if (!l.byEndpoint.has(s.endpointPrefix)) l.byEndpoint.set(s.endpointPrefix, s);
  }
  return (lookup = l);
}

export function entryById(id: string): ModelIndexEntry | undefined {
  return tables().byId.get(id);
}

export function entriesBySigningName(name: string): ModelIndexEntry[] {
  return tables().bySigning.get(name) ?? [];
}

/** The X-Amz-Target prefix's service ("DynamoDB_20120810.PutItem" → dynamodb). */
export function entryByTarget(target: string): ModelIndexEntry | undefined {
  const dot = target.lastIndexOf('.');
  return tables().byTarget.get(dot < 0 ? target : target.slice(0, dot));
}

/** "/service/GraniteServiceVersion20100801/operation/PutMetricData" → [service entry, op] */
export function cborPath(path: string): { entry: ModelIndexEntry; operation: string } | undefined {
  const m = /^\/service\/([^/]+)\/operation\/([^/?]+)$/.exec(path);
  if (!m) return undefined;
  const entry = tables().byTarget.get(m[1]!) ?? [...tables().byId.values()].find((s) => s.targetPrefix?.endsWith(m[1]!));
  return entry ? { entry, operation: m[2]! } : undefined;
}

/** Candidates from Host: "sqs.us-east-1.localhost.localstack.cloud", "bucket.s3.localhost", … */
export function entryByHost(host: string): ModelIndexEntry | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  // Any label that is a known endpoint prefix, left to right ("sqs" in sqs.us-east-1.amazonaws.com).
  for (let i = 0; i < labels.length - 1; i++) {
    const e = tables().byEndpoint.get(labels[i]!);
    if (e) return e;
  }
  return undefined;
}

/** Bucket named by a virtual-host style Host, if any. */
export function bucketFromHost(host: string): string | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  // <bucket>.s3.<anything> | <bucket>.s3-<region>.<anything> | <bucket>.s3.<region>.<anything>
  let m = /^(.+?)\.s3(?:[.-][a-z0-9-]+)?\.(?:.*)$/.exec(name);
  if (m && !/^s3([.-]|$)/.test(name)) return m[1];
  // <bucket>.localhost[.localstack.cloud]
  m = /^(.+)\.localhost(?:\.localstack\.cloud)?$/.exec(name);
  if (m && !/\.s3$/.test(m[1]!) && !tables().byEndpoint.has(m[1]!.split('.')[0]!)) return m[1];
  return undefined;
}

/** An S3 website endpoint: `<bucket>.s3-website-<region>.<domain>` or `<bucket>.s3-website[.<region>].<domain>`. */
export function isWebsiteHost(host: string): boolean {
  return /^[^:]+?\.s3-website(?:[.-]|:|$)/i.test(host);
}

/** Protocol a multi-protocol service is spoken in, from the request's headers. */
export function protocolFor(entry: ModelIndexEntry, headers: IncomingHttpHeaders, path: string): ProtocolId {
  if (entry.protocols.length === 1) return entry.protocol;
  const ct = (headers['content-type'] ?? '').toLowerCase();
  const has = (p: ProtocolId) => entry.protocols.includes(p);
  if (has('smithy-rpc-v2-cbor') && (headers['smithy-protocol'] === 'rpc-v2-cbor' || path.startsWith('/service/'))) return 'smithy-rpc-v2-cbor';
  if (has('json') && (headers['x-amz-target'] || ct.startsWith('application/x-amz-json'))) return 'json';
  if (has('query') && (ct.startsWith('application/x-www-form-urlencoded') || headers['x-amz-target'] === undefined)) return 'query';
  return entry.protocol;
}
