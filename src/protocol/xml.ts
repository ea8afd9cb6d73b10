/**
 * XML reading and writing for the query, ec2 and rest-xml protocols, on fast-xml-parser.
 *
 * Writing: build a plain tree — `{ Name: 'text', List: [{…}, {…}], '@_xmlns': '…' }` —
 * where arrays become repeated elements, '@_' keys attributes and '#text' a text node; then
 * `writeXml(rootName, tree)`.
 * Reading: `readXml(body)` validates (throws MalformedXML on broken input) and returns the
 * same kind of tree with every value a string; repeated elements come back as arrays and
 * single ones as a value, so readers normalise with `asArray`.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { AwsError } from '../core/errors.js';

export type XmlNode = string | XmlTree | XmlNode[];
export interface XmlTree { [name: string]: XmlNode | undefined }

/** XML's five predefined entities, replaced in one pass (the builder's default runs a regex per entity). */
const ENTITY: Record<string, string> = { '&': '&amp;', '>': '&gt;', '<': '&lt;', "'": '&apos;', '"': '&quot;' };

const builder = new XMLBuilder({
  // (entities with a function value and jPath are builder options not in its type declarations)
  ...({ entities: [{ regex: /[&<>'"]/g, val: (c: string) => ENTITY[c]! }], jPath: false } as object),
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  processEntities: true,
  format: false,
});

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  removeNSPrefix: true,
  processEntities: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';

export function writeXml(rootName: string, tree: XmlTree, declaration = true): string {
  const body = builder.build({ [rootName]: tree }) as string;
  return declaration ? XML_DECLARATION + body : body;
}

/** Parse an XML body; `MalformedXML` (S3's code) or the caller's error on broken input. */
export function readXml(body: Buffer | string, malformed: () => AwsError = defaultMalformed): XmlTree {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (!text.trim()) return {};
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw malformed();
  try {
    return parser.parse(text) as XmlTree;
  } catch {
    throw malformed();
  }
}

function defaultMalformed(): AwsError {
  return new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Text content of a node read by readXml ('' for an empty element). */
export function textOf(v: XmlNode | undefined): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return textOf(v[0]);
  const t = v['#text'];
  return typeof t === 'string' ? t : '';
}
