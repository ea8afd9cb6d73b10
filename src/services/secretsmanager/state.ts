/**
 * The secrets table and secret lookup. A secret scheduled for deletion is removed once its
 * DeletionDate has passed on the virtual clock: lazily, on the next operation of its scope
 * (so it also happens after a restart), and by a clock timer while the process runs. Scheduled
 * rotations are clock timers too (re-armed from state when the service starts).
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import { kmsFor, kmsIfRunning, type KmsApi } from '../kms/internal.js';
import { checkSecretId, markedForDeletion, notFound, onReplica, type SecretRecord } from './domain/model.js';

export class SecretsState {
  readonly secrets: Table<SecretRecord>;
  private readonly timers = new Map<string, Timer>();
  private readonly rotationTimers = new Map<string, Timer>();
  private kmsApi: KmsApi | undefined;
  /** called after a primary secret with replicas changed (domain/replication.ts) */
  onPrimaryChanged: (scope: Scope, s: SecretRecord) => void = () => {};

  constructor(readonly rt: ServiceRuntime) {
    this.secrets = rt.table('secrets');
  }

  now(): number {
    return this.rt.clock.now();
  }

  /** Makes sure KMS is running (once per request; KMS may have been reset). */
  async ready(scope: Scope): Promise<void> {
    this.kmsApi = kmsIfRunning(this.rt.store) ?? (await kmsFor(this.rt, scope));
  }

  get kms(): KmsApi {
    const k = kmsIfRunning(this.rt.store) ?? this.kmsApi;
    if (!k) throw new Error('secretsmanager: KMS is not ready');
    return k;
  }

  /** Remove the secrets of `scope` whose deletion date has passed. */
  sweep(scope: Scope): void {
    const now = this.now();
    for (const s of [...this.secrets.values(scope)]) {
      if (s.deletionDate !== undefined && s.deletionDate <= now) this.secrets.delete(scope, s.name);
    }
  }

  /** Resolve a SecretId (name, full ARN or partial ARN). */
  find(scope: Scope, id: string): SecretRecord | undefined {
    checkSecretId(id);
    this.sweep(scope);
    if (!id.startsWith('arn:')) return this.secrets.get(scope, id);
    for (const s of this.secrets.values(scope)) {
      if (s.arn === id || s.arn.slice(0, -7) === id) return s;
    }
    return undefined;
  }

  /** Resolve, or throw ResourceNotFoundException; with `live`, also refuse a secret marked for deletion. */
  get(scope: Scope, id: string, live = true): SecretRecord {
    const s = this.find(scope, id);
    if (!s) throw notFound();
    if (live && s.deletedDate !== undefined) throw markedForDeletion();
    return s;
  }

  /** A secret the caller may change: not a replica (those change only through their primary). */
  writable(scope: Scope, id: string, live = true): SecretRecord {
    const s = this.get(scope, id, live);
    if (s.primaryRegion !== undefined) throw onReplica();
    return s;
  }

  /** Store a secret; a primary's replicas follow (pass sync false for access-date updates). */
  save(scope: Scope, s: SecretRecord, sync = true): void {
    this.secrets.put(scope, s.name, s);
    if (sync && s.replicas?.length) this.onPrimaryChanged(scope, s);
  }

  /** Schedule the clock timer that removes a deleted secret at its deletion date. */
  scheduleDeletion(scope: Scope, s: SecretRecord): void {
    const key = `${scope.account}/${scope.region}/${s.name}`;
    this.timers.get(key)?.cancel();
    if (s.deletionDate === undefined) return void this.timers.delete(key);
    const { arn } = s;
    this.timers.set(
      key,
      this.rt.clock.at(s.deletionDate, () => {
        this.timers.delete(key);
        const cur = this.secrets.get(scope, s.name);
        if (cur && cur.arn === arn && cur.deletionDate !== undefined && cur.deletionDate <= this.now()) this.secrets.delete(scope, s.name);
      }),
    );
  }

  cancelDeletion(scope: Scope, s: SecretRecord): void {
    const key = `${scope.account}/${scope.region}/${s.name}`;
    this.timers.get(key)?.cancel();
    this.timers.delete(key);
  }

  /** (Re)arm the timer of a secret's next scheduled rotation; `fire` starts it. */
  armRotation(scope: Scope, s: SecretRecord, fire: (scope: Scope, name: string, arn: string) => void): void {
    const key = `${scope.account}/${scope.region}/${s.name}`;
    this.rotationTimers.get(key)?.cancel();
    this.rotationTimers.delete(key);
    const at = s.rotation?.enabled ? s.rotation.nextRotationDate : undefined;
    if (at === undefined || s.primaryRegion !== undefined) return;
    const { arn, name } = s;
    this.rotationTimers.set(key, this.rt.clock.at(Math.max(at, this.now()), () => {
      this.rotationTimers.delete(key);
      fire(scope, name, arn);
    }));
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    for (const t of this.rotationTimers.values()) t.cancel();
    this.timers.clear();
    this.rotationTimers.clear();
  }
}
