// covers: iam.CreateUser iam.CreateAccessKey iam.AttachUserPolicy sts.GetCallerIdentity sts.GetSessionToken sqs.CreateQueue sqs.ListQueues dynamodb.ListTables lambda.ListFunctions s3.CreateBucket s3.PutObject s3.GetObject s3.ListObjectsV2 s3.ListBuckets ec2.DescribeRegions
/**
 * SigV4 verification for keys gureum minted (IAM users' AKIA…, STS sessions' ASIA…): real
 * clients signing with the right secret get through on every protocol (paths and queries with
 * characters that canonicalisation must get right); the wrong secret gets each service family's
 * own error. The default `test` key stays unverified.
 */
import { describe, expect, test, beforeAll } from 'vitest';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { SQSClient, CreateQueueCommand, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient, ListTablesCommand, type ServiceInputTypes as DynamoDBInput, type ServiceOutputTypes as DynamoDBOutput } from '@aws-sdk/client-dynamodb';
import { LambdaClient, ListFunctionsCommand } from '@aws-sdk/client-lambda';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, ListBucketsCommand } from '@aws-sdk/client-s3';
import { EC2Client, DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import { Agent } from 'node:http';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { FinalizeRequestMiddleware } from '@smithy/types';
import { useGureum, clientConfig, failure, boto3 } from './helpers.js';

const ctx = useGureum();
type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
let user: Creds;
let session: Creds;
const cfg = (c: Creds, extra: Record<string, unknown> = {}) => clientConfig(ctx.g, { credentials: c, ...extra });
const wrong = (c: Creds): Creds => ({ ...c, secretAccessKey: c.secretAccessKey.slice(0, -1) + (c.secretAccessKey.endsWith('A') ? 'B' : 'A') });

beforeAll(async () => {
  const iam = new IAMClient(clientConfig(ctx.g));
  await iam.send(new CreateUserCommand({ UserName: 'signer' }));
  await iam.send(new AttachUserPolicyCommand({ UserName: 'signer', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'signer' }));
  user = { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! };
  const { Credentials } = await new STSClient(cfg(user)).send(new GetSessionTokenCommand({}));
  session = { accessKeyId: Credentials!.AccessKeyId!, secretAccessKey: Credentials!.SecretAccessKey!, sessionToken: Credentials!.SessionToken };
});

describe('the right secret', () => {
  test('every protocol, IAM user and STS session keys', async () => {
    for (const c of [user, session]) {
      expect((await new STSClient(cfg(c)).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
      await new SQSClient(cfg(c)).send(new CreateQueueCommand({ QueueName: `sig-${c.accessKeyId.slice(0, 4)}` }));
      expect((await new SQSClient(cfg(c)).send(new ListQueuesCommand({ QueueNamePrefix: 'sig-' }))).QueueUrls!.length).toBeGreaterThan(0);
      await new DynamoDBClient(cfg(c)).send(new ListTablesCommand({}));
      await new LambdaClient(cfg(c)).send(new ListFunctionsCommand({ MaxItems: 5 }));
      await new EC2Client(cfg(c)).send(new DescribeRegionsCommand({ RegionNames: ['us-east-1'] }));
    }
  });

  test('S3 keys and query values that canonicalisation must encode exactly', async () => {
    const s3 = new S3Client(cfg(user, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: 'sig-bucket' }));
    const keys = ['plain.txt', 'with space/and+plus', 'ünïcödé/日本語', "odd!'()*~=&$@,;:.txt", 'a%2Fb', 'dot/./seg/../x'];
    for (const Key of keys) {
      await s3.send(new PutObjectCommand({ Bucket: 'sig-bucket', Key, Body: Key }));
      const got = await s3.send(new GetObjectCommand({ Bucket: 'sig-bucket', Key }));
      expect(await got.Body!.transformToString()).toBe(Key);
    }
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'sig-bucket', Prefix: 'with space/', StartAfter: 'with space/a b+c' }));
    expect(listed.Contents!.map((o) => o.Key)).toEqual(['with space/and+plus']);
    // virtual-host style (the Host header is signed): every name resolved to 127.0.0.1
    const agent = new Agent({ lookup: ((_h: string, o: { all?: boolean }, cb: (...a: unknown[]) => void) => (o?.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4))) as never });
    const port = new URL(ctx.g.endpoint).port;
    const vhost = new S3Client(cfg(session, { endpoint: `http://s3.localhost.localstack.cloud:${port}`, forcePathStyle: false, requestHandler: new NodeHttpHandler({ httpAgent: agent }) }));
    expect((await vhost.send(new ListObjectsV2Command({ Bucket: 'sig-bucket', Prefix: 'ünïcödé/' }))).KeyCount).toBe(1);
    agent.destroy();
  });

  test('boto3 signs the same way (query, json, rest-xml)', async () => {
    const r = await boto3(ctx.g, `
kw = dict(endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='${user.accessKeyId}', aws_secret_access_key='${user.secretAccessKey}')
print(json.dumps([
  boto3.client('sts', **kw).get_caller_identity()['Arn'],
  len(boto3.client('dynamodb', **kw).list_tables()['TableNames']) >= 0,
  boto3.client('s3', **kw).get_object(Bucket='sig-bucket', Key='with space/and+plus')['Body'].read().decode(),
]))`);
    expect(r.stderr).toBe('');
    expect(r.json).toEqual(['arn:aws:iam::000000000000:user/signer', true, 'with space/and+plus']);
  });
});

describe('the wrong secret', () => {
  test("each service family's error", async () => {
    const bad = wrong(user);
    let e = await failure(new STSClient(cfg(bad)).send(new GetCallerIdentityCommand({})));
    expect([e.name, e.status]).toEqual(['SignatureDoesNotMatch', 403]);
    expect(e.message).toMatch(/^The request signature we calculated does not match the signature you provided\. Check your AWS Secret Access Key and signing method\./);
    e = await failure(new SQSClient(cfg(bad)).send(new ListQueuesCommand({})));
    expect([e.name, e.status]).toEqual(['SignatureDoesNotMatch', 403]);
    e = await failure(new DynamoDBClient(cfg(bad)).send(new ListTablesCommand({})));
    expect([e.name, e.status]).toEqual(['InvalidSignatureException', 400]);
    expect(e.message).toContain("The Canonical String for this request should have been\n'POST\n/\n");
    e = await failure(new LambdaClient(cfg(bad)).send(new ListFunctionsCommand({})));
    expect([e.name, e.status]).toEqual(['InvalidSignatureException', 403]);
    e = await failure(new EC2Client(cfg(bad)).send(new DescribeRegionsCommand({})));
    expect([e.name, e.status]).toEqual(['SignatureDoesNotMatch', 403]);
    e = await failure(new S3Client(cfg(bad, { forcePathStyle: true })).send(new ListBucketsCommand({})));
    expect([e.name, e.status]).toEqual(['SignatureDoesNotMatch', 403]);
    e = await failure(new S3Client(cfg(wrong(session), { forcePathStyle: true })).send(new GetObjectCommand({ Bucket: 'sig-bucket', Key: 'plain.txt' })));
    expect([e.name, e.status]).toEqual(['SignatureDoesNotMatch', 403]);
  });

  test('a tampered body is caught (the payload hash is part of the signature)', async () => {
    const dynamo = new DynamoDBClient(cfg(user));
    let tampered = false;
    const tamper: FinalizeRequestMiddleware<DynamoDBInput, DynamoDBOutput> = (next) => async (args) => {
      const req = args.request as { body: string | Uint8Array };
      const text = typeof req.body === 'string' ? req.body : Buffer.from(req.body).toString('utf8');
      tampered = text.includes('"Limit":5');
      req.body = text.replace('"Limit":5', '"Limit":6');
      return next(args);
    };
    dynamo.middlewareStack.addRelativeTo(tamper, { relation: 'after', toMiddleware: 'httpSigningMiddleware', name: 'tamper' });
    const e = await failure(dynamo.send(new ListTablesCommand({ Limit: 5 })));
    expect(tampered).toBe(true);
    expect(e.name).toBe('InvalidSignatureException');
  });

  test('the default test key is not verified', async () => {
    const c = { accessKeyId: 'test', secretAccessKey: 'anything-at-all' };
    expect((await new STSClient(cfg(c)).send(new GetCallerIdentityCommand({}))).Account).toBe('000000000000');
  });
});
