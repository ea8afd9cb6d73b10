/**
 * A table: its record (plain data, persisted) and its items in a SortedMap keyed by the
 * composite (partition, sort) key encoding, so point reads are O(log n) and a Query or Scan
 * page is O(log n + page). Item count and size are kept as running totals.
 */
import type * as T from '../generated/types.js';
import { SortedMap } from './sorted.js';
import { compositeKey, encodeKeyValue, itemSize, type Item } from './values.js';

export interface IndexRecord {
  IndexName: string;
  KeySchema: T.KeySchemaElement[];
  Projection: T.Projection;
  ProvisionedThroughput?: T.ProvisionedThroughput;
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
  streamLabel?: string;
  sse?: T.SSESpecification;
  tableClass?: string;
  deletionProtection: boolean;
  tags: T.Tag[];
}

export interface StoredItem { key: string; item: Item; size: number }

export class TableData {
  readonly items = new SortedMap<StoredItem>();
  bytes = 0;
  readonly hashKey: string;
  readonly rangeKey: string | undefined;
  readonly types: Record<string, string>;

  constructor(public rec: TableRecord) {
    this.hashKey = rec.keySchema[0]!.AttributeName;
    this.rangeKey = rec.keySchema[1]?.AttributeName;
    this.types = Object.fromEntries(rec.attributeDefinitions.map((d) => [d.AttributeName, d.AttributeType]));
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
    return s;
  }

  delete(key: string): StoredItem | undefined {
    const old = this.items.get(key);
    if (!old) return undefined;
    this.items.delete(key);
    this.bytes -= old.size;
    return old;
  }

  get count(): number {
    return this.items.size;
  }
}
