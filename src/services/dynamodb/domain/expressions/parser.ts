/**
 * Recursive-descent parsers for ConditionExpression (also FilterExpression and
 * KeyConditionExpression), ProjectionExpression and UpdateExpression.
 *
 * Syntax errors are thrown at once; semantic errors (reserved words, undefined names/values,
 * function misuse, operand types, overlapping paths) are collected while parsing and the one
 * DynamoDB reports first is thrown at the end, in DynamoDB's order of precedence.
 *
 * Condition grammar, loosest first:
 *   or   := and (OR and)*          and := not (AND not)*          not := NOT not | prim
 *   prim := '(' or ')' | operand (cmp operand | BETWEEN operand AND operand | IN '(' operand,… ')') | fn(…)
 *   operand := '(' operand ')' | fn '(' operand,… ')' | :value | path
 */
import type { AttributeValue } from '../../generated/types.js';
import { RESERVED_WORDS } from '../reserved.js';
import { typeOf } from '../values.js';
import { compareValues } from './eval.js';
import type { Comparator, Condition, Operand, Path, PathPart, UpdateAction } from './ast.js';
import { pathText } from './ast.js';
import type { ExprContext } from './context.js';
import { invalid, SyntaxErr, syntaxMessage, tokenize, type Token } from './lexer.js';

type Category = 'parens' | 'unknownFunction' | 'misusedFunction' | 'reserved' | 'ref' | 'section' | 'overlap' | 'conflict' | 'operand' | 'distinct' | 'function';
const CONDITION_ORDER: Category[] = ['parens', 'unknownFunction', 'misusedFunction', 'reserved', 'ref', 'operand', 'distinct', 'function'];
const UPDATE_ORDER: Category[] = ['reserved', 'unknownFunction', 'section', 'ref', 'overlap', 'conflict', 'operand', 'function'];
const PROJECTION_ORDER: Category[] = ['reserved', 'ref', 'overlap', 'conflict'];

const COMPARATORS = new Set(['=', '<>', '<', '<=', '>', '>=']);
const CONDITION_FUNCTIONS: Record<string, number> = { attribute_exists: 1, attribute_not_exists: 1, attribute_type: 2, begins_with: 2, contains: 2, size: 1 };
const UPDATE_FUNCTIONS: Record<string, number> = { if_not_exists: 2, list_append: 2 };
const TYPE_NAMES = ['S', 'N', 'B', 'NULL', 'SS', 'BOOL', 'L', 'BS', 'NS', 'M'];
const UPDATE_TYPE_WORDS: Record<string, string> = { S: 'STRING', N: 'NUMBER', B: 'BINARY', NULL: 'NULL', BOOL: 'BOOLEAN', L: 'LIST', M: 'MAP' };

class Parser {
  i = 0;
  readonly toks: Token[];
  readonly errors = new Map<Category, string>();
  /** conditions written as '(' … ')', for the redundant-parentheses rule */
  readonly wrapped = new WeakSet<object>();

  constructor(readonly src: string, readonly what: string, readonly ctx: ExprContext, readonly keywords: Set<string>) {
    try {
      this.toks = tokenize(src);
    } catch (e) {
      if (e instanceof SyntaxErr) throw invalid(`Invalid ${what}: ${e.message}`);
      throw e;
    }
  }

  peek(o = 0): Token { return this.toks[Math.min(this.i + o, this.toks.length - 1)]!; }
  next(): Token { return this.toks[this.i++]!; }
  isPunct(text: string, o = 0): boolean { const t = this.peek(o); return t.kind === 'punct' && t.text === text; }
  accept(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.i++;
    return true;
  }
  expect(text: string): void { if (!this.accept(text)) this.fail(); }
  isKw(word: string, o = 0): boolean { const t = this.peek(o); return t.kind === 'ident' && t.text.toUpperCase() === word; }
  fail(): never { throw new SyntaxErr(syntaxMessage(this.src, this.toks, Math.min(this.i, this.toks.length - 1))); }
  record(cat: Category, msg: string): void { if (!this.errors.has(cat)) this.errors.set(cat, msg); }

  /** Throws the first recorded semantic error in the given precedence. */
  check(order: Category[]): void {
    for (const cat of order) {
      const msg = this.errors.get(cat);
      if (msg) throw invalid(`Invalid ${this.what}: ${msg}`);
    }
  }

  path(): Path {
    const parts: Path = [this.element()];
    for (;;) {
      if (this.accept('.')) parts.push(this.element());
      else if (this.isPunct('[')) {
        this.i++;
        const t = this.peek();
        if (t.kind !== 'number') this.fail();
        this.i++;
        parts.push({ index: Number(t.text) });
        this.expect(']');
      } else return parts;
    }
  }

  element(): PathPart {
    const t = this.peek();
    if (t.kind === 'ident' && !this.keywords.has(t.text.toUpperCase())) {
      this.i++;
      if (RESERVED_WORDS.has(t.text.toUpperCase())) this.record('reserved', `Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
      return { name: t.text };
    }
    if (t.kind === 'name') {
      this.i++;
      const v = this.ctx.names?.[t.text];
      if (v === undefined) {
        this.record('ref', `An expression attribute name used in the document path is not defined; attribute name: ${t.text}`);
        return { name: '' };
      }
      this.ctx.usedNames.add(t.text);
      return { name: v };
    }
    return this.fail();
  }

  value(): Operand {
    const t = this.next();
    const v = this.ctx.values?.[t.text];
    if (v === undefined) {
      this.record('ref', `An expression attribute value used in expression is not defined; attribute value: ${t.text}`);
      return { k: 'value', v: { NULL: true }, ref: t.text };
    }
    this.ctx.usedValues.add(t.text);
    return { k: 'value', v, ref: t.text };
  }

  /** '(' operand ')' | fn(args) | :value | path */
  operand(functions: Record<string, number>): Operand {
    if (this.isPunct('(')) {
      this.i++;
      const o = this.operand(functions);
      this.expect(')');
      return o;
    }
    const t = this.peek();
    if (t.kind === 'value') return this.value();
    if (t.kind === 'ident' && this.isPunct('(', 1) && !this.keywords.has(t.text.toUpperCase())) return this.call(functions);
    return { k: 'path', path: this.path() };
  }

  call(functions: Record<string, number>): Operand & { k: 'fn' } {
    const name = this.next().text;
    this.expect('(');
    const args: Operand[] = [this.operand(functions)];
    while (this.accept(',')) args.push(this.operand(functions));
    this.expect(')');
    const arity = functions[name];
    if (arity === undefined) this.record('unknownFunction', `Invalid function name; function: ${name}`);
    else if (arity !== args.length) this.record('operand', `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return { k: 'fn', name, args };
  }
}

const run = <T>(p: Parser, body: () => T): T => {
  try {
    return body();
  } catch (e) {
    if (e instanceof SyntaxErr) throw invalid(`Invalid ${p.what}: ${e.message}`);
    throw e;
  }
};

const isPath = (o: Operand): o is Operand & { k: 'path' } => o.k === 'path';
const literalType = (o: Operand): string | undefined => (o.k === 'value' ? typeOf(o.v) : undefined);
const samePath = (a: Path, b: Path) => a.length === b.length && a.every((x, i) => ('name' in x ? 'name' in b[i]! && x.name === (b[i] as { name: string }).name : 'index' in b[i]! && x.index === (b[i] as { index: number }).index));

// ---- conditions

export function parseCondition(src: string, what: string, ctx: ExprContext): Condition {
  if (src === '') throw invalid(`Invalid ${what}: The expression can not be empty;`);
  const p = new Parser(src, what, ctx, new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN']));

  const misused = (ops: Operand[]) => {
    for (const o of ops) if (o.k === 'fn' && o.name !== 'size') p.record('misusedFunction', `The function is not allowed to be used this way in an expression; function: ${o.name}`);
  };
  const distinct = (op: string, a: Operand, b: Operand) => {
    if (isPath(a) && isPath(b) && samePath(a.path, b.path)) p.record('distinct', `The first operand must be distinct from the remaining operands for this operator or function; operator: ${op}, first operand: ${pathText(a.path)}`);
  };
  const checkFunction = (o: Operand & { k: 'fn' }) => {
    const { name, args } = o;
    if (CONDITION_FUNCTIONS[name] !== args.length) return;
    misused(args);
    if (args.length === 2) distinct(name, args[0]!, args[1]!);
    const bad = (type: string) => p.record('function', `Incorrect operand type for operator or function; operator or function: ${name}, operand type: ${type}`);
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists':
        if (!isPath(args[0]!)) p.record('function', `Operator or function requires a document path; operator or function: ${name}`);
        break;
      case 'begins_with':
        for (const a of args) {
          const t = literalType(a);
          if (t && t !== 'S' && t !== 'B') bad(t);
        }
        break;
      case 'attribute_type': {
        const t = literalType(args[1]!);
        if (t !== 'S') bad(t ?? '{NS,SS,L,BS,N,M,B,BOOL,NULL,S}');
        else if (!TYPE_NAMES.includes((args[1] as { v: AttributeValue }).v.S!)) p.record('function', `Invalid attribute type name found; type: ${(args[1] as { v: AttributeValue }).v.S}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`);
        break;
      }
      case 'size': {
        const t = literalType(args[0]!);
        if (t === 'N' || t === 'BOOL' || t === 'NULL') bad(t);
        break;
      }
    }
  };
  const operand = (): Operand => {
    const o = p.operand(CONDITION_FUNCTIONS);
    walkFns(o, checkFunction);
    return o;
  };

  const or = (): Condition => {
    let c = and();
    while (p.isKw('OR')) {
      p.i++;
      c = { k: 'or', a: c, b: and() };
    }
    return c;
  };
  const and = (): Condition => {
    let c = not();
    while (p.isKw('AND')) {
      p.i++;
      c = { k: 'and', a: c, b: not() };
    }
    return c;
  };
  const not = (): Condition => {
    if (p.isKw('NOT')) {
      p.i++;
      return { k: 'not', a: not() };
    }
    return prim();
  };
  const prim = (): Condition => {
    if (p.isPunct('(')) {
      // a parenthesised condition, or a comparison whose first operand is parenthesised
      const save = p.i;
      const errs = new Map(p.errors);
      try {
        p.i++;
        const inner = or();
        p.expect(')');
        if (p.wrapped.has(inner)) p.record('parens', 'The expression has redundant parentheses;');
        if (!(p.peek().kind === 'punct' && COMPARATORS.has(p.peek().text)) && !p.isKw('BETWEEN') && !p.isKw('IN')) {
          p.wrapped.add(inner);
          return inner;
        }
      } catch (e) {
        if (!(e instanceof SyntaxErr)) throw e;
      }
      p.i = save;
      p.errors.clear();
      for (const [k, v] of errs) p.errors.set(k, v);
    }
    const a = operand();
    const t = p.peek();
    if (t.kind === 'punct' && COMPARATORS.has(t.text)) {
      p.i++;
      const b = operand();
      misused([a, b]);
      distinct(t.text, a, b);
      return { k: 'cmp', op: t.text as Comparator, a, b };
    }
    if (p.isKw('BETWEEN')) {
      p.i++;
      const lo = operand();
      if (!p.isKw('AND')) p.fail();
      p.i++;
      const hi = operand();
      misused([a, lo, hi]);
      if (lo.k === 'value' && hi.k === 'value') {
        const tl = typeOf(lo.v), th = typeOf(hi.v);
        const show = (v: AttributeValue, ty: string) => `AttributeValue: {${ty}:${String((v as Record<string, unknown>)[ty])}}`;
        if (tl !== th) p.record('function', `The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: ${show(lo.v, tl)}, upper bound operand: ${show(hi.v, th)}`);
        else if ((compareValues(lo.v, hi.v) ?? 0) > 0) p.record('function', `The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: ${show(lo.v, tl)}, upper bound operand: ${show(hi.v, th)}`);
      }
      return { k: 'between', a, lo, hi };
    }
    if (p.isKw('IN')) {
      p.i++;
      p.expect('(');
      const list = [operand()];
      while (p.accept(',')) list.push(operand());
      p.expect(')');
      misused([a, ...list]);
      if (list.length > 100) p.record('operand', `The IN operator is provided with too many operands; number of operands: ${list.length}`);
      return { k: 'in', a, list };
    }
    if (a.k === 'fn') {
      if (a.name === 'size') p.record('misusedFunction', 'The function is not allowed to be used this way in an expression; function: size');
      return { k: 'call', name: a.name, args: a.args };
    }
    return p.fail();
  };

  return run(p, () => {
    const c = or();
    if (p.peek().kind !== 'eof') p.fail();
    p.check(CONDITION_ORDER);
    return c;
  });
}

function walkFns(o: Operand, f: (fn: Operand & { k: 'fn' }) => void): void {
  if (o.k === 'fn') {
    f(o);
    for (const a of o.args) walkFns(a, f);
  } else if (o.k === 'plus' || o.k === 'minus') {
    walkFns(o.a, f);
    walkFns(o.b, f);
  }
}

// ---- projections

export function parseProjection(src: string, ctx: ExprContext, what = 'ProjectionExpression'): Path[] {
  if (src === '') throw invalid(`Invalid ${what}: The expression can not be empty;`);
  const p = new Parser(src, what, ctx, new Set());
  return run(p, () => {
    const paths: Path[] = [p.path()];
    while (p.accept(',')) paths.push(p.path());
    if (p.peek().kind !== 'eof') p.fail();
    checkOverlaps(p, paths);
    p.check(PROJECTION_ORDER);
    return paths;
  });
}

function checkOverlaps(p: Parser, paths: Path[]): void {
  for (let a = 0; a < paths.length; a++) {
    for (let b = 0; b < a; b++) {
      const x = paths[b]!, y = paths[a]!;
      let i = 0;
      for (; i < x.length && i < y.length; i++) {
        const px = x[i]!, py = y[i]!;
        if ('name' in px !== 'name' in py) {
          p.record('conflict', `Two document paths conflict with each other; must remove or rewrite one of these paths; path one: ${pathText(x)}, path two: ${pathText(y)}`);
          break;
        }
        if ('name' in px ? px.name !== (py as { name: string }).name : px.index !== (py as { index: number }).index) break;
      }
      if (i === Math.min(x.length, y.length)) p.record('overlap', `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(x)}, path two: ${pathText(y)}`);
    }
  }
}

// ---- updates

export function parseUpdate(src: string, ctx: ExprContext): UpdateAction[] {
  if (src === '') throw invalid('Invalid UpdateExpression: The expression can not be empty;');
  const p = new Parser(src, 'UpdateExpression', ctx, new Set(['SET', 'REMOVE', 'ADD', 'DELETE']));
  const sections = new Set<string>();
  const actions: UpdateAction[] = [];

  const checkFn = (o: Operand & { k: 'fn' }) => {
    const { name, args } = o;
    if (UPDATE_FUNCTIONS[name] !== args.length) return;
    if (name === 'if_not_exists' && !isPath(args[0]!)) p.record('function', 'Operator or function requires a document path; operator or function: if_not_exists');
    if (name === 'list_append') {
      for (const a of args) {
        const t = literalType(a);
        if (t && t !== 'L') p.record('function', `Incorrect operand type for operator or function; operator or function: list_append, operand type: ${t}`);
      }
    }
  };
  const term = (): Operand => {
    const o = p.operand(UPDATE_FUNCTIONS);
    walkFns(o, checkFn);
    return o;
  };
  const setValue = (): Operand => {
    if (p.isPunct('(')) {
      // '(' a + b ')' or a parenthesised first operand
      const save = p.i;
      try {
        p.i++;
        const v = setValue();
        p.expect(')');
        if (!p.isPunct('+') && !p.isPunct('-')) return v;
      } catch (e) {
        if (!(e instanceof SyntaxErr)) throw e;
      }
      p.i = save;
    }
    const a = term();
    if (p.isPunct('+') || p.isPunct('-')) {
      const op = p.next().text;
      const b = term();
      for (const x of [a, b]) {
        const t = literalType(x);
        if (t && t !== 'N') p.record('function', `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${t}`);
      }
      return { k: op === '+' ? 'plus' : 'minus', a, b };
    }
    return a;
  };
  const setOperand = (op: 'ADD' | 'DELETE'): AttributeValue => {
    if (p.peek().kind !== 'value') p.fail();
    const o = p.value() as { v: AttributeValue };
    const t = typeOf(o.v);
    if (UPDATE_TYPE_WORDS[t] && !(op === 'ADD' && t === 'N')) p.record('operand', `Incorrect operand type for operator or function; operator: ${op}, operand type: ${UPDATE_TYPE_WORDS[t]}`);
    return o.v;
  };

  return run(p, () => {
    do {
      const t = p.peek();
      const word = t.kind === 'ident' ? t.text.toUpperCase() : '';
      if (!['SET', 'REMOVE', 'ADD', 'DELETE'].includes(word)) p.fail();
      p.i++;
      if (sections.has(word)) p.record('section', `The "${word}" section can only be used once in an update expression;`);
      sections.add(word);
      do {
        const path = p.path();
        if (word === 'SET') {
          p.expect('=');
          actions.push({ k: 'SET', path, value: setValue() });
        } else if (word === 'REMOVE') actions.push({ k: 'REMOVE', path });
        else actions.push({ k: word as 'ADD' | 'DELETE', path, value: setOperand(word as 'ADD' | 'DELETE') });
      } while (p.accept(','));
    } while (p.peek().kind !== 'eof');
    checkOverlaps(p, actions.map((a) => a.path));
    p.check(UPDATE_ORDER);
    return actions;
  });
}
