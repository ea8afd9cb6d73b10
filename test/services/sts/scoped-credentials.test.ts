// covers: sts.GetScopedCredentials sts.AssumeRole sts.GetCallerIdentity iam.CreateRole iam.PutRolePolicy iam.CreateUser iam.CreateAccessKey iam.PutUserPolicy sqs.ListQueues s3.ListBuckets
/**
 * GetScopedCredentials under iamEnforcement=enforce: the same identity with fewer permissions
 * (every scope-down layer must allow), never longer-lived than the calling session.
 */
import { describe, test, expect, beforeAll } from 'vitest';
import { IAMClient, CreateRoleCommand, PutRolePolicyCommand, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetScopedCredentialsCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { S3Client, ListBucketsCommand } from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure } from '../../helpers.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true, config: { iamEnforcement: 'enforce' } });
const cfg = (c?: Creds) => clientConfig(ctx.g, c ? { credentials: c } : {});
const creds = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): Creds => ({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken });
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const canSqs = async (c: Creds) => !(await new SQSClient(cfg(c)).send(new ListQueuesCommand({})).then(() => undefined, (e: Error) => e));
const canS3 = async (c: Creds) => !(await new S3Client({ ...cfg(c), forcePathStyle: true }).send(new ListBucketsCommand({})).then(() => undefined, (e: Error) => e));

let session: Creds;
let sessionExpires: Date;

beforeAll(async () => {
  const iam = new IAMClient(cfg());
  await iam.send(new CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }) }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'app', PolicyName: 'p', PolicyDocument: policy({ Effect: 'Allow', Action: ['sqs:*', 's3:*', 'sts:*'], Resource: '*' }) }));
  const out = await new STSClient(cfg()).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/app`, RoleSessionName: 'worker', DurationSeconds: 3600 }));
  session = creds(out.Credentials!);
  sessionExpires = out.Credentials!.Expiration!;
});

describe('GetScopedCredentials', () => {
  test('same identity, narrowed by the scope-down policy', async () => {
    expect(await canSqs(session)).toBe(true);
    expect(await canS3(session)).toBe(true);
    const out = await new STSClient(cfg(session)).send(new GetScopedCredentialsCommand({ Policy: policy({ Effect: 'Allow', Action: ['sqs:ListQueues', 'sts:*'], Resource: '*' }), ScopedSessionDescription: 'queues only' }));
    expect(out.ScopedPoliciesCount).toBe(1);
    expect(out.SessionInfo).toEqual({ ScopedSessionId: expect.stringMatching(/^AROA[A-Z2-7]+:worker$/), Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/app/worker` });
    expect(out.Credentials!.Expiration).toEqual(sessionExpires);
    const scoped = creds(out.Credentials!);
    expect((await new STSClient(cfg(scoped)).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/app/worker`);
    expect(await canSqs(scoped)).toBe(true);
    const denied = await failure(new S3Client({ ...cfg(scoped), forcePathStyle: true }).send(new ListBucketsCommand({})));
    expect(denied).toMatchObject({ status: 403 });

    // a second layer narrows further; it cannot widen (s3 stays denied even if the layer allows it)
    const second = creds((await new STSClient(cfg(scoped)).send(new GetScopedCredentialsCommand({ Policy: policy({ Effect: 'Allow', Action: ['s3:*', 'sts:*'], Resource: '*' }) }))).Credentials!);
    expect(await canSqs(second)).toBe(false);
    expect(await canS3(second)).toBe(false);
  });

  test('at most three layers; shorter lives only; never for IAM user or root credentials', async () => {
    const sts = (c: Creds) => new STSClient(cfg(c));
    const allowAll = policy({ Effect: 'Allow', Action: '*', Resource: '*' });
    let c = session;
    for (let i = 1; i <= 3; i++) {
      const out = await sts(c).send(new GetScopedCredentialsCommand({ Policy: allowAll }));
      expect(out.ScopedPoliciesCount).toBe(i);
      c = creds(out.Credentials!);
    }
    expect(await failure(sts(c).send(new GetScopedCredentialsCommand({ Policy: allowAll })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    // a shorter life without another layer is still possible
    const shorter = await sts(c).send(new GetScopedCredentialsCommand({ DurationSeconds: 60 }));
    expect(shorter.ScopedPoliciesCount).toBe(3);
    expect(shorter.Credentials!.Expiration!.getTime() - Math.floor(ctx.g.clock.now().getTime() / 1000) * 1000).toBe(60_000);
    ctx.g.clock.advance('61s');
    expect((await failure(new SQSClient(cfg(creds(shorter.Credentials!))).send(new ListQueuesCommand({})))).name).toBe('ExpiredToken');

    const tooLong = await failure(sts(session).send(new GetScopedCredentialsCommand({ DurationSeconds: 7200 })));
    expect(tooLong).toMatchObject({ name: 'InsufficientSessionLifetimeException', status: 400 });
    expect(await failure(sts(session).send(new GetScopedCredentialsCommand({})))).toMatchObject({ name: 'ValidationError' });
    expect(await failure(sts(session).send(new GetScopedCredentialsCommand({ Policy: '{"nope":' })))).toMatchObject({ name: 'MalformedPolicyDocumentException' });

    const iam = new IAMClient(cfg());
    await iam.send(new CreateUserCommand({ UserName: 'u' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'u', PolicyName: 'sts', PolicyDocument: policy({ Effect: 'Allow', Action: 'sts:*', Resource: '*' }) }));
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'u' }))).AccessKey!;
    expect(await failure(sts({ accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }).send(new GetScopedCredentialsCommand({ DurationSeconds: 60 })))).toMatchObject({ name: 'InvalidSubjectCredentialsException', status: 400 });
    expect(await failure(new STSClient(cfg()).send(new GetScopedCredentialsCommand({ DurationSeconds: 60 })))).toMatchObject({ name: 'InvalidSubjectCredentialsException' });
  });
});
