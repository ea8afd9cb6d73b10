/**
 * The reachability model: walks a set of packets from a source to a destination through the
 * configured network — security groups (stateful: checked where a flow starts and where it is
 * admitted), network ACLs (stateless: both directions of every subnet boundary, the return
 * traffic to the source's ports), route tables (longest prefix match), internet gateways (public
 * addresses only), NAT gateways (source rewritten, ports remapped), VPC peering (active, into the
 * peer VPC's CIDRs only: not transitive), transit gateways (association, route table, attachment)
 * and gateway endpoints — and explains what blocks it with AWS's explanation codes. Filters that
 * deny are recorded and the walk goes on (AWS lists every blocking component it finds); a hop
 * that cannot be taken ends it (the hops beyond a subnet are in reach-hops.ts). Used by the
 * Reachability Analyzer and by flow logs.
 */
import type * as T from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import type { Ec2State, EniRec, RouteRec, SubnetRec } from '../state.js';
import { aclDecide, reverse, routeFor, securityGroupsAllow, subnetRouteTable, type Header } from './reach-filters.js';
import { intersect, isEmpty, INTERNET_ADDRESSES, portRanges, toCidrs, type RangeSet } from './ranges.js';
import { parseIp4 } from './cidr.js';
import { routeState } from '../operations/route-tables.js';
import { exitEndpoint, exitIgw, exitVgw, fromGateway, throughNat, throughPeering, throughTransitGateway } from './reach-hops.js';

export type Endpoint =
  | { kind: 'eni'; eni: EniRec; instanceId?: string; scope: Scope }
  | { kind: 'igw'; id: string; vpcId?: string }
  | { kind: 'vgw'; id: string; vpcId?: string }
  | { kind: 'ip' };

export interface Analysis { found: boolean; forward: T.PathComponent[]; ret: T.PathComponent[]; explanations: T.Explanation[]; reachedEni?: EniRec }

const TYPES: Record<string, string> = {
  i: 'instance', eni: 'network-interface', sg: 'security-group', acl: 'network-acl', rtb: 'route-table', igw: 'internet-gateway', vpc: 'vpc',
  subnet: 'subnet', nat: 'natgateway', pcx: 'vpc-peering-connection', tgw: 'transit-gateway', 'tgw-attach': 'transit-gateway-attachment',
  'tgw-rtb': 'transit-gateway-route-table', vgw: 'vpn-gateway', vpce: 'vpc-endpoint',
};

export function arnOf(scope: Scope, id: string): string {
  const prefix = id.startsWith('tgw-attach-') ? 'tgw-attach' : id.startsWith('tgw-rtb-') ? 'tgw-rtb' : id.slice(0, id.indexOf('-'));
  return `arn:aws:ec2:${scope.region}:${scope.account}:${TYPES[prefix] ?? prefix}/${id}`;
}

/** A path from a source to a destination, with the Explanations of what blocks it. */
export class Walk {
  readonly forward: T.PathComponent[] = [];
  readonly ret: T.PathComponent[] = [];
  readonly explanations: T.Explanation[] = [];
  /** checks of the return traffic, pushed hop by hop and run in reverse order */
  private readonly returns: ((h: Header) => boolean)[] = [];
  reachedEni?: EniRec;

  constructor(readonly st: Ec2State, readonly dst: Endpoint) {}

  comp(scope: Scope, id: string): T.AnalysisComponent {
    return { Id: id, Arn: arnOf(scope, id) };
  }
  step(list: T.PathComponent[], c: T.PathComponent): void {
    list.push({ SequenceNumber: list.length + 1, ...c });
  }
  explain(e: T.Explanation): void {
    this.explanations.push(e);
  }
  onReturn(check: (h: Header) => boolean): void {
    this.returns.push(check);
  }
  runReturn(h: Header): void {
    const rh = reverse(h);
    for (const check of [...this.returns].reverse()) if (!check(rh)) return;
  }

  // ---- subnet boundaries

  /** The network ACL of a subnet on one direction; records the component or the restriction. */
  acl(scope: Scope, s: SubnetRec, egress: boolean, h: Header, list = this.forward): Header {
    const acl = this.st.acls.get(scope, s.aclId);
    if (!acl) return h;
    const d = aclDecide(acl, egress, h);
    const rule: T.AnalysisAclRule = {
      Cidr: d.entry.cidr, Egress: egress, Protocol: d.entry.protocol, RuleAction: d.entry.action, RuleNumber: d.entry.rule,
      PortRange: d.entry.ports ? { From: d.entry.ports.From, To: d.entry.ports.To } : undefined,
    };
    if (!d.allowed) {
      this.explain({
        ExplanationCode: 'SUBNET_ACL_RESTRICTION', Direction: egress ? 'egress' : 'ingress', Acl: this.comp(scope, acl.id), AclRule: rule,
        Component: this.comp(scope, acl.id), Subnet: this.comp(scope, s.id), Vpc: this.comp(scope, s.vpcId),
      });
      return h;
    }
    this.step(list, { Component: this.comp(scope, acl.id), AclRule: rule, Subnet: this.comp(scope, s.id), Vpc: this.comp(scope, s.vpcId) });
    return d.header;
  }

  /** Leaving subnet `s` towards a hop outside it: its ACL outbound now, inbound for the return. */
  leave(scope: Scope, s: SubnetRec, h: Header): Header {
    const out = this.acl(scope, s, true, h);
    this.onReturn((rh) => {
      this.acl(scope, s, false, rh, this.ret);
      return true;
    });
    return out;
  }

  securityGroups(scope: Scope, eni: EniRec, egress: boolean, h: Header, list = this.forward): Header {
    const m = securityGroupsAllow(this.st, scope, eni, egress, h);
    if (!m) {
      this.explain({
        ExplanationCode: 'ENI_SG_RULES_MISMATCH', Direction: egress ? 'egress' : 'ingress', Component: this.comp(scope, eni.instanceId ?? eni.id),
        NetworkInterface: this.comp(scope, eni.id), SecurityGroups: eni.sgIds.map((id) => this.comp(scope, id)),
        Subnet: this.comp(scope, eni.subnetId), Vpc: this.comp(scope, eni.vpcId),
      });
      return h;
    }
    const r = m.rule;
    this.step(list, {
      Component: this.comp(scope, m.group.id),
      SecurityGroupRule: {
        Cidr: r.cidr4, Direction: egress ? 'egress' : 'ingress', PrefixListId: r.pl, SecurityGroupId: r.ref?.groupId ?? m.group.id,
        Protocol: r.protocol, PortRange: r.from !== undefined && (r.protocol === 'tcp' || r.protocol === 'udp') ? { From: r.from, To: r.to } : undefined,
      },
    });
    return m.header;
  }

  // ---- route tables

  /** A route of subnet `s`'s table for the header, preferring one that matches `want`. */
  route(scope: Scope, s: SubnetRec, h: Header, want: ((r: RouteRec) => boolean) | undefined, list: T.PathComponent[], destination?: T.AnalysisComponent) {
    const rtb = subnetRouteTable(this.st, scope, s.id, s.vpcId);
    if (!rtb) return undefined;
    const choice = routeFor(this.st, scope, rtb, h.dst, want);
    const base = { RouteTable: this.comp(scope, rtb.id), Component: this.comp(scope, rtb.id), Subnet: this.comp(scope, s.id), Vpc: this.comp(scope, s.vpcId) };
    if (!choice || (want && !want(choice.route))) {
      this.explain({ ExplanationCode: 'NO_ROUTE_TO_DESTINATION', ...base, Destination: destination, Addresses: destination ? undefined : toCidrs(h.dst).slice(0, 20) });
      return undefined;
    }
    const r = choice.route;
    const out: T.AnalysisRouteTableRoute = {
      DestinationCidr: choice.route.destPl ? undefined : choice.cidr, DestinationPrefixListId: r.destPl, Origin: r.origin === 'EnableVgwRoutePropagation' ? 'propagated' : r.origin,
      State: routeState(this.st, scope, rtb, r),
      ...(r.kind === 'local' || r.kind === 'gateway' || r.kind === 'endpoint' ? { GatewayId: r.target } : {}),
      ...(r.kind === 'nat' ? { NatGatewayId: r.target } : {}),
      ...(r.kind === 'peering' ? { VpcPeeringConnectionId: r.target } : {}),
      ...(r.kind === 'transit' ? { TransitGatewayId: r.target } : {}),
      ...(r.kind === 'eni' ? { NetworkInterfaceId: r.target } : {}),
      ...(r.kind === 'instance' ? { InstanceId: r.target } : {}),
    };
    if (out.State !== 'active') {
      this.explain({ ExplanationCode: 'BAD_STATE_ROUTE', ...base, RouteTableRoute: out, State: out.State });
      return undefined;
    }
    this.step(list, { Component: this.comp(scope, rtb.id), RouteTableRoute: out, Subnet: base.Subnet, Vpc: base.Vpc });
    return { route: r, h: { ...h, dst: choice.dst } };
  }

  /** Return traffic from subnet `s` must route back through the hop the flow came in by. */
  routeBack(scope: Scope, s: SubnetRec, want: ((r: RouteRec) => boolean) | undefined): void {
    this.onReturn((rh) => !!this.route(scope, s, rh, want, this.ret));
  }
}

/** Runs a path: `src` starts the flow; `h` is the set of packets the path allows. */
export function analyzePath(st: Ec2State, scope: Scope, src: Endpoint, dst: Endpoint, h: Header): Analysis {
  const w = new Walk(st, dst);
  let reached: Header | undefined;
  if (src.kind === 'eni') reached = fromEni(w, scope, src, h);
  else if (src.kind === 'igw' || src.kind === 'vgw') reached = fromGateway(w, scope, src, h);
  if (reached) w.runReturn(reached);
  const found = !!reached && w.explanations.length === 0;
  return { found, forward: w.forward, ret: w.ret, explanations: w.explanations, reachedEni: w.reachedEni };
}

function fromEni(w: Walk, scope: Scope, src: Extract<Endpoint, { kind: 'eni' }>, h: Header): Header | undefined {
  const { st } = w;
  const eni = src.eni;
  const s = st.subnets.get(scope, eni.subnetId);
  if (!s) return undefined;
  w.step(w.forward, { Component: w.comp(scope, src.instanceId ?? eni.id), Subnet: w.comp(scope, s.id), Vpc: w.comp(scope, s.vpcId), OutboundHeader: headerOut(h) });
  h = w.securityGroups(scope, eni, true, h);
  const dst = w.dst;
  // Within one subnet no route table or ACL is involved.
  if (dst.kind === 'eni' && dst.eni.subnetId === s.id && dst.scope.account === scope.account && dst.scope.region === scope.region) {
    return deliver(w, scope, dst.eni, h, s.id, undefined);
  }
  return leaveSubnet(w, scope, s, h, true);
}

/** Routes a flow out of subnet `s` (from an interface in it, or from a NAT gateway in it). */
export function leaveSubnet(w: Walk, scope: Scope, s: SubnetRec, h: Header, fromInterface: boolean): Header | undefined {
  const { st, dst } = w;
  const want =
    dst.kind === 'igw' ? (r: RouteRec) => r.kind === 'gateway' && r.target === dst.id
    : dst.kind === 'vgw' ? (r: RouteRec) => r.kind === 'gateway' && r.target === dst.id
    : dst.kind === 'ip' && !isEmpty(intersect(h.dst, INTERNET_ADDRESSES)) ? (r: RouteRec) => r.kind === 'gateway' || r.kind === 'nat' || r.kind === 'endpoint'
    : undefined;
  const destination = dst.kind === 'eni' ? w.comp(dst.scope, dst.instanceId ?? dst.eni.id) : dst.kind === 'igw' || dst.kind === 'vgw' ? w.comp(scope, dst.id) : undefined;
  // A flow to an internet gateway may go through a NAT gateway first.
  const routed = w.route(scope, s, h, want && dst.kind === 'igw' && fromInterface ? (r) => want(r) || r.kind === 'nat' : want, w.forward, destination);
  if (!routed) return undefined;
  const r = routed.route;
  if (r.kind === 'local') {
    const local = dst.kind === 'eni' && dst.scope.account === scope.account && dst.scope.region === scope.region && dst.eni.vpcId === s.vpcId;
    const target = local ? dst.eni : findEni(st, scope, s.vpcId, routed.h.dst);
    h = w.leave(scope, s, routed.h);
    if (!target) return ipReached(w, scope, s.vpcId, h);
    return deliver(w, scope, target, h, s.id, 'local');
  }
  h = w.leave(scope, s, routed.h);
  switch (r.kind) {
    case 'gateway':
      return r.target.startsWith('vgw-') ? exitVgw(w, scope, r.target, h) : exitIgw(w, scope, s, r.target, h, fromInterface);
    case 'nat':
      return fromInterface ? throughNat(w, scope, s, r.target, h) : undefined;
    case 'peering':
      return throughPeering(w, scope, s, r.target, h);
    case 'transit':
      return throughTransitGateway(w, scope, s, r.target, h);
    case 'endpoint':
      return exitEndpoint(w, scope, r.target, h);
    default:
      w.explain({ ExplanationCode: 'NO_POSSIBLE_DESTINATION', Component: w.comp(scope, r.target) });
      return undefined;
  }
}

export function findEni(st: Ec2State, scope: Scope, vpcId: string, dst: RangeSet): EniRec | undefined {
  for (const e of st.enis.values(scope)) {
    if (e.vpcId !== vpcId) continue;
    const ip = parseIp4(e.privateIp)!;
    if (!isEmpty(intersect(dst, [[ip, ip]]))) return e;
  }
  return undefined;
}

/** A destination given only as an address inside a VPC: reaching its subnet is reaching it. */
export function ipReached(w: Walk, scope: Scope, vpcId: string, h: Header): Header | undefined {
  if (w.dst.kind !== 'ip') {
    w.explain({ ExplanationCode: 'NO_POSSIBLE_DESTINATION', Vpc: w.comp(scope, vpcId) });
    return undefined;
  }
  return h;
}

/**
 * Into interface `eni` (scope of the interface's VPC): its subnet's ACL inbound unless the flow
 * comes from inside that subnet, its security groups inbound; the return must route back by `back`.
 */
export function deliver(w: Walk, scope: Scope, eni: EniRec, h: Header, fromSubnet: string | undefined, back: 'local' | ((r: RouteRec) => boolean) | undefined): Header | undefined {
  const { st } = w;
  if (w.dst.kind === 'eni' && w.dst.eni.id !== eni.id) {
    w.explain({ ExplanationCode: 'NO_POSSIBLE_DESTINATION', Component: w.comp(scope, eni.id) });
    return undefined;
  }
  const s = st.subnets.get(scope, eni.subnetId)!;
  if (s.id !== fromSubnet) {
    h = w.acl(scope, s, false, h);
    const sub = s;
    w.onReturn((rh) => {
      w.acl(scope, sub, true, rh, w.ret);
      return true;
    });
  }
  // The reply is routed by the destination subnet's table, even when it entered in that subnet.
  if (back) w.routeBack(scope, s, back === 'local' ? (r) => r.kind === 'local' : back);
  h = w.securityGroups(scope, eni, false, h);
  const dst = w.dst;
  w.step(w.forward, { Component: w.comp(scope, dst.kind === 'eni' ? (dst.instanceId ?? eni.id) : eni.id), Subnet: w.comp(scope, s.id), Vpc: w.comp(scope, s.vpcId), InboundHeader: headerOut(h) });
  w.reachedEni = eni;
  return h;
}

export function headerOut(h: Header): T.AnalysisPacketHeader {
  return {
    Protocol: h.protocol, SourceAddresses: toCidrs(h.src).slice(0, 40), DestinationAddresses: toCidrs(h.dst).slice(0, 40),
    SourcePortRanges: portRanges(h.srcPorts), DestinationPortRanges: portRanges(h.dstPorts),
  };
}
