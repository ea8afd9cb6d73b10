/**
 * What the virtual clock changes about keys, applied lazily before every KMS request (and
 * before every internal use by other services) once something came due, so it is observed
 * exactly as if it had happened on time and it survives a restart:
 *
 * - replicas in `Creating` become usable (Enabled, or PendingImport for imported material);
 * - imported key material whose ValidTo passed is deleted: the key becomes PendingImport;
 * - keys whose deletion window passed are deleted (a replica leaves its multi-Region set);
 * - automatic rotation of enabled symmetric keys (on a primary; its replicas follow).
 */
import { isReplica, type KeyRecord } from './model.js';
import { cloneMaterial, DAY, rotate, type KmsState } from '../state.js';

export function sweep(s: KmsState): void {
  const now = s.now();
  if (now < s.nextDue) return;
  let next = Infinity;
  const all: KeyRecord[] = [];
  for (const [, m] of s.keys.allScopes()) all.push(...m.values());
  for (const k of all) {
    if (k.KeyState === 'PendingDeletion') {
      if (k.DeletionDate! <= now) s.deleteKey(k);
      else next = Math.min(next, k.DeletionDate!);
      continue;
    }
    if (k.KeyState === 'Creating' && k.readyAt !== undefined) {
      if (k.readyAt <= now) {
        delete k.readyAt;
        k.KeyState = 'Enabled';
        refreshImportState(k);
        s.save(k);
      } else next = Math.min(next, k.readyAt);
    }
    const expiry = expireMaterial(k, now);
    if (expiry.changed) s.save(k);
    next = Math.min(next, expiry.next);
    const r = k.rotation;
    if (!r.enabled || r.next === undefined || k.KeyState !== 'Enabled' || isReplica(k)) continue;
    if (r.next <= now) {
      while (r.next <= now) {
        rotate(k, 'AUTOMATIC', r.next);
        r.next += r.periodDays * DAY;
      }
      s.save(k);
      syncReplicas(s, k);
    }
    next = Math.min(next, r.next);
  }
  s.nextDue = next;
}

/** Imported material past its ValidTo loses its secret part (KMS deletes it). */
function expireMaterial(k: KeyRecord, now: number): { changed: boolean; next: number } {
  let changed = false;
  let next = Infinity;
  for (const m of k.materials) {
    const imp = m.imported;
    if (!imp || imp.state !== 'IMPORTED' || imp.validTo === undefined) continue;
    if (imp.validTo <= now) {
      dropImported(k, m.id);
      changed = true;
    } else next = Math.min(next, imp.validTo);
  }
  return { changed, next };
}

/** Deletes the secret part of one imported material (expiry, DeleteImportedKeyMaterial). */
export function dropImported(k: KeyRecord, materialId: string): void {
  const m = k.materials.find((x) => x.id === materialId);
  if (!m?.imported) return;
  delete m.secret;
  delete m.privateDer;
  m.imported = { fingerprint: m.imported.fingerprint, state: 'PENDING_IMPORT', description: m.imported.description };
  refreshImportState(k);
}

/**
 * An EXTERNAL key is PendingImport while any of its active materials lacks its secret part, and
 * becomes Enabled once it has them all (deletion states and Creating are left alone).
 */
export function refreshImportState(k: KeyRecord): void {
  if (k.Origin !== 'EXTERNAL' || k.KeyState === 'PendingDeletion' || k.KeyState === 'PendingReplicaDeletion' || k.KeyState === 'Creating') return;
  const active = k.materials.filter((m) => !m.pendingRotation);
  const missing = active.length === 0 || active.some((m) => m.imported?.state !== 'IMPORTED');
  if (missing) k.KeyState = 'PendingImport';
  else if (k.KeyState === 'PendingImport') k.KeyState = 'Enabled';
}

/** Replicas share the primary's key material and rotation settings (AWS_KMS origin). */
export function syncReplicas(s: KmsState, primary: KeyRecord): void {
  if (primary.Origin !== 'AWS_KMS') return;
  for (const r of s.relatives(primary)) {
    const known = new Set(r.materials.map((m) => m.id));
    for (const m of primary.materials) if (!known.has(m.id)) r.materials.push(cloneMaterial(m, true));
    r.rotations = primary.rotations.map((x) => ({ ...x }));
    r.rotation = { ...primary.rotation };
    s.save(r);
  }
}
