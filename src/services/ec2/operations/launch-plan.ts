/**
 * What RunInstances decides before it creates anything: the network (instance-level subnet and
 * groups, or NetworkInterfaces — new interfaces with their addresses, or an existing interface —
 * checked against the type's interface and address limits), the zone (subnet, Placement, a
 * targeted reservation or host, else the first zone of the default VPC that offers the type),
 * and the instance store volumes a type brings.
 */
import { randomUUID } from 'node:crypto';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import type { InstanceTypeInfo } from '../generated/types.js';
import { freeAddresses, typeLimits } from '../domain/interfaces.js';
import { offeredIn } from '../domain/offerings.js';
import { zonesOf, type Ec2State, type EniRec, type InstanceRec, type SubnetRec } from '../state.js';
import { addressPlan, eniById, eniGroups } from './network-interfaces.js';
import { crTable } from './capacity-reservations.js';
import { autoPlacementZone, hostTable } from './hosts.js';

export interface NicPlan {
  index: number; subnet: SubnetRec; sgIds: string[]; named: string[]; extra: number; existing?: EniRec;
  deleteOnTermination: boolean; description: string; interfaceType?: string;
}
export interface NetworkPlan { subnet: SubnetRec; associatePublic: boolean; nics: NicPlan[] }

/** The zone a launch without a subnet goes to: Placement, a targeted reservation or host, else the first zone offering the type. */
function zoneHint(st: Ec2State, scope: Scope, input: T.RunInstancesRequest): string | undefined {
  if (input.Placement?.AvailabilityZone) return input.Placement.AvailabilityZone;
  if (input.Placement?.AvailabilityZoneId) return zonesOf(scope.region).find((z) => z.id === input.Placement!.AvailabilityZoneId)?.name ?? input.Placement.AvailabilityZoneId;
  const cr = input.CapacityReservationSpecification?.CapacityReservationTarget?.CapacityReservationId;
  if (cr) return crTable(st).get(scope, cr)?.az;
  if (input.Placement?.HostId) return hostTable(st).get(scope, input.Placement.HostId)?.az;
  if (input.Placement?.Tenancy === 'host') return autoPlacementZone(st, scope, input.InstanceType ?? 'm1.small');
  return undefined;
}

/** Subnet of a launch: the given one, or the default VPC's default subnet in the zone. */
function launchSubnet(st: Ec2State, scope: Scope, subnetId: string | undefined, az: string | undefined, type: string): SubnetRec {
  if (subnetId) {
    const s = st.subnet(scope, subnetId);
    if (az && az !== s.az) throw new AwsError('InvalidParameterCombination', `The specified subnet ${s.id} is in availability zone ${s.az}, not in ${az}.`, 400);
    return s;
  }
  const vpcId = st.defaultVpcId(scope);
  if (!vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.', 400);
  const zones = zonesOf(scope.region);
  if (az && !zones.some((z) => z.name === az)) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${az}]`, 400);
  const subnets = [...st.subnets.values(scope)].filter((s) => s.vpcId === vpcId && s.defaultForAz).sort((a, b) => (a.az < b.az ? -1 : 1));
  // Without a zone, AWS picks one that offers the type.
  const s = az ? subnets.find((x) => x.az === az) : (subnets.find((x) => offeredIn(type, scope.region, { name: x.az, id: x.azId })) ?? subnets[0]);
  if (!s) throw new AwsError('MissingInput', 'No subnets found for the default VPC ' + vpcId + '. Please specify a subnet.', 400);
  return s;
}

function instanceGroups(st: Ec2State, scope: Scope, s: SubnetRec, ids: string[] | undefined, names: string[] | undefined): string[] {
  const out: string[] = [];
  for (const id of ids ?? []) {
    const g = st.sg(scope, id);
    if (g.vpcId !== s.vpcId) throw new AwsError('InvalidParameter', `Security group ${g.id} and subnet ${s.id} belong to different networks.`, 400);
    out.push(g.id);
  }
  if (names?.length) {
    const vpc = st.vpc(scope, s.vpcId);
    if (!vpc.isDefault) throw new AwsError('InvalidParameterCombination', 'The parameter groupName cannot be used with the parameter subnet', 400);
    for (const name of names) {
      const g = [...st.sgs.values(scope)].find((x) => x.vpcId === vpc.id && x.name === name);
      if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc.id}'`, 400);
      out.push(g.id);
    }
  }
  if (!out.length) out.push(st.defaultSg(scope, s.vpcId)!.id);
  return [...new Set(out)];
}

export function planNetwork(st: Ec2State, scope: Scope, input: T.RunInstancesRequest, type: string, max: number): NetworkPlan {
  const specs = input.NetworkInterfaces ?? [];
  const primary = specs.find((n) => (n.DeviceIndex ?? 0) === 0);
  if (specs.length && !primary) throw new AwsError('InvalidParameterValue', 'Each instance must have a network interface at device index 0.', 400);
  if (primary && (input.SubnetId || input.SecurityGroupIds?.length || input.SecurityGroups?.length)) {
    throw new AwsError('InvalidParameterCombination', 'Network interfaces and an instance-level subnet ID or security groups may not be specified on the same request', 400);
  }
  const indexes = specs.map((n) => n.DeviceIndex ?? 0);
  const dup = indexes.find((x, k) => indexes.indexOf(x) !== k);
  if (dup !== undefined) throw new AwsError('InvalidParameterValue', `Each network interface requires a unique device index. Device index ${dup} is used more than once.`, 400);
  if (specs.some((n) => n.AssociatePublicIpAddress !== undefined && (n.DeviceIndex ?? 0) !== 0)) {
    throw new AwsError('InvalidParameterCombination', 'The associatePublicIPAddress parameter can only be specified for the network interface with DeviceIndex 0.', 400);
  }
  if (specs.length > 1 && primary?.AssociatePublicIpAddress) {
    throw new AwsError('InvalidParameterCombination', 'The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.', 400);
  }
  const limits = typeLimits(type);
  if (specs.length > limits.interfaces) throw new AwsError('AttachmentLimitExceeded', `Interface count ${specs.length} exceeds the limit for ${type}`, 400);
  if (specs.some((n) => n.NetworkInterfaceId) && max > 1) {
    throw new AwsError('InvalidParameterCombination', 'Network interface IDs cannot be specified when launching more than one instance.', 400);
  }

  const existing = primary?.NetworkInterfaceId ? eniById(st, scope, primary.NetworkInterfaceId) : undefined;
  if (existing && (existing.instanceId || existing.vpceId)) throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${existing.id}] in use.`, 400);
  if (existing && (primary!.SubnetId || primary!.Groups?.length || primary!.PrivateIpAddress)) {
    throw new AwsError('InvalidParameterCombination', 'A network interface ID cannot be specified together with a subnet, security groups or private IP addresses for the same interface.', 400);
  }
  const subnet = existing ? st.subnet(scope, existing.subnetId) : launchSubnet(st, scope, primary?.SubnetId ?? input.SubnetId, zoneHint(st, scope, input), type);
  if (!existing && input.Placement?.AvailabilityZone && input.Placement.AvailabilityZone !== subnet.az) {
    throw new AwsError('InvalidParameterCombination', `The specified subnet ${subnet.id} is in availability zone ${subnet.az}, not in ${input.Placement.AvailabilityZone}.`, 400);
  }
  const nics: NicPlan[] = [];
  for (const spec of [primary, ...specs.filter((n) => n !== primary)]) {
    const index = spec?.DeviceIndex ?? 0;
    const eni = index === 0 ? existing : spec?.NetworkInterfaceId ? eniById(st, scope, spec.NetworkInterfaceId) : undefined;
    if (eni) {
      if (eni.instanceId || eni.vpceId) throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${eni.id}] in use.`, 400);
      if (eni.az !== subnet.az) throw new AwsError('InvalidParameterCombination', 'You may not attach a network interface to an instance if they are not in the same availability zone', 400);
      if (1 + (eni.secondaryIps?.length ?? 0) > limits.ipv4PerInterface) throw new AwsError('PrivateIpAddressLimitExceeded', 'Number of private addresses will exceed limit.', 400);
      nics.push({ index, subnet: st.subnet(scope, eni.subnetId), sgIds: eni.sgIds, named: [], extra: 0, existing: eni, deleteOnTermination: spec?.DeleteOnTermination ?? false, description: eni.description });
      continue;
    }
    const s = index === 0 ? subnet : st.subnet(scope, spec?.SubnetId ?? subnet.id);
    if (s.az !== subnet.az) throw new AwsError('InvalidParameterCombination', 'You may not attach a network interface to an instance if they are not in the same availability zone', 400);
    const sgIds = index === 0 && !spec ? instanceGroups(st, scope, s, input.SecurityGroupIds, input.SecurityGroups) : eniGroups(st, scope, s, spec?.Groups);
    const plan = addressPlan({
      PrivateIpAddress: spec?.PrivateIpAddress ?? (index === 0 ? input.PrivateIpAddress : undefined),
      PrivateIpAddresses: spec?.PrivateIpAddresses,
      SecondaryPrivateIpAddressCount: spec?.SecondaryPrivateIpAddressCount,
    });
    if (plan.named.length + plan.extra > limits.ipv4PerInterface) throw new AwsError('PrivateIpAddressLimitExceeded', 'Number of private addresses will exceed limit.', 400);
    if (plan.named.length && max > 1) throw new AwsError('InvalidParameterCombination', 'Cannot specify PrivateIpAddress when launching more than one instance', 400);
    nics.push({ index, subnet: s, sgIds, named: plan.named, extra: plan.extra, deleteOnTermination: spec?.DeleteOnTermination ?? true, description: spec?.Description ?? '', interfaceType: spec?.InterfaceType });
  }
  return { subnet, associatePublic: primary?.AssociatePublicIpAddress ?? (existing ? false : subnet.mapPublic), nics };
}

/** How many instances (between min and max) the subnets have addresses for. */
export function launchableCount(plan: NetworkPlan, min: number, max: number): number {
  const need = new Map<SubnetRec, number>();
  for (const n of plan.nics) if (!n.existing) need.set(n.subnet, (need.get(n.subnet) ?? 0) + n.named.length + n.extra);
  let count = max;
  for (const [s, per] of need) if (per) count = Math.min(count, Math.floor(freeAddresses(s) / per));
  if (count < min) {
    throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${plan.subnet.id}' to satisfy the requested number of instances.`, 400);
  }
  return count;
}

/**
 * Instance store volumes: on Nitro types every disk is there as an NVMe device; on Xen types only
 * the `ephemeralN` names mapped by the image or the request (N below the type's disk count).
 */
export function instanceStorePlan(t: InstanceTypeInfo, mapped: { device: string; virtualName: string }[]): NonNullable<InstanceRec['instanceStore']> {
  const info = t.InstanceStorageInfo;
  if (!info) return [];
  const disks = info.Disks?.flatMap((d) => Array.from({ length: d.Count ?? 1 }, () => d.SizeInGB ?? 0)) ?? [];
  if (info.NvmeSupport === 'required') {
    return disks.map((sizeGB, k) => ({ virtualName: `ephemeral${k}`, device: `/dev/nvme${k + 1}n1`, sizeGB, dataId: randomUUID() }));
  }
  const out: NonNullable<InstanceRec['instanceStore']> = [];
  for (const m of mapped) {
    const k = Number(/^ephemeral(\d+)$/.exec(m.virtualName)?.[1] ?? -1);
    if (k >= 0 && k < disks.length && !out.some((o) => o.virtualName === m.virtualName)) out.push({ virtualName: m.virtualName, device: m.device, sizeGB: disks[k]!, dataId: randomUUID() });
  }
  return out;
}

/** The metadata options of a launch or a ModifyInstanceMetadataOptions, checked as AWS does. */
export function checkMetadataOptions(o: T.InstanceMetadataOptionsRequest | undefined): void {
  if (!o) return;
  const one = (name: string, v: string | undefined, allowed: string[]) => {
    if (v !== undefined && !allowed.includes(v)) throw new AwsError('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid. Valid values are: ${allowed.join(' | ')}`, 400);
  };
  one('httpTokens', o.HttpTokens, ['optional', 'required']);
  one('httpEndpoint', o.HttpEndpoint, ['enabled', 'disabled']);
  one('httpProtocolIpv6', o.HttpProtocolIpv6, ['enabled', 'disabled']);
  one('instanceMetadataTags', o.InstanceMetadataTags, ['enabled', 'disabled']);
  const hops = o.HttpPutResponseHopLimit;
  if (hops !== undefined && hops !== -1 && (!Number.isInteger(hops) || hops < 1 || hops > 64)) {
    throw new AwsError('InvalidParameterValue', `Value (${hops}) for parameter httpPutResponseHopLimit is invalid. Valid values are between 1 and 64.`, 400);
  }
}
