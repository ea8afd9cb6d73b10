/**
 * Signature checks S3 does itself: presigned URLs (SigV4 query authentication, and SigV2's
 * `Signature` for old clients) and browser POST policies. A signature is verified when gureum
 * knows the key's secret — keys minted by IAM (AKIA…) and STS (ASIA…); any other key (the
 * default `test`, a 12-digit account id) is accepted unverified, as gureum accepts any
 * credentials (README). Expiry is checked by the rest-xml protocol on the virtual clock.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type { Store } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import { secretForAccessKey } from '../../sts/internal.js';
import { signingKey, uriEncode } from '../../../gateway/sigv4-verify.js';

/** The secret behind an access key, when gureum minted the key (one rule for the whole gateway). */
export const secretFor = secretForAccessKey;


/** Query parameters as sent, decoded (a `+` stays a `+`, as S3 reads it). */
function rawQuery(url: string): [string, string][] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  const dec = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return url.slice(q + 1).split('&').filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [dec(p), ''] : [dec(p.slice(0, eq)), dec(p.slice(eq + 1))];
  });
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

function headerValue(ctx: RequestContext, name: string): string {
  const v = ctx.req.headers[name];
  const s = Array.isArray(v) ? v.join(',') : v ?? '';
  return s.trim().replace(/\s+/g, ' ');
}

function signatureDoesNotMatch(accessKeyId: string, stringToSign: string, provided: string, canonical?: string): AwsError {
  return new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
    fields: {
      AWSAccessKeyId: accessKeyId,
      StringToSign: stringToSign,
      SignatureProvided: provided,
      StringToSignBytes: Buffer.from(stringToSign).toString('hex').replace(/(..)(?!$)/g, '$1 '),
      ...(canonical !== undefined ? { CanonicalRequest: canonical, CanonicalRequestBytes: Buffer.from(canonical).toString('hex').replace(/(..)(?!$)/g, '$1 ') } : {}),
    },
  });
}

/** A presigned SigV4 URL: the canonical request rebuilt from what arrived, signed with the key's secret. */
function verifySigV4Query(ctx: RequestContext, secret: string): void {
  const auth = ctx.auth!;
  const params = rawQuery(ctx.req.url ?? '/').filter(([k]) => k !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const signed = [...auth.signedHeaders].map((h) => h.toLowerCase());
  const canonicalHeaders = signed.map((h) => `${h}:${headerValue(ctx, h)}\n`).join('');
  const payload = ctx.query.get('X-Amz-Content-Sha256') ?? (signed.includes('x-amz-content-sha256') ? headerValue(ctx, 'x-amz-content-sha256') : 'UNSIGNED-PAYLOAD');
  const canonical = [ctx.method, ctx.rawPath || '/', canonicalQuery, canonicalHeaders, signed.join(';'), payload].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', auth.amzDate ?? '', scope, createHash('sha256').update(canonical, 'utf8').digest('hex')].join('\n');
  const expected = createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service)).update(stringToSign, 'utf8').digest('hex');
  if (!sameHex(expected, auth.signature)) throw signatureDoesNotMatch(auth.accessKeyId, stringToSign, auth.signature, canonical);
}

/** Sub-resources SigV2 signs (in its canonical resource), in this order. */
const V2_SUBRESOURCES = [
  'acl', 'cors', 'delete', 'lifecycle', 'location', 'logging', 'notification', 'partNumber', 'policy', 'requestPayment',
  'response-cache-control', 'response-content-disposition', 'response-content-encoding', 'response-content-language',
  'response-content-type', 'response-expires', 'restore', 'tagging', 'torrent', 'uploadId', 'uploads', 'versionId', 'versioning',
  'versions', 'website',
].sort();

/** A SigV2 presigned URL (`AWSAccessKeyId`, `Expires`, `Signature`). */
function verifySigV2Query(ctx: RequestContext, accessKeyId: string, secret: string): void {
  const query = rawQuery(ctx.req.url ?? '/');
  const amz = Object.keys(ctx.req.headers).filter((h) => h.startsWith('x-amz-')).sort().map((h) => `${h}:${headerValue(ctx, h)}\n`).join('');
  const sub = V2_SUBRESOURCES.flatMap((k) => query.filter(([q]) => q === k).map(([q, v]) => (v === '' ? q : `${q}=${v}`)));
  const resource = (ctx.hostBucket ? `/${ctx.hostBucket}` : '') + (ctx.rawPath || '/') + (sub.length ? '?' + sub.join('&') : '');
  const stringToSign = [ctx.method, headerValue(ctx, 'content-md5'), headerValue(ctx, 'content-type'), ctx.query.get('Expires') ?? '', amz + resource].join('\n');
  const expected = createHmac('sha1', secret).update(stringToSign, 'utf8').digest('base64');
  const provided = ctx.query.get('Signature') ?? '';
  const a = Buffer.from(expected);
  const b = Buffer.from(provided);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw signatureDoesNotMatch(accessKeyId, stringToSign, provided);
}

/** Verifies a presigned URL's signature when the key's secret is known (see the header comment). */
export function verifyPresigned(store: Store, ctx: RequestContext): void {
  if (!ctx.req) return;
  if (ctx.auth?.presigned) {
    const secret = secretFor(store, ctx, ctx.auth.accessKeyId);
    if (secret !== undefined) verifySigV4Query(ctx, secret);
    return;
  }
  const v2Key = ctx.query.get('AWSAccessKeyId');
  if (!ctx.auth && v2Key && ctx.query.has('Signature')) {
    const secret = secretFor(store, ctx, v2Key);
    if (secret !== undefined) verifySigV2Query(ctx, v2Key, secret);
  }
}

/** A browser POST's policy signature: SigV4 (`x-amz-signature`) or SigV2 (`signature`, HMAC-SHA1). */
export function verifyPostSignature(secret: string, policy: string, form: { algorithm?: string; credential?: string; signature?: string; v2Key?: string; v2Signature?: string }): void {
  if (form.algorithm !== undefined) {
    const [key = '', date = '', region = '', service = ''] = (form.credential ?? '').split('/');
    const expected = createHmac('sha256', signingKey(secret, date, region, service)).update(policy, 'utf8').digest('hex');
    if (!sameHex(expected, form.signature ?? '')) throw signatureDoesNotMatch(key, policy, form.signature ?? '');
    return;
  }
  const expected = createHmac('sha1', secret).update(policy, 'utf8').digest('base64');
  if (expected !== form.v2Signature) throw signatureDoesNotMatch(form.v2Key ?? '', policy, form.v2Signature ?? '');
}
