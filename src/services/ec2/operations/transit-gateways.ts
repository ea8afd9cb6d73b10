/**
 * Transit gateways: the gateway (with its default association/propagation route table) and VPC
 * attachments (one subnet per zone); route tables are in transit-gateway-routes.ts. States
 * (pending → available, deleting → deleted) are computed from timestamps on the virtual clock
 * (domain/tgw.ts).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { parseCidr4 } from '../domain/cidr.js';
import { attachState, rtbState, tgwState, TGW_VISIBLE_AFTER_DELETE_MS, TGW_DELETING_MS } from '../domain/tgw.js';
import { newId, tagsFor, tagsOut, type Ec2State } from '../state.js';
import type { TgwAttachRec, TgwRec, TgwRtbRec } from '../records.js';

export const tgwNotFound = (id: string) => new AwsError('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`, 400);
export const attachNotFound = (id: string) =>
  new AwsError('InvalidTransitGatewayAttachmentID.NotFound', `Transit Gateway Attachment ${id} was deleted or does not exist.`, 400);
export const rtbNotFound = (id: string) => new AwsError('InvalidRouteTableID.NotFound', `Transit Gateway Route Table ${id} was deleted or does not exist.`, 400);

const enable = (v: string | undefined, def: string, name: string) => {
  const x = v ?? def;
  if (x !== 'enable' && x !== 'disable') throw new AwsError('InvalidParameterValue', `Value (${x}) for parameter ${name} is invalid. Valid values are enable and disable.`, 400);
  return x;
};

const gone = (r: { deletedAt?: number }, now: number) => r.deletedAt !== undefined && now >= r.deletedAt + TGW_DELETING_MS + TGW_VISIBLE_AFTER_DELETE_MS;

export function renderTgw(scope: Scope, t: TgwRec, now: number): T.TransitGateway {
  const o = t.options;
  return {
    CreationTime: new Date(t.createdAt), Description: t.description ?? '', OwnerId: scope.account, State: tgwState(t, now), Tags: tagsOut(t.tags) ?? [],
    TransitGatewayArn: `arn:aws:ec2:${scope.region}:${scope.account}:transit-gateway/${t.id}`, TransitGatewayId: t.id,
    Options: {
      AmazonSideAsn: o.amazonSideAsn, AutoAcceptSharedAttachments: o.autoAccept, DefaultRouteTableAssociation: o.defaultAssoc,
      DefaultRouteTablePropagation: o.defaultProp, AssociationDefaultRouteTableId: t.assocRtbId, PropagationDefaultRouteTableId: t.propRtbId,
      VpnEcmpSupport: o.vpnEcmp, DnsSupport: o.dns, MulticastSupport: o.multicast, SecurityGroupReferencingSupport: o.sgReferencing,
      TransitGatewayCidrBlocks: o.cidrBlocks.length ? o.cidrBlocks : undefined,
    },
  };
}

export function associationOf(st: Ec2State, scope: Scope, a: TgwAttachRec, now: number): T.TransitGatewayAttachmentAssociation | undefined {
  if (!a.rtbId) return undefined;
  const state = attachState(a, now);
  return { TransitGatewayRouteTableId: a.rtbId, State: state === 'pending' ? 'associating' : state === 'available' ? 'associated' : 'disassociating' };
}

function renderVpcAttachment(scope: Scope, a: TgwAttachRec, now: number): T.TransitGatewayVpcAttachment {
  return {
    CreationTime: new Date(a.createdAt), State: attachState(a, now), SubnetIds: a.subnetIds, Tags: tagsOut(a.tags) ?? [], TransitGatewayAttachmentId: a.id,
    TransitGatewayId: a.tgwId, VpcId: a.resourceId, VpcOwnerId: scope.account,
    Options: { DnsSupport: a.options.dns, Ipv6Support: a.options.ipv6, ApplianceModeSupport: a.options.applianceMode, SecurityGroupReferencingSupport: a.options.sgReferencing },
  };
}

export function renderAttachment(st: Ec2State, scope: Scope, a: TgwAttachRec, now: number): T.TransitGatewayAttachment {
  return {
    Association: associationOf(st, scope, a, now), CreationTime: new Date(a.createdAt), ResourceId: a.resourceId, ResourceOwnerId: scope.account,
    ResourceType: a.resourceType, State: attachState(a, now), Tags: tagsOut(a.tags) ?? [], TransitGatewayAttachmentId: a.id, TransitGatewayId: a.tgwId,
    TransitGatewayOwnerId: scope.account,
  };
}

const TGW_FILTERS: FilterFields<T.TransitGateway> = {
  'options.propagation-default-route-table-id': (t) => t.Options?.PropagationDefaultRouteTableId,
  'options.amazon-side-asn': (t) => String(t.Options?.AmazonSideAsn),
  'options.association-default-route-table-id': (t) => t.Options?.AssociationDefaultRouteTableId,
  'options.auto-accept-shared-attachments': (t) => t.Options?.AutoAcceptSharedAttachments,
  'options.default-route-table-association': (t) => t.Options?.DefaultRouteTableAssociation,
  'options.default-route-table-propagation': (t) => t.Options?.DefaultRouteTablePropagation,
  'options.dns-support': (t) => t.Options?.DnsSupport,
  'options.vpn-ecmp-support': (t) => t.Options?.VpnEcmpSupport,
  'owner-id': (t) => t.OwnerId,
  state: (t) => t.State,
  'transit-gateway-id': (t) => t.TransitGatewayId,
};
const ATTACH_FILTERS: FilterFields<T.TransitGatewayAttachment> = {
  'association.state': (a) => a.Association?.State,
  'association.transit-gateway-route-table-id': (a) => a.Association?.TransitGatewayRouteTableId,
  'resource-id': (a) => a.ResourceId,
  'resource-owner-id': (a) => a.ResourceOwnerId,
  'resource-type': (a) => a.ResourceType,
  state: (a) => a.State,
  'transit-gateway-attachment-id': (a) => a.TransitGatewayAttachmentId,
  'transit-gateway-id': (a) => a.TransitGatewayId,
  'transit-gateway-owner-id': (a) => a.TransitGatewayOwnerId,
};
const VPC_ATTACH_FILTERS: FilterFields<T.TransitGatewayVpcAttachment> = {
  state: (a) => a.State,
  'transit-gateway-attachment-id': (a) => a.TransitGatewayAttachmentId,
  'transit-gateway-id': (a) => a.TransitGatewayId,
  'vpc-id': (a) => a.VpcId,
};
/** Lookups shared by the gateway and route-table operations (deleted resources are not found). */
export function tgwLookups(st: Ec2State) {
  const now = () => st.now();
  function tgw(scope: Scope, id: string | undefined): TgwRec {
    const t = id ? st.tgws.get(scope, id) : undefined;
    if (!t || tgwState(t, now()) === 'deleted') throw tgwNotFound(id ?? '');
    return t;
  }
  function attachment(scope: Scope, id: string | undefined): TgwAttachRec {
    const a = id ? st.tgwAttachments.get(scope, id) : undefined;
    if (!a || attachState(a, now()) === 'deleted') throw attachNotFound(id ?? '');
    return a;
  }
  function routeTable(scope: Scope, id: string | undefined): TgwRtbRec {
    const r = id ? st.tgwRtbs.get(scope, id) : undefined;
    if (!r || rtbState(r, now()) === 'deleted') throw rtbNotFound(id ?? '');
    return r;
  }
  function live<R extends { id: string; deletedAt?: number }>(all: Iterable<R>, ids: string[] | undefined, notFound: (id: string) => Error): R[] {
    const t = now();
    const list = [...all].filter((x) => !gone(x, t));
    if (!ids?.length) return list;
    const missing = ids.find((id) => !list.some((x) => x.id === id));
    if (missing) throw notFound(missing);
    return list.filter((x) => ids.includes(x.id));
  }
  function requireAvailable(what: string, id: string, state: string): void {
    if (state !== 'available') throw new AwsError('IncorrectState', `${what} ${id} is in invalid state`, 400);
  }

  return { now, tgw, attachment, routeTable, live, requireAvailable };
}

export function transitGatewayOperations(st: Ec2State) {
  const { now, tgw, attachment, routeTable, live, requireAvailable } = tgwLookups(st);
  return {
    CreateTransitGateway(input: T.CreateTransitGatewayRequest, ctx: RequestContext): T.CreateTransitGatewayResult {
      const scope = st.scope(ctx);
      const o = input.Options ?? {};
      const asn = o.AmazonSideAsn ?? 64512;
      const privateAsn = (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294);
      if (!privateAsn) throw new AwsError('InvalidParameterValue', `Amazon side ASN ${asn} is not in the valid range 64512-65534 or 4200000000-4294967294.`, 400);
      const cidrBlocks = o.TransitGatewayCidrBlocks ?? [];
      for (const c of cidrBlocks) if (!parseCidr4(c)) throw new AwsError('InvalidParameterValue', `Invalid CIDR block ${c}`, 400);
      const options = {
        amazonSideAsn: asn,
        autoAccept: enable(o.AutoAcceptSharedAttachments, 'disable', 'AutoAcceptSharedAttachments'),
        defaultAssoc: enable(o.DefaultRouteTableAssociation, 'enable', 'DefaultRouteTableAssociation'),
        defaultProp: enable(o.DefaultRouteTablePropagation, 'enable', 'DefaultRouteTablePropagation'),
        vpnEcmp: enable(o.VpnEcmpSupport, 'enable', 'VpnEcmpSupport'),
        dns: enable(o.DnsSupport, 'enable', 'DnsSupport'),
        multicast: enable(o.MulticastSupport, 'disable', 'MulticastSupport'),
        sgReferencing: enable(o.SecurityGroupReferencingSupport, 'disable', 'SecurityGroupReferencingSupport'),
        cidrBlocks,
      };
      const tags = tagsFor(input.TagSpecifications, 'transit-gateway');
      dryRun(input);
      const t: TgwRec = { id: newId('tgw'), description: input.Description, options, createdAt: now(), tags };
      if (options.defaultAssoc === 'enable' || options.defaultProp === 'enable') {
        const r: TgwRtbRec = {
          id: newId('tgw-rtb'), tgwId: t.id, defaultAssoc: options.defaultAssoc === 'enable', defaultProp: options.defaultProp === 'enable',
          propagations: [], routes: [], createdAt: t.createdAt, tags: [],
        };
        st.tgwRtbs.put(scope, r.id, r);
        if (r.defaultAssoc) t.assocRtbId = r.id;
        if (r.defaultProp) t.propRtbId = r.id;
      }
      st.tgws.put(scope, t.id, t);
      return { TransitGateway: renderTgw(scope, t, now()) };
    },

    DescribeTransitGateways(input: T.DescribeTransitGatewaysRequest, ctx: RequestContext): T.DescribeTransitGatewaysResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = live(st.tgws.values(scope), input.TransitGatewayIds, tgwNotFound).map((t) => renderTgw(scope, t, now()));
      const { page, NextToken } = paginate(applyFilters(all, input.Filters, TGW_FILTERS, (t) => t.Tags), input);
      return { TransitGateways: page, NextToken };
    },

    ModifyTransitGateway(input: T.ModifyTransitGatewayRequest, ctx: RequestContext): T.ModifyTransitGatewayResult {
      const scope = st.scope(ctx);
      const t = tgw(scope, input.TransitGatewayId);
      const o = input.Options ?? {};
      if (o.AssociationDefaultRouteTableId) routeTable(scope, o.AssociationDefaultRouteTableId);
      if (o.PropagationDefaultRouteTableId) routeTable(scope, o.PropagationDefaultRouteTableId);
      dryRun(input);
      if (input.Description !== undefined) t.description = input.Description;
      if (o.DefaultRouteTableAssociation) t.options.defaultAssoc = enable(o.DefaultRouteTableAssociation, 'enable', 'DefaultRouteTableAssociation');
      if (o.DefaultRouteTablePropagation) t.options.defaultProp = enable(o.DefaultRouteTablePropagation, 'enable', 'DefaultRouteTablePropagation');
      if (o.AssociationDefaultRouteTableId) t.assocRtbId = o.AssociationDefaultRouteTableId;
      if (o.PropagationDefaultRouteTableId) t.propRtbId = o.PropagationDefaultRouteTableId;
      if (o.DnsSupport) t.options.dns = enable(o.DnsSupport, 'enable', 'DnsSupport');
      if (o.VpnEcmpSupport) t.options.vpnEcmp = enable(o.VpnEcmpSupport, 'enable', 'VpnEcmpSupport');
      if (o.AutoAcceptSharedAttachments) t.options.autoAccept = enable(o.AutoAcceptSharedAttachments, 'disable', 'AutoAcceptSharedAttachments');
      if (o.SecurityGroupReferencingSupport) t.options.sgReferencing = enable(o.SecurityGroupReferencingSupport, 'disable', 'SecurityGroupReferencingSupport');
      if (o.AddTransitGatewayCidrBlocks) t.options.cidrBlocks = [...new Set([...t.options.cidrBlocks, ...o.AddTransitGatewayCidrBlocks])];
      if (o.RemoveTransitGatewayCidrBlocks) t.options.cidrBlocks = t.options.cidrBlocks.filter((c) => !o.RemoveTransitGatewayCidrBlocks!.includes(c));
      st.tgws.put(scope, t.id, t);
      return { TransitGateway: renderTgw(scope, t, now()) };
    },

    DeleteTransitGateway(input: T.DeleteTransitGatewayRequest, ctx: RequestContext): T.DeleteTransitGatewayResult {
      const scope = st.scope(ctx);
      const t = tgw(scope, input.TransitGatewayId);
      requireAvailable('Transit Gateway', t.id, tgwState(t, now()));
      const attached = [...st.tgwAttachments.values(scope)].filter((a) => a.tgwId === t.id && attachState(a, now()) !== 'deleted');
      if (attached.length) {
        throw new AwsError('IncorrectState', `${t.id} has non-deleted Transit Gateway Attachments: ${attached.map((a) => a.id).join(', ')}.`, 400);
      }
      const tables = [...st.tgwRtbs.values(scope)].filter((r) => r.tgwId === t.id && rtbState(r, now()) !== 'deleted' && !r.defaultAssoc && !r.defaultProp);
      if (tables.length) throw new AwsError('IncorrectState', `${t.id} has non-deleted Transit Gateway Route Tables: ${tables.map((r) => r.id).join(', ')}.`, 400);
      dryRun(input);
      t.deletedAt = now();
      st.tgws.put(scope, t.id, t);
      for (const r of st.tgwRtbs.values(scope)) {
        if (r.tgwId === t.id && r.deletedAt === undefined) {
          r.deletedAt = now();
          st.tgwRtbs.put(scope, r.id, r);
        }
      }
      return { TransitGateway: renderTgw(scope, t, now()) };
    },

    CreateTransitGatewayVpcAttachment(input: T.CreateTransitGatewayVpcAttachmentRequest, ctx: RequestContext): T.CreateTransitGatewayVpcAttachmentResult {
      const scope = st.scope(ctx);
      const t = tgw(scope, input.TransitGatewayId);
      const vpc = st.vpc(scope, input.VpcId);
      if (!input.SubnetIds?.length) throw new AwsError('MissingParameter', 'The request must contain the parameter SubnetIds', 400);
      const subnets = input.SubnetIds.map((id) => st.subnet(scope, id));
      for (const s of subnets) if (s.vpcId !== vpc.id) throw new AwsError('InvalidParameterValue', `Subnet ${s.id} does not belong to ${vpc.id}.`, 400);
      if (new Set(subnets.map((s) => s.az)).size !== subnets.length) throw new AwsError('DuplicateSubnetsInSameZone', 'Duplicate Subnets for same AZ', 400);
      requireAvailable('Transit Gateway', t.id, tgwState(t, now()));
      const existing = [...st.tgwAttachments.values(scope)].find((a) => a.tgwId === t.id && a.resourceId === vpc.id && attachState(a, now()) !== 'deleted');
      if (existing) throw new AwsError('DuplicateTransitGatewayAttachment', `${t.id} has non-deleted Transit Gateway Attachments with same VPC ID.`, 400);
      const o = input.Options ?? {};
      const options = {
        dns: enable(o.DnsSupport, 'enable', 'DnsSupport'),
        ipv6: enable(o.Ipv6Support, 'disable', 'Ipv6Support'),
        applianceMode: enable(o.ApplianceModeSupport, 'disable', 'ApplianceModeSupport'),
        sgReferencing: enable(o.SecurityGroupReferencingSupport, t.options.sgReferencing, 'SecurityGroupReferencingSupport'),
      };
      const tags = tagsFor(input.TagSpecifications, 'transit-gateway-attachment');
      dryRun(input);
      const a: TgwAttachRec = {
        id: newId('tgw-attach'), tgwId: t.id, resourceType: 'vpc', resourceId: vpc.id, subnetIds: subnets.map((s) => s.id), options,
        createdAt: now(), tags,
      };
      if (t.options.defaultAssoc === 'enable' && t.assocRtbId) a.rtbId = t.assocRtbId;
      st.tgwAttachments.put(scope, a.id, a);
      if (t.options.defaultProp === 'enable' && t.propRtbId) {
        const r = st.tgwRtbs.get(scope, t.propRtbId);
        if (r) {
          r.propagations.push(a.id);
          st.tgwRtbs.put(scope, r.id, r);
        }
      }
      return { TransitGatewayVpcAttachment: renderVpcAttachment(scope, a, now()) };
    },

    ModifyTransitGatewayVpcAttachment(input: T.ModifyTransitGatewayVpcAttachmentRequest, ctx: RequestContext): T.ModifyTransitGatewayVpcAttachmentResult {
      const scope = st.scope(ctx);
      const a = attachment(scope, input.TransitGatewayAttachmentId);
      requireAvailable('Transit Gateway Attachment', a.id, attachState(a, now()));
      const adds = (input.AddSubnetIds ?? []).map((id) => st.subnet(scope, id));
      for (const s of adds) if (s.vpcId !== a.resourceId) throw new AwsError('InvalidParameterValue', `Subnet ${s.id} does not belong to ${a.resourceId}.`, 400);
      const next = [...a.subnetIds.filter((id) => !(input.RemoveSubnetIds ?? []).includes(id)), ...adds.map((s) => s.id)];
      const azs = next.map((id) => st.subnets.get(scope, id)?.az);
      if (new Set(azs).size !== azs.length) throw new AwsError('DuplicateSubnetsInSameZone', 'Duplicate Subnets for same AZ', 400);
      if (!next.length) throw new AwsError('InvalidParameterValue', 'A transit gateway VPC attachment must have at least one subnet.', 400);
      dryRun(input);
      a.subnetIds = next;
      const o = input.Options ?? {};
      if (o.DnsSupport) a.options.dns = enable(o.DnsSupport, 'enable', 'DnsSupport');
      if (o.Ipv6Support) a.options.ipv6 = enable(o.Ipv6Support, 'disable', 'Ipv6Support');
      if (o.ApplianceModeSupport) a.options.applianceMode = enable(o.ApplianceModeSupport, 'disable', 'ApplianceModeSupport');
      if (o.SecurityGroupReferencingSupport) a.options.sgReferencing = enable(o.SecurityGroupReferencingSupport, 'disable', 'SecurityGroupReferencingSupport');
      st.tgwAttachments.put(scope, a.id, a);
      return { TransitGatewayVpcAttachment: { ...renderVpcAttachment(scope, a, now()), State: 'modifying' } };
    },

    DeleteTransitGatewayVpcAttachment(input: T.DeleteTransitGatewayVpcAttachmentRequest, ctx: RequestContext): T.DeleteTransitGatewayVpcAttachmentResult {
      const scope = st.scope(ctx);
      const a = attachment(scope, input.TransitGatewayAttachmentId);
      if (a.resourceType !== 'vpc') throw attachNotFound(a.id);
      if (a.deletedAt !== undefined) throw new AwsError('IncorrectState', `Transit Gateway Attachment ${a.id} is in invalid state`, 400);
      dryRun(input);
      a.deletedAt = now();
      delete a.rtbId;
      st.tgwAttachments.put(scope, a.id, a);
      for (const r of st.tgwRtbs.values(scope)) {
        if (r.propagations.includes(a.id)) {
          r.propagations = r.propagations.filter((x) => x !== a.id);
          st.tgwRtbs.put(scope, r.id, r);
        }
      }
      return { TransitGatewayVpcAttachment: renderVpcAttachment(scope, a, now()) };
    },

    DescribeTransitGatewayVpcAttachments(input: T.DescribeTransitGatewayVpcAttachmentsRequest, ctx: RequestContext): T.DescribeTransitGatewayVpcAttachmentsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const vpcOnly = [...st.tgwAttachments.values(scope)].filter((a) => a.resourceType === 'vpc');
      const all = live(vpcOnly, input.TransitGatewayAttachmentIds, attachNotFound).map((a) => renderVpcAttachment(scope, a, now()));
      const { page, NextToken } = paginate(applyFilters(all, input.Filters, VPC_ATTACH_FILTERS, (a) => a.Tags), input);
      return { TransitGatewayVpcAttachments: page, NextToken };
    },

    DescribeTransitGatewayAttachments(input: T.DescribeTransitGatewayAttachmentsRequest, ctx: RequestContext): T.DescribeTransitGatewayAttachmentsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = live(st.tgwAttachments.values(scope), input.TransitGatewayAttachmentIds, attachNotFound).map((a) => renderAttachment(st, scope, a, now()));
      const { page, NextToken } = paginate(applyFilters(all, input.Filters, ATTACH_FILTERS, (a) => a.Tags), input);
      return { TransitGatewayAttachments: page, NextToken };
    },

  };
}
