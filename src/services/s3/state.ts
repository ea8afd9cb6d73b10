/**
 * S3 state. Buckets are regional resources (table `buckets`, scoped account × bucket region)
 * whose names are global per partition: `names` indexes every bucket of every account,
 * rebuilt from the table at start-up. Object metadata lives in `objects` (same scope as its
 * bucket, key "<bucket>/<key>"), object bytes in blob files; each bucket also has an
 * in-memory sorted key index for listings, built on first use.
 */
import type { RequestContext } from '../../gateway/context.js';
import type { Scope, Table } from '../../state/store.js';
import type { BlobStore } from '../../state/blobs.js';
import type { ServiceRuntime } from '../service.js';
import type { BucketRecord } from './domain/buckets.js';
import { newHasher, type ChecksumAlgorithm } from './domain/checksums.js';
import { SortedKeys } from './domain/keys.js';
import { accessDenied, noSuchBucket, noSuchKey } from './domain/errors.js';

export interface ObjectRecord {
  key: string;
  blob: string;
  size: number;
  etag: string;            // quoted MD5 hex
  lastModified: number;    // epoch ms, whole seconds (S3's precision)
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: number;
  websiteRedirectLocation?: string;
  metadata: Record<string, string>;
  /** value absent: S3's default CRC64NVME, computed on first request (see checksums.ts) */
  checksum: { algorithm: ChecksumAlgorithm; value?: string };
  storageClass: string;
  tagCount?: number;
}

export interface Bucket {
  record: BucketRecord;
  scope: Scope;
}

const objectKey = (bucket: string, key: string) => `${bucket}/${key}`;

export class S3State {
  readonly buckets: Table<BucketRecord>;
  readonly objects: Table<ObjectRecord>;
  /** bucket name → owning account and region, across all accounts */
  private readonly names = new Map<string, Scope>();
  private readonly keyIndexes = new Map<string, SortedKeys>();

  constructor(readonly rt: ServiceRuntime) {
    this.buckets = rt.table<BucketRecord>('buckets');
    this.objects = rt.table<ObjectRecord>('objects');
    for (const [scope, recs] of this.buckets.allScopes()) for (const name of recs.keys()) this.names.set(name, scope);
  }

  get blobs(): BlobStore {
    return this.rt.blobs();
  }

  /** Owner and region of a bucket name, whoever owns it. */
  locate(name: string): Scope | undefined {
    return this.names.get(name);
  }

  /** The caller's bucket, or NoSuchBucket / AccessDenied (another account's). */
  bucket(ctx: RequestContext, name: string): Bucket {
    const scope = this.names.get(name);
    const record = scope && this.buckets.get(scope, name);
    if (!scope || !record) throw noSuchBucket(name);
    if (scope.account !== ctx.accountId && !ctx.internal) throw accessDenied();
    return { record, scope };
  }

  addBucket(record: BucketRecord): void {
    const scope = { account: record.account, region: record.region };
    this.buckets.put(scope, record.name, record);
    this.names.set(record.name, scope);
  }

  removeBucket(b: Bucket): void {
    this.buckets.delete(b.scope, b.record.name);
    this.names.delete(b.record.name);
    this.keyIndexes.delete(this.indexId(b));
  }

  /** Buckets owned by an account, in name order. */
  bucketsOf(account: string): BucketRecord[] {
    const out: BucketRecord[] = [];
    for (const [name, scope] of this.names) {
      if (scope.account !== account) continue;
      const r = this.buckets.get(scope, name);
      if (r) out.push(r);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  // ---- objects

  getObject(b: Bucket, key: string): ObjectRecord | undefined {
    return this.objects.get(b.scope, objectKey(b.record.name, key));
  }

  requireObject(b: Bucket, key: string): ObjectRecord {
    const o = this.getObject(b, key);
    if (!o) throw noSuchKey(key);
    return o;
  }

  /** Store (or replace) an object; returns the record it replaced. */
  putObject(b: Bucket, rec: ObjectRecord): ObjectRecord | undefined {
    const k = objectKey(b.record.name, rec.key);
    const old = this.objects.get(b.scope, k);
    this.objects.put(b.scope, k, rec);
    if (!old) this.keys(b).insert(rec.key);
    return old;
  }

  deleteObject(b: Bucket, key: string): ObjectRecord | undefined {
    const k = objectKey(b.record.name, key);
    const old = this.objects.get(b.scope, k);
    if (!old) return undefined;
    this.objects.delete(b.scope, k);
    this.keys(b).remove(key);
    return old;
  }

  objectCount(b: Bucket): number {
    return this.keys(b).size;
  }

  /** The bucket's keys in listing order. */
  keys(b: Bucket): SortedKeys {
    const id = this.indexId(b);
    let idx = this.keyIndexes.get(id);
    if (!idx) {
      const prefix = b.record.name + '/';
      const names: string[] = [];
      for (const k of keysOf(this.objects.entries(b.scope))) if (k.startsWith(prefix)) names.push(k.slice(prefix.length));
      this.keyIndexes.set(id, (idx = new SortedKeys(names)));
    }
    return idx;
  }

  /** The object's checksum value, computing (and storing) S3's default one on first use. */
  async checksumValue(b: Bucket, obj: ObjectRecord): Promise<string> {
    if (obj.checksum.value !== undefined) return obj.checksum.value;
    const h = newHasher(obj.checksum.algorithm);
    for await (const chunk of this.blobs.read(obj.blob)) h.update(chunk as Buffer);
    const value = h.digestBase64();
    const now = this.getObject(b, obj.key);
    if (now && now.blob === obj.blob && now.checksum.value === undefined) {
      this.objects.put(b.scope, objectKey(b.record.name, obj.key), { ...now, checksum: { algorithm: now.checksum.algorithm, value } });
    }
    return value;
  }

  /** Remove a replaced or deleted object's bytes once the metadata change is durable. */
  dropBlobLater(blob: string): void {
    void this.rt.store.committed().then(() => this.blobs.delete(blob));
  }

  private indexId(b: Bucket): string {
    return `${b.scope.account}/${b.scope.region}/${b.record.name}`;
  }
}

function* keysOf(entries: IterableIterator<[string, unknown]>): Generator<string> {
  for (const [k] of entries) yield k;
}
