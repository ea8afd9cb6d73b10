/**
 * rest-xml (S3, Route 53, CloudFront): operations routed by method + path + query, members
 * bound to the URI, query, headers and payload, XML bodies. S3 answers errors as a bare
 * `<Error>` (noErrorWrapping) and stamps `x-amz-request-id` / `x-amz-id-2` on every
 * response; the others wrap errors in `<ErrorResponse>` and answer `x-amzn-RequestId`.
 */
import type { Protocol } from '../protocol.js';
import type { RequestContext } from '../../gateway/context.js';
import type { ServiceModel } from '../model.js';
import { AwsError } from '../../core/errors.js';
import { hostId } from '../../core/ids.js';
import { errorShape } from '../models.js';
import { readXml, writeXml, type XmlTree } from '../xml.js';
import { resolveRestOperation } from '../rest/router.js';
import { hasBodyMembers, inputShape, outputShape, payloadMember, readBoundInput, setHeaders, streamingPayload, writeBoundOutput, type BindingOptions } from '../rest/bindings.js';
import { sendResponse } from '../rest/send.js';
import { readXmlStructure, writeXmlStructure } from './codec.js';

const XML = 'application/xml';
const labelsOf = new WeakMap<RequestContext, Record<string, string>>();

const isS3 = (model: ServiceModel | undefined) => model?.id === 's3' || model?.id === 's3control';

/**
 * S3 outputs whose root element is the value itself (`<LocationConstraint>eu-west-1</…>`):
 * Smithy's s3UnwrappedXmlOutput trait, which the SDK's compiled schemas do not carry.
 */
const UNWRAPPED_OUTPUTS = new Set(['GetBucketLocation']);

/**
 * SigV4 query authentication (presigned URLs): the URL's lifetime is checked on the virtual
 * clock (X-Amz-Date + X-Amz-Expires, at most 7 days; SigV2's Expires). Signatures are S3's to verify, after
 * this (services/s3/domain/presign.ts: when gureum knows the key's secret).
 */
const isoSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

function checkPresigned(ctx: RequestContext): void {
  const auth = ctx.auth;
  if (!auth) {
    // SigV2 query authentication (the AWS CLI v1's `aws s3 presign`): Expires is epoch seconds.
    const v2 = ctx.query.get('Expires');
    if (v2 === null || !ctx.query.has('AWSAccessKeyId') || !ctx.query.has('Signature')) return;
    const at = Number(v2) * 1000;
    const now = ctx.runtime.clock.now();
    if (!Number.isFinite(at) || now > at) throw new AwsError('AccessDenied', 'Request has expired', 403, { fields: { Expires: isoSeconds(at || 0), ServerTime: isoSeconds(now) } });
    return;
  }
  if (!auth.presigned) return;
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(auth.amzDate ?? '');
  const expires = auth.expires;
  if (!date || expires === undefined || !Number.isInteger(expires) || !ctx.query.get('X-Amz-Signature')) {
    throw new AwsError('AuthorizationQueryParametersError', 'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.', 400);
  }
  if (expires < 0) throw new AwsError('AuthorizationQueryParametersError', 'X-Amz-Expires must be non-negative', 400);
  if (expires > 604800) throw new AwsError('AuthorizationQueryParametersError', 'X-Amz-Expires must be less than a week (in seconds) that is; 604800', 400);
  const signedAt = Date.UTC(+date[1]!, +date[2]! - 1, +date[3]!, +date[4]!, +date[5]!, +date[6]!);
  const now = ctx.runtime.clock.now();
  const expiresAt = signedAt + expires * 1000;
  if (now > expiresAt) {
    throw new AwsError('AccessDenied', 'Request has expired', 403, { fields: { 'X-Amz-Expires': expires, Expires: isoSeconds(expiresAt), ServerTime: isoSeconds(now) } });
  }
}

function bindingOptions(model: ServiceModel): BindingOptions {
  return {
    invalid: (_member, wire, raw) =>
      isS3(model)
        ? new AwsError('InvalidArgument', `Invalid value for ${wire}: ${raw}`, 400, { fields: { ArgumentName: wire, ArgumentValue: raw } })
        : new AwsError('InvalidInput', `Invalid value for ${wire}: ${raw}`, 400),
  };
}

/** Request-id headers every response of this service carries. */
function idHeaders(ctx: RequestContext, model: ServiceModel | undefined): Record<string, string> {
  return isS3(model) ? { 'x-amz-request-id': ctx.requestId, 'x-amz-id-2': hostId(), server: 'AmazonS3' } : { 'x-amzn-RequestId': ctx.requestId };
}

/** The single root element of a parsed document, whatever its name. */
function rootContent(tree: XmlTree): XmlTree | string | undefined {
  const keys = Object.keys(tree).filter((k) => !k.startsWith('?'));
  if (keys.length !== 1) return undefined;
  const v = tree[keys[0]!];
  return Array.isArray(v) ? undefined : (v as XmlTree | string | undefined);
}

function parseBody(ctx: RequestContext): XmlTree | string | undefined {
  if (!ctx.body?.length) return undefined;
  const tree = readXml(ctx.body);
  const root = rootContent(tree);
  if (root === undefined && Object.keys(tree).length) throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  return root;
}

function namespaceAttr(model: ServiceModel, ns: { uri: string; prefix?: string } | undefined): Record<string, string> {
  const n = ns ?? (model.xmlNamespace ? { uri: model.xmlNamespace } : undefined);
  if (!n) return {};
  return { [n.prefix ? `@_xmlns:${n.prefix}` : '@_xmlns']: n.uri };
}

const restXml: Protocol = {
  id: 'rest-xml',
  needsBody: false,

  resolveOperation(ctx, model) {
    const m = resolveRestOperation(ctx, model);
    if (m) labelsOf.set(ctx, m.labels);
    return m?.operation;
  },

  parse(ctx, model, op) {
    if (isS3(model)) checkPresigned(ctx);
    const shape = inputShape(model, op);
    const input = readBoundInput(ctx, model, shape, labelsOf.get(ctx) ?? {}, bindingOptions(model));
    const payload = payloadMember(model, shape);
    if (payload) {
      if (payload.kind === 'streamingBlob' && op.streamingInput) input[payload.name] = streamingPayload(ctx);
      else if (payload.kind === 'structure') {
        const root = parseBody(ctx);
        if (root !== undefined) input[payload.name] = readXmlStructure(model, payload.member.target, root, false);
      } else if (payload.kind === 'string') {
        if (ctx.body?.length) input[payload.name] = ctx.body.toString('utf8');
      } else if (ctx.body?.length) input[payload.name] = ctx.body;
    } else if (op.input && hasBodyMembers(shape)) {
      const root = parseBody(ctx);
      if (root !== undefined) Object.assign(input, readXmlStructure(model, op.input, root, true));
    }
    return input;
  },

  async serialize(ctx, model, op, output) {
    const shape = outputShape(model, op);
    const { status, headers } = writeBoundOutput(ctx, model, op, shape, output);
    Object.assign(headers, idHeaders(ctx, model));
    const payload = payloadMember(model, shape);
    if (payload) {
      const v = output?.[payload.name];
      if (v === undefined || v === null) return sendResponse(ctx, status, headers, undefined);
      if (payload.kind === 'structure') {
        const target = model.shapes[payload.member.target];
        const rootName = payload.member.xmlName ?? (target && 'xmlName' in target ? target.xmlName : undefined) ?? payload.member.target;
        const ns = payload.member.xmlNamespace ?? (target && 'xmlNamespace' in target ? target.xmlNamespace : undefined);
        const tree = { ...namespaceAttr(model, ns), ...writeXmlStructure(model, payload.member.target, v, false) };
        return sendResponse(ctx, status, headers, writeXml(rootName, tree), XML);
      }
      return sendResponse(ctx, status, headers, v as never, payload.kind === 'string' ? 'text/plain' : 'application/octet-stream');
    }
    if (op.output && hasBodyMembers(shape) && isS3(model) && UNWRAPPED_OUTPUTS.has(ctx.operationName ?? '')) {
      const rootName = shape.xmlName ?? op.output;
      const member = Object.keys(shape.members).find((n) => !shape.members[n]!.location)!;
      const value = output?.[member];
      const tree: XmlTree = { ...namespaceAttr(model, shape.xmlNamespace), ...(value !== undefined && value !== '' ? { '#text': String(value) } : {}) };
      return sendResponse(ctx, status, headers, writeXml(rootName, tree), XML);
    }
    if (op.output && hasBodyMembers(shape)) {
      const rootName = shape.xmlName ?? op.output;
      const tree = { ...namespaceAttr(model, shape.xmlNamespace), ...writeXmlStructure(model, op.output, output, true) };
      return sendResponse(ctx, status, headers, writeXml(rootName, tree), XML);
    }
    return sendResponse(ctx, status, headers, undefined);
  },

  serializeError(ctx, model, err) {
    const shape = model ? errorShape(model, err.code) : undefined;
    const status = shape?.error?.httpStatus ?? err.status;
    ctx.errorCode = err.code;
    setHeaders(ctx, { ...err.headers, ...idHeaders(ctx, model) });
    let body: string | undefined;
    if (ctx.method !== 'HEAD' && status !== 304) {
      const fields: XmlTree = {};
      for (const [k, v] of Object.entries(err.fields)) if (v !== undefined && v !== null) fields[k] = v instanceof Date ? v.toISOString() : String(v);
      if (isS3(model) || !model) {
        body = writeXml('Error', { Code: err.code, Message: err.message, ...fields, RequestId: ctx.requestId, HostId: String(ctx.res.getHeader('x-amz-id-2') ?? '') });
      } else {
        const error: XmlTree = { Type: err.sender ? 'Sender' : 'Receiver', Code: err.code, Message: err.message, ...fields };
        body = writeXml('ErrorResponse', { ...namespaceAttr(model, undefined), Error: error, RequestId: ctx.requestId });
      }
    }
    void sendResponse(ctx, status, {}, body, XML);
  },
};

export default restXml;
