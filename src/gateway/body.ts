/** Reads a whole (non-streaming) request body, with a size limit and gzip request compression. */
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { AwsError } from '../core/errors.js';

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof AwsError) throw e;
    // The client went away (or broke the chunked framing) before the whole body arrived.
    throw new AwsError('IncompleteBody', 'The request body ended before the number of bytes given by Content-Length was received.', 400);
  }
  let body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
  const enc = req.headers['content-encoding'];
  if (enc && /\bgzip\b/i.test(enc) && body.length) {
    try {
      body = gunzipSync(body, { maxOutputLength: limit });
    } catch {
      throw new AwsError('SerializationException', 'The request body could not be decompressed (Content-Encoding: gzip).', 400);
    }
  }
  return body;
}

function tooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLarge', `Request body exceeds the maximum allowed size of ${limit} bytes.`, 413);
}
