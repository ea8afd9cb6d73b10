/**
 * Placement groups (cluster, spread, partition): Create/Describe/DeletePlacementGroup, and the
 * rules RunInstances applies through `placeInGroup`: a cluster group lives in one zone and needs a
 * type that supports clusters; a spread group holds at most seven running instances per zone; a
 * partition group has 1–7 partitions and fills the least used one unless PartitionNumber is given.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, dryRun, type FilterFields } from '../common.js';
import { instanceType } from '../domain/instance-types.js';
import { newId, tagsFor, tagsOut, type Ec2State, type InstanceRec } from '../state.js';

export interface PgRec { id: string; name: string; strategy: string; partitionCount?: number; spreadLevel?: string; createdAt: number; tags: { Key: string; Value: string }[] }

export const SPREAD_PER_ZONE = 7;
export const MAX_PARTITIONS = 7;

export const pgTable = (st: Ec2State): Table<PgRec> => st.rt.table('placement-groups');

const unknown = (name: string) => new AwsError('InvalidPlacementGroup.Unknown', `The Placement Group '${name}' is unknown.`, 400);

/** A placement group by name or id (RunInstances' Placement.GroupName / GroupId). */
export function findGroup(st: Ec2State, scope: Scope, name?: string, id?: string): PgRec {
  for (const g of pgTable(st).values(scope)) if ((name && g.name === name) || (id && g.id === id)) return g;
  throw unknown(name ?? id ?? '');
}

const live = (st: Ec2State, i: InstanceRec) => {
  const s = st.instanceState(i);
  return s !== 'terminated' && s !== 'shutting-down';
};

export function groupMembers(st: Ec2State, scope: Scope, g: PgRec): InstanceRec[] {
  return [...st.instances.values(scope)].filter((i) => i.placementGroupId === g.id && live(st, i));
}

/**
 * Checks a launch of `count` instances of `type` in zone `az` into the group and returns the
 * partition of each (partition groups), or undefined entries.
 */
export function placeInGroup(st: Ec2State, scope: Scope, g: PgRec, type: string, az: string, count: number, partitionNumber?: number): (number | undefined)[] {
  const members = groupMembers(st, scope, g);
  const strategies = instanceType(type)?.PlacementGroupInfo?.SupportedStrategies ?? [];
  if (!strategies.includes(g.strategy)) {
    throw new AwsError('InvalidParameterCombination', `The instance type ${type} is not supported in a ${g.strategy} placement group.`, 400);
  }
  if (g.strategy === 'cluster') {
    const other = members.find((i) => i.az !== az);
    if (other) throw new AwsError('InvalidPlacementGroup.InUse', `The placement group '${g.name}' is in use in another availability zone: ${other.az}`, 400);
    return Array(count).fill(undefined);
  }
  if (g.strategy === 'spread') {
    const running = members.filter((i) => i.az === az && st.instanceState(i) !== 'stopped').length;
    if (running + count > SPREAD_PER_ZONE) {
      throw new AwsError(
        'InsufficientInstanceCapacity',
        `The requested number of instances exceeds the maximum of ${SPREAD_PER_ZONE} running instances per Availability Zone (${az}) in the spread placement group '${g.name}'.`,
        400,
      );
    }
    return Array(count).fill(undefined);
  }
  const n = g.partitionCount ?? 2;
  if (partitionNumber !== undefined && (partitionNumber < 1 || partitionNumber > n)) {
    throw new AwsError('InvalidParameterValue', `Partition number ${partitionNumber} is not valid for the placement group '${g.name}', which has ${n} partitions.`, 400);
  }
  const used = Array.from({ length: n }, (_, k) => members.filter((i) => i.partition === k + 1).length);
  return Array.from({ length: count }, () => {
    if (partitionNumber !== undefined) return partitionNumber;
    const k = used.indexOf(Math.min(...used));
    used[k]!++;
    return k + 1;
  });
}

function render(scope: Scope, g: PgRec): T.PlacementGroup {
  return {
    GroupName: g.name, GroupId: g.id, State: 'available', Strategy: g.strategy, PartitionCount: g.partitionCount,
    SpreadLevel: g.spreadLevel, Tags: tagsOut(g.tags) ?? [], GroupArn: `arn:aws:ec2:${scope.region}:${scope.account}:placement-group/${g.name}`,
  };
}

const FILTERS: FilterFields<T.PlacementGroup> = {
  'group-name': (g) => g.GroupName,
  'group-id': (g) => g.GroupId,
  'group-arn': (g) => g.GroupArn,
  state: (g) => g.State,
  strategy: (g) => g.Strategy,
  'spread-level': (g) => g.SpreadLevel,
};

export function placementGroupOperations(st: Ec2State) {
  const table = pgTable(st);
  return {
    CreatePlacementGroup(input: T.CreatePlacementGroupRequest, ctx: RequestContext): T.CreatePlacementGroupResult {
      const scope = st.scope(ctx);
      const name = input.GroupName;
      if (!name) throw new AwsError('MissingParameter', 'The request must contain the parameter groupName', 400);
      if (name.length > 255) throw new AwsError('InvalidParameterValue', `Invalid value '${name}' for groupName. Length exceeds maximum of 255`, 400);
      const strategy = input.Strategy;
      if (!strategy || !['cluster', 'spread', 'partition'].includes(strategy)) {
        throw new AwsError('InvalidParameterValue', `Value (${strategy}) for parameter strategy is invalid. Valid values are: cluster | spread | partition`, 400);
      }
      if (input.PartitionCount !== undefined) {
        if (strategy !== 'partition') throw new AwsError('InvalidParameterCombination', 'PartitionCount can only be specified with the partition strategy.', 400);
        if (!Number.isInteger(input.PartitionCount) || input.PartitionCount < 1 || input.PartitionCount > MAX_PARTITIONS) {
          throw new AwsError('InvalidParameterValue', `Value (${input.PartitionCount}) for parameter partitionCount is invalid. Valid range is 1 to ${MAX_PARTITIONS}.`, 400);
        }
      }
      if (input.SpreadLevel !== undefined) {
        if (strategy !== 'spread') throw new AwsError('InvalidParameterCombination', 'SpreadLevel can only be specified with the spread strategy.', 400);
        if (input.SpreadLevel !== 'rack' && input.SpreadLevel !== 'host') throw new AwsError('InvalidParameterValue', `Value (${input.SpreadLevel}) for parameter spreadLevel is invalid. Valid values are: host | rack`, 400);
      }
      if ([...table.values(scope)].some((g) => g.name === name)) throw new AwsError('InvalidPlacementGroup.Duplicate', `The placement group '${name}' already exists.`, 400);
      const tags = tagsFor(input.TagSpecifications, 'placement-group') as PgRec['tags'];
      dryRun(input);
      const g: PgRec = {
        id: newId('pg'), name, strategy, partitionCount: strategy === 'partition' ? (input.PartitionCount ?? 2) : undefined,
        spreadLevel: strategy === 'spread' ? (input.SpreadLevel ?? 'rack') : undefined, createdAt: st.now(), tags,
      };
      table.put(scope, g.id, g);
      return { PlacementGroup: render(scope, g) };
    },

    DescribePlacementGroups(input: T.DescribePlacementGroupsRequest, ctx: RequestContext): T.DescribePlacementGroupsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...table.values(scope)];
      for (const n of input.GroupNames ?? []) if (!all.some((g) => g.name === n)) throw unknown(n);
      for (const id of input.GroupIds ?? []) {
        if (!all.some((g) => g.id === id)) throw new AwsError('InvalidPlacementGroupId.NotFound', `The placement group ID '${id}' does not exist`, 400);
      }
      if (input.GroupNames?.length) all = all.filter((g) => input.GroupNames!.includes(g.name));
      if (input.GroupIds?.length) all = all.filter((g) => input.GroupIds!.includes(g.id));
      return { PlacementGroups: applyFilters(all.map((g) => render(scope, g)), input.Filters, FILTERS, (g) => g.Tags) };
    },

    DeletePlacementGroup(input: T.DeletePlacementGroupRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const g = findGroup(st, scope, input.GroupName ?? '');
      if (groupMembers(st, scope, g).length) throw new AwsError('InvalidPlacementGroup.InUse', `The placement group '${g.name}' is in use and may not be deleted.`, 400);
      dryRun(input);
      table.delete(scope, g.id);
    },
  };
}
