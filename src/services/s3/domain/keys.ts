/**
 * A bucket's keys in S3's listing order (UTF-8 binary order), so a listing page costs
 * O(log n + page): binary search to the start, then a walk.
 *
 * JavaScript compares strings by UTF-16 code units, which differs from UTF-8 byte order
 * when a surrogate pair (U+10000 and above) meets a code unit in U+E000–U+FFFF; the
 * comparison below fixes that case up so the order is by code point, i.e. by UTF-8 bytes.
 * The two orders differ only when both code units compared are at or above U+D800, so while no
 * key of the index has one, the engine's own string comparison (much faster on a million keys)
 * is exact — also for looking up a key that has one.
 *
 * The keys are kept in sorted chunks of at most CHUNK keys, so an insert or a removal moves at
 * most a chunk (plus the chunk list when one splits or empties), not the whole bucket: with a
 * million keys one sorted array would move megabytes per PutObject of a new key.
 */
export function compareKeys(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && y >= 0xd800) {
      x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
      y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
    }
    return x - y;
  }
  return a.length - b.length;
}

const nativeCompare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const WIDE = /[\ud800-\uffff]/;

/** Most keys per chunk; a chunk that grows to twice this splits. */
const CHUNK = 512;

export class SortedKeys {
  private chunks: string[][] = [];
  /** index of each chunk's first key; rebuilt after a change, when positions are asked for */
  private starts: number[] | undefined = [];
  private count = 0;
  /** some key has a code unit >= U+D800: compare with compareKeys */
  private wide = false;
  private cmp: (a: string, b: string) => number = nativeCompare;
  /** the chunk of the last `at` (walks go chunk by chunk) */
  private last = 0;

  constructor(keys: Iterable<string> = []) {
    const all = [...keys];
    if (all.some((k) => WIDE.test(k))) this.useWide();
    all.sort(this.cmp);
    for (let i = 0; i < all.length; i += CHUNK) this.chunks.push(all.slice(i, i + CHUNK));
    this.count = all.length;
    this.starts = undefined;
  }

  private useWide(): void {
    this.wide = true;
    this.cmp = compareKeys;
  }

  get size(): number {
    return this.count;
  }

  private positions(): number[] {
    if (!this.starts) {
      const s = new Array<number>(this.chunks.length);
      let n = 0;
      for (let c = 0; c < this.chunks.length; c++) {
        s[c] = n;
        n += this.chunks[c]!.length;
      }
      this.starts = s;
    }
    return this.starts;
  }

  at(i: number): string | undefined {
    if (i < 0 || i >= this.count) return undefined;
    const s = this.positions();
    const inside = (c: number) => c < s.length && i >= s[c]! && i < s[c]! + this.chunks[c]!.length;
    let c = this.last;
    if (!inside(c)) {
      // a walk goes on into the next chunk; else a binary search for the last start <= i
      if (inside(c + 1)) c++;
      else {
        let lo = 0, hi = s.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >>> 1;
          if (s[mid]! <= i) lo = mid;
          else hi = mid - 1;
        }
        c = lo;
      }
      this.last = c;
    }
    return this.chunks[c]![i - s[c]!];
  }

  /** The first chunk whose last key is >= k (strict: > k); chunks.length if none. */
  private chunkFor(k: string, strict: boolean): number {
    let lo = 0, hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      const d = this.cmp(chunk[chunk.length - 1]!, k);
      if (d < 0 || (strict && d === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private static within(chunk: string[], k: string, strict: boolean, cmp: (a: string, b: string) => number): number {
    let lo = 0, hi = chunk.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = cmp(chunk[mid]!, k);
      if (d < 0 || (strict && d === 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private bound(k: string, strict: boolean): number {
    const c = this.chunkFor(k, strict);
    if (c === this.chunks.length) return this.count;
    return this.positions()[c]! + SortedKeys.within(this.chunks[c]!, k, strict, this.cmp);
  }

  /** first index whose key is >= k */
  lowerBound(k: string): number {
    return this.bound(k, false);
  }

  /** first index whose key is > k */
  upperBound(k: string): number {
    return this.bound(k, true);
  }

  /** first index after every key that starts with `prefix` (keys with a prefix are contiguous) */
  afterPrefix(prefix: string): number {
    // the chunks whose last key has the prefix are inside the run; the run ends in the next one
    let lo = this.chunkFor(prefix, false), hi = this.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const chunk = this.chunks[mid]!;
      if (chunk[chunk.length - 1]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === this.chunks.length) return this.count;
    const chunk = this.chunks[lo]!;
    let i = 0, j = chunk.length - 1;
    while (i < j) {
      const mid = (i + j) >>> 1;
      if (chunk[mid]!.startsWith(prefix) || this.cmp(chunk[mid]!, prefix) < 0) i = mid + 1;
      else j = mid;
    }
    return this.positions()[lo]! + i;
  }

  insert(k: string): void {
    if (!this.wide && WIDE.test(k)) this.useWide();
    if (!this.chunks.length) {
      this.chunks.push([k]);
      this.count = 1;
      this.starts = undefined;
      return;
    }
    const c = Math.min(this.chunkFor(k, false), this.chunks.length - 1);
    const chunk = this.chunks[c]!;
    const j = SortedKeys.within(chunk, k, false, this.cmp);
    if (chunk[j] === k) return;
    chunk.splice(j, 0, k);
    this.count++;
    if (chunk.length >= 2 * CHUNK) this.chunks.splice(c + 1, 0, chunk.splice(CHUNK));
    this.starts = undefined;
  }

  remove(k: string): void {
    const c = this.chunkFor(k, false);
    const chunk = this.chunks[c];
    if (!chunk) return;
    const j = SortedKeys.within(chunk, k, false, this.cmp);
    if (chunk[j] !== k) return;
    chunk.splice(j, 1);
    this.count--;
    if (!chunk.length) this.chunks.splice(c, 1);
    this.starts = undefined;
  }
}
