/**
 * PartiQL writes and point reads compiled against a table: INSERT (a new item; an existing key is
 * DuplicateItemException), UPDATE (an existing item — a missing one fails its condition — changed
 * by SET/REMOVE clauses, set_add/set_delete/list_append and + / -), DELETE (a missing item is no
 * change), EXISTS (a condition check) and the point SELECT of batches and transactions. The WHERE
 * clause must name the whole primary key with equalities; its other terms are the write's
 * condition.
 */
import { AwsError } from '../../../core/errors.js';
import type * as T from '../generated/types.js';
import type { TableData } from '../domain/table.js';
import { checkItem, MAX_ITEM_BYTES, itemSize, typeOf, type Item } from '../domain/values.js';
import { checkItemKeys, checkKey } from '../domain/keys.js';
import { checkKeyUpdates, evaluate, project, type Condition, type Operand, type Path, type UpdateAction } from '../domain/expressions/index.js';
import { updater } from '../operations/items.js';
import type { Expr, Returning, SelectStatement, Statement, UpdateClause } from './ast.js';
import { isValue, pos, valueOf } from './values.js';
import { andAll, pathOf, pointKey, WhereCompiler } from './where.js';

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const NO_KEY = 'Where clause does not contain a mandatory equality on all key attributes';

export interface PointWrite {
  kind: 'insert' | 'update' | 'delete' | 'check';
  t: TableData;
  key: string;
  cond?: Condition;
  onFailure?: string;
  returning?: Returning;
  paths?: Path[];
  apply(old: Item | undefined): Item | null | undefined;
}

export interface PointRead { t: TableData; key: string; paths?: Path[] }

const keyNamesOf = (t: TableData) => [t.hashKey, ...(t.rangeKey ? [t.rangeKey] : [])];

/** The key and remaining condition of a point statement's WHERE. */
function point(t: TableData, where: Expr, params: T.AttributeValue[], message = NO_KEY): { key: string; keyItem: Item; rest: Condition[] } {
  const cond = new WhereCompiler(params).condition(where);
  const k = pointKey(cond, keyNamesOf(t));
  if (!k) throw invalid(message);
  const keyItem = checkKey(t, k.key);
  return { key: t.keyOf(keyItem), keyItem, rest: k.rest };
}

export function projectionPaths(s: SelectStatement): Path[] | undefined {
  return s.projection?.map(pathOf);
}

/** A SELECT of one item by its full primary key (batches and transactions). */
export function compilePointRead(s: SelectStatement, t: TableData, params: T.AttributeValue[], op: 'BatchExecuteStatement' | 'ExecuteTransaction'): PointRead {
  const message = `Select statements within ${op} must specify the primary key in the where clause.`;
  if (s.index !== undefined || !s.where) throw invalid(message);
  const { key, rest } = point(t, s.where, params, message);
  if (rest.length) throw invalid(message);
  return { t, key, paths: projectionPaths(s) };
}

export function compileWrite(s: Exclude<Statement, { k: 'select' }>, t: TableData, params: T.AttributeValue[], onFailure?: string): PointWrite {
  switch (s.k) {
    case 'insert': {
      if (s.value.k !== 'tuple') throw invalid('Unsupported type for VALUE: only a tuple can be inserted');
      // each attribute's value is its own root in DynamoDB's messages
      const attrs: Record<string, T.AttributeValue> = {};
      for (const [k, x] of s.value.entries) {
        const v = valueOf(x, params);
        if (v) attrs[k] = v;
      }
      const item = checkItem(attrs);
      checkItemKeys(t, item);
      if (itemSize(item) > MAX_ITEM_BYTES) throw invalid('Item size has exceeded the maximum allowed size');
      return { kind: 'insert', t, key: t.keyOf(item), onFailure, apply: () => item };
    }
    case 'delete': {
      if (s.returning && s.returning !== 'ALL OLD') throw invalid(`Invalid returning clause: RETURNING ${s.returning} *. Only RETURNING ALL OLD * is allowed in DELETE statements.`);
      const { key, rest } = point(t, s.where, params);
      return { kind: 'delete', t, key, cond: andAll(rest), onFailure, ...(s.returning ? { returning: s.returning } : {}), apply: () => null };
    }
    case 'exists': {
      if (s.select.index !== undefined || !s.select.where) throw invalid('EXISTS() must contain a single item read with additional condition');
      const { key, rest } = point(t, s.select.where, params, 'EXISTS() must contain a single item read with additional condition');
      if (!rest.length) throw invalid('EXISTS() must contain a single item read with additional condition');
      return { kind: 'check', t, key, cond: andAll(rest), onFailure, apply: () => undefined };
    }
    case 'update': {
      const actions = s.clauses.map((c) => updateAction(c, params));
      const { key, keyItem, rest } = point(t, s.where, params);
      checkKeyUpdates(actions, keyNamesOf(t));
      const apply = updater(t, keyItem, actions);
      return {
        kind: 'update', t, key, cond: andAll(rest), onFailure, paths: actions.map((a) => a.path),
        ...(s.returning ? { returning: s.returning } : {}),
        apply: (old) => apply(old),
      };
    }
  }
}

function updateAction(c: UpdateClause, params: T.AttributeValue[]): UpdateAction {
  const path = pathOf(c.path);
  if (c.k === 'remove') return { k: 'REMOVE', path };
  const v = c.value;
  const w = new WhereCompiler(params);
  if (v.k === 'call' && (v.name === 'set_add' || v.name === 'set_delete')) {
    const fn = v.name.toUpperCase();
    if (v.args.length !== 2) throw invalid(`${fn} must have exactly two arguments at ${pos(v.at)}`);
    const [first, second] = v.args as [Expr, Expr];
    if (first.k !== 'path' || JSON.stringify(pathOf(first)) !== JSON.stringify(path)) throw invalid(`The first argument to ${fn} must equal the assignment value at ${pos(v.at)}`);
    const set = isValue(second) ? valueOf(second, params) : undefined;
    if (!set || !['SS', 'NS', 'BS'].includes(typeOf(set))) throw invalid(`The second argument to ${fn} must be a value with type SET at ${pos(first.at)}`);
    return { k: v.name === 'set_add' ? 'ADD' : 'DELETE', path, value: set };
  }
  return { k: 'SET', path, value: setValue(v, w) };
}

function setValue(v: Expr, w: WhereCompiler): Operand {
  if (v.k === 'arith') return { k: v.op === '+' ? 'plus' : 'minus', a: setValue(v.a, w), b: setValue(v.b, w) };
  if (v.k === 'call' && v.name === 'list_append') {
    if (v.args.length !== 2) throw invalid(`Incorrect number of operands for operator or function; operator or function: list_append, number of operands: ${v.args.length}`);
    return { k: 'fn', name: 'list_append', args: v.args.map((a) => setValue(a, w)) };
  }
  if (v.k === 'call') throw invalid(`Unrecognized function: ${v.name} at ${pos(v.at)}`);
  return w.operand(v);
}

/** Why a write cannot happen to the item as it is (DuplicateItem, ConditionalCheckFailed), or undefined. */
export function refusal(w: PointWrite, old: Item | undefined): 'DuplicateItem' | 'ConditionalCheckFailed' | undefined {
  if (w.kind === 'insert') return old ? 'DuplicateItem' : undefined;
  if (w.kind === 'delete' && !old) return undefined;
  if (!old) return 'ConditionalCheckFailed';
  return w.cond && !evaluate(w.cond, old) ? 'ConditionalCheckFailed' : undefined;
}

export function refusalError(code: 'DuplicateItem' | 'ConditionalCheckFailed', w: PointWrite, old: Item | undefined): AwsError {
  if (code === 'DuplicateItem') return new AwsError('DuplicateItemException', 'Duplicate primary key exists in table', 400);
  return new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, { fields: w.onFailure === 'ALL_OLD' && old ? { Item: old } : {} });
}

/** Items a RETURNING clause answers with ([] when it selects nothing). */
export function returned(w: PointWrite, old: Item | undefined, next: Item | null | undefined): Item[] {
  if (!w.returning) return [];
  const src = w.returning.endsWith('OLD') ? old : next ?? undefined;
  if (!src) return [];
  const item = w.returning.startsWith('MODIFIED') ? project(src, w.paths ?? []) : src;
  return Object.keys(item).length ? [item] : [];
}
