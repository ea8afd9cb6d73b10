/**
 * S3 flexible checksums on upload: which algorithm a PutObject asks for (a value header,
 * an aws-chunked trailer, or `x-amz-sdk-checksum-algorithm` alone), the value it expects,
 * and the hashers. With no checksum at all, S3 keeps a CRC64NVME (AWS's default since 2025);
 * gureum computes that one on first request rather than on the upload path, where a JS
 * CRC64 would cost more than the MD5 and the disk write together.
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { newCrc32, newCrc32c, newCrc64Nvme, type Crc } from './crc.js';
import { invalidRequest } from './errors.js';

export type ChecksumAlgorithm = 'CRC32' | 'CRC32C' | 'CRC64NVME' | 'SHA1' | 'SHA256' | 'SHA512' | 'MD5';

const BYTES: Record<ChecksumAlgorithm, number> = { CRC32: 4, CRC32C: 4, CRC64NVME: 8, SHA1: 20, SHA256: 32, SHA512: 64, MD5: 16 };
export const ALGORITHMS = Object.keys(BYTES) as ChecksumAlgorithm[];

/** x-amz-checksum-crc32 … for an algorithm */
export const checksumHeader = (a: ChecksumAlgorithm) => `x-amz-checksum-${a.toLowerCase()}`;

/** Output member name (ChecksumCRC32, …) for an algorithm */
export const checksumMember = (a: ChecksumAlgorithm) => `Checksum${a}` as const;

function algorithmOf(name: string): ChecksumAlgorithm | undefined {
  const up = name.toUpperCase();
  return (ALGORITHMS as string[]).includes(up) ? (up as ChecksumAlgorithm) : undefined;
}

export interface ChecksumRequest {
  algorithm: ChecksumAlgorithm;
  /** the client named no checksum: S3's default CRC64NVME, computed when first asked for */
  deferred?: true;
  /** base64 value from a header, known before the body */
  expected?: string;
  /** the value arrives as an aws-chunked trailer of this name */
  trailer?: string;
}

/** Throws InvalidRequest for a value that is not the algorithm's size in base64. */
export function checkValue(algorithm: ChecksumAlgorithm, value: string, where: 'header' | 'trailing header'): void {
  const ok = /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0 && Buffer.from(value, 'base64').length === BYTES[algorithm];
  if (!ok) throw invalidRequest(`Value for ${checksumHeader(algorithm)} ${where} is invalid.`);
}

const NOT_VALUES = new Set(['x-amz-checksum-type', 'x-amz-checksum-algorithm', 'x-amz-checksum-mode']);

/** What the request asks for; throws InvalidRequest for contradictory or unknown checksum headers. */
export function checksumRequest(headers: IncomingHttpHeaders): ChecksumRequest {
  const valued: ChecksumAlgorithm[] = [];
  for (const name of Object.keys(headers)) {
    if (!name.startsWith('x-amz-checksum-') || NOT_VALUES.has(name)) continue;
    const a = algorithmOf(name.slice('x-amz-checksum-'.length));
    if (!a) throw invalidRequest(`Value for x-amz-sdk-checksum-algorithm header is invalid.`);
    valued.push(a);
  }
  if (valued.length > 1) throw invalidRequest('Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.');
  const trailerHeader = typeof headers['x-amz-trailer'] === 'string' ? headers['x-amz-trailer'].trim().toLowerCase() : undefined;
  const sdk = typeof headers['x-amz-sdk-checksum-algorithm'] === 'string' ? headers['x-amz-sdk-checksum-algorithm'] : undefined;
  const sdkAlgorithm = sdk !== undefined ? algorithmOf(sdk) : undefined;
  if (sdk !== undefined && !sdkAlgorithm) throw invalidRequest('Value for x-amz-sdk-checksum-algorithm header is invalid.');

  if (trailerHeader) {
    if (valued.length) throw invalidRequest('Expecting a single x-amz-checksum- header');
    const a = trailerHeader.startsWith('x-amz-checksum-') ? algorithmOf(trailerHeader.slice('x-amz-checksum-'.length)) : undefined;
    if (!a) throw invalidRequest('The value specified in the x-amz-trailer header is not supported');
    return { algorithm: a, trailer: trailerHeader };
  }
  if (valued.length === 1) {
    const a = valued[0]!;
    const value = String(headers[checksumHeader(a)]).trim();
    checkValue(a, value, 'header');
    return { algorithm: a, expected: value };
  }
  return sdkAlgorithm ? { algorithm: sdkAlgorithm } : { algorithm: 'CRC64NVME', deferred: true };
}

export interface Hasher {
  update(chunk: Uint8Array): void;
  digestBase64(): string;
}

export function newHasher(a: ChecksumAlgorithm): Hasher {
  let crc: Crc | undefined;
  switch (a) {
    case 'CRC32':
      crc = newCrc32();
      break;
    case 'CRC32C':
      crc = newCrc32c();
      break;
    case 'CRC64NVME':
      crc = newCrc64Nvme();
      break;
    default: {
      const h = createHash(a === 'SHA1' ? 'sha1' : a === 'SHA256' ? 'sha256' : a === 'SHA512' ? 'sha512' : 'md5');
      return { update: (c) => void h.update(c), digestBase64: () => h.digest('base64') };
    }
  }
  const c = crc;
  return { update: (chunk) => c.update(chunk), digestBase64: () => c.digest().toString('base64') };
}
