/** RestoreObject: a temporary readable copy of a GLACIER / DEEP_ARCHIVE version (restores.ts). */
import { AwsError } from '../../../core/errors.js';
import type { S3Handlers } from '../generated/types.js';
import type { S3State } from '../state.js';
import { ARCHIVED, parseRestoreRequest } from '../domain/restore.js';
import { causeOf } from '../notifications.js';
import type { Restores } from '../restores.js';
import { readableVersion } from './objects.js';

type Handlers = Pick<Required<S3Handlers>, 'RestoreObject'>;

export function restoreHandlers(state: S3State, restores: Restores): Handlers {
  return {
    RestoreObject(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      if (!ARCHIVED.has(obj.storageClass)) {
        throw new AwsError('InvalidObjectState', "Restore is not allowed for the object's current storage class", 403, { fields: { StorageClass: obj.storageClass } });
      }
      const { tier, days } = parseRestoreRequest(input.RestoreRequest);
      if (obj.restore?.ongoing) throw new AwsError('RestoreAlreadyInProgress', 'Object restore is already in progress', 409);
      // 202 when a restore starts; 200 when a finished restore's expiry is moved
      ctx.status = restores.start(b, obj, tier, days, causeOf(ctx)) ? 202 : 200;
      return {};
    },
  };
}
