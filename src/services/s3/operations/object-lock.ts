/**
 * Object Lock: the bucket configuration (Put/GetObjectLockConfiguration: enabling lock on a
 * versioned bucket, default retention) and per-version retention and legal hold
 * (Put/GetObjectRetention with the governance bypass header, Put/GetObjectLegalHold).
 */
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { S3Handlers } from '../generated/types.js';
import type { Bucket, S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { changeRetention, checkLockConfiguration, missingLockConfiguration } from '../domain/lock.js';
import { readableVersion } from './objects.js';

type Handlers = Pick<Required<S3Handlers>,
  | 'PutObjectLockConfiguration' | 'GetObjectLockConfiguration' | 'PutObjectRetention' | 'GetObjectRetention'
  | 'PutObjectLegalHold' | 'GetObjectLegalHold'>;

const noObjectLock = () => new AwsError('NoSuchObjectLockConfiguration', 'The specified object does not have a ObjectLock configuration', 404);

export function objectLockHandlers(state: S3State): Handlers {
  const { rt } = state;

  function lockedBucket(ctx: RequestContext, name: string, owner?: string): Bucket {
    const b = state.bucket(ctx, name, owner);
    if (!b.record.objectLockEnabled) throw missingLockConfiguration();
    return b;
  }

  return {
    PutObjectLockConfiguration(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const rule = checkLockConfiguration(input.ObjectLockConfiguration);
      if (!b.record.objectLockEnabled && b.record.versioning !== 'Enabled') {
        throw new AwsError('InvalidBucketState', "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration", 409);
      }
      state.updateBucket(b, { objectLockEnabled: true, objectLockRule: rule });
      return {};
    },

    GetObjectLockConfiguration(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!b.record.objectLockEnabled) {
        throw new AwsError('ObjectLockConfigurationNotFoundError', 'Object Lock configuration does not exist for this bucket', 404, { fields: { BucketName: b.record.name } });
      }
      return { ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', ...(b.record.objectLockRule ? { Rule: b.record.objectLockRule } : {}) } };
    },

    PutObjectRetention(input, ctx) {
      const b = lockedBucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      const lock = changeRetention(obj.lock, input.Retention, input.BypassGovernanceRetention === true, rt.clock.now());
      state.updateVersion(b, obj, { lock });
      return {};
    },

    GetObjectRetention(input, ctx) {
      const b = lockedBucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      if (!obj.lock?.mode) throw noObjectLock();
      return { Retention: { Mode: obj.lock.mode, RetainUntilDate: new Date(obj.lock.retainUntil!) } };
    },

    PutObjectLegalHold(input, ctx) {
      const b = lockedBucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const status = input.LegalHold?.Status;
      if (status !== 'ON' && status !== 'OFF') throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      state.updateVersion(b, obj, { lock: { ...obj.lock, legalHold: status === 'ON' } });
      return {};
    },

    GetObjectLegalHold(input, ctx) {
      const b = lockedBucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      if (obj.lock?.legalHold === undefined) throw noObjectLock();
      return { LegalHold: { Status: obj.lock.legalHold ? 'ON' : 'OFF' } };
    },
  };
}
