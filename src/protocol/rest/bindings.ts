/**
 * HTTP bindings shared by rest-json and rest-xml: which member comes from (or goes to) the
 * URI, the query string, a header, a header-prefix map, the status code or the payload.
 * The body codec (JSON or XML) is the protocol's; everything else lives here.
 */
import type { Readable } from 'node:stream';
import type { RequestContext } from '../../gateway/context.js';
import type { Member, OperationModel, ServiceModel, StructureShape } from '../model.js';
import { AwsError } from '../../core/errors.js';
import { formatTimestamp, parseTimestamp, resolve } from '../shapes.js';
import { structureOf } from '../models.js';
import { awsChunkedBody, isAwsChunked } from './aws-chunked.js';

export interface BindingOptions {
  /** the protocol's error for a bound value of the wrong type (e.g. max-keys=abc) */
  invalid(member: string, wireName: string, raw: string): AwsError;
}

export interface PayloadMember { name: string; member: Member; kind: 'structure' | 'blob' | 'streamingBlob' | 'string' | 'document' }

const EMPTY: StructureShape = { type: 'structure', members: {} };

export function inputShape(model: ServiceModel, op: OperationModel): StructureShape {
  return structureOf(model, op.input) ?? EMPTY;
}

export function outputShape(model: ServiceModel, op: OperationModel): StructureShape {
  return structureOf(model, op.output) ?? EMPTY;
}

/** The member bound to the whole payload, if the shape has one. */
const payloadCache = new WeakMap<StructureShape, PayloadMember | null>();

export function payloadMember(model: ServiceModel, shape: StructureShape): PayloadMember | undefined {
  let p = payloadCache.get(shape);
  if (p === undefined) {
    p = findPayloadMember(model, shape) ?? null;
    payloadCache.set(shape, p);
  }
  return p ?? undefined;
}

function findPayloadMember(model: ServiceModel, shape: StructureShape): PayloadMember | undefined {
  for (const [name, member] of Object.entries(shape.members)) {
    if (member.location !== 'payload') continue;
    const r = resolve(model, member.target);
    const kind = r.kind === 'shape' ? 'structure' : (r.type as PayloadMember['kind']);
    return { name, member, kind };
  }
  return undefined;
}

/** A member bound to the URI, query, headers or status, with what its binding needs precomputed. */
interface Bound {
  name: string;
  m: Member;
  location: NonNullable<Member['location']>;
  /** locationName ?? name */
  wire: string;
  /** wire in lower case (header names as Node gives them) */
  lower: string;
  /** the item member when the target is a list */
  item: Member | undefined;
}

const boundCache = new WeakMap<StructureShape, Bound[]>();

/** The shape's HTTP-bound members in model order (payload and body members left out). Cached per shape. */
function boundMembers(model: ServiceModel, shape: StructureShape): Bound[] {
  let list = boundCache.get(shape);
  if (list) return list;
  list = [];
  for (const [name, m] of Object.entries(shape.members)) {
    if (!m.location || m.location === 'payload') continue;
    const wire = m.locationName ?? name;
    const r = resolve(model, m.target);
    list.push({ name, m, location: m.location, wire, lower: wire.toLowerCase(), item: r.kind === 'shape' && r.shape.type === 'list' ? r.shape.member : undefined });
  }
  boundCache.set(shape, list);
  return list;
}

const boundByNameCache = new WeakMap<StructureShape, Map<string, Bound>>();

function boundByName(model: ServiceModel, shape: StructureShape): Map<string, Bound> {
  let map = boundByNameCache.get(shape);
  if (!map) {
    map = new Map(boundMembers(model, shape).map((b) => [b.name, b]));
    boundByNameCache.set(shape, map);
  }
  return map;
}

/** Whether any member is carried in the body as part of a document (no HTTP binding). */
export function hasBodyMembers(shape: StructureShape): boolean {
  for (const m of Object.values(shape.members)) if (!m.location) return true;
  return false;
}

// ---------------------------------------------------------------- request

/**
 * Members bound to the URI, query and headers. `labels` come from the router, already
 * percent-decoded.
 */
export function readBoundInput(ctx: RequestContext, model: ServiceModel, shape: StructureShape, labels: Record<string, string>, opts: BindingOptions): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const headers = ctx.req.headers;
  const boundQuery = new Set<string>();
  let queryParams: [string, Member] | undefined;
  for (const { name, m, location, wire, lower, item } of boundMembers(model, shape)) {
    switch (location) {
      case 'uri': {
        const v = labels[wire];
        if (v !== undefined) input[name] = scalar(m, v, () => opts.invalid(name, wire, v));
        break;
      }
      case 'query': {
        boundQuery.add(wire);
        const all = ctx.query.getAll(wire);
        if (!all.length) break;
        if (item) {
          input[name] = all.map((v) => scalar(item, v, () => opts.invalid(name, wire, v)));
        } else input[name] = scalar(m, all[0]!, () => opts.invalid(name, wire, all[0]!));
        break;
      }
      case 'queryParams':
        queryParams = [name, m];
        break;
      case 'header': {
        const raw = headers[lower];
        if (raw === undefined) break;
        const text = Array.isArray(raw) ? raw.join(', ') : raw;
        if (item) {
          input[name] = splitHeaderList(text, item.target === 'timestamp').map((v) => scalar(item, v, () => opts.invalid(name, wire, v)));
        } else if (m.target === 'string' && m.mediaType) {
          input[name] = Buffer.from(text, 'base64').toString('utf8'); // a header with a media type carries base64
        } else if (m.target === 'timestamp') {
          // HTTP ignores a conditional header whose date does not parse (If-Modified-Since: junk).
          const d = parseTimestamp(text.trim());
          if (d) input[name] = d;
        } else input[name] = scalar(m, text, () => opts.invalid(name, wire, text));
        break;
      }
      case 'headers': {
        const prefix = lower;
        const map: Record<string, string> = {};
        let any = false;
        for (const [h, v] of Object.entries(headers)) {
          if (!h.startsWith(prefix) || v === undefined) continue;
          map[h.slice(prefix.length)] = Array.isArray(v) ? v.join(', ') : v;
          any = true;
        }
        if (any) input[name] = map;
        break;
      }
      default:
        break;
    }
  }
  if (queryParams) {
    // Every query key not bound to another member (Smithy httpQueryParams).
    const [name, m] = queryParams;
    const r = resolve(model, m.target);
    const listValued = r.kind === 'shape' && r.shape.type === 'map' && resolve(model, r.shape.value.target).kind === 'shape';
    const map: Record<string, string | string[]> = {};
    for (const key of new Set(ctx.query.keys())) {
      if (boundQuery.has(key)) continue;
      map[key] = listValued ? ctx.query.getAll(key) : ctx.query.get(key)!;
    }
    if (Object.keys(map).length) input[name] = map;
  }
  return input;
}

/** A string from the URI, query or a header, typed as the member's target. */
function scalar(m: Pick<Member, 'target'>, raw: string, bad: () => AwsError): unknown {
  switch (m.target) {
    case 'string':
      return raw;
    case 'number': {
      const t = raw.trim();
      const n = t === '' ? NaN : Number(t);
      if (Number.isNaN(n) && t !== 'NaN') throw bad();
      return n;
    }
    case 'bigInteger':
    case 'bigDecimal':
      if (!/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(raw.trim())) throw bad();
      return raw.trim();
    case 'boolean': {
      const t = raw.trim().toLowerCase();
      if (t !== 'true' && t !== 'false') throw bad();
      return t === 'true';
    }
    case 'timestamp': {
      // Accept an http-date, date-time or epoch-seconds value whatever the declared format.
      const d = parseTimestamp(raw.trim());
      if (!d) throw bad();
      return d;
    }
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

/** "a, b, \"c,d\"" → ['a', 'b', 'c,d']; http-dates keep their inner comma. */
export function splitHeaderList(text: string, httpDates = false): string[] {
  if (httpDates) {
    const parts = text.split(',').map((s) => s.trim());
    const out: string[] = [];
    for (let i = 0; i < parts.length; i += 2) out.push(`${parts[i]}, ${parts[i + 1] ?? ''}`.trim());
    return out;
  }
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '\\' && i + 1 < text.length) cur += text[++i];
      else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out.length === 1 && out[0] === '' ? [] : out;
}

/**
 * The payload of a streaming input: the request itself, or an aws-chunked decoder over it
 * (SDK v3 / boto3 default for PutObject and UploadPart). The gateway has not read it.
 */
export function streamingPayload(ctx: RequestContext): Readable {
  return isAwsChunked(ctx.req.headers) ? awsChunkedBody(ctx.req) : ctx.req;
}

// ---------------------------------------------------------------- response

export interface BoundOutput {
  status: number;
  headers: Record<string, string>;
}

/**
 * Status and headers from the output's bound members. A handler may preset `ctx.status`
 * to answer a status the model cannot express (S3 206 Partial Content).
 */
export function writeBoundOutput(ctx: RequestContext, model: ServiceModel, op: OperationModel, shape: StructureShape, output: Record<string, unknown> | undefined): BoundOutput {
  let status = ctx.status ?? op.http?.code ?? 200;
  const headers: Record<string, string> = {};
  if (!output) return { status, headers };
  // Walk the output's keys (a handful) rather than every bound member of the shape (GetObject has ~60).
  const byName = boundByName(model, shape);
  for (const key of Object.keys(output)) {
    const b = byName.get(key);
    if (!b) continue;
    const { m, location, wire, item } = b;
    const v = output[key];
    if (v === undefined || v === null) continue;
    switch (location) {
      case 'statusCode':
        if (typeof v === 'number') status = v;
        break;
      case 'header': {
        if (item) {
          headers[wire] = (v as unknown[]).map((x) => quoteListItem(headerValue(item, x))).join(', ');
        } else headers[wire] = headerValue(m, v);
        break;
      }
      case 'headers':
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined && x !== null) headers[wire + k] = String(x);
        break;
      default:
        break;
    }
  }
  return { status, headers };
}

function headerValue(m: Pick<Member, 'target' | 'timestampFormat' | 'mediaType'>, v: unknown): string {
  if (m.target === 'timestamp') return String(formatTimestamp(v, m.timestampFormat, 'http-date'));
  if (m.target === 'blob') return Buffer.from(v as Uint8Array).toString('base64');
  if (m.target === 'string' && m.mediaType) return Buffer.from(String(v), 'utf8').toString('base64');
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  return String(v);
}

function quoteListItem(s: string): string {
  return /[,"]/.test(s) ? `"${s.replace(/["\\]/g, (c) => '\\' + c)}"` : s;
}

/**
 * Set response headers. Values beyond Latin-1 are sent as their UTF-8 bytes (Node writes
 * header strings as Latin-1), and values Node refuses (CR/LF) are dropped, never thrown.
 */
export function setHeaders(ctx: RequestContext, headers: Record<string, string>): void {
  for (const [k, v] of Object.entries(headers)) {
    const value = /[^\x00-\xff]/.test(v) ? Buffer.from(v, 'utf8').toString('latin1') : v;
    try {
      ctx.res.setHeader(k, value);
    } catch {
      /* invalid header value: leave it out */
    }
  }
}
