/** Shape helpers shared by the protocol codecs. */
import type { Member, ServiceModel, Shape } from './model.js';
import { PRIMITIVES } from './model.js';
import { AwsError } from '../core/errors.js';

export type Resolved = { kind: 'primitive'; type: string } | { kind: 'shape'; name: string; shape: Shape };

export function resolve(model: ServiceModel, target: string): Resolved {
  if (PRIMITIVES.has(target)) return { kind: 'primitive', type: target };
  const shape = model.shapes[target];
  if (!shape) throw new Error(`model ${model.id} has no shape ${target}`);
  return { kind: 'shape', name: target, shape };
}

/** Collects validation failures the way AWS reports them ("N validation errors detected: …"). */
export class Violations {
  readonly list: string[] = [];
  /** current nesting depth of the value being read (guards against hostile nesting) */
  depth = 0;
  add(msg: string): void {
    this.list.push(msg);
  }
  throwIfAny(): void {
    if (!this.list.length) return;
    const n = this.list.length;
    throw new AwsError('ValidationException', `${n} validation error${n > 1 ? 's' : ''} detected: ${this.list.join('; ')}`, 400);
  }
}

export const lowerFirst = (s: string) => (s ? s[0]!.toLowerCase() + s.slice(1) : s);

/** "Value null at 'tableName' failed to satisfy constraint: Member must not be null" */
export function requiredMissing(path: string): string {
  return `Value null at '${path}' failed to satisfy constraint: Member must not be null`;
}

export function memberPath(parent: string, name: string): string {
  return parent ? `${parent}.${lowerFirst(name)}` : lowerFirst(name);
}

/** Timestamp from epoch seconds, ISO 8601 or HTTP date. */
export function parseTimestamp(v: unknown): Date | undefined {
  if (v instanceof Date) return isNaN(v.getTime()) ? undefined : v;
  if (typeof v === 'number') return Number.isFinite(v) ? new Date(Math.round(v * 1000)) : undefined;
  if (typeof v === 'string') {
    if (/^-?\d+(\.\d+)?$/.test(v)) return new Date(Math.round(Number(v) * 1000));
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : new Date(t);
  }
  return undefined;
}

export function epochSeconds(d: Date): number {
  return d.getTime() / 1000;
}

/** 2024-01-02T03:04:05.678Z (milliseconds only when non-zero, as AWS writes them). */
export function isoTimestamp(d: Date): string {
  const s = d.toISOString();
  return s.endsWith('.000Z') ? s.slice(0, -5) + 'Z' : s;
}

export function httpDate(d: Date): string {
  return d.toUTCString();
}

/** Coerce a handler's timestamp value (Date, epoch ms number, ISO string) to a Date. */
export function asDate(v: unknown): Date {
  if (v instanceof Date) return v;
  if (typeof v === 'number') return new Date(v);
  if (typeof v === 'string') return new Date(v);
  throw new Error(`not a timestamp: ${String(v)}`);
}

export function formatTimestamp(v: unknown, format: string | undefined, dflt: 'date-time' | 'epoch-seconds' | 'http-date'): string | number {
  const d = asDate(v);
  switch (format ?? dflt) {
    case 'epoch-seconds':
      return epochSeconds(d);
    case 'http-date':
      return httpDate(d);
    default:
      return isoTimestamp(d);
  }
}

export function isMemberRequired(m: Member): boolean {
  return m.required === true;
}
