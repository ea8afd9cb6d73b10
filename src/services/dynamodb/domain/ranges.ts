/**
 * Walks over a table's (or index's) sorted entries: the items of one partition within a sort-key
 * condition, from an exclusive start key, either way (O(log n + page)), and parallel-scan
 * segments. Shared by Query, Scan and PartiQL SELECT.
 */
import type * as T from '../generated/types.js';
import type { SortedMap } from './sorted.js';
import type { StoredItem } from './table.js';
import { compositeKey, encodeKeyValue } from './values.js';

export type RangeOp = 'EQ' | 'LT' | 'LE' | 'GT' | 'GE' | 'BETWEEN' | 'BEGINS_WITH';
export interface KeyCond { op: RangeOp; vals: T.AttributeValue[] }

export function* values<V>(it: Iterable<[string, V]>, until: (k: string) => boolean): Iterable<V> {
  for (const [k, v] of it) {
    if (until(k)) return;
    yield v;
  }
}

export function* segmentFilter(it: Iterable<[string, StoredItem]>, keep: (k: string) => boolean): Iterable<StoredItem> {
  for (const [k, v] of it) if (keep(k)) yield v;
}

/** Segment of an item: FNV-1a of its partition key, split into TotalSegments equal hash ranges. */
export function segmentOf(key: string, total: number): number {
  let end = key.indexOf('\x00\x01');
  if (end < 0) end = key.length;
  let h = 0x811c9dc5;
  for (let i = 0; i < end; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return Math.floor(((h >>> 0) * total) / 0x100000000);
}

/** Smallest string greater than every string that starts with `p`. */
function successor(p: string): string {
  let s = p;
  while (s.endsWith('\xff')) s = s.slice(0, -1);
  return s.slice(0, -1) + String.fromCharCode(s.charCodeAt(s.length - 1) + 1);
}

/**
 * The items of one partition within a sort-key condition, from an exclusive start key, either
 * way. Table keys are head + range; index keys are head + escaped range + 00 01 + table key, so
 * "range = v" is one key in a table and a key range [v 00 01, v 00 02) in an index.
 */
export function rangeWalk(map: SortedMap<StoredItem>, hashVal: T.AttributeValue, range: KeyCond | undefined, forward: boolean, start: string | undefined, indexed: boolean): Iterable<StoredItem> {
  const head = compositeKey(encodeKeyValue(hashVal), '');
  const enc = (i: number) => {
    const e = encodeKeyValue(range!.vals[i]!);
    return head + (indexed ? e.replace(/\x00/g, '\x00\xff') : e);
  };
  // [bound, inclusive] for "range >= v", "range > v", "range < v", "range <= v"
  const ge = (i: number): [string, boolean] => [enc(i) + (indexed ? '\x00\x01' : ''), true];
  const gt = (i: number): [string, boolean] => (indexed ? [enc(i) + '\x00\x02', true] : [enc(i), false]);
  const lt = (i: number): [string, boolean] => [enc(i) + (indexed ? '\x00\x01' : ''), false];
  const le = (i: number): [string, boolean] => (indexed ? [enc(i) + '\x00\x02', false] : [enc(i), true]);
  let [lo, loIncl] = [head, true];
  let [hi, hiIncl] = [successor(head), false];
  let prefix = head;
  switch (range?.op) {
    case 'EQ': [lo, loIncl] = ge(0); [hi, hiIncl] = le(0); break;
    case 'LT': [hi, hiIncl] = lt(0); break;
    case 'LE': [hi, hiIncl] = le(0); break;
    case 'GT': [lo, loIncl] = gt(0); break;
    case 'GE': [lo, loIncl] = ge(0); break;
    case 'BETWEEN': [lo, loIncl] = ge(0); [hi, hiIncl] = le(1); break;
    case 'BEGINS_WITH': lo = prefix = enc(0); [hi, hiIncl] = [successor(prefix), false]; break;
  }
  const below = (k: string) => (loIncl ? k < lo : k <= lo);
  const above = (k: string) => (hiIncl ? k > hi : k >= hi);
  if (forward) {
    let from = lo, excl = !loIncl;
    if (start !== undefined && start >= lo) [from, excl] = [start, true];
    return values(map.entries(from, excl), above);
  }
  let from = hi, excl = !hiIncl;
  if (start !== undefined && start <= hi) [from, excl] = [start, true];
  return values(map.entriesDesc(from, excl), below);
}
