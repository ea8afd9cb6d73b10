/**
 * A PartiQL WHERE clause as a DynamoDB condition (the expressions' AST, so a predicate means the
 * same in a statement as in a ConditionExpression), with PartiQL's additions: IS [NOT] MISSING,
 * IS [NOT] NULL, IS <type>, IN [..], comparing a condition function with TRUE/FALSE, and
 * case-insensitive function names. Also the key analysis: the equalities on key attributes a
 * point write needs, and the partitions (and sort-key range) a SELECT can Query instead of Scan.
 */
import { AwsError } from '../../../core/errors.js';
import type * as T from '../generated/types.js';
import type { Condition, Operand, Path } from '../domain/expressions/ast.js';
import type { KeyCond, RangeOp } from '../domain/ranges.js';
import { typeOf } from '../domain/values.js';
import type { Expr } from './ast.js';
import { malformed } from './parser.js';
import { isValue, pos, valueOf } from './values.js';

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);

const CONDITION_FUNCTIONS = ['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains'];
const TYPE_NAMES: Record<string, string> = {
  BOOL: 'BOOL', BOOLEAN: 'BOOL', STRING: 'S', VARCHAR: 'S', CHAR: 'S', CHARACTER: 'S', SYMBOL: 'S',
  INT: 'N', INTEGER: 'N', INT2: 'N', INT4: 'N', INT8: 'N', SMALLINT: 'N', BIGINT: 'N', DECIMAL: 'N', NUMERIC: 'N', FLOAT: 'N', REAL: 'N', DOUBLE: 'N', NUMBER: 'N',
  BLOB: 'B', CLOB: 'B', LIST: 'L', TUPLE: 'M', STRUCT: 'M',
};

export function pathOf(e: Expr): Path {
  if (e.k !== 'path') throw malformed('Expected identifier for simple path');
  return e.steps.map((s) => ('name' in s ? { name: s.name } : { index: s.index }));
}

const attrType = (a: Operand, type: string): Condition => ({ k: 'call', name: 'attribute_type', args: [a, { k: 'value', v: { S: type }, ref: '' }] });

export class WhereCompiler {
  constructor(private readonly params: T.AttributeValue[]) {}

  operand(e: Expr): Operand {
    if (e.k === 'path') return { k: 'path', path: pathOf(e) };
    if (isValue(e)) {
      const v = valueOf(e, this.params);
      if (!v) throw invalid('Unsupported operand: MISSING');
      return { k: 'value', v, ref: '' };
    }
    if (e.k === 'call') {
      if (e.name !== 'size') throw invalid(`Unrecognized function: ${e.name} at ${pos(e.at)}`);
      this.count(e, 1);
      return { k: 'fn', name: 'size', args: [this.pathArg(e, e.args[0]!)] };
    }
    throw invalid(`Unsupported operation: ${e.k === 'arith' ? 'arithmetic' : e.k} in a where clause`);
  }

  private count(e: Extract<Expr, { k: 'call' }>, n: number): void {
    if (e.args.length !== n) throw invalid(`Incorrect number of operands for operator or function; operator or function: ${e.name}, number of operands: ${e.args.length}`);
  }

  private pathArg(call: Extract<Expr, { k: 'call' }>, e: Expr): Operand {
    if (e.k !== 'path') throw invalid(`Operator or function requires a document path; operator or function: ${call.name}`);
    return this.operand(e);
  }

  /** Ordering operators refuse a value operand that has no order (DynamoDB checks the value alone). */
  private ordered(op: string, ...ops: Operand[]): void {
    for (const o of ops) if (o.k === 'value' && !['S', 'N', 'B'].includes(typeOf(o.v))) throw invalid(`Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${typeOf(o.v)}`);
  }

  condition(e: Expr): Condition {
    switch (e.k) {
      case 'and': case 'or': return { k: e.k, a: this.condition(e.a), b: this.condition(e.b) };
      case 'not': return { k: 'not', a: this.condition(e.a) };
      case 'cmp': {
        const fn = [e.a, e.b].find((x) => x.k === 'call' && CONDITION_FUNCTIONS.includes(x.name));
        const other = fn === e.a ? e.b : e.a;
        if (fn && other.k === 'bool' && (e.op === '=' || e.op === '<>')) {
          const c = this.condition(fn);
          return other.v === (e.op === '=') ? c : { k: 'not', a: c };
        }
        const a = this.operand(e.a), b = this.operand(e.b);
        if (e.op !== '=' && e.op !== '<>') this.ordered(e.op, a, b);
        return { k: 'cmp', op: e.op, a, b };
      }
      case 'between': {
        const a = this.operand(e.a), lo = this.operand(e.lo), hi = this.operand(e.hi);
        this.ordered('BETWEEN', a, lo, hi);
        const c: Condition = { k: 'between', a, lo, hi };
        return e.not ? { k: 'not', a: c } : c;
      }
      case 'in': {
        if (!e.list.length) throw malformed('Unexpected term');
        const c: Condition = { k: 'in', a: this.operand(e.a), list: e.list.map((x) => this.operand(x)) };
        return e.not ? { k: 'not', a: c } : c;
      }
      case 'is': {
        const a = this.operand(e.a);
        let c: Condition;
        if (e.what === 'MISSING') c = { k: 'call', name: 'attribute_not_exists', args: [a] };
        else if (e.what === 'NULL') c = { k: 'or', a: { k: 'call', name: 'attribute_not_exists', args: [a] }, b: attrType(a, 'NULL') };
        else if (TYPE_NAMES[e.what]) c = attrType(a, TYPE_NAMES[e.what]!);
        else throw malformed('Expected type name');
        return e.not ? { k: 'not', a: c } : c;
      }
      case 'call': {
        if (!CONDITION_FUNCTIONS.includes(e.name)) throw invalid(`Unrecognized function: ${e.name} at ${pos(e.at)}`);
        if (e.name === 'attribute_exists' || e.name === 'attribute_not_exists') {
          this.count(e, 1);
          return { k: 'call', name: e.name, args: [this.pathArg(e, e.args[0]!)] };
        }
        this.count(e, 2);
        return { k: 'call', name: e.name, args: [this.pathArg(e, e.args[0]!), this.operand(e.args[1]!)] };
      }
      case 'path': return { k: 'cmp', op: '=', a: this.operand(e), b: { k: 'value', v: { BOOL: true }, ref: '' } };
      default: throw invalid(`Unsupported operation: ${e.k} as a where clause`);
    }
  }
}

/** The top-level AND terms of a condition. */
export function conjuncts(c: Condition): Condition[] {
  return c.k === 'and' ? [...conjuncts(c.a), ...conjuncts(c.b)] : [c];
}

export function disjuncts(c: Condition): Condition[] {
  return c.k === 'or' ? [...disjuncts(c.a), ...disjuncts(c.b)] : [c];
}

const topName = (o: Operand) => (o.k === 'path' && o.path.length === 1 && 'name' in o.path[0]! ? o.path[0].name : undefined);

/** `name = value` (either way round): the value. */
export function equalityOn(c: Condition, name: string): T.AttributeValue | undefined {
  if (c.k !== 'cmp' || c.op !== '=') return undefined;
  if (topName(c.a) === name && c.b.k === 'value') return c.b.v;
  if (topName(c.b) === name && c.a.k === 'value') return c.a.v;
  return undefined;
}

/** The values a term restricts `name` to (`=` or IN), or undefined. */
function valuesOf(c: Condition, name: string): T.AttributeValue[] | undefined {
  const eq = equalityOn(c, name);
  if (eq) return [eq];
  if (c.k === 'in' && topName(c.a) === name && c.list.every((o) => o.k === 'value')) return c.list.map((o) => (o as { v: T.AttributeValue }).v);
  return undefined;
}

/** A sort-key range from one term (`sk < v`, BETWEEN, begins_with), for narrowing a Query. */
function rangeOf(c: Condition, name: string): KeyCond | undefined {
  const FLIP: Record<string, RangeOp> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
  const OPS: Record<string, RangeOp> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
  if (c.k === 'cmp' && c.op !== '<>') {
    if (topName(c.a) === name && c.b.k === 'value') return { op: OPS[c.op]!, vals: [c.b.v] };
    if (topName(c.b) === name && c.a.k === 'value') return { op: FLIP[c.op]!, vals: [c.a.v] };
  }
  if (c.k === 'between' && topName(c.a) === name && c.lo.k === 'value' && c.hi.k === 'value') return { op: 'BETWEEN', vals: [c.lo.v, c.hi.v] };
  if (c.k === 'call' && c.name === 'begins_with' && topName(c.args[0]!) === name && c.args[1]!.k === 'value') return { op: 'BEGINS_WITH', vals: [c.args[1]!.v] };
  return undefined;
}

/** Does the condition read an attribute other than `names`? */
const mentionsOther = (c: Condition, names: string[]): boolean => {
  const op = (o: Operand): boolean => (o.k === 'path' ? !names.includes((o.path[0] as { name: string }).name) : o.k === 'fn' ? o.args.some(op) : false);
  switch (c.k) {
    case 'and': case 'or': return mentionsOther(c.a, names) || mentionsOther(c.b, names);
    case 'not': return mentionsOther(c.a, names);
    case 'cmp': return op(c.a) || op(c.b);
    case 'between': return [c.a, c.lo, c.hi].some(op);
    case 'in': return [c.a, ...c.list].some(op);
    case 'call': return c.args.some(op);
  }
};

/** How a SELECT reads: the partitions it can Query (with a sort-key range when there is one), or undefined for a Scan. */
export function accessPlan(where: Condition | undefined, hashKey: string, rangeKey: string | undefined): { partitions: T.AttributeValue[]; range?: KeyCond } | undefined {
  if (!where) return undefined;
  const branches = disjuncts(where);
  const partitions: T.AttributeValue[] = [];
  const perBranch: { vals: T.AttributeValue[]; terms: Condition[] }[] = [];
  for (const b of branches) {
    const terms = conjuncts(b);
    const vals = terms.map((t) => valuesOf(t, hashKey)).find((v) => v !== undefined);
    if (!vals) return undefined;
    perBranch.push({ vals, terms });
    for (const v of vals) if (!partitions.some((p) => JSON.stringify(p) === JSON.stringify(v))) partitions.push(v);
  }
  if (branches.length > 1 && rangeKey) {
    // two branches on one partition where one bounds the sort key and another filters on other attributes
    const bounded = perBranch.some((b) => b.terms.some((t) => rangeOf(t, rangeKey)));
    const filtered = perBranch.some((b) => b.terms.some((t) => valuesOf(t, hashKey) === undefined && !rangeOf(t, rangeKey) && t.k !== 'not' && mentionsOther(t, [hashKey, rangeKey])));
    if (bounded && filtered && partitions.length < perBranch.length) throw invalid('Overlapping conditions with range keys are not supported in where clause');
  }
  if (branches.length === 1 && partitions.length === 1 && rangeKey) {
    const ranges = perBranch[0]!.terms.map((t) => rangeOf(t, rangeKey)).filter((r): r is KeyCond => r !== undefined);
    if (ranges.length === 1) return { partitions, range: ranges[0] };
  }
  return { partitions };
}

/** The key of a point statement: one equality per key attribute among the top-level AND terms; the rest is the condition. */
export function pointKey(where: Condition, keyNames: string[]): { key: Record<string, T.AttributeValue>; rest: Condition[] } | undefined {
  const terms = conjuncts(where);
  const key: Record<string, T.AttributeValue> = {};
  const rest: Condition[] = [];
  for (const t of terms) {
    const name = keyNames.find((n) => key[n] === undefined && equalityOn(t, n) !== undefined);
    if (name) key[name] = equalityOn(t, name)!;
    else rest.push(t);
  }
  return keyNames.every((n) => key[n]) ? { key, rest } : undefined;
}

export const andAll = (cs: Condition[]): Condition | undefined => cs.reduce<Condition | undefined>((acc, c) => (acc ? { k: 'and', a: acc, b: c } : c), undefined);
