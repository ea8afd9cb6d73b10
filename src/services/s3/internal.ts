/** What the rest of gureum may ask S3: the CORS decision for a preflight to a bucket. */
import type { RequestContext } from '../../gateway/context.js';
import type { ServiceInstance } from '../service.js';

/** true when the bucket has CORS rules and the preflight has been answered from them. */
export function answerS3Preflight(instance: ServiceInstance | undefined, ctx: RequestContext, bucket: string): boolean {
  const s3 = instance as (ServiceInstance & { preflight?: (ctx: RequestContext, bucket: string) => boolean }) | undefined;
  return s3?.preflight?.(ctx, bucket) ?? false;
}
