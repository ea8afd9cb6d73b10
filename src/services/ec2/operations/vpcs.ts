/**
 * VPCs: CreateVpc/DeleteVpc/DescribeVpcs, attributes, secondary IPv4 and Amazon-provided IPv6
 * CIDR blocks, CreateDefaultVpc, and DescribeAccountAttributes (which names the default VPC).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { applyFilters, bool, dryRun, paginate, pickIds, type FilterFields } from '../common.js';
import { amazonIpv6Block, contains4, formatCidr4, overlaps4, parseCidr4, privateRange, type Cidr4 } from '../domain/cidr.js';
import { newId, NOT_FOUND, tagsFor, tagsOut, defaultAclEntries, type Ec2State, type VpcRec } from '../state.js';
import type { Scope } from '../../../state/store.js';

const VPC_LIMIT = 5;
const CIDR_LIMIT = 5;

const invalidCidr = (c: string | undefined, param = 'cidrBlock') =>
  new AwsError('InvalidParameterValue', `Value (${c}) for parameter ${param} is invalid. This is not a valid CIDR block.`, 400);

/** A VPC/secondary CIDR: well-formed, /16–/28. */
function vpcCidr(text: string | undefined): Cidr4 {
  const c = parseCidr4(text);
  if (!c) throw invalidCidr(text);
  if (c.prefix < 16 || c.prefix > 28) throw new AwsError('InvalidVpc.Range', `The CIDR '${text}' is invalid.`, 400);
  return c;
}

export function renderVpc(st: Ec2State, scope: Scope, v: VpcRec, state = 'available'): T.Vpc {
  return {
    OwnerId: scope.account,
    InstanceTenancy: v.tenancy,
    Ipv6CidrBlockAssociationSet: v.ipv6Assocs.length
      ? v.ipv6Assocs.map((a) => ({
          AssociationId: a.id,
          Ipv6CidrBlock: a.cidr,
          Ipv6CidrBlockState: { State: a.state },
          NetworkBorderGroup: scope.region,
          Ipv6Pool: 'Amazon',
        }))
      : undefined,
    CidrBlockAssociationSet: v.cidrAssocs.map((a) => ({ AssociationId: a.id, CidrBlock: a.cidr, CidrBlockState: { State: a.state } })),
    IsDefault: v.isDefault,
    BlockPublicAccessStates: { InternetGatewayBlockMode: 'off' },
    VpcId: v.id,
    State: state,
    CidrBlock: v.cidr,
    DhcpOptionsId: v.dhcp,
    Tags: tagsOut(v.tags),
  };
}

const VPC_FILTERS: FilterFields<T.Vpc> = {
  cidr: (v) => v.CidrBlock,
  'cidr-block': (v) => v.CidrBlock,
  'cidr-block-association.cidr-block': (v) => v.CidrBlockAssociationSet?.map((a) => a.CidrBlock!),
  'cidr-block-association.association-id': (v) => v.CidrBlockAssociationSet?.map((a) => a.AssociationId!),
  'cidr-block-association.state': (v) => v.CidrBlockAssociationSet?.map((a) => a.CidrBlockState!.State!),
  'dhcp-options-id': (v) => v.DhcpOptionsId,
  'ipv6-cidr-block-association.ipv6-cidr-block': (v) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlock!),
  'ipv6-cidr-block-association.association-id': (v) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.AssociationId!),
  'ipv6-cidr-block-association.state': (v) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6CidrBlockState!.State!),
  'ipv6-cidr-block-association.ipv6-pool': (v) => v.Ipv6CidrBlockAssociationSet?.map((a) => a.Ipv6Pool!),
  'instance-tenancy': (v) => v.InstanceTenancy,
  'is-default': (v) => bool(!!v.IsDefault),
  'owner-id': (v) => v.OwnerId,
  state: (v) => v.State,
  'vpc-id': (v) => v.VpcId,
};

function addIpv6(v: VpcRec): T.VpcIpv6CidrBlockAssociation {
  const a = { id: newId('vpc-cidr-assoc'), cidr: amazonIpv6Block(), state: 'associated' };
  v.ipv6Assocs.push(a);
  return { AssociationId: a.id, Ipv6CidrBlock: a.cidr, Ipv6CidrBlockState: { State: 'associating' }, Ipv6Pool: 'Amazon' };
}

export function vpcOperations(st: Ec2State) {
  return {
    CreateVpc(input: T.CreateVpcRequest, ctx: RequestContext): T.CreateVpcResult {
      const scope = st.scope(ctx);
      if (input.CidrBlock === undefined && !input.Ipv4IpamPoolId) {
        throw new AwsError('MissingParameter', "Either 'cidrBlock' or 'ipv4IpamPoolId' should be provided.", 400);
      }
      const cidr = vpcCidr(input.CidrBlock);
      const tenancy = input.InstanceTenancy ?? 'default';
      if (!['default', 'dedicated'].includes(tenancy)) {
        throw new AwsError('InvalidParameterValue', `Value (${tenancy}) for parameter instanceTenancy is invalid.`, 400);
      }
      const tags = tagsFor(input.TagSpecifications, 'vpc');
      dryRun(input);
      if (st.vpcs.count(scope) >= VPC_LIMIT) throw new AwsError('VpcLimitExceeded', 'The maximum number of VPCs has been reached.', 400);
      const v = st.createVpc(scope, cidr, { isDefault: false, tenancy, tags });
      if (input.AmazonProvidedIpv6CidrBlock) {
        addIpv6(v);
        const acl = st.defaultAcl(scope, v.id)!;
        acl.entries = defaultAclEntries(true);
        st.acls.put(scope, acl.id, acl);
        st.vpcs.put(scope, v.id, v);
      }
      return { Vpc: renderVpc(st, scope, v, 'pending') };
    },

    CreateDefaultVpc(input: T.CreateDefaultVpcRequest, ctx: RequestContext): T.CreateDefaultVpcResult {
      const scope = st.scope(ctx);
      dryRun(input);
      if (st.defaultVpcId(scope)) throw new AwsError('DefaultVpcAlreadyExists', 'A Default VPC already exists for this account in this region.', 400);
      const v = st.createDefaultVpc(scope);
      return { Vpc: renderVpc(st, scope, v, 'pending') };
    },

    DescribeVpcs(input: T.DescribeVpcsRequest, ctx: RequestContext): T.DescribeVpcsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let vpcs = [...st.vpcs.values(scope)];
      vpcs = pickIds(vpcs, input.VpcIds, (v) => v.id, NOT_FOUND.vpc);
      const out = applyFilters(vpcs.map((v) => renderVpc(st, scope, v)), input.Filters, VPC_FILTERS, (v) => v.Tags);
      const { page, NextToken } = paginate(out, input);
      return { Vpcs: page, NextToken };
    },

    DeleteVpc(input: T.DeleteVpcRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = st.vpc(scope, input.VpcId);
      dryRun(input);
      const busy =
        [...st.subnets.values(scope)].some((s) => s.vpcId === v.id) ||
        [...st.igws.values(scope)].some((g) => g.vpcId === v.id) ||
        [...st.rtbs.values(scope)].some((r) => r.vpcId === v.id && !r.main) ||
        [...st.sgs.values(scope)].some((g) => g.vpcId === v.id && !g.isDefault) ||
        [...st.acls.values(scope)].some((a) => a.vpcId === v.id && !a.isDefault) ||
        [...st.nats.values(scope)].some((n) => n.vpcId === v.id && st.natState(n) !== 'deleted') ||
        [...st.endpoints.values(scope)].some((e) => e.vpcId === v.id && e.deletedAt === undefined) ||
        [...st.tgwAttachments.values(scope)].some((a) => a.resourceId === v.id && a.deletedAt === undefined) ||
        [...st.vgws.values(scope)].some((g) => g.deletedAt === undefined && g.attachments.some((a) => a.vpcId === v.id && a.detachedAt === undefined));
      if (busy) throw new AwsError('DependencyViolation', `The vpc '${v.id}' has dependencies and cannot be deleted.`, 400);
      for (const r of [...st.rtbs.values(scope)]) if (r.vpcId === v.id) st.rtbs.delete(scope, r.id);
      for (const a of [...st.acls.values(scope)]) if (a.vpcId === v.id) st.acls.delete(scope, a.id);
      for (const g of [...st.sgs.values(scope)]) if (g.vpcId === v.id) st.sgs.delete(scope, g.id);
      st.vpcs.delete(scope, v.id);
    },

    ModifyVpcAttribute(input: T.ModifyVpcAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = st.vpc(scope, input.VpcId);
      const given = (
        [
          ['enableDnsSupport', input.EnableDnsSupport],
          ['enableDnsHostnames', input.EnableDnsHostnames],
          ['enableNetworkAddressUsageMetrics', input.EnableNetworkAddressUsageMetrics],
        ] as const
      ).filter(([, x]) => x !== undefined);
      if (given.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter attribute', 400);
      if (given.length > 1) {
        throw new AwsError('InvalidParameterCombination', `Fields for multiple attribute types specified: ${given.map(([n]) => n).join(', ')}`, 400);
      }
      const [name, value] = given[0]!;
      const b = value?.Value;
      if (b === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter value', 400);
      if (name === 'enableDnsHostnames' && b && !v.dnsSupport) {
        throw new AwsError('InvalidParameterCombination', 'Cannot enable DNS hostnames without enabling DNS support.', 400);
      }
      if (name === 'enableDnsSupport') v.dnsSupport = b;
      else if (name === 'enableDnsHostnames') v.dnsHostnames = b;
      else v.naum = b;
      st.vpcs.put(scope, v.id, v);
    },

    DescribeVpcAttribute(input: T.DescribeVpcAttributeRequest, ctx: RequestContext): T.DescribeVpcAttributeResult {
      const scope = st.scope(ctx);
      const v = st.vpc(scope, input.VpcId);
      dryRun(input);
      switch (input.Attribute) {
        case 'enableDnsSupport':
          return { VpcId: v.id, EnableDnsSupport: { Value: v.dnsSupport } };
        case 'enableDnsHostnames':
          return { VpcId: v.id, EnableDnsHostnames: { Value: v.dnsHostnames } };
        case 'enableNetworkAddressUsageMetrics':
          return { VpcId: v.id, EnableNetworkAddressUsageMetrics: { Value: v.naum } };
        default:
          throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
      }
    },

    AssociateVpcCidrBlock(input: T.AssociateVpcCidrBlockRequest, ctx: RequestContext): T.AssociateVpcCidrBlockResult {
      const scope = st.scope(ctx);
      const v = st.vpc(scope, input.VpcId);
      if (input.AmazonProvidedIpv6CidrBlock) {
        if (input.CidrBlock) throw new AwsError('InvalidParameterCombination', 'The parameter cidrBlock cannot be used with the parameter amazonProvidedIpv6CidrBlock', 400);
        if (v.ipv6Assocs.length) throw new AwsError('CidrLimitExceeded', `This network '${v.id}' has met its maximum number of allowed CIDRs: 1`, 400);
        const a = addIpv6(v);
        st.vpcs.put(scope, v.id, v);
        a.NetworkBorderGroup = scope.region;
        return { VpcId: v.id, Ipv6CidrBlockAssociation: a };
      }
      if (!input.CidrBlock) throw new AwsError('MissingParameter', 'Either cidrBlock or amazonProvidedIpv6CidrBlock must be specified.', 400);
      const c = vpcCidr(input.CidrBlock);
      const text = formatCidr4(c);
      const current = v.cidrAssocs.filter((a) => a.state === 'associated');
      if (current.length >= CIDR_LIMIT) throw new AwsError('CidrLimitExceeded', `This network '${v.id}' has met its maximum number of allowed CIDRs: ${CIDR_LIMIT}`, 400);
      if (current.some((a) => overlaps4(parseCidr4(a.cidr)!, c))) {
        throw new AwsError('InvalidVpc.Range', `The CIDR '${text}' conflicts with another subnet`, 400);
      }
      // AWS's restriction table: a VPC whose primary CIDR is in one RFC 1918 range cannot add
      // a block from another one (publicly routable blocks are allowed); 198.19.0.0/16 is reserved.
      const primary = privateRange(parseCidr4(v.cidr)!);
      const added = privateRange(c);
      if ((added && primary && added !== primary) || (added && !primary) || contains4(parseCidr4('198.19.0.0/16')!, c)) {
        throw new AwsError(
          'InvalidVpc.Range',
          `The CIDR '${text}' is restricted. Use a CIDR from the same private address range as the current VPC CIDR, or use a publicly-routable CIDR.`,
          400,
        );
      }
      const a = { id: newId('vpc-cidr-assoc'), cidr: text, state: 'associated' };
      v.cidrAssocs.push(a);
      st.vpcs.put(scope, v.id, v);
      // The main route table gets a local route for the new block.
      const main = st.mainRtb(scope, v.id);
      if (main) {
        main.routes.splice(v.cidrAssocs.length - 1, 0, { dest: text, kind: 'local', target: 'local', origin: 'CreateRouteTable' });
        st.rtbs.put(scope, main.id, main);
      }
      for (const r of st.rtbs.values(scope)) {
        if (r.vpcId !== v.id || r === main) continue;
        r.routes.splice(v.cidrAssocs.length - 1, 0, { dest: text, kind: 'local', target: 'local', origin: 'CreateRouteTable' });
        st.rtbs.put(scope, r.id, r);
      }
      return { VpcId: v.id, CidrBlockAssociation: { AssociationId: a.id, CidrBlock: text, CidrBlockState: { State: 'associating' } } };
    },

    DisassociateVpcCidrBlock(input: T.DisassociateVpcCidrBlockRequest, ctx: RequestContext): T.DisassociateVpcCidrBlockResult {
      const scope = st.scope(ctx);
      for (const v of st.vpcs.values(scope)) {
        const i4 = v.cidrAssocs.findIndex((a) => a.id === input.AssociationId);
        if (i4 >= 0) {
          const a = v.cidrAssocs[i4]!;
          if (a.cidr === v.cidr) {
            throw new AwsError(
              'OperationNotPermitted',
              `The vpc CIDR block with association ID ${a.id} may not be disassociated. It is the primary IPv4 CIDR block of the VPC`,
              400,
            );
          }
          const c = parseCidr4(a.cidr)!;
          if ([...st.subnets.values(scope)].some((s) => s.vpcId === v.id && overlaps4(parseCidr4(s.cidr)!, c))) {
            throw new AwsError('DependencyViolation', `The vpc CIDR block with association ID ${a.id} has dependencies and cannot be disassociated.`, 400);
          }
          v.cidrAssocs.splice(i4, 1);
          st.vpcs.put(scope, v.id, v);
          for (const r of st.rtbs.values(scope)) {
            if (r.vpcId !== v.id) continue;
            r.routes = r.routes.filter((x) => !(x.kind === 'local' && x.dest === a.cidr));
            st.rtbs.put(scope, r.id, r);
          }
          return { VpcId: v.id, CidrBlockAssociation: { AssociationId: a.id, CidrBlock: a.cidr, CidrBlockState: { State: 'disassociating' } } };
        }
        const i6 = v.ipv6Assocs.findIndex((a) => a.id === input.AssociationId);
        if (i6 >= 0) {
          const a = v.ipv6Assocs[i6]!;
          v.ipv6Assocs.splice(i6, 1);
          st.vpcs.put(scope, v.id, v);
          return {
            VpcId: v.id,
            Ipv6CidrBlockAssociation: { AssociationId: a.id, Ipv6CidrBlock: a.cidr, Ipv6CidrBlockState: { State: 'disassociating' }, NetworkBorderGroup: scope.region, Ipv6Pool: 'Amazon' },
          };
        }
      }
      throw new AwsError('InvalidVpcCidrBlockAssociationID.NotFound', `The vpc CIDR block association ID '${input.AssociationId}' does not exist`, 400);
    },

    DescribeAccountAttributes(input: T.DescribeAccountAttributesRequest, ctx: RequestContext): T.DescribeAccountAttributesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all: [string, string[]][] = [
        ['supported-platforms', ['VPC']],
        ['vpc-max-security-groups-per-interface', ['5']],
        ['max-elastic-ips', ['5']],
        ['max-instances', ['20']],
        ['vpc-max-elastic-ips', ['5']],
        ['default-vpc', [st.defaultVpcId(scope) ?? 'none']],
      ];
      const names = input.AttributeNames;
      const unknown = names?.find((n) => !all.some(([a]) => a === n));
      if (unknown) throw new AwsError('InvalidParameterValue', `Value (${unknown}) for parameter attributeName is invalid.`, 400);
      return {
        AccountAttributes: all
          .filter(([n]) => !names?.length || names.includes(n))
          .map(([n, vs]) => ({ AttributeName: n, AttributeValues: vs.map((x) => ({ AttributeValue: x })) })),
      };
    },
  };
}
