/**
 * PartiQL values as DynamoDB AttributeValues: 'strings' → S, numbers → N (DynamoDB's number
 * rules, the message naming where in the value the number sits), TRUE/FALSE → BOOL, NULL → NULL,
 * {'k': v} → M, [..] → L, <<..>> → SS/NS/BS, `?` → the request's parameter (validated like any
 * AttributeValue). MISSING is no value at all.
 */
import { AwsError } from '../../../core/errors.js';
import type * as T from '../generated/types.js';
import { normalizeNumber } from '../domain/numbers.js';
import { checkValue, typeOf } from '../domain/values.js';
import type { At, Expr } from './ast.js';
import { malformed } from './parser.js';

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
export const pos = (a: At) => `${a.line}:${a.col}:${a.len}`;

/** The request's Parameters, validated (numbers that cannot be read answer DynamoDB's message). */
export function checkParams(params: T.AttributeValue[] | undefined, expected: number): T.AttributeValue[] {
  const out = (params ?? []).map((p) => {
    readable(p);
    return checkValue(p);
  });
  if (out.length !== expected) throw invalid("Number of parameters in request and statement don't match.");
  return out;
}

/** Parameters are read as Java reads a decimal: an exponent beyond 32 bits (or no digits) cannot be converted. */
function readable(v: T.AttributeValue | undefined): void {
  if (!v || typeof v !== 'object') return;
  const bad = (n: string) => {
    if (n === '') throw invalid('The parameter cannot be converted to a numeric value');
    const exp = /e([+-]?\d+)$/i.exec(n.trim());
    if (exp && Math.abs(Number(exp[1])) >= 2 ** 31) throw invalid(`The parameter cannot be converted to a numeric value: ${n}`);
  };
  if (typeof v.N === 'string') bad(v.N);
  v.NS?.forEach(bad);
  v.L?.forEach(readable);
  if (v.M) Object.values(v.M).forEach(readable);
}

/** A number literal (an exponent beyond 32 bits cannot be read at all). */
function numberOf(text: string, where: string): T.AttributeValue {
  const exp = /e([+-]?\d+)$/i.exec(text);
  if (exp && Math.abs(Number(exp[1])) >= 2 ** 31) throw malformed('');
  try {
    return { N: normalizeNumber(text) };
  } catch (e) {
    if (e instanceof AwsError) throw invalid(`${e.message} under ${where}`);
    throw e;
  }
}

/** Is this expression a value (literal, parameter or collection) rather than a path or call? */
export const isValue = (e: Expr) => ['str', 'num', 'bool', 'null', 'missing', 'param', 'tuple', 'list', 'bag'].includes(e.k);

/** The AttributeValue of a value expression (undefined for MISSING). */
export function valueOf(e: Expr, params: T.AttributeValue[], where = 'root'): T.AttributeValue | undefined {
  switch (e.k) {
    case 'str': return { S: e.v };
    case 'num': return numberOf(e.text, where);
    case 'bool': return { BOOL: e.v };
    case 'null': return { NULL: true };
    case 'missing': return undefined;
    case 'param': return params[e.i]!;
    case 'tuple': {
      const m: Record<string, T.AttributeValue> = {};
      for (const [k, x] of e.entries) {
        const v = valueOf(x, params, `${where}.${k}`);
        if (v) m[k] = v;
      }
      return { M: m };
    }
    case 'list': return { L: e.items.map((x, i) => valueOf(x, params, `${where}[${i}]`)).filter((v): v is T.AttributeValue => v !== undefined) };
    case 'bag': return bagOf(e.items.map((x, i) => valueOf(x, params, `${where}[${i}]`)));
    case 'call': throw invalid(`Unsupported data type: ${e.name} under key ${where} at ${pos(e.at)}`);
    default: throw invalid(`Unsupported data type: ${e.k} under key ${where} at ${pos(e.at)}`);
  }
}

function bagOf(items: (T.AttributeValue | undefined)[]): T.AttributeValue {
  if (!items.length) throw invalid('Empty bags are not supported');
  const types = new Set(items.map((v) => (v ? typeOf(v) : 'MISSING')));
  const [type] = types;
  if (types.size > 1 || !['S', 'N', 'B'].includes(type!)) throw invalid('Bags must contain elements of a single scalar type: string, number or binary');
  const set = type === 'S' ? { SS: items.map((v) => v!.S!) } : type === 'N' ? { NS: items.map((v) => v!.N!) } : { BS: items.map((v) => v!.B!) };
  return checkValue(set);
}
