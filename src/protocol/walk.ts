/**
 * The one shape walk shared by the document codecs (awsJson, rest-json bodies, rpcv2Cbor).
 * Structures, lists and maps are checked and recursed here, required members are collected
 * as AWS-style violations; a wire format supplies only how a primitive value is read and
 * written (`Scalars`).
 *
 * Input: type-checked (SerializationException on a wrong type, ValidationException listing
 * missing required members). Output: unknown members are dropped (the model is the contract).
 */
import type { Member, ServiceModel } from './model.js';
import { AwsError } from '../core/errors.js';
import { memberPath, requiredMissing, resolve, Violations } from './shapes.js';

export type ScalarMember = Pick<Member, 'target' | 'timestampFormat'>;

export interface Scalars {
  /** rest-json honours jsonName; awsJson and rpcv2Cbor do not */
  readonly useJsonName: boolean;
  /** wire value → handler value for primitive `type`; throws wrongType(path, …) on a mismatch */
  read(type: string, raw: unknown, m: ScalarMember, path: string): unknown;
  /** handler value → wire value for primitive `type` */
  write(type: string, val: unknown, m: ScalarMember): unknown;
}

export const wrongType = (path: string, expected: string) =>
  new AwsError('SerializationException', `Unexpected value type for '${path}': expected ${expected}`, 400);

/** A decoded map/structure: a plain object, not an array, byte string or date. */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array) && !(v instanceof Date);
}

export function readStructure(model: ServiceModel, shapeName: string | undefined, value: unknown, sc: Scalars, path = '', v = new Violations()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!shapeName) return out;
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) throw new Error(`${shapeName} is not a structure`);
  if (value === null || value === undefined) value = {};
  if (!isRecord(value)) throw wrongType(path || shapeName, 'structure');
  for (const [name, m] of Object.entries(r.shape.members)) {
    if (m.location && m.location !== 'payload') continue; // bound to HTTP, not body
    const key = sc.useJsonName && m.jsonName ? m.jsonName : name;
    const raw = Object.hasOwn(value, key) ? value[key] : undefined;
    const p = memberPath(path, name);
    if (raw === undefined || raw === null) {
      if (m.required) v.add(requiredMissing(p));
      continue;
    }
    out[name] = readValue(model, m, raw, sc, p, v);
  }
  if (!path) v.throwIfAny();
  return out;
}

/** Deepest nesting of structures/lists/maps accepted (DynamoDB's 32 attribute levels fit). */
export const MAX_DEPTH = 100;

export function readValue(model: ServiceModel, m: ScalarMember, raw: unknown, sc: Scalars, path: string, v: Violations): unknown {
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') return sc.read(r.type, raw, m, path);
  // A hostile body nested thousands deep must get a 400, not a stack overflow.
  if (++v.depth > MAX_DEPTH) throw new AwsError('SerializationException', `Input nesting exceeds the maximum depth of ${MAX_DEPTH}`, 400);
  try {
    return readShape(model, r, raw, sc, path, v);
  } finally {
    v.depth--;
  }
}

function readShape(model: ServiceModel, r: Extract<ReturnType<typeof resolve>, { kind: 'shape' }>, raw: unknown, sc: Scalars, path: string, v: Violations): unknown {
  const s = r.shape;
  if (s.type === 'list') {
    if (!Array.isArray(raw)) throw wrongType(path, 'list');
    return raw.map((item, i) => (item === null || item === undefined ? null : readValue(model, s.member, item, sc, `${path}.${i + 1}.member`, v)));
  }
  if (s.type === 'map') {
    if (!isRecord(raw)) throw wrongType(path, 'map');
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(raw)) out[k] = val === null || val === undefined ? null : readValue(model, s.value, val, sc, `${path}.${k}`, v);
    return out;
  }
  return readStructure(model, r.name, raw, sc, path, v);
}

export function writeStructure(model: ServiceModel, shapeName: string | undefined, value: unknown, sc: Scalars): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!shapeName || value === undefined || value === null) return out;
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) return out;
  const obj = value as Record<string, unknown>;
  for (const [name, m] of Object.entries(r.shape.members)) {
    if (m.location && m.location !== 'payload') continue;
    const val = obj[name];
    if (val === undefined) continue;
    out[sc.useJsonName && m.jsonName ? m.jsonName : name] = writeValue(model, m, val, sc);
  }
  return out;
}

export function writeValue(model: ServiceModel, m: ScalarMember, val: unknown, sc: Scalars): unknown {
  if (val === null) return null;
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') return sc.write(r.type, val, m);
  const s = r.shape;
  if (s.type === 'list') return (val as unknown[]).map((x) => writeValue(model, s.member, x, sc));
  if (s.type === 'map') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(val as Record<string, unknown>)) out[k] = writeValue(model, s.value, x, sc);
    return out;
  }
  return writeStructure(model, r.name, val, sc);
}
