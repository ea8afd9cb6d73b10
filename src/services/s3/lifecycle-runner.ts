/**
 * Applies lifecycle rules on the virtual clock, once a day at midnight UTC as S3 does:
 * transitions (StorageClass changes, never back up the waterfall), expiration of current
 * versions (a delete marker in versioned buckets, removal otherwise), removal of expired
 * delete markers, noncurrent-version transitions and expiration (NoncurrentDays counted from
 * when the next version was written; NewerNoncurrentVersions kept), and aborts of incomplete
 * multipart uploads. Locked versions are not expired. Each action sends its notification.
 */
import type { LifecycleRule } from './generated/types.js';
import type { Bucket, ObjectRecord, S3State } from './state.js';
import { isLocked } from './domain/lock.js';
import { everyMidnight } from './domain/restore.js';
import { classRank, currentExpiration, dueAfter, dueTransition, ruleMatches, sizeAllowsTransition, type LifecycleConfig } from './domain/lifecycle.js';
import { s3Cause, type Notifier } from './notifications.js';

export class LifecycleRunner {
  private readonly cancel: () => void;

  constructor(private readonly state: S3State, private readonly notifier: Notifier) {
    this.cancel = everyMidnight(state.rt.clock, (midnight) => this.run(midnight));
  }

  stop(): void {
    this.cancel();
  }

  /** One daily evaluation of every bucket with lifecycle rules, at `now` (a midnight). */
  run(now: number): void {
    for (const [scope, recs] of this.state.buckets.allScopes()) {
      for (const record of [...recs.values()]) {
        if (!record.lifecycle?.rules.some((r) => r.Status === 'Enabled')) continue;
        try {
          this.bucket({ record, scope }, record.lifecycle, now);
        } catch (e) {
          console.error('[gureum] s3 lifecycle failed for', record.name, e);
        }
      }
    }
  }

  private bucket(b: Bucket, c: LifecycleConfig, now: number): void {
    const idx = this.state.keys(b);
    const keys: string[] = [];
    for (let i = 0; i < idx.size; i++) keys.push(idx.at(i)!);
    for (const key of keys) this.current(b, c, key, now);
    const vidx = this.state.versionKeys(b);
    const vkeys: string[] = [];
    for (let i = 0; i < vidx.size; i++) vkeys.push(vidx.at(i)!);
    for (const key of vkeys) this.noncurrent(b, c, key, now);
    this.uploads(b, c.rules, now);
  }

  private current(b: Bucket, c: LifecycleConfig, key: string, now: number): void {
    const obj = this.state.getObject(b, key);
    if (!obj) return;
    const exp = currentExpiration(c, obj);
    if (exp && exp.due <= now) {
      if (!b.record.versioning && isLocked(obj.lock, now)) return;
      const marker = this.state.deleteCurrent(b, key);
      if (marker) this.notifier.emit(b, 'LifecycleExpiration:DeleteMarkerCreated', marker, s3Cause());
      else this.notifier.emit(b, 'LifecycleExpiration:Delete', obj, s3Cause());
      return;
    }
    const t = dueTransition(c, obj, now);
    if (t) this.transition(b, obj, t.storageClass);
  }

  private transition(b: Bucket, obj: ObjectRecord, storageClass: string): void {
    const rec = this.state.updateVersion(b, obj, { storageClass, restore: undefined });
    this.notifier.emit(b, 'LifecycleTransition', rec, s3Cause(), { transitionTo: storageClass });
  }

  private noncurrent(b: Bucket, c: LifecycleConfig, key: string, now: number): void {
    const cur = this.state.getObject(b, key);
    const list = this.state.versionsOf(b, key);
    // newest first; the first entry is current when there is no live object (a delete marker)
    const all = cur ? [cur, ...list] : list;
    if (!cur && all.length === 1 && all[0]!.deleteMarker) {
      // an expired object delete marker: no versions left under it
      const m = all[0]!;
      const due = c.rules.some((r) => ruleMatches(r, { key, size: 0, deleteMarker: true }) && (r.Expiration?.ExpiredObjectDeleteMarker === true || (r.Expiration?.Days !== undefined && dueAfter(m.lastModified, r.Expiration.Days) <= now)));
      if (due) {
        this.state.deleteVersion(b, key, m.versionId ?? 'null');
        this.notifier.emit(b, 'LifecycleExpiration:Delete', m, s3Cause());
      }
      return;
    }
    let newer = 0;
    for (let j = 1; j < all.length; j++) {
      const v = all[j]!;
      const since = all[j - 1]!.lastModified;
      const facts = { key, size: v.size, tags: v.tags, deleteMarker: v.deleteMarker };
      const expire = c.rules.some((r) => {
        const e = r.NoncurrentVersionExpiration;
        return !!e && ruleMatches(r, facts) && dueAfter(since, e.NoncurrentDays!) <= now && newer >= (e.NewerNoncurrentVersions ?? 0);
      });
      newer++;
      if (expire && !isLocked(v.lock, now)) {
        this.state.deleteVersion(b, key, v.versionId ?? 'null');
        this.notifier.emit(b, 'LifecycleExpiration:Delete', v, s3Cause());
        continue;
      }
      if (v.deleteMarker) continue;
      let to: string | undefined;
      for (const r of c.rules) {
        if (!ruleMatches(r, facts)) continue;
        for (const t of r.NoncurrentVersionTransitions ?? []) {
          if (dueAfter(since, t.NoncurrentDays!) > now || newer - 1 < (t.NewerNoncurrentVersions ?? 0)) continue;
          if (!sizeAllowsTransition(c, r, v.size, t.StorageClass!)) continue;
          if (classRank(t.StorageClass!) > classRank(to ?? v.storageClass)) to = t.StorageClass!;
        }
      }
      if (to) this.transition(b, v, to);
    }
  }

  private uploads(b: Bucket, rules: LifecycleRule[], now: number): void {
    for (const u of [...this.state.uploads.values(b.scope)]) {
      if (u.bucket !== b.record.name) continue;
      const abort = rules.some((r) => r.Status === 'Enabled' && r.AbortIncompleteMultipartUpload && u.key.startsWith(r.Filter?.Prefix ?? r.Filter?.And?.Prefix ?? r.Prefix ?? '') && dueAfter(u.initiated, r.AbortIncompleteMultipartUpload.DaysAfterInitiation!) <= now);
      if (abort) void this.state.rt.call('s3', 'AbortMultipartUpload', { Bucket: u.bucket, Key: u.key, UploadId: u.uploadId }, b.scope).catch(() => undefined);
    }
  }
}
