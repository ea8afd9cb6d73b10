/**
 * Integrity of small XML request bodies (DeleteObjects, PutBucketCors, tagging, …): a
 * Content-MD5 or x-amz-checksum-* header is verified against the body; operations AWS marks
 * as requiring one refuse a request that has neither.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import { badDigest, invalidRequest } from './errors.js';
import { ALGORITHMS, checkValue, checksumHeader, newHasher } from './checksums.js';

export function checkBodyIntegrity(ctx: RequestContext, required: boolean): void {
  if (!ctx.req) return; // internal calls
  const h = ctx.req.headers;
  const body = ctx.body ?? Buffer.alloc(0);
  let found = false;
  const md5 = h['content-md5'];
  if (typeof md5 === 'string') {
    found = true;
    const want = md5.trim();
    const raw = /^[A-Za-z0-9+/]+={0,2}$/.test(want) ? Buffer.from(want, 'base64') : Buffer.alloc(0);
    if (raw.length !== 16) throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { fields: { 'Content-MD5': md5 } });
    const got = createHash('md5').update(body).digest();
    if (!got.equals(raw)) throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, { fields: { ExpectedDigest: want, CalculatedDigest: got.toString('base64') } });
  }
  for (const a of ALGORITHMS) {
    const v = h[checksumHeader(a)];
    if (typeof v !== 'string') continue;
    found = true;
    checkValue(a, v.trim(), 'header');
    const hs = newHasher(a);
    hs.update(body);
    if (hs.digestBase64() !== v.trim()) throw badDigest(a);
  }
  if (required && !found) throw invalidRequest('Missing required header for this request: Content-MD5');
}
