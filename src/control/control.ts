/**
 * The emulator's own control plane under /_gureum (and LocalStack's /_localstack/health and
 * /_localstack/init so existing tooling works). JSON in, JSON out.
 */
import type { RequestContext } from '../gateway/context.js';
import { readBody } from '../gateway/body.js';
import { parseDuration } from '../core/clock.js';
import { modelIndex } from '../protocol/models.js';
import { VERSION } from '../version.js';

type Json = object;

export async function handleControl(ctx: RequestContext): Promise<void> {
  try {
    const out = await route(ctx);
    if (ctx.res.headersSent) return; // a route that answered itself (e.g. a PEM file)
    if (out === undefined) return send(ctx, 404, { error: 'NotFound', message: `no control route ${ctx.method} ${ctx.rawPath}` });
    send(ctx, 200, out);
  } catch (e) {
    send(ctx, 400, { error: 'BadRequest', message: e instanceof Error ? e.message : String(e) });
  }
}

async function route(ctx: RequestContext): Promise<Json | undefined> {
  const rt = ctx.runtime;
  const path = ctx.rawPath.replace(/\/+$/, '');
  const m = ctx.method;
  if (path === '/_gureum/health' || path === '/_gureum') return health(ctx);
  if (path === '/_localstack/health') return localstackHealth(ctx);
  if (path === '/_localstack/init') return { completed: { BOOT: true, START: true, READY: true, SHUTDOWN: false }, scripts: [] };
  if (path === '/_gureum/clock') {
    if (m === 'GET') return rt.clock.state();
    if (m === 'POST') {
      const body = await jsonBody(ctx);
      if (body.freeze === true) rt.clock.freeze();
      if (body.resume === true || body.freeze === false) rt.clock.resume();
      if (body.scale !== undefined) rt.clock.setScale(Number(body.scale));
      if (body.set !== undefined) rt.clock.set(typeof body.set === 'number' ? body.set : Date.parse(String(body.set)));
      if (body.advance !== undefined) rt.clock.advance(parseDuration(body.advance as string | number));
      return rt.clock.state();
    }
  }
  if (path === '/_gureum/reset' && m === 'POST') {
    const service = ctx.query.get('service') ?? ((await jsonBody(ctx)).service as string | undefined);
    rt.reset(service || undefined);
    await rt.store.committed();
    return { reset: service || 'all' };
  }
  if (path.startsWith('/_gureum/reset/') && m === 'POST') {
    const service = decodeURIComponent(path.slice('/_gureum/reset/'.length));
    rt.reset(service);
    await rt.store.committed();
    return { reset: service };
  }
  if (path === '/_gureum/requests') {
    if (m === 'DELETE') {
      rt.requestLog.clear();
      return { cleared: true };
    }
    const limit = Number(ctx.query.get('limit') ?? 100);
    return { requests: rt.requestLog.recent(limit) };
  }
  if (path === '/_gureum/services') return { services: services(ctx) };
  if (path.startsWith('/_gureum/sns/')) return (await import('../services/sns/control.js')).snsControl(ctx, path, () => jsonBody(ctx));
  if (path.startsWith('/_gureum/ec2/')) return (await import('../services/ec2/control.js')).ec2Control(ctx, path, () => jsonBody(ctx));
  if (path.startsWith('/_gureum/iam/')) return (await import('../services/iam/control.js')).iamControl(ctx, path, () => jsonBody(ctx));
  return undefined;
}

function services(ctx: RequestContext) {
  return modelIndex().services.map((s) => ({
    id: s.id,
    name: s.sdkId,
    protocols: s.protocols,
    operations: s.operationCount,
    implemented: ctx.runtime.hasImplementation(s.id),
    loaded: ctx.runtime.instanceIfLoaded(s.id) !== undefined,
  }));
}

function health(ctx: RequestContext) {
  const rt = ctx.runtime;
  return {
    status: 'running',
    version: VERSION,
    endpoint: ctx.baseUrl,
    dataDir: rt.config.dataDir ?? null,
    persistence: !!rt.config.dataDir,
    accountId: rt.config.accountId,
    region: rt.config.defaultRegion,
    clock: rt.clock.state(),
    services: services(ctx).filter((s) => s.implemented).map((s) => s.id),
  };
}

function localstackHealth(ctx: RequestContext) {
  const svc: Record<string, string> = {};
  for (const s of services(ctx)) svc[s.id] = s.implemented ? (s.loaded ? 'running' : 'available') : 'disabled';
  return { services: svc, edition: 'community', version: `gureum-${VERSION}` };
}

async function jsonBody(ctx: RequestContext): Promise<Record<string, unknown>> {
  const buf = ctx.body ?? (ctx.body = await readBody(ctx.req, 1 << 20));
  if (!buf.length) return {};
  const v = JSON.parse(buf.toString('utf8'));
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw new Error('body must be a JSON object');
  return v as Record<string, unknown>;
}

function send(ctx: RequestContext, status: number, body: Json): void {
  const text = JSON.stringify(body);
  ctx.status = status;
  ctx.res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  ctx.res.end(text);
}
