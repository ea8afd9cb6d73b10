/**
 * awsQuery: POST / with a form body (or GET with a query string) carrying `Action`,
 * `Version` and the input members by their query names; XML responses
 * `<OpResponse><OpResult>…</OpResult><ResponseMetadata/></OpResponse>` and
 * `<ErrorResponse><Error>…</Error><RequestId/></ErrorResponse>`.
 *
 * Also serves json-first services that still answer query (SQS, CloudWatch): their errors
 * use the legacy code and status of the awsQueryError trait (`error.queryCode`), e.g.
 * QueueDoesNotExist → AWS.SimpleQueueService.NonExistentQueue.
 */
import type { Protocol } from '../protocol.js';
import type { Member, ServiceModel } from '../model.js';
import type { AwsError } from '../../core/errors.js';
import { errorShape } from '../models.js';
import { writeXml, type XmlTree } from '../xml.js';
import { paramsOf, readFormInput, type FormDialect, type ParamNode } from './form-input.js';
import { writeXmlStructure, type XmlDialect } from './xml-output.js';
import { sendXml } from './respond.js';

export const QUERY_FORM: FormDialect = {
  memberName: (name, m) => m.xmlName ?? name,
  flatList: (m, list) => !!(m.xmlFlattened || list.xmlFlattened),
  listItemName: (list) => list.member.xmlName ?? 'member',
  flatMap: (m, map) => !!(m.xmlFlattened || map.xmlFlattened),
  mapKeyName: (map) => map.key.xmlName ?? 'key',
  mapValueName: (map) => map.value.xmlName ?? 'value',
};

export const QUERY_XML: XmlDialect = {
  elementName: (name: string, m: Member) => m.xmlName ?? name,
  defaultItemName: 'member',
  flat: (m, shape) => !!(m.xmlFlattened || shape.xmlFlattened),
};

/** Code, status and fault the query protocols report for `err`. */
export function queryErrorParts(model: ServiceModel | undefined, err: AwsError): { code: string; status: number; type: 'Sender' | 'Receiver'; shape?: string } {
  const shape = model ? errorShape(model, err.code) : undefined;
  const e = shape?.error;
  return {
    code: e?.queryCode ?? err.code,
    status: e?.queryStatus ?? e?.httpStatus ?? err.status,
    type: (e ? e.fault === 'client' : err.sender) ? 'Sender' : 'Receiver',
    shape: shape ? err.code : undefined,
  };
}

/** SQS's query API also takes the queue URL as the request path (`POST /<account>/<queue>`). */
function queueUrlFromPath(model: ServiceModel, root: ParamNode, ctx: { rawPath: string; baseUrl: string }): void {
  if (model.id !== 'sqs' || root.kids?.has('QueueUrl')) return;
  const m = /^(\/\d{12}\/[^/]+)\/?$/.exec(ctx.rawPath);
  if (m) (root.kids ??= new Map()).set('QueueUrl', { value: ctx.baseUrl + m[1] });
}

const query: Protocol = {
  id: 'query',
  needsBody: true,
  resolveOperation(ctx) {
    return paramsOf(ctx).kids?.get('Action')?.value || undefined;
  },
  parse(ctx, model, op) {
    const root = paramsOf(ctx);
    queueUrlFromPath(model, root, ctx);
    return readFormInput(model, op.input, root, QUERY_FORM);
  },
  serialize(ctx, model, op, output) {
    const name = ctx.operationName!;
    const tree: XmlTree = {};
    if (model.xmlNamespace) tree['@_xmlns'] = model.xmlNamespace;
    if (op.output) tree[`${name}Result`] = writeXmlStructure(model, op.output, output, QUERY_XML);
    tree.ResponseMetadata = { RequestId: ctx.requestId };
    sendXml(ctx, 200, writeXml(`${name}Response`, tree));
  },
  serializeError(ctx, model, err) {
    const { code, status, type, shape } = queryErrorParts(model, err);
    const error: XmlTree = { Type: type, Code: code, Message: err.message };
    if (model && shape && Object.keys(err.fields).length) Object.assign(error, writeXmlStructure(model, shape, err.fields, QUERY_XML));
    const tree: XmlTree = {};
    if (model?.xmlNamespace) tree['@_xmlns'] = model.xmlNamespace;
    tree.Error = error;
    tree.RequestId = ctx.requestId;
    ctx.errorCode = err.code;
    sendXml(ctx, status, writeXml('ErrorResponse', tree), err.headers);
  },
};

export default query;
