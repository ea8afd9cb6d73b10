/**
 * Smithy RPC v2 CBOR: `POST /service/<ServiceName>/operation/<Operation>` with
 * `smithy-protocol: rpc-v2-cbor` and a CBOR body; answers carry the same header and
 * `Content-Type: application/cbor`. A unit output has no body at all; an empty output
 * structure is an empty map. Errors are a map `{ __type: "<namespace>#<Code>", message }`
 * with the error shape's HTTP status, plus `x-amzn-query-error` for awsQueryCompatible
 * services (CloudWatch), exactly as in awsJson.
 */
import type { Protocol } from '../protocol.js';
import type { RequestContext } from '../../gateway/context.js';
import { AwsError } from '../../core/errors.js';
import { readStructure, writeStructure } from '../walk.js';
import { errorDocument, jsonErrorParts } from '../json/index.js';
import { CBOR_SCALARS, decodeCbor, encodeCbor } from './codec.js';

const OPERATION_PATH = /^\/service\/[^/]+\/operation\/([^/]+)$/;

const cbor: Protocol = {
  id: 'smithy-rpc-v2-cbor',
  needsBody: true,
  resolveOperation(ctx) {
    return OPERATION_PATH.exec(ctx.rawPath)?.[1];
  },
  parse(ctx, model, op) {
    if (ctx.method !== 'POST') throw new AwsError('UnknownOperationException', `rpcv2Cbor operations are invoked with POST, not ${ctx.method}`, 405);
    const body = decodeCbor(ctx.body);
    return readStructure(model, op.input, body, CBOR_SCALARS);
  },
  serialize(ctx, model, op, output) {
    if (!op.output) return send(ctx, 200);
    send(ctx, 200, encodeCbor(writeStructure(model, op.output, output, CBOR_SCALARS)));
  },
  serializeError(ctx, model, err) {
    const { status, queryError } = jsonErrorParts(model, err);
    const body = errorDocument(model, err, CBOR_SCALARS);
    if (queryError) ctx.res.setHeader('x-amzn-query-error', queryError);
    for (const [k, v] of Object.entries(err.headers)) ctx.res.setHeader(k, v);
    ctx.errorCode = err.code;
    send(ctx, status, encodeCbor(body));
  },
};

function send(ctx: RequestContext, status: number, body?: Buffer): void {
  ctx.status = status;
  const headers: Record<string, string | number> = {
    'smithy-protocol': 'rpc-v2-cbor',
    'content-length': body?.length ?? 0,
    'x-amzn-requestid': ctx.requestId,
  };
  if (body) headers['content-type'] = 'application/cbor';
  ctx.res.writeHead(status, headers);
  ctx.res.end(body);
}

export default cbor;
