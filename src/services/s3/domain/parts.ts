/**
 * Multipart objects keep their parts' blob files (no copy at CompleteMultipartUpload): a read
 * walks the parts that overlap the requested range, one file stream after another.
 */
import { Readable } from 'node:stream';
import type { BlobStore } from '../../../state/blobs.js';

export interface PartRef {
  blob: string;
  size: number;
  /** the part's checksum (the upload's algorithm), for GetObjectAttributes */
  checksum?: string;
}

/** Byte range [start, end] of part `n` (1-based). */
export function partRange(parts: PartRef[], n: number): { start: number; end: number } {
  let start = 0;
  for (let i = 0; i < n - 1; i++) start += parts[i]!.size;
  return { start, end: start + parts[n - 1]!.size - 1 };
}

function openOne(blobs: BlobStore, id: string, range: { start: number; end: number }): Promise<Readable> {
  const s = blobs.read(id, range);
  return new Promise((resolve, reject) => {
    s.once('error', reject);
    s.once('ready', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

/** Bytes [start, end] of the concatenated parts; the first file is open before this resolves. */
export async function openParts(blobs: BlobStore, parts: PartRef[], range?: { start: number; end: number }): Promise<Readable> {
  const total = parts.reduce((n, p) => n + p.size, 0);
  const { start, end } = range ?? { start: 0, end: total - 1 };
  const pieces: { blob: string; start: number; end: number }[] = [];
  let offset = 0;
  for (const p of parts) {
    const pEnd = offset + p.size - 1;
    if (p.size > 0 && pEnd >= start && offset <= end) pieces.push({ blob: p.blob, start: Math.max(start, offset) - offset, end: Math.min(end, pEnd) - offset });
    offset += p.size;
  }
  if (!pieces.length) return Readable.from([], { objectMode: false });
  const first = await openOne(blobs, pieces[0]!.blob, pieces[0]!);
  async function* gen(): AsyncGenerator<Buffer> {
    let current: Readable | undefined = first;
    try {
      for (let i = 0; i < pieces.length; i++) {
        current = i === 0 ? first : await openOne(blobs, pieces[i]!.blob, pieces[i]!);
        for await (const chunk of current) yield chunk as Buffer;
      }
    } finally {
      current?.destroy();
      if (current !== first) first.destroy();
    }
  }
  return Readable.from(gen(), { objectMode: false });
}
