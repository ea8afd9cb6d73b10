/**
 * A table: its record (plain data, persisted) and its items in a SortedMap keyed by the
 * composite (partition, sort) key encoding, so point reads are O(log n) and a Query or Scan
 * page is O(log n + page). Item count and size are kept as running totals.
 */
import type * as T from '../generated/types.js';
import type { AttributeValue } from '../generated/types.js';
import { SortedMap } from './sorted.js';
import { compositeKey, encodeKeyValue, itemSize, type Item } from './values.js';
import type { TtlIndex, TtlSetting } from './ttl.js';

export interface IndexRecord {
  IndexName: string;
  KeySchema: T.KeySchemaElement[];
  Projection: T.Projection;
  ProvisionedThroughput?: T.ProvisionedThroughput;
  /** GSIs added by UpdateTable: CREATING (Backfilling false) until backfillAt, then backfilling until activeAt */
  backfillAt?: number;
  activeAt?: number;
  /** throughput Update: UPDATING until then */
  updatingUntil?: number;
}

export interface TableRecord {
  name: string;
  id: string;
  arn: string;
  keySchema: T.KeySchemaElement[];
  attributeDefinitions: T.AttributeDefinition[];
  billingMode: 'PROVISIONED' | 'PAY_PER_REQUEST';
  throughput?: T.ProvisionedThroughput;
  createdAt: number;
  /** CREATING until then */
  activeAt: number;
  /** set by DeleteTable: DELETING until then, gone afterwards */
  deletedAt?: number;
  gsis?: IndexRecord[];
  lsis?: IndexRecord[];
  stream?: T.StreamSpecification;
  /** label of the latest stream (kept after the stream is disabled, as AWS) */
  streamLabel?: string;
  /** ARN of the enabled stream */
  streamArn?: string;
  ttl?: TtlSetting;
  /** UpdateTable: UPDATING until then */
  updatingUntil?: number;
  /** GSIs being deleted: DELETING until `until` */
  deletingGsis?: (IndexRecord & { until: number })[];
  /** last switch to PAY_PER_REQUEST */
  payPerRequestAt?: number;
  sse?: T.SSESpecification;
  tableClass?: string;
  /** point-in-time recovery, while enabled */
  pitr?: { enabledAt: number; days: number };
  /** a global table: every region of its replication group (this one included); a replica is CREATING until activeAt */
  global?: { version: '2019.11.21' | '2017.11.29'; regions: { region: string; activeAt: number }[] };
  /** a table made by a restore: RestoreInProgress until `until` */
  restore?: { sourceTableArn: string; sourceBackupArn?: string; at: number; until: number };
  deletionProtection: boolean;
  tags: T.Tag[];
}

export interface StoredItem { key: string; item: Item; size: number }

/** Key of an item in a secondary index: (index hash, index range, table key); undefined when sparse. */
export function indexKeyOf(def: IndexRecord, item: Item, tableKey: string): string | undefined {
  const h = item[def.KeySchema[0]!.AttributeName];
  const rName = def.KeySchema[1]?.AttributeName;
  const r = rName ? item[rName] : undefined;
  if (!h || (rName && !r)) return undefined;
  return compositeKey(encodeKeyValue(h), r ? compositeKey(encodeKeyValue(r), tableKey) : tableKey);
}

/** The attributes an index keeps of an item (keys of the table and the index, plus its projection). */
export function indexEntry(t: TableData, def: IndexRecord, item: Item): Item {
  const type = def.Projection.ProjectionType ?? 'ALL';
  if (type === 'ALL') return item;
  const kept = new Set([t.hashKey, ...(t.rangeKey ? [t.rangeKey] : []), ...def.KeySchema.map((k) => k.AttributeName), ...(type === 'INCLUDE' ? def.Projection.NonKeyAttributes ?? [] : [])]);
  const out: Item = {};
  for (const k of kept) if (item[k]) out[k] = item[k]!;
  return out;
}

export class TableData {
  readonly items = new SortedMap<StoredItem>();
  /** secondary indexes, built on first use and maintained on every write afterwards */
  readonly indexes = new Map<string, { def: IndexRecord; map: SortedMap<StoredItem> }>();
  bytes = 0;
  /** expiry index, while TTL is enabled (built on the first sweep) */
  ttlIndex?: TtlIndex;
  readonly hashKey: string;
  readonly rangeKey: string | undefined;
  types: Record<string, string>;
  /** bytes per partition key (item collections: items plus LSI entries), built on first use */
  private collections?: Map<string, number>;

  constructor(public rec: TableRecord) {
    this.hashKey = rec.keySchema[0]!.AttributeName;
    this.rangeKey = rec.keySchema[1]?.AttributeName;
    this.types = Object.fromEntries(rec.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  }

  /** After the record's attribute definitions changed (UpdateTable). */
  refresh(): void {
    this.types = Object.fromEntries(this.rec.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
  }

  /** Sort key of an item whose key attributes were validated. */
  keyOf(item: Item): string {
    const pk = encodeKeyValue(item[this.hashKey]!);
    return compositeKey(pk, this.rangeKey ? encodeKeyValue(item[this.rangeKey]!) : undefined);
  }

  get(key: string): StoredItem | undefined {
    return this.items.get(key);
  }

  put(key: string, item: Item): StoredItem {
    const old = this.items.get(key);
    const s: StoredItem = { key, item, size: itemSize(item) };
    this.bytes += s.size - (old?.size ?? 0);
    this.items.set(key, s);
    if (this.collections) {
      this.collect(old?.item, -1);
      this.collect(item, 1);
    }
    for (const { def, map } of this.indexes.values()) {
      const ok = old && indexKeyOf(def, old.item, key);
      if (ok !== undefined) map.delete(ok);
      const nk = indexKeyOf(def, item, key);
      if (nk !== undefined) map.set(nk, s);
    }
    return s;
  }

  delete(key: string): StoredItem | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.items.delete(key);
    this.bytes -= old.size;
    if (this.collections) this.collect(old.item, -1);
    for (const { def, map } of this.indexes.values()) {
      const ok = indexKeyOf(def, old.item, key);
      if (ok !== undefined) map.delete(ok);
    }
    return old;
  }

  /** The index's sorted entries (built from the items on first use). */
  index(def: IndexRecord): SortedMap<StoredItem> {
    let x = this.indexes.get(def.IndexName);
    if (!x) {
      x = { def, map: new SortedMap<StoredItem>() };
      for (const [key, s] of this.items.entries()) {
        const k = indexKeyOf(def, s.item, key);
        if (k !== undefined) x.map.set(k, s);
      }
      this.indexes.set(def.IndexName, x);
    }
    return x.map;
  }

  /** Size of the item collection (items with this partition key, plus their LSI entries). */
  collectionBytes(hash: AttributeValue): number {
    if (!this.collections) {
      this.collections = new Map();
      for (const [, s] of this.items.entries()) this.collect(s.item, 1);
    }
    return this.collections.get(encodeKeyValue(hash)) ?? 0;
  }

  private collect(item: Item | undefined, sign: 1 | -1): void {
    if (!item) return;
    let n = itemSize(item);
    for (const l of this.rec.lsis ?? []) if (indexKeyOf(l, item, '') !== undefined) n += itemSize(indexEntry(this, l, item));
    const k = encodeKeyValue(item[this.hashKey]!);
    this.collections!.set(k, (this.collections!.get(k) ?? 0) + sign * n);
  }

  get count(): number {
    return this.items.size;
  }
}
