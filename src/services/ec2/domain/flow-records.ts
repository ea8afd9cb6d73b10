/**
 * VPC flow log records: the fields of AWS's record versions 2–5, the default format, the custom
 * format check, and the records one flow produces at the interfaces it touches, with ACCEPT or
 * REJECT as the reachability model decides (security groups are stateful: a reply is never
 * refused by them; network ACLs are not: the reply can be refused at either subnet).
 */
import { AwsError } from '../../../core/errors.js';
import type { EniRec } from '../state.js';
import type { Analysis } from './reach.js';

export const DEFAULT_FORMAT = '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}';

/** Each supported field with the record version that introduced it. */
const FIELDS: Record<string, number> = {
  version: 2, 'account-id': 2, 'interface-id': 2, srcaddr: 2, dstaddr: 2, srcport: 2, dstport: 2, protocol: 2, packets: 2, bytes: 2, start: 2, end: 2,
  action: 2, 'log-status': 2, 'vpc-id': 3, 'subnet-id': 3, 'instance-id': 3, 'tcp-flags': 3, type: 3, 'pkt-srcaddr': 3, 'pkt-dstaddr': 3, region: 4,
  'az-id': 4, 'sublocation-type': 4, 'sublocation-id': 4, 'pkt-src-aws-service': 5, 'pkt-dst-aws-service': 5, 'flow-direction': 5, 'traffic-path': 5,
  'ecs-cluster-arn': 7, 'ecs-cluster-name': 7, 'ecs-container-instance-arn': 7, 'ecs-container-instance-id': 7, 'ecs-container-id': 7,
  'ecs-second-container-id': 7, 'ecs-service-name': 7, 'ecs-task-definition-arn': 7, 'ecs-task-arn': 7, 'ecs-task-id': 7, 'reject-reason': 8,
};

/** The field names of a format, or AWS's error for an unknown one. */
export function formatFields(format: string): string[] {
  const names = [...format.matchAll(/\$\{([^}]+)\}/g)].map((m) => m[1]!);
  const rest = format.replace(/\$\{[^}]+\}/g, '').trim();
  if (!names.length || rest) throw new AwsError('InvalidParameter', `Invalid log format: ${format}`, 400);
  const unknown = names.filter((n) => !(n in FIELDS));
  if (unknown.length) throw new AwsError('InvalidParameter', `Unknown fields provided: ${unknown.join(', ')}`, 400);
  return names;
}

export interface FlowRecord {
  eni: EniRec; direction: 'ingress' | 'egress'; srcaddr: string; dstaddr: string; srcport: number; dstport: number; protocol: string;
  packets: number; bytes: number; start: number; end: number; action: 'ACCEPT' | 'REJECT'; pktSrc?: string; pktDst?: string;
}

export function formatRecord(format: string, r: FlowRecord, account: string, region: string, azId: string): string {
  const names = formatFields(format);
  const version = Math.max(2, ...names.map((n) => FIELDS[n]!));
  const value = (n: string): string | number | undefined => {
    switch (n) {
      case 'version': return version;
      case 'account-id': return account;
      case 'interface-id': return r.eni.id;
      case 'srcaddr': return r.srcaddr;
      case 'dstaddr': return r.dstaddr;
      case 'srcport': return r.srcport;
      case 'dstport': return r.dstport;
      case 'protocol': return r.protocol;
      case 'packets': return r.packets;
      case 'bytes': return r.bytes;
      case 'start': return r.start;
      case 'end': return r.end;
      case 'action': return r.action;
      case 'log-status': return 'OK';
      case 'vpc-id': return r.eni.vpcId;
      case 'subnet-id': return r.eni.subnetId;
      case 'instance-id': return r.eni.instanceId;
      case 'tcp-flags': return r.protocol === '6' ? (r.direction === 'egress' ? 2 : 18) : 0;
      case 'type': return 'IPv4';
      case 'pkt-srcaddr': return r.pktSrc ?? r.srcaddr;
      case 'pkt-dstaddr': return r.pktDst ?? r.dstaddr;
      case 'region': return region;
      case 'az-id': return azId;
      case 'flow-direction': return r.direction;
      case 'reject-reason': return undefined;
      default: return undefined;
    }
  };
  return names.map((n) => value(n) ?? '-').join(' ');
}

export interface Flow { src?: EniRec; dst?: EniRec; srcaddr: string; dstaddr: string; protocol: string; srcport: number; dstport: number; packets: number; bytes: number }

const ROUTING = new Set(['NO_ROUTE_TO_DESTINATION', 'BAD_STATE_ROUTE', 'BAD_STATE', 'BAD_STATE_ATTACHMENT', 'TGW_RTB_BAD_STATE_ROUTE', 'TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION', 'NO_POSSIBLE_DESTINATION']);

/** The records a flow leaves at its two ends (request, and the reply when the request was admitted). */
export function flowRecords(flow: Flow, a: Analysis, startSec: number, endSec: number): FlowRecord[] {
  const ex = a.explanations;
  const at = (code: string, dir: string, pick: (e: (typeof ex)[number]) => string | undefined, id: string | undefined) =>
    !!id && ex.some((e) => e.ExplanationCode === code && e.Direction === dir && pick(e) === id);
  const sgAt = (dir: string, eni: EniRec | undefined) => at('ENI_SG_RULES_MISMATCH', dir, (e) => e.NetworkInterface?.Id, eni?.id);
  const aclAt = (dir: string, eni: EniRec | undefined) => at('SUBNET_ACL_RESTRICTION', dir, (e) => e.Subnet?.Id, eni?.subnetId);
  const base = { protocol: flow.protocol, packets: flow.packets, bytes: flow.bytes, start: startSec, end: endSec };
  const request = { srcaddr: flow.srcaddr, dstaddr: flow.dstaddr, srcport: flow.srcport, dstport: flow.dstport };
  const reply = { srcaddr: flow.dstaddr, dstaddr: flow.srcaddr, srcport: flow.dstport, dstport: flow.srcport };
  const out: FlowRecord[] = [];
  const sameSubnet = flow.src && flow.dst && flow.src.subnetId === flow.dst.subnetId;

  const sent = !(sgAt('egress', flow.src) || (!sameSubnet && aclAt('egress', flow.src)));
  if (flow.src) out.push({ eni: flow.src, direction: 'egress', ...base, ...request, action: sent ? 'ACCEPT' : 'REJECT' });
  const delivered = sent && !!flow.dst && a.reachedEni?.id === flow.dst.id;
  if (!delivered || !flow.dst) return out;
  const admitted = !(sgAt('ingress', flow.dst) || (!sameSubnet && aclAt('ingress', flow.dst)));
  out.push({ eni: flow.dst, direction: 'ingress', ...base, ...request, action: admitted ? 'ACCEPT' : 'REJECT' });
  if (!admitted) return out;
  const answered = !(!sameSubnet && aclAt('egress', flow.dst));
  out.push({ eni: flow.dst, direction: 'egress', ...base, ...reply, action: answered ? 'ACCEPT' : 'REJECT' });
  const routedBack = !ex.some((e) => ROUTING.has(e.ExplanationCode ?? ''));
  if (answered && routedBack && flow.src) {
    out.push({ eni: flow.src, direction: 'ingress', ...base, ...reply, action: !sameSubnet && aclAt('ingress', flow.src) ? 'REJECT' : 'ACCEPT' });
  }
  return out;
}
