/** PutObject, GetObject, HeadObject, DeleteObject (versioned or not). */
import type { Readable } from 'node:stream';
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { GetObjectOutput, GetObjectRequest, S3Handlers } from '../generated/types.js';
import { versionIdOf, type Bucket, type ObjectRecord, type S3State } from '../state.js';
import { invalidRequest, preconditionFailed, noSuchKey } from '../domain/errors.js';
import { checkConditions, etagMatches, parseRange, type ByteRange } from '../domain/reads.js';
import { precheckUpload, receiveBody } from '../domain/upload.js';
import { checksumMember } from '../domain/checksums.js';
import { checkKey, objectAttributes, parseTaggingHeader } from '../domain/attributes.js';
import { partRange } from '../domain/parts.js';
import { storeObject } from '../domain/store-object.js';
import { checkDeletable } from '../domain/lock.js';
import { checkRead, readOutput, writeExtras, writeOutput } from './object-extras.js';

type Handlers = Pick<Required<S3Handlers>, 'PutObject' | 'GetObject' | 'HeadObject' | 'DeleteObject'>;

const httpDate = (ms: number) => new Date(ms).toUTCString();

export const noSuchVersion = (key: string, versionId: string) =>
  new AwsError('NoSuchVersion', 'The specified version does not exist.', 404, { fields: { Key: key, VersionId: versionId } });

export function checkVersionId(versionId: string): void {
  if (versionId !== 'null' && !/^[A-Za-z0-9._-]{1,1024}$/.test(versionId)) {
    throw new AwsError('InvalidArgument', 'Invalid version id specified', 400, { fields: { ArgumentName: 'versionId', ArgumentValue: versionId } });
  }
}

/**
 * The version a GET/HEAD (or a copy source) names: the current one, or `versionId`.
 * A delete marker answers 404 (current) or 405 (named), with x-amz-delete-marker.
 */
export function readableVersion(state: S3State, b: Bucket, key: string, versionId: string | undefined, method: string): ObjectRecord {
  if (versionId === undefined) {
    const cur = state.getObject(b, key);
    if (cur) return cur;
    const top = state.versionsOf(b, key)[0];
    if (top?.deleteMarker) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: key }, headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionIdOf(top) } });
    throw noSuchKey(key);
  }
  checkVersionId(versionId);
  const v = state.findVersion(b, key, versionId);
  if (!v) throw noSuchVersion(key, versionId);
  if (v.deleteMarker) {
    throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, {
      fields: { Method: method, ResourceType: 'DeleteMarker' },
      headers: { 'x-amz-delete-marker': 'true', 'x-amz-version-id': versionIdOf(v), 'last-modified': httpDate(v.lastModified) },
    });
  }
  return v;
}

export function objectHandlers(state: S3State): Handlers {
  const { rt } = state;

  /** Shared by GetObject and HeadObject: conditions, range, headers. */
  async function describe(input: GetObjectRequest, ctx: RequestContext): Promise<{ obj: ObjectRecord; range?: ByteRange; out: GetObjectOutput }> {
    const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
    const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
    checkRead(state, obj, input, ctx.method !== 'HEAD');
    const lastModified = new Date(obj.lastModified);
    checkConditions(input, obj.etag, obj.lastModified, { ETag: obj.etag, 'Last-Modified': lastModified.toUTCString() });
    if (input.PartNumber !== undefined && input.Range !== undefined) throw invalidRequest('Cannot specify both Range header and partNumber query parameter');
    const partsCount = obj.parts?.length ?? 1;
    if (input.PartNumber !== undefined && (input.PartNumber < 1 || input.PartNumber > partsCount)) {
      throw new AwsError('InvalidPartNumber', 'The requested partnumber is not satisfiable', 416, { fields: { PartNumberRequested: input.PartNumber, ActualPartCount: partsCount } });
    }
    let range: ByteRange | undefined;
    if (input.PartNumber !== undefined) {
      const r = obj.parts ? partRange(obj.parts, input.PartNumber) : { start: 0, end: obj.size - 1 };
      range = r.end >= r.start ? r : undefined;
    } else range = parseRange(input.Range, obj.size);
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
      ...readOutput(state, b, obj, input.VersionId === undefined),
      ...(b.record.versioning ? { VersionId: versionIdOf(obj) } : {}),
      ...(obj.storageClass !== 'STANDARD' ? { StorageClass: obj.storageClass } : {}),
      ...(obj.websiteRedirectLocation ? { WebsiteRedirectLocation: obj.websiteRedirectLocation } : {}),
      ...(obj.tags?.length ? { TagCount: obj.tags.length } : {}),
      ...(input.PartNumber !== undefined ? { PartsCount: partsCount } : {}),
      ...(range ? { ContentRange: `bytes ${range.start}-${range.end}/${obj.size}` } : {}),
    };
    // The whole-object checksum only describes whole-object answers.
    if (input.ChecksumMode === 'ENABLED' && !range) {
      (out as Record<string, unknown>)[checksumMember(obj.checksum.algorithm)] = await state.checksumValue(b, obj);
      out.ChecksumType = obj.checksum.type ?? 'FULL_OBJECT';
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
        if (!bytes) return { ...out, Body: Buffer.alloc(0) as never };
        // A small object is in the storage engine: hand its bytes over as they are, no stream.
        const small = obj.parts ? undefined : state.blobs.readInline(obj.blob, bytes);
        return { ...out, Body: (small ?? (await state.openObject(obj, bytes))) as never };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || attempt >= 2) throw e;
      }
    }
  }

  return {
    async PutObject(input, ctx) {
      const first = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkKey(input.Key);
      const attrs = objectAttributes(input);
      const tags = parseTaggingHeader(input.Tagging);
      let extras = writeExtras(state, first, input);
      if (extras instanceof Promise) extras = await extras;
      const pre = ctx.req ? precheckUpload(ctx.req.headers) : { checksum: { algorithm: 'CRC64NVME' as const, deferred: true as const } };

      const got = await receiveBody(state.blobs, input.Body as Readable | Uint8Array | undefined, pre);

      // From here on: synchronous checks and the write they guard.
      const { bucket: b, stored } = storeObject(state, ctx, input.Bucket, input.Key, got, { ...attrs, ...extras }, tags, input, rt.clock.now());

      // Checksum headers answer a checksum the client asked for, not S3's default one.
      const explicit = !pre.checksum.deferred;
      return {
        ETag: got.etag,
        ...writeOutput(b, stored),
        ...(b.record.versioning ? { VersionId: versionIdOf(stored) } : {}),
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
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (input.VersionId !== undefined) {
        checkVersionId(input.VersionId);
        checkDeletable(state.findVersion(b, input.Key, input.VersionId)?.lock, input.BypassGovernanceRetention === true, rt.clock.now());
        const gone = state.deleteVersion(b, input.Key, input.VersionId);
        return { VersionId: input.VersionId, ...(gone?.deleteMarker ? { DeleteMarker: true } : {}) };
      }
      const existing = state.getObject(b, input.Key);
      if (input.IfMatch !== undefined) {
        if (!existing) throw noSuchKey(input.Key);
        if (!etagMatches(input.IfMatch, existing.etag)) throw preconditionFailed('If-Match');
      }
      const marker = state.deleteCurrent(b, input.Key);
      return marker ? { DeleteMarker: true, VersionId: versionIdOf(marker) } : {};
    },
  };
}
