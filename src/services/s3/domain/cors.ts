/**
 * Bucket CORS: validating a configuration as PutBucketCors does, and evaluating it for a
 * preflight (OPTIONS with Origin + Access-Control-Request-Method) or an actual request with
 * an Origin: the first rule whose origin, method and requested headers all match answers.
 */
import { AwsError } from '../../../core/errors.js';
import type { CORSRule } from '../generated/types.js';
import { invalidRequest } from './errors.js';

const METHODS = new Set(['GET', 'PUT', 'HEAD', 'POST', 'DELETE']);
const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

export function checkCorsRules(rules: CORSRule[] | undefined): CORSRule[] {
  if (!rules?.length) throw malformed();
  if (rules.length > 100) throw invalidRequest('The number of CORS rules should not exceed allowed limit of 100 rules.');
  return rules.map((r) => {
    if (!r.AllowedMethods?.length || !r.AllowedOrigins?.length) throw malformed();
    for (const m of r.AllowedMethods) if (!METHODS.has(m)) throw invalidRequest(`Found unsupported HTTP method in CORS config. Unsupported method is ${m}`);
    for (const o of r.AllowedOrigins) if (o.split('*').length > 2) throw invalidRequest(`AllowedOrigin "${o}" can not have more than one wildcard.`);
    for (const h of r.AllowedHeaders ?? []) if (h.split('*').length > 2) throw invalidRequest(`AllowedHeader "${h}" can not have more than one wildcard.`);
    if (r.ID !== undefined && r.ID.length > 255) throw invalidRequest('The ID of a CORS rule must be at most 255 characters long.');
    const out: CORSRule = { AllowedMethods: [...r.AllowedMethods], AllowedOrigins: [...r.AllowedOrigins] };
    if (r.ID !== undefined) out.ID = r.ID;
    if (r.AllowedHeaders?.length) out.AllowedHeaders = [...r.AllowedHeaders];
    if (r.ExposeHeaders?.length) out.ExposeHeaders = [...r.ExposeHeaders];
    if (r.MaxAgeSeconds !== undefined) out.MaxAgeSeconds = r.MaxAgeSeconds;
    return out;
  });
}

/** One '*' wildcard at most, case-insensitive for headers. */
function glob(pattern: string, value: string, ci: boolean): boolean {
  const p = ci ? pattern.toLowerCase() : pattern;
  const v = ci ? value.toLowerCase() : value;
  const star = p.indexOf('*');
  if (star < 0) return p === v;
  const pre = p.slice(0, star), post = p.slice(star + 1);
  return v.length >= pre.length + post.length && v.startsWith(pre) && v.endsWith(post);
}

export interface CorsMatch { rule: CORSRule; anyOrigin: boolean }

export function matchCors(rules: CORSRule[], origin: string, method: string, requestHeaders: string[]): CorsMatch | undefined {
  for (const rule of rules) {
    const o = rule.AllowedOrigins.find((p) => glob(p, origin, false));
    if (o === undefined) continue;
    if (!rule.AllowedMethods.includes(method)) continue;
    if (!requestHeaders.every((h) => (rule.AllowedHeaders ?? []).some((p) => glob(p, h, true)))) continue;
    return { rule, anyOrigin: o === '*' };
  }
  return undefined;
}

/** Access-Control-* headers for a matched rule. */
export function corsHeaders(m: CorsMatch, origin: string, preflight: { requestHeaders: string[] } | undefined): Record<string, string> {
  const h: Record<string, string> = {
    'access-control-allow-origin': m.anyOrigin ? '*' : origin,
    'access-control-allow-methods': m.rule.AllowedMethods.join(', '),
    vary: 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method',
  };
  if (!m.anyOrigin) h['access-control-allow-credentials'] = 'true';
  if (preflight?.requestHeaders.length) h['access-control-allow-headers'] = preflight.requestHeaders.join(', ');
  if (m.rule.ExposeHeaders?.length) h['access-control-expose-headers'] = m.rule.ExposeHeaders.join(', ');
  if (m.rule.MaxAgeSeconds !== undefined) h['access-control-max-age'] = String(m.rule.MaxAgeSeconds);
  return h;
}

export const CORS_HEADER_NAMES = ['access-control-allow-origin', 'access-control-allow-methods', 'access-control-allow-credentials', 'access-control-allow-headers', 'access-control-expose-headers', 'access-control-max-age', 'vary'];

export const corsForbidden = (method: string, resourceType: 'BUCKET' | 'OBJECT') =>
  new AwsError('AccessForbidden', "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.", 403, {
    fields: { Method: method, ResourceType: resourceType },
  });

export const splitHeaderNames = (v: string | undefined) => (v ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
