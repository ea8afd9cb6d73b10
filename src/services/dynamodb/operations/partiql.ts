/**
 * PartiQL: ExecuteStatement (SELECT with Limit/NextToken; INSERT, UPDATE, DELETE one item),
 * BatchExecuteStatement (up to 25 point reads or writes, each answering its own error) and
 * ExecuteTransaction (up to 100 point reads, or writes and EXISTS checks, all or nothing;
 * ClientRequestToken idempotent for 10 minutes of virtual time). Statements are parsed by the
 * chevrotain grammar in ../partiql and run on the same item store, conditions and capacity
 * rules as the item operations.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData } from '../domain/table.js';
import type { Item } from '../domain/values.js';
import { project } from '../domain/expressions/index.js';
import { CapacityMeter } from '../domain/capacity.js';
import { parseStatement } from '../partiql/parser.js';
import type { Statement } from '../partiql/ast.js';
import { checkParams } from '../partiql/values.js';
import { runSelect } from '../partiql/select.js';
import { compilePointRead, compileWrite, refusal, refusalError, returned, type PointRead, type PointWrite } from '../partiql/statements.js';
import { allOrNothing, checkEnum, invalid, liveTable } from './common.js';

const TOKEN_TTL_MS = 10 * 60 * 1000;
const ON_FAILURE = ['ALL_OLD', 'NONE'];
const tableOf = (s: Statement) => (s.k === 'exists' ? s.select.table : s.table);

type Parsed = { s: Statement; t: TableData; params: T.AttributeValue[] };

export function partiqlHandlers(state: DynamoState): T.DynamoDBHandlers {
  const tokens = new Map<string, { digest: string; expires: number; result: T.ExecuteTransactionOutput }>();

  function parse(ctx: RequestContext, text: string, parameters: T.AttributeValue[] | undefined): Parsed {
    const { statement, params } = parseStatement(text);
    const values = checkParams(parameters, params);
    return { s: statement, t: liveTable(state, ctx, tableOf(statement)), params: values };
  }

  /** Apply a checked write; returns the old and new items. */
  function apply(ctx: RequestContext, w: PointWrite, old: Item | undefined): Item | null | undefined {
    const next = w.apply(old);
    if (next) state.putItem(scopeOf(ctx), w.t, w.key, next);
    else if (next === null && old) state.deleteItem(scopeOf(ctx), w.t, w.key);
    return next;
  }

  function read(r: PointRead): Item | undefined {
    const found = r.t.get(r.key);
    return found && (r.paths ? project(found.item, r.paths) : found.item);
  }

  return {
    ExecuteStatement(input, ctx) {
      checkEnum(input.ReturnValuesOnConditionCheckFailure, 'returnValuesOnConditionCheckFailure', ON_FAILURE);
      if (input.Limit !== undefined && input.Limit < 1) throw invalid(`1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      const { s, t, params } = parse(ctx, input.Statement, input.Parameters);
      const meter = new CapacityMeter(input.ReturnConsumedCapacity);
      if (s.k === 'select') {
        const r = runSelect(t, s, params, { limit: input.Limit, nextToken: input.NextToken, consistent: input.ConsistentRead, now: state.rt.clock.now() });
        meter.read(t, r.bytes, input.ConsistentRead, r.index);
        return { Items: r.items, ...(r.nextToken ? { NextToken: r.nextToken, LastEvaluatedKey: r.lastKey } : {}), ...meter.one() };
      }
      if (s.k === 'exists') throw invalid('EXISTS can be used only within a transaction (ExecuteTransaction)');
      const w = compileWrite(s, t, params, input.ReturnValuesOnConditionCheckFailure);
      const old = t.get(w.key)?.item;
      const refused = refusal(w, old);
      if (refused) throw refusalError(refused, w, old);
      const next = apply(ctx, w, old);
      meter.write(t, old, next ?? undefined);
      return { Items: returned(w, old, next), ...meter.one() };
    },

    BatchExecuteStatement(input, ctx) {
      const list = input.Statements ?? [];
      if (list.length < 1 || list.length > 25) {
        throw invalid(`1 validation error detected: Value '[${list.length} items]' at 'statements' failed to satisfy constraint: Member must have length ${list.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 25'}`);
      }
      const meter = new CapacityMeter(input.ReturnConsumedCapacity);
      const slots = list.map((r) => {
        try {
          checkEnum(r.ReturnValuesOnConditionCheckFailure, 'returnValuesOnConditionCheckFailure', ON_FAILURE);
          const p = parse(ctx, r.Statement, r.Parameters);
          if (p.s.k === 'select') return { p, read: compilePointRead(p.s, p.t, p.params, 'BatchExecuteStatement'), r };
          if (p.s.k === 'exists') throw invalid('EXISTS can be used only within a transaction (ExecuteTransaction)');
          return { p, write: compileWrite(p.s, p.t, p.params, r.ReturnValuesOnConditionCheckFailure), r };
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          return { error: errorOf(e) };
        }
      });
      const kinds = new Set(slots.filter((x) => !('error' in x)).map((x) => ('read' in x ? 'read' : 'write')));
      if (kinds.size > 1) throw invalid('The entire batch must consist of either read statements or write statements, you cannot mix both in one batch.');
      const Responses: T.BatchStatementResponse[] = slots.map((x) => {
        if ('error' in x) return { Error: x.error };
        const t = x.p.t;
        if ('read' in x && x.read) {
          const item = read(x.read);
          meter.read(t, t.get(x.read.key)?.size ?? 0, x.r.ConsistentRead);
          return { TableName: t.rec.name, ...(item ? { Item: item } : {}) };
        }
        const w = x.write!;
        const old = t.get(w.key)?.item;
        const refused = refusal(w, old);
        if (refused) {
          const e = refusalError(refused, w, old);
          return { TableName: t.rec.name, Error: { Code: refused, Message: e.message, ...(e.fields?.Item ? { Item: e.fields.Item as Item } : {}) } };
        }
        try {
          const next = apply(ctx, w, old);
          meter.write(t, old, next ?? undefined);
          return { TableName: t.rec.name };
        } catch (e) {
          if (!(e instanceof AwsError)) throw e;
          return { TableName: t.rec.name, Error: errorOf(e) };
        }
      });
      return { Responses, ...meter.many() };
    },

    ExecuteTransaction(input, ctx) {
      const list = input.TransactStatements ?? [];
      if (list.length < 1 || list.length > 100) {
        throw invalid(`1 validation error detected: Value '[${list.length} items]' at 'transactStatements' failed to satisfy constraint: Member must have length ${list.length < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
      }
      const scope = scopeOf(ctx);
      const now = state.rt.clock.now();
      let tokenKey: string | undefined, digest: string | undefined;
      if (input.ClientRequestToken !== undefined) {
        for (const [k, v] of tokens) if (v.expires <= now) tokens.delete(k);
        tokenKey = `${scope.account}/${scope.region}/${input.ClientRequestToken}`;
        digest = createHash('sha256').update(JSON.stringify(list, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))).digest('hex');
        const prior = tokens.get(tokenKey);
        if (prior) {
          if (prior.digest !== digest) throw new AwsError('IdempotentParameterMismatchException', 'Request parameters do not match the previous request made with the same client token', 400);
          return prior.result;
        }
      }
      const compiled = list.map((r, i) => {
        try {
          checkEnum(r.ReturnValuesOnConditionCheckFailure, 'returnValuesOnConditionCheckFailure', ON_FAILURE);
          const p = parse(ctx, r.Statement, r.Parameters);
          if (p.s.k === 'select') return { read: compilePointRead(p.s, p.t, p.params, 'ExecuteTransaction') };
          return { write: compileWrite(p.s, p.t, p.params, r.ReturnValuesOnConditionCheckFailure) };
        } catch (e) {
          if (e instanceof AwsError && e.code === 'ValidationException' && !/^\d+ validation error/.test(e.message) && !e.message.startsWith('The parameter cannot be converted')) {
            throw invalid(`Validation failed in TransactStatements[${i}]: ${e.message}`);
          }
          throw e;
        }
      });
      const reads = compiled.filter((c) => c.read).length;
      const checksOnly = compiled.every((c) => c.read || c.write?.kind === 'check');
      if (reads && reads !== compiled.length) throw invalid('The entire transaction must consist of either read statements or write statements, you cannot mix both in one transaction.');
      if (!reads && checksOnly) throw invalid('The entire transaction must consist of either read statements or write statements, you cannot mix both in one transaction.');
      const seen = new Set<string>();
      for (const c of compiled) {
        const target = c.read ?? c.write!;
        const id = `${target.t.rec.name}\x00${target.key}`;
        if (seen.has(id)) throw invalid('Transaction request cannot include multiple operations on one item');
        seen.add(id);
      }
      const meter = new CapacityMeter(input.ReturnConsumedCapacity, 2);
      let result: T.ExecuteTransactionOutput;
      if (reads) {
        const Responses = compiled.map(({ read: r }) => {
          meter.read(r!.t, r!.t.get(r!.key)?.size ?? 0, true);
          const item = read(r!);
          return item ? { Item: item } : {};
        });
        result = { Responses, ...meter.many() };
      } else {
        const writes = compiled.map((c) => c.write!);
        const nexts = allOrNothing(writes, (w) => w.t.get(w.key)?.item, (w, old) => {
          const refused = refusal(w, old);
          if (!refused) return undefined;
          const e = refusalError(refused, w, old);
          return { Code: refused, Message: e.message, ...(e.fields?.Item ? { Item: e.fields.Item as Item } : {}) };
        });
        writes.forEach((w, i) => {
          const old = w.t.get(w.key)?.item;
          const next = nexts[i];
          if (next) state.putItem(scope, w.t, w.key, next);
          else if (next === null && old) state.deleteItem(scope, w.t, w.key);
          meter.write(w.t, old, next === undefined ? old : next ?? undefined);
        });
        result = { Responses: [], ...meter.many() };
      }
      if (tokenKey) tokens.set(tokenKey, { digest: digest!, expires: now + TOKEN_TTL_MS, result });
      return result;
    },
  };
}

/** A batch slot's error: DynamoDB's error code without "Exception". */
function errorOf(e: AwsError): T.BatchStatementError {
  const code = e.code === 'ValidationException' ? 'ValidationError' : e.code.replace(/Exception$/, '');
  return { Code: code, Message: e.message };
}
