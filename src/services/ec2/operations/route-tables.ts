/**
 * Route tables: the main table of each VPC with its `local` routes, custom tables, routes to
 * gateways / NAT gateways / instances / peering / interfaces with target validation, subnet and
 * gateway (edge) associations, main-table replacement, and the blackhole state of a route whose
 * target went away (computed when described).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { applyFilters, bool, dryRun, paginate, pickIds, type FilterFields } from '../common.js';
import { contains4, formatCidr4, isIpv6Cidr, parseCidr4 } from '../domain/cidr.js';
import { newId, NOT_FOUND, tagsFor, tagsOut, type Ec2State, type RouteRec, type RtbAssoc, type RtbRec, type TargetKind } from '../state.js';
import type { Scope } from '../../../state/store.js';
import { attachState } from '../domain/tgw.js';
import { propagatedRoutes, vgwVpc } from '../domain/vpn.js';
import { vpceState } from './endpoints.js';
import { pcxNotFound, pcxStatus, peerSide } from './peering.js';
import { plNotFound, prefixListWeight } from './prefix-lists.js';
import { egressGatewayTarget, eigwTable } from './egress-gateways.js';

export function routeState(st: Ec2State, scope: Scope, rtb: RtbRec, r: RouteRec): string {
  const now = st.now();
  switch (r.kind) {
    case 'local':
      return 'active';
    case 'gateway': {
      if (r.target.startsWith('vgw-')) {
        const v = st.vgws.get(scope, r.target);
        return v && v.deletedAt === undefined && vgwVpc(v, now) === rtb.vpcId ? 'active' : 'blackhole';
      }
      const g = st.igws.get(scope, r.target);
      return g && g.vpcId === rtb.vpcId ? 'active' : 'blackhole';
    }
    case 'nat': {
      const n = st.nats.get(scope, r.target);
      const s = n ? st.natState(n) : 'deleted';
      return s === 'available' || s === 'pending' ? 'active' : 'blackhole';
    }
    case 'instance': {
      const i = st.instances.get(scope, r.target);
      return i && st.instanceState(i) !== 'terminated' && st.instanceState(i) !== 'shutting-down' && st.instanceState(i) !== 'stopped' ? 'active' : 'blackhole';
    }
    case 'eni':
      return st.enis.has(scope, r.target) ? 'active' : 'blackhole';
    case 'egress':
      return eigwTable(st).has(scope, r.target) ? 'active' : 'blackhole';
    case 'peering': {
      const p = st.peerings.get(scope, r.target);
      return p && pcxStatus(p, now).code === 'active' ? 'active' : 'blackhole';
    }
    case 'transit': {
      const a = [...st.tgwAttachments.values(scope)].find((x) => x.tgwId === r.target && x.resourceId === rtb.vpcId && attachState(x, now) !== 'deleted');
      return a && attachState(a, now) === 'available' ? 'active' : 'blackhole';
    }
    case 'endpoint': {
      const e = st.endpoints.get(scope, r.target);
      return e && vpceState(e, now) !== 'deleted' ? 'active' : 'blackhole';
    }
    default:
      return 'blackhole';
  }
}

function renderRoute(st: Ec2State, scope: Scope, rtb: RtbRec, r: RouteRec): T.Route {
  const out: T.Route = {
    DestinationCidrBlock: r.dest,
    DestinationIpv6CidrBlock: r.dest6,
    DestinationPrefixListId: r.destPl,
    Origin: r.origin,
    State: routeState(st, scope, rtb, r),
  };
  switch (r.kind) {
    case 'local':
    case 'gateway':
    case 'endpoint':
      out.GatewayId = r.target;
      break;
    case 'nat':
      out.NatGatewayId = r.target;
      break;
    case 'instance':
      out.InstanceId = r.target;
      out.InstanceOwnerId = scope.account;
      out.NetworkInterfaceId = st.instances.get(scope, r.target)?.eniId;
      break;
    case 'peering':
      out.VpcPeeringConnectionId = r.target;
      break;
    case 'eni':
      out.NetworkInterfaceId = r.target;
      break;
    case 'egress':
      out.EgressOnlyInternetGatewayId = r.target;
      break;
    case 'transit':
      out.TransitGatewayId = r.target;
      break;
  }
  return out;
}

export function renderRtb(st: Ec2State, scope: Scope, r: RtbRec): T.RouteTable {
  const associations: T.RouteTableAssociation[] = [];
  if (r.main) associations.push({ Main: true, RouteTableAssociationId: r.mainAssocId, RouteTableId: r.id, AssociationState: { State: 'associated' } });
  for (const a of r.assocs) {
    associations.push({ Main: false, RouteTableAssociationId: a.id, RouteTableId: r.id, SubnetId: a.subnetId, GatewayId: a.gatewayId, AssociationState: { State: 'associated' } });
  }
  return {
    Associations: associations,
    PropagatingVgws: (r.propagatingVgws ?? []).map((GatewayId) => ({ GatewayId })),
    RouteTableId: r.id,
    Routes: [
      ...r.routes.map((x) => renderRoute(st, scope, r, x)),
      ...propagatedRoutes(st, scope, r).map((p) => ({ DestinationCidrBlock: p.cidr, GatewayId: p.vgwId, Origin: 'EnableVgwRoutePropagation', State: 'active' })),
    ],
    Tags: tagsOut(r.tags),
    VpcId: r.vpcId,
    OwnerId: scope.account,
  };
}

const RTB_FILTERS: FilterFields<T.RouteTable> = {
  'association.route-table-association-id': (r) => r.Associations?.map((a) => a.RouteTableAssociationId!),
  'association.route-table-id': (r) => r.Associations?.map((a) => a.RouteTableId!),
  'association.subnet-id': (r) => r.Associations?.flatMap((a) => (a.SubnetId ? [a.SubnetId] : [])),
  'association.gateway-id': (r) => r.Associations?.flatMap((a) => (a.GatewayId ? [a.GatewayId] : [])),
  'association.main': (r) => r.Associations?.map((a) => bool(!!a.Main)),
  'owner-id': (r) => r.OwnerId,
  'route-table-id': (r) => r.RouteTableId,
  'route.destination-cidr-block': (r) => r.Routes?.flatMap((x) => (x.DestinationCidrBlock ? [x.DestinationCidrBlock] : [])),
  'route.destination-ipv6-cidr-block': (r) => r.Routes?.flatMap((x) => (x.DestinationIpv6CidrBlock ? [x.DestinationIpv6CidrBlock] : [])),
  'route.destination-prefix-list-id': (r) => r.Routes?.flatMap((x) => (x.DestinationPrefixListId ? [x.DestinationPrefixListId] : [])),
  'route.gateway-id': (r) => r.Routes?.flatMap((x) => (x.GatewayId ? [x.GatewayId] : [])),
  'route.egress-only-internet-gateway-id': (r) => r.Routes?.flatMap((x) => (x.EgressOnlyInternetGatewayId ? [x.EgressOnlyInternetGatewayId] : [])),
  'route.instance-id': (r) => r.Routes?.flatMap((x) => (x.InstanceId ? [x.InstanceId] : [])),
  'route.nat-gateway-id': (r) => r.Routes?.flatMap((x) => (x.NatGatewayId ? [x.NatGatewayId] : [])),
  'route.transit-gateway-id': (r) => r.Routes?.flatMap((x) => (x.TransitGatewayId ? [x.TransitGatewayId] : [])),
  'route.vpc-peering-connection-id': (r) => r.Routes?.flatMap((x) => (x.VpcPeeringConnectionId ? [x.VpcPeeringConnectionId] : [])),
  'route.origin': (r) => r.Routes?.map((x) => x.Origin!),
  'route.state': (r) => r.Routes?.map((x) => x.State!),
  'vpc-id': (r) => r.VpcId,
};

const TARGETS: [keyof T.CreateRouteRequest, TargetKind][] = [
  ['GatewayId', 'gateway'],
  ['NatGatewayId', 'nat'],
  ['InstanceId', 'instance'],
  ['VpcPeeringConnectionId', 'peering'],
  ['NetworkInterfaceId', 'eni'],
  ['EgressOnlyInternetGatewayId', 'egress'],
  ['TransitGatewayId', 'transit'],
  ['VpcEndpointId', 'endpoint'],
  ['LocalGatewayId', 'gateway'],
  ['CarrierGatewayId', 'gateway'],
  ['CoreNetworkArn', 'gateway'],
];

type RouteInput = T.CreateRouteRequest;

interface Dest { key: 'dest' | 'dest6' | 'destPl'; value: string; label: string }

function destinationOf(input: RouteInput): Dest {
  const given = [
    input.DestinationCidrBlock !== undefined && 'c',
    input.DestinationIpv6CidrBlock !== undefined && '6',
    input.DestinationPrefixListId !== undefined && 'p',
  ].filter(Boolean);
  if (given.length === 0) {
    throw new AwsError('MissingParameter', 'The request must contain the parameter destinationCidrBlock or destinationIpv6CidrBlock or destinationPrefixListId', 400);
  }
  if (given.length > 1) throw new AwsError('InvalidParameterCombination', 'Only one of destinationCidrBlock, destinationIpv6CidrBlock and destinationPrefixListId may be specified.', 400);
  if (input.DestinationCidrBlock !== undefined) {
    const c = parseCidr4(input.DestinationCidrBlock);
    if (!c) throw new AwsError('InvalidParameterValue', `Value (${input.DestinationCidrBlock}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`, 400);
    const text = formatCidr4(c);
    return { key: 'dest', value: text, label: text };
  }
  if (input.DestinationIpv6CidrBlock !== undefined) {
    if (!isIpv6Cidr(input.DestinationIpv6CidrBlock)) {
      throw new AwsError('InvalidParameterValue', `Value (${input.DestinationIpv6CidrBlock}) for parameter destinationIpv6CidrBlock is invalid. This is not a valid IPv6 CIDR block.`, 400);
    }
    return { key: 'dest6', value: input.DestinationIpv6CidrBlock, label: input.DestinationIpv6CidrBlock };
  }
  return { key: 'destPl', value: input.DestinationPrefixListId!, label: input.DestinationPrefixListId! };
}

/** A route target that is a VPC endpoint must be one of this VPC's (a Gateway Load Balancer endpoint on AWS). */
function endpointTarget(st: Ec2State, scope: Scope, rtb: RtbRec, id: string): string {
  const e = st.endpoints.get(scope, id);
  if (!e || vpceState(e, st.now()) === 'deleted') throw new AwsError('InvalidVpcEndpointId.NotFound', `The VpcEndpoint ID '${id}' does not exist`, 400);
  if (e.vpcId !== rtb.vpcId) throw new AwsError('InvalidParameterValue', `route table ${rtb.id} and endpoint ${e.id} belong to different networks`, 400);
  if (e.type !== 'Interface') throw new AwsError('InvalidParameterValue', `The endpoint ${e.id} is a gateway endpoint; its routes are managed through ModifyVpcEndpoint.`, 400);
  return e.id;
}

/** A customer-managed prefix list as a route destination: it must exist and fit in the table's route quota. */
function checkPrefixListDestination(st: Ec2State, scope: Scope, rtb: RtbRec, id: string): void {
  if (!st.prefixLists.has(scope, id)) throw plNotFound(id);
  const used = rtb.routes.reduce((n, r) => n + (r.destPl && r.kind !== 'endpoint' ? prefixListWeight(st, scope, r.destPl) : 1), 0);
  if (used + prefixListWeight(st, scope, id) > ROUTES_PER_TABLE) {
    throw new AwsError('RouteLimitExceeded', `The maximum number of routes has been reached for route table ${rtb.id}.`, 400);
  }
}

const ROUTES_PER_TABLE = 500;

/** The one target of a route, validated against what exists in this VPC. */
function targetOf(st: Ec2State, scope: Scope, rtb: RtbRec, input: RouteInput, dest: Dest): { kind: TargetKind; target: string } {
  const given = TARGETS.filter(([k]) => input[k] !== undefined);
  if (given.length === 0) {
    throw new AwsError(
      'MissingParameter',
      'The request must contain exactly one of gatewayId, natGatewayId, instanceId, vpcPeeringConnectionId, networkInterfaceId, egressOnlyInternetGatewayId, transitGatewayId, localGatewayId, carrierGatewayId, vpcEndpointId, coreNetworkArn',
      400,
    );
  }
  if (given.length > 1) throw new AwsError('InvalidParameterCombination', 'More than one target specified', 400);
  const [key, kind] = given[0]!;
  const id = String(input[key]);
  switch (kind) {
    case 'gateway': {
      if (key === 'GatewayId' && id.startsWith('vgw-')) {
        const v = st.vgws.get(scope, id);
        if (!v || v.deletedAt !== undefined) throw new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`, 400);
        if (!v.attachments.some((a) => a.vpcId === rtb.vpcId && a.detachedAt === undefined)) {
          throw new AwsError('InvalidParameterValue', `route table ${rtb.id} and network gateway ${v.id} belong to different networks`, 400);
        }
        break;
      }
      if (key === 'GatewayId' && id.startsWith('vpce-')) return { kind: 'endpoint', target: endpointTarget(st, scope, rtb, id) };
      if (key !== 'GatewayId' || !id.startsWith('igw-')) throw new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`, 400);
      const g = st.igw(scope, id);
      if (g.vpcId !== rtb.vpcId) throw new AwsError('InvalidParameterValue', `route table ${rtb.id} and network gateway ${g.id} belong to different networks`, 400);
      break;
    }
    case 'nat': {
      const n = st.nat(scope, id);
      if (n.vpcId !== rtb.vpcId) throw new AwsError('InvalidParameterValue', `route table ${rtb.id} and NAT gateway ${n.id} belong to different networks`, 400);
      break;
    }
    case 'instance': {
      const i = st.instance(scope, id);
      if (st.instanceState(i) === 'terminated' || st.instanceState(i) === 'shutting-down') throw NOT_FOUND.instance(id);
      if (i.vpcId !== rtb.vpcId) throw new AwsError('InvalidParameterValue', `route table ${rtb.id} and instance ${i.id} belong to different networks`, 400);
      break;
    }
    case 'peering': {
      const p = st.peerings.get(scope, id);
      const code = p ? pcxStatus(p, st.now()).code : undefined;
      if (!p || !code || ['deleted', 'failed', 'rejected', 'expired'].includes(code)) throw pcxNotFound(id);
      if (!peerSide(p, scope, rtb.vpcId)) throw new AwsError('InvalidParameterValue', `route table ${rtb.id} and peering connection ${p.id} belong to different networks`, 400);
      break;
    }
    case 'eni': {
      const e = st.enis.get(scope, id);
      if (!e) throw new AwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${id}' does not exist`, 400);
      if (e.vpcId !== rtb.vpcId) throw new AwsError('InvalidParameterValue', `route table ${rtb.id} and interface ${e.id} belong to different networks`, 400);
      break;
    }
    case 'egress':
      egressGatewayTarget(st, scope, rtb.vpcId, rtb.id, id, dest.key === 'dest6');
      break;
    case 'transit': {
      // The VPC must be attached to the transit gateway.
      const attached = [...st.tgwAttachments.values(scope)].some((a) => a.tgwId === id && a.resourceId === rtb.vpcId && attachState(a, st.now()) !== 'deleted');
      if (!attached) throw new AwsError('InvalidTransitGatewayID.NotFound', `The transitGateway ID '${id}' does not exist.`, 400);
      break;
    }
    case 'endpoint':
      return { kind: 'endpoint', target: endpointTarget(st, scope, rtb, id) };
    default:
      break;
  }
  // A destination inside the VPC's own range can only go to an interface or an instance.
  if (dest.key === 'dest' && (kind === 'gateway' || kind === 'nat')) {
    const d = parseCidr4(dest.value)!;
    const vpc = st.vpc(scope, rtb.vpcId);
    if (vpc.cidrAssocs.some((a) => contains4(parseCidr4(a.cidr)!, d))) {
      throw new AwsError(
        'InvalidParameterValue',
        `The destination CIDR block ${dest.value} is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.`,
        400,
      );
    }
  }
  return { kind, target: id };
}

const sameDest = (r: RouteRec, d: Dest) => r[d.key] === d.value;
const isGatewayEndpointRoute = (st: Ec2State, scope: Scope, r: RouteRec) => r.kind === 'endpoint' && st.endpoints.get(scope, r.target)?.type === 'Gateway';

function findAssoc(st: Ec2State, scope: Scope, id: string | undefined): { rtb: RtbRec; main: boolean } {
  for (const r of st.rtbs.values(scope)) {
    if (r.main && r.mainAssocId === id) return { rtb: r, main: true };
    if (r.assocs.some((a) => a.id === id)) return { rtb: r, main: false };
  }
  throw new AwsError('InvalidAssociationID.NotFound', `The association ID '${id}' does not exist`, 400);
}

export function routeTableOperations(st: Ec2State) {
  return {
    CreateRouteTable(input: T.CreateRouteTableRequest, ctx: RequestContext): T.CreateRouteTableResult {
      const scope = st.scope(ctx);
      const vpc = st.vpc(scope, input.VpcId);
      const tags = tagsFor(input.TagSpecifications, 'route-table');
      dryRun(input);
      const routes: RouteRec[] = vpc.cidrAssocs.map((a) => ({ dest: a.cidr, kind: 'local', target: 'local', origin: 'CreateRouteTable' }));
      for (const a of vpc.ipv6Assocs) routes.push({ dest6: a.cidr, kind: 'local', target: 'local', origin: 'CreateRouteTable' });
      const r: RtbRec = { id: newId('rtb'), vpcId: vpc.id, main: false, assocs: [], routes, tags };
      st.rtbs.put(scope, r.id, r);
      return { RouteTable: renderRtb(st, scope, r), ClientToken: input.ClientToken };
    },

    DeleteRouteTable(input: T.DeleteRouteTableRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const r = st.rtb(scope, input.RouteTableId);
      dryRun(input);
      if (r.main || r.assocs.length) throw new AwsError('DependencyViolation', `The routeTable '${r.id}' has dependencies and cannot be deleted.`, 400);
      st.rtbs.delete(scope, r.id);
    },

    DescribeRouteTables(input: T.DescribeRouteTablesRequest, ctx: RequestContext): T.DescribeRouteTablesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = pickIds([...st.rtbs.values(scope)], input.RouteTableIds, (r) => r.id, NOT_FOUND.rtb);
      const out = applyFilters(all.map((r) => renderRtb(st, scope, r)), input.Filters, RTB_FILTERS, (r) => r.Tags);
      const { page, NextToken } = paginate(out, input);
      return { RouteTables: page, NextToken };
    },

    CreateRoute(input: T.CreateRouteRequest, ctx: RequestContext): T.CreateRouteResult {
      const scope = st.scope(ctx);
      const r = st.rtb(scope, input.RouteTableId);
      const dest = destinationOf(input);
      if (r.routes.some((x) => sameDest(x, dest))) throw new AwsError('RouteAlreadyExists', `The route identified by ${dest.label} already exists.`, 400);
      const t = targetOf(st, scope, r, input, dest);
      if (dest.key === 'destPl') checkPrefixListDestination(st, scope, r, dest.value);
      dryRun(input);
      r.routes.push({ [dest.key]: dest.value, ...t, origin: 'CreateRoute' });
      st.rtbs.put(scope, r.id, r);
      return { Return: true };
    },

    ReplaceRoute(input: T.ReplaceRouteRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const r = st.rtb(scope, input.RouteTableId);
      const dest = destinationOf(input as RouteInput);
      const i = r.routes.findIndex((x) => sameDest(x, dest));
      if (i < 0) throw new AwsError('InvalidParameterValue', `There is no route defined for '${dest.label}' in the route table. Use CreateRoute instead.`, 400);
      if (r.routes[i]!.kind === 'local' && input.LocalTarget !== true) {
        throw new AwsError('InvalidParameterValue', `cannot replace local route ${dest.label} in route table ${r.id}`, 400);
      }
      const t = targetOf(st, scope, r, input as RouteInput, dest);
      dryRun(input);
      r.routes[i] = { [dest.key]: dest.value, ...t, origin: 'CreateRoute' };
      st.rtbs.put(scope, r.id, r);
    },

    DeleteRoute(input: T.DeleteRouteRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const r = st.rtb(scope, input.RouteTableId);
      const dest = destinationOf(input as RouteInput);
      const i = r.routes.findIndex((x) => sameDest(x, dest));
      const what = dest.key === 'dest' ? 'destination-cidr-block' : dest.key === 'dest6' ? 'destination-ipv6-cidr-block' : 'destination-prefix-list-id';
      if (i < 0) throw new AwsError('InvalidRoute.NotFound', `no route with ${what} ${dest.label} in route table ${r.id}`, 400);
      if (r.routes[i]!.kind === 'local') throw new AwsError('InvalidParameterValue', `cannot remove local route ${dest.label} in route table ${r.id}`, 400);
      if (isGatewayEndpointRoute(st, scope, r.routes[i]!)) {
        throw new AwsError('InvalidParameterValue', `The route to ${dest.label} belongs to a VPC endpoint; use ModifyVpcEndpoint to remove it.`, 400);
      }
      dryRun(input);
      r.routes.splice(i, 1);
      st.rtbs.put(scope, r.id, r);
    },

    AssociateRouteTable(input: T.AssociateRouteTableRequest, ctx: RequestContext): T.AssociateRouteTableResult {
      const scope = st.scope(ctx);
      const r = st.rtb(scope, input.RouteTableId);
      if (!input.SubnetId === !input.GatewayId) {
        throw new AwsError('InvalidParameterCombination', 'Exactly one of subnetId or gatewayId must be specified.', 400);
      }
      const assoc: RtbAssoc = { id: newId('rtbassoc') };
      if (input.SubnetId) {
        const s = st.subnet(scope, input.SubnetId);
        if (s.vpcId !== r.vpcId) throw new AwsError('InvalidParameterValue', `Route table ${r.id} and subnet ${s.id} belong to different networks`, 400);
        if ([...st.rtbs.values(scope)].some((x) => x.assocs.some((a) => a.subnetId === s.id))) {
          throw new AwsError('Resource.AlreadyAssociated', `the specified association for route table ${r.id} conflicts with an existing association`, 400);
        }
        assoc.subnetId = s.id;
      } else {
        const g = st.igw(scope, input.GatewayId);
        if (g.vpcId !== r.vpcId) throw new AwsError('InvalidParameterValue', `Route table ${r.id} and gateway ${g.id} belong to different networks`, 400);
        if ([...st.rtbs.values(scope)].some((x) => x.assocs.some((a) => a.gatewayId === g.id))) {
          throw new AwsError('Resource.AlreadyAssociated', `the specified association for route table ${r.id} conflicts with an existing association`, 400);
        }
        assoc.gatewayId = g.id;
      }
      dryRun(input);
      r.assocs.push(assoc);
      st.rtbs.put(scope, r.id, r);
      return { AssociationId: assoc.id, AssociationState: { State: 'associated' } };
    },

    DisassociateRouteTable(input: T.DisassociateRouteTableRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const { rtb, main } = findAssoc(st, scope, input.AssociationId);
      if (main) throw new AwsError('InvalidParameterValue', `cannot disassociate the main route table association ${input.AssociationId}`, 400);
      dryRun(input);
      rtb.assocs = rtb.assocs.filter((a) => a.id !== input.AssociationId);
      st.rtbs.put(scope, rtb.id, rtb);
    },

    ReplaceRouteTableAssociation(input: T.ReplaceRouteTableAssociationRequest, ctx: RequestContext): T.ReplaceRouteTableAssociationResult {
      const scope = st.scope(ctx);
      const { rtb: old, main } = findAssoc(st, scope, input.AssociationId);
      const next = st.rtb(scope, input.RouteTableId);
      if (next.vpcId !== old.vpcId) throw new AwsError('InvalidParameterValue', `Route table ${next.id} belongs to a different network than the association ${input.AssociationId}`, 400);
      dryRun(input);
      const id = newId('rtbassoc');
      if (main) {
        old.main = false;
        delete old.mainAssocId;
        st.rtbs.put(scope, old.id, old);
        next.main = true;
        next.mainAssocId = id;
        st.rtbs.put(scope, next.id, next);
      } else {
        const a = old.assocs.find((x) => x.id === input.AssociationId)!;
        old.assocs = old.assocs.filter((x) => x !== a);
        st.rtbs.put(scope, old.id, old);
        const moved = { ...a, id };
        if (old === next) next.assocs = [...old.assocs];
        next.assocs.push(moved);
        st.rtbs.put(scope, next.id, next);
      }
      return { NewAssociationId: id, AssociationState: { State: 'associated' } };
    },
  };
}
