/** CreateBucket, ListBuckets, HeadBucket, DeleteBucket. */
import { AwsError } from '../../../core/errors.js';
import type { S3Handlers } from '../generated/types.js';
import type { S3State } from '../state.js';
import { bucketRegion, canonicalUserId, checkBucketName } from '../domain/buckets.js';
import { bucketAlreadyExists, bucketAlreadyOwnedByYou, bucketNotEmpty, invalidArgument } from '../domain/errors.js';

type Handlers = Pick<Required<S3Handlers>, 'CreateBucket' | 'ListBuckets' | 'HeadBucket' | 'DeleteBucket'>;

const OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

const token = {
  encode: (name: string) => Buffer.from(name, 'utf8').toString('base64url'),
  decode: (t: string) => Buffer.from(t, 'base64url').toString('utf8'),
};

export function bucketHandlers(state: S3State): Handlers {
  const { rt } = state;
  return {
    CreateBucket(input, ctx) {
      const name = input.Bucket;
      checkBucketName(name);
      const region = bucketRegion(ctx.region, input.CreateBucketConfiguration?.LocationConstraint);
      const ownership = input.ObjectOwnership ?? 'BucketOwnerEnforced';
      if (!OWNERSHIPS.includes(ownership)) throw invalidArgument('Invalid x-amz-object-ownership header', 'x-amz-object-ownership', ownership);
      const grants = input.GrantFullControl ?? input.GrantRead ?? input.GrantReadACP ?? input.GrantWrite ?? input.GrantWriteACP;
      if (ownership === 'BucketOwnerEnforced' && ((input.ACL && input.ACL !== 'private' && input.ACL !== 'bucket-owner-full-control') || grants)) {
        throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
      }
      const location = region === 'us-east-1' ? `/${name}` : `http://${name}.s3.amazonaws.com/`;
      const existing = state.locate(name);
      if (existing) {
        if (existing.account !== ctx.accountId) throw bucketAlreadyExists(name);
        // us-east-1 keeps its legacy answer: re-creating your own bucket there succeeds.
        if (ctx.region === 'us-east-1' && existing.region === 'us-east-1') return { Location: location };
        throw bucketAlreadyOwnedByYou(name);
      }
      state.addBucket({
        name,
        account: ctx.accountId,
        region,
        createdAt: Math.floor(rt.clock.now() / 1000) * 1000,
        objectOwnership: ownership,
        ...(input.CreateBucketConfiguration?.LocationConstraint === 'EU' ? { locationConstraint: 'EU' } : {}),
        // Object Lock needs versioning: S3 enables it with the lock.
        ...(input.ObjectLockEnabledForBucket ? { objectLockEnabled: true, versioning: 'Enabled' as const } : {}),
      });
      return { Location: location };
    },

    ListBuckets(input, ctx) {
      let all = state.bucketsOf(ctx.accountId);
      if (input.Prefix) all = all.filter((b) => b.name.startsWith(input.Prefix!));
      if (input.BucketRegion) all = all.filter((b) => b.region === input.BucketRegion);
      const max = input.MaxBuckets;
      if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 10000)) {
        throw invalidArgument('Argument max-buckets must be an integer between 1 and 10000.', 'max-buckets', String(max));
      }
      if (input.ContinuationToken !== undefined) {
        const after = token.decode(input.ContinuationToken);
        if (!after) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', input.ContinuationToken);
        all = all.filter((b) => b.name > after);
      }
      const page = max !== undefined ? all.slice(0, max) : all;
      const more = page.length < all.length;
      return {
        Buckets: page.map((b) => ({ Name: b.name, CreationDate: new Date(b.createdAt), BucketRegion: b.region })),
        Owner: { ID: canonicalUserId(ctx.accountId) },
        ...(input.Prefix !== undefined ? { Prefix: input.Prefix } : {}),
        ...(more ? { ContinuationToken: token.encode(page[page.length - 1]!.name) } : {}),
      };
    },

    HeadBucket(input, ctx) {
      const b = state.bucket(ctx, input.Bucket);
      return { BucketRegion: b.record.region, AccessPointAlias: false };
    },

    DeleteBucket(input, ctx) {
      const b = state.bucket(ctx, input.Bucket);
      if (state.objectCount(b) > 0) throw bucketNotEmpty(input.Bucket);
      state.removeBucket(b);
    },
  };
}
