/**
 * Transit gateway route tables: create/delete/describe, associations (one table per attachment),
 * propagations, static and blackhole routes, and route search (exact, longest-prefix, subnet-of,
 * supernet-of matches). Effective routes (static over propagated) come from domain/tgw.ts.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { contains4, formatCidr4, parseCidr4 } from '../domain/cidr.js';
import { attachState, rtbState, tgwRoutes, tgwState, type EffectiveTgwRoute } from '../domain/tgw.js';
import { newId, tagsFor, tagsOut, type Ec2State } from '../state.js';
import type { TgwRtbRec } from '../records.js';
import { associationOf, rtbNotFound, tgwLookups } from './transit-gateways.js';

function renderRtb(t: TgwRtbRec, now: number): T.TransitGatewayRouteTable {
  return {
    CreationTime: new Date(t.createdAt), DefaultAssociationRouteTable: t.defaultAssoc, DefaultPropagationRouteTable: t.defaultProp, State: rtbState(t, now),
    Tags: tagsOut(t.tags) ?? [], TransitGatewayId: t.tgwId, TransitGatewayRouteTableId: t.id,
  };
}

function renderRoute(scope: Scope, r: EffectiveTgwRoute): T.TransitGatewayRoute {
  return {
    DestinationCidrBlock: r.cidr, State: r.state, Type: r.type,
    TransitGatewayAttachments: r.attachment
      ? [{ ResourceId: r.attachment.resourceId, ResourceType: r.attachment.resourceType, TransitGatewayAttachmentId: r.attachment.id }]
      : undefined,
  };
}

const RTB_FILTERS: FilterFields<T.TransitGatewayRouteTable> = {
  'default-association-route-table': (r) => String(r.DefaultAssociationRouteTable),
  'default-propagation-route-table': (r) => String(r.DefaultPropagationRouteTable),
  state: (r) => r.State,
  'transit-gateway-id': (r) => r.TransitGatewayId,
  'transit-gateway-route-table-id': (r) => r.TransitGatewayRouteTableId,
};

/** Route-search filters: the `route-search.*` matches compare CIDRs; the others compare values. */
function searchRoutes(routes: EffectiveTgwRoute[], filters: T.Filter[]): EffectiveTgwRoute[] {
  const cidrOf = (s: string) => {
    const c = parseCidr4(s);
    if (!c) throw new AwsError('InvalidParameterValue', `Value (${s}) for route-search filter is invalid. This is not a valid CIDR block.`, 400);
    return c;
  };
  let out = routes;
  for (const f of filters) {
    const values = f.Values ?? [];
    const c = (r: EffectiveTgwRoute) => parseCidr4(r.cidr)!;
    switch (f.Name) {
      case 'route-search.exact-match':
        out = out.filter((r) => values.some((v) => formatCidr4(cidrOf(v)) === r.cidr));
        break;
      case 'route-search.subnet-of-match':
        out = out.filter((r) => values.some((v) => contains4(cidrOf(v), c(r))));
        break;
      case 'route-search.supernet-of-match':
        out = out.filter((r) => values.some((v) => contains4(c(r), cidrOf(v))));
        break;
      case 'route-search.longest-prefix-match': {
        const matches = out.filter((r) => values.some((v) => contains4(c(r), cidrOf(v))));
        const best = Math.max(-1, ...matches.map((r) => c(r).prefix));
        out = matches.filter((r) => c(r).prefix === best);
        break;
      }
      default:
        out = applyFilters(out, [f], {
          type: (r) => r.type,
          state: (r) => r.state,
          'attachment.transit-gateway-attachment-id': (r) => r.attachment?.id,
          'attachment.resource-id': (r) => r.attachment?.resourceId,
          'attachment.resource-type': (r) => r.attachment?.resourceType,
        });
    }
  }
  return out;
}

export function transitGatewayRouteOperations(st: Ec2State) {
  const { now, tgw, attachment, routeTable, live, requireAvailable } = tgwLookups(st);
  return {
    CreateTransitGatewayRouteTable(input: T.CreateTransitGatewayRouteTableRequest, ctx: RequestContext): T.CreateTransitGatewayRouteTableResult {
      const scope = st.scope(ctx);
      const t = tgw(scope, input.TransitGatewayId);
      requireAvailable('Transit Gateway', t.id, tgwState(t, now()));
      const tags = tagsFor(input.TagSpecifications, 'transit-gateway-route-table');
      dryRun(input);
      const r: TgwRtbRec = { id: newId('tgw-rtb'), tgwId: t.id, defaultAssoc: false, defaultProp: false, propagations: [], routes: [], createdAt: now(), tags };
      st.tgwRtbs.put(scope, r.id, r);
      return { TransitGatewayRouteTable: renderRtb(r, now()) };
    },

    DeleteTransitGatewayRouteTable(input: T.DeleteTransitGatewayRouteTableRequest, ctx: RequestContext): T.DeleteTransitGatewayRouteTableResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      if (r.deletedAt !== undefined) throw new AwsError('IncorrectState', `Transit Gateway Route Table ${r.id} is in invalid state`, 400);
      const t = st.tgws.get(scope, r.tgwId);
      if (t && (t.assocRtbId === r.id || t.propRtbId === r.id)) {
        throw new AwsError('IncorrectState', `${r.id} is the default association or propagation route table of ${t.id}.`, 400);
      }
      const associated = [...st.tgwAttachments.values(scope)].filter((a) => a.rtbId === r.id && attachState(a, now()) !== 'deleted');
      if (associated.length || r.propagations.length) {
        throw new AwsError('IncorrectState', `${r.id} has associations or propagations: ${[...associated.map((a) => a.id), ...r.propagations].join(', ')}.`, 400);
      }
      dryRun(input);
      r.deletedAt = now();
      st.tgwRtbs.put(scope, r.id, r);
      return { TransitGatewayRouteTable: renderRtb(r, now()) };
    },

    DescribeTransitGatewayRouteTables(input: T.DescribeTransitGatewayRouteTablesRequest, ctx: RequestContext): T.DescribeTransitGatewayRouteTablesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = live(st.tgwRtbs.values(scope), input.TransitGatewayRouteTableIds, rtbNotFound).map((r) => renderRtb(r, now()));
      const { page, NextToken } = paginate(applyFilters(all, input.Filters, RTB_FILTERS, (r) => r.Tags), input);
      return { TransitGatewayRouteTables: page, NextToken };
    },

    AssociateTransitGatewayRouteTable(input: T.AssociateTransitGatewayRouteTableRequest, ctx: RequestContext): T.AssociateTransitGatewayRouteTableResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      const a = attachment(scope, input.TransitGatewayAttachmentId);
      if (a.tgwId !== r.tgwId) throw new AwsError('InvalidParameterValue', `${a.id} and ${r.id} belong to different transit gateways.`, 400);
      requireAvailable('Transit Gateway Attachment', a.id, attachState(a, now()));
      if (a.rtbId) throw new AwsError('Resource.AlreadyAssociated', `Transit Gateway Attachment ${a.id} is already associated to a route table.`, 400);
      dryRun(input);
      a.rtbId = r.id;
      st.tgwAttachments.put(scope, a.id, a);
      return { Association: { ResourceId: a.resourceId, ResourceType: a.resourceType, State: 'associating', TransitGatewayAttachmentId: a.id, TransitGatewayRouteTableId: r.id } };
    },

    DisassociateTransitGatewayRouteTable(input: T.DisassociateTransitGatewayRouteTableRequest, ctx: RequestContext): T.DisassociateTransitGatewayRouteTableResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      const a = attachment(scope, input.TransitGatewayAttachmentId);
      if (a.rtbId !== r.id) throw new AwsError('InvalidAssociation.NotFound', `Association between ${a.id} and ${r.id} was not found.`, 400);
      dryRun(input);
      delete a.rtbId;
      st.tgwAttachments.put(scope, a.id, a);
      return { Association: { ResourceId: a.resourceId, ResourceType: a.resourceType, State: 'disassociating', TransitGatewayAttachmentId: a.id, TransitGatewayRouteTableId: r.id } };
    },

    EnableTransitGatewayRouteTablePropagation(input: T.EnableTransitGatewayRouteTablePropagationRequest, ctx: RequestContext): T.EnableTransitGatewayRouteTablePropagationResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      const a = attachment(scope, input.TransitGatewayAttachmentId);
      if (a.tgwId !== r.tgwId) throw new AwsError('InvalidParameterValue', `${a.id} and ${r.id} belong to different transit gateways.`, 400);
      if (r.propagations.includes(a.id)) {
        throw new AwsError('TransitGatewayRouteTablePropagation.Duplicate', `Propagation for ${a.id} already exists in ${r.id}.`, 400);
      }
      dryRun(input);
      r.propagations.push(a.id);
      st.tgwRtbs.put(scope, r.id, r);
      return { Propagation: { ResourceId: a.resourceId, ResourceType: a.resourceType, State: 'enabling', TransitGatewayAttachmentId: a.id, TransitGatewayRouteTableId: r.id } };
    },

    DisableTransitGatewayRouteTablePropagation(input: T.DisableTransitGatewayRouteTablePropagationRequest, ctx: RequestContext): T.DisableTransitGatewayRouteTablePropagationResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      const a = attachment(scope, input.TransitGatewayAttachmentId);
      if (!r.propagations.includes(a.id)) throw new AwsError('InvalidRouteTableID.NotFound', `Propagation for ${a.id} was not found in ${r.id}.`, 400);
      dryRun(input);
      r.propagations = r.propagations.filter((x) => x !== a.id);
      st.tgwRtbs.put(scope, r.id, r);
      return { Propagation: { ResourceId: a.resourceId, ResourceType: a.resourceType, State: 'disabling', TransitGatewayAttachmentId: a.id, TransitGatewayRouteTableId: r.id } };
    },

    GetTransitGatewayRouteTableAssociations(input: T.GetTransitGatewayRouteTableAssociationsRequest, ctx: RequestContext): T.GetTransitGatewayRouteTableAssociationsResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      dryRun(input);
      const all: T.TransitGatewayRouteTableAssociation[] = [...st.tgwAttachments.values(scope)]
        .filter((a) => a.rtbId === r.id && attachState(a, now()) !== 'deleted')
        .map((a) => ({ ResourceId: a.resourceId, ResourceType: a.resourceType, State: associationOf(st, scope, a, now())!.State, TransitGatewayAttachmentId: a.id }));
      const out = applyFilters(all, input.Filters, {
        'resource-id': (x) => x.ResourceId, 'resource-type': (x) => x.ResourceType, 'transit-gateway-attachment-id': (x) => x.TransitGatewayAttachmentId,
      });
      const { page, NextToken } = paginate(out, input);
      return { Associations: page, NextToken };
    },

    GetTransitGatewayRouteTablePropagations(input: T.GetTransitGatewayRouteTablePropagationsRequest, ctx: RequestContext): T.GetTransitGatewayRouteTablePropagationsResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      dryRun(input);
      const all: T.TransitGatewayRouteTablePropagation[] = r.propagations.flatMap((id) => {
        const a = st.tgwAttachments.get(scope, id);
        return a ? [{ ResourceId: a.resourceId, ResourceType: a.resourceType, State: 'enabled', TransitGatewayAttachmentId: a.id }] : [];
      });
      const out = applyFilters(all, input.Filters, {
        'resource-id': (x) => x.ResourceId, 'resource-type': (x) => x.ResourceType, 'transit-gateway-attachment-id': (x) => x.TransitGatewayAttachmentId,
      });
      const { page, NextToken } = paginate(out, input);
      return { TransitGatewayRouteTablePropagations: page, NextToken };
    },

    CreateTransitGatewayRoute(input: T.CreateTransitGatewayRouteRequest, ctx: RequestContext): T.CreateTransitGatewayRouteResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      const c = parseCidr4(input.DestinationCidrBlock);
      if (!c) throw new AwsError('InvalidParameterValue', `Value (${input.DestinationCidrBlock}) for parameter destinationCidrBlock is invalid. This is not a valid CIDR block.`, 400);
      const cidr = formatCidr4(c);
      if (!input.Blackhole === !input.TransitGatewayAttachmentId) {
        throw new AwsError('InvalidParameterCombination', 'Exactly one of transitGatewayAttachmentId or blackhole must be specified.', 400);
      }
      const a = input.TransitGatewayAttachmentId ? attachment(scope, input.TransitGatewayAttachmentId) : undefined;
      if (a && a.tgwId !== r.tgwId) throw new AwsError('InvalidParameterValue', `${a.id} and ${r.id} belong to different transit gateways.`, 400);
      if (r.routes.some((x) => x.cidr === cidr)) throw new AwsError('RouteAlreadyExists', `Route ${cidr} already exists in Transit Gateway Route Table ${r.id}.`, 400);
      dryRun(input);
      r.routes.push({ cidr, attachmentId: a?.id, blackhole: !!input.Blackhole });
      st.tgwRtbs.put(scope, r.id, r);
      const route = tgwRoutes(st, scope, r).find((x) => x.cidr === cidr && x.type === 'static')!;
      return { Route: renderRoute(scope, route) };
    },

    ReplaceTransitGatewayRoute(input: T.ReplaceTransitGatewayRouteRequest, ctx: RequestContext): T.ReplaceTransitGatewayRouteResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      const c = parseCidr4(input.DestinationCidrBlock);
      const cidr = c ? formatCidr4(c) : input.DestinationCidrBlock;
      const i = r.routes.findIndex((x) => x.cidr === cidr);
      if (i < 0) throw new AwsError('InvalidRoute.NotFound', `No route with destination-cidr-block ${cidr} in Transit Gateway Route Table ${r.id}`, 400);
      const a = input.TransitGatewayAttachmentId ? attachment(scope, input.TransitGatewayAttachmentId) : undefined;
      if (!input.Blackhole && !a) throw new AwsError('InvalidParameterCombination', 'Exactly one of transitGatewayAttachmentId or blackhole must be specified.', 400);
      dryRun(input);
      r.routes[i] = { cidr, attachmentId: a?.id, blackhole: !!input.Blackhole };
      st.tgwRtbs.put(scope, r.id, r);
      const route = tgwRoutes(st, scope, r).find((x) => x.cidr === cidr && x.type === 'static')!;
      return { Route: renderRoute(scope, route) };
    },

    DeleteTransitGatewayRoute(input: T.DeleteTransitGatewayRouteRequest, ctx: RequestContext): T.DeleteTransitGatewayRouteResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      const c = parseCidr4(input.DestinationCidrBlock);
      const cidr = c ? formatCidr4(c) : input.DestinationCidrBlock;
      const i = r.routes.findIndex((x) => x.cidr === cidr);
      if (i < 0) throw new AwsError('InvalidRoute.NotFound', `No route with destination-cidr-block ${cidr} in Transit Gateway Route Table ${r.id}`, 400);
      dryRun(input);
      const route = tgwRoutes(st, scope, r).find((x) => x.cidr === cidr && x.type === 'static')!;
      r.routes.splice(i, 1);
      st.tgwRtbs.put(scope, r.id, r);
      return { Route: { ...renderRoute(scope, route), State: 'deleted' } };
    },

    SearchTransitGatewayRoutes(input: T.SearchTransitGatewayRoutesRequest, ctx: RequestContext): T.SearchTransitGatewayRoutesResult {
      const scope = st.scope(ctx);
      const r = routeTable(scope, input.TransitGatewayRouteTableId);
      if (!input.Filters?.length) throw new AwsError('MissingParameter', 'The request must contain the parameter Filters', 400);
      dryRun(input);
      const found = searchRoutes(tgwRoutes(st, scope, r), input.Filters);
      const max = input.MaxResults ?? 1000;
      return { Routes: found.slice(0, max).map((x) => renderRoute(scope, x)), AdditionalRoutesAvailable: found.length > max };
    },
  };
}
