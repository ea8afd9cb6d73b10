/**
 * Payload bytes (S3 objects, Lambda zips, …) live in files, written by streaming and
 * referenced from metadata by id; they are never held whole in memory.
 * A blob is written to a temporary name and renamed into place once complete, so a
 * blob id that reached the metadata always names a whole file.
 *
 * Small blobs (up to INLINE_MAX bytes) of a persistent store are kept in the storage engine
 * instead (ids starting with "i"): creating, renaming and unlinking a file per small object
 * cost more than the rest of a 1 KiB PutObject or GetObject together, while an engine write
 * joins the group commit that also carries the object's metadata (same kill -9 durability:
 * the gateway awaits that commit before answering). Reading one is a point lookup.
 */
import { createWriteStream, mkdirSync, rmSync, statSync, unlinkSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import type { Engine, Key } from './engine.js';
import { FileBlobStream } from './blob-file.js';

/** 32 random hex digits (128 bits), from a pool: one randomBytes call per 256 ids. */
let idPool: Buffer = Buffer.alloc(0);
let idAt = 0;
function newBlobId(): string {
  if (idAt + 16 > idPool.length) {
    idPool = randomBytes(16 * 256);
    idAt = 0;
  }
  const id = idPool.toString('hex', idAt, idAt + 16);
  idAt += 16;
  return id;
}

/** Largest blob kept in the engine rather than in a file. */
export const INLINE_MAX = 64 * 1024;

export interface BlobInfo {
  id: string;
  size: number;
}

export class BlobStore {
  /** engine key prefix of inline blobs (under the service's state, so a reset clears them) */
  private readonly inlinePrefix: Key | undefined;

  /**
   * `inline`: a persistent engine and the service id, to keep small blobs in the engine. Without
   * it (ephemeral instances) every blob is a file.
   */
  constructor(
    private readonly dir: string,
    private readonly inline?: { engine: Engine; service: string },
    /** fsync each blob file before it is renamed into place (durability 'disk') */
    private readonly fsync = false,
  ) {
    // Whatever is in tmp/ was being written when the process died: never acknowledged.
    rmSync(join(dir, 'tmp'), { recursive: true, force: true });
    mkdirSync(join(dir, 'tmp'), { recursive: true });
    this.inlinePrefix = inline ? ['s', inline.service, '\u0000blobs', ''] : undefined;
  }

  private path(id: string): string {
    return join(this.dir, id.slice(0, 2), id);
  }

  private inlineKey(id: string): Key {
    return [...this.inlinePrefix!, id];
  }

  private inlineBytes(id: string): Buffer | undefined {
    if (!this.inline) return undefined;
    const v = this.inline.engine.get(this.inlineKey(id));
    return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : undefined;
  }

  /**
   * Stream `source` into a new blob. `onChunk` sees every chunk (for hashes/checksums) before
   * it is written. Rejects (and leaves nothing behind) if the source fails.
   */
  async write(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, onChunk?: (chunk: Uint8Array) => void): Promise<BlobInfo> {
    const iterator = (Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : (source as Iterable<Uint8Array>)[Symbol.iterator]()) as AsyncIterator<Uint8Array> | Iterator<Uint8Array>;
    // Small enough to keep inline? Hold up to INLINE_MAX bytes before deciding.
    const held: Uint8Array[] = [];
    let size = 0;
    if (this.inline) {
      let ended = false;
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) {
            ended = true;
            break;
          }
          const chunk = next.value;
          onChunk?.(chunk);
          size += chunk.length;
          held.push(chunk);
          if (size > INLINE_MAX) break;
        }
      } catch (err) {
        await closeIterator(iterator);
        throw err;
      }
      if (ended) {
        const id = 'i' + newBlobId();
        // (encoded by the engine at once: the chunks may be reused afterwards)
        const one = held[0];
        const bytes = held.length === 1 && one ? Buffer.from(one.buffer, one.byteOffset, one.byteLength) : Buffer.concat(held, size);
        this.inline.engine.put(this.inlineKey(id), bytes);
        return { id, size };
      }
    }
    const id = newBlobId();
    const tmp = join(this.dir, 'tmp', id);
    // 1 MiB of buffer (the default is 16 KiB): each 64 KiB request chunk no longer waits for its
    // own fs.write; chunks queued meanwhile go to disk together in one writev.
    const out = createWriteStream(tmp, { highWaterMark: 1 << 20, flush: this.fsync });
    // An error may arrive while we wait for the source (or after we abandon the file): keep it
    // for the loop instead of letting it become an uncaught exception.
    let failed: Error | undefined;
    out.on('error', (e) => {
      failed ??= e;
    });
    try {
      for (const chunk of held) if (!out.write(chunk)) await once(out, 'drain');
      for (;;) {
        const next = await iterator.next();
        if (failed) throw failed;
        if (next.done) break;
        const chunk = next.value;
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
      await closeIterator(iterator);
      throw err;
    }
  }

  /** Write a small in-memory payload. */
  writeBuffer(data: Uint8Array): Promise<BlobInfo> {
    return this.write([data]);
  }

  /**
   * A stream over the whole blob or the inclusive byte range [start, end] (a FileBlobStream for
   * files: HTTP responses send it through its pooled fast path).
   */
  read(id: string, range?: { start: number; end: number }): Readable {
    if (id.startsWith('i')) return inlineStream(this.inlineBytes(id), id, range);
    return new FileBlobStream(this.path(id), range?.start, range?.end);
  }

  /**
   * The bytes of an inline (small) blob, or of its inclusive range, without a stream: undefined
   * when the blob is a file. Throws ENOENT when an inline blob is gone.
   */
  readInline(id: string, range?: { start: number; end: number }): Buffer | undefined {
    if (!id.startsWith('i')) return undefined;
    const bytes = this.inlineBytes(id);
    if (!bytes) throw missing(id);
    return range ? bytes.subarray(range.start, range.end + 1) : bytes;
  }

  async readAll(id: string): Promise<Buffer> {
    if (id.startsWith('i')) return this.inlineBytes(id) ?? Promise.reject(missing(id));
    return fsp.readFile(this.path(id));
  }

  size(id: string): number {
    if (id.startsWith('i')) {
      const b = this.inlineBytes(id);
      if (!b) throw missing(id);
      return b.length;
    }
    return statSync(this.path(id)).size;
  }

  delete(id: string): void {
    if (id.startsWith('i')) {
      if (this.inline) this.inline.engine.remove(this.inlineKey(id));
      return;
    }
    try {
      unlinkSync(this.path(id));
    } catch {
      /* already gone */
    }
  }

  /** Remove everything (used by ephemeral instances on stop and by a full reset). */
  destroy(): void {
    if (this.inline) this.inline.engine.clear(this.inlinePrefix!);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Stops a source we stop reading early (a request body: lets it be destroyed). */
async function closeIterator(it: AsyncIterator<Uint8Array> | Iterator<Uint8Array>): Promise<void> {
  try {
    await it.return?.();
  } catch {
    /* already failed */
  }
}

function missing(id: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOENT: no such blob '${id}'`), { code: 'ENOENT' });
}

/**
 * A stream over an inline blob that behaves like a file stream: it emits 'ready' once it can be
 * read (or 'error' with ENOENT when the blob is gone), then the bytes [start, end].
 */
function inlineStream(bytes: Buffer | undefined, id: string, range?: { start: number; end: number }): Readable {
  let sent = false;
  const stream = new Readable({
    read() {
      if (!sent && bytes) {
        sent = true;
        const part = range ? bytes.subarray(range.start, range.end + 1) : bytes;
        if (part.length) this.push(part);
      }
      this.push(null);
    },
  });
  process.nextTick(() => {
    if (bytes) stream.emit('ready');
    else stream.destroy(missing(id));
  });
  return stream;
}
