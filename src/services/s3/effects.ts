/**
 * What follows a successful object operation: notifications (notifications.ts) and
 * replication (replicator.ts). index.ts calls `after` with the operation's input and output;
 * other code that creates objects (POST uploads) calls `created` directly.
 */
import type { RequestContext } from '../../gateway/context.js';
import type { Bucket, ObjectRecord, S3State } from './state.js';
import { causeOf, Notifier, type CreatedKind } from './notifications.js';
import { Replicator } from './replicator.js';

const CREATED: Record<string, CreatedKind> = { PutObject: 'Put', CopyObject: 'Copy', CompleteMultipartUpload: 'CompleteMultipartUpload' };

/** Operations whose success may send events or start replication. */
export const EFFECT_OPERATIONS = new Set([...Object.keys(CREATED), 'DeleteObject', 'DeleteObjects', 'PutObjectTagging', 'DeleteObjectTagging', 'PutObjectAcl']);

type Out = Record<string, unknown> & { VersionId?: string; ETag?: string; DeleteMarker?: boolean; CopyObjectResult?: { ETag?: string } };
interface In { Bucket: string; Key?: string; VersionId?: string; Delete?: { Objects?: { Key?: string; VersionId?: string }[]; Quiet?: boolean } }

export class ObjectEffects {
  readonly notifier: Notifier;
  readonly replicator: Replicator;

  constructor(private readonly state: S3State) {
    this.notifier = new Notifier(state);
    this.replicator = new Replicator(state);
  }

  /** A new version was stored in `b` by a request. */
  created(b: Bucket, rec: ObjectRecord, kind: CreatedKind, ctx: RequestContext): void {
    if (b.record.replication) this.replicator.created(b, rec);
    this.notifier.emit(b, `ObjectCreated:${kind}`, rec, causeOf(ctx));
  }

  /** Called with every successful EFFECT_OPERATIONS answer (before it is sent). */
  after(op: string, input: In, out: Out, ctx: RequestContext): void {
    const b = this.state.bucketByName(input.Bucket);
    if (!b || (!b.record.notification && !b.record.replication)) return;
    const cause = causeOf(ctx);
    const key = input.Key!;
    switch (op) {
      case 'PutObject':
      case 'CopyObject':
      case 'CompleteMultipartUpload': {
        const etag = op === 'CopyObject' ? out.CopyObjectResult?.ETag : out.ETag;
        const rec = out.VersionId !== undefined ? this.state.findVersion(b, key, out.VersionId) : this.state.getObject(b, key);
        // browser POST uploads (a form POST) are stored through PutObject
        const kind = op === 'PutObject' && ctx.method === 'POST' ? 'Post' : CREATED[op]!;
        if (rec && rec.etag === etag) this.created(b, rec, kind, ctx);
        return;
      }
      case 'DeleteObject':
        this.removed(b, key, input.VersionId, out.DeleteMarker === true && input.VersionId === undefined ? out.VersionId : undefined, out.VersionId, ctx);
        return;
      case 'DeleteObjects': {
        const errors = new Set(((out.Errors ?? []) as { Key?: string; VersionId?: string }[]).map((e) => `${e.Key}\u0000${e.VersionId ?? ''}`));
        const deleted = (out.Deleted ?? input.Delete?.Objects?.filter((o) => !errors.has(`${o.Key}\u0000${o.VersionId ?? ''}`))) as
          { Key: string; VersionId?: string; DeleteMarker?: boolean; DeleteMarkerVersionId?: string }[];
        for (const d of deleted) {
          const marker = d.VersionId === undefined && d.DeleteMarker ? d.DeleteMarkerVersionId : undefined;
          this.removed(b, d.Key, d.VersionId, marker, d.VersionId ?? d.DeleteMarkerVersionId, ctx);
        }
        return;
      }
      default: {
        const name = op === 'PutObjectTagging' ? 'ObjectTagging:Put' : op === 'DeleteObjectTagging' ? 'ObjectTagging:Delete' : 'ObjectAcl:Put';
        const rec = out.VersionId !== undefined ? this.state.findVersion(b, key, out.VersionId) : this.state.getObject(b, key);
        if (rec) this.notifier.emit(b, name, rec, cause);
      }
    }
  }

  private removed(b: Bucket, key: string, versionId: string | undefined, markerId: string | undefined, eventVersion: string | undefined, ctx: RequestContext): void {
    if (markerId !== undefined) {
      const marker = this.state.findVersion(b, key, markerId);
      if (marker && b.record.replication) this.replicator.deleteMarker(b, marker);
      this.notifier.emit(b, 'ObjectRemoved:DeleteMarkerCreated', { key, versionId: markerId }, causeOf(ctx));
      return;
    }
    this.notifier.emit(b, 'ObjectRemoved:Delete', { key, ...(eventVersion !== undefined || versionId !== undefined ? { versionId: versionId ?? eventVersion } : {}) }, causeOf(ctx));
  }
}
