/**
 * KMS tables and the lookups every operation shares: resolving a key id / key ARN / alias
 * name / alias ARN to a key, checking its state and usage, and removing a key. The
 * clock-driven transitions live in domain/lifecycle.ts and are applied before each request.
 */
import { randomBytes } from 'node:crypto';
import { parseArn } from '../../core/arn.js';
import { uuid } from '../../core/ids.js';
import type { Scope, Table } from '../../state/store.js';
import type { ServiceRuntime } from '../service.js';
import {
  aliasArn, arnOf, awsManagedPolicy, keyArn, scopeOfKey, type AliasRecord, type GrantRecord, type KeyRecord, type Material,
} from './domain/model.js';
import { aliasNotFound, disabled, invalidKeyId, keyNotFound, notInUsableState, usageNotValidFor } from './domain/errors.js';
import type { ImportParameters } from './domain/importing.js';

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const DAY = 86_400_000;

export interface ResolveOptions {
  /** the operation accepts alias names and alias ARNs */
  alias?: boolean;
}

/** The last successful cryptographic operation with a key (GetKeyLastUsage). */
export interface UsageRecord {
  operation: string;
  at: number;
  requestId?: string;
}

export class KmsState {
  readonly keys: Table<KeyRecord>;
  readonly aliases: Table<AliasRecord>;
  readonly grants: Table<GrantRecord>;
  /** wrapping key pairs handed out by GetParametersForImport, by import token id */
  readonly imports: Table<ImportParameters>;
  readonly usage: Table<UsageRecord>;
  /** earliest clock-driven change over every scope (0: unknown, scan on the next sweep) */
  nextDue = 0;

  constructor(readonly rt: ServiceRuntime) {
    this.keys = rt.table('keys');
    this.aliases = rt.table('aliases');
    this.grants = rt.table('grants');
    this.imports = rt.table('imports');
    this.usage = rt.table('usage');
  }

  now(): number {
    return this.rt.clock.now();
  }

  /** A key by key id, key ARN and (when the operation accepts them) alias name or alias ARN. */
  resolve(scope: Scope, id: string, opts: ResolveOptions = {}): KeyRecord {
    let where = scope;
    let ref = id;
    if (id.startsWith('arn:')) {
      const a = parseArn(id);
      if (!a || a.service !== 'kms' || !(a.resource.startsWith('key/') || a.resource.startsWith('alias/'))) throw invalidKeyId(id);
      where = { account: a.account, region: a.region };
      ref = a.resource.startsWith('key/') ? a.resource.slice(4) : a.resource;
    }
    if (ref.startsWith('alias/')) {
      if (!opts.alias) throw invalidKeyId(id);
      const alias = this.aliases.get(where, ref);
      if (alias) return this.resolve(where, alias.TargetKeyId);
      if (ref.startsWith('alias/aws/') && where.account === scope.account && where.region === scope.region) return this.awsManagedKey(where, ref);
      throw aliasNotFound(aliasArn(where, ref));
    }
    if (!KEY_ID.test(ref)) throw invalidKeyId(id);
    const k = this.keys.get(where, ref);
    if (!k) throw keyNotFound(keyArn(where, ref));
    return k;
  }

  /** The key, checked to be enabled (not disabled, pending deletion or import) and of `usage`. */
  usable(scope: Scope, id: string, operation: string, usage?: string): KeyRecord {
    const k = this.resolve(scope, id, { alias: true });
    checkUsable(k, operation, usage);
    return k;
  }

  save(k: KeyRecord): void {
    this.keys.put(scopeOfKey(k), k.KeyId, k);
  }

  /** The other members of a multi-Region key set that exist (same account, other Regions). */
  relatives(k: KeyRecord): KeyRecord[] {
    if (!k.MultiRegion || !k.mr) return [];
    const regions = [k.mr.primaryRegion, ...k.mr.replicaRegions].filter((r) => r !== k.region);
    return regions.map((region) => this.keys.get({ account: k.account, region }, k.KeyId)).filter((x): x is KeyRecord => x !== undefined);
  }

  /** Removes a key with its aliases, grants and usage record; a replica leaves its multi-Region set. */
  deleteKey(k: KeyRecord): void {
    const scope = scopeOfKey(k);
    for (const [name, a] of [...this.aliases.entries(scope)]) if (a.TargetKeyId === k.KeyId) this.aliases.delete(scope, name);
    for (const [id, g] of [...this.grants.entries(scope)]) if (g.KeyId === k.KeyId) this.grants.delete(scope, id);
    this.usage.delete(scope, k.KeyId);
    this.keys.delete(scope, k.KeyId);
    if (!k.mr) return;
    const now = this.now();
    for (const other of this.relatives(k)) {
      other.mr = { primaryRegion: other.mr!.primaryRegion, replicaRegions: other.mr!.replicaRegions.filter((r) => r !== k.region) };
      // a primary scheduled for deletion waits for its last replica, then starts its waiting period
      if (other.KeyState === 'PendingReplicaDeletion' && other.mr.replicaRegions.length === 0) {
        other.KeyState = 'PendingDeletion';
        other.DeletionDate = now + (other.PendingWindowInDays ?? 30) * DAY;
        this.due(other.DeletionDate);
      }
      this.save(other);
    }
  }

  /** A clock-driven change is now due at `at` (or the set of due times changed: pass 0). */
  due(at: number): void {
    this.nextDue = Math.min(this.nextDue, at);
  }

  /** AWS managed keys (alias/aws/<service>) come into being on first use, as in AWS. */
  private awsManagedKey(scope: Scope, alias: string): KeyRecord {
    const service = alias.slice('alias/aws/'.length);
    const now = this.now();
    const k: KeyRecord = {
      KeyId: uuid(),
      account: scope.account,
      region: scope.region,
      CreationDate: now,
      Description: `Default key that protects my ${service} data when no other key is defined`,
      KeyState: 'Enabled',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyManager: 'AWS',
      Origin: 'AWS_KMS',
      MultiRegion: false,
      Policy: awsManagedPolicy(scope.account, service),
      Tags: [],
      materials: [symmetricMaterial(now)],
      rotation: { enabled: true, periodDays: 365, next: now + 365 * DAY },
      rotations: [],
    };
    this.save(k);
    this.aliases.put(scope, alias, { AliasName: alias, TargetKeyId: k.KeyId, CreationDate: now, LastUpdatedDate: now });
    this.due(k.rotation.next!);
    return k;
  }
}

export const isDeleting = (k: KeyRecord) => k.KeyState === 'PendingDeletion' || k.KeyState === 'PendingReplicaDeletion';

/** A key for a key-management operation: anything but pending deletion. */
export function checkManageable(k: KeyRecord): void {
  if (isDeleting(k)) throw notInUsableState(arnOf(k), k.KeyState);
}

export function checkUsable(k: KeyRecord, operation: string, usage?: string): void {
  if (k.KeyState === 'Disabled') throw disabled(arnOf(k));
  if (k.KeyState !== 'Enabled') throw notInUsableState(arnOf(k), k.KeyState);
  if (usage && k.KeyUsage !== usage) throw usageNotValidFor(arnOf(k), k.KeyUsage, operation);
}

export function symmetricMaterial(now: number): Material {
  return { id: randomBytes(32).toString('hex'), created: now, secret: randomBytes(32) };
}

/** New current material for a symmetric key; the old generations stay to decrypt. */
export function rotate(k: KeyRecord, type: 'AUTOMATIC' | 'ON_DEMAND', at: number): void {
  const m = symmetricMaterial(at);
  k.materials.push(m);
  k.rotations.push({ KeyMaterialId: m.id, RotationDate: at, RotationType: type });
}

/** A copy of key material for another member of a multi-Region set (imported parts are per key). */
export function cloneMaterial(m: Material, withSecret: boolean): Material {
  const out: Material = { id: m.id, created: m.created };
  if (m.publicDer) out.publicDer = m.publicDer;
  if (m.imported) out.imported = { fingerprint: m.imported.fingerprint, state: 'PENDING_IMPORT' };
  if (withSecret) {
    if (m.secret) out.secret = m.secret;
    if (m.privateDer) out.privateDer = m.privateDer;
  }
  return out;
}
