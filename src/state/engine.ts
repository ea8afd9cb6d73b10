/**
 * Durable key/value engine behind the scoped store. LMDB (via `lmdb`) — see
 * docs/adr/0001-storage-engine.md for the measurements behind the choice.
 *
 * Writes are issued immediately and batched by lmdb into one transaction per turn of the
 * event loop (group commit). `committed()` resolves once every write issued so far is in a
 * committed transaction: from then on it survives kill -9 of this process.
 */
import type { RootDatabase } from 'lmdb';
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

export const FORMAT_VERSION = 1;

export class LmdbEngine implements Engine {
  private last: Promise<unknown> | undefined;

  private constructor(private readonly db: RootDatabase) {}

  /** lmdb is imported only when persistence is on, so ephemeral start-up does not pay for it. */
  static async open(dir: string): Promise<LmdbEngine> {
    mkdirSync(dir, { recursive: true });
    const { open } = await import('lmdb');
    return new LmdbEngine(open({ path: join(dir, 'state.mdb'), compression: false, mapSize: 2 ** 34 }));
  }

  put(key: Key, value: unknown): void {
    this.last = this.db.put(key, value);
  }

  remove(key: Key): void {
    this.last = this.db.remove(key);
  }

  get(key: Key): unknown {
    return this.db.get(key);
  }

  range(prefix: Key): Iterable<{ key: Key; value: unknown }> {
    // Array keys sort element-wise; [...prefix, null] .. [...prefix, "\uffff"] spans the children.
    return this.db.getRange({ start: [...prefix, null] as never, end: [...prefix, '\uffff\uffff'] as never }) as Iterable<{ key: Key; value: unknown }>;
  }

  clear(prefix: Key): void {
    for (const { key } of this.range(prefix)) this.remove(key);
  }

  async committed(): Promise<void> {
    if (this.last) await this.last;
  }

  async close(): Promise<void> {
    await this.committed();
    await this.db.close();
  }
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
