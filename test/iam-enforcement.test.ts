// covers: iam.CreateUser iam.CreateAccessKey iam.CreatePolicy iam.AttachUserPolicy iam.PutUserPolicy sqs.ListQueues sqs.CreateQueue s3.CreateBucket s3.PutObject s3.GetObject dynamodb.ListTables sts.GetCallerIdentity
import { describe, test, expect, beforeAll, afterAll } from 'vitest';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, CreatePolicyCommand, AttachUserPolicyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { SQSClient, ListQueuesCommand, CreateQueueCommand } from '@aws-sdk/client-sqs';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startGureum, type Gureum } from '../src/index.js';
import { useGureum, clientConfig, failure } from './helpers.js';

type Keys = { accessKeyId: string; secretAccessKey: string };
const USER_ARN = 'arn:aws:iam::000000000000:user/alice';
const POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Effect: 'Allow', Action: 'sqs:ListQueues', Resource: '*' },
    { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::allowed-bucket/*' },
  ],
});

/** As root (the default credentials): user alice with a key and a policy allowing only sqs:ListQueues and s3:GetObject on one bucket. */
async function alice(g: Gureum): Promise<Keys> {
  const iam = new IAMClient(clientConfig(g));
  await iam.send(new CreateUserCommand({ UserName: 'alice' }));
  const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }))).AccessKey!;
  const policy = (await iam.send(new CreatePolicyCommand({ PolicyName: 'narrow', PolicyDocument: POLICY }))).Policy!;
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: policy.Arn }));
  return { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! };
}

const sqs = (g: Gureum, credentials?: Keys) => new SQSClient(clientConfig(g, credentials ? { credentials } : {}));
const s3 = (g: Gureum, credentials?: Keys) => new S3Client(clientConfig(g, { forcePathStyle: true, ...(credentials ? { credentials } : {}) }));

async function requests(g: Gureum): Promise<Array<Record<string, unknown>>> {
  const res = await fetch(`${g.endpoint}/_gureum/requests`);
  return ((await res.json()) as { requests: Array<Record<string, unknown>> }).requests;
}

describe('enforce', () => {
  const ctx = useGureum({ config: { iamEnforcement: 'enforce' } });
  let keys: Keys;
  beforeAll(async () => {
    keys = await alice(ctx.g);
    const root = s3(ctx.g);
    for (const Bucket of ['allowed-bucket', 'other-bucket']) {
      await root.send(new CreateBucketCommand({ Bucket }));
      await root.send(new PutObjectCommand({ Bucket, Key: 'a.txt', Body: 'hello' }));
      await root.send(new PutObjectCommand({ Bucket, Key: 'secret.txt', Body: 'psst' }));
    }
  });

  test('an allowed action works with the user\'s keys', async () => {
    await sqs(ctx.g).send(new CreateQueueCommand({ QueueName: 'q1' }));
    const out = await sqs(ctx.g, keys).send(new ListQueuesCommand({}));
    expect(out.QueueUrls?.some((u) => u.endsWith('/000000000000/q1'))).toBe(true);
  });

  test('an action no policy allows: AccessDenied 403 naming the user and the action', async () => {
    const f = await failure(sqs(ctx.g, keys).send(new CreateQueueCommand({ QueueName: 'q2' })));
    expect(f.status).toBe(403);
    expect(f.name).toBe('AccessDenied'); // SQS (JSON, query-compatible): x-amzn-query-error AccessDenied;Sender
    expect(f.message).toBe(`User: ${USER_ARN} is not authorized to perform: sqs:CreateQueue on resource: arn:aws:sqs:us-east-1:000000000000:q2 because no identity-based policy allows the sqs:CreateQueue action`);
    // nothing was created
    const urls = (await sqs(ctx.g).send(new ListQueuesCommand({}))).QueueUrls ?? [];
    expect(urls.some((u) => u.endsWith('/q2'))).toBe(false);
  });

  test('json services answer AccessDeniedException', async () => {
    const f = await failure(new DynamoDBClient(clientConfig(ctx.g, { credentials: keys })).send(new ListTablesCommand({})));
    expect(f).toMatchObject({ name: 'AccessDeniedException', status: 403 });
    expect(f.message).toContain(`User: ${USER_ARN} is not authorized to perform: dynamodb:ListTables on resource: *`);
  });

  test('S3: GetObject on the allowed bucket works, on another bucket AccessDenied 403', async () => {
    const ok = await s3(ctx.g, keys).send(new GetObjectCommand({ Bucket: 'allowed-bucket', Key: 'a.txt' }));
    expect(await ok.Body!.transformToString()).toBe('hello');
    const f = await failure(s3(ctx.g, keys).send(new GetObjectCommand({ Bucket: 'other-bucket', Key: 'a.txt' })));
    expect(f).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(f.message).toBe(`User: ${USER_ARN} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::other-bucket/a.txt because no identity-based policy allows the s3:GetObject action`);
    const put = await failure(s3(ctx.g, keys).send(new PutObjectCommand({ Bucket: 'allowed-bucket', Key: 'b.txt', Body: 'x' })));
    expect(put).toMatchObject({ name: 'AccessDenied', status: 403 });
  });

  test('the root (default credentials) may do everything', async () => {
    await sqs(ctx.g).send(new CreateQueueCommand({ QueueName: 'root-q' }));
    const out = await s3(ctx.g).send(new GetObjectCommand({ Bucket: 'other-bucket', Key: 'a.txt' }));
    expect(await out.Body!.transformToString()).toBe('hello');
    await new DynamoDBClient(clientConfig(ctx.g)).send(new ListTablesCommand({}));
  });

  test('GetCallerIdentity is never denied', async () => {
    const out = await new STSClient(clientConfig(ctx.g, { credentials: keys })).send(new GetCallerIdentityCommand({}));
    expect(out.Arn).toBe(USER_ARN);
  });

  test('an explicit Deny wins over the Allow', async () => {
    const deny = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:GetObject', Resource: 'arn:aws:s3:::allowed-bucket/secret*' }] });
    await new IAMClient(clientConfig(ctx.g)).send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-secrets', PolicyDocument: deny }));
    const f = await failure(s3(ctx.g, keys).send(new GetObjectCommand({ Bucket: 'allowed-bucket', Key: 'secret.txt' })));
    expect(f).toMatchObject({ name: 'AccessDenied', status: 403 });
    expect(f.message).toBe(`User: ${USER_ARN} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::allowed-bucket/secret.txt with an explicit deny in an identity-based policy`);
    await s3(ctx.g, keys).send(new GetObjectCommand({ Bucket: 'allowed-bucket', Key: 'a.txt' }));
  });

  test('the request log records the decisions', async () => {
    const log = await requests(ctx.g);
    const denied = log.find((e) => e.operation === 'CreateQueue' && e.status === 403);
    expect(denied).toMatchObject({ iam: 'deny', error: expect.stringMatching(/^AccessDenied/) });
    expect(denied!.iamReason).toContain('sqs:CreateQueue');
    expect(log.find((e) => e.operation === 'ListQueues')).toMatchObject({ iam: 'allow' });
  });
});

describe('soft', () => {
  let g: Gureum;
  let keys: Keys;
  beforeAll(async () => {
    g = await startGureum({ config: { iamEnforcement: 'soft' } });
    keys = await alice(g);
  });
  afterAll(() => g?.stop());

  test('never denies, but the request log shows the denial and why', async () => {
    const out = await sqs(g, keys).send(new CreateQueueCommand({ QueueName: 'soft-q' }));
    expect(out.QueueUrl).toMatch(/\/000000000000\/soft-q$/);
    const entry = (await requests(g)).find((e) => e.operation === 'CreateQueue');
    expect(entry).toMatchObject({ status: 200, iam: 'deny' });
    expect(entry!.iamReason).toBe(`User: ${USER_ARN} is not authorized to perform: sqs:CreateQueue on resource: arn:aws:sqs:us-east-1:000000000000:soft-q because no identity-based policy allows the sqs:CreateQueue action`);
    await sqs(g, keys).send(new ListQueuesCommand({}));
    expect((await requests(g))[0]).toMatchObject({ operation: 'ListQueues', iam: 'allow' });
  });
});

describe('off (default)', () => {
  let g: Gureum;
  let keys: Keys;
  beforeAll(async () => {
    g = await startGureum();
    keys = await alice(g);
  });
  afterAll(() => g?.stop());

  test('nothing is checked nor recorded', async () => {
    expect(g.runtime.config.iamEnforcement).toBe('off');
    await sqs(g, keys).send(new CreateQueueCommand({ QueueName: 'off-q' }));
    const entry = (await requests(g)).find((e) => e.operation === 'CreateQueue');
    expect(entry).toMatchObject({ status: 200 });
    expect(entry).not.toHaveProperty('iam');
  });
});

describe('settings', () => {
  test('environment: GUREUM_IAM_ENFORCEMENT, LocalStack ENFORCE_IAM=1; invalid values refused', async () => {
    const { fromEnv, resolveConfig } = await import('../src/config/config.js');
    expect(resolveConfig().iamEnforcement).toBe('off');
    expect(fromEnv({ ENFORCE_IAM: '1' }).iamEnforcement).toBe('enforce');
    expect(fromEnv({ ENFORCE_IAM: '1', GUREUM_IAM_ENFORCEMENT: 'soft' }).iamEnforcement).toBe('soft');
    expect(fromEnv({ GUREUM_IAM_ENFORCEMENT: 'Enforce' }).iamEnforcement).toBe('enforce');
    expect(() => resolveConfig(fromEnv({ GUREUM_IAM_ENFORCEMENT: 'strict' }))).toThrow(/off, soft or enforce/);
  });
});
