/**
 * Who may do what to a bucket, decided by S3 before each of its operations runs:
 *
 * - presigned URLs: the signature is verified when the key's secret is known (presign.ts);
 * - the bucket owner's account: S3 itself lets it in; IAM enforcement (soft | enforce) is the
 *   gateway's authorize step, which evaluates the caller's identity policies with the bucket
 *   policy under S3's action names (actions.ts);
 * - anonymous requests and other accounts: the bucket policy (an explicit Deny wins), else the
 *   bucket's or object's ACL (unless Object Ownership disables ACLs) must grant it; Block Public
 *   Access drops public ACL grants (IgnorePublicAcls) and public policies (RestrictPublicBuckets).
 *
 * A GET of a missing key answers 403 rather than 404 to callers who may not list the bucket, as
 * S3 does.
 */
import type { RequestContext } from '../../../gateway/context.js';
import { callerIdentity } from '../../sts/internal.js';
import type { Bucket, ObjectRecord, S3State } from '../state.js';
import { accessDenied } from './errors.js';
import { s3Action, s3RequestKeys } from './actions.js';
import { evaluateBucketPolicy, normalPolicy, policyIsPublic, type PolicyCaller } from './policy.js';
import { aclGrants, ownerOnly, type Permission, type StoredAcl } from './acl.js';
import { verifyPresigned } from './presign.js';
import { grantCrossAccount } from './grants.js';
import { checkRequesterPays } from './requester-pays.js';

export interface S3Caller extends PolicyCaller { userId: string }

/** The caller behind the request's key; undefined: anonymous (unsigned). */
export function callerOf(state: S3State, ctx: RequestContext): S3Caller | undefined {
  if (!ctx.accessKeyId) return undefined;
  const c = callerIdentity(state.rt.store, ctx);
  return { arn: c.arn, account: c.account, principalArn: c.principalArn, userId: c.userId };
}

export const aclsDisabled = (b: Bucket) => !b.record.noOwnershipControls && b.record.objectOwnership === 'BucketOwnerEnforced';
export const bucketAcl = (b: Bucket): StoredAcl => b.record.acl ?? ownerOnly(b.record.account);
export const objectAcl = (b: Bucket, o: ObjectRecord): StoredAcl => o.acl ?? ownerOnly(b.record.account);

/** What an ACL must grant for an action, on the bucket's ACL or the object's. */
const ACL_PERMISSION: Record<string, [Permission, 'bucket' | 'object']> = {
  's3:GetObject': ['READ', 'object'],
  's3:GetObjectVersion': ['READ', 'object'],
  's3:GetObjectAcl': ['READ_ACP', 'object'],
  's3:GetObjectVersionAcl': ['READ_ACP', 'object'],
  's3:PutObjectAcl': ['WRITE_ACP', 'object'],
  's3:PutObjectVersionAcl': ['WRITE_ACP', 'object'],
  's3:PutObject': ['WRITE', 'bucket'],
  's3:DeleteObject': ['WRITE', 'bucket'],
  's3:DeleteObjectVersion': ['WRITE', 'bucket'],
  's3:AbortMultipartUpload': ['WRITE', 'bucket'],
  's3:ListBucket': ['READ', 'bucket'],
  's3:ListBucketVersions': ['READ', 'bucket'],
  's3:ListBucketMultipartUploads': ['READ', 'bucket'],
  's3:GetBucketAcl': ['READ_ACP', 'bucket'],
  's3:PutBucketAcl': ['WRITE_ACP', 'bucket'],
};

const header = (ctx: RequestContext, name: string) => {
  const v = ctx.req?.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** The request's context keys (global and S3's) for policy conditions. */
function contextKeys(state: S3State, ctx: RequestContext, b: Bucket, input: Record<string, unknown>, caller: S3Caller | undefined): Record<string, string | string[] | undefined> {
  const now = state.rt.clock.now();
  return {
    'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    'aws:SecureTransport': 'false',
    'aws:SourceIp': ctx.req?.socket?.remoteAddress?.replace(/^::ffff:/, ''),
    'aws:UserAgent': header(ctx, 'user-agent'),
    'aws:Referer': header(ctx, 'referer'),
    'aws:PrincipalAccount': caller?.account,
    'aws:PrincipalArn': caller?.principalArn,
    'aws:userid': caller ? caller.userId : 'anonymous',
    'aws:ResourceAccount': b.record.account,
    's3:ResourceAccount': b.record.account,
    ...s3RequestKeys(ctx, input),
  };
}

/** The version an object action names, if it exists. */
function targetObject(state: S3State, b: Bucket, key: string | undefined, versionId: unknown): ObjectRecord | undefined {
  if (key === undefined) return undefined;
  const o = typeof versionId === 'string' ? state.findVersion(b, key, versionId) : state.getObject(b, key);
  return o?.deleteMarker ? undefined : o;
}

/** The resource side for a caller outside the bucket's account (or anonymous): may the policy or ACL let it in? */
function resourceAllows(state: S3State, ctx: RequestContext, b: Bucket, action: string, key: string | undefined, input: Record<string, unknown>, caller: S3Caller | undefined): boolean {
  const bpa = b.record.publicAccessBlock ?? {};
  const resource = `arn:aws:s3:::${b.record.name}${key !== undefined ? `/${key}` : ''}`;
  let decision: ReturnType<typeof evaluateBucketPolicy> = 'implicitDeny';
  if (b.record.policy) {
    const policy = normalPolicy(b.record.policy);
    decision = evaluateBucketPolicy(policy, action, resource, caller, contextKeys(state, ctx, b, input, caller));
    if (decision === 'explicitDeny') return false;
    if (decision === 'allowed' && bpa.RestrictPublicBuckets && policyIsPublic(policy)) decision = 'implicitDeny';
  }
  if (decision === 'allowed') return true;
  if (aclsDisabled(b)) return false;
  const need = ACL_PERMISSION[action];
  if (!need) return false;
  const acl = need[1] === 'bucket' ? bucketAcl(b) : (() => {
    const o = targetObject(state, b, key, input.VersionId);
    return o && objectAcl(b, o);
  })();
  return !!acl && aclGrants(acl, need[0], caller?.account, !!bpa.IgnorePublicAcls);
}

/** One action on one bucket (and key): throws AccessDenied, or lets the request in. */
export function checkAccess(state: S3State, ctx: RequestContext, bucketName: string, key: string | undefined, action: string, input: Record<string, unknown>, caller: S3Caller | undefined): void {
  const b = state.bucketByName(bucketName);
  // no bucket: the handler answers NoSuchBucket; the owner's account: IAM's (the gateway's) to limit
  if (!b || (caller && caller.account === b.record.account)) return;
  // A GET/HEAD of a key that does not exist: 404 only for callers who may list the bucket.
  const missing = (action === 's3:GetObject' || action === 's3:GetObjectVersion') && key !== undefined && !targetObject(state, b, key, input.VersionId);
  if (missing && !resourceAllows(state, ctx, b, 's3:ListBucket', undefined, input, caller)) throw accessDenied();
  if (!missing && !resourceAllows(state, ctx, b, action, key, input, caller)) throw accessDenied();
  grantCrossAccount(ctx, bucketName);
}

/** The copy source of CopyObject / UploadPartCopy: bucket, key and version. */
export function copySourceOf(input: Record<string, unknown>): { bucket: string; key: string; versionId?: string } | undefined {
  const src = typeof input.CopySource === 'string' ? input.CopySource : undefined;
  if (!src) return undefined;
  const [path, query] = src.replace(/^\//, '').split('?');
  const slash = path!.indexOf('/');
  if (slash <= 0) return undefined;
  let bucket: string, key: string;
  try {
    bucket = decodeURIComponent(path!.slice(0, slash));
    key = decodeURIComponent(path!.slice(slash + 1));
  } catch {
    return undefined;
  }
  const versionId = new URLSearchParams(query ?? '').get('versionId') ?? undefined;
  return { bucket, key, ...(versionId !== undefined ? { versionId } : {}) };
}

/**
 * Everything S3 checks about a request before its operation runs (see the header comment).
 * Returns whether the requester is charged for it (Requester Pays, domain/requester-pays.ts).
 */
export function authorizeS3(state: S3State, ctx: RequestContext, operation: string, input: Record<string, unknown>): boolean {
  if (ctx.internal || !ctx.req) return false;
  verifyPresigned(state.rt.store, ctx);
  const caller = callerOf(state, ctx);
  const bucket = typeof input.Bucket === 'string' ? input.Bucket : undefined;
  const action = s3Action(operation, input);
  // ListBuckets (account-level) and CreateBucket (names are global: an existing bucket is the
  // handler's BucketAlreadyExists / BucketAlreadyOwnedByYou) need a caller, nothing more
  if (bucket === undefined || operation === 'CreateBucket') {
    if (!caller) throw accessDenied();
    return false;
  }
  if (operation === 'DeleteObjects') {
    const keys = ((input.Delete as { Objects?: { Key?: string }[] } | undefined)?.Objects ?? []).map((o) => o.Key).filter((k): k is string => typeof k === 'string');
    for (const k of keys.length ? keys : [undefined]) checkAccess(state, ctx, bucket, k, action, input, caller);
    return checkRequesterPays(state, ctx, [bucket], caller, input);
  }
  const key = typeof input.Key === 'string' ? input.Key : undefined;
  checkAccess(state, ctx, bucket, key, action, input, caller);
  const buckets = [bucket];
  if (operation === 'CopyObject' || operation === 'UploadPartCopy') {
    const src = copySourceOf(input);
    if (src) {
      checkAccess(state, ctx, src.bucket, src.key, src.versionId !== undefined ? 's3:GetObjectVersion' : 's3:GetObject', { VersionId: src.versionId }, caller);
      buckets.push(src.bucket);
    }
  }
  return checkRequesterPays(state, ctx, buckets, caller, input);
}
