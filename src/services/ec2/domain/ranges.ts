/**
 * Sets of integers as sorted, disjoint, inclusive intervals: IPv4 address sets (32-bit unsigned)
 * and port sets. The reachability model narrows a packet header through them (a header is a set
 * of possible packets, so "some packet gets through" is "the narrowed set is not empty").
 */
import { formatIp4, last4, parseCidr4, type Cidr4 } from './cidr.js';

export type Range = readonly [number, number];
export type RangeSet = readonly Range[];

export const EMPTY: RangeSet = [];
export const ALL_ADDRESSES: RangeSet = [[0, 0xffffffff]];
export const ALL_PORTS: RangeSet = [[0, 65535]];
/** The ephemeral ports a client picks its source port from (AWS's NACL guidance: 1024–65535). */
export const EPHEMERAL_PORTS: RangeSet = [[1024, 65535]];

export const isEmpty = (s: RangeSet) => s.length === 0;

export function normalize(ranges: Iterable<Range>): RangeSet {
  const sorted = [...ranges].filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1] + 1) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

export const union = (...sets: RangeSet[]) => normalize(sets.flat());

export function intersect(a: RangeSet, b: RangeSet): RangeSet {
  const out: Range[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export function subtract(a: RangeSet, b: RangeSet): RangeSet {
  let out: Range[] = [...a];
  for (const [lo, hi] of b) {
    const next: Range[] = [];
    for (const [x, y] of out) {
      if (hi < x || lo > y) next.push([x, y]);
      else {
        if (x < lo) next.push([x, lo - 1]);
        if (y > hi) next.push([hi + 1, y]);
      }
    }
    out = next;
  }
  return out;
}

export const cidrRange = (c: Cidr4): Range => [c.base, last4(c)];

/** The address set of CIDR texts (malformed ones are ignored). */
export function cidrSet(cidrs: Iterable<string>): RangeSet {
  const out: Range[] = [];
  for (const t of cidrs) {
    const c = parseCidr4(t);
    if (c) out.push(cidrRange(c));
  }
  return normalize(out);
}

/** An address set as the fewest CIDR blocks covering it exactly. */
export function toCidrs(s: RangeSet): string[] {
  const out: string[] = [];
  for (const [lo, hi] of s) {
    let cur = lo;
    while (cur <= hi) {
      let size = 32;
      while (size > 0) {
        const block = 2 ** (32 - size + 1);
        if (cur % block !== 0 || cur + block - 1 > hi) break;
        size--;
      }
      out.push(`${formatIp4(cur)}/${size}`);
      cur += 2 ** (32 - size);
    }
  }
  return out;
}

export const portRanges = (s: RangeSet) => s.map(([From, To]) => ({ From, To }));

/** RFC 1918 private ranges and the RFC 6598 shared range, which internet gateways refuse. */
export const PRIVATE_ADDRESSES = cidrSet(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16']);
export const SHARED_ADDRESSES = cidrSet(['100.64.0.0/10']);
/** Addresses a packet from the internet can come from. */
export const INTERNET_ADDRESSES = subtract(ALL_ADDRESSES, union(PRIVATE_ADDRESSES, SHARED_ADDRESSES));
