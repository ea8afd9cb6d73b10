/**
 * Browser-form uploads: `POST /<bucket>` with multipart/form-data (S3's "POST Object"), parsed
 * with busboy as it streams. The fields before the file are read; the policy document (if any)
 * is checked — signature (SigV4 `x-amz-signature` or SigV2 `signature`, verified when the key's
 * secret is known), expiration on the virtual clock, conditions, no uncovered field — then the
 * file is streamed into the object by the PutObject handler itself (same access checks, ACLs,
 * encryption and events), with content-length-range enforced while it streams. Answers 204, or
 * 200/201 (`success_action_status`; 201 with a PostResponse document), or 303 to
 * `success_action_redirect`.
 */
import { Readable, Transform, type TransformCallback } from 'node:stream';
import busboy from 'busboy';
import { AwsError } from '../../../core/errors.js';
import { accountForAccessKey } from '../../../core/accounts.js';
import { hostId } from '../../../core/ids.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { OperationHandler } from '../../service.js';
import { sendResponse } from '../../../protocol/rest/send.js';
import { readXml, writeXml } from '../../../protocol/xml.js';
import { noSuchBucket } from '../domain/errors.js';
import type { S3State } from '../state.js';
import { checkPostLength, checkPostPolicy, parsePostPolicy, type PostPolicy } from '../domain/post-policy.js';
import { secretFor, verifyPostSignature } from '../domain/presign.js';
import { authorize } from '../../iam/internal.js';

const missingField = (name: string) =>
  new AwsError('InvalidArgument', `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, 400, { fields: { ArgumentName: name, ArgumentValue: '' } });
const malformedPost = () => new AwsError('MalformedPOSTRequest', 'The body of your POST request is not well-formed multipart/form-data.', 400);

interface Form { fields: Map<string, string>; file: Readable; filename: string; finished: Promise<void> }

/** The fields up to the file part, and the file as a stream (fields after it are ignored, as S3 does). */
function readForm(ctx: RequestContext): Promise<Form> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: ctx.req.headers, limits: { files: 1, fieldSize: 1024 * 1024 } });
    } catch {
      reject(malformedPost());
      return;
    }
    const fields = new Map<string, string>();
    let fileSeen = false;
    let done!: () => void;
    let failed!: (e: unknown) => void;
    const finished = new Promise<void>((res, rej) => {
      done = res;
      failed = rej;
    });
    finished.catch(() => undefined);
    const give = (file: Readable, filename: string) => {
      fileSeen = true;
      file.on('error', () => undefined); // a cut-off form: reported to whoever reads the file (postObject)
      resolve({ fields, file, filename, finished });
    };
    bb.on('field', (name, value) => {
      if (fileSeen) return;
      if (name.toLowerCase() === 'file') give(Readable.from([Buffer.from(value, 'utf8')]), '');
      else fields.set(name.toLowerCase(), value);
    });
    bb.on('file', (name, stream, info) => {
      if (fileSeen || name.toLowerCase() !== 'file') {
        stream.resume();
        return;
      }
      give(stream, info.filename ?? '');
    });
    bb.on('error', () => {
      const e = malformedPost();
      failed(e);
      reject(e);
    });
    bb.on('close', () => {
      done();
      if (!fileSeen) reject(new AwsError('InvalidArgument', 'POST requires exactly one file upload per request.', 400, { fields: { ArgumentName: 'file', ArgumentValue: '0' } }));
    });
    ctx.req.pipe(bb);
  });
}

/** content-length-range while the file streams: too large fails at once, too small at the end. */
function lengthGuard(policy: PostPolicy | undefined): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb: TransformCallback) {
      size += chunk.length;
      const max = policy?.lengthRange?.[1];
      if (max !== undefined && size > max) {
        cb(errorOf(() => checkPostLength(policy!, size)));
        return;
      }
      cb(null, chunk);
    },
    flush(cb: TransformCallback) {
      cb(policy ? errorOf(() => checkPostLength(policy, size)) : null);
    },
  });
}

function errorOf(f: () => void): Error | null {
  try {
    f();
    return null;
  } catch (e) {
    return e as Error;
  }
}

/** `<Tagging><TagSet><Tag>…` as the `k=v&…` form PutObject's x-amz-tagging takes. */
function taggingQuery(xml: string): string {
  const tree = readXml(xml) as { Tagging?: { TagSet?: { Tag?: unknown } } };
  const tags = tree.Tagging?.TagSet?.Tag;
  const list = (Array.isArray(tags) ? tags : tags ? [tags] : []) as { Key?: unknown; Value?: unknown }[];
  return new URLSearchParams(list.map((t) => [String(t.Key ?? ''), String(t.Value ?? '')])).toString();
}

/** The PutObject input a form's fields describe. */
function putInput(bucket: string, key: string, f: Map<string, string>, body: Readable): Record<string, unknown> {
  const metadata: Record<string, string> = {};
  for (const [k, v] of f) if (k.startsWith('x-amz-meta-')) metadata[k.slice('x-amz-meta-'.length)] = v;
  const input: Record<string, unknown> = { Bucket: bucket, Key: key, Body: body, Metadata: metadata };
  const map: [string, string][] = [
    ['content-type', 'ContentType'], ['cache-control', 'CacheControl'], ['content-disposition', 'ContentDisposition'],
    ['content-encoding', 'ContentEncoding'], ['content-language', 'ContentLanguage'], ['acl', 'ACL'],
    ['x-amz-storage-class', 'StorageClass'], ['x-amz-website-redirect-location', 'WebsiteRedirectLocation'],
    ['x-amz-server-side-encryption', 'ServerSideEncryption'], ['x-amz-server-side-encryption-aws-kms-key-id', 'SSEKMSKeyId'],
    ['x-amz-object-lock-mode', 'ObjectLockMode'], ['x-amz-object-lock-legal-hold', 'ObjectLockLegalHoldStatus'],
  ];
  for (const [field, member] of map) if (f.has(field)) input[member] = f.get(field);
  if (f.has('expires')) {
    const d = new Date(f.get('expires')!);
    if (!Number.isNaN(d.getTime())) input.Expires = d;
  }
  if (f.has('x-amz-object-lock-retain-until-date')) input.ObjectLockRetainUntilDate = new Date(f.get('x-amz-object-lock-retain-until-date')!);
  if (f.has('tagging')) input.Tagging = taggingQuery(f.get('tagging')!);
  return input;
}

/** The bucket a POST names: the virtual host's, or the path's only segment. */
function bucketOfPost(ctx: RequestContext): string {
  const segs = ctx.rawPath.split('/').filter(Boolean);
  if (ctx.hostBucket && segs.length === 0) return ctx.hostBucket;
  if (!ctx.hostBucket && segs.length === 1) return decodeURIComponent(segs[0]!);
  throw new AwsError('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { fields: { Method: 'POST', ResourceType: 'OBJECT' } });
}

/** Who signed the form's policy: sets the request's key and account, and verifies the signature when it can. */
function authenticate(state: S3State, ctx: RequestContext, f: Map<string, string>): void {
  const policy = f.get('policy')!;
  const v4 = f.has('x-amz-algorithm') || f.has('x-amz-credential');
  if (v4) {
    for (const name of ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Date', 'X-Amz-Signature']) if (!f.has(name.toLowerCase())) throw missingField(name);
    if (f.get('x-amz-algorithm') !== 'AWS4-HMAC-SHA256') throw new AwsError('InvalidArgument', 'Bucket POST with an unsupported X-Amz-Algorithm.', 400, { fields: { ArgumentName: 'X-Amz-Algorithm', ArgumentValue: f.get('x-amz-algorithm')! } });
    const cred = f.get('x-amz-credential')!.split('/');
    if (cred.length !== 5 || cred[4] !== 'aws4_request') throw new AwsError('InvalidArgument', 'Invalid argument.', 400, { fields: { ArgumentName: 'X-Amz-Credential', ArgumentValue: f.get('x-amz-credential')! } });
    ctx.accessKeyId = cred[0]!;
  } else {
    if (!f.has('awsaccesskeyid')) throw missingField('AWSAccessKeyId');
    if (!f.has('signature')) throw missingField('Signature');
    ctx.accessKeyId = f.get('awsaccesskeyid')!;
  }
  ctx.accountId = accountForAccessKey(ctx.accessKeyId, state.rt.config.accountId);
  const secret = secretFor(state.rt.store, ctx, ctx.accessKeyId);
  if (secret !== undefined) {
    verifyPostSignature(secret, policy, {
      ...(v4 ? { algorithm: f.get('x-amz-algorithm'), credential: f.get('x-amz-credential'), signature: f.get('x-amz-signature') } : {}),
      v2Key: f.get('awsaccesskeyid'),
      v2Signature: f.get('signature'),
    });
  }
}

/**
 * IAM enforcement (soft | enforce) for a form's signer: POST uploads do not pass the gateway's
 * authorize step (they are not an API operation), so S3 asks IAM's engine here, as s3:PutObject.
 */
function identityCheck(state: S3State, ctx: RequestContext, bucket: string, key: string): void {
  const mode = state.rt.config.iamEnforcement;
  if (mode === 'off' || !ctx.accessKeyId) return;
  const d = authorize({ store: state.rt.store, ctx, action: 's3:PutObject', resource: `arn:aws:s3:::${bucket}/${key}`, now: state.rt.clock.now() });
  const allowed = d.decision === 'allowed';
  ctx.iam = { decision: allowed ? 'allow' : 'deny', reason: d.message ?? d.reason };
  if (!allowed && mode === 'enforce') throw new AwsError('AccessDenied', d.message ?? 'Access Denied', 403);
}

export async function postObject(state: S3State, ctx: RequestContext, putObject: OperationHandler): Promise<void> {
  ctx.operationName = 'PostObject';
  const bucket = bucketOfPost(ctx);
  if (!state.bucketByName(bucket)) throw noSuchBucket(bucket);
  const form = await readForm(ctx);
  const f = form.fields;
  try {
    if (!f.has('key')) throw missingField('key');
    const key = f.get('key')!.replace(/\$\{filename\}/g, form.filename);
    let policy: PostPolicy | undefined;
    if (f.has('policy')) {
      authenticate(state, ctx, f);
      if (ctx.accessKeyId?.startsWith('ASIA') || ctx.accessKeyId?.startsWith('AKIA')) (await import('../../sts/internal.js')).assertSessionValid(state.rt.store, ctx, state.rt.clock.now());
      policy = parsePostPolicy(f.get('policy')!);
      checkPostPolicy(policy, new Map([...f, ['key', key]]), bucket, state.rt.clock.now());
    }
    identityCheck(state, ctx, bucket, key);
    const body = form.file.pipe(lengthGuard(policy));
    form.file.on('error', () => body.destroy(malformedPost()));
    body.on('error', () => undefined); // the write reading it reports it; a refused write never reads it
    if (form.file.errored) body.destroy(malformedPost()); // cut off before we got here
    const out = (await putObject(putInput(bucket, key, f, body), ctx)) as { ETag?: string; VersionId?: string };
    await state.rt.store.committed();
    await respond(ctx, f, bucket, key, out);
  } catch (e) {
    form.file.resume();
    throw e;
  }
}

async function respond(ctx: RequestContext, f: Map<string, string>, bucket: string, key: string, out: { ETag?: string; VersionId?: string }): Promise<void> {
  const etag = out.ETag ?? '';
  const location = `${ctx.baseUrl}/${ctx.hostBucket ? '' : `${encodeURIComponent(bucket)}/`}${key.split('/').map(encodeURIComponent).join('/')}`;
  const headers: Record<string, string> = { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId(), server: 'AmazonS3', etag, location };
  if (out.VersionId) headers['x-amz-version-id'] = out.VersionId;
  const redirect = f.get('success_action_redirect') ?? f.get('redirect');
  if (redirect) {
    try {
      const url = new URL(redirect);
      url.searchParams.set('bucket', bucket);
      url.searchParams.set('key', key);
      url.searchParams.set('etag', etag);
      return sendResponse(ctx, 303, { ...headers, location: url.toString() }, undefined);
    } catch {
      // not an absolute URL: S3 ignores it and answers as if there were none
    }
  }
  const status = f.get('success_action_status');
  if (status === '201') {
    const xml = writeXml('PostResponse', { Location: location, Bucket: bucket, Key: key, ETag: etag });
    return sendResponse(ctx, 201, headers, xml, 'application/xml');
  }
  return sendResponse(ctx, status === '200' ? 200 : 204, headers, undefined);
}
