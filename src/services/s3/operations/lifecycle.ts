/** Put/Get/DeleteBucketLifecycleConfiguration (the rules run in lifecycle-runner.ts). */
import { AwsError } from '../../../core/errors.js';
import type { S3Handlers } from '../generated/types.js';
import type { S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { checkLifecycle } from '../domain/lifecycle.js';

type Handlers = Pick<Required<S3Handlers>, 'PutBucketLifecycleConfiguration' | 'GetBucketLifecycleConfiguration' | 'DeleteBucketLifecycle'>;

export function lifecycleHandlers(state: S3State): Handlers {
  return {
    PutBucketLifecycleConfiguration(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const config = checkLifecycle(input.LifecycleConfiguration?.Rules, input.TransitionDefaultMinimumObjectSize);
      state.updateBucket(b, { lifecycle: config });
      return { TransitionDefaultMinimumObjectSize: config.minimumSize };
    },

    GetBucketLifecycleConfiguration(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const c = b.record.lifecycle;
      if (!c) throw new AwsError('NoSuchLifecycleConfiguration', 'The lifecycle configuration does not exist', 404, { fields: { BucketName: b.record.name } });
      return { Rules: c.rules, TransitionDefaultMinimumObjectSize: c.minimumSize };
    },

    DeleteBucketLifecycle(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { lifecycle: undefined });
    },
  };
}
