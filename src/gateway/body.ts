/** Reads a whole (non-streaming) request body, with a size limit and gzip request compression. */
import type { IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { AwsError } from '../core/errors.js';

const EMPTY = Buffer.alloc(0);

/**
 * The body, synchronously when it has already arrived whole (a small request usually comes in
 * the same segment as its headers: the parser has buffered it one microtask after the request
 * event), otherwise by reading the stream. Throws (or rejects) with an AWS-shaped error.
 */
export function readBody(req: IncomingMessage, limit: number): Buffer | Promise<Buffer> {
  const length = req.headers['content-length'];
  // Neither Content-Length nor Transfer-Encoding: the request has no body (RFC 9112 §6.3).
  if (length === undefined && req.headers['transfer-encoding'] === undefined) return EMPTY;
  const declared = Number(length ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  // With a Content-Length, the parser never hands this message more bytes than it declares:
  // once that many are buffered, the body is complete.
  if (declared >= 0 && req.readableFlowing !== true) {
    if (declared === 0) return decode(req, EMPTY, limit);
    if (req.readableLength >= declared) return decode(req, takeBuffered(req), limit);
    return Promise.resolve().then(() =>
      req.readableLength >= declared && req.readableFlowing !== true && !req.destroyed ? decode(req, takeBuffered(req), limit) : readStreamed(req, limit),
    );
  }
  return readStreamed(req, limit);
}

function takeBuffered(req: IncomingMessage): Buffer {
  const chunks: Buffer[] = [];
  let size = 0;
  let chunk: Buffer | null;
  while ((chunk = req.read() as Buffer | null) !== null) {
    chunks.push(chunk);
    size += chunk.length;
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

async function readStreamed(req: IncomingMessage, limit: number): Promise<Buffer> {
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
  return decode(req, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), limit);
}

function decode(req: IncomingMessage, body: Buffer, limit: number): Buffer {
  const enc = req.headers['content-encoding'];
  if (enc && /\bgzip\b/i.test(enc) && body.length) {
    try {
      return gunzipSync(body, { maxOutputLength: limit });
    } catch {
      throw new AwsError('SerializationException', 'The request body could not be decompressed (Content-Encoding: gzip).', 400);
    }
  }
  return body;
}

function tooLarge(limit: number): AwsError {
  return new AwsError('RequestEntityTooLarge', `Request body exceeds the maximum allowed size of ${limit} bytes.`, 413);
}
