/**
 * DynamoDB Streams storage: one stream per StreamSpecification enablement (a new ARN and label
 * each time streams are turned on), one shard per stream, records appended in order with
 * increasing 21-digit sequence numbers. Stream descriptions live in the `streams` table and
 * records in `streamRecords` (one put per record: appending is O(1) plus one write); in memory
 * each stream keeps its records in an array sorted by sequence number, so reading from any
 * position is a binary search. Records older than 24 hours (virtual clock) are trimmed; a
 * disabled stream disappears 24 hours after it was disabled.
 */
import { randomUUID } from 'node:crypto';
import type { Scope, Table } from '../../../state/store.js';
import type { ServiceRuntime } from '../../service.js';
import type * as T from '../generated/types.js';
import { itemSize, type Item } from './values.js';

export const RETENTION_MS = 24 * 60 * 60 * 1000;

export interface StreamMeta {
  arn: string;
  table: string;
  label: string;
  viewType: string;
  keySchema: T.KeySchemaElement[];
  createdAt: number;
  shardId: string;
  /** the shard's first sequence number (reserved when the stream was created) */
  startSeq: string;
  /** set when the stream was disabled (or its table deleted): the shard is closed */
  endSeq?: string;
  disabledAt?: number;
  /** every record with a sequence number ≤ this has been trimmed */
  trimmedThrough?: string;
}

export interface StoredRecord {
  seq: string;
  at: number;
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  region: string;
  keys: Item;
  newImage?: Item;
  oldImage?: Item;
  size: number;
  /** TTL deletions: the service principal */
  service?: boolean;
}

const SEQ_BASE = 10n ** 20n;
const skey = (s: Scope) => `${s.account}/${s.region}`;

export class StreamStore {
  private readonly metas: Table<StreamMeta>;
  private readonly stored: Table<StoredRecord>;
  /** stream ARN → records in sequence order */
  private readonly records = new Map<string, StoredRecord[]>();
  private last = 0n;

  constructor(private readonly rt: ServiceRuntime) {
    this.metas = rt.table<StreamMeta>('streams');
    this.stored = rt.table<StoredRecord>('streamRecords');
    for (const [, recs] of this.stored.allScopes()) {
      for (const [k, r] of recs) this.list(k.slice(0, k.lastIndexOf('|'))).push(r);
    }
    for (const list of this.records.values()) list.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    for (const [, ms] of this.metas.allScopes()) {
      for (const m of ms.values()) for (const s of [m.startSeq, m.endSeq, m.trimmedThrough]) if (s) this.bump(BigInt(s));
    }
    for (const list of this.records.values()) if (list.length) this.bump(BigInt(list[list.length - 1]!.seq));
  }

  private bump(n: bigint): void {
    if (n - SEQ_BASE > this.last) this.last = n - SEQ_BASE;
  }

  private list(arn: string): StoredRecord[] {
    let l = this.records.get(arn);
    if (!l) this.records.set(arn, (l = []));
    return l;
  }

  /** Next sequence number: increasing, 21 digits, loosely following the clock. */
  nextSeq(): string {
    const t = BigInt(this.rt.clock.now()) * 1000n;
    this.last = t > this.last ? t : this.last + 1n;
    return (SEQ_BASE + this.last).toString();
  }

  /** A new enabled stream for a table. */
  open(scope: Scope, tableArn: string, table: string, viewType: string, keySchema: T.KeySchemaElement[]): StreamMeta {
    const now = this.rt.clock.now();
    let label = new Date(now).toISOString().replace('Z', '');
    // two enablements in the same millisecond still get distinct labels
    while (this.metas.has(scope, `${tableArn}/stream/${label}`)) label = new Date(Date.parse(label + 'Z') + 1).toISOString().replace('Z', '');
    const meta: StreamMeta = {
      arn: `${tableArn}/stream/${label}`,
      table,
      label,
      viewType,
      keySchema,
      createdAt: now,
      shardId: `shardId-${String(now).padStart(20, '0')}-${randomUUID().replace(/-/g, '').slice(0, 8)}`,
      startSeq: this.nextSeq(),
    };
    this.metas.put(scope, meta.arn, meta);
    return meta;
  }

  /** Close a stream (disabled, or its table deleted): DISABLED, readable for 24 hours more. */
  close(scope: Scope, arn: string): void {
    const m = this.metas.get(scope, arn);
    if (!m || m.endSeq) return;
    const list = this.records.get(arn);
    const lastSeq = list?.length ? list[list.length - 1]!.seq : m.startSeq;
    this.metas.put(scope, arn, { ...m, endSeq: lastSeq, disabledAt: this.rt.clock.now() });
  }

  /** Append the record of one item change (nothing when the item did not change). */
  append(scope: Scope, arn: string, keyNames: string[], oldItem: Item | undefined, newItem: Item | undefined, service = false): void {
    const m = this.metas.get(scope, arn);
    if (!m || m.endSeq) return;
    if (!oldItem && !newItem) return;
    if (oldItem && newItem && sameItem(oldItem, newItem)) return;
    const src = (newItem ?? oldItem)!;
    const keys: Item = {};
    for (const k of keyNames) if (src[k]) keys[k] = src[k]!;
    const v = m.viewType;
    const rec: StoredRecord = {
      seq: this.nextSeq(),
      at: this.rt.clock.now(),
      eventID: randomUUID().replace(/-/g, ''),
      eventName: !oldItem ? 'INSERT' : !newItem ? 'REMOVE' : 'MODIFY',
      region: scope.region,
      keys,
      size: 0,
    };
    if (newItem && (v === 'NEW_IMAGE' || v === 'NEW_AND_OLD_IMAGES')) rec.newImage = newItem;
    if (oldItem && (v === 'OLD_IMAGE' || v === 'NEW_AND_OLD_IMAGES')) rec.oldImage = oldItem;
    rec.size = itemSize(keys) + (rec.newImage ? itemSize(rec.newImage) : 0) + (rec.oldImage ? itemSize(rec.oldImage) : 0);
    if (service) rec.service = true;
    this.list(arn).push(rec);
    this.stored.put(scope, `${arn}|${rec.seq}`, rec);
  }

  /** The stream, trimmed to the retention window; undefined when unknown or gone. */
  get(scope: Scope, arn: string): StreamMeta | undefined {
    const m = this.metas.get(scope, arn);
    if (!m) return undefined;
    return this.trim(scope, m);
  }

  /** Streams of a scope (oldest first), trimmed. */
  all(scope: Scope): StreamMeta[] {
    const out: StreamMeta[] = [];
    for (const m of [...this.metas.values(scope)]) {
      const t = this.trim(scope, m);
      if (t) out.push(t);
    }
    return out.sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
  }

  /** Records of a stream in sequence order. */
  recordsOf(arn: string): readonly StoredRecord[] {
    return this.records.get(arn) ?? [];
  }

  /** Index of the first record with a sequence number ≥ seq. */
  indexFrom(arn: string, seq: bigint): number {
    const list = this.recordsOf(arn);
    let lo = 0, hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (BigInt(list[mid]!.seq) < seq) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drop records past retention, and streams disabled for longer than it. */
  trim(scope: Scope, m: StreamMeta): StreamMeta | undefined {
    const now = this.rt.clock.now();
    if (m.disabledAt !== undefined && m.disabledAt + RETENTION_MS <= now) {
      for (const r of this.recordsOf(m.arn)) this.stored.delete(scope, `${m.arn}|${r.seq}`);
      this.records.delete(m.arn);
      this.metas.delete(scope, m.arn);
      return undefined;
    }
    const list = this.records.get(m.arn);
    if (!list?.length || list[0]!.at + RETENTION_MS > now) return m;
    let n = 0;
    while (n < list.length && list[n]!.at + RETENTION_MS <= now) {
      this.stored.delete(scope, `${m.arn}|${list[n]!.seq}`);
      n++;
    }
    const through = list[n - 1]!.seq;
    list.splice(0, n);
    const next = { ...m, trimmedThrough: through };
    this.metas.put(scope, m.arn, next);
    return next;
  }

  /** Trim every stream of every scope (the periodic sweep). */
  sweep(): void {
    for (const [scope, ms] of this.metas.allScopes()) for (const m of [...ms.values()]) this.trim(scope, m);
  }

  /** A record as the Streams API returns it. */
  static wire(m: StreamMeta, r: StoredRecord): Record<string, unknown> {
    return {
      eventID: r.eventID,
      eventName: r.eventName,
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: r.region,
      dynamodb: {
        ApproximateCreationDateTime: new Date(Math.floor(r.at / 1000) * 1000),
        Keys: r.keys,
        ...(r.newImage ? { NewImage: r.newImage } : {}),
        ...(r.oldImage ? { OldImage: r.oldImage } : {}),
        SequenceNumber: r.seq,
        SizeBytes: r.size,
        StreamViewType: m.viewType,
      },
      ...(r.service ? { userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' } } : {}),
    };
  }

  static scopeKey = skey;
}

/** Same attributes with the same values (set order and binary representation ignored). */
export function sameItem(a: Item, b: Item): boolean {
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => b[k] !== undefined && sameValue(a[k]!, b[k]!));
}

function sameValue(a: T.AttributeValue, b: T.AttributeValue): boolean {
  if (a.S !== undefined) return a.S === b.S;
  if (a.N !== undefined) return b.N !== undefined && a.N === b.N;
  if (a.B !== undefined) return b.B !== undefined && Buffer.from(a.B).equals(Buffer.from(b.B));
  if (a.BOOL !== undefined) return a.BOOL === b.BOOL;
  if (a.NULL !== undefined) return b.NULL !== undefined;
  if (a.SS) return !!b.SS && sameSet(a.SS, b.SS);
  if (a.NS) return !!b.NS && sameSet(a.NS, b.NS);
  if (a.BS) return !!b.BS && sameSet(a.BS.map((x) => Buffer.from(x).toString('base64')), b.BS.map((x) => Buffer.from(x).toString('base64')));
  if (a.L) return !!b.L && a.L.length === b.L.length && a.L.every((x, i) => sameValue(x, b.L![i]!));
  if (a.M) return !!b.M && sameItem(a.M as Item, b.M as Item);
  return false;
}

function sameSet(a: string[], b: string[]): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a);
  return b.every((x) => s.has(x));
}
