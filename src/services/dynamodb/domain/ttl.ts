/**
 * Time to live: per table, an index of items by their expiry (the TTL attribute, a Number of
 * epoch seconds), built when first swept and maintained on every write afterwards, so a sweep
 * costs O(expired · log n). Items whose TTL is more than five years in the past are never
 * deleted (as AWS), nor are items whose attribute is not a Number.
 */
import { SortedMap } from './sorted.js';
import { compositeKey, encodeKeyValue, type Item } from './values.js';

export const FIVE_YEARS_MS = 5 * 365 * 24 * 60 * 60 * 1000;

export interface TtlSetting {
  attr: string;
  enabled: boolean;
  /** last UpdateTimeToLive (one change per hour) */
  changedAt: number;
}

/** Expiry of an item in epoch ms, or undefined when it has none. */
export function expiryOf(item: Item, attr: string): number | undefined {
  const v = item[attr];
  if (v?.N === undefined) return undefined;
  const n = Number(v.N);
  return Number.isFinite(n) ? n * 1000 : undefined;
}

export class TtlIndex {
  readonly map = new SortedMap<{ key: string; exp: number }>();
  constructor(readonly attr: string) {}

  private k(item: Item, key: string): string | undefined {
    const v = item[this.attr];
    return v?.N !== undefined ? compositeKey(encodeKeyValue(v), key) : undefined;
  }

  update(key: string, oldItem: Item | undefined, newItem: Item | undefined): void {
    const ok = oldItem && this.k(oldItem, key);
    if (ok) this.map.delete(ok);
    const nk = newItem && this.k(newItem, key);
    const exp = newItem && expiryOf(newItem, this.attr);
    if (nk && exp !== undefined) this.map.set(nk, { key, exp });
  }

  /** Keys of items expired at `now` (not older than five years), in expiry order. */
  expired(now: number): string[] {
    const out: string[] = [];
    for (const [, v] of this.map.entries()) {
      if (v.exp > now) break;
      if (v.exp >= now - FIVE_YEARS_MS) out.push(v.key);
    }
    return out;
  }
}
