/**
 * Multi-Region keys: ReplicateKey and UpdatePrimaryRegion. Every member of a set has the same key
 * id (`mrk-…`) and key material in its own Region scope, so a ciphertext from one decrypts in
 * another; description, policy, tags, aliases, grants and enabled state are per member.
 */
import { isKnownRegion } from '../../../core/regions.js';
import type { Scope } from '../../../state/store.js';
import type { ReplicateKeyRequest, ReplicateKeyResponse, UpdatePrimaryRegionRequest } from '../generated/types.js';
import { alreadyExists, checkLength, disabled, keyNotFound, notInUsableState, unsupported, validation } from '../domain/errors.js';
import { arnOf, defaultPolicy, isReplica, keyArn, metadata, primaryRegionOf, type KeyRecord } from '../domain/model.js';
import { checkPolicy, checkTags, mergeTags } from '../domain/policy.js';
import { cloneMaterial, isDeleting, type KmsState } from '../state.js';

/** A replica is in state Creating for this long (AWS: "a few seconds") before it can be used. */
export const REPLICA_CREATION_MS = 2_000;

function multiRegionPrimary(s: KmsState, scope: Scope, keyId: string, operation: string): KeyRecord {
  const k = s.resolve(scope, keyId);
  if (!k.MultiRegion) throw unsupported(`${arnOf(k)} is not a multi-Region key. ${operation} supports only multi-Region keys.`);
  if (isReplica(k)) throw unsupported(`${arnOf(k)} is a multi-Region replica key. Call ${operation} on its primary key in ${primaryRegionOf(k)}.`);
  return k;
}

export function replicateKey(s: KmsState, scope: Scope, input: ReplicateKeyRequest): ReplicateKeyResponse {
  checkLength(input.Description, 'description', 0, 8192);
  if (input.Policy !== undefined) checkPolicy(input.Policy);
  const tags = input.Tags ?? [];
  checkTags(tags);
  if (!/^[a-z0-9-]{1,32}$/.test(input.ReplicaRegion) || !isKnownRegion(input.ReplicaRegion)) {
    throw validation(`1 validation error detected: Value '${input.ReplicaRegion}' at 'replicaRegion' failed to satisfy constraint: Member must be a valid AWS Region name`);
  }
  const primary = multiRegionPrimary(s, scope, input.KeyId, 'ReplicateKey');
  if (isDeleting(primary)) throw notInUsableState(arnOf(primary), primary.KeyState);
  const set = primary.mr ?? { primaryRegion: primary.region, replicaRegions: [] };
  const target = { account: primary.account, region: input.ReplicaRegion };
  if (input.ReplicaRegion === primary.region || set.replicaRegions.includes(input.ReplicaRegion) || s.keys.has(target, primary.KeyId)) {
    throw alreadyExists(`Key ${keyArn(target, primary.KeyId)} already exists.`);
  }
  const now = s.now();
  const newSet = { primaryRegion: set.primaryRegion, replicaRegions: [...set.replicaRegions, input.ReplicaRegion] };
  const replica: KeyRecord = {
    KeyId: primary.KeyId,
    account: primary.account,
    region: input.ReplicaRegion,
    CreationDate: now,
    Description: input.Description ?? primary.Description,
    KeyState: 'Creating',
    readyAt: now + REPLICA_CREATION_MS,
    KeySpec: primary.KeySpec,
    KeyUsage: primary.KeyUsage,
    KeyManager: 'CUSTOMER',
    Origin: primary.Origin,
    MultiRegion: true,
    mr: newSet,
    Policy: input.Policy ?? defaultPolicy(primary.account),
    Tags: mergeTags([], tags),
    // imported material is imported into each member separately; generated material is shared
    materials: primary.materials.map((m) => cloneMaterial(m, primary.Origin === 'AWS_KMS')),
    rotation: { ...primary.rotation },
    rotations: primary.rotations.map((r) => ({ ...r })),
  };
  s.save(replica);
  s.due(replica.readyAt!);
  for (const member of [primary, ...s.relatives(primary)]) {
    if (member === replica) continue;
    member.mr = { primaryRegion: newSet.primaryRegion, replicaRegions: [...newSet.replicaRegions] };
    s.save(member);
  }
  return { ReplicaKeyMetadata: metadata(replica), ReplicaPolicy: replica.Policy, ReplicaTags: replica.Tags.map((t) => ({ ...t })) };
}

export function updatePrimaryRegion(s: KmsState, scope: Scope, input: UpdatePrimaryRegionRequest): void {
  if (!isKnownRegion(input.PrimaryRegion)) {
    throw validation(`1 validation error detected: Value '${input.PrimaryRegion}' at 'primaryRegion' failed to satisfy constraint: Member must be a valid AWS Region name`);
  }
  const primary = multiRegionPrimary(s, scope, input.KeyId, 'UpdatePrimaryRegion');
  if (primary.KeyState === 'Disabled') throw disabled(arnOf(primary));
  if (primary.KeyState !== 'Enabled') throw notInUsableState(arnOf(primary), primary.KeyState);
  if (input.PrimaryRegion === primary.region) return;
  const target = s.keys.get({ account: primary.account, region: input.PrimaryRegion }, primary.KeyId);
  if (!target) throw keyNotFound(keyArn({ account: primary.account, region: input.PrimaryRegion }, primary.KeyId));
  if (target.KeyState === 'Disabled') throw disabled(arnOf(target));
  if (target.KeyState !== 'Enabled') throw notInUsableState(arnOf(target), target.KeyState);
  const set = primary.mr!;
  const newSet = { primaryRegion: input.PrimaryRegion, replicaRegions: [...set.replicaRegions.filter((r) => r !== input.PrimaryRegion), primary.region] };
  for (const member of [primary, ...s.relatives(primary)]) {
    member.mr = { primaryRegion: newSet.primaryRegion, replicaRegions: [...newSet.replicaRegions] };
    s.save(member);
  }
}
