/**
 * EC2's routes under /_gureum/ec2 (called from src/control/control.ts):
 *   POST /_gureum/ec2/traffic {"source", "destination"|"destinationIp", "protocol"?, "port", "sourceIp"?,
 *        "sourcePort"?, "packets"?, "bytes"?, "accountId"?, "region"?}
 *        a flow the reachability model decides (ACCEPT/REJECT); its records go to the flow logs that
 *        capture the interfaces. `source` is an instance or interface id, or "internet" (with
 *        sourceIp) for a flow arriving through the destination VPC's internet gateway.
 *   POST /_gureum/ec2/spot-interruptions {"instanceId", "accountId"?, "region"?}
 *        the two-minute interruption notice for a Spot instance (metadata + EventBridge event);
 *        the instance is stopped/hibernated/terminated two minutes later on the virtual clock.
 *   GET  /_gureum/ec2/instances/<id>/latest/meta-data/<path> | /latest/user-data
 *        the instance metadata service of an instance (plain text, 404 when absent).
 */
import type { RequestContext } from '../../gateway/context.js';
import type { Scope } from '../../state/store.js';
import { ec2StateOf } from './internal.js';
import type { Ec2State, EniRec, InstanceRec } from './state.js';
import { analyzePath, type Endpoint } from './domain/reach.js';
import { cidrSet } from './domain/ranges.js';
import { parseIp4 } from './domain/cidr.js';
import { flowRecords } from './domain/flow-records.js';
import { deliverFlow } from './operations/flow-logs.js';
import { instanceAction, interruptSpot } from './operations/spot.js';
import { privateDns, publicAddress, publicDns } from './operations/instance-render.js';

const PROTOCOLS: Record<string, string> = { tcp: '6', udp: '17', '6': '6', '17': '17' };

export async function ec2Control(ctx: RequestContext, path: string, body: () => Promise<Record<string, unknown>>): Promise<object | undefined> {
  const rt = ctx.runtime;
  await rt.instance('ec2');
  const st = ec2StateOf(rt.store);
  if (!st) return undefined;
  const scopeOf = (b: Record<string, unknown>): Scope => st.ensure({ account: String(b.accountId ?? rt.config.accountId), region: String(b.region ?? rt.config.defaultRegion) });

  if (path === '/_gureum/ec2/traffic' && ctx.method === 'POST') {
    const b = await body();
    const out = await traffic(st, scopeOf(b), b);
    await rt.store.committed();
    return out;
  }
  if (path === '/_gureum/ec2/spot-interruptions' && ctx.method === 'POST') {
    const b = await body();
    const scope = scopeOf(b);
    const id = String(b.instanceId ?? '');
    const rec = interruptSpot(st, scope, id);
    await st.rt.call('events', 'PutEvents', {
      Entries: [{
        Source: 'aws.ec2', DetailType: 'EC2 Spot Instance Interruption Warning', Time: new Date(rec.noticeAt),
        Resources: [`arn:aws:ec2:${scope.region}:${scope.account}:instance/${id}`],
        Detail: JSON.stringify({ 'instance-id': id, 'instance-action': rec.action }),
      }],
    }, scope);
    await rt.store.committed();
    return { instanceId: id, action: rec.action, time: new Date(rec.actionAt).toISOString(), ...scope };
  }
  const m = /^\/_gureum\/ec2\/instances\/(i-[0-9a-f]+)\/latest\/(meta-data\/?.*|user-data)$/.exec(path);
  if (m && ctx.method === 'GET') {
    const text = metadata(st, m[1]!, m[2]!);
    ctx.status = text === undefined ? 404 : 200;
    const payload = text ?? 'Not Found';
    ctx.res.writeHead(ctx.status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(payload) });
    ctx.res.end(payload);
    return {};
  }
  return undefined;
}

function eniOf(st: Ec2State, scope: Scope, ref: string): { eni: EniRec; instanceId?: string } {
  if (ref.startsWith('i-')) {
    const i = st.instances.get(scope, ref);
    const eni = i ? st.enis.get(scope, i.eniId) : undefined;
    if (!i || !eni) throw new Error(`no running instance ${ref} in ${scope.account}/${scope.region}`);
    return { eni, instanceId: i.id };
  }
  const eni = st.enis.get(scope, ref);
  if (!eni) throw new Error(`no network interface ${ref} in ${scope.account}/${scope.region}`);
  return { eni, instanceId: eni.instanceId };
}

async function traffic(st: Ec2State, scope: Scope, b: Record<string, unknown>) {
  const protocol = PROTOCOLS[String(b.protocol ?? 'tcp').toLowerCase()];
  if (!protocol) throw new Error('protocol must be tcp or udp');
  const port = Number(b.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error('port must be 0–65535');
  const srcPort = b.sourcePort !== undefined ? Number(b.sourcePort) : 49152;
  const dstRef = b.destination !== undefined ? eniOf(st, scope, String(b.destination)) : undefined;
  const dstIp = dstRef?.eni.privateIp ?? String(b.destinationIp ?? '');
  if (parseIp4(dstIp) === undefined) throw new Error('destination (an instance or interface id) or destinationIp is required');
  let src: Endpoint;
  let srcIp: string;
  let srcEni: EniRec | undefined;
  if (b.source === 'internet') {
    srcIp = String(b.sourceIp ?? '203.0.113.10');
    if (!dstRef) throw new Error('a flow from the internet needs a destination instance or interface');
    const igw = [...st.igws.values(scope)].find((g) => g.vpcId === dstRef.eni.vpcId);
    src = { kind: 'igw', id: igw?.id ?? 'igw-none', vpcId: igw?.vpcId };
  } else {
    const s = eniOf(st, scope, String(b.source ?? ''));
    srcEni = s.eni;
    srcIp = s.eni.privateIp;
    src = { kind: 'eni', eni: s.eni, instanceId: s.instanceId, scope };
  }
  const dst: Endpoint = dstRef ? { kind: 'eni', eni: dstRef.eni, instanceId: dstRef.instanceId, scope } : { kind: 'ip' };
  const one = (ip: string) => cidrSet([`${ip}/32`]);
  const a = analyzePath(st, scope, src, dst, { protocol, src: one(srcIp), dst: one(dstIp), srcPorts: [[srcPort, srcPort]], dstPorts: [[port, port]] });
  const end = Math.floor(st.now() / 1000);
  const records = flowRecords(
    { src: srcEni, dst: dstRef?.eni, srcaddr: srcIp, dstaddr: dstIp, protocol, srcport: srcPort, dstport: port, packets: Number(b.packets ?? 10), bytes: Number(b.bytes ?? 840) },
    a, end - 60, end,
  );
  const delivered = await deliverFlow(st, scope, records);
  return {
    action: a.found ? 'ACCEPT' : 'REJECT',
    explanations: a.explanations.map((e) => e.ExplanationCode),
    records: records.map((r) => ({ interfaceId: r.eni.id, direction: r.direction, srcaddr: r.srcaddr, dstaddr: r.dstaddr, action: r.action })),
    flowLogs: delivered,
  };
}

/** The instance metadata service's answers for one instance (found in whichever account × region holds it). */
function metadata(st: Ec2State, instanceId: string, path: string): string | undefined {
  let found: { scope: Scope; i: InstanceRec } | undefined;
  for (const [scope, recs] of st.instances.allScopes()) {
    const i = recs.get(instanceId);
    if (i) found = { scope, i };
  }
  if (!found) return undefined;
  const { scope, i } = found;
  if (path === 'user-data') return i.userData ? Buffer.from(i.userData, 'base64').toString('utf8') : undefined;
  const eni = st.enis.get(scope, i.eniId);
  const pub = eni ? publicAddress(st, scope, eni) : undefined;
  const action = instanceAction(st, scope, i.id);
  const values: Record<string, string | undefined> = {
    'ami-id': i.imageId,
    hostname: privateDns(scope.region, i.privateIp),
    'instance-id': i.id,
    'instance-life-cycle': i.spotRequestId ? 'spot' : 'on-demand',
    'instance-type': i.type,
    'local-hostname': privateDns(scope.region, i.privateIp),
    'local-ipv4': i.privateIp,
    mac: eni?.mac,
    'placement/availability-zone': i.az,
    'placement/availability-zone-id': i.azId,
    'placement/region': scope.region,
    'public-hostname': pub ? publicDns(scope.region, pub.ip) : undefined,
    'public-ipv4': pub?.ip,
    'security-groups': i.sgIds.map((id) => st.sgs.get(scope, id)?.name ?? id).join('\n'),
    'spot/instance-action': action ? JSON.stringify(action) : undefined,
    'spot/termination-time': action?.action === 'terminate' ? action.time : undefined,
  };
  const key = path.replace(/^meta-data\/?/, '').replace(/\/$/, '');
  if (key === '') return [...new Set(Object.keys(values).filter((k) => values[k] !== undefined).map((k) => (k.includes('/') ? `${k.split('/')[0]}/` : k)))].join('\n');
  if (key === 'placement' || key === 'spot') {
    const subs = Object.keys(values).filter((k) => k.startsWith(`${key}/`) && values[k] !== undefined).map((k) => k.slice(key.length + 1));
    return subs.length ? subs.join('\n') : undefined;
  }
  return values[key];
}
