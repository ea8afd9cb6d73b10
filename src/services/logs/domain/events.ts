/**
 * Reading a stream's events in order (timestamp, then ingestion), and GetLogEvents tokens.
 * A token is a cursor, not an offset: "f/<cursor>/s" reads events after it, "b/<cursor>/s"
 * events before it, so events put later (even with older timestamps) never shift a page.
 * At the end of the stream the forward token comes back unchanged, as AWS's does.
 */
import type { StoredEvent } from './model.js';
import { invalidParameter } from './errors.js';

export interface Cursor {
  timestamp: number;
  seq: number;
}

export const compareEvents = (a: Cursor, b: Cursor) => a.timestamp - b.timestamp || a.seq - b.seq;

/** 56 digits like AWS's tokens: 20 for the timestamp, 36 for the sequence. */
export function encodeToken(dir: 'f' | 'b', c: Cursor): string {
  return `${dir}/${String(Math.max(0, c.timestamp)).padStart(20, '0')}${String(c.seq).padStart(36, '0')}/s`;
}

export function decodeToken(token: string): { dir: 'f' | 'b'; cursor: Cursor } {
  const m = /^([fb])\/(\d{20})(\d{36})\/s$/.exec(token);
  if (!m) throw invalidParameter('The specified nextToken is invalid.');
  return { dir: m[1] as 'f' | 'b', cursor: { timestamp: Number(m[2]), seq: Number(m[3]) } };
}

export const START: Cursor = { timestamp: 0, seq: 0 };

export interface Page {
  events: StoredEvent[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

const MAX_BYTES = 1_048_576;
const size = (e: StoredEvent) => Buffer.byteLength(e.message, 'utf8') + 26;

/**
 * One page of `sorted` (already filtered to the time range): from the head or the tail when
 * there is no token, else after/before the token's cursor. At most `limit` events and 1 MB.
 */
export function page(sorted: StoredEvent[], opts: { token?: string; startFromHead: boolean; limit: number }): Page {
  const t = opts.token ? decodeToken(opts.token) : undefined;
  let forward: boolean;
  let from: number; // index range [from, to) of candidates
  let to: number;
  if (!t) {
    forward = opts.startFromHead;
    [from, to] = [0, sorted.length];
  } else if (t.dir === 'f') {
    forward = true;
    [from, to] = [firstAfter(sorted, t.cursor), sorted.length];
  } else {
    forward = false;
    [from, to] = [0, firstAfter(sorted, { ...t.cursor, seq: t.cursor.seq - 0.5 })];
  }

  const picked: StoredEvent[] = [];
  let bytes = 0;
  if (forward) {
    for (let i = from; i < to && picked.length < opts.limit; i++) {
      if ((bytes += size(sorted[i]!)) > MAX_BYTES && picked.length) break;
      picked.push(sorted[i]!);
    }
  } else {
    for (let i = to - 1; i >= from && picked.length < opts.limit; i--) {
      if ((bytes += size(sorted[i]!)) > MAX_BYTES && picked.length) break;
      picked.unshift(sorted[i]!);
    }
  }

  if (!picked.length) {
    // Nothing more in this direction: hand the same position back.
    const c = t?.cursor ?? START;
    return { events: [], nextForwardToken: encodeToken('f', c), nextBackwardToken: encodeToken('b', c) };
  }
  const first = picked[0]!;
  const last = picked[picked.length - 1]!;
  return { events: picked, nextForwardToken: encodeToken('f', last), nextBackwardToken: encodeToken('b', first) };
}

/** Index of the first event strictly after cursor c. */
function firstAfter(sorted: StoredEvent[], c: Cursor): number {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareEvents(sorted[mid]!, c) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
