/**
 * The secrets table and secret lookup. A secret scheduled for deletion is removed once its
 * DeletionDate has passed on the virtual clock: lazily, on the next operation of its scope
 * (so it also happens after a restart), and by a clock timer while the process runs.
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import { checkSecretId, markedForDeletion, notFound, type SecretRecord } from './domain/model.js';

export class SecretsState {
  readonly secrets: Table<SecretRecord>;
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly rt: ServiceRuntime) {
    this.secrets = rt.table('secrets');
  }

  now(): number {
    return this.rt.clock.now();
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

  save(scope: Scope, s: SecretRecord): void {
    this.secrets.put(scope, s.name, s);
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

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }
}
