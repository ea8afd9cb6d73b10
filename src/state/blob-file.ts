/**
 * Reading a blob file. `FileBlobStream` is an ordinary Readable (emits 'ready' once the file is
 * open, ENOENT as 'error') for consumers inside the process; an HTTP response takes the fast
 * path `sendTo(res)` instead: the bytes are read into buffers from a small pool and each buffer
 * goes back to the pool once the socket has taken it. A fresh 1 MiB buffer per chunk (what
 * fs.createReadStream does) costs page faults on first touch and GC work afterwards — on an
 * 8 MiB GetObject more than the copy itself — and lets RSS climb with concurrency.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { ServerResponse } from 'node:http';

/** Size of one read. */
const CHUNK = 1 << 20;
/** Reads ahead of the socket per response (bounds the memory one download holds). */
const AHEAD = 2;
/** Idle buffers kept for reuse (retained memory: POOL_MAX × CHUNK). */
const POOL_MAX = 16;

const pool: Buffer[] = [];
const take = (): Buffer => pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
const give = (b: Buffer): void => {
  if (pool.length < POOL_MAX) pool.push(b);
};

export class FileBlobStream extends Readable {
  private fh: FileHandle | undefined;
  private readonly opening: Promise<FileHandle>;
  private pos: number;
  private readonly end: number;
  /** sendTo took over: the Readable side is not used */
  private sending = false;

  /** Bytes [start, end] (inclusive) of the file at `path`; end undefined = to the end of the file. */
  constructor(path: string, start = 0, end?: number) {
    super({ highWaterMark: CHUNK });
    this.pos = start;
    this.end = end ?? Number.MAX_SAFE_INTEGER;
    this.opening = open(path, 'r');
    this.opening.then(
      (fh) => {
        this.fh = fh;
        if (this.destroyed) void fh.close().catch(() => {});
        else this.emit('ready');
      },
      (err: Error) => this.destroy(err),
    );
  }

  override _read(): void {
    void this.readChunk(Buffer.allocUnsafe(Math.min(CHUNK, this.end - this.pos + 1))).then(
      (chunk) => this.push(chunk && chunk.length ? chunk : null),
      (err: Error) => this.destroy(err),
    );
  }

  /** The next bytes into `buf` (a view of it; empty at the end). */
  private async readChunk(buf: Buffer): Promise<Buffer | undefined> {
    const fh = this.fh ?? (await this.opening);
    const want = Math.min(buf.length, this.end - this.pos + 1);
    if (want <= 0) return buf.subarray(0, 0);
    const { bytesRead } = await fh.read(buf, 0, want, this.pos);
    this.pos += bytesRead;
    return buf.subarray(0, bytesRead);
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    const fh = this.fh;
    this.fh = undefined;
    if (fh) fh.close().then(() => cb(err), () => cb(err));
    else cb(err);
  }

  /**
   * Write the bytes to `res` and end it, reading ahead at most AHEAD pooled buffers. Settles
   * when the response is finished or the client went away (then the response is destroyed).
   */
  async sendTo(res: ServerResponse): Promise<void> {
    this.sending = true;
    let gone = false;
    let wake: (() => void) | undefined;
    const onClose = () => {
      gone = true;
      wake?.();
    };
    res.on('close', onClose);
    let inFlight = 0;
    const written = (buf: Buffer) => () => {
      give(buf);
      inFlight--;
      wake?.();
    };
    try {
      for (;;) {
        while (inFlight >= AHEAD && !gone) await new Promise<void>((r) => (wake = r));
        wake = undefined;
        if (gone) break;
        const buf = take();
        const chunk = await this.readChunk(buf);
        if (!chunk || chunk.length === 0 || gone) {
          give(buf);
          break;
        }
        inFlight++;
        res.write(chunk, written(buf));
      }
      if (!gone) await new Promise<void>((r) => res.end(r));
      else res.destroy();
    } catch {
      res.destroy(); // headers are out: cut the answer
    } finally {
      res.off('close', onClose);
      this.destroy();
    }
  }

  /** Whether a consumer already started reading the Readable side (sendTo must not then run). */
  get started(): boolean {
    return this.sending || this.readableFlowing !== null || this.readableLength > 0;
  }
}
