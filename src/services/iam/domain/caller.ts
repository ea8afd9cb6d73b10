/** Operations that act on "the calling user" when UserName is left out (access keys, certificates, SSH keys, passwords). */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { callerIdentity } from '../../sts/internal.js';
import { validationError } from './common.js';
import { findUser } from './model.js';
import type { IamTables, UserRec } from '../state.js';

/** The IAM user name behind the request's credentials, or undefined (root, role session, federated user). */
export function callerUserName(ctx: RequestContext): string | undefined {
  const c = callerIdentity(ctx.runtime.store, ctx);
  return /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(c.arn)?.[1];
}

/** The named user, or the caller when it is an IAM user (AWS infers it from the signing key). */
export function userFor(t: IamTables, name: string | undefined, ctx: RequestContext): UserRec {
  if (name) return findUser(t, scopeOf(ctx), name);
  const own = callerUserName(ctx);
  if (!own) throw validationError('Must specify userName when calling with non-User credentials');
  return findUser(t, scopeOf(ctx), own);
}
