/**
 * S3 state. Buckets are regional resources (table `buckets`, scoped account × bucket region)
 * whose names are global per partition: `names` indexes every bucket of every account,
 * rebuilt from the table at start-up. The current version of each object lives in `objects`
 * (same scope as its bucket, key "<bucket>/<key>"); older versions and delete markers in
 * `versions` (same key, newest first); object bytes in blob files (one, or one per part for
 * multipart objects). Each bucket has in-memory sorted key indexes for listings, built on
 * first use. In-progress multipart uploads are in `uploads` and their parts in `parts`.
 */
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../gateway/context.js';
import type { Scope, Table } from '../../state/store.js';
import type { BlobStore } from '../../state/blobs.js';
import type { ServiceRuntime } from '../service.js';
import type { BucketRecord } from './domain/buckets.js';
import { newHasher, type ChecksumAlgorithm } from './domain/checksums.js';
import { SortedKeys } from './domain/keys.js';
import { accessDenied, noSuchBucket, noSuchKey } from './domain/errors.js';
import { openParts, type PartRef } from './domain/parts.js';
import type { PartRecord, UploadRecord } from './domain/multipart.js';
import { crossAccountGranted } from './domain/grants.js';
import type { ObjectSse } from './domain/sse.js';
import type { ObjectLock } from './domain/lock.js';
import type { RestoreState } from './domain/restore.js';
import type { ReplicationStatus } from './domain/replicate.js';

export interface ObjectRecord {
  key: string;
  /** the bytes; '' when `parts` holds them (multipart objects) */
  blob: string;
  parts?: PartRef[];
  size: number;
  etag: string;            // quoted MD5 hex, or "<md5 of part md5s>-N"
  lastModified: number;    // epoch ms, whole seconds (S3's precision)
  contentType: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: number;
  websiteRedirectLocation?: string;
  metadata: Record<string, string>;
  /** value absent: computed on first request (S3's default CRC64NVME, full-object CRCs of multipart objects) */
  checksum: { algorithm: ChecksumAlgorithm; value?: string; type?: 'FULL_OBJECT' | 'COMPOSITE' };
  storageClass: string;
  tags?: { Key: string; Value: string }[];
  /** absent: the `null` version */
  versionId?: string;
  deleteMarker?: true;
  /** absent: the bucket owner with FULL_CONTROL (domain/acl.ts) */
  acl?: import('./domain/acl.js').StoredAcl;
  /** absent: SSE-S3 (AES256), S3's default (domain/sse.ts) */
  sse?: ObjectSse;
  /** Object Lock retention and legal hold (domain/lock.ts) */
  lock?: ObjectLock;
  /** archive restore in progress or done (domain/restore.ts) */
  restore?: RestoreState;
  /** x-amz-replication-status (domain/replicate.ts) */
  replication?: ReplicationStatus;
}

export interface Bucket {
  record: BucketRecord;
  scope: Scope;
}

const objectKey = (bucket: string, key: string) => `${bucket}/${key}`;
export const newVersionId = () => randomBytes(24).toString('base64url');
export const versionIdOf = (o: { versionId?: string }) => o.versionId ?? 'null';
export const blobIds = (o: ObjectRecord): string[] => (o.parts ? o.parts.map((p) => p.blob) : o.deleteMarker || !o.blob ? [] : [o.blob]);

export class S3State {
  readonly buckets: Table<BucketRecord>;
  readonly objects: Table<ObjectRecord>;
  /** noncurrent versions and delete markers, newest first */
  readonly versions: Table<ObjectRecord[]>;
  readonly uploads: Table<UploadRecord>;
  readonly parts: Table<PartRecord>;
  /** bucket name → owning account and region, across all accounts */
  private readonly names = new Map<string, Scope>();
  private readonly keyIndexes = new Map<string, SortedKeys>();
  private readonly versionKeyIndexes = new Map<string, SortedKeys>();
  /** uploadId → its parts by number (rebuilt from `parts` at start-up) */
  readonly uploadParts = new Map<string, Map<number, PartRecord>>();

  constructor(readonly rt: ServiceRuntime) {
    this.buckets = rt.table<BucketRecord>('buckets');
    this.objects = rt.table<ObjectRecord>('objects');
    this.versions = rt.table<ObjectRecord[]>('versions');
    this.uploads = rt.table<UploadRecord>('uploads');
    this.parts = rt.table<PartRecord>('parts');
    for (const [scope, recs] of this.buckets.allScopes()) for (const name of recs.keys()) this.names.set(name, scope);
    for (const [, recs] of this.parts.allScopes()) {
      for (const p of recs.values()) {
        let m = this.uploadParts.get(p.uploadId);
        if (!m) this.uploadParts.set(p.uploadId, (m = new Map()));
        m.set(p.partNumber, p);
      }
    }
  }

  get blobs(): BlobStore {
    return this.rt.blobs();
  }

  /** Owner and region of a bucket name, whoever owns it. */
  locate(name: string): Scope | undefined {
    return this.names.get(name);
  }

  /** The caller's bucket, or NoSuchBucket / AccessDenied (another account's). */
  bucket(ctx: RequestContext, name: string, expectedOwner?: string): Bucket {
    const scope = this.names.get(name);
    const record = scope && this.buckets.get(scope, name);
    if (!scope || !record) throw noSuchBucket(name);
    // another account's bucket: only when its policy or ACL let this request in (domain/access.ts)
    if (scope.account !== ctx.accountId && !ctx.internal && !crossAccountGranted(ctx, name)) throw accessDenied();
    if (expectedOwner !== undefined && expectedOwner !== record.account) throw accessDenied();
    return { record, scope };
  }

  /** The bucket of a name regardless of the caller (CORS preflights carry no credentials). */
  bucketByName(name: string): Bucket | undefined {
    const scope = this.names.get(name);
    const record = scope && this.buckets.get(scope, name);
    return scope && record ? { scope, record } : undefined;
  }

  addBucket(record: BucketRecord): void {
    const scope = { account: record.account, region: record.region };
    this.buckets.put(scope, record.name, record);
    this.names.set(record.name, scope);
  }

  updateBucket(b: Bucket, change: Partial<BucketRecord>): void {
    const next = { ...b.record, ...change };
    for (const k of Object.keys(change) as (keyof BucketRecord)[]) if (change[k] === undefined) delete next[k];
    this.buckets.put(b.scope, b.record.name, next);
    b.record = next;
  }

  removeBucket(b: Bucket): void {
    this.buckets.delete(b.scope, b.record.name);
    this.names.delete(b.record.name);
    this.keyIndexes.delete(this.indexId(b));
    this.versionKeyIndexes.delete(this.indexId(b));
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

  // ---- objects (current versions)

  getObject(b: Bucket, key: string): ObjectRecord | undefined {
    return this.objects.get(b.scope, objectKey(b.record.name, key));
  }

  requireObject(b: Bucket, key: string): ObjectRecord {
    const o = this.getObject(b, key);
    if (!o) throw noSuchKey(key);
    return o;
  }

  /** Noncurrent versions and delete markers of a key, newest first (a delete marker first is the current version). */
  versionsOf(b: Bucket, key: string): ObjectRecord[] {
    return this.versions.get(b.scope, objectKey(b.record.name, key)) ?? [];
  }

  /** The newest version of a key: the live object or a delete marker. */
  latest(b: Bucket, key: string): ObjectRecord | undefined {
    return this.getObject(b, key) ?? this.versionsOf(b, key)[0];
  }

  /** A version by id ("null" for the null version). */
  findVersion(b: Bucket, key: string, versionId: string): ObjectRecord | undefined {
    const cur = this.getObject(b, key);
    if (cur && versionIdOf(cur) === versionId) return cur;
    return this.versionsOf(b, key).find((v) => versionIdOf(v) === versionId);
  }

  /** Replace a stored record in place (tags, a computed checksum), wherever its version lives. */
  updateVersion(b: Bucket, rec: ObjectRecord, change: Partial<ObjectRecord>): ObjectRecord {
    const next = { ...rec, ...change };
    for (const k of Object.keys(change) as (keyof ObjectRecord)[]) if (change[k] === undefined) delete next[k];
    const k = objectKey(b.record.name, rec.key);
    const cur = this.objects.get(b.scope, k);
    if (cur && versionIdOf(cur) === versionIdOf(rec)) this.objects.put(b.scope, k, next);
    else {
      const list = this.versionsOf(b, rec.key);
      const i = list.findIndex((v) => versionIdOf(v) === versionIdOf(rec));
      if (i >= 0) this.setVersions(b, rec.key, list.map((v, j) => (j === i ? next : v)));
    }
    return next;
  }

  /**
   * Store a new current version, as the bucket's versioning state says: unversioned and
   * Suspended buckets replace the null version; Enabled buckets keep the previous one.
   * Returns the stored record (with its version id).
   */
  writeObject(b: Bucket, rec: ObjectRecord): ObjectRecord {
    const k = objectKey(b.record.name, rec.key);
    const old = this.objects.get(b.scope, k);
    const status = b.record.versioning;
    if (!status) {
      this.objects.put(b.scope, k, rec);
      if (old) this.dropBlobsLater(old);
      else this.keys(b).insert(rec.key);
      return rec;
    }
    const stored: ObjectRecord = status === 'Enabled' ? { ...rec, versionId: newVersionId() } : { ...rec };
    if (status !== 'Enabled') delete stored.versionId;
    this.pushCurrent(b, rec.key, old, status === 'Suspended');
    this.objects.put(b.scope, k, stored);
    if (!old) this.keys(b).insert(rec.key);
    return stored;
  }

  /**
   * DeleteObject without a version id: removes the object (unversioned) or puts a delete
   * marker on top (versioned). Returns the delete marker, if one was created.
   */
  deleteCurrent(b: Bucket, key: string): ObjectRecord | undefined {
    const k = objectKey(b.record.name, key);
    const old = this.objects.get(b.scope, k);
    const status = b.record.versioning;
    if (!status) {
      if (!old) return undefined;
      this.objects.delete(b.scope, k);
      this.keys(b).remove(key);
      this.dropBlobsLater(old);
      return undefined;
    }
    const marker: ObjectRecord = {
      key, blob: '', size: 0, etag: '', lastModified: Math.floor(this.rt.clock.now() / 1000) * 1000, contentType: '', metadata: {},
      checksum: { algorithm: 'CRC64NVME' }, storageClass: 'STANDARD', deleteMarker: true,
      ...(status === 'Enabled' ? { versionId: newVersionId() } : {}),
    };
    this.pushCurrent(b, key, old, status === 'Suspended');
    if (old) {
      this.objects.delete(b.scope, k);
      this.keys(b).remove(key);
    }
    this.setVersions(b, key, [marker, ...this.versionsOf(b, key)]);
    return marker;
  }

  /** Permanently remove one version; the next newest becomes current. Returns what was removed. */
  deleteVersion(b: Bucket, key: string, versionId: string): ObjectRecord | undefined {
    const k = objectKey(b.record.name, key);
    const cur = this.objects.get(b.scope, k);
    if (cur && versionIdOf(cur) === versionId) {
      this.objects.delete(b.scope, k);
      const list = this.versionsOf(b, key);
      if (list[0] && !list[0].deleteMarker) {
        this.objects.put(b.scope, k, list[0]);
        this.setVersions(b, key, list.slice(1));
      } else this.keys(b).remove(key);
      this.dropBlobsLater(cur);
      return cur;
    }
    const list = this.versionsOf(b, key);
    const i = list.findIndex((v) => versionIdOf(v) === versionId);
    if (i < 0) return undefined;
    const gone = list[i]!;
    const rest = list.filter((_, j) => j !== i);
    if (i === 0 && !cur && rest[0] && !rest[0].deleteMarker) {
      // the delete marker on top went away: the version under it is current again
      this.objects.put(b.scope, k, rest[0]);
      this.keys(b).insert(key);
      this.setVersions(b, key, rest.slice(1));
    } else this.setVersions(b, key, rest);
    this.dropBlobsLater(gone);
    return gone;
  }

  /** Move the current version into the history (dropping a null version that gets replaced). */
  private pushCurrent(b: Bucket, key: string, old: ObjectRecord | undefined, replacesNull: boolean): void {
    let list = this.versionsOf(b, key);
    if (replacesNull) {
      const nulls = list.filter((v) => v.versionId === undefined);
      if (nulls.length) {
        nulls.forEach((v) => this.dropBlobsLater(v));
        list = list.filter((v) => v.versionId !== undefined);
      }
    }
    if (old) {
      if (replacesNull && old.versionId === undefined) this.dropBlobsLater(old);
      else list = [old, ...list];
    }
    this.setVersions(b, key, list);
  }

  private setVersions(b: Bucket, key: string, list: ObjectRecord[]): void {
    const k = objectKey(b.record.name, key);
    const had = this.versions.has(b.scope, k);
    if (list.length) {
      this.versions.put(b.scope, k, list);
      if (!had) this.versionKeys(b).insert(key);
    } else if (had) {
      this.versions.delete(b.scope, k);
      this.versionKeys(b).remove(key);
    }
  }

  /** Live objects plus stored versions and delete markers. */
  objectCount(b: Bucket): number {
    return this.keys(b).size + this.versionKeys(b).size;
  }

  /** The bucket's keys with a live current version, in listing order. */
  keys(b: Bucket): SortedKeys {
    return this.index(this.keyIndexes, b, this.objects);
  }

  /** The bucket's keys with noncurrent versions or delete markers, in listing order. */
  versionKeys(b: Bucket): SortedKeys {
    return this.index(this.versionKeyIndexes, b, this.versions);
  }

  private index(cache: Map<string, SortedKeys>, b: Bucket, table: Table<unknown>): SortedKeys {
    const id = this.indexId(b);
    let idx = cache.get(id);
    if (!idx) {
      const prefix = b.record.name + '/';
      const names: string[] = [];
      for (const [k] of table.entries(b.scope)) if (k.startsWith(prefix)) names.push(k.slice(prefix.length));
      cache.set(id, (idx = new SortedKeys(names)));
    }
    return idx;
  }

  // ---- bytes

  /** A stream over an object's bytes (or the inclusive range), opened before it is returned. */
  openObject(obj: ObjectRecord, range?: { start: number; end: number }): Promise<Readable> {
    if (obj.parts) return openParts(this.blobs, obj.parts, range);
    return opened(this.blobs.read(obj.blob, range));
  }

  /** The object's checksum value, computing (and storing) it on first use. */
  async checksumValue(b: Bucket, obj: ObjectRecord): Promise<string> {
    if (obj.checksum.value !== undefined) return obj.checksum.value;
    const h = newHasher(obj.checksum.algorithm);
    if (obj.size > 0) for await (const chunk of await this.openObject(obj, { start: 0, end: obj.size - 1 })) h.update(chunk as Buffer);
    const value = h.digestBase64();
    const now = this.findVersion(b, obj.key, versionIdOf(obj));
    if (now && now.etag === obj.etag && now.lastModified === obj.lastModified && now.checksum.value === undefined) {
      this.updateVersion(b, now, { checksum: { ...now.checksum, value } });
    }
    return value;
  }

  /** Remove a replaced or deleted object's bytes once the metadata change is durable. */
  dropBlobsLater(obj: ObjectRecord): void {
    const ids = blobIds(obj);
    if (ids.length) void this.rt.store.committed().then(() => ids.forEach((id) => this.blobs.delete(id)));
  }

  dropBlobLater(blob: string): void {
    void this.rt.store.committed().then(() => this.blobs.delete(blob));
  }

  private indexId(b: Bucket): string {
    return `${b.scope.account}/${b.scope.region}/${b.record.name}`;
  }
}

/** Wait until a blob stream is open, so a vanished file is known before headers go out. */
export function opened(stream: Readable): Promise<Readable> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('ready', () => {
      stream.off('error', reject);
      resolve(stream);
    });
  });
}
