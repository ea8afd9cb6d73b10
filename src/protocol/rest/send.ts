/** Writing a REST response: bound headers, then a text/bytes body or a piped stream. */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RequestContext } from '../../gateway/context.js';
import { setHeaders } from './bindings.js';

export type Body = string | Uint8Array | Readable | undefined;

/**
 * Send status, headers and body. A Readable is piped with backpressure; the promise settles
 * when the response is finished (or the client went away). HEAD answers carry no body but
 * keep the Content-Length the handler reported.
 */
export async function sendResponse(ctx: RequestContext, status: number, headers: Record<string, string>, body: Body, contentType?: string): Promise<void> {
  const { res } = ctx;
  ctx.status = status;
  res.statusCode = status;
  setHeaders(ctx, headers);
  const head = ctx.method === 'HEAD';
  const noBody = head || status === 204 || status === 304;
  if (body instanceof Readable) {
    if (contentType && !res.hasHeader('content-type')) res.setHeader('content-type', contentType);
    if (noBody) {
      body.destroy();
      res.end();
      return;
    }
    try {
      await pipeline(body, res);
    } catch {
      // The client went away or the source failed mid-stream: headers are gone, so cut it.
      res.destroy();
    }
    return;
  }
  const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes && contentType && !res.hasHeader('content-type')) res.setHeader('content-type', contentType);
  if (!res.hasHeader('content-length') && status !== 204 && status !== 304) res.setHeader('content-length', bytes ? bytes.length : 0);
  if (noBody || !bytes) res.end();
  else res.end(bytes);
}
