/** Keys: CreateKey, DescribeKey, ListKeys, Enable/DisableKey, UpdateKeyDescription, scheduled deletion. */
import { hexId, uuid } from '../../../core/ids.js';
import type { Scope } from '../../../state/store.js';
import type {
  CancelKeyDeletionResponse, CreateKeyRequest, CreateKeyResponse, DescribeKeyResponse, ListKeysRequest, ListKeysResponse,
  ScheduleKeyDeletionRequest, ScheduleKeyDeletionResponse,
} from '../generated/types.js';
import { newMaterial } from '../domain/crypto.js';
import { checkLength, checkRange, enumConstraint, invalidState, notInUsableState, unsupported, validation } from '../domain/errors.js';
import { arnOf, defaultPolicy, isReplica, metadata, type KeyRecord } from '../domain/model.js';
import { refreshImportState } from '../domain/lifecycle.js';
import { byKey, page } from '../domain/paging.js';
import { checkPolicy, checkTags, mergeTags } from '../domain/policy.js';
import { KEY_SPEC_ENUM, KEY_USAGES, SPECS } from '../domain/specs.js';
import { checkManageable, isDeleting, type KmsState } from '../state.js';

const DAY = 86_400_000;
const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'];

export async function createKey(s: KmsState, scope: Scope, input: CreateKeyRequest): Promise<CreateKeyResponse> {
  if (input.KeySpec !== undefined && input.CustomerMasterKeySpec !== undefined) {
    throw validation('You cannot specify KeySpec and CustomerMasterKeySpec in the same request. CustomerMasterKeySpec is deprecated.');
  }
  const spec = input.KeySpec ?? input.CustomerMasterKeySpec ?? 'SYMMETRIC_DEFAULT';
  if (!KEY_SPEC_ENUM.includes(spec)) throw enumConstraint(spec, input.KeySpec !== undefined ? 'keySpec' : 'customerMasterKeySpec', KEY_SPEC_ENUM);
  const usage = input.KeyUsage ?? 'ENCRYPT_DECRYPT';
  if (!KEY_USAGES.includes(usage)) throw enumConstraint(usage, 'keyUsage', KEY_USAGES);
  const origin = input.Origin ?? 'AWS_KMS';
  if (!ORIGINS.includes(origin)) throw enumConstraint(origin, 'origin', ORIGINS);
  const info = SPECS[spec];
  if (!info) throw unsupported(`KeySpec ${spec} is not supported by this emulator.`);
  if (!info.usages.includes(usage)) throw validation(`KeyUsage ${usage} is not compatible with KeySpec ${spec}.`);
  if (origin === 'AWS_CLOUDHSM' || origin === 'EXTERNAL_KEY_STORE') throw unsupported(`Origin ${origin} (custom key stores) is not supported by this emulator.`);
  if (input.CustomKeyStoreId !== undefined || input.XksKeyId !== undefined) throw unsupported('Custom key stores are not supported by this emulator.');
  checkLength(input.Description, 'description', 0, 8192);
  if (input.Policy !== undefined) checkPolicy(input.Policy);
  const tags = input.Tags ?? [];
  checkTags(tags);
  const now = s.now();
  // before any check-and-write: nothing awaits after this. EXTERNAL keys wait for ImportKeyMaterial.
  const material = origin === 'EXTERNAL' ? undefined : await newMaterial(spec, now);
  const k: KeyRecord = {
    KeyId: input.MultiRegion ? `mrk-${hexId(32)}` : uuid(),
    account: scope.account,
    region: scope.region,
    CreationDate: now,
    Description: input.Description ?? '',
    KeyState: material ? 'Enabled' : 'PendingImport',
    KeySpec: spec,
    KeyUsage: usage,
    KeyManager: 'CUSTOMER',
    Origin: origin,
    MultiRegion: input.MultiRegion ?? false,
    Policy: input.Policy ?? defaultPolicy(scope.account),
    Tags: mergeTags([], tags),
    materials: material ? [material] : [],
    rotation: { enabled: false, periodDays: 365 },
    rotations: [],
  };
  s.save(k);
  return { KeyMetadata: metadata(k) };
}

export function describeKey(s: KmsState, scope: Scope, keyId: string): DescribeKeyResponse {
  return { KeyMetadata: metadata(s.resolve(scope, keyId, { alias: true })) };
}

export function listKeys(s: KmsState, scope: Scope, input: ListKeysRequest): ListKeysResponse {
  const all = [...s.keys.values(scope)].sort(byKey((k) => k.KeyId));
  const p = page(all, (k) => k.KeyId, input.Limit, input.Marker, 1000, 100);
  return { Keys: p.items.map((k) => ({ KeyId: k.KeyId, KeyArn: arnOf(k) })), NextMarker: p.NextMarker, Truncated: p.Truncated };
}

/** A key for a key-management operation: key id or key ARN, not pending deletion. */
function manageable(s: KmsState, scope: Scope, keyId: string): KeyRecord {
  const k = s.resolve(scope, keyId);
  checkManageable(k);
  return k;
}

export function setEnabled(s: KmsState, scope: Scope, keyId: string, enabled: boolean): void {
  const k = manageable(s, scope, keyId);
  if (k.KeyState === 'PendingImport' || k.KeyState === 'Creating') throw notInUsableState(arnOf(k), k.KeyState);
  k.KeyState = enabled ? 'Enabled' : 'Disabled';
  s.save(k);
  s.due(0); // a re-enabled key may have a rotation that came due while it was disabled
}

export function updateKeyDescription(s: KmsState, scope: Scope, keyId: string, description: string): void {
  checkLength(description, 'description', 0, 8192);
  const k = manageable(s, scope, keyId);
  k.Description = description;
  s.save(k);
}

export function scheduleKeyDeletion(s: KmsState, scope: Scope, input: ScheduleKeyDeletionRequest): ScheduleKeyDeletionResponse {
  checkRange(input.PendingWindowInDays, 'pendingWindowInDays', 7, 30);
  const k = manageable(s, scope, input.KeyId);
  if (k.KeyManager === 'AWS') throw unsupported(`${arnOf(k)} is an AWS managed key: it cannot be scheduled for deletion.`);
  const days = input.PendingWindowInDays ?? 30;
  k.PendingWindowInDays = days;
  // a multi-Region primary with replicas waits for them to be deleted first (PendingReplicaDeletion)
  if (k.MultiRegion && !isReplica(k) && (k.mr?.replicaRegions.length ?? 0) > 0) {
    k.KeyState = 'PendingReplicaDeletion';
    delete k.DeletionDate;
    s.save(k);
    return { KeyId: arnOf(k), KeyState: 'PendingReplicaDeletion', PendingWindowInDays: days };
  }
  k.KeyState = 'PendingDeletion';
  k.DeletionDate = s.now() + days * DAY;
  delete k.readyAt;
  s.save(k);
  s.due(k.DeletionDate);
  return { KeyId: arnOf(k), DeletionDate: new Date(k.DeletionDate), KeyState: 'PendingDeletion', PendingWindowInDays: days };
}

export function cancelKeyDeletion(s: KmsState, scope: Scope, keyId: string): CancelKeyDeletionResponse {
  const k = s.resolve(scope, keyId);
  if (!isDeleting(k)) throw invalidState(`${arnOf(k)} is not pending deletion.`);
  k.KeyState = 'Disabled';
  refreshImportState(k);
  delete k.DeletionDate;
  delete k.PendingWindowInDays;
  s.save(k);
  return { KeyId: arnOf(k) };
}
