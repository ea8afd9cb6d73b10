/**
 * Matching primitives: `*`/`?` wildcards (case-insensitive for actions, case-sensitive for
 * resources), policy variables (`${aws:username}`, `${aws:PrincipalTag/x}`, `${*}` `${?}` `${$}`,
 * `${key, 'default'}`), ARN comparison per colon-separated part, and CIDR membership (v4, v6).
 */
import { isIP } from 'node:net';

/** Request context: lower-cased key → values (a single-valued key has one value). */
export type ContextMap = Map<string, string[]>;

/** A pattern after variable substitution: wildcard parts, and literal parts (substituted values). */
export type Parts = { text: string; literal: boolean }[];

const VAR = /\$\{([^}]*)\}/g;

/**
 * Substitutes `${…}` in `pattern` from the context. `undefined` when a variable has no value and
 * no default (AWS: the element then does not match); `missing` collects such keys as written.
 */
export function substitute(pattern: string, ctx: ContextMap, enabled: boolean, missing?: Set<string>): Parts | undefined {
  if (!enabled || !pattern.includes('${')) return [{ text: pattern, literal: false }];
  const parts: Parts = [];
  let last = 0;
  let ok = true;
  for (const m of pattern.matchAll(VAR)) {
    if (m.index! > last) parts.push({ text: pattern.slice(last, m.index), literal: false });
    last = m.index! + m[0].length;
    const body = m[1]!.trim();
    if (body === '*' || body === '?' || body === '$') {
      parts.push({ text: body, literal: true });
      continue;
    }
    const dm = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(body);
    const key = (dm ? dm[1]! : body).trim();
    const values = ctx.get(key.toLowerCase());
    if (values && values.length === 1) parts.push({ text: values[0]!, literal: true });
    else if (dm) parts.push({ text: dm[2]!, literal: true });
    else {
      missing?.add(key);
      ok = false;
    }
  }
  if (last < pattern.length) parts.push({ text: pattern.slice(last), literal: false });
  return ok ? parts : undefined;
}

/** The keys a string's `${…}` variables name (for GetContextKeys*). */
export function variableKeys(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(VAR)) {
    const body = m[1]!.trim();
    if (body === '*' || body === '?' || body === '$') continue;
    const dm = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(body);
    out.push((dm ? dm[1]! : body).trim());
  }
  return out;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const cache = new Map<string, RegExp>();

function regexOf(parts: Parts, ignoreCase: boolean): RegExp {
  const key = (ignoreCase ? 'i' : 's') + JSON.stringify(parts);
  let re = cache.get(key);
  if (!re) {
    const src = parts.map((p) => (p.literal ? escapeRe(p.text) : escapeRe(p.text).replace(/\\\*/g, '.*').replace(/\\\?/g, '.'))).join('');
    re = new RegExp('^' + src + '$', ignoreCase ? 'is' : 's');
    if (cache.size > 5000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** Wildcard match of already-substituted parts. */
export function like(parts: Parts, value: string, ignoreCase = false): boolean {
  return regexOf(parts, ignoreCase).test(value);
}

/** Plain equality of substituted parts (no wildcards). */
export const partsText = (parts: Parts): string => parts.map((p) => p.text).join('');

/** Action patterns: `*`/`?`, case-insensitive, no variables. */
export function actionMatches(pattern: string, action: string): boolean {
  return like([{ text: pattern, literal: false }], action, true);
}

/** Resource patterns: `*`/`?` and policy variables, case-sensitive. */
export function resourceMatches(pattern: string, resource: string, ctx: ContextMap, variables: boolean, missing?: Set<string>): boolean {
  const parts = substitute(pattern, ctx, variables, missing);
  return parts !== undefined && like(parts, resource);
}

/** Arn* operators: each of the six colon-separated parts compared on its own (the sixth keeps its colons). */
export function arnLike(parts: Parts, value: string): boolean {
  const actual = splitArn(value);
  const segs: Parts[] = [[]];
  for (const p of parts) {
    if (p.literal) {
      segs[segs.length - 1]!.push(p);
      continue;
    }
    p.text.split(':').forEach((piece, i) => {
      if (i > 0) {
        if (segs.length < 6) segs.push([]);
        else segs[5]!.push({ text: ':', literal: true });
      }
      if (piece) segs[segs.length - 1]!.push({ text: piece, literal: false });
    });
  }
  if (!actual || segs.length < 6) return like(parts, value);
  return actual.every((a, i) => like(segs[i]!.length ? segs[i]! : [{ text: '', literal: true }], a));
}
function splitArn(s: string): string[] | undefined {
  const p = s.split(':');
  if (p.length < 6) return undefined;
  return [...p.slice(0, 5), p.slice(5).join(':')];
}

// ---- IP addresses
function ipBytes(ip: string): number[] | undefined {
  const v = isIP(ip);
  if (v === 4) return ip.split('.').map(Number);
  if (v !== 6) return undefined;
  let s = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  let tail: number[] = [];
  if (v4) {
    tail = v4[1]!.split('.').map(Number);
    s = s.slice(0, -v4[1]!.length) + '0:0';
  }
  const [head, rest] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const r = rest !== undefined && rest ? rest.split(':') : [];
  const groups = rest === undefined ? h : [...h, ...Array(8 - h.length - r.length).fill('0'), ...r];
  const bytes = groups.flatMap((g) => {
    const n = parseInt(g || '0', 16);
    return [n >> 8, n & 255];
  });
  if (v4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/** Is `ip` inside `cidr` (or equal to a bare address)? IPv4-mapped IPv6 addresses compare as IPv4. */
export function ipInCidr(ip: string, cidr: string): boolean {
  const [net, lenText] = cidr.trim().split('/') as [string, string | undefined];
  let a = ipBytes(ip.trim());
  let b = ipBytes(net);
  if (!a || !b) return false;
  const mapped = (x: number[]) => x.length === 16 && x.slice(0, 10).every((n) => n === 0) && x[10] === 255 && x[11] === 255;
  if (a.length === 16 && b.length === 4 && mapped(a)) a = a.slice(12);
  if (b.length === 16 && a.length === 4 && mapped(b)) b = b.slice(12);
  if (a.length !== b.length) return false;
  const bits = lenText === undefined ? a.length * 8 : Number(lenText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length * 8) return false;
  for (let i = 0; i < bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    if ((a[byte]! & mask) !== (b[byte]! & mask)) return false;
  }
  return true;
}
