/**
 * ACLs that come with writes: the x-amz-acl / x-amz-grant-* headers of CreateBucket, PutObject,
 * CopyObject and CreateMultipartUpload (and a POST form's `acl`). Checked before the write —
 * Object Ownership (BucketOwnerEnforced refuses ACLs other than the owner's full control, with
 * AccessControlListNotSupported), Block Public Access (public ACLs refused) — and applied to
 * what the write stored. The ACL of a multipart upload waits in `uploadAcls` until it completes.
 * A new bucket starts with Block Public Access fully on, as AWS's buckets have since April 2023.
 */
import type { RequestContext } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import type { Table } from '../../../state/store.js';
import type { Bucket, S3State } from '../state.js';
import { accessDenied, invalidRequest } from './errors.js';
import { aclFromGrantHeaders, aclIsPublic, cannedAcl, hasGrantHeaders, isOwnerFullControlOnly, ownerOnly, type GrantHeaders, type StoredAcl } from './acl.js';
import { aclsDisabled, callerOf } from './access.js';

export const aclNotSupported = () => new AwsError('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
const bothGiven = () => invalidRequest('Specifying both Canned ACLs and Header Grants is not allowed');

type AclInput = GrantHeaders & { ACL?: string };

/** The ACL a request's headers ask for (undefined: none given). */
export function requestedAcl(input: AclInput, kind: 'bucket' | 'object', owner: string, bucketOwner: string): StoredAcl | undefined {
  const grants = hasGrantHeaders(input);
  if (input.ACL !== undefined && grants) throw bothGiven();
  if (input.ACL !== undefined) return cannedAcl(input.ACL, kind, owner, bucketOwner);
  return grants ? aclFromGrantHeaders(input, owner) : undefined;
}

const uploadAclTables = new WeakMap<S3State, Table<StoredAcl>>();
function uploadAcls(state: S3State): Table<StoredAcl> {
  let t = uploadAclTables.get(state);
  if (!t) uploadAclTables.set(state, (t = state.rt.table<StoredAcl>('upload-acls')));
  return t;
}

export const BLOCK_ALL = { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true };

/** An object write's ACL, checked against the bucket; undefined: the default (owner-only) ACL. */
export function objectWriteAcl(state: S3State, ctx: RequestContext, b: Bucket, input: AclInput): StoredAcl | undefined {
  const bucketOwner = b.record.account;
  const writer = callerOf(state, ctx)?.account ?? bucketOwner;
  const preferred = !b.record.noOwnershipControls && b.record.objectOwnership === 'BucketOwnerPreferred' && input.ACL === 'bucket-owner-full-control';
  const owner = aclsDisabled(b) || preferred ? bucketOwner : writer;
  const acl = requestedAcl(input, 'object', owner, bucketOwner);
  if (aclsDisabled(b)) {
    if (acl && !(input.ACL === 'bucket-owner-full-control' || isOwnerFullControlOnly(acl, bucketOwner))) throw aclNotSupported();
    return undefined;
  }
  if (acl && aclIsPublic(acl) && b.record.publicAccessBlock?.BlockPublicAcls) throw accessDenied();
  // An object another account writes belongs to that account (ObjectWriter), even without an ACL.
  return acl ?? (owner !== bucketOwner ? ownerOnly(owner) : undefined);
}

/** Stores an ACL on the version a write just stored (named by its output's VersionId). */
export function applyObjectAcl(state: S3State, bucket: string, key: string, versionId: unknown, acl: StoredAcl): void {
  const b = state.bucketByName(bucket);
  if (!b) return;
  const rec = typeof versionId === 'string' && b.record.versioning ? state.findVersion(b, key, versionId) : state.getObject(b, key);
  if (rec && !rec.deleteMarker) state.updateVersion(b, rec, { acl });
}

type After = (output: unknown) => unknown;

/**
 * Before a write: its ACL headers checked. Returns what to do with the write's output once it
 * succeeded (store the ACL), or undefined when there is nothing to do.
 */
export function aclBeforeWrite(state: S3State, ctx: RequestContext, operation: string, input: Record<string, unknown>): After | undefined {
  const bucket = typeof input.Bucket === 'string' ? input.Bucket : undefined;
  if (bucket === undefined) return undefined;
  switch (operation) {
    case 'CreateBucket': {
      if (state.locate(bucket)) return undefined;
      const ownership = typeof input.ObjectOwnership === 'string' ? input.ObjectOwnership : 'BucketOwnerEnforced';
      const account = ctx.accountId;
      // BucketOwnerEnforced with an ACL is the handler's InvalidBucketAclWithObjectOwnership
      const acl = ownership === 'BucketOwnerEnforced' ? undefined : requestedAcl(input as AclInput, 'bucket', account, account);
      if (acl && aclIsPublic(acl)) throw new AwsError('InvalidBucketAclWithBlockPublicAccessError', 'Bucket cannot have public ACLs set with BlockPublicAccess enabled', 400);
      return (out) => {
        const b = state.bucketByName(bucket);
        if (b && b.record.account === account && !b.record.publicAccessBlock) {
          state.updateBucket(b, { publicAccessBlock: { ...BLOCK_ALL }, ...(acl && !isOwnerFullControlOnly(acl, account) ? { acl } : {}) });
        }
        return out;
      };
    }
    case 'PutObject':
    case 'CopyObject':
    case 'CreateMultipartUpload': {
      const b = state.bucketByName(bucket);
      if (!b || typeof input.Key !== 'string') return undefined;
      const acl = objectWriteAcl(state, ctx, b, input as AclInput);
      if (!acl) return undefined;
      const key = input.Key;
      return (out) => {
        const o = out as { VersionId?: string; UploadId?: string } | undefined;
        if (operation === 'CreateMultipartUpload') {
          const b2 = state.bucketByName(bucket);
          if (b2 && o?.UploadId) uploadAcls(state).put(b2.scope, o.UploadId, acl);
        } else applyObjectAcl(state, bucket, key, o?.VersionId, acl);
        return out;
      };
    }
    case 'CompleteMultipartUpload':
    case 'AbortMultipartUpload': {
      const b = state.bucketByName(bucket);
      const id = typeof input.UploadId === 'string' ? input.UploadId : undefined;
      if (!b || !id || !uploadAcls(state).has(b.scope, id)) return undefined;
      return (out) => {
        const b2 = state.bucketByName(bucket);
        const acl = b2 && uploadAcls(state).get(b2.scope, id);
        if (!b2 || !acl) return out;
        uploadAcls(state).delete(b2.scope, id);
        if (operation === 'CompleteMultipartUpload') applyObjectAcl(state, bucket, String(input.Key), (out as { VersionId?: string } | undefined)?.VersionId, acl);
        return out;
      };
    }
    default:
      return undefined;
  }
}
