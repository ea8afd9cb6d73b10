/**
 * `Content-Encoding: aws-chunked` request bodies, as SDK v3, boto3 and the CLI send S3
 * uploads by default: `<hex-size>[;chunk-signature=…]\r\n<bytes>\r\n … 0[;…]\r\n` followed
 * by optional trailer lines (`x-amz-checksum-crc32:…`) and an empty line. Covers
 * STREAMING-UNSIGNED-PAYLOAD-TRAILER and STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER);
 * chunk signatures are read, not verified (gureum does not verify SigV4).
 *
 * The decoder streams: data slices pass through without copying. Like Node's
 * IncomingMessage, it has a `trailers` object, filled in once the stream has ended, so a
 * handler reads `body.trailers` whichever of the two it was given.
 */
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { IncomingHttpHeaders } from 'node:http';
import { AwsError } from '../../core/errors.js';

const MAX_LINE = 8192;

type State = 'size' | 'data' | 'dataEnd' | 'trailer' | 'done';

export function isAwsChunked(headers: IncomingHttpHeaders): boolean {
  const enc = headers['content-encoding'];
  if (typeof enc === 'string' && /(^|,)\s*aws-chunked\s*(,|$)/i.test(enc)) return true;
  const sha = headers['x-amz-content-sha256'];
  return typeof sha === 'string' && sha.startsWith('STREAMING-');
}

export const incompleteBody = () =>
  new AwsError('IncompleteBody', 'You did not provide the number of bytes specified by the Content-Length HTTP header.', 400);

export const malformedTrailer = () =>
  new AwsError('MalformedTrailerError', 'The request contained trailing data that was not well-formed or did not conform to our published schema.', 400);

class AwsChunkedDecoder extends Transform {
  readonly trailers: Record<string, string> = {};
  private state: State = 'size';
  private line: Buffer[] = [];
  private lineLen = 0;
  private remaining = 0;
  private crlfSeen = 0;
  private decoded = 0;

  constructor(private readonly expected: number | undefined) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    try {
      this.consume(chunk);
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    if (this.state === 'trailer' && this.lineLen > 0) this.trailerLine(this.takeLine());
    if (this.state !== 'done' && this.state !== 'trailer') return done(incompleteBody());
    if (this.expected !== undefined && this.decoded !== this.expected) return done(incompleteBody());
    done();
  }

  private consume(buf: Buffer): void {
    let i = 0;
    while (i < buf.length) {
      switch (this.state) {
        case 'data': {
          const n = Math.min(this.remaining, buf.length - i);
          this.push(buf.subarray(i, i + n));
          this.decoded += n;
          this.remaining -= n;
          i += n;
          if (this.remaining === 0) {
            this.state = 'dataEnd';
            this.crlfSeen = 0;
          }
          break;
        }
        case 'dataEnd': {
          const expect = this.crlfSeen === 0 ? 0x0d : 0x0a;
          if (buf[i] !== expect) throw incompleteBody();
          i++;
          if (++this.crlfSeen === 2) this.state = 'size';
          break;
        }
        case 'size':
        case 'trailer': {
          const nl = buf.indexOf(0x0a, i);
          const end = nl < 0 ? buf.length : nl + 1;
          this.lineLen += end - i;
          if (this.lineLen > MAX_LINE) throw this.state === 'size' ? incompleteBody() : malformedTrailer();
          this.line.push(buf.subarray(i, end));
          i = end;
          if (nl >= 0) {
            const text = this.takeLine();
            if (this.state === 'size') this.sizeLine(text);
            else this.trailerLine(text);
          }
          break;
        }
        case 'done':
          return; // anything after the final empty line is ignored
      }
    }
  }

  private takeLine(): string {
    const text = Buffer.concat(this.line, this.lineLen).toString('latin1').replace(/\r?\n$/, '');
    this.line = [];
    this.lineLen = 0;
    return text;
  }

  private sizeLine(text: string): void {
    const hex = text.split(';', 1)[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) throw incompleteBody();
    const size = parseInt(hex, 16);
    if (size === 0) this.state = 'trailer';
    else {
      this.remaining = size;
      this.state = 'data';
    }
  }

  private trailerLine(text: string): void {
    if (text === '') {
      this.state = 'done';
      return;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) throw malformedTrailer();
    this.trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
}

/** Decoded view of an aws-chunked request body. */
export function awsChunkedBody(source: Readable & { headers?: IncomingHttpHeaders }): Readable {
  const declared = source.headers?.['x-amz-decoded-content-length'];
  const expected = typeof declared === 'string' && /^\d+$/.test(declared) ? Number(declared) : undefined;
  const decoder = new AwsChunkedDecoder(expected);
  source.on('error', (e) => decoder.destroy(e));
  source.on('aborted', () => decoder.destroy(incompleteBody()));
  return source.pipe(decoder);
}
