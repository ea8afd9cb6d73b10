/**
 * Matches a REST request (method, path, query) to an operation of a rest-json or rest-xml
 * model from the operations' http traits, most specific template first, and extracts the
 * URI labels. S3 virtual-host requests are matched as if the bucket were the first segment.
 */
import type { RequestContext } from '../../gateway/context.js';
import type { ServiceModel } from '../model.js';

interface Segment { literal?: string; label?: string; greedy?: boolean }
interface Route {
  operation: string;
  method: string;
  segments: Segment[];
  query: [string, string | undefined][]; // required literals: key (=value)
  /** required input members bound to the query / headers: several S3 operations share a
   *  template and differ only by these (PutObject vs CopyObject's x-amz-copy-source,
   *  GetObject vs ListParts's uploadId) once the SDK-only x-id hint is ignored */
  requiredQuery: string[];
  requiredHeaders: string[];
  score: number;
}

export interface RestMatch { operation: string; labels: Record<string, string> }

const compiled = new WeakMap<ServiceModel, Map<string, Route[]>>();

function compile(model: ServiceModel): Map<string, Route[]> {
  const byMethod = new Map<string, Route[]>();
  for (const [name, op] of Object.entries(model.operations)) {
    if (!op.http) continue;
    const [pathPart, queryPart] = op.http.uri.split('?', 2) as [string, string | undefined];
    const segments: Segment[] = pathPart.split('/').slice(1).filter((s, i, all) => s !== '' || i < all.length - 1).map((s) => {
      const m = /^\{([^}+]+)(\+)?\}$/.exec(s);
      return m ? { label: m[1]!, greedy: !!m[2] } : { literal: s };
    });
    const query: [string, string | undefined][] = [];
    for (const kv of (queryPart ?? '').split('&')) {
      if (!kv) continue;
      const [k, v] = kv.split('=', 2) as [string, string | undefined];
      if (k === 'x-id') continue; // SDK-only hint; boto3 and the CLI do not send it
      query.push([k, v]);
    }
    const requiredQuery: string[] = [];
    const requiredHeaders: string[] = [];
    const input = op.input ? model.shapes[op.input] : undefined;
    if (input && input.type === 'structure') {
      for (const [mn, m] of Object.entries(input.members)) {
        if (!m.required) continue;
        if (m.location === 'query' && !query.some(([k]) => k === (m.locationName ?? mn))) requiredQuery.push(m.locationName ?? mn);
        if (m.location === 'header') requiredHeaders.push((m.locationName ?? mn).toLowerCase());
      }
    }
    const literals = segments.filter((s) => s.literal !== undefined).length;
    const greedy = segments.some((s) => s.greedy);
    const score = literals * 1000 + (query.length + requiredQuery.length + requiredHeaders.length) * 100 + segments.length * 10 + (greedy ? 0 : 1);
    const route: Route = { operation: name, method: op.http.method.toUpperCase(), segments, query, requiredQuery, requiredHeaders, score };
    const list = byMethod.get(route.method) ?? [];
    list.push(route);
    byMethod.set(route.method, list);
  }
  for (const list of byMethod.values()) list.sort((a, b) => b.score - a.score);
  compiled.set(model, byMethod);
  return byMethod;
}

export function pathSegments(ctx: RequestContext): string[] {
  const raw = ctx.rawPath.split('/').slice(1);
  return ctx.hostBucket ? [encodeURIComponent(ctx.hostBucket), ...(raw.length === 1 && raw[0] === '' ? [] : raw)] : raw;
}

export function resolveRestOperation(ctx: RequestContext, model: ServiceModel): RestMatch | undefined {
  const routes = (compiled.get(model) ?? compile(model)).get(ctx.method.toUpperCase());
  if (!routes) return undefined;
  const segs = pathSegments(ctx);
  const xId = ctx.query.get('x-id');
  // Prefer a route whose required query/header members are present; if none is, the first
  // template match answers (and its parser reports what is missing).
  let fallback: RestMatch | undefined;
  for (const r of routes) {
    if (xId && model.operations[xId] && r.operation !== xId) continue;
    const labels = matchPath(r.segments, segs);
    if (!labels) continue;
    if (!r.query.every(([k, v]) => (v === undefined ? ctx.query.has(k) : ctx.query.get(k) === v))) continue;
    const complete = r.requiredQuery.every((k) => ctx.query.has(k)) && r.requiredHeaders.every((k) => ctx.req.headers[k] !== undefined);
    if (complete) return { operation: r.operation, labels };
    fallback ??= { operation: r.operation, labels };
  }
  return fallback;
}

function matchPath(tpl: Segment[], segs: string[]): Record<string, string> | undefined {
  const labels: Record<string, string> = {};
  // A trailing empty segment ("/functions/") matches a template without it, unless greedy.
  let req = segs;
  let i = 0;
  for (; i < tpl.length; i++) {
    const t = tpl[i]!;
    if (t.greedy) {
      const rest = req.slice(i).join('/');
      if (rest === '') return undefined;
      labels[t.label!] = safeDecode(rest);
      return labels;
    }
    if (i === tpl.length - 1 && req.length === tpl.length + 1 && req[req.length - 1] === '') req = req.slice(0, -1);
    const s = req[i];
    if (s === undefined) return undefined;
    if (t.literal !== undefined) {
      if (s !== t.literal) return undefined;
    } else {
      if (s === '') return undefined;
      labels[t.label!] = safeDecode(s);
    }
  }
  if (tpl.length === 0) return req.length === 0 || (req.length === 1 && req[0] === '') ? labels : undefined;
  if (req.length !== tpl.length && !(req.length === tpl.length + 1 && req[req.length - 1] === '')) return undefined;
  return labels;
}

function safeDecode(s: string): string {
  if (!s.includes('%')) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
