/**
 * Server access log records in S3's format: space-separated fields, `-` for anything not
 * applicable, quoted Request-URI / Referer / User-Agent, the time in brackets as
 * `[06/Feb/2019:00:00:38 +0000]`. The operation is `REST.<METHOD>.<RESOURCE TYPE>`.
 * And the names of the log objects (SimplePrefix and PartitionedPrefix key formats).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LoggingEnabled } from '../generated/types.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `[06/Feb/2019:00:00:38 +0000]` */
export function logTime(ms: number): string {
  const d = new Date(ms);
  return `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
}

/** Resource types of bucket and object sub-resources, as S3 writes them in the Operation field. */
const SUBRESOURCES: [string, string, string?][] = [
  // [query parameter, bucket resource type, object resource type]
  ['versioning', 'VERSIONING'], ['logging', 'LOGGING_STATUS'], ['policyStatus', 'BUCKETPOLICYSTATUS'], ['policy', 'BUCKETPOLICY'],
  ['acl', 'ACL', 'ACL'], ['location', 'LOCATION'], ['tagging', 'TAGGING', 'OBJECT_TAGGING'], ['cors', 'CORS'], ['lifecycle', 'LIFECYCLE'],
  ['notification', 'NOTIFICATION'], ['encryption', 'ENCRYPTION'], ['website', 'WEBSITE'], ['replication', 'REPLICATION'],
  ['accelerate', 'ACCELERATE'], ['requestPayment', 'REQUEST_PAYMENT'], ['object-lock', 'OBJECT_LOCK_CONFIGURATION'],
  ['publicAccessBlock', 'PUBLIC_ACCESS_BLOCK'], ['ownershipControls', 'OWNERSHIP_CONTROLS'], ['inventory', 'INVENTORY'],
  ['analytics', 'ANALYTICS'], ['metrics', 'METRICS'], ['intelligent-tiering', 'INTELLIGENT_TIERING'], ['versions', 'BUCKETVERSIONS'],
  ['delete', 'MULTI_OBJECT_DELETE'], ['uploads', 'UPLOADS', 'UPLOADS'], ['retention', '', 'OBJECT_LOCK_RETENTION'],
  ['legal-hold', '', 'OBJECT_LOCK_LEGAL_HOLD'], ['restore', '', 'RESTORE'], ['attributes', '', 'OBJECT_ATTRIBUTES'], ['torrent', '', 'TORRENT'],
];

/** `REST.GET.OBJECT`, `REST.PUT.PART`, `REST.GET.VERSIONING`, `REST.COPY.OBJECT`, … */
export function logOperation(method: string, query: URLSearchParams, hasKey: boolean, copy: boolean): string {
  const m = copy ? 'COPY' : method;
  if (hasKey) {
    if (query.has('uploadId')) return `REST.${m}.${method === 'PUT' ? 'PART' : 'UPLOAD'}`;
    for (const [q, , obj] of SUBRESOURCES) if (obj && query.has(q)) return `REST.${m}.${obj}`;
    return `REST.${m}.OBJECT`;
  }
  for (const [q, bucket] of SUBRESOURCES) if (bucket && query.has(q)) return `REST.${m}.${bucket}`;
  return `REST.${m}.BUCKET`;
}

export interface LogRecord {
  bucketOwner: string;
  bucket: string;
  time: number;
  remoteIp?: string;
  /** canonical user id, IAM ARN, or undefined for anonymous */
  requester?: string;
  requestId: string;
  operation: string;
  key?: string;
  requestUri: string;
  status: number;
  errorCode?: string;
  bytesSent?: number;
  objectSize?: number;
  totalTime: number;
  turnAround?: number;
  referer?: string;
  userAgent?: string;
  versionId?: string;
  signatureVersion?: string;
  authType?: string;
  host?: string;
  aclRequired?: boolean;
}

const dash = (v: string | number | undefined) => (v === undefined || v === '' ? '-' : String(v));
const quoted = (v: string | undefined) => `"${v === undefined || v === '' ? '-' : v.replace(/"/g, '\\"')}"`;
/** Keys are URL-encoded in the Key field (`/` kept). */
const encodeKey = (k: string) => encodeURIComponent(k).replace(/%2F/g, '/');

/** S3's Host Id for a request (base64, stable per request id). */
export const hostIdOf = (requestId: string) => createHash('sha256').update(`gureum-host:${requestId}`).digest('base64');

/** One line (without the newline). */
export function formatLogRecord(r: LogRecord): string {
  return [
    r.bucketOwner, r.bucket, logTime(r.time), dash(r.remoteIp), dash(r.requester), r.requestId, r.operation,
    r.key === undefined ? '-' : encodeKey(r.key), quoted(r.requestUri), String(r.status), dash(r.errorCode),
    r.bytesSent ? String(r.bytesSent) : '-', dash(r.objectSize), String(r.totalTime), dash(r.turnAround),
    quoted(r.referer), quoted(r.userAgent), dash(r.versionId), hostIdOf(r.requestId), dash(r.signatureVersion),
    '-', dash(r.authType), dash(r.host), '-', '-', r.aclRequired ? 'Yes' : '-',
  ].join(' ');
}

/** 16 upper-case hex digits (the UniqueString of a log object's name). */
const uniqueString = () => randomBytes(8).toString('hex').toUpperCase();

/** `YYYY-mm-DD-HH-MM-SS` */
const stamp = (ms: number) => {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
};

/**
 * The key of a delivered log object: `[TargetPrefix]YYYY-mm-DD-HH-MM-SS-UniqueString`, or with
 * PartitionedPrefix `[TargetPrefix][SourceAccountId]/[SourceRegion]/[SourceBucket]/YYYY/MM/DD/…`
 * dated by the records' event time or by the delivery time.
 */
export function logObjectKey(c: LoggingEnabled, source: { account: string; region: string; bucket: string }, delivered: number, firstEvent: number): string {
  const name = `${stamp(delivered)}-${uniqueString()}`;
  const partitioned = c.TargetObjectKeyFormat?.PartitionedPrefix;
  if (!partitioned) return `${c.TargetPrefix ?? ''}${name}`;
  const d = new Date(partitioned.PartitionDateSource === 'DeliveryTime' ? delivered : firstEvent);
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  return `${c.TargetPrefix ?? ''}${source.account}/${source.region}/${source.bucket}/${date}/${name}`;
}
