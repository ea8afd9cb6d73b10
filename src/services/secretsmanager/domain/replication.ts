/**
 * Replication to other Regions. A replica is a read-only copy of the primary secret in another
 * Region scope of the same account, with the same name and ARN suffix: versions and staging
 * labels, description, tags, resource policy and rotation settings. Its values are encrypted
 * under its own KMS key in its Region (the given KmsKeyId, or that Region's aws/secretsmanager).
 * gureum replicates synchronously whenever the primary changes, so a replica is InSync as soon
 * as the call that changed the primary returns (AWS shows InProgress for a moment first); a
 * replica whose key cannot be used is Failed with the reason.
 */
import { isKnownRegion } from '../../../core/regions.js';
import { isAwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import type { ReplicaRegionType, ReplicationStatusType } from '../generated/types.js';
import type { SecretsState } from '../state.js';
import { openVersion, sealValue } from './crypto.js';
import { hasValue, invalidParameter, type ReplicaRecord, type SecretRecord, type VersionRecord } from './model.js';

export const replicaScope = (scope: Scope, region: string): Scope => ({ account: scope.account, region });

/** The primary's ARN with the replica's Region (same name and suffix). */
export const replicaArn = (primaryArn: string, region: string) => {
  const p = primaryArn.split(':');
  p[3] = region;
  return p.join(':');
};

export function replicationStatus(st: SecretsState, scope: Scope, s: SecretRecord): ReplicationStatusType[] {
  return (s.replicas ?? []).map((r) => {
    const rec = st.secrets.get(replicaScope(scope, r.region), s.name);
    return {
      Region: r.region,
      KmsKeyId: r.kmsKeyId ?? 'alias/aws/secretsmanager',
      Status: r.status,
      StatusMessage: r.statusMessage,
      LastAccessedDate: rec?.primaryRegion === scope.region && rec.lastAccessedDate !== undefined ? new Date(rec.lastAccessedDate) : undefined,
    };
  });
}

/** Adds replica Regions to a primary secret (CreateSecret AddReplicaRegions, ReplicateSecretToRegions). */
export function replicateTo(st: SecretsState, scope: Scope, s: SecretRecord, regions: ReplicaRegionType[], force: boolean): void {
  const seen = new Set<string>();
  for (const r of regions) {
    const region = r.Region ?? '';
    if (!isKnownRegion(region)) throw invalidParameter(`Invalid replica Region: ${region}.`);
    if (region === scope.region) throw invalidParameter(`Invalid replica Region: ${region} is the Region of the primary secret.`);
    if (seen.has(region) || s.replicas?.some((x) => x.region === region)) throw invalidParameter(`The secret is already replicated to ${region}.`);
    seen.add(region);
  }
  const replicas = (s.replicas ??= []);
  for (const r of regions) {
    const rec: ReplicaRecord = { region: r.Region!, kmsKeyId: r.KmsKeyId, status: 'InProgress' };
    replicas.push(rec);
    const target = replicaScope(scope, rec.region);
    const existing = st.secrets.get(target, s.name);
    if (existing && !force) {
      rec.status = 'Failed';
      rec.statusMessage = 'Replication failed: Secret name already exists in Region. Set ForceOverwriteReplicaSecret to overwrite it.';
      continue;
    }
    if (existing) st.secrets.delete(target, s.name);
  }
  st.save(scope, s);
}

/** Brings every replica of a primary up to date (called whenever the primary is saved). */
export function syncReplicas(st: SecretsState, scope: Scope, s: SecretRecord): void {
  for (const rep of s.replicas ?? []) {
    if (rep.status === 'Failed' && rep.statusMessage?.startsWith('Replication failed: Secret name already exists')) continue;
    const target = replicaScope(scope, rep.region);
    try {
      st.secrets.put(target, s.name, replicaOf(st, scope, s, rep, st.secrets.get(target, s.name)));
      rep.status = 'InSync';
      delete rep.statusMessage;
    } catch (e) {
      if (!isAwsError(e)) throw e;
      rep.status = 'Failed';
      rep.statusMessage = `Replication failed: ${e.code}: ${e.message}`;
    }
  }
  st.secrets.put(scope, s.name, s);
}

function replicaOf(st: SecretsState, scope: Scope, s: SecretRecord, rep: ReplicaRecord, old: SecretRecord | undefined): SecretRecord {
  const target = replicaScope(scope, rep.region);
  const arn = old?.primaryRegion === scope.region ? old.arn : replicaArn(s.arn, rep.region);
  const versions: Record<string, VersionRecord> = {};
  for (const id of s.order) {
    const v = s.versions[id]!;
    const prev = old?.primaryRegion === scope.region ? old.versions[id] : undefined;
    const copy: VersionRecord = { id, stages: [...v.stages], createdDate: v.createdDate, kmsKeyId: rep.kmsKeyId, lastAccessedDate: prev?.lastAccessedDate };
    if (prev?.sealed && prev.kmsKeyId === rep.kmsKeyId) copy.sealed = prev.sealed;
    else if (hasValue(v)) copy.sealed = sealValue(st.kms, target, arn, id, rep.kmsKeyId, openVersion(st.kms, scope, s.arn, v));
    versions[id] = copy;
  }
  return {
    name: s.name,
    arn,
    description: s.description,
    kmsKeyId: rep.kmsKeyId,
    type: s.type,
    tags: s.tags.map((t) => ({ ...t })),
    createdDate: old?.createdDate ?? st.now(),
    lastChangedDate: s.lastChangedDate,
    lastAccessedDate: old?.lastAccessedDate,
    order: [...s.order],
    versions,
    resourcePolicy: s.resourcePolicy,
    rotation: s.rotation && { ...s.rotation, pendingToken: undefined, lastFailure: undefined },
    primaryRegion: scope.region,
  };
}
