// covers: s3.PutBucketAcl s3.GetBucketAcl s3.PutObjectAcl s3.GetObjectAcl s3.PutBucketOwnershipControls s3.GetBucketOwnershipControls s3.DeleteBucketOwnershipControls s3.CreateBucket s3.PutObject s3.CopyObject s3.CreateMultipartUpload s3.UploadPart s3.CompleteMultipartUpload s3.DeletePublicAccessBlock s3.PutPublicAccessBlock s3.GetObject s3.ListObjectsV2
/** ACLs (canned, grant headers, AccessControlPolicy documents), Object Ownership, and what ACLs let anonymous callers do. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, CopyObjectCommand, PutBucketAclCommand, GetBucketAclCommand, PutObjectAclCommand, GetObjectAclCommand,
  PutBucketOwnershipControlsCommand, GetBucketOwnershipControlsCommand, DeleteBucketOwnershipControlsCommand, DeletePublicAccessBlockCommand,
  PutPublicAccessBlockCommand, CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, GetObjectCommand, ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const h = useGureum();
let s3: S3Client;
let ownerId: string;
const ALL_USERS = 'http://acs.amazonaws.com/groups/global/AllUsers';
const Legacy = 'acl-legacy-bucket';
const Enforced = 'acl-enforced-bucket';
const anonymous = (path: string, init: RequestInit = {}) => fetch(`${h.g.endpoint}${path}`, init);

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket: Enforced }));
  await s3.send(new CreateBucketCommand({ Bucket: Legacy, ObjectOwnership: 'ObjectWriter' }));
  ownerId = (await s3.send(new GetBucketAclCommand({ Bucket: Legacy }))).Owner!.ID!;
});

describe('Object Ownership: BucketOwnerEnforced (the default) disables ACLs', () => {
  it('answers the owner with FULL_CONTROL and refuses other ACLs with AccessControlListNotSupported', async () => {
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: Enforced }));
    expect(acl.Owner!.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(acl.Grants).toEqual([{ Grantee: { ID: acl.Owner!.ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' }]);
    const notSupported = { name: 'AccessControlListNotSupported', message: 'The bucket does not allow ACLs', status: 400 };
    expect(await failure(s3.send(new PutBucketAclCommand({ Bucket: Enforced, ACL: 'public-read' })))).toEqual(notSupported);
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: Enforced, Key: 'k', Body: 'x', ACL: 'public-read' })))).toEqual(notSupported);
    // the owner's full control is accepted as is
    await s3.send(new PutObjectCommand({ Bucket: Enforced, Key: 'k', Body: 'x', ACL: 'bucket-owner-full-control' }));
    await s3.send(new PutBucketAclCommand({ Bucket: Enforced, ACL: 'private' }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: Enforced }))).OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
  });

  it('ownership controls can be changed and deleted', async () => {
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: Enforced, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    expect((await s3.send(new GetBucketOwnershipControlsCommand({ Bucket: Enforced }))).OwnershipControls!.Rules).toEqual([{ ObjectOwnership: 'BucketOwnerPreferred' }]);
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: Enforced }));
    expect(await failure(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: Enforced })))).toEqual({
      name: 'OwnershipControlsNotFoundError', message: 'The bucket ownership controls were not found', status: 404,
    });
    expect((await failure(s3.send(new PutBucketOwnershipControlsCommand({ Bucket: Enforced, OwnershipControls: { Rules: [{ ObjectOwnership: 'Nobody' as never /* invalid on purpose */ }] } })))).name).toBe('MalformedXML');
  });

  it('CreateBucket refuses a public ACL (Block Public Access is on for new buckets)', async () => {
    expect(await failure(s3.send(new CreateBucketCommand({ Bucket: 'acl-public-new', ObjectOwnership: 'ObjectWriter', ACL: 'public-read' })))).toEqual({
      name: 'InvalidBucketAclWithBlockPublicAccessError', message: 'Bucket cannot have public ACLs set with BlockPublicAccess enabled', status: 400,
    });
  });
});

describe('ACLs on a bucket with ObjectWriter ownership', () => {
  it('Block Public Access refuses public ACLs until it is removed', async () => {
    expect(await failure(s3.send(new PutObjectCommand({ Bucket: Legacy, Key: 'page.html', Body: 'hello', ACL: 'public-read' })))).toEqual({ name: 'AccessDenied', message: 'Access Denied', status: 403 });
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: Legacy }));
  });

  it('a public-read object is readable without credentials; private again, it is not', async () => {
    await s3.send(new PutObjectCommand({ Bucket: Legacy, Key: 'page.html', Body: 'hello', ACL: 'public-read' }));
    const acl = await s3.send(new GetObjectAclCommand({ Bucket: Legacy, Key: 'page.html' }));
    expect(acl.Owner).toEqual({ ID: ownerId });
    expect(acl.Grants).toEqual([
      { Grantee: { ID: ownerId, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
      { Grantee: { URI: ALL_USERS, Type: 'Group' }, Permission: 'READ' },
    ]);
    let res = await anonymous(`/${Legacy}/page.html`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    await s3.send(new PutObjectAclCommand({ Bucket: Legacy, Key: 'page.html', ACL: 'private' }));
    res = await anonymous(`/${Legacy}/page.html`);
    expect(res.status).toBe(403);
    // a new PUT replaces the object with a private one
    await s3.send(new PutObjectAclCommand({ Bucket: Legacy, Key: 'page.html', ACL: 'public-read' }));
    await s3.send(new PutObjectCommand({ Bucket: Legacy, Key: 'page.html', Body: 'v2' }));
    expect((await anonymous(`/${Legacy}/page.html`)).status).toBe(403);
  });

  it('x-amz-grant-* headers and AccessControlPolicy documents', async () => {
    await s3.send(new PutBucketAclCommand({ Bucket: Legacy, GrantRead: `uri="${ALL_USERS}"`, GrantFullControl: `id="${ownerId}"` }));
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: Legacy }));
    expect(acl.Grants).toEqual([
      { Grantee: { ID: ownerId, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
      { Grantee: { URI: ALL_USERS, Type: 'Group' }, Permission: 'READ' },
    ]);
    // READ on the bucket: anyone may list it
    const list = await anonymous(`/${Legacy}?list-type=2`);
    expect(list.status).toBe(200);
    expect(await list.text()).toContain('<Key>page.html</Key>');
    await s3.send(new PutObjectAclCommand({
      Bucket: Legacy,
      Key: 'page.html',
      AccessControlPolicy: {
        Owner: { ID: ownerId },
        Grants: [{ Grantee: { Type: 'CanonicalUser', ID: ownerId }, Permission: 'FULL_CONTROL' }, { Grantee: { Type: 'Group', URI: ALL_USERS }, Permission: 'READ' }],
      },
    }));
    expect(await (await anonymous(`/${Legacy}/page.html`)).text()).toBe('v2');
    expect(await failure(s3.send(new PutBucketAclCommand({ Bucket: Legacy, ACL: 'private', GrantRead: `uri="${ALL_USERS}"` })))).toEqual({
      name: 'InvalidRequest', message: 'Specifying both Canned ACLs and Header Grants is not allowed', status: 400,
    });
    expect((await failure(s3.send(new PutBucketAclCommand({ Bucket: Legacy, GrantRead: 'uri="http://example.com/not-a-group"' })))).name).toBe('InvalidArgument');
    expect((await failure(s3.send(new PutBucketAclCommand({ Bucket: Legacy, GrantRead: 'emailAddress="someone@example.com"' })))).name).toBe('UnresolvableGrantByEmailAddress');
  });

  it('IgnorePublicAcls makes public grants count for nothing', async () => {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: Legacy, PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }));
    expect((await anonymous(`/${Legacy}/page.html`)).status).toBe(403);
    expect((await anonymous(`/${Legacy}?list-type=2`)).status).toBe(403);
    await s3.send(new DeletePublicAccessBlockCommand({ Bucket: Legacy }));
    expect((await anonymous(`/${Legacy}/page.html`)).status).toBe(200);
  });

  it('public-read-write lets anyone upload; copies and multipart uploads take their ACL headers', async () => {
    await s3.send(new PutBucketAclCommand({ Bucket: Legacy, ACL: 'public-read-write' }));
    expect((await anonymous(`/${Legacy}/dropped.txt`, { method: 'PUT', body: 'anon' })).status).toBe(200);
    await s3.send(new CopyObjectCommand({ Bucket: Legacy, Key: 'copied.txt', CopySource: `${Legacy}/dropped.txt`, ACL: 'public-read' }));
    expect(await (await anonymous(`/${Legacy}/copied.txt`)).text()).toBe('anon');
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: Legacy, Key: 'big.bin', ACL: 'public-read' }));
    const part = await s3.send(new UploadPartCommand({ Bucket: Legacy, Key: 'big.bin', UploadId, PartNumber: 1, Body: 'multipart' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket: Legacy, Key: 'big.bin', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));
    expect(await (await anonymous(`/${Legacy}/big.bin`)).text()).toBe('multipart');
    expect((await s3.send(new GetObjectAclCommand({ Bucket: Legacy, Key: 'big.bin' }))).Grants).toHaveLength(2);
    await s3.send(new PutBucketAclCommand({ Bucket: Legacy, ACL: 'private' }));
    expect((await anonymous(`/${Legacy}/dropped2.txt`, { method: 'PUT', body: 'anon' })).status).toBe(403);
  });

  it("an object another account writes is that account's (ObjectWriter)", async () => {
    const other = new S3Client(clientConfig(h.g, { forcePathStyle: true, credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }));
    await other.send(new CreateBucketCommand({ Bucket: 'acl-other-account-bucket' }));
    const otherId = (await other.send(new GetBucketAclCommand({ Bucket: 'acl-other-account-bucket' }))).Owner!.ID!;
    expect(otherId).not.toBe(ownerId);
    expect((await failure(other.send(new PutObjectCommand({ Bucket: Legacy, Key: 'theirs.txt', Body: 'mine' })))).status).toBe(403);
    await s3.send(new PutBucketAclCommand({ Bucket: Legacy, GrantWrite: `id="${otherId}"`, GrantFullControl: `id="${ownerId}"` }));
    await other.send(new PutObjectCommand({ Bucket: Legacy, Key: 'theirs.txt', Body: 'mine' }));
    expect((await s3.send(new GetObjectAclCommand({ Bucket: Legacy, Key: 'theirs.txt' }))).Owner).toEqual({ ID: otherId });
    expect(await (await other.send(new GetObjectCommand({ Bucket: Legacy, Key: 'theirs.txt' }))).Body!.transformToString()).toBe('mine');
    // the bucket ACL granted WRITE, not READ: listing stays closed to the other account
    expect((await failure(other.send(new ListObjectsV2Command({ Bucket: Legacy })))).status).toBe(403);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('put_object_acl / get_bucket_acl', async () => {
    const r = await boto3(h.g, `s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
s3.put_object(Bucket='${Legacy}', Key='boto.txt', Body=b'b')
s3.put_object_acl(Bucket='${Legacy}', Key='boto.txt', ACL='authenticated-read')
acl = s3.get_object_acl(Bucket='${Legacy}', Key='boto.txt')
print(json.dumps([g['Grantee'].get('URI', g['Grantee'].get('ID')) + ' ' + g['Permission'] for g in acl['Grants']]))`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual([`${ownerId} FULL_CONTROL`, 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers READ']);
    // authenticated-read: any signed caller, not the anonymous public
    expect((await anonymous(`/${Legacy}/boto.txt`)).status).toBe(403);
  });
});
