/**
 * Static website hosting: Put/Get/DeleteBucketWebsite, and the website endpoint itself
 * (domain/website.ts says which hosts): anonymous GET/HEAD only, redirect-all, routing rules,
 * index documents for folders (and the 302 to the folder for `/dir`), objects' own
 * x-amz-website-redirect-location, the error document with the error's status, and S3's HTML
 * error pages. Access is S3's for an anonymous caller: the bucket policy or ACLs must make the
 * objects public (and a missing key is 403 unless the public may list the bucket).
 */
import type { Readable } from 'node:stream';
import { AwsError, isAwsError } from '../../../core/errors.js';
import { hostId as newHostId } from '../../../core/ids.js';
import type { RequestContext } from '../../../gateway/context.js';
import { sendResponse } from '../../../protocol/rest/send.js';
import type { S3Handlers } from '../generated/types.js';
import type { Bucket, ObjectRecord, S3State } from '../state.js';
import { checkBodyIntegrity } from '../domain/integrity.js';
import { checkConditions, parseRange } from '../domain/reads.js';
import { checkAccess } from '../domain/access.js';
import { checkWebsite, errorPage, matchRoutingRule, ruleRedirect, type WebsiteError } from '../domain/website.js';

type Handlers = Pick<Required<S3Handlers>, 'PutBucketWebsite' | 'GetBucketWebsite' | 'DeleteBucketWebsite'>;

export function websiteHandlers(state: S3State): Handlers {
  return {
    PutBucketWebsite(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      checkBodyIntegrity(ctx, true);
      state.updateBucket(b, { website: checkWebsite(input.WebsiteConfiguration) });
    },

    GetBucketWebsite(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      if (!b.record.website) throw noWebsite(b.record.name);
      return { ...b.record.website };
    },

    DeleteBucketWebsite(input, ctx) {
      const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
      state.updateBucket(b, { website: undefined });
    },
  };
}

const noWebsite = (bucket: string) =>
  new AwsError('NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', 404, { fields: { BucketName: bucket } });

const asError = (status: number, code: string, message: string, fields?: Record<string, string>): WebsiteError => ({ status, code, message, ...(fields ? { fields } : {}) });
const noSuchKey = (key: string) => asError(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
const forbidden = () => asError(403, 'AccessDenied', 'Access Denied');

type Lookup = { obj: ObjectRecord } | { error: WebsiteError };

/** An object as the anonymous public may read it. */
function publicObject(state: S3State, ctx: RequestContext, b: Bucket, key: string): Lookup {
  try {
    checkAccess(state, ctx, b.record.name, key, 's3:GetObject', {}, undefined);
  } catch (e) {
    if (isAwsError(e) && e.status === 403) return { error: forbidden() };
    throw e;
  }
  const obj = state.getObject(b, key);
  return obj ? { obj } : { error: noSuchKey(key) };
}

/** Serves one request to a website endpoint; never throws (answers an HTML page instead). */
export async function serveWebsite(state: S3State, ctx: RequestContext, bucketName: string): Promise<void> {
  const requestId = ctx.requestId;
  const hostId = newHostId();
  const base = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId, server: 'AmazonS3' };
  ctx.operationName = 'WebsiteGetObject';

  const page = (e: WebsiteError, docError?: WebsiteError) => {
    ctx.errorCode = e.code;
    const html = errorPage(e, requestId, hostId, docError);
    return sendResponse(ctx, e.status, { ...base, 'content-type': 'text/html; charset=utf-8' }, html);
  };
  const redirect = (status: number, location: string) => sendResponse(ctx, status, { ...base, location }, undefined);

  if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
    return page(asError(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Method: ctx.method, ResourceType: 'OBJECT' }));
  }
  const b = state.bucketByName(bucketName);
  if (!b) return page(asError(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucketName }));
  const site = b.record.website;
  if (!site) return page(asError(404, 'NoSuchWebsiteConfiguration', 'The specified bucket does not have a website configuration', { BucketName: bucketName }));

  let path: string;
  try {
    path = decodeURIComponent(ctx.rawPath);
  } catch {
    return page(asError(400, 'InvalidURI', "Couldn't parse the specified URI.", { URI: ctx.rawPath }));
  }
  const requested = path.replace(/^\//, '');
  const host = ctx.host;

  if (site.RedirectAllRequestsTo) {
    const r = site.RedirectAllRequestsTo;
    return redirect(301, `${r.Protocol ?? 'http'}://${r.HostName}${ctx.rawPath}`);
  }
  const early = matchRoutingRule(site.RoutingRules, requested);
  if (early) {
    const r = ruleRedirect(early, requested, host);
    return redirect(r.status, r.location);
  }

  const suffix = site.IndexDocument!.Suffix;
  const key = requested === '' || requested.endsWith('/') ? requested + suffix : requested;
  const found = publicObject(state, ctx, b, key);
  if ('error' in found && found.error.status === 404 && key === requested) {
    // `/dir` where `dir/index.html` exists: 302 to the folder
    const folder = publicObject(state, ctx, b, `${key}/${suffix}`);
    if ('obj' in folder) return redirect(302, `/${encodeURI(key)}/`);
  }
  if ('obj' in found && found.obj.websiteRedirectLocation) return redirect(301, found.obj.websiteRedirectLocation);

  if ('error' in found) {
    const status = found.error.status;
    const onError = matchRoutingRule(site.RoutingRules, requested, status);
    if (onError) {
      const r = ruleRedirect(onError, requested, host);
      return redirect(r.status, r.location);
    }
    const docKey = site.ErrorDocument?.Key;
    if (!docKey) return page(found.error);
    const doc = publicObject(state, ctx, b, docKey);
    if ('error' in doc) return page(found.error, doc.error);
    return sendObject(state, ctx, doc.obj, status, base, page);
  }
  return sendObject(state, ctx, found.obj, 200, base, page);
}

async function sendObject(state: S3State, ctx: RequestContext, obj: ObjectRecord, status: number, base: Record<string, string>, page: (e: WebsiteError) => Promise<void>): Promise<void> {
  const headers: Record<string, string> = {
    ...base,
    'content-type': obj.contentType,
    etag: obj.etag,
    'last-modified': new Date(obj.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (obj.contentEncoding) headers['content-encoding'] = obj.contentEncoding;
  if (obj.contentDisposition) headers['content-disposition'] = obj.contentDisposition;
  if (obj.contentLanguage) headers['content-language'] = obj.contentLanguage;
  if (obj.cacheControl) headers['cache-control'] = obj.cacheControl;
  for (const [k, v] of Object.entries(obj.metadata)) headers[`x-amz-meta-${k}`] = v;
  let range: { start: number; end: number } | undefined;
  if (status === 200) {
    const h = ctx.req.headers;
    try {
      checkConditions(
        {
          IfMatch: h['if-match'],
          IfNoneMatch: h['if-none-match'],
          IfModifiedSince: h['if-modified-since'] ? new Date(h['if-modified-since']) : undefined,
          IfUnmodifiedSince: h['if-unmodified-since'] ? new Date(h['if-unmodified-since']) : undefined,
        },
        obj.etag, obj.lastModified, { ETag: obj.etag, 'Last-Modified': headers['last-modified']! },
      );
      range = parseRange(typeof h.range === 'string' ? h.range : undefined, obj.size);
    } catch (e) {
      if (!isAwsError(e)) throw e;
      if (e.status === 304) return sendResponse(ctx, 304, { ...base, ...e.headers }, undefined);
      return page({ status: e.status, code: e.code, message: e.message });
    }
  }
  if (range) {
    status = 206;
    headers['content-range'] = `bytes ${range.start}-${range.end}/${obj.size}`;
  }
  const length = range ? range.end - range.start + 1 : obj.size;
  headers['content-length'] = String(length);
  if (ctx.method === 'HEAD' || length === 0) return sendResponse(ctx, status, headers, Buffer.alloc(0));
  const body: Readable = await state.openObject(obj, range ?? { start: 0, end: obj.size - 1 });
  return sendResponse(ctx, status, headers, body);
}
