/**
 * Reachability Analyzer: network insights paths (source, destination, protocol, port, filters)
 * and analyses that run the reachability model (domain/reach.ts) over the configuration as it is
 * when the analysis starts. StartNetworkInsightsAnalysis answers `running`; the stored result is
 * `succeeded` with NetworkPathFound, the forward and return path components and Explanations.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { parseIp4 } from '../domain/cidr.js';
import { analyzePath, arnOf, type Endpoint } from '../domain/reach.js';
import type { Header } from '../domain/reach-filters.js';
import { ALL_ADDRESSES, ALL_PORTS, INTERNET_ADDRESSES, subtract, cidrSet, type RangeSet } from '../domain/ranges.js';
import { vgwVpc } from '../domain/vpn.js';
import { newId, tagsFor, tagsOut, type Ec2State } from '../state.js';
import type { NiaRec, NipRec, PathFilterRec } from '../records.js';

const PROTOCOLS: Record<string, string> = { tcp: '6', udp: '17' };
const pathNotFound = (id: string) => new AwsError('InvalidNetworkInsightsPathId.NotFound', `The NetworkInsightsPath ID '${id}' does not exist`, 400);
const analysisNotFound = (id: string) => new AwsError('InvalidNetworkInsightsAnalysisId.NotFound', `The NetworkInsightsAnalysis ID '${id}' does not exist`, 400);

/** A resource named by id or ARN. */
const idOf = (s: string) => (s.startsWith('arn:') ? s.slice(s.lastIndexOf('/') + 1) : s);

function checkIp(v: string | undefined, name: string): void {
  if (v !== undefined && parseIp4(v) === undefined) throw new AwsError('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid.`, 400);
}

function filterIn(f: T.PathRequestFilter | undefined): PathFilterRec | undefined {
  if (!f) return undefined;
  const range = (r: T.RequestFilterPortRange | undefined): [number, number] | undefined => (r ? [r.FromPort ?? 0, r.ToPort ?? 65535] : undefined);
  return { sourceAddress: f.SourceAddress, destinationAddress: f.DestinationAddress, sourcePorts: range(f.SourcePortRange), destinationPorts: range(f.DestinationPortRange) };
}
function filterOut(f: PathFilterRec | undefined): T.PathFilter | undefined {
  if (!f) return undefined;
  const range = (r: [number, number] | undefined) => (r ? { FromPort: r[0], ToPort: r[1] } : undefined);
  return { SourceAddress: f.sourceAddress, DestinationAddress: f.destinationAddress, SourcePortRange: range(f.sourcePorts), DestinationPortRange: range(f.destinationPorts) };
}

function renderPath(scope: Scope, p: NipRec): T.NetworkInsightsPath {
  return {
    CreatedDate: new Date(p.createdAt), Destination: p.destination, DestinationArn: p.destination ? arnOf(scope, p.destination) : undefined, DestinationIp: p.destinationIp,
    DestinationPort: p.destinationPort, FilterAtDestination: filterOut(p.filterAtDestination), FilterAtSource: filterOut(p.filterAtSource),
    NetworkInsightsPathArn: `arn:aws:ec2:${scope.region}:${scope.account}:network-insights-path/${p.id}`, NetworkInsightsPathId: p.id, Protocol: p.protocol,
    Source: p.source, SourceArn: arnOf(scope, p.source), SourceIp: p.sourceIp, Tags: tagsOut(p.tags) ?? [],
  };
}

function renderAnalysis(scope: Scope, a: NiaRec, status = a.status): T.NetworkInsightsAnalysis {
  const done = status === 'succeeded';
  return {
    NetworkInsightsAnalysisArn: `arn:aws:ec2:${scope.region}:${scope.account}:network-insights-analysis/${a.id}`, NetworkInsightsAnalysisId: a.id,
    NetworkInsightsPathId: a.pathId, StartDate: new Date(a.startedAt), Status: status, StatusMessage: a.statusMessage, FilterInArns: a.filterInArns,
    NetworkPathFound: done ? a.found : undefined, ForwardPathComponents: done && a.found ? (a.forward as T.PathComponent[]) : undefined,
    ReturnPathComponents: done && a.found ? (a.ret as T.PathComponent[]) : undefined,
    Explanations: done && !a.found ? (a.explanations as T.Explanation[]) : undefined, Tags: tagsOut(a.tags) ?? [],
  };
}

export function networkInsightsOperations(st: Ec2State) {
  /** The component a path names, as the model's endpoint. */
  function endpoint(scope: Scope, ref: string, role: 'source' | 'destination'): Endpoint {
    const id = idOf(ref);
    const missing = () => new AwsError('InvalidParameterValue', `The ${role} ${ref} does not exist.`, 400);
    if (id.startsWith('i-')) {
      const i = st.instances.get(scope, id);
      const eni = i ? st.enis.get(scope, i.eniId) : undefined;
      if (!i || !eni) throw missing();
      return { kind: 'eni', eni, instanceId: i.id, scope };
    }
    if (id.startsWith('eni-')) {
      const eni = st.enis.get(scope, id);
      if (!eni) throw missing();
      return { kind: 'eni', eni, instanceId: eni.instanceId, scope };
    }
    if (id.startsWith('igw-')) {
      const g = st.igws.get(scope, id);
      if (!g) throw missing();
      return { kind: 'igw', id, vpcId: g.vpcId };
    }
    if (id.startsWith('vgw-')) {
      const g = st.vgws.get(scope, id);
      if (!g || g.deletedAt !== undefined) throw missing();
      return { kind: 'vgw', id, vpcId: vgwVpc(g, st.now()) };
    }
    if (id.startsWith('vpce-') && role === 'destination') {
      const e = st.endpoints.get(scope, id);
      const eni = e?.eniIds[0] ? st.enis.get(scope, e.eniIds[0]) : undefined;
      if (!eni) throw missing();
      return { kind: 'eni', eni, scope };
    }
    throw new AwsError('InvalidParameterValue', `The ${role} ${ref} is not a supported resource type. gureum analyzes instances, network interfaces, internet gateways and virtual private gateways.`, 400);
  }

  function addressesOf(e: Endpoint, given: string | undefined, other?: Endpoint): RangeSet {
    if (given) return cidrSet([`${given}/32`]);
    if (e.kind === 'eni') return cidrSet([`${e.eni.privateIp}/32`]);
    if (e.kind === 'igw') return INTERNET_ADDRESSES;
    if (e.kind === 'vgw' && other?.kind === 'eni') {
      const vpc = st.vpcs.get(other.scope, other.eni.vpcId);
      return subtract(ALL_ADDRESSES, cidrSet(vpc?.cidrAssocs.map((c) => c.cidr) ?? []));
    }
    return ALL_ADDRESSES;
  }

  /** The endpoint, or undefined when the resource no longer exists. */
  function present(scope: Scope, ref: string, role: 'source' | 'destination'): Endpoint | undefined {
    try {
      return endpoint(scope, ref, role);
    } catch {
      return undefined;
    }
  }

  function run(scope: Scope, p: NipRec): Partial<NiaRec> {
    const src = present(scope, p.source, 'source');
    const dst: Endpoint | undefined = p.destination ? present(scope, p.destination, 'destination') : { kind: 'ip' };
    if (!src || !dst) return { status: 'failed', statusMessage: `The request failed due to missing component ${!src ? p.source : p.destination}` };
    const ports = (r: [number, number] | undefined): RangeSet | undefined => (r ? [r] : undefined);
    const h: Header = {
      protocol: PROTOCOLS[p.protocol]!,
      src: addressesOf(src, p.sourceIp ?? p.filterAtSource?.sourceAddress, dst),
      dst: addressesOf(dst, p.destinationIp ?? p.filterAtDestination?.destinationAddress ?? p.filterAtSource?.destinationAddress, src),
      srcPorts: ports(p.filterAtSource?.sourcePorts) ?? ports(p.filterAtDestination?.sourcePorts) ?? ALL_PORTS,
      dstPorts: p.destinationPort !== undefined ? [[p.destinationPort, p.destinationPort]] : (ports(p.filterAtDestination?.destinationPorts) ?? ports(p.filterAtSource?.destinationPorts) ?? ALL_PORTS),
    };
    const r = analyzePath(st, scope, src, dst, h);
    return { found: r.found, forward: r.forward, ret: r.ret, explanations: r.explanations };
  }

  return {
    CreateNetworkInsightsPath(input: T.CreateNetworkInsightsPathRequest, ctx: RequestContext): T.CreateNetworkInsightsPathResult {
      const scope = st.scope(ctx);
      const protocol = (input.Protocol ?? '').toLowerCase();
      if (!PROTOCOLS[protocol]) throw new AwsError('InvalidParameterValue', `Value (${input.Protocol}) for parameter protocol is invalid. Valid values are tcp and udp.`, 400);
      if (!input.Source) throw new AwsError('MissingParameter', 'The request must contain the parameter source', 400);
      if (!input.Destination && !input.DestinationIp) throw new AwsError('MissingParameter', 'The request must contain the parameter destination or destinationIp', 400);
      checkIp(input.SourceIp, 'sourceIp');
      checkIp(input.DestinationIp, 'destinationIp');
      if (input.DestinationPort !== undefined && (input.DestinationPort < 0 || input.DestinationPort > 65535)) {
        throw new AwsError('InvalidParameterValue', `Value (${input.DestinationPort}) for parameter destinationPort is invalid.`, 400);
      }
      endpoint(scope, input.Source, 'source');
      if (input.Destination) endpoint(scope, input.Destination, 'destination');
      const tags = tagsFor(input.TagSpecifications, 'network-insights-path');
      dryRun(input);
      const p: NipRec = {
        id: newId('nip'), source: idOf(input.Source), destination: input.Destination ? idOf(input.Destination) : undefined, sourceIp: input.SourceIp,
        destinationIp: input.DestinationIp, protocol, destinationPort: input.DestinationPort, filterAtSource: filterIn(input.FilterAtSource),
        filterAtDestination: filterIn(input.FilterAtDestination), createdAt: st.now(), tags,
      };
      st.insightsPaths.put(scope, p.id, p);
      return { NetworkInsightsPath: renderPath(scope, p) };
    },

    DescribeNetworkInsightsPaths(input: T.DescribeNetworkInsightsPathsRequest, ctx: RequestContext): T.DescribeNetworkInsightsPathsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.insightsPaths.values(scope)];
      if (input.NetworkInsightsPathIds?.length) {
        const missing = input.NetworkInsightsPathIds.find((id) => !st.insightsPaths.has(scope, id));
        if (missing) throw pathNotFound(missing);
        all = all.filter((p) => input.NetworkInsightsPathIds!.includes(p.id));
      }
      const filters: FilterFields<T.NetworkInsightsPath> = {
        destination: (p) => p.Destination, 'destination-ip': (p) => p.DestinationIp, 'destination-port': (p) => (p.DestinationPort === undefined ? undefined : String(p.DestinationPort)),
        protocol: (p) => p.Protocol, source: (p) => p.Source, 'source-ip': (p) => p.SourceIp,
      };
      const { page, NextToken } = paginate(applyFilters(all.map((p) => renderPath(scope, p)), input.Filters, filters, (p) => p.Tags), input, 1, 100);
      return { NetworkInsightsPaths: page, NextToken };
    },

    DeleteNetworkInsightsPath(input: T.DeleteNetworkInsightsPathRequest, ctx: RequestContext): T.DeleteNetworkInsightsPathResult {
      const scope = st.scope(ctx);
      if (!st.insightsPaths.has(scope, input.NetworkInsightsPathId)) throw pathNotFound(input.NetworkInsightsPathId);
      const analyses = [...st.insightsAnalyses.values(scope)].filter((a) => a.pathId === input.NetworkInsightsPathId);
      if (analyses.length) {
        throw new AwsError('DependencyViolation', `The NetworkInsightsPath ${input.NetworkInsightsPathId} has analyses (${analyses.map((a) => a.id).join(', ')}); delete them first.`, 400);
      }
      dryRun(input);
      st.insightsPaths.delete(scope, input.NetworkInsightsPathId);
      return { NetworkInsightsPathId: input.NetworkInsightsPathId };
    },

    StartNetworkInsightsAnalysis(input: T.StartNetworkInsightsAnalysisRequest, ctx: RequestContext): T.StartNetworkInsightsAnalysisResult {
      const scope = st.scope(ctx);
      const p = st.insightsPaths.get(scope, input.NetworkInsightsPathId);
      if (!p) throw pathNotFound(input.NetworkInsightsPathId);
      const tags = tagsFor(input.TagSpecifications, 'network-insights-analysis');
      dryRun(input);
      const a: NiaRec = { id: newId('nia'), pathId: p.id, startedAt: st.now(), status: 'succeeded', forward: [], ret: [], explanations: [], filterInArns: input.FilterInArns ?? [], tags };
      Object.assign(a, run(scope, p));
      st.insightsAnalyses.put(scope, a.id, a);
      return { NetworkInsightsAnalysis: renderAnalysis(scope, a, 'running') };
    },

    DescribeNetworkInsightsAnalyses(input: T.DescribeNetworkInsightsAnalysesRequest, ctx: RequestContext): T.DescribeNetworkInsightsAnalysesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.insightsAnalyses.values(scope)];
      if (input.NetworkInsightsAnalysisIds?.length) {
        const missing = input.NetworkInsightsAnalysisIds.find((id) => !st.insightsAnalyses.has(scope, id));
        if (missing) throw analysisNotFound(missing);
        all = all.filter((a) => input.NetworkInsightsAnalysisIds!.includes(a.id));
      }
      if (input.NetworkInsightsPathId) all = all.filter((a) => a.pathId === input.NetworkInsightsPathId);
      if (input.AnalysisStartTime) all = all.filter((a) => a.startedAt >= input.AnalysisStartTime!.getTime());
      if (input.AnalysisEndTime) all = all.filter((a) => a.startedAt <= input.AnalysisEndTime!.getTime());
      const filters: FilterFields<T.NetworkInsightsAnalysis> = {
        'path-found': (a) => (a.NetworkPathFound === undefined ? undefined : String(a.NetworkPathFound)), status: (a) => a.Status,
      };
      const { page, NextToken } = paginate(applyFilters(all.map((a) => renderAnalysis(scope, a)), input.Filters, filters, (a) => a.Tags), input, 1, 100);
      return { NetworkInsightsAnalyses: page, NextToken };
    },

    DeleteNetworkInsightsAnalysis(input: T.DeleteNetworkInsightsAnalysisRequest, ctx: RequestContext): T.DeleteNetworkInsightsAnalysisResult {
      const scope = st.scope(ctx);
      if (!st.insightsAnalyses.has(scope, input.NetworkInsightsAnalysisId)) throw analysisNotFound(input.NetworkInsightsAnalysisId);
      dryRun(input);
      st.insightsAnalyses.delete(scope, input.NetworkInsightsAnalysisId);
      return { NetworkInsightsAnalysisId: input.NetworkInsightsAnalysisId };
    },
  };
}
