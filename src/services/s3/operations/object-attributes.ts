/**
 * GetObjectAttributes: what HeadObject and ListParts tell about a version, in one answer —
 * ETag (unquoted), checksum, storage class, size and, for multipart objects, the part count and
 * (when the parts carry checksums) the parts themselves, paged by max-parts / part-number-marker.
 * Archived objects answer too (no bytes are read, except to compute S3's default checksum).
 */
import type { S3Handlers, ObjectPart } from '../generated/types.js';
import { versionIdOf } from '../state.js';
import { checksumMember } from '../domain/checksums.js';
import { invalidArgument } from '../domain/errors.js';
import { readableVersion } from './objects.js';
import { checkRead } from './object-extras.js';

type Handlers = Pick<Required<S3Handlers>, 'GetObjectAttributes'>;

const ATTRIBUTES = new Set(['ETag', 'Checksum', 'ObjectParts', 'StorageClass', 'ObjectSize']);
const badAttribute = (v: string) => invalidArgument('Invalid attribute name specified.', 'x-amz-object-attributes', v);

export function objectAttributeHandlers(state: import('../state.js').S3State): Handlers {
  return {
    async GetObjectAttributes(input, ctx) {
      const wanted = new Set((input.ObjectAttributes ?? []).flatMap((a) => a.split(',')).map((a) => a.trim()).filter(Boolean));
      if (!wanted.size) throw badAttribute('');
      for (const a of wanted) if (!ATTRIBUTES.has(a)) throw badAttribute(a);
      const max = input.MaxParts ?? 1000;
      if (!Number.isInteger(max) || max < 0) throw invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', String(input.MaxParts));
      const marker = input.PartNumberMarker === undefined ? 0 : Number(input.PartNumberMarker);
      if (!Number.isInteger(marker) || marker < 0) throw invalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', input.PartNumberMarker);

      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      const obj = readableVersion(state, b, input.Key, input.VersionId, ctx.method);
      checkRead(state, obj, input, false);
      const out: Awaited<ReturnType<Handlers['GetObjectAttributes']>> = {
        LastModified: new Date(obj.lastModified),
        ...(b.record.versioning ? { VersionId: versionIdOf(obj) } : {}),
      };
      if (wanted.has('ETag')) out.ETag = obj.etag.replace(/"/g, '');
      if (wanted.has('StorageClass')) out.StorageClass = obj.storageClass;
      if (wanted.has('ObjectSize')) out.ObjectSize = obj.size;
      if (wanted.has('Checksum')) {
        const value = await state.checksumValue(b, obj);
        out.Checksum = { [checksumMember(obj.checksum.algorithm)]: value, ChecksumType: obj.checksum.type ?? 'FULL_OBJECT' };
      }
      if (wanted.has('ObjectParts') && obj.parts) {
        const alg = obj.checksum.algorithm;
        const withChecksums = obj.parts.every((p) => p.checksum !== undefined);
        const all: ObjectPart[] = obj.parts.map((p, i) => ({ PartNumber: i + 1, Size: p.size, ...(p.checksum !== undefined ? { [checksumMember(alg)]: p.checksum } : {}) }));
        const after = all.filter((p) => p.PartNumber! > marker);
        const page = after.slice(0, max);
        const truncated = page.length < after.length;
        out.ObjectParts = {
          TotalPartsCount: obj.parts.length,
          PartNumberMarker: String(marker),
          MaxParts: max,
          IsTruncated: truncated,
          ...(page.length ? { NextPartNumberMarker: String(page[page.length - 1]!.PartNumber) } : {}),
          ...(withChecksums && page.length ? { Parts: page } : {}),
        };
      }
      return out;
    },
  };
}
