/**
 * Egress-only internet gateways (IPv6 outbound only): Create/Describe/DeleteEgressOnlyInternetGateway.
 * Routes reach one with EgressOnlyInternetGatewayId (route-tables.ts checks it through
 * `egressGatewayTarget`); a deleted gateway leaves its routes blackholed.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { newId, tagsFor, tagsOut, type Ec2State } from '../state.js';

export interface EigwRec { id: string; vpcId: string; tags: { Key: string; Value: string }[] }

export const eigwTable = (st: Ec2State): Table<EigwRec> => st.rt.table('egress-only-internet-gateways');
export const eigwNotFound = (id: string) => new AwsError('InvalidGatewayID.NotFound', `The gateway ID '${id}' does not exist`, 400);

/** Validates an egress-only gateway as a route target of a VPC's table (IPv6 destinations only). */
export function egressGatewayTarget(st: Ec2State, scope: Scope, vpcId: string, rtbId: string, id: string, ipv6Destination: boolean): void {
  const g = eigwTable(st).get(scope, id);
  if (!g) throw eigwNotFound(id);
  if (g.vpcId !== vpcId) throw new AwsError('InvalidParameterValue', `route table ${rtbId} and network gateway ${g.id} belong to different networks`, 400);
  if (!ipv6Destination) throw new AwsError('InvalidParameterCombination', 'An egress-only internet gateway can only be the target of routes with an IPv6 destination.', 400);
}

function render(g: EigwRec): T.EgressOnlyInternetGateway {
  return { EgressOnlyInternetGatewayId: g.id, Attachments: [{ State: 'attached', VpcId: g.vpcId }], Tags: tagsOut(g.tags) ?? [] };
}

const FILTERS: FilterFields<T.EgressOnlyInternetGateway> = {
  'egress-only-internet-gateway-id': (g) => g.EgressOnlyInternetGatewayId,
  'attachment.state': (g) => g.Attachments?.map((a) => a.State!),
  'attachment.vpc-id': (g) => g.Attachments?.map((a) => a.VpcId!),
};

export function egressGatewayOperations(st: Ec2State) {
  const table = eigwTable(st);
  return {
    CreateEgressOnlyInternetGateway(input: T.CreateEgressOnlyInternetGatewayRequest, ctx: RequestContext): T.CreateEgressOnlyInternetGatewayResult {
      const scope = st.scope(ctx);
      const vpc = st.vpc(scope, input.VpcId);
      const tags = tagsFor(input.TagSpecifications, 'egress-only-internet-gateway') as EigwRec['tags'];
      dryRun(input);
      const g: EigwRec = { id: newId('eigw'), vpcId: vpc.id, tags };
      table.put(scope, g.id, g);
      return { ClientToken: input.ClientToken, EgressOnlyInternetGateway: render(g) };
    },

    DescribeEgressOnlyInternetGateways(input: T.DescribeEgressOnlyInternetGatewaysRequest, ctx: RequestContext): T.DescribeEgressOnlyInternetGatewaysResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...table.values(scope)];
      for (const id of input.EgressOnlyInternetGatewayIds ?? []) if (!table.has(scope, id)) throw eigwNotFound(id);
      if (input.EgressOnlyInternetGatewayIds?.length) all = all.filter((g) => input.EgressOnlyInternetGatewayIds!.includes(g.id));
      const { page, NextToken } = paginate(applyFilters(all.map(render), input.Filters, FILTERS, (g) => g.Tags), input, 5, 255);
      return { EgressOnlyInternetGateways: page, NextToken };
    },

    DeleteEgressOnlyInternetGateway(input: T.DeleteEgressOnlyInternetGatewayRequest, ctx: RequestContext): T.DeleteEgressOnlyInternetGatewayResult {
      const scope = st.scope(ctx);
      const g = table.get(scope, input.EgressOnlyInternetGatewayId);
      if (!g) throw eigwNotFound(input.EgressOnlyInternetGatewayId);
      dryRun(input);
      table.delete(scope, g.id);
      return { ReturnCode: true };
    },
  };
}
