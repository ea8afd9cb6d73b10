/**
 * IAM: users, groups, roles, managed and inline policies, instance profiles, access keys,
 * login profiles, account aliases and password policy, virtual MFA devices, SAML/OIDC identity
 * providers, the credential report, authorization details and access advisor, service-linked
 * roles, server/signing certificates, SSH keys and service-specific credentials. Global: state is per account
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
import { mfaOperations } from './operations/mfa.js';
import { providerOperations } from './operations/providers.js';
import { reportOperations } from './operations/reports.js';
import { accessAdvisorOperations } from './operations/access-advisor.js';
import { serviceLinkedRoleOperations } from './operations/service-linked-roles.js';
import { certificateOperations } from './operations/certificates.js';
import { userCredentialOperations } from './operations/user-credentials.js';
import { organizationFeatureOperations } from './operations/organizations.js';
import { outboundFederationOperations } from './operations/outbound-federation.js';

export default defineService({
  id: 'iam',
  create(rt) {
    const ic: IamContext = { rt, t: iamTables(rt.store), now: () => Math.floor(rt.clock.now() / 1000) * 1000 };
    const linked = serviceLinkedRoleOperations(ic);
    const handlers: IAMHandlers = {
      ...userOperations(ic),
      ...roleOperations(ic),
      ...policyOperations(ic),
      ...attachedOperations(ic),
      ...credentialOperations(ic),
      ...accountOperations(ic),
      ...simulateOperations(ic),
      ...mfaOperations(ic),
      ...providerOperations(ic),
      ...reportOperations(ic),
      ...accessAdvisorOperations(ic),
      ...linked.handlers,
      ...certificateOperations(ic),
      ...userCredentialOperations(ic),
      ...organizationFeatureOperations(ic),
      ...outboundFederationOperations(ic),
    };
    return { handlers: handlers as never, stop: linked.stop };
  },
});
