/** Helpers shared by the item, query and batch operations. */
import { AwsError } from '../../../core/errors.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData } from '../domain/table.js';
import type { Item } from '../domain/values.js';
import { evaluate, ExprContext, parseCondition, parseProjection, type Condition, type Path } from '../domain/expressions/index.js';
import { expectedCondition } from '../domain/legacy.js';

export const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);

/** Data-plane lookup: a missing or DELETING table is "not found". */
export function liveTable(state: DynamoState, ctx: RequestContext, name: string): TableData {
  const t = state.get(scopeOf(ctx), name);
  if (!t || t.rec.deletedAt !== undefined) throw new AwsError('ResourceNotFoundException', 'Requested resource not found', 400);
  return t;
}

/** Legacy (non-expression) parameters may not be mixed with expressions (DynamoDB's error). */
export function legacy(input: Record<string, unknown>, legacyNames: string[], exprNames: string[]): void {
  const given = legacyNames.filter((n) => input[n] !== undefined && input[n] !== null);
  if (!given.length) return;
  const exprs = exprNames.filter((n) => input[n] !== undefined && input[n] !== null);
  if (exprs.length) throw invalid(`Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${given.join(', ')}} Expression parameters: {${exprs.join(', ')}}`);
}

export function checkEnum(value: string | undefined, field: string, allowed: string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw invalid(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

/** ProjectionExpression or legacy AttributesToGet, as paths. */
export function projectionOf(input: { ProjectionExpression?: string; AttributesToGet?: string[] }, ctx: ExprContext): Path[] | undefined {
  if (input.ProjectionExpression !== undefined) return parseProjection(input.ProjectionExpression, ctx);
  if (input.AttributesToGet) {
    if (new Set(input.AttributesToGet).size !== input.AttributesToGet.length) throw invalid(`One or more parameter values were invalid: Duplicate value in attribute name: ${input.AttributesToGet.join(', ')}`);
    return input.AttributesToGet.map((n) => [{ name: n }]);
  }
  return undefined;
}

export interface Conditional {
  ConditionExpression?: string;
  Expected?: Record<string, T.ExpectedAttributeValue>;
  ConditionalOperator?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, T.AttributeValue>;
}

/** A write's ConditionExpression (the only expression of PutItem, DeleteItem, ConditionCheck), or legacy Expected. */
export function conditionOf(input: Conditional): Condition | undefined {
  legacy(input as never, ['Expected', 'ConditionalOperator'], ['ConditionExpression']);
  const ctx = new ExprContext(input, input.ConditionExpression !== undefined ? ['ConditionExpression'] : [], ['ConditionExpression']);
  const c = input.ConditionExpression !== undefined ? parseCondition(input.ConditionExpression, 'ConditionExpression', ctx) : undefined;
  ctx.finish();
  return c ?? expectedCondition(input.Expected, input.ConditionalOperator);
}

export function conditionFailed(old: Item | undefined, onFailure: string | undefined): AwsError {
  return new AwsError('ConditionalCheckFailedException', 'The conditional request failed', 400, {
    fields: onFailure === 'ALL_OLD' && old ? { Item: old } : {},
  });
}

export function checkCondition(c: Condition | undefined, old: Item | undefined, onFailure: string | undefined): void {
  if (c && !evaluate(c, old ?? {})) throw conditionFailed(old, onFailure);
}

/**
 * A transaction's writes, all or nothing: each write's new item (null: delete; undefined: a check) from
 * the stored one unless `refuse` names a reason (or `apply` fails validation); if any is refused,
 * TransactionCanceledException with every CancellationReason in request order, nothing written.
 */
export function allOrNothing<W extends { apply(old: Item | undefined): Item | null | undefined }>(
  writes: W[],
  stored: (w: W) => Item | undefined,
  refuse: (w: W, old: Item | undefined) => T.CancellationReason | undefined,
): (Item | null | undefined)[] {
  const reasons: T.CancellationReason[] = [];
  const nexts: (Item | null | undefined)[] = [];
  let failed = false;
  for (const w of writes) {
    const old = stored(w);
    const refused = refuse(w, old);
    if (refused) {
      failed = true;
      reasons.push(refused);
      nexts.push(undefined);
      continue;
    }
    try {
      nexts.push(w.apply(old));
      reasons.push({ Code: 'None' });
    } catch (e) {
      if (!(e instanceof AwsError)) throw e;
      failed = true;
      reasons.push({ Code: 'ValidationError', Message: e.message });
      nexts.push(undefined);
    }
  }
  if (failed) {
    throw new AwsError('TransactionCanceledException', `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`, 400, {
      fields: { CancellationReasons: reasons },
    });
  }
  return nexts;
}
