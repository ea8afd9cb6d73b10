/**
 * SigV4 signature verification, for requests signed with a key whose secret gureum knows (keys
 * minted by IAM, AKIA…, and STS, ASIA…). Any other key — the default `test`, a 12-digit account
 * id — is accepted unverified: gureum accepts any credentials (README).
 *
 * The canonical request is rebuilt from what arrived, as AWS does: S3 signs the path as sent;
 * every other service signs the normalised path URI-encoded once more (the SDKs and botocore
 * both do this). The payload is the SHA-256 of the body received, except for S3 (and bodies not
 * read whole), where it is the x-amz-content-sha256 header as sent (UNSIGNED-PAYLOAD / STREAMING-…
 * taken literally).
 * No clock-skew check: the virtual clock may be anywhere while clients sign with real time.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestContext } from './context.js';
import type { ServiceModel } from '../protocol/model.js';
import { AwsError } from '../core/errors.js';

/** RFC 3986 encoding as SigV4 canonicalises (everything but A–Z a–z 0–9 - _ . ~). */
export const uriEncode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

const decode = (s: string): string => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
};

/** Query parameters as sent, decoded (a `+` stays a `+`, as AWS reads a signed query). */
function queryPairs(url: string): [string, string][] {
  const q = url.indexOf('?');
  if (q < 0) return [];
  return url.slice(q + 1).split('&').filter(Boolean).map((p) => {
    const eq = p.indexOf('=');
    return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
  });
}

function canonicalQuery(url: string, omitSignature: boolean): string {
  return queryPairs(url)
    .filter(([k]) => !(omitSignature && k === 'X-Amz-Signature'))
    .map(([k, v]) => [uriEncode(k), uriEncode(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** S3: each segment decoded and re-encoded once. Others: dot segments resolved, then encoded again. */
function canonicalPath(rawPath: string, s3: boolean): string {
  if (s3) return rawPath.split('/').map((seg) => uriEncode(decode(seg))).join('/') || '/';
  const segments: string[] = [];
  for (const seg of rawPath.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') segments.pop();
    else segments.push(seg);
  }
  const normal = '/' + segments.join('/') + (segments.length && rawPath.endsWith('/') ? '/' : '');
  return uriEncode(normal).replace(/%2F/g, '/');
}

function headerValue(ctx: RequestContext, name: string): string {
  const v = ctx.req.headers[name];
  const s = Array.isArray(v) ? v.join(',') : v ?? '';
  return s.trim().replace(/\s+/g, ' ');
}

const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  return hmac(hmac(hmac(hmac('AWS4' + secret, date), region), service), 'aws4_request');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a.toLowerCase(), 'utf8');
  const y = Buffer.from(b.toLowerCase(), 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface Signed {
  canonicalRequest: string;
  stringToSign: string;
  expected: string;
}

/** What the request's signature should be, given the key's secret. */
export function expectedSignature(ctx: RequestContext, secret: string, s3: boolean): Signed {
  const auth = ctx.auth!;
  const url = ctx.req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const signed = auth.signedHeaders.map((h) => h.toLowerCase());
  let payload: string;
  if (auth.presigned) payload = ctx.query.get('X-Amz-Content-Sha256') ?? (signed.includes('x-amz-content-sha256') ? headerValue(ctx, 'x-amz-content-sha256') : 'UNSIGNED-PAYLOAD');
  else {
    // S3 signs the value of the header (and checks the body against it as it streams); other
    // services hash the body they received, whatever the header claims.
    const declared = ctx.req.headers['x-amz-content-sha256'];
    payload = typeof declared === 'string' && (s3 || ctx.body === undefined) ? declared : createHash('sha256').update(ctx.body ?? Buffer.alloc(0)).digest('hex');
  }
  const canonicalRequest = [
    ctx.method,
    canonicalPath(rawPath, s3),
    canonicalQuery(url, auth.presigned),
    signed.map((h) => `${h}:${headerValue(ctx, h)}\n`).join(''),
    signed.join(';'),
    payload,
  ].join('\n');
  const amzDate = auth.amzDate ?? headerValue(ctx, 'date');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, createHash('sha256').update(canonicalRequest, 'utf8').digest('hex')].join('\n');
  const expected = createHmac('sha256', signingKey(secret, auth.date, auth.region, auth.service)).update(stringToSign, 'utf8').digest('hex');
  return { canonicalRequest, stringToSign, expected };
}

const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** The error each family of services answers a bad signature with. */
export function signatureMismatch(model: ServiceModel, protocol: string, signed: Signed, provided: string, accessKeyId: string): AwsError {
  if (model.id === 's3') {
    return new AwsError('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403, {
      fields: {
        AWSAccessKeyId: accessKeyId,
        StringToSign: signed.stringToSign,
        SignatureProvided: provided,
        StringToSignBytes: Buffer.from(signed.stringToSign).toString('hex').replace(/(..)(?!$)/g, '$1 '),
        CanonicalRequest: signed.canonicalRequest,
        CanonicalRequestBytes: Buffer.from(signed.canonicalRequest).toString('hex').replace(/(..)(?!$)/g, '$1 '),
      },
    });
  }
  const detail = `\n\nThe Canonical String for this request should have been\n'${signed.canonicalRequest}'\n\nThe String-to-Sign should have been\n'${signed.stringToSign}'\n`;
  if (protocol === 'query' || protocol === 'ec2' || model.awsQueryCompatible) return new AwsError('SignatureDoesNotMatch', MISMATCH + detail, 403);
  return new AwsError('InvalidSignatureException', MISMATCH + detail, protocol === 'rest-json' ? 403 : 400);
}

/** Throws the service's signature error unless the request is signed with `secret`. */
export function verifySigV4(ctx: RequestContext, model: ServiceModel, secret: string): void {
  const auth = ctx.auth!;
  const signed = expectedSignature(ctx, secret, model.id === 's3');
  if (!sameHex(signed.expected, auth.signature)) throw signatureMismatch(model, ctx.protocol ?? '', signed, auth.signature, auth.accessKeyId);
}
