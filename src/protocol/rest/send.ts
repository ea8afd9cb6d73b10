/** Writing a REST response: bound headers, then a text/bytes body or a piped stream. */
import type { ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { RequestContext } from '../../gateway/context.js';
import { setHeaders } from './bindings.js';
import { FileBlobStream } from '../../state/blob-file.js';

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
    if (body instanceof FileBlobStream && !body.started) await body.sendTo(res);
    else await pipeTo(body, res);
    return;
  }
  const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (bytes && contentType && !res.hasHeader('content-type')) res.setHeader('content-type', contentType);
  if (!res.hasHeader('content-length') && status !== 204 && status !== 304) res.setHeader('content-length', bytes ? bytes.length : 0);
  if (noBody || !bytes) res.end();
  else res.end(bytes);
}

/**
 * `body.pipe(res)` until the response is finished; if the source fails or the client goes away
 * first, both are destroyed (headers are gone, so the answer is cut). Settles, never rejects.
 * (stream.pipeline does the same but builds an AbortController and a DOMException per call,
 * a measurable share of a small GetObject.)
 */
function pipeTo(body: Readable, res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true; // (the listeners stay: a late 'error' from the source must not go unhandled)
      if (!ok) {
        body.unpipe(res);
        body.destroy();
        res.destroy();
      }
      resolve();
    };
    const onError = () => settle(false);
    const onFinish = () => settle(true);
    const onClose = () => settle(res.writableFinished);
    body.on('error', onError);
    res.on('finish', onFinish);
    res.on('close', onClose);
    body.pipe(res);
  });
}
