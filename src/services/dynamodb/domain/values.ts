/**
 * AttributeValues: validation with DynamoDB's messages, normalisation (numbers, sets), item
 * size as DynamoDB counts it, and key encoding for the sorted item store.
 */
import { AwsError } from '../../../core/errors.js';
import { encodeNumber, normalizeNumber, numberSize } from './numbers.js';
import type { AttributeValue } from '../generated/types.js';

export type Item = Record<string, AttributeValue>;

const TYPES = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'] as const;
export const MAX_ITEM_BYTES = 400 * 1024;

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const paramInvalid = (msg: string) => invalid(`One or more parameter values were invalid: ${msg}`);

export function typeOf(v: AttributeValue): string {
  for (const t of TYPES) if ((v as Record<string, unknown>)[t] !== undefined) return t;
  return '';
}

/** Validates one AttributeValue and returns its normalised copy. */
export function checkValue(v: AttributeValue | null | undefined): AttributeValue {
  if (v === null || v === undefined || typeof v !== 'object') throw invalid('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  const set = TYPES.filter((t) => (v as Record<string, unknown>)[t] !== undefined && (v as Record<string, unknown>)[t] !== null);
  if (set.length === 0) throw invalid('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  if (set.length > 1) throw invalid('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
  switch (set[0]) {
    case 'S': return { S: v.S! };
    case 'B': return { B: Buffer.from(v.B!) };
    case 'N': return { N: normalizeNumber(v.N!) };
    case 'BOOL': return { BOOL: v.BOOL! };
    case 'NULL':
      if (v.NULL !== true) throw paramInvalid('Null attribute value types must have the value of true');
      return { NULL: true };
    case 'SS': {
      if (!v.SS!.length) throw paramInvalid('An string set  may not be empty');
      if (new Set(v.SS).size !== v.SS!.length) throw paramInvalid(`Input collection [${v.SS!.join(', ')}] contains duplicates.`);
      return { SS: [...v.SS!] };
    }
    case 'NS': {
      if (!v.NS!.length) throw paramInvalid('An number set  may not be empty');
      const ns = v.NS!.map(normalizeNumber);
      if (new Set(ns).size !== ns.length) throw paramInvalid(`Input collection [${v.NS!.join(', ')}] contains duplicates.`);
      return { NS: ns };
    }
    case 'BS': {
      if (!v.BS!.length) throw paramInvalid('Binary sets should not be empty');
      const bs = v.BS!.map((b) => Buffer.from(b));
      if (new Set(bs.map((b) => b.toString('base64'))).size !== bs.length) throw paramInvalid(`Input collection [${bs.map((b) => b.toString('base64')).join(', ')}]of type BS contains duplicates.`);
      return { BS: bs };
    }
    case 'L': return { L: v.L!.map((x) => checkValue(x)) };
    default: {
      const m: Record<string, AttributeValue> = {};
      for (const [k, x] of Object.entries(v.M!)) m[k] = checkValue(x);
      return { M: m };
    }
  }
}

export function checkItem(item: Record<string, AttributeValue | null>): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = checkValue(v);
  return out;
}

/** Item size in bytes as DynamoDB computes it (names + values; 3 bytes per list/map + 1 per element). */
export function itemSize(item: Item): number {
  let n = 0;
  for (const [k, v] of Object.entries(item)) n += Buffer.byteLength(k) + valueSize(v);
  return n;
}

export function valueSize(v: AttributeValue): number {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return numberSize(v.N);
  if (v.B !== undefined) return v.B.byteLength;
  if (v.SS) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.NS) return v.NS.reduce((n, s) => n + numberSize(s), 0);
  if (v.BS) return v.BS.reduce((n, b) => n + b.byteLength, 0);
  if (v.L) return 3 + v.L.reduce((n, x) => n + 1 + valueSize(x), 0);
  if (v.M) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  return 1; // BOOL, NULL
}

/** Byte string (latin1) that sorts like DynamoDB orders key values: N numerically, S and B by bytes. */
export function encodeKeyValue(v: AttributeValue): string {
  if (v.S !== undefined) return Buffer.from(v.S, 'utf8').toString('latin1');
  if (v.N !== undefined) return encodeNumber(v.N);
  return Buffer.from(v.B!).toString('latin1');
}

/**
 * Composite (partition, sort) key: the partition part is escaped (0x00 → 0x00 0xFF) and
 * terminated by 0x00 0x01, so comparing composites orders by partition key, then sort key.
 */
export function compositeKey(pk: string, sk: string | undefined): string {
  const head = pk.replace(/\x00/g, '\x00\xff') + '\x00\x01';
  return sk === undefined ? head : head + sk;
}

export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  if (ta === 'S' || ta === 'N' || ta === 'B') return encodeKeyValue(a) === encodeKeyValue(b);
  return JSON.stringify(a) === JSON.stringify(b);
}
