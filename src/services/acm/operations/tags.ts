/** Tags on certificates and the account configuration (expiry events). */
import type { GetAccountConfigurationResponse, PutAccountConfigurationRequest, Tag } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import type { AcmState } from '../state.js';
import { checkTags, constraint, mergeTags } from '../domain/model.js';

export function addTags(st: AcmState, scope: Scope, arn: string, tags: Tag[] | undefined): void {
  if (!tags) throw constraint('null', 'tags', 'Member must not be null');
  checkTags(tags);
  const rec = st.get(scope, arn);
  rec.tags = mergeTags(rec.tags, tags);
  st.save(scope, rec);
}

export function removeTags(st: AcmState, scope: Scope, arn: string, tags: Tag[] | undefined): void {
  if (!tags) throw constraint('null', 'tags', 'Member must not be null');
  checkTags(tags);
  const rec = st.get(scope, arn);
  rec.tags = rec.tags.filter((t) => !tags.some((r) => r.Key === t.Key && (r.Value === undefined || r.Value === t.Value)));
  st.save(scope, rec);
}

export function listTags(st: AcmState, scope: Scope, arn: string): { Tags: Tag[] } {
  return { Tags: st.get(scope, arn).tags.map((t) => ({ ...t })) };
}

export function putAccountConfiguration(st: AcmState, scope: Scope, input: PutAccountConfigurationRequest): void {
  if (input.IdempotencyToken === undefined) throw constraint('null', 'idempotencyToken', 'Member must not be null');
  if (!/^\w{1,32}$/.test(input.IdempotencyToken)) throw constraint(input.IdempotencyToken, 'idempotencyToken', 'Member must satisfy regular expression pattern: \\w+');
  const days = input.ExpiryEvents?.DaysBeforeExpiry;
  if (days !== undefined && (days < 1 || days > 45)) {
    throw constraint(String(days), 'expiryEvents.daysBeforeExpiry', `Member must have value ${days < 1 ? 'greater than or equal to 1' : 'less than or equal to 45'}`);
  }
  if (days !== undefined) st.config.put(scope, 'account', { daysBeforeExpiry: days });
}

export function getAccountConfiguration(st: AcmState, scope: Scope): GetAccountConfigurationResponse {
  return { ExpiryEvents: { DaysBeforeExpiry: st.daysBeforeExpiry(scope) } };
}
