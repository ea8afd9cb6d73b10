// covers: s3.PutBucketVersioning s3.GetBucketVersioning s3.ListObjectVersions s3.PutObject s3.GetObject s3.HeadObject s3.DeleteObject s3.CopyObject s3.DeleteObjects
/** Versioning: version ids, delete markers, the null version, versioned reads/deletes/copies, ListObjectVersions paging. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, DeleteObjectCommand, CopyObjectCommand, DeleteBucketCommand,
  PutBucketVersioningCommand, GetBucketVersioningCommand, ListObjectVersionsCommand, ListObjectsV2Command,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Bucket = 'versioned-bucket';
const text = async (p: Promise<{ Body?: { transformToString(): Promise<string> } }>) => (await p).Body!.transformToString();

async function errorOf(p: Promise<unknown>): Promise<{ name: string; status?: number; headers: Record<string, string> }> {
  try {
    await p;
  } catch (e) {
    const err = e as { name: string; $metadata?: { httpStatusCode?: number }; $response?: { headers: Record<string, string> } };
    return { name: err.name, status: err.$metadata?.httpStatusCode, headers: err.$response?.headers ?? {} };
  }
  throw new Error('expected an error');
}

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
});

describe('versioning', () => {
  it('configuration: unversioned → Enabled → Suspended, MFADelete stored', async () => {
    const none = await s3.send(new GetBucketVersioningCommand({ Bucket }));
    expect([none.Status, none.MFADelete]).toEqual([undefined, undefined]);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'null-version' }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled', MFADelete: 'Disabled' } }));
    const on = await s3.send(new GetBucketVersioningCommand({ Bucket }));
    expect([on.Status, on.MFADelete]).toEqual(['Enabled', 'Disabled']);
  });

  it('keeps every version, reads by id, delete markers hide and reveal', async () => {
    const v1 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'one' }));
    h.g.clock.advance(1000);
    const v2 = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'two' }));
    expect(v1.VersionId).toBeTruthy();
    expect(v2.VersionId).not.toBe(v1.VersionId);
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).toBe('two');
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: v1.VersionId })))).toBe('one');
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: 'null' })))).toBe('null-version');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'k' }))).VersionId).toBe(v2.VersionId);

    const del = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect(del.DeleteMarker).toBe(true);
    expect(del.VersionId).toBeTruthy();
    const hidden = await errorOf(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })));
    expect([hidden.name, hidden.status, hidden.headers['x-amz-delete-marker']]).toEqual(['NoSuchKey', 404, 'true']);
    const onMarker = await errorOf(s3.send(new HeadObjectCommand({ Bucket, Key: 'k', VersionId: del.VersionId })));
    expect(onMarker.status).toBe(405);
    expect((await s3.send(new ListObjectsV2Command({ Bucket }))).KeyCount).toBe(0);
    const noVersion = await errorOf(s3.send(new GetObjectCommand({ Bucket, Key: 'k', VersionId: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })));
    expect([noVersion.name, noVersion.status]).toEqual(['NoSuchVersion', 404]);

    // copy from an old version
    const c = await s3.send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/k?versionId=${v1.VersionId}` }));
    expect(c.CopySourceVersionId).toBe(v1.VersionId);
    expect(c.VersionId).toBeTruthy();
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'copy' })))).toBe('one');

    // removing the delete marker reveals v2
    const rm = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: del.VersionId }));
    expect([rm.DeleteMarker, rm.VersionId]).toEqual([true, del.VersionId]);
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).toBe('two');
    // permanently deleting the current version makes v1 current
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k', VersionId: v2.VersionId }));
    expect(await text(s3.send(new GetObjectCommand({ Bucket, Key: 'k' })))).toBe('one');
  });

  it('ListObjectVersions: newest first per key, delete markers, KeyMarker/VersionIdMarker paging', async () => {
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'a1' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'a', Body: 'a2' }));
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'a' }));
    const all = await s3.send(new ListObjectVersionsCommand({ Bucket }));
    const a = [...(all.Versions ?? []), ...(all.DeleteMarkers ?? [])].filter((v) => v.Key === 'a');
    expect(a.length).toBe(3);
    expect(all.DeleteMarkers?.find((m) => m.Key === 'a')?.IsLatest).toBe(true);
    expect(all.Versions?.filter((v) => v.Key === 'a').every((v) => v.IsLatest === false)).toBe(true);
    const k = all.Versions!.filter((v) => v.Key === 'k');
    expect(k.map((v) => v.VersionId)).toContain('null');
    expect(k[0]!.IsLatest).toBe(true);

    // page through one entry at a time and get the same sequence
    const seen: string[] = [];
    let KeyMarker: string | undefined, VersionIdMarker: string | undefined;
    for (let i = 0; i < 20; i++) {
      const p = await s3.send(new ListObjectVersionsCommand({ Bucket, MaxKeys: 1, KeyMarker, VersionIdMarker }));
      for (const v of [...(p.Versions ?? []), ...(p.DeleteMarkers ?? [])]) seen.push(`${v.Key}:${v.VersionId}`);
      if (!p.IsTruncated) break;
      KeyMarker = p.NextKeyMarker;
      VersionIdMarker = p.NextVersionIdMarker;
    }
    const order = (all.Versions ?? []).concat(all.DeleteMarkers ?? []).length;
    expect(seen.length).toBe(order);
    expect(new Set(seen).size).toBe(order);
    expect(seen.map((s) => s.split(':')[0])).toEqual([...seen.map((s) => s.split(':')[0])].sort());
  });

  it('Suspended: new writes replace the null version; deletes put a null delete marker', async () => {
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
    const p = await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'suspended' }));
    expect(p.VersionId).toBe('null');
    const before = (await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'k' }))).Versions!;
    expect(before.filter((v) => v.VersionId === 'null').length).toBe(1);
    await s3.send(new PutObjectCommand({ Bucket, Key: 'k', Body: 'suspended2' }));
    const after = (await s3.send(new ListObjectVersionsCommand({ Bucket, Prefix: 'k' }))).Versions!;
    expect(after.length).toBe(before.length);
    const d = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'k' }));
    expect([d.DeleteMarker, d.VersionId]).toEqual([true, 'null']);
    const bucketNotEmpty = await errorOf(s3.send(new DeleteBucketCommand({ Bucket })));
    expect(bucketNotEmpty.name).toBe('BucketNotEmpty');
  });

  it.skipIf(!HAS_AWS_CLI)('through the AWS CLI', async () => {
    let r = await awsCli(h.g, ['s3api', 'put-bucket-versioning', '--bucket', Bucket, '--versioning-configuration', 'Status=Enabled']);
    expect(r.status, r.stderr).toBe(0);
    r = await awsCli(h.g, ['s3api', 'get-bucket-versioning', '--bucket', Bucket]);
    expect(r.json).toEqual({ Status: 'Enabled', MFADelete: 'Disabled' });
    r = await awsCli(h.g, ['s3api', 'list-object-versions', '--bucket', Bucket, '--prefix', 'a']);
    expect(r.status, r.stderr).toBe(0);
    expect((r.json as { DeleteMarkers: unknown[] }).DeleteMarkers.length).toBe(1);
  });

  it.skipIf(!HAS_PYTHON_BOTO3)('through boto3', async () => {
    const r = await boto3(h.g, `s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
v = s3.put_object(Bucket='${Bucket}', Key='boto', Body=b'x')['VersionId']
s3.put_object(Bucket='${Bucket}', Key='boto', Body=b'y')
old = s3.get_object(Bucket='${Bucket}', Key='boto', VersionId=v)['Body'].read().decode()
vs = s3.list_object_versions(Bucket='${Bucket}', Prefix='boto')['Versions']
print(json.dumps([old, len(vs), vs[0]['IsLatest']]))`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual(['x', 2, true]);
  });
});
