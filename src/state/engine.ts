/**
 * Durable key/value engine behind the scoped store. LMDB (via `lmdb`) — see
 * docs/adr/0001-storage-engine.md for the measurements behind the choice.
 *
 * Writes are encoded at once and committed together, one transaction per turn of the event
 * loop (group commit; see `LmdbEngine`). `committed()` resolves once every write issued so far
 * is in a committed transaction: from then on it survives kill -9 of this process (and, with
 * durability 'disk', a crash of the machine). Values are msgpack: plain data, Date, Map,
 * Buffer and bigint round-trip; a Set comes back as an array, functions and class
 * prototypes are lost.
 */
import type { RootDatabase } from 'lmdb';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export type Key = (string | number)[];

export interface Engine {
  put(key: Key, value: unknown): void;
  remove(key: Key): void;
  /** every entry whose key starts with `prefix`, in key order */
  range(prefix: Key): Iterable<{ key: Key; value: unknown }>;
  clear(prefix: Key): void;
  get(key: Key): unknown;
  committed(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Version of the on-disk format, recorded at `['_meta', 'formatVersion']` when a data directory
 * is created. A directory written by a newer gureum is refused; an older one is brought up to
 * date by MIGRATIONS, in order, before anything reads it.
 */
export const FORMAT_VERSION = 1;
export const FORMAT_VERSION_KEY: Key = ['_meta', 'formatVersion'];

export interface Migration {
  /** migrates a store at version `from` to `from + 1` */
  from: number;
  description: string;
  migrate(db: RootDatabase): void | Promise<void>;
}

/** One entry per format change, e.g. `{ from: 1, description: '…', migrate(db) { … } }`. */
export const MIGRATIONS: readonly Migration[] = [];

export interface LmdbOptions {
  /**
   * 'process' (default): a commit reaches the OS before the write is acknowledged — it survives
   * kill -9 of gureum, not a crash of the machine (lmdb noSync). 'disk': every commit is also
   * flushed to the device first (lmdb's default; ~0.3–0.4 ms more per commit, see ADR 0001).
   */
  durability?: 'process' | 'disk';
}

/** A data directory this build cannot open (newer format, failed migration). */
export class DataDirError extends Error {}

/** A change waiting for the next group commit: the value already encoded (undefined: remove). */
type PendingWrite = [key: Key, bytes: Uint8Array | undefined];

export class LmdbEngine implements Engine {
  /** durability 'disk': the last write handed to lmdb's own (asynchronous, flushing) writer */
  private last: Promise<unknown> | undefined;
  /** durability 'process': writes of this event-loop turn, committed together by `commitNow` */
  private pending: PendingWrite[] = [];
  private batch: { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;
  private readonly encode: (value: unknown) => Uint8Array;

  private constructor(
    private readonly db: RootDatabase,
    /** commit on this thread at the end of the turn (durability 'process'), or through lmdb's writer */
    private readonly syncCommit: boolean,
    private readonly asBinary: (bytes: Uint8Array) => unknown,
  ) {
    const encoder = (db as unknown as { encoder: { encode(v: unknown): Uint8Array } }).encoder;
    this.encode = (v) => encoder.encode(v);
  }

  /** lmdb is imported only when persistence is on, so ephemeral start-up does not pay for it. */
  static async open(dir: string, opts: LmdbOptions = {}): Promise<LmdbEngine> {
    mkdirSync(dir, { recursive: true });
    const { open, asBinary } = await import('lmdb');
    const disk = opts.durability === 'disk';
    const db = open({ path: join(dir, 'state.mdb'), compression: false, mapSize: 2 ** 34, noSync: !disk });
    try {
      await checkFormat(db, dir);
    } catch (e) {
      await db.close();
      throw e;
    }
    return new LmdbEngine(db, !disk, asBinary);
  }

  /*
   * Group commit (durability 'process'). A write is encoded at once (later mutations of the value
   * are not written unless it is put again) and queued; the queue is committed in one synchronous
   * transaction on this thread at the end of the event-loop turn (setImmediate), so every request
   * handled in that turn shares one commit, and `committed()` resolves once it returned. Measured
   * (single core, ~300-byte values): ~17 µs per commit of one write, against ~55 µs of CPU for
   * lmdb's asynchronous writer (thread hand-offs on every transaction). With noSync nothing on this
   * path waits for the disk; durability 'disk' (an fsync per commit) keeps lmdb's writer thread
   * so that the event loop never blocks on the device.
   */

  put(key: Key, value: unknown): void {
    const k = physicalKey(key);
    const v = k === key ? value : ({ k: key, v: value } satisfies Wrapped);
    if (!this.syncCommit) {
      this.last = this.db.put(k, v);
      return;
    }
    this.pending.push([k, this.encode(v)]);
    this.schedule();
  }

  remove(key: Key): void {
    const k = physicalKey(key);
    if (!this.syncCommit) {
      this.last = this.db.remove(k);
      return;
    }
    this.pending.push([k, undefined]);
    this.schedule();
  }

  get(key: Key): unknown {
    this.commitNow();
    const k = physicalKey(key);
    const v = this.db.get(k);
    return k === key || v === undefined ? v : (v as Wrapped).v;
  }

  *range(prefix: Key): Iterable<{ key: Key; value: unknown }> {
    this.commitNow();
    // Array keys sort element-wise. No encoded element starts with byte 0xff (UTF-8 never has
    // it), so [...prefix, null] .. [...prefix, <0xff>] spans every child, whatever its text.
    const entries = this.db.getRange({ start: [...prefix, null] as never, end: [...prefix, RANGE_END] as never }) as Iterable<{ key: Key; value: unknown }>;
    for (const e of entries) {
      const last = e.key[e.key.length - 1];
      if (typeof last === 'string' && last.startsWith(HASHED)) {
        const w = e.value as Wrapped;
        yield { key: w.k, value: w.v };
      } else yield e;
    }
  }

  clear(prefix: Key): void {
    this.commitNow();
    const keys = [...this.db.getKeys({ start: [...prefix, null] as never, end: [...prefix, RANGE_END] as never })] as Key[];
    if (!this.syncCommit) {
      for (const key of keys) this.last = this.db.remove(key);
      return;
    }
    for (const key of keys) this.pending.push([key, undefined]);
    this.schedule();
  }

  committed(): Promise<void> {
    if (this.batch) return this.batch.promise;
    return this.last ? this.last.then(noop) : RESOLVED;
  }

  async close(): Promise<void> {
    this.commitNow();
    await this.committed();
    await this.db.close();
  }

  private schedule(): void {
    if (this.batch) return;
    let resolve!: () => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A failed commit rejects committed() for whoever waits on it; it must not also become an
    // unhandled rejection (writes from timers have no waiter).
    promise.catch(noop);
    this.batch = { promise, resolve, reject };
    setImmediate(() => this.commitNow());
  }

  /** Commit every queued write now, in one transaction. */
  private commitNow(): void {
    const batch = this.batch;
    if (!batch) return;
    const writes = this.pending;
    this.pending = [];
    this.batch = undefined;
    try {
      this.db.transactionSync(() => {
        for (const [k, bytes] of writes) {
          if (bytes) this.db.putSync(k, this.asBinary(bytes));
          else this.db.removeSync(k);
        }
      }, SYNCHRONOUS_COMMIT);
    } catch (e) {
      console.error('[gureum] storage commit failed', e);
      batch.reject(e);
      return;
    }
    batch.resolve();
  }
}

const noop = () => {};
const RESOLVED = Promise.resolve();
/** lmdb's TransactionFlags.SYNCHRONOUS_COMMIT: committed before transactionSync returns */
const SYNCHRONOUS_COMMIT = 2;
const RANGE_END = Buffer.from([0xff]);

/**
 * Keys lmdb cannot store as they are: longer than its 1978-byte limit (a DynamoDB item key
 * can reach 3 KB), or with text its key encoding does not round-trip (in elements of 64+
 * characters, code points U+0000..U+0004 read back as element separators, and lone surrogates
 * as U+FFFD). Such a key is stored under a hash of it in its last element, with the real key
 * kept in the value.
 */
const HASHED = '\u{10FFFF}#';
interface Wrapped {
  k: Key;
  v: unknown;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function physicalKey(key: Key): Key {
  let chars = 0;
  let unsafe = false;
  for (const part of key) {
    if (typeof part !== 'string') continue;
    chars += part.length;
    if (LONE_SURROGATE.test(part) || (part.length >= 64 && /[\u0000-\u0004]/.test(part)) || part.startsWith(HASHED)) unsafe = true;
  }
  if (!unsafe && chars > 600) unsafe = key.reduce<number>((n, p) => n + (typeof p === 'string' ? Buffer.byteLength(p) + 2 : 10), 0) > 1900;
  if (!unsafe) return key;
  const hash = createHash('sha256').update(JSON.stringify(key.map((p) => (typeof p === 'string' ? [...p].map((c) => c.codePointAt(0)) : p)))).digest('base64url');
  return [...key.slice(0, -1), HASHED + hash];
}

async function checkFormat(db: RootDatabase, dir: string): Promise<void> {
  const stored = db.get(FORMAT_VERSION_KEY);
  let version: number;
  if (stored === undefined) {
    // A new directory, or one written before the version was recorded (that was format 1).
    version = 1;
  } else if (typeof stored === 'number' && Number.isInteger(stored) && stored >= 1) {
    version = stored;
  } else {
    throw new DataDirError(`gureum: ${dir} has an unreadable format version (${JSON.stringify(stored)}); it is not a gureum data directory, or it is damaged.`);
  }
  if (version > FORMAT_VERSION) {
    throw new DataDirError(`gureum: ${dir} was written by a newer gureum (data format ${version}; this build reads up to ${FORMAT_VERSION}). Upgrade gureum, or use another --data-dir.`);
  }
  for (const m of MIGRATIONS) {
    if (m.from < version) continue;
    if (m.from !== version) throw new DataDirError(`gureum: no migration from data format ${version} (next known: ${m.from})`);
    try {
      await m.migrate(db);
    } catch (e) {
      throw new DataDirError(`gureum: migrating ${dir} from data format ${m.from} to ${m.from + 1} (${m.description}) failed: ${e instanceof Error ? e.message : String(e)}`);
    }
    version = m.from + 1;
    await db.put(FORMAT_VERSION_KEY, version);
  }
  if (version !== FORMAT_VERSION) throw new DataDirError(`gureum: no migration from data format ${version} to ${FORMAT_VERSION}`);
  if (stored !== FORMAT_VERSION) await db.put(FORMAT_VERSION_KEY, FORMAT_VERSION);
}

/** In-memory: nothing to persist (ephemeral mode). */
export class MemoryEngine implements Engine {
  put(): void {}
  remove(): void {}
  get(): unknown {
    return undefined;
  }
  range(): Iterable<{ key: Key; value: unknown }> {
    return [];
  }
  clear(): void {}
  async committed(): Promise<void> {}
  async close(): Promise<void> {}
}
