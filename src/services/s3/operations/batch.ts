/** DeleteObjects: up to 1,000 keys (or versions) per request, Quiet mode, per-key errors. */
import { AwsError, isAwsError } from '../../../core/errors.js';
import type { S3Handlers, DeletedObject, Error_ } from '../generated/types.js';
import { versionIdOf, type S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { checkVersionId } from './objects.js';
import { checkDeletable } from '../domain/lock.js';

type Handlers = Pick<Required<S3Handlers>, 'DeleteObjects'>;

export function batchHandlers(state: S3State): Handlers {
  return {
    DeleteObjects(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const objects = input.Delete?.Objects ?? [];
      if (!objects.length || objects.length > 1000) {
        throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      }
      const deleted: DeletedObject[] = [];
      const errors: Error_[] = [];
      for (const o of objects) {
        try {
          if (typeof o.Key !== 'string') throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
          if (o.VersionId !== undefined) {
            checkVersionId(o.VersionId);
            checkDeletable(state.findVersion(b, o.Key, o.VersionId)?.lock, input.BypassGovernanceRetention === true, state.rt.clock.now());
            const gone = state.deleteVersion(b, o.Key, o.VersionId);
            deleted.push({ Key: o.Key, VersionId: o.VersionId, ...(gone?.deleteMarker ? { DeleteMarker: true, DeleteMarkerVersionId: o.VersionId } : {}) });
            continue;
          }
          if (o.ETag !== undefined) {
            const cur = state.getObject(b, o.Key);
            if (!cur) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
            if (cur.etag.replace(/"/g, '') !== o.ETag.replace(/"/g, '')) throw new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412);
          }
          const marker = state.deleteCurrent(b, o.Key);
          deleted.push({ Key: o.Key, ...(marker ? { DeleteMarker: true, DeleteMarkerVersionId: versionIdOf(marker) } : {}) });
        } catch (e) {
          if (!isAwsError(e)) throw e;
          errors.push({ Key: o.Key, ...(o.VersionId !== undefined ? { VersionId: o.VersionId } : {}), Code: e.code, Message: e.message });
        }
      }
      return { ...(input.Delete.Quiet ? {} : { Deleted: deleted }), Errors: errors };
    },
  };
}
