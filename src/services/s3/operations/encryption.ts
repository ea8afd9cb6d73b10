/**
 * Put/Get/DeleteBucketEncryption: the default encryption of new objects (SSE-S3 unless set);
 * UpdateObjectEncryption: an existing SSE-S3 or SSE-KMS version moved to SSE-KMS (another key,
 * or a Bucket Key) in place — bytes, ETag, checksum and dates unchanged.
 */
import type { S3Handlers } from '../generated/types.js';
import { versionIdOf, type S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { checkEncryptionRules, effectiveEncryption, kmsDataKey } from '../domain/sse.js';
import { malformedXml } from '../domain/bucket-configs.js';
import { invalidArgument, invalidRequest } from '../domain/errors.js';
import { readableVersion } from './objects.js';

type Handlers = Pick<Required<S3Handlers>, 'PutBucketEncryption' | 'GetBucketEncryption' | 'DeleteBucketEncryption' | 'UpdateObjectEncryption'>;

const KMS_KEY_ARN = /^arn:aws[a-zA-Z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[a-zA-Z0-9-]+$/;

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

    async UpdateObjectEncryption(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, false);
      const kms = input.ObjectEncryption?.SSEKMS;
      if (!kms?.KMSKeyArn) throw malformedXml();
      if (!KMS_KEY_ARN.test(kms.KMSKeyArn)) throw invalidArgument('The KMSKeyArn must be a valid AWS KMS key ARN.', 'KMSKeyArn', kms.KMSKeyArn);
      const before = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      if (before.sse?.customerKeyMD5 || before.sse?.algorithm === 'aws:kms:dsse') {
        throw invalidRequest('UpdateObjectEncryption supports objects encrypted with SSE-S3 or SSE-KMS only.');
      }
      const arn = await kmsDataKey(state, b, kms.KMSKeyArn);
      // the version may have changed while KMS answered: look it up again, then write at once
      const obj = readableVersion(state, b, input.Key, versionIdOf(before), ctx.method);
      state.updateVersion(b, obj, { sse: { algorithm: 'aws:kms', kmsKeyId: arn, ...(kms.BucketKeyEnabled ? { bucketKey: true } : {}) } });
      return {};
    },
  };
}
