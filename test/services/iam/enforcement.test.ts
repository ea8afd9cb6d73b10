// covers: sts.AssumeRole sts.GetFederationToken sts.DecodeAuthorizationMessage sts.GetCallerIdentity iam.CreateUser iam.CreateAccessKey iam.PutUserPolicy iam.CreateRole iam.PutRolePolicy sqs.CreateQueue sqs.ListQueues sqs.SendMessage sqs.SetQueueAttributes kms.CreateKey kms.DescribeKey ec2.DescribeVpcs s3.CreateBucket s3.PutBucketPolicy s3.PutObject s3.GetObject organizations.CreateOrganization organizations.InviteAccountToOrganization organizations.AcceptHandshake organizations.EnablePolicyType organizations.CreatePolicy organizations.AttachPolicy organizations.ListRoots
/**
 * iamEnforcement=enforce with every kind of policy in play, through real clients: session
 * policies (AssumeRole, GetFederationToken), resource-based policies (SQS queue policies across
 * accounts, KMS key policies, S3 bucket policies), SCPs from Organizations on a member account,
 * EC2's encoded authorization message decoded by STS, and /_gureum/iam/explain.
 */
import { describe, test, expect, beforeAll } from 'vitest';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand, CreateRoleCommand, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand, GetFederationTokenCommand, DecodeAuthorizationMessageCommand } from '@aws-sdk/client-sts';
import { SQSClient, CreateQueueCommand, ListQueuesCommand, SendMessageCommand, SetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { KMSClient, CreateKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { EC2Client, DescribeVpcsCommand } from '@aws-sdk/client-ec2';
import { S3Client, CreateBucketCommand, PutBucketPolicyCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import * as O from '@aws-sdk/client-organizations';
import { useGureum, clientConfig, failure } from '../../helpers.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const A = '000000000000';
const B = '222233334444';
const ctx = useGureum({ config: { iamEnforcement: 'enforce' } });
const root = (account = A): Creds => ({ accessKeyId: account === A ? 'test' : account, secretAccessKey: 'x' });
const cfg = (c: Creds, extra: Record<string, unknown> = {}) => clientConfig(ctx.g, { credentials: c, ...extra });
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const creds = (c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string }): Creds => ({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken });

/** An IAM user in `account` with an inline policy; returns its keys. */
async function user(account: string, name: string, doc: string): Promise<Creds> {
  const iam = new IAMClient(cfg(root(account)));
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'p', PolicyDocument: doc }));
  return creds((await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!);
}

describe('session policies', () => {
  test('AssumeRole with Policy: the session may do only what both the role and the session policy allow', async () => {
    const iam = new IAMClient(cfg(root()));
    await iam.send(new CreateRoleCommand({ RoleName: 'Worker', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { AWS: A }, Action: 'sts:AssumeRole' }) }));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Worker', PolicyName: 'sqs', PolicyDocument: policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) }));
    const out = await new STSClient(cfg(root())).send(new AssumeRoleCommand({
      RoleArn: `arn:aws:iam::${A}:role/Worker`, RoleSessionName: 'narrow', Policy: policy({ Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }),
    }));
    expect(out.PackedPolicySize).toBeGreaterThan(0);
    expect(out.PackedPolicySize).toBeLessThanOrEqual(100);
    const session = new SQSClient(cfg(creds(out.Credentials!)));
    await session.send(new ListQueuesCommand({}));
    const f = await failure(session.send(new CreateQueueCommand({ QueueName: 'nope' })));
    expect(f).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(f.message).toBe(`User: arn:aws:sts::${A}:assumed-role/Worker/narrow is not authorized to perform: sqs:CreateQueue on resource: arn:aws:sqs:us-east-1:${A}:nope because no session policy allows the sqs:CreateQueue action`);
  });

  test('malformed session policies are refused', async () => {
    const f = await failure(new STSClient(cfg(root())).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${A}:role/Worker`, RoleSessionName: 'bad', Policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:*"}]}' })));
    expect(f).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
  });

  test('GetFederationToken: without a session policy nothing is allowed; with one, its intersection with the user\'s', async () => {
    const keys = await user(A, 'broker', policy({ Effect: 'Allow', Action: ['sqs:*', 'sts:GetFederationToken'], Resource: '*' }));
    const bare = await new STSClient(cfg(keys)).send(new GetFederationTokenCommand({ Name: 'app-user' }));
    expect(bare.FederatedUser).toEqual({ Arn: `arn:aws:sts::${A}:federated-user/app-user`, FederatedUserId: `${A}:app-user` });
    expect((await failure(new SQSClient(cfg(creds(bare.Credentials!))).send(new ListQueuesCommand({})))).name).toBe('AccessDenied');
    const scoped = await new STSClient(cfg(keys)).send(new GetFederationTokenCommand({ Name: 'app-user', Policy: policy({ Effect: 'Allow', Action: ['sqs:ListQueues', 's3:*'], Resource: '*' }) }));
    const fed = new SQSClient(cfg(creds(scoped.Credentials!)));
    await fed.send(new ListQueuesCommand({}));
    // s3 is in the session policy but not in the user's policy
    const s3 = await failure(new S3Client(cfg(creds(scoped.Credentials!), { forcePathStyle: true })).send(new CreateBucketCommand({ Bucket: 'fed-bucket' })));
    expect(s3).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});

describe('resource-based policies', () => {
  test('SQS across accounts: denied until the queue policy allows the other account, and then only with its identity policy too', async () => {
    const url = (await new SQSClient(cfg(root())).send(new CreateQueueCommand({ QueueName: 'shared' }))).QueueUrl!;
    const arn = `arn:aws:sqs:us-east-1:${A}:shared`;
    const bKeys = await user(B, 'sender', policy({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: arn }));
    const b = new SQSClient(cfg(bKeys));
    const denied = await failure(b.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hi' })));
    expect(denied.message).toBe(`User: arn:aws:iam::${B}:user/sender is not authorized to perform: sqs:SendMessage on resource: ${arn} because no resource-based policy allows the sqs:SendMessage action`);
    await new SQSClient(cfg(root())).send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'sqs:SendMessage', Resource: arn }) } }));
    expect((await b.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hi' }))).MessageId).toBeTruthy();
    // B's root is not limited by identity policies; a B user without an identity policy is
    const bare = await user(B, 'bare', policy({ Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }));
    expect((await failure(new SQSClient(cfg(bare)).send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).name).toBe('AccessDenied');
    await new SQSClient(cfg(root(B))).send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'from B root' }));
  });

  test('KMS: a key policy naming only another user denies even an IAM-allowed user; the default key policy delegates to IAM', async () => {
    const alice = await user(A, 'kms-alice', policy({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }));
    const bob = await user(A, 'kms-bob', policy({ Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }));
    const kms = new KMSClient(cfg(root()));
    const open = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await new KMSClient(cfg(alice)).send(new DescribeKeyCommand({ KeyId: open }));
    const closed = (await kms.send(new CreateKeyCommand({ BypassPolicyLockoutSafetyCheck: true, Policy: policy({ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/kms-bob` }, Action: 'kms:*', Resource: '*' }) }))).KeyMetadata!.KeyId!;
    const f = await failure(new KMSClient(cfg(alice)).send(new DescribeKeyCommand({ KeyId: closed })));
    expect(f).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(f.message).toContain(`on resource: arn:aws:kms:us-east-1:${A}:key/${closed}`);
    // bob has no IAM permission for KMS, but the key policy names him
    await new KMSClient(cfg(bob)).send(new DescribeKeyCommand({ KeyId: closed }));
  });

  test('S3: a bucket policy Deny wins over the identity policy; a bucket policy naming the user grants by itself', async () => {
    const s3root = new S3Client(cfg(root(), { forcePathStyle: true }));
    await s3root.send(new CreateBucketCommand({ Bucket: 'guarded' }));
    await s3root.send(new PutObjectCommand({ Bucket: 'guarded', Key: 'a.txt', Body: 'a' }));
    const carol = await user(A, 'carol', policy({ Effect: 'Allow', Action: 's3:*', Resource: '*' }));
    const dave = await user(A, 'dave', policy({ Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' }));
    await s3root.send(new PutBucketPolicyCommand({ Bucket: 'guarded', Policy: policy(
      { Sid: 'NoCarol', Effect: 'Deny', Principal: { AWS: `arn:aws:iam::${A}:user/carol` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::guarded/*' },
      { Sid: 'Dave', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/dave` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::guarded/*' },
    ) }));
    const f = await failure(new S3Client(cfg(carol, { forcePathStyle: true })).send(new GetObjectCommand({ Bucket: 'guarded', Key: 'a.txt' })));
    expect(f).toMatchObject({ name: 'AccessDenied', status: 403, message: `User: arn:aws:iam::${A}:user/carol is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::guarded/a.txt with an explicit deny in a resource-based policy` });
    const got = await new S3Client(cfg(dave, { forcePathStyle: true })).send(new GetObjectCommand({ Bucket: 'guarded', Key: 'a.txt' }));
    expect(await got.Body!.transformToString()).toBe('a');
  });
});

describe('Organizations: SCPs on a member account', () => {
  const M = '333344445555';
  beforeAll(async () => {
    const org = new O.OrganizationsClient(cfg(root()));
    await org.send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const hs = await org.send(new O.InviteAccountToOrganizationCommand({ Target: { Type: 'ACCOUNT', Id: M } }));
    await new O.OrganizationsClient(cfg(root(M))).send(new O.AcceptHandshakeCommand({ HandshakeId: hs.Handshake!.Id }));
    const rootId = (await org.send(new O.ListRootsCommand({}))).Roots![0]!.Id!;
    await org.send(new O.EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    const p = await org.send(new O.CreatePolicyCommand({ Name: 'NoQueues', Description: 'd', Type: 'SERVICE_CONTROL_POLICY', Content: policy({ Sid: 'DenySqsCreate', Effect: 'Deny', Action: 'sqs:CreateQueue', Resource: '*' }) }));
    await org.send(new O.AttachPolicyCommand({ PolicyId: p.Policy!.PolicySummary!.Id, TargetId: M }));
  });

  test('even the member account\'s root is denied what an SCP denies; the management account is not limited', async () => {
    const f = await failure(new SQSClient(cfg(root(M))).send(new CreateQueueCommand({ QueueName: 'blocked' })));
    expect(f.message).toBe(`User: arn:aws:iam::${M}:root is not authorized to perform: sqs:CreateQueue on resource: arn:aws:sqs:us-east-1:${M}:blocked with an explicit deny in a service control policy`);
    await new SQSClient(cfg(root(M))).send(new ListQueuesCommand({}));
    await new SQSClient(cfg(root())).send(new CreateQueueCommand({ QueueName: 'mgmt-ok' }));
  });

  test('/_gureum/iam/explain names the deciding SCP statement', async () => {
    const res = await fetch(`${ctx.g.endpoint}/_gureum/iam/explain`, { method: 'POST', body: JSON.stringify({ principal: M, action: 'sqs:CreateQueue', resource: `arn:aws:sqs:us-east-1:${M}:q` }) });
    const out = (await res.json()) as { allowed: boolean; decision: string; decidedBy: string; matchedStatements: { policy: string; sid: string; effect: string }[] };
    expect(out).toMatchObject({ allowed: false, decision: 'explicitDeny', decidedBy: 'scp' });
    expect(out.matchedStatements).toEqual([expect.objectContaining({ sid: 'DenySqsCreate', effect: 'Deny', policy: expect.stringContaining('NoQueues') })]);
  });
});

describe('explain and encoded authorization messages', () => {
  test('explain: an IAM user, allowed by a named statement; implicit deny with the missing permission', async () => {
    await user(A, 'eve', policy({ Sid: 'ReadQueues', Effect: 'Allow', Action: 'sqs:List*', Resource: '*' }));
    const ask = async (body: object) => (await (await fetch(`${ctx.g.endpoint}/_gureum/iam/explain`, { method: 'POST', body: JSON.stringify(body) })).json()) as Record<string, unknown>;
    const yes = await ask({ principal: `arn:aws:iam::${A}:user/eve`, action: 'sqs:ListQueues' });
    expect(yes).toMatchObject({ allowed: true, decision: 'allowed', caller: `arn:aws:iam::${A}:user/eve`, matchedStatements: [expect.objectContaining({ sid: 'ReadQueues', effect: 'Allow' })] });
    const no = await ask({ principal: `arn:aws:iam::${A}:user/eve`, action: 'sqs:DeleteQueue', resource: `arn:aws:sqs:us-east-1:${A}:x` });
    expect(no).toMatchObject({ allowed: false, decision: 'implicitDeny', decidedBy: 'identity', message: `User: arn:aws:iam::${A}:user/eve is not authorized to perform: sqs:DeleteQueue on resource: arn:aws:sqs:us-east-1:${A}:x because no identity-based policy allows the sqs:DeleteQueue action` });
    const get = await (await fetch(`${ctx.g.endpoint}/_gureum/iam/explain?principal=${encodeURIComponent(`arn:aws:iam::${A}:user/eve`)}&action=sqs:ListQueues`)).json();
    expect(get).toMatchObject({ allowed: true });
  });

  test('EC2 denials carry an encoded message that DecodeAuthorizationMessage reads', async () => {
    const keys = await user(A, 'frank', policy({ Effect: 'Allow', Action: 'sts:DecodeAuthorizationMessage', Resource: '*' }));
    const f = await failure(new EC2Client(cfg(keys)).send(new DescribeVpcsCommand({})));
    expect(f).toMatchObject({ name: 'UnauthorizedOperation', status: 403 });
    const m = /Encoded authorization failure message: (\S+)$/.exec(f.message);
    expect(m).not.toBeNull();
    const decoded = await new STSClient(cfg(keys)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: m![1]! }));
    const msg = JSON.parse(decoded.DecodedMessage!);
    expect(msg).toMatchObject({ allowed: false, explicitDeny: false, context: { action: 'ec2:DescribeVpcs', resource: '*', principal: { arn: `arn:aws:iam::${A}:user/frank`, name: 'frank' } } });
    expect(msg.context.conditions.items).toContainEqual({ key: 'aws:RequestedRegion', values: { items: [{ value: 'us-east-1' }] } });
    const bad = await failure(new STSClient(cfg(keys)).send(new DecodeAuthorizationMessageCommand({ EncodedMessage: 'bm90LWEtbWVzc2FnZQ' })));
    expect(bad).toMatchObject({ name: 'InvalidAuthorizationMessageException', status: 400 });
  });
});
