/**
 * Evaluation: document paths, projections and conditions, with DynamoDB's type rules —
 * comparisons only between values of the same type (ordering only for N, S and B; a missing
 * attribute or a type mismatch makes a comparison false, `<>` true), N compared numerically
 * (exactly), S by UTF-8 bytes, B by bytes; sets compared as sets.
 */
import type { AttributeValue } from '../../generated/types.js';
import { compareNumbersFast } from '../numbers.js';
import { typeOf, type Item } from '../values.js';
import type { Condition, Operand, Path } from './ast.js';

export function valueAt(item: Item, path: Path): AttributeValue | undefined {
  let cur: AttributeValue | undefined = item[(path[0] as { name: string }).name];
  for (let i = 1; i < path.length && cur; i++) {
    const part = path[i]!;
    cur = 'name' in part ? cur.M?.[part.name] : cur.L?.[part.index];
  }
  return cur;
}

interface Node { leaf: boolean; names: Map<string, Node>; idx: Map<number, Node> }

/** The item reduced to the given paths (list elements keep their order, compacted). */
export function project(item: Item, paths: Path[]): Item {
  const root: Node = { leaf: false, names: new Map(), idx: new Map() };
  for (const p of paths) {
    let n = root;
    for (const part of p) {
      const map = ('name' in part ? n.names : n.idx) as Map<string | number, Node>;
      const k = 'name' in part ? part.name : part.index;
      let c = map.get(k);
      if (!c) map.set(k, (c = { leaf: false, names: new Map(), idx: new Map() }));
      n = c;
    }
    n.leaf = true;
  }
  return (pick({ M: item }, root)?.M ?? {}) as Item;
}

function pick(v: AttributeValue, n: Node): AttributeValue | undefined {
  if (n.leaf) return v;
  if (n.names.size && v.M) {
    const out: Record<string, AttributeValue> = {};
    for (const [k, c] of n.names) {
      const x = v.M[k];
      const p = x && pick(x, c);
      if (p) out[k] = p;
    }
    return Object.keys(out).length ? { M: out } : undefined;
  }
  if (n.idx.size && v.L) {
    const out: AttributeValue[] = [];
    for (const i of [...n.idx.keys()].sort((a, b) => a - b)) {
      const x = v.L[i];
      const p = x && pick(x, n.idx.get(i)!);
      if (p) out.push(p);
    }
    return out.length ? { L: out } : undefined;
  }
  return undefined;
}

const bytes = (v: Uint8Array) => Buffer.isBuffer(v) ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength);

/** UTF-8 byte order of two strings (UTF-16 order differs only around surrogates). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  let simple = true;
  for (let i = 0; i < a.length && simple; i++) if (a.charCodeAt(i) >= 0xd800) simple = false;
  for (let i = 0; i < b.length && simple; i++) if (b.charCodeAt(i) >= 0xd800) simple = false;
  if (simple) return a < b ? -1 : 1;
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Order of two scalars of the same type (N, S, B); undefined when they cannot be ordered. */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  if (a.N !== undefined) return b.N !== undefined ? compareNumbersFast(a.N, b.N) : undefined;
  if (a.S !== undefined) return b.S !== undefined ? compareStrings(a.S, b.S) : undefined;
  if (a.B !== undefined) return b.B !== undefined ? Buffer.compare(bytes(a.B), bytes(b.B)) : undefined;
  return undefined;
}

export function equalValues(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  switch (ta) {
    case 'S': return a.S === b.S;
    case 'N': return compareNumbersFast(a.N!, b.N!) === 0;
    case 'B': return Buffer.compare(bytes(a.B!), bytes(b.B!)) === 0;
    case 'BOOL': return a.BOOL === b.BOOL;
    case 'NULL': return true;
    case 'SS': return sameSet(a.SS!, b.SS!, (x) => x);
    case 'NS': return sameSet(a.NS!, b.NS!, (x) => x);
    case 'BS': return sameSet(a.BS!, b.BS!, (x) => bytes(x).toString('base64'));
    case 'L': return a.L!.length === b.L!.length && a.L!.every((x, i) => equalValues(x, b.L![i]!));
    default: {
      const ka = Object.keys(a.M!), mb = b.M!;
      return ka.length === Object.keys(mb).length && ka.every((k) => mb[k] !== undefined && equalValues(a.M![k]!, mb[k]!));
    }
  }
}

function sameSet<T>(a: T[], b: T[], key: (x: T) => string): boolean {
  if (a.length !== b.length) return false;
  const s = new Set(a.map(key));
  return b.every((x) => s.has(key(x)));
}

/** The value of an operand for an item (undefined: missing, or a size() of a sizeless value). */
export function operandValue(o: Operand, item: Item): AttributeValue | undefined {
  switch (o.k) {
    case 'path': return valueAt(item, o.path);
    case 'value': return o.v;
    case 'fn': {
      if (o.name !== 'size') return undefined;
      const v = operandValue(o.args[0]!, item);
      const n = v && sizeOf(v);
      return n === undefined ? undefined : { N: String(n) };
    }
    default: return undefined;
  }
}

function sizeOf(v: AttributeValue): number | undefined {
  if (v.S !== undefined) return [...v.S].length;
  if (v.B !== undefined) return v.B.byteLength;
  return (v.SS ?? v.NS ?? v.BS ?? v.L)?.length ?? (v.M ? Object.keys(v.M).length : undefined);
}

export function evaluate(c: Condition, item: Item): boolean {
  switch (c.k) {
    case 'and': return evaluate(c.a, item) && evaluate(c.b, item);
    case 'or': return evaluate(c.a, item) || evaluate(c.b, item);
    case 'not': return !evaluate(c.a, item);
    case 'cmp': {
      const a = operandValue(c.a, item), b = operandValue(c.b, item);
      if (!a || !b) return c.op === '<>';
      if (c.op === '=') return equalValues(a, b);
      if (c.op === '<>') return !equalValues(a, b);
      const r = compareValues(a, b);
      if (r === undefined) return false;
      return c.op === '<' ? r < 0 : c.op === '<=' ? r <= 0 : c.op === '>' ? r > 0 : r >= 0;
    }
    case 'between': {
      const a = operandValue(c.a, item), lo = operandValue(c.lo, item), hi = operandValue(c.hi, item);
      if (!a || !lo || !hi) return false;
      const x = compareValues(a, lo), y = compareValues(a, hi);
      return x !== undefined && y !== undefined && x >= 0 && y <= 0;
    }
    case 'in': {
      const a = operandValue(c.a, item);
      if (!a) return false;
      return c.list.some((o) => {
        const v = operandValue(o, item);
        return v !== undefined && equalValues(a, v);
      });
    }
    case 'call': return call(c.name, c.args, item);
  }
}

function call(name: string, args: Operand[], item: Item): boolean {
  const a = operandValue(args[0]!, item);
  switch (name) {
    case 'attribute_exists': return a !== undefined;
    case 'attribute_not_exists': return a === undefined;
    case 'attribute_type': {
      const t = operandValue(args[1]!, item);
      return a !== undefined && t?.S === typeOf(a);
    }
    case 'begins_with': {
      const b = operandValue(args[1]!, item);
      if (!a || !b) return false;
      if (a.S !== undefined && b.S !== undefined) return a.S.startsWith(b.S);
      if (a.B !== undefined && b.B !== undefined) return bytes(a.B).subarray(0, b.B.byteLength).equals(bytes(b.B));
      return false;
    }
    case 'contains': {
      const b = operandValue(args[1]!, item);
      if (!a || !b) return false;
      if (a.S !== undefined) return b.S !== undefined && a.S.includes(b.S);
      if (a.B !== undefined) return b.B !== undefined && bytes(a.B).includes(bytes(b.B));
      if (a.SS) return b.S !== undefined && a.SS.includes(b.S);
      if (a.NS) return b.N !== undefined && a.NS.some((n) => compareNumbersFast(n, b.N!) === 0);
      if (a.BS) return b.B !== undefined && a.BS.some((x) => bytes(x).equals(bytes(b.B!)));
      if (a.L) return a.L.some((x) => equalValues(x, b));
      return false;
    }
    default: return false;
  }
}
