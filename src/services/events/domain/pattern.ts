/**
 * EventBridge event patterns: validation (InvalidEventPatternException with a reason) and
 * matching, as AWS documents them: exact values (strings, numbers, booleans, null), arrays =
 * OR, nested objects, `prefix`, `suffix` (both also with `equals-ignore-case`),
 * `equals-ignore-case`, `wildcard`, `anything-but` (a value, a list, `prefix`, `suffix`,
 * `equals-ignore-case`, `wildcard`), `numeric` (=, <, <=, >, >= and ranges), `exists`, `cidr`
 * (IPv4 and IPv6), `$or`. Event arrays match when any element matches; several fields under
 * an array of objects must match within the same element.
 */
import { AwsError } from '../../../core/errors.js';

type Test = (v: unknown) => boolean;
interface Leaf { exists?: boolean; test?: Test }
interface Node { fields: [string, Node | Leaf[]][]; ors: Node[][] }

export interface CompiledPattern { node: Node }

const invalid = (reason: string) => new AwsError('InvalidEventPatternException', `Event pattern is not valid. Reason: ${reason}`, 400);

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parsePattern(text: string): CompiledPattern {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw invalid(`Filter is not valid JSON: ${(e as Error).message}`);
  }
  if (!isObj(json)) throw invalid('Filter is not an object');
  return { node: compileNode(json, true) };
}

function compileNode(obj: Record<string, unknown>, top: boolean): Node {
  const node: Node = { fields: [], ors: [] };
  if (top && Object.keys(obj).length === 0) return node;
  for (const [key, v] of Object.entries(obj)) {
    if (key === '$or') {
      if (!Array.isArray(v) || v.length < 2 || !v.every(isObj)) throw invalid('Or relationship must be an array with at least two objects');
      node.ors.push(v.map((o) => compileNode(o as Record<string, unknown>, false)));
      continue;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) throw invalid(`Empty arrays are not allowed`);
      node.fields.push([key, v.map((m) => compileMatcher(key, m))]);
    } else if (isObj(v)) {
      const sub = compileNode(v, false);
      if (!sub.fields.length && !sub.ors.length) throw invalid(`Empty objects are not allowed`);
      node.fields.push([key, sub]);
    } else throw invalid(`"${key}" must be an object or an array`);
  }
  return node;
}

const lower = (s: string) => s.toLowerCase();

function needString(op: string, v: unknown): string {
  if (typeof v !== 'string') throw invalid(`${op} match pattern must be a string`);
  return v;
}

function compileMatcher(key: string, m: unknown): Leaf {
  if (m === null || typeof m === 'string' || typeof m === 'boolean') return { test: (v) => v === m };
  if (typeof m === 'number') return { test: (v) => typeof v === 'number' && v === m };
  if (Array.isArray(m)) throw invalid(`Match value must be String, number, true, false, or null`);
  if (!isObj(m)) throw invalid(`"${key}" must be an object or an array`);
  const entries = Object.entries(m);
  if (entries.length !== 1) throw invalid(`Only one key allowed in match expression`);
  const [op, arg] = entries[0]!;
  switch (op) {
    case 'exists':
      if (typeof arg !== 'boolean') throw invalid('exists match pattern must be either true or false.');
      return { exists: arg };
    case 'prefix':
    case 'suffix': {
      const fn = op === 'prefix' ? (s: string, p: string) => s.startsWith(p) : (s: string, p: string) => s.endsWith(p);
      if (isObj(arg)) {
        const p = lower(needString(`${op}/equals-ignore-case`, arg['equals-ignore-case']));
        return { test: (v) => typeof v === 'string' && fn(lower(v), p) };
      }
      const p = needString(op, arg);
      return { test: (v) => typeof v === 'string' && fn(v, p) };
    }
    case 'equals-ignore-case': {
      const p = lower(needString(op, arg));
      return { test: (v) => typeof v === 'string' && lower(v) === p };
    }
    case 'wildcard': {
      const re = wildcard(needString(op, arg));
      return { test: (v) => typeof v === 'string' && re.test(v) };
    }
    case 'numeric':
      return { test: numeric(arg) };
    case 'cidr':
      return { test: cidr(needString(op, arg)) };
    case 'anything-but':
      return { test: anythingBut(arg) };
    default:
      throw invalid(`Unrecognized match type ${op}`);
  }
}

function wildcard(p: string): RegExp {
  if (p.includes('**')) throw invalid(`Consecutive wildcard characters at pos ${p.indexOf('**') + 1}`);
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && (p[i + 1] === '*' || p[i + 1] === '\\')) re += '\\' + p[++i];
    else if (c === '*') re += '.*';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, 's');
}

function numeric(arg: unknown): Test {
  if (!Array.isArray(arg) || arg.length === 0 || arg.length % 2 !== 0) throw invalid('Value of numeric must be an array.');
  const checks: ((n: number) => boolean)[] = [];
  for (let i = 0; i < arg.length; i += 2) {
    const op = arg[i];
    const n = arg[i + 1];
    if (typeof n !== 'number') throw invalid(`Value of ${String(op)} must be a number`);
    switch (op) {
      case '=': checks.push((x) => x === n); break;
      case '<': checks.push((x) => x < n); break;
      case '<=': checks.push((x) => x <= n); break;
      case '>': checks.push((x) => x > n); break;
      case '>=': checks.push((x) => x >= n); break;
      default: throw invalid(`Unrecognized numeric range operator: ${String(op)}`);
    }
  }
  if (arg.length > 4 || (arg.length === 4 && (arg[0] === '=' || arg[2] === '='))) throw invalid('Too many terms in numeric range expression');
  return (v) => typeof v === 'number' && checks.every((c) => c(v));
}

function anythingBut(arg: unknown): Test {
  if (isObj(arg)) {
    const entries = Object.entries(arg);
    if (entries.length !== 1) throw invalid('Only one key allowed in match expression');
    const [op, a] = entries[0]!;
    const list = (Array.isArray(a) ? a : [a]).map((x) => needString(`anything-but/${op}`, x));
    let inner: Test;
    switch (op) {
      case 'prefix': inner = (s) => list.some((p) => (s as string).startsWith(p)); break;
      case 'suffix': inner = (s) => list.some((p) => (s as string).endsWith(p)); break;
      case 'equals-ignore-case': inner = (s) => list.some((p) => lower(p) === lower(s as string)); break;
      case 'wildcard': {
        const res = list.map(wildcard);
        inner = (s) => res.some((r) => r.test(s as string));
        break;
      }
      default: throw invalid(`Unsupported anything-but pattern: ${op}`);
    }
    return (v) => typeof v === 'string' && !inner(v);
  }
  const values = Array.isArray(arg) ? arg : [arg];
  if (!values.length) throw invalid('Empty arrays are not allowed');
  for (const x of values) if (typeof x !== 'string' && typeof x !== 'number') throw invalid('Inside anything but list, start|null|boolean is not supported.');
  return (v) => (typeof v === 'string' || typeof v === 'number') && !values.includes(v);
}

// ---- cidr

function ipToBig(ip: string): { v: bigint; bits: number } | undefined {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(ip)) {
    const parts = ip.split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return { v: parts.reduce((a, p) => (a << 8n) | BigInt(p), 0n), bits: 32 };
  }
  if (!ip.includes(':') || !/^[0-9a-fA-F:.]+$/.test(ip)) return undefined;
  const halves = ip.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s ? s.split(':') : []);
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? head.length !== 8 : fill < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill('0'), ...tail];
  if (all.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return undefined;
  return { v: all.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n), bits: 128 };
}

function cidr(spec: string): Test {
  const [addr, lenS] = spec.split('/');
  const ip = ipToBig(addr ?? '');
  const len = lenS === undefined ? ip?.bits : /^\d+$/.test(lenS) ? Number(lenS) : NaN;
  if (!ip || len === undefined || !(len >= 0 && len <= ip.bits)) throw invalid(`Nonstandard IP address: ${spec}`);
  const shift = BigInt(ip.bits - len);
  const net = ip.v >> shift;
  return (v) => {
    if (typeof v !== 'string') return false;
    const x = ipToBig(v);
    return !!x && x.bits === ip.bits && x.v >> shift === net;
  };
}

// ---- matching

function leaves(raw: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(raw)) for (const x of raw) leaves(x, out);
  else if (raw !== undefined && !isObj(raw)) out.push(raw);
  return out;
}

function objects(raw: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (Array.isArray(raw)) for (const x of raw) objects(x, out);
  else if (isObj(raw)) out.push(raw);
  return out;
}

function matchLeaf(ms: Leaf[], values: unknown[]): boolean {
  for (const m of ms) {
    if (m.exists !== undefined) {
      if (m.exists === values.length > 0) return true;
    } else if (values.some(m.test!)) return true;
  }
  return false;
}

function matchNode(node: Node, obj: Record<string, unknown> | undefined): boolean {
  for (const [key, sub] of node.fields) {
    const raw = obj?.[key];
    if (Array.isArray(sub)) {
      if (!matchLeaf(sub, leaves(raw))) return false;
    } else {
      const cands = objects(raw);
      if (cands.length === 0 ? !matchNode(sub, undefined) : !cands.some((c) => matchNode(sub, c))) return false;
    }
  }
  for (const group of node.ors) if (!group.some((n) => matchNode(n, obj))) return false;
  return true;
}

export function matches(p: CompiledPattern, event: Record<string, unknown>): boolean {
  return matchNode(p.node, event);
}
