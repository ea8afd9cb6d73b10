// covers: sts.GetCallerIdentity sts.AssumeRole sts.GetSessionToken sts.GetAccessKeyInfo iam.CreateRole iam.CreateUser iam.CreateAccessKey iam.UpdateAccessKey iam.GetAccessKeyLastUsed iam.ListAccessKeys iam.DeleteAccessKey iam.GetRole iam.GetUser
import { describe, test, expect, beforeAll } from 'vitest';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, GetSessionTokenCommand, GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import { EC2Client, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { IAMClient, CreateRoleCommand, CreateUserCommand, CreateAccessKeyCommand, UpdateAccessKeyCommand, GetAccessKeyLastUsedCommand, ListAccessKeysCommand, DeleteAccessKeyCommand, GetRoleCommand, GetUserCommand } from '@aws-sdk/client-iam';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3, failure } from '../helpers.js';

const ctx = useGureum();
const sts = (extra: Record<string, unknown> = {}) => new STSClient(clientConfig(ctx.g, extra));
const withKeys = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) =>
  sts({ credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });

/** IAM in `account` (a 12-digit access key id is that account). */
const iam = (account: string) => new IAMClient(clientConfig(ctx.g, { credentials: { accessKeyId: account, secretAccessKey: 'x' } }));
const trust = (principal: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole', ...extra }] });
/** A role in `account` trusting the default account's root (or `principal`). */
async function role(account: string, name: string, opts: { path?: string; principal?: unknown; max?: number; doc?: string } = {}) {
  const out = await iam(account).send(
    new CreateRoleCommand({ RoleName: name, Path: opts.path, AssumeRolePolicyDocument: opts.doc ?? trust(opts.principal ?? { AWS: 'arn:aws:iam::000000000000:root' }), MaxSessionDuration: opts.max }),
  );
  return out.Role!;
}

beforeAll(async () => {
  await role('444455556666', 'Deployer', { path: '/app/', max: 43200 });
  for (const n of ['Chain', 'R', 'Short', 'Other']) await role('444455556666', n, { max: 43200 });
  await role('777788889999', 'Next', { principal: { AWS: 'arn:aws:iam::444455556666:role/Chain' } });
  await role('123456789012', 'Cli', { principal: { AWS: '000000000000' }, max: 3600 });
  await role('999988887777', 'Py', { principal: '*' });
});

describe('GetCallerIdentity', () => {
  test('a plain key is the default account root', async () => {
    const out = await sts().send(new GetCallerIdentityCommand({}));
    expect(out).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root', UserId: '000000000000' });
  });

  test('a 12-digit access key id is that account', async () => {
    const out = await sts({ credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }).send(new GetCallerIdentityCommand({}));
    expect(out.Account).toBe('111122223333');
    expect(out.Arn).toBe('arn:aws:iam::111122223333:root');
  });
});

describe('AssumeRole', () => {
  test('issues temporary credentials in the role account; the key maps back to it', async () => {
    const now = ctx.g.clock.now().getTime();
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/app/Deployer', RoleSessionName: 'ci-run' }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(c.SecretAccessKey!.length).toBe(40);
    expect(c.SessionToken!.length).toBeGreaterThan(100);
    const ttl = c.Expiration!.getTime() - now;
    expect(ttl).toBeGreaterThan(3600_000 - 2000);
    expect(ttl).toBeLessThanOrEqual(3600_000 + 1000);
    expect(out.AssumedRoleUser!.Arn).toBe('arn:aws:sts::444455556666:assumed-role/Deployer/ci-run');
    const roleId = (await iam('444455556666').send(new GetRoleCommand({ RoleName: 'Deployer' }))).Role!.RoleId;
    expect(out.AssumedRoleUser!.AssumedRoleId).toBe(`${roleId}:ci-run`);

    const who = await withKeys(c).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: '444455556666', Arn: 'arn:aws:sts::444455556666:assumed-role/Deployer/ci-run', UserId: out.AssumedRoleUser!.AssumedRoleId });

    const info = await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: c.AccessKeyId! }));
    expect(info.Account).toBe('444455556666');
  });

  test('the role id is stable across sessions; chained assumption works', async () => {
    const a = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/Chain', RoleSessionName: 'one' }));
    const b = await withKeys(a.Credentials!).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::777788889999:role/Next', RoleSessionName: 'two' }));
    const again = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/Chain', RoleSessionName: 'three' }));
    expect(a.AssumedRoleUser!.AssumedRoleId!.split(':')[0]).toBe(again.AssumedRoleUser!.AssumedRoleId!.split(':')[0]);
    const who = await withKeys(b.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe('arn:aws:sts::777788889999:assumed-role/Next/two');
  });

  test('DurationSeconds: 900 and 43200 are the limits', async () => {
    const now = ctx.g.clock.now().getTime();
    const short = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/R', RoleSessionName: 's1', DurationSeconds: 900 }));
    expect(Math.round((short.Credentials!.Expiration!.getTime() - now) / 1000)).toBeGreaterThanOrEqual(899);
    expect(Math.round((short.Credentials!.Expiration!.getTime() - now) / 1000)).toBeLessThanOrEqual(901);
    const tooShort = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/R', RoleSessionName: 's1', DurationSeconds: 899 })));
    expect(tooShort).toMatchObject({
      name: 'ValidationError',
      status: 400,
      message: "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900",
    });
    const tooLong = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/R', RoleSessionName: 's1', DurationSeconds: 43201 })));
    expect(tooLong.message).toBe("1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200");
  });

  test('RoleSessionName and RoleArn are validated with AWS messages', async () => {
    const bad = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/R', RoleSessionName: 'has space' })));
    expect(bad).toMatchObject({
      name: 'ValidationError',
      message: "1 validation error detected: Value 'has space' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
    });
    const two = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:short', RoleSessionName: 'x' })));
    expect(two.message).toMatch(/^2 validation errors detected: Value 'arn:short' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20; Value 'x' at 'roleSessionName'/);
    const notRole = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:user/alice', RoleSessionName: 'ok' })));
    expect(notRole).toMatchObject({ name: 'ValidationError', message: 'Request ARN is invalid', status: 400 });
  });

  test('a session policy that is not JSON is MalformedPolicyDocument', async () => {
    const e = await failure(sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/R', RoleSessionName: 'pol', Policy: '{not json' })));
    expect(e.name).toBe('MalformedPolicyDocumentException');
    expect(e.status).toBe(400);
  });

  test('expired session credentials get ExpiredToken (403)', async () => {
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/Short', RoleSessionName: 'exp', DurationSeconds: 3600 }));
    const client = withKeys(out.Credentials!);
    expect((await client.send(new GetCallerIdentityCommand({}))).Account).toBe('444455556666');
    ctx.g.clock.advance('2h');
    const e = await failure(client.send(new GetCallerIdentityCommand({})));
    expect(e).toMatchObject({ name: 'ExpiredToken', message: 'The security token included in the request is expired', status: 403 });
  });

  test('expired credentials are refused by every service, not only STS', async () => {
    const out = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/Other', RoleSessionName: 'exp2', DurationSeconds: 900 }));
    const c = out.Credentials!;
    const ec2 = new EC2Client(clientConfig(ctx.g, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } }));
    expect((await ec2.send(new DescribeRegionsCommand({}))).Regions!.length).toBeGreaterThan(10);
    ctx.g.clock.advance('16m');
    const e = await failure(ec2.send(new DescribeRegionsCommand({})));
    expect(e).toMatchObject({ name: 'ExpiredToken', status: 403 });
  });
});

describe('AssumeRole with IAM: existence, trust policy, durations', () => {
  const denied = (caller: string, roleArn: string) => ({ name: 'AccessDenied', status: 403, message: `User: ${caller} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}` });

  test('a role that does not exist (or whose path differs) is AccessDenied', async () => {
    const arn = 'arn:aws:iam::555500000001:role/Missing';
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'nope' })))).toEqual(denied('arn:aws:iam::000000000000:root', arn));
    const wrongPath = 'arn:aws:iam::444455556666:role/Deployer';
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: wrongPath, RoleSessionName: 'nope' })))).toEqual(denied('arn:aws:iam::000000000000:root', wrongPath));
  });

  test('principals: account id, root ARN, "*", user and role ARNs; Service principals are not callers', async () => {
    const r1 = await role('555500000002', 'ByAccount', { principal: { AWS: '000000000000' } });
    expect((await sts().send(new AssumeRoleCommand({ RoleArn: r1.Arn!, RoleSessionName: 'a1' }))).AssumedRoleUser!.Arn).toBe('arn:aws:sts::555500000002:assumed-role/ByAccount/a1');
    const r2 = await role('555500000002', 'ForLambda', { principal: { Service: 'lambda.amazonaws.com' } });
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: r2.Arn!, RoleSessionName: 'a2' })))).toEqual(denied('arn:aws:iam::000000000000:root', r2.Arn!));
    const r3 = await role('555500000002', 'OtherAccount', { principal: { AWS: ['arn:aws:iam::111111111111:root'] } });
    expect((await failure(sts().send(new AssumeRoleCommand({ RoleArn: r3.Arn!, RoleSessionName: 'a3' })))).name).toBe('AccessDenied');
    // the other account's root is allowed
    const other = sts({ credentials: { accessKeyId: '111111111111', secretAccessKey: 'x' } });
    expect((await other.send(new AssumeRoleCommand({ RoleArn: r3.Arn!, RoleSessionName: 'a3' }))).AssumedRoleUser!.Arn).toBe('arn:aws:sts::555500000002:assumed-role/OtherAccount/a3');
    // a role session is matched by its role's ARN (Next trusts role Chain only)
    const chain = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/Chain', RoleSessionName: 'c1' }));
    expect((await withKeys(chain.Credentials!).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::777788889999:role/Next', RoleSessionName: 'n1' }))).AssumedRoleUser!.Arn).toBe('arn:aws:sts::777788889999:assumed-role/Next/n1');
    const viaR = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/R', RoleSessionName: 'r1' }));
    expect(await failure(withKeys(viaR.Credentials!).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::777788889999:role/Next', RoleSessionName: 'n2' })))).toEqual(
      denied('arn:aws:sts::444455556666:assumed-role/R/r1', 'arn:aws:iam::777788889999:role/Next'),
    );
  });

  test('conditions: sts:ExternalId (StringEquals); an explicit Deny wins', async () => {
    const r = await role('555500000003', 'Vendor', { doc: trust({ AWS: '000000000000' }, { Condition: { StringEquals: { 'sts:ExternalId': 'secret-42' } } }) });
    expect((await failure(sts().send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'v1' })))).name).toBe('AccessDenied');
    expect((await failure(sts().send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'v1', ExternalId: 'secret-41' })))).name).toBe('AccessDenied');
    expect((await sts().send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'v1', ExternalId: 'secret-42' }))).AssumedRoleUser!.Arn).toBe('arn:aws:sts::555500000003:assumed-role/Vendor/v1');
    const doc = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:*' },
        { Effect: 'Deny', Principal: { AWS: '*' }, Action: 'sts:AssumeRole', Condition: { StringLike: { 'sts:RoleSessionName': 'blocked-*' } } },
      ],
    });
    const d = await role('555500000003', 'Guarded', { doc });
    expect((await sts().send(new AssumeRoleCommand({ RoleArn: d.Arn!, RoleSessionName: 'fine' }))).AssumedRoleUser).toBeDefined();
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: d.Arn!, RoleSessionName: 'blocked-1' })))).toEqual(denied('arn:aws:iam::000000000000:root', d.Arn!));
  });

  test('DurationSeconds: the role MaxSessionDuration; one hour when chaining', async () => {
    const r = await role('555500000004', 'TwoHours', { max: 7200 });
    const now = ctx.g.clock.now().getTime();
    const ok = await sts().send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'd1', DurationSeconds: 7200 }));
    expect(Math.round((ok.Credentials!.Expiration!.getTime() - now) / 1000)).toBeGreaterThanOrEqual(7199);
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'd1', DurationSeconds: 7201 })))).toEqual({
      name: 'ValidationError',
      status: 400,
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
    const chain = await sts().send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::444455556666:role/Chain', RoleSessionName: 'c2' }));
    const e = await failure(withKeys(chain.Credentials!).send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::777788889999:role/Next', RoleSessionName: 'n3', DurationSeconds: 3601 })));
    expect(e.message).toBe('The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  });

  test('RoleLastUsed records the last AssumeRole', async () => {
    const r = await role('555500000005', 'Tracked');
    expect((await iam('555500000005').send(new GetRoleCommand({ RoleName: 'Tracked' }))).Role!.RoleLastUsed).toEqual({});
    await sts({ region: 'eu-central-1' }).send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'track' }));
    const used = (await iam('555500000005').send(new GetRoleCommand({ RoleName: 'Tracked' }))).Role!.RoleLastUsed!;
    expect(used.Region).toBe('eu-central-1');
    expect(Math.abs(used.LastUsedDate!.getTime() - ctx.g.clock.now().getTime())).toBeLessThan(2000);
  });
});

describe('IAM users access keys', () => {
  const account = '555500000006';
  test('GetCallerIdentity shows the user; the user can assume a role trusting it; GetUser without a name', async () => {
    const admin = iam(account);
    const user = (await admin.send(new CreateUserCommand({ UserName: 'dev', Path: '/people/' }))).User!;
    const key = (await admin.send(new CreateAccessKeyCommand({ UserName: 'dev' }))).AccessKey!;
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.SecretAccessKey).toHaveLength(40);
    expect((await sts().send(new GetAccessKeyInfoCommand({ AccessKeyId: key.AccessKeyId! }))).Account).toBe(account);
    const asUser = sts({ credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } });
    expect(await asUser.send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: account, Arn: 'arn:aws:iam::555500000006:user/people/dev', UserId: user.UserId });
    const userIam = new IAMClient(clientConfig(ctx.g, { credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));
    expect((await userIam.send(new GetUserCommand({}))).User).toMatchObject({ UserName: 'dev', Arn: user.Arn });

    const r = await role(account, 'ForDev', { principal: { AWS: user.Arn } });
    const assumed = await asUser.send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'dev-session' }));
    expect(assumed.AssumedRoleUser!.Arn).toBe('arn:aws:sts::555500000006:assumed-role/ForDev/dev-session');
    expect(await failure(sts().send(new AssumeRoleCommand({ RoleArn: r.Arn!, RoleSessionName: 'root-session' })))).toMatchObject({ name: 'AccessDenied' });

    const token = await asUser.send(new GetSessionTokenCommand({ DurationSeconds: 7200 }));
    expect(await withKeys(token.Credentials!).send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: user.Arn, UserId: user.UserId });
  });

  test('two keys per user; Inactive and deleted keys are refused; last use is recorded', async () => {
    const admin = iam(account);
    await admin.send(new CreateUserCommand({ UserName: 'ops' }));
    const k1 = (await admin.send(new CreateAccessKeyCommand({ UserName: 'ops' }))).AccessKey!;
    const k2 = (await admin.send(new CreateAccessKeyCommand({ UserName: 'ops' }))).AccessKey!;
    expect(await failure(admin.send(new CreateAccessKeyCommand({ UserName: 'ops' })))).toEqual({ name: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2', status: 409 });
    const listed = await admin.send(new ListAccessKeysCommand({ UserName: 'ops' }));
    expect(listed.AccessKeyMetadata!.map((k) => [k.AccessKeyId, k.Status, k.UserName])).toEqual([[k1.AccessKeyId, 'Active', 'ops'], [k2.AccessKeyId, 'Active', 'ops']]);

    expect(await admin.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKeyId! }))).toMatchObject({ UserName: 'ops', AccessKeyLastUsed: { Region: 'N/A', ServiceName: 'N/A' } });
    const c1 = sts({ region: 'ap-northeast-2', credentials: { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! } });
    await c1.send(new GetCallerIdentityCommand({}));
    const last = (await admin.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: k1.AccessKeyId! }))).AccessKeyLastUsed!;
    expect(last).toMatchObject({ Region: 'ap-northeast-2', ServiceName: 'sts' });
    expect(last.LastUsedDate).toBeInstanceOf(Date);

    await admin.send(new UpdateAccessKeyCommand({ UserName: 'ops', AccessKeyId: k1.AccessKeyId!, Status: 'Inactive' }));
    expect(await failure(c1.send(new GetCallerIdentityCommand({})))).toEqual({ name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.', status: 403 });
    const ec2 = new EC2Client(clientConfig(ctx.g, { credentials: { accessKeyId: k1.AccessKeyId!, secretAccessKey: k1.SecretAccessKey! } }));
    expect((await failure(ec2.send(new DescribeRegionsCommand({})))).name).toBe('InvalidClientTokenId');
    await admin.send(new DeleteAccessKeyCommand({ UserName: 'ops', AccessKeyId: k2.AccessKeyId! }));
    const c2 = sts({ credentials: { accessKeyId: k2.AccessKeyId!, secretAccessKey: k2.SecretAccessKey! } });
    expect((await failure(c2.send(new GetCallerIdentityCommand({})))).name).toBe('InvalidClientTokenId');
    expect(await failure(admin.send(new DeleteAccessKeyCommand({ UserName: 'ops', AccessKeyId: k2.AccessKeyId! })))).toEqual({ name: 'NoSuchEntityException', message: `The Access Key with id ${k2.AccessKeyId} cannot be found.`, status: 404 });
  });
});

describe('GetSessionToken', () => {
  test('session credentials keep the caller identity; root is capped at one hour', async () => {
    const now = ctx.g.clock.now().getTime();
    const out = await sts({ credentials: { accessKeyId: '222233334444', secretAccessKey: 'x' } }).send(new GetSessionTokenCommand({}));
    expect(out.Credentials!.Expiration!.getTime() - now).toBeLessThanOrEqual(3600_000 + 1000);
    const who = await withKeys(out.Credentials!).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: '222233334444', Arn: 'arn:aws:iam::222233334444:root' });
    const e = await failure(withKeys(out.Credentials!).send(new GetSessionTokenCommand({})));
    expect(e).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('aws sts get-caller-identity', async () => {
    const r = await awsCli(ctx.g, ['sts', 'get-caller-identity']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ Account: '000000000000', Arn: 'arn:aws:iam::000000000000:root' });
  });

  test('aws sts assume-role', async () => {
    const r = await awsCli(ctx.g, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::123456789012:role/Cli', '--role-session-name', 'cli', '--duration-seconds', '1800']);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as { Credentials: { AccessKeyId: string; Expiration: string }; AssumedRoleUser: { Arn: string } };
    expect(out.AssumedRoleUser.Arn).toBe('arn:aws:sts::123456789012:assumed-role/Cli/cli');
    expect(out.Credentials.AccessKeyId).toMatch(/^ASIA/);
    expect(Date.parse(out.Credentials.Expiration)).toBeGreaterThan(ctx.g.clock.now().getTime() + 1700_000);
  });

  test('CLI error for an invalid duration', async () => {
    const r = await awsCli(ctx.g, ['sts', 'assume-role', '--role-arn', 'arn:aws:iam::123456789012:role/Cli', '--role-session-name', 'cli', '--duration-seconds', '100000']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(ValidationError)');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('assume_role then get_caller_identity with the new credentials', async () => {
    const r = await boto3(
      ctx.g,
      `
sts = boto3.client('sts', endpoint_url=ENDPOINT, region_name='us-east-1')
c = sts.assume_role(RoleArn='arn:aws:iam::999988887777:role/Py', RoleSessionName='py')['Credentials']
s2 = boto3.client('sts', endpoint_url=ENDPOINT, region_name='eu-west-1', aws_access_key_id=c['AccessKeyId'], aws_secret_access_key=c['SecretAccessKey'], aws_session_token=c['SessionToken'])
who = s2.get_caller_identity()
print(json.dumps({'Account': who['Account'], 'Arn': who['Arn'], 'exp': c['Expiration'].isoformat()}))
`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ Account: '999988887777', Arn: 'arn:aws:sts::999988887777:assumed-role/Py/py' });
  });
});
