/**
 * The handler chain: one RequestContext per request, through
 *   request id → internal routes → CORS → detect service → credentials → protocol parse →
 *   authorize → dispatch → commit → serialize (or AWS-shaped error) → log.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { requestId as newRequestId } from '../core/ids.js';
import { AwsError, isAwsError, notImplemented } from '../core/errors.js';
import { accountForAccessKey } from '../core/accounts.js';
import type { RequestContext } from './context.js';
import type { Runtime } from './runtime.js';
import type { ServiceInstance } from '../services/service.js';
import { readSigV2AccessKey, readSigV4 } from './sigv4.js';
import { bucketFromHost, isWebsiteHost, cborPath, entriesBySigningName, entryByHost, entryById, entryByTarget, protocolFor } from './detect.js';
import { loadModel } from '../protocol/models.js';
import { loadProtocol, loadedProtocol, type Protocol } from '../protocol/protocol.js';
import type { ModelIndexEntry, ServiceModel } from '../protocol/model.js';
import { readBody } from './body.js';
import { applyCors, isPreflight, answerPreflight } from './cors.js';
import { handleControl } from '../control/control.js';
import { logRequest } from './log.js';
import { resolveRestOperation } from '../protocol/rest/router.js';
import { fallbackError } from './fallback-error.js';
import { parseForm } from '../protocol/form.js';

export function createGateway(rt: Runtime) {
  rt.internalCall = (service, operation, input, scope) => callInternal(rt, service, operation, input, scope);
  return (req: IncomingMessage, res: ServerResponse) => {
    handle(rt, req, res).catch((err) => {
      // Last line of defence: never crash, never hang.
      console.error('[gureum] unhandled gateway error', err);
      if (!res.headersSent) {
        res.statusCode = 500;
        res.end();
      } else res.destroy();
    });
  };
}

async function handle(rt: Runtime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const rawPath = q < 0 ? url : url.slice(0, q);
  const host = req.headers.host ?? `${rt.config.host}:${rt.config.port}`;
  const ctx: RequestContext = {
    requestId: newRequestId(),
    req,
    res,
    runtime: rt,
    method: req.method ?? 'GET',
    rawPath,
    query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
    host,
    baseUrl: `http://${host}`,
    startedAt: performance.now(),
    accountId: rt.config.accountId,
    region: rt.config.defaultRegion,
  };

  if (rawPath.startsWith('/_gureum/') || rawPath === '/_gureum' || rawPath.startsWith('/_localstack/')) {
    await handleControl(ctx);
    return;
  }
  applyCors(ctx);
  if (isPreflight(req)) {
    answerPreflight(ctx);
    return;
  }

  let model: ServiceModel | undefined;
  let protocol: Protocol | undefined;
  try {
    // A malformed SigV4 header or presigned query is answered in the protocol of the service it
    // was meant for: detect the service first (from what else the request says), then fail.
    let authError: AwsError | undefined;
    try {
      ctx.auth = readSigV4(req.headers, ctx.query);
    } catch (e) {
      if (!isAwsError(e)) throw e;
      authError = e;
    }
    ctx.accessKeyId = ctx.auth?.accessKeyId ?? readSigV2AccessKey(req.headers, ctx.query);
    ctx.accountId = accountForAccessKey(ctx.accessKeyId, rt.config.accountId);
    if (ctx.auth?.region) ctx.region = ctx.auth.region;

    // The hot path stays synchronous up to the handler: await only what is really pending.
    const detected = detect(ctx, rt, authError ? signingNameHint(req.headers['authorization'], ctx.query) : undefined);
    const entry = detected instanceof Promise ? await detected : detected;
    if (!entry) throw new AwsError('UnknownService', `gureum could not tell which AWS service this request is for (${ctx.method} ${rawPath}).`, 400);
    model = loadModel(entry.id);
    ctx.service = model;
    ctx.protocol = protocolFor(entry, req.headers, rawPath);
    protocol = loadedProtocol(ctx.protocol) ?? (await loadProtocol(ctx.protocol));
    if (authError) throw authError;
    if (model.id === 's3' && !ctx.hostBucket) ctx.hostBucket = bucketFromHost(host);
    // Website endpoints and browser-form POST uploads are S3 requests outside its API model.
    if (model.id === 's3' && (isWebsiteHost(host) || (ctx.method === 'POST' && /^multipart\/form-data/i.test(req.headers['content-type'] ?? '')))) {
      await (await import('../services/s3/internal.js')).serveS3Raw(await rt.instance('s3'), ctx);
      return;
    }

    if (protocol.needsBody && ctx.body === undefined) {
      const body = readBody(req, rt.config.maxBodyBytes);
      ctx.body = body instanceof Promise ? await body : body;
    }
    const opName = protocol.resolveOperation(ctx, model);
    const op = opName ? model.operations[opName] : undefined;
    if (!opName || !op) throw unknownOperation(model, opName, ctx.protocol);
    ctx.operationName = opName;
    ctx.operation = op;
    if (!protocol.needsBody && !op.streamingInput && ctx.body === undefined) {
      const body = readBody(req, rt.config.maxBodyBytes);
      ctx.body = body instanceof Promise ? await body : body;
    }

    // Temporary credentials minted by our STS expire on the virtual clock, for every service;
    // IAM users' keys (AKIA…) are refused once deleted or Inactive, and their last use recorded.
    // Their signatures are verified too (gureum knows those secrets); S3 checks its presigned URLs itself.
    if (ctx.accessKeyId?.startsWith('ASIA') || ctx.accessKeyId?.startsWith('AKIA')) {
      const sts = await import('../services/sts/internal.js');
      sts.assertSessionValid(rt.store, ctx, rt.clock.now());
      if (ctx.auth && !(ctx.auth.presigned && model.id === 's3') && !(op.streamingInput && ctx.req.headers['x-amz-content-sha256'] === undefined)) {
        const secret = sts.secretForAccessKey(rt.store, ctx, ctx.auth.accessKeyId);
        if (secret !== undefined) (await import('./sigv4-verify.js')).verifySigV4(ctx, model, secret);
      }
    }
    const parsed = protocol.parse(ctx, model, op);
    const input = parsed instanceof Promise ? await parsed : parsed;
    // IAM (iamEnforcement soft|enforce): the module is loaded only then; off costs one comparison.
    if (rt.config.iamEnforcement !== 'off' && !ctx.internal) (await import('./authorize.js')).authorizeRequest(rt, ctx, model, opName, input);
    const result = dispatch(rt, ctx, model, opName, input);
    const output = result instanceof Promise ? await result : result;
    await rt.store.committed();
    const sent = protocol.serialize(ctx, model, op, output as Record<string, unknown> | undefined);
    if (sent instanceof Promise) await sent;
  } catch (e) {
    // A client that went away mid-body is not an internal failure (whoever was reading it).
    const err = !isAwsError(e) && req.destroyed && !req.complete ? incompleteBody() : toAwsError(e);
    if (!req.readableEnded) res.setHeader('connection', 'close');
    if (res.headersSent) res.destroy();
    else if (protocol) protocol.serializeError(ctx, model, err);
    else fallbackError(ctx, err);
  } finally {
    logRequest(rt, ctx);
  }
}

/** The signing name in a credential scope too malformed to read as a whole ("…/<region>/<service>/…"). */
function signingNameHint(authorization: string | undefined, query: URLSearchParams): string | undefined {
  const cred = /Credential=([^,\s]+)/.exec(authorization ?? '')?.[1] ?? query.get('X-Amz-Credential') ?? '';
  const parts = cred.split('/');
  return parts.length >= 4 && /^[a-z0-9-]+$/.test(parts[3]!) ? parts[3] : undefined;
}

/** Synchronous unless the form body must be read to tell services apart (by Version). */
function detect(ctx: RequestContext, rt: Runtime, signingHint?: string): ModelIndexEntry | undefined | Promise<ModelIndexEntry | undefined> {
  const { req } = ctx;
  const target = req.headers['x-amz-target'];
  const signing = ctx.auth?.service ?? signingHint;
  if (typeof target === 'string') {
    const e = entryByTarget(target);
    if (e) return e;
  }
  const cbor = cborPath(ctx.rawPath);
  if (cbor) return cbor.entry;
  const candidates = signing ? entriesBySigningName(signing) : [];
  if (candidates.length === 1) return candidates[0];
  if (candidates.length > 1) return detectAmong(ctx, rt, candidates);
  if (!signing) return detectUnsigned(ctx, rt);
  return undefined;
}

async function detectAmong(ctx: RequestContext, rt: Runtime, candidates: ModelIndexEntry[]): Promise<ModelIndexEntry | undefined> {
  // Query services sharing a signing name differ by Version (elb / elbv2).
  if (candidates.some((c) => c.protocol === 'query' || c.protocol === 'ec2')) {
    const version = await formVersion(ctx, rt);
    const byVersion = version && candidates.find((c) => c.apiVersion === version);
    if (byVersion) return byVersion;
  }
  for (const c of candidates) if ((c.protocol === 'rest-json' || c.protocol === 'rest-xml') && resolveRestOperation(ctx, loadModel(c.id))) return c;
  return candidates[0];
}

function detectUnsigned(ctx: RequestContext, rt: Runtime): ModelIndexEntry | undefined | Promise<ModelIndexEntry | undefined> {
  if (isWebsiteHost(ctx.host)) return entryById('s3');
  const byHost = entryByHost(ctx.host);
  if (byHost) return byHost;
  if (bucketFromHost(ctx.host)) return entryById('s3');
  return detectByVersion(ctx, rt);
}

async function detectByVersion(ctx: RequestContext, rt: Runtime): Promise<ModelIndexEntry | undefined> {
  const version = await formVersion(ctx, rt);
  if (version) {
    const e = [...(await import('../protocol/models.js')).modelIndex().services].find((s) => s.apiVersion === version && (s.protocol === 'query' || s.protocol === 'ec2' || s.protocols.includes('query')));
    if (e) return e;
  }
  // Anonymous requests with nothing else to go on are S3's (public objects, POST uploads).
  return entryById('s3');
}

/** Version from a form-encoded body (reads the body; later steps reuse ctx.body). */
async function formVersion(ctx: RequestContext, rt: Runtime): Promise<string | undefined> {
  const fromQuery = ctx.query.get('Version');
  if (fromQuery) return fromQuery;
  const ct = ctx.req.headers['content-type'] ?? '';
  if (ctx.method !== 'POST' || !ct.startsWith('application/x-www-form-urlencoded')) return undefined;
  ctx.body ??= await readBody(ctx.req, rt.config.maxBodyBytes);
  return parseForm(ctx.body).get('Version') ?? undefined;
}

/** The handler's result (a promise only when the handler or the first load of its service is asynchronous). */
function dispatch(rt: Runtime, ctx: RequestContext, model: ServiceModel, opName: string, input: Record<string, unknown>): unknown {
  const inst = rt.instanceIfLoaded(model.id);
  if (!inst) return rt.instance(model.id).then((loaded) => callHandler(loaded, ctx, model, opName, input));
  return callHandler(inst, ctx, model, opName, input);
}

function callHandler(inst: ServiceInstance | undefined, ctx: RequestContext, model: ServiceModel, opName: string, input: Record<string, unknown>): unknown {
  const handler = inst?.handlers[opName];
  if (!handler) throw notImplemented(model.id, opName);
  return handler(input, ctx);
}

/** Cross-service calls: same dispatch path, no HTTP. */
async function callInternal(rt: Runtime, service: string, operation: string, input: Record<string, unknown>, scope: { account: string; region: string }): Promise<unknown> {
  const model = loadModel(service);
  const op = model.operations[operation];
  if (!op) throw unknownOperation(model, operation);
  const ctx = {
    requestId: newRequestId(),
    runtime: rt,
    method: 'POST',
    rawPath: '/',
    query: new URLSearchParams(),
    host: `${rt.config.host}:${rt.config.port}`,
    baseUrl: `http://${rt.config.host}:${rt.config.port}`,
    startedAt: performance.now(),
    accountId: scope.account,
    region: scope.region || rt.config.defaultRegion,
    service: model,
    operationName: operation,
    operation: op,
    internal: true,
  } as unknown as RequestContext;
  const out = await dispatch(rt, ctx, model, operation, input);
  await rt.store.committed();
  return out;
}

function unknownOperation(model: ServiceModel, name: string | undefined, protocol = model.protocol): AwsError {
  // By the protocol spoken: SQS over query answers InvalidAction like any query service.
  if (protocol === 'query' || protocol === 'ec2') {
    return name
      ? new AwsError('InvalidAction', `The action ${name} is not valid for this web service.`, 400)
      : new AwsError('MissingAction', 'The request must contain the parameter Action.', 400);
  }
  if (model.protocol === 'rest-json' || model.protocol === 'rest-xml') {
    return new AwsError(model.id === 's3' ? 'MethodNotAllowed' : 'UnknownOperationException', model.id === 's3' ? 'The specified method is not allowed against this resource.' : 'The requested operation is not recognized by this service.', model.id === 's3' ? 405 : 404);
  }
  return new AwsError('UnknownOperationException', name ? `Unknown operation ${name}` : 'Missing X-Amz-Target header', 400);
}

function incompleteBody(): AwsError {
  return new AwsError('IncompleteBody', 'The request body ended before the number of bytes given by Content-Length was received.', 400);
}

function toAwsError(e: unknown): AwsError {
  if (isAwsError(e)) return e;
  console.error('[gureum] internal error', e);
  return new AwsError('InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.', 500, { sender: false });
}
