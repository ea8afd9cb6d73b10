/**
 * Shape-driven conversion between JSON values and handler values, for awsJson 1.0/1.1 and
 * the bodies of rest-json. The structure/list/map walk is the shared one in ../walk.ts; this
 * file says how JSON carries primitives: timestamps as epoch seconds (or the member's
 * timestampFormat), blobs as base64, non-finite doubles as the strings "NaN"/"Infinity".
 */
import type { Member, ServiceModel } from '../model.js';
import { asDate, formatTimestamp, parseTimestamp, Violations } from '../shapes.js';
import * as walk from '../walk.js';
import { wrongType, type Scalars, type ScalarMember } from '../walk.js';

export interface JsonOptions {
  /** rest-json honours jsonName; awsJson does not */
  useJsonName: boolean;
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
      if (raw === 'NaN' || raw === 'Infinity' || raw === '-Infinity') return Number(raw);
      throw wrongType(path, 'number');
    case 'bigInteger':
    case 'bigDecimal':
      if (typeof raw !== 'number' && typeof raw !== 'string') throw wrongType(path, 'number');
      return String(raw);
    case 'timestamp': {
      const d = parseTimestamp(raw);
      if (!d) throw wrongType(path, 'timestamp');
      return d;
    }
    case 'blob':
    case 'streamingBlob':
      if (typeof raw !== 'string') throw wrongType(path, 'base64 string');
      return Buffer.from(raw, 'base64');
    default:
      return raw; // document
  }
}

function writeScalar(type: string, val: unknown, m: ScalarMember): unknown {
  switch (type) {
    case 'timestamp':
      return formatTimestamp(asDate(val), m.timestampFormat, 'epoch-seconds');
    case 'blob':
    case 'streamingBlob':
      return Buffer.from(val as Uint8Array).toString('base64');
    case 'number':
      return typeof val === 'number' && !Number.isFinite(val) ? String(val) : val;
    case 'bigInteger':
    case 'bigDecimal':
      return typeof val === 'string' ? Number(val) : val;
    default:
      return val;
  }
}

/** awsJson's scalar rules (rest-json adds jsonName) */
export const JSON_SCALARS: Scalars = { useJsonName: false, read: readScalar, write: writeScalar };
const REST_JSON: Scalars = { ...JSON_SCALARS, useJsonName: true };
const scalars = (opts: JsonOptions) => (opts.useJsonName ? REST_JSON : JSON_SCALARS);

export function readStructure(model: ServiceModel, shapeName: string | undefined, value: unknown, opts: JsonOptions, path = '', v = new Violations()): Record<string, unknown> {
  return walk.readStructure(model, shapeName, value, scalars(opts), path, v);
}

export function readValue(model: ServiceModel, m: Pick<Member, 'target' | 'timestampFormat'>, raw: unknown, opts: JsonOptions, path: string, v: Violations): unknown {
  return walk.readValue(model, m, raw, scalars(opts), path, v);
}

/** Handler output → JSON-ready value. Unknown members are dropped (the model is the contract). */
export function writeStructure(model: ServiceModel, shapeName: string | undefined, value: unknown, opts: JsonOptions): Record<string, unknown> {
  return walk.writeStructure(model, shapeName, value, scalars(opts));
}

export function writeValue(model: ServiceModel, m: Pick<Member, 'target' | 'timestampFormat'>, val: unknown, opts: JsonOptions): unknown {
  return walk.writeValue(model, m, val, scalars(opts));
}
