/**
 * Table-driven CRCs for S3's flexible checksums: CRC32 (zlib's, native when Node has it),
 * CRC32C (Castagnoli) and CRC64NVME, slicing-by-8. No npm package: these are small, and the
 * tests check them against what SDK v3 and boto3 compute.
 */
import * as zlib from 'node:zlib';

export interface Crc {
  update(chunk: Uint8Array): void;
  /** big-endian bytes, as S3 base64-encodes them */
  digest(): Buffer;
}

// ---- 32-bit, reflected polynomials

function tables32(poly: number): Uint32Array[] {
  const t: Uint32Array[] = [];
  const t0 = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ poly : c >>> 1;
    t0[i] = c >>> 0;
  }
  t.push(t0);
  for (let s = 1; s < 8; s++) {
    const prev = t[s - 1]!;
    const cur = new Uint32Array(256);
    for (let i = 0; i < 256; i++) cur[i] = (prev[i]! >>> 8) ^ t0[prev[i]! & 0xff]!;
    t.push(cur);
  }
  return t;
}

function update32(t: Uint32Array[], crc: number, d: Uint8Array): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = t as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let i = 0;
  const n = d.length;
  for (; i + 8 <= n; i += 8) {
    const a = (crc ^ (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24))) >>> 0;
    crc = t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]! ^ t3[d[i + 4]!]! ^ t2[d[i + 5]!]! ^ t1[d[i + 6]!]! ^ t0[d[i + 7]!]!;
  }
  for (; i < n; i++) crc = (crc >>> 8) ^ t0[(crc ^ d[i]!) & 0xff]!;
  return crc >>> 0;
}

let crc32Tables: Uint32Array[] | undefined;
let crc32cTables: Uint32Array[] | undefined;
const nativeCrc32 = (zlib as unknown as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;

class Crc32 implements Crc {
  private c = 0;
  update(chunk: Uint8Array): void {
    if (nativeCrc32) this.c = nativeCrc32(chunk, this.c);
    else this.c = update32((crc32Tables ??= tables32(0xedb88320)), this.c ^ 0xffffffff, chunk) ^ 0xffffffff;
  }
  digest(): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(this.c >>> 0);
    return b;
  }
}

class Crc32c implements Crc {
  private c = 0xffffffff;
  private readonly t = (crc32cTables ??= tables32(0x82f63b78));
  update(chunk: Uint8Array): void {
    this.c = update32(this.t, this.c, chunk);
  }
  digest(): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE((this.c ^ 0xffffffff) >>> 0);
    return b;
  }
}

// ---- CRC64NVME: reflected 0x9a6c9329ac4bc9b5, kept as two 32-bit halves (no BigInt in the loop)

type U8 = [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];

let crc64Tables: { hi: Uint32Array[]; lo: Uint32Array[] } | undefined;

function tables64(): { hi: Uint32Array[]; lo: Uint32Array[] } {
  const PH = 0x9a6c9329, PL = 0xac4bc9b5;
  const hi: Uint32Array[] = [new Uint32Array(256)];
  const lo: Uint32Array[] = [new Uint32Array(256)];
  for (let i = 0; i < 256; i++) {
    let h = 0, l = i;
    for (let k = 0; k < 8; k++) {
      const bit = l & 1;
      l = ((l >>> 1) | ((h & 1) << 31)) >>> 0;
      h = h >>> 1;
      if (bit) {
        h = (h ^ PH) >>> 0;
        l = (l ^ PL) >>> 0;
      }
    }
    hi[0]![i] = h;
    lo[0]![i] = l;
  }
  for (let s = 1; s < 8; s++) {
    const ph = hi[s - 1]!, pl = lo[s - 1]!;
    const ch = new Uint32Array(256), cl = new Uint32Array(256);
    for (let i = 0; i < 256; i++) {
      // T[s][i] = (T[s-1][i] >> 8) ^ T[0][T[s-1][i] & 0xff]
      const idx = pl[i]! & 0xff;
      ch[i] = ((ph[i]! >>> 8) ^ hi[0]![idx]!) >>> 0;
      cl[i] = (((pl[i]! >>> 8) | ((ph[i]! & 0xff) << 24)) ^ lo[0]![idx]!) >>> 0;
    }
    hi.push(ch);
    lo.push(cl);
  }
  return { hi, lo };
}

class Crc64Nvme implements Crc {
  private h = 0xffffffff;
  private l = 0xffffffff;
  private readonly t = (crc64Tables ??= tables64());
  update(d: Uint8Array): void {
    const [h0, h1, h2, h3, h4, h5, h6, h7] = this.t.hi as U8;
    const [l0, l1, l2, l3, l4, l5, l6, l7] = this.t.lo as U8;
    let h = this.h, l = this.l;
    let i = 0;
    const n = d.length;
    for (; i + 8 <= n; i += 8) {
      const a = (l ^ (d[i]! | (d[i + 1]! << 8) | (d[i + 2]! << 16) | (d[i + 3]! << 24))) >>> 0;
      const b = (h ^ (d[i + 4]! | (d[i + 5]! << 8) | (d[i + 6]! << 16) | (d[i + 7]! << 24))) >>> 0;
      const b0 = a & 0xff, b1 = (a >>> 8) & 0xff, b2 = (a >>> 16) & 0xff, b3 = a >>> 24;
      const b4 = b & 0xff, b5 = (b >>> 8) & 0xff, b6 = (b >>> 16) & 0xff, b7 = b >>> 24;
      h = h7[b0]! ^ h6[b1]! ^ h5[b2]! ^ h4[b3]! ^ h3[b4]! ^ h2[b5]! ^ h1[b6]! ^ h0[b7]!;
      l = l7[b0]! ^ l6[b1]! ^ l5[b2]! ^ l4[b3]! ^ l3[b4]! ^ l2[b5]! ^ l1[b6]! ^ l0[b7]!;
    }
    for (; i < n; i++) {
      const idx = (l ^ d[i]!) & 0xff;
      l = (((l >>> 8) | ((h & 0xff) << 24)) ^ l0[idx]!) >>> 0;
      h = ((h >>> 8) ^ h0[idx]!) >>> 0;
    }
    this.h = h >>> 0;
    this.l = l >>> 0;
  }
  digest(): Buffer {
    const b = Buffer.alloc(8);
    b.writeUInt32BE((this.h ^ 0xffffffff) >>> 0, 0);
    b.writeUInt32BE((this.l ^ 0xffffffff) >>> 0, 4);
    return b;
  }
}

export const newCrc32 = (): Crc => new Crc32();
export const newCrc32c = (): Crc => new Crc32c();
export const newCrc64Nvme = (): Crc => new Crc64Nvme();
