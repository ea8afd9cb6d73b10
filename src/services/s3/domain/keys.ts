/**
 * A bucket's keys in S3's listing order (UTF-8 binary order), so a listing page costs
 * O(log n + page): binary search to the start, then a walk.
 *
 * JavaScript compares strings by UTF-16 code units, which differs from UTF-8 byte order
 * when a surrogate pair (U+10000 and above) meets a code unit in U+E000–U+FFFF; the
 * comparison below fixes that case up so the order is by code point, i.e. by UTF-8 bytes.
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

export class SortedKeys {
  private readonly keys: string[];

  constructor(keys: Iterable<string> = []) {
    this.keys = [...keys].sort(compareKeys);
  }

  get size(): number {
    return this.keys.length;
  }

  at(i: number): string | undefined {
    return this.keys[i];
  }

  /** first index whose key is >= k */
  lowerBound(k: string): number {
    let lo = 0, hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid]!, k) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** first index whose key is > k */
  upperBound(k: string): number {
    let lo = 0, hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.keys[mid]!, k) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** first index after every key that starts with `prefix` (keys with a prefix are contiguous) */
  afterPrefix(prefix: string): number {
    let lo = this.lowerBound(prefix), hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.keys[mid]!.startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  insert(k: string): void {
    const i = this.lowerBound(k);
    if (this.keys[i] === k) return;
    if (i === this.keys.length) this.keys.push(k);
    else this.keys.splice(i, 0, k);
  }

  remove(k: string): void {
    const i = this.lowerBound(k);
    if (this.keys[i] === k) this.keys.splice(i, 1);
  }
}
