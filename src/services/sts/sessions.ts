/**
 * Temporary credentials issued by STS, and who a request's caller is.
 *
 * A session is stored under its access key id in the account the key encodes (keys from
 * `makeAccessKeyId` carry their account), region "" — the key alone identifies it, whatever
 * region the later request is signed for.
 */
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../gateway/context.js';
import type { Store, Table } from '../../state/store.js';
import { AwsError } from '../../core/errors.js';
import { PARTITION } from '../../core/regions.js';
import { accessKeyPrincipal } from '../iam/internal.js';

export interface Session {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** epoch ms */
  expiration: number;
  account: string;
  /** root: AssumeRoot's privileged session as a member account's root user (policyArns: the task policy) */
  kind: 'assumed-role' | 'session-token' | 'federated-user' | 'root';
  /** what GetCallerIdentity answers for these credentials */
  arn: string;
  userId: string;
  roleArn?: string;
  sourceIdentity?: string;
  /** the IAM principal behind the session (role ARN for assumed roles, user ARN, or root) */
  principalArn?: string;
  /** epoch ms the credentials were issued (aws:TokenIssueTime) */
  issued?: number;
  /** epoch ms of the MFA authentication behind these credentials (aws:MultiFactorAuthPresent/Age) */
  mfaAuthTime?: number;
  /** session policies: the inline Policy and PolicyArns given when the session was made */
  policy?: string;
  policyArns?: string[];
  /** session tags (aws:PrincipalTag/…) and which of them pass on through role chaining */
  tags?: { Key: string; Value: string }[];
  transitiveTagKeys?: string[];
  /** GetScopedCredentials: scope-down policies, one per layer; every one must allow a request */
  scopePolicies?: string[];
  /** federated sessions: the provider (OIDC issuer host/path, SAML provider ARN) for aws:FederatedProvider */
  federatedProvider?: string;
}

export interface Caller {
  account: string;
  arn: string;
  userId: string;
  /** the IAM principal: the role's ARN for an assumed-role session, else `arn` */
  principalArn: string;
  session?: Session;
}

export const sessionScope = (account: string) => ({ account, region: '' });

export function sessionOf(sessions: Table<Session>, ctx: RequestContext): Session | undefined {
  const key = ctx.accessKeyId;
  return key && key.startsWith('ASIA') ? sessions.get(sessionScope(ctx.accountId), key) : undefined;
}

/** The caller of this request: a session's identity, an IAM user's (its access key), else the account's root user. */
export function callerOf(sessions: Table<Session>, ctx: RequestContext, store: Store): Caller {
  const s = sessionOf(sessions, ctx);
  if (s) return { account: s.account, arn: s.arn, userId: s.userId, principalArn: s.principalArn ?? s.roleArn ?? s.arn, session: s };
  const p = ctx.accessKeyId ? accessKeyPrincipal(store, ctx.accessKeyId) : undefined;
  if (p === null) throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  if (p) return { account: p.account, arn: p.user.arn, userId: p.user.id, principalArn: p.user.arn };
  const root = `arn:${PARTITION}:iam::${ctx.accountId}:root`;
  return { account: ctx.accountId, arn: root, userId: ctx.accountId, principalArn: root };
}

/** AWS refuses every call signed with credentials past their expiration. */
export function assertNotExpired(sessions: Table<Session>, ctx: RequestContext, now: number): void {
  const s = sessionOf(sessions, ctx);
  if (!s) return;
  if (s.expiration <= now) throw new AwsError('ExpiredToken', 'The security token included in the request is expired', 403);
  const token = ctx.req?.headers['x-amz-security-token'] ?? ctx.query.get('X-Amz-Security-Token') ?? undefined;
  if (typeof token === 'string' && token !== s.sessionToken) {
    throw new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);
  }
}

export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** Opaque, AWS-looking session token (they start "IQoJb3JpZ2luX2Vj" — base64 of "\x02\x0e\x09origin_ec"). */
export function newSessionToken(): string {
  return 'IQoJb3JpZ2luX2Vj' + randomBytes(300).toString('base64');
}

