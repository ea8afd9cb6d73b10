/**
 * IAM: users, groups, roles, managed and inline policies, instance profiles, access keys,
 * login profiles, account aliases and password policy. Global: state is per account
 * (region ""). AWS managed policies come from data/ (generated). See README.md.
 */
import { defineService } from '../service.js';
import type { IAMHandlers } from './generated/types.js';
import { iamTables } from './state.js';
import type { IamContext } from './operations/context.js';
import { userOperations } from './operations/users.js';
import { roleOperations } from './operations/roles.js';
import { policyOperations } from './operations/policies.js';
import { attachedOperations } from './operations/attached.js';
import { credentialOperations } from './operations/credentials.js';
import { accountOperations } from './operations/account.js';
import { simulateOperations } from './operations/simulate.js';

export default defineService({
  id: 'iam',
  create(rt) {
    const ic: IamContext = { rt, t: iamTables(rt.store), now: () => Math.floor(rt.clock.now() / 1000) * 1000 };
    const handlers: IAMHandlers = {
      ...userOperations(ic),
      ...roleOperations(ic),
      ...policyOperations(ic),
      ...attachedOperations(ic),
      ...credentialOperations(ic),
      ...accountOperations(ic),
      ...simulateOperations(ic),
    };
    return { handlers: handlers as never };
  },
});
