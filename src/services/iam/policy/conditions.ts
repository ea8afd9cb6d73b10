/**
 * Condition operators as AWS documents them: String*, Numeric*, Date*, Bool, BinaryEquals,
 * IpAddress/NotIpAddress, Arn*, Null, every `…IfExists` form, and the set qualifiers
 * `ForAllValues:` / `ForAnyValue:`. Keys and operators of one Condition are ANDed; the values of
 * one key are ORed. A key missing from the request makes a clause false, except for negated
 * operators (true), `…IfExists` (true), `ForAllValues:` (true) and `Null`.
 */
import type { ConditionClause } from './document.js';
import { arnLike, ipInCidr, like, partsText, substitute, type ContextMap, type Parts } from './match.js';

type Test = (actual: string, expected: Parts) => boolean;
interface Operator { test: Test; negated: boolean; variables: boolean }

const num = (s: string): number => (/^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(s) ? Number(s) : NaN);
/** ISO 8601 dates or epoch seconds (as IAM accepts them). */
export function dateOf(s: string): number {
  if (/^\s*-?\d+(\.\d+)?\s*$/.test(s)) return Number(s) * 1000;
  const t = Date.parse(s);
  return Number.isNaN(t) ? NaN : t;
}
const cmp = (parse: (s: string) => number, f: (a: number, b: number) => boolean): Test => (a, e) => {
  const x = parse(a);
  const y = parse(partsText(e));
  return !Number.isNaN(x) && !Number.isNaN(y) && f(x, y);
};
const b64 = (s: string) => Buffer.from(s, 'base64').toString('base64');

const BASE: Record<string, { test: Test; negated?: boolean; variables?: boolean }> = {
  StringEquals: { test: (a, e) => a === partsText(e), variables: true },
  StringNotEquals: { test: (a, e) => a === partsText(e), negated: true, variables: true },
  StringEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === partsText(e).toLowerCase(), variables: true },
  StringNotEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === partsText(e).toLowerCase(), negated: true, variables: true },
  StringLike: { test: (a, e) => like(e, a), variables: true },
  StringNotLike: { test: (a, e) => like(e, a), negated: true, variables: true },
  NumericEquals: { test: cmp(num, (a, b) => a === b) },
  NumericNotEquals: { test: cmp(num, (a, b) => a === b), negated: true },
  NumericLessThan: { test: cmp(num, (a, b) => a < b) },
  NumericLessThanEquals: { test: cmp(num, (a, b) => a <= b) },
  NumericGreaterThan: { test: cmp(num, (a, b) => a > b) },
  NumericGreaterThanEquals: { test: cmp(num, (a, b) => a >= b) },
  DateEquals: { test: cmp(dateOf, (a, b) => a === b) },
  DateNotEquals: { test: cmp(dateOf, (a, b) => a === b), negated: true },
  DateLessThan: { test: cmp(dateOf, (a, b) => a < b) },
  DateLessThanEquals: { test: cmp(dateOf, (a, b) => a <= b) },
  DateGreaterThan: { test: cmp(dateOf, (a, b) => a > b) },
  DateGreaterThanEquals: { test: cmp(dateOf, (a, b) => a >= b) },
  Bool: { test: (a, e) => a.toLowerCase() === partsText(e).toLowerCase(), variables: true },
  BinaryEquals: { test: (a, e) => b64(a) === b64(partsText(e)) },
  IpAddress: { test: (a, e) => ipInCidr(a, partsText(e)) },
  NotIpAddress: { test: (a, e) => ipInCidr(a, partsText(e)), negated: true },
  ArnEquals: { test: (a, e) => arnLike(e, a), variables: true },
  ArnNotEquals: { test: (a, e) => arnLike(e, a), negated: true, variables: true },
  ArnLike: { test: (a, e) => arnLike(e, a), variables: true },
  ArnNotLike: { test: (a, e) => arnLike(e, a), negated: true, variables: true },
};

export interface ParsedOperator { base: string; op?: Operator; set?: 'all' | 'any'; ifExists: boolean; isNull: boolean }

export function parseOperator(raw: string): ParsedOperator {
  let name = raw;
  let set: 'all' | 'any' | undefined;
  const q = /^(ForAllValues|ForAnyValue):(.*)$/i.exec(name);
  if (q) {
    set = q[1]!.toLowerCase() === 'forallvalues' ? 'all' : 'any';
    name = q[2]!;
  }
  if (name === 'Null') return { base: name, set, ifExists: false, isNull: true };
  const ifExists = name.endsWith('IfExists');
  if (ifExists) name = name.slice(0, -'IfExists'.length);
  const b = BASE[name];
  return { base: name, set, ifExists, isNull: false, op: b && { test: b.test, negated: !!b.negated, variables: !!b.variables } };
}

/** The operator names we know (for validation). */
export const isKnownOperator = (raw: string): boolean => {
  const p = parseOperator(raw);
  return p.isNull || !!p.op;
};

/**
 * Do all clauses hold? `missing` collects the keys (as written) that the clauses referenced
 * and the request did not carry (Null checks excepted).
 */
export function conditionsHold(clauses: ConditionClause[], ctx: ContextMap, variables: boolean, missing: Set<string>): boolean {
  let all = true;
  for (const c of clauses) if (!clauseHolds(c, ctx, variables, missing)) all = false;
  return all;
}

function clauseHolds(c: ConditionClause, ctx: ContextMap, variables: boolean, missing: Set<string>): boolean {
  const p = parseOperator(c.operator);
  const actual = ctx.get(c.key.toLowerCase());
  const present = actual !== undefined && actual.length > 0;
  if (p.isNull) {
    return c.values.some((v) => (v.toLowerCase() === 'true' ? !present : v.toLowerCase() === 'false' ? present : false));
  }
  if (!p.op) return false; // an operator we do not know never matches
  if (!present) {
    missing.add(c.key);
    if (p.ifExists || p.set === 'all') return true;
    if (p.set === 'any') return false;
    return p.op.negated;
  }
  const op = p.op;
  const expected = c.values.map((v) => (op.variables ? substitute(v, ctx, variables, missing) : [{ text: v, literal: false }])).filter((x): x is Parts => !!x);
  const matchesAny = (a: string) => expected.some((e) => op.test(a, e));
  // one request value against the policy's values: positive operators need a match, negated ones none
  const valueHolds = (a: string) => (op.negated ? !matchesAny(a) : matchesAny(a));
  if (p.set === 'all') return actual.every(valueHolds);
  if (p.set === 'any') return actual.some(valueHolds);
  return op.negated ? !actual.some(matchesAny) : actual.some(matchesAny);
}
