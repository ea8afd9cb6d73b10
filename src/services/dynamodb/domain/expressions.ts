/**
 * Expressions: ProjectionExpression (document paths) and a first subset of ConditionExpression —
 * attribute_exists / attribute_not_exists combined with AND, OR, NOT and parentheses. Anything
 * else in a condition is refused with a ValidationException naming it (never silently ignored).
 * ExpressionAttributeNames/Values are checked the way DynamoDB does (undefined, unused, empty).
 */
import { AwsError } from '../../../core/errors.js';
import type { AttributeValue } from '../generated/types.js';
import type { Item } from './values.js';
import { RESERVED_WORDS } from './reserved.js';

export type PathPart = { name: string } | { index: number };
export type Path = PathPart[];

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);

interface Token { kind: 'name' | 'attrName' | 'value' | 'number' | 'punct' | 'eof'; text: string; pos: number }

function tokenize(src: string, what: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(<>|<=|>=|[=<>.,()[\]])|(\S))/y;
  let m: RegExpExecArray | null;
  re.lastIndex = 0;
  while (re.lastIndex < src.length && (m = re.exec(src))) {
    const pos = m.index + m[0].length - (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? m[6] ?? '').length;
    if (m[1]) out.push({ kind: 'attrName', text: m[1], pos });
    else if (m[2]) out.push({ kind: 'value', text: m[2], pos });
    else if (m[3]) out.push({ kind: 'name', text: m[3], pos });
    else if (m[4]) out.push({ kind: 'number', text: m[4], pos });
    else if (m[5]) out.push({ kind: 'punct', text: m[5], pos });
    else if (m[6]) throw invalid(`Invalid ${what}: Syntax error; token: "${m[6]}", near: "${near(src, pos)}"`);
    else break;
  }
  out.push({ kind: 'eof', text: '<EOF>', pos: src.length });
  return out;
}

function near(src: string, pos: number): string {
  return src.slice(Math.max(0, pos - 4), pos + 4).trim();
}

/** Parser state shared by both expression kinds; records which names/values were used. */
class Parser {
  private i = 0;
  readonly toks: Token[];
  constructor(readonly src: string, readonly what: string, readonly names: Record<string, string> | undefined, readonly usedNames: Set<string>) {
    this.toks = tokenize(src, what);
  }
  peek(): Token { return this.toks[this.i]!; }
  next(): Token { return this.toks[this.i++]!; }
  atEnd(): boolean { return this.peek().kind === 'eof'; }
  accept(text: string): boolean {
    if (this.peek().kind === 'punct' && this.peek().text === text) {
      this.i++;
      return true;
    }
    return false;
  }
  expect(text: string): void {
    if (!this.accept(text)) this.syntax();
  }
  syntax(): never {
    const t = this.peek();
    throw invalid(`Invalid ${this.what}: Syntax error; token: "${t.text}", near: "${near(this.src, t.pos)}"`);
  }

  path(): Path {
    const parts: Path = [this.element()];
    for (;;) {
      if (this.accept('.')) parts.push(this.element());
      else if (this.accept('[')) {
        const t = this.next();
        if (t.kind !== 'number') {
          this.i--;
          this.syntax();
        }
        parts.push({ index: Number(t.text) });
        this.expect(']');
      } else return parts;
    }
  }

  private element(): PathPart {
    const t = this.next();
    if (t.kind === 'name') {
      if (RESERVED_WORDS.has(t.text.toUpperCase())) throw invalid(`Invalid ${this.what}: Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
      return { name: t.text };
    }
    if (t.kind === 'attrName') {
      const v = this.names?.[t.text];
      if (v === undefined) throw invalid(`Invalid ${this.what}: An expression attribute name used in the document path is not defined; attribute name: ${t.text}`);
      this.usedNames.add(t.text);
      return { name: v };
    }
    this.i--;
    this.syntax();
  }
}

export function parseProjection(expr: string, names: Record<string, string> | undefined, usedNames: Set<string>): Path[] {
  const p = new Parser(expr, 'ProjectionExpression', names, usedNames);
  if (p.atEnd()) throw invalid('Invalid ProjectionExpression: The expression can not be empty;');
  const paths: Path[] = [p.path()];
  while (p.accept(',')) paths.push(p.path());
  if (!p.atEnd()) p.syntax();
  for (let a = 0; a < paths.length; a++) {
    for (let b = a + 1; b < paths.length; b++) {
      const [x, y] = paths[a]!.length <= paths[b]!.length ? [paths[a]!, paths[b]!] : [paths[b]!, paths[a]!];
      if (x.every((part, i) => samePart(part, y[i]!))) {
        throw invalid(`Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [${pathText(paths[a]!)}], path two: [${pathText(paths[b]!)}]`);
      }
    }
  }
  return paths;
}

const samePart = (a: PathPart, b: PathPart) => ('name' in a && 'name' in b && a.name === b.name) || ('index' in a && 'index' in b && a.index === b.index);
const pathText = (p: Path) => p.map((x) => ('name' in x ? x.name : `[${x.index}]`)).join(', ');

export function valueAt(item: Item, path: Path): AttributeValue | undefined {
  let cur: AttributeValue | undefined = { M: item };
  for (const part of path) {
    if (!cur) return undefined;
    if ('name' in part) cur = cur.M?.[part.name];
    else cur = cur.L?.[part.index];
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
      const map: Map<string | number, Node> = ('name' in part ? n.names : n.idx) as Map<string | number, Node>;
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

// ---- conditions

export type Condition =
  | { op: 'exists' | 'not_exists'; path: Path }
  | { op: 'and' | 'or'; a: Condition; b: Condition }
  | { op: 'not'; a: Condition };

const SUPPORTED_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists']);
const ALL_FUNCTIONS = new Set(['attribute_exists', 'attribute_not_exists', 'attribute_type', 'begins_with', 'contains', 'size']);

export function parseCondition(expr: string, names: Record<string, string> | undefined, usedNames: Set<string>, usedValues: Set<string>, values: Record<string, AttributeValue> | undefined): Condition {
  const p = new Parser(expr, 'ConditionExpression', names, usedNames);
  if (p.atEnd()) throw invalid('Invalid ConditionExpression: The expression can not be empty;');
  const unsupported = (feature: string): never => {
    throw invalid(`Invalid ConditionExpression: gureum does not support ${feature} in ConditionExpression yet (supported: attribute_exists, attribute_not_exists, AND, OR, NOT, parentheses)`);
  };
  const kw = (t: Token, word: string) => t.kind === 'name' && t.text.toUpperCase() === word;

  const primary = (): Condition => {
    if (p.accept('(')) {
      const c = or();
      p.expect(')');
      return c;
    }
    const t = p.peek();
    if (kw(t, 'NOT')) {
      p.next();
      return { op: 'not', a: primary() };
    }
    if (t.kind === 'name' && p.toks[p.toks.indexOf(t) + 1]?.text === '(') {
      const fn = t.text;
      if (!ALL_FUNCTIONS.has(fn)) throw invalid(`Invalid ConditionExpression: Invalid function name; function: ${fn}`);
      if (!SUPPORTED_FUNCTIONS.has(fn)) unsupported(`the function ${fn}`);
      p.next();
      p.expect('(');
      const path = p.path();
      p.expect(')');
      return { op: fn === 'attribute_exists' ? 'exists' : 'not_exists', path };
    }
    // An operand: a comparison, BETWEEN or IN — parse far enough to name it.
    if (t.kind === 'value') {
      if (!values || values[t.text] === undefined) throw invalid(`Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: ${t.text}`);
      usedValues.add(t.text);
      p.next();
    } else if (t.kind === 'name' || t.kind === 'attrName') p.path();
    else p.syntax();
    const op = p.peek();
    if (op.kind === 'punct' && ['=', '<>', '<', '<=', '>', '>='].includes(op.text)) unsupported(`the comparison operator ${op.text}`);
    if (kw(op, 'BETWEEN') || kw(op, 'IN')) unsupported(`the ${op.text.toUpperCase()} operator`);
    return p.syntax();
  };
  const and = (): Condition => {
    let c = primary();
    while (kw(p.peek(), 'AND')) {
      p.next();
      c = { op: 'and', a: c, b: primary() };
    }
    return c;
  };
  const or = (): Condition => {
    let c = and();
    while (kw(p.peek(), 'OR')) {
      p.next();
      c = { op: 'or', a: c, b: and() };
    }
    return c;
  };
  const c = or();
  if (!p.atEnd()) p.syntax();
  return c;
}

export function evaluate(c: Condition, item: Item | undefined): boolean {
  switch (c.op) {
    case 'exists': return !!item && valueAt(item, c.path) !== undefined;
    case 'not_exists': return !item || valueAt(item, c.path) === undefined;
    case 'and': return evaluate(c.a, item) && evaluate(c.b, item);
    case 'or': return evaluate(c.a, item) || evaluate(c.b, item);
    case 'not': return !evaluate(c.a, item);
  }
}

/** DynamoDB's checks on ExpressionAttributeNames/Values around the expressions of a request. */
export function checkExpressionMaps(
  names: Record<string, string> | undefined,
  values: Record<string, unknown> | undefined,
  anyExpression: boolean,
): void {
  if (names && !anyExpression) throw invalid('ExpressionAttributeNames can only be specified when using expressions');
  if (values && !anyExpression) throw invalid('ExpressionAttributeValues can only be specified when using expressions');
  if (names && !Object.keys(names).length) throw invalid('ExpressionAttributeNames must not be empty');
  if (values && !Object.keys(values).length) throw invalid('ExpressionAttributeValues must not be empty');
}

export function checkUnused(names: Record<string, string> | undefined, usedNames: Set<string>, values: Record<string, unknown> | undefined, usedValues: Set<string>): void {
  const unusedNames = Object.keys(names ?? {}).filter((k) => !usedNames.has(k));
  if (unusedNames.length) throw invalid(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  const unusedValues = Object.keys(values ?? {}).filter((k) => !usedValues.has(k));
  if (unusedValues.length) throw invalid(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
}
