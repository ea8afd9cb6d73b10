/**
 * The scoped store every service keeps its state in.
 *
 * State is plain data (no class instances), held in memory for reads and written through to
 * the durable engine on every change. A table belongs to one service and is partitioned by
 * scope: account × region for regional services, account alone (region "") for global ones.
 * Handlers mutate synchronously (no await between a check and the write it guards); the
 * gateway awaits `store.committed()` before it answers, so an acknowledged write is durable.
 */
import type { Engine, Key } from './engine.js';

export interface Scope {
  account: string;
  region: string; // "" for global services
}

const scopeKey = (s: Scope) => `${s.account}/${s.region}`;

export class Table<T> {
  private readonly data = new Map<string, Map<string, T>>();

  constructor(
    private readonly engine: Engine,
    private readonly prefix: Key,
  ) {
    for (const { key, value } of engine.range(prefix)) {
      const [sk, k] = key.slice(prefix.length) as [string, string];
      this.bucket(sk).set(k, value as T);
    }
  }

  get(scope: Scope, key: string): T | undefined {
    return this.data.get(scopeKey(scope))?.get(key);
  }

  has(scope: Scope, key: string): boolean {
    return this.data.get(scopeKey(scope))?.has(key) ?? false;
  }

  /** Insert or replace, and write it through. Call again after mutating a stored value. */
  put(scope: Scope, key: string, value: T): void {
    const sk = scopeKey(scope);
    this.bucket(sk).set(key, value);
    this.engine.put([...this.prefix, sk, key], value);
  }

  delete(scope: Scope, key: string): boolean {
    const sk = scopeKey(scope);
    const b = this.data.get(sk);
    if (!b?.delete(key)) return false;
    this.engine.remove([...this.prefix, sk, key]);
    return true;
  }

  /** Values of one scope in insertion order. */
  values(scope: Scope): IterableIterator<T> {
    return (this.data.get(scopeKey(scope)) ?? new Map<string, T>()).values();
  }

  entries(scope: Scope): IterableIterator<[string, T]> {
    return (this.data.get(scopeKey(scope)) ?? new Map<string, T>()).entries();
  }

  count(scope: Scope): number {
    return this.data.get(scopeKey(scope))?.size ?? 0;
  }

  /** Every scope that holds data, with its values (for timers and cross-account views). */
  *allScopes(): IterableIterator<[Scope, Map<string, T>]> {
    for (const [sk, m] of this.data) {
      const i = sk.indexOf('/');
      yield [{ account: sk.slice(0, i), region: sk.slice(i + 1) }, m];
    }
  }

  /** Forget everything in memory (after the engine range was cleared). */
  clearMemory(): void {
    this.data.clear();
  }

  private bucket(sk: string): Map<string, T> {
    let b = this.data.get(sk);
    if (!b) this.data.set(sk, (b = new Map()));
    return b;
  }
}

export class Store {
  private readonly tables = new Map<string, Table<unknown>>();

  constructor(readonly engine: Engine) {}

  /** The table `name` of `service`, loaded from disk on first use. */
  table<T>(service: string, name: string): Table<T> {
    const id = `${service}\u0000${name}`;
    let t = this.tables.get(id);
    if (!t) this.tables.set(id, (t = new Table<unknown>(this.engine, ['s', service, name])));
    return t as Table<T>;
  }

  /** Resolves once every write made so far is committed. */
  committed(): Promise<void> {
    return this.engine.committed();
  }

  /** Drop the state of one service (or all). */
  reset(service?: string): void {
    this.engine.clear(service ? ['s', service] : ['s']);
    for (const [id, t] of this.tables) if (!service || id.startsWith(service + '\u0000')) t.clearMemory();
  }
}
