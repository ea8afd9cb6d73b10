/**
 * CreateTags / DeleteTags / DescribeTags over every network resource, found by its id prefix.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { NOT_FOUND, type Ec2State } from '../state.js';
import type { Scope, Table } from '../../../state/store.js';
import { pcxNotFound } from './peering.js';
import { attachNotFound, tgwNotFound } from './transit-gateways.js';
import { vpceNotFound } from './endpoints.js';
import { plNotFound } from './prefix-lists.js';
import { cgwNotFound, vgwNotFound, vpnNotFound } from './vpn.js';
import { spotNotFound } from './spot.js';
import { dhcpNotFound, dhcpTable } from './dhcp-options.js';
import { eigwNotFound, eigwTable } from './egress-gateways.js';
import { pgTable } from './placement-groups.js';
import { crTable, notFoundCr } from './capacity-reservations.js';
import { hostTable } from './hosts.js';

const TAG_LIMIT = 50;

interface Kind { prefix: string; type: string; table: (st: Ec2State) => Table<{ id: string; tags: T.Tag[] }>; notFound: (id: string) => Error }
const KINDS: Kind[] = [
  { prefix: 'vpc-', type: 'vpc', table: (st) => st.vpcs, notFound: NOT_FOUND.vpc },
  { prefix: 'subnet-', type: 'subnet', table: (st) => st.subnets, notFound: NOT_FOUND.subnet },
  { prefix: 'igw-', type: 'internet-gateway', table: (st) => st.igws, notFound: NOT_FOUND.igw },
  { prefix: 'rtb-', type: 'route-table', table: (st) => st.rtbs, notFound: NOT_FOUND.rtb },
  { prefix: 'sg-', type: 'security-group', table: (st) => st.sgs, notFound: NOT_FOUND.sg },
  { prefix: 'acl-', type: 'network-acl', table: (st) => st.acls, notFound: NOT_FOUND.acl },
  { prefix: 'eipalloc-', type: 'elastic-ip', table: (st) => st.eips, notFound: NOT_FOUND.eip },
  { prefix: 'nat-', type: 'natgateway', table: (st) => st.nats, notFound: NOT_FOUND.nat },
  { prefix: 'i-', type: 'instance', table: (st) => st.instances, notFound: NOT_FOUND.instance },
  { prefix: 'eni-', type: 'network-interface', table: (st) => st.enis, notFound: NOT_FOUND.eni },
  { prefix: 'vol-', type: 'volume', table: (st) => st.volumes, notFound: NOT_FOUND.volume },
  { prefix: 'snap-', type: 'snapshot', table: (st) => st.snapshots, notFound: NOT_FOUND.snapshot },
  { prefix: 'ami-', type: 'image', table: (st) => st.images, notFound: NOT_FOUND.image },
  { prefix: 'pcx-', type: 'vpc-peering-connection', table: (st) => st.peerings, notFound: pcxNotFound },
  { prefix: 'tgw-attach-', type: 'transit-gateway-attachment', table: (st) => st.tgwAttachments, notFound: attachNotFound },
  { prefix: 'tgw-rtb-', type: 'transit-gateway-route-table', table: (st) => st.tgwRtbs, notFound: notFound('InvalidRouteTableID.NotFound', 'Transit Gateway Route Table') },
  { prefix: 'tgw-', type: 'transit-gateway', table: (st) => st.tgws, notFound: tgwNotFound },
  { prefix: 'vpce-', type: 'vpc-endpoint', table: (st) => st.endpoints, notFound: vpceNotFound },
  { prefix: 'pl-', type: 'prefix-list', table: (st) => st.prefixLists, notFound: plNotFound },
  { prefix: 'cgw-', type: 'customer-gateway', table: (st) => st.cgws, notFound: cgwNotFound },
  { prefix: 'vgw-', type: 'vpn-gateway', table: (st) => st.vgws, notFound: vgwNotFound },
  { prefix: 'vpn-', type: 'vpn-connection', table: (st) => st.vpns, notFound: vpnNotFound },
  { prefix: 'fl-', type: 'vpc-flow-log', table: (st) => st.flowLogs, notFound: notFound('InvalidFlowLogId.NotFound', 'Flow Log') },
  { prefix: 'lt-', type: 'launch-template', table: (st) => st.launchTemplates, notFound: notFound('InvalidLaunchTemplateId.NotFound', 'Launch Template') },
  { prefix: 'nip-', type: 'network-insights-path', table: (st) => st.insightsPaths, notFound: notFound('InvalidNetworkInsightsPathId.NotFound', 'Network Insights Path') },
  { prefix: 'nia-', type: 'network-insights-analysis', table: (st) => st.insightsAnalyses, notFound: notFound('InvalidNetworkInsightsAnalysisId.NotFound', 'Network Insights Analysis') },
  { prefix: 'dopt-', type: 'dhcp-options', table: (st) => dhcpTable(st) as never, notFound: dhcpNotFound },
  { prefix: 'eigw-', type: 'egress-only-internet-gateway', table: (st) => eigwTable(st) as never, notFound: eigwNotFound },
  { prefix: 'pg-', type: 'placement-group', table: (st) => pgTable(st) as never, notFound: notFound('InvalidPlacementGroupId.NotFound', 'Placement Group') },
  { prefix: 'cr-', type: 'capacity-reservation', table: (st) => crTable(st) as never, notFound: notFoundCr },
  { prefix: 'h-', type: 'dedicated-host', table: (st) => hostTable(st) as never, notFound: notFound('InvalidHostID.NotFound', 'Host') },
];

function notFound(code: string, what: string) {
  return (id: string) => new AwsError(code, `${what} ${id} does not exist`, 400);
}

interface Target { tags: T.Tag[]; save: () => void; id: string; type: string }

/** A taggable resource by id: a top-level record, or a security group rule inside its group. */
function resolve(st: Ec2State, scope: Scope, id: string): Target {
  if (id.startsWith('sgr-')) {
    for (const g of st.sgs.values(scope)) {
      const r = g.rules.find((x) => x.id === id);
      if (r) return { tags: r.tags, save: () => st.sgs.put(scope, g.id, g), id, type: 'security-group-rule' };
    }
    throw new AwsError('InvalidSecurityGroupRuleId.NotFound', `The security group rule ID '${id}' does not exist`, 400);
  }
  if (id.startsWith('sir-')) {
    const r = st.spotRequests.get(scope, id);
    if (!r) throw spotNotFound(id);
    return { tags: r.tags, save: () => st.spotRequests.put(scope, id, r), id, type: 'spot-instances-request' };
  }
  if (id.startsWith('key-')) {
    const k = [...st.keyPairs.values(scope)].find((x) => x.id === id);
    if (!k) throw new AwsError('InvalidKeyPair.NotFound', `The key pair ID '${id}' does not exist`, 400);
    return { tags: k.tags, save: () => st.keyPairs.put(scope, k.name, k), id, type: 'key-pair' };
  }
  const kind = KINDS.find((k) => id.startsWith(k.prefix) && /^[0-9a-f]{8,17}$/.test(id.slice(k.prefix.length)));
  if (!kind) throw new AwsError('InvalidID', `The ID '${id}' is not valid`, 400);
  const table = kind.table(st);
  const rec = table.get(scope, id);
  if (!rec) throw kind.notFound(id);
  return { tags: rec.tags, save: () => table.put(scope, id, rec), id, type: kind.type };
}

const TAG_FILTERS: FilterFields<T.TagDescription> = {
  key: (t) => t.Key,
  value: (t) => t.Value,
  'resource-id': (t) => t.ResourceId,
  'resource-type': (t) => t.ResourceType,
};

export function tagOperations(st: Ec2State) {
  return {
    CreateTags(input: T.CreateTagsRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const targets = (input.Resources ?? []).map((id) => resolve(st, scope, id));
      for (const t of input.Tags ?? []) {
        if (!t.Key) throw new AwsError('InvalidParameterValue', 'Tag key cannot be null or empty.', 400);
        if (t.Key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use", 400);
        if (t.Key.length > 128) throw new AwsError('InvalidParameterValue', `Tag key exceeds the maximum length of 128 characters`, 400);
        if ((t.Value ?? '').length > 256) throw new AwsError('InvalidParameterValue', `Tag value exceeds the maximum length of 256 characters`, 400);
      }
      for (const target of targets) {
        const keys = new Set([...target.tags.map((x) => x.Key), ...(input.Tags ?? []).map((x) => x.Key)]);
        if (keys.size > TAG_LIMIT) throw new AwsError('TagLimitExceeded', 'The maximum number of Tags for a resource has been reached.', 400);
      }
      dryRun(input);
      for (const target of targets) {
        for (const t of input.Tags ?? []) {
          const i = target.tags.findIndex((x) => x.Key === t.Key);
          const tag = { Key: t.Key!, Value: t.Value ?? '' };
          if (i >= 0) target.tags[i] = tag;
          else target.tags.push(tag);
        }
        target.save();
      }
    },

    DeleteTags(input: T.DeleteTagsRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const targets = (input.Resources ?? []).map((id) => resolve(st, scope, id));
      dryRun(input);
      for (const target of targets) {
        const keep = target.tags.filter((x) => {
          if (!input.Tags?.length) return false;
          return !input.Tags.some((d) => d.Key === x.Key && (d.Value === undefined || d.Value === x.Value));
        });
        target.tags.splice(0, target.tags.length, ...keep);
        target.save();
      }
    },

    DescribeTags(input: T.DescribeTagsRequest, ctx: RequestContext): T.DescribeTagsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all: T.TagDescription[] = [];
      for (const k of KINDS) {
        for (const rec of k.table(st).values(scope)) for (const t of rec.tags) all.push({ Key: t.Key, ResourceId: rec.id, ResourceType: k.type, Value: t.Value ?? '' });
      }
      for (const r of st.spotRequests.values(scope)) for (const t of r.tags) all.push({ Key: t.Key, ResourceId: r.id, ResourceType: 'spot-instances-request', Value: t.Value ?? '' });
      for (const k of st.keyPairs.values(scope)) for (const t of k.tags) all.push({ Key: t.Key, ResourceId: k.id, ResourceType: 'key-pair', Value: t.Value ?? '' });
      for (const g of st.sgs.values(scope)) {
        for (const r of g.rules) for (const t of r.tags) all.push({ Key: t.Key, ResourceId: r.id, ResourceType: 'security-group-rule', Value: t.Value ?? '' });
      }
      const out = applyFilters(all, input.Filters, TAG_FILTERS, (t) => [{ Key: t.Key, Value: t.Value }]);
      const { page, NextToken } = paginate(out, input, 5, 1000);
      return { Tags: page, NextToken };
    },
  };
}
