// covers: iam.CreateRole iam.GetRole iam.ListRoles iam.ListPolicies iam.CreateUser iam.CreateAccessKey iam.ListAccessKeys iam.GetUser iam.CreatePolicy iam.GetPolicyVersion iam.AttachRolePolicy iam.ListAttachedRolePolicies sts.GetCallerIdentity sts.AssumeRole
/** IAM through the AWS CLI and boto3: both URL-decode policy documents into JSON objects. */
import { describe, test, expect } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useGureum, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const ctx = useGureum();
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:root' }, Action: 'sts:AssumeRole' }] };

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('aws iam create-role --assume-role-policy-document file://…, get-role, list-roles, attach, errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gureum-iam-'));
    const file = join(dir, 'trust.json');
    writeFileSync(file, JSON.stringify(TRUST, null, 2));
    const created = await awsCli(ctx.g, ['iam', 'create-role', '--role-name', 'cli-role', '--path', '/cli/', '--description', 'from the CLI', '--assume-role-policy-document', `file://${file}`]);
    expect(created.status, created.stderr).toBe(0);
    const role = (created.json as { Role: Record<string, unknown> }).Role;
    expect(role).toMatchObject({ RoleName: 'cli-role', Path: '/cli/', Arn: 'arn:aws:iam::000000000000:role/cli/cli-role', Description: 'from the CLI', MaxSessionDuration: 3600, AssumeRolePolicyDocument: TRUST });
    expect(role.RoleId).toMatch(/^AROA[A-Z2-7]{17}$/);

    const got = await awsCli(ctx.g, ['iam', 'get-role', '--role-name', 'cli-role']);
    expect(got.status, got.stderr).toBe(0);
    expect((got.json as { Role: Record<string, unknown> }).Role).toMatchObject({ AssumeRolePolicyDocument: TRUST, RoleLastUsed: {} });

    await awsCli(ctx.g, ['iam', 'create-role', '--role-name', 'another', '--assume-role-policy-document', JSON.stringify(TRUST)]);
    const list = await awsCli(ctx.g, ['iam', 'list-roles']);
    expect(list.status, list.stderr).toBe(0);
    expect((list.json as { Roles: { RoleName: string }[] }).Roles.map((r) => r.RoleName)).toEqual(['another', 'cli-role']);

    const attach = await awsCli(ctx.g, ['iam', 'attach-role-policy', '--role-name', 'cli-role', '--policy-arn', 'arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(attach.status, attach.stderr).toBe(0);
    const attached = await awsCli(ctx.g, ['iam', 'list-attached-role-policies', '--role-name', 'cli-role']);
    expect(attached.json).toEqual({ AttachedPolicies: [{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] });

    const aws = await awsCli(ctx.g, ['iam', 'list-policies', '--scope', 'AWS']);
    expect(aws.status, aws.stderr).toBe(0);
    const names = (aws.json as { Policies: { PolicyName: string }[] }).Policies.map((p) => p.PolicyName);
    expect(names).toEqual(expect.arrayContaining(['AdministratorAccess', 'PowerUserAccess', 'ReadOnlyAccess']));

    const missing = await awsCli(ctx.g, ['iam', 'get-role', '--role-name', 'nope']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('An error occurred (NoSuchEntity) when calling the GetRole operation: The role with name nope cannot be found.');

    const assumed = await awsCli(ctx.g, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::000000000000:role/cli/cli-role', '--role-session-name', 'cli']);
    expect(assumed.status, assumed.stderr).toBe(0);
    expect((assumed.json as { AssumedRoleUser: { Arn: string } }).AssumedRoleUser.Arn).toBe('arn:aws:sts::000000000000:assumed-role/cli-role/cli');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('users and access keys; the keys identify the user; policy documents come back as dicts', async () => {
    const r = await boto3(
      ctx.g,
      `
iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='us-east-1')
u = iam.create_user(UserName='py-user', Path='/py/')['User']
k = iam.create_access_key(UserName='py-user')['AccessKey']
keys = iam.list_access_keys(UserName='py-user')['AccessKeyMetadata']
doc = {'Version': '2012-10-17', 'Statement': [{'Effect': 'Allow', 'Action': 's3:ListBucket', 'Resource': '*'}]}
p = iam.create_policy(PolicyName='py-policy', PolicyDocument=json.dumps(doc))['Policy']
v = iam.get_policy_version(PolicyArn=p['Arn'], VersionId='v1')['PolicyVersion']
session = dict(endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id=k['AccessKeyId'], aws_secret_access_key=k['SecretAccessKey'])
who = boto3.client('sts', **session).get_caller_identity()
me = boto3.client('iam', **session).get_user()['User']
try:
    iam.create_user(UserName='py-user')
    err = None
except iam.exceptions.EntityAlreadyExistsException as e:
    err = e.response['Error']
print(json.dumps({'user': u['Arn'], 'userId': u['UserId'], 'keyUser': k['UserName'], 'keys': [x['AccessKeyId'] for x in keys], 'key': k['AccessKeyId'],
  'doc': v['Document'], 'who': {'Account': who['Account'], 'Arn': who['Arn'], 'UserId': who['UserId']}, 'me': me['UserName'], 'err': err}))
`,
    );
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as Record<string, unknown> & { key: string; userId: string };
    expect(out).toMatchObject({
      user: 'arn:aws:iam::000000000000:user/py/py-user',
      keyUser: 'py-user',
      keys: [out.key],
      doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:ListBucket', Resource: '*' }] },
      who: { Account: '000000000000', Arn: 'arn:aws:iam::000000000000:user/py/py-user', UserId: out.userId },
      me: 'py-user',
      err: { Type: 'Sender', Code: 'EntityAlreadyExists', Message: 'User with name py-user already exists.' },
    });
  });
});
