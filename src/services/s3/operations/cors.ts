/**
 * CORS as S3 applies a bucket's rules: preflight OPTIONS answers (called by the gateway's
 * CORS step through internal.ts) and the Access-Control-* headers of actual requests.
 * Buckets without rules keep gureum's permissive default (see README).
 */
import type { RequestContext } from '../../../gateway/context.js';
import { hostId } from '../../../core/ids.js';
import type { S3State } from '../state.js';
import { CORS_HEADER_NAMES, corsForbidden, corsHeaders, matchCors, splitHeaderNames } from '../domain/cors.js';

export function applyBucketCors(state: S3State, ctx: RequestContext, bucket: string): void {
  const b = state.bucketByName(bucket);
  const rules = b?.record.cors;
  if (!rules?.length) return;
  const origin = String(ctx.req.headers.origin);
  for (const h of CORS_HEADER_NAMES) ctx.res.removeHeader(h);
  const m = matchCors(rules, origin, ctx.method, []);
  if (!m) return;
  const headers = corsHeaders(m, origin, undefined);
  delete headers['access-control-allow-methods'];
  for (const [k, v] of Object.entries(headers)) ctx.res.setHeader(k, v);
}

/** Answers the preflight if the bucket has CORS rules; false: not ours to decide. */
export function answerBucketPreflight(state: S3State, ctx: RequestContext, bucket: string): boolean {
  const b = state.bucketByName(bucket);
  const rules = b?.record.cors;
  if (!rules?.length) return false;
  const { req, res } = ctx;
  const origin = String(req.headers.origin);
  const method = String(req.headers['access-control-request-method']);
  const requestHeaders = splitHeaderNames(req.headers['access-control-request-headers'] as string | undefined);
  for (const h of CORS_HEADER_NAMES) res.removeHeader(h);
  res.setHeader('x-amz-request-id', ctx.requestId);
  res.setHeader('x-amz-id-2', hostId());
  res.setHeader('server', 'AmazonS3');
  const m = matchCors(rules, origin, method, requestHeaders);
  if (!m) {
    const hasKey = ctx.rawPath.split('/').filter(Boolean).length > (ctx.hostBucket ? 0 : 1);
    const err = corsForbidden(method, hasKey ? 'OBJECT' : 'BUCKET');
    const fields: [string, string][] = [['Code', err.code], ['Message', err.message], ['Method', method], ['ResourceType', hasKey ? 'OBJECT' : 'BUCKET'], ['RequestId', ctx.requestId], ['HostId', String(res.getHeader('x-amz-id-2'))]];
    const xml = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' + fields.map(([k, v]) => `<${k}>${esc(v)}</${k}>`).join('') + '</Error>';
    const body = Buffer.from(xml, 'utf8');
    res.statusCode = 403;
    ctx.status = 403;
    ctx.errorCode = err.code;
    res.setHeader('content-type', 'application/xml');
    res.setHeader('content-length', body.length);
    res.end(body);
    return true;
  }
  for (const [k, v] of Object.entries(corsHeaders(m, origin, { requestHeaders }))) res.setHeader(k, v);
  res.statusCode = 200;
  ctx.status = 200;
  res.setHeader('content-length', '0');
  res.end();
  return true;
}

const esc = (s: string) => s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
