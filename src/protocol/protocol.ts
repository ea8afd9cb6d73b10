/**
 * The contract every wire protocol implements. One parser and one serializer per protocol,
 * driven by the service model; service code never sees the wire format.
 */
import type { RequestContext } from '../gateway/context.js';
import type { AwsError } from '../core/errors.js';
import type { OperationModel, ProtocolId, ServiceModel } from './model.js';

export interface Protocol {
  readonly id: ProtocolId;
  /**
   * Which operation the request names. Called after the body was read unless `needsBody`
   * is false (REST protocols route on method + path + query + headers alone, so that
   * streaming inputs are never buffered).
   */
  readonly needsBody: boolean;
  resolveOperation(ctx: RequestContext, model: ServiceModel): string | undefined;
  /** Input object for the handler: members named as in the model, values typed as in the model. */
  parse(ctx: RequestContext, model: ServiceModel, op: OperationModel): Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Write a success response for `output` (may be undefined for unit outputs). */
  serialize(ctx: RequestContext, model: ServiceModel, op: OperationModel, output: Record<string, unknown> | undefined): Promise<void> | void;
  /** Write `err` in this protocol's error shape. `model` may be absent when detection failed. */
  serializeError(ctx: RequestContext, model: ServiceModel | undefined, err: AwsError): void;
}

const loaders: Record<ProtocolId, () => Promise<{ default: Protocol }>> = {
  query: () => import('./query/index.js'),
  ec2: () => import('./ec2/index.js'),
  json: () => import('./json/index.js'),
  'rest-json': () => import('./rest-json/index.js'),
  'rest-xml': () => import('./rest-xml/index.js'),
  'smithy-rpc-v2-cbor': () => import('./cbor/index.js'),
};

const loaded = new Map<ProtocolId, Protocol>();

/** Load a protocol implementation on first use (keeps start-up flat). */
export async function loadProtocol(id: ProtocolId): Promise<Protocol> {
  let p = loaded.get(id);
  if (!p) {
    p = (await loaders[id]()).default;
    loaded.set(id, p);
  }
  return p;
}

/** Synchronous access after a protocol was loaded once (used on hot paths). */
export function loadedProtocol(id: ProtocolId): Protocol | undefined {
  return loaded.get(id);
}
