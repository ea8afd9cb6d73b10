/**
 * Shape-driven conversion between XML trees (src/protocol/xml.ts) and handler values for
 * rest-xml bodies: xmlName, xmlAttribute, xmlFlattened and xmlNamespace as Smithy and
 * botocore define them. Timestamps in bodies are date-time unless the member says otherwise.
 */
import type { Member, ServiceModel, Shape } from '../model.js';
import { AwsError } from '../../core/errors.js';
import { asArray, textOf, type XmlNode, type XmlTree } from '../xml.js';
import { asDate, formatTimestamp, parseTimestamp, resolve } from '../shapes.js';

const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

/** Element name of a member; for a flattened list the list member's xmlName wins (botocore). */
function elementName(model: ServiceModel, name: string, m: Member): string {
  const r = resolve(model, m.target);
  if (r.kind === 'shape' && r.shape.type === 'list' && (m.xmlFlattened || r.shape.xmlFlattened) && r.shape.member.xmlName) return r.shape.member.xmlName;
  return m.xmlName ?? name;
}

const localName = (n: string) => (n.includes(':') ? n.slice(n.indexOf(':') + 1) : n);

function isFlattened(m: Member, s: Shape): boolean {
  return !!(m.xmlFlattened || ('xmlFlattened' in s && s.xmlFlattened));
}

// ---------------------------------------------------------------- reading

/** Members of structure `shapeName` from the content of its element. `onlyBody` skips HTTP-bound members. */
export function readXmlStructure(model: ServiceModel, shapeName: string, node: XmlNode | undefined, onlyBody = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) return out;
  const tree: XmlTree = node && typeof node === 'object' && !Array.isArray(node) ? node : {};
  for (const [name, m] of Object.entries(r.shape.members)) {
    if (onlyBody && m.location) continue;
    if (m.xmlAttribute) {
      const a = tree['@_' + localName(m.xmlName ?? name)];
      if (typeof a === 'string') out[name] = readScalar(m, a);
      continue;
    }
    const el = elementName(model, name, m);
    const raw = tree[el] ?? tree[localName(el)];
    if (raw === undefined) continue;
    out[name] = readMember(model, m, raw);
  }
  return out;
}

function readMember(model: ServiceModel, m: Member, raw: XmlNode): unknown {
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') return readScalar(m, textOf(raw) ?? '');
  const s = r.shape;
  if (s.type === 'list') {
    const items = isFlattened(m, s) ? asArray(raw) : asArray(childOf(raw, s.member.xmlName ?? 'member'));
    return items.map((item) => readMember(model, s.member, item));
  }
  if (s.type === 'map') {
    const entries = isFlattened(m, s) ? asArray(raw) : asArray(childOf(raw, 'entry'));
    const out: Record<string, unknown> = {};
    for (const e of entries) {
      const k = textOf(childOf(e, s.key.xmlName ?? 'key'));
      const v = childOf(e, s.value.xmlName ?? 'value');
      if (k !== undefined && v !== undefined) out[k] = readMember(model, s.value, v);
    }
    return out;
  }
  return readXmlStructure(model, r.name, Array.isArray(raw) ? raw[0] : raw, false);
}

function childOf(node: XmlNode | undefined, name: string): XmlNode | undefined {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return undefined;
  return node[name];
}

function readScalar(m: Pick<Member, 'target'>, text: string): unknown {
  switch (m.target) {
    case 'number': {
      const n = Number(text.trim());
      if (text.trim() === '' || (Number.isNaN(n) && text.trim() !== 'NaN')) throw malformed();
      return n;
    }
    case 'boolean': {
      const t = text.trim();
      if (t !== 'true' && t !== 'false') throw malformed();
      return t === 'true';
    }
    case 'timestamp': {
      const d = parseTimestamp(text.trim());
      if (!d) throw malformed();
      return d;
    }
    case 'blob':
      return Buffer.from(text, 'base64');
    default:
      return text;
  }
}

// ---------------------------------------------------------------- writing

/** How a member of a structure is written, worked out once per shape (a listing page writes 1,000 structures). */
interface WritePlan { m: Member; attr?: string; el: string; flattened: boolean }

const writePlans = new WeakMap<ServiceModel, Map<string, Map<string, WritePlan> | null>>();

function writePlan(model: ServiceModel, shapeName: string): Map<string, WritePlan> | null {
  let byShape = writePlans.get(model);
  if (!byShape) writePlans.set(model, (byShape = new Map()));
  let plan = byShape.get(shapeName);
  if (plan !== undefined) return plan;
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) plan = null;
  else {
    plan = new Map();
    for (const [name, m] of Object.entries(r.shape.members)) {
      if (m.xmlAttribute) {
        plan.set(name, { m, attr: '@_' + (m.xmlName ?? name), el: '', flattened: false });
        continue;
      }
      const rs = resolve(model, m.target);
      const flattened = rs.kind === 'shape' && (rs.shape.type === 'list' || rs.shape.type === 'map') && isFlattened(m, rs.shape);
      plan.set(name, { m, el: elementName(model, name, m), flattened });
    }
  }
  byShape.set(shapeName, plan);
  return plan;
}

/** XML tree for a structure value (the element's content, attributes included). */
export function writeXmlStructure(model: ServiceModel, shapeName: string, value: unknown, onlyBody = true): XmlTree {
  const out: XmlTree = {};
  if (!value) return out;
  const plan = writePlan(model, shapeName);
  if (!plan) return out;
  const obj = value as Record<string, unknown>;
  // Elements follow the handler's key order (AWS's document order), not the model's.
  for (const name of Object.keys(obj)) {
    const p = plan.get(name);
    if (!p || (onlyBody && p.m.location)) continue;
    const v = obj[name];
    if (v === undefined || v === null) continue;
    if (p.attr !== undefined) {
      out[p.attr] = scalarText(p.m, v);
      continue;
    }
    if (p.flattened) {
      const items = writeMember(model, p.m, v) as XmlNode[];
      if (items.length) out[p.el] = items;
      continue;
    }
    out[p.el] = withNamespace(writeMember(model, p.m, v), p.m.xmlNamespace);
  }
  return out;
}

/** Element content for a member value; flattened lists/maps return the repeated elements. */
function writeMember(model: ServiceModel, m: Member, v: unknown): XmlNode {
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') return scalarText(m, v);
  const s = r.shape;
  if (s.type === 'list') {
    const items = (v as unknown[]).filter((x) => x !== null && x !== undefined).map((x) => withNamespace(writeMember(model, s.member, x), s.member.xmlNamespace));
    if (isFlattened(m, s)) return items;
    return items.length ? { [s.member.xmlName ?? 'member']: items } : {};
  }
  if (s.type === 'map') {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => ({
      [s.key.xmlName ?? 'key']: k,
      [s.value.xmlName ?? 'value']: writeMember(model, s.value, x),
    }));
    if (isFlattened(m, s)) return entries;
    return entries.length ? { entry: entries } : {};
  }
  return withNamespace(writeXmlStructure(model, r.name, v, false), s.type === 'structure' ? s.xmlNamespace : undefined);
}

function withNamespace(node: XmlNode, ns: Member['xmlNamespace']): XmlNode {
  if (!ns) return node;
  const attr = ns.prefix ? `@_xmlns:${ns.prefix}` : '@_xmlns';
  if (typeof node === 'string') return { '#text': node, [attr]: ns.uri };
  if (Array.isArray(node)) return node;
  return { [attr]: ns.uri, ...node };
}

function scalarText(m: Pick<Member, 'target' | 'timestampFormat'>, v: unknown): string {
  switch (m.target) {
    case 'timestamp':
      // rest-xml services write date-times with milliseconds (2024-01-02T03:04:05.000Z).
      return !m.timestampFormat || m.timestampFormat === 'date-time' ? asDate(v).toISOString() : String(formatTimestamp(v, m.timestampFormat, 'date-time'));
    case 'blob':
      return Buffer.from(v as Uint8Array).toString('base64');
    case 'number':
      if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
      return String(v);
    default:
      return String(v);
  }
}
