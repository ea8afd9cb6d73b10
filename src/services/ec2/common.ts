/**
 * What EC2 operations share: the DryRun answer and the Filter
 * semantics (values OR-ed within a filter, filters AND-ed, `*` and `?` wildcards with `\`
 * escapes, an unknown filter name rejected).
 */
import { AwsError } from '../../core/errors.js';
import type { Filter } from './generated/types.js';

/** EC2 answers a DryRun that would succeed with this error (HTTP 412). */
export function dryRun(input: { DryRun?: boolean }): void {
  if (input.DryRun) throw new AwsError('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412);
}

/** For each supported filter name, the value(s) of a resource it compares against. */
export type FilterFields<T> = Record<string, (item: T) => string | string[] | undefined>;

/**
 * `tags`, when given, adds the tag filters every taggable resource has: `tag:<key>`, `tag-key`,
 * `tag-value`.
 */
export function applyFilters<T>(
  items: T[],
  filters: Filter[] | undefined,
  fields: FilterFields<T>,
  tags?: (item: T) => { Key?: string; Value?: string }[] | undefined,
): T[] {
  if (!filters?.length) return items;
  const compiled = filters.map((f) => {
    const name = f.Name ?? 'null';
    let get = Object.hasOwn(fields, name) ? fields[name] : undefined;
    if (!get && tags) {
      if (name.startsWith('tag:')) {
        const key = name.slice(4);
        get = (item) => (tags(item) ?? []).filter((t) => t.Key === key).map((t) => t.Value ?? '');
      } else if (name === 'tag-key') get = (item) => (tags(item) ?? []).map((t) => t.Key ?? '');
      else if (name === 'tag-value') get = (item) => (tags(item) ?? []).map((t) => t.Value ?? '');
    }
    if (!get) throw new AwsError('InvalidParameterValue', `The filter '${name}' is invalid`, 400);
    return { get, patterns: (f.Values ?? []).map(wildcard) };
  });
  return items.filter((item) =>
    compiled.every(({ get, patterns }) => {
      const v = get(item);
      const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
      return values.some((x) => patterns.some((p) => p.test(x)));
    }),
  );
}

/** EC2 filter value → RegExp: `*` any run, `?` one character, `\*` `\?` `\\` literal. */
export function wildcard(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escape(pattern[++i]!);
    else if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else re += escape(c);
  }
  return new RegExp(`^${re}$`, 's');
}

const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * MaxResults/NextToken over a full, ordered result list. The token is the offset (opaque to
 * clients); MaxResults below `min` or above `max` is InvalidParameterValue, as EC2 answers.
 */
export function paginate<T>(items: T[], input: { MaxResults?: number; NextToken?: string }, min = 5, max = 1000): { page: T[]; NextToken?: string } {
  let start = 0;
  if (input.NextToken) {
    const n = Number(Buffer.from(input.NextToken, 'base64url').toString('utf8'));
    if (!Number.isInteger(n) || n < 0) throw new AwsError('InvalidNextToken', 'The token provided is invalid.', 400);
    start = n;
  }
  if (input.MaxResults === undefined) return { page: items.slice(start) };
  if (input.MaxResults < min || input.MaxResults > max) {
    throw new AwsError('InvalidParameterValue', `Value ( ${input.MaxResults} ) for parameter maxResults is invalid. Parameter must be between ${min} and ${max}.`, 400);
  }
  const end = start + input.MaxResults;
  return { page: items.slice(start, end), NextToken: end < items.length ? Buffer.from(String(end)).toString('base64url') : undefined };
}

/** Picks the named items of a Describe call, failing on the first id that does not exist. */
export function pickIds<T>(items: T[], ids: string[] | undefined, idOf: (t: T) => string, notFound: (id: string) => Error): T[] {
  if (!ids?.length) return items;
  const byId = new Map(items.map((t) => [idOf(t), t]));
  const missing = ids.filter((id) => !byId.has(id));
  if (missing.length) throw notFound(missing.join(', '));
  return [...new Set(ids)].map((id) => byId.get(id)!);
}

export const bool = (b: boolean) => (b ? 'true' : 'false');
