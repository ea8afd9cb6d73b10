/**
 * Item operations: PutItem, GetItem, UpdateItem, DeleteItem. Each write is "prepared" first
 * (input, expressions and key validated without reading the item), then checked and applied
 * synchronously; TransactWriteItems and BatchWriteItem use the same preparations.
 */
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData } from '../domain/table.js';
import { checkItem, MAX_ITEM_BYTES, itemSize, typeOf, type Item } from '../domain/values.js';
import { checkItemKeys, checkKey } from '../domain/keys.js';
import {
  applyUpdate, checkKeyUpdates, ExprContext, parseCondition, parseUpdate, project, type Condition, type Path, type UpdateAction,
} from '../domain/expressions/index.js';
import { checkCondition, checkEnum, conditionOf, invalid, legacy, liveTable, projectionOf } from './common.js';
import { attributeUpdateActions } from '../domain/legacy.js';
import { CapacityMeter, collectionMetrics } from '../domain/capacity.js';

const RETURN_VALUES = ['NONE', 'ALL_OLD', 'UPDATED_OLD', 'ALL_NEW', 'UPDATED_NEW'];

/** A validated write of one item: `apply` gives the new item (null: delete; undefined: no write). */
export interface PreparedWrite {
  t: TableData;
  key: string;
  cond?: Condition;
  onFailure?: string;
  apply(old: Item | undefined): Item | null | undefined;
  /** paths an update touched (UPDATED_OLD / UPDATED_NEW) */
  paths?: Path[];
}

export function preparePut(t: TableData, input: T.PutItemInput | T.Put): PreparedWrite {
  const cond = conditionOf(input);
  const item = checkItem(input.Item);
  checkItemKeys(t, item);
  if (itemSize(item) > MAX_ITEM_BYTES) throw invalid('Item size has exceeded the maximum allowed size');
  return { t, key: t.keyOf(item), cond, onFailure: input.ReturnValuesOnConditionCheckFailure, apply: () => item };
}

export function prepareDelete(t: TableData, input: T.DeleteItemInput | T.Delete): PreparedWrite {
  const cond = conditionOf(input);
  const key = checkKey(t, input.Key);
  return { t, key: t.keyOf(key), cond, onFailure: input.ReturnValuesOnConditionCheckFailure, apply: () => null };
}

export function prepareConditionCheck(t: TableData, input: T.ConditionCheck): PreparedWrite {
  const cond = conditionOf(input);
  const key = checkKey(t, input.Key);
  return { t, key: t.keyOf(key), cond, onFailure: input.ReturnValuesOnConditionCheckFailure, apply: () => undefined };
}

export function prepareUpdate(t: TableData, input: T.UpdateItemInput | T.Update): PreparedWrite {
  legacy(input as never, ['AttributeUpdates', 'Expected', 'ConditionalOperator'], ['UpdateExpression', 'ConditionExpression']);
  const present = ['UpdateExpression', 'ConditionExpression'].filter((n) => (input as unknown as Record<string, unknown>)[n] !== undefined);
  const ctx = new ExprContext(input, present, ['UpdateExpression', 'ConditionExpression']);
  let actions: UpdateAction[] = input.UpdateExpression !== undefined ? parseUpdate(input.UpdateExpression, ctx) : [];
  let cond = input.ConditionExpression !== undefined ? parseCondition(input.ConditionExpression, 'ConditionExpression', ctx) : undefined;
  ctx.finish();
  const keyNames = [t.hashKey, ...(t.rangeKey ? [t.rangeKey] : [])];
  const legacyInput = input as T.UpdateItemInput;
  if (legacyInput.AttributeUpdates) actions = attributeUpdateActions(legacyInput.AttributeUpdates, keyNames);
  if (!input.ConditionExpression) cond = conditionOf({ Expected: legacyInput.Expected, ConditionalOperator: legacyInput.ConditionalOperator });
  const keyItem = checkKey(t, input.Key);
  checkKeyUpdates(actions, keyNames);
  return { t, key: t.keyOf(keyItem), cond, onFailure: input.ReturnValuesOnConditionCheckFailure, paths: actions.map((a) => a.path), apply: updater(t, keyItem, actions) };
}

/** The new item an update makes of the old one (refusing bad index key types and oversized items). */
export function updater(t: TableData, keyItem: Item, actions: UpdateAction[]): (old: Item | undefined) => Item {
  const indexKeys = indexKeyTypes(t);
  return (old) => {
    const next = applyUpdate(old, keyItem, actions);
    for (const a of actions) {
      if (a.path.length !== 1) continue;
      const name = (a.path[0] as { name: string }).name;
      const v = next[name];
      const want = indexKeys.get(name);
      if (v && want && (typeOf(v) !== want || v.S === '' || (v.B !== undefined && v.B.byteLength === 0))) {
        throw invalid('One or more parameter values were invalid: The update expression attempted to update the secondary index key to unsupported type');
      }
    }
    if (itemSize(next) > MAX_ITEM_BYTES) throw invalid('Item size to update has exceeded the maximum allowed size');
    return next;
  };
}

function indexKeyTypes(t: TableData): Map<string, string> {
  const m = new Map<string, string>();
  for (const idx of [...(t.rec.gsis ?? []), ...(t.rec.lsis ?? [])]) for (const k of idx.KeySchema) m.set(k.AttributeName, t.types[k.AttributeName]!);
  return m;
}

const RICM = ['SIZE', 'NONE'];

/** ItemCollectionMetrics of a write, when asked for and the table has LSIs. */
export function metricsOf(mode: string | undefined, t: TableData, item: Item | undefined): { ItemCollectionMetrics?: T.ItemCollectionMetrics } {
  const m = mode === 'SIZE' ? collectionMetrics(t, item) : undefined;
  return m ? { ItemCollectionMetrics: m } : {};
}

export function itemHandlers(state: DynamoState): T.DynamoDBHandlers {
  /** Check the condition and write, synchronously; returns the old and new items. */
  function write(scope: ReturnType<typeof scopeOf>, w: PreparedWrite): { old?: Item; next?: Item | null } {
    const old = w.t.get(w.key)?.item;
    checkCondition(w.cond, old, w.onFailure);
    const next = w.apply(old);
    if (next) state.putItem(scope, w.t, w.key, next);
    else if (next === null && old) state.deleteItem(scope, w.t, w.key);
    return { old, next };
  }

  /** Consumed capacity and item collection metrics of a single-item write. */
  function writeExtras(input: { ReturnConsumedCapacity?: string; ReturnItemCollectionMetrics?: string }, t: TableData, old: Item | undefined, next: Item | undefined) {
    checkEnum(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', RICM);
    const meter = new CapacityMeter(input.ReturnConsumedCapacity);
    meter.write(t, old, next);
    return { ...meter.one(), ...metricsOf(input.ReturnItemCollectionMetrics, t, next ?? old) };
  }

  return {
    PutItem(input, ctx) {
      checkEnum(input.ReturnValues, 'returnValues', RETURN_VALUES);
      if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') throw invalid('Return values set to invalid value');
      const t = liveTable(state, ctx, input.TableName);
      const { old, next } = write(scopeOf(ctx), preparePut(t, input));
      return {
        ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
        ...writeExtras(input, t, old, next ?? undefined),
      };
    },

    GetItem(input, ctx) {
      legacy(input as never, ['AttributesToGet'], ['ProjectionExpression']);
      const ectx = new ExprContext(input, input.ProjectionExpression !== undefined ? ['ProjectionExpression'] : [], []);
      const paths = projectionOf(input, ectx);
      ectx.finish();
      const t = liveTable(state, ctx, input.TableName);
      const found = t.get(t.keyOf(checkKey(t, input.Key)));
      const meter = new CapacityMeter(input.ReturnConsumedCapacity);
      meter.read(t, found?.size ?? 0, input.ConsistentRead);
      const units = meter.one();
      if (!found) return units;
      return { Item: paths ? project(found.item, paths) : found.item, ...units };
    },

    DeleteItem(input, ctx) {
      checkEnum(input.ReturnValues, 'returnValues', RETURN_VALUES);
      if (input.ReturnValues !== undefined && input.ReturnValues !== 'NONE' && input.ReturnValues !== 'ALL_OLD') throw invalid('Return values set to invalid value');
      const t = liveTable(state, ctx, input.TableName);
      const { old } = write(scopeOf(ctx), prepareDelete(t, input));
      return {
        ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
        ...writeExtras(input, t, old, undefined),
      };
    },

    UpdateItem(input, ctx) {
      checkEnum(input.ReturnValues, 'returnValues', RETURN_VALUES);
      const t = liveTable(state, ctx, input.TableName);
      const w = prepareUpdate(t, input);
      const { old, next } = write(scopeOf(ctx), w);
      const rv = input.ReturnValues ?? 'NONE';
      let attrs: Item | undefined;
      if (rv === 'ALL_OLD') attrs = old;
      else if (rv === 'ALL_NEW') attrs = next!;
      else if (rv === 'UPDATED_OLD') attrs = old && project(old, w.paths!);
      else if (rv === 'UPDATED_NEW') attrs = project(next!, w.paths!);
      return {
        ...(attrs && Object.keys(attrs).length ? { Attributes: attrs } : {}),
        ...writeExtras(input, t, old, next ?? undefined),
      };
    },
  };
}
