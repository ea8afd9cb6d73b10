/** An error for a request whose protocol could not be determined: JSON, AWS-shaped. */
import type { AwsError } from '../core/errors.js';
import type { RequestContext } from './context.js';

export function fallbackError(ctx: RequestContext, err: AwsError): void {
  const body = JSON.stringify({ __type: err.code, message: err.message });
  const { res } = ctx;
  res.statusCode = err.status;
  res.setHeader('content-type', 'application/json');
  res.setHeader('x-amzn-requestid', ctx.requestId);
  res.setHeader('x-amzn-errortype', err.code);
  res.setHeader('content-length', Buffer.byteLength(body));
  ctx.status = err.status;
  ctx.errorCode = err.code;
  res.end(body);
}
