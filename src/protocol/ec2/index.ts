/**
 * ec2Query: the awsQuery request format with EC2's naming — members by `ec2QueryName`
 * (else the xmlName or member name with its first letter upper-cased), every list flattened
 * (`Filter.1.Value.1`) — and EC2's own responses: no Result wrapper, a `requestId` element,
 * lowerCamel element names, lists as `<name><item>…</item></name>`, and errors as
 * `<Response><Errors><Error>…</Error></Errors><RequestID/></Response>`.
 */
import type { Protocol } from '../protocol.js';
import type { Member } from '../model.js';
import { writeXml, type XmlTree } from '../xml.js';
import { paramsOf, readFormInput, type FormDialect } from '../query/form-input.js';
import { writeXmlStructure, type XmlDialect } from '../query/xml-output.js';
import { queryErrorParts } from '../query/index.js';
import { sendXml } from '../query/respond.js';

const upperFirst = (s: string) => (s ? s[0]!.toUpperCase() + s.slice(1) : s);
const lowerFirst = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s);

export const EC2_FORM: FormDialect = {
  memberName: (name, m) => m.ec2QueryName ?? upperFirst(m.xmlName ?? name),
  flatList: () => true,
  listItemName: () => '',
  flatMap: (m, map) => !!(m.xmlFlattened || map.xmlFlattened),
  mapKeyName: (map) => map.key.ec2QueryName ?? map.key.xmlName ?? 'key',
  mapValueName: (map) => map.value.ec2QueryName ?? map.value.xmlName ?? 'value',
};

export const EC2_XML: XmlDialect = {
  elementName: (name: string, m: Member) => m.xmlName ?? lowerFirst(m.ec2QueryName ?? name),
  defaultItemName: 'item',
  flat: (m, shape) => !!(m.xmlFlattened || shape.xmlFlattened),
};

/** EC2 documents its namespace with a trailing slash. */
function namespace(ns: string | undefined): string {
  const v = ns ?? 'http://ec2.amazonaws.com/doc/2016-11-15/';
  return v.endsWith('/') ? v : v + '/';
}

const ec2: Protocol = {
  id: 'ec2',
  needsBody: true,
  resolveOperation(ctx) {
    return paramsOf(ctx).kids?.get('Action')?.value || undefined;
  },
  parse(ctx, model, op) {
    return readFormInput(model, op.input, paramsOf(ctx), EC2_FORM);
  },
  serialize(ctx, model, op, output) {
    const name = ctx.operationName!;
    const tree: XmlTree = { '@_xmlns': namespace(model.xmlNamespace), requestId: ctx.requestId };
    // Operations without an output answer `<return>true</return>`, as EC2 does.
    Object.assign(tree, op.output ? writeXmlStructure(model, op.output, output, EC2_XML) : { return: 'true' });
    sendXml(ctx, 200, writeXml(`${name}Response`, tree));
  },
  serializeError(ctx, model, err) {
    const { code, status } = queryErrorParts(model, err);
    const tree: XmlTree = { Errors: { Error: { Code: code, Message: err.message } }, RequestID: ctx.requestId };
    ctx.errorCode = err.code;
    sendXml(ctx, status, writeXml('Response', tree), err.headers);
  },
};

export default ec2;
