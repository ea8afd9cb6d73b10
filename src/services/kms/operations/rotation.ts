/** Key rotation: automatic (on the virtual clock, see KmsState.sweep) and on demand, and the rotations list. */
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import type { GetKeyRotationStatusResponse, ListKeyRotationsRequest, ListKeyRotationsResponse, RotateKeyOnDemandResponse } from '../generated/types.js';
import { checkRange, disabled, pendingDeletion, unsupported } from '../domain/errors.js';
import { arnOf, type KeyRecord } from '../domain/model.js';
import { page } from '../domain/paging.js';
import { SPECS } from '../domain/specs.js';
import { rotate, type KmsState } from '../state.js';

const DAY = 86_400_000;
const ON_DEMAND_LIMIT = 10;

function rotatable(s: KmsState, scope: Scope, keyId: string, operation: string): KeyRecord {
  const k = s.resolve(scope, keyId);
  if (k.KeyState === 'PendingDeletion') throw pendingDeletion(arnOf(k));
  if (SPECS[k.KeySpec]!.kind !== 'symmetric') throw unsupported(`${arnOf(k)} key spec is ${k.KeySpec}: ${operation} supports only symmetric encryption KMS keys.`);
  return k;
}

export function setRotation(s: KmsState, scope: Scope, keyId: string, enabled: boolean, periodDays?: number): void {
  checkRange(periodDays, 'rotationPeriodInDays', 90, 2560);
  const k = rotatable(s, scope, keyId, enabled ? 'EnableKeyRotation' : 'DisableKeyRotation');
  if (k.KeyState === 'Disabled') throw disabled(arnOf(k));
  if (k.KeyManager === 'AWS') throw unsupported(`${arnOf(k)} is an AWS managed key: its rotation cannot be changed.`);
  if (enabled) {
    k.rotation = { enabled: true, periodDays: periodDays ?? 365, next: s.now() + (periodDays ?? 365) * DAY };
    s.due(k.rotation.next!);
  } else {
    k.rotation = { enabled: false, periodDays: k.rotation.periodDays };
  }
  s.save(k);
}

export function getKeyRotationStatus(s: KmsState, scope: Scope, keyId: string): GetKeyRotationStatusResponse {
  const k = s.resolve(scope, keyId);
  if (SPECS[k.KeySpec]!.kind !== 'symmetric') return { KeyId: arnOf(k), KeyRotationEnabled: false };
  const out: GetKeyRotationStatusResponse = { KeyId: arnOf(k), KeyRotationEnabled: k.rotation.enabled };
  if (k.rotation.enabled) {
    out.RotationPeriodInDays = k.rotation.periodDays;
    out.NextRotationDate = new Date(k.rotation.next!);
  }
  return out;
}

export function rotateKeyOnDemand(s: KmsState, scope: Scope, keyId: string): RotateKeyOnDemandResponse {
  const k = rotatable(s, scope, keyId, 'RotateKeyOnDemand');
  if (k.KeyState === 'Disabled') throw disabled(arnOf(k));
  if (k.rotations.filter((r) => r.RotationType === 'ON_DEMAND').length >= ON_DEMAND_LIMIT) {
    throw new AwsError('LimitExceededException', `The on-demand rotation limit (${ON_DEMAND_LIMIT}) for ${arnOf(k)} has been reached.`, 400);
  }
  rotate(k, 'ON_DEMAND', s.now());
  s.save(k);
  return { KeyId: arnOf(k) };
}

export function listKeyRotations(s: KmsState, scope: Scope, input: ListKeyRotationsRequest): ListKeyRotationsResponse {
  const k = s.resolve(scope, input.KeyId);
  if (SPECS[k.KeySpec]!.kind !== 'symmetric') throw unsupported(`${arnOf(k)} key spec is ${k.KeySpec}: ListKeyRotations supports only symmetric encryption KMS keys.`);
  const numbered = k.rotations.map((r, i) => ({ r, key: String(i).padStart(6, '0') }));
  const p = page(numbered, (x) => x.key, input.Limit, input.Marker, 1000, 100);
  const cur = k.materials[k.materials.length - 1]!.id;
  return {
    Rotations: p.items.map(({ r }) => ({
      KeyId: arnOf(k),
      KeyMaterialId: r.KeyMaterialId,
      KeyMaterialState: r.KeyMaterialId === cur ? 'CURRENT' : 'NON_CURRENT',
      RotationDate: new Date(r.RotationDate),
      RotationType: r.RotationType,
    })),
    NextMarker: p.NextMarker,
    Truncated: p.Truncated,
  };
}
