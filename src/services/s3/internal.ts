/**
 * What the rest of gureum may ask S3: the CORS decision for a preflight to a bucket, and the
 * requests S3 answers outside its API model (website endpoints, browser-form POST uploads).
 */
import type { RequestContext } from '../../gateway/context.js';
import type { ServiceInstance } from '../service.js';

/** true when the bucket has CORS rules and the preflight has been answered from them. */
export function answerS3Preflight(instance: ServiceInstance | undefined, ctx: RequestContext, bucket: string): boolean {
  const s3 = instance as (ServiceInstance & { preflight?: (ctx: RequestContext, bucket: string) => boolean }) | undefined;
  return s3?.preflight?.(ctx, bucket) ?? false;
}

/** Serves a website endpoint request or a multipart/form-data POST upload (errors: S3's, thrown). */
export function serveS3Raw(instance: ServiceInstance | undefined, ctx: RequestContext): Promise<void> {
  return (instance as ServiceInstance & { raw: (ctx: RequestContext) => Promise<void> }).raw(ctx);
}
