/**
 * Bucket sub-resources: GetBucketLocation, bucket tagging, versioning configuration, CORS
 * configuration; and object tagging (Put/Get/DeleteObjectTagging, any version).
 */
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { S3Handlers } from '../generated/types.js';
import { versionIdOf, type S3State } from '../state.js';
import { checkTags, type Tag } from '../domain/attributes.js';
import { checkCorsRules } from '../domain/cors.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { readableVersion } from './objects.js';

type Handlers = Pick<Required<S3Handlers>,
  | 'GetBucketLocation' | 'PutBucketTagging' | 'GetBucketTagging' | 'DeleteBucketTagging'
  | 'PutBucketVersioning' | 'GetBucketVersioning' | 'PutBucketCors' | 'GetBucketCors' | 'DeleteBucketCors'
  | 'PutObjectTagging' | 'GetObjectTagging' | 'DeleteObjectTagging'>;

const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

export function configHandlers(state: S3State): Handlers {
  /** The version a tagging call names; delete markers cannot carry tags. */
  function version(ctx: RequestContext, input: { Bucket: string; Key: string; VersionId?: string; ExpectedBucketOwner?: string }) {
    const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
    return { b, obj: readableVersion(state, b, input.Key, input.VersionId, ctx.method) };
  }

  return {
    GetBucketLocation(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      // us-east-1 answers an empty LocationConstraint (rest-xml writes it unwrapped, as S3 does);
      // a bucket created with the legacy `EU` constraint still answers `EU`.
      return { LocationConstraint: b.record.locationConstraint ?? (b.record.region === 'us-east-1' ? '' : b.record.region) };
    },

    PutBucketTagging(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const tags = checkTags((input.Tagging?.TagSet ?? []) as Tag[], 50, 'bucket');
      state.updateBucket(b, { tags });
    },

    GetBucketTagging(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!b.record.tags?.length) throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404, { fields: { BucketName: b.record.name } });
      return { TagSet: b.record.tags };
    },

    DeleteBucketTagging(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { tags: undefined });
    },

    PutBucketVersioning(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, false);
      const c = input.VersioningConfiguration ?? {};
      if (c.Status !== undefined && c.Status !== 'Enabled' && c.Status !== 'Suspended') throw malformed();
      if (c.MFADelete !== undefined && c.MFADelete !== 'Enabled' && c.MFADelete !== 'Disabled') throw malformed();
      if (b.record.objectLockEnabled && c.Status === 'Suspended') {
        throw new AwsError('InvalidBucketState', 'An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.', 409);
      }
      state.updateBucket(b, {
        ...(c.Status ? { versioning: c.Status as 'Enabled' | 'Suspended' } : {}),
        ...(c.MFADelete ? { mfaDelete: c.MFADelete as 'Enabled' | 'Disabled' } : {}),
      });
    },

    GetBucketVersioning(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      return {
        ...(b.record.versioning ? { Status: b.record.versioning } : {}),
        ...(b.record.mfaDelete ? { MFADelete: b.record.mfaDelete } : {}),
      };
    },

    PutBucketCors(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      state.updateBucket(b, { cors: checkCorsRules(input.CORSConfiguration?.CORSRules) });
    },

    GetBucketCors(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!b.record.cors?.length) throw new AwsError('NoSuchCORSConfiguration', 'The CORS configuration does not exist', 404, { fields: { BucketName: b.record.name } });
      return { CORSRules: b.record.cors };
    },

    DeleteBucketCors(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { cors: undefined });
    },

    PutObjectTagging(input, ctx) {
      const { b, obj } = version(ctx, input);
      checkBodyIntegrity(ctx, false);
      const tags = checkTags((input.Tagging?.TagSet ?? []) as Tag[], 10, 'object');
      const next = state.updateVersion(b, obj, { tags: tags.length ? tags : undefined });
      return b.record.versioning ? { VersionId: versionIdOf(next) } : {};
    },

    GetObjectTagging(input, ctx) {
      const { b, obj } = version(ctx, input);
      return { TagSet: obj.tags ?? [], ...(b.record.versioning ? { VersionId: versionIdOf(obj) } : {}) };
    },

    DeleteObjectTagging(input, ctx) {
      const { b, obj } = version(ctx, input);
      state.updateVersion(b, obj, { tags: undefined });
      return b.record.versioning ? { VersionId: versionIdOf(obj) } : {};
    },
  };
}
