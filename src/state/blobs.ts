/**
 * Payload bytes (S3 objects, Lambda zips, …) live in files, written by streaming and
 * referenced from metadata by id; they are never held whole in memory.
 * A blob is written to a temporary name and renamed into place once complete, so a
 * blob id that reached the metadata always names a whole file.
 */
import { createReadStream, createWriteStream, mkdirSync, rmSync, statSync, unlinkSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { Readable } from 'node:stream';

export interface BlobInfo {
  id: string;
  size: number;
}

export class BlobStore {
  constructor(private readonly dir: string) {
    mkdirSync(join(dir, 'tmp'), { recursive: true });
  }

  private path(id: string): string {
    return join(this.dir, id.slice(0, 2), id);
  }

  /**
   * Stream `source` into a new blob. `onChunk` sees every chunk (for hashes/checksums) before
   * it is written. Rejects (and leaves nothing behind) if the source fails.
   */
  async write(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onChunk?: (chunk: Uint8Array) => void): Promise<BlobInfo> {
    const id = randomBytes(16).toString('hex');
    const tmp = join(this.dir, 'tmp', id);
    const out = createWriteStream(tmp);
    let size = 0;
    try {
      for await (const chunk of source as AsyncIterable<Uint8Array>) {
        onChunk?.(chunk);
        size += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain'); // rejects on 'error', and removes its listeners
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      mkdirSync(join(this.dir, id.slice(0, 2)), { recursive: true });
      await fsp.rename(tmp, this.path(id));
      return { id, size };
    } catch (err) {
      out.destroy();
      rmSync(tmp, { force: true });
      throw err;
    }
  }

  /** Write a small in-memory payload. */
  writeBuffer(data: Uint8Array): Promise<BlobInfo> {
    return this.write([data]);
  }

  /**
   * A stream over the whole blob or the inclusive byte range [start, end]. Reads 1 MiB at a
   * time (16× fewer chunks than the 64 KiB default on large objects); give a range for small
   * blobs, since the read buffer is min(1 MiB, range length).
   */
  read(id: string, range?: { start: number; end: number }): Readable {
    return createReadStream(this.path(id), { highWaterMark: 1 << 20, ...(range ? { start: range.start, end: range.end } : {}) });
  }

  async readAll(id: string): Promise<Buffer> {
    return fsp.readFile(this.path(id));
  }

  size(id: string): number {
    return statSync(this.path(id)).size;
  }

  delete(id: string): void {
    try {
      unlinkSync(this.path(id));
    } catch {
      /* already gone */
    }
  }

  /** Remove everything (used by ephemeral instances on stop and by a full reset). */
  destroy(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
