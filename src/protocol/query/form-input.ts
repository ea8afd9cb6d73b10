/**
 * Model-driven reading of flat `Key.Sub.N=value` parameters (awsQuery and ec2Query inputs).
 *
 * The parameters are first folded into a tree by their dot-separated segments, then the
 * input shape is walked against that tree. The two protocols differ only in how members,
 * list items and map entries are named on the wire; a `FormDialect` says how.
 */
import type { ListShape, MapShape, Member, ServiceModel } from '../model.js';
import { AwsError, missingParameter } from '../../core/errors.js';
import { parseTimestamp, resolve } from '../shapes.js';

export interface FormDialect {
  /** wire name of a structure member */
  memberName(name: string, m: Member): string;
  /** items directly under the member (`Name.1`) rather than `Name.member.1` */
  flatList(m: Member, list: ListShape): boolean;
  /** the segment between list name and index when not flat */
  listItemName(list: ListShape): string;
  flatMap(m: Member, map: MapShape): boolean;
  mapKeyName(map: MapShape): string;
  mapValueName(map: MapShape): string;
}

export interface ParamNode {
  value?: string;
  kids?: Map<string, ParamNode>;
}

/** Fold `A.B.1=x` pairs into a tree. Later duplicates win, as with most form readers. */
export function paramTree(params: Iterable<[string, string]>): ParamNode {
  const root: ParamNode = {};
  for (const [key, value] of params) {
    let node = root;
    for (const seg of key.split('.')) {
      node.kids ??= new Map();
      let next = node.kids.get(seg);
      if (!next) node.kids.set(seg, (next = {}));
      node = next;
    }
    node.value = value;
  }
  return root;
}

/**
 * `application/x-www-form-urlencoded` text → pairs. A `%` not followed by two hex digits is a
 * syntax error AWS answers with MalformedQueryString (URLSearchParams would let it through).
 */
export function formPairs(text: string): [string, string][] {
  if (/%(?![0-9a-fA-F]{2})/.test(text)) {
    throw new AwsError('MalformedQueryString', 'The query string contains a syntax error.', 404);
  }
  return [...new URLSearchParams(text)];
}

export function readFormInput(model: ServiceModel, shapeName: string | undefined, root: ParamNode, dialect: FormDialect): Record<string, unknown> {
  if (!shapeName) return {};
  return readStructure(model, shapeName, root, '', dialect);
}

function readStructure(model: ServiceModel, shapeName: string, node: ParamNode, prefix: string, d: FormDialect): Record<string, unknown> {
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) throw new Error(`${shapeName} is not a structure`);
  const out: Record<string, unknown> = {};
  for (const [name, m] of Object.entries(r.shape.members)) {
    const wire = d.memberName(name, m);
    const child = node.kids?.get(wire);
    const path = prefix + wire;
    if (!child || isAbsent(child)) {
      if (m.required) throw missingParameter(path, 'query');
      continue;
    }
    out[name] = readValue(model, m, child, path, d);
  }
  return out;
}

/** A key given with neither a value nor sub-keys (`A.B` alone never happens; `A=` does). */
function isAbsent(node: ParamNode): boolean {
  return node.value === undefined && !node.kids?.size;
}

function readValue(model: ServiceModel, m: Member, node: ParamNode, path: string, d: FormDialect): unknown {
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') {
    if (node.value === undefined) throw invalidValue(path, '', r.type);
    return readPrimitive(r.type, node.value, path);
  }
  const s = r.shape;
  if (s.type === 'list') {
    const items = d.flatList(m, s) ? node : node.kids?.get(d.listItemName(s));
    return indexed(items, path).map(([i, item]) => readValue(model, s.member, item, `${path}.${d.flatList(m, s) ? '' : d.listItemName(s) + '.'}${i}`, d));
  }
  if (s.type === 'map') {
    const flat = d.flatMap(m, s);
    const entries = flat ? node : node.kids?.get('entry');
    const out: Record<string, unknown> = {};
    const keyName = d.mapKeyName(s);
    const valueName = d.mapValueName(s);
    for (const [i, entry] of indexed(entries, path)) {
      const at = `${path}.${flat ? '' : 'entry.'}${i}.`;
      const k = entry.kids?.get(keyName)?.value;
      if (k === undefined) throw missingParameter(at + keyName, 'query');
      const v = entry.kids?.get(valueName);
      if (!v || isAbsent(v)) throw missingParameter(at + valueName, 'query');
      // defineProperty: a key named "__proto__" must stay a plain key.
      Object.defineProperty(out, k, { value: readValue(model, s.value, v, at + valueName, d), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return readStructure(model, r.name, node, path + '.', d);
}

/** Children keyed by a 1-based index, in index order (clients may skip numbers). */
function indexed(node: ParamNode | undefined, path: string): [number, ParamNode][] {
  const out: [number, ParamNode][] = [];
  for (const [seg, child] of node?.kids ?? []) {
    if (!/^\d+$/.test(seg) || seg === '0') throw new AwsError('MalformedQueryString', `Invalid list index '${seg}' in parameter ${path}.${seg}`, 404);
    out.push([Number(seg), child]);
  }
  return out.sort((a, b) => a[0] - b[0]);
}

const EXPECTED: Record<string, string> = {
  boolean: 'Boolean',
  number: 'Number',
  bigInteger: 'Integer',
  bigDecimal: 'Decimal',
  timestamp: 'Timestamp',
  blob: 'Base64',
  streamingBlob: 'Base64',
};

function invalidValue(path: string, raw: string, type: string): AwsError {
  return new AwsError('InvalidParameterValue', `Value (${raw}) for parameter ${path} is invalid. Expected: '${EXPECTED[type] ?? type}'.`, 400);
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

function readPrimitive(type: string, raw: string, path: string): unknown {
  switch (type) {
    case 'string':
    case 'document':
      return raw;
    case 'boolean': {
      const v = raw.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidValue(path, raw, type);
      return v === 'true';
    }
    case 'number':
      if (NUMBER.test(raw.trim())) return Number(raw);
      if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') return Number(raw);
      throw invalidValue(path, raw, type);
    case 'bigInteger':
    case 'bigDecimal':
      if (!NUMBER.test(raw.trim())) throw invalidValue(path, raw, type);
      return raw.trim();
    case 'timestamp': {
      const d = parseTimestamp(raw);
      if (!d) throw invalidValue(path, raw, type);
      return d;
    }
    case 'blob':
    case 'streamingBlob': {
      const b64 = raw.replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64) || b64.length % 4 === 1) throw invalidValue(path, raw, type);
      return Buffer.from(b64, 'base64');
    }
    default:
      return raw;
  }
}

/**
 * Request parameters: the query string plus, for a form-encoded POST, the body (awsQuery
 * accepts either; the body wins on a clash).
 */
export function requestParams(query: URLSearchParams, body: Buffer | undefined, contentType: string | undefined): [string, string][] {
  const pairs: [string, string][] = [...query];
  const ct = (contentType ?? '').toLowerCase();
  if (body?.length && (ct === '' || ct.startsWith('application/x-www-form-urlencoded'))) pairs.push(...formPairs(body.toString('utf8')));
  return pairs;
}

const trees = new WeakMap<object, ParamNode>();

/** The request's parameter tree, built once per request (operation lookup and parse share it). */
export function paramsOf(ctx: { query: URLSearchParams; body?: Buffer; req: { headers: { 'content-type'?: string } } }): ParamNode {
  let t = trees.get(ctx);
  if (!t) trees.set(ctx, (t = paramTree(requestParams(ctx.query, ctx.body, ctx.req.headers['content-type']))));
  return t;
}
