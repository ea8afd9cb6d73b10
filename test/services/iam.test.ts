// covers: iam.CreateUser iam.GetUser iam.ListUsers iam.UpdateUser iam.DeleteUser iam.CreateGroup iam.GetGroup iam.ListGroups iam.DeleteGroup iam.AddUserToGroup iam.RemoveUserFromGroup iam.ListGroupsForUser iam.CreateRole iam.GetRole iam.ListRoles iam.UpdateRole iam.UpdateAssumeRolePolicy iam.DeleteRole iam.PutRolePermissionsBoundary iam.DeleteRolePermissionsBoundary iam.CreatePolicy iam.GetPolicy iam.DeletePolicy iam.ListPolicies iam.CreatePolicyVersion iam.GetPolicyVersion iam.ListPolicyVersions iam.DeletePolicyVersion iam.SetDefaultPolicyVersion iam.AttachRolePolicy iam.DetachRolePolicy iam.ListAttachedRolePolicies iam.AttachUserPolicy iam.DetachUserPolicy iam.ListAttachedUserPolicies iam.AttachGroupPolicy iam.ListAttachedGroupPolicies iam.DetachGroupPolicy iam.ListEntitiesForPolicy iam.PutUserPolicy iam.GetUserPolicy iam.ListUserPolicies iam.DeleteUserPolicy iam.PutRolePolicy iam.GetRolePolicy iam.ListRolePolicies iam.DeleteRolePolicy iam.PutGroupPolicy iam.GetGroupPolicy iam.CreateInstanceProfile iam.GetInstanceProfile iam.ListInstanceProfiles iam.AddRoleToInstanceProfile iam.RemoveRoleFromInstanceProfile iam.ListInstanceProfilesForRole iam.DeleteInstanceProfile iam.TagUser iam.UntagUser iam.ListUserTags iam.TagRole iam.UntagRole iam.ListRoleTags iam.TagPolicy iam.ListPolicyTags iam.UntagPolicy iam.CreateAccountAlias iam.ListAccountAliases iam.DeleteAccountAlias iam.UpdateAccountPasswordPolicy iam.GetAccountPasswordPolicy iam.DeleteAccountPasswordPolicy iam.CreateLoginProfile iam.GetLoginProfile iam.UpdateLoginProfile iam.DeleteLoginProfile iam.GetAccountSummary
import { describe, test, expect, beforeAll } from 'vitest';
import * as I from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
/** An IAM client for `account` (a 12-digit access key id is that account). */
const iam = (account = '000000000000') => new I.IAMClient(clientConfig(ctx.g, { credentials: { accessKeyId: account, secretAccessKey: 'x' } }));

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const DOC = (action = 's3:GetObject') => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });

describe('users', () => {
  let c: I.IAMClient;
  beforeAll(() => void (c = iam('100000000001')));
  test('create, get (case-insensitive), exact shape, duplicate and missing', async () => {
    const now = ctx.g.clock.now();
    const out = await c.send(new I.CreateUserCommand({ UserName: 'Alice', Path: '/eng/', Tags: [{ Key: 'team', Value: 'core' }] }));
    expect(out.User).toEqual({
      Path: '/eng/',
      UserName: 'Alice',
      UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      Arn: 'arn:aws:iam::100000000001:user/eng/Alice',
      CreateDate: new Date(Math.floor(now.getTime() / 1000) * 1000),
      Tags: [{ Key: 'team', Value: 'core' }],
    });
    const got = await c.send(new I.GetUserCommand({ UserName: 'alice' }));
    expect(got.User!.UserId).toBe(out.User!.UserId);
    const dup = await failure(c.send(new I.CreateUserCommand({ UserName: 'ALICE' })));
    expect(dup).toEqual({ name: 'EntityAlreadyExistsException', message: 'User with name ALICE already exists.', status: 409 });
    const missing = await failure(c.send(new I.GetUserCommand({ UserName: 'nobody' })));
    expect(missing).toEqual({ name: 'NoSuchEntityException', message: 'The user with name nobody cannot be found.', status: 404 });
    const bad = await failure(c.send(new I.CreateUserCommand({ UserName: 'bad name' })));
    expect(bad.message).toBe("1 validation error detected: Value 'bad name' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+");
    const badPath = await failure(c.send(new I.CreateUserCommand({ UserName: 'p', Path: 'eng' })));
    expect(badPath.name).toBe('ValidationError');
  });

  test('GetUser without a name is the caller (root here)', async () => {
    const out = await c.send(new I.GetUserCommand({}));
    expect(out.User).toMatchObject({ UserId: '100000000001', Arn: 'arn:aws:iam::100000000001:root' });
  });

  test('ListUsers: sorted by name, PathPrefix, Marker/MaxItems, no tags in lists', async () => {
    for (const n of ['dave', 'bob', 'Carol']) await c.send(new I.CreateUserCommand({ UserName: n }));
    const all = await c.send(new I.ListUsersCommand({}));
    expect(all.Users!.map((u) => u.UserName)).toEqual(['Alice', 'bob', 'Carol', 'dave']);
    expect(all.IsTruncated).toBe(false);
    expect(all.Users![0]!.Tags).toBeUndefined();
    const eng = await c.send(new I.ListUsersCommand({ PathPrefix: '/eng/' }));
    expect(eng.Users!.map((u) => u.UserName)).toEqual(['Alice']);
    const p1 = await c.send(new I.ListUsersCommand({ MaxItems: 3 }));
    expect(p1.Users!.map((u) => u.UserName)).toEqual(['Alice', 'bob', 'Carol']);
    expect(p1.IsTruncated).toBe(true);
    const p2 = await c.send(new I.ListUsersCommand({ MaxItems: 3, Marker: p1.Marker }));
    expect(p2.Users!.map((u) => u.UserName)).toEqual(['dave']);
    expect(p2.IsTruncated).toBe(false);
    expect(p2.Marker).toBeUndefined();
    const paged: string[] = [];
    for await (const page of I.paginateListUsers({ client: c, pageSize: 1 }, {})) paged.push(...page.Users!.map((u) => u.UserName!));
    expect(paged).toEqual(['Alice', 'bob', 'Carol', 'dave']);
    const tooMany = await failure(c.send(new I.ListUsersCommand({ MaxItems: 1001 })));
    expect(tooMany.message).toBe("1 validation error detected: Value '1001' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 1000");
  });

  test('UpdateUser renames and moves; DeleteUser refuses while the user has keys, groups or policies', async () => {
    await c.send(new I.UpdateUserCommand({ UserName: 'dave', NewUserName: 'david', NewPath: '/ops/' }));
    const got = await c.send(new I.GetUserCommand({ UserName: 'david' }));
    expect(got.User!.Arn).toBe('arn:aws:iam::100000000001:user/ops/david');
    const key = await c.send(new I.CreateAccessKeyCommand({ UserName: 'david' }));
    expect((await failure(c.send(new I.DeleteUserCommand({ UserName: 'david' }))))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete entity, must delete access keys first.', status: 409 });
    await c.send(new I.DeleteAccessKeyCommand({ UserName: 'david', AccessKeyId: key.AccessKey!.AccessKeyId! }));
    await c.send(new I.CreateGroupCommand({ GroupName: 'ops' }));
    await c.send(new I.AddUserToGroupCommand({ GroupName: 'ops', UserName: 'david' }));
    expect((await failure(c.send(new I.DeleteUserCommand({ UserName: 'david' })))).message).toBe('Cannot delete entity, must remove users from group first.');
    await c.send(new I.RemoveUserFromGroupCommand({ GroupName: 'ops', UserName: 'david' }));
    await c.send(new I.AttachUserPolicyCommand({ UserName: 'david', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    expect((await failure(c.send(new I.DeleteUserCommand({ UserName: 'david' })))).message).toBe('Cannot delete entity, must detach all policies first.');
    await c.send(new I.DetachUserPolicyCommand({ UserName: 'david', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    await c.send(new I.PutUserPolicyCommand({ UserName: 'david', PolicyName: 'inline', PolicyDocument: DOC() }));
    expect((await failure(c.send(new I.DeleteUserCommand({ UserName: 'david' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await c.send(new I.DeleteUserPolicyCommand({ UserName: 'david', PolicyName: 'inline' }));
    await c.send(new I.DeleteUserCommand({ UserName: 'david' }));
    expect((await failure(c.send(new I.GetUserCommand({ UserName: 'david' })))).name).toBe('NoSuchEntityException');
  });
});

describe('groups', () => {
  let c: I.IAMClient;
  beforeAll(() => void (c = iam('100000000002')));
  test('membership both ways; DeleteGroup conflicts', async () => {
    const g = await c.send(new I.CreateGroupCommand({ GroupName: 'devs', Path: '/teams/' }));
    expect(g.Group).toMatchObject({ GroupName: 'devs', Path: '/teams/', Arn: 'arn:aws:iam::100000000002:group/teams/devs', GroupId: expect.stringMatching(/^AGPA[A-Z2-7]{17}$/) });
    await c.send(new I.CreateGroupCommand({ GroupName: 'admins' }));
    for (const u of ['zed', 'amy']) await c.send(new I.CreateUserCommand({ UserName: u }));
    await c.send(new I.AddUserToGroupCommand({ GroupName: 'devs', UserName: 'zed' }));
    await c.send(new I.AddUserToGroupCommand({ GroupName: 'devs', UserName: 'amy' }));
    await c.send(new I.AddUserToGroupCommand({ GroupName: 'admins', UserName: 'amy' }));
    const got = await c.send(new I.GetGroupCommand({ GroupName: 'devs' }));
    expect(got.Users!.map((u) => u.UserName)).toEqual(['amy', 'zed']);
    const forUser = await c.send(new I.ListGroupsForUserCommand({ UserName: 'amy' }));
    expect(forUser.Groups!.map((x) => x.GroupName)).toEqual(['admins', 'devs']);
    expect((await c.send(new I.ListGroupsCommand({}))).Groups!.map((x) => x.GroupName)).toEqual(['admins', 'devs']);
    expect((await c.send(new I.ListGroupsCommand({ PathPrefix: '/teams' }))).Groups!.map((x) => x.GroupName)).toEqual(['devs']);
    expect(await failure(c.send(new I.DeleteGroupCommand({ GroupName: 'devs' })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete entity, must remove users from group first.', status: 409 });
    await c.send(new I.PutGroupPolicyCommand({ GroupName: 'admins', PolicyName: 'all', PolicyDocument: DOC('*') }));
    const gp = await c.send(new I.GetGroupPolicyCommand({ GroupName: 'admins', PolicyName: 'all' }));
    expect(decodeURIComponent(gp.PolicyDocument!)).toBe(DOC('*'));
    await c.send(new I.AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    expect((await c.send(new I.ListAttachedGroupPoliciesCommand({ GroupName: 'admins' }))).AttachedPolicies).toEqual([{ PolicyName: 'AdministratorAccess', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }]);
    await c.send(new I.DetachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await c.send(new I.RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'zed' }));
    await c.send(new I.RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'amy' }));
    await c.send(new I.DeleteGroupCommand({ GroupName: 'devs' }));
    expect(await failure(c.send(new I.GetGroupCommand({ GroupName: 'devs' })))).toEqual({ name: 'NoSuchEntityException', message: 'The group with name devs cannot be found.', status: 404 });
  });
});

describe('roles', () => {
  let c: I.IAMClient;
  beforeAll(() => void (c = iam('100000000003')));
  test('CreateRole/GetRole: exact shape, URL-encoded trust policy, RoleLastUsed, Description, MaxSessionDuration', async () => {
    const out = await c.send(new I.CreateRoleCommand({ RoleName: 'app', Path: '/svc/', AssumeRolePolicyDocument: TRUST, Description: 'the app', MaxSessionDuration: 7200, Tags: [{ Key: 'env', Value: 'dev' }] }));
    expect(out.Role).toMatchObject({
      Path: '/svc/',
      RoleName: 'app',
      RoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/),
      Arn: 'arn:aws:iam::100000000003:role/svc/app',
      AssumeRolePolicyDocument: encodeURIComponent(TRUST),
      Description: 'the app',
      MaxSessionDuration: 7200,
      Tags: [{ Key: 'env', Value: 'dev' }],
    });
    expect(out.Role!.RoleLastUsed).toBeUndefined();
    const got = await c.send(new I.GetRoleCommand({ RoleName: 'app' }));
    expect(decodeURIComponent(got.Role!.AssumeRolePolicyDocument!)).toBe(TRUST);
    expect(got.Role!.RoleLastUsed).toEqual({});
    const missing = await failure(c.send(new I.GetRoleCommand({ RoleName: 'ghost' })));
    expect(missing).toEqual({ name: 'NoSuchEntityException', message: 'The role with name ghost cannot be found.', status: 404 });
    const dup = await failure(c.send(new I.CreateRoleCommand({ RoleName: 'APP', AssumeRolePolicyDocument: TRUST })));
    expect(dup).toEqual({ name: 'EntityAlreadyExistsException', message: 'Role with name APP already exists.', status: 409 });
    const short = await failure(c.send(new I.CreateRoleCommand({ RoleName: 'x1', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 3599 })));
    expect(short).toMatchObject({ name: 'ValidationError', message: "1 validation error detected: Value '3599' at 'maxSessionDuration' failed to satisfy constraint: Member must have value greater than or equal to 3600" });
    const long = await failure(c.send(new I.CreateRoleCommand({ RoleName: 'x1', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 43201 })));
    expect(long.message).toContain('Member must have value less than or equal to 43200');
  });

  test('trust policies are validated with AWS messages', async () => {
    const cases: [string, string][] = [
      ['{"Version":', 'This policy contains invalid Json'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }] }), 'Has prohibited field Resource'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), 'Missing required field Principal'],
      [JSON.stringify({ Version: '2013-01-01', Statement: [] }), 'The policy must contain a valid version string'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Maybe', Principal: '*', Action: 'sts:AssumeRole' }] }), 'Syntax errors in policy.'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'bob' }, Action: 'sts:AssumeRole' }] }), 'Invalid principal in policy: "AWS":"bob"'],
      [JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'AssumeRole' }] }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ];
    for (const [doc, message] of cases) {
      expect(await failure(c.send(new I.CreateRoleCommand({ RoleName: 'bad', AssumeRolePolicyDocument: doc })))).toEqual({ name: 'MalformedPolicyDocumentException', message, status: 400 });
    }
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'x'.repeat(2100) }, Action: 'sts:AssumeRole' }] });
    expect(await failure(c.send(new I.CreateRoleCommand({ RoleName: 'big', AssumeRolePolicyDocument: big })))).toEqual({ name: 'LimitExceededException', message: 'Cannot exceed quota for ACLSizePerRole: 2048', status: 409 });
  });

  test('ListRoles leaves out tags and RoleLastUsed; UpdateRole; UpdateAssumeRolePolicy; boundaries', async () => {
    await c.send(new I.CreateRoleCommand({ RoleName: 'Batch', AssumeRolePolicyDocument: TRUST }));
    const list = await c.send(new I.ListRolesCommand({}));
    expect(list.Roles!.map((r) => r.RoleName)).toEqual(['app', 'Batch']);
    expect(list.Roles![0]!.Tags).toBeUndefined();
    expect(list.Roles![0]!.RoleLastUsed).toBeUndefined();
    expect((await c.send(new I.ListRolesCommand({ PathPrefix: '/svc/' }))).Roles!.map((r) => r.RoleName)).toEqual(['app']);
    await c.send(new I.UpdateRoleCommand({ RoleName: 'Batch', Description: 'batch jobs', MaxSessionDuration: 43200 }));
    const trust2 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '100000000003' }, Action: 'sts:AssumeRole' }] });
    await c.send(new I.UpdateAssumeRolePolicyCommand({ RoleName: 'Batch', PolicyDocument: trust2 }));
    const got = (await c.send(new I.GetRoleCommand({ RoleName: 'Batch' }))).Role!;
    expect(got).toMatchObject({ Description: 'batch jobs', MaxSessionDuration: 43200, AssumeRolePolicyDocument: encodeURIComponent(trust2) });
    const nope = await failure(c.send(new I.PutRolePermissionsBoundaryCommand({ RoleName: 'Batch', PermissionsBoundary: 'arn:aws:iam::100000000003:policy/none' })));
    expect(nope).toEqual({ name: 'NoSuchEntityException', message: 'Scope ARN: arn:aws:iam::100000000003:policy/none does not exist or is not attachable.', status: 404 });
    await c.send(new I.PutRolePermissionsBoundaryCommand({ RoleName: 'Batch', PermissionsBoundary: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
    expect((await c.send(new I.GetRoleCommand({ RoleName: 'Batch' }))).Role!.PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    expect((await c.send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }))).Policy!.PermissionsBoundaryUsageCount).toBe(1);
    await c.send(new I.DeleteRolePermissionsBoundaryCommand({ RoleName: 'Batch' }));
    expect((await c.send(new I.GetRoleCommand({ RoleName: 'Batch' }))).Role!.PermissionsBoundary).toBeUndefined();
  });

  test('attached and inline policies; DeleteRole conflicts', async () => {
    await c.send(new I.AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }));
    await c.send(new I.AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const attached = await c.send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'app' }));
    expect(attached.AttachedPolicies).toEqual([
      { PolicyName: 'AWSLambdaBasicExecutionRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' },
      { PolicyName: 'AmazonS3ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' },
    ]);
    expect((await c.send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'app', PathPrefix: '/service-role/' }))).AttachedPolicies!.length).toBe(1);
    const missing = await failure(c.send(new I.AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/NoSuchThing' })));
    expect(missing).toEqual({ name: 'NoSuchEntityException', message: 'Policy arn:aws:iam::aws:policy/NoSuchThing does not exist or is not attachable.', status: 404 });
    expect(await failure(c.send(new I.DeleteRoleCommand({ RoleName: 'app' })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete entity, must detach all policies first.', status: 409 });
    await c.send(new I.DetachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole' }));
    await c.send(new I.DetachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' }));
    const notAttached = await failure(c.send(new I.DetachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess' })));
    expect(notAttached).toMatchObject({ name: 'NoSuchEntityException', message: 'Policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess was not found.' });

    await c.send(new I.PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'zeta', PolicyDocument: DOC() }));
    await c.send(new I.PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'alpha', PolicyDocument: DOC('sqs:*') }));
    expect((await c.send(new I.ListRolePoliciesCommand({ RoleName: 'app' }))).PolicyNames).toEqual(['alpha', 'zeta']);
    const got = await c.send(new I.GetRolePolicyCommand({ RoleName: 'app', PolicyName: 'alpha' }));
    expect(got).toMatchObject({ RoleName: 'app', PolicyName: 'alpha', PolicyDocument: encodeURIComponent(DOC('sqs:*')) });
    expect(await failure(c.send(new I.GetRolePolicyCommand({ RoleName: 'app', PolicyName: 'nope' })))).toEqual({ name: 'NoSuchEntityException', message: 'The role policy with name nope cannot be found.', status: 404 });
    const withPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:*', Resource: '*' }] });
    expect((await failure(c.send(new I.PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'p', PolicyDocument: withPrincipal })))).message).toBe('Policy document should not specify a principal.');
    const noResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] });
    expect((await failure(c.send(new I.PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'p', PolicyDocument: noResource })))).message).toBe('Policy statement must contain resources.');
    expect((await failure(c.send(new I.DeleteRoleCommand({ RoleName: 'app' })))).message).toBe('Cannot delete entity, must delete policies first.');
    await c.send(new I.DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'zeta' }));
    await c.send(new I.DeleteRolePolicyCommand({ RoleName: 'app', PolicyName: 'alpha' }));
  });

  test('instance profiles: one role each; DeleteRole refuses while in a profile', async () => {
    const ip = await c.send(new I.CreateInstanceProfileCommand({ InstanceProfileName: 'web', Path: '/ec2/' }));
    expect(ip.InstanceProfile).toMatchObject({ InstanceProfileName: 'web', Path: '/ec2/', Arn: 'arn:aws:iam::100000000003:instance-profile/ec2/web', InstanceProfileId: expect.stringMatching(/^AIPA[A-Z2-7]{17}$/), Roles: [] });
    await c.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'app' }));
    expect(await failure(c.send(new I.AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'Batch' })))).toEqual({ name: 'LimitExceededException', message: 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', status: 409 });
    const got = await c.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'web' }));
    expect(got.InstanceProfile!.Roles!.map((r) => r.Arn)).toEqual(['arn:aws:iam::100000000003:role/svc/app']);
    expect((await c.send(new I.ListInstanceProfilesForRoleCommand({ RoleName: 'app' }))).InstanceProfiles!.map((p) => p.InstanceProfileName)).toEqual(['web']);
    expect((await c.send(new I.ListInstanceProfilesCommand({}))).InstanceProfiles!.map((p) => p.InstanceProfileName)).toEqual(['web']);
    expect((await failure(c.send(new I.DeleteRoleCommand({ RoleName: 'app' })))).message).toBe('Cannot delete entity, must remove roles from instance profile first.');
    expect((await failure(c.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'web' })))).message).toBe('Cannot delete entity, must remove roles from instance profile first.');
    await c.send(new I.RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'web', RoleName: 'app' }));
    await c.send(new I.DeleteInstanceProfileCommand({ InstanceProfileName: 'web' }));
    expect(await failure(c.send(new I.GetInstanceProfileCommand({ InstanceProfileName: 'web' })))).toEqual({ name: 'NoSuchEntityException', message: 'Instance Profile web cannot be found.', status: 404 });
    await c.send(new I.DeleteRoleCommand({ RoleName: 'app' }));
    expect((await c.send(new I.ListRolesCommand({}))).Roles!.map((r) => r.RoleName)).toEqual(['Batch']);
  });
});

describe('managed policies', () => {
  let c: I.IAMClient;
  beforeAll(() => void (c = iam('100000000004')));
  const arn = 'arn:aws:iam::100000000004:policy/team/Readers';
  test('create, versions up to 5, default version, delete rules', async () => {
    const out = await c.send(new I.CreatePolicyCommand({ PolicyName: 'Readers', Path: '/team/', PolicyDocument: DOC(), Description: 'read things', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(out.Policy).toMatchObject({ PolicyName: 'Readers', Arn: arn, Path: '/team/', DefaultVersionId: 'v1', AttachmentCount: 0, PermissionsBoundaryUsageCount: 0, IsAttachable: true, PolicyId: expect.stringMatching(/^ANPA[A-Z2-7]{17}$/) });
    expect(await failure(c.send(new I.CreatePolicyCommand({ PolicyName: 'readers', PolicyDocument: DOC() })))).toEqual({ name: 'EntityAlreadyExistsException', message: 'A policy called readers already exists. Duplicate names are not allowed.', status: 409 });
    const got = await c.send(new I.GetPolicyCommand({ PolicyArn: arn }));
    expect(got.Policy).toMatchObject({ Description: 'read things', Tags: [{ Key: 'k', Value: 'v' }] });
    for (let i = 2; i <= 5; i++) {
      const v = await c.send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: DOC(`s3:Get${i}`), SetAsDefault: i === 3 }));
      expect(v.PolicyVersion).toMatchObject({ VersionId: `v${i}`, IsDefaultVersion: i === 3 });
    }
    const sixth = await failure(c.send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: DOC() })));
    expect(sixth).toEqual({ name: 'LimitExceededException', message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.', status: 409 });
    const versions = await c.send(new I.ListPolicyVersionsCommand({ PolicyArn: arn }));
    expect(versions.Versions!.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([['v5', false], ['v4', false], ['v3', true], ['v2', false], ['v1', false]]);
    expect(versions.Versions![0]!.Document).toBeUndefined();
    const v3 = await c.send(new I.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' }));
    expect(v3.PolicyVersion).toMatchObject({ VersionId: 'v3', IsDefaultVersion: true, Document: encodeURIComponent(DOC('s3:Get3')) });
    expect(await failure(c.send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v3' })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.', status: 409 });
    await c.send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }));
    expect((await c.send(new I.CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: DOC() }))).PolicyVersion!.VersionId).toBe('v6');
    await c.send(new I.SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v6' }));
    expect((await c.send(new I.GetPolicyCommand({ PolicyArn: arn }))).Policy!.DefaultVersionId).toBe('v6');
    expect(await failure(c.send(new I.GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
    expect((await failure(c.send(new I.DeletePolicyCommand({ PolicyArn: arn })))).name).toBe('DeleteConflictException');
    for (const v of ['v2', 'v3', 'v4', 'v5']) await c.send(new I.DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: v }));
    await c.send(new I.CreateUserCommand({ UserName: 'u' }));
    await c.send(new I.AttachUserPolicyCommand({ UserName: 'u', PolicyArn: arn }));
    expect((await c.send(new I.GetPolicyCommand({ PolicyArn: arn }))).Policy!.AttachmentCount).toBe(1);
    const ents = await c.send(new I.ListEntitiesForPolicyCommand({ PolicyArn: arn }));
    expect(ents.PolicyUsers!.map((u) => u.UserName)).toEqual(['u']);
    expect(ents.PolicyRoles).toEqual([]);
    expect((await c.send(new I.ListAttachedUserPoliciesCommand({ UserName: 'u' }))).AttachedPolicies).toEqual([{ PolicyName: 'Readers', PolicyArn: arn }]);
    expect(await failure(c.send(new I.DeletePolicyCommand({ PolicyArn: arn })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.', status: 409 });
    await c.send(new I.DetachUserPolicyCommand({ UserName: 'u', PolicyArn: arn }));
    await c.send(new I.DeletePolicyCommand({ PolicyArn: arn }));
    expect(await failure(c.send(new I.GetPolicyCommand({ PolicyArn: arn })))).toEqual({ name: 'NoSuchEntityException', message: `Policy ${arn} was not found.`, status: 404 });
  });

  test('AWS managed policies: listed with Scope=AWS, documents as data, attachable, read-only', async () => {
    const aws: string[] = [];
    for await (const page of I.paginateListPolicies({ client: c, pageSize: 20 }, { Scope: 'AWS' })) aws.push(...page.Policies!.map((p) => p.Arn!));
    for (const name of ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'AmazonS3FullAccess', 'service-role/AWSLambdaBasicExecutionRole']) expect(aws).toContain(`arn:aws:iam::aws:policy/${name}`);
    expect(aws.length).toBeGreaterThanOrEqual(40);
    expect(new Set(aws).size).toBe(aws.length);
    await c.send(new I.CreatePolicyCommand({ PolicyName: 'Mine', PolicyDocument: DOC() }));
    expect((await c.send(new I.ListPoliciesCommand({ Scope: 'Local' }))).Policies!.map((p) => p.PolicyName)).toEqual(['Mine']);
    const admin = await c.send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    expect(admin.Policy).toMatchObject({ PolicyName: 'AdministratorAccess', Path: '/', DefaultVersionId: 'v1', CreateDate: new Date('2015-02-06T18:39:46Z') });
    const v = await c.send(new I.GetPolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess', VersionId: 'v1' }));
    expect(JSON.parse(decodeURIComponent(v.PolicyVersion!.Document!))).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
    const power = await c.send(new I.GetPolicyCommand({ PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' }));
    const pv = await c.send(new I.GetPolicyVersionCommand({ PolicyArn: power.Policy!.Arn!, VersionId: power.Policy!.DefaultVersionId! }));
    expect(JSON.parse(decodeURIComponent(pv.PolicyVersion!.Document!)).Statement[0]).toMatchObject({ Effect: 'Allow', NotAction: expect.arrayContaining(['iam:*', 'organizations:*']) });
    await c.send(new I.AttachUserPolicyCommand({ UserName: 'u', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
    const attachedOnly = await c.send(new I.ListPoliciesCommand({ OnlyAttached: true }));
    expect(attachedOnly.Policies!.map((p) => [p.PolicyName, p.AttachmentCount])).toEqual([['ReadOnlyAccess', 1]]);
    const denied = await failure(c.send(new I.CreatePolicyVersionCommand({ PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess', PolicyDocument: DOC() })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403, message: 'User: arn:aws:iam::100000000004:root is not authorized to perform: iam:CreatePolicyVersion on resource: policy arn:aws:iam::aws:policy/ReadOnlyAccess' });
  });

  test('inline size quota and managed policy documents are validated', async () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Array.from({ length: 100 }, (_, i) => `arn:aws:s3:::bucket-${i}/*`) }] });
    expect(await failure(c.send(new I.PutUserPolicyCommand({ UserName: 'u', PolicyName: 'big', PolicyDocument: big })))).toEqual({ name: 'LimitExceededException', message: 'Maximum policy size of 2048 bytes exceeded for user u', status: 409 });
    expect(await failure(c.send(new I.CreatePolicyCommand({ PolicyName: 'Broken', PolicyDocument: 'not json' })))).toEqual({ name: 'MalformedPolicyDocumentException', message: 'This policy contains invalid Json', status: 400 });
    await c.send(new I.PutUserPolicyCommand({ UserName: 'u', PolicyName: 'small', PolicyDocument: DOC() }));
    expect((await c.send(new I.ListUserPoliciesCommand({ UserName: 'u' }))).PolicyNames).toEqual(['small']);
    expect(decodeURIComponent((await c.send(new I.GetUserPolicyCommand({ UserName: 'u', PolicyName: 'small' }))).PolicyDocument!)).toBe(DOC());
  });
});

describe('tags', () => {
  let c: I.IAMClient;
  beforeAll(() => void (c = iam('100000000005')));
  test('users, roles and policies: tag, list, untag (keys are case-insensitive)', async () => {
    await c.send(new I.CreateUserCommand({ UserName: 't' }));
    await c.send(new I.TagUserCommand({ UserName: 't', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await c.send(new I.TagUserCommand({ UserName: 't', Tags: [{ Key: 'A', Value: '3' }] }));
    expect((await c.send(new I.ListUserTagsCommand({ UserName: 't' }))).Tags).toEqual([{ Key: 'A', Value: '3' }, { Key: 'b', Value: '2' }]);
    await c.send(new I.UntagUserCommand({ UserName: 't', TagKeys: ['a'] }));
    expect((await c.send(new I.ListUserTagsCommand({ UserName: 't' }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const dup = await failure(c.send(new I.TagUserCommand({ UserName: 't', Tags: [{ Key: 'x', Value: '1' }, { Key: 'X', Value: '2' }] })));
    expect(dup).toMatchObject({ name: 'InvalidInputException', status: 400 });

    await c.send(new I.CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: TRUST }));
    await c.send(new I.TagRoleCommand({ RoleName: 'r', Tags: [{ Key: 'env', Value: 'prod' }] }));
    expect((await c.send(new I.ListRoleTagsCommand({ RoleName: 'r' }))).Tags).toEqual([{ Key: 'env', Value: 'prod' }]);
    await c.send(new I.UntagRoleCommand({ RoleName: 'r', TagKeys: ['env'] }));
    expect((await c.send(new I.ListRoleTagsCommand({ RoleName: 'r' }))).Tags).toEqual([]);
    expect((await failure(c.send(new I.TagRoleCommand({ RoleName: 'ghost', Tags: [{ Key: 'k', Value: 'v' }] })))).message).toBe('The role with name ghost cannot be found.');

    const p = (await c.send(new I.CreatePolicyCommand({ PolicyName: 'tp', PolicyDocument: DOC() }))).Policy!;
    await c.send(new I.TagPolicyCommand({ PolicyArn: p.Arn!, Tags: [{ Key: 'owner', Value: 'me' }] }));
    expect((await c.send(new I.ListPolicyTagsCommand({ PolicyArn: p.Arn! }))).Tags).toEqual([{ Key: 'owner', Value: 'me' }]);
    await c.send(new I.UntagPolicyCommand({ PolicyArn: p.Arn!, TagKeys: ['owner'] }));
    expect((await c.send(new I.ListPolicyTagsCommand({ PolicyArn: p.Arn! }))).Tags).toEqual([]);
  });
});

describe('account: aliases, password policy, login profiles, summary', () => {
  let c: I.IAMClient;
  beforeAll(() => void (c = iam('100000000006')));
  test('account alias: one per account, unique across accounts', async () => {
    expect((await c.send(new I.ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
    await c.send(new I.CreateAccountAliasCommand({ AccountAlias: 'my-corp' }));
    expect((await c.send(new I.ListAccountAliasesCommand({}))).AccountAliases).toEqual(['my-corp']);
    expect(await failure(iam('100000000007').send(new I.CreateAccountAliasCommand({ AccountAlias: 'my-corp' })))).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    expect((await failure(c.send(new I.CreateAccountAliasCommand({ AccountAlias: 'Bad_Alias' })))).name).toBe('ValidationError');
    await c.send(new I.DeleteAccountAliasCommand({ AccountAlias: 'my-corp' }));
    expect((await c.send(new I.ListAccountAliasesCommand({}))).AccountAliases).toEqual([]);
  });

  test('password policy and login profiles', async () => {
    expect(await failure(c.send(new I.GetAccountPasswordPolicyCommand({})))).toEqual({ name: 'NoSuchEntityException', message: 'The Password Policy with domain name 100000000006 cannot be found.', status: 404 });
    await c.send(new I.UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, RequireNumbers: true, MaxPasswordAge: 90 }));
    expect((await c.send(new I.GetAccountPasswordPolicyCommand({}))).PasswordPolicy).toEqual({
      MinimumPasswordLength: 12,
      RequireSymbols: false,
      RequireNumbers: true,
      RequireUppercaseCharacters: false,
      RequireLowercaseCharacters: false,
      AllowUsersToChangePassword: false,
      ExpirePasswords: true,
      MaxPasswordAge: 90,
    });
    await c.send(new I.CreateUserCommand({ UserName: 'web' }));
    expect(await failure(c.send(new I.CreateLoginProfileCommand({ UserName: 'web', Password: 'short1' })))).toMatchObject({ name: 'PasswordPolicyViolationException', message: 'Password does not conform to the account password policy.' });
    const lp = await c.send(new I.CreateLoginProfileCommand({ UserName: 'web', Password: 'long-enough-123', PasswordResetRequired: true }));
    expect(lp.LoginProfile).toMatchObject({ UserName: 'web', PasswordResetRequired: true });
    await c.send(new I.UpdateLoginProfileCommand({ UserName: 'web', PasswordResetRequired: false }));
    expect((await c.send(new I.GetLoginProfileCommand({ UserName: 'web' }))).LoginProfile!.PasswordResetRequired).toBe(false);
    expect((await failure(c.send(new I.DeleteUserCommand({ UserName: 'web' })))).message).toBe('Cannot delete entity, must delete login profile first.');
    await c.send(new I.DeleteLoginProfileCommand({ UserName: 'web' }));
    expect(await failure(c.send(new I.GetLoginProfileCommand({ UserName: 'web' })))).toEqual({ name: 'NoSuchEntityException', message: 'Login Profile for User web cannot be found.', status: 404 });
    await c.send(new I.DeleteAccountPasswordPolicyCommand({}));
    expect((await failure(c.send(new I.GetAccountPasswordPolicyCommand({})))).name).toBe('NoSuchEntityException');
    const summary = await c.send(new I.GetAccountSummaryCommand({}));
    expect(summary.SummaryMap).toMatchObject({ Users: 1, Roles: 0, Groups: 0, AccessKeysPerUserQuota: 2 });
  });
});
