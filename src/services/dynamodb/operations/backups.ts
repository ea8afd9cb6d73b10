/**
 * On-demand backups (CreateBackup, DescribeBackup, ListBackups, DeleteBackup,
 * RestoreTableFromBackup) and point-in-time recovery (UpdateContinuousBackups,
 * DescribeContinuousBackups, RestoreTableToPointInTime). A backup answers CREATING and is
 * AVAILABLE after the table delay; a restored table is CREATING (RestoreInProgress) for the same
 * delay, with its items in place from the start. The restorable window runs from when recovery
 * was enabled (at most RecoveryPeriodInDays back) to now on the virtual clock.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { arn as makeArn } from '../../../core/arn.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { backupArn, type DynamoState } from '../state.js';
import type { IndexRecord, TableData, TableRecord } from '../domain/table.js';
import type { Item } from '../domain/values.js';
import { DAY_MS, type BackupRecord } from '../domain/backups.js';
import { checkEnum, invalid } from './common.js';
import { describe } from './tables.js';

const err = (code: string, msg: string) => new AwsError(code, msg, 400);
const NAME = /^[a-zA-Z0-9_.-]+$/;

export function backupHandlers(state: DynamoState): T.DynamoDBHandlers {
  const clock = state.rt.clock;
  const delay = () => state.rt.config.dynamodbTableDelayMs;

  /** A table for a control-plane call: TableNotFoundException when missing or being deleted. */
  function tableOf(ctx: RequestContext, name: string): TableData {
    const t = state.get(scopeOf(ctx), tableNameOf(name));
    if (!t || t.rec.deletedAt !== undefined) throw err('TableNotFoundException', `Table not found: ${tableNameOf(name)}`);
    return t;
  }

  function backupOf(ctx: RequestContext, arn: string): BackupRecord {
    const b = state.backups.get(scopeOf(ctx), arn);
    if (!b) throw err('BackupNotFoundException', `Backup not found: ${arn}`);
    return b;
  }

  const status = (b: BackupRecord) => (clock.now() < b.availableAt ? 'CREATING' : 'AVAILABLE');

  function details(b: BackupRecord, st = status(b)): T.BackupDetails {
    return {
      BackupArn: b.arn, BackupName: b.name, BackupSizeBytes: b.bytes, BackupStatus: st, BackupType: b.type,
      BackupCreationDateTime: new Date(b.createdAt), ...(b.expiresAt !== undefined ? { BackupExpiryDateTime: new Date(b.expiresAt) } : {}),
    };
  }

  function description(b: BackupRecord, st?: string): T.BackupDescription {
    const r = b.table;
    const pt = (p?: T.ProvisionedThroughput) => ({ ReadCapacityUnits: p?.ReadCapacityUnits ?? 0, WriteCapacityUnits: p?.WriteCapacityUnits ?? 0 });
    const idx = (i: IndexRecord) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection });
    return {
      BackupDetails: details(b, st),
      SourceTableDetails: {
        TableName: r.name, TableId: r.id, TableArn: r.arn, TableSizeBytes: b.bytes, KeySchema: r.keySchema, TableCreationDateTime: new Date(r.createdAt),
        ProvisionedThroughput: pt(r.throughput), ItemCount: b.count, BillingMode: r.billingMode,
      },
      SourceTableFeatureDetails: {
        ...(r.lsis?.length ? { LocalSecondaryIndexes: r.lsis.map(idx) } : {}),
        ...(r.gsis?.length ? { GlobalSecondaryIndexes: r.gsis.map((g) => ({ ...idx(g), ProvisionedThroughput: pt(g.ProvisionedThroughput) })) } : {}),
        ...(r.stream?.StreamEnabled ? { StreamDescription: r.stream } : {}),
        ...(b.ttl ? { TimeToLiveDescription: b.ttl } : {}),
        ...(r.sse?.Enabled ? { SSEDescription: { Status: 'ENABLED', SSEType: 'KMS' } } : {}),
      },
    };
  }

  interface Overrides {
    BillingModeOverride?: string;
    GlobalSecondaryIndexOverride?: T.GlobalSecondaryIndex[];
    LocalSecondaryIndexOverride?: T.LocalSecondaryIndex[];
    ProvisionedThroughputOverride?: T.ProvisionedThroughput;
    SSESpecificationOverride?: T.SSESpecification;
  }

  /** A new table from a source table's definition and items. */
  function restore(ctx: RequestContext, target: string, src: TableRecord, items: Iterable<Item>, o: Overrides, summary: NonNullable<TableRecord['restore']>): T.TableDescription {
    const scope = scopeOf(ctx);
    if (target.length < 3 || target.length > 255 || !NAME.test(target)) {
      throw invalid(`1 validation error detected: Value '${target}' at 'targetTableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
    }
    if (state.get(scope, target)) throw err('TableAlreadyExistsException', `Table already exists: ${target}`);
    checkEnum(o.BillingModeOverride, 'billingModeOverride', ['PROVISIONED', 'PAY_PER_REQUEST']);
    const mode = (o.BillingModeOverride ?? src.billingMode) as TableRecord['billingMode'];
    const throughput = mode === 'PAY_PER_REQUEST' ? undefined : o.ProvisionedThroughputOverride ?? src.throughput;
    if (mode === 'PROVISIONED' && !throughput) throw invalid('One or more parameter values were invalid: ProvisionedThroughputOverride must be specified when BillingModeOverride is PROVISIONED');
    const index = (i: T.GlobalSecondaryIndex | T.LocalSecondaryIndex): IndexRecord => ({
      IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection,
      ...('ProvisionedThroughput' in i && i.ProvisionedThroughput && mode === 'PROVISIONED' ? { ProvisionedThroughput: i.ProvisionedThroughput } : {}),
    });
    const gsis = (o.GlobalSecondaryIndexOverride?.map(index) ?? src.gsis?.map(({ backfillAt: _b, activeAt: _a, updatingUntil: _u, ...g }) => g))
      ?.map((g) => (mode === 'PAY_PER_REQUEST' ? (({ ProvisionedThroughput: _p, ...x }) => x)(g) : g));
    const lsis = o.LocalSecondaryIndexOverride?.map(index) ?? src.lsis;
    const used = new Set([...src.keySchema, ...(gsis ?? []).flatMap((g) => g.KeySchema), ...(lsis ?? []).flatMap((l) => l.KeySchema)].map((k) => k.AttributeName));
    const now = clock.now();
    const t = state.create(scope, {
      name: target, id: randomUUID(), arn: makeArn('dynamodb', scope.region, scope.account, `table/${target}`),
      keySchema: src.keySchema, attributeDefinitions: src.attributeDefinitions.filter((d) => used.has(d.AttributeName)),
      billingMode: mode, ...(throughput ? { throughput } : {}), createdAt: now, activeAt: now + delay(),
      ...(gsis?.length ? { gsis } : {}), ...(lsis?.length ? { lsis } : {}),
      ...(o.SSESpecificationOverride ?? src.sse ? { sse: o.SSESpecificationOverride ?? src.sse } : {}),
      ...(src.tableClass ? { tableClass: src.tableClass } : {}),
      deletionProtection: false, tags: [], restore: summary,
    });
    for (const item of items) state.putItem(scope, t, t.keyOf(item), item);
    return { ...describe(t, now), TableStatus: 'CREATING' };
  }

  function pitrDescription(t: TableData): T.ContinuousBackupsDescription {
    const p = t.rec.pitr;
    const now = clock.now();
    return {
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: p
        ? { PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: p.days, EarliestRestorableDateTime: new Date(Math.max(p.enabledAt, now - p.days * DAY_MS)), LatestRestorableDateTime: new Date(now) }
        : { PointInTimeRecoveryStatus: 'DISABLED' },
    };
  }

  return {
    CreateBackup(input, ctx) {
      const name = input.BackupName;
      if (name.length < 3 || name.length > 255 || !NAME.test(name)) {
        throw invalid(`1 validation error detected: Value '${name}' at 'backupName' failed to satisfy constraint: Member must ${name.length < 3 ? 'have length greater than or equal to 3' : name.length > 255 ? 'have length less than or equal to 255' : 'satisfy regular expression pattern: [a-zA-Z0-9_.-]+'}`);
      }
      const t = tableOf(ctx, input.TableName);
      const now = clock.now();
      if (now < t.rec.activeAt) throw err('TableInUseException', `Table is being created: ${t.rec.name}`);
      const ttl = t.rec.ttl?.enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: t.rec.ttl.attr } : undefined;
      const b = state.backups.create(scopeOf(ctx), {
        arn: backupArn(t.rec.arn, now), name, type: 'USER', createdAt: now, availableAt: now + delay(), table: t.rec, ...(ttl ? { ttl } : {}),
      }, t);
      return { BackupDetails: details(b, 'CREATING') };
    },

    DescribeBackup(input, ctx) {
      return { BackupDescription: description(backupOf(ctx, input.BackupArn)) };
    },

    ListBackups(input, ctx) {
      checkEnum(input.BackupType, 'backupType', ['USER', 'SYSTEM', 'AWS_BACKUP', 'ALL']);
      if (input.Limit !== undefined && (input.Limit < 1 || input.Limit > 100)) {
        throw invalid(`1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value ${input.Limit < 1 ? 'greater than or equal to 1' : 'less than or equal to 100'}`);
      }
      const type = input.BackupType ?? 'USER';
      const lo = input.TimeRangeLowerBound?.getTime(), hi = input.TimeRangeUpperBound?.getTime();
      const all = state.backups.all(scopeOf(ctx))
        .filter((b) => (type === 'ALL' || b.type === type) && (input.TableName === undefined || b.table.name === input.TableName))
        .filter((b) => (lo === undefined || b.createdAt >= lo) && (hi === undefined || b.createdAt < hi))
        .sort((a, b) => a.createdAt - b.createdAt || (a.arn < b.arn ? -1 : 1));
      let start = 0;
      if (input.ExclusiveStartBackupArn !== undefined) start = all.findIndex((b) => b.arn === input.ExclusiveStartBackupArn) + 1;
      const limit = input.Limit ?? 100;
      const page = all.slice(start, start + limit);
      return {
        BackupSummaries: page.map((b) => ({ TableName: b.table.name, TableId: b.table.id, TableArn: b.table.arn, ...details(b) })),
        ...(start + limit < all.length ? { LastEvaluatedBackupArn: page[page.length - 1]!.arn } : {}),
      };
    },

    DeleteBackup(input, ctx) {
      const b = backupOf(ctx, input.BackupArn);
      if (status(b) === 'CREATING') throw err('BackupInUseException', 'There is another ongoing conflicting backup control plane operation on the table. The backup is either being created, deleted or restored to a table.');
      state.backups.delete(scopeOf(ctx), b);
      return { BackupDescription: description(b, 'DELETED') };
    },

    RestoreTableFromBackup(input, ctx) {
      const b = backupOf(ctx, input.BackupArn);
      if (status(b) === 'CREATING') throw err('BackupInUseException', 'There is another ongoing conflicting backup control plane operation on the table. The backup is either being created, deleted or restored to a table.');
      const now = clock.now();
      const summary = { sourceTableArn: b.table.arn, sourceBackupArn: b.arn, at: b.createdAt, until: now + delay() };
      return { TableDescription: restore(ctx, input.TargetTableName, b.table, state.backups.items(scopeOf(ctx), b), input, summary) };
    },

    UpdateContinuousBackups(input, ctx) {
      const t = tableOf(ctx, input.TableName);
      const spec = input.PointInTimeRecoverySpecification;
      const days = spec.RecoveryPeriodInDays;
      if (days !== undefined && (days < 1 || days > 35)) {
        throw invalid(`1 validation error detected: Value '${days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value ${days < 1 ? 'greater than or equal to 1' : 'less than or equal to 35'}`);
      }
      if (days !== undefined && !spec.PointInTimeRecoveryEnabled) throw invalid('RecoveryPeriodInDays can only be set when PointInTimeRecoveryEnabled is true');
      const scope = scopeOf(ctx);
      if (spec.PointInTimeRecoveryEnabled) {
        t.rec = { ...t.rec, pitr: { enabledAt: t.rec.pitr?.enabledAt ?? clock.now(), days: days ?? t.rec.pitr?.days ?? 35 } };
      } else if (t.rec.pitr) {
        const { pitr: _p, ...rest } = t.rec;
        t.rec = rest;
        state.backups.drop(scope, t.rec.name);
      }
      state.save(scope, t);
      return { ContinuousBackupsDescription: pitrDescription(t) };
    },

    DescribeContinuousBackups(input, ctx) {
      return { ContinuousBackupsDescription: pitrDescription(tableOf(ctx, input.TableName)) };
    },

    RestoreTableToPointInTime(input, ctx) {
      const name = input.SourceTableName ?? (input.SourceTableArn ? tableNameOf(input.SourceTableArn) : undefined);
      if (name === undefined) throw invalid('Either SourceTableArn or SourceTableName must be specified');
      const scope = scopeOf(ctx);
      const t = state.get(scope, name);
      if (!t || t.rec.deletedAt !== undefined) throw err('TableNotFoundException', `Table not found: ${name}`);
      const p = t.rec.pitr;
      if (!p) throw err('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${name}'`);
      if (input.UseLatestRestorableTime && input.RestoreDateTime) throw invalid('Only one of RestoreDateTime or UseLatestRestorableTime can be specified');
      const now = clock.now();
      const earliest = Math.max(p.enabledAt, now - p.days * DAY_MS);
      const at = input.UseLatestRestorableTime || !input.RestoreDateTime ? now : input.RestoreDateTime.getTime();
      if (at < earliest - 999 || at > now) {
        throw err('InvalidRestoreTimeException', `RestoreDateTime must be between EarliestRestorableDateTime (${new Date(earliest).toISOString()}) and LatestRestorableDateTime (${new Date(now).toISOString()})`);
      }
      const summary = { sourceTableArn: t.rec.arn, at, until: now + delay() };
      return { TableDescription: restore(ctx, input.TargetTableName, t.rec, state.backups.itemsAt(scope, t, at), input, summary) };
    },
  };
}

/** A table name, or the name in a table ARN. */
function tableNameOf(nameOrArn: string): string {
  const m = /^arn:aws[\w-]*:dynamodb:[^:]+:\d{12}:table\/([^/]+)$/.exec(nameOrArn);
  return m ? m[1]! : nameOrArn;
}
