/**
 * The MD5 digests SQS returns, computed exactly as the SDKs verify them:
 * - MD5OfMessageBody: hex MD5 of the UTF-8 body.
 * - MD5OfMessageAttributes / MD5OfMessageSystemAttributes: hex MD5 over the attributes sorted by
 *   name, each as  len(name) name  len(type) type  transport-byte  len(value) value  with 4-byte
 *   big-endian lengths; transport 1 = string value, 2 = binary value (3/4 = string/binary lists).
 */
import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

/** One-shot `crypto.hash` (Node ≥ 20.12) skips the Hash object; older Node 20 falls back. */
const oneShot = (crypto as { hash?: (algorithm: string, data: string | Uint8Array, encoding: 'hex') => string }).hash;

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Uint8Array;
  StringListValues?: string[];
  BinaryListValues?: Uint8Array[];
}

export function md5Hex(data: string | Uint8Array): string {
  return oneShot ? oneShot('md5', data, 'hex') : createHash('md5').update(data).digest('hex');
}

export function md5OfAttributes(attrs: Record<string, AttributeValue> | undefined): string | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs).sort();
  if (!names.length) return undefined;
  const h = createHash('md5');
  const field = (b: Uint8Array | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'utf8') : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(buf.length);
    h.update(len);
    h.update(buf);
  };
  for (const name of names) {
    const v = attrs[name]!;
    field(name);
    field(v.DataType);
    if (v.StringValue !== undefined) {
      h.update(Buffer.of(1));
      field(v.StringValue);
    } else if (v.BinaryValue !== undefined) {
      h.update(Buffer.of(2));
      field(v.BinaryValue);
    } else if (v.StringListValues?.length) {
      h.update(Buffer.of(3));
      for (const s of v.StringListValues) field(s);
    } else if (v.BinaryListValues?.length) {
      h.update(Buffer.of(4));
      for (const b of v.BinaryListValues) field(b);
    }
  }
  return h.digest('hex');
}
