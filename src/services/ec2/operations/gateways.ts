/**
 * Internet gateways (one per VPC, attachment state "available"), Elastic IPs (five per
 * region) and NAT gateways (pending → available and deleting → deleted on the virtual clock,
 * computed from their timestamps so that no timer has to survive a restart).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { randomInt } from 'node:crypto';
import { applyFilters, dryRun, paginate, pickIds, type FilterFields } from '../common.js';
import { formatIp4 } from '../domain/cidr.js';
import { NAT_VISIBLE_AFTER_DELETE_MS, newId, NOT_FOUND, tagsFor, tagsOut, type Ec2State, type EipRec, type EniRec, type IgwRec, type NatRec } from '../state.js';
import { randomPublicIp } from './instances.js';
import type { Scope } from '../../../state/store.js';

const EIP_LIMIT = 5;

function renderIgw(scope: Scope, g: IgwRec): T.InternetGateway {
  return {
    Attachments: g.vpcId ? [{ State: 'available', VpcId: g.vpcId }] : [],
    InternetGatewayId: g.id,
    OwnerId: scope.account,
    Tags: tagsOut(g.tags),
  };
}

const IGW_FILTERS: FilterFields<T.InternetGateway> = {
  'attachment.state': (g) => g.Attachments?.map((a) => a.State!),
  'attachment.vpc-id': (g) => g.Attachments?.map((a) => a.VpcId!),
  'internet-gateway-id': (g) => g.InternetGatewayId,
  'owner-id': (g) => g.OwnerId,
};

function renderEip(scope: Scope, a: EipRec): T.Address {
  return {
    AllocationId: a.id,
    AssociationId: a.assocId,
    Domain: 'vpc',
    InstanceId: a.instanceId,
    NetworkInterfaceId: a.eniId,
    NetworkInterfaceOwnerId: a.eniId ? scope.account : undefined,
    PrivateIpAddress: a.privateIp,
    PublicIp: a.publicIp,
    PublicIpv4Pool: 'amazon',
    NetworkBorderGroup: scope.region,
    Tags: tagsOut(a.tags),
  };
}

const EIP_FILTERS: FilterFields<T.Address> = {
  'allocation-id': (a) => a.AllocationId,
  'association-id': (a) => a.AssociationId,
  domain: (a) => a.Domain,
  'instance-id': (a) => a.InstanceId,
  'network-border-group': (a) => a.NetworkBorderGroup,
  'network-interface-id': (a) => a.NetworkInterfaceId,
  'network-interface-owner-id': (a) => a.NetworkInterfaceOwnerId,
  'private-ip-address': (a) => a.PrivateIpAddress,
  'public-ip': (a) => a.PublicIp,
};

function renderNat(st: Ec2State, scope: Scope, n: NatRec): T.NatGateway {
  const state = st.natState(n);
  const eip = n.allocId ? st.eips.get(scope, n.allocId) : undefined;
  const addrStatus = state === 'pending' ? 'associating' : state === 'available' ? 'succeeded' : state === 'deleting' ? 'disassociating' : 'succeeded';
  return {
    CreateTime: new Date(n.createdAt),
    DeleteTime: state === 'deleted' ? new Date(n.deletedAt! + 60_000) : undefined,
    NatGatewayAddresses: [
      {
        AllocationId: n.allocId,
        NetworkInterfaceId: n.eniId,
        PrivateIp: n.privateIp,
        PublicIp: n.allocId ? (eip?.publicIp ?? n.publicIp) : undefined,
        AssociationId: n.allocId ? n.assocId : undefined,
        IsPrimary: true,
        Status: addrStatus,
      },
    ],
    NatGatewayId: n.id,
    State: state,
    SubnetId: n.subnetId,
    VpcId: n.vpcId,
    Tags: tagsOut(n.tags),
    ConnectivityType: n.connectivity,
  };
}

const NAT_FILTERS: FilterFields<T.NatGateway> = {
  'nat-gateway-id': (n) => n.NatGatewayId,
  state: (n) => n.State,
  'subnet-id': (n) => n.SubnetId,
  'vpc-id': (n) => n.VpcId,
};

export function gatewayOperations(st: Ec2State) {
  return {
    // ---- internet gateways
    CreateInternetGateway(input: T.CreateInternetGatewayRequest, ctx: RequestContext): T.CreateInternetGatewayResult {
      const scope = st.scope(ctx);
      const tags = tagsFor(input.TagSpecifications, 'internet-gateway');
      dryRun(input);
      const g: IgwRec = { id: newId('igw'), tags };
      st.igws.put(scope, g.id, g);
      return { InternetGateway: renderIgw(scope, g) };
    },

    AttachInternetGateway(input: T.AttachInternetGatewayRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const g = st.igw(scope, input.InternetGatewayId);
      const v = st.vpc(scope, input.VpcId);
      dryRun(input);
      if (g.vpcId) throw new AwsError('Resource.AlreadyAssociated', `resource ${g.id} is already attached to network ${g.vpcId}`, 400);
      const other = [...st.igws.values(scope)].find((x) => x.vpcId === v.id);
      if (other) throw new AwsError('Resource.AlreadyAssociated', `Network ${v.id} already has an internet gateway attached`, 400);
      g.vpcId = v.id;
      st.igws.put(scope, g.id, g);
    },

    DetachInternetGateway(input: T.DetachInternetGatewayRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const g = st.igw(scope, input.InternetGatewayId);
      const v = st.vpc(scope, input.VpcId);
      dryRun(input);
      if (g.vpcId !== v.id) throw new AwsError('Gateway.NotAttached', `resource ${g.id} is not attached to network ${v.id}`, 400);
      const mapped = [...st.nats.values(scope)].some((n) => n.vpcId === v.id && n.allocId && st.natState(n) !== 'deleted');
      if (mapped) {
        throw new AwsError('DependencyViolation', `Network ${v.id} has some mapped public address(es). Please unmap those public address(es) before detaching the gateway.`, 400);
      }
      delete g.vpcId;
      st.igws.put(scope, g.id, g);
    },

    DeleteInternetGateway(input: T.DeleteInternetGatewayRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const g = st.igw(scope, input.InternetGatewayId);
      dryRun(input);
      if (g.vpcId) throw new AwsError('DependencyViolation', `The internetGateway '${g.id}' has dependencies and cannot be deleted.`, 400);
      st.igws.delete(scope, g.id);
    },

    DescribeInternetGateways(input: T.DescribeInternetGatewaysRequest, ctx: RequestContext): T.DescribeInternetGatewaysResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = pickIds([...st.igws.values(scope)], input.InternetGatewayIds, (g) => g.id, NOT_FOUND.igw);
      const out = applyFilters(all.map((g) => renderIgw(scope, g)), input.Filters, IGW_FILTERS, (g) => g.Tags);
      const { page, NextToken } = paginate(out, input);
      return { InternetGateways: page, NextToken };
    },

    // ---- Elastic IPs
    AllocateAddress(input: T.AllocateAddressRequest, ctx: RequestContext): T.AllocateAddressResult {
      const scope = st.scope(ctx);
      if (input.Domain !== undefined && input.Domain !== 'vpc' && input.Domain !== 'standard') {
        throw new AwsError('InvalidParameterValue', `Invalid value '${input.Domain}' for domain.`, 400);
      }
      const tags = tagsFor(input.TagSpecifications, 'elastic-ip');
      dryRun(input);
      if (st.eips.count(scope) >= EIP_LIMIT) throw new AwsError('AddressLimitExceeded', 'The maximum number of addresses has been reached.', 400);
      const taken = new Set([...st.eips.values(scope)].map((a) => a.publicIp));
      let ip: string;
      do ip = formatIp4(((3 << 24) | (randomInt(208, 240) << 16) | randomInt(0, 65536)) >>> 0);
      while (taken.has(ip));
      const a: EipRec = { id: newId('eipalloc'), publicIp: ip, tags };
      st.eips.put(scope, a.id, a);
      return { AllocationId: a.id, PublicIpv4Pool: 'amazon', NetworkBorderGroup: scope.region, Domain: 'vpc', PublicIp: ip };
    },

    DescribeAddresses(input: T.DescribeAddressesRequest, ctx: RequestContext): T.DescribeAddressesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = pickIds([...st.eips.values(scope)], input.AllocationIds, (a) => a.id, NOT_FOUND.eip);
      if (input.PublicIps?.length) {
        const missing = input.PublicIps.find((ip) => !all.some((a) => a.publicIp === ip));
        if (missing) throw new AwsError('InvalidAddress.NotFound', `Address '${missing}' not found.`, 400);
        all = all.filter((a) => input.PublicIps!.includes(a.publicIp));
      }
      return { Addresses: applyFilters(all.map((a) => renderEip(scope, a)), input.Filters, EIP_FILTERS, (a) => a.Tags) };
    },

    AssociateAddress(input: T.AssociateAddressRequest, ctx: RequestContext): T.AssociateAddressResult {
      const scope = st.scope(ctx);
      const a = eipOf(st, scope, input.AllocationId, input.PublicIp);
      if (!input.InstanceId && !input.NetworkInterfaceId) {
        throw new AwsError('MissingParameter', 'Either instance ID or network interface id must be specified', 400);
      }
      if (a.natId) throw new AwsError('Resource.AlreadyAssociated', `Elastic IP address [${a.id}] is already associated`, 400);
      let eni: EniRec;
      let instanceId: string | undefined;
      if (input.InstanceId) {
        const i = st.instance(scope, input.InstanceId);
        const state = st.instanceState(i);
        if (state !== 'running' && state !== 'stopped') {
          throw new AwsError('IncorrectInstanceState', `The ${state} instance '${i.id}' is not in a valid state for this operation.`, 400);
        }
        eni = st.eni(scope, input.NetworkInterfaceId ?? i.eniId);
        instanceId = i.id;
      } else {
        eni = st.eni(scope, input.NetworkInterfaceId);
        instanceId = eni.instanceId;
      }
      const privateIp = input.PrivateIpAddress ?? eni.privateIp;
      if (privateIp !== eni.privateIp) throw new AwsError('InvalidParameterValue', `The private IP address ${privateIp} is not associated with the network interface ${eni.id}`, 400);
      const igw = [...st.igws.values(scope)].find((g) => g.vpcId === eni.vpcId);
      if (!igw) throw new AwsError('Gateway.NotAttached', `Network ${eni.vpcId} is not attached to any internet gateway`, 400);
      if (a.assocId && a.eniId !== eni.id && input.AllowReassociation === false) {
        throw new AwsError('Resource.AlreadyAssociated', `resource ${a.id} is already associated with associate-id ${a.assocId}`, 400);
      }
      dryRun(input);
      // An interface holds one Elastic IP per private address: the previous one is released.
      for (const other of st.eips.values(scope)) {
        if (other.id !== a.id && other.eniId === eni.id) {
          for (const k of ['assocId', 'eniId', 'privateIp', 'instanceId'] as const) delete other[k];
          st.eips.put(scope, other.id, other);
        }
      }
      Object.assign(a, { assocId: newId('eipassoc'), eniId: eni.id, privateIp, instanceId });
      st.eips.put(scope, a.id, a);
      if (eni.publicIp) {
        delete eni.publicIp; // the launch-time public address is released
        st.enis.put(scope, eni.id, eni);
      }
      return { AssociationId: a.assocId };
    },

    DisassociateAddress(input: T.DisassociateAddressRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      dryRun(input);
      const a = [...st.eips.values(scope)].find((x) => (input.AssociationId ? x.assocId === input.AssociationId : x.publicIp === input.PublicIp && x.assocId));
      if (!a) throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${input.AssociationId ?? input.PublicIp}' does not exist`, 400);
      if (a.natId) throw new AwsError('OperationNotPermitted', `You do not have permission to access the specified resource.`, 400);
      const eni = a.eniId ? st.enis.get(scope, a.eniId) : undefined;
      delete a.assocId;
      delete a.eniId;
      delete a.privateIp;
      delete a.instanceId;
      st.eips.put(scope, a.id, a);
      // An instance launched with a public address gets a new one back (unless it is stopped).
      const inst = eni?.instanceId ? st.instances.get(scope, eni.instanceId) : undefined;
      if (eni?.autoPublic && inst && st.instanceState(inst) !== 'stopped' && st.instanceState(inst) !== 'stopping') {
        eni.publicIp = randomPublicIp();
        st.enis.put(scope, eni.id, eni);
      }
    },

    ReleaseAddress(input: T.ReleaseAddressRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const a = eipOf(st, scope, input.AllocationId, input.PublicIp);
      dryRun(input);
      if (a.assocId) throw new AwsError('InvalidIPAddress.InUse', `Address '${a.publicIp}' is in use.`, 400);
      st.eips.delete(scope, a.id);
    },

    // ---- NAT gateways
    CreateNatGateway(input: T.CreateNatGatewayRequest, ctx: RequestContext): T.CreateNatGatewayResult {
      const scope = st.scope(ctx);
      if (!input.SubnetId) throw new AwsError('MissingParameter', 'The request must contain the parameter SubnetId', 400);
      const s = st.subnet(scope, input.SubnetId);
      const connectivity = input.ConnectivityType ?? 'public';
      if (connectivity !== 'public' && connectivity !== 'private') {
        throw new AwsError('InvalidParameterValue', `Value (${connectivity}) for parameter connectivityType is invalid.`, 400);
      }
      let eip: EipRec | undefined;
      if (connectivity === 'public') {
        if (!input.AllocationId) throw new AwsError('MissingParameter', 'The request must contain the parameter AllocationId', 400);
        eip = st.eip(scope, input.AllocationId);
        if (eip.assocId) throw new AwsError('Resource.AlreadyAssociated', `Elastic IP address [${eip.id}] is already associated`, 400);
      } else if (input.AllocationId) {
        throw new AwsError('InvalidParameterCombination', 'AllocationId cannot be specified for a private NAT gateway.', 400);
      }
      const tags = tagsFor(input.TagSpecifications, 'natgateway');
      dryRun(input);
      const ip = st.allocateIp(scope, s);
      const n: NatRec = {
        id: newId('nat'),
        subnetId: s.id,
        vpcId: s.vpcId,
        allocId: eip?.id,
        connectivity,
        privateIp: formatIp4(ip),
        eniId: newId('eni'),
        createdAt: st.now(),
        tags,
      };
      if (eip) {
        n.assocId = newId('eipassoc');
        n.publicIp = eip.publicIp;
        Object.assign(eip, { assocId: n.assocId, eniId: n.eniId, privateIp: n.privateIp, natId: n.id });
        st.eips.put(scope, eip.id, eip);
      }
      st.nats.put(scope, n.id, n);
      return { ClientToken: input.ClientToken, NatGateway: renderNat(st, scope, n) };
    },

    DeleteNatGateway(input: T.DeleteNatGatewayRequest, ctx: RequestContext): T.DeleteNatGatewayResult {
      const scope = st.scope(ctx);
      const n = st.nat(scope, input.NatGatewayId);
      dryRun(input);
      if (n.deletedAt === undefined) {
        n.deletedAt = st.now();
        st.releaseIp(scope, n.subnetId, ipNumber(n.privateIp));
        const eip = n.allocId ? st.eips.get(scope, n.allocId) : undefined;
        if (eip && eip.natId === n.id) {
          for (const k of ['assocId', 'eniId', 'privateIp', 'natId'] as const) delete eip[k];
          st.eips.put(scope, eip.id, eip);
        }
        st.nats.put(scope, n.id, n);
      }
      return { NatGatewayId: n.id };
    },

    DescribeNatGateways(input: T.DescribeNatGatewaysRequest, ctx: RequestContext): T.DescribeNatGatewaysResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const now = st.now();
      for (const n of [...st.nats.values(scope)]) {
        if (n.deletedAt !== undefined && now >= n.deletedAt + NAT_VISIBLE_AFTER_DELETE_MS) st.nats.delete(scope, n.id);
      }
      const all = pickIds([...st.nats.values(scope)], input.NatGatewayIds, (n) => n.id, NOT_FOUND.nat);
      const out = applyFilters(all.map((n) => renderNat(st, scope, n)), input.Filter, NAT_FILTERS, (n) => n.Tags);
      const { page, NextToken } = paginate(out, input);
      return { NatGateways: page, NextToken };
    },
  };
}

function eipOf(st: Ec2State, scope: Scope, allocationId: string | undefined, publicIp: string | undefined): EipRec {
  if (allocationId) return st.eip(scope, allocationId);
  const a = [...st.eips.values(scope)].find((x) => x.publicIp === publicIp);
  if (!a) throw new AwsError('InvalidAddress.NotFound', `Address '${publicIp}' not found.`, 400);
  return a;
}

const ipNumber = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
