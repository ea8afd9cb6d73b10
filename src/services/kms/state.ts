/**
 * KMS tables and the lookups every operation shares: resolving a key id / key ARN / alias
 * name / alias ARN to a key, checking its state and usage, and the clock-driven transitions
 * (scheduled deletion, automatic rotation), applied lazily before each request.
 */
import { randomBytes } from 'node:crypto';
import { parseArn } from '../../core/arn.js';
import { uuid } from '../../core/ids.js';
import type { Scope, Table } from '../../state/store.js';
import type { ServiceRuntime } from '../service.js';
import { aliasArn, arnOf, awsManagedPolicy, keyArn, type AliasRecord, type GrantRecord, type KeyRecord, type Material } from './domain/model.js';
import { aliasNotFound, disabled, invalidKeyId, keyNotFound, pendingDeletion, usageNotValidFor } from './domain/errors.js';

const KEY_ID = /^(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const DAY = 86_400_000;

export interface ResolveOptions {
  /** the operation accepts alias names and alias ARNs */
  alias?: boolean;
}

export class KmsState {
  readonly keys: Table<KeyRecord>;
  readonly aliases: Table<AliasRecord>;
  readonly grants: Table<GrantRecord>;
  /** earliest deletion / rotation due over every scope (0: unknown, scan on next sweep) */
  private nextDue = 0;

  constructor(readonly rt: ServiceRuntime) {
    this.keys = rt.table('keys');
    this.aliases = rt.table('aliases');
    this.grants = rt.table('grants');
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

  /** The key, checked to be enabled (not disabled, not pending deletion) and of `usage`. */
  usable(scope: Scope, id: string, operation: string, usage?: string): KeyRecord {
    const k = this.resolve(scope, id, { alias: true });
    checkUsable(k, operation, usage);
    return k;
  }

  save(k: KeyRecord): void {
    this.keys.put({ account: k.account, region: k.region }, k.KeyId, k);
  }

  /** Removes a key with its aliases and grants. */
  deleteKey(scope: Scope, k: KeyRecord): void {
    for (const [name, a] of [...this.aliases.entries(scope)]) if (a.TargetKeyId === k.KeyId) this.aliases.delete(scope, name);
    for (const [id, g] of [...this.grants.entries(scope)]) if (g.KeyId === k.KeyId) this.grants.delete(scope, id);
    this.keys.delete(scope, k.KeyId);
  }

  /** A deletion or rotation is now due at `at` (or the set of due times changed: pass 0). */
  due(at: number): void {
    this.nextDue = Math.min(this.nextDue, at);
  }

  /** Applies every deletion and automatic rotation due by now. Cheap when nothing is due. */
  sweep(): void {
    const now = this.now();
    if (now < this.nextDue) return;
    let next = Infinity;
    for (const [scope, m] of this.keys.allScopes()) {
      for (const k of [...m.values()]) {
        if (k.KeyState === 'PendingDeletion') {
          if (k.DeletionDate! <= now) this.deleteKey(scope, k);
          else next = Math.min(next, k.DeletionDate!);
          continue;
        }
        const r = k.rotation;
        if (!r.enabled || r.next === undefined || k.KeyState !== 'Enabled') continue;
        if (r.next <= now) {
          while (r.next <= now) {
            rotate(k, 'AUTOMATIC', r.next);
            r.next += r.periodDays * DAY;
          }
          this.save(k);
        }
        next = Math.min(next, r.next);
      }
    }
    this.nextDue = next;
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

export function checkUsable(k: KeyRecord, operation: string, usage?: string): void {
  if (k.KeyState === 'PendingDeletion') throw pendingDeletion(arnOf(k));
  if (k.KeyState !== 'Enabled') throw disabled(arnOf(k));
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
