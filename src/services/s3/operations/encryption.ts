/** Put/Get/DeleteBucketEncryption: the default encryption of new objects (SSE-S3 unless set). */
import type { S3Handlers } from '../generated/types.js';
import type { S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { checkEncryptionRules, effectiveEncryption } from '../domain/sse.js';

type Handlers = Pick<Required<S3Handlers>, 'PutBucketEncryption' | 'GetBucketEncryption' | 'DeleteBucketEncryption'>;

export function encryptionHandlers(state: S3State): Handlers {
  return {
    PutBucketEncryption(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      // As AWS: the KMS key id is not checked here, but when an object is written.
      state.updateBucket(b, { encryption: checkEncryptionRules(input.ServerSideEncryptionConfiguration?.Rules) });
    },

    GetBucketEncryption(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      return { ServerSideEncryptionConfiguration: { Rules: [effectiveEncryption(b.record.encryption)] } };
    },

    DeleteBucketEncryption(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { encryption: undefined });
    },
  };
}
