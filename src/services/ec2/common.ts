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

export function applyFilters<T>(items: T[], filters: Filter[] | undefined, fields: FilterFields<T>): T[] {
  if (!filters?.length) return items;
  const compiled = filters.map((f) => {
    const name = f.Name ?? 'null';
    const get = Object.hasOwn(fields, name) ? fields[name] : undefined;
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
