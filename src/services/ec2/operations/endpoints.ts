/**
 * VPC endpoints: gateway endpoints (S3, DynamoDB) add a route to the service's AWS-managed prefix
 * list in each route table given; interface endpoints place one requester-managed interface in each
 * subnet (one subnet per zone), with security groups, DNS entries and the private DNS flag (which
 * needs the VPC's DNS support and hostnames, and one endpoint per service and VPC).
 * DescribeVpcEndpointServices lists the regional catalogue (domain/endpoint-services.ts).
 */
import { createHash } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { formatIp4 } from '../domain/cidr.js';
import { awsPrefixList, endpointService, endpointServices, type EndpointService } from '../domain/endpoint-services.js';
import { newId, tagsFor, tagsOut, zonesOf, type EniRec, type Ec2State, type RtbRec } from '../state.js';
import type { VpceRec } from '../records.js';
import { ipNumber, randomMac } from './instances.js';

export const ENDPOINT_PENDING_MS = 60_000;
const DELETING_MS = 60_000;
const DEFAULT_POLICY = JSON.stringify({ Version: '2008-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] });

export const vpceNotFound = (id: string) => new AwsError('InvalidVpcEndpointId.NotFound', `The Vpc Endpoint Id '${id}' does not exist`, 400);

export function vpceState(e: VpceRec, now: number): string {
  if (e.deletedAt !== undefined) return e.type === 'Gateway' || now >= e.deletedAt + DELETING_MS ? 'deleted' : 'deleting';
  if (e.type === 'Gateway') return 'available';
  return now >= e.createdAt + ENDPOINT_PENDING_MS ? 'available' : 'pending';
}

const zoneHash = (s: string) => createHash('sha256').update(s).digest('hex');
/** The hosted zone of `vpce.amazonaws.com` names in a region (stable per region). */
const hostedZone = (region: string) => 'Z' + zoneHash(`vpce/${region}`).slice(0, 12).toUpperCase();

function dnsEntries(st: Ec2State, scope: Scope, e: VpceRec, svc: EndpointService | undefined): T.DnsEntry[] {
  if (e.type !== 'Interface' || !svc) return [];
  const suffix = zoneHash(e.id).slice(0, 8);
  const zone = hostedZone(scope.region);
  const out: T.DnsEntry[] = [{ DnsName: `${e.id}-${suffix}.${svc.short}.${scope.region}.vpce.amazonaws.com`, HostedZoneId: zone }];
  for (const id of e.subnetIds) {
    const s = st.subnets.get(scope, id);
    if (s) out.push({ DnsName: `${e.id}-${suffix}-${s.az}.${svc.short}.${scope.region}.vpce.amazonaws.com`, HostedZoneId: zone });
  }
  if (e.privateDns) out.push({ DnsName: svc.dnsName, HostedZoneId: 'Z' + zoneHash(`private/${e.id}`).slice(0, 20).toUpperCase() });
  return out;
}

function render(st: Ec2State, scope: Scope, e: VpceRec): T.VpcEndpoint {
  const svc = endpointService(scope.region, e.service);
  return {
    CreationTimestamp: new Date(e.createdAt), DnsEntries: dnsEntries(st, scope, e, svc),
    Groups: e.sgIds.map((id) => ({ GroupId: id, GroupName: st.sgs.get(scope, id)?.name })),
    IpAddressType: 'ipv4', NetworkInterfaceIds: e.eniIds, OwnerId: scope.account, PolicyDocument: e.policy, PrivateDnsEnabled: e.privateDns,
    RequesterManaged: false, RouteTableIds: e.rtbIds, ServiceName: e.service, State: vpceState(e, st.now()), SubnetIds: e.subnetIds,
    Tags: tagsOut(e.tags) ?? [], VpcEndpointId: e.id, VpcEndpointType: e.type, VpcId: e.vpcId,
    DnsOptions: e.type === 'Interface' ? { DnsRecordIpType: 'ipv4' } : undefined,
  };
}

const VPCE_FILTERS: FilterFields<T.VpcEndpoint> = {
  'ip-address-type': (e) => e.IpAddressType,
  'service-name': (e) => e.ServiceName,
  'vpc-id': (e) => e.VpcId,
  'vpc-endpoint-id': (e) => e.VpcEndpointId,
  'vpc-endpoint-state': (e) => e.State,
  'vpc-endpoint-type': (e) => e.VpcEndpointType,
};

function renderService(scope: Scope, s: EndpointService): T.ServiceDetail {
  const zones = zonesOf(scope.region);
  const iface = s.types.includes('Interface') && !s.types.includes('Gateway');
  return {
    ServiceName: s.name, ServiceId: s.id, ServiceType: s.types.map((ServiceType) => ({ ServiceType })), ServiceRegion: scope.region,
    AvailabilityZones: zones.map((z) => z.name), AvailabilityZoneIds: zones.map((z) => z.id), Owner: 'amazon',
    BaseEndpointDnsNames: [`${s.short}.${scope.region}.vpce.amazonaws.com`],
    PrivateDnsName: s.types.includes('Interface') ? s.dnsName : undefined,
    PrivateDnsNames: s.types.includes('Interface') ? [{ PrivateDnsName: s.dnsName }] : undefined,
    VpcEndpointPolicySupported: true, AcceptanceRequired: false, ManagesVpcEndpoints: false, Tags: [],
    PrivateDnsNameVerificationState: iface || s.types.includes('Interface') ? 'verified' : undefined, SupportedIpAddressTypes: ['ipv4'],
  };
}

export function endpointOperations(st: Ec2State) {
  function find(scope: Scope, id: string): VpceRec {
    const e = st.endpoints.get(scope, id);
    if (!e || vpceState(e, st.now()) === 'deleted') throw vpceNotFound(id);
    return e;
  }

  /** Gateway endpoint routes: destination the service's prefix list, target the endpoint. */
  function addRoutes(scope: Scope, e: VpceRec, rtbs: RtbRec[], pl: string): void {
    for (const r of rtbs) {
      r.routes.push({ destPl: pl, kind: 'endpoint', target: e.id, origin: 'CreateRoute' });
      st.rtbs.put(scope, r.id, r);
    }
  }
  function removeRoutes(scope: Scope, e: VpceRec, rtbIds: string[]): void {
    for (const id of rtbIds) {
      const r = st.rtbs.get(scope, id);
      if (!r) continue;
      r.routes = r.routes.filter((x) => !(x.kind === 'endpoint' && x.target === e.id));
      st.rtbs.put(scope, r.id, r);
    }
  }
  function gatewayTables(scope: Scope, e: { vpcId: string }, ids: string[], pl: string): RtbRec[] {
    return ids.map((id) => {
      const r = st.rtb(scope, id);
      if (r.vpcId !== e.vpcId) throw new AwsError('InvalidParameter', `Route table ${r.id} does not belong to ${e.vpcId}.`, 400);
      if (r.routes.some((x) => x.destPl === pl)) throw new AwsError('RouteAlreadyExists', `route table ${r.id} already has a route with destination-prefix-list-id ${pl}`, 400);
      return r;
    });
  }
  function interfaceSubnets(scope: Scope, e: { vpcId: string }, ids: string[], existing: string[] = []) {
    const subnets = ids.map((id) => st.subnet(scope, id));
    const zones = existing.map((id) => st.subnets.get(scope, id)?.az);
    for (const s of subnets) {
      if (s.vpcId !== e.vpcId) throw new AwsError('InvalidParameter', `Subnet ${s.id} does not belong to ${e.vpcId}.`, 400);
      if (zones.includes(s.az)) {
        throw new AwsError(
          'DuplicateSubnetsInSameZone',
          `Found another VPC endpoint subnet in the availability zone of ${s.id}. VPC endpoint subnets should be in different availability zones supported by the VPC endpoint service.`,
          400,
        );
      }
      zones.push(s.az);
    }
    return subnets;
  }
  function checkPrivateDns(scope: Scope, vpcId: string, service: EndpointService, self?: string): void {
    const vpc = st.vpc(scope, vpcId);
    if (!vpc.dnsSupport || !vpc.dnsHostnames) {
      throw new AwsError('InvalidParameter', `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpcId}`, 400);
    }
    const clash = [...st.endpoints.values(scope)].some(
      (x) => x.id !== self && x.vpcId === vpcId && x.service === service.name && x.privateDns && vpceState(x, st.now()) !== 'deleted',
    );
    if (clash) {
      throw new AwsError('InvalidParameter', `private-dns-enabled cannot be set because there is already a conflicting DNS domain for ${service.dnsName} in the VPC ${vpcId}`, 400);
    }
  }
  function placeInterface(scope: Scope, e: VpceRec, subnetId: string): void {
    const s = st.subnet(scope, subnetId);
    const ip = st.allocateIp(scope, s);
    const eni: EniRec = {
      id: newId('eni'), subnetId: s.id, vpcId: s.vpcId, az: s.az, azId: s.azId, privateIp: formatIp4(ip), mac: randomMac(), sgIds: e.sgIds,
      description: `VPC Endpoint Interface ${e.id}`, deleteOnTermination: false, sourceDestCheck: true, autoPublic: false, tags: [],
      interfaceType: 'vpc_endpoint', vpceId: e.id,
    };
    st.enis.put(scope, eni.id, eni);
    e.eniIds.push(eni.id);
  }
  function removeInterface(scope: Scope, e: VpceRec, subnetId: string): void {
    for (const id of [...e.eniIds]) {
      const eni = st.enis.get(scope, id);
      if (eni && eni.subnetId !== subnetId) continue;
      if (eni) {
        st.releaseIp(scope, eni.subnetId, ipNumber(eni.privateIp));
        st.enis.delete(scope, eni.id);
      }
      e.eniIds = e.eniIds.filter((x) => x !== id);
    }
  }
  function groups(scope: Scope, vpcId: string, ids: string[] | undefined): string[] {
    const out = (ids ?? []).map((id) => {
      const g = st.sg(scope, id);
      if (g.vpcId !== vpcId) throw new AwsError('InvalidParameter', `Security group ${g.id} does not belong to ${vpcId}.`, 400);
      return g.id;
    });
    return out.length ? [...new Set(out)] : [st.defaultSg(scope, vpcId)!.id];
  }

  return {
    CreateVpcEndpoint(input: T.CreateVpcEndpointRequest, ctx: RequestContext): T.CreateVpcEndpointResult {
      const scope = st.scope(ctx);
      const vpc = st.vpc(scope, input.VpcId);
      const type = input.VpcEndpointType ?? 'Gateway';
      if (type !== 'Gateway' && type !== 'Interface') {
        throw new AwsError('InvalidParameter', `Endpoint type (${type}) is not supported by gureum; use Gateway or Interface.`, 400);
      }
      const svc = endpointService(scope.region, input.ServiceName);
      if (!svc) throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${input.ServiceName ?? ''}' does not exist`, 400);
      if (!svc.types.includes(type)) throw new AwsError('InvalidParameter', `The Vpc Endpoint Service '${svc.name}' does not support endpoint type ${type}.`, 400);
      if (input.PolicyDocument !== undefined) {
        try {
          JSON.parse(input.PolicyDocument);
        } catch {
          throw new AwsError('InvalidPolicyDocument', 'The policy document is malformed.', 400);
        }
      }
      const tags = tagsFor(input.TagSpecifications, 'vpc-endpoint');
      const e: VpceRec = {
        id: newId('vpce'), type, vpcId: vpc.id, service: svc.name, rtbIds: [], subnetIds: [], eniIds: [], sgIds: [], policy: input.PolicyDocument ?? DEFAULT_POLICY,
        privateDns: false, createdAt: st.now(), tags,
      };
      if (type === 'Gateway') {
        if (input.SubnetIds?.length || input.SecurityGroupIds?.length) {
          throw new AwsError('InvalidParameter', 'Subnets and security groups cannot be specified for a Gateway endpoint.', 400);
        }
        const pl = awsPrefixList(scope.region, svc.short as 's3' | 'dynamodb').id;
        const tables = gatewayTables(scope, e, [...new Set(input.RouteTableIds ?? [])], pl);
        dryRun(input);
        e.rtbIds = tables.map((r) => r.id);
        addRoutes(scope, e, tables, pl);
      } else {
        if (input.RouteTableIds?.length) throw new AwsError('InvalidParameter', 'Route tables cannot be specified for an Interface endpoint.', 400);
        const subnets = interfaceSubnets(scope, e, [...new Set(input.SubnetIds ?? [])]);
        e.sgIds = groups(scope, vpc.id, input.SecurityGroupIds);
        // Private DNS defaults to on for AWS services.
        e.privateDns = input.PrivateDnsEnabled ?? true;
        if (e.privateDns) checkPrivateDns(scope, vpc.id, svc);
        dryRun(input);
        for (const s of subnets) placeInterface(scope, e, s.id);
        e.subnetIds = subnets.map((s) => s.id);
      }
      st.endpoints.put(scope, e.id, e);
      return { VpcEndpoint: render(st, scope, e), ClientToken: input.ClientToken };
    },

    ModifyVpcEndpoint(input: T.ModifyVpcEndpointRequest, ctx: RequestContext): T.ModifyVpcEndpointResult {
      const scope = st.scope(ctx);
      const e = find(scope, input.VpcEndpointId);
      const svc = endpointService(scope.region, e.service)!;
      if (e.type === 'Gateway') {
        if (input.AddSubnetIds?.length || input.AddSecurityGroupIds?.length) {
          throw new AwsError('InvalidParameter', 'Subnets and security groups cannot be specified for a Gateway endpoint.', 400);
        }
        const pl = awsPrefixList(scope.region, svc.short as 's3' | 'dynamodb').id;
        const adds = gatewayTables(scope, e, (input.AddRouteTableIds ?? []).filter((id) => !e.rtbIds.includes(id)), pl);
        const removes = input.RemoveRouteTableIds ?? [];
        for (const id of removes) if (!e.rtbIds.includes(id)) throw new AwsError('InvalidRouteTableId.NotFound', `The routeTable ID '${id}' does not exist`, 400);
        dryRun(input);
        removeRoutes(scope, e, removes);
        e.rtbIds = e.rtbIds.filter((id) => !removes.includes(id));
        addRoutes(scope, e, adds, pl);
        e.rtbIds.push(...adds.map((r) => r.id));
      } else {
        if (input.AddRouteTableIds?.length) throw new AwsError('InvalidParameter', 'Route tables cannot be specified for an Interface endpoint.', 400);
        const removes = input.RemoveSubnetIds ?? [];
        const kept = e.subnetIds.filter((id) => !removes.includes(id));
        const adds = interfaceSubnets(scope, e, (input.AddSubnetIds ?? []).filter((id) => !e.subnetIds.includes(id)), kept);
        const sgAdds = (input.AddSecurityGroupIds ?? []).length ? groups(scope, e.vpcId, input.AddSecurityGroupIds) : [];
        const sgs = [...new Set([...e.sgIds.filter((id) => !(input.RemoveSecurityGroupIds ?? []).includes(id)), ...sgAdds])];
        if (!sgs.length) throw new AwsError('InvalidParameter', 'An Interface endpoint must have at least one security group.', 400);
        if (input.PrivateDnsEnabled === true && !e.privateDns) checkPrivateDns(scope, e.vpcId, svc, e.id);
        dryRun(input);
        for (const id of removes) removeInterface(scope, e, id);
        e.sgIds = sgs;
        for (const s of adds) placeInterface(scope, e, s.id);
        e.subnetIds = [...kept, ...adds.map((s) => s.id)];
        for (const id of e.eniIds) {
          const eni = st.enis.get(scope, id);
          if (eni) st.enis.put(scope, id, { ...eni, sgIds: e.sgIds });
        }
        if (input.PrivateDnsEnabled !== undefined) e.privateDns = input.PrivateDnsEnabled;
      }
      if (input.ResetPolicy) e.policy = DEFAULT_POLICY;
      else if (input.PolicyDocument !== undefined) e.policy = input.PolicyDocument;
      st.endpoints.put(scope, e.id, e);
      return { Return: true };
    },

    DeleteVpcEndpoints(input: T.DeleteVpcEndpointsRequest, ctx: RequestContext): T.DeleteVpcEndpointsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const unsuccessful: T.UnsuccessfulItem[] = [];
      for (const id of input.VpcEndpointIds ?? []) {
        const e = st.endpoints.get(scope, id);
        if (!e || e.deletedAt !== undefined) {
          unsuccessful.push({ ResourceId: id, Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: `The Vpc Endpoint Id '${id}' does not exist` } });
          continue;
        }
        removeRoutes(scope, e, e.rtbIds);
        for (const s of [...e.subnetIds]) removeInterface(scope, e, s);
        e.deletedAt = st.now();
        st.endpoints.put(scope, e.id, e);
      }
      return { Unsuccessful: unsuccessful };
    },

    DescribeVpcEndpoints(input: T.DescribeVpcEndpointsRequest, ctx: RequestContext): T.DescribeVpcEndpointsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.endpoints.values(scope)].filter((e) => vpceState(e, st.now()) !== 'deleted');
      if (input.VpcEndpointIds?.length) {
        const missing = input.VpcEndpointIds.find((id) => !all.some((e) => e.id === id));
        if (missing) throw vpceNotFound(missing);
        all = all.filter((e) => input.VpcEndpointIds!.includes(e.id));
      }
      const out = applyFilters(all.map((e) => render(st, scope, e)), input.Filters, VPCE_FILTERS, (e) => e.Tags);
      const { page, NextToken } = paginate(out, input, 1, 1000);
      return { VpcEndpoints: page, NextToken };
    },

    DescribeVpcEndpointServices(input: T.DescribeVpcEndpointServicesRequest, ctx: RequestContext): T.DescribeVpcEndpointServicesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = endpointServices(scope.region);
      if (input.ServiceNames?.length) {
        const missing = input.ServiceNames.find((n) => !all.some((s) => s.name === n));
        if (missing) throw new AwsError('InvalidServiceName', `The Vpc Endpoint Service '${missing}' does not exist`, 400);
        all = all.filter((s) => input.ServiceNames!.includes(s.name));
      }
      const details = applyFilters(all.map((s) => renderService(scope, s)), input.Filters, {
        'owner': (s) => s.Owner,
        'service-name': (s) => s.ServiceName,
        'service-region': (s) => s.ServiceRegion,
        'service-type': (s) => s.ServiceType?.map((t) => t.ServiceType!),
        'supported-ip-address-types': (s) => s.SupportedIpAddressTypes,
      }, (s) => s.Tags);
      const { page, NextToken } = paginate(details, input, 5, 1000);
      return { ServiceDetails: page, ServiceNames: page.map((s) => s.ServiceName!), NextToken };
    },
  };
}
