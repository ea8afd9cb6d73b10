/**
 * Multipart upload records and the rules CompleteMultipartUpload applies: part numbers
 * 1–10,000, parts listed in ascending order with their ETags, every part but the last at
 * least 5 MiB, the ETag "<md5 of the parts' binary MD5s>-N" and composite checksums
 * "<checksum of the parts' binary checksums>-N".
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { newHasher, type ChecksumAlgorithm } from './checksums.js';
import { invalidArgument } from './errors.js';

export interface UploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  initiated: number; // epoch ms
  account: string;
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: number;
  websiteRedirectLocation?: string;
  metadata: Record<string, string>;
  storageClass: string;
  tags?: { Key: string; Value: string }[];
  checksumAlgorithm?: ChecksumAlgorithm;
  checksumType?: 'FULL_OBJECT' | 'COMPOSITE';
  /** encryption and Object Lock settings the completed object gets (domain/sse.ts, lock.ts) */
  sse?: import('./sse.js').ObjectSse;
  lock?: import('./lock.js').ObjectLock;
}

export interface PartRecord {
  uploadId: string;
  partNumber: number;
  blob: string;
  size: number;
  etag: string; // quoted MD5 hex
  lastModified: number;
  checksum?: { algorithm: ChecksumAlgorithm; value: string };
}

export const MIN_PART_SIZE = 5 * 1024 * 1024;
export const MAX_PARTS = 10000;

export const noSuchUpload = (uploadId: string) =>
  new AwsError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { fields: { UploadId: uploadId } });

export function checkPartNumber(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_PARTS) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', String(n));
}

const unquote = (s: string) => s.trim().replace(/^"(.*)"$/, '$1');

export interface RequestedPart { PartNumber?: number; ETag?: string }

/**
 * The stored parts a Complete request names, in order; throws AWS's InvalidPartOrder,
 * InvalidPart, EntityTooSmall or MalformedXML.
 */
export function selectParts(upload: UploadRecord, stored: Map<number, PartRecord> | undefined, requested: RequestedPart[] | undefined): PartRecord[] {
  if (!requested?.length) throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  const out: PartRecord[] = [];
  let prev = 0;
  for (const r of requested) {
    const n = r.PartNumber ?? 0;
    if (n <= prev) throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400, { fields: { UploadId: upload.uploadId } });
    prev = n;
    const p = stored?.get(n);
    const etagOk = p && r.ETag !== undefined && unquote(r.ETag) === unquote(p.etag);
    const alg = upload.checksumAlgorithm;
    const sent = alg ? ((r as Record<string, unknown>)[`Checksum${alg}`] as string | undefined) : undefined;
    const checksumOk = !p || !upload.checksumAlgorithm || upload.checksumType !== 'COMPOSITE' || (sent !== undefined && sent === p.checksum?.value);
    if (!p || !etagOk || !checksumOk) {
      throw new AwsError('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not have matched the part's entity tag.", 400, {
        fields: { UploadId: upload.uploadId, PartNumber: n, ETag: r.ETag ?? '' },
      });
    }
    out.push(p);
  }
  for (let i = 0; i < out.length - 1; i++) {
    const p = out[i]!;
    if (p.size < MIN_PART_SIZE) {
      throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, {
        fields: { ProposedSize: p.size, MinSizeAllowed: MIN_PART_SIZE, PartNumber: p.partNumber, ETag: unquote(p.etag) },
      });
    }
  }
  return out;
}

/** "<md5 of the concatenated binary part MD5s>-N", quoted. */
export function multipartEtag(parts: PartRecord[]): string {
  const h = createHash('md5');
  for (const p of parts) h.update(Buffer.from(unquote(p.etag), 'hex'));
  return `"${h.digest('hex')}-${parts.length}"`;
}

/** "<checksum of the concatenated binary part checksums>-N" (COMPOSITE checksums). */
export function compositeChecksum(algorithm: ChecksumAlgorithm, parts: PartRecord[]): string {
  const h = newHasher(algorithm);
  for (const p of parts) h.update(Buffer.from(p.checksum?.value ?? '', 'base64'));
  return `${h.digestBase64()}-${parts.length}`;
}

/**
 * The checksum type of an upload: CRC64NVME is always FULL_OBJECT; SHA and MD5 are always
 * COMPOSITE; CRC32/CRC32C default to COMPOSITE.
 */
export function uploadChecksumType(algorithm: ChecksumAlgorithm | undefined, requested: string | undefined): 'FULL_OBJECT' | 'COMPOSITE' | undefined {
  if (requested !== undefined && requested !== 'FULL_OBJECT' && requested !== 'COMPOSITE') {
    throw invalidArgument('Value for x-amz-checksum-type header is invalid.', 'x-amz-checksum-type', requested);
  }
  if (!algorithm) {
    if (requested) throw new AwsError('InvalidRequest', 'The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.', 400);
    return undefined;
  }
  if (algorithm === 'CRC64NVME') {
    if (requested === 'COMPOSITE') throw new AwsError('InvalidRequest', 'The COMPOSITE checksum type cannot be used with the crc64nvme checksum algorithm.', 400);
    return 'FULL_OBJECT';
  }
  if (algorithm === 'CRC32' || algorithm === 'CRC32C') return (requested as 'FULL_OBJECT' | 'COMPOSITE' | undefined) ?? 'COMPOSITE';
  if (requested === 'FULL_OBJECT') throw new AwsError('InvalidRequest', `The FULL_OBJECT checksum type cannot be used with the ${algorithm.toLowerCase()} checksum algorithm.`, 400);
  return 'COMPOSITE';
}
