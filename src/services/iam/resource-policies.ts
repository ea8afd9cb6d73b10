/**
 * Resource-based policies for the policy engine: given a resource's ARN, the policy its service
 * keeps on it and the account that owns it. A service supplies a reader for its ARNs with
 * `registerResourcePolicyReader(service, reader)`; until it does, the readers below read the
 * services' own tables through the store (read-only, by their documented record shapes):
 *
 *   s3   bucket policy (bucket and object ARNs)      store table s3/buckets, record.policy
 *   sqs  queue policy (attribute Policy)            store table sqs/queues
 *   sns  topic policy (attribute Policy)            store table sns/topics
 *   kms  key policy (required: IAM alone cannot grant) store table kms/keys
 *   iam  a role's trust policy (for sts:AssumeRole*)  IAM's own roles
 */
import type { Scope, Store } from '../../state/store.js';
import { PARTITION } from '../../core/regions.js';
import { iamScope, iamTables, nameKey } from './state.js';

export interface ResourcePolicy {
  /** the policy document; undefined: the resource has none */
  policy?: string;
  /** the account that owns the resource */
  account: string;
  /** the policy must allow the request itself (KMS key policies); else IAM policies may suffice */
  required?: boolean;
  /** for explanations: "bucket policy of x", "key policy of …" */
  label?: string;
}

export type ResourcePolicyReader = (store: Store, arn: string) => ResourcePolicy | undefined;

const readers = new Map<string, ResourcePolicyReader>();

/** A service's reader for its resources' policies (replaces the built-in one). */
export function registerResourcePolicyReader(service: string, reader: ResourcePolicyReader): void {
  readers.set(service, reader);
}

/** The policy on the resource an ARN names, and its owner; undefined when the resource is unknown. */
export function resourcePolicyFor(store: Store, arn: string): ResourcePolicy | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const service = parts[2]!;
  const reader = readers.get(service) ?? BUILT_IN[service];
  try {
    return reader?.(store, arn);
  } catch {
    return undefined;
  }
}

interface Arn { region: string; account: string; resource: string }
const split = (arn: string): Arn => {
  const p = arn.split(':');
  return { region: p[3]!, account: p[4]!, resource: p.slice(5).join(':') };
};
const attr = (rec: { attributes?: Record<string, string> } | undefined) => rec?.attributes?.Policy || undefined;

const BUILT_IN: Record<string, ResourcePolicyReader> = {
  s3(store, arn) {
    const bucket = split(arn).resource.split('/')[0]!;
    for (const [scope, recs] of store.table<{ account: string; policy?: string }>('s3', 'buckets').allScopes()) {
      const rec = recs.get(bucket);
      if (rec) return { policy: rec.policy || undefined, account: scope.account, label: `bucket policy of ${bucket}` };
    }
    return undefined;
  },
  sqs(store, arn) {
    const a = split(arn);
    const rec = store.table<{ attributes?: Record<string, string> }>('sqs', 'queues').get(scopeOf(a), a.resource);
    return rec && { policy: attr(rec), account: a.account, label: `queue policy of ${a.resource}` };
  },
  sns(store, arn) {
    const a = split(arn);
    const rec = store.table<{ attributes?: Record<string, string> }>('sns', 'topics').get(scopeOf(a), a.resource);
    // a topic without a Policy attribute has SNS's default policy: its owner account only, which
    // grants nothing beyond the owner's IAM policies (as no policy at all)
    return rec && { policy: attr(rec), account: a.account, label: `topic policy of ${a.resource}` };
  },
  kms(store, arn) {
    const a = split(arn);
    if (!a.resource.startsWith('key/')) return undefined;
    const rec = store.table<{ Policy?: string }>('kms', 'keys').get(scopeOf(a), a.resource.slice(4));
    return rec && { policy: rec.Policy, account: a.account, required: true, label: `key policy of ${a.resource}` };
  },
  iam(store, arn) {
    const a = split(arn);
    const m = /^role\/(?:.*\/)?([^/]+)$/.exec(a.resource);
    const role = m ? iamTables(store).roles.get(iamScope(a.account), nameKey(m[1]!)) : undefined;
    return role && role.arn === arn ? { policy: role.trust, account: a.account, label: `trust policy of role ${role.name}` } : undefined;
  },
};

const scopeOf = (a: Arn): Scope => ({ account: a.account, region: a.region });

// ---- ARNs of resources named by id or name (for the gateway's authorize step)

/** A user/role/group/instance profile's ARN (its path from IAM when it exists; else path `/`). */
export function iamEntityArn(store: Store, account: string, kind: 'user' | 'role' | 'group' | 'instance-profile', name: string): string {
  const t = iamTables(store);
  const table = kind === 'user' ? t.users : kind === 'role' ? t.roles : kind === 'group' ? t.groups : t.profiles;
  const rec = (table as typeof t.users).get(iamScope(account), nameKey(name));
  return rec?.arn ?? `arn:${PARTITION}:iam::${account}:${kind}/${name}`;
}

/** A KMS key's ARN from a key id, key ARN, alias name or alias ARN (undefined: no such key or alias). */
export function kmsKeyArn(store: Store, account: string, region: string, id: string): string | undefined {
  let scope: Scope = { account, region };
  let ref = id;
  if (id.startsWith('arn:')) {
    const a = split(id);
    scope = { account: a.account, region: a.region };
    ref = a.resource.startsWith('key/') ? a.resource.slice(4) : a.resource;
  }
  if (ref.startsWith('alias/')) {
    const alias = store.table<{ TargetKeyId?: string }>('kms', 'aliases').get(scope, ref);
    if (!alias?.TargetKeyId) return undefined;
    ref = alias.TargetKeyId;
  }
  return `arn:${PARTITION}:kms:${scope.region}:${scope.account}:key/${ref}`;
}
