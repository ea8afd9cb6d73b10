/**
 * What a PutObject, CreateMultipartUpload or CopyObject (REPLACE) request says about the new
 * object besides its bytes: content headers, user metadata (2 KiB), storage class, tags
 * (x-amz-tagging and the Tagging APIs, with AWS's limits), and keys (1,024 bytes).
 */
import { AwsError } from '../../../core/errors.js';
import { invalidRequest, keyTooLong } from './errors.js';

export interface Tag { Key: string; Value: string }

export interface ObjectAttributes {
  contentType?: string;
  contentEncoding?: string;
  contentDisposition?: string;
  contentLanguage?: string;
  cacheControl?: string;
  expires?: number;
  websiteRedirectLocation?: string;
  metadata: Record<string, string>;
  storageClass: string;
}

export interface AttributeInput {
  ContentType?: string;
  ContentEncoding?: string;
  ContentDisposition?: string;
  ContentLanguage?: string;
  CacheControl?: string;
  Expires?: Date;
  WebsiteRedirectLocation?: string;
  Metadata?: Record<string, string>;
  StorageClass?: string;
}

const STORAGE_CLASSES = new Set(['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'ONEZONE_IA', 'INTELLIGENT_TIERING', 'GLACIER', 'DEEP_ARCHIVE', 'OUTPOSTS', 'GLACIER_IR', 'SNOW', 'EXPRESS_ONEZONE', 'FSX_OPENZFS', 'FSX_ONTAP']);
const MAX_METADATA = 2048;

export function checkKey(key: string): void {
  const size = Buffer.byteLength(key, 'utf8');
  if (size > 1024) throw keyTooLong(size);
}

/** aws-chunked is transport framing, not a property of the object. */
function storedEncoding(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const rest = v.split(',').map((s) => s.trim()).filter((s) => s && s.toLowerCase() !== 'aws-chunked');
  return rest.length ? rest.join(',') : undefined;
}

export function checkStorageClass(storageClass: string): void {
  if (!STORAGE_CLASSES.has(storageClass)) throw new AwsError('InvalidStorageClass', 'The storage class you specified is not valid', 400, { fields: { StorageClassRequested: storageClass } });
}

/** Validated attributes; fields that are absent stay absent. */
export function objectAttributes(input: AttributeInput): ObjectAttributes {
  const storageClass = input.StorageClass ?? 'STANDARD';
  checkStorageClass(storageClass);
  const metadata = input.Metadata ?? {};
  const metaSize = Object.entries(metadata).reduce((n, [k, v]) => n + k.length + v.length, 0);
  if (metaSize > MAX_METADATA) throw new AwsError('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, { fields: { Size: metaSize, MaxSizeAllowed: MAX_METADATA } });
  const a: ObjectAttributes = { metadata, storageClass };
  if (input.ContentType) a.contentType = input.ContentType;
  const enc = storedEncoding(input.ContentEncoding);
  if (enc) a.contentEncoding = enc;
  if (input.ContentDisposition) a.contentDisposition = input.ContentDisposition;
  if (input.ContentLanguage) a.contentLanguage = input.ContentLanguage;
  if (input.CacheControl) a.cacheControl = input.CacheControl;
  if (input.Expires) a.expires = input.Expires.getTime();
  if (input.WebsiteRedirectLocation) a.websiteRedirectLocation = input.WebsiteRedirectLocation;
  return a;
}

const invalidTag = (message: string) => new AwsError('InvalidTag', message, 400);

/** AWS's tag rules; `max` is 10 for objects, 50 for buckets. */
export function checkTags(tags: Tag[], max: number, kind: 'object' | 'bucket'): Tag[] {
  if (tags.length > max) throw invalidTag(kind === 'object' ? 'Object tags cannot be greater than 10' : 'Bucket tag count cannot be greater than 50');
  const seen = new Set<string>();
  for (const t of tags) {
    if (typeof t.Key !== 'string' || typeof t.Value !== 'string') throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    if (t.Key.length === 0 || [...t.Key].length > 128) throw invalidTag('The TagKey you have provided is too long, max 128');
    if ([...t.Value].length > 256) throw invalidTag('The TagValue you have provided is too long, max 256');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidTag('Your TagKey cannot be prefixed with aws:');
    if (seen.has(t.Key)) throw invalidTag('Cannot provide multiple Tags with the same key');
    seen.add(t.Key);
  }
  return tags.map((t) => ({ Key: t.Key, Value: t.Value }));
}

/** x-amz-tagging: a URL query string of tags. */
export function parseTaggingHeader(tagging: string | undefined): Tag[] | undefined {
  if (!tagging) return undefined;
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const [Key, Value] of new URLSearchParams(tagging)) {
    if (seen.has(Key)) throw invalidRequest('Cannot provide multiple Tags with the same key');
    seen.add(Key);
    tags.push({ Key, Value });
  }
  const checked = checkTags(tags, 10, 'object');
  return checked.length ? checked : undefined;
}
