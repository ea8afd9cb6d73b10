/**
 * Multipart uploads: CreateMultipartUpload, UploadPart (streamed like PutObject, with
 * per-part checksums), UploadPartCopy, CompleteMultipartUpload (the object keeps the parts'
 * blob files: nothing is copied), AbortMultipartUpload, ListParts, ListMultipartUploads.
 */
import type { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { S3Handlers, Part, MultipartUpload } from '../generated/types.js';
import { versionIdOf, type Bucket, type ObjectRecord, type S3State } from '../state.js';
import { badDigest, invalidArgument, invalidRequest } from '../domain/errors.js';
import { precheckUpload, receiveBody } from '../domain/upload.js';
import { ALGORITHMS, checksumMember, type ChecksumAlgorithm } from '../domain/checksums.js';
import { checkKey, objectAttributes, parseTaggingHeader } from '../domain/attributes.js';
import { canonicalUserId } from '../domain/buckets.js';
import { checkPartNumber, compositeChecksum, multipartEtag, noSuchUpload, selectParts, uploadChecksumType, type PartRecord, type UploadRecord } from '../domain/multipart.js';
import { copyBytes, resolveCopySource } from './copy.js';
import { abortOutput, checkPartKey, writeExtras, writeOutput } from './object-extras.js';
import { sseOutput } from '../domain/sse.js';

type Handlers = Pick<Required<S3Handlers>, 'CreateMultipartUpload' | 'UploadPart' | 'UploadPartCopy' | 'CompleteMultipartUpload' | 'AbortMultipartUpload' | 'ListParts' | 'ListMultipartUploads'>;

const uploadKey = (bucket: string, uploadId: string) => `${bucket}/${uploadId}`;
const partKey = (uploadId: string, n: number) => `${uploadId}/${n}`;
const urlEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/%2F/g, '/');

function algorithmOf(v: string | undefined): ChecksumAlgorithm | undefined {
  if (v === undefined) return undefined;
  const a = v.toUpperCase() as ChecksumAlgorithm;
  if (!ALGORITHMS.includes(a)) throw invalidArgument('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]', 'x-amz-checksum-algorithm', v);
  return a;
}

export function multipartHandlers(state: S3State): Handlers {
  const { rt } = state;
  const now = () => Math.floor(rt.clock.now() / 1000) * 1000;

  function upload(b: Bucket, key: string, uploadId: string): UploadRecord {
    const u = state.uploads.get(b.scope, uploadKey(b.record.name, uploadId));
    if (!u || u.key !== key) throw noSuchUpload(uploadId);
    return u;
  }

  function putPart(b: Bucket, u: UploadRecord, p: PartRecord): void {
    let parts = state.uploadParts.get(u.uploadId);
    if (!parts) state.uploadParts.set(u.uploadId, (parts = new Map()));
    const old = parts.get(p.partNumber);
    parts.set(p.partNumber, p);
    state.parts.put(b.scope, partKey(u.uploadId, p.partNumber), p);
    if (old) state.dropBlobLater(old.blob);
  }

  /** Forget an upload; `keep` parts' blobs now belong to an object. */
  function removeUpload(b: Bucket, u: UploadRecord, keep: Set<number>): void {
    state.uploads.delete(b.scope, uploadKey(b.record.name, u.uploadId));
    for (const p of state.uploadParts.get(u.uploadId)?.values() ?? []) {
      state.parts.delete(b.scope, partKey(u.uploadId, p.partNumber));
      if (!keep.has(p.partNumber)) state.dropBlobLater(p.blob);
    }
    state.uploadParts.delete(u.uploadId);
  }

  const owner = (account: string) => ({ ID: canonicalUserId(account), DisplayName: 'webfile' });
  const partChecksum = (p: PartRecord) => (p.checksum ? { [checksumMember(p.checksum.algorithm)]: p.checksum.value } : {});

  return {
    async CreateMultipartUpload(input, ctx) {
      const first = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkKey(input.Key);
      let extras = writeExtras(state, first, input);
      if (extras instanceof Promise) extras = await extras;
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const attrs = objectAttributes(input);
      const tags = parseTaggingHeader(input.Tagging);
      const algorithm = algorithmOf(input.ChecksumAlgorithm);
      const type = uploadChecksumType(algorithm, input.ChecksumType);
      const uploadId = randomBytes(48).toString('base64url');
      const u: UploadRecord = { uploadId, bucket: b.record.name, key: input.Key, initiated: rt.clock.now(), account: ctx.accountId, ...attrs };
      if (tags) u.tags = tags;
      if (extras.sse) u.sse = extras.sse;
      if (extras.lock) u.lock = extras.lock;
      if (algorithm) {
        u.checksumAlgorithm = algorithm;
        u.checksumType = type;
      }
      state.uploads.put(b.scope, uploadKey(b.record.name, uploadId), u);
      return {
        Bucket: b.record.name,
        Key: input.Key,
        UploadId: uploadId,
        ...sseOutput(u.sse),
        ...abortOutput(b, input.Key, u.initiated),
        ...(algorithm ? { ChecksumAlgorithm: algorithm, ChecksumType: type } : {}),
      };
    },

    async UploadPart(input, ctx) {
      const first = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkPartNumber(input.PartNumber);
      const u0 = upload(first, input.Key, input.UploadId);
      checkPartKey(u0.sse, input);
      const pre = ctx.req ? precheckUpload(ctx.req.headers) : { checksum: { algorithm: 'CRC64NVME' as const, deferred: true as const } };
      const want = u0.checksumAlgorithm;
      if (want && !pre.checksum.deferred && pre.checksum.algorithm !== want) {
        throw invalidRequest(`Checksum Type mismatch occurred, expected checksum Type: ${want.toLowerCase()}, actual checksum Type: ${pre.checksum.algorithm.toLowerCase()}`);
      }
      // The upload's algorithm is computed for every part, sent or not.
      const checksum = want && pre.checksum.deferred ? { algorithm: want } : pre.checksum;
      const got = await receiveBody(state.blobs, input.Body as Readable | Uint8Array | undefined, { ...pre, checksum });
      let b: Bucket;
      let u: UploadRecord;
      try {
        b = state.bucket(ctx, input.Bucket);
        u = upload(b, input.Key, input.UploadId);
      } catch (e) {
        state.blobs.delete(got.blob);
        throw e;
      }
      const p: PartRecord = { uploadId: u.uploadId, partNumber: input.PartNumber, blob: got.blob, size: got.size, etag: got.etag, lastModified: now() };
      if (got.checksum.value !== undefined) p.checksum = { algorithm: got.checksum.algorithm, value: got.checksum.value };
      putPart(b, u, p);
      return { ETag: got.etag, ...sseOutput(u.sse), ...(!pre.checksum.deferred || want ? partChecksum(p) : {}) };
    },

    async UploadPartCopy(input, ctx) {
      const first = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkPartNumber(input.PartNumber);
      const u0 = upload(first, input.Key, input.UploadId);
      const src = resolveCopySource(state, ctx, input);
      let range: { start: number; end: number } | undefined;
      if (input.CopySourceRange !== undefined) {
        const m = /^bytes=(\d+)-(\d+)$/.exec(input.CopySourceRange.trim());
        if (!m) throw invalidArgument('The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy', 'x-amz-copy-source-range', input.CopySourceRange);
        const start = Number(m[1]), end = Number(m[2]);
        if (end < start || end >= src.obj.size) throw invalidArgument(`Range specified is not valid for source object of size: ${src.obj.size}`, 'x-amz-copy-source-range', input.CopySourceRange);
        range = { start, end };
      }
      const got = await copyBytes(state, src.obj, range, u0.checksumAlgorithm);
      let b: Bucket;
      let u: UploadRecord;
      try {
        b = state.bucket(ctx, input.Bucket);
        u = upload(b, input.Key, input.UploadId);
      } catch (e) {
        state.blobs.delete(got.blob);
        throw e;
      }
      const p: PartRecord = { uploadId: u.uploadId, partNumber: input.PartNumber, blob: got.blob, size: got.size, etag: got.etag, lastModified: now() };
      if (got.checksum.value !== undefined) p.checksum = { algorithm: got.checksum.algorithm, value: got.checksum.value };
      putPart(b, u, p);
      return {
        CopyPartResult: { ETag: p.etag, LastModified: new Date(p.lastModified), ...partChecksum(p) },
        ...(src.bucket.record.versioning ? { CopySourceVersionId: versionIdOf(src.obj) } : {}),
        ...sseOutput(u.sse),
      };
    },

    async CompleteMultipartUpload(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const u = upload(b, input.Key, input.UploadId);
      const parts = selectParts(u, state.uploadParts.get(u.uploadId), input.MultipartUpload?.Parts);
      const size = parts.reduce((n, p) => n + p.size, 0);
      if (input.MpuObjectSize !== undefined && input.MpuObjectSize !== size) {
        throw invalidRequest(`The provided 'x-amz-mp-object-size' header value ${input.MpuObjectSize} does not match what was computed: ${size}`);
      }
      const existing = state.getObject(b, input.Key);
      if (input.IfNoneMatch !== undefined && existing) throw new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { fields: { Condition: 'If-None-Match' } });
      if (input.IfMatch !== undefined && (!existing || existing.etag.replace(/"/g, '') !== input.IfMatch.replace(/"/g, ''))) {
        if (!existing) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404, { fields: { Key: input.Key } });
        throw new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { fields: { Condition: 'If-Match' } });
      }
      const alg = u.checksumAlgorithm;
      const checksum: ObjectRecord['checksum'] = alg
        ? u.checksumType === 'COMPOSITE'
          ? { algorithm: alg, value: compositeChecksum(alg, parts), type: 'COMPOSITE' }
          : { algorithm: alg, type: 'FULL_OBJECT' }
        : { algorithm: 'CRC64NVME', type: 'FULL_OBJECT' };
      const rec: ObjectRecord = {
        key: u.key,
        blob: '',
        parts: parts.map((p) => ({ blob: p.blob, size: p.size, ...(alg && p.checksum?.algorithm === alg ? { checksum: p.checksum.value } : {}) })),
        size,
        etag: multipartEtag(parts),
        lastModified: now(),
        contentType: u.contentType ?? 'binary/octet-stream',
        metadata: u.metadata,
        storageClass: u.storageClass,
        checksum,
      };
      for (const k of ['contentEncoding', 'contentDisposition', 'contentLanguage', 'cacheControl', 'expires', 'websiteRedirectLocation', 'tags', 'sse', 'lock'] as const) {
        if (u[k] !== undefined) (rec as unknown as Record<string, unknown>)[k] = u[k];
      }
      // A full-object checksum the client sends is checked against the bytes (which are read to compute it).
      const sent = alg ? (input as unknown as Record<string, string | undefined>)[checksumMember(alg)] : undefined;
      if (alg && u.checksumType === 'FULL_OBJECT' && sent !== undefined) {
        const value = await state.checksumValue(b, rec);
        if (value !== sent) throw badDigest(alg);
        rec.checksum = { ...checksum, value };
        // the upload may have been completed or aborted while the bytes were read
        upload(b, input.Key, input.UploadId);
      }
      const stored = state.writeObject(b, rec);
      removeUpload(b, u, new Set(parts.map((p) => p.partNumber)));
      const host = ctx.host;
      return {
        Location: `http://${host}/${b.record.name}/${encodeURIComponent(u.key).replace(/%2F/g, '/')}`,
        Bucket: b.record.name,
        Key: u.key,
        ETag: rec.etag,
        ...writeOutput(b, stored),
        ...(b.record.versioning ? { VersionId: versionIdOf(stored) } : {}),
        ...(alg && rec.checksum.value !== undefined ? { [checksumMember(alg)]: rec.checksum.value, ChecksumType: u.checksumType } : {}),
      };
    },

    AbortMultipartUpload(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const u = upload(b, input.Key, input.UploadId);
      if (input.IfMatchInitiatedTime !== undefined && Math.floor(input.IfMatchInitiatedTime.getTime() / 1000) !== Math.floor(u.initiated / 1000)) {
        throw new AwsError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { fields: { Condition: 'x-amz-if-match-initiated-time' } });
      }
      removeUpload(b, u, new Set());
      return {};
    },

    ListParts(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const u = upload(b, input.Key, input.UploadId);
      const max = input.MaxParts ?? 1000;
      if (!Number.isInteger(max) || max < 0) throw invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', String(max));
      const marker = input.PartNumberMarker !== undefined ? Number(input.PartNumberMarker) : 0;
      if (!Number.isInteger(marker) || marker < 0) throw invalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', String(input.PartNumberMarker));
      const all = [...(state.uploadParts.get(u.uploadId)?.values() ?? [])].filter((p) => p.partNumber > marker).sort((x, y) => x.partNumber - y.partNumber);
      const page = all.slice(0, Math.min(max, 1000));
      const truncated = page.length < all.length;
      const parts: Part[] = page.map((p) => ({ PartNumber: p.partNumber, LastModified: new Date(p.lastModified), ETag: p.etag, Size: p.size, ...partChecksum(p) }));
      return {
        Bucket: b.record.name,
        Key: u.key,
        UploadId: u.uploadId,
        PartNumberMarker: String(marker),
        ...(page.length ? { NextPartNumberMarker: String(page[page.length - 1]!.partNumber) } : {}),
        MaxParts: max,
        IsTruncated: truncated,
        Parts: parts,
        Initiator: owner(u.account),
        Owner: owner(b.record.account),
        StorageClass: u.storageClass,
        ...(u.checksumAlgorithm ? { ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType } : {}),
      };
    },

    ListMultipartUploads(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (input.EncodingType !== undefined && input.EncodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', input.EncodingType);
      const enc = input.EncodingType === 'url' ? urlEncode : (s: string) => s;
      const max = input.MaxUploads ?? 1000;
      if (!Number.isInteger(max) || max < 0) throw invalidArgument('Provided max-uploads not an integer or within integer range', 'max-uploads', String(max));
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const all = [...state.uploads.values(b.scope)]
        .filter((u) => u.bucket === b.record.name && u.key.startsWith(prefix))
        .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.initiated - y.initiated || (x.uploadId < y.uploadId ? -1 : 1)));
      const km = input.KeyMarker;
      const um = input.UploadIdMarker;
      let startIdx = 0;
      if (km !== undefined && km !== '') {
        startIdx = all.findIndex((u) => (um ? u.key > km || (u.key === km && isAfterUpload(all, u, km, um)) : u.key > km));
        if (startIdx < 0) startIdx = all.length;
      }
      const uploads: MultipartUpload[] = [];
      const prefixes: string[] = [];
      let truncated = false;
      let lastKey: string | undefined;
      let lastUpload: string | undefined;
      const limit = Math.min(max, 1000);
      for (let i = startIdx; i < all.length; i++) {
        const u = all[i]!;
        const d = delimiter ? u.key.indexOf(delimiter, prefix.length) : -1;
        const cp = d >= 0 ? u.key.slice(0, d + delimiter!.length) : undefined;
        if (cp && prefixes[prefixes.length - 1] === cp) continue;
        if (uploads.length + prefixes.length >= limit) {
          truncated = true;
          break;
        }
        if (cp) {
          prefixes.push(cp);
          lastKey = cp;
          lastUpload = undefined;
        } else {
          uploads.push({ Key: enc(u.key), UploadId: u.uploadId, Initiator: owner(u.account), Owner: owner(b.record.account), StorageClass: u.storageClass, Initiated: new Date(u.initiated), ...(u.checksumAlgorithm ? { ChecksumAlgorithm: u.checksumAlgorithm, ChecksumType: u.checksumType } : {}) });
          lastKey = u.key;
          lastUpload = u.uploadId;
        }
      }
      return {
        Bucket: b.record.name,
        KeyMarker: enc(km ?? ''),
        UploadIdMarker: um ?? '',
        ...(truncated && lastKey !== undefined ? { NextKeyMarker: enc(lastKey), NextUploadIdMarker: lastUpload ?? '' } : {}),
        Prefix: enc(prefix),
        ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
        MaxUploads: max,
        ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        IsTruncated: truncated,
        Uploads: uploads,
        CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
      };
    },
  };
}

/** With both markers: uploads of KeyMarker after UploadIdMarker in listing order. */
function isAfterUpload(all: UploadRecord[], u: UploadRecord, km: string, um: string): boolean {
  const same = all.filter((x) => x.key === km);
  const mi = same.findIndex((x) => x.uploadId === um);
  return mi >= 0 && same.indexOf(u) > mi;
}

export type { RequestContext };
