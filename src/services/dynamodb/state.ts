/**
 * DynamoDB state: table records and items in two scoped tables (write-through; one put per
 * item change), with the in-memory TableData per table rebuilt from them at start-up.
 * Tables in DELETING disappear lazily once their time has passed (no timer to lose on restart).
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import { TableData, type StoredItem, type TableRecord } from './domain/table.js';
import type { Item } from './domain/values.js';

const tkey = (s: Scope, name: string) => `${s.account}/${s.region}/${name}`;
/** Persisted item key: table name + base64url of the composite key (binary-safe). */
const ikey = (table: string, key: string) => `${table}/${Buffer.from(key, 'latin1').toString('base64url')}`;

export class DynamoState {
  private readonly tables: Table<TableRecord>;
  private readonly items: Table<Item>;
  private readonly live = new Map<string, TableData>();

  constructor(readonly rt: ServiceRuntime) {
    this.tables = rt.table<TableRecord>('tables');
    this.items = rt.table<Item>('items');
    for (const [scope, recs] of this.tables.allScopes()) for (const rec of recs.values()) this.live.set(tkey(scope, rec.name), new TableData(rec));
    for (const [scope, recs] of this.items.allScopes()) {
      for (const [k, item] of recs) {
        const t = this.live.get(tkey(scope, k.slice(0, k.indexOf('/'))));
        if (t) t.put(t.keyOf(item), item);
      }
    }
  }

  /** The table, including one in DELETING; undefined once gone. */
  get(scope: Scope, name: string): TableData | undefined {
    const t = this.live.get(tkey(scope, name));
    if (t?.rec.deletedAt !== undefined && t.rec.deletedAt <= this.rt.clock.now()) {
      this.live.delete(tkey(scope, name));
      this.tables.delete(scope, name);
      return undefined;
    }
    return t;
  }

  /** Table names of a scope, sorted (gone DELETING tables dropped on the way). */
  names(scope: Scope): string[] {
    return [...this.tables.values(scope)].map((r) => r.name).filter((n) => this.get(scope, n)).sort();
  }

  create(scope: Scope, rec: TableRecord): TableData {
    const t = new TableData(rec);
    this.live.set(tkey(scope, rec.name), t);
    this.tables.put(scope, rec.name, rec);
    return t;
  }

  save(scope: Scope, t: TableData): void {
    this.tables.put(scope, t.rec.name, t.rec);
  }

  /** Mark DELETING until `until`, and drop its items now. */
  markDeleted(scope: Scope, t: TableData, until: number): void {
    for (const [key] of t.items.entries()) this.items.delete(scope, ikey(t.rec.name, key));
    t.items.clear();
    t.indexes.clear();
    t.bytes = 0;
    t.rec = { ...t.rec, deletedAt: until };
    this.save(scope, t);
  }

  putItem(scope: Scope, t: TableData, key: string, item: Item): StoredItem {
    const s = t.put(key, item);
    this.items.put(scope, ikey(t.rec.name, key), item);
    return s;
  }

  deleteItem(scope: Scope, t: TableData, key: string): StoredItem | undefined {
    const old = t.delete(key);
    if (old) this.items.delete(scope, ikey(t.rec.name, key));
    return old;
  }
}
