/**
 * Shape-driven conversion between JSON values and handler values, for awsJson 1.0/1.1 and
 * the bodies of rest-json. Input: type-checked (SerializationException on a wrong type,
 * ValidationException listing missing required members). Output: Dates become epoch
 * seconds (or the member's timestampFormat), bytes become base64.
 */
import type { Member, ServiceModel } from '../model.js';
import { AwsError } from '../../core/errors.js';
import { asDate, formatTimestamp, memberPath, parseTimestamp, requiredMissing, resolve, Violations } from '../shapes.js';

export interface JsonOptions {
  /** rest-json honours jsonName; awsJson does not */
  useJsonName: boolean;
}

const wrongType = (path: string, expected: string) =>
  new AwsError('SerializationException', `Unexpected value type for '${path}': expected ${expected}`, 400);

export function readStructure(model: ServiceModel, shapeName: string | undefined, value: unknown, opts: JsonOptions, path = '', v = new Violations()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!shapeName) return out;
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) throw new Error(`${shapeName} is not a structure`);
  if (value === null || value === undefined) value = {};
  if (typeof value !== 'object' || Array.isArray(value)) throw wrongType(path || shapeName, 'structure');
  const obj = value as Record<string, unknown>;
  for (const [name, m] of Object.entries(r.shape.members)) {
    if (m.location && m.location !== 'payload') continue; // bound to HTTP, not body
    const key = opts.useJsonName && m.jsonName ? m.jsonName : name;
    const raw = obj[key];
    const p = memberPath(path, name);
    if (raw === undefined || raw === null) {
      if (m.required) v.add(requiredMissing(p));
      continue;
    }
    out[name] = readValue(model, m, raw, opts, p, v);
  }
  if (!path) v.throwIfAny();
  return out;
}

export function readValue(model: ServiceModel, m: Pick<Member, 'target' | 'timestampFormat'>, raw: unknown, opts: JsonOptions, path: string, v: Violations): unknown {
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') {
    switch (r.type) {
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
  const s = r.shape;
  if (s.type === 'list') {
    if (!Array.isArray(raw)) throw wrongType(path, 'list');
    return raw.map((item, i) => (item === null ? null : readValue(model, s.member, item, opts, `${path}.${i + 1}.member`, v)));
  }
  if (s.type === 'map') {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw wrongType(path, 'map');
    const out: Record<string, unknown> = {};
    for (const [k, val] of Object.entries(raw as Record<string, unknown>)) out[k] = val === null ? null : readValue(model, s.value, val, opts, `${path}.${k}`, v);
    return out;
  }
  return readStructure(model, r.name, raw, opts, path, v);
}

/** Handler output → JSON-ready value. Unknown members are dropped (the model is the contract). */
export function writeStructure(model: ServiceModel, shapeName: string | undefined, value: unknown, opts: JsonOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!shapeName || value === undefined || value === null) return out;
  const r = resolve(model, shapeName);
  if (r.kind !== 'shape' || (r.shape.type !== 'structure' && r.shape.type !== 'union')) return out;
  const obj = value as Record<string, unknown>;
  for (const [name, m] of Object.entries(r.shape.members)) {
    if (m.location && m.location !== 'payload') continue;
    const val = obj[name];
    if (val === undefined) continue;
    out[opts.useJsonName && m.jsonName ? m.jsonName : name] = writeValue(model, m, val, opts);
  }
  return out;
}

export function writeValue(model: ServiceModel, m: Pick<Member, 'target' | 'timestampFormat'>, val: unknown, opts: JsonOptions): unknown {
  if (val === null) return null;
  const r = resolve(model, m.target);
  if (r.kind === 'primitive') {
    switch (r.type) {
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
  const s = r.shape;
  if (s.type === 'list') return (val as unknown[]).map((x) => writeValue(model, s.member, x, opts));
  if (s.type === 'map') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(val as Record<string, unknown>)) out[k] = writeValue(model, s.value, x, opts);
    return out;
  }
  return writeStructure(model, r.name, val, opts);
}
