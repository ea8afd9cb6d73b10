/**
 * Consumed capacity as DynamoDB computes it: reads cost one unit per 4 KB (rounded up, at least
 * one; half for eventually consistent reads), writes one unit per 1 KB of the larger of the old
 * and new item; transactional requests cost twice. A write also costs units on every secondary
 * index it touches: putting an entry in (new size), deleting one (old size), both when the
 * index key changed, one write when only projected attributes changed, nothing when the item is
 * in the index neither before nor after. A meter collects the units of one request per table
 * and answers ConsumedCapacity for TOTAL or INDEXES.
 */
import type * as T from '../generated/types.js';
import type { IndexRecord, TableData } from './table.js';
import { indexEntry, indexKeyOf } from './table.js';
import { itemSize, type Item } from './values.js';
import { sameItem } from './streams.js';

export const readUnitsOf = (bytes: number, consistent: boolean | undefined): number => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
export const writeUnitsOf = (bytes: number): number => Math.max(1, Math.ceil(bytes / 1024));

interface Usage { read: number; write: number; table: number; gsi: Map<string, number>; lsi: Map<string, number> }

export class CapacityMeter {
  private readonly tables = new Map<string, Usage>();

  private readonly on: boolean;

  /**
   * @param mode the request's ReturnConsumedCapacity (nothing is counted unless TOTAL or INDEXES)
   * @param factor 2 for transactions
   */
  constructor(private readonly mode: string | undefined, private readonly factor = 1) {
    this.on = mode === 'TOTAL' || mode === 'INDEXES';
  }

  private usage(name: string): Usage {
    let u = this.tables.get(name);
    if (!u) this.tables.set(name, (u = { read: 0, write: 0, table: 0, gsi: new Map(), lsi: new Map() }));
    return u;
  }

  /** A read of `bytes` on the table, or on one of its indexes. */
  read(t: TableData, bytes: number, consistent: boolean | undefined, index?: IndexRecord): void {
    if (!this.on) return;
    const units = readUnitsOf(bytes, consistent) * this.factor;
    const u = this.usage(t.rec.name);
    u.read += units;
    if (!index) u.table += units;
    else {
      const m = t.rec.gsis?.some((g) => g.IndexName === index.IndexName) ? u.gsi : u.lsi;
      m.set(index.IndexName, (m.get(index.IndexName) ?? 0) + units);
    }
  }

  /** A write of one item (old → next; undefined: absent), with its index writes. */
  write(t: TableData, old: Item | undefined, next: Item | undefined): void {
    if (!this.on) return;
    const u = this.usage(t.rec.name);
    const base = writeUnitsOf(Math.max(old ? itemSize(old) : 0, next ? itemSize(next) : 0)) * this.factor;
    u.table += base;
    u.write += base;
    const key = old ?? next;
    if (!key) return;
    const tk = t.keyOf(key);
    for (const [defs, m] of [[t.rec.gsis ?? [], u.gsi], [t.rec.lsis ?? [], u.lsi]] as const) {
      for (const def of defs) {
        const units = indexWriteUnits(t, def, tk, old, next) * this.factor;
        if (!units) continue;
        m.set(def.IndexName, (m.get(def.IndexName) ?? 0) + units);
        u.write += units;
      }
    }
  }

  /** ConsumedCapacity entries, one per table (in first-use order), or [] when not asked for. */
  result(): T.ConsumedCapacity[] {
    if (!this.on) return [];
    const mode = this.mode;
    return [...this.tables].map(([TableName, u]) => {
      const kind = (n: number) => (u.write > 0 ? { WriteCapacityUnits: n } : { ReadCapacityUnits: n });
      const total = u.read + u.write;
      const c: T.ConsumedCapacity = { TableName, CapacityUnits: total, ...kind(total) };
      if (mode === 'INDEXES') {
        c.Table = { CapacityUnits: u.table, ...kind(u.table) };
        if (u.gsi.size) c.GlobalSecondaryIndexes = Object.fromEntries([...u.gsi].map(([k, n]) => [k, { CapacityUnits: n, ...kind(n) }]));
        if (u.lsi.size) c.LocalSecondaryIndexes = Object.fromEntries([...u.lsi].map(([k, n]) => [k, { CapacityUnits: n, ...kind(n) }]));
      }
      return c;
    });
  }

  /** The single ConsumedCapacity of a one-table request. */
  one(): { ConsumedCapacity?: T.ConsumedCapacity } {
    const [c] = this.result();
    return c ? { ConsumedCapacity: c } : {};
  }

  /** The ConsumedCapacity list of a multi-table request. */
  many(): { ConsumedCapacity?: T.ConsumedCapacity[] } {
    return this.on ? { ConsumedCapacity: this.result() } : {};
  }
}

function indexWriteUnits(t: TableData, def: IndexRecord, tk: string, old: Item | undefined, next: Item | undefined): number {
  const ok = old && indexKeyOf(def, old, tk);
  const nk = next && indexKeyOf(def, next, tk);
  const size = (item: Item) => writeUnitsOf(itemSize(indexEntry(t, def, item)));
  if (ok === undefined && nk === undefined) return 0;
  if (ok === undefined) return size(next!);
  if (nk === undefined) return size(old!);
  if (ok !== nk) return size(old!) + size(next!);
  return sameItem(indexEntry(t, def, old!), indexEntry(t, def, next!)) ? 0 : size(next!);
}

/** ItemCollectionMetrics of a write on a table with local secondary indexes (else undefined). */
export function collectionMetrics(t: TableData, item: Item | undefined): T.ItemCollectionMetrics | undefined {
  if (!t.rec.lsis?.length || !item?.[t.hashKey]) return undefined;
  const gb = t.collectionBytes(item[t.hashKey]!) / 2 ** 30;
  return { ItemCollectionKey: { [t.hashKey]: item[t.hashKey]! }, SizeEstimateRangeGB: [Math.floor(gb), Math.floor(gb) + 1] };
}
