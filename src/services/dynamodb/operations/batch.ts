/**
 * BatchGetItem, BatchWriteItem, TransactGetItems, TransactWriteItems. Everything is validated
 * (and, for transactions, every condition checked) before anything is written; the writes then
 * happen synchronously, so a batch or transaction is never half-applied.
 */
import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData } from '../domain/table.js';
import { checkKey } from '../domain/keys.js';
import { ExprContext, evaluate, project } from '../domain/expressions/index.js';
import { type Item } from '../domain/values.js';
import { allOrNothing, checkEnum, invalid, liveTable, projectionOf } from './common.js';
import { metricsOf, prepareConditionCheck, prepareDelete, preparePut, prepareUpdate, type PreparedWrite } from './items.js';
import { CapacityMeter } from '../domain/capacity.js';

const TOKEN_TTL_MS = 10 * 60 * 1000;
const RESPONSE_LIMIT = 16 * 1024 * 1024;

export function batchHandlers(state: DynamoState): T.DynamoDBHandlers {
  /** ClientRequestToken → request digest, answer and expiry (virtual clock), per scope. */
  const tokens = new Map<string, { digest: string; expires: number; result: unknown }>();

  return {
    BatchGetItem(input, ctx) {
      const requests = Object.entries(input.RequestItems ?? {});
      const total = requests.reduce((n, [, r]) => n + (r.Keys?.length ?? 0), 0);
      if (total > 100) throw invalid('Too many items requested for the BatchGetItem call');
      const plans = requests.map(([name, r]) => {
        const ectx = new ExprContext(r, r.ProjectionExpression !== undefined ? ['ProjectionExpression'] : [], []);
        const paths = projectionOf(r, ectx);
        ectx.finish();
        const t = liveTable(state, ctx, name);
        const keys = (r.Keys ?? []).map((k) => t.keyOf(checkKey(t, k)));
        if (new Set(keys).size !== keys.length) throw invalid('Provided list of item keys contains duplicates');
        return { name, t, keys, paths, r };
      });
      const Responses: Record<string, Item[]> = {};
      const UnprocessedKeys: Record<string, T.KeysAndAttributes> = {};
      const meter = new CapacityMeter(input.ReturnConsumedCapacity);
      let bytes = 0;
      for (const { name, t, keys, paths, r } of plans) {
        Responses[name] = [];
        keys.forEach((k, i) => {
          if (bytes >= RESPONSE_LIMIT) {
            (UnprocessedKeys[name] ??= { ...r, Keys: [] }).Keys!.push(r.Keys![i]!);
            return;
          }
          const found = t.get(k);
          meter.read(t, found?.size ?? 0, r.ConsistentRead);
          if (!found) return;
          bytes += found.size;
          Responses[name]!.push(paths ? project(found.item, paths) : found.item);
        });
      }
      return { Responses, UnprocessedKeys, ...meter.many() };
    },

    BatchWriteItem(input, ctx) {
      const requests = Object.entries(input.RequestItems ?? {});
      const total = requests.reduce((n, [, r]) => n + r.length, 0);
      if (total > 25) throw invalid('Too many items requested for the BatchWriteItem call');
      const writes: PreparedWrite[] = [];
      for (const [name, list] of requests) {
        const t = liveTable(state, ctx, name);
        const seen = new Set<string>();
        for (const w of list) {
          if (!!w.PutRequest === !!w.DeleteRequest) throw invalid('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
          const p = w.PutRequest ? preparePut(t, { TableName: name, Item: w.PutRequest.Item }) : prepareDelete(t, { TableName: name, Key: w.DeleteRequest!.Key });
          if (seen.has(p.key)) throw invalid('Provided list of item keys contains duplicates');
          seen.add(p.key);
          writes.push(p);
        }
      }
      checkEnum(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
      const scope = scopeOf(ctx);
      const meter = new CapacityMeter(input.ReturnConsumedCapacity);
      const metrics: Record<string, T.ItemCollectionMetrics[]> = {};
      for (const w of writes) {
        const old = w.t.get(w.key)?.item;
        const next = w.apply(undefined);
        if (next) state.putItem(scope, w.t, w.key, next);
        else if (old) state.deleteItem(scope, w.t, w.key);
        meter.write(w.t, old, next ?? undefined);
        const m = metricsOf(input.ReturnItemCollectionMetrics, w.t, next ?? old).ItemCollectionMetrics;
        if (m) (metrics[w.t.rec.name] ??= []).push(m);
      }
      return {
        UnprocessedItems: {},
        ...meter.many(),
        ...(input.ReturnItemCollectionMetrics === 'SIZE' ? { ItemCollectionMetrics: metrics } : {}),
      };
    },

    TransactGetItems(input, ctx) {
      const items = input.TransactItems ?? [];
      if (items.length > 100) throw invalid(`1 validation error detected: Value '[${items.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100`);
      const gets = items.map(({ Get: g }) => {
        const ectx = new ExprContext(g, g.ProjectionExpression !== undefined ? ['ProjectionExpression'] : [], []);
        const paths = projectionOf(g, ectx);
        ectx.finish();
        const t = liveTable(state, ctx, g.TableName);
        return { t, key: t.keyOf(checkKey(t, g.Key)), paths };
      });
      const seen = new Set<string>();
      for (const g of gets) {
        const id = `${g.t.rec.name}\x00${g.key}`;
        if (seen.has(id)) throw invalid('Transaction request cannot include multiple operations on one item');
        seen.add(id);
      }
      const meter = new CapacityMeter(input.ReturnConsumedCapacity, 2);
      const Responses = gets.map(({ t, key, paths }) => {
        const found = t.get(key);
        meter.read(t, found?.size ?? 0, true);
        return found ? { Item: paths ? project(found.item, paths) : found.item } : {};
      });
      return { Responses, ...meter.many() };
    },

    TransactWriteItems(input, ctx) {
      const items = input.TransactItems ?? [];
      if (items.length > 100) throw invalid(`1 validation error detected: Value '[${items.length} items]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100`);
      const scope = scopeOf(ctx);
      const now = state.rt.clock.now();
      let tokenKey: string | undefined, digest: string | undefined;
      if (input.ClientRequestToken !== undefined) {
        for (const [k, v] of tokens) if (v.expires <= now) tokens.delete(k);
        tokenKey = `${scope.account}/${scope.region}/${input.ClientRequestToken}`;
        digest = createHash('sha256').update(JSON.stringify(items, (_k, v) => (Buffer.isBuffer(v) || v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v))).digest('hex');
        const prior = tokens.get(tokenKey);
        if (prior) {
          if (prior.digest !== digest) throw new AwsError('IdempotentParameterMismatchException', 'Request parameters do not match the previous request made with the same client token', 400);
          return prior.result as T.TransactWriteItemsOutput;
        }
      }
      const writes = items.map((it) => {
        const ops = [it.ConditionCheck, it.Put, it.Delete, it.Update].filter((x) => x !== undefined);
        if (ops.length !== 1) throw invalid('TransactItems can only contain one of Check, Put, Update or Delete');
        const table = (name: string): TableData => liveTable(state, ctx, name);
        if (it.Put) return preparePut(table(it.Put.TableName), it.Put);
        if (it.Delete) return prepareDelete(table(it.Delete.TableName), it.Delete);
        if (it.Update) return prepareUpdate(table(it.Update.TableName), it.Update);
        return prepareConditionCheck(table(it.ConditionCheck!.TableName), it.ConditionCheck!);
      });
      const seen = new Set<string>();
      for (const w of writes) {
        const id = `${w.t.rec.name}\x00${w.key}`;
        if (seen.has(id)) throw invalid('Transaction request cannot include multiple operations on one item');
        seen.add(id);
      }
      // check every condition and compute every new item before writing anything
      const results = allOrNothing(writes, (w) => w.t.get(w.key)?.item, (w, old) =>
        w.cond && !evaluate(w.cond, old ?? {}) ? { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', ...(w.onFailure === 'ALL_OLD' && old ? { Item: old } : {}) } : undefined,
      );
      checkEnum(input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
      const meter = new CapacityMeter(input.ReturnConsumedCapacity, 2);
      const metrics: Record<string, T.ItemCollectionMetrics[]> = {};
      writes.forEach((w, i) => {
        const next = results[i];
        const old = w.t.get(w.key)?.item;
        if (next) state.putItem(scope, w.t, w.key, next);
        else if (next === null && old) state.deleteItem(scope, w.t, w.key);
        // a ConditionCheck is charged like a write of the item it checked
        meter.write(w.t, old, next === undefined ? old : next ?? undefined);
        const m = next !== undefined ? metricsOf(input.ReturnItemCollectionMetrics, w.t, next ?? old).ItemCollectionMetrics : undefined;
        if (m) (metrics[w.t.rec.name] ??= []).push(m);
      });
      const result: T.TransactWriteItemsOutput = {
        ...meter.many(),
        ...(input.ReturnItemCollectionMetrics === 'SIZE' ? { ItemCollectionMetrics: metrics } : {}),
      };
      if (tokenKey) tokens.set(tokenKey, { digest: digest!, expires: now + TOKEN_TTL_MS, result });
      return result;
    },
  };
}
