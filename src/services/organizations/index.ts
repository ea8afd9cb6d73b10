/**
 * Organizations: the organization, roots, OUs, accounts (CreateAccount makes a new account
 * reachable through AssumeRole into OrganizationAccountAccessRole), invitations, policies of
 * every type, delegated administrators, trusted service access, tags. Global: one record per
 * organization in the management account's scope. See README.md.
 */
import { defineService } from '../service.js';
import type { OrganizationsHandlers } from './generated/types.js';
import { orgTables } from './state.js';
import type { OrgContext } from './operations/context.js';
import { orgOperations } from './operations/org.js';
import { ouOperations } from './operations/ous.js';
import { accountOperations } from './operations/accounts.js';
import { handshakeOperations } from './operations/handshakes.js';
import { policyOperations } from './operations/policies.js';
import { resourcePolicyOperations } from './operations/resource-policy.js';
import { allFeaturesOperations } from './operations/all-features.js';

export default defineService({
  id: 'organizations',
  create(rt) {
    const c: OrgContext = { rt, t: orgTables(rt.store), now: () => Math.floor(rt.clock.now() / 1000) * 1000 };
    const handlers: OrganizationsHandlers = {
      ...orgOperations(c),
      ...ouOperations(c),
      ...accountOperations(c),
      ...handshakeOperations(c),
      ...policyOperations(c),
      ...resourcePolicyOperations(c),
      ...allFeaturesOperations(c),
    };
    return { handlers: handlers as never };
  },
});
