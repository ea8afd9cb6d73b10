// covers: organizations.CreateOrganization organizations.DescribeOrganization organizations.DeleteOrganization organizations.ListRoots organizations.CreateOrganizationalUnit organizations.DescribeOrganizationalUnit organizations.UpdateOrganizationalUnit organizations.DeleteOrganizationalUnit organizations.ListOrganizationalUnitsForParent organizations.ListParents organizations.ListChildren organizations.CreateAccount organizations.DescribeCreateAccountStatus organizations.ListCreateAccountStatus organizations.DescribeAccount organizations.ListAccounts organizations.ListAccountsForParent organizations.MoveAccount organizations.RemoveAccountFromOrganization organizations.CloseAccount organizations.InviteAccountToOrganization organizations.ListHandshakesForOrganization organizations.ListHandshakesForAccount organizations.AcceptHandshake organizations.DeclineHandshake organizations.CancelHandshake organizations.DescribeHandshake organizations.LeaveOrganization organizations.EnablePolicyType organizations.DisablePolicyType organizations.CreatePolicy organizations.UpdatePolicy organizations.DeletePolicy organizations.DescribePolicy organizations.AttachPolicy organizations.DetachPolicy organizations.ListPolicies organizations.ListPoliciesForTarget organizations.ListTargetsForPolicy organizations.DescribeEffectivePolicy organizations.RegisterDelegatedAdministrator organizations.DeregisterDelegatedAdministrator organizations.ListDelegatedAdministrators organizations.ListDelegatedServicesForAccount organizations.EnableAWSServiceAccess organizations.DisableAWSServiceAccess organizations.ListAWSServiceAccessForOrganization organizations.TagResource organizations.UntagResource organizations.ListTagsForResource sts.AssumeRole sts.GetCallerIdentity iam.GetRole iam.ListAttachedRolePolicies iam.CreateUser iam.ListUsers
import { describe, test, expect, beforeAll } from 'vitest';
import * as O from '@aws-sdk/client-organizations';
import { STSClient, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { IAMClient, GetRoleCommand, ListAttachedRolePoliciesCommand, CreateUserCommand, ListUsersCommand } from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure } from '../helpers.js';
import { scpsFor, rcpsFor, organizationOf } from '../../src/services/organizations/internal.js';

const ctx = useGureum({ freezeClock: true });
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const as = (account: string): Creds => ({ accessKeyId: account, secretAccessKey: 'x' });
const org = (c: Creds = as('000000000000')) => new O.OrganizationsClient(clientConfig(ctx.g, { credentials: c }));
const iam = (c: Creds) => new IAMClient(clientConfig(ctx.g, { credentials: c }));
const sts = (c: Creds) => new STSClient(clientConfig(ctx.g, { credentials: c }));

/** CreateAccount and wait (on the virtual clock) until it succeeded; returns the new account id. */
async function createAccount(mgmt: string, name: string, extra: Partial<O.CreateAccountCommandInput> = {}) {
  const out = await org(as(mgmt)).send(new O.CreateAccountCommand({ AccountName: name, Email: `${name}@example.com`, ...extra }));
  expect(out.CreateAccountStatus!.State).toBe('IN_PROGRESS');
  ctx.g.clock.advance(10_000);
  const st = await org(as(mgmt)).send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: out.CreateAccountStatus!.Id }));
  expect(st.CreateAccountStatus!.State).toBe('SUCCEEDED');
  return st.CreateAccountStatus!.AccountId!;
}

describe('organization lifecycle', () => {
  test('create, describe from a member, errors outside and twice, delete', async () => {
    const c = org(as('100000000001'));
    expect(await failure(c.send(new O.DescribeOrganizationCommand({})))).toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    const created = await c.send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const o = created.Organization!;
    expect(o.Id).toMatch(/^o-[a-z0-9]{10}$/);
    expect(o).toMatchObject({ FeatureSet: 'ALL', MasterAccountId: '100000000001', Arn: `arn:aws:organizations::100000000001:organization/${o.Id}` });
    expect(await failure(c.send(new O.CreateOrganizationCommand({})))).toMatchObject({ name: 'AlreadyInOrganizationException' });
    const roots = await c.send(new O.ListRootsCommand({}));
    expect(roots.Roots).toHaveLength(1);
    expect(roots.Roots![0]!.Id).toMatch(/^r-[a-z0-9]{4}$/);
    expect(roots.Roots![0]!.PolicyTypes).toEqual([]);
    const accounts = await c.send(new O.ListAccountsCommand({}));
    expect(accounts.Accounts!.map((a) => a.Id)).toEqual(['100000000001']);

    const member = await createAccount('100000000001', 'member1');
    // a member sees the organization but cannot manage it
    const m = org(as(member));
    expect((await m.send(new O.DescribeOrganizationCommand({}))).Organization!.Id).toBe(o.Id);
    expect(await failure(m.send(new O.ListAccountsCommand({})))).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(await failure(c.send(new O.DeleteOrganizationCommand({})))).toMatchObject({ name: 'OrganizationNotEmptyException' });
    expect(await failure(c.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: '100000000001' })))).toMatchObject({ name: 'MasterCannotLeaveOrganizationException' });
    await c.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: member }));
    expect(await failure(m.send(new O.DescribeOrganizationCommand({})))).toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
    await c.send(new O.DeleteOrganizationCommand({}));
    expect(await failure(c.send(new O.DescribeOrganizationCommand({})))).toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
  });
});

describe('CreateAccount → AssumeRole → calls in the new account', () => {
  beforeAll(async () => {
    await org().send(new O.CreateOrganizationCommand({}));
  });

  test('IN_PROGRESS until the clock moves, then SUCCEEDED with the access role', async () => {
    const c = org();
    const out = await c.send(new O.CreateAccountCommand({ AccountName: 'Dev', Email: 'dev@example.com', Tags: [{ Key: 'env', Value: 'dev' }] }));
    const req = out.CreateAccountStatus!;
    expect(req).toMatchObject({ State: 'IN_PROGRESS', AccountName: 'Dev' });
    expect(req.Id).toMatch(/^car-[a-z0-9]{32}$/);
    expect(req.AccountId).toBeUndefined();
    expect((await c.send(new O.ListAccountsCommand({}))).Accounts).toHaveLength(1);
    expect((await c.send(new O.ListCreateAccountStatusCommand({ States: ['IN_PROGRESS'] }))).CreateAccountStatuses!.map((s) => s.Id)).toContain(req.Id);

    ctx.g.clock.advance('10s');
    const done = (await c.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: req.Id }))).CreateAccountStatus!;
    expect(done.State).toBe('SUCCEEDED');
    expect(done.AccountId).toMatch(/^\d{12}$/);
    expect(done.CompletedTimestamp).toBeInstanceOf(Date);
    const id = done.AccountId!;
    const acct = (await c.send(new O.DescribeAccountCommand({ AccountId: id }))).Account!;
    expect(acct).toMatchObject({ Id: id, Name: 'Dev', Email: 'dev@example.com', Status: 'ACTIVE', JoinedMethod: 'CREATED' });
    expect((await c.send(new O.ListTagsForResourceCommand({ ResourceId: id }))).Tags).toEqual([{ Key: 'env', Value: 'dev' }]);

    // the management account assumes OrganizationAccountAccessRole in the new account
    const assumed = await sts(as('000000000000')).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: 'admin' }));
    const creds: Creds = { accessKeyId: assumed.Credentials!.AccessKeyId!, secretAccessKey: assumed.Credentials!.SecretAccessKey!, sessionToken: assumed.Credentials!.SessionToken! };
    const who = await sts(creds).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${id}:assumed-role/OrganizationAccountAccessRole/admin`);
    const attached = await iam(creds).send(new ListAttachedRolePoliciesCommand({ RoleName: 'OrganizationAccountAccessRole' }));
    expect(attached.AttachedPolicies!.map((p) => p.PolicyArn)).toEqual(['arn:aws:iam::aws:policy/AdministratorAccess']);
    const role = await iam(creds).send(new GetRoleCommand({ RoleName: 'OrganizationAccountAccessRole' }));
    expect(decodeURIComponent(role.Role!.AssumeRolePolicyDocument!)).toContain('arn:aws:iam::000000000000:root');
    // calls in the new account are isolated from the management account
    await iam(creds).send(new CreateUserCommand({ UserName: 'only-in-dev' }));
    expect((await iam(creds).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName)).toEqual(['only-in-dev']);
    expect((await iam(as('000000000000')).send(new ListUsersCommand({}))).Users!.map((u) => u.UserName)).not.toContain('only-in-dev');
    // another account cannot assume it
    expect(await failure(sts(as('222233334444')).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OrganizationAccountAccessRole`, RoleSessionName: 'outsider' })))).toMatchObject({ name: 'AccessDenied' });
  });

  test('RoleName, validation, duplicate email, close', async () => {
    const c = org();
    const id = await createAccount('000000000000', 'ops', { RoleName: 'OpsAdmin' });
    await sts(as('000000000000')).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${id}:role/OpsAdmin`, RoleSessionName: 'ops-session' }));
    expect(await failure(c.send(new O.CreateAccountCommand({ AccountName: 'x', Email: 'not-an-email' })))).toMatchObject({ name: 'InvalidInputException', status: 400 });
    expect(await failure(c.send(new O.CreateAccountCommand({ AccountName: 'x'.repeat(51), Email: 'long@example.com' })))).toMatchObject({ name: 'InvalidInputException' });
    const dup = await c.send(new O.CreateAccountCommand({ AccountName: 'again', Email: 'OPS@example.com' }));
    ctx.g.clock.advance('10s');
    const st = (await c.send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: dup.CreateAccountStatus!.Id }))).CreateAccountStatus!;
    expect(st).toMatchObject({ State: 'FAILED', FailureReason: 'EMAIL_ALREADY_EXISTS' });
    expect((await c.send(new O.ListCreateAccountStatusCommand({ States: ['FAILED'] }))).CreateAccountStatuses!.map((s) => s.Id)).toEqual([dup.CreateAccountStatus!.Id]);

    await c.send(new O.CloseAccountCommand({ AccountId: id }));
    expect((await c.send(new O.DescribeAccountCommand({ AccountId: id }))).Account).toMatchObject({ Status: 'PENDING_CLOSURE', State: 'PENDING_CLOSURE' });
    expect(await failure(c.send(new O.CloseAccountCommand({ AccountId: id })))).toMatchObject({ name: 'AccountAlreadyClosedException' });
    ctx.g.clock.advance('2m');
    expect((await c.send(new O.DescribeAccountCommand({ AccountId: id }))).Account).toMatchObject({ Status: 'SUSPENDED', State: 'CLOSED' });
    expect(await failure(c.send(new O.CloseAccountCommand({ AccountId: '000000000000' })))).toMatchObject({ name: 'ConstraintViolationException' });
    expect(await failure(c.send(new O.DescribeAccountCommand({ AccountId: '999999999999' })))).toMatchObject({ name: 'AccountNotFoundException' });
  });
});

describe('OU tree', () => {
  const M = '300000000001';
  let root = '';
  beforeAll(async () => {
    await org(as(M)).send(new O.CreateOrganizationCommand({}));
    root = (await org(as(M)).send(new O.ListRootsCommand({}))).Roots![0]!.Id!;
  });

  test('create, nest to 5 levels, list, rename, move accounts, delete', async () => {
    const c = org(as(M));
    const eng = (await c.send(new O.CreateOrganizationalUnitCommand({ ParentId: root, Name: 'Engineering', Tags: [{ Key: 'team', Value: 'eng' }] }))).OrganizationalUnit!;
    expect(eng.Id).toMatch(new RegExp(`^ou-${root.slice(2)}-[a-z0-9]{8}$`));
    expect(eng.Arn).toMatch(/^arn:aws:organizations::300000000001:ou\/o-[a-z0-9]{10}\/ou-/);
    expect(await failure(c.send(new O.CreateOrganizationalUnitCommand({ ParentId: root, Name: 'Engineering' })))).toMatchObject({ name: 'DuplicateOrganizationalUnitException' });
    expect(await failure(c.send(new O.CreateOrganizationalUnitCommand({ ParentId: 'ou-zzzz-zzzzzzzz', Name: 'X' })))).toMatchObject({ name: 'ParentNotFoundException' });
    let parent = eng.Id!;
    const chain = [parent];
    for (let depth = 2; depth <= 5; depth++) {
      parent = (await c.send(new O.CreateOrganizationalUnitCommand({ ParentId: parent, Name: `L${depth}` }))).OrganizationalUnit!.Id!;
      chain.push(parent);
    }
    expect(await failure(c.send(new O.CreateOrganizationalUnitCommand({ ParentId: parent, Name: 'L6' })))).toMatchObject({ name: 'ConstraintViolationException' });

    const ous = await c.send(new O.ListOrganizationalUnitsForParentCommand({ ParentId: root }));
    expect(ous.OrganizationalUnits!.map((x) => x.Name)).toEqual(['Engineering']);
    expect((await c.send(new O.ListChildrenCommand({ ParentId: eng.Id!, ChildType: 'ORGANIZATIONAL_UNIT' }))).Children).toEqual([{ Id: chain[1], Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await c.send(new O.ListParentsCommand({ ChildId: chain[1]! }))).Parents).toEqual([{ Id: eng.Id, Type: 'ORGANIZATIONAL_UNIT' }]);
    expect((await c.send(new O.ListParentsCommand({ ChildId: eng.Id! }))).Parents).toEqual([{ Id: root, Type: 'ROOT' }]);
    expect(await failure(c.send(new O.ListParentsCommand({ ChildId: '123412341234' })))).toMatchObject({ name: 'ChildNotFoundException' });

    const renamed = await c.send(new O.UpdateOrganizationalUnitCommand({ OrganizationalUnitId: eng.Id!, Name: 'Eng' }));
    expect(renamed.OrganizationalUnit!.Name).toBe('Eng');
    expect((await c.send(new O.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: eng.Id! }))).OrganizationalUnit!.Name).toBe('Eng');

    const acct = await createAccount(M, 'tree-member');
    await c.send(new O.MoveAccountCommand({ AccountId: acct, SourceParentId: root, DestinationParentId: eng.Id! }));
    expect(await failure(c.send(new O.MoveAccountCommand({ AccountId: acct, SourceParentId: eng.Id!, DestinationParentId: eng.Id! })))).toMatchObject({ name: 'DuplicateAccountException' });
    expect((await c.send(new O.ListAccountsForParentCommand({ ParentId: eng.Id! }))).Accounts!.map((a) => a.Id)).toEqual([acct]);
    expect((await c.send(new O.ListChildrenCommand({ ParentId: root, ChildType: 'ACCOUNT' }))).Children!.map((x) => x.Id)).toEqual([M]);
    expect(await failure(c.send(new O.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: eng.Id! })))).toMatchObject({ name: 'OrganizationalUnitNotEmptyException' });
    await c.send(new O.DeleteOrganizationalUnitCommand({ OrganizationalUnitId: chain[4]! }));
    expect(await failure(c.send(new O.DescribeOrganizationalUnitCommand({ OrganizationalUnitId: chain[4]! })))).toMatchObject({ name: 'OrganizationalUnitNotFoundException' });

    // pagination
    const p1 = await c.send(new O.ListAccountsCommand({ MaxResults: 1 }));
    expect(p1.Accounts).toHaveLength(1);
    const p2 = await c.send(new O.ListAccountsCommand({ MaxResults: 1, NextToken: p1.NextToken }));
    expect(p2.Accounts).toHaveLength(1);
    expect(p2.NextToken).toBeUndefined();
  });
});

describe('policies', () => {
  const M = '400000000001';
  let root = '';
  let ou = '';
  let acct = '';
  beforeAll(async () => {
    const c = org(as(M));
    await c.send(new O.CreateOrganizationCommand({}));
    root = (await c.send(new O.ListRootsCommand({}))).Roots![0]!.Id!;
    ou = (await c.send(new O.CreateOrganizationalUnitCommand({ ParentId: root, Name: 'Prod' }))).OrganizationalUnit!.Id!;
    acct = await createAccount(M, 'prod-app');
    await c.send(new O.MoveAccountCommand({ AccountId: acct, SourceParentId: root, DestinationParentId: ou }));
  });

  test('SCPs: enable, FullAWSAccess everywhere, create/attach/detach/update/delete', async () => {
    const c = org(as(M));
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:DeleteBucket', Resource: '*' }] });
    const created = (await c.send(new O.CreatePolicyCommand({ Name: 'NoDelete', Description: 'no deletes', Type: 'SERVICE_CONTROL_POLICY', Content: deny }))).Policy!;
    expect(created.PolicySummary).toMatchObject({ Name: 'NoDelete', Type: 'SERVICE_CONTROL_POLICY', AwsManaged: false });
    expect(created.PolicySummary!.Id).toMatch(/^p-[a-z0-9]{8}$/);
    const pid = created.PolicySummary!.Id!;
    expect(await failure(c.send(new O.AttachPolicyCommand({ PolicyId: pid, TargetId: ou })))).toMatchObject({ name: 'PolicyTypeNotEnabledException' });

    const enabled = await c.send(new O.EnablePolicyTypeCommand({ RootId: root, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    expect(enabled.Root!.PolicyTypes).toEqual([{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);
    expect(await failure(c.send(new O.EnablePolicyTypeCommand({ RootId: root, PolicyType: 'SERVICE_CONTROL_POLICY' })))).toMatchObject({ name: 'PolicyTypeAlreadyEnabledException' });
    for (const t of [root, ou, acct]) {
      const ps = await c.send(new O.ListPoliciesForTargetCommand({ TargetId: t, Filter: 'SERVICE_CONTROL_POLICY' }));
      expect(ps.Policies!.map((p) => p.Id)).toEqual(['p-FullAWSAccess']);
    }
    const fa = (await c.send(new O.DescribePolicyCommand({ PolicyId: 'p-FullAWSAccess' }))).Policy!;
    expect(fa.PolicySummary).toMatchObject({ Name: 'FullAWSAccess', AwsManaged: true, Arn: 'arn:aws:organizations::aws:policy/service_control_policy/p-FullAWSAccess' });
    // a new OU gets FullAWSAccess too
    const ou2 = (await c.send(new O.CreateOrganizationalUnitCommand({ ParentId: root, Name: 'Sandbox' }))).OrganizationalUnit!.Id!;
    expect((await c.send(new O.ListPoliciesForTargetCommand({ TargetId: ou2, Filter: 'SERVICE_CONTROL_POLICY' }))).Policies!.map((p) => p.Id)).toEqual(['p-FullAWSAccess']);

    await c.send(new O.AttachPolicyCommand({ PolicyId: pid, TargetId: ou }));
    expect(await failure(c.send(new O.AttachPolicyCommand({ PolicyId: pid, TargetId: ou })))).toMatchObject({ name: 'DuplicatePolicyAttachmentException' });
    expect(await failure(c.send(new O.AttachPolicyCommand({ PolicyId: pid, TargetId: '555555555555' })))).toMatchObject({ name: 'TargetNotFoundException' });
    const targets = await c.send(new O.ListTargetsForPolicyCommand({ PolicyId: pid }));
    expect(targets.Targets).toEqual([expect.objectContaining({ TargetId: ou, Type: 'ORGANIZATIONAL_UNIT', Name: 'Prod' })]);
    const listed = await c.send(new O.ListPoliciesCommand({ Filter: 'SERVICE_CONTROL_POLICY' }));
    expect(listed.Policies!.map((p) => p.Name)).toEqual(['FullAWSAccess', 'NoDelete']);

    // what the policy engine sees: root → OU → account
    const levels = scpsFor(ctx.g.runtime.store, acct)!;
    expect(levels.map((l) => [l.targetType, l.policies.map((p) => p.name)])).toEqual([
      ['ROOT', ['FullAWSAccess']],
      ['ORGANIZATIONAL_UNIT', ['FullAWSAccess', 'NoDelete']],
      ['ACCOUNT', ['FullAWSAccess']],
    ]);
    expect(scpsFor(ctx.g.runtime.store, M)).toBeUndefined();
    expect(rcpsFor(ctx.g.runtime.store, acct)).toBeUndefined();
    expect(organizationOf(ctx.g.runtime.store, acct)!.managementAccount).toBe(M);

    expect(await failure(c.send(new O.DeletePolicyCommand({ PolicyId: pid })))).toMatchObject({ name: 'PolicyInUseException' });
    const updated = await c.send(new O.UpdatePolicyCommand({ PolicyId: pid, Name: 'NoDeleteBucket', Content: deny.replace('DeleteBucket', 'DeleteObject') }));
    expect(updated.Policy!.PolicySummary!.Name).toBe('NoDeleteBucket');
    expect(updated.Policy!.Content).toContain('s3:DeleteObject');
    expect(await failure(c.send(new O.UpdatePolicyCommand({ PolicyId: 'p-FullAWSAccess', Name: 'x' })))).toMatchObject({ name: 'InvalidInputException' });
    await c.send(new O.DetachPolicyCommand({ PolicyId: pid, TargetId: ou }));
    expect(await failure(c.send(new O.DetachPolicyCommand({ PolicyId: pid, TargetId: ou })))).toMatchObject({ name: 'PolicyNotAttachedException' });
    expect(await failure(c.send(new O.DetachPolicyCommand({ PolicyId: 'p-FullAWSAccess', TargetId: ou })))).toMatchObject({ name: 'ConstraintViolationException' });
    await c.send(new O.DeletePolicyCommand({ PolicyId: pid }));
    expect(await failure(c.send(new O.DescribePolicyCommand({ PolicyId: pid })))).toMatchObject({ name: 'PolicyNotFoundException' });

    // validation
    expect(await failure(c.send(new O.CreatePolicyCommand({ Name: 'bad', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: '{not json' })))).toMatchObject({ name: 'MalformedPolicyDocumentException' });
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Resource: '*', Sid: 'x'.repeat(5200) }] });
    expect(await failure(c.send(new O.CreatePolicyCommand({ Name: 'big', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: big })))).toMatchObject({ name: 'ConstraintViolationException' });
    expect(await failure(c.send(new O.CreatePolicyCommand({ Name: 'FullAWSAccess', Description: '', Type: 'SERVICE_CONTROL_POLICY', Content: deny })))).toMatchObject({ name: 'DuplicatePolicyException' });

    await c.send(new O.DisablePolicyTypeCommand({ RootId: root, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    expect((await c.send(new O.ListRootsCommand({}))).Roots![0]!.PolicyTypes).toEqual([]);
    expect(scpsFor(ctx.g.runtime.store, acct)).toBeUndefined();
    expect(await failure(c.send(new O.DisablePolicyTypeCommand({ RootId: root, PolicyType: 'SERVICE_CONTROL_POLICY' })))).toMatchObject({ name: 'PolicyTypeNotEnabledException' });
  });

  test('tag policies: effective policy merged down the path', async () => {
    const c = org(as(M));
    await c.send(new O.EnablePolicyTypeCommand({ RootId: root, PolicyType: 'TAG_POLICY' }));
    const rootDoc = { tags: { costcenter: { tag_key: { '@@assign': 'CostCenter' }, tag_value: { '@@assign': ['100', '200'] } }, team: { tag_key: { '@@assign': 'Team', '@@operators_allowed_for_child_policies': ['@@none'] } } } };
    const ouDoc = { tags: { costcenter: { tag_value: { '@@append': ['300'] }, enforced_for: { '@@assign': ['secretsmanager:*'] } }, team: { tag_key: { '@@assign': 'TEAM' } } } };
    const acctDoc = { tags: { costcenter: { tag_value: { '@@remove': ['100'] } } } };
    const ids: string[] = [];
    for (const [name, doc, target] of [['root-tags', rootDoc, root], ['ou-tags', ouDoc, ou], ['acct-tags', acctDoc, acct]] as const) {
      const p = await c.send(new O.CreatePolicyCommand({ Name: name, Description: name, Type: 'TAG_POLICY', Content: JSON.stringify(doc) }));
      ids.push(p.Policy!.PolicySummary!.Id!);
      await c.send(new O.AttachPolicyCommand({ PolicyId: p.Policy!.PolicySummary!.Id!, TargetId: target }));
    }
    const eff = await c.send(new O.DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: acct }));
    expect(eff.EffectivePolicy).toMatchObject({ TargetId: acct, PolicyType: 'TAG_POLICY' });
    expect(JSON.parse(eff.EffectivePolicy!.PolicyContent!)).toEqual({
      tags: { costcenter: { tag_key: 'CostCenter', tag_value: ['200', '300'], enforced_for: ['secretsmanager:*'] }, team: { tag_key: 'Team' } },
    });
    // the member account may ask for its own effective policy
    const own = await org(as(acct)).send(new O.DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY' }));
    expect(own.EffectivePolicy!.PolicyContent).toBe(eff.EffectivePolicy!.PolicyContent);
    expect(await failure(c.send(new O.DescribeEffectivePolicyCommand({ PolicyType: 'BACKUP_POLICY', TargetId: acct })))).toMatchObject({ name: 'EffectivePolicyNotFoundException' });
    expect(await failure(c.send(new O.DescribeEffectivePolicyCommand({ PolicyType: 'SERVICE_CONTROL_POLICY' as never /* a PolicyType with no effective policy, on purpose */, TargetId: acct })))).toMatchObject({ name: 'InvalidInputException' });
    expect(await failure(c.send(new O.DescribeEffectivePolicyCommand({ PolicyType: 'TAG_POLICY', TargetId: ou })))).toMatchObject({ name: 'InvalidInputException' });
  });

  test('RCPs, AI opt-out and backup types enable', async () => {
    const c = org(as(M));
    await c.send(new O.EnablePolicyTypeCommand({ RootId: root, PolicyType: 'RESOURCE_CONTROL_POLICY' }));
    expect(rcpsFor(ctx.g.runtime.store, acct)!.every((l) => l.policies.some((p) => p.id === 'p-RCPFullAWSAccess'))).toBe(true);
    for (const type of ['AISERVICES_OPT_OUT_POLICY', 'BACKUP_POLICY'] as const) {
      await c.send(new O.EnablePolicyTypeCommand({ RootId: root, PolicyType: type }));
    }
    const opt = await c.send(new O.CreatePolicyCommand({ Name: 'optout', Description: '', Type: 'AISERVICES_OPT_OUT_POLICY', Content: JSON.stringify({ services: { default: { opt_out_policy: { '@@assign': 'optOut' } } } }) }));
    await c.send(new O.AttachPolicyCommand({ PolicyId: opt.Policy!.PolicySummary!.Id!, TargetId: root }));
    const eff = await c.send(new O.DescribeEffectivePolicyCommand({ PolicyType: 'AISERVICES_OPT_OUT_POLICY', TargetId: acct }));
    expect(JSON.parse(eff.EffectivePolicy!.PolicyContent!)).toEqual({ services: { default: { opt_out_policy: 'optOut' } } });
    const types = (await c.send(new O.ListRootsCommand({}))).Roots![0]!.PolicyTypes!.map((t) => t.Type);
    expect(types).toEqual(expect.arrayContaining(['TAG_POLICY', 'RESOURCE_CONTROL_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'BACKUP_POLICY']));
    expect(await failure(c.send(new O.EnablePolicyTypeCommand({ RootId: root, PolicyType: 'NOPE' as never /* not a PolicyType, on purpose */ })))).toMatchObject({ name: 'InvalidInputException' });
  });
});

describe('handshakes between two accounts', () => {
  const M = '500000000001';
  const A = '500000000002';
  const B = '500000000003';
  beforeAll(async () => {
    await org(as(M)).send(new O.CreateOrganizationCommand({}));
  });

  test('invite, list on both sides, accept, leave; decline; cancel; expiry', async () => {
    const m = org(as(M));
    const inv = (await m.send(new O.InviteAccountToOrganizationCommand({ Target: { Id: A, Type: 'ACCOUNT' }, Notes: 'join us' }))).Handshake!;
    expect(inv).toMatchObject({ State: 'OPEN', Action: 'INVITE' });
    expect(inv.Id).toMatch(/^h-[a-z0-9]{10}$/);
    expect(inv.Parties).toContainEqual({ Id: A, Type: 'ACCOUNT' });
    expect(await failure(m.send(new O.InviteAccountToOrganizationCommand({ Target: { Id: A, Type: 'ACCOUNT' } })))).toMatchObject({ name: 'DuplicateHandshakeException' });
    expect((await m.send(new O.ListHandshakesForOrganizationCommand({}))).Handshakes!.map((h) => h.Id)).toEqual([inv.Id]);

    const a = org(as(A));
    const mine = await a.send(new O.ListHandshakesForAccountCommand({}));
    expect(mine.Handshakes!.map((h) => h.Id)).toEqual([inv.Id]);
    expect(mine.Handshakes![0]!.Resources).toContainEqual({ Type: 'NOTES', Value: 'join us' });
    expect((await a.send(new O.DescribeHandshakeCommand({ HandshakeId: inv.Id! }))).Handshake!.State).toBe('OPEN');
    // only the invited account can accept
    expect(await failure(org(as(B)).send(new O.AcceptHandshakeCommand({ HandshakeId: inv.Id! })))).toMatchObject({ name: 'HandshakeNotFoundException' });
    const acc = await a.send(new O.AcceptHandshakeCommand({ HandshakeId: inv.Id! }));
    expect(acc.Handshake!.State).toBe('ACCEPTED');
    expect(await failure(a.send(new O.AcceptHandshakeCommand({ HandshakeId: inv.Id! })))).toMatchObject({ name: 'HandshakeAlreadyInStateException' });
    expect((await a.send(new O.DescribeOrganizationCommand({}))).Organization!.MasterAccountId).toBe(M);
    const joined = (await m.send(new O.DescribeAccountCommand({ AccountId: A }))).Account!;
    expect(joined.JoinedMethod).toBe('INVITED');
    expect(await failure(m.send(new O.InviteAccountToOrganizationCommand({ Target: { Id: A, Type: 'ACCOUNT' } })))).toMatchObject({ name: 'HandshakeConstraintViolationException' });
    await a.send(new O.LeaveOrganizationCommand({}));
    expect(await failure(a.send(new O.DescribeOrganizationCommand({})))).toMatchObject({ name: 'AWSOrganizationsNotInUseException' });

    const b = org(as(B));
    const h2 = (await m.send(new O.InviteAccountToOrganizationCommand({ Target: { Id: B, Type: 'ACCOUNT' } }))).Handshake!;
    expect((await b.send(new O.DeclineHandshakeCommand({ HandshakeId: h2.Id! }))).Handshake!.State).toBe('DECLINED');
    expect(await failure(b.send(new O.AcceptHandshakeCommand({ HandshakeId: h2.Id! })))).toMatchObject({ name: 'InvalidHandshakeTransitionException' });
    const h3 = (await m.send(new O.InviteAccountToOrganizationCommand({ Target: { Id: B, Type: 'ACCOUNT' } }))).Handshake!;
    expect(await failure(b.send(new O.CancelHandshakeCommand({ HandshakeId: h3.Id! })))).toMatchObject({ name: 'AccessDeniedException' });
    expect((await m.send(new O.CancelHandshakeCommand({ HandshakeId: h3.Id! }))).Handshake!.State).toBe('CANCELED');
    const h4 = (await m.send(new O.InviteAccountToOrganizationCommand({ Target: { Id: B, Type: 'ACCOUNT' } }))).Handshake!;
    ctx.g.clock.advance('16d');
    expect((await b.send(new O.DescribeHandshakeCommand({ HandshakeId: h4.Id! }))).Handshake!.State).toBe('EXPIRED');
    expect(await failure(b.send(new O.AcceptHandshakeCommand({ HandshakeId: h4.Id! })))).toMatchObject({ name: 'InvalidHandshakeTransitionException' });
    expect((await b.send(new O.ListHandshakesForAccountCommand({ Filter: { ActionType: 'INVITE' } }))).Handshakes).toHaveLength(3);
  });
});

describe('delegated administrators, service access, tags', () => {
  const M = '600000000001';
  let member = '';
  beforeAll(async () => {
    await org(as(M)).send(new O.CreateOrganizationCommand({}));
    member = await createAccount(M, 'security');
  });

  test('register, list, read as delegate, deregister', async () => {
    const m = org(as(M));
    await m.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'guardduty.amazonaws.com' }));
    await m.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'config.amazonaws.com' }));
    await m.send(new O.DisableAWSServiceAccessCommand({ ServicePrincipal: 'config.amazonaws.com' }));
    const sa = await m.send(new O.ListAWSServiceAccessForOrganizationCommand({}));
    expect(sa.EnabledServicePrincipals!.map((s) => s.ServicePrincipal)).toEqual(['guardduty.amazonaws.com']);
    expect(await failure(m.send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'not a principal' })))).toMatchObject({ name: 'InvalidInputException' });

    expect(await failure(org(as(member)).send(new O.ListAccountsCommand({})))).toMatchObject({ name: 'AccessDeniedException' });
    await m.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: member, ServicePrincipal: 'guardduty.amazonaws.com' }));
    expect(await failure(m.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: member, ServicePrincipal: 'guardduty.amazonaws.com' })))).toMatchObject({ name: 'AccountAlreadyRegisteredException' });
    expect(await failure(m.send(new O.RegisterDelegatedAdministratorCommand({ AccountId: M, ServicePrincipal: 'guardduty.amazonaws.com' })))).toMatchObject({ name: 'ConstraintViolationException' });
    const admins = await m.send(new O.ListDelegatedAdministratorsCommand({ ServicePrincipal: 'guardduty.amazonaws.com' }));
    expect(admins.DelegatedAdministrators!.map((a) => a.Id)).toEqual([member]);
    const svc = await m.send(new O.ListDelegatedServicesForAccountCommand({ AccountId: member }));
    expect(svc.DelegatedServices!.map((s) => s.ServicePrincipal)).toEqual(['guardduty.amazonaws.com']);
    // a delegated administrator may read the organization but not change it
    expect((await org(as(member)).send(new O.ListAccountsCommand({}))).Accounts).toHaveLength(2);
    expect(await failure(org(as(member)).send(new O.CreateOrganizationalUnitCommand({ ParentId: 'r-abcd', Name: 'x' })))).toMatchObject({ name: 'AccessDeniedException' });
    expect(await failure(m.send(new O.RemoveAccountFromOrganizationCommand({ AccountId: member })))).toMatchObject({ name: 'ConstraintViolationException' });
    await m.send(new O.DeregisterDelegatedAdministratorCommand({ AccountId: member, ServicePrincipal: 'guardduty.amazonaws.com' }));
    expect(await failure(m.send(new O.ListDelegatedServicesForAccountCommand({ AccountId: member })))).toMatchObject({ name: 'AccountNotRegisteredException' });
  });

  test('tags on accounts, OUs, roots and policies', async () => {
    const m = org(as(M));
    const root = (await m.send(new O.ListRootsCommand({}))).Roots![0]!.Id!;
    await m.send(new O.TagResourceCommand({ ResourceId: root, Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await m.send(new O.TagResourceCommand({ ResourceId: root, Tags: [{ Key: 'a', Value: '3' }] }));
    await m.send(new O.UntagResourceCommand({ ResourceId: root, TagKeys: ['b'] }));
    expect((await m.send(new O.ListTagsForResourceCommand({ ResourceId: root }))).Tags).toEqual([{ Key: 'a', Value: '3' }]);
    await m.send(new O.TagResourceCommand({ ResourceId: member, Tags: [{ Key: 'owner', Value: 'sec' }] }));
    expect((await m.send(new O.ListTagsForResourceCommand({ ResourceId: member }))).Tags).toEqual([{ Key: 'owner', Value: 'sec' }]);
    expect(await failure(m.send(new O.TagResourceCommand({ ResourceId: '777777777777', Tags: [{ Key: 'x', Value: 'y' }] })))).toMatchObject({ name: 'TargetNotFoundException' });
  });
});
