/**
 * The hops of the reachability model beyond a subnet: internet gateways (public addresses only),
 * virtual private gateways, gateway endpoints (TCP to the service's prefix list), NAT gateways
 * (source rewritten, ports remapped), VPC peering (active, into the peer VPC's CIDRs only: not
 * transitive), transit gateways (attachment, association, route table, attachment), and flows
 * that enter a VPC through an internet or virtual private gateway.
 */
import type * as T from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import type { EniRec, SubnetRec } from '../state.js';
import type { PcxRec, TgwAttachRec } from '../records.js';
import type { Header } from './reach-filters.js';
import { cidrSet, intersect, isEmpty, INTERNET_ADDRESSES, PRIVATE_ADDRESSES, toCidrs } from './ranges.js';
import { parseCidr4, parseIp4 } from './cidr.js';
import { attachState, tgwRoutes } from './tgw.js';
import { pcxStatus, peerSide } from '../operations/peering.js';
import { publicAddress } from '../operations/instance-render.js';
import { vpceState } from '../operations/endpoints.js';
import { deliver, findEni, headerOut, ipReached, leaveSubnet, type Endpoint, type Walk } from './reach.js';

export function exitIgw(w: Walk, scope: Scope, from: SubnetRec, igwId: string, h: Header, fromInterface: boolean): Header | undefined {
  const { st } = w;
  const igw = w.comp(scope, igwId);
  const outside = intersect(h.dst, INTERNET_ADDRESSES);
  if (isEmpty(outside)) {
    w.explain({ ExplanationCode: 'IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS', Component: igw, InternetGateway: igw, Addresses: toCidrs(h.dst).slice(0, 20) });
    return undefined;
  }
  // The source must own a public address (or be a public NAT gateway).
  if (fromInterface && w.dst.kind !== 'eni') {
    const srcIp = h.src.length === 1 && h.src[0]![0] === h.src[0]![1] ? h.src[0]![0] : undefined;
    const eni = srcIp === undefined ? undefined : [...st.enis.values(scope)].find((e) => e.vpcId === from.vpcId && parseIp4(e.privateIp) === srcIp);
    if (eni && !publicAddress(st, scope, eni)) {
      w.explain({ ExplanationCode: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS', Component: igw, InternetGateway: igw, Address: eni.privateIp, NetworkInterface: w.comp(scope, eni.id) });
    }
  }
  h = { ...h, dst: outside };
  w.step(w.forward, { Component: igw, InboundHeader: headerOut(h), Vpc: w.comp(scope, from.vpcId) });
  if (w.dst.kind === 'igw' || w.dst.kind === 'ip') return h;
  w.explain({ ExplanationCode: 'NO_POSSIBLE_DESTINATION', Component: igw });
  return undefined;
}

export function exitVgw(w: Walk, scope: Scope, vgwId: string, h: Header): Header | undefined {
  w.step(w.forward, { Component: w.comp(scope, vgwId), InboundHeader: headerOut(h) });
  if (w.dst.kind === 'vgw' || w.dst.kind === 'ip') return h;
  w.explain({ ExplanationCode: 'NO_POSSIBLE_DESTINATION', Component: w.comp(scope, vgwId) });
  return undefined;
}

export function exitEndpoint(w: Walk, scope: Scope, vpceId: string, h: Header): Header | undefined {
  const e = w.st.endpoints.get(scope, vpceId);
  const c = w.comp(scope, vpceId);
  if (!e || vpceState(e, w.st.now()) !== 'available') {
    w.explain({ ExplanationCode: 'BAD_STATE', Component: c, VpcEndpoint: c });
    return undefined;
  }
  if (e.type === 'Gateway' && h.protocol !== '6') {
    w.explain({ ExplanationCode: 'VPCE_GATEWAY_PROTOCOL_RESTRICTION', Component: c, VpcEndpoint: c, Protocols: [h.protocol] });
    return undefined;
  }
  w.step(w.forward, { Component: c, InboundHeader: headerOut(h) });
  return w.dst.kind === 'ip' ? h : undefined;
}

export function throughNat(w: Walk, scope: Scope, from: SubnetRec, natId: string, h: Header): Header | undefined {
  const { st } = w;
  const n = st.nats.get(scope, natId);
  const c = w.comp(scope, natId);
  if (!n || st.natState(n) !== 'available') {
    w.explain({ ExplanationCode: 'BAD_STATE', Component: c, NatGateway: c, State: n ? st.natState(n) : 'deleted' });
    return undefined;
  }
  const ns = st.subnets.get(scope, n.subnetId)!;
  if (ns.id !== from.id) {
    h = w.acl(scope, ns, false, h);
    w.onReturn((rh) => {
      w.acl(scope, ns, true, rh, w.ret);
      return true;
    });
  }
  // The NAT gateway rewrites the source to its own address and remaps the source port.
  const natIp = parseIp4(n.privateIp)!;
  const out: Header = { ...h, src: [[natIp, natIp]], srcPorts: [[1024, 65535]] };
  w.step(w.forward, { Component: c, InboundHeader: headerOut(h), OutboundHeader: headerOut(out), Subnet: w.comp(scope, ns.id), Vpc: w.comp(scope, ns.vpcId) });
  if (w.dst.kind === 'igw' && !n.allocId) {
    w.explain({ ExplanationCode: 'IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS', Component: c, NatGateway: c, Address: n.privateIp });
  }
  const back = leaveSubnet(w, scope, ns, out, false);
  return back ? h : undefined;
}

export function throughPeering(w: Walk, scope: Scope, from: SubnetRec, pcxId: string, h: Header): Header | undefined {
  const { st } = w;
  const p = st.peerings.get(scope, pcxId) as PcxRec | undefined;
  const c = w.comp(scope, pcxId);
  const status = p ? pcxStatus(p, st.now()).code : 'deleted';
  const sides = p ? peerSide(p, scope, from.vpcId) : undefined;
  if (!p || status !== 'active' || !sides) {
    w.explain({ ExplanationCode: 'BAD_STATE', Component: c, VpcPeeringConnection: c, State: status });
    return undefined;
  }
  const remote = sides.remote;
  // Not transitive: only addresses of the peer VPC itself cross the connection.
  const inside = intersect(h.dst, cidrSet(remote.cidrs));
  if (isEmpty(inside)) {
    w.explain({ ExplanationCode: 'PCX_REQUIRES_ADDRESS_IN_VPC_CIDR', Component: c, VpcPeeringConnection: c, Cidrs: remote.cidrs });
    return undefined;
  }
  h = { ...h, dst: inside };
  const peerScope = { account: remote.account, region: remote.region };
  w.step(w.forward, { Component: c, SourceVpc: w.comp(scope, from.vpcId), DestinationVpc: w.comp(peerScope, remote.vpcId) });
  const target = w.dst.kind === 'eni' && w.dst.eni.vpcId === remote.vpcId ? w.dst.eni : findEni(st, peerScope, remote.vpcId, h.dst);
  if (!target) return ipReached(w, peerScope, remote.vpcId, h);
  return deliver(w, peerScope, target, h, undefined, (r) => r.kind === 'peering' && r.target === pcxId);
}

export function throughTransitGateway(w: Walk, scope: Scope, from: SubnetRec, tgwId: string, h: Header): Header | undefined {
  const { st } = w;
  const now = st.now();
  const tgw = w.comp(scope, tgwId);
  const a = [...st.tgwAttachments.values(scope)].find((x) => x.tgwId === tgwId && x.resourceId === from.vpcId && attachState(x, now) !== 'deleted');
  if (!a || attachState(a, now) !== 'available') {
    w.explain({ ExplanationCode: 'BAD_STATE_ATTACHMENT', Component: tgw, TransitGateway: tgw, TransitGatewayAttachment: a ? w.comp(scope, a.id) : undefined });
    return undefined;
  }
  const azs = a.subnetIds.map((id) => st.subnets.get(scope, id)?.az);
  if (!azs.includes(from.az)) {
    w.explain({ ExplanationCode: 'TGW_ROUTE_AZ_RESTRICTION', Component: w.comp(scope, a.id), TransitGatewayAttachment: w.comp(scope, a.id), AvailabilityZones: [from.az] });
    return undefined;
  }
  const hop = tgwHop(w, scope, a, h, w.forward);
  if (!hop) return undefined;
  const b = hop.to;
  w.step(w.forward, { Component: w.comp(scope, b.id), TransitGateway: tgw, Vpc: b.resourceType === 'vpc' ? w.comp(scope, b.resourceId) : undefined });
  h = hop.h;
  if (b.resourceType !== 'vpc') return w.dst.kind === 'ip' ? h : undefined;
  // The return leaves the destination VPC by the gateway and must be routed back to the source's attachment.
  w.onReturn((rh) => !!tgwHop(w, scope, b, rh, w.ret));
  const target = w.dst.kind === 'eni' && w.dst.eni.vpcId === b.resourceId ? w.dst.eni : findEni(st, scope, b.resourceId, h.dst);
  if (!target) return ipReached(w, scope, b.resourceId, h);
  // Traffic enters the VPC from the attachment's interface in the destination's zone.
  const entry = b.subnetIds.find((id) => st.subnets.get(scope, id)?.az === st.subnets.get(scope, target.subnetId)?.az);
  return deliver(w, scope, target, h, entry, (r) => r.kind === 'transit' && r.target === tgwId);
}

/** One pass through a transit gateway route table: from attachment `a` to the attachment its route names. */
function tgwHop(w: Walk, scope: Scope, a: TgwAttachRec, h: Header, list: T.PathComponent[]): { to: TgwAttachRec; h: Header } | undefined {
  const { st } = w;
  const tgw = w.comp(scope, a.tgwId);
  const rtb = a.rtbId ? st.tgwRtbs.get(scope, a.rtbId) : undefined;
  if (!rtb) {
    w.explain({ ExplanationCode: 'TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION', Component: w.comp(scope, a.id), TransitGateway: tgw, TransitGatewayAttachment: w.comp(scope, a.id) });
    return undefined;
  }
  const routes = tgwRoutes(st, scope, rtb)
    .map((r) => ({ r, c: parseCidr4(r.cidr)! }))
    .filter(({ c }) => !isEmpty(intersect(h.dst, [[c.base, c.base + 2 ** (32 - c.prefix) - 1]])))
    .sort((x, y) => y.c.prefix - x.c.prefix);
  const best = routes[0];
  const table = w.comp(scope, rtb.id);
  if (!best) {
    w.explain({ ExplanationCode: 'NO_ROUTE_TO_DESTINATION', Component: table, TransitGatewayRouteTable: table, TransitGateway: tgw, Addresses: toCidrs(h.dst).slice(0, 20) });
    return undefined;
  }
  const route: T.TransitGatewayRouteTableRoute = {
    DestinationCidr: best.r.cidr, State: best.r.state, RouteOrigin: best.r.type, ResourceId: best.r.attachment?.resourceId, ResourceType: best.r.attachment?.resourceType,
    AttachmentId: best.r.attachment?.id,
  };
  if (best.r.state !== 'active' || !best.r.attachment) {
    w.explain({ ExplanationCode: 'TGW_RTB_BAD_STATE_ROUTE', Component: table, TransitGatewayRouteTable: table, TransitGatewayRouteTableRoute: route, TransitGateway: tgw });
    return undefined;
  }
  const c = best.c;
  w.step(list, { Component: tgw, TransitGateway: tgw, TransitGatewayRouteTableRoute: route });
  return { to: best.r.attachment, h: { ...h, dst: intersect(h.dst, [[c.base, c.base + 2 ** (32 - c.prefix) - 1]]) } };
}

/** Internet gateway or virtual private gateway → an interface of the VPC. */
export function fromGateway(w: Walk, scope: Scope, src: Extract<Endpoint, { kind: 'igw' | 'vgw' }>, h: Header): Header | undefined {
  const { st } = w;
  const c = w.comp(scope, src.id);
  w.step(w.forward, { Component: c, OutboundHeader: headerOut(h), Vpc: src.vpcId ? w.comp(scope, src.vpcId) : undefined });
  if (!src.vpcId) {
    w.explain({ ExplanationCode: 'BAD_STATE_ATTACHMENT', Component: c, ...(src.kind === 'igw' ? { InternetGateway: c } : { VpnGateway: c }) });
    return undefined;
  }
  if (src.kind === 'igw' && !isEmpty(intersect(h.src, PRIVATE_ADDRESSES)) && isEmpty(intersect(h.src, INTERNET_ADDRESSES))) {
    w.explain({ ExplanationCode: 'IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS', Component: c, InternetGateway: c });
    return undefined;
  }
  const dst = w.dst;
  let target: EniRec | undefined;
  if (dst.kind === 'eni') target = dst.eni;
  else {
    target = findEni(st, scope, src.vpcId, h.dst);
    if (!target) return ipReached(w, scope, src.vpcId, h);
  }
  if (target.vpcId !== src.vpcId) {
    w.explain({ ExplanationCode: 'NO_POSSIBLE_DESTINATION', Component: c, Destination: w.comp(dst.kind === 'eni' ? dst.scope : scope, target.id) });
    return undefined;
  }
  if (src.kind === 'igw') {
    // An internet gateway reaches only interfaces with a public address; it translates it to the private one.
    if (!publicAddress(st, scope, target)) {
      w.explain({ ExplanationCode: 'IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS', Component: c, InternetGateway: c, NetworkInterface: w.comp(scope, target.id), Address: target.privateIp });
    }
  }
  const ip = parseIp4(target.privateIp)!;
  h = { ...h, dst: [[ip, ip]] };
  return deliver(w, scope, target, h, undefined, (r) => r.kind === 'gateway' && r.target === src.id);
}
