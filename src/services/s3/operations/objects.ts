/** PutObject, GetObject, HeadObject, DeleteObject. */
import type { Readable } from 'node:stream';
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { GetObjectOutput, GetObjectRequest, S3Handlers } from '../generated/types.js';
import type { Bucket, ObjectRecord, S3State } from '../state.js';
import { accessDenied, invalidRequest, keyTooLong, preconditionFailed, noSuchKey } from '../domain/errors.js';
import { checkConditions, etagMatches, parseRange, type ByteRange } from '../domain/reads.js';
import { precheckUpload, receiveBody } from '../domain/upload.js';
import { checksumMember } from '../domain/checksums.js';

type Handlers = Pick<Required<S3Handlers>, 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject'>;

const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE', 'FSX_OPENZFS', 'FSX_ONTAP']);
const MAX_METADATA = 2048;

function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > 1024) throw keyTooLong(size);
}

function checkOwner(b: Bucket, expected: string | undefined): void {
  if (expected !== undefined && expected !== b.record.account) throw accessDenied();
}

/** aws-chunked is transport framing, not a property of the object. */
function storedEncoding(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const rest = v.split(',').map((s) => s.trim()).filter((s) => s && s.toLowerCase() !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

function tagCount(tagging: string | undefined): number | undefined {
  if (!tagging) return undefined;
  const n = [...new URLSearchParams(tagging).keys()].length;
  if (n > 10) throw new AwsError('InvalidTag', 'Object tags cannot be greater than 10', 400);
  return n || undefined;
}

/** Wait until a blob stream is open, so a vanished file is known before headers go out. */
function opened(stream: Readable): Promise<Readable> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.once('ready', () => {
      stream.off('error', reject);
      resolve(stream);
    });
  });
}

export function objectHandlers(state: S3State): Handlers {
  const { rt } = state;

  /** Shared by GetObject and HeadObject: conditions, range, headers. */
  async function describe(input: GetObjectRequest, ctx: RequestContext): Promise<{ obj: ObjectRecord; range?: ByteRange; out: GetObjectOutput }> {
    const b = state.bucket(ctx, input.Bucket);
    checkOwner(b, input.ExpectedBucketOwner);
    const obj = state.requireObject(b, input.Key);
    const lastModified = new Date(obj.lastModified);
    checkConditions(input, obj.etag, obj.lastModified, { ETag: obj.etag, 'Last-Modified': lastModified.toUTCString() });
    if (input.PartNumber !== undefined && input.Range !== undefined) throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
    if (input.PartNumber !== undefined && input.PartNumber !== 1) {
      throw new AwsError('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { fields: { PartNumberRequested: input.PartNumber, ActualPartCount: 1 } });
    }
    const range = input.PartNumber === 1 ? (obj.size > 0 ? { start: 0, end: obj.size - 1 } : undefined) : parseRange(input.Range, obj.size);
    const out: GetObjectOutput = {
      AcceptRanges: 'bytes',
      LastModified: lastModified,
      ContentLength: range ? range.end - range.start + 1 : obj.size,
      ETag: obj.etag,
      ContentType: input.ResponseContentType ?? obj.contentType,
      ContentEncoding: input.ResponseContentEncoding ?? obj.contentEncoding,
      ContentDisposition: input.ResponseContentDisposition ?? obj.contentDisposition,
      ContentLanguage: input.ResponseContentLanguage ?? obj.contentLanguage,
      CacheControl: input.ResponseCacheControl ?? obj.cacheControl,
      Expires: input.ResponseExpires ?? (obj.expires !== undefined ? new Date(obj.expires) : undefined),
      Metadata: obj.metadata,
      ServerSideEncryption: 'AES256',
      ...(obj.storageClass !== 'STANDARD' ? { StorageClass: obj.storageClass } : {}),
      ...(obj.websiteRedirectLocation ? { WebsiteRedirectLocation: obj.websiteRedirectLocation } : {}),
      ...(obj.tagCount ? { TagCount: obj.tagCount } : {}),
      ...(input.PartNumber === 1 ? { PartsCount: 1 } : {}),
      ...(range ? { ContentRange: `bytes ${range.start}-${range.end}/${obj.size}` } : {}),
    };
    // The whole-object checksum only describes whole-object answers.
    if (input.ChecksumMode === 'ENABLED' && !range) {
      (out as Record<string, unknown>)[checksumMember(obj.checksum.algorithm)] = await state.checksumValue(b, obj);
      out.ChecksumType = 'FULL_OBJECT';
    }
    return { obj, range, out };
  }

  /** describe() + open the bytes; the blob may be replaced (and removed) meanwhile: look up again. */
  async function read(input: GetObjectRequest, ctx: RequestContext, withBody: boolean): Promise<GetObjectOutput> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { obj, range, out } = await describe(input, ctx);
        if (range) ctx.status = 206;
        if (!withBody) return out;
        // Always a range: it bounds the read buffer by the object's size.
        const bytes = range ?? (obj.size > 0 ? { start: 0, end: obj.size - 1 } : undefined);
        return { ...out, Body: await opened(state.blobs.read(obj.blob, bytes)) };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 2) throw e;
      }
    }
  }

  return {
    async PutObject(input, ctx) {
      const first = state.bucket(ctx, input.Bucket);
      checkOwner(first, input.ExpectedBucketOwner);
      checkKey(input.Key);
      const storageClass = input.StorageClass ?? 'STANDARD';
      if (!STORAGE_CLASSES.has(storageClass)) throw new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400, { fields: { StorageClassRequested: storageClass } });
      const metadata = input.Metadata ?? {};
      const metaSize = Object.entries(metadata).reduce((n, [k, v]) => n + k.length + v.length, 0);
      if (metaSize > MAX_METADATA) throw new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, { fields: { Size: metaSize, MaxSizeAllowed: MAX_METADATA } });
      const tags = tagCount(input.Tagging);
      const pre = ctx.req ? precheckUpload(ctx.req.headers) : { checksum: { algorithm: 'CRC64NVME' as const, deferred: true as const } };

      const got = await receiveBody(state.blobs, input.Body as Readable | Uint8Array | undefined, pre);

      // From here on: synchronous checks and the write they guard.
      let b: Bucket;
      try {
        b = state.bucket(ctx, input.Bucket);
        const existing = state.getObject(b, input.Key);
        if (input.IfNoneMatch !== undefined && existing && etagMatches(input.IfNoneMatch, existing.etag)) throw preconditionFailed('If-None-Match');
        if (input.IfMatch !== undefined) {
          if (!existing) throw noSuchKey(input.Key);
          if (!etagMatches(input.IfMatch, existing.etag)) throw preconditionFailed('If-Match');
        }
      } catch (e) {
        state.blobs.delete(got.blob);
        throw e;
      }
      const rec: ObjectRecord = {
        key: input.Key,
        blob: got.blob,
        size: got.size,
        etag: got.etag,
        lastModified: Math.floor(rt.clock.now() / 1000) * 1000,
        contentType: input.ContentType ?? 'binary/octet-stream',
        metadata,
        checksum: got.checksum,
        storageClass,
      };
      const enc = storedEncoding(input.ContentEncoding);
      if (enc) rec.contentEncoding = enc;
      if (input.ContentDisposition) rec.contentDisposition = input.ContentDisposition;
      if (input.ContentLanguage) rec.contentLanguage = input.ContentLanguage;
      if (input.CacheControl) rec.cacheControl = input.CacheControl;
      if (input.Expires) rec.expires = input.Expires.getTime();
      if (input.WebsiteRedirectLocation) rec.websiteRedirectLocation = input.WebsiteRedirectLocation;
      if (tags) rec.tagCount = tags;
      const old = state.putObject(b, rec);
      if (old) state.dropBlobLater(old.blob);

      // Checksum headers answer a checksum the client asked for, not S3's default one.
      const explicit = !pre.checksum.deferred;
      return {
        ETag: got.etag,
        ServerSideEncryption: 'AES256',
        ...(explicit ? { [checksumMember(got.checksum.algorithm)]: got.checksum.value, ChecksumType: 'FULL_OBJECT' } : {}),
      };
    },

    GetObject(input, ctx) {
      return read(input, ctx, true);
    },

    HeadObject(input, ctx) {
      return read(input, ctx, false);
    },

    DeleteObject(input, ctx) {
      const b = state.bucket(ctx, input.Bucket);
      checkOwner(b, input.ExpectedBucketOwner);
      const existing = state.getObject(b, input.Key);
      if (input.IfMatch !== undefined) {
        if (!existing) throw noSuchKey(input.Key);
        if (!etagMatches(input.IfMatch, existing.etag)) throw preconditionFailed('If-Match');
      }
      const old = state.deleteObject(b, input.Key);
      if (old) state.dropBlobLater(old.blob);
      return {};
    },
  };
}
