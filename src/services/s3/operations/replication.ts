/** Put/Get/DeleteBucketReplication (copies are made by replicator.ts). */
import { AwsError } from '../../../core/errors.js';
import type { S3Handlers } from '../generated/types.js';
import type { S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { checkReplicationConfiguration } from '../domain/replicate.js';

type Handlers = Pick<Required<S3Handlers>, 'PutBucketReplication' | 'GetBucketReplication' | 'DeleteBucketReplication'>;

export function replicationHandlers(state: S3State): Handlers {
  return {
    PutBucketReplication(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const config = checkReplicationConfiguration(input.ReplicationConfiguration, b.record, (name) => state.bucketByName(name)?.record);
      state.updateBucket(b, { replication: config });
    },

    GetBucketReplication(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!b.record.replication) {
        throw new AwsError('ReplicationConfigurationNotFoundError', 'The replication configuration was not found', 404, { fields: { BucketName: b.record.name } });
      }
      return { ReplicationConfiguration: b.record.replication };
    },

    DeleteBucketReplication(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { replication: undefined });
    },
  };
}
