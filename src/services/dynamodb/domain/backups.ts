/**
 * Backups and point-in-time recovery.
 *
 * A backup is a record (`backups`) plus its items in chunks of 1,000 (`backupItems`), written when
 * the backup is taken. Point-in-time recovery keeps, per table while it is enabled, a log of every
 * item change (`pitrLog`: time, key, the item before the change). The state at time T is the
 * current items with the changes made after T undone, newest first, so no full copy is kept; log
 * entries older than the recovery period (35 days by default, on the virtual clock) are dropped
 * by the sweep.
 */
import type { Scope, Table } from '../../../state/store.js';
import type { ServiceRuntime } from '../../service.js';
import type * as T from '../generated/types.js';
import type { TableData, TableRecord } from './table.js';
import type { Item } from './values.js';

export const DAY_MS = 24 * 60 * 60 * 1000;
const CHUNK = 1000;

export interface BackupRecord {
  arn: string;
  name: string;
  type: 'USER' | 'SYSTEM';
  createdAt: number;
  /** CREATING until then */
  availableAt: number;
  expiresAt?: number;
  bytes: number;
  count: number;
  chunks: number;
  /** the source table as it was */
  table: TableRecord;
  ttl?: T.TimeToLiveDescription;
}

interface LogEntry { at: number; key: string; old?: Item }

const skey = (s: Scope) => `${s.account}/${s.region}`;

export class BackupStore {
  private readonly records: Table<BackupRecord>;
  private readonly chunks: Table<Item[]>;
  private readonly log: Table<LogEntry>;
  /** `${account}/${region}/${table}` → entries in time order (with their persisted keys) */
  private readonly logs = new Map<string, { seq: number; entries: (LogEntry & { id: string })[] }>();

  constructor(private readonly rt: ServiceRuntime) {
    this.records = rt.table<BackupRecord>('backups');
    this.chunks = rt.table<Item[]>('backupItems');
    this.log = rt.table<LogEntry>('pitrLog');
    for (const [scope, entries] of this.log.allScopes()) {
      for (const [id, e] of entries) {
        const table = id.slice(0, id.lastIndexOf('|'));
        const l = this.logOf(scope, table);
        l.entries.push({ ...e, id });
        l.seq = Math.max(l.seq, Number(id.slice(id.lastIndexOf('|') + 1)) + 1);
      }
    }
    for (const l of this.logs.values()) l.entries.sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  // ---- backups ----

  create(scope: Scope, rec: Omit<BackupRecord, 'chunks' | 'count' | 'bytes'>, t: TableData): BackupRecord {
    let chunk: Item[] = [];
    let n = 0, count = 0, bytes = 0;
    for (const [, s] of t.items.entries()) {
      chunk.push(s.item);
      count++;
      bytes += s.size;
      if (chunk.length === CHUNK) {
        this.chunks.put(scope, `${rec.arn}|${n++}`, chunk);
        chunk = [];
      }
    }
    if (chunk.length) this.chunks.put(scope, `${rec.arn}|${n++}`, chunk);
    const full: BackupRecord = { ...rec, chunks: n, count, bytes };
    this.records.put(scope, rec.arn, full);
    return full;
  }

  get(scope: Scope, arn: string): BackupRecord | undefined {
    const b = this.records.get(scope, arn);
    if (b?.expiresAt !== undefined && b.expiresAt <= this.rt.clock.now()) {
      this.delete(scope, b);
      return undefined;
    }
    return b;
  }

  all(scope: Scope): BackupRecord[] {
    return [...this.records.values(scope)].map((b) => this.get(scope, b.arn)).filter((b): b is BackupRecord => !!b);
  }

  *items(scope: Scope, b: BackupRecord): Iterable<Item> {
    for (let i = 0; i < b.chunks; i++) yield* this.chunks.get(scope, `${b.arn}|${i}`) ?? [];
  }

  delete(scope: Scope, b: BackupRecord): void {
    for (let i = 0; i < b.chunks; i++) this.chunks.delete(scope, `${b.arn}|${i}`);
    this.records.delete(scope, b.arn);
  }

  // ---- point-in-time recovery log ----

  private logOf(scope: Scope, table: string) {
    const k = `${skey(scope)}/${table}`;
    let l = this.logs.get(k);
    if (!l) this.logs.set(k, (l = { seq: 0, entries: [] }));
    return l;
  }

  /** Record an item change of a table with point-in-time recovery on. */
  record(scope: Scope, table: string, key: string, old: Item | undefined): void {
    const l = this.logOf(scope, table);
    const id = `${table}|${String(l.seq++).padStart(12, '0')}`;
    const e: LogEntry = { at: this.rt.clock.now(), key, ...(old ? { old } : {}) };
    l.entries.push({ ...e, id });
    this.log.put(scope, id, e);
  }

  /** Forget a table's log (recovery disabled, or the table deleted). */
  drop(scope: Scope, table: string): void {
    const k = `${skey(scope)}/${table}`;
    for (const e of this.logs.get(k)?.entries ?? []) this.log.delete(scope, e.id);
    this.logs.delete(k);
  }

  /** Drop entries older than `before` (they can no longer be restored to). */
  trim(scope: Scope, table: string, before: number): void {
    const l = this.logs.get(`${skey(scope)}/${table}`);
    if (!l) return;
    let n = 0;
    while (n < l.entries.length && l.entries[n]!.at < before) this.log.delete(scope, l.entries[n++]!.id);
    if (n) l.entries.splice(0, n);
  }

  /** The table's items as they were at `at`: the current items with later changes undone. */
  itemsAt(scope: Scope, t: TableData, at: number): Item[] {
    const items = new Map<string, Item>();
    for (const [k, s] of t.items.entries()) items.set(k, s.item);
    const entries = this.logs.get(`${skey(scope)}/${t.rec.name}`)?.entries ?? [];
    for (let i = entries.length - 1; i >= 0 && entries[i]!.at > at; i--) {
      const e = entries[i]!;
      if (e.old) items.set(e.key, e.old);
      else items.delete(e.key);
    }
    return [...items.values()];
  }
}
