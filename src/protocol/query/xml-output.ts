/**
 * Model-driven writing of handler output as the XML tree of src/protocol/xml.ts, for the
 * awsQuery and ec2Query responses. Elements are named by xmlName; lists are wrapped
 * (`<Name><member>…</member></Name>`, EC2: `<item>`) unless flattened; maps are
 * `<entry><key/><value/></entry>` unless flattened; timestamps are ISO 8601.
 */
import type { Member, ServiceModel } from '../model.js';
import type { XmlNode, XmlTree } from '../xml.js';
import { formatTimestamp, resolve } from '../shapes.js';

export interface XmlDialect {
  elementName(name: string, m: Member): string;
  /** list item element when the list member has no xmlName */
  defaultItemName: string;
  flat(m: Member, shape: { xmlFlattened?: true }): boolean;
}

export function writeXmlStructure(model: ServiceModel, shapeName: string | undefined, value: unknown, d: XmlDialect): XmlTree {
  const out: XmlTree = {};
  if (!shapeName || value === undefined || value === null) return out;
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) return out;
  const obj = value as Record<string, unknown>;
  for (const [name, m] of Object.entries(r.shape.members)) {
    const val = obj[name];
    if (val === undefined || val === null) continue;
    const elem = d.elementName(name, m);
    if (m.xmlAttribute) {
      out['@_' + elem] = primitiveText(m, val);
      continue;
    }
    const t = resolve(model, m.target);
    // Flattened: one element per item/entry, named after the member itself.
    if (t.kind === 'shape' && t.shape.type === 'list' && d.flat(m, t.shape)) {
      const list = t.shape;
      const items = (val as unknown[]).map((x) => writeXmlValue(model, list.member, x, d));
      if (items.length) out[elem] = items;
      continue;
    }
    if (t.kind === 'shape' && t.shape.type === 'map' && d.flat(m, t.shape)) {
      const entries = mapEntries(model, t.shape, val, d);
      if (entries.length) out[elem] = entries;
      continue;
    }
    out[elem] = writeXmlValue(model, m, val, d);
  }
  return out;
}

export function writeXmlValue(model: ServiceModel, m: Pick<Member, 'target' | 'timestampFormat'>, val: unknown, d: XmlDialect): XmlNode {
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') return primitiveText(m, val);
  const s = r.shape;
  if (s.type === 'list') {
    const items = (val as unknown[]).map((x) => writeXmlValue(model, s.member, x, d));
    return items.length ? { [s.member.xmlName ?? d.defaultItemName]: items } : '';
  }
  if (s.type === 'map') {
    const entries = mapEntries(model, s, val, d);
    return entries.length ? { entry: entries } : '';
  }
  return writeXmlStructure(model, r.name, val, d);
}

function mapEntries(model: ServiceModel, s: { key: Member; value: Member }, val: unknown, d: XmlDialect): XmlTree[] {
  return Object.entries(val as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => ({ [s.key.xmlName ?? 'key']: k, [s.value.xmlName ?? 'value']: writeXmlValue(model, s.value, v, d) }));
}

function primitiveText(m: Pick<Member, 'target' | 'timestampFormat'>, val: unknown): string {
  switch (m.target) {
    case 'timestamp':
      return String(formatTimestamp(val, m.timestampFormat, 'date-time'));
    case 'blob':
    case 'streamingBlob':
      return typeof val === 'string' ? Buffer.from(val).toString('base64') : Buffer.from(val as Uint8Array).toString('base64');
    case 'boolean':
      return val ? 'true' : 'false';
    case 'document':
      return typeof val === 'string' ? val : JSON.stringify(val);
    default:
      return String(val);
  }
}
