/**
 * Put/GetBucketNotificationConfiguration. A new configuration is checked (domain/notify.ts),
 * then each queue and topic is sent the s3:TestEvent: a destination that does not take it
 * fails the request with AWS's "Unable to validate the following destination configurations"
 * (unless x-amz-skip-destination-validation). Lambda destinations are checked by ARN only.
 */
import { AwsError } from '../../../core/errors.js';
import type { S3Handlers } from '../generated/types.js';
import type { S3State } from '../state.js';
import { checkNotificationConfiguration, targetsOf } from '../domain/notify.js';
import type { Notifier } from '../notifications.js';

type Handlers = Pick<Required<S3Handlers>, 'PutBucketNotificationConfiguration' | 'GetBucketNotificationConfiguration'>;

export function notificationHandlers(state: S3State, notifier: Notifier): Handlers {
  return {
    async PutBucketNotificationConfiguration(input, ctx) {
      const first = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const config = checkNotificationConfiguration(input.NotificationConfiguration, first.record.region);
      if (!input.SkipDestinationValidation) {
        const failed = await notifier.validate(first, targetsOf(config), ctx.requestId);
        if (failed.size) {
          const fields: Record<string, string> = {};
          let i = 1;
          for (const [arn, reason] of failed) {
            fields[`ArgumentName${i}`] = arn;
            fields[`ArgumentValue${i}`] = reason;
            i++;
          }
          throw new AwsError('InvalidArgument', 'Unable to validate the following destination configurations', 400, { fields });
        }
      }
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const empty = !config.QueueConfigurations && !config.TopicConfigurations && !config.LambdaFunctionConfigurations && !config.EventBridgeConfiguration;
      state.updateBucket(b, { notification: empty ? undefined : config });
    },

    GetBucketNotificationConfiguration(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      return b.record.notification ?? {};
    },
  };
}
