/** Table lifecycle: CreateTable, DescribeTable, ListTables, DeleteTable, and table tags. */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { arn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import { validateCreateTable } from '../domain/schema.js';
import type { IndexRecord, TableData } from '../domain/table.js';
import { checkEnum, invalid } from './common.js';
import { leaveGroup, replicaDescriptions } from './global-tables.js';
import { createTablePolicy } from './account.js';

export const VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'];


export const tableNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`, 400);

export function tableHandlers(state: DynamoState): T.DynamoDBHandlers {
  const clock = state.rt.clock;
  // How long a table stays CREATING (and DELETING), in virtual time (config.dynamodbTableDelayMs):
  // 0 by default so that SDK waiters, which sleep 20 s after a first CREATING, never wait.
  const delay = state.rt.config.dynamodbTableDelayMs;

  return {
    CreateTable(input, ctx) {
      validateCreateTable(input);
      const ss = input.StreamSpecification;
      if (ss?.StreamEnabled && !ss.StreamViewType) throw invalid('One or more parameter values were invalid: Table is being created with a stream enabled, UpdateViewType is required');
      if (ss && !ss.StreamEnabled && ss.StreamViewType) throw invalid('One or more parameter values were invalid: Table is being created with a stream disabled, UpdateViewType should not be specified');
      checkEnum(ss?.StreamViewType, 'streamSpecification.streamViewType', VIEW_TYPES);
      if (input.ResourcePolicy !== undefined) {
        try {
          JSON.parse(input.ResourcePolicy);
        } catch {
          throw invalid('Invalid policy document: the policy is not valid JSON');
        }
      }
      const scope = scopeOf(ctx);
      const existing = state.get(scope, input.TableName);
      if (existing) {
        throw new AwsError('ResourceInUseException', existing.rec.deletedAt !== undefined
          ? `Attempt to change a resource which is still in use: Table is being deleted: ${input.TableName}`
          : `Table already exists: ${input.TableName}`, 400);
      }
      const now = clock.now();
      const tableArn = arn('dynamodb', scope.region, scope.account, `table/${input.TableName}`);
      const index = (i: T.GlobalSecondaryIndex | T.LocalSecondaryIndex): IndexRecord => ({
        IndexName: i.IndexName,
        KeySchema: i.KeySchema,
        Projection: i.Projection,
        ...('ProvisionedThroughput' in i && i.ProvisionedThroughput ? { ProvisionedThroughput: i.ProvisionedThroughput } : {}),
      });
      const t = state.create(scope, {
        name: input.TableName,
        id: randomUUID(),
        arn: tableArn,
        keySchema: input.KeySchema!,
        attributeDefinitions: input.AttributeDefinitions!,
        billingMode: input.BillingMode === 'PAY_PER_REQUEST' ? 'PAY_PER_REQUEST' : 'PROVISIONED',
        ...(input.ProvisionedThroughput ? { throughput: input.ProvisionedThroughput } : {}),
        createdAt: now,
        activeAt: now + delay,
        ...(input.GlobalSecondaryIndexes ? { gsis: input.GlobalSecondaryIndexes.map(index) } : {}),
        ...(input.LocalSecondaryIndexes ? { lsis: input.LocalSecondaryIndexes.map(index) } : {}),
        ...(input.SSESpecification ? { sse: input.SSESpecification } : {}),
        ...(input.TableClass ? { tableClass: input.TableClass } : {}),
        deletionProtection: input.DeletionProtectionEnabled ?? false,
        tags: input.Tags ?? [],
      });
      if (input.StreamSpecification?.StreamEnabled) {
        const m = state.streams.open(scope, tableArn, input.TableName, input.StreamSpecification.StreamViewType!, input.KeySchema!);
        t.rec = { ...t.rec, stream: input.StreamSpecification, streamLabel: m.label, streamArn: m.arn };
        state.save(scope, t);
      }
      if (input.ResourcePolicy !== undefined) createTablePolicy(state, ctx, t, input.ResourcePolicy);
      // AWS always answers CreateTable with CREATING, however fast the table becomes ACTIVE.
      return { TableDescription: { ...describe(t, now), TableStatus: 'CREATING' } };
    },

    DescribeTable(input, ctx) {
      const t = state.get(scopeOf(ctx), input.TableName);
      if (!t) throw tableNotFound(input.TableName);
      return { Table: describe(t, clock.now()) };
    },

    ListTables(input, ctx) {
      const v: string[] = [];
      if (input.Limit !== undefined && input.Limit < 1) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      if (input.Limit !== undefined && input.Limit > 100) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
      const start = input.ExclusiveStartTableName;
      if (start !== undefined && start.length < 3) v.push(`Value '${start}' at 'exclusiveStartTableName' failed to satisfy constraint: Member must have length greater than or equal to 3`);
      if (start !== undefined && !/^[a-zA-Z0-9_.-]+$/.test(start)) v.push(`Value '${start}' at 'exclusiveStartTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
      if (v.length) throw new AwsError('ValidationException', `${v.length} validation error${v.length > 1 ? 's' : ''} detected: ${v.join('; ')}`, 400);
      const limit = input.Limit ?? 100;
      const names = state.names(scopeOf(ctx)).filter((n) => start === undefined || n > start);
      const page = names.slice(0, limit);
      return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page[page.length - 1] } : {}) };
    },

    DeleteTable(input, ctx) {
      const scope = scopeOf(ctx);
      const t = state.get(scope, input.TableName);
      if (!t) throw tableNotFound(input.TableName);
      const now = clock.now();
      if (t.rec.deletedAt !== undefined) throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being deleted: ${input.TableName}`, 400);
      if (now < t.rec.activeAt) throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being created: ${input.TableName}`, 400);
      if (t.rec.updatingUntil !== undefined && now < t.rec.updatingUntil) throw new AwsError('ResourceInUseException', `Attempt to change a resource which is still in use: Table is being updated: ${input.TableName}`, 400);
      if (t.rec.gsis?.some((g) => g.activeAt !== undefined && now < g.activeAt) || t.rec.deletingGsis?.some((g) => now < g.until)) {
        throw new AwsError('ResourceInUseException', 'Cannot delete table while indexes are being created, updated, or deleted', 400);
      }
      if (t.rec.deletionProtection) throw new AwsError('ValidationException', 'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.', 400);
      const before = describe(t, now);
      leaveGroup(state, scope, t);
      state.markDeleted(scope, t, now + delay);
      return { TableDescription: { ...before, TableStatus: 'DELETING' } };
    },

    TagResource(input, ctx) {
      const t = byArn(ctx, input.ResourceArn);
      const tags = new Map(t.rec.tags.map((x) => [x.Key, x.Value]));
      for (const x of input.Tags ?? []) tags.set(x.Key, x.Value);
      if (tags.size > 50) throw new AwsError('ValidationException', 'One or more parameter values were invalid: The number of tags exceeds the limit of 50', 400);
      t.rec = { ...t.rec, tags: [...tags].map(([Key, Value]) => ({ Key, Value })) };
      state.save(scopeOf(ctx), t);
    },

    UntagResource(input, ctx) {
      const t = byArn(ctx, input.ResourceArn);
      const drop = new Set(input.TagKeys ?? []);
      t.rec = { ...t.rec, tags: t.rec.tags.filter((x) => !drop.has(x.Key)) };
      state.save(scopeOf(ctx), t);
    },

    ListTagsOfResource(input, ctx) {
      return { Tags: byArn(ctx, input.ResourceArn).rec.tags };
    },
  };

  /** A table named by its ARN, in the caller's account and region. */
  function byArn(ctx: Parameters<NonNullable<T.DynamoDBHandlers['DescribeTable']>>[1], resourceArn: string): TableData {
    const scope = scopeOf(ctx);
    const m = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(resourceArn);
    const t = m && m[1] === scope.region && m[2] === scope.account ? state.get(scope, m[3]!) : undefined;
    if (!t || t.rec.deletedAt !== undefined) throw new AwsError('ResourceNotFoundException', `Requested resource not found: ResourcArn: ${resourceArn} not found`, 400);
    return t;
  }
}

/** The TableDescription DescribeTable returns. */
export function describe(t: TableData, now: number): T.TableDescription {
  const r = t.rec;
  const status = r.deletedAt !== undefined ? 'DELETING' : now < r.activeAt ? 'CREATING' : r.updatingUntil !== undefined && now < r.updatingUntil ? 'UPDATING' : 'ACTIVE';
  const throughput = (pt?: T.ProvisionedThroughput): T.ProvisionedThroughputDescription => ({
    NumberOfDecreasesToday: 0,
    ReadCapacityUnits: pt?.ReadCapacityUnits ?? 0,
    WriteCapacityUnits: pt?.WriteCapacityUnits ?? 0,
  });
  const d: T.TableDescription = {
    AttributeDefinitions: r.attributeDefinitions,
    TableName: r.name,
    KeySchema: r.keySchema,
    TableStatus: status,
    CreationDateTime: new Date(r.createdAt),
    ProvisionedThroughput: throughput(r.throughput),
    TableSizeBytes: t.bytes,
    ItemCount: t.count,
    TableArn: r.arn,
    TableId: r.id,
    BillingModeSummary: r.billingMode === 'PAY_PER_REQUEST'
      ? { BillingMode: 'PAY_PER_REQUEST', LastUpdateToPayPerRequestDateTime: new Date(r.payPerRequestAt ?? r.createdAt) }
      : { BillingMode: 'PROVISIONED' },
    DeletionProtectionEnabled: r.deletionProtection,
  };
  const deleting = (r.deletingGsis ?? []).filter((g) => now < g.until);
  if (r.gsis?.length || deleting.length) {
    const gsiStatus = (g: IndexRecord): string => {
      if (status === 'CREATING') return 'CREATING';
      if (g.activeAt !== undefined && now < g.activeAt) return 'CREATING';
      if (g.updatingUntil !== undefined && now < g.updatingUntil) return 'UPDATING';
      return 'ACTIVE';
    };
    d.GlobalSecondaryIndexes = [
      ...(r.gsis ?? []).map((g) => {
        const st = gsiStatus(g);
        const size = st === 'ACTIVE' ? indexStats(t, g) : { n: 0, bytes: 0 };
        return {
          IndexName: g.IndexName,
          KeySchema: g.KeySchema,
          Projection: g.Projection,
          IndexStatus: st,
          ...(st === 'CREATING' && g.activeAt !== undefined ? { Backfilling: now >= (g.backfillAt ?? 0) } : {}),
          ProvisionedThroughput: throughput(g.ProvisionedThroughput),
          IndexSizeBytes: size.bytes,
          ItemCount: size.n,
          IndexArn: `${r.arn}/index/${g.IndexName}`,
        };
      }),
      ...deleting.map((g) => ({
        IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection, IndexStatus: 'DELETING',
        ProvisionedThroughput: throughput(g.ProvisionedThroughput), IndexSizeBytes: 0, ItemCount: 0, IndexArn: `${r.arn}/index/${g.IndexName}`,
      })),
    ];
  }
  if (r.lsis) {
    d.LocalSecondaryIndexes = r.lsis.map((l) => {
      const size = indexStats(t, l);
      return { IndexName: l.IndexName, KeySchema: l.KeySchema, Projection: l.Projection, IndexSizeBytes: size.bytes, ItemCount: size.n, IndexArn: `${r.arn}/index/${l.IndexName}` };
    });
  }
  // after a disable StreamSpecification is absent while the latest label and ARN linger (as AWS)
  if (r.stream?.StreamEnabled && r.streamArn) d.StreamSpecification = r.stream;
  if (r.streamLabel) {
    d.LatestStreamLabel = r.streamLabel;
    d.LatestStreamArn = `${r.arn}/stream/${r.streamLabel}`;
  }
  if (r.sse?.Enabled) {
    d.SSEDescription = { Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: r.sse.KMSMasterKeyId ?? r.arn.replace(/:dynamodb:/, ':kms:').replace(/table\/.*/, 'key/aws-dynamodb') };
  }
  if (r.tableClass) d.TableClassSummary = { TableClass: r.tableClass };
  Object.assign(d, replicaDescriptions(r, r.arn.split(':')[3]!, now));
  if (r.restore) {
    d.RestoreSummary = {
      SourceTableArn: r.restore.sourceTableArn, ...(r.restore.sourceBackupArn ? { SourceBackupArn: r.restore.sourceBackupArn } : {}),
      RestoreDateTime: new Date(r.restore.at), RestoreInProgress: now < r.restore.until,
    };
  }
  return d;
}

/** Item count and size of an index (its entries, built on demand). */
function indexStats(t: TableData, def: IndexRecord): { n: number; bytes: number } {
  const map = t.index(def);
  let bytes = 0;
  for (const [, s] of map.entries()) bytes += s.size;
  return { n: map.size, bytes };
}
