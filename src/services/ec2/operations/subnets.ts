/**
 * Subnets: CreateSubnet (inside a VPC block, no overlap, /16–/28, zone by name or id or AWS's
 * own choice), DescribeSubnets, DeleteSubnet, ModifySubnetAttribute, IPv6 /64 association.
 * AvailableIpAddressCount = block size − 5 reserved − addresses taken (NAT gateways, interfaces).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { applyFilters, bool, dryRun, paginate, pickIds, type FilterFields } from '../common.js';
import { contains4, formatCidr4, isIpv6Cidr, overlaps4, parseCidr4, size4 } from '../domain/cidr.js';
import { newId, NOT_FOUND, tagsFor, tagsOut, zonesOf, type Ec2State, type SubnetRec } from '../state.js';
import type { Scope } from '../../../state/store.js';

export function renderSubnet(scope: Scope, s: SubnetRec, state = 'available'): T.Subnet {
  const c = parseCidr4(s.cidr)!;
  return {
    AvailabilityZoneId: s.azId,
    MapCustomerOwnedIpOnLaunch: false,
    OwnerId: scope.account,
    AssignIpv6AddressOnCreation: s.assignIpv6,
    Ipv6CidrBlockAssociationSet: s.ipv6Assocs.map((a) => ({ AssociationId: a.id, Ipv6CidrBlock: a.cidr, Ipv6CidrBlockState: { State: a.state } })),
    Tags: tagsOut(s.tags),
    SubnetArn: `arn:aws:ec2:${scope.region}:${scope.account}:subnet/${s.id}`,
    EnableDns64: false,
    Ipv6Native: false,
    PrivateDnsNameOptionsOnLaunch: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    SubnetId: s.id,
    State: state,
    VpcId: s.vpcId,
    CidrBlock: s.cidr,
    AvailableIpAddressCount: size4(c) - 5 - s.usedIps.length,
    AvailabilityZone: s.az,
    DefaultForAz: s.defaultForAz,
    MapPublicIpOnLaunch: s.mapPublic,
  };
}

const SUBNET_FILTERS: FilterFields<T.Subnet> = {
  'availability-zone': (s) => s.AvailabilityZone,
  availabilityZone: (s) => s.AvailabilityZone,
  'availability-zone-id': (s) => s.AvailabilityZoneId,
  'available-ip-address-count': (s) => String(s.AvailableIpAddressCount),
  'cidr-block': (s) => s.CidrBlock,
  cidr: (s) => s.CidrBlock,
  cidrBlock: (s) => s.CidrBlock,
  'default-for-az': (s) => bool(!!s.DefaultForAz),
  defaultForAz: (s) => bool(!!s.DefaultForAz),
  'ipv6-cidr-block-association.ipv6-cidr-block': (s) => s.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlock!),
  'ipv6-cidr-block-association.association-id': (s) => s.Ipv6CidrBlockAssociationSet?.map((a) => a.AssociationId!),
  'ipv6-cidr-block-association.state': (s) => s.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlockState!.State!),
  'map-public-ip-on-launch': (s) => bool(!!s.MapPublicIpOnLaunch),
  'owner-id': (s) => s.OwnerId,
  state: (s) => s.State,
  'subnet-arn': (s) => s.SubnetArn,
  'subnet-id': (s) => s.SubnetId,
  'vpc-id': (s) => s.VpcId,
};

export function subnetOperations(st: Ec2State) {
  return {
    CreateSubnet(input: T.CreateSubnetRequest, ctx: RequestContext): T.CreateSubnetResult {
      const scope = st.scope(ctx);
      const vpc = st.vpc(scope, input.VpcId);
      if (!input.CidrBlock) throw new AwsError('MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.", 400);
      const c = parseCidr4(input.CidrBlock);
      if (!c) throw new AwsError('InvalidParameterValue', `Value (${input.CidrBlock}) for parameter cidrBlock is invalid. This is not a valid CIDR block.`, 400);
      const text = formatCidr4(c);
      const blocks = vpc.cidrAssocs.filter((a) => a.state === 'associated').map((a) => parseCidr4(a.cidr)!);
      if (c.prefix < 16 || c.prefix > 28 || !blocks.some((b) => contains4(b, c))) {
        throw new AwsError('InvalidSubnet.Range', `The CIDR '${input.CidrBlock}' is invalid.`, 400);
      }
      const siblings = [...st.subnets.values(scope)].filter((s) => s.vpcId === vpc.id);
      if (siblings.some((s) => overlaps4(parseCidr4(s.cidr)!, c))) {
        throw new AwsError('InvalidSubnet.Conflict', `The CIDR '${text}' conflicts with another subnet`, 400);
      }
      const zones = zonesOf(scope.region);
      const names = zones.map((z) => z.name).join(', ');
      let zone = zones[0]!;
      if (input.AvailabilityZone !== undefined && input.AvailabilityZoneId !== undefined) {
        throw new AwsError('InvalidParameterCombination', 'The parameters availabilityZone and availabilityZoneId cannot be used together.', 400);
      }
      if (input.AvailabilityZone !== undefined) {
        const z = zones.find((x) => x.name === input.AvailabilityZone);
        if (!z) {
          throw new AwsError(
            'InvalidParameterValue',
            `Value (${input.AvailabilityZone}) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: ${names}.`,
            400,
          );
        }
        zone = z;
      } else if (input.AvailabilityZoneId !== undefined) {
        const z = zones.find((x) => x.id === input.AvailabilityZoneId);
        if (!z) {
          throw new AwsError(
            'InvalidParameterValue',
            `Value (${input.AvailabilityZoneId}) for parameter availabilityZoneId is invalid. Subnets can currently only be created in the following availability zone ids: ${zones.map((x) => x.id).join(', ')}.`,
            400,
          );
        }
        zone = z;
      } else {
        // AWS picks a zone for you; gureum takes the one with the fewest subnets of this VPC.
        const count = (name: string) => siblings.filter((s) => s.az === name).length;
        zone = zones.reduce((best, z) => (count(z.name) < count(best.name) ? z : best), zones[0]!);
      }
      let ipv6: SubnetRec['ipv6Assocs'] = [];
      if (input.Ipv6CidrBlock !== undefined) ipv6 = [ipv6Assoc(st, scope, vpc.id, input.Ipv6CidrBlock)];
      const tags = tagsFor(input.TagSpecifications, 'subnet');
      dryRun(input);
      const s = st.newSubnet(scope, vpc, c, zone, { tags, ipv6Assocs: ipv6 });
      return { Subnet: renderSubnet(scope, s, 'available') };
    },

    DescribeSubnets(input: T.DescribeSubnetsRequest, ctx: RequestContext): T.DescribeSubnetsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const subnets = pickIds([...st.subnets.values(scope)], input.SubnetIds, (s) => s.id, NOT_FOUND.subnet);
      const out = applyFilters(subnets.map((s) => renderSubnet(scope, s)), input.Filters, SUBNET_FILTERS, (s) => s.Tags);
      const { page, NextToken } = paginate(out, input);
      return { Subnets: page, NextToken };
    },

    DeleteSubnet(input: T.DeleteSubnetRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const s = st.subnet(scope, input.SubnetId);
      dryRun(input);
      if (s.usedIps.length) throw new AwsError('DependencyViolation', `The subnet '${s.id}' has dependencies and cannot be deleted.`, 400);
      for (const r of st.rtbs.values(scope)) {
        if (r.assocs.some((a) => a.subnetId === s.id)) {
          r.assocs = r.assocs.filter((a) => a.subnetId !== s.id);
          st.rtbs.put(scope, r.id, r);
        }
      }
      st.subnets.delete(scope, s.id);
    },

    ModifySubnetAttribute(input: T.ModifySubnetAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const s = st.subnet(scope, input.SubnetId);
      if (input.MapPublicIpOnLaunch?.Value !== undefined) s.mapPublic = input.MapPublicIpOnLaunch.Value;
      else if (input.AssignIpv6AddressOnCreation?.Value !== undefined) {
        if (input.AssignIpv6AddressOnCreation.Value && !s.ipv6Assocs.length) {
          throw new AwsError('InvalidParameterValue', `Invalid value 'true' for assignIpv6AddressOnCreation. Cannot set assignIpv6AddressOnCreation to true unless the subnet (${s.id}) has an IPv6 CIDR block associated with it.`, 400);
        }
        s.assignIpv6 = input.AssignIpv6AddressOnCreation.Value;
      } else if (
        input.EnableDns64 === undefined &&
        input.PrivateDnsHostnameTypeOnLaunch === undefined &&
        input.EnableResourceNameDnsARecordOnLaunch === undefined &&
        input.EnableResourceNameDnsAAAARecordOnLaunch === undefined &&
        input.MapCustomerOwnedIpOnLaunch === undefined
      ) {
        throw new AwsError('MissingParameter', 'The request must contain the parameter attribute', 400);
      }
      st.subnets.put(scope, s.id, s);
    },

    AssociateSubnetCidrBlock(input: T.AssociateSubnetCidrBlockRequest, ctx: RequestContext): T.AssociateSubnetCidrBlockResult {
      const scope = st.scope(ctx);
      const s = st.subnet(scope, input.SubnetId);
      if (!input.Ipv6CidrBlock) throw new AwsError('MissingParameter', 'The request must contain the parameter ipv6CidrBlock', 400);
      if (s.ipv6Assocs.length) throw new AwsError('CidrLimitExceeded', `This network '${s.id}' has met its maximum number of allowed CIDRs: 1`, 400);
      const a = ipv6Assoc(st, scope, s.vpcId, input.Ipv6CidrBlock);
      s.ipv6Assocs.push(a);
      st.subnets.put(scope, s.id, s);
      return { SubnetId: s.id, Ipv6CidrBlockAssociation: { AssociationId: a.id, Ipv6CidrBlock: a.cidr, Ipv6CidrBlockState: { State: 'associating' } } };
    },

    DisassociateSubnetCidrBlock(input: T.DisassociateSubnetCidrBlockRequest, ctx: RequestContext): T.DisassociateSubnetCidrBlockResult {
      const scope = st.scope(ctx);
      for (const s of st.subnets.values(scope)) {
        const a = s.ipv6Assocs.find((x) => x.id === input.AssociationId);
        if (!a) continue;
        s.ipv6Assocs = s.ipv6Assocs.filter((x) => x !== a);
        s.assignIpv6 = false;
        st.subnets.put(scope, s.id, s);
        return { SubnetId: s.id, Ipv6CidrBlockAssociation: { AssociationId: a.id, Ipv6CidrBlock: a.cidr, Ipv6CidrBlockState: { State: 'disassociating' } } };
      }
      throw new AwsError('InvalidSubnetCidrBlockAssociationID.NotFound', `The subnet CIDR block with association ID '${input.AssociationId}' does not exist`, 400);
    },
  };
}

/** A subnet IPv6 block: a /64 within the VPC's Amazon-provided /56. */
function ipv6Assoc(st: Ec2State, scope: Scope, vpcId: string, cidr: string): SubnetRec['ipv6Assocs'][number] {
  const vpc = st.vpc(scope, vpcId);
  const block = vpc.ipv6Assocs[0];
  if (!isIpv6Cidr(cidr)) throw new AwsError('InvalidParameterValue', `Value (${cidr}) for parameter ipv6CidrBlock is invalid. This is not a valid IPv6 CIDR block.`, 400);
  const prefix = block?.cidr.split('::/')[0] ?? '';
  if (!block || !cidr.endsWith('/64') || !cidr.toLowerCase().startsWith(prefix.slice(0, prefix.length - 2).toLowerCase())) {
    throw new AwsError('InvalidSubnet.Range', `The IPv6 CIDR '${cidr}' is invalid.`, 400);
  }
  for (const s of st.subnets.values(scope)) {
    if (s.vpcId === vpcId && s.ipv6Assocs.some((a) => a.cidr === cidr)) {
      throw new AwsError('InvalidSubnet.Conflict', `The IPv6 CIDR '${cidr}' conflicts with another subnet`, 400);
    }
  }
  return { id: newId('subnet-cidr-assoc'), cidr, state: 'associated' };
}
