/** Item operations: PutItem, GetItem, DeleteItem. */
import { AwsError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData } from '../domain/table.js';
import { checkItem, checkValue, MAX_ITEM_BYTES, itemSize, type Item } from '../domain/values.js';
import { checkItemKeys, checkKey } from '../domain/keys.js';
import { checkExpressionMaps, checkUnused, evaluate, parseCondition, parseProjection, project, type Condition, type Path } from '../domain/expressions.js';

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const RETURN_VALUES = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'];

export function itemHandlers(state: DynamoState): T.DynamoDBHandlers {
  /** Data-plane lookup: a missing or DELETING table is "not found". */
  function table(ctx: RequestContext, name: string): TableData {
    const t = state.get(scopeOf(ctx), name);
    if (!t || t.rec.deletedAt !== undefined) throw new AwsError('ResourceNotFoundException', 'Requested resource not found', 400);
    return t;
  }

  return {
    PutItem(input, ctx) {
      legacy(input, 'Expected', input.Expected, input.ConditionExpression, 'ConditionExpression');
      checkReturnValues(input.ReturnValues);
      const cond = conditionOf(input);
      const t = table(ctx, input.TableName);
      const item = checkItem(input.Item);
      checkItemKeys(t, item);
      const size = itemSize(item);
      if (size > MAX_ITEM_BYTES) throw invalid('Item size has exceeded the maximum allowed size');
      const key = t.keyOf(item);
      const old = t.get(key)?.item;
      checkCondition(cond, old, input.ReturnValuesOnConditionCheckFailure);
      state.putItem(scopeOf(ctx), t, key, item);
      return {
        ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
        ...consumed(input.ReturnConsumedCapacity, t, Math.max(1, Math.ceil(Math.max(size, old ? itemSize(old) : 0) / 1024))),
      };
    },

    GetItem(input, ctx) {
      legacy(input, 'AttributesToGet', input.AttributesToGet, input.ProjectionExpression, 'ProjectionExpression');
      checkExpressionMaps(input.ExpressionAttributeNames, undefined, input.ProjectionExpression !== undefined);
      let paths: Path[] | undefined;
      if (input.ProjectionExpression !== undefined) {
        const used = new Set<string>();
        paths = parseProjection(input.ProjectionExpression, input.ExpressionAttributeNames, used);
        checkUnused(input.ExpressionAttributeNames, used, undefined, new Set());
      } else if (input.AttributesToGet) {
        if (new Set(input.AttributesToGet).size !== input.AttributesToGet.length) throw invalid(`One or more parameter values were invalid: Duplicate value in attribute name: ${input.AttributesToGet.join(', ')}`);
        paths = input.AttributesToGet.map((n) => [{ name: n }]);
      }
      const t = table(ctx, input.TableName);
      const key = checkKey(t, input.Key);
      const found = t.get(t.keyOf(key));
      const units = found ? Math.max(1, Math.ceil(found.size / 4096)) * (input.ConsistentRead ? 1 : 0.5) : input.ConsistentRead ? 1 : 0.5;
      if (!found) return consumed(input.ReturnConsumedCapacity, t, units);
      return { Item: paths ? project(found.item, paths) : found.item, ...consumed(input.ReturnConsumedCapacity, t, units) };
    },

    DeleteItem(input, ctx) {
      legacy(input, 'Expected', input.Expected, input.ConditionExpression, 'ConditionExpression');
      checkReturnValues(input.ReturnValues);
      const cond = conditionOf(input);
      const t = table(ctx, input.TableName);
      const key = checkKey(t, input.Key);
      const k = t.keyOf(key);
      const old = t.get(k)?.item;
      checkCondition(cond, old, input.ReturnValuesOnConditionCheckFailure);
      if (old) state.deleteItem(scopeOf(ctx), t, k);
      return {
        ...(input.ReturnValues === 'ALL_OLD' && old ? { Attributes: old } : {}),
        ...consumed(input.ReturnConsumedCapacity, t, Math.max(1, Math.ceil((old ? itemSize(old) : 0) / 1024))),
      };
    },
  };
}

/** Legacy (non-expression) parameters: mixing is DynamoDB's error; alone, gureum names what it lacks. */
function legacy(input: { ConditionalOperator?: string; TableName: string }, name: string, value: unknown, expr: string | undefined, exprName: string): void {
  if (value === undefined && input.ConditionalOperator === undefined) return;
  const given = value !== undefined ? name : 'ConditionalOperator';
  if (expr !== undefined) throw invalid(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${given}} Expression parameters: {${exprName}}`);
  if (given === 'AttributesToGet') return; // supported
  throw invalid(`gureum does not support the legacy ${given} parameter yet; use ${exprName}`);
}

function checkReturnValues(rv: string | undefined): void {
  if (rv === undefined) return;
  if (!RETURN_VALUES.includes(rv)) throw invalid(`1 validation error detected: Value '${rv}' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [${RETURN_VALUES.join(', ')}]`);
  if (rv !== 'NONE' && rv !== 'ALL_OLD') throw invalid('Return values set to invalid value');
}

interface Conditional {
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, T.AttributeValue>;
}

function conditionOf(input: Conditional): Condition | undefined {
  const { ConditionExpression: expr, ExpressionAttributeNames: names, ExpressionAttributeValues: values } = input;
  checkExpressionMaps(names, values, expr !== undefined);
  if (values) {
    for (const [k, v] of Object.entries(values)) {
      try {
        checkValue(v);
      } catch (e) {
        if (e instanceof AwsError) throw invalid(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${k}`);
        throw e;
      }
    }
  }
  if (expr === undefined) return undefined;
  const usedNames = new Set<string>(), usedValues = new Set<string>();
  const c = parseCondition(expr, names, usedNames, usedValues, values);
  checkUnused(names, usedNames, values, usedValues);
  return c;
}

function checkCondition(c: Condition | undefined, old: Item | undefined, onFailure: string | undefined): void {
  if (!c || evaluate(c, old)) return;
  throw new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
    fields: onFailure === 'ALL_OLD' && old ? { Item: old } : {},
  });
}

function consumed(mode: string | undefined, t: TableData, units: number): { ConsumedCapacity?: T.ConsumedCapacity } {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  return { ConsumedCapacity: { TableName: t.rec.name, CapacityUnits: units, ...(mode === 'INDEXES' ? { Table: { CapacityUnits: units } } : {}) } };
}
