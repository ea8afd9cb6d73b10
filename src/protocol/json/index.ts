/**
 * awsJson 1.0 / 1.1: POST / with X-Amz-Target "<prefix>.<Operation>", JSON bodies.
 * awsQueryCompatible services also accept `x-amzn-query-mode: true` and answer errors with
 * `x-amzn-query-error: <legacy code>;<Sender|Receiver>`.
 */
import type { Protocol } from '../protocol.js';
import type { RequestContext } from '../../gateway/context.js';
import type { ServiceModel } from '../model.js';
import { AwsError } from '../../core/errors.js';
import { errorShape } from '../models.js';
import { JSON_SCALARS, readStructure, writeStructure } from './codec.js';
import { writeValue as writeWithScalars, type Scalars } from '../walk.js';

const OPTS = { useJsonName: false };

export function contentType(model: ServiceModel): string {
  return `application/x-amz-json-${model.jsonVersion ?? '1.0'}`;
}

export function parseJsonBody(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return {};
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
  }
}

/** Error code and status as the json protocol reports them for `err`. */
export function jsonErrorParts(model: ServiceModel | undefined, err: AwsError): { type: string; status: number; queryError?: string } {
  const shape = model ? errorShape(model, err.code) : undefined;
  const status = shape?.error?.httpStatus ?? err.status;
  const type = model && shape ? `${model.namespace}#${err.code}` : err.code;
  let queryError: string | undefined;
  if (model?.awsQueryCompatible) {
    const code = shape?.error?.queryCode ?? err.code;
    queryError = `${code};${err.sender ? 'Sender' : 'Receiver'}`;
  }
  return { type, status, queryError };
}

/**
 * The error body of the document protocols (awsJson, rpcv2Cbor): `__type`, `message`, and the
 * error's fields — modelled members written by their shape (blobs, timestamps), others as given.
 */
export function errorDocument(model: ServiceModel | undefined, err: AwsError, sc: Scalars): Record<string, unknown> {
  const { type } = jsonErrorParts(model, err);
  const body: Record<string, unknown> = { __type: type, message: err.message };
  const members = model && errorShape(model, err.code)?.members;
  for (const [k, v] of Object.entries(err.fields)) body[k] = members?.[k] && v !== undefined ? writeWithScalars(model!, members[k]!, v, sc) : v;
  return body;
}

const json: Protocol = {
  id: 'json',
  needsBody: true,
  resolveOperation(ctx) {
    const target = ctx.req.headers['x-amz-target'];
    if (typeof target !== 'string') return undefined;
    const dot = target.lastIndexOf('.');
    return dot < 0 ? undefined : target.slice(dot + 1);
  },
  parse(ctx, model, op) {
    const body = parseJsonBody(ctx.body);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AwsError('SerializationException', 'Start of list found where not expected', 400);
    }
    return readStructure(model, op.input, body, OPTS);
  },
  serialize(ctx, model, op, output) {
    const text = JSON.stringify(writeStructure(model, op.output, output, OPTS));
    send(ctx, 200, contentType(model), text);
  },
  serializeError(ctx, model, err) {
    const { status, queryError } = jsonErrorParts(model, err);
    const body = errorDocument(model, err, JSON_SCALARS);
    if (queryError) ctx.res.setHeader('x-amzn-query-error', queryError);
    for (const [k, v] of Object.entries(err.headers)) ctx.res.setHeader(k, v);
    ctx.errorCode = err.code;
    send(ctx, status, model ? contentType(model) : 'application/x-amz-json-1.0', JSON.stringify(body));
  },
};

function send(ctx: RequestContext, status: number, type: string, text: string): void {
  ctx.status = status;
  ctx.res.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': ctx.requestId,
  });
  ctx.res.end(text);
}

export default json;
