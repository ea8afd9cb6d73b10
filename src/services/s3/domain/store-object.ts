/**
 * The synchronous end of every object write (PutObject, CopyObject): the conditional-write
 * checks against the current object, then the new record — or, when a check fails, the blob
 * just written is dropped. No await between the checks and the write they guard.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { Bucket, ObjectRecord, S3State } from '../state.js';
import type { Received } from './upload.js';
import type { objectAttributes, parseTaggingHeader } from './attributes.js';
import { etagMatches } from './reads.js';
import { noSuchKey, preconditionFailed } from './errors.js';

export interface WriteConditions {
  IfMatch?: string;
  IfNoneMatch?: string;
}

export function storeObject(
  state: S3State,
  ctx: RequestContext,
  bucketName: string,
  key: string,
  got: Received,
  attrs: ReturnType<typeof objectAttributes> & Pick<ObjectRecord, 'sse' | 'lock'>,
  tags: ReturnType<typeof parseTaggingHeader>,
  cond: WriteConditions,
  now: number,
): { bucket: Bucket; record: ObjectRecord; stored: ReturnType<S3State['writeObject']> } {
  let bucket: Bucket;
  try {
    bucket = state.bucket(ctx, bucketName);
    const existing = state.getObject(bucket, key);
    if (cond.IfNoneMatch !== undefined && existing && etagMatches(cond.IfNoneMatch, existing.etag)) throw preconditionFailed('If-None-Match');
    if (cond.IfMatch !== undefined) {
      if (!existing) throw noSuchKey(key);
      if (!etagMatches(cond.IfMatch, existing.etag)) throw preconditionFailed('If-Match');
    }
  } catch (e) {
    state.blobs.delete(got.blob);
    throw e;
  }
  const record: ObjectRecord = {
    key,
    blob: got.blob,
    size: got.size,
    etag: got.etag,
    lastModified: Math.floor(now / 1000) * 1000,
    contentType: 'binary/octet-stream',
    ...attrs,
    checksum: got.checksum,
  };
  if (tags?.length) record.tags = tags;
  return { bucket, record, stored: state.writeObject(bucket, record) };
}
