/** Key policy and tag validation (policies are stored, not yet evaluated). */
import { AwsError } from '../../../core/errors.js';
import type { Tag } from '../generated/types.js';
import { malformedPolicy, tagError, validation } from './errors.js';

export function checkPolicy(policy: string): void {
  if (policy.length < 1 || policy.length > 32768) throw validation(`1 validation error detected: Value at 'policy' failed to satisfy constraint: Member must have length less than or equal to 32768`);
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw malformedPolicy('The policy document is not valid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw malformedPolicy('The policy document must be a JSON object.');
  const st = (doc as Record<string, unknown>).Statement;
  const list = Array.isArray(st) ? st : st === undefined ? undefined : [st];
  if (!list || list.length === 0) throw malformedPolicy('The policy document must contain at least one statement.');
  for (const s of list) {
    if (typeof s !== 'object' || s === null) throw malformedPolicy('Each statement must be a JSON object.');
    const e = (s as Record<string, unknown>).Effect;
    if (e !== 'Allow' && e !== 'Deny') throw malformedPolicy('Each statement must have an Effect of Allow or Deny.');
  }
}

export function checkPolicyName(name: string | undefined): void {
  if (name !== undefined && name !== 'default') throw validation(`1 validation error detected: Value '${name}' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: default`);
}

export function checkTags(tags: Tag[]): void {
  for (const t of tags) {
    if (typeof t.TagKey !== 'string' || t.TagKey.length < 1 || t.TagKey.length > 128) throw tagError('Tag keys must be between 1 and 128 characters.');
    if (typeof t.TagValue !== 'string' || t.TagValue.length > 256) throw tagError('Tag values must be between 0 and 256 characters.');
    if (t.TagKey.startsWith('aws:')) throw tagError('Tags beginning with aws: are reserved');
  }
}

/** Merges tags into a list (same key: value replaced); at most 50 per key. */
export function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const m = new Map(existing.map((t) => [t.TagKey, t.TagValue]));
  for (const t of add) m.set(t.TagKey, t.TagValue);
  if (m.size > 50) throw new AwsError('LimitExceededException', 'Too many tags: a KMS key can have at most 50 tags.', 400);
  return [...m].map(([TagKey, TagValue]) => ({ TagKey, TagValue }));
}
