// covers: sts.AssumeRoot sts.GetCallerIdentity iam.EnableOrganizationsRootSessions iam.DisableOrganizationsRootSessions iam.CreateUser iam.CreateAccessKey iam.AttachUserPolicy organizations.CreateOrganization organizations.InviteAccountToOrganization organizations.AcceptHandshake organizations.EnableAWSServiceAccess organizations.RegisterDelegatedAdministrator s3.CreateBucket s3.PutBucketPolicy s3.DeleteBucketPolicy s3.ListBuckets sqs.ListQueues
/**
 * AssumeRoot under iamEnforcement=enforce: a privileged session as a member account's root user,
 * only with centralized root access (RootSessions) enabled, only for IAM principals of the
 * management account or IAM's delegated administrator, limited by the root task policy.
 */
import { describe, test, expect, beforeAll } from 'vitest';
import * as O from '@aws-sdk/client-organizations';
import { IAMClient, EnableOrganizationsRootSessionsCommand, DisableOrganizationsRootSessionsCommand, CreateUserCommand, CreateAccessKeyCommand, AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRootCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { S3Client, CreateBucketCommand, PutBucketPolicyCommand, DeleteBucketPolicyCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { useGureum, clientConfig, failure } from '../../helpers.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const ctx = useGureum({ freezeClock: true, config: { iamEnforcement: 'enforce' } });
const root = (account: string): Creds => ({ accessKeyId: account, secretAccessKey: 'x' });
const cfg = (c: Creds) => clientConfig(ctx.g, { credentials: c });
const org = (account: string) => new O.OrganizationsClient(cfg(root(account)));
const MGMT = '500000000001';
const MEMBER = '500000000002';
const ADMIN = '500000000003';
const S3_UNLOCK = { arn: 'arn:aws:iam::aws:policy/root-task/S3UnlockBucketPolicy' };

/** An IAM user with AdministratorAccess in `account`. */
async function admin(account: string): Promise<Creds> {
  const iam = new IAMClient(cfg(root(account)));
  await iam.send(new CreateUserCommand({ UserName: 'ops' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'ops', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'ops' }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

let ops: Creds;

beforeAll(async () => {
  await org(MGMT).send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  for (const id of [MEMBER, ADMIN]) {
    const h = (await org(MGMT).send(new O.InviteAccountToOrganizationCommand({ Target: { Id: id, Type: 'ACCOUNT' } }))).Handshake!;
    await org(id).send(new O.AcceptHandshakeCommand({ HandshakeId: h.Id }));
  }
  ops = await admin(MGMT);
});

describe('AssumeRoot', () => {
  test('refused until root sessions are enabled for the organization', async () => {
    const denied = await failure(new STSClient(cfg(ops)).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403, message: expect.stringContaining('sts:AssumeRoot') });
    await org(MGMT).send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
    await new IAMClient(cfg(root(MGMT))).send(new EnableOrganizationsRootSessionsCommand({}));
  });

  test('a root session in the member account: GetCallerIdentity, 900 s by default, the task policy limits it', async () => {
    const out = await new STSClient(cfg(ops)).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK }));
    const c = out.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA/);
    expect(c.Expiration!.getTime() - ctx.g.clock.now().getTime()).toBeGreaterThan(899_000);
    expect(c.Expiration!.getTime() - ctx.g.clock.now().getTime()).toBeLessThanOrEqual(900_000);
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    expect(await new STSClient(cfg(session)).send(new GetCallerIdentityCommand({}))).toMatchObject({ Account: MEMBER, Arn: `arn:aws:iam::${MEMBER}:root`, UserId: MEMBER });

    // the member's bucket with a policy that locks everyone out of it
    const s3member = new S3Client({ ...cfg(root(MEMBER)), forcePathStyle: true });
    await s3member.send(new CreateBucketCommand({ Bucket: 'locked-out' }));
    await s3member.send(new PutBucketPolicyCommand({ Bucket: 'locked-out', Policy: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::locked-out/*' }] }) }));
    const s3 = new S3Client({ ...cfg(session), forcePathStyle: true });
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'locked-out' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets!.map((b) => b.Name)).toContain('locked-out');
    // anything the task policy does not name is denied
    const sqs = await failure(new SQSClient(cfg(session)).send(new ListQueuesCommand({})));
    expect(sqs).toMatchObject({ status: 403, message: expect.stringContaining(`arn:aws:iam::${MEMBER}:root is not authorized to perform: sqs:ListQueues`) });
    const bucket = await failure(s3.send(new CreateBucketCommand({ Bucket: 'new-one' })));
    expect(bucket.status).toBe(403);
  });

  test('who may call it, for whom, with which policy and duration', async () => {
    const sts = new STSClient(cfg(ops));
    expect(await failure(new STSClient(cfg(root(MGMT))).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK })))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('root user credentials') });
    expect(await failure(sts.send(new AssumeRootCommand({ TargetPrincipal: MGMT, TaskPolicyArn: S3_UNLOCK })))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('management account') });
    expect(await failure(sts.send(new AssumeRootCommand({ TargetPrincipal: '599999999999', TaskPolicyArn: S3_UNLOCK })))).toMatchObject({ name: 'AccessDenied' });
    expect(await failure(sts.send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: { arn: 'arn:aws:iam::aws:policy/AdministratorAccess' } })))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await failure(sts.send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK, DurationSeconds: 901 })))).toMatchObject({ name: 'ValidationError' });
    const short = await sts.send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK, DurationSeconds: 60, MinimumSessionTokenSize: 2048 }));
    expect(short.Credentials!.Expiration!.getTime() - Math.floor(ctx.g.clock.now().getTime() / 1000) * 1000).toBe(60_000);
    expect(short.SessionTokenSize).toBe(short.Credentials!.SessionToken!.length);
    expect(short.SessionTokenSize).toBeGreaterThanOrEqual(2048);

    // a member account that is not IAM's delegated administrator may not; once registered it may
    const other = await admin(ADMIN);
    expect(await failure(new STSClient(cfg(other)).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK })))).toMatchObject({ name: 'AccessDenied' });
    await org(MGMT).send(new O.RegisterDelegatedAdministratorCommand({ AccountId: ADMIN, ServicePrincipal: 'iam.amazonaws.com' }));
    expect((await new STSClient(cfg(other)).send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK }))).Credentials).toBeDefined();

    await new IAMClient(cfg(root(MGMT))).send(new DisableOrganizationsRootSessionsCommand({}));
    expect(await failure(sts.send(new AssumeRootCommand({ TargetPrincipal: MEMBER, TaskPolicyArn: S3_UNLOCK })))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('root sessions are not enabled') });
  });
});
