/**
 * S3 Inventory on the virtual clock: at midnight UTC every enabled configuration that is due
 * (Daily: every day; Weekly: the first midnight after it was configured, then Sundays) writes a
 * report into its destination bucket, as S3 does: a gzipped CSV data file under `data/`, then
 * `<date>/manifest.json` listing it, `<date>/manifest.checksum` (the manifest's MD5) and the
 * Athena `hive/dt=…/symlink.txt`. The CSV is streamed into the data file (constant memory).
 *
 * Delivery is done as S3 (`s3.amazonaws.com`): the destination's bucket policy must allow it
 * s3:PutObject, and the destination must be in the source bucket's region. ORC and Parquet
 * configurations are stored but produce no report. Failures are recorded in `failures`.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { InventoryConfiguration } from './generated/types.js';
import type { Table } from '../../state/store.js';
import type { Bucket, ObjectRecord, S3State } from './state.js';
import { everyMidnight } from './domain/restore.js';
import { compareKeys } from './domain/keys.js';
import { bucketOfArn } from './domain/bucket-configs.js';
import { inventoryColumns, inventoryManifest, inventoryPaths, inventoryRow, type ManifestFile } from './domain/inventory.js';
import { serviceAllowed } from './domain/policy.js';

export interface InventoryFailure { bucket: string; id: string; reason: string }

export class InventoryRunner {
  private readonly cancel: () => void;
  /** `<bucket>/<id>` → when its last report was made (for Weekly schedules) */
  private readonly runs: Table<number>;
  readonly failures: InventoryFailure[] = [];

  constructor(private readonly state: S3State) {
    this.runs = state.rt.table<number>('inventory-runs');
    this.cancel = everyMidnight(state.rt.clock, (midnight) => this.run(midnight));
  }

  stop(): void {
    this.cancel();
  }

  /** One evaluation at `now` (a midnight): every due configuration of every bucket. */
  run(now: number): void {
    const sunday = new Date(now).getUTCDay() === 0;
    for (const [scope, recs] of this.state.buckets.allScopes()) {
      for (const record of [...recs.values()]) {
        for (const c of Object.values(record.inventory ?? {})) {
          if (!c.IsEnabled) continue;
          const runKey = `${record.name}/${c.Id}`;
          if (c.Schedule.Frequency === 'Weekly' && !sunday && this.runs.has(scope, runKey)) continue;
          this.runs.put(scope, runKey, now);
          void this.report({ record, scope }, c, now).catch((e: unknown) => this.fail(record.name, c.Id, e instanceof Error ? e.message : String(e)));
        }
      }
    }
  }

  private fail(bucket: string, id: string, reason: string): void {
    this.failures.push({ bucket, id, reason });
    if (this.failures.length > 100) this.failures.shift();
  }

  /** The source's versions a report lists, in key order (newest version first within a key). */
  private *versions(b: Bucket, all: boolean, prefix: string): Generator<[ObjectRecord, boolean]> {
    const keys = this.state.keys(b);
    const vkeys = this.state.versionKeys(b);
    let i = keys.lowerBound(prefix);
    let j = all ? vkeys.lowerBound(prefix) : vkeys.size;
    for (;;) {
      const k1 = keys.at(i);
      const k2 = all ? vkeys.at(j) : undefined;
      const key = k1 !== undefined && (k2 === undefined || compareKeys(k1, k2) <= 0) ? k1 : k2;
      if (key === undefined || !key.startsWith(prefix)) return;
      const cur = this.state.getObject(b, key);
      if (cur) yield [cur, true];
      if (all) {
        const list = this.state.versionsOf(b, key);
        for (let n = 0; n < list.length; n++) yield [list[n]!, !cur && n === 0];
      }
      // positions are found again by key: the bucket may change while the report streams
      i = keys.upperBound(key);
      if (all) j = vkeys.upperBound(key);
    }
  }

  private async report(source: Bucket, c: InventoryConfiguration, now: number): Promise<void> {
    const d = c.Destination.S3BucketDestination;
    if (d.Format !== 'CSV') return this.fail(source.record.name, c.Id, `${d.Format} reports are not produced (CSV only)`);
    const destName = bucketOfArn(d.Bucket)!;
    const dest = this.state.bucketByName(destName);
    if (!dest) return this.fail(source.record.name, c.Id, 'the destination bucket does not exist');
    if (d.AccountId !== undefined && d.AccountId !== dest.record.account) return this.fail(source.record.name, c.Id, 'the destination bucket is not owned by AccountId');
    if (dest.record.region !== source.record.region) return this.fail(source.record.name, c.Id, 'the destination bucket is in another region');
    const context = { 'aws:SourceArn': `arn:aws:s3:::${source.record.name}`, 'aws:SourceAccount': source.record.account, 's3:x-amz-acl': 'bucket-owner-full-control' };
    const paths = inventoryPaths(c, source.record.name, now);
    if (!serviceAllowed(dest.record.policy, 's3.amazonaws.com', 's3:PutObject', `arn:aws:s3:::${destName}/${paths.dated}/manifest.json`, context)) {
      return this.fail(source.record.name, c.Id, 'the destination bucket policy does not allow s3.amazonaws.com to write');
    }
    const enc = d.Encryption?.SSEKMS ? { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: d.Encryption.SSEKMS.KeyId } : d.Encryption?.SSES3 ? { ServerSideEncryption: 'AES256' } : {};
    const put = (Key: string, Body: Buffer | Readable, ContentType: string) =>
      this.state.rt.call('s3', 'PutObject', { Bucket: destName, Key, Body, ContentType, ...enc }, dest.scope) as Promise<{ ETag?: string }>;

    const columns = inventoryColumns(c);
    const owner = { name: source.record.name, account: source.record.account };
    const versions = this.versions(source, c.IncludedObjectVersions === 'All', c.Filter?.Prefix ?? '');
    const rows = Readable.from((function* () {
      for (const [o, latest] of versions) yield Buffer.from(inventoryRow(columns, owner, o, latest));
    })());
    const dataKey = paths.data(randomUUID());
    const written = await put(dataKey, rows.pipe(createGzip()), 'application/x-gzip');
    const size = this.state.getObject(dest, dataKey)?.size ?? 0;
    const files: ManifestFile[] = [{ key: dataKey, size, MD5checksum: (written.ETag ?? '').replace(/"/g, '') }];
    const manifest = Buffer.from(inventoryManifest(c, source.record.name, now, files));
    await put(`${paths.dated}/manifest.json`, manifest, 'application/json');
    await put(`${paths.dated}/manifest.checksum`, Buffer.from(createHash('md5').update(manifest).digest('hex')), 'text/plain');
    await put(paths.hive, Buffer.from(`s3://${destName}/${dataKey}\n`), 'text/plain');
  }
}
