/**
 * One RequestContext per HTTP request, filled in step by step by the gateway chain and
 * handed to protocol parsers/serializers and to service handlers.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OperationModel, ProtocolId, ServiceModel } from '../protocol/model.js';
import type { Runtime } from './runtime.js';
import type { Scope } from '../state/store.js';

export interface SigV4Info {
  accessKeyId: string;
  date: string;        // yyyymmdd from the scope
  region: string;
  service: string;     // signing name
  signedHeaders: string[];
  signature: string;
  presigned: boolean;
  amzDate?: string;    // X-Amz-Date
  expires?: number;    // presigned X-Amz-Expires (s)
}

export interface RequestContext {
  readonly requestId: string;
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly runtime: Runtime;
  readonly method: string;
  /** decoded path without query string, as sent (for S3, percent-decoding is done per segment by the router) */
  readonly rawPath: string;
  readonly query: URLSearchParams;
  /** Host header (with port), e.g. "127.0.0.1:4566" or "bucket.s3.localhost.localstack.cloud:4566" */
  readonly host: string;
  /** "http://127.0.0.1:4566": the base URL the client used, for URLs we hand back (queue URLs) */
  readonly baseUrl: string;
  readonly startedAt: number; // performance.now()

  auth?: SigV4Info;
  accountId: string;
  region: string;
  accessKeyId?: string;

  service?: ServiceModel;
  protocol?: ProtocolId;
  operationName?: string;
  operation?: OperationModel;

  /** the whole body, once read (absent for operations with a streaming input) */
  body?: Buffer;
  /** S3 virtual-host bucket, when the Host named it */
  hostBucket?: string;

  /** Set by serializers: the HTTP status sent. */
  status?: number;
  /** Error code sent, if any (for the request log). */
  errorCode?: string;
  /** IAM's decision on this request (iamEnforcement soft|enforce), for the request log. */
  iam?: { decision: 'allow' | 'deny'; reason: string };
  /** Marks calls made by gureum itself through the dispatch path (cross-service effects). */
  internal?: boolean;
}

/** The account × region this request's state lives in (region "" for global services). */
export function scopeOf(ctx: RequestContext): Scope {
  return { account: ctx.accountId, region: ctx.service?.globalScope ? '' : ctx.region };
}
