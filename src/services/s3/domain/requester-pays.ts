/**
 * Requester Pays buckets: requests from outside the bucket owner's account must confirm the
 * charge with `x-amz-request-payer: requester` (a header, or the query parameter of a presigned
 * URL), else 403 AccessDenied; anonymous requests are refused outright. A copy pays for its
 * source bucket too. Answers to a confirmed request carry `x-amz-request-charged: requester`.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { S3State } from '../state.js';
import type { S3Caller } from './access.js';
import { accessDenied } from './errors.js';

function confirmed(ctx: RequestContext, input: Record<string, unknown>): boolean {
  const h = ctx.req?.headers['x-amz-request-payer'];
  const v = (typeof input.RequestPayer === 'string' ? input.RequestPayer : undefined) ?? (Array.isArray(h) ? h[0] : h) ?? ctx.query.get('x-amz-request-payer') ?? undefined;
  return v?.toLowerCase() === 'requester';
}

/**
 * Checks the Requester Pays buckets a request touches (`buckets`: the bucket, and a copy's
 * source bucket). Returns whether the requester is charged.
 */
export function checkRequesterPays(state: S3State, ctx: RequestContext, buckets: string[], caller: S3Caller | undefined, input: Record<string, unknown>): boolean {
  let charged = false;
  for (const name of buckets) {
    const b = state.bucketByName(name);
    if (!b?.record.requesterPays) continue;
    if (!caller) throw accessDenied();
    if (caller.account === b.record.account) continue;
    if (!confirmed(ctx, input)) throw accessDenied();
    charged = true;
  }
  return charged;
}
