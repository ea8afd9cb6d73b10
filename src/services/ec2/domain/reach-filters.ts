/**
 * The filters of the reachability model, over packet headers that are sets (address and port
 * ranges): security groups (allow-only; stateful, so only the initiating direction is checked),
 * network ACLs (ordered rules, first match decides, evaluated for every part of the header), and
 * route tables (longest prefix match, `local` before static before propagated routes).
 */
import type { Scope } from '../../../state/store.js';
import type { AclEntryRec, AclRec, Ec2State, EniRec, RouteRec, RtbRec, SgRec, SgRuleRec } from '../state.js';
import { parseCidr4 } from './cidr.js';
import { ALL_PORTS, cidrRange, cidrSet, intersect, isEmpty, normalize, subtract, type RangeSet } from './ranges.js';
import { propagatedRoutes } from './vpn.js';
import { prefixListCidrs } from '../operations/prefix-lists.js';

/** A set of packets: every combination of the ranges, one IP protocol ('6' tcp, '17' udp). */
export interface Header { protocol: string; src: RangeSet; dst: RangeSet; srcPorts: RangeSet; dstPorts: RangeSet }

export const reverse = (h: Header): Header => ({ protocol: h.protocol, src: h.dst, dst: h.src, srcPorts: h.dstPorts, dstPorts: h.srcPorts });
export const emptyHeader = (h: Header) => isEmpty(h.src) || isEmpty(h.dst) || isEmpty(h.srcPorts) || isEmpty(h.dstPorts);

const SG_PROTOCOL: Record<string, string> = { tcp: '6', udp: '17', icmp: '1', icmpv6: '58' };
const sgProtocol = (p: string) => SG_PROTOCOL[p] ?? p;

/** Addresses a security group rule's peer stands for (CIDR, prefix list, or the members of a group). */
export function sgPeer(st: Ec2State, scope: Scope, r: SgRuleRec): RangeSet {
  if (r.cidr4) return cidrSet([r.cidr4]);
  if (r.pl) return cidrSet(prefixListCidrs(st, scope, r.pl) ?? []);
  if (r.ref) {
    const owner = { account: r.ref.userId, region: scope.region };
    const members: string[] = [];
    for (const e of st.enis.values(owner)) if (e.sgIds.includes(r.ref.groupId)) members.push(`${e.privateIp}/32`);
    return cidrSet(members);
  }
  return [];
}

export interface SgMatch { header: Header; group: SgRec; rule: SgRuleRec }

/**
 * The first rule of the interface's groups that admits part of the header (egress: its
 * destinations; ingress: its sources), with the header narrowed to what that rule admits.
 */
export function securityGroupsAllow(st: Ec2State, scope: Scope, eni: EniRec, egress: boolean, h: Header): SgMatch | undefined {
  for (const id of eni.sgIds) {
    const g = st.sgs.get(scope, id);
    if (!g) continue;
    for (const r of g.rules) {
      if (r.egress !== egress) continue;
      const proto = sgProtocol(r.protocol);
      if (proto !== '-1' && proto !== h.protocol) continue;
      const peer = sgPeer(st, scope, r);
      const ports: RangeSet = r.from !== undefined && (proto === '6' || proto === '17') ? [[r.from, r.to!]] : ALL_PORTS;
      const addr = intersect(egress ? h.dst : h.src, peer);
      const dstPorts = intersect(h.dstPorts, ports);
      if (isEmpty(addr) || isEmpty(dstPorts)) continue;
      return { header: { ...h, ...(egress ? { dst: addr } : { src: addr }), dstPorts }, group: g, rule: r };
    }
  }
  return undefined;
}

interface Box { addr: RangeSet; ports: RangeSet }

function minus(b: Box, e: Box): Box[] {
  const ia = intersect(b.addr, e.addr);
  const ip = intersect(b.ports, e.ports);
  if (isEmpty(ia) || isEmpty(ip)) return [b];
  return [{ addr: subtract(b.addr, e.addr), ports: b.ports }, { addr: ia, ports: subtract(b.ports, e.ports) }].filter((x) => !isEmpty(x.addr) && !isEmpty(x.ports));
}

export type AclDecision = { allowed: true; header: Header; entry: AclEntryRec } | { allowed: false; entry: AclEntryRec };

/**
 * A network ACL on one direction of a subnet boundary: rules in number order, the first rule
 * matching a packet decides. Allowed when some part of the header meets an allow rule first.
 * The rule's address is the remote end (outbound: destination; inbound: source); its ports are
 * destination ports.
 */
export function aclDecide(acl: AclRec, egress: boolean, h: Header): AclDecision {
  const entries = acl.entries.filter((e) => e.egress === egress && e.cidr).sort((a, b) => a.rule - b.rule);
  let remaining: Box[] = [{ addr: egress ? h.dst : h.src, ports: h.dstPorts }];
  let last = entries[entries.length - 1]!;
  for (const e of entries) {
    if (e.protocol !== '-1' && e.protocol !== h.protocol) continue;
    const box: Box = { addr: cidrSet([e.cidr!]), ports: e.ports && (e.protocol === '6' || e.protocol === '17') ? [[e.ports.From ?? 0, e.ports.To ?? 65535]] : ALL_PORTS };
    if (e.action === 'allow') {
      for (const r of remaining) {
        const addr = intersect(r.addr, box.addr);
        const ports = intersect(r.ports, box.ports);
        if (!isEmpty(addr) && !isEmpty(ports)) return { allowed: true, entry: e, header: { ...h, ...(egress ? { dst: addr } : { src: addr }), dstPorts: ports } };
      }
    } else {
      const before = remaining;
      remaining = remaining.flatMap((r) => minus(r, box));
      if (remaining !== before) last = e;
      if (!remaining.length) return { allowed: false, entry: e };
    }
  }
  return { allowed: false, entry: last };
}

export interface RouteChoice { route: RouteRec; cidr: string; dst: RangeSet; propagated: boolean }

/**
 * Longest-prefix match of a destination set in a route table. With a set of destinations the
 * table splits it between routes; `prefer` picks the route that leads where the path is going
 * (e.g. the internet gateway for "any internet address"), else the most specific one wins.
 */
export function routeFor(st: Ec2State, scope: Scope, rtb: RtbRec, dst: RangeSet, prefer?: (r: RouteRec) => boolean): RouteChoice | undefined {
  const rank = (r: RouteRec, propagated: boolean) => (r.kind === 'local' ? 0 : propagated ? 2 : 1);
  const entries: { route: RouteRec; cidr: string; prefix: number; propagated: boolean }[] = [];
  const add = (route: RouteRec, propagated: boolean) => {
    const cidrs = route.dest ? [route.dest] : route.destPl ? (prefixListCidrs(st, scope, route.destPl) ?? []) : [];
    for (const cidr of cidrs) {
      const c = parseCidr4(cidr);
      if (c) entries.push({ route, cidr, prefix: c.prefix, propagated });
    }
  };
  for (const r of rtb.routes) add(r, false);
  for (const p of propagatedRoutes(st, scope, rtb)) add({ dest: p.cidr, kind: 'gateway', target: p.vgwId, origin: 'EnableVgwRoutePropagation' }, true);
  entries.sort((a, b) => b.prefix - a.prefix || rank(a.route, a.propagated) - rank(b.route, b.propagated));
  let remaining = normalize(dst);
  const choices: RouteChoice[] = [];
  for (const e of entries) {
    const part = intersect(remaining, [cidrRange(parseCidr4(e.cidr)!)]);
    if (isEmpty(part)) continue;
    choices.push({ route: e.route, cidr: e.cidr, dst: part, propagated: e.propagated });
    remaining = subtract(remaining, part);
    if (isEmpty(remaining)) break;
  }
  return (prefer && choices.find((c) => prefer(c.route))) || choices[0];
}

/** The route table of a subnet: its explicit association, else the VPC's main table. */
export function subnetRouteTable(st: Ec2State, scope: Scope, subnetId: string, vpcId: string): RtbRec | undefined {
  for (const r of st.rtbs.values(scope)) if (r.assocs.some((a) => a.subnetId === subnetId)) return r;
  return st.mainRtb(scope, vpcId);
}

/** The route table associated with a gateway (ingress routing), if any. */
export function edgeRouteTable(st: Ec2State, scope: Scope, gatewayId: string): RtbRec | undefined {
  for (const r of st.rtbs.values(scope)) if (r.assocs.some((a) => a.gatewayId === gatewayId)) return r;
  return undefined;
}
