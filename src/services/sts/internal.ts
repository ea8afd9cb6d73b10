/**
 * What other parts of gureum may ask STS (the IAM engine, console): the principal behind
 * an access key. Reads the STS session table through the shared store.
 */
import type { Store } from '../../state/store.js';
import type { RequestContext } from '../../gateway/context.js';
import { assertNotExpired, callerOf, type Caller, type Session } from './sessions.js';
import { accessKeyPrincipal, assertAccessKeyUsable, recordAccess } from '../iam/internal.js';
import { accountForAccessKey } from '../../core/accounts.js';

export type { Caller };

export function callerIdentity(store: Store, ctx: RequestContext): Caller {
  return callerOf(store.table<Session>('sts', 'sessions'), ctx, store);
}

/**
 * AWS refuses every call, to any service, signed with expired (or mismatched) temporary
 * credentials, or with an IAM user's key that was deleted or made Inactive. Calls signed with
 * an IAM user's key are recorded for GetAccessKeyLastUsed.
 */
export function assertSessionValid(store: Store, ctx: RequestContext, now: number): void {
  if (ctx.accessKeyId?.startsWith('AKIA')) assertAccessKeyUsable(store, ctx, now);
  else assertNotExpired(store.table<Session>('sts', 'sessions'), ctx, now);
  // access advisor: the IAM user or role behind the request, per service namespace
  if (!ctx.internal && ctx.operationName && ctx.service) {
    const c = callerIdentity(store, ctx);
    const namespace = ctx.service.signingName === 'monitoring' ? 'cloudwatch' : ctx.service.signingName ?? ctx.service.id;
    recordAccess(store, c.account, c.principalArn, namespace, ctx.operationName, ctx.region, now);
  }
}

/** The secret behind an access key gureum minted (IAM AKIA…, STS ASIA…); undefined for any other key. */
export function secretForAccessKey(store: Store, ctx: RequestContext, accessKeyId: string): string | undefined {
  if (accessKeyId.startsWith('AKIA')) return accessKeyPrincipal(store, accessKeyId)?.key.secret;
  if (accessKeyId.startsWith('ASIA')) {
    try {
      return callerIdentity(store, { ...ctx, accessKeyId, accountId: accountForAccessKey(accessKeyId, ctx.accountId) } as RequestContext).session?.secretAccessKey;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export { encodeAuthorizationMessage, decodeAuthorizationMessage, type AuthorizationDetails } from './authorization-message.js';

/** STS's and IAM's shared request validation (ValidationError wording). */
export { Constraints } from './validation.js';
