/**
 * Dedicated Hosts as state: AllocateHosts / DescribeHosts / ReleaseHosts, and host tenancy for
 * RunInstances through `chooseHost` (Placement.HostId, or auto-placement onto a host with
 * AutoPlacement on). A host's size is approximated by its family's largest non-metal size (e.g. an
 * m5 host has 96 vCPUs, room for 48 m5.large); a host allocated for one instance type takes only
 * that type, one allocated for a family takes any size while vCPUs remain.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, paginate, type FilterFields } from '../common.js';
import { instanceType, instanceTypes } from '../domain/instance-types.js';
import { newId, tagsFor, tagsOut, zonesOf, type Ec2State, type InstanceRec } from '../state.js';

export interface HostRec {
  id: string; az: string; azId: string; family: string; type?: string; vcpus: number; autoPlacement: string; hostRecovery: string;
  allocatedAt: number; releasedAt?: number; tags: { Key: string; Value: string }[];
}

export const hostTable = (st: Ec2State): Table<HostRec> => st.rt.table('dedicated-hosts');

const familyOf = (type: string) => type.split('.')[0]!;
const typeVcpus = (type: string) => instanceType(type)?.VCpuInfo?.DefaultVCpus ?? 1;

/** vCPUs of a host of the family: its largest non-metal size. */
function hostVcpus(family: string): number {
  let max = 0;
  for (const t of instanceTypes()) if (familyOf(t.InstanceType!) === family && !t.BareMetal) max = Math.max(max, t.VCpuInfo?.DefaultVCpus ?? 0);
  return max;
}

function hostInstances(st: Ec2State, scope: Scope, h: HostRec): InstanceRec[] {
  return [...st.instances.values(scope)].filter((i) => i.hostId === h.id && i.state !== 'shutting-down' && st.instanceState(i) !== 'terminated');
}

function freeVcpus(st: Ec2State, scope: Scope, h: HostRec): number {
  return h.vcpus - hostInstances(st, scope, h).reduce((n, i) => n + typeVcpus(i.type), 0);
}

const fitsType = (h: HostRec, type: string) => (h.type ? h.type === type : h.family === familyOf(type));

/** The host a host-tenancy launch of `count` instances of `type` in zone `az` goes to. */
export function chooseHost(st: Ec2State, scope: Scope, hostId: string | undefined, type: string, az: string | undefined, count: number): HostRec {
  const need = typeVcpus(type) * count;
  if (hostId) {
    const h = hostTable(st).get(scope, hostId);
    if (!h || h.releasedAt !== undefined) throw new AwsError('InvalidHostID.NotFound', `The host ID '${hostId}' does not exist`, 400);
    if (az && h.az !== az) throw new AwsError('InvalidParameterCombination', `The host ${h.id} is in availability zone ${h.az}, not in ${az}.`, 400);
    if (!fitsType(h, type)) throw new AwsError('InvalidParameterValue', `The instance type ${type} is not supported by host ${h.id}.`, 400);
    if (freeVcpus(st, scope, h) < need) throw new AwsError('InsufficientHostCapacity', 'There is no Dedicated Host capacity available to fulfill your request.', 400);
    return h;
  }
  const h = [...hostTable(st).values(scope)].find((x) => x.releasedAt === undefined && x.autoPlacement === 'on' && fitsType(x, type) && (!az || x.az === az) && freeVcpus(st, scope, x) >= need);
  if (!h) throw new AwsError('InsufficientHostCapacity', 'There is no Dedicated Host capacity available to fulfill your request.', 400);
  return h;
}

/** The zone of the first auto-placement host with room for one instance of `type` (a host-tenancy launch without a zone goes there). */
export function autoPlacementZone(st: Ec2State, scope: Scope, type: string): string | undefined {
  return [...hostTable(st).values(scope)].find((h) => h.releasedAt === undefined && h.autoPlacement === 'on' && fitsType(h, type) && freeVcpus(st, scope, h) >= typeVcpus(type))?.az;
}

function render(st: Ec2State, scope: Scope, h: HostRec): T.Host {
  const free = h.releasedAt === undefined ? freeVcpus(st, scope, h) : 0;
  const sizes = h.type ? [h.type] : instanceTypes().filter((t) => familyOf(t.InstanceType!) === h.family && !t.BareMetal).map((t) => t.InstanceType!);
  return {
    HostId: h.id, AvailabilityZone: h.az, AvailabilityZoneId: h.azId, AutoPlacement: h.autoPlacement, HostRecovery: h.hostRecovery,
    State: h.releasedAt === undefined ? 'available' : 'released', AllocationTime: new Date(h.allocatedAt),
    ReleaseTime: h.releasedAt !== undefined ? new Date(h.releasedAt) : undefined, OwnerId: scope.account, AllowsMultipleInstanceTypes: h.type ? 'off' : 'on',
    HostMaintenance: 'off', MemberOfServiceLinkedResourceGroup: false, Tags: tagsOut(h.tags) ?? [],
    HostProperties: { InstanceType: h.type, InstanceFamily: h.type ? undefined : h.family, TotalVCpus: h.vcpus, Cores: h.vcpus / 2, Sockets: h.vcpus >= 64 ? 2 : 1 },
    AvailableCapacity: {
      AvailableVCpus: free,
      AvailableInstanceCapacity: sizes.map((t) => ({ InstanceType: t, AvailableCapacity: Math.floor(free / typeVcpus(t)), TotalCapacity: Math.floor(h.vcpus / typeVcpus(t)) })),
    },
    Instances: h.releasedAt === undefined ? hostInstances(st, scope, h).map((i) => ({ InstanceId: i.id, InstanceType: i.type, OwnerId: scope.account })) : [],
  };
}

const FILTERS: FilterFields<T.Host> = {
  'auto-placement': (h) => h.AutoPlacement,
  'availability-zone': (h) => h.AvailabilityZone,
  'host-reservation-id': (h) => h.HostReservationId,
  'client-token': (h) => h.ClientToken,
  'instance-type': (h) => h.HostProperties?.InstanceType,
  state: (h) => h.State,
};

export function hostOperations(st: Ec2State) {
  const table = hostTable(st);
  return {
    AllocateHosts(input: T.AllocateHostsRequest, ctx: RequestContext): T.AllocateHostsResult {
      const scope = st.scope(ctx);
      if (!!input.InstanceType === !!input.InstanceFamily) throw new AwsError('InvalidParameterCombination', 'Specify either instanceType or instanceFamily, but not both.', 400);
      const type = input.InstanceType;
      if (type && !instanceType(type)) throw new AwsError('InvalidParameterValue', `Invalid value '${type}' for InstanceType.`, 400);
      const family = type ? familyOf(type) : input.InstanceFamily!;
      const sample = instanceTypes().find((t) => familyOf(t.InstanceType!) === family);
      if (!sample) throw new AwsError('InvalidParameterValue', `Value (${family}) for parameter instanceFamily is invalid.`, 400);
      if (!sample.DedicatedHostsSupported) throw new AwsError('InvalidParameterValue', `Dedicated Hosts are not supported for the ${family} instance family.`, 400);
      const zones = zonesOf(scope.region);
      const zone = input.AvailabilityZone ? zones.find((z) => z.name === input.AvailabilityZone) : zones.find((z) => z.id === input.AvailabilityZoneId);
      if (!zone) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone ?? input.AvailabilityZoneId ?? ''}]`, 400);
      const quantity = input.Quantity ?? 1;
      if (!Number.isInteger(quantity) || quantity < 1) throw new AwsError('InvalidParameterValue', `Value (${quantity}) for parameter quantity is invalid. Expected a positive integer.`, 400);
      const auto = input.AutoPlacement ?? 'off';
      if (auto !== 'on' && auto !== 'off') throw new AwsError('InvalidParameterValue', `Value (${auto}) for parameter autoPlacement is invalid. Valid values are: on | off`, 400);
      const tags = tagsFor(input.TagSpecifications, 'dedicated-host') as HostRec['tags'];
      const ids: string[] = [];
      for (let k = 0; k < quantity; k++) {
        const h: HostRec = {
          id: newId('h'), az: zone.name, azId: zone.id, family, type, vcpus: hostVcpus(family), autoPlacement: auto,
          hostRecovery: input.HostRecovery ?? 'off', allocatedAt: st.now(), tags,
        };
        table.put(scope, h.id, h);
        ids.push(h.id);
      }
      return { HostIds: ids };
    },

    DescribeHosts(input: T.DescribeHostsRequest, ctx: RequestContext): T.DescribeHostsResult {
      const scope = st.scope(ctx);
      let all = [...table.values(scope)];
      for (const id of input.HostIds ?? []) if (!table.has(scope, id)) throw new AwsError('InvalidHostID.NotFound', `The host ID '${id}' does not exist`, 400);
      if (input.HostIds?.length) all = all.filter((h) => input.HostIds!.includes(h.id));
      const out = applyFilters(all.map((h) => render(st, scope, h)), input.Filter, FILTERS, (h) => h.Tags);
      const { page, NextToken } = paginate(out, input, 5, 500);
      return { Hosts: page, NextToken };
    },

    ReleaseHosts(input: T.ReleaseHostsRequest, ctx: RequestContext): T.ReleaseHostsResult {
      const scope = st.scope(ctx);
      const ok: string[] = [];
      const failed: T.UnsuccessfulItem[] = [];
      for (const id of input.HostIds ?? []) {
        const h = table.get(scope, id);
        if (!h || h.releasedAt !== undefined) {
          failed.push({ ResourceId: id, Error: { Code: 'Client.InvalidHostID.NotFound', Message: `The host ID '${id}' does not exist` } });
        } else if (hostInstances(st, scope, h).length) {
          failed.push({ ResourceId: id, Error: { Code: 'Client.InvalidHost.Occupied', Message: `Dedicated host ${id} has instances on it and cannot be released.` } });
        } else {
          h.releasedAt = st.now();
          table.put(scope, id, h);
          ok.push(id);
        }
      }
      return { Successful: ok, Unsuccessful: failed };
    },
  };
}
