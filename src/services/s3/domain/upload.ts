/**
 * Receiving an object body: stream it into a blob file while computing the MD5 (the ETag),
 * the requested flexible checksum and, for signed payloads, the SHA-256 the client declared;
 * then verify each against what the client sent. On any failure the blob is removed.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Readable } from 'node:stream';
import { AwsError } from '../../../core/errors.js';
import type { BlobStore } from '../../../state/blobs.js';
import { badDigest } from './errors.js';
import { checkValue, checksumRequest, newHasher, type ChecksumAlgorithm } from './checksums.js';

export interface Received {
  blob: string;
  size: number;
  /** quoted MD5 hex, as S3 returns ETags */
  etag: string;
  /** value absent: S3's default checksum, not computed yet */
  checksum: { algorithm: ChecksumAlgorithm; value?: string };
}

const malformedTrailer = () =>
  new AwsError('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.', 400);

/** Content-MD5 as 16 raw bytes; InvalidDigest when it is not base64 of 16 bytes. */
function contentMd5(v: string | undefined): Buffer | undefined {
  if (v === undefined) return undefined;
  const b = /^[A-Za-z0-9+/]+={0,2}$/.test(v.trim()) ? Buffer.from(v.trim(), 'base64') : Buffer.alloc(0);
  if (b.length !== 16) throw new AwsError('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { fields: { 'Content-MD5': v } });
  return b;
}

/** S3's largest single PUT (5 GiB); larger objects need multipart upload. */
export const MAX_PUT_SIZE = 5 * 1024 ** 3;

/** Checks everything knowable from headers alone, before any byte is read. */
export function precheckUpload(headers: IncomingHttpHeaders): { md5?: Buffer; sha256?: string; checksum: ReturnType<typeof checksumRequest> } {
  // The object's size is x-amz-decoded-content-length for aws-chunked bodies, else Content-Length.
  const declared = Number(headers['x-amz-decoded-content-length'] ?? headers['content-length'] ?? 0);
  if (declared > MAX_PUT_SIZE) {
    throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { fields: { ProposedSize: declared, MaxSizeAllowed: MAX_PUT_SIZE } });
  }
  const md5h = headers['content-md5'];
  const md5 = contentMd5(typeof md5h === 'string' ? md5h : undefined);
  const sha = headers['x-amz-content-sha256'];
  const sha256 = typeof sha === 'string' && /^[0-9a-f]{64}$/i.test(sha) ? sha.toLowerCase() : undefined;
  return { md5, sha256, checksum: checksumRequest(headers) };
}

export async function receiveBody(blobs: BlobStore, body: Readable | Uint8Array | undefined, pre: ReturnType<typeof precheckUpload>): Promise<Received> {
  const md5 = createHash('md5');
  const sha = pre.sha256 ? createHash('sha256') : undefined;
  const hasher = pre.checksum.deferred ? undefined : newHasher(pre.checksum.algorithm);
  const source: AsyncIterable<Uint8Array> | Iterable<Uint8Array> = body === undefined ? [] : body instanceof Uint8Array ? [body] : body;
  const info = await blobs.write(source, (chunk) => {
    md5.update(chunk);
    sha?.update(chunk);
    hasher?.update(chunk);
  });
  try {
    const md5Raw = md5.digest();
    if (pre.md5 && !pre.md5.equals(md5Raw)) {
      throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, {
        fields: { ExpectedDigest: pre.md5.toString('base64'), CalculatedDigest: md5Raw.toString('base64') },
      });
    }
    if (sha && pre.sha256) {
      const got = sha.digest('hex');
      if (got !== pre.sha256) {
        throw new AwsError('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, {
          fields: { ClientComputedContentSHA256: pre.sha256, S3ComputedContentSHA256: got },
        });
      }
    }
    const value = hasher?.digestBase64();
    const { algorithm, trailer } = pre.checksum;
    let expected = pre.checksum.expected;
    if (trailer) {
      const trailers = (body as { trailers?: Record<string, string> } | undefined)?.trailers;
      expected = trailers?.[trailer];
      if (expected === undefined) throw malformedTrailer();
      checkValue(algorithm, expected, 'trailing header');
    }
    if (expected !== undefined && expected !== value) throw badDigest(algorithm);
    return { blob: info.id, size: info.size, etag: `"${md5Raw.toString('hex')}"`, checksum: value === undefined ? { algorithm } : { algorithm, value } };
  } catch (e) {
    blobs.delete(info.id);
    throw e;
  }
}
