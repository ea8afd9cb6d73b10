/**
 * Member accounts: CreateAccount (a new 12-digit account, IN_PROGRESS → SUCCEEDED on the
 * virtual clock, with an IAM role the management account may assume), describe/list,
 * move, remove, close.
 */
import type { CreateAccountStatus, OrganizationsHandlers } from '../generated/types.js';
import {
  CLOSE_ACCOUNT_DELAY_MS, CREATE_ACCOUNT_DELAY_MS, ORG_KEY, accountScope, constraint, invalidInput, newAccountId,
  newCreateRequestId, orgError, type CreateRequestRec, type OrgRec,
} from '../state.js';
import {
  accountShape, checkId, checkTags, isParent, loadOrgByMgmt, mgmtOrg, paginate, readOrg, save, type OrgContext,
} from './context.js';
import { removeAccount } from './org.js';

const accountNotFound = () => orgError('AccountNotFoundException', "You specified an account that doesn't exist.");
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
const ADMIN_POLICY = 'arn:aws:iam::aws:policy/AdministratorAccess';

export function createStatusShape(c: OrgContext, r: CreateRequestRec): CreateAccountStatus {
  const done = r.completeAt <= c.now();
  const state = !done ? 'IN_PROGRESS' : r.failure ? 'FAILED' : 'SUCCEEDED';
  return {
    Id: r.id,
    AccountName: r.name,
    State: state,
    RequestedTimestamp: new Date(r.requested),
    ...(done ? { CompletedTimestamp: new Date(r.completeAt) } : {}),
    ...(state === 'SUCCEEDED' ? { AccountId: r.accountId } : {}),
    ...(state === 'FAILED' ? { FailureReason: r.failure } : {}),
  };
}

/** A fresh account id, unused by any organization or pending request. */
function freshAccountId(c: OrgContext): string {
  for (;;) {
    const id = newAccountId();
    if (!c.t.members.get(accountScope(id), ORG_KEY) && !c.t.orgs.get(accountScope(id), ORG_KEY)) return id;
  }
}

export function accountOperations(c: OrgContext): OrganizationsHandlers {
  return {
    async CreateAccount(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const name = input.AccountName ?? '';
      const email = input.Email ?? '';
      if (!name) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for AccountName.');
      if (!email) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Email.');
      if (name.length > 50) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a string parameter that is longer than allowed.');
      if (!/^[\u0020-\u007E]+$/.test(name)) throw invalidInput('INVALID_PATTERN', 'You provided a value that does not match the required pattern.');
      if (email.length < 6) throw invalidInput('MIN_LENGTH_EXCEEDED', 'You provided a string parameter that is shorter than allowed.');
      if (email.length > 64) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a string parameter that is longer than allowed.');
      if (!EMAIL.test(email)) throw invalidInput('INVALID_EMAIL_ADDRESS_TARGET', 'You provided an invalid email address.');
      const roleName = input.RoleName ?? 'OrganizationAccountAccessRole';
      if (!ROLE_NAME.test(roleName)) throw invalidInput('INVALID_ROLE_NAME', 'You provided a role name that is not valid.');
      if (input.IamUserAccessToBilling !== undefined && !['ALLOW', 'DENY'].includes(input.IamUserAccessToBilling)) {
        throw invalidInput('INVALID_ENUM', 'You specified an invalid value for IamUserAccessToBilling.');
      }
      const tags = checkTags(input.Tags);
      const now = c.now();
      const lower = email.toLowerCase();
      const taken = Object.values(o.accounts).some((a) => a.email.toLowerCase() === lower)
        || Object.values(o.createRequests).some((r) => !r.failure && !r.settled && r.email.toLowerCase() === lower);
      const req: CreateRequestRec = {
        id: newCreateRequestId(), accountId: freshAccountId(c), name, email, requested: now, completeAt: now + CREATE_ACCOUNT_DELAY_MS, tags,
        ...(taken ? { failure: 'EMAIL_ALREADY_EXISTS' } : {}),
      };
      o.createRequests[req.id] = req;
      if (!taken) c.t.members.put(accountScope(req.accountId), ORG_KEY, o.mgmt);
      save(c, o);
      const status = createStatusShape(c, req);
      if (taken) return { CreateAccountStatus: status };
      // The access role, created through IAM in the new account (same dispatch path).
      try {
        const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${o.mgmt}:root` }, Action: 'sts:AssumeRole' }] };
        const scope = { account: req.accountId, region: '' };
        await c.rt.call('iam', 'CreateRole', { RoleName: roleName, AssumeRolePolicyDocument: JSON.stringify(trust) }, scope);
        await c.rt.call('iam', 'AttachRolePolicy', { RoleName: roleName, PolicyArn: ADMIN_POLICY }, scope);
      } catch {
        const cur = loadOrgByMgmt(c, o.mgmt);
        const r = cur?.createRequests[req.id];
        if (cur && r && !r.settled) {
          r.failure = 'INTERNAL_FAILURE';
          c.t.members.delete(accountScope(req.accountId), ORG_KEY);
          save(c, cur);
        }
      }
      return { CreateAccountStatus: status };
    },

    DescribeCreateAccountStatus(input, ctx) {
      const o = readOrg(c, ctx);
      const id = input.CreateAccountRequestId ?? '';
      if (!/^car-[a-z0-9]{8,32}$/.test(id)) throw invalidInput('INVALID_PATTERN', "You specified a value for CreateAccountRequestId that doesn't match the required pattern.");
      const r = o.createRequests[id];
      if (!r) throw orgError('CreateAccountStatusNotFoundException', "We can't find an create account request with the CreateAccountRequestId that you specified.");
      return { CreateAccountStatus: createStatusShape(c, r) };
    },

    ListCreateAccountStatus(input, ctx) {
      const o = readOrg(c, ctx);
      for (const s of input.States ?? []) if (!['IN_PROGRESS', 'SUCCEEDED', 'FAILED'].includes(s)) throw invalidInput('INVALID_ENUM', 'You specified an invalid value for States.');
      const all = Object.values(o.createRequests)
        .map((r) => createStatusShape(c, r))
        .filter((s) => !input.States?.length || input.States.includes(s.State!))
        .reverse();
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { CreateAccountStatuses: page, NextToken };
    },

    DescribeAccount(input, ctx) {
      const o = readOrg(c, ctx);
      const id = checkId('account', input.AccountId, 'AccountId');
      const a = o.accounts[id];
      if (!a) throw accountNotFound();
      return { Account: accountShape(o, a) };
    },

    ListAccounts(input, ctx) {
      const o = readOrg(c, ctx);
      const { page, NextToken } = paginate(Object.values(o.accounts).map((a) => accountShape(o, a)), input.MaxResults, input.NextToken);
      return { Accounts: page, NextToken };
    },

    ListAccountsForParent(input, ctx) {
      const o = readOrg(c, ctx);
      const parent = checkId('parent', input.ParentId, 'ParentId');
      if (!isParent(o, parent)) throw orgError('ParentNotFoundException', "We can't find a root or OU with the ParentId that you specified.");
      const all = Object.values(o.accounts).filter((a) => a.parent === parent).map((a) => accountShape(o, a));
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { Accounts: page, NextToken };
    },

    MoveAccount(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('account', input.AccountId, 'AccountId');
      const src = checkId('parent', input.SourceParentId, 'SourceParentId');
      const dst = checkId('parent', input.DestinationParentId, 'DestinationParentId');
      const a = o.accounts[id];
      if (!a) throw accountNotFound();
      if (!isParent(o, src)) throw orgError('SourceParentNotFoundException', "We can't find a source root or OU with the ParentId that you specified.");
      if (!isParent(o, dst)) throw orgError('DestinationParentNotFoundException', "We can't find the destination container (a root or OU) with the ParentId that you specified.");
      if (a.parent !== src) throw accountNotFound();
      if (src === dst) throw orgError('DuplicateAccountException', 'That account is already present in the specified destination.');
      a.parent = dst;
      save(c, o);
    },

    RemoveAccountFromOrganization(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('account', input.AccountId, 'AccountId');
      if (!o.accounts[id]) throw accountNotFound();
      if (id === o.mgmt) {
        throw orgError('MasterCannotLeaveOrganizationException', "You can't remove a management account from an organization. If you want the management account to become a member account in another organization, you must first delete the current organization.");
      }
      if (o.delegated[id]) throw constraint('CANNOT_REMOVE_DELEGATED_ADMINISTRATOR_FROM_ORG', 'You cannot remove an account that is a delegated administrator from the organization.');
      removeAccount(c, o, id);
      save(c, o);
    },

    CloseAccount(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const id = checkId('account', input.AccountId, 'AccountId');
      const a = o.accounts[id];
      if (!a) throw accountNotFound();
      if (id === o.mgmt) throw constraint('CANNOT_CLOSE_MANAGEMENT_ACCOUNT', 'You attempted to close the management account. To close the management account, you must first remove all member accounts and delete the organization.');
      if (a.status !== 'ACTIVE') throw orgError('AccountAlreadyClosedException', 'You provided an account that is already closed.');
      a.status = 'PENDING_CLOSURE';
      a.closingUntil = c.now() + CLOSE_ACCOUNT_DELAY_MS;
      save(c, o);
    },
  };
}

export type { OrgRec };
