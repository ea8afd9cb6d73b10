/**
 * CORS for browser code calling gureum directly. Permissive by default (any origin, the
 * headers the SDKs send, AWS's response headers exposed). S3 bucket CORS rules, when a
 * bucket has them, are applied by the S3 service on top of this.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from './context.js';
import { bucketFromHost } from './detect.js';

const EXPOSE = [
  'x-amzn-requestid', 'x-amzn-errortype', 'x-amzn-query-error', 'x-amz-request-id', 'x-amz-id-2', 'etag', 'x-amz-version-id',
  'x-amz-delete-marker', 'x-amz-server-side-encryption', 'x-amz-checksum-crc32', 'x-amz-checksum-crc32c', 'x-amz-checksum-crc64nvme',
  'x-amz-checksum-sha1', 'x-amz-checksum-sha256', 'x-amz-bucket-region', 'content-length', 'content-range', 'x-amz-meta-*',
  'x-amz-function-error', 'x-amz-log-result', 'x-amz-executed-version', 'date', 'last-modified',
].join(', ');

export function isPreflight(req: IncomingMessage): boolean {
  return req.method === 'OPTIONS' && typeof req.headers.origin === 'string' && typeof req.headers['access-control-request-method'] === 'string';
}

export function applyCors(ctx: RequestContext): void {
  const origin = ctx.req.headers.origin;
  if (!origin) return;
  ctx.res.setHeader('access-control-allow-origin', origin);
  ctx.res.setHeader('access-control-allow-credentials', 'true');
  ctx.res.setHeader('access-control-expose-headers', EXPOSE);
  ctx.res.setHeader('vary', 'Origin');
}

/**
 * A preflight to an S3 bucket that has CORS rules is decided by those rules (S3 answers it);
 * anything else gets the permissive answer. Never throws; answers asynchronously when S3
 * has to be loaded first.
 */
export function answerPreflight(ctx: RequestContext): void {
  const bucket = bucketFromHost(ctx.host) ?? /^\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/|$)/.exec(ctx.rawPath)?.[1];
  if (!bucket) return answerPermissive(ctx);
  if (bucketFromHost(ctx.host)) ctx.hostBucket = bucket;
  void (async () => {
    const { answerS3Preflight } = await import('../services/s3/internal.js');
    if (!answerS3Preflight(await ctx.runtime.instance('s3'), ctx, bucket)) answerPermissive(ctx);
  })().catch(() => {
    if (!ctx.res.headersSent) answerPermissive(ctx);
  });
}

function answerPermissive(ctx: RequestContext): void {
  const { req, res } = ctx;
  res.statusCode = 200;
  res.setHeader('access-control-allow-methods', 'GET, HEAD, PUT, POST, DELETE, PATCH, OPTIONS');
  res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '*');
  res.setHeader('access-control-max-age', '86400');
  res.setHeader('content-length', '0');
  ctx.status = 200;
  res.end();
}
