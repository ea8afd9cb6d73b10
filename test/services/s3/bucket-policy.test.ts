// covers: s3.PutBucketPolicy s3.GetBucketPolicy s3.DeleteBucketPolicy s3.GetBucketPolicyStatus s3.PutPublicAccessBlock s3.GetPublicAccessBlock s3.DeletePublicAccessBlock s3.GetObject s3.HeadObject s3.PutObject s3.ListObjectsV2 s3.ListBuckets s3.CreateBucket
/** Bucket policies (validated with S3's messages), Block Public Access, and anonymous / cross-account access decided by them. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, ListObjectsV2Command, PutBucketPolicyCommand, GetBucketPolicyCommand,
  DeleteBucketPolicyCommand, GetBucketPolicyStatusCommand, PutPublicAccessBlockCommand, GetPublicAccessBlockCommand, DeletePublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { IAMClient, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Bucket = 'policy-bucket';

const doc = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
const publicRead = (bucket = Bucket, prefix = '*') => doc({ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/${prefix}` });
const anonymous = (path: string, init: RequestInit = {}) => fetch(`${h.g.endpoint}${path}`, init);

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'public/page.html', Body: '<h1>hi</h1>', ContentType: 'text/html' }));
  await s3.send(new PutObjectCommand({ Bucket, Key: 'private/secret.txt', Body: 'psst' }));
});

describe('PutBucketPolicy validation', () => {
  const cases: [string, string, string][] = [
    ['not JSON', 'Allow everything', "Policies must be valid JSON and the first byte must be '{'"],
    ['broken JSON', '{"Version": "2012-10-17", "Statement": [', 'This policy contains invalid Json'],
    ['bad version', JSON.stringify({ Version: '2020-01-01', Statement: [] }), 'The policy must contain a valid version string'],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' }), 'Missing required field Statement'],
    ['empty Statement', JSON.stringify({ Version: '2012-10-17', Statement: [] }), 'Could not parse the policy: Statement is empty!'],
    ['no Effect', doc({ Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Missing required field Effect'],
    ['bad Effect', doc({ Effect: 'Permit', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Invalid effect: Permit'],
    ['no Principal', doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Missing required field Principal'],
    ['bad Principal', doc({ Effect: 'Allow', Principal: { AWS: 'bob' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Invalid principal in policy'],
    ['no Action', doc({ Effect: 'Allow', Principal: '*', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Missing required field Action'],
    ['not an S3 action', doc({ Effect: 'Allow', Principal: '*', Action: 'ec2:RunInstances', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Policy has invalid action'],
    ['unknown S3 action', doc({ Effect: 'Allow', Principal: '*', Action: 's3:FlyAway', Resource: `arn:aws:s3:::${Bucket}/*` }), 'Policy has invalid action'],
    ['no Resource', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }), 'Missing required field Resource'],
    ['another bucket', publicRead('someone-elses-bucket'), 'Policy has invalid resource'],
    ['not an ARN', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }), 'Policy has invalid resource'],
    ['object action on the bucket', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}` }), 'Action does not apply to any resource(s) in statement'],
    ['unknown operator', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*`, Condition: { StringEqualz: { 'aws:SourceIp': '1.2.3.4' } } }), 'Invalid Condition type : StringEqualz'],
    ['unknown S3 key', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*`, Condition: { StringEquals: { 's3:colour': 'blue' } } }), 'Policy has an invalid condition key'],
    ['bad IP', doc({ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*`, Condition: { IpAddress: { 'aws:SourceIp': 'ten.0.0.1' } } }), 'Invalid IP address in Conditions'],
  ];
  for (const [name, Policy, message] of cases) {
    it(`${name}: MalformedPolicy "${message}"`, async () => {
      const f = await failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy })));
      expect(f).toEqual({ name: 'MalformedPolicy', message, status: 400 });
    });
  }

  it('GetBucketPolicy and GetBucketPolicyStatus without a policy: NoSuchBucketPolicy 404', async () => {
    expect(await failure(s3.send(new GetBucketPolicyCommand({ Bucket })))).toEqual({ name: 'NoSuchBucketPolicy', message: 'The bucket policy does not exist', status: 404 });
    expect((await failure(s3.send(new GetBucketPolicyStatusCommand({ Bucket })))).name).toBe('NoSuchBucketPolicy');
  });
});

describe('Block Public Access', () => {
  it('a new bucket blocks everything; a public policy is refused with AccessDenied, a policy naming an account is not', async () => {
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true,
    });
    expect(await failure(s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead() })))).toEqual({ name: 'AccessDenied', message: 'Access Denied', status: 403 });
    const named = doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/public/*` });
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: named }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy).toBe(named);
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus).toEqual({ IsPublic: false });
  });

  it('PutPublicAccessBlock stores the four settings (absent ones false); DeletePublicAccessBlock removes them', async () => {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    expect((await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false,
    });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    expect(await failure(s3.send(new GetPublicAccessBlockCommand({ Bucket })))).toEqual({
      name: 'NoSuchPublicAccessBlockConfiguration', message: 'The public access block configuration was not found', status: 404,
    });
  });
});

describe('anonymous requests', () => {
  it('are denied until a policy makes objects public', async () => {
    let res = await anonymous(`/${Bucket}/public/page.html`);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('<Code>AccessDenied</Code>');
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead(Bucket, 'public/*') }));
    expect((await s3.send(new GetBucketPolicyStatusCommand({ Bucket }))).PolicyStatus).toEqual({ IsPublic: true });
    res = await anonymous(`/${Bucket}/public/page.html`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html');
    expect(await res.text()).toBe('<h1>hi</h1>');
    expect((await anonymous(`/${Bucket}/public/page.html`, { method: 'HEAD' })).status).toBe(200);
    // outside the policy's prefix, and writes, stay denied
    expect((await anonymous(`/${Bucket}/private/secret.txt`)).status).toBe(403);
    expect((await anonymous(`/${Bucket}/public/new.txt`, { method: 'PUT', body: 'x' })).status).toBe(403);
    expect((await anonymous(`/${Bucket}?list-type=2`)).status).toBe(403);
    expect((await anonymous('/')).status).toBe(403);
  });

  it('a missing key is 403 unless the public may list the bucket, then 404', async () => {
    expect((await anonymous(`/${Bucket}/public/missing.html`)).status).toBe(403);
    await s3.send(new PutBucketPolicyCommand({
      Bucket,
      Policy: doc(
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/public/*` },
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}` },
      ),
    }));
    const res = await anonymous(`/${Bucket}/public/missing.html`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('<Code>NoSuchKey</Code>');
    const list = await anonymous(`/${Bucket}?list-type=2&prefix=public/`);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('<Key>public/page.html</Key>');
  });

  it('an explicit Deny wins, and conditions are evaluated (aws:SourceIp, s3:prefix)', async () => {
    await s3.send(new PutBucketPolicyCommand({
      Bucket,
      Policy: doc(
        { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` },
        { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/private/*` },
        { Effect: 'Allow', Principal: '*', Action: 's3:ListBucket', Resource: `arn:aws:s3:::${Bucket}`, Condition: { StringLike: { 's3:prefix': 'public/*' } } },
        { Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*`, Condition: { NotIpAddress: { 'aws:SourceIp': ['127.0.0.0/8', '::1/128'] } } },
      ),
    }));
    expect((await anonymous(`/${Bucket}/public/page.html`)).status).toBe(200);
    expect((await anonymous(`/${Bucket}/private/secret.txt`)).status).toBe(403);
    expect((await anonymous(`/${Bucket}?list-type=2&prefix=public/`)).status).toBe(200);
    expect((await anonymous(`/${Bucket}?list-type=2&prefix=private/`)).status).toBe(403);
    // the bucket owner is not limited by its own bucket policy while IAM enforcement is off
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'private/secret.txt' }))).Body!.transformToString()).toBe('psst');
  });

  it('RestrictPublicBuckets ignores a public policy for anonymous callers', async () => {
    await s3.send(new PutBucketPolicyCommand({ Bucket, Policy: publicRead() }));
    expect((await anonymous(`/${Bucket}/public/page.html`)).status).toBe(200);
    await s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { RestrictPublicBuckets: true } }));
    expect((await anonymous(`/${Bucket}/public/page.html`)).status).toBe(403);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket }));
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
    expect((await anonymous(`/${Bucket}/public/page.html`)).status).toBe(403);
  });
});

describe('another account', () => {
  const other = () => new S3Client(clientConfig(h.g, { forcePathStyle: true, credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }));

  it('is let in by a policy naming its account, for what it grants only', async () => {
    expect((await failure(other().send(new GetObjectCommand({ Bucket, Key: 'public/page.html' })))).name).toBe('AccessDenied');
    await s3.send(new PutBucketPolicyCommand({
      Bucket,
      Policy: doc(
        { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: ['s3:GetObject', 's3:PutObject'], Resource: `arn:aws:s3:::${Bucket}/shared/*` },
        { Effect: 'Allow', Principal: { AWS: '111122223333' }, Action: 's3:GetBucketPolicy', Resource: `arn:aws:s3:::${Bucket}` },
      ),
    }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'shared/report.csv', Body: 'a,b' }));
    expect(await (await other().send(new GetObjectCommand({ Bucket, Key: 'shared/report.csv' }))).Body!.transformToString()).toBe('a,b');
    await other().send(new PutObjectCommand({ Bucket, Key: 'shared/from-other.csv', Body: 'c,d' }));
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'shared/from-other.csv' }))).Body!.transformToString()).toBe('c,d');
    expect((await failure(other().send(new GetObjectCommand({ Bucket, Key: 'private/secret.txt' })))).status).toBe(403);
    expect((await failure(other().send(new ListObjectsV2Command({ Bucket })))).name).toBe('AccessDenied');
    // bucket policies are the owner's to manage: 405 for other accounts even when allowed, as S3 answers
    expect((await failure(other().send(new GetBucketPolicyCommand({ Bucket })))).status).toBe(405);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket }));
  });
});

describe('with IAM enforcement', () => {
  const e = useGureum({ config: { iamEnforcement: 'enforce' } });

  it("uses S3's action names and lets a bucket policy that names a user allow on its own", async () => {
    const iam = new IAMClient(clientConfig(e.g));
    const root = new S3Client(clientConfig(e.g, { forcePathStyle: true }));
    await root.send(new CreateBucketCommand({ Bucket: 'enforced' }));
    await root.send(new PutObjectCommand({ Bucket: 'enforced', Key: 'k', Body: 'v' }));
    await iam.send(new CreateUserCommand({ UserName: 'reader' }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'reader', PolicyName: 'list', PolicyDocument: doc({ Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::enforced' }) }));
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'reader' }))).AccessKey!;
    const user = new S3Client(clientConfig(e.g, { forcePathStyle: true, credentials: { accessKeyId: key.AccessKeyId!, secretAccessKey: key.SecretAccessKey! } }));
    // ListObjectsV2 is s3:ListBucket
    expect((await user.send(new ListObjectsV2Command({ Bucket: 'enforced' }))).KeyCount).toBe(1);
    const denied = await failure(user.send(new GetObjectCommand({ Bucket: 'enforced', Key: 'k' })));
    expect(denied.status).toBe(403);
    expect(denied.message).toContain('is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::enforced/k');
    await root.send(new PutBucketPolicyCommand({ Bucket: 'enforced', Policy: doc({ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000000:user/reader' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::enforced/*' }) }));
    expect(await (await user.send(new GetObjectCommand({ Bucket: 'enforced', Key: 'k' }))).Body!.transformToString()).toBe('v');
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('put-bucket-policy / get-bucket-policy-status / get-public-access-block', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'cli-policy' }));
    let r = await awsCli(h.g, ['s3api', 'delete-public-access-block', '--bucket', 'cli-policy']);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3api', 'put-bucket-policy', '--bucket', 'cli-policy', '--policy', publicRead('cli-policy')]);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3api', 'get-bucket-policy-status', '--bucket', 'cli-policy']);
    expect(r.json).toEqual({ PolicyStatus: { IsPublic: true } });
    r = await awsCli(h.g, ['s3api', 'put-bucket-policy', '--bucket', 'cli-policy', '--policy', '{"Statement": []}']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(MalformedPolicy) when calling the PutBucketPolicy operation: Could not parse the policy: Statement is empty!');
  });
});
