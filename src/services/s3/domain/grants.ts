/**
 * Buckets of another account a request was let into by that bucket's policy or ACL (or an
 * anonymous request by a public grant), decided once per request by domain/access.ts and
 * consulted by S3State.bucket(). Kept per request, never stored.
 */
import type { RequestContext } from '../../../gateway/context.js';

const granted = new WeakMap<RequestContext, Set<string>>();

export function grantCrossAccount(ctx: RequestContext, bucket: string): void {
  let s = granted.get(ctx);
  if (!s) granted.set(ctx, (s = new Set()));
  s.add(bucket);
}

export function crossAccountGranted(ctx: RequestContext, bucket: string): boolean {
  return granted.get(ctx)?.has(bucket) ?? false;
}
