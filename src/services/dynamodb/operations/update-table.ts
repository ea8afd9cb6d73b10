/**
 * UpdateTable (billing mode, throughput, streams, GSI create/delete/update, SSE, table class,
 * deletion protection) and time to live (UpdateTimeToLive, DescribeTimeToLive), with
 * DynamoDB's rules and messages. Status changes (table UPDATING, index CREATING → backfilling →
 * ACTIVE, DELETING) are timestamps compared with the clock, so they survive restarts; their
 * length is config.dynamodbTableDelayMs (0 by default: immediate).
 */
import { AwsError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { IndexRecord, TableData } from '../domain/table.js';
import { checkEnum, invalid } from './common.js';
import { describe, tableNotFound, VIEW_TYPES } from './tables.js';
import { planReplicaUpdates } from './global-tables.js';

const HOUR = 60 * 60 * 1000;
const paramInvalid = (msg: string) => invalid(`One or more parameter values were invalid: ${msg}`);
const limitExceeded = () => new AwsError('LimitExceededException', 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table', 400);
const inUse = (msg: string) => new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: ${msg}`, 400);

function throughputViolations(pt: T.ProvisionedThroughput | undefined, path: string): string[] {
  const v: string[] = [];
  if (!pt) return v;
  if (pt.WriteCapacityUnits < 1) v.push(`Value '${pt.WriteCapacityUnits}' at '${path}.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (pt.ReadCapacityUnits < 1) v.push(`Value '${pt.ReadCapacityUnits}' at '${path}.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  return v;
}

const samePt = (a: T.ProvisionedThroughput | undefined, b: T.ProvisionedThroughput) => a?.ReadCapacityUnits === b.ReadCapacityUnits && a?.WriteCapacityUnits === b.WriteCapacityUnits;

export function updateTableHandlers(state: DynamoState): T.DynamoDBHandlers {
  const clock = state.rt.clock;
  const delay = () => state.rt.config.dynamodbTableDelayMs;

  /** A table that exists and is not being deleted. */
  function tableOf(ctx: Parameters<NonNullable<T.DynamoDBHandlers['DescribeTable']>>[1], name: string): TableData {
    const t = state.get(scopeOf(ctx), name);
    if (!t || t.rec.deletedAt !== undefined) throw tableNotFound(name);
    return t;
  }

  return {
    UpdateTable(input, ctx) {
      const v: string[] = [];
      checkEnum(input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
      v.push(...throughputViolations(input.ProvisionedThroughput, 'provisionedThroughput'));
      input.GlobalSecondaryIndexUpdates?.forEach((u, i) => {
        const cn = u.Create?.IndexName;
        if (cn !== undefined && (cn.length < 3 || cn.length > 255 || !/^[a-zA-Z0-9_.-]+$/.test(cn))) {
          v.push(`Value '${cn}' at 'globalSecondaryIndexUpdates.${i + 1}.member.create.indexName' failed to satisfy constraint: ${cn.length < 3 ? 'Member must have length greater than or equal to 3' : cn.length > 255 ? 'Member must have length less than or equal to 255' : 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+'}`);
        }
        v.push(...throughputViolations(u.Create?.ProvisionedThroughput, `globalSecondaryIndexUpdates.${i + 1}.member.create.provisionedThroughput`));
        v.push(...throughputViolations(u.Update?.ProvisionedThroughput, `globalSecondaryIndexUpdates.${i + 1}.member.update.provisionedThroughput`));
      });
      if (v.length) throw invalid(`${v.length} validation error${v.length > 1 ? 's' : ''} detected: ${v.join('; ')}`);
      checkEnum(input.StreamSpecification?.StreamViewType, 'streamSpecification.streamViewType', VIEW_TYPES);
      if (input.TableClass !== undefined && !['STANDARD', 'STANDARD_INFREQUENT_ACCESS'].includes(input.TableClass)) {
        throw invalid('Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].');
      }
      const scope = scopeOf(ctx);
      const t = tableOf(ctx, input.TableName);
      const r = t.rec;
      const now = clock.now();

      const gsiUpdates = input.GlobalSecondaryIndexUpdates;
      const concerns = {
        capacity: input.ProvisionedThroughput !== undefined || input.BillingMode !== undefined,
        stream: input.StreamSpecification !== undefined,
        gsi: gsiUpdates !== undefined,
        sse: input.SSESpecification !== undefined,
        tableClass: input.TableClass !== undefined,
        protection: input.DeletionProtectionEnabled !== undefined,
      };
      const count = Object.values(concerns).filter(Boolean).length;
      if (!count && !input.OnDemandThroughput && !input.ReplicaUpdates) {
        throw invalid('At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates, SSESpecification, ReplicaUpdates, MultiAccountReplicaReady, ReplicaTransitRoleArn, MultiRegionConsistency, DeletionProtectionEnabled, OnDemandThroughput, WarmThroughput or TableClass is required');
      }
      if (now < r.activeAt) throw inUse(`Table is being created: ${r.name}`);
      if (r.updatingUntil !== undefined && now < r.updatingUntil) throw inUse(`Table is being updated: ${r.name}`);
      const applyReplicas = input.ReplicaUpdates ? planReplicaUpdates(state, scope, t, input.ReplicaUpdates, now, delay()) : undefined;
      if (count > 1) {
        if (concerns.sse) throw paramInvalid('Server-Side Encryption modification must be the only operation in the request');
        if (concerns.tableClass) throw paramInvalid('TableClass modification must be the only operation in the request');
        if (concerns.protection) throw paramInvalid('DeletionProtection modification must be the only operation in the request');
      }
      const createsOrDeletes = (gsiUpdates ?? []).filter((u) => u.Create || u.Delete).length;
      if (createsOrDeletes && concerns.stream) throw paramInvalid('You cannot create or delete index while changing stream status');
      if (input.ProvisionedThroughput && concerns.stream) throw paramInvalid('You cannot modify stream status while updating table IOPS');
      if (input.ProvisionedThroughput && createsOrDeletes) throw paramInvalid('You cannot create or delete index while updating table IOPS');

      // everything is checked before anything changes (a refused request applies nothing)
      let next = { ...r, gsis: r.gsis?.map((g) => ({ ...g })) };
      let mode = r.billingMode;
      let updating = false;

      if (concerns.capacity) {
        const target = (input.BillingMode ?? r.billingMode) as 'PROVISIONED' | 'PAY_PER_REQUEST';
        const pt = input.ProvisionedThroughput;
        if (target === 'PAY_PER_REQUEST' && pt) throw paramInvalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
        if (target === 'PROVISIONED' && r.billingMode === 'PAY_PER_REQUEST') {
          if (!pt) throw paramInvalid('ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
          for (const g of r.gsis ?? []) {
            if (!gsiUpdates?.some((u) => u.Update?.IndexName === g.IndexName && u.Update.ProvisionedThroughput)) throw paramInvalid(`ProvisionedThroughput must be specified for index: ${g.IndexName}`);
          }
        }
        if (target === 'PROVISIONED' && r.billingMode === 'PROVISIONED' && pt && samePt(r.throughput, pt)) {
          throw invalid(`The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: ${pt.ReadCapacityUnits}. Requested ReadCapacityUnits: ${pt.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the table: ${pt.WriteCapacityUnits}. Requested WriteCapacityUnits: ${pt.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`);
        }
        for (const x of [pt]) {
          if (x && x.ReadCapacityUnits > 40000) throw new AwsError('LimitExceededException', `Subscriber limit exceeded: Provisioned throughput for the table exceeds the maximum allowed value of 40000 read capacity units. Requested ReadCapacityUnits: ${x.ReadCapacityUnits}`, 400);
          if (x && x.WriteCapacityUnits > 40000) throw new AwsError('LimitExceededException', `Subscriber limit exceeded: Provisioned throughput for the table exceeds the maximum allowed value of 40000 write capacity units. Requested WriteCapacityUnits: ${x.WriteCapacityUnits}`, 400);
        }
        mode = target;
        if (target === 'PAY_PER_REQUEST') {
          const { throughput: _pt, ...rest } = next;
          next = { ...rest, billingMode: 'PAY_PER_REQUEST', gsis: next.gsis?.map(({ ProvisionedThroughput: _g, ...g }) => g) };
          if (r.billingMode !== 'PAY_PER_REQUEST') next.payPerRequestAt = now;
        } else next = { ...next, billingMode: 'PROVISIONED', ...(pt ? { throughput: pt } : {}) };
        updating = true;
      }

      let newIndex: IndexRecord | undefined;
      if (gsiUpdates) {
        if (!gsiUpdates.length) throw paramInvalid('List of GlobalSecondaryIndexUpdates is empty');
        const names = new Set<string>();
        for (const u of gsiUpdates) {
          const n = [u.Create, u.Delete, u.Update].filter(Boolean).length;
          if (n === 0) throw paramInvalid('One of GlobalSecondaryIndexUpdate.Update, GlobalSecondaryIndexUpdate.Create, GlobalSecondaryIndexUpdate.Delete must not be null');
          if (n > 1) throw paramInvalid('Only one global secondary index action is allowed per GlobalSecondaryIndexUpdate object');
          const name = (u.Create ?? u.Delete ?? u.Update)!.IndexName;
          if (names.has(name)) throw paramInvalid(`Only one global secondary index update per index is allowed simultaneously. Index: ${name}`);
          names.add(name);
        }
        const busy = r.gsis?.some((g) => g.activeAt !== undefined && now < g.activeAt) || r.deletingGsis?.some((g) => now < g.until);
        if (createsOrDeletes > 1 || (createsOrDeletes && busy)) throw limitExceeded();
        for (const u of gsiUpdates) {
          if (u.Create) {
            const c = u.Create;
            if (r.gsis?.some((g) => g.IndexName === c.IndexName) || r.lsis?.some((l) => l.IndexName === c.IndexName)) throw invalid('Attempting to create an index which already exists');
            if ((r.gsis?.length ?? 0) >= 20) throw new AwsError('LimitExceededException', 'One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20', 400);
            const defs = new Map(r.attributeDefinitions.map((d) => [d.AttributeName, d]));
            for (const d of input.AttributeDefinitions ?? []) if (!defs.has(d.AttributeName)) defs.set(d.AttributeName, d);
            if (!c.KeySchema?.length || c.KeySchema.some((k) => !defs.has(k.AttributeName))) throw paramInvalid(`AttributeDefinitions is not specified for index: ${c.IndexName}`);
            if (c.KeySchema[0]!.KeyType !== 'HASH') throw invalid('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
            if (c.KeySchema[1] && c.KeySchema[1].KeyType !== 'RANGE') throw invalid('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
            const p = c.Projection;
            if (!p?.ProjectionType) throw paramInvalid('Unknown ProjectionType: null');
            if (!['ALL', 'INCLUDE', 'KEYS_ONLY'].includes(p.ProjectionType)) throw paramInvalid(`Unknown ProjectionType: ${p.ProjectionType}`);
            if (p.NonKeyAttributes && p.ProjectionType !== 'INCLUDE') throw paramInvalid(`ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`);
            if (mode === 'PAY_PER_REQUEST' && c.ProvisionedThroughput) throw paramInvalid(`Neither ReadCapacityUnits nor WriteCapacityUnits can be specified for index: ${c.IndexName} when BillingMode is PAY_PER_REQUEST`);
            if (mode === 'PROVISIONED' && !c.ProvisionedThroughput) throw paramInvalid(`ProvisionedThroughput must be specified for index: ${c.IndexName}`);
            const used = new Set([...r.keySchema, ...(r.lsis ?? []).flatMap((l) => l.KeySchema), ...(r.gsis ?? []).flatMap((g) => g.KeySchema), ...c.KeySchema].map((k) => k.AttributeName));
            next.attributeDefinitions = [...defs.values()].filter((d) => used.has(d.AttributeName));
            newIndex = {
              IndexName: c.IndexName, KeySchema: c.KeySchema, Projection: p,
              ...(c.ProvisionedThroughput ? { ProvisionedThroughput: c.ProvisionedThroughput } : {}),
              backfillAt: now + delay(), activeAt: now + 2 * delay(),
            };
            next.gsis = [...(next.gsis ?? []), newIndex];
            updating = true;
          } else if (u.Delete) {
            const name = u.Delete.IndexName;
            const g = next.gsis?.find((x) => x.IndexName === name);
            if (!g) {
              if (r.lsis?.some((l) => l.IndexName === name)) throw invalid(`Cannot delete an index that is not a GlobalSecondaryIndex: ${name}`);
              throw new AwsError('ResourceNotFoundException', `Requested resource not found: Index ${name} for table ${r.name} not found`, 400);
            }
            next.gsis = next.gsis!.filter((x) => x !== g);
            next.deletingGsis = [...(r.deletingGsis ?? []).filter((x) => now < x.until), { ...g, until: now + delay() }];
            const used = new Set([...r.keySchema, ...(r.lsis ?? []).flatMap((l) => l.KeySchema), ...next.gsis.flatMap((x) => x.KeySchema)].map((k) => k.AttributeName));
            next.attributeDefinitions = next.attributeDefinitions.filter((d) => used.has(d.AttributeName));
            updating = true;
          } else {
            const up = u.Update!;
            const g = next.gsis?.find((x) => x.IndexName === up.IndexName);
            if (!g) {
              if (r.lsis?.some((l) => l.IndexName === up.IndexName)) throw invalid(`Cannot update an index that is not a GlobalSecondaryIndex: ${up.IndexName}`);
              throw new AwsError('ResourceNotFoundException', `Requested resource not found: Index ${up.IndexName} for table ${r.name} not found`, 400);
            }
            if (g.updatingUntil !== undefined && now < g.updatingUntil) throw new AwsError('ResourceInUseException', `Index is being updated. Table: ${r.name} Index: ${up.IndexName}`, 400);
            if (up.ProvisionedThroughput) {
              if (mode === 'PAY_PER_REQUEST') throw paramInvalid(`The only Updates for index: ${up.IndexName} when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput`);
              const pt = up.ProvisionedThroughput;
              if (samePt(g.ProvisionedThroughput, pt)) {
                throw invalid(`The provisioned throughput for the index ${up.IndexName} will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the index: ${pt.ReadCapacityUnits}. Requested ReadCapacityUnits: ${pt.ReadCapacityUnits}. Current WriteCapacityUnits provisioned for the index: ${pt.WriteCapacityUnits}. Requested WriteCapacityUnits: ${pt.WriteCapacityUnits}. Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.`);
              }
              g.ProvisionedThroughput = pt;
              g.updatingUntil = now + delay();
            }
          }
        }
      }

      let openStream: string | undefined;
      let closeStream: string | undefined;
      if (input.StreamSpecification) {
        const ss = input.StreamSpecification;
        if (ss.StreamEnabled) {
          if (!ss.StreamViewType) throw paramInvalid('If stream is being enabled then UpdateViewType is required');
          if (r.streamArn) throw invalid(`Table already has an enabled stream: TableName: ${r.name}`);
          openStream = ss.StreamViewType;
        } else {
          if (ss.StreamViewType) throw paramInvalid('If stream is being disabled, then UpdateViewType must not be specified');
          if (!r.streamArn) throw invalid(`Table has no stream to disable: TableName: ${r.name}`);
          closeStream = r.streamArn;
        }
        updating = true;
      }

      if (input.SSESpecification) {
        next.sse = input.SSESpecification;
        updating = true;
      }
      if (input.TableClass !== undefined) {
        next.tableClass = input.TableClass;
        updating = true;
      }
      if (input.DeletionProtectionEnabled !== undefined) next.deletionProtection = input.DeletionProtectionEnabled;

      // apply
      if (closeStream) {
        state.streams.close(scope, closeStream);
        const { streamArn: _a, stream: _s, ...rest } = next;
        next = rest;
      }
      if (openStream) {
        const m = state.streams.open(scope, r.arn, r.name, openStream, r.keySchema);
        next = { ...next, stream: { StreamEnabled: true, StreamViewType: openStream }, streamArn: m.arn, streamLabel: m.label };
      }
      if (updating && delay() > 0) next.updatingUntil = now + delay();
      else delete next.updatingUntil;
      if (next.deletingGsis && !next.deletingGsis.some((g) => now < g.until)) delete next.deletingGsis;
      const dropped = (r.gsis ?? []).filter((g) => !next.gsis?.some((x) => x.IndexName === g.IndexName));
      for (const g of dropped) t.indexes.delete(g.IndexName);
      t.rec = next;
      t.refresh();
      state.save(scope, t);
      if (applyReplicas) {
        applyReplicas();
        if (delay() > 0) t.rec = { ...t.rec, updatingUntil: now + delay() };
        state.save(scope, t);
        updating = true;
      }
      const d = describe(t, now);
      return { TableDescription: { ...d, TableStatus: updating ? 'UPDATING' : d.TableStatus } };
    },

    UpdateTimeToLive(input, ctx) {
      const spec = input.TimeToLiveSpecification;
      const v: string[] = [];
      if (spec.AttributeName.length < 1) v.push(`Value '${spec.AttributeName}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1`);
      if (spec.AttributeName.length > 255) v.push(`Value '${spec.AttributeName}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255`);
      if (v.length) throw invalid(`${v.length} validation error${v.length > 1 ? 's' : ''} detected: ${v.join('; ')}`);
      const t = tableOf(ctx, input.TableName);
      const now = clock.now();
      const cur = t.rec.ttl;
      if (spec.Enabled && cur?.enabled) {
        if (cur.attr !== spec.AttributeName) throw invalid(`TimeToLive is active on a different AttributeName: current AttributeName is ${cur.attr}`);
        throw invalid('TimeToLive is already enabled');
      }
      if (!spec.Enabled && !cur?.enabled) throw invalid('TimeToLive is already disabled');
      if (!spec.Enabled && cur && cur.attr !== spec.AttributeName) throw invalid(`TimeToLive is active on a different AttributeName: current AttributeName is ${cur.attr}`);
      if (cur && now - cur.changedAt < HOUR) throw invalid('Time to live has been modified multiple times within a fixed interval');
      t.rec = { ...t.rec, ttl: { attr: spec.AttributeName, enabled: spec.Enabled, changedAt: now } };
      if (!spec.Enabled) t.ttlIndex = undefined;
      state.save(scopeOf(ctx), t);
      return { TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled } };
    },

    DescribeTimeToLive(input, ctx) {
      const ttl = tableOf(ctx, input.TableName).rec.ttl;
      if (!ttl?.enabled) return { TimeToLiveDescription: { TimeToLiveStatus: 'DISABLED' } };
      return { TimeToLiveDescription: { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.attr } };
    },
  };
}
