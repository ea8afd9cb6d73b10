/**
 * Global tables. Version 2019.11.21: UpdateTable ReplicaUpdates creates a replica — the same
 * table in another region's scope, with the table's indexes, TTL setting and current items,
 * CREATING until the table delay has passed — or deletes one; every write to any replica is then
 * made to all of them (DynamoState.replicate). Version 2017.11.29: CreateGlobalTable,
 * UpdateGlobalTable, DescribeGlobalTable and ListGlobalTables join existing empty tables of the
 * same name into a replication group (records in the account's global scope).
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { arn } from '../../../core/arn.js';
import { REGIONS } from '../../../core/regions.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope, Table } from '../../../state/store.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData, TableRecord } from '../domain/table.js';
import { invalid } from './common.js';

const err = (code: string, msg: string) => new AwsError(code, msg, 400);
const knownRegion = (r: string) => REGIONS.some((x) => x.name === r);

type Member = NonNullable<TableRecord['global']>['regions'][number];

/** Set the group's member list on every member table. */
function setGroup(state: DynamoState, account: string, name: string, version: '2019.11.21' | '2017.11.29', regions: Member[]): void {
  for (const m of regions) {
    const scope = { account, region: m.region };
    const t = state.get(scope, name);
    if (!t) continue;
    if (regions.length > 1) t.rec = { ...t.rec, global: { version, regions } };
    else {
      const { global: _g, ...rest } = t.rec;
      t.rec = rest;
    }
    state.save(scope, t);
  }
}

/** A table leaving its group (DeleteTable of one replica). */
export function leaveGroup(state: DynamoState, scope: Scope, t: TableData): void {
  const g = t.rec.global;
  if (!g) return;
  const rest = g.regions.filter((m) => m.region !== scope.region);
  setGroup(state, scope.account, t.rec.name, g.version, rest);
  if (g.version === '2017.11.29') {
    const records = state.rt.table<GlobalRecord>('globalTables');
    const gs = { account: scope.account, region: '' };
    const rec = records.get(gs, t.rec.name);
    if (rec) records.put(gs, rec.name, { ...rec, regions: rec.regions.filter((r) => r !== scope.region) });
  }
  const { global: _g, ...rec } = t.rec;
  t.rec = rec;
}

/** Open a NEW_AND_OLD_IMAGES stream on a table that has none (replication needs one). */
function ensureStream(state: DynamoState, scope: Scope, t: TableData): void {
  if (t.rec.streamArn) return;
  const m = state.streams.open(scope, t.rec.arn, t.rec.name, 'NEW_AND_OLD_IMAGES', t.rec.keySchema);
  t.rec = { ...t.rec, stream: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' }, streamArn: m.arn, streamLabel: m.label };
}

/** Checks ReplicaUpdates and returns what applies them (run after the rest of UpdateTable). */
export function planReplicaUpdates(state: DynamoState, scope: Scope, t: TableData, updates: T.ReplicationGroupUpdate[], now: number, delay: number): () => void {
  const r = t.rec;
  if (r.global?.version === '2017.11.29') throw invalid('One or more parameter values were invalid: Table is already part of a global table of version 2017.11.29');
  const members = r.global?.regions ?? [{ region: scope.region, activeAt: r.activeAt }];
  const steps: (() => void)[] = [];
  let next = [...members];
  for (const u of updates) {
    if ([u.Create, u.Update, u.Delete].filter(Boolean).length !== 1) throw invalid('One or more parameter values were invalid: One of ReplicationGroupUpdate.Create, ReplicationGroupUpdate.Update or ReplicationGroupUpdate.Delete must be specified');
    const region = (u.Create ?? u.Update ?? u.Delete)!.RegionName;
    if (!knownRegion(region)) throw invalid(`One or more parameter values were invalid: Invalid region: ${region}`);
    const rs = { account: scope.account, region };
    if (u.Create) {
      if (region === scope.region || next.some((m) => m.region === region) || state.get(rs, r.name)) {
        throw invalid(`Failed to create a new replica of table: '${r.name}' because one or more replicas already existed as tables.`);
      }
      if (r.billingMode !== 'PAY_PER_REQUEST') throw invalid('Table write capacity should either be Pay-Per-Request or AutoScaled.');
      if (r.streamArn && r.stream?.StreamViewType !== 'NEW_AND_OLD_IMAGES') throw invalid(`One or more parameter values were invalid: Table: ${r.name} should have stream enabled with NEW_AND_OLD_IMAGES`);
      const create = u.Create;
      next = [...next, { region, activeAt: now + delay }];
      steps.push(() => createReplica(state, scope, t, rs, create, now, delay));
    } else if (u.Delete) {
      if (region === scope.region || !next.some((m) => m.region === region)) throw err('ReplicaNotFoundException', `Replica not found: ${region}`);
      next = next.filter((m) => m.region !== region);
      steps.push(() => {
        const replica = state.get(rs, r.name);
        if (replica && replica.rec.deletedAt === undefined) {
          const { global: _g, ...rec } = replica.rec;
          replica.rec = rec;
          state.markDeleted(rs, replica, now + delay);
        }
      });
    } else {
      const up = u.Update!;
      if (!next.some((m) => m.region === region)) throw err('ReplicaNotFoundException', `Replica not found: ${region}`);
      steps.push(() => {
        const replica = region === scope.region ? t : state.get(rs, r.name);
        if (!replica) return;
        if (up.TableClassOverride) replica.rec = { ...replica.rec, tableClass: up.TableClassOverride };
        if (up.KMSMasterKeyId) replica.rec = { ...replica.rec, sse: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: up.KMSMasterKeyId } };
        state.save(rs, replica);
      });
    }
  }
  return () => {
    ensureStream(state, scope, t);
    state.save(scope, t);
    for (const s of steps) s();
    setGroup(state, scope.account, r.name, '2019.11.21', next);
  };
}

function createReplica(state: DynamoState, scope: Scope, t: TableData, rs: Scope, c: T.CreateReplicationGroupMemberAction, now: number, delay: number): void {
  const r = t.rec;
  const replica = state.create(rs, {
    name: r.name, id: randomUUID(), arn: arn('dynamodb', rs.region, rs.account, `table/${r.name}`),
    keySchema: r.keySchema, attributeDefinitions: r.attributeDefinitions, billingMode: r.billingMode,
    createdAt: now, activeAt: now + delay,
    ...(r.gsis ? { gsis: r.gsis.map(({ backfillAt: _b, activeAt: _a, updatingUntil: _u, ...g }) => g) } : {}),
    ...(r.lsis ? { lsis: r.lsis } : {}),
    ...(c.KMSMasterKeyId ? { sse: { Enabled: true, SSEType: 'KMS', KMSMasterKeyId: c.KMSMasterKeyId } } : r.sse ? { sse: r.sse } : {}),
    ...(c.TableClassOverride ?? r.tableClass ? { tableClass: c.TableClassOverride ?? r.tableClass } : {}),
    ...(r.ttl ? { ttl: r.ttl } : {}),
    deletionProtection: false, tags: [],
  });
  ensureStream(state, rs, replica);
  state.save(rs, replica);
  for (const [key, s] of t.items.entries()) state.putItem(rs, replica, key, s.item, false);
}

/** DescribeTable's view of the other replicas. */
export function replicaDescriptions(rec: TableRecord, region: string, now: number): Partial<T.TableDescription> {
  if (rec.global?.version !== '2019.11.21') return {};
  return {
    GlobalTableVersion: '2019.11.21',
    Replicas: rec.global.regions.filter((m) => m.region !== region).map((m) => ({ RegionName: m.region, ReplicaStatus: now < m.activeAt ? 'CREATING' : 'ACTIVE' })),
  };
}

// ---- version 2017.11.29 ----

interface GlobalRecord { name: string; createdAt: number; regions: string[] }

export function globalTableHandlers(state: DynamoState): T.DynamoDBHandlers {
  const records: Table<GlobalRecord> = state.rt.table<GlobalRecord>('globalTables');
  const clock = state.rt.clock;
  const gscope = (account: string) => ({ account, region: '' });

  const describeGlobal = (account: string, g: GlobalRecord): T.GlobalTableDescription => ({
    ReplicationGroup: g.regions.map((RegionName) => ({ RegionName, ReplicaStatus: 'ACTIVE' })),
    GlobalTableArn: `arn:aws:dynamodb::${account}:global-table/${g.name}`,
    CreationDateTime: new Date(g.createdAt),
    GlobalTableStatus: 'ACTIVE',
    GlobalTableName: g.name,
  });

  /** A region's table that can join a group: it exists, is empty and streams new and old images. */
  function joinable(account: string, region: string, name: string): TableData {
    if (!knownRegion(region)) throw invalid(`One or more parameter values were invalid: Invalid region: ${region}`);
    const t = state.get({ account, region }, name);
    if (!t || t.rec.deletedAt !== undefined) throw err('TableNotFoundException', `Table not found: ${name} in region ${region}`);
    if (t.rec.stream?.StreamViewType !== 'NEW_AND_OLD_IMAGES' || !t.rec.streamArn) throw invalid(`One or more parameter values were invalid: Table: ${name} should have stream enabled with NEW_AND_OLD_IMAGES`);
    if (t.count > 0) throw invalid(`One or more parameter values were invalid: Replica ${region} for table ${name} is not empty`);
    if (t.rec.global) throw err('ReplicaAlreadyExistsException', `Replica already exists: ${region}`);
    return t;
  }

  const join = (account: string, name: string, regions: string[]) =>
    setGroup(state, account, name, '2017.11.29', regions.map((region) => ({ region, activeAt: clock.now() })));

  return {
    CreateGlobalTable(input, ctx) {
      const { account } = scopeOf(ctx);
      const name = input.GlobalTableName;
      if (records.get(gscope(account), name)) throw err('GlobalTableAlreadyExistsException', 'Global table with this name already exists');
      const regions = [...new Set((input.ReplicationGroup ?? []).map((r) => r.RegionName ?? ''))];
      if (!regions.length) throw invalid('One or more parameter values were invalid: ReplicationGroup must not be empty');
      for (const region of regions) joinable(account, region, name);
      const g: GlobalRecord = { name, createdAt: clock.now(), regions };
      records.put(gscope(account), name, g);
      join(account, name, regions);
      return { GlobalTableDescription: describeGlobal(account, g) };
    },

    DescribeGlobalTable(input, ctx) {
      const { account } = scopeOf(ctx);
      const g = records.get(gscope(account), input.GlobalTableName);
      if (!g) throw err('GlobalTableNotFoundException', 'Global table not found');
      return { GlobalTableDescription: describeGlobal(account, g) };
    },

    UpdateGlobalTable(input, ctx) {
      const { account } = scopeOf(ctx);
      const g = records.get(gscope(account), input.GlobalTableName);
      if (!g) throw err('GlobalTableNotFoundException', 'Global table not found');
      let regions = [...g.regions];
      for (const u of input.ReplicaUpdates ?? []) {
        if (u.Create) {
          if (regions.includes(u.Create.RegionName)) throw err('ReplicaAlreadyExistsException', `Replica already exists: ${u.Create.RegionName}`);
          joinable(account, u.Create.RegionName, g.name);
          regions.push(u.Create.RegionName);
        } else if (u.Delete) {
          if (!regions.includes(u.Delete.RegionName)) throw err('ReplicaNotFoundException', `Replica not found: ${u.Delete.RegionName}`);
          regions = regions.filter((r) => r !== u.Delete!.RegionName);
          const rs = { account, region: u.Delete.RegionName };
          const t = state.get(rs, g.name);
          if (t) {
            leaveGroup(state, rs, t);
            state.save(rs, t);
          }
        }
      }
      const next = { ...g, regions };
      records.put(gscope(account), g.name, next);
      join(account, g.name, regions);
      return { GlobalTableDescription: describeGlobal(account, next) };
    },

    ListGlobalTables(input, ctx) {
      const { account } = scopeOf(ctx);
      if (input.Limit !== undefined && input.Limit < 1) throw invalid(`1 validation error detected: Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      const all = [...records.values(gscope(account))]
        .filter((g) => input.RegionName === undefined || g.regions.includes(input.RegionName))
        .filter((g) => input.ExclusiveStartGlobalTableName === undefined || g.name > input.ExclusiveStartGlobalTableName)
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const limit = input.Limit ?? 100;
      const page = all.slice(0, limit);
      return {
        GlobalTables: page.map((g) => ({ GlobalTableName: g.name, ReplicationGroup: g.regions.map((RegionName) => ({ RegionName })) })),
        ...(all.length > limit ? { LastEvaluatedGlobalTableName: page[page.length - 1]!.name } : {}),
      };
    },
  };
}
