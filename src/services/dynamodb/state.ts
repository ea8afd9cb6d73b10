/**
 * DynamoDB state: table records and items in two scoped tables (write-through; one put per
 * item change), with the in-memory TableData per table rebuilt from them at start-up.
 * Tables in DELETING disappear lazily once their time has passed (no timer to lose on restart).
 * Every item change goes through putItem/deleteItem, which append the stream record (when the
 * table has an enabled stream) and keep the TTL index. A sweep every virtual minute deletes
 * expired TTL items and trims stream records past their 24 hours.
 */
import { randomBytes } from 'node:crypto';
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import { TableData, type StoredItem, type TableRecord } from './domain/table.js';
import type { Item } from './domain/values.js';
import { StreamStore } from './domain/streams.js';
import { TtlIndex, expiryOf } from './domain/ttl.js';
import { BackupStore, DAY_MS } from './domain/backups.js';

const tkey = (s: Scope, name: string) => `${s.account}/${s.region}/${name}`;
/** Persisted item key: table name + base64url of the composite key (binary-safe). */
const ikey = (table: string, key: string) => `${table}/${Buffer.from(key, 'latin1').toString('base64url')}`;

/** How often expired TTL items are deleted and stream records trimmed (virtual time). */
export const SWEEP_MS = 60_000;

/** A backup ARN: the table's ARN, /backup/, 14 digits of creation time and 8 hex digits. */
export function backupArn(tableArn: string, now: number): string {
  return `${tableArn}/backup/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
}

export class DynamoState {
  private readonly tables: Table<TableRecord>;
  private readonly items: Table<Item>;
  private readonly live = new Map<string, TableData>();
  readonly streams: StreamStore;
  readonly backups: BackupStore;
  private timer: Timer | undefined;

  constructor(readonly rt: ServiceRuntime) {
    this.tables = rt.table<TableRecord>('tables');
    this.items = rt.table<Item>('items');
    this.streams = new StreamStore(rt);
    this.backups = new BackupStore(rt);
    for (const [scope, recs] of this.tables.allScopes()) for (const rec of recs.values()) this.live.set(tkey(scope, rec.name), new TableData(rec));
    for (const [scope, recs] of this.items.allScopes()) {
      for (const [k, item] of recs) {
        const t = this.live.get(tkey(scope, k.slice(0, k.indexOf('/'))));
        if (t) t.put(t.keyOf(item), item);
      }
    }
    this.schedule();
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

  /**
   * Mark DELETING until `until`, and drop its items now (no stream records: the stream closes).
   * A table with point-in-time recovery leaves a SYSTEM backup, kept for its recovery period.
   */
  markDeleted(scope: Scope, t: TableData, until: number): void {
    if (t.rec.streamArn) this.streams.close(scope, t.rec.streamArn);
    if (t.rec.pitr) {
      const now = this.rt.clock.now();
      this.backups.create(scope, {
        arn: backupArn(t.rec.arn, now), name: `${t.rec.name}$DeletedTableBackup`, type: 'SYSTEM', createdAt: now, availableAt: now,
        expiresAt: now + t.rec.pitr.days * DAY_MS, table: t.rec,
      }, t);
      this.backups.drop(scope, t.rec.name);
    }
    for (const [key] of t.items.entries()) this.items.delete(scope, ikey(t.rec.name, key));
    t.items.clear();
    t.indexes.clear();
    t.ttlIndex = undefined;
    t.bytes = 0;
    const { streamArn: _closed, ...rec } = t.rec;
    t.rec = { ...rec, deletedAt: until };
    this.save(scope, t);
  }

  /** Write an item (and, for a global table, the same write to every replica). */
  putItem(scope: Scope, t: TableData, key: string, item: Item, replicate = true): StoredItem {
    const old = t.get(key)?.item;
    const s = t.put(key, item);
    this.items.put(scope, ikey(t.rec.name, key), item);
    this.changed(scope, t, key, old, item);
    if (replicate && t.rec.global) this.replicate(scope, t, key, item);
    return s;
  }

  deleteItem(scope: Scope, t: TableData, key: string, service = false, replicate = true): StoredItem | undefined {
    const old = t.delete(key);
    if (old) {
      this.items.delete(scope, ikey(t.rec.name, key));
      this.changed(scope, t, key, old.item, undefined, service);
      if (replicate && t.rec.global) this.replicate(scope, t, key, undefined);
    }
    return old;
  }

  /** The replicas of a global table in the other regions of its group (that still exist). */
  replicas(scope: Scope, t: TableData): [Scope, TableData][] {
    const out: [Scope, TableData][] = [];
    for (const m of t.rec.global?.regions ?? []) {
      if (m.region === scope.region) continue;
      const rs = { account: scope.account, region: m.region };
      const r = this.get(rs, t.rec.name);
      if (r && r.rec.deletedAt === undefined) out.push([rs, r]);
    }
    return out;
  }

  /** Global tables replicate every write to the other regions at once (AWS: within about a second). */
  private replicate(scope: Scope, t: TableData, key: string, item: Item | undefined): void {
    for (const [rs, r] of this.replicas(scope, t)) {
      if (item) this.putItem(rs, r, key, item, false);
      else this.deleteItem(rs, r, key, false, false);
    }
  }

  private changed(scope: Scope, t: TableData, key: string, old: Item | undefined, next: Item | undefined, service = false): void {
    t.ttlIndex?.update(key, old, next);
    if (t.rec.pitr) this.backups.record(scope, t.rec.name, key, old);
    if (t.rec.streamArn) this.streams.append(scope, t.rec.streamArn, t.rec.keySchema.map((k) => k.AttributeName), old, next, service);
  }

  /** Delete expired TTL items (REMOVE records by the service principal) and trim streams. */
  sweep(): void {
    const now = this.rt.clock.now();
    for (const [k, t] of this.live) {
      const [account, region] = k.split('/') as [string, string];
      const scope = { account, region };
      if (t.rec.pitr) this.backups.trim(scope, t.rec.name, now - t.rec.pitr.days * DAY_MS);
      const ttl = t.rec.ttl;
      if (!ttl?.enabled || t.rec.deletedAt !== undefined) {
        t.ttlIndex = undefined;
        continue;
      }
      if (t.ttlIndex?.attr !== ttl.attr) {
        t.ttlIndex = new TtlIndex(ttl.attr);
        for (const [key, s] of t.items.entries()) t.ttlIndex.update(key, undefined, s.item);
      }
      for (const key of t.ttlIndex.expired(now)) {
        const cur = t.get(key);
        const exp = cur && expiryOf(cur.item, ttl.attr);
        if (exp !== undefined && exp <= now) this.deleteItem(scope, t, key, true);
      }
    }
    this.streams.sweep();
  }

  private schedule(): void {
    this.timer = this.rt.clock.after(SWEEP_MS, () => {
      this.sweep();
      this.schedule();
    });
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
