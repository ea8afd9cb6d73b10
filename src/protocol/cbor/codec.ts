/**
 * How rpcv2Cbor carries primitives, for the shared shape walk (../walk.ts), and the one
 * cbor-x encoder/decoder pair. CBOR is self-describing, so type checks are on decoded
 * values: timestamps arrive as tag 1 (cbor-x gives a Date; a bare epoch-seconds number is
 * accepted too, as the SDK decoders do), blobs as byte strings, numbers as ints or floats.
 */
import { Decoder, Encoder } from 'cbor-x';
import { AwsError } from '../../core/errors.js';
import { asDate } from '../shapes.js';
import { wrongType, type Scalars, type ScalarMember } from '../walk.js';

// Plain maps (no cbor-x records/structure sharing), definite minimal lengths, untagged byte strings.
const encoder = new Encoder({ useRecords: false, mapsAsObjects: true, variableMapSize: true, tagUint8Array: false });
const decoder = new Decoder({ useRecords: false, mapsAsObjects: true });

export function encodeCbor(value: unknown): Buffer {
  return encoder.encode(value);
}

/** The request body as a CBOR value; an empty body is an empty input structure. */
export function decodeCbor(body: Buffer | undefined): unknown {
  if (!body || body.length === 0) return {};
  try {
    return decoder.decode(body);
  } catch {
    throw new AwsError('SerializationException', 'Unable to parse request body as CBOR.', 400);
  }
}

function readScalar(type: string, raw: unknown, _m: ScalarMember, path: string): unknown {
  switch (type) {
    case 'string':
      if (typeof raw !== 'string') throw wrongType(path, 'string');
      return raw;
    case 'boolean':
      if (typeof raw !== 'boolean') throw wrongType(path, 'boolean');
      return raw;
    case 'number':
      if (typeof raw === 'number') return raw;
      if (typeof raw === 'bigint') return Number(raw);
      throw wrongType(path, 'number');
    case 'bigInteger':
    case 'bigDecimal':
      if (typeof raw !== 'number' && typeof raw !== 'bigint' && typeof raw !== 'string') throw wrongType(path, 'number');
      return String(raw);
    case 'timestamp':
      if (raw instanceof Date && !isNaN(raw.getTime())) return raw;
      if (typeof raw === 'number' && Number.isFinite(raw)) return new Date(Math.round(raw * 1000));
      throw wrongType(path, 'timestamp (tag 1)');
    case 'blob':
    case 'streamingBlob':
      if (!(raw instanceof Uint8Array)) throw wrongType(path, 'byte string');
      return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    default:
      return raw; // document
  }
}

function writeScalar(type: string, val: unknown): unknown {
  switch (type) {
    case 'timestamp':
      return asDate(val); // cbor-x writes a Date as tag 1 over epoch seconds
    case 'blob':
    case 'streamingBlob':
      return Buffer.isBuffer(val) ? val : Buffer.from(val as Uint8Array);
    case 'bigInteger':
    case 'bigDecimal':
      return typeof val === 'string' ? Number(val) : val;
    default:
      return val;
  }
}

export const CBOR_SCALARS: Scalars = { useJsonName: false, read: readScalar, write: writeScalar };
