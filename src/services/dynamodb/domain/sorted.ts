/**
 * A sorted map from string keys (compared by UTF-16 code unit, i.e. by byte for latin1 key
 * encodings) to values: a list of chunks of at most CHUNK entries, each sorted, found by binary
 * search over the chunks' last keys. get/set/delete are O(log n + CHUNK); iteration from any
 * key is O(log n + page). No dependency, small enough to read.
 */
const CHUNK = 512;

interface Chunk<V> { keys: string[]; vals: V[] }

export class SortedMap<V> {
  private chunks: Chunk<V>[] = [];
  private n = 0;

  get size(): number { return this.n; }

  get(key: string): V | undefined {
    const c = this.chunks[this.chunkFor(key)];
    if (!c) return undefined;
    const i = lowerBound(c.keys, key);
    return c.keys[i] === key ? c.vals[i] : undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, val: V): void {
    if (!this.chunks.length) {
      this.chunks.push({ keys: [key], vals: [val] });
      this.n = 1;
      return;
    }
    const ci = Math.min(this.chunkFor(key), this.chunks.length - 1);
    const c = this.chunks[ci]!;
    const i = lowerBound(c.keys, key);
    if (c.keys[i] === key) {
      c.vals[i] = val;
      return;
    }
    c.keys.splice(i, 0, key);
    c.vals.splice(i, 0, val);
    this.n++;
    if (c.keys.length > 2 * CHUNK) {
      this.chunks.splice(ci + 1, 0, { keys: c.keys.splice(CHUNK), vals: c.vals.splice(CHUNK) });
    }
  }

  delete(key: string): boolean {
    const ci = this.chunkFor(key);
    const c = this.chunks[ci];
    if (!c) return false;
    const i = lowerBound(c.keys, key);
    if (c.keys[i] !== key) return false;
    c.keys.splice(i, 1);
    c.vals.splice(i, 1);
    this.n--;
    if (!c.keys.length) this.chunks.splice(ci, 1);
    return true;
  }

  clear(): void {
    this.chunks = [];
    this.n = 0;
  }

  /** Entries in key order, starting at the first key >= `from` (or > it when `exclusive`). */
  *entries(from?: string, exclusive = false): IterableIterator<[string, V]> {
    let ci = from === undefined ? 0 : this.chunkFor(from);
    let i = from === undefined ? 0 : lowerBound(this.chunks[ci]?.keys ?? [], from);
    for (; ci < this.chunks.length; ci++, i = 0) {
      const c = this.chunks[ci]!;
      for (; i < c.keys.length; i++) {
        if (exclusive && c.keys[i] === from) continue;
        yield [c.keys[i]!, c.vals[i]!];
      }
    }
  }

  /** Entries in descending key order, starting at the last key <= `from` (or < it when `exclusive`). */
  *entriesDesc(from?: string, exclusive = false): IterableIterator<[string, V]> {
    let ci: number, i: number;
    if (from === undefined) {
      ci = this.chunks.length - 1;
      i = (this.chunks[ci]?.keys.length ?? 0) - 1;
    } else {
      ci = Math.min(this.chunkFor(from), this.chunks.length - 1);
      const keys = this.chunks[ci]?.keys ?? [];
      i = lowerBound(keys, from);
      if (!(i < keys.length && keys[i] === from && !exclusive)) i--; // last key < from
    }
    for (; ci >= 0; ci--, i = (this.chunks[ci]?.keys.length ?? 0) - 1) {
      const c = this.chunks[ci]!;
      for (; i >= 0; i--) yield [c.keys[i]!, c.vals[i]!];
    }
  }

  /** Index of the first chunk whose last key is >= key (chunks.length if none). */
  private chunkFor(key: string): number {
    let lo = 0, hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const c = this.chunks[mid]!;
      if (c.keys[c.keys.length - 1]! < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerBound(keys: string[], key: string): number {
  let lo = 0, hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]! < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
