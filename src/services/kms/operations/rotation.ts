/** Key rotation: automatic (on the virtual clock, see domain/lifecycle.ts) and on demand, and the rotations list. */
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import type { GetKeyRotationStatusResponse, ListKeyRotationsRequest, ListKeyRotationsResponse, RotateKeyOnDemandResponse, RotationsListEntry } from '../generated/types.js';
import { checkRange, disabled, invalidState, notInUsableState, unsupported } from '../domain/errors.js';
import { arnOf, current, isReplica, primaryRegionOf, type KeyRecord } from '../domain/model.js';
import { syncReplicas } from '../domain/lifecycle.js';
import { page } from '../domain/paging.js';
import { SPECS } from '../domain/specs.js';
import { checkManageable, DAY, rotate, type KmsState } from '../state.js';

const ON_DEMAND_LIMIT = 10;

function rotatable(s: KmsState, scope: Scope, keyId: string, operation: string): KeyRecord {
  const k = s.resolve(scope, keyId);
  checkManageable(k);
  if (SPECS[k.KeySpec]!.kind !== 'symmetric') throw unsupported(`${arnOf(k)} key spec is ${k.KeySpec}: ${operation} supports only symmetric encryption KMS keys.`);
  if (isReplica(k)) throw unsupported(`${arnOf(k)} is a multi-Region replica key: its rotation is managed on the primary key in ${primaryRegionOf(k)}.`);
  return k;
}

export function setRotation(s: KmsState, scope: Scope, keyId: string, enabled: boolean, periodDays?: number): void {
  checkRange(periodDays, 'rotationPeriodInDays', 90, 2560);
  const k = rotatable(s, scope, keyId, enabled ? 'EnableKeyRotation' : 'DisableKeyRotation');
  if (k.KeyState === 'Disabled') throw disabled(arnOf(k));
  if (k.KeyManager === 'AWS') throw unsupported(`${arnOf(k)} is an AWS managed key: its rotation cannot be changed.`);
  if (k.Origin === 'EXTERNAL') throw unsupported(`${arnOf(k)} has imported key material: automatic rotation is not supported. Import new key material and call RotateKeyOnDemand.`);
  if (enabled) {
    k.rotation = { enabled: true, periodDays: periodDays ?? 365, next: s.now() + (periodDays ?? 365) * DAY };
    s.due(k.rotation.next!);
  } else {
    k.rotation = { enabled: false, periodDays: k.rotation.periodDays };
  }
  s.save(k);
  syncReplicas(s, k);
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
  if (k.KeyState !== 'Enabled') throw notInUsableState(arnOf(k), k.KeyState);
  if (k.rotations.filter((r) => r.RotationType === 'ON_DEMAND').length >= ON_DEMAND_LIMIT) {
    throw new AwsError('LimitExceededException', `The on-demand rotation limit (${ON_DEMAND_LIMIT}) for ${arnOf(k)} has been reached.`, 400);
  }
  const now = s.now();
  if (k.Origin === 'EXTERNAL') {
    // imported keys rotate to material imported beforehand as NEW_KEY_MATERIAL
    const i = k.materials.findIndex((m) => m.pendingRotation && m.imported?.state === 'IMPORTED');
    if (i < 0) throw invalidState(`${arnOf(k)} has no imported key material pending rotation. Import new key material with ImportType NEW_KEY_MATERIAL first.`);
    const [m] = k.materials.splice(i, 1);
    delete m!.pendingRotation;
    k.materials.push(m!);
    k.rotations.push({ KeyMaterialId: m!.id, RotationDate: now, RotationType: 'ON_DEMAND' });
  } else rotate(k, 'ON_DEMAND', now);
  s.save(k);
  syncReplicas(s, k);
  return { KeyId: arnOf(k) };
}

export function listKeyRotations(s: KmsState, scope: Scope, input: ListKeyRotationsRequest): ListKeyRotationsResponse {
  const k = s.resolve(scope, input.KeyId);
  if (SPECS[k.KeySpec]!.kind !== 'symmetric') throw unsupported(`${arnOf(k)} key spec is ${k.KeySpec}: ListKeyRotations supports only symmetric encryption KMS keys.`);
  const cur = k.materials.length ? current(k).id : undefined;
  const state = (id: string) => (id === cur ? 'CURRENT' : k.materials.find((m) => m.id === id)?.pendingRotation ? 'PENDING_ROTATION' : 'NON_CURRENT');
  let entries: RotationsListEntry[];
  if (k.Origin === 'EXTERNAL') {
    // every imported material, with its import state and expiry
    entries = k.materials.map((m) => {
      const r = k.rotations.find((x) => x.KeyMaterialId === m.id);
      return {
        KeyId: arnOf(k),
        KeyMaterialId: m.id,
        KeyMaterialDescription: m.imported?.description,
        ImportState: m.imported?.state,
        KeyMaterialState: state(m.id),
        ExpirationModel: m.imported?.state === 'IMPORTED' ? m.imported.expirationModel : undefined,
        ValidTo: m.imported?.state === 'IMPORTED' && m.imported.validTo !== undefined ? new Date(m.imported.validTo) : undefined,
        RotationDate: r ? new Date(r.RotationDate) : undefined,
        RotationType: r?.RotationType,
      };
    });
  } else {
    entries = k.rotations.map((r) => ({
      KeyId: arnOf(k),
      KeyMaterialId: r.KeyMaterialId,
      KeyMaterialState: state(r.KeyMaterialId),
      RotationDate: new Date(r.RotationDate),
      RotationType: r.RotationType,
    }));
  }
  const numbered = entries.map((e, i) => ({ e, key: String(i).padStart(6, '0') }));
  const p = page(numbered, (x) => x.key, input.Limit, input.Marker, 1000, 100);
  return { Rotations: p.items.map(({ e }) => e), NextMarker: p.NextMarker, Truncated: p.Truncated };
}
