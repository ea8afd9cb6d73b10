/**
 * CopyObject, and what UploadPartCopy shares with it: the x-amz-copy-source header
 * ("bucket/key[?versionId=…]", URL-encoded), the x-amz-copy-source-if-* conditions, and
 * copying bytes into a new blob (MD5 and the requested checksum computed on the way).
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type { S3Handlers } from '../generated/types.js';
import { versionIdOf, type Bucket, type ObjectRecord, type S3State } from '../state.js';
import { invalidArgument, invalidRequest, preconditionFailed } from '../domain/errors.js';
import { etagMatches } from '../domain/reads.js';
import { checksumMember, newHasher, type ChecksumAlgorithm } from '../domain/checksums.js';
import { checkKey, objectAttributes, parseTaggingHeader } from '../domain/attributes.js';
import { readableVersion } from './objects.js';
import type { Received } from '../domain/upload.js';
import { MAX_PUT_SIZE } from '../domain/upload.js';
import { storeObject } from '../domain/store-object.js';
import { checkRead, writeExtras, writeOutput } from './object-extras.js';

type Handlers = Pick<Required<S3Handlers>, 'CopyObject'>;

interface CopySourceInput {
  CopySource: string;
  CopySourceIfMatch?: string;
  CopySourceIfNoneMatch?: string;
  CopySourceIfModifiedSince?: Date;
  CopySourceIfUnmodifiedSince?: Date;
  ExpectedSourceBucketOwner?: string;
  CopySourceSSECustomerAlgorithm?: string;
  CopySourceSSECustomerKey?: string;
  CopySourceSSECustomerKeyMD5?: string;
}

/** "bucket/key", "/bucket/key", either with "?versionId=…"; percent-encoded. */
export function parseCopySource(raw: string): { bucket: string; key: string; versionId?: string } {
  let s = raw.startsWith('/') ? raw.slice(1) : raw;
  let versionId: string | undefined;
  const q = s.indexOf('?');
  if (q >= 0) {
    const params = new URLSearchParams(s.slice(q + 1));
    versionId = params.get('versionId') ?? undefined;
    s = s.slice(0, q);
  }
  let decoded: string;
  try {
    decoded = decodeURIComponent(s);
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', raw);
  }
  const slash = decoded.indexOf('/');
  if (slash <= 0 || slash === decoded.length - 1) throw invalidArgument('Invalid copy source object key', 'x-amz-copy-source', raw);
  return { bucket: decoded.slice(0, slash), key: decoded.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

export function resolveCopySource(state: S3State, ctx: RequestContext, input: CopySourceInput): { bucket: Bucket; obj: ObjectRecord; key: string; versionId?: string } {
  const src = parseCopySource(input.CopySource);
  const bucket = state.bucket(ctx, src.bucket, input.ExpectedSourceBucketOwner);
  const obj = readableVersion(state, bucket, src.key, src.versionId, 'GET');
  checkRead(state, obj, { SSECustomerAlgorithm: input.CopySourceSSECustomerAlgorithm, SSECustomerKey: input.CopySourceSSECustomerKey, SSECustomerKeyMD5: input.CopySourceSSECustomerKeyMD5 }, true, true);
  const lm = Math.floor(obj.lastModified / 1000);
  if (input.CopySourceIfMatch !== undefined) {
    if (!etagMatches(input.CopySourceIfMatch, obj.etag)) throw preconditionFailed('x-amz-copy-source-If-Match');
  } else if (input.CopySourceIfUnmodifiedSince && lm > Math.floor(input.CopySourceIfUnmodifiedSince.getTime() / 1000)) {
    throw preconditionFailed('x-amz-copy-source-If-Unmodified-Since');
  }
  if (input.CopySourceIfNoneMatch !== undefined) {
    if (etagMatches(input.CopySourceIfNoneMatch, obj.etag)) throw preconditionFailed('x-amz-copy-source-If-None-Match');
  } else if (input.CopySourceIfModifiedSince && lm <= Math.floor(input.CopySourceIfModifiedSince.getTime() / 1000)) {
    throw preconditionFailed('x-amz-copy-source-If-Modified-Since');
  }
  return { bucket, obj, key: src.key, ...(src.versionId !== undefined ? { versionId: src.versionId } : {}) };
}

/** Copy an object's bytes (or a range) into a new blob. `algorithm` undefined: no checksum computed. */
export async function copyBytes(state: S3State, obj: ObjectRecord, range: { start: number; end: number } | undefined, algorithm: ChecksumAlgorithm | undefined): Promise<Received> {
  const r = range ?? (obj.size > 0 ? { start: 0, end: obj.size - 1 } : undefined);
  const md5 = createHash('md5');
  const hasher = algorithm ? newHasher(algorithm) : undefined;
  const source = r ? await state.openObject(obj, r) : [];
  const info = await state.blobs.write(source as AsyncIterable<Uint8Array>, (chunk) => {
    md5.update(chunk);
    hasher?.update(chunk);
  });
  const value = hasher?.digestBase64();
  return { blob: info.id, size: info.size, etag: `"${md5.digest('hex')}"`, checksum: { algorithm: algorithm ?? 'CRC64NVME', ...(value !== undefined ? { value } : {}) } };
}

export function copyHandlers(state: S3State): Handlers {
  const { rt } = state;
  return {
    async CopyObject(input, ctx) {
      const dest = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkKey(input.Key);
      const directive = input.MetadataDirective ?? 'COPY';
      if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
      const tagDirective = input.TaggingDirective ?? 'COPY';
      if (tagDirective !== 'COPY' && tagDirective !== 'REPLACE') throw invalidArgument('Unknown tagging directive.', 'x-amz-tagging-directive', tagDirective);
      const src = resolveCopySource(state, ctx, input);
      const self = src.bucket.record.name === input.Bucket && src.key === input.Key;
      if (self && directive === 'COPY' && !input.StorageClass && !input.WebsiteRedirectLocation && !input.ServerSideEncryption && !input.SSECustomerAlgorithm && !input.ChecksumAlgorithm) {
        throw invalidRequest("This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.");
      }
      if (src.obj.size > MAX_PUT_SIZE) throw invalidRequest(`The specified copy source is larger than the maximum allowable size for a copy source: ${MAX_PUT_SIZE}`);
      const attrs = directive === 'REPLACE'
        ? objectAttributes(input)
        : objectAttributes({
          ContentType: src.obj.contentType, ContentEncoding: src.obj.contentEncoding, ContentDisposition: src.obj.contentDisposition,
          ContentLanguage: src.obj.contentLanguage, CacheControl: src.obj.cacheControl, Expires: src.obj.expires !== undefined ? new Date(src.obj.expires) : undefined,
          WebsiteRedirectLocation: input.WebsiteRedirectLocation ?? src.obj.websiteRedirectLocation, Metadata: src.obj.metadata, StorageClass: input.StorageClass,
        });
      const tags = tagDirective === 'REPLACE' ? parseTaggingHeader(input.Tagging) : src.obj.tags;
      const requested = input.ChecksumAlgorithm?.toUpperCase() as ChecksumAlgorithm | undefined;
      const keepDefault = !requested && src.obj.checksum.algorithm === 'CRC64NVME';
      const algorithm = requested ?? (keepDefault ? undefined : src.obj.checksum.algorithm);
      let extras = writeExtras(state, dest, input);
      if (extras instanceof Promise) extras = await extras;
      const got = await copyBytes(state, src.obj, undefined, algorithm);
      const { bucket: b, record: rec, stored } = storeObject(state, ctx, input.Bucket, input.Key, got, { ...attrs, ...extras }, tags, input, rt.clock.now());
      return {
        CopyObjectResult: {
          ETag: rec.etag,
          LastModified: new Date(rec.lastModified),
          ...(got.checksum.value !== undefined ? { [checksumMember(got.checksum.algorithm)]: got.checksum.value, ChecksumType: 'FULL_OBJECT' } : {}),
        },
        ...(src.bucket.record.versioning ? { CopySourceVersionId: versionIdOf(src.obj) } : {}),
        ...(b.record.versioning ? { VersionId: versionIdOf(stored) } : {}),
        ...writeOutput(b, stored),
      };
    },
  };
}
