// covers: sts.GetCallerIdentity sts.AssumeRole sts.GetSessionToken sts.GetAccessKeyInfo
import { describe, test, expect } from 'vitest';
import { STSClient, GetCallerIdentityCommand, AssumeRoleCommand, GetSessionTokenCommand, GetAccessKeyInfoCommand } from '@aws-sdk/client-sts';
import { EC2Client, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const ctx = useGureum();
const sts = (extra: Record<string, unknown> = {}) => new STSClient(clientConfig(ctx.g, extra));
const withKeys = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }) =>
  sts({ credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } });

async function failure(p: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected the call to fail');
}

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
    expect(out.AssumedRoleUser!.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:ci-run$/);

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
