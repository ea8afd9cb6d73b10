/** Shared pieces of IAM's operations: AWS's errors and words, ids, validation, paging, tags. */
import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { alnumId } from '../../../core/ids.js';
import { PARTITION } from '../../../core/regions.js';
import { Constraints } from '../../sts/internal.js';
import type { Tag } from '../state.js';

export { Constraints };

// ---- errors (codes are the model's shape names; the query protocol sends NoSuchEntity etc.)
export const noSuchEntity = (message: string) => new AwsError('NoSuchEntityException', message, 404);
export const alreadyExists = (message: string) => new AwsError('EntityAlreadyExistsException', message, 409);
export const deleteConflict = (message: string) => new AwsError('DeleteConflictException', message, 409);
export const limitExceeded = (message: string) => new AwsError('LimitExceededException', message, 409);
export const invalidInput = (message: string) => new AwsError('InvalidInputException', message, 400);
export const malformedPolicy = (message: string) => new AwsError('MalformedPolicyDocumentException', message, 400);
export const validationError = (message: string) => new AwsError('ValidationError', message, 400);

// ---- ids and ARNs
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export type IdPrefix = 'AIDA' | 'AROA' | 'ANPA' | 'AGPA' | 'AIPA' | 'ASCA' | 'APKA' | 'ACCA';

/** A unique id as AWS shapes them: 4-letter type prefix + 17 upper-case characters. */
export const uniqueId = (prefix: IdPrefix): string => prefix + alnumId(17, ID_ALPHABET);

/** The same id every time for the same seed (AWS managed policies). */
export function stableId(prefix: IdPrefix, seed: string): string {
  const h = createHash('sha256').update(seed).digest();
  let out = prefix;
  for (let i = 0; i < 17; i++) out += ID_ALPHABET[h[i]! % 32];
  return out;
}

export const iamArn = (account: string, type: string, path: string, name: string) => `arn:${PARTITION}:iam::${account}:${type}${path}${name}`;

// ---- validation as the model states it (ValidationError "N validation error(s) detected: …")
export const NAME_RE = /^[\w+=,.@-]+$/;
export const NAME_SRC = '[\\w+=,.@-]+';
const PATH_RE = /^(\u002F|\u002F[\u0021-\u007E]+\u002F)$/;
const PATH_SRC = '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)';
const PREFIX_RE = /^\u002F[\u0021-\u007F]*$/;
const PREFIX_SRC = '\\u002F[\\u0021-\\u007F]*';
const ARN_SRC = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+';

export function checkName(c: Constraints, member: string, value: string | undefined, max: number): Constraints {
  return c.length(member, value, 1, max).pattern(member, value, NAME_RE, NAME_SRC);
}
export function checkPath(c: Constraints, member: string, value: string | undefined): Constraints {
  return c.length(member, value, 1, 512).pattern(member, value, PATH_RE, PATH_SRC);
}
export function checkPathPrefix(c: Constraints, value: string | undefined): Constraints {
  return c.length('pathPrefix', value, 1, 512).pattern('pathPrefix', value, PREFIX_RE, PREFIX_SRC);
}
export function checkArn(c: Constraints, member: string, value: string | undefined): Constraints {
  return c.length(member, value, 20, 2048).pattern(member, value, /^[\t\n\r\u0020-\u007E\u0085\u00A0-\uFFFD]+$/u, ARN_SRC);
}
export function checkPaging(c: Constraints, input: { MaxItems?: number; Marker?: string }): Constraints {
  return c.range('maxItems', input.MaxItems, 1, 1000).length('marker', input.Marker, 1, 320);
}
export function checkTags(c: Constraints, tags: Tag[] | undefined): Constraints {
  c.count('tags', tags, 50);
  for (const [i, t] of (tags ?? []).entries()) {
    c.length(`tags.${i + 1}.member.key`, t.Key, 1, 128).length(`tags.${i + 1}.member.value`, t.Value, 0, 256);
  }
  return c;
}

// ---- paging: the marker is the key of the last item returned (stable under inserts)
export interface Page<T> { items: T[]; IsTruncated: boolean; Marker?: string }

export function page<T>(sorted: T[], keyOf: (t: T) => string, input: { Marker?: string; MaxItems?: number }): Page<T> {
  let start = 0;
  if (input.Marker) {
    const after = Buffer.from(input.Marker, 'base64url').toString('utf8');
    start = sorted.findIndex((t) => keyOf(t) > after);
    if (start < 0) start = sorted.length;
  }
  const max = input.MaxItems ?? 100;
  const items = sorted.slice(start, start + max);
  const truncated = start + max < sorted.length;
  return truncated ? { items, IsTruncated: true, Marker: Buffer.from(keyOf(items[items.length - 1]!), 'utf8').toString('base64url') } : { items, IsTruncated: false };
}

/** Items whose path starts with PathPrefix (default "/"), sorted by key. */
export function byPrefix<T extends { path: string }>(items: Iterable<[string, T]>, prefix: string | undefined): [string, T][] {
  const p = prefix ?? '/';
  return [...items].filter(([, v]) => v.path.startsWith(p)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Index-keyed paging for lists whose order is not by name (attachment order, creation order). */
export function pageInOrder<T>(items: T[], input: { Marker?: string; MaxItems?: number }): Page<T> {
  const keyed = items.map((v, i) => ({ v, k: String(i).padStart(8, '0') }));
  const p = page(keyed, (x) => x.k, input);
  return { items: p.items.map((x) => x.v), IsTruncated: p.IsTruncated, Marker: p.Marker };
}

// ---- tags
const TAG_LIMIT = 50;
export function mergeTags(existing: Tag[], add: Tag[], what: string): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((o) => o.Key.toLowerCase() === t.Key.toLowerCase());
    if (i >= 0) out[i] = { Key: t.Key, Value: t.Value };
    else out.push({ Key: t.Key, Value: t.Value });
  }
  if (out.length > TAG_LIMIT) throw limitExceeded(`The number of tags has reached the maximum limit.`);
  void what;
  return out;
}
export function dropTags(existing: Tag[], keys: string[]): Tag[] {
  const drop = new Set(keys.map((k) => k.toLowerCase()));
  return existing.filter((t) => !drop.has(t.Key.toLowerCase()));
}
export function checkDuplicateTagKeys(tags: Tag[] | undefined): void {
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw invalidInput('Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    seen.add(k);
  }
}

/** Policy documents travel URL-encoded in IAM's responses, as AWS sends them. */
export const encodeDocument = (doc: string): string => encodeURIComponent(doc);
