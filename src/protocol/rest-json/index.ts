/**
 * rest-json (Lambda, API Gateway, EKS, …): operations routed by method + path + query,
 * members bound to the URI, query, headers and payload, JSON bodies honouring jsonName
 * (the body codec is the json protocol's, with useJsonName). Errors carry the code in
 * `x-amzn-errortype` and a JSON body with the message and the error's own members.
 */
import type { Protocol } from '../protocol.js';
import type { RequestContext } from '../../gateway/context.js';
import type { ServiceModel } from '../model.js';
import { AwsError } from '../../core/errors.js';
import { errorShape } from '../models.js';
import { resolveRestOperation } from '../rest/router.js';
import { hasBodyMembers, inputShape, outputShape, payloadMember, readBoundInput, streamingPayload, writeBoundOutput, type BindingOptions } from '../rest/bindings.js';
import { sendResponse } from '../rest/send.js';
import { readStructure, readValue, writeStructure, writeValue } from '../json/codec.js';
import { Violations } from '../shapes.js';

const OPTS = { useJsonName: true };
const JSON_TYPE = 'application/json';
const labelsOf = new WeakMap<RequestContext, Record<string, string>>();

const bindingOptions: BindingOptions = {
  invalid: (_member, wire, raw) => new AwsError('SerializationException', `Unable to parse value '${raw}' for '${wire}'`, 400),
};

function parseJson(body: Buffer | undefined): unknown {
  if (!body?.length) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Could not parse request body into json: Unexpected character', 400);
  }
}

/** Missing required members bound to the URI, query or headers (body members are checked by the codec). */
function checkRequiredBound(model: ServiceModel, shapeName: string | undefined, input: Record<string, unknown>, v: Violations): void {
  const shape = shapeName ? model.shapes[shapeName] : undefined;
  if (!shape || shape.type !== 'structure') return;
  for (const [name, m] of Object.entries(shape.members)) {
    if (m.required && m.location && m.location !== 'payload' && input[name] === undefined) {
      v.add(`Value null at '${name[0]!.toLowerCase()}${name.slice(1)}' failed to satisfy constraint: Member must not be null`);
    }
  }
}

const restJson: Protocol = {
  id: 'rest-json',
  needsBody: false,

  resolveOperation(ctx, model) {
    const m = resolveRestOperation(ctx, model);
    if (m) labelsOf.set(ctx, m.labels);
    return m?.operation;
  },

  parse(ctx, model, op) {
    const shape = inputShape(model, op);
    const input = readBoundInput(ctx, model, shape, labelsOf.get(ctx) ?? {}, bindingOptions);
    const v = new Violations();
    checkRequiredBound(model, op.input, input, v);
    const payload = payloadMember(model, shape);
    if (payload) {
      if (payload.kind === 'streamingBlob' && op.streamingInput) input[payload.name] = streamingPayload(ctx);
      else if (payload.kind === 'structure') {
        const json = parseJson(ctx.body);
        if (json !== undefined) input[payload.name] = readValue(model, payload.member, json, OPTS, payload.name, v);
      } else if (payload.kind === 'document') {
        const json = parseJson(ctx.body);
        if (json !== undefined) input[payload.name] = json;
      } else if (payload.kind === 'string') {
        if (ctx.body?.length) input[payload.name] = ctx.body.toString('utf8');
      } else if (ctx.body?.length) input[payload.name] = ctx.body;
      if (payload.member.required && input[payload.name] === undefined) v.add(`Value null at '${payload.name}' failed to satisfy constraint: Member must not be null`);
      v.throwIfAny();
      return input;
    }
    const json = op.input && hasBodyMembers(shape) ? parseJson(ctx.body) : undefined;
    if (json !== undefined && (typeof json !== 'object' || json === null || Array.isArray(json))) throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
    const body = op.input ? readStructure(model, op.input, json ?? {}, OPTS, '', v) : {};
    v.throwIfAny();
    return { ...body, ...input };
  },

  async serialize(ctx, model, op, output) {
    const shape = outputShape(model, op);
    const { status, headers } = writeBoundOutput(ctx, model, op, shape, output);
    headers['x-amzn-RequestId'] = ctx.requestId;
    const payload = payloadMember(model, shape);
    if (payload) {
      const value = output?.[payload.name];
      if (value === undefined || value === null) return sendResponse(ctx, status, headers, undefined);
      if (payload.kind === 'structure') return sendResponse(ctx, status, headers, JSON.stringify(writeValue(model, payload.member, value, OPTS)), JSON_TYPE);
      if (payload.kind === 'document') return sendResponse(ctx, status, headers, JSON.stringify(value), JSON_TYPE);
      const type = payload.member.mediaType ?? (payload.kind === 'string' ? 'text/plain' : 'application/octet-stream');
      return sendResponse(ctx, status, headers, value as never, type);
    }
    if (op.output && hasBodyMembers(shape)) return sendResponse(ctx, status, headers, JSON.stringify(writeStructure(model, op.output, output, OPTS)), JSON_TYPE);
    return sendResponse(ctx, status, headers, undefined);
  },

  serializeError(ctx, model, err) {
    const shape = model ? errorShape(model, err.code) : undefined;
    const status = shape?.error?.httpStatus ?? err.status;
    ctx.errorCode = err.code;
    const body: Record<string, unknown> = shape && model ? writeStructure(model, err.code, err.fields, OPTS) : { ...err.fields };
    // The message member is "message" or "Message" as the error shape spells it.
    const messageKey = shape && 'Message' in shape.members && !('message' in shape.members) ? 'Message' : 'message';
    body[messageKey] = err.message;
    // Lambda-style errors carry a Type: "User" for client faults, "Service" for server ones.
    if (shape && 'Type' in shape.members && body.Type === undefined) body.Type = shape.error?.fault === 'server' ? 'Service' : 'User';
    const headers: Record<string, string> = { ...err.headers, 'x-amzn-errortype': err.code, 'x-amzn-RequestId': ctx.requestId };
    void sendResponse(ctx, status, headers, ctx.method === 'HEAD' ? undefined : JSON.stringify(body), JSON_TYPE);
  },
};

export default restJson;
