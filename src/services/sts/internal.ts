/**
 * What other parts of gureum may ask STS (the IAM engine, console): the principal behind
 * an access key. Reads the STS session table through the shared store.
 */
import type { Store } from '../../state/store.js';
import type { RequestContext } from '../../gateway/context.js';
import { assertNotExpired, callerOf, type Caller, type Session } from './sessions.js';

export type { Caller };

export function callerIdentity(store: Store, ctx: RequestContext): Caller {
  return callerOf(store.table<Session>('sts', 'sessions'), ctx);
}

/** AWS refuses every call, to any service, signed with expired (or mismatched) temporary credentials. */
export function assertSessionValid(store: Store, ctx: RequestContext, now: number): void {
  assertNotExpired(store.table<Session>('sts', 'sessions'), ctx, now);
}
