/**
 * Elastic network interfaces of one's own: Create/Delete, Attach/Detach (interface limits per
 * instance type, same zone, free device index), ModifyNetworkInterfaceAttribute,
 * Describe­NetworkInterfaceAttribute and secondary private IPv4 addresses (Assign/Unassign,
 * taken from the subnet so AvailableIpAddressCount falls). DescribeNetworkInterfaces is in
 * instance-ops.ts.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { dryRun } from '../common.js';
import { newId, tagsFor, type Ec2State, type EniRec, type InstanceRec, type SubnetRec } from '../state.js';
import { instanceEnis, ipNum, releaseAddresses, takeAddresses, typeLimits, UNATTACHED_IPV4_LIMIT } from '../domain/interfaces.js';
import { randomMac } from './instances.js';
import { renderEni } from './instance-render.js';

const validEniId = (id: string | undefined) => !!id && /^eni-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id);

export function eniById(st: Ec2State, scope: Scope, id: string | undefined): EniRec {
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter NetworkInterfaceId', 400);
  if (!validEniId(id)) throw new AwsError('InvalidNetworkInterfaceID.Malformed', `Invalid id: "${id}" (expecting "eni-...")`, 400);
  return st.eni(scope, id);
}

/** Security groups for an interface: the given ones (same VPC as the subnet), else the VPC's default group. */
export function eniGroups(st: Ec2State, scope: Scope, s: SubnetRec, ids: string[] | undefined): string[] {
  if (!ids?.length) return [st.defaultSg(scope, s.vpcId)!.id];
  for (const id of ids) {
    const g = st.sg(scope, id);
    if (g.vpcId !== s.vpcId) throw new AwsError('InvalidParameter', `Security group ${g.id} and subnet ${s.id} belong to different networks.`, 400);
  }
  return [...new Set(ids)];
}

/** The addresses a NetworkInterface specification asks for: primary (named or first free) and secondaries. */
export function addressPlan(spec: { PrivateIpAddress?: string; PrivateIpAddresses?: T.PrivateIpAddressSpecification[]; SecondaryPrivateIpAddressCount?: number }): { named: string[]; extra: number } {
  const listed = spec.PrivateIpAddresses ?? [];
  const primaries = listed.filter((p) => p.Primary);
  if (primaries.length > 1) throw new AwsError('InvalidParameterValue', 'Only one primary private IP address can be specified.', 400);
  const primary = spec.PrivateIpAddress ?? primaries[0]?.PrivateIpAddress;
  if (spec.PrivateIpAddress && primaries[0] && primaries[0].PrivateIpAddress !== spec.PrivateIpAddress) {
    throw new AwsError('InvalidParameterCombination', 'The primary private IP address is specified twice with different values.', 400);
  }
  const secondaries = listed.filter((p) => !p.Primary && p.PrivateIpAddress && p.PrivateIpAddress !== primary).map((p) => p.PrivateIpAddress!);
  const count = spec.SecondaryPrivateIpAddressCount;
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) throw new AwsError('InvalidParameterValue', `Value (${count}) for parameter secondaryPrivateIpAddressCount is invalid.`, 400);
  if (count && secondaries.length) throw new AwsError('InvalidParameterCombination', 'Specifying both secondaryPrivateIpAddressCount and privateIpAddresses is not supported.', 400);
  // An unnamed primary comes first from the free addresses: named = [primary?, ...secondaries]
  return { named: primary ? [primary, ...secondaries] : secondaries, extra: (primary ? 0 : 1) + (count ?? 0) };
}

/** A new interface in a subnet (not attached); the caller stores it. */
export function newEni(st: Ec2State, scope: Scope, s: SubnetRec, sgIds: string[], ips: string[], extra: Partial<EniRec> = {}): EniRec {
  return {
    id: newId('eni'), subnetId: s.id, vpcId: s.vpcId, az: s.az, azId: s.azId, privateIp: ips[0]!, secondaryIps: ips.slice(1), mac: randomMac(), sgIds,
    description: '', deleteOnTermination: false, sourceDestCheck: true, autoPublic: false, tags: [], ...extra,
  };
}

/** Checks that `i` can take one more interface at `index`: state, zone, free index and the type's limit. */
export function checkAttach(st: Ec2State, scope: Scope, i: InstanceRec, e: EniRec, index: number): void {
  const state = st.instanceState(i);
  if (state !== 'running' && state !== 'stopped') throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in the 'running' or 'stopped' state.`, 400);
  if (e.instanceId || e.vpceId) throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${e.id}] in use.`, 400);
  if (e.az !== i.az) throw new AwsError('InvalidParameterCombination', 'You may not attach a network interface to an instance if they are not in the same availability zone', 400);
  const current = instanceEnis(st, scope, i);
  if (current.some((x) => x.deviceIndex === index)) {
    throw new AwsError('InvalidParameterValue', `Instance '${i.id}' already has an interface attached at device index '${index}'.`, 400);
  }
  const { interfaces, ipv4PerInterface } = typeLimits(i.type);
  if (current.length + 1 > interfaces) throw new AwsError('AttachmentLimitExceeded', `Interface count ${current.length + 1} exceeds the limit for ${i.type}`, 400);
  if (1 + (e.secondaryIps?.length ?? 0) > ipv4PerInterface) throw new AwsError('PrivateIpAddressLimitExceeded', 'Number of private addresses will exceed limit.', 400);
}

/** Attaches (records both sides). */
export function attach(st: Ec2State, scope: Scope, i: InstanceRec, e: EniRec, index: number, deleteOnTermination = false): void {
  Object.assign(e, { instanceId: i.id, attachmentId: newId('eni-attach'), deviceIndex: index, attachTime: st.now(), deleteOnTermination });
  st.enis.put(scope, e.id, e);
  i.secondaryEnis = [...(i.secondaryEnis ?? []), e.id];
  st.instances.put(scope, i.id, i);
}

/** Detaches an interface at index ≥ 1 from its instance (which may be gone). */
export function detach(st: Ec2State, scope: Scope, e: EniRec): void {
  const i = e.instanceId ? st.instances.get(scope, e.instanceId) : undefined;
  if (i) {
    i.secondaryEnis = (i.secondaryEnis ?? []).filter((x) => x !== e.id);
    st.instances.put(scope, i.id, i);
  }
  for (const k of ['instanceId', 'attachmentId', 'deviceIndex', 'attachTime'] as const) delete e[k];
  e.deleteOnTermination = false;
  st.enis.put(scope, e.id, e);
}

/** Deletes an interface: its addresses go back to the subnet, an Elastic IP on it is disassociated. */
export function deleteEni(st: Ec2State, scope: Scope, e: EniRec): void {
  for (const a of st.eips.values(scope)) {
    if (a.eniId === e.id) {
      for (const k of ['assocId', 'eniId', 'privateIp', 'instanceId'] as const) delete a[k];
      st.eips.put(scope, a.id, a);
    }
  }
  releaseAddresses(st, scope, e);
  st.enis.delete(scope, e.id);
}

function findAttachment(st: Ec2State, scope: Scope, attachmentId: string | undefined): EniRec {
  if (!attachmentId) throw new AwsError('MissingParameter', 'The request must contain the parameter attachmentId', 400);
  for (const e of st.enis.values(scope)) if (e.attachmentId === attachmentId) return e;
  throw new AwsError('InvalidAttachmentID.NotFound', `Interface attachment '${attachmentId}' does not exist`, 400);
}

function ipv4Limit(st: Ec2State, scope: Scope, e: EniRec): number {
  const i = e.instanceId ? st.instances.get(scope, e.instanceId) : undefined;
  return i ? typeLimits(i.type).ipv4PerInterface : UNATTACHED_IPV4_LIMIT;
}

export function networkInterfaceOperations(st: Ec2State) {
  return {
    CreateNetworkInterface(input: T.CreateNetworkInterfaceRequest, ctx: RequestContext): T.CreateNetworkInterfaceResult {
      const scope = st.scope(ctx);
      const s = st.subnet(scope, input.SubnetId);
      const sgIds = eniGroups(st, scope, s, input.Groups);
      const type = input.InterfaceType ?? 'interface';
      if (!['interface', 'efa', 'efa-only', 'trunk'].includes(type)) {
        throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter interfaceType is invalid. Valid values are: efa | efa-only | trunk`, 400);
      }
      const plan = addressPlan(input);
      if (plan.named.length + plan.extra > UNATTACHED_IPV4_LIMIT) throw new AwsError('PrivateIpAddressLimitExceeded', 'Number of private addresses will exceed limit.', 400);
      const tags = tagsFor(input.TagSpecifications, 'network-interface');
      dryRun(input);
      const ips = takeAddresses(st, scope, s, plan.named, plan.extra);
      const e = newEni(st, scope, s, sgIds, ips, { description: input.Description ?? '', tags, interfaceType: type === 'interface' ? undefined : type });
      st.enis.put(scope, e.id, e);
      return { ClientToken: input.ClientToken, NetworkInterface: { ...renderEni(st, scope, e), Status: 'pending' } };
    },

    DeleteNetworkInterface(input: T.DeleteNetworkInterfaceRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const e = eniById(st, scope, input.NetworkInterfaceId);
      if (e.instanceId || e.vpceId) throw new AwsError('InvalidNetworkInterface.InUse', `The network interface '${e.id}' is currently in use.`, 400);
      dryRun(input);
      deleteEni(st, scope, e);
    },

    AttachNetworkInterface(input: T.AttachNetworkInterfaceRequest, ctx: RequestContext): T.AttachNetworkInterfaceResult {
      const scope = st.scope(ctx);
      const e = eniById(st, scope, input.NetworkInterfaceId);
      const i = st.instance(scope, input.InstanceId);
      const index = input.DeviceIndex;
      if (!Number.isInteger(index) || index < 0) throw new AwsError('InvalidParameterValue', `Value (${index}) for parameter deviceIndex is invalid.`, 400);
      if ((input.NetworkCardIndex ?? 0) !== 0) throw new AwsError('InvalidParameterValue', `Network card index ${input.NetworkCardIndex} is not valid for instance type ${i.type}.`, 400);
      checkAttach(st, scope, i, e, index);
      dryRun(input);
      attach(st, scope, i, e, index);
      return { AttachmentId: e.attachmentId, NetworkCardIndex: 0 };
    },

    DetachNetworkInterface(input: T.DetachNetworkInterfaceRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const e = findAttachment(st, scope, input.AttachmentId);
      if (e.deviceIndex === 0) throw new AwsError('OperationNotPermitted', 'The network interface at device index 0 and networkCard index 0 cannot be detached.', 400);
      dryRun(input);
      detach(st, scope, e);
    },

    ModifyNetworkInterfaceAttribute(input: T.ModifyNetworkInterfaceAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const e = eniById(st, scope, input.NetworkInterfaceId);
      const changes: (() => void)[] = [];
      if (input.Description !== undefined) changes.push(() => (e.description = input.Description!.Value ?? ''));
      if (input.SourceDestCheck?.Value !== undefined) changes.push(() => (e.sourceDestCheck = input.SourceDestCheck!.Value!));
      if (input.Groups) {
        const s = st.subnet(scope, e.subnetId);
        if (!input.Groups.length) throw new AwsError('InvalidParameterValue', 'Value () for parameter groupId is invalid. The value cannot be empty', 400);
        const ids = eniGroups(st, scope, s, input.Groups);
        changes.push(() => {
          e.sgIds = ids;
          const i = e.instanceId && e.deviceIndex === 0 ? st.instances.get(scope, e.instanceId) : undefined;
          if (i) {
            i.sgIds = ids;
            st.instances.put(scope, i.id, i);
          }
        });
      }
      if (input.Attachment) {
        if (input.Attachment.AttachmentId !== e.attachmentId) throw new AwsError('InvalidAttachmentID.NotFound', `Interface attachment '${input.Attachment.AttachmentId}' does not exist`, 400);
        const dot = input.Attachment.DeleteOnTermination;
        if (dot !== undefined) changes.push(() => (e.deleteOnTermination = dot));
      }
      if (!changes.length) throw new AwsError('MissingParameter', 'The request must contain the parameter attribute', 400);
      dryRun(input);
      for (const c of changes) c();
      st.enis.put(scope, e.id, e);
    },

    DescribeNetworkInterfaceAttribute(input: T.DescribeNetworkInterfaceAttributeRequest, ctx: RequestContext): T.DescribeNetworkInterfaceAttributeResult {
      const scope = st.scope(ctx);
      const e = eniById(st, scope, input.NetworkInterfaceId);
      dryRun(input);
      const r = renderEni(st, scope, e);
      const out: T.DescribeNetworkInterfaceAttributeResult = { NetworkInterfaceId: e.id };
      switch (input.Attribute) {
        case 'description': out.Description = { Value: e.description }; break;
        case 'groupSet': out.Groups = r.Groups; break;
        case 'sourceDestCheck': out.SourceDestCheck = { Value: e.sourceDestCheck }; break;
        case 'attachment': out.Attachment = r.Attachment; break;
        case 'associatePublicIpAddress': out.AssociatePublicIpAddress = e.autoPublic; break;
        default:
          throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
      }
      return out;
    },

    AssignPrivateIpAddresses(input: T.AssignPrivateIpAddressesRequest, ctx: RequestContext): T.AssignPrivateIpAddressesResult {
      const scope = st.scope(ctx);
      const e = eniById(st, scope, input.NetworkInterfaceId);
      const named = input.PrivateIpAddresses ?? [];
      const count = input.SecondaryPrivateIpAddressCount ?? 0;
      if (!named.length && !count) throw new AwsError('MissingParameter', 'The request must contain the parameter secondaryPrivateIpAddressCount or privateIpAddress', 400);
      if (named.length && count) throw new AwsError('InvalidParameterCombination', 'Specifying both secondaryPrivateIpAddressCount and privateIpAddresses is not supported.', 400);
      const s = st.subnet(scope, e.subnetId);
      // With AllowReassignment, named addresses held by another interface of the subnet move here.
      const holders: EniRec[] = [];
      for (const ip of named) {
        if (ip === e.privateIp || e.secondaryIps?.includes(ip)) throw new AwsError('InvalidParameterValue', `Address ${ip} is already assigned to ${e.id}`, 400);
        const other = [...st.enis.values(scope)].find((x) => x.id !== e.id && x.subnetId === s.id && x.secondaryIps?.includes(ip));
        if (other) {
          if (!input.AllowReassignment) throw new AwsError('InvalidIPAddress.InUse', `Address ${ip} is in use.`, 400);
          holders.push(other);
        } else if (s.usedIps.includes(ipNum(ip)) && !input.AllowReassignment) throw new AwsError('InvalidIPAddress.InUse', `Address ${ip} is in use.`, 400);
      }
      const total = 1 + (e.secondaryIps?.length ?? 0) + named.length + count;
      if (total > ipv4Limit(st, scope, e)) throw new AwsError('PrivateIpAddressLimitExceeded', 'Number of private addresses will exceed limit.', 400);
      for (const h of holders) {
        const moving = new Set(named);
        h.secondaryIps = (h.secondaryIps ?? []).filter((ip) => !moving.has(ip));
        st.enis.put(scope, h.id, h);
        s.usedIps = s.usedIps.filter((n) => !named.some((ip) => ipNum(ip) === n));
      }
      const ips = takeAddresses(st, scope, s, named, count);
      e.secondaryIps = [...(e.secondaryIps ?? []), ...ips];
      st.enis.put(scope, e.id, e);
      return { NetworkInterfaceId: e.id, AssignedPrivateIpAddresses: ips.map((PrivateIpAddress) => ({ PrivateIpAddress })) };
    },

    UnassignPrivateIpAddresses(input: T.UnassignPrivateIpAddressesRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const e = eniById(st, scope, input.NetworkInterfaceId);
      const ips = input.PrivateIpAddresses ?? [];
      if (!ips.length) throw new AwsError('MissingParameter', 'The request must contain the parameter privateIpAddress', 400);
      if (ips.includes(e.privateIp)) throw new AwsError('InvalidParameterValue', `The primary private IP address ${e.privateIp} cannot be unassigned from interface ${e.id}`, 400);
      const missing = ips.filter((ip) => !e.secondaryIps?.includes(ip));
      if (missing.length) throw new AwsError('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${e.id}`, 400);
      const gone = new Set(ips);
      e.secondaryIps = (e.secondaryIps ?? []).filter((ip) => !gone.has(ip));
      st.enis.put(scope, e.id, e);
      const s = st.subnets.get(scope, e.subnetId);
      if (s) {
        const nums = new Set(ips.map(ipNum));
        s.usedIps = s.usedIps.filter((n) => !nums.has(n));
        st.subnets.put(scope, s.id, s);
      }
    },
  };
}
