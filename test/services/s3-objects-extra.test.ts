// covers: s3.CopyObject s3.DeleteObjects s3.GetBucketLocation s3.PutObjectTagging s3.GetObjectTagging s3.DeleteObjectTagging s3.PutBucketTagging s3.GetBucketTagging s3.DeleteBucketTagging
/** CopyObject, DeleteObjects, GetBucketLocation and tagging through SDK v3, the AWS CLI and boto3. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, CopyObjectCommand, DeleteObjectsCommand, ListObjectsV2Command,
  GetBucketLocationCommand, PutObjectTaggingCommand, GetObjectTaggingCommand, DeleteObjectTaggingCommand, PutBucketTaggingCommand, GetBucketTaggingCommand, DeleteBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, awsCli, boto3, raw, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Bucket = 'extra-bucket';

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; message: string; [k: string]: unknown }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { ...(e as object), name: err.name, message: err.message, status: err.$metadata?.httpStatusCode };
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
});

describe('CopyObject', () => {
  it('copies bytes and metadata (COPY), replaces them (REPLACE), handles URL-encoded keys and conditions', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'src dir/ü+a.txt', Body: 'hello copy', ContentType: 'text/plain', Metadata: { a: '1' }, Tagging: 'k=v' }));
    const c = await s3.send(new CopyObjectCommand({ Bucket, Key: 'dst.txt', CopySource: `${Bucket}/${encodeURIComponent('src dir/ü+a.txt')}` }));
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dst.txt' }));
    expect(c.CopyObjectResult?.ETag).toBe(head.ETag);
    expect([head.ContentType, head.Metadata, head.TagCount]).toEqual(['text/plain', { a: '1' }, 1]);
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'dst2.txt', CopySource: `${Bucket}/${encodeURIComponent('src dir/ü+a.txt')}`, MetadataDirective: 'REPLACE', ContentType: 'text/x-new', Metadata: { b: '2' } }));
    const h2 = await s3.send(new HeadObjectCommand({ Bucket, Key: 'dst2.txt' }));
    expect([h2.ContentType, h2.Metadata]).toEqual(['text/x-new', { b: '2' }]);
    expect(await (await s3.send(new GetObjectCommand({ Bucket, Key: 'dst2.txt' }))).Body!.transformToString()).toBe('hello copy');

    const self = await errorOf(s3.send(new CopyObjectCommand({ Bucket, Key: 'dst.txt', CopySource: `${Bucket}/dst.txt` })));
    expect([self.name, self.status]).toEqual(['InvalidRequest', 400]);
    expect(self.message).toContain('copy an object to itself without changing');
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'dst.txt', CopySource: `${Bucket}/dst.txt`, MetadataDirective: 'REPLACE', Metadata: { c: '3' } }));

    const pre = await errorOf(s3.send(new CopyObjectCommand({ Bucket, Key: 'x.txt', CopySource: `${Bucket}/dst.txt`, CopySourceIfMatch: '"nope"' })));
    expect([pre.name, pre.status]).toEqual(['PreconditionFailed', 412]);
    const pre2 = await errorOf(s3.send(new CopyObjectCommand({ Bucket, Key: 'x.txt', CopySource: `${Bucket}/dst.txt`, CopySourceIfNoneMatch: head.ETag })));
    expect(pre2.status).toBe(412);
    const missing = await errorOf(s3.send(new CopyObjectCommand({ Bucket, Key: 'x.txt', CopySource: `${Bucket}/missing` })));
    expect([missing.name, missing.status]).toEqual(['NoSuchKey', 404]);
    const noBucket = await errorOf(s3.send(new CopyObjectCommand({ Bucket, Key: 'x.txt', CopySource: 'no-such-bucket-xyz/k' })));
    expect(noBucket.name).toBe('NoSuchBucket');
  });
});

describe('DeleteObjects', () => {
  it('deletes many keys, reports each, Quiet mode, requires Content-MD5 or a checksum', async () => {
    for (const k of ['d/1', 'd/2', 'd/3']) await s3.send(new PutObjectCommand({ Bucket, Key: k, Body: k }));
    const r = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'd/1' }, { Key: 'd/2' }, { Key: 'd/missing' }] } }));
    expect(r.Deleted?.map((d) => d.Key).sort()).toEqual(['d/1', 'd/2', 'd/missing']);
    expect(r.Errors ?? []).toEqual([]);
    const q = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'd/3' }], Quiet: true } }));
    expect(q.Deleted ?? []).toEqual([]);
    const list = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: 'd/' }));
    expect(list.KeyCount).toBe(0);
    // raw request without Content-MD5 or checksum
    const body = '<Delete><Object><Key>a</Key></Object></Delete>';
    const res = await raw(h.g, `/${Bucket}?delete`, { method: 'POST', body, headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidRequest</Code>');
    expect(res.text).toContain('Content-MD5');
    const tooMany = await errorOf(s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: Array.from({ length: 1001 }, (_, i) => ({ Key: `k${i}` })) } })));
    expect(tooMany.name).toBe('MalformedXML');
  });
});

describe('GetBucketLocation', () => {
  it('answers an empty constraint for us-east-1 and the region otherwise', async () => {
    expect((await s3.send(new GetBucketLocationCommand({ Bucket }))).LocationConstraint).toBeUndefined();
    await s3.send(new CreateBucketCommand({ Bucket: 'loc-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'loc-eu' }))).LocationConstraint).toBe('eu-west-1');
    const res = await raw(h.g, '/loc-eu?location', { headers: { authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00' } });
    expect(res.text).toContain('<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/">eu-west-1</LocationConstraint>');
  });

  it.skipIf(!HAS_AWS_CLI)('through the AWS CLI', async () => {
    const r = await awsCli(h.g, ['s3api', 'get-bucket-location', '--bucket', 'loc-eu']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ LocationConstraint: 'eu-west-1' });
  });

  it.skipIf(!HAS_PYTHON_BOTO3)('through boto3', async () => {
    const r = await boto3(h.g, `s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
print(json.dumps([s3.get_bucket_location(Bucket='loc-eu')['LocationConstraint'], s3.get_bucket_location(Bucket='${Bucket}')['LocationConstraint']]))`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual(['eu-west-1', null]);
  });
});

describe('tagging', () => {
  it('object tags: x-amz-tagging, Put/Get/DeleteObjectTagging, limits', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 't.txt', Body: 't', Tagging: 'a=1&b=two%20words' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 't.txt' }))).TagSet).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: 'two words' }]);
    await s3.send(new PutObjectTaggingCommand({ Bucket, Key: 't.txt', Tagging: { TagSet: [{ Key: 'x', Value: 'y' }] } }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 't.txt' }))).TagSet).toEqual([{ Key: 'x', Value: 'y' }]);
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 't.txt' }))).TagCount).toBe(1);
    const many = await errorOf(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 't.txt', Tagging: { TagSet: Array.from({ length: 11 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) } })));
    expect([many.name, many.status, many.message]).toEqual(['InvalidTag', 400, 'Object tags cannot be greater than 10']);
    const dup = await errorOf(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 't.txt', Tagging: { TagSet: [{ Key: 'k', Value: '1' }, { Key: 'k', Value: '2' }] } })));
    expect(dup.name).toBe('InvalidTag');
    const long = await errorOf(s3.send(new PutObjectTaggingCommand({ Bucket, Key: 't.txt', Tagging: { TagSet: [{ Key: 'k'.repeat(129), Value: '1' }] } })));
    expect(long.name).toBe('InvalidTag');
    await s3.send(new DeleteObjectTaggingCommand({ Bucket, Key: 't.txt' }));
    expect((await s3.send(new GetObjectTaggingCommand({ Bucket, Key: 't.txt' }))).TagSet).toEqual([]);
    expect((await errorOf(s3.send(new GetObjectTaggingCommand({ Bucket, Key: 'nope' })))).name).toBe('NoSuchKey');
  });

  it('bucket tags: Put/Get/DeleteBucketTagging, NoSuchTagSet', async () => {
    const none = await errorOf(s3.send(new GetBucketTaggingCommand({ Bucket })));
    expect([none.name, none.status]).toEqual(['NoSuchTagSet', 404]);
    await s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'env', Value: 'dev' }] } }));
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket }))).TagSet).toEqual([{ Key: 'env', Value: 'dev' }]);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket }));
    expect((await errorOf(s3.send(new GetBucketTaggingCommand({ Bucket })))).name).toBe('NoSuchTagSet');
  });

  it.skipIf(!HAS_AWS_CLI)('bucket tagging and copy through the AWS CLI', async () => {
    let r = await awsCli(h.g, ['s3api', 'put-bucket-tagging', '--bucket', Bucket, '--tagging', 'TagSet=[{Key=team,Value=blue}]']);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3api', 'get-bucket-tagging', '--bucket', Bucket]);
    expect(r.json).toEqual({ TagSet: [{ Key: 'team', Value: 'blue' }] });
    r = await awsCli(h.g, ['s3', 'cp', `s3://${Bucket}/dst2.txt`, `s3://${Bucket}/cli-copy.txt`]);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3api', 'delete-objects', '--bucket', Bucket, '--delete', 'Objects=[{Key=cli-copy.txt}]']);
    expect(r.status, r.stderr).toBe(0);
    expect((r.json as { Deleted: { Key: string }[] }).Deleted).toEqual([{ Key: 'cli-copy.txt' }]);
  });

  it.skipIf(!HAS_PYTHON_BOTO3)('copy and delete_objects through boto3', async () => {
    const r = await boto3(h.g, `s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.copy_object(Bucket='${Bucket}', Key='boto-copy.txt', CopySource={'Bucket': '${Bucket}', 'Key': 'dst2.txt'})
body = s3.get_object(Bucket='${Bucket}', Key='boto-copy.txt')['Body'].read().decode()
d = s3.delete_objects(Bucket='${Bucket}', Delete={'Objects': [{'Key': 'boto-copy.txt'}]})
print(json.dumps([body, [x['Key'] for x in d['Deleted']]]))`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual(['hello copy', ['boto-copy.txt']]);
  });
});
