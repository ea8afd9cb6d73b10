/** Limit/Marker paging as KMS does it: items in a stable order, the marker names the last one returned. */
import { checkRange, invalidMarker } from './errors.js';

export interface Page<T> { items: T[]; NextMarker?: string; Truncated: boolean }

export function page<T>(sorted: T[], keyOf: (t: T) => string, limit: number | undefined, marker: string | undefined, max: number, dflt: number): Page<T> {
  checkRange(limit, 'limit', 1, max);
  let start = 0;
  if (marker !== undefined) {
    let after: string;
    try {
      after = Buffer.from(marker, 'base64url').toString('utf8');
    } catch {
      throw invalidMarker();
    }
    if (!marker || Buffer.from(after, 'utf8').toString('base64url') !== marker) throw invalidMarker();
    start = sorted.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = sorted.length;
  }
  const n = limit ?? dflt;
  const items = sorted.slice(start, start + n);
  const truncated = start + n < sorted.length;
  return truncated ? { items, NextMarker: Buffer.from(keyOf(items[items.length - 1]!), 'utf8').toString('base64url'), Truncated: true } : { items, Truncated: false };
}

export const byKey = <T>(keyOf: (t: T) => string) => (a: T, b: T) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0);
