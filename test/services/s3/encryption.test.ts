// covers: s3.PutBucketEncryption s3.GetBucketEncryption s3.DeleteBucketEncryption s3.PutObject s3.GetObject s3.HeadObject s3.CopyObject s3.CreateMultipartUpload s3.UploadPart s3.CompleteMultipartUpload s3.UpdateObjectEncryption
/** Server-side encryption: bucket defaults, SSE-S3, SSE-KMS checked against KMS, SSE-C keys. */
import { describe, it, expect, beforeAll } from 'vitest';
import { randomBytes } from 'node:crypto';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, CopyObjectCommand, CreateMultipartUploadCommand, UploadPartCommand,
  CompleteMultipartUploadCommand, PutBucketEncryptionCommand, GetBucketEncryptionCommand, DeleteBucketEncryptionCommand, UpdateObjectEncryptionCommand,
} from '@aws-sdk/client-s3';
import { KMSClient, CreateKeyCommand, DisableKeyCommand, DescribeKeyCommand } from '@aws-sdk/client-kms';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
let kms: KMSClient;
const Bucket = 'encrypted-bucket';
let keyId: string;
let keyArn: string;

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  kms = new KMSClient(clientConfig(h.g));
  await s3.send(new CreateBucketCommand({ Bucket }));
  const k = await kms.send(new CreateKeyCommand({}));
  keyId = k.KeyMetadata!.KeyId!;
  keyArn = k.KeyMetadata!.Arn!;
});

describe('bucket default encryption', () => {
  it('is SSE-S3 until set; validated; reset by DeleteBucketEncryption', async () => {
    const def = await s3.send(new GetBucketEncryptionCommand({ Bucket }));
    expect(def.ServerSideEncryptionConfiguration?.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
    const put = (Rules: unknown[]) => s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: Rules as never } }));
    expect(await failure(put([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256', KMSMasterKeyID: keyId } }]))).toEqual({
      name: 'InvalidArgument', message: 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', status: 400,
    });
    expect((await failure(put([]))).name).toBe('MalformedXML');
    expect((await failure(put([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }, { BucketKeyEnabled: true }]))).name).toBe('MalformedXML');
    await put([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true }]);
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: keyArn }, BucketKeyEnabled: true },
    ]);
    const o = await s3.send(new PutObjectCommand({ Bucket, Key: 'by-default', Body: 'x' }));
    expect([o.ServerSideEncryption, o.SSEKMSKeyId, o.BucketKeyEnabled]).toEqual(['aws:kms', keyArn, true]);
    // a request's own header wins over the default
    expect((await s3.send(new PutObjectCommand({ Bucket, Key: 's3-managed', Body: 'x', ServerSideEncryption: 'AES256' }))).ServerSideEncryption).toBe('AES256');
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket }));
    expect((await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe('AES256');
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'by-default' }));
    expect([head.ServerSideEncryption, head.SSEKMSKeyId, head.BucketKeyEnabled]).toEqual(['aws:kms', keyArn, true]);
  });
});

describe('object encryption', () => {
  it('SSE-S3 by default on PUT, GET and HEAD', async () => {
    expect((await s3.send(new PutObjectCommand({ Bucket, Key: 'plain', Body: 'x' }))).ServerSideEncryption).toBe('AES256');
    expect((await s3.send(new GetObjectCommand({ Bucket, Key: 'plain' }))).ServerSideEncryption).toBe('AES256');
    expect((await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'bad', Body: 'x', ServerSideEncryption: 'AES512' as never })))).message).toBe('The encryption method specified is not supported');
  });

  it('SSE-KMS checks the key with KMS; without a key id S3 uses the AWS managed key aws/s3', async () => {
    const o = await s3.send(new PutObjectCommand({ Bucket, Key: 'kms', Body: 'secret', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyId }));
    expect([o.ServerSideEncryption, o.SSEKMSKeyId]).toEqual(['aws:kms', keyArn]);
    const g = await s3.send(new GetObjectCommand({ Bucket, Key: 'kms' }));
    expect([g.ServerSideEncryption, g.SSEKMSKeyId, await g.Body!.transformToString()]).toEqual(['aws:kms', keyArn, 'secret']);

    const managed = await s3.send(new PutObjectCommand({ Bucket, Key: 'kms-managed', Body: 'x', ServerSideEncryption: 'aws:kms' }));
    const awsS3 = await kms.send(new DescribeKeyCommand({ KeyId: 'alias/aws/s3' }));
    expect([managed.SSEKMSKeyId, awsS3.KeyMetadata?.KeyManager]).toEqual([awsS3.KeyMetadata?.Arn, 'AWS']);

    expect(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: '11111111-2222-3333-4444-555555555555' })))).toMatchObject({ name: 'KMS.NotFoundException', status: 400 });
    expect(await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x', SSEKMSKeyId: keyId })))).toMatchObject({
      name: 'InvalidArgument', message: 'Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms',
    });
    const off = (await kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
    await kms.send(new DisableKeyCommand({ KeyId: off }));
    expect((await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'x', Body: 'x', ServerSideEncryption: 'aws:kms', SSEKMSKeyId: off })))).name).toBe('KMS.DisabledException');

    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'kms-copy', CopySource: `${Bucket}/plain`, ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn }));
    expect([copy.ServerSideEncryption, copy.SSEKMSKeyId]).toEqual(['aws:kms', keyArn]);
  });

  it('SSE-C: the key is required (and checked) to read; other objects refuse SSE-C headers', async () => {
    const key = randomBytes(32);
    const other = randomBytes(32);
    const ssec = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key as unknown as string };
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'ssec', Body: 'customer data', ...ssec }));
    expect([put.ServerSideEncryption, put.SSECustomerAlgorithm, put.SSECustomerKeyMD5]).toEqual([undefined, 'AES256', (await import('node:crypto')).createHash('md5').update(key).digest('base64')]);
    expect(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'ssec' })))).toEqual({
      name: 'InvalidRequest', message: 'The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.', status: 400,
    });
    expect(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'ssec', SSECustomerAlgorithm: 'AES256', SSECustomerKey: other as unknown as string })))).toEqual({
      name: 'AccessDenied', message: 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.', status: 403,
    });
    const got = await s3.send(new GetObjectCommand({ Bucket, Key: 'ssec', ...ssec }));
    expect([await got.Body!.transformToString(), got.SSECustomerAlgorithm, got.SSECustomerKeyMD5]).toEqual(['customer data', 'AES256', put.SSECustomerKeyMD5]);
    expect((await failure(s3.send(new HeadObjectCommand({ Bucket, Key: 'ssec' })))).status).toBe(400);
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'ssec', ...ssec }))).ContentLength).toBe(13);
    expect(await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'plain', ...ssec })))).toMatchObject({ name: 'InvalidRequest', message: 'The encryption parameters are not applicable to this object.' });
    expect((await failure(s3.send(new PutObjectCommand({ Bucket, Key: 'short', Body: 'x', SSECustomerAlgorithm: 'AES256', SSECustomerKey: randomBytes(16) as unknown as string })))).message).toBe('The secret key was invalid for the specified algorithm.');

    // copies read the source with x-amz-copy-source-server-side-encryption-customer-*
    expect((await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'ssec-copy', CopySource: `${Bucket}/ssec` })))).name).toBe('InvalidRequest');
    const copy = await s3.send(new CopyObjectCommand({ Bucket, Key: 'ssec-copy', CopySource: `${Bucket}/ssec`, CopySourceSSECustomerAlgorithm: 'AES256', CopySourceSSECustomerKey: key as unknown as string }));
    expect(copy.ServerSideEncryption).toBe('AES256');
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'ssec-copy' }))).Body!.transformToString()).toBe('customer data');
  });

  it('SSE-C multipart uploads need the key on every part', async () => {
    const key = randomBytes(32) as unknown as string;
    const ssec = { SSECustomerAlgorithm: 'AES256', SSECustomerKey: key };
    const u = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'mp-ssec', ...ssec }));
    expect(u.SSECustomerAlgorithm).toBe('AES256');
    expect(await failure(s3.send(new UploadPartCommand({ Bucket, Key: 'mp-ssec', UploadId: u.UploadId, PartNumber: 1, Body: 'p' })))).toMatchObject({
      name: 'InvalidRequest', message: 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.',
    });
    const p = await s3.send(new UploadPartCommand({ Bucket, Key: 'mp-ssec', UploadId: u.UploadId, PartNumber: 1, Body: 'part', ...ssec }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'mp-ssec', UploadId: u.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: p.ETag }] } }));
    expect((await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'mp-ssec' })))).name).toBe('InvalidRequest');
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'mp-ssec', ...ssec }))).Body!.transformToString()).toBe('part');
  });

  it('UpdateObjectEncryption moves an SSE-S3 object to SSE-KMS in place', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'to-kms', Body: 'rekey me' }));
    const before = await s3.send(new HeadObjectCommand({ Bucket, Key: 'to-kms' }));
    expect(before.ServerSideEncryption).toBe('AES256');
    await s3.send(new UpdateObjectEncryptionCommand({ Bucket, Key: 'to-kms', ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn, BucketKeyEnabled: true } } }));
    const after = await s3.send(new HeadObjectCommand({ Bucket, Key: 'to-kms' }));
    expect(after).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: keyArn, BucketKeyEnabled: true, ETag: put.ETag, LastModified: before.LastModified });
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'to-kms' }))).Body!.transformToString()).toBe('rekey me');
    // a key id that is not an ARN, a key KMS does not know, an SSE-C object
    expect((await failure(s3.send(new UpdateObjectEncryptionCommand({ Bucket, Key: 'to-kms', ObjectEncryption: { SSEKMS: { KMSKeyArn: keyId } } })))).name).toBe('InvalidArgument');
    const unknown = keyArn.replace(/key\/.*/, 'key/00000000-0000-0000-0000-000000000000');
    expect((await failure(s3.send(new UpdateObjectEncryptionCommand({ Bucket, Key: 'to-kms', ObjectEncryption: { SSEKMS: { KMSKeyArn: unknown } } })))).name).toBe('KMS.NotFoundException');
    const key = randomBytes(32) as unknown as string;
    await s3.send(new PutObjectCommand({ Bucket, Key: 'ssec-stays', Body: 'x', SSECustomerAlgorithm: 'AES256', SSECustomerKey: key }));
    expect((await failure(s3.send(new UpdateObjectEncryptionCommand({ Bucket, Key: 'ssec-stays', ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn } } })))).name).toBe('InvalidRequest');
    expect((await failure(s3.send(new UpdateObjectEncryptionCommand({ Bucket, Key: 'no-such-key', ObjectEncryption: { SSEKMS: { KMSKeyArn: keyArn } } })))).name).toBe('NoSuchKey');
  });

  it.skipIf(!HAS_PYTHON_BOTO3)('boto3 SSE-C round trip', async () => {
    const r = await boto3(h.g, `
import os
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
key = os.urandom(32)
s3.put_object(Bucket='${Bucket}', Key='py-ssec', Body=b'py', SSECustomerAlgorithm='AES256', SSECustomerKey=key)
try:
    s3.get_object(Bucket='${Bucket}', Key='py-ssec')
    missing = 'ok'
except Exception as e:
    missing = e.response['Error']['Code']
body = s3.get_object(Bucket='${Bucket}', Key='py-ssec', SSECustomerAlgorithm='AES256', SSECustomerKey=key)['Body'].read().decode()
print(json.dumps({'missing': missing, 'body': body}))
`);
    expect(r.json, r.stderr).toEqual({ missing: 'InvalidRequest', body: 'py' });
  });
});
