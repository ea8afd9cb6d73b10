/** GetObject/HeadObject semantics: byte ranges and conditional requests, as S3 applies them. */
import { invalidRange, notModified, preconditionFailed } from './errors.js';

export interface ByteRange { start: number; end: number }

/**
 * A single `bytes=` range, clamped to the object. Anything S3 ignores (other units, several
 * ranges, malformed syntax) yields undefined: the whole object is returned with 200.
 */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) throw invalidRange(header, size);
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  if (end < start) return undefined;
  if (start >= size) throw invalidRange(header, size);
  return { start, end: Math.min(end, size - 1) };
}

const unquote = (s: string) => s.trim().replace(/^W\//, '').replace(/^"(.*)"$/, '$1');

function etagMatches(list: string, etag: string): boolean {
  const want = unquote(etag);
  return list.split(',').some((t) => t.trim() === '*' || unquote(t) === want);
}

export interface Conditions {
  IfMatch?: string;
  IfNoneMatch?: string;
  IfModifiedSince?: Date;
  IfUnmodifiedSince?: Date;
}

/**
 * RFC 7232 order as S3 documents it: If-Match (else If-Unmodified-Since) → 412;
 * then If-None-Match (else If-Modified-Since) → 304. Times compare at second precision.
 */
export function checkConditions(c: Conditions, etag: string, lastModified: number, headers304: Record<string, string>): void {
  const lm = Math.floor(lastModified / 1000);
  if (c.IfMatch !== undefined) {
    if (!etagMatches(c.IfMatch, etag)) throw preconditionFailed('If-Match');
  } else if (c.IfUnmodifiedSince && lm > Math.floor(c.IfUnmodifiedSince.getTime() / 1000)) {
    throw preconditionFailed('If-Unmodified-Since');
  }
  if (c.IfNoneMatch !== undefined) {
    if (etagMatches(c.IfNoneMatch, etag)) throw notModified(headers304);
  } else if (c.IfModifiedSince && lm <= Math.floor(c.IfModifiedSince.getTime() / 1000)) {
    throw notModified(headers304);
  }
}

export { etagMatches };
