/**
 * The organization itself: create, describe, delete, leave, roots; trusted service access,
 * delegated administrators, and tags on roots, OUs, accounts and policies.
 */
import type { OrganizationsHandlers } from '../generated/types.js';
import { ORG_KEY, accountScope, constraint, invalidInput, newOrgId, newRootId, orgArn, orgError, type OrgRec } from '../state.js';
import {
  accessDenied, accountShape, callerOrg, checkId, checkTags, findPolicy, kindOf, mgmtOrg, orgOfAccount, paginate,
  readOrg, rootShape, save, type OrgContext,
} from './context.js';

export function organizationShape(o: OrgRec) {
  return {
    Id: o.id,
    Arn: orgArn(o),
    FeatureSet: o.featureSet,
    MasterAccountArn: `arn:aws:organizations::${o.mgmt}:account/${o.id}/${o.mgmt}`,
    MasterAccountId: o.mgmt,
    MasterAccountEmail: o.mgmtEmail,
    AvailablePolicyTypes: o.enabledTypes.map((Type) => ({ Type, Status: 'ENABLED' })),
  };
}

/** Takes an account out of the organization (membership, attachments, delegations, tags). */
export function removeAccount(c: OrgContext, o: OrgRec, id: string): void {
  delete o.accounts[id];
  delete o.attachments[id];
  delete o.delegated[id];
  delete o.tags[id];
  c.t.members.delete(accountScope(id), ORG_KEY);
}

const SERVICE_PRINCIPAL = /^[\w+=,.@-]*\.amazonaws\.com(\.cn)?$/;
function checkPrincipal(p: string | undefined): string {
  if (!p) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for ServicePrincipal.');
  if (!SERVICE_PRINCIPAL.test(p) || p.length > 128) throw invalidInput('UNRECOGNIZED_SERVICE_PRINCIPAL', 'You specified an unrecognized service principal.');
  return p;
}

export function orgOperations(c: OrgContext): OrganizationsHandlers {
  return {
    CreateOrganization(input, ctx) {
      const featureSet = input.FeatureSet ?? 'ALL';
      if (featureSet !== 'ALL' && featureSet !== 'CONSOLIDATED_BILLING') throw invalidInput('INVALID_ENUM', 'You specified an invalid value for FeatureSet.');
      if (orgOfAccount(c, ctx.accountId)) throw orgError('AlreadyInOrganizationException', 'The provided account is already a member of an organization.');
      const now = c.now();
      const mgmt = ctx.accountId;
      const o: OrgRec = {
        id: newOrgId(), mgmt, mgmtEmail: `${mgmt}@example.com`, featureSet: featureSet as OrgRec['featureSet'], rootId: newRootId(),
        enabledTypes: [], ous: {}, accounts: {}, createRequests: {}, policies: {}, attachments: {}, policyChanged: {},
        handshakes: {}, delegated: {}, services: {}, tags: {}, created: now,
      };
      o.accounts[mgmt] = { id: mgmt, name: `Account ${mgmt}`, email: o.mgmtEmail, parent: o.rootId, joinedMethod: 'CREATED', joined: now, status: 'ACTIVE' };
      c.t.members.put(accountScope(mgmt), ORG_KEY, mgmt);
      save(c, o);
      return { Organization: organizationShape(o) };
    },

    DescribeOrganization(_input, ctx) {
      return { Organization: organizationShape(callerOrg(c, ctx)) };
    },

    DeleteOrganization(_input, ctx) {
      const o = mgmtOrg(c, ctx);
      const pending = Object.values(o.createRequests).some((r) => !r.settled && !r.failure);
      if (Object.keys(o.accounts).length > 1 || pending) {
        throw orgError('OrganizationNotEmptyException', 'To delete an organization you must first remove all member accounts (except the master).');
      }
      c.t.members.delete(accountScope(o.mgmt), ORG_KEY);
      c.t.orgs.delete(accountScope(o.mgmt), ORG_KEY);
    },

    LeaveOrganization(_input, ctx) {
      const o = callerOrg(c, ctx);
      if (o.mgmt === ctx.accountId) {
        throw orgError('MasterCannotLeaveOrganizationException', "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization.");
      }
      if (o.delegated[ctx.accountId]) throw constraint('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG', 'You cannot remove an account that is a delegated administrator from the organization.');
      removeAccount(c, o, ctx.accountId);
      save(c, o);
    },

    ListRoots(input, ctx) {
      const o = readOrg(c, ctx);
      const { page, NextToken } = paginate([rootShape(o)], input.MaxResults, input.NextToken);
      return { Roots: page, NextToken };
    },

    // ---- trusted service access ----

    EnableAWSServiceAccess(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const p = checkPrincipal(input.ServicePrincipal);
      if (o.featureSet !== 'ALL') throw constraint('ORGANIZATION_NOT_IN_ALL_FEATURES_MODE', 'You can perform this operation only if the organization has all features enabled.');
      o.services[p] ??= c.now();
      save(c, o);
    },

    DisableAWSServiceAccess(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const p = checkPrincipal(input.ServicePrincipal);
      delete o.services[p];
      save(c, o);
    },

    ListAWSServiceAccessForOrganization(input, ctx) {
      const o = readOrg(c, ctx);
      const all = Object.entries(o.services).map(([ServicePrincipal, d]) => ({ ServicePrincipal, DateEnabled: new Date(d) }));
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { EnabledServicePrincipals: page, NextToken };
    },

    // ---- delegated administrators ----

    RegisterDelegatedAdministrator(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('account', input.AccountId, 'AccountId');
      const p = checkPrincipal(input.ServicePrincipal);
      const a = o.accounts[id];
      if (!a) throw orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
      if (id === o.mgmt) throw constraint('CANNOT_REGISTER_MASTER_AS_DELEGATED_ADMINISTRATOR', 'You cannot register the management account of the organization as a delegated administrator for an AWS service integrated with Organizations.');
      if (a.status !== 'ACTIVE') throw constraint('CANNOT_REGISTER_SUSPENDED_ACCOUNT_AS_DELEGATED_ADMINISTRATOR', 'You cannot register a suspended account as a delegated administrator.');
      if (o.delegated[id]?.[p] !== undefined) throw orgError('AccountAlreadyRegisteredException', 'The provided account is already a delegated administrator for your organization.');
      (o.delegated[id] ??= {})[p] = c.now();
      save(c, o);
    },

    DeregisterDelegatedAdministrator(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('account', input.AccountId, 'AccountId');
      const p = checkPrincipal(input.ServicePrincipal);
      if (!o.accounts[id]) throw orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
      if (o.delegated[id]?.[p] === undefined) throw orgError('AccountNotRegisteredException', 'The provided account is not a registered delegated administrator for your organization.');
      delete o.delegated[id]![p];
      if (Object.keys(o.delegated[id]!).length === 0) delete o.delegated[id];
      save(c, o);
    },

    ListDelegatedAdministrators(input, ctx) {
      const o = readOrg(c, ctx);
      if (input.ServicePrincipal !== undefined) checkPrincipal(input.ServicePrincipal);
      const all = Object.entries(o.delegated)
        .filter(([, services]) => input.ServicePrincipal === undefined || services[input.ServicePrincipal] !== undefined)
        .filter(([id]) => o.accounts[id])
        .map(([id, services]) => ({
          ...accountShape(o, o.accounts[id]!),
          DelegationEnabledDate: new Date(Math.min(...(input.ServicePrincipal ? [services[input.ServicePrincipal]!] : Object.values(services)))),
        }));
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { DelegatedAdministrators: page, NextToken };
    },

    ListDelegatedServicesForAccount(input, ctx) {
      const o = readOrg(c, ctx);
      const id = checkId('account', input.AccountId, 'AccountId');
      if (!o.accounts[id]) throw orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
      const services = o.delegated[id];
      if (!services) throw orgError('AccountNotRegisteredException', 'The provided account is not a registered delegated administrator for your organization.');
      const all = Object.entries(services).map(([ServicePrincipal, d]) => ({ ServicePrincipal, DelegationEnabledDate: new Date(d) }));
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { DelegatedServices: page, NextToken };
    },

    // ---- tags ----

    TagResource(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = taggable(o, input.ResourceId);
      o.tags[id] = checkTags(input.Tags, o.tags[id]);
      save(c, o);
    },

    UntagResource(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = taggable(o, input.ResourceId);
      const drop = new Set(input.TagKeys ?? []);
      o.tags[id] = (o.tags[id] ?? []).filter((t) => !drop.has(t.Key));
      save(c, o);
    },

    ListTagsForResource(input, ctx) {
      const o = readOrg(c, ctx);
      const id = taggable(o, input.ResourceId);
      const { page, NextToken } = paginate(o.tags[id] ?? [], undefined, input.NextToken);
      return { Tags: page, NextToken };
    },
  };
}

function taggable(o: OrgRec, id: string | undefined): string {
  if (!id) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for ResourceId.');
  if (kindOf(o, id) || o.resourcePolicy?.id === id) return id;
  const p = findPolicy(o, id);
  if (p && !p.awsManaged) return id;
  if (p) throw accessDenied();
  throw orgError('TargetNotFoundException', "We can't find a root, OU, account, or policy with the ResourceId that you specified.");
}
