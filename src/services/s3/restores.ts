/**
 * Restores of archived objects on the virtual clock: RestoreObject starts one (202), it
 * completes after the tier's time (ObjectRestore:Completed), and the restored copy goes away
 * at its expiry (ObjectRestore:Delete). Pending completions and expiries are rows of the
 * `restores` table, so they are scheduled again after a restart.
 */
import type { Timer } from '../../core/clock.js';
import type { Table } from '../../state/store.js';
import type { Bucket, ObjectRecord, S3State } from './state.js';
import { versionIdOf } from './state.js';
import { DAY, midnightAfter, restoreTime } from './domain/restore.js';
import { s3Cause, type Cause, type Notifier } from './notifications.js';

interface PendingRestore {
  account: string;
  region: string;
  bucket: string;
  key: string;
  versionId: string;
  phase: 'complete' | 'expire';
  due: number;
}

export class Restores {
  private readonly table: Table<PendingRestore>;
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly state: S3State, private readonly notifier: Notifier) {
    this.table = state.rt.table<PendingRestore>('restores');
    for (const [, rows] of this.table.allScopes()) for (const [id, p] of rows) this.schedule(id, p);
  }

  /**
   * RestoreObject on an archived version: starts a restore (true), or extends the expiry of
   * a completed one (false). The caller has checked the storage class and ongoing restores.
   */
  start(b: Bucket, obj: ObjectRecord, tier: string, days: number, cause: Cause): boolean {
    const now = this.state.rt.clock.now();
    const done = obj.restore && !obj.restore.ongoing;
    if (done) {
      const expiry = midnightAfter(now + days * DAY);
      const rec = this.state.updateVersion(b, obj, { restore: { ...obj.restore!, days, expiry } });
      this.put(b, rec, 'expire', expiry);
      return false;
    }
    const readyAt = now + restoreTime(obj.storageClass, tier);
    const rec = this.state.updateVersion(b, obj, { restore: { ongoing: true, tier, days, requestedAt: now, readyAt } });
    this.put(b, rec, 'complete', readyAt);
    this.notifier.emit(b, 'ObjectRestore:Post', rec, cause, { storageClass: rec.storageClass });
    return true;
  }

  stop(): void {
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
  }

  private put(b: Bucket, rec: ObjectRecord, phase: PendingRestore['phase'], due: number): void {
    const p: PendingRestore = { account: b.scope.account, region: b.scope.region, bucket: b.record.name, key: rec.key, versionId: versionIdOf(rec), phase, due };
    const id = `${p.bucket}/${p.versionId}/${p.key}`;
    this.table.put(b.scope, id, p);
    this.schedule(id, p);
  }

  private schedule(id: string, p: PendingRestore): void {
    this.timers.get(id)?.cancel();
    this.timers.set(id, this.state.rt.clock.at(p.due, () => this.fire(id, p)));
  }

  private fire(id: string, p: PendingRestore): void {
    const scope = { account: p.account, region: p.region };
    this.timers.delete(id);
    if (this.table.get(scope, id)?.due !== p.due) return;
    this.table.delete(scope, id);
    const b = this.state.bucketByName(p.bucket);
    const obj = b && this.state.findVersion(b, p.key, p.versionId);
    if (!b || !obj?.restore) return;
    if (p.phase === 'complete') {
      if (!obj.restore.ongoing) return;
      const expiry = midnightAfter(obj.restore.readyAt + obj.restore.days * DAY);
      const rec = this.state.updateVersion(b, obj, { restore: { ...obj.restore, ongoing: false, expiry } });
      this.put(b, rec, 'expire', expiry);
      this.notifier.emit(b, 'ObjectRestore:Completed', rec, s3Cause(), { storageClass: rec.storageClass, restoreExpiry: expiry });
    } else if (obj.restore.expiry === p.due) {
      const rec = this.state.updateVersion(b, obj, { restore: undefined });
      this.notifier.emit(b, 'ObjectRestore:Delete', rec, s3Cause(), { storageClass: rec.storageClass });
    }
  }
}
