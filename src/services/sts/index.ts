/**
 * STS: caller identity and temporary credentials (AssumeRole, web identity and SAML federation,
 * session and federation tokens, MFA, AssumeRoot), outbound web identity tokens, and decoding of authorization failure messages. Keys issued here encode their account
 * (core/accounts.ts), so requests signed with them land in the role's account everywhere;
 * the session table tells STS which role and session a key stands for, and when it expires.
 */
import { defineService } from '../service.js';
import type { RequestContext } from '../../gateway/context.js';
import type { OperationHandler } from '../service.js';
import type { STSHandlers } from './generated/types.js';
import { assertNotExpired, type Session } from './sessions.js';
import { identityOperations } from './operations/identity.js';
import { assumeRoleOperations } from './operations/assume-role.js';
import { lazyHandlers } from '../lazy.js';
import { decodeOperations } from './operations/decode.js';
import { rootOperations } from './operations/root.js';
import { webIdentityTokenOperations } from './operations/web-identity-token.js';
import { scopedOperations } from './operations/scoped.js';

export default defineService({
  id: 'sts',
  create(rt) {
    const sessions = rt.table<Session>('sessions');
    const handlers: STSHandlers = {
      ...identityOperations(rt, sessions),
      ...assumeRoleOperations(rt, sessions),
      // web identity (jose) and SAML (xml-crypto) federation load on first use
      ...lazyHandlers<STSHandlers, 'AssumeRoleWithWebIdentity' | 'AssumeRoleWithSAML'>(['AssumeRoleWithWebIdentity', 'AssumeRoleWithSAML'], async () =>
        (await import('./operations/federation.js')).federationOperations(rt, sessions),
      ),
      ...decodeOperations(rt),
      ...rootOperations(rt, sessions),
      ...webIdentityTokenOperations(rt, sessions),
      ...scopedOperations(rt, sessions),
    };
    // Every STS call made with expired temporary credentials fails before it runs.
    const guarded: Record<string, OperationHandler> = {};
    for (const [name, fn] of Object.entries(handlers) as [string, OperationHandler][]) {
      guarded[name] = (input, ctx: RequestContext) => {
        if (!ctx.internal) assertNotExpired(sessions, ctx, rt.clock.now());
        return fn(input, ctx);
      };
    }
    return { handlers: guarded };
  },
});
