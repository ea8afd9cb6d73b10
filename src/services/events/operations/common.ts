/** Shared validation for EventBridge operations (AWS's constraint messages). */
import { AwsError, validationError } from '../../../core/errors.js';
import type { Tag } from '../state.js';

export function constraint(value: string, member: string, what: string): AwsError {
  return validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${what}`);
}

export function checkName(value: string, member: string, re: RegExp, max: number): void {
  if (value.length > max) throw constraint(value, member, `Member must have length less than or equal to ${max}`);
  if (!re.test(value)) throw constraint(value, member, `Member must satisfy regular expression pattern: ${re.source.replace(/^\^|\$$/g, '')}`);
}

export function mergeTags(existing: Tag[], add: Tag[] | undefined): Tag[] {
  const map = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of add ?? []) {
    if (!t.Key || t.Key.length > 128) throw constraint(t.Key, 'tags.member.key', 'Member must have length less than or equal to 128');
    if ((t.Value ?? '').length > 256) throw constraint(t.Value, 'tags.member.value', 'Member must have length less than or equal to 256');
    map.set(t.Key, t.Value ?? '');
  }
  if (map.size > 50) throw new AwsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.', 400);
  return [...map].map(([Key, Value]) => ({ Key, Value }));
}
