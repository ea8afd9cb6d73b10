/**
 * Access configuration: bucket policies (Put/Get/DeleteBucketPolicy, GetBucketPolicyStatus),
 * ACLs (Put/GetBucketAcl, Put/GetObjectAcl), Block Public Access on the bucket
 * (Put/Get/DeletePublicAccessBlock) and Object Ownership (Put/Get/DeleteBucketOwnershipControls).
 * Enforcement lives in domain/access.ts.
 */
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { AccessControlPolicy, S3Handlers } from '../generated/types.js';
import type { Bucket, S3State } from '../state.js';
import { canonicalUserId } from '../domain/buckets.js';
import { accessDenied, invalidRequest } from '../domain/errors.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { checkBucketPolicy, normalPolicy, policyIsPublic } from '../domain/policy.js';
import { aclFromDocument, aclIsPublic, grantsOut, isOwnerFullControlOnly, ownerOnly, type StoredAcl } from '../domain/acl.js';
import { aclNotSupported, requestedAcl } from '../domain/acl-writes.js';
import { aclsDisabled, bucketAcl, callerOf, objectAcl } from '../domain/access.js';
import { readableVersion } from './objects.js';

type Handlers = Pick<Required<S3Handlers>,
  | 'PutBucketPolicy' | 'GetBucketPolicy' | 'DeleteBucketPolicy' | 'GetBucketPolicyStatus'
  | 'PutBucketAcl' | 'GetBucketAcl' | 'PutObjectAcl' | 'GetObjectAcl'
  | 'PutPublicAccessBlock' | 'GetPublicAccessBlock' | 'DeletePublicAccessBlock'
  | 'PutBucketOwnershipControls' | 'GetBucketOwnershipControls' | 'DeleteBucketOwnershipControls'>;

const OWNERSHIPS = new Set(['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter']);
const malformedXml = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
const noSuchPolicy = (bucket: string) => new AwsError('NoSuchBucketPolicy', 'The bucket policy does not exist', 404, { fields: { BucketName: bucket } });

interface AclRequest {
  ACL?: string;
  AccessControlPolicy?: AccessControlPolicy;
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

/** The ACL a PutBucketAcl / PutObjectAcl asks for: a canned ACL, grant headers, or a document — one of them. */
function aclOfRequest(input: AclRequest, kind: 'bucket' | 'object', owner: string, bucketOwner: string): StoredAcl {
  const fromHeaders = requestedAcl(input, kind, owner, bucketOwner);
  if (fromHeaders && input.AccessControlPolicy) throw new AwsError('UnexpectedContent', 'This request does not support content', 400);
  if (fromHeaders) return fromHeaders;
  if (!input.AccessControlPolicy) throw new AwsError('MissingSecurityHeader', 'Your request was missing a required header', 400, { fields: { MissingHeaderName: 'x-amz-acl' } });
  return aclFromDocument(input.AccessControlPolicy.Grants, input.AccessControlPolicy.Owner?.ID, owner);
}

export function accessHandlers(state: S3State): Handlers {
  /** Bucket policies are managed by the bucket owner's account only (others: 405, as S3 answers). */
  function ownerBucket(ctx: RequestContext, name: string, expectedOwner: string | undefined): Bucket {
    const b = state.bucket(ctx, name, expectedOwner);
    const caller = callerOf(state, ctx);
    if (!ctx.internal && caller && caller.account !== b.record.account) {
      throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { fields: { Method: ctx.method, ResourceType: 'BUCKETPOLICY' } });
    }
    return b;
  }

  function checkAclChange(b: Bucket, acl: StoredAcl): void {
    if (aclsDisabled(b) && !isOwnerFullControlOnly(acl, b.record.account)) throw aclNotSupported();
    if (aclIsPublic(acl) && b.record.publicAccessBlock?.BlockPublicAcls) throw accessDenied();
  }

  const owner = (account: string) => ({ ID: canonicalUserId(account) });

  return {
    PutBucketPolicy(input, ctx) {
      const b = ownerBucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const text = checkBucketPolicy(input.Policy ?? '', b.record.name);
      if (b.record.publicAccessBlock?.BlockPublicPolicy && policyIsPublic(normalPolicy(text))) throw accessDenied();
      state.updateBucket(b, { policy: text });
    },

    GetBucketPolicy(input, ctx) {
      const b = ownerBucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!b.record.policy) throw noSuchPolicy(b.record.name);
      return { Policy: b.record.policy };
    },

    DeleteBucketPolicy(input, ctx) {
      const b = ownerBucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { policy: undefined });
    },

    GetBucketPolicyStatus(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!b.record.policy) throw noSuchPolicy(b.record.name);
      return { PolicyStatus: { IsPublic: policyIsPublic(normalPolicy(b.record.policy)) } };
    },

    PutBucketAcl(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const acl = aclOfRequest(input, 'bucket', b.record.account, b.record.account);
      checkAclChange(b, acl);
      state.updateBucket(b, { acl: isOwnerFullControlOnly(acl, b.record.account) ? undefined : acl });
    },

    GetBucketAcl(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const acl = aclsDisabled(b) ? ownerOnly(b.record.account) : bucketAcl(b);
      return { Owner: owner(acl.owner), Grants: grantsOut(acl) };
    },

    PutObjectAcl(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      checkBodyIntegrity(ctx, true);
      if (input.GrantWrite !== undefined) throw invalidRequest('Grant write is not supported on objects');
      const acl = aclOfRequest(input, 'object', objectAcl(b, obj).owner, b.record.account);
      checkAclChange(b, acl);
      state.updateVersion(b, obj, { acl: acl.owner === b.record.account && isOwnerFullControlOnly(acl, b.record.account) ? undefined : acl });
      return {};
    },

    GetObjectAcl(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      const acl = aclsDisabled(b) ? ownerOnly(b.record.account) : objectAcl(b, obj);
      return { Owner: owner(acl.owner), Grants: grantsOut(acl) };
    },

    PutPublicAccessBlock(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const c = input.PublicAccessBlockConfiguration;
      if (!c) throw malformedXml();
      state.updateBucket(b, {
        publicAccessBlock: {
          BlockPublicAcls: c.BlockPublicAcls ?? false,
          IgnorePublicAcls: c.IgnorePublicAcls ?? false,
          BlockPublicPolicy: c.BlockPublicPolicy ?? false,
          RestrictPublicBuckets: c.RestrictPublicBuckets ?? false,
        },
      });
    },

    GetPublicAccessBlock(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const c = b.record.publicAccessBlock;
      if (!c) {
        throw new AwsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', 404, { fields: { BucketName: b.record.name } });
      }
      return { PublicAccessBlockConfiguration: { ...c } };
    },

    DeletePublicAccessBlock(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { publicAccessBlock: undefined });
    },

    PutBucketOwnershipControls(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      const rules = input.OwnershipControls?.Rules ?? [];
      const ownership = rules[0]?.ObjectOwnership;
      if (rules.length !== 1 || !ownership || !OWNERSHIPS.has(ownership)) throw malformedXml();
      if (ownership === 'BucketOwnerEnforced' && !isOwnerFullControlOnly(bucketAcl(b), b.record.account)) {
        throw new AwsError('InvalidBucketAclWithObjectOwnership', "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting", 400);
      }
      state.updateBucket(b, { objectOwnership: ownership, noOwnershipControls: undefined });
    },

    GetBucketOwnershipControls(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (b.record.noOwnershipControls) {
        throw new AwsError('OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', 404, { fields: { BucketName: b.record.name } });
      }
      return { OwnershipControls: { Rules: [{ ObjectOwnership: b.record.objectOwnership }] } };
    },

    DeleteBucketOwnershipControls(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { noOwnershipControls: true });
    },
  };
}
