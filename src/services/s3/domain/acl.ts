/**
 * Access control lists: canned ACLs, x-amz-grant-* headers and AccessControlPolicy documents
 * turned into one stored form (owner account + grants), validated with S3's errors; whether an
 * ACL is public; and whether it grants a caller a permission.
 */
import { AwsError } from '../../../core/errors.js';
import type { Grant } from '../generated/types.js';
import { canonicalUserId } from './buckets.js';

export type Permission = 'FULL_CONTROL' | 'READ' | 'WRITE' | 'READ_ACP' | 'WRITE_ACP';
const PERMISSIONS = new Set<string>(['FULL_CONTROL', 'READ', 'WRITE', 'READ_ACP', 'WRITE_ACP']);

export const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
export const AUTHENTICATED_USERS = 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers';
export const LOG_DELIVERY = 'http://acs.amazonaws.com/groups/s3/LogDelivery';
const GROUPS = new Set([ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY]);

/** A grantee: a canonical user id (64 hex) or a group URI. */
export type StoredGrantee = { id: string } | { uri: string };
export interface StoredGrant { grantee: StoredGrantee; permission: Permission }
/** An ACL as stored on a bucket or an object: the owner's account and the grants. */
export interface StoredAcl { owner: string; grants: StoredGrant[] }

const CANNED_BUCKET = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'log-delivery-write'];
const CANNED_OBJECT = ['private', 'public-read', 'public-read-write', 'authenticated-read', 'aws-exec-read', 'bucket-owner-read', 'bucket-owner-full-control'];

export const ownerOnly = (owner: string): StoredAcl => ({ owner, grants: [{ grantee: { id: canonicalUserId(owner) }, permission: 'FULL_CONTROL' }] });

const invalidArgument = (message: string, name: string, value: string) =>
  new AwsError('InvalidArgument', message, 400, { fields: { ArgumentName: name, ArgumentValue: value } });
const malformedAcl = () => new AwsError('MalformedACLError', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
const unresolvableEmail = (email: string) =>
  new AwsError('UnresolvableGrantByEmailAddress', 'The e-mail address you provided does not match any account on record.', 400, { fields: { EmailAddressProvided: email } });

/** A canned ACL for a bucket or an object owned by `owner` in a bucket owned by `bucketOwner`. */
export function cannedAcl(name: string, kind: 'bucket' | 'object', owner: string, bucketOwner: string): StoredAcl {
  const allowed = kind === 'bucket' ? [...CANNED_BUCKET, 'bucket-owner-full-control'] : CANNED_OBJECT;
  if (!allowed.includes(name)) throw invalidArgument('', 'x-amz-acl', name);
  const acl = ownerOnly(owner);
  const add = (grantee: StoredGrantee, permission: Permission) => acl.grants.push({ grantee, permission });
  switch (name) {
    case 'public-read': add({ uri: ALL_USERS }, 'READ'); break;
    case 'public-read-write': add({ uri: ALL_USERS }, 'READ'); add({ uri: ALL_USERS }, 'WRITE'); break;
    case 'authenticated-read': add({ uri: AUTHENTICATED_USERS }, 'READ'); break;
    case 'log-delivery-write': add({ uri: LOG_DELIVERY }, 'WRITE'); add({ uri: LOG_DELIVERY }, 'READ_ACP'); break;
    case 'bucket-owner-read': if (bucketOwner !== owner) add({ id: canonicalUserId(bucketOwner) }, 'READ'); break;
    case 'bucket-owner-full-control': if (bucketOwner !== owner) add({ id: canonicalUserId(bucketOwner) }, 'FULL_CONTROL'); break;
  }
  return acl;
}

export interface GrantHeaders {
  GrantFullControl?: string;
  GrantRead?: string;
  GrantReadACP?: string;
  GrantWrite?: string;
  GrantWriteACP?: string;
}

const HEADER_OF: [keyof GrantHeaders, Permission, string][] = [
  ['GrantFullControl', 'FULL_CONTROL', 'x-amz-grant-full-control'],
  ['GrantRead', 'READ', 'x-amz-grant-read'],
  ['GrantReadACP', 'READ_ACP', 'x-amz-grant-read-acp'],
  ['GrantWrite', 'WRITE', 'x-amz-grant-write'],
  ['GrantWriteACP', 'WRITE_ACP', 'x-amz-grant-write-acp'],
];

export const hasGrantHeaders = (h: GrantHeaders) => HEADER_OF.some(([k]) => h[k] !== undefined);

function checkId(id: string): StoredGrantee {
  if (!/^[0-9a-f]{64}$/.test(id)) throw invalidArgument('Invalid id', 'CanonicalUser/ID', id);
  return { id };
}

function checkUri(uri: string): StoredGrantee {
  if (!GROUPS.has(uri)) throw invalidArgument('Invalid group uri', 'Group/URI', uri);
  return { uri };
}

/** x-amz-grant-*: `id="…"`, `uri="…"` or `emailAddress="…"`, comma-separated. */
export function aclFromGrantHeaders(h: GrantHeaders, owner: string): StoredAcl {
  const acl: StoredAcl = { owner, grants: [] };
  for (const [k, permission, header] of HEADER_OF) {
    const v = h[k];
    if (v === undefined) continue;
    for (const part of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const m = /^(id|uri|emailAddress)\s*=\s*"?([^"]*)"?$/i.exec(part);
      if (!m) throw invalidArgument(`Invalid argument for ${header}`, header, v);
      const type = m[1]!.toLowerCase();
      const value = m[2]!.trim();
      if (type === 'emailaddress') throw unresolvableEmail(value);
      acl.grants.push({ grantee: type === 'id' ? checkId(value) : checkUri(value), permission });
    }
  }
  return acl;
}

/** An AccessControlPolicy document (PutBucketAcl / PutObjectAcl bodies). */
export function aclFromDocument(grants: Grant[] | undefined, ownerId: string | undefined, owner: string): StoredAcl {
  if (ownerId === undefined) throw malformedAcl();
  if (ownerId !== canonicalUserId(owner)) throw new AwsError('AccessDenied', 'Access Denied', 403);
  const acl: StoredAcl = { owner, grants: [] };
  for (const g of grants ?? []) {
    const t = g.Grantee;
    if (!t || !g.Permission || !PERMISSIONS.has(g.Permission)) throw malformedAcl();
    let grantee: StoredGrantee;
    if (t.Type === 'CanonicalUser' && t.ID !== undefined) grantee = checkId(t.ID);
    else if (t.Type === 'Group' && t.URI !== undefined) grantee = checkUri(t.URI);
    else if (t.Type === 'AmazonCustomerByEmail' && t.EmailAddress !== undefined) throw unresolvableEmail(t.EmailAddress);
    else throw malformedAcl();
    acl.grants.push({ grantee, permission: g.Permission as Permission });
  }
  return acl;
}

/** Grants as GetBucketAcl / GetObjectAcl answer them. */
export function grantsOut(acl: StoredAcl): Grant[] {
  return acl.grants.map((g) => ({
    Grantee: 'id' in g.grantee ? { ID: g.grantee.id, Type: 'CanonicalUser' } : { URI: g.grantee.uri, Type: 'Group' },
    Permission: g.permission,
  }));
}

const isPublicGrantee = (g: StoredGrantee) => 'uri' in g && (g.uri === ALL_USERS || g.uri === AUTHENTICATED_USERS);

/** Grants to AllUsers or AuthenticatedUsers make an ACL public (Block Public Access). */
export const aclIsPublic = (acl: StoredAcl) => acl.grants.some((g) => isPublicGrantee(g.grantee));

/** Only the owner, with full control: what buckets with ACLs disabled accept. */
export function isOwnerFullControlOnly(acl: StoredAcl, bucketOwner: string): boolean {
  const id = canonicalUserId(bucketOwner);
  return acl.grants.every((g) => 'id' in g.grantee && g.grantee.id === id && g.permission === 'FULL_CONTROL');
}

/**
 * Does the ACL grant `permission` to the caller (undefined: anonymous)? Public grantees are
 * skipped when Block Public Access ignores public ACLs.
 */
export function aclGrants(acl: StoredAcl, permission: Permission, callerAccount: string | undefined, ignorePublic: boolean): boolean {
  const id = callerAccount !== undefined ? canonicalUserId(callerAccount) : undefined;
  return acl.grants.some((g) => {
    if (g.permission !== permission && g.permission !== 'FULL_CONTROL') return false;
    if ('id' in g.grantee) return g.grantee.id === id;
    if (ignorePublic && isPublicGrantee(g.grantee)) return false;
    return g.grantee.uri === ALL_USERS || (g.grantee.uri === AUTHENTICATED_USERS && callerAccount !== undefined);
  });
}
