/**
 * Bucket settings S3 stores and answers: Requester Pays (enforced in domain/requester-pays.ts),
 * Transfer Acceleration, and server access logging (delivered by access-logger.ts).
 */
import { AwsError } from '../../../core/errors.js';
import type { S3Handlers, LoggingEnabled } from '../generated/types.js';
import type { Bucket, S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { malformedXml } from '../domain/bucket-configs.js';
import { aclsDisabled } from '../domain/access.js';
import { aclFromDocument } from '../domain/acl.js';
import { canonicalUserId } from '../domain/buckets.js';
import { invalidRequest } from '../domain/errors.js';

type Handlers = Pick<Required<S3Handlers>,
  | 'PutBucketRequestPayment' | 'GetBucketRequestPayment' | 'PutBucketAccelerateConfiguration' | 'GetBucketAccelerateConfiguration'
  | 'PutBucketLogging' | 'GetBucketLogging'>;

const invalidTarget = (message: string, target: string) =>
  new AwsError('InvalidTargetBucketForLogging', message, 400, { fields: { TargetBucket: target } });

/** A LoggingEnabled element checked as PutBucketLogging checks it, against the source bucket. */
function checkLogging(state: S3State, source: Bucket, c: LoggingEnabled): LoggingEnabled {
  if (!c.TargetBucket) throw malformedXml();
  const format = c.TargetObjectKeyFormat;
  if (format && (format.SimplePrefix !== undefined) === (format.PartitionedPrefix !== undefined)) throw malformedXml();
  const dateSource = format?.PartitionedPrefix?.PartitionDateSource;
  if (dateSource !== undefined && dateSource !== 'EventTime' && dateSource !== 'DeliveryTime') throw malformedXml();
  for (const g of c.TargetGrants ?? []) if (!['FULL_CONTROL', 'READ', 'WRITE'].includes(g.Permission ?? '')) throw malformedXml();
  const target = state.bucketByName(c.TargetBucket);
  if (!target) throw invalidTarget('The target bucket for logging does not exist', c.TargetBucket);
  if (target.record.account !== source.record.account) throw invalidTarget('The owner for the bucket to be logged and the target bucket must be the same.', c.TargetBucket);
  if (target.record.region !== source.record.region) {
    throw new AwsError('CrossLocationLoggingProhibitted', 'Cross S3 location logging not allowed. ', 403, {
      fields: { TargetBucketLocation: target.record.region, SourceBucketLocation: source.record.region },
    });
  }
  if (c.TargetGrants?.length) {
    if (aclsDisabled(target)) throw new AwsError('AccessControlListNotSupported', 'Target grants not allowed for bucket owner enforced buckets', 400);
    // grantees as ACL documents name them (an unknown e-mail grantee is refused)
    const owner = target.record.account;
    aclFromDocument(c.TargetGrants as never, canonicalUserId(owner), owner);
  }
  return { ...c, TargetPrefix: c.TargetPrefix ?? '' };
}

export function bucketSettingHandlers(state: S3State): Handlers {
  return {
    PutBucketRequestPayment(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const payer = input.RequestPaymentConfiguration?.Payer;
      if (payer !== 'Requester' && payer !== 'BucketOwner') throw malformedXml();
      state.updateBucket(b, { requesterPays: payer === 'Requester' ? true : undefined });
    },

    GetBucketRequestPayment(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      return { Payer: b.record.requesterPays ? 'Requester' : 'BucketOwner' };
    },

    PutBucketAccelerateConfiguration(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, false);
      const status = input.AccelerateConfiguration?.Status;
      if (status !== 'Enabled' && status !== 'Suspended') throw malformedXml();
      // accelerated endpoints are virtual-host names: a dotted bucket name cannot have one
      if (b.record.name.includes('.')) throw invalidRequest('S3 Transfer Acceleration is not supported for buckets with periods (.) in their names');
      state.updateBucket(b, { accelerate: status });
    },

    GetBucketAccelerateConfiguration(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      return b.record.accelerate ? { Status: b.record.accelerate } : {};
    },

    PutBucketLogging(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const c = input.BucketLoggingStatus?.LoggingEnabled;
      state.updateBucket(b, { logging: c ? checkLogging(state, b, c) : undefined });
    },

    GetBucketLogging(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      return b.record.logging ? { LoggingEnabled: b.record.logging } : {};
    },
  };
}
