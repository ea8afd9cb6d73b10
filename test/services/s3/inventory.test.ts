// covers: s3.PutBucketInventoryConfiguration s3.PutBucketPolicy s3.PutBucketVersioning s3.PutObject s3.DeleteObject s3.ListObjectsV2 s3.GetObject s3.CreateBucket
/**
 * S3 Inventory reports on the virtual clock: at midnight UTC a due configuration writes a
 * gzipped CSV data file, manifest.json, manifest.checksum and the hive symlink into the
 * destination bucket, when the destination's policy lets S3 write.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, DeleteObjectCommand, ListObjectsV2Command, GetObjectCommand, PutBucketPolicyCommand,
  PutBucketVersioningCommand, PutBucketInventoryConfigurationCommand, type InventoryConfiguration,
} from '@aws-sdk/client-s3';
import { useGureum, clientConfig } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const Source = 'inv-source';
const Dest = 'inv-reports';
// a Wednesday
const T0 = Date.parse('2030-01-02T10:00:00Z');
const DAY = 86_400_000;
const settle = () => new Promise((r) => setTimeout(r, 100));

const bytes = async (Key: string, Bucket = Dest) => Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket, Key }))).Body!.transformToByteArray());
const keysUnder = async (Prefix: string) => ((await s3.send(new ListObjectsV2Command({ Bucket: Dest, Prefix }))).Contents ?? []).map((o) => o.Key!);

const inventory = (Id: string, extra: Partial<InventoryConfiguration> = {}): InventoryConfiguration => ({
  Id, IsEnabled: true, IncludedObjectVersions: 'Current', Schedule: { Frequency: 'Daily' },
  Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${Dest}`, Format: 'CSV', Prefix: 'reports' } },
  OptionalFields: ['Size', 'ETag', 'StorageClass', 'IsMultipartUploaded', 'EncryptionStatus'], ...extra,
});

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  h.g.clock.set(T0);
  await s3.send(new CreateBucketCommand({ Bucket: Source }));
  await s3.send(new CreateBucketCommand({ Bucket: Dest }));
  await s3.send(new PutBucketPolicyCommand({
    Bucket: Dest,
    Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{
        Sid: 'InventoryPolicy', Effect: 'Allow', Principal: { Service: 's3.amazonaws.com' }, Action: 's3:PutObject', Resource: `arn:aws:s3:::${Dest}/*`,
        Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::inv-*' }, StringEquals: { 'aws:SourceAccount': '000000000000', 's3:x-amz-acl': 'bucket-owner-full-control' } },
      }],
    }),
  }));
  await s3.send(new PutObjectCommand({ Bucket: Source, Key: 'data/b.csv', Body: 'bbbb' }));
  await s3.send(new PutObjectCommand({ Bucket: Source, Key: 'data/a b.csv', Body: 'aa', StorageClass: 'STANDARD_IA' }));
  await s3.send(new PutObjectCommand({ Bucket: Source, Key: 'other/z.txt', Body: 'z' }));
});

describe('inventory reports', () => {
  it('writes a CSV report with its manifest at the next midnight', async () => {
    await s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: Source, Id: 'daily', InventoryConfiguration: inventory('daily', { Filter: { Prefix: 'data/' } }) }));
    h.g.clock.set(T0 + 13 * 3_600_000); // 23:00: nothing yet
    await settle();
    expect(await keysUnder('reports/')).toEqual([]);
    h.g.clock.set(Date.parse('2030-01-03T00:00:00Z'));
    await settle();
    const keys = await keysUnder('reports/inv-source/daily/');
    const data = keys.filter((k) => k.includes('/data/'));
    expect(data).toHaveLength(1);
    expect(data[0]).toMatch(/^reports\/inv-source\/daily\/data\/[0-9a-f-]{36}\.csv\.gz$/);
    expect(keys).toEqual(expect.arrayContaining([
      'reports/inv-source/daily/2030-01-03T00-00Z/manifest.json',
      'reports/inv-source/daily/2030-01-03T00-00Z/manifest.checksum',
      'reports/inv-source/daily/hive/dt=2030-01-03-00-00/symlink.txt',
    ]));
    const gz = await bytes(data[0]!);
    const rows = gunzipSync(gz).toString().trim().split('\n');
    const md5 = (b: string) => createHash('md5').update(b).digest('hex');
    expect(rows).toEqual([
      `"inv-source","data/a%20b.csv","2","${md5('aa')}","STANDARD_IA","false","SSE-S3"`,
      `"inv-source","data/b.csv","4","${md5('bbbb')}","STANDARD","false","SSE-S3"`,
    ]);
    const manifestText = (await bytes('reports/inv-source/daily/2030-01-03T00-00Z/manifest.json')).toString();
    const manifest = JSON.parse(manifestText);
    expect(manifest).toEqual({
      sourceBucket: Source, destinationBucket: `arn:aws:s3:::${Dest}`, version: '2016-11-30', creationTimestamp: String(Date.parse('2030-01-03T00:00:00Z')),
      fileFormat: 'CSV', fileSchema: 'Bucket, Key, Size, ETag, StorageClass, IsMultipartUploaded, EncryptionStatus',
      files: [{ key: data[0], size: gz.length, MD5checksum: createHash('md5').update(gz).digest('hex') }],
    });
    expect((await bytes('reports/inv-source/daily/2030-01-03T00-00Z/manifest.checksum')).toString()).toBe(md5(manifestText));
    expect((await bytes('reports/inv-source/daily/hive/dt=2030-01-03-00-00/symlink.txt')).toString()).toBe(`s3://${Dest}/${data[0]}\n`);
    // and again the next day
    h.g.clock.set(Date.parse('2030-01-04T00:00:00Z'));
    await settle();
    expect((await keysUnder('reports/inv-source/daily/data/')).length).toBe(2);
  });

  it('lists every version with All, and runs Weekly reports first, then on Sundays', async () => {
    const B = 'inv-versioned';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: B, VersioningConfiguration: { Status: 'Enabled' } }));
    const v1 = (await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'one' }))).VersionId!;
    const v2 = (await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'two!' }))).VersionId!;
    const marker = (await s3.send(new DeleteObjectCommand({ Bucket: B, Key: 'gone' }))).VersionId!;
    await s3.send(new PutBucketInventoryConfigurationCommand({
      Bucket: B, Id: 'weekly',
      InventoryConfiguration: inventory('weekly', { IncludedObjectVersions: 'All', Schedule: { Frequency: 'Weekly' }, OptionalFields: ['Size'] }),
    }));
    const now = h.g.clock.now().getTime();
    h.g.clock.set(Math.floor(now / DAY) * DAY + DAY); // Saturday 2030-01-05: the first report
    await settle();
    const first = await keysUnder('reports/inv-versioned/weekly/data/');
    expect(first).toHaveLength(1);
    const rows = gunzipSync(await bytes(first[0]!)).toString().trim().split('\n');
    expect(rows).toEqual([
      `"inv-versioned","gone","${marker}","true","true",""`,
      `"inv-versioned","k","${v2}","true","false","4"`,
      `"inv-versioned","k","${v1}","false","false","3"`,
    ]);
    h.g.clock.set(Date.parse('2030-01-06T00:00:00Z')); // Sunday
    await settle();
    expect(await keysUnder('reports/inv-versioned/weekly/data/')).toHaveLength(2);
    h.g.clock.set(Date.parse('2030-01-07T00:00:00Z')); // Monday: not due
    await settle();
    expect(await keysUnder('reports/inv-versioned/weekly/data/')).toHaveLength(2);
  });

  it('writes nothing where S3 may not write', async () => {
    const B = 'other-source';
    const D = 'inv-closed-destination';
    await s3.send(new CreateBucketCommand({ Bucket: B }));
    await s3.send(new CreateBucketCommand({ Bucket: D }));
    await s3.send(new PutObjectCommand({ Bucket: B, Key: 'k', Body: 'v' }));
    const cfg = inventory('nope', { Destination: { S3BucketDestination: { Bucket: `arn:aws:s3:::${D}`, Format: 'CSV', Prefix: 'reports' } } });
    await s3.send(new PutBucketInventoryConfigurationCommand({ Bucket: B, Id: 'nope', InventoryConfiguration: cfg }));
    h.g.clock.set(Math.floor(h.g.clock.now().getTime() / DAY) * DAY + DAY);
    await settle();
    expect((await s3.send(new ListObjectsV2Command({ Bucket: D }))).KeyCount).toBe(0);
  });
});
