/**
 * Query and Scan over a table's sorted item store: a Query is a range walk inside one partition
 * (O(log n + page), either direction), a Scan a walk from the start key. Limit counts items
 * read before the filter; a page also ends after 1 MB of items read (sizes as DynamoDB counts
 * them); LastEvaluatedKey is the key of the last item read.
 */
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { StoredItem, TableData } from '../domain/table.js';
import { encodeKeyValue, itemSize, typeOf, type Item } from '../domain/values.js';
import { checkKey } from '../domain/keys.js';
import { evaluate, ExprContext, parseCondition, project, type Condition, type Operand, type Path } from '../domain/expressions/index.js';
import { filterCondition, keyConditionsCondition } from '../domain/legacy.js';
import { CapacityMeter } from '../domain/capacity.js';
import { rangeWalk, segmentFilter, segmentOf, values, type KeyCond, type RangeOp } from '../domain/ranges.js';
import { checkEnum, invalid, legacy, liveTable, projectionOf } from './common.js';
import { indexView, type IndexView } from './indexes.js';

const PAGE_BYTES = 1024 * 1024;
const SELECT = ['ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES', 'SPECIFIC_ATTRIBUTES', 'COUNT'];

interface ReadInput {
  TableName: string;
  IndexName?: string;
  Select?: string;
  Limit?: number;
  ConsistentRead?: boolean;
  ExclusiveStartKey?: Record<string, T.AttributeValue>;
  ReturnConsumedCapacity?: string;
  ProjectionExpression?: string;
  AttributesToGet?: string[];
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, T.AttributeValue>;
}

interface Plan { paths?: Path[]; filter?: Condition; count: boolean; limit: number }

function commonChecks(input: ReadInput, op: 'Query' | 'Scan'): void {
  checkEnum(input.Select, 'select', SELECT);
  if (input.Limit !== undefined && input.Limit < 1) throw invalid(`1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  const projected = input.ProjectionExpression !== undefined ? 'ProjectionExpression' : input.AttributesToGet ? 'AttributesToGet' : undefined;
  if (projected && (input.Select === 'ALL_ATTRIBUTES' || input.Select === 'COUNT' || input.Select === 'ALL_PROJECTED_ATTRIBUTES')) {
    throw invalid(`One or more parameter values were invalid: Cannot specify the ${projected} when choosing to get ${input.Select}`);
  }
  if (input.Select === 'ALL_PROJECTED_ATTRIBUTES' && input.IndexName === undefined) throw invalid(`ALL_PROJECTED_ATTRIBUTES can be used only when ${op === 'Query' ? 'Querying' : 'Scanning'} using an IndexName`);
}

function plan(input: ReadInput, ctx: ExprContext, legacyFilter?: Condition): Plan {
  const paths = projectionOf(input, ctx);
  const filter = input.FilterExpression !== undefined ? parseCondition(input.FilterExpression, 'FilterExpression', ctx) : legacyFilter;
  return { paths, filter, count: input.Select === 'COUNT', limit: input.Limit ?? Infinity };
}

/** Key attributes of an item for LastEvaluatedKey: the table's keys, plus the index's. */
function keyOf(item: Item, names: string[]): Record<string, T.AttributeValue> {
  const out: Record<string, T.AttributeValue> = {};
  for (const n of names) if (item[n]) out[n] = item[n]!;
  return out;
}

/** Reads a page from an iterator of stored items. */
function page(it: Iterable<StoredItem>, p: Plan, keyNames: string[], view?: IndexView) {
  const items: Item[] = [];
  let scanned = 0, count = 0, bytes = 0;
  let last: Item | undefined;
  let more = false;
  for (const s of it) {
    if (scanned >= p.limit || bytes >= PAGE_BYTES) {
      more = true;
      break;
    }
    scanned++;
    const visible = view ? view.project(s.item) : s.item;
    bytes += visible === s.item ? s.size : itemSize(visible);
    last = s.item;
    if (p.filter && !evaluate(p.filter, visible)) continue;
    count++;
    if (!p.count) items.push(p.paths ? project(visible, p.paths) : visible);
  }
  // DynamoDB does not look ahead: a page that stopped at its Limit (or 1 MB) has a LastEvaluatedKey.
  if (!more && last && (scanned >= p.limit || bytes >= PAGE_BYTES)) more = true;
  return { items, scanned, count, bytes, lastKey: more && last ? keyOf(last, keyNames) : undefined };
}

function pathHeads(c: Condition | undefined, out = new Set<string>()): Set<string> {
  if (!c) return out;
  const op = (o: Operand) => {
    if (o.k === 'path') out.add((o.path[0] as { name: string }).name);
    else if (o.k === 'fn') o.args.forEach(op);
    else if (o.k === 'plus' || o.k === 'minus') [o.a, o.b].forEach(op);
  };
  switch (c.k) {
    case 'and': case 'or': pathHeads(c.a, out); pathHeads(c.b, out); break;
    case 'not': pathHeads(c.a, out); break;
    case 'cmp': op(c.a); op(c.b); break;
    case 'between': [c.a, c.lo, c.hi].forEach(op); break;
    case 'in': [c.a, ...c.list].forEach(op); break;
    case 'call': c.args.forEach(op); break;
  }
  return out;
}

/** KeyConditionExpression → one condition per key attribute, with DynamoDB's messages. */
export function keyConditions(c: Condition): Map<string, KeyCond> {
  const out = new Map<string, KeyCond>();
  const FLIP: Record<string, RangeOp> = { '=': 'EQ', '<': 'GT', '<=': 'GE', '>': 'LT', '>=': 'LE' };
  const OPS: Record<string, RangeOp> = { '=': 'EQ', '<': 'LT', '<=': 'LE', '>': 'GT', '>=': 'GE' };
  const visit = (cond: Condition): void => {
    if (cond.k === 'and') {
      visit(cond.a);
      visit(cond.b);
      return;
    }
    if (cond.k === 'or' || cond.k === 'not') throw invalid(`Invalid operator used in KeyConditionExpression: ${cond.k.toUpperCase()}`);
    const c = cond as Exclude<Condition, { k: 'and' | 'or' | 'not' }>;
    if (c.k === 'in') throw invalid('Invalid operator used in KeyConditionExpression: IN');
    if (c.k === 'cmp' && c.op === '<>') throw invalid('Invalid operator used in KeyConditionExpression: <>');
    if (c.k === 'call' && c.name !== 'begins_with') throw invalid(`Invalid operator used in KeyConditionExpression: ${c.name}`);
    const args = c.k === 'cmp' ? [c.a, c.b] : c.k === 'between' ? [c.a, c.lo, c.hi] : c.args;
    if (args.some((a) => a.k === 'fn')) throw invalid('KeyConditionExpressions cannot contain nested operations');
    if ((c.k === 'between' || c.k === 'call') && args[0]!.k !== 'path') {
      throw invalid(`Invalid condition in KeyConditionExpression: ${c.k === 'between' ? 'BETWEEN' : 'begins_with'} operator must have the key attribute as its first operand`);
    }
    const pathIdx = args.map((a, i) => (a.k === 'path' ? i : -1)).filter((i) => i >= 0);
    if (pathIdx.length > 1) throw invalid('Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition');
    if (!pathIdx.length) throw invalid('Invalid condition in KeyConditionExpression: No key attribute specified');
    const path = (args[pathIdx[0]!] as { path: Path }).path;
    if (path.length > 1) throw invalid('KeyConditionExpressions cannot have conditions on nested attributes');
    const name = (path[0] as { name: string }).name;
    if (out.has(name)) throw invalid('KeyConditionExpressions must only contain one condition per key');
    const vals = args.filter((a) => a.k === 'value').map((a) => (a as { v: T.AttributeValue }).v);
    const op: RangeOp = c.k === 'between' ? 'BETWEEN' : c.k === 'call' ? 'BEGINS_WITH' : (pathIdx[0] === 0 ? OPS : FLIP)[c.op]!;
    out.set(name, { op, vals });
  };
  visit(c);
  return out;
}

export function queryHandlers(state: DynamoState): T.DynamoDBHandlers {
  return {
    Query(input, ctx) {
      legacy(input as never, ['KeyConditions', 'QueryFilter', 'ConditionalOperator', 'AttributesToGet'], ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression']);
      commonChecks(input, 'Query');
      if (input.KeyConditionExpression === undefined && !input.KeyConditions) throw invalid('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
      const present = ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'].filter((n) => (input as unknown as Record<string, unknown>)[n] !== undefined);
      const ectx = new ExprContext(input, present, ['KeyConditionExpression', 'FilterExpression']);
      const keyCond = input.KeyConditionExpression !== undefined
        ? parseCondition(input.KeyConditionExpression, 'KeyConditionExpression', ectx)
        : keyConditionsCondition(input.KeyConditions!);
      const p = plan(input, ectx, input.FilterExpression === undefined ? filterCondition(input.QueryFilter, input.ConditionalOperator, 'queryFilter') : undefined);
      ectx.finish();
      const t = liveTable(state, ctx, input.TableName);
      const view = input.IndexName !== undefined ? indexView(t, input.IndexName, input.ConsistentRead, input.Select, state.rt.clock.now()) : undefined;
      const hashKey = view ? view.hashKey : t.hashKey;
      const rangeKey = view ? view.rangeKey : t.rangeKey;
      const conds = keyConditions(keyCond);
      const hash = conds.get(hashKey);
      if (!rangeKey && conds.size > 1) throw invalid('Query key condition not supported');
      if (!hash) throw invalid(`Query condition missed key schema element: ${hashKey}`);
      for (const name of conds.keys()) if (name !== hashKey && name !== rangeKey) throw invalid(`Query condition missed key schema element: ${rangeKey}`);
      const range = rangeKey ? conds.get(rangeKey) : undefined;
      for (const [name, kc] of conds) {
        if (kc.vals.some((v) => typeOf(v) !== t.types[name])) throw invalid('One or more parameter values were invalid: Condition parameter type does not match schema type');
      }
      if (hash.op !== 'EQ') throw invalid('Query key condition not supported');
      if (range?.op === 'BEGINS_WITH' && t.types[rangeKey!] === 'N') {
        throw invalid('Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
      }
      if (p.filter) {
        const heads = pathHeads(p.filter);
        const what = input.FilterExpression !== undefined ? 'Filter Expression' : 'QueryFilter';
        for (const k of [hashKey, rangeKey]) if (k && heads.has(k)) throw invalid(`${what} can only contain non-primary key attributes: Primary key attribute: ${k}`);
      }
      const keyNames = [t.hashKey, ...(t.rangeKey ? [t.rangeKey] : []), ...(view ? view.keyNames : [])].filter((n, i, a) => a.indexOf(n) === i);
      const forward = input.ScanIndexForward !== false;
      let start: string | undefined;
      if (input.ExclusiveStartKey) {
        start = view ? view.startKey(input.ExclusiveStartKey) : t.keyOf(startKey(t, input.ExclusiveStartKey));
        const esk = input.ExclusiveStartKey[hashKey];
        if (!esk || encodeKeyValue(esk) !== encodeKeyValue(hash.vals[0]!)) throw invalid('The provided starting key is outside query boundaries based on provided conditions');
      }
      const r = page(rangeWalk(view ? view.map : t.items, hash.vals[0]!, range, forward, start, !!view), p, keyNames, view);
      return result(input, t, r, p, view);
    },

    Scan(input, ctx) {
      legacy(input as never, ['ScanFilter', 'ConditionalOperator', 'AttributesToGet'], ['FilterExpression', 'ProjectionExpression']);
      commonChecks(input, 'Scan');
      const { Segment: seg, TotalSegments: total } = input;
      if (seg !== undefined && total === undefined) throw invalid('The TotalSegments parameter is required but was not present in the request when Segment parameter is present');
      if (total !== undefined && seg === undefined) throw invalid('The Segment parameter is required but was not present in the request when parameter TotalSegments is present');
      if (total !== undefined && (total < 1 || total > 1000000)) throw invalid(`1 validation error detected: Value '${total}' at 'totalSegments' failed to satisfy constraint: Member must have value ${total < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000000'}`);
      if (seg !== undefined && total !== undefined && seg >= total) throw invalid(`The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${seg} is not less than TotalSegments: ${total}`);
      const present = ['FilterExpression', 'ProjectionExpression'].filter((n) => (input as unknown as Record<string, unknown>)[n] !== undefined);
      const ectx = new ExprContext(input, present, ['FilterExpression']);
      const p = plan(input, ectx, input.FilterExpression === undefined ? filterCondition(input.ScanFilter, input.ConditionalOperator, 'scanFilter') : undefined);
      ectx.finish();
      const t = liveTable(state, ctx, input.TableName);
      const view = input.IndexName !== undefined ? indexView(t, input.IndexName, input.ConsistentRead, input.Select, state.rt.clock.now()) : undefined;
      const map = view ? view.map : t.items;
      let start: string | undefined;
      if (input.ExclusiveStartKey) start = view ? view.startKey(input.ExclusiveStartKey) : t.keyOf(startKey(t, input.ExclusiveStartKey));
      let it: Iterable<StoredItem> = values(map.entries(start, true), () => false);
      if (total !== undefined && total > 1) {
        const inSegment = (k: string) => segmentOf(k, total) === seg;
        if (start !== undefined && !inSegment(start)) throw invalid('The provided Exclusive start key does not map to the provided segment');
        it = segmentFilter(map.entries(start, true), inSegment);
      }
      const keyNames = [t.hashKey, ...(t.rangeKey ? [t.rangeKey] : []), ...(view ? view.keyNames : [])].filter((n, i, a) => a.indexOf(n) === i);
      return result(input, t, page(it, p, keyNames, view), p, view);
    },
  };
}

function result(input: ReadInput, t: TableData, r: ReturnType<typeof page>, p: Plan, view?: IndexView) {
  const meter = new CapacityMeter(input.ReturnConsumedCapacity);
  meter.read(t, r.bytes, input.ConsistentRead, view?.def);
  return {
    ...(p.count ? {} : { Items: r.items }),
    Count: r.count,
    ScannedCount: r.scanned,
    ...(r.lastKey ? { LastEvaluatedKey: r.lastKey } : {}),
    ...meter.one(),
  };
}

function startKey(t: TableData, esk: Record<string, T.AttributeValue>): Item {
  try {
    return checkKey(t, esk);
  } catch (e) {
    throw invalid(`The provided starting key is invalid: ${(e as Error).message}`);
  }
}
