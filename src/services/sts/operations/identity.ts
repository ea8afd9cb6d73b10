/** GetCallerIdentity and GetAccessKeyInfo: who a key belongs to. */
import type { RequestContext } from '../../../gateway/context.js';
import type { ServiceRuntime } from '../../service.js';
import type { Table } from '../../../state/store.js';
import type { GetAccessKeyInfoRequest, GetAccessKeyInfoResponse, GetCallerIdentityResponse } from '../generated/types.js';
import { accountForAccessKey } from '../../../core/accounts.js';
import { Constraints } from '../validation.js';
import { callerOf, type Session } from '../sessions.js';

export function identityOperations(rt: ServiceRuntime, sessions: Table<Session>) {
  return {
    GetCallerIdentity(_input: unknown, ctx: RequestContext): GetCallerIdentityResponse {
      const c = callerOf(sessions, ctx, rt.store);
      return { UserId: c.userId, Account: c.account, Arn: c.arn };
    },

    GetAccessKeyInfo(input: GetAccessKeyInfoRequest): GetAccessKeyInfoResponse {
      new Constraints()
        .length('accessKeyId', input.AccessKeyId, 16, 128)
        .pattern('accessKeyId', input.AccessKeyId, /^[\w]*$/, '[\\w]*')
        .throwIfAny();
      return { Account: accountForAccessKey(input.AccessKeyId, rt.config.accountId) };
    },
  };
}
