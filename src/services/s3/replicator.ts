/**
 * Replication of new versions to the destination buckets of the source bucket's replication
 * rules (same process; any region or account). A new version is PENDING on the source; a
 * moment later on the virtual clock (REPLICATION_DELAY_MS) its bytes are copied into a new
 * blob and stored in the destination with the same version id, metadata, tags and encryption,
 * marked REPLICA; the source becomes COMPLETED (FAILED when a destination is gone or no
 * longer versioned). Delete markers replicate when the rule says so (V1 rules always do).
 */
import type { Bucket, ObjectRecord, S3State } from './state.js';
import { replicationTargets, type ReplicationTarget } from './domain/replicate.js';
import { copyBytes } from './operations/copy.js';

export const REPLICATION_DELAY_MS = 1000;

export class Replicator {
  constructor(private readonly state: S3State) {}

  /** A version was just written to `b`: mark it PENDING and schedule its copies. */
  created(b: Bucket, rec: ObjectRecord): void {
    if (rec.replication === 'REPLICA' || rec.versionId === undefined) return;
    const targets = replicationTargets(b.record.replication, { key: rec.key, tags: rec.tags, kms: rec.sse?.algorithm?.startsWith('aws:kms') });
    if (!targets.length) return;
    this.state.updateVersion(b, rec, { replication: 'PENDING' });
    const name = b.record.name;
    this.state.rt.clock.after(REPLICATION_DELAY_MS, () => void this.copy(name, rec.key, rec.versionId!, targets));
  }

  /** A delete marker was just created in `b` (DeleteObject without a version id). */
  deleteMarker(b: Bucket, marker: ObjectRecord): void {
    if (marker.versionId === undefined || marker.replication === 'REPLICA') return;
    const targets = replicationTargets(b.record.replication, { key: marker.key }, true);
    if (!targets.length) return;
    this.state.rt.clock.after(REPLICATION_DELAY_MS, () => {
      for (const t of targets) {
        const dest = this.state.bucketByName(t.bucket);
        if (!dest || dest.record.versioning !== 'Enabled' || this.state.findVersion(dest, marker.key, marker.versionId!)) continue;
        const m = this.state.deleteCurrent(dest, marker.key);
        if (m) this.state.updateVersion(dest, m, { versionId: marker.versionId, replication: 'REPLICA' });
      }
    });
  }

  private async copy(bucket: string, key: string, versionId: string, targets: ReplicationTarget[]): Promise<void> {
    let ok = true;
    for (const t of targets) {
      try {
        ok = (await this.copyTo(bucket, key, versionId, t)) && ok;
      } catch {
        ok = false;
      }
    }
    const src = this.state.bucketByName(bucket);
    const rec = src && this.state.findVersion(src, key, versionId);
    if (src && rec) this.state.updateVersion(src, rec, { replication: ok ? 'COMPLETED' : 'FAILED' });
  }

  private async copyTo(bucket: string, key: string, versionId: string, t: ReplicationTarget): Promise<boolean> {
    const src = this.state.bucketByName(bucket);
    const obj = src && this.state.findVersion(src, key, versionId);
    if (!obj || obj.deleteMarker) return false;
    const got = await copyBytes(this.state, obj, undefined, undefined);
    // synchronously from here: the destination as it is now
    const dest = this.state.bucketByName(t.bucket);
    if (!dest || dest.record.versioning !== 'Enabled' || this.state.findVersion(dest, key, versionId)) {
      this.state.blobs.delete(got.blob);
      return !!dest && dest.record.versioning === 'Enabled';
    }
    const replica: ObjectRecord = { ...obj, blob: got.blob, replication: 'REPLICA', storageClass: t.storageClass ?? obj.storageClass };
    delete replica.parts;
    delete replica.restore;
    const stored = this.state.writeObject(dest, replica);
    this.state.updateVersion(dest, stored, { versionId: obj.versionId });
    return true;
  }
}

