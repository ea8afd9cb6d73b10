/**
 * Subscription filter policies: validation with AWS's limits and messages, and matching on
 * message attributes (FilterPolicyScope MessageAttributes) or on the JSON body (MessageBody).
 *
 * Operators: exact string/number/true/false/null, prefix, suffix, equals-ignore-case,
 * anything-but (values, lists, {prefix}, {suffix}), numeric ranges, exists, cidr, $or, and
 * (body scope) nested keys.
 */
import { invalidParameter } from './errors.js';

type Json = string | number | boolean | null | Json[] | { [k: string]: Json };
export type Policy = { [k: string]: Json };

// ---- validation

export function parseFilterPolicy(text: string, scope: string, subscribing: boolean): Policy | undefined {
  const prefix = subscribing ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  if (!text || !text.trim()) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidParameter(`${prefix}FilterPolicy: failed to parse JSON.`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParameter(`${prefix}FilterPolicy: Filter policy must be a JSON object`);
  const policy = doc as Policy;
  if (Object.keys(policy).length === 0) return undefined;
  if (Object.keys(policy).length > 5) throw invalidParameter(`${prefix}FilterPolicy: Filter policy can not have more than 5 keys`);
  const rules: Json[][] = [];
  const combinations = aggregate(policy, 1, 1, scope, prefix, rules);
  if (combinations > 150) throw invalidParameter(`${prefix}FilterPolicy: Filter policy is too complex`);
  for (const list of rules) for (const r of list) validateRule(r, prefix);
  return policy;
}

function aggregate(p: Policy, depth: number, combos: number, scope: string, prefix: string, out: Json[][]): number {
  for (const [key, v] of Object.entries(p)) {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      if (scope === 'MessageAttributes') throw invalidParameter(`${prefix}Filter policy scope MessageAttributes does not support nested filter policy`);
      combos = aggregate(v, depth + 1, combos, scope, prefix, out);
    } else if (Array.isArray(v)) {
      if (!v.length) throw invalidParameter(`${prefix}FilterPolicy: Empty arrays are not allowed`);
      if (key === '$or') {
        let sum = 0;
        for (const alt of v) {
          if (!alt || typeof alt !== 'object' || Array.isArray(alt)) throw invalidParameter(`${prefix}FilterPolicy: "$or" must be an array of objects`);
          sum += aggregate(alt, depth, combos, scope, prefix, out);
        }
        combos = sum;
      } else {
        out.push(v);
        combos = combos * v.length * depth;
      }
    } else {
      throw invalidParameter(`${prefix}FilterPolicy: "${key}" must be an object or an array`);
    }
  }
  return combos;
}

function validateRule(rule: Json, prefix: string): void {
  if (rule === null || typeof rule === 'string' || typeof rule === 'boolean') return;
  if (typeof rule === 'number') {
    if (rule <= -1e9 || rule >= 1e9) throw invalidParameter(`${prefix}FilterPolicy: Numeric values must be between -1.0E9 and 1.0E9 exclusive`);
    return;
  }
  if (Array.isArray(rule)) throw invalidParameter(`${prefix}FilterPolicy: Match value must be String, number, true, false, or null`);
  const keys = Object.keys(rule);
  if (keys.length !== 1) throw invalidParameter(`${prefix}FilterPolicy: Only one key allowed in match expression`);
  const op = keys[0]!;
  const v = rule[op]!;
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof v !== 'string') throw invalidParameter(`${prefix}FilterPolicy: ${op} match pattern must be a string`);
      return;
    case 'anything-but':
      if (Array.isArray(v)) {
        for (const x of v) {
          if (x !== null && typeof x === 'object') throw invalidParameter(`${prefix}FilterPolicy: Match value must be String, number, true, false, or null`);
          validateRule(x, prefix);
        }
        return;
      }
      if (v && typeof v === 'object') {
        for (const inner of Object.keys(v)) if (inner !== 'prefix' && inner !== 'suffix' && inner !== 'equals-ignore-case') throw invalidParameter(`${prefix}FilterPolicy: Unsupported anything-but pattern: ${inner}`);
      }
      validateRule(v, prefix);
      return;
    case 'exists':
      if (typeof v !== 'boolean') throw invalidParameter(`${prefix}FilterPolicy: exists match pattern must be either true or false.`);
      return;
    case 'numeric':
      validateNumeric(v, prefix);
      return;
    case 'cidr':
      if (typeof v !== 'string') throw invalidParameter(`${prefix}FilterPolicy: prefix match pattern must be a string`);
      if (v.split('/').length !== 2) throw invalidParameter(`${prefix}FilterPolicy: Malformed CIDR, one '/' required`);
      if (!/^\d+$/.test(v.split('/')[1]!)) throw invalidParameter(`${prefix}FilterPolicy: Malformed CIDR, mask bits must be an integer`);
      if (!parseCidr(v)) throw invalidParameter(`${prefix}FilterPolicy: Nonstandard IP address: ${v.split('/')[0]}`);
      return;
    default:
      throw invalidParameter(`${prefix}FilterPolicy: Unrecognized match type ${op}`);
  }
}

const OPS = new Set(['<', '<=', '=', '>', '>=']);

function validateNumeric(v: Json, prefix: string): void {
  const p = `${prefix}FilterPolicy: `;
  if (!Array.isArray(v) || !v.length) throw invalidParameter(`${p}Invalid member in numeric match: ]`);
  const [op1, n1, op2, n2, ...rest] = v;
  if (typeof op1 !== 'string') throw invalidParameter(`${p}Invalid member in numeric match: ${JSON.stringify(op1)}`);
  if (!OPS.has(op1)) throw invalidParameter(`${p}Unrecognized numeric range operator: ${op1}`);
  if (typeof n1 !== 'number') throw invalidParameter(`${p}Value of ${op1 === '=' ? 'equals' : op1} must be numeric`);
  if (op2 === undefined) return;
  if (op1 !== '>' && op1 !== '>=') throw invalidParameter(`${p}Too many elements in numeric expression`);
  if (typeof op2 !== 'string') throw invalidParameter(`${p}Bad value in numeric range: ${JSON.stringify(op2)}`);
  if (op2 !== '<' && op2 !== '<=') throw invalidParameter(`${p}Bad numeric range operator: ${op2}`);
  if (typeof n2 !== 'number') throw invalidParameter(`${p}Value of ${op2} must be numeric`);
  if (n2 <= n1) throw invalidParameter(`${p}Bottom must be less than top`);
  if (rest.length) throw invalidParameter(`${p}Too many terms in numeric range expression`);
}

function parseCidr(c: string): { base: number; mask: number } | undefined {
  const [ip, bits] = c.split('/');
  const n = ipv4(ip ?? '');
  const b = Number(bits);
  if (n === undefined || !(b >= 0 && b <= 32)) return undefined;
  const mask = b === 0 ? 0 : (~0 << (32 - b)) >>> 0;
  return { base: (n & mask) >>> 0, mask };
}

function ipv4(s: string): number | undefined {
  const p = s.split('.');
  if (p.length !== 4 || p.some((x) => !/^\d{1,3}$/.test(x) || Number(x) > 255)) return undefined;
  return p.reduce((a, x) => a * 256 + Number(x), 0);
}

// ---- matching

/** What a key resolves to in the message: absent, or present with its candidate values. */
interface Found { present: boolean; values: Json[] }
type Lookup = (path: string[]) => Found;

export interface MessageAttributeLike { DataType: string; StringValue?: string; BinaryValue?: Uint8Array }

export function matchesAttributes(policy: Policy, attrs: Record<string, MessageAttributeLike> | undefined): boolean {
  return matchObject(policy, [], (path) => {
    const a = attrs?.[path[0]!];
    if (!a) return { present: false, values: [] };
    const type = a.DataType.split('.')[0];
    if (type === 'Binary') return { present: true, values: [] };
    if (type === 'Number') return { present: true, values: [Number(a.StringValue)] };
    if (a.DataType === 'String.Array') {
      try {
        const arr = JSON.parse(a.StringValue ?? '');
        if (Array.isArray(arr)) return { present: true, values: arr as Json[] };
      } catch { /* a plain string */ }
    }
    return { present: true, values: [a.StringValue ?? ''] };
  });
}

export function matchesBody(policy: Policy, message: string): boolean {
  let body: unknown;
  try {
    body = JSON.parse(message);
  } catch {
    return false;
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return false;
  return matchObject(policy, [], (path) => {
    let nodes: Json[] = [body as Json];
    for (const key of path) {
      const next: Json[] = [];
      for (const n of nodes) {
        for (const item of Array.isArray(n) ? n : [n]) {
          if (item && typeof item === 'object' && !Array.isArray(item) && key in item) next.push(item[key]!);
        }
      }
      if (!next.length) return { present: false, values: [] };
      nodes = next;
    }
    return { present: true, values: nodes.flatMap((v) => (Array.isArray(v) ? v : [v])) };
  });
}

function matchObject(p: Policy, path: string[], lookup: Lookup): boolean {
  for (const [key, v] of Object.entries(p)) {
    if (key === '$or' && Array.isArray(v)) {
      if (!v.some((alt) => matchObject(alt as Policy, path, lookup))) return false;
      continue;
    }
    if (Array.isArray(v)) {
      if (!matchKey(v, lookup([...path, key]))) return false;
    } else if (v && typeof v === 'object') {
      if (!matchObject(v, [...path, key], lookup)) return false;
    }
  }
  return true;
}

function matchKey(rules: Json[], found: Found): boolean {
  for (const r of rules) {
    if (r && typeof r === 'object' && !Array.isArray(r) && 'exists' in r) {
      if (r.exists === found.present) return true;
      continue;
    }
    if (!found.present) continue;
    if (found.values.some((v) => matchValue(r, v))) return true;
  }
  return false;
}

function matchValue(rule: Json, v: Json): boolean {
  if (rule === null || typeof rule !== 'object') {
    if (typeof rule === 'number') return typeof v === 'number' && Math.abs(v - rule) < 1e-6;
    return v === rule;
  }
  if (Array.isArray(rule)) return false;
  const [op, arg] = Object.entries(rule)[0]!;
  switch (op) {
    case 'prefix':
      return typeof v === 'string' && v.startsWith(String(arg));
    case 'suffix':
      return typeof v === 'string' && v.endsWith(String(arg));
    case 'equals-ignore-case':
      return typeof v === 'string' && v.toLowerCase() === String(arg).toLowerCase();
    case 'anything-but':
      if (Array.isArray(arg)) return !arg.some((x) => matchValue(x, v));
      return !matchValue(arg!, v);
    case 'numeric':
      return typeof v === 'number' && numeric(arg as Json[], v);
    case 'cidr': {
      const c = parseCidr(String(arg));
      const n = typeof v === 'string' ? ipv4(v) : undefined;
      return !!c && n !== undefined && ((n & c.mask) >>> 0) === c.base;
    }
    default:
      return false;
  }
}

function numeric(ops: Json[], v: number): boolean {
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const n = ops[i + 1] as number;
    switch (ops[i]) {
      case '<': if (!(v < n)) return false; break;
      case '<=': if (!(v <= n)) return false; break;
      case '=': if (!(Math.abs(v - n) < 1e-6)) return false; break;
      case '>': if (!(v > n)) return false; break;
      case '>=': if (!(v >= n)) return false; break;
      default: return false;
    }
  }
  return true;
}
