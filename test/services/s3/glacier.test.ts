// covers: s3.RestoreObject s3.PutObject s3.GetObject s3.HeadObject s3.CopyObject
/** Archive storage classes: reads refused until RestoreObject completes on the virtual clock. */
import { describe, it, expect, beforeAll } from 'vitest';
import { S3Client, CreateBucketCommand, PutObjectCommand, GetObjectCommand, HeadObjectCommand, CopyObjectCommand, RestoreObjectCommand } from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, rejection, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Bucket = 'archive-bucket';
const text = async (Key: string) => (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToString();
const restoreHeader = async (Key: string) => (await s3.send(new HeadObjectCommand({ Bucket, Key }))).Restore;
const restore = (Key: string, Days: number | undefined, Tier?: 'Expedited' | 'Standard' | 'Bulk') =>
  s3.send(new RestoreObjectCommand({ Bucket, Key, RestoreRequest: { Days, ...(Tier ? { GlacierJobParameters: { Tier } } : {}) } }));
const putClass = (Key: string, StorageClass: 'GLACIER' | 'DEEP_ARCHIVE' | 'GLACIER_IR' | 'STANDARD') =>
  s3.send(new PutObjectCommand({ Bucket, Key, Body: `body of ${Key}`, StorageClass }));

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  h.g.clock.set('2030-06-01T10:00:00Z');
  await s3.send(new CreateBucketCommand({ Bucket }));
});

describe('archived objects', () => {
  it('refuse GET and copies, answer HEAD; GLACIER_IR reads directly; other classes cannot be restored', async () => {
    await putClass('cold', 'GLACIER');
    const get = await rejection(s3.send(new GetObjectCommand({ Bucket, Key: 'cold' })));
    expect([get.name, get.message, get.$metadata?.httpStatusCode, get.StorageClass]).toEqual(['InvalidObjectState', "The operation is not valid for the object's storage class", 403, 'GLACIER']);
    const head = await s3.send(new HeadObjectCommand({ Bucket, Key: 'cold' }));
    expect([head.StorageClass, head.Restore, head.ContentLength]).toEqual(['GLACIER', undefined, 12]);
    expect(await failure(s3.send(new CopyObjectCommand({ Bucket, Key: 'copy', CopySource: `${Bucket}/cold` })))).toMatchObject({ name: 'ObjectNotInActiveTierError', status: 403 });

    await putClass('instant', 'GLACIER_IR');
    expect(await text('instant')).toBe('body of instant');
    await putClass('hot', 'STANDARD');
    for (const Key of ['instant', 'hot']) {
      expect(await failure(restore(Key, 1))).toEqual({ name: 'InvalidObjectState', message: "Restore is not allowed for the object's current storage class", status: 403 });
    }
    expect((await failure(restore('cold', undefined))).name).toBe('MalformedXML');
  });

  it('Expedited restore of GLACIER: in progress for 5 minutes, then readable until the expiry midnight', async () => {
    h.g.clock.set('2030-06-01T10:00:00Z');
    await putClass('exp', 'GLACIER');
    const started = await restore('exp', 2, 'Expedited');
    expect(started.$metadata.httpStatusCode).toBe(202);
    expect(await restoreHeader('exp')).toBe('ongoing-request="true"');
    expect(await failure(restore('exp', 2, 'Expedited'))).toEqual({ name: 'RestoreAlreadyInProgress', message: 'Object restore is already in progress', status: 409 });

    h.g.clock.advance('4m59s');
    expect((await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'exp' })))).name).toBe('InvalidObjectState');
    h.g.clock.advance('1s');
    // completed 10:05 + 2 days, rounded up to the next midnight UTC
    const expiry = new Date('2030-06-04T00:00:00Z').toUTCString();
    expect(await restoreHeader('exp')).toBe(`ongoing-request="false", expiry-date="${expiry}"`);
    expect(await text('exp')).toBe('body of exp');
    expect((await s3.send(new HeadObjectCommand({ Bucket, Key: 'exp' }))).StorageClass).toBe('GLACIER');

    // a new request on a restored copy moves its expiry (200, not 202)
    h.g.clock.set('2030-06-02T12:00:00Z');
    const again = await restore('exp', 3);
    expect(again.$metadata.httpStatusCode).toBe(200);
    expect(await restoreHeader('exp')).toBe(`ongoing-request="false", expiry-date="${new Date('2030-06-06T00:00:00Z').toUTCString()}"`);

    h.g.clock.set('2030-06-05T23:59:59Z');
    expect(await text('exp')).toBe('body of exp');
    h.g.clock.set('2030-06-06T00:00:00Z');
    expect(await restoreHeader('exp')).toBeUndefined();
    expect((await failure(s3.send(new GetObjectCommand({ Bucket, Key: 'exp' })))).name).toBe('InvalidObjectState');
  });

  it('takes each tier its documented time (GLACIER Standard 5 h, Bulk 12 h; DEEP_ARCHIVE Standard 12 h, Bulk 48 h, no Expedited)', async () => {
    h.g.clock.set('2030-07-01T00:00:00Z');
    await putClass('g-std', 'GLACIER');
    await putClass('g-bulk', 'GLACIER');
    await putClass('d-std', 'DEEP_ARCHIVE');
    await putClass('d-bulk', 'DEEP_ARCHIVE');
    expect(await failure(restore('d-std', 1, 'Expedited'))).toMatchObject({ name: 'InvalidArgument', status: 400 });
    await restore('g-std', 1); // Standard is the default tier
    await restore('g-bulk', 1, 'Bulk');
    await restore('d-std', 1, 'Standard');
    await restore('d-bulk', 1, 'Bulk');
    const done = async () => {
      const out: string[] = [];
      for (const k of ['g-std', 'g-bulk', 'd-std', 'd-bulk']) if ((await restoreHeader(k))?.startsWith('ongoing-request="false"')) out.push(k);
      return out;
    };
    h.g.clock.advance('4h59m');
    expect(await done()).toEqual([]);
    h.g.clock.advance('1m');
    expect(await done()).toEqual(['g-std']);
    h.g.clock.advance('7h');
    expect(await done()).toEqual(['g-std', 'g-bulk', 'd-std']);
    h.g.clock.advance('35h59m');
    expect(await done()).toEqual(['g-std', 'g-bulk', 'd-std']);
    h.g.clock.advance('1m');
    expect(await done()).toContain('d-bulk');
    expect(await text('d-bulk')).toBe('body of d-bulk');
  });

  it.skipIf(!HAS_AWS_CLI)('restores through the AWS CLI', async () => {
    h.g.clock.set('2030-08-01T00:00:00Z');
    await putClass('cli', 'DEEP_ARCHIVE');
    const r = await awsCli(h.g, ['s3api', 'restore-object', '--bucket', Bucket, '--key', 'cli', '--restore-request', 'Days=1,GlacierJobParameters={Tier=Bulk}']);
    expect(r.status, r.stderr).toBe(0);
    const head = await awsCli(h.g, ['s3api', 'head-object', '--bucket', Bucket, '--key', 'cli']);
    expect(head.json).toMatchObject({ StorageClass: 'DEEP_ARCHIVE', Restore: 'ongoing-request="true"' });
  });
});
