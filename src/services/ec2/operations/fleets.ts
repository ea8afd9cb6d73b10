/**
 * EC2 Fleet (CreateFleet instant/request/maintain, DescribeFleets, DescribeFleetInstances,
 * DeleteFleets) and Spot Fleet (RequestSpotFleet, DescribeSpotFleetRequests,
 * DescribeSpotFleetInstances, CancelSpotFleetRequests). A fleet fills its On-Demand and Spot
 * target capacity (in units: WeightedCapacity per instance) from its launch template overrides or
 * launch specifications — On-Demand by lowest estimated price or priority, Spot by the lowest
 * current Spot price (Spot instances go through RunInstances' Spot market options, so their Spot
 * requests and interruptions are spot.ts's). A `maintain` fleet replaces instances that are gone
 * whenever it is looked at; deleting or cancelling can terminate the instances.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, dryRun, type FilterFields } from '../common.js';
import { currentSpotPrice, onDemandPrice } from '../domain/spot-prices.js';
import { tagsFor, type Ec2State } from '../state.js';
import { withLaunchTemplate } from './launch-templates.js';
import { launch } from './launch.js';
import { release, setState } from './instance-ops.js';

/** One way to launch a unit of capacity: a RunInstances input and its weight. */
interface Pool { input: T.RunInstancesRequest; weight: number; priority: number; maxPrice?: string; template?: { id: string; name: string; version: string }; source: Record<string, unknown> }
interface FleetInstance { id: string; lifecycle: 'on-demand' | 'spot'; pool: number }
interface FleetRec {
  id: string; kind: 'fleet' | 'spot-fleet'; type: string; onDemandTarget: number; spotTarget: number; pools: Pool[]; onDemandStrategy: string;
  instances: FleetInstance[]; errors: { code: string; message: string; lifecycle: string }[]; config: Record<string, unknown>;
  createdAt: number; deletedAt?: number; terminate?: boolean; tags: { Key: string; Value: string }[]; clientToken?: string;
}

const fleetTable = (st: Ec2State): Table<FleetRec> => st.rt.table('fleets');

const live = (st: Ec2State, scope: Scope, id: string) => {
  const i = st.instances.get(scope, id);
  const s = i ? st.instanceState(i) : 'terminated';
  return s !== 'terminated' && s !== 'shutting-down';
};

function fulfilled(st: Ec2State, scope: Scope, f: FleetRec, lifecycle?: string): number {
  return f.instances.filter((x) => (!lifecycle || x.lifecycle === lifecycle) && live(st, scope, x.id)).reduce((n, x) => n + (f.pools[x.pool]?.weight ?? 1), 0);
}

/** Pools in the order a lifecycle fills them. */
function order(st: Ec2State, f: FleetRec, lifecycle: 'on-demand' | 'spot'): number[] {
  const idx = f.pools.map((_, k) => k);
  const az = (p: Pool) => p.input.Placement?.AvailabilityZone ?? '';
  if (lifecycle === 'spot') return idx.sort((a, b) => currentSpotPrice(f.pools[a]!.input.InstanceType!, az(f.pools[a]!) || 'x', st.now())! / f.pools[a]!.weight - currentSpotPrice(f.pools[b]!.input.InstanceType!, az(f.pools[b]!) || 'x', st.now())! / f.pools[b]!.weight);
  if (f.onDemandStrategy === 'prioritized') return idx.sort((a, b) => f.pools[a]!.priority - f.pools[b]!.priority);
  return idx.sort((a, b) => (onDemandPrice(f.pools[a]!.input.InstanceType!) ?? 1) / f.pools[a]!.weight - (onDemandPrice(f.pools[b]!.input.InstanceType!) ?? 1) / f.pools[b]!.weight);
}

/** Launches until each lifecycle reaches its target; failures of a pool move on to the next one. */
function fill(st: Ec2State, scope: Scope, f: FleetRec): void {
  for (const lifecycle of ['on-demand', 'spot'] as const) {
    const target = lifecycle === 'spot' ? f.spotTarget : f.onDemandTarget;
    for (const k of order(st, f, lifecycle)) {
      const p = f.pools[k]!;
      const missing = target - fulfilled(st, scope, f, lifecycle);
      if (missing <= 0) break;
      const count = Math.ceil(missing / p.weight);
      const input: T.RunInstancesRequest = { ...p.input, MinCount: 1, MaxCount: count };
      if (lifecycle === 'spot') input.InstanceMarketOptions = { MarketType: 'spot', SpotOptions: { MaxPrice: p.maxPrice, SpotInstanceType: 'one-time' } };
      try {
        const r = launch(st, scope, input, { template: p.template });
        for (const i of r.Instances ?? []) f.instances.push({ id: i.InstanceId!, lifecycle, pool: k });
      } catch (e) {
        if (!(e instanceof AwsError)) throw e;
        f.errors.push({ code: e.code, message: e.message, lifecycle });
      }
    }
  }
}

/** The pools of a CreateFleet request: each template config × its overrides (or the template alone). */
function fleetPools(st: Ec2State, scope: Scope, configs: T.FleetLaunchTemplateConfigRequest[]): Pool[] {
  const pools: Pool[] = [];
  for (const c of configs) {
    const spec = c.LaunchTemplateSpecification;
    if (!spec?.LaunchTemplateId && !spec?.LaunchTemplateName) throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateSpecification', 400);
    if (!spec.Version) throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateSpecification.Version', 400);
    for (const o of c.Overrides?.length ? c.Overrides : [{} as T.FleetLaunchTemplateOverridesRequest]) {
      const base: T.RunInstancesRequest = { MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: spec.LaunchTemplateId, LaunchTemplateName: spec.LaunchTemplateName, Version: spec.Version } };
      if (o.InstanceType) base.InstanceType = o.InstanceType;
      if (o.ImageId) base.ImageId = o.ImageId;
      if (o.SubnetId) base.SubnetId = o.SubnetId;
      if (o.AvailabilityZone || o.Placement) base.Placement = { ...o.Placement, AvailabilityZone: o.AvailabilityZone ?? o.Placement?.AvailabilityZone };
      const { input, template } = withLaunchTemplate(st, scope, base);
      if (!input.InstanceType || !input.ImageId) throw new AwsError('InvalidParameterValue', 'The launch template and overrides must give an instance type and an image.', 400);
      pools.push({ input, template, weight: o.WeightedCapacity ?? 1, priority: o.Priority ?? Number.MAX_SAFE_INTEGER, maxPrice: o.MaxPrice, source: { LaunchTemplateSpecification: spec, Overrides: o } });
    }
  }
  if (!pools.length) throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateConfigs', 400);
  return pools;
}

function renderOverrides(p: Pool): T.LaunchTemplateAndOverridesResponse {
  const s = p.source as { LaunchTemplateSpecification?: T.FleetLaunchTemplateSpecification; Overrides?: T.FleetLaunchTemplateOverrides };
  return { LaunchTemplateSpecification: s.LaunchTemplateSpecification, Overrides: s.Overrides };
}

function state(f: FleetRec, running: string, deletedRunning: string, deletedTerminating: string): string {
  if (f.deletedAt === undefined) return running;
  return f.terminate ? deletedTerminating : deletedRunning;
}

function endFleet(st: Ec2State, scope: Scope, f: FleetRec, terminate: boolean): void {
  f.deletedAt = st.now();
  f.terminate = terminate;
  if (terminate) {
    for (const x of f.instances) {
      const i = st.instances.get(scope, x.id);
      if (i && live(st, scope, x.id)) {
        release(st, scope, i);
        setState(st, scope, i, 'shutting-down');
      }
    }
  }
  fleetTable(st).put(scope, f.id, f);
}

/** A maintain fleet replaces what is gone whenever it is looked at. */
function maintain(st: Ec2State, scope: Scope, f: FleetRec): void {
  if (f.type !== 'maintain' || f.deletedAt !== undefined) return;
  if (fulfilled(st, scope, f, 'on-demand') >= f.onDemandTarget && fulfilled(st, scope, f, 'spot') >= f.spotTarget) return;
  f.instances = f.instances.filter((x) => live(st, scope, x.id));
  fill(st, scope, f);
  fleetTable(st).put(scope, f.id, f);
}

export function fleetOperations(st: Ec2State) {
  const table = fleetTable(st);
  const find = (scope: Scope, kind: FleetRec['kind'], id: string) => {
    const f = table.get(scope, id);
    return f && f.kind === kind ? f : undefined;
  };

  return {
    CreateFleet(input: T.CreateFleetRequest, ctx: RequestContext): T.CreateFleetResult {
      const scope = st.scope(ctx);
      const type = input.Type ?? 'maintain';
      if (!['instant', 'request', 'maintain'].includes(type)) throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter type is invalid. Valid values are: instant | request | maintain`, 400);
      const t = input.TargetCapacitySpecification;
      if (!t || !Number.isInteger(t.TotalTargetCapacity) || t.TotalTargetCapacity < 0) throw new AwsError('InvalidParameterValue', 'TotalTargetCapacity must be a non-negative integer.', 400);
      const def = t.DefaultTargetCapacityType ?? 'on-demand';
      if (def !== 'on-demand' && def !== 'spot') throw new AwsError('InvalidParameterValue', `Value (${def}) for parameter DefaultTargetCapacityType is invalid. Valid values are: spot | on-demand`, 400);
      let onDemand = t.OnDemandTargetCapacity ?? 0;
      let spot = t.SpotTargetCapacity ?? 0;
      if (onDemand + spot > t.TotalTargetCapacity) throw new AwsError('InvalidTargetCapacitySpecification', 'The sum of OnDemandTargetCapacity and SpotTargetCapacity exceeds TotalTargetCapacity.', 400);
      if (def === 'on-demand') onDemand = t.TotalTargetCapacity - spot;
      else spot = t.TotalTargetCapacity - onDemand;
      if (input.ClientToken) {
        const prior = [...table.values(scope)].find((f) => f.clientToken === input.ClientToken);
        if (prior) return { FleetId: prior.id };
      }
      const pools = fleetPools(st, scope, input.LaunchTemplateConfigs ?? []);
      const tags = tagsFor(input.TagSpecifications, 'fleet') as FleetRec['tags'];
      dryRun(input);
      const f: FleetRec = {
        id: `fleet-${randomUUID()}`, kind: 'fleet', type, onDemandTarget: onDemand, spotTarget: spot, pools, onDemandStrategy: input.OnDemandOptions?.AllocationStrategy ?? 'lowest-price',
        instances: [], errors: [], config: { TargetCapacitySpecification: { ...t, DefaultTargetCapacityType: def }, LaunchTemplateConfigs: input.LaunchTemplateConfigs, ExcessCapacityTerminationPolicy: input.ExcessCapacityTerminationPolicy, ReplaceUnhealthyInstances: input.ReplaceUnhealthyInstances, TerminateInstancesWithExpiration: input.TerminateInstancesWithExpiration, OnDemandOptions: input.OnDemandOptions, SpotOptions: input.SpotOptions },
        createdAt: st.now(), tags, clientToken: input.ClientToken,
      };
      fill(st, scope, f);
      table.put(scope, f.id, f);
      const out: T.CreateFleetResult = { FleetId: f.id };
      if (type === 'instant') {
        const groups = new Map<string, T.CreateFleetInstance>();
        for (const x of f.instances) {
          const key = `${x.pool}/${x.lifecycle}`;
          const g = groups.get(key) ?? { LaunchTemplateAndOverrides: renderOverrides(f.pools[x.pool]!), Lifecycle: x.lifecycle, InstanceIds: [], InstanceType: f.pools[x.pool]!.input.InstanceType, Platform: undefined };
          g.InstanceIds!.push(x.id);
          groups.set(key, g);
        }
        out.Instances = [...groups.values()];
        out.Errors = f.errors.map((e) => ({ ErrorCode: e.code, ErrorMessage: e.message, Lifecycle: e.lifecycle }));
      }
      return out;
    },

    DescribeFleets(input: T.DescribeFleetsRequest, ctx: RequestContext): T.DescribeFleetsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...table.values(scope)].filter((f) => f.kind === 'fleet');
      if (input.FleetIds?.length) all = all.filter((f) => input.FleetIds!.includes(f.id));
      for (const f of all) maintain(st, scope, f);
      const rows = all.map((f): T.FleetData => {
        const have = fulfilled(st, scope, f);
        const c = f.config as Partial<T.FleetData>;
        return {
          FleetId: f.id, Type: f.type, FleetState: state(f, 'active', 'deleted_running', 'deleted_terminating'), CreateTime: new Date(f.createdAt),
          ActivityStatus: have >= f.onDemandTarget + f.spotTarget ? 'fulfilled' : f.instances.length ? 'pending_fulfillment' : 'error',
          FulfilledCapacity: have, FulfilledOnDemandCapacity: fulfilled(st, scope, f, 'on-demand'), TargetCapacitySpecification: c.TargetCapacitySpecification,
          LaunchTemplateConfigs: c.LaunchTemplateConfigs, ExcessCapacityTerminationPolicy: c.ExcessCapacityTerminationPolicy ?? 'termination',
          ReplaceUnhealthyInstances: c.ReplaceUnhealthyInstances ?? false, TerminateInstancesWithExpiration: c.TerminateInstancesWithExpiration ?? false,
          OnDemandOptions: { AllocationStrategy: f.onDemandStrategy }, SpotOptions: { AllocationStrategy: 'lowest-price' }, ClientToken: f.clientToken, Tags: f.tags,
          Errors: f.errors.map((e) => ({ ErrorCode: e.code, ErrorMessage: e.message, Lifecycle: e.lifecycle })),
          Instances: f.type === 'instant' ? f.pools.map((p, k) => ({ LaunchTemplateAndOverrides: renderOverrides(p), InstanceIds: f.instances.filter((x) => x.pool === k).map((x) => x.id), InstanceType: p.input.InstanceType })).filter((g) => g.InstanceIds.length) : undefined,
        };
      });
      const fields: FilterFields<T.FleetData> = {
        'activity-status': (f) => f.ActivityStatus, 'fleet-state': (f) => f.FleetState, type: (f) => f.Type,
        'excess-capacity-termination-policy': (f) => f.ExcessCapacityTerminationPolicy, 'replace-unhealthy-instances': (f) => String(f.ReplaceUnhealthyInstances),
      };
      return { Fleets: applyFilters(rows, input.Filters, fields, (f) => f.Tags) };
    },

    DescribeFleetInstances(input: T.DescribeFleetInstancesRequest, ctx: RequestContext): T.DescribeFleetInstancesResult {
      const scope = st.scope(ctx);
      const f = find(scope, 'fleet', input.FleetId);
      if (!f) throw new AwsError('InvalidFleetId.NotFound', `The fleet ID '${input.FleetId}' does not exist`, 400);
      maintain(st, scope, f);
      return { FleetId: f.id, ActiveInstances: activeInstances(st, scope, f) };
    },

    DeleteFleets(input: T.DeleteFleetsRequest, ctx: RequestContext): T.DeleteFleetsResult {
      const scope = st.scope(ctx);
      if (input.TerminateInstances === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter TerminateInstances', 400);
      dryRun(input);
      const ok: T.DeleteFleetSuccessItem[] = [];
      const failed: T.DeleteFleetErrorItem[] = [];
      for (const id of input.FleetIds ?? []) {
        const f = find(scope, 'fleet', id);
        if (!f || f.deletedAt !== undefined) {
          failed.push({ FleetId: id, Error: { Code: 'fleetIdDoesNotExist', Message: `The fleet ID '${id}' does not exist` } });
          continue;
        }
        endFleet(st, scope, f, input.TerminateInstances);
        ok.push({ FleetId: id, PreviousFleetState: 'active', CurrentFleetState: input.TerminateInstances ? 'deleted_terminating' : 'deleted_running' });
      }
      return { SuccessfulFleetDeletions: ok, UnsuccessfulFleetDeletions: failed };
    },

    RequestSpotFleet(input: T.RequestSpotFleetRequest, ctx: RequestContext): T.RequestSpotFleetResponse {
      const scope = st.scope(ctx);
      const c = input.SpotFleetRequestConfig;
      if (!c?.IamFleetRole) throw new AwsError('MissingParameter', 'The request must contain the parameter IamFleetRole', 400);
      if (!Number.isInteger(c.TargetCapacity) || c.TargetCapacity < 0) throw new AwsError('InvalidParameterValue', 'TargetCapacity must be a non-negative integer.', 400);
      const type = c.Type ?? 'maintain';
      if (type !== 'request' && type !== 'maintain') throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter type is invalid. Valid values are: request | maintain`, 400);
      const onDemand = c.OnDemandTargetCapacity ?? 0;
      if (onDemand > c.TargetCapacity) throw new AwsError('InvalidSpotFleetRequestConfig', 'OnDemandTargetCapacity cannot be greater than TargetCapacity.', 400);
      let pools: Pool[];
      if (c.LaunchSpecifications?.length) {
        pools = c.LaunchSpecifications.map((s) => ({
          input: {
            MinCount: 1, MaxCount: 1, ImageId: s.ImageId, InstanceType: s.InstanceType, SubnetId: s.SubnetId, KeyName: s.KeyName, UserData: s.UserData,
            SecurityGroupIds: s.SecurityGroups?.map((g) => g.GroupId!).filter(Boolean), BlockDeviceMappings: s.BlockDeviceMappings, IamInstanceProfile: s.IamInstanceProfile,
            Placement: s.Placement?.AvailabilityZone ? { AvailabilityZone: s.Placement.AvailabilityZone } : undefined, NetworkInterfaces: s.NetworkInterfaces,
          },
          weight: s.WeightedCapacity ?? 1, priority: 0, maxPrice: s.SpotPrice ?? c.SpotPrice, source: s as Record<string, unknown>,
        }));
      } else pools = fleetPools(st, scope, (c.LaunchTemplateConfigs ?? []) as T.FleetLaunchTemplateConfigRequest[]);
      for (const p of pools) if (!p.input.ImageId || !p.input.InstanceType) throw new AwsError('InvalidSpotFleetRequestConfig', 'Each launch specification needs an ImageId and an InstanceType.', 400);
      const tags = tagsFor(input.SpotFleetRequestConfig.TagSpecifications, 'spot-fleet-request') as FleetRec['tags'];
      dryRun(input);
      const f: FleetRec = {
        id: `sfr-${randomUUID()}`, kind: 'spot-fleet', type, onDemandTarget: onDemand, spotTarget: c.TargetCapacity - onDemand, pools,
        onDemandStrategy: c.OnDemandAllocationStrategy ?? 'lowestPrice', instances: [], errors: [], config: c as unknown as Record<string, unknown>,
        createdAt: st.now(), tags, clientToken: c.ClientToken,
      };
      fill(st, scope, f);
      table.put(scope, f.id, f);
      return { SpotFleetRequestId: f.id };
    },

    DescribeSpotFleetRequests(input: T.DescribeSpotFleetRequestsRequest, ctx: RequestContext): T.DescribeSpotFleetRequestsResponse {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...table.values(scope)].filter((f) => f.kind === 'spot-fleet');
      for (const id of input.SpotFleetRequestIds ?? []) {
        if (!all.some((f) => f.id === id)) throw new AwsError('InvalidSpotFleetRequestId.NotFound', `The spot fleet request ID '${id}' does not exist`, 400);
      }
      if (input.SpotFleetRequestIds?.length) all = all.filter((f) => input.SpotFleetRequestIds!.includes(f.id));
      for (const f of all) maintain(st, scope, f);
      return {
        SpotFleetRequestConfigs: all.map((f) => ({
          SpotFleetRequestId: f.id, SpotFleetRequestState: state(f, 'active', 'cancelled_running', 'cancelled_terminating'), CreateTime: new Date(f.createdAt),
          ActivityStatus: fulfilled(st, scope, f) >= f.onDemandTarget + f.spotTarget ? 'fulfilled' : f.instances.length ? 'pending_fulfillment' : 'error',
          SpotFleetRequestConfig: { ...(f.config as unknown as T.SpotFleetRequestConfigData), FulfilledCapacity: fulfilled(st, scope, f), OnDemandFulfilledCapacity: fulfilled(st, scope, f, 'on-demand'), Type: f.type },
          Tags: f.tags,
        })),
      };
    },

    DescribeSpotFleetInstances(input: T.DescribeSpotFleetInstancesRequest, ctx: RequestContext): T.DescribeSpotFleetInstancesResponse {
      const scope = st.scope(ctx);
      const f = find(scope, 'spot-fleet', input.SpotFleetRequestId);
      if (!f) throw new AwsError('InvalidSpotFleetRequestId.NotFound', `The spot fleet request ID '${input.SpotFleetRequestId}' does not exist`, 400);
      maintain(st, scope, f);
      return { SpotFleetRequestId: f.id, ActiveInstances: activeInstances(st, scope, f) };
    },

    CancelSpotFleetRequests(input: T.CancelSpotFleetRequestsRequest, ctx: RequestContext): T.CancelSpotFleetRequestsResponse {
      const scope = st.scope(ctx);
      if (input.TerminateInstances === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter TerminateInstances', 400);
      dryRun(input);
      const ok: T.CancelSpotFleetRequestsSuccessItem[] = [];
      const failed: T.CancelSpotFleetRequestsErrorItem[] = [];
      for (const id of input.SpotFleetRequestIds ?? []) {
        const f = find(scope, 'spot-fleet', id);
        if (!f || f.deletedAt !== undefined) {
          failed.push({ SpotFleetRequestId: id, Error: { Code: 'fleetRequestIdDoesNotExist', Message: `The spot fleet request ID '${id}' does not exist` } });
          continue;
        }
        endFleet(st, scope, f, input.TerminateInstances);
        ok.push({ SpotFleetRequestId: id, PreviousSpotFleetRequestState: 'active', CurrentSpotFleetRequestState: input.TerminateInstances ? 'cancelled_terminating' : 'cancelled_running' });
      }
      return { SuccessfulFleetRequests: ok, UnsuccessfulFleetRequests: failed };
    },
  };
}

function activeInstances(st: Ec2State, scope: Scope, f: FleetRec): T.ActiveInstance[] {
  return f.instances.filter((x) => live(st, scope, x.id)).map((x) => {
    const i = st.instances.get(scope, x.id)!;
    return { InstanceId: i.id, InstanceType: i.type, SpotInstanceRequestId: i.spotRequestId, InstanceHealth: 'healthy' };
  });
}

