/** What every SQS operation needs: the queue a QueueUrl names, in the right scope. */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import { parseQueueUrl, queueDoesNotExist } from '../domain/names.js';
import type { QueueState } from '../domain/queue.js';
import type { SqsState } from '../state.js';

export interface Resolved { scope: Scope; q: QueueState }

/** The queue's scope: the account in its URL (cross-account URLs work), the URL's or request's region. */
export function resolveQueue(state: SqsState, ctx: RequestContext, url: string): Resolved {
  const ref = parseQueueUrl(url);
  const scope = { account: ref.account, region: ref.region ?? scopeOf(ctx).region };
  const q = state.get(scope, ref.name);
  if (!q) throw queueDoesNotExist();
  return { scope, q };
}

export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterValue', message, 400);
}

/** Integer parameter within [min, max], AWS's "Value X for parameter P is invalid" wording. */
export function checkRange(name: string, value: number | undefined, min: number, max: number, reason = `Must be between ${min} and ${max}, if provided.`): void {
  if (value === undefined) return;
  if (!Number.isInteger(value) || value < min || value > max) throw invalidParameter(`Value ${value} for parameter ${name} is invalid. Reason: ${reason}`);
}

export const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** Common batch-request checks: 1–10 entries, distinct well-formed ids. */
export function checkBatch(entries: { Id: string }[] | undefined, entryType: string): void {
  if (!entries?.length) throw new AwsError('EmptyBatchRequest', `There should be at least one ${entryType} in the request.`, 400);
  if (entries.length > 10) throw new AwsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${entries.length}.`, 400);
  const seen = new Set<string>();
  for (const e of entries) {
    if (!BATCH_ID.test(e.Id)) throw new AwsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.', 400);
    if (seen.has(e.Id)) throw new AwsError('BatchEntryIdsNotDistinct', `Id ${e.Id} repeated.`, 400);
    seen.add(e.Id);
  }
}

/** A failed batch entry, from the error that single call would have thrown. */
export function failedEntry(id: string, e: unknown) {
  if (e instanceof AwsError) return { Id: id, Code: e.code, Message: e.message, SenderFault: e.sender };
  throw e;
}
