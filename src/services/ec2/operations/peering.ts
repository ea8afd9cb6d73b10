/**
 * VPC peering: CreateVpcPeeringConnection (same or another account, same or another region),
 * Accept / Reject / Delete, DescribeVpcPeeringConnections and ModifyVpcPeeringConnectionOptions.
 * Each side sees the connection in its own account × region (one record per side, kept in step;
 * tags stay per side). Overlapping IPv4 CIDRs, or a peer VPC that does not exist in another
 * account/region, give status `failed`; an unanswered request expires after 7 days.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { isKnownRegion } from '../../../core/regions.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { overlaps4, parseCidr4 } from '../domain/cidr.js';
import { newId, tagsFor, tagsOut, type Ec2State, type VpcRec } from '../state.js';
import type { PcxRec, PcxSide, PcxStatus } from '../records.js';

export const PCX_EXPIRY_MS = 7 * 24 * 3_600_000;
/** How long a connection stays visible once it reached a final state (AWS: 2 hours; rejected/expired: 2 days). */
const VISIBLE_MS: Partial<Record<PcxStatus, number>> = { deleted: 2 * 3_600_000, failed: 2 * 3_600_000, rejected: 48 * 3_600_000, expired: 48 * 3_600_000 };
const FAILED_MESSAGE = 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range';

export const pcxNotFound = (id: string) => new AwsError('InvalidVpcPeeringConnectionID.NotFound', `The vpcPeeringConnection ID '${id}' does not exist`, 400);

const sideScope = (s: PcxSide): Scope => ({ account: s.account, region: s.region });
const sameScope = (a: Scope, b: Scope) => a.account === b.account && a.region === b.region;

/** Status on the virtual clock: a pending request expires after 7 days. */
export function pcxStatus(p: PcxRec, now: number): { code: PcxStatus; message: string; since: number } {
  if (p.status === 'pending-acceptance' && now >= p.expiresAt) return { code: 'expired', message: 'Expired', since: p.expiresAt };
  return { code: p.status, message: p.message, since: p.changedAt };
}

function sideOf(account: string, region: string, v: VpcRec): PcxSide {
  return { account, region, vpcId: v.id, cidrs: v.cidrAssocs.map((a) => a.cidr), ipv6: v.ipv6Assocs.map((a) => a.cidr), allowDns: false };
}

function vpcInfo(s: PcxSide, full: boolean): T.VpcPeeringConnectionVpcInfo {
  const base = { OwnerId: s.account, VpcId: s.vpcId, Region: s.region };
  if (!full) return base;
  return {
    ...base,
    CidrBlock: s.cidrs[0],
    CidrBlockSet: s.cidrs.map((CidrBlock) => ({ CidrBlock })),
    Ipv6CidrBlockSet: s.ipv6.map((Ipv6CidrBlock) => ({ Ipv6CidrBlock })),
    PeeringOptions: { AllowDnsResolutionFromRemoteVpc: s.allowDns, AllowEgressFromLocalClassicLinkToRemoteVpc: false, AllowEgressFromLocalVpcToRemoteClassicLink: false },
  };
}

export function renderPcx(p: PcxRec, now: number, status = pcxStatus(p, now)): T.VpcPeeringConnection {
  const known = status.code !== 'failed' && status.code !== 'initiating-request';
  return {
    AccepterVpcInfo: vpcInfo(p.accepter, known),
    ExpirationTime: status.code === 'pending-acceptance' || status.code === 'initiating-request' ? new Date(p.expiresAt) : undefined,
    RequesterVpcInfo: vpcInfo(p.requester, true),
    Status: { Code: status.code, Message: status.message },
    Tags: tagsOut(p.tags),
    VpcPeeringConnectionId: p.id,
  };
}

const PCX_FILTERS: FilterFields<T.VpcPeeringConnection> = {
  'accepter-vpc-info.cidr-block': (p) => p.AccepterVpcInfo?.CidrBlockSet?.map((c) => c.CidrBlock!),
  'accepter-vpc-info.owner-id': (p) => p.AccepterVpcInfo?.OwnerId,
  'accepter-vpc-info.vpc-id': (p) => p.AccepterVpcInfo?.VpcId,
  'expiration-time': (p) => p.ExpirationTime?.toISOString(),
  'requester-vpc-info.cidr-block': (p) => p.RequesterVpcInfo?.CidrBlockSet?.map((c) => c.CidrBlock!),
  'requester-vpc-info.owner-id': (p) => p.RequesterVpcInfo?.OwnerId,
  'requester-vpc-info.vpc-id': (p) => p.RequesterVpcInfo?.VpcId,
  'status-code': (p) => p.Status?.Code,
  'status-message': (p) => p.Status?.Message,
  'vpc-peering-connection-id': (p) => p.VpcPeeringConnectionId,
};

export function peeringOperations(st: Ec2State) {
  /** Writes the connection to each side's scope, keeping each side's own tags. */
  function save(p: PcxRec, sides: PcxSide[] = [p.requester, p.accepter]): void {
    const done: Scope[] = [];
    for (const side of sides) {
      const sc = sideScope(side);
      if (done.some((d) => sameScope(d, sc))) continue;
      done.push(sc);
      const existing = st.peerings.get(sc, p.id);
      st.peerings.put(sc, p.id, { ...p, tags: existing ? existing.tags : sameScope(sc, sideScope(p.requester)) ? p.tags : [] });
    }
  }

  function find(scope: Scope, id: string | undefined): PcxRec {
    const p = id ? st.peerings.get(scope, id) : undefined;
    if (!p || !visible(p)) throw pcxNotFound(id ?? '');
    return p;
  }

  function visible(p: PcxRec): boolean {
    const s = pcxStatus(p, st.now());
    const keep = VISIBLE_MS[s.code];
    return keep === undefined || st.now() < s.since + keep;
  }

  function transition(p: PcxRec, scope: Scope, to: PcxStatus): never {
    throw new AwsError('InvalidStateTransition', `Invalid state transition for ${p.id}, attempted to transition from ${pcxStatus(p, st.now()).code} to ${to}`, 400);
  }

  const isAccepter = (p: PcxRec, scope: Scope) => sameScope(scope, sideScope(p.accepter));
  const isRequester = (p: PcxRec, scope: Scope) => sameScope(scope, sideScope(p.requester));

  return {
    CreateVpcPeeringConnection(input: T.CreateVpcPeeringConnectionRequest, ctx: RequestContext): T.CreateVpcPeeringConnectionResult {
      const scope = st.scope(ctx);
      const vpc = st.vpc(scope, input.VpcId);
      if (!input.PeerVpcId) throw new AwsError('MissingParameter', 'The request must contain the parameter peerVpcId', 400);
      const peerAccount = input.PeerOwnerId ?? scope.account;
      if (!/^\d{12}$/.test(peerAccount)) throw new AwsError('InvalidParameterValue', `Invalid value '${peerAccount}' for peerOwnerId. It must be a 12-digit AWS account ID.`, 400);
      const peerRegion = input.PeerRegion ?? scope.region;
      if (!isKnownRegion(peerRegion)) throw new AwsError('InvalidParameterValue', `Invalid region: ${peerRegion}`, 400);
      const peerScope: Scope = { account: peerAccount, region: peerRegion };
      const local = sameScope(peerScope, scope);
      if (local && input.PeerVpcId === vpc.id) throw new AwsError('InvalidParameterValue', 'The requester VPC and accepter VPC must be different.', 400);
      // In the caller's own account and region an unknown peer is an error; elsewhere the request fails later.
      const peer = local ? st.vpc(scope, input.PeerVpcId) : st.vpcs.get(st.ensure(peerScope), input.PeerVpcId);
      const tags = tagsFor(input.TagSpecifications, 'vpc-peering-connection');
      dryRun(input);
      const now = st.now();
      for (const other of st.peerings.values(scope)) {
        const s = pcxStatus(other, now).code;
        if (s !== 'active' && s !== 'pending-acceptance' && s !== 'provisioning') continue;
        const pair = [other.requester.vpcId, other.accepter.vpcId];
        if (pair.includes(vpc.id) && pair.includes(input.PeerVpcId)) {
          throw new AwsError('VpcPeeringConnectionAlreadyExists', `A VPC peering connection already exists between ${vpc.id} and ${input.PeerVpcId}.`, 400);
        }
      }
      const requester = sideOf(scope.account, scope.region, vpc);
      const accepter: PcxSide = peer ? sideOf(peerAccount, peerRegion, peer) : { account: peerAccount, region: peerRegion, vpcId: input.PeerVpcId, cidrs: [], ipv6: [], allowDns: false };
      const overlap = peer && requester.cidrs.some((a) => accepter.cidrs.some((b) => overlaps4(parseCidr4(a)!, parseCidr4(b)!)));
      const failed = !peer || overlap;
      const p: PcxRec = {
        id: newId('pcx'),
        requester,
        accepter,
        status: failed ? 'failed' : 'pending-acceptance',
        message: failed ? FAILED_MESSAGE : `Pending Acceptance by ${peerAccount}`,
        createdAt: now,
        changedAt: now,
        expiresAt: now + PCX_EXPIRY_MS,
        tags,
      };
      save(p, failed ? [p.requester] : undefined);
      // The call itself answers "initiating-request"; the outcome shows on Describe.
      return { VpcPeeringConnection: renderPcx(p, now, { code: 'initiating-request', message: `Initiating Request to ${peerAccount}`, since: now }) };
    },

    AcceptVpcPeeringConnection(input: T.AcceptVpcPeeringConnectionRequest, ctx: RequestContext): T.AcceptVpcPeeringConnectionResult {
      const scope = st.scope(ctx);
      const p = find(scope, input.VpcPeeringConnectionId);
      if (!isAccepter(p, scope)) throw new AwsError('OperationNotPermitted', `User ${scope.account} cannot accept peering ${p.id}`, 400);
      if (pcxStatus(p, st.now()).code !== 'pending-acceptance') transition(p, scope, 'active');
      dryRun(input);
      const now = st.now();
      // CIDRs as they are at acceptance (a VPC may have gained blocks since the request).
      const rv = st.vpcs.get(sideScope(p.requester), p.requester.vpcId);
      const av = st.vpcs.get(sideScope(p.accepter), p.accepter.vpcId);
      if (rv) p.requester = { ...p.requester, cidrs: rv.cidrAssocs.map((a) => a.cidr), ipv6: rv.ipv6Assocs.map((a) => a.cidr) };
      if (av) p.accepter = { ...p.accepter, cidrs: av.cidrAssocs.map((a) => a.cidr), ipv6: av.ipv6Assocs.map((a) => a.cidr) };
      Object.assign(p, { status: 'active', message: 'Active', changedAt: now });
      save(p);
      const mine = st.peerings.get(scope, p.id)!;
      return { VpcPeeringConnection: renderPcx(mine, now, { code: 'provisioning', message: 'Provisioning', since: now }) };
    },

    RejectVpcPeeringConnection(input: T.RejectVpcPeeringConnectionRequest, ctx: RequestContext): T.RejectVpcPeeringConnectionResult {
      const scope = st.scope(ctx);
      const p = find(scope, input.VpcPeeringConnectionId);
      if (!isAccepter(p, scope)) throw new AwsError('OperationNotPermitted', `User ${scope.account} cannot reject peering ${p.id}`, 400);
      if (pcxStatus(p, st.now()).code !== 'pending-acceptance') transition(p, scope, 'rejected');
      dryRun(input);
      Object.assign(p, { status: 'rejected', message: `Rejected by ${scope.account}`, changedAt: st.now() });
      save(p);
      return { Return: true };
    },

    DeleteVpcPeeringConnection(input: T.DeleteVpcPeeringConnectionRequest, ctx: RequestContext): T.DeleteVpcPeeringConnectionResult {
      const scope = st.scope(ctx);
      const p = find(scope, input.VpcPeeringConnectionId);
      const code = pcxStatus(p, st.now()).code;
      // The accepter answers a pending request by rejecting it; only the requester withdraws it.
      const allowed = code === 'active' || (code === 'pending-acceptance' && isRequester(p, scope));
      if (!allowed) transition(p, scope, 'deleted');
      dryRun(input);
      Object.assign(p, { status: 'deleted', message: `Deleted by ${scope.account}`, changedAt: st.now() });
      save(p);
      return { Return: true };
    },

    DescribeVpcPeeringConnections(input: T.DescribeVpcPeeringConnectionsRequest, ctx: RequestContext): T.DescribeVpcPeeringConnectionsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const now = st.now();
      let all = [...st.peerings.values(scope)].filter(visible);
      if (input.VpcPeeringConnectionIds?.length) {
        const missing = input.VpcPeeringConnectionIds.find((id) => !all.some((p) => p.id === id));
        if (missing) throw pcxNotFound(missing);
        all = all.filter((p) => input.VpcPeeringConnectionIds!.includes(p.id));
      }
      const out = applyFilters(all.map((p) => renderPcx(p, now)), input.Filters, PCX_FILTERS, (p) => p.Tags);
      const { page, NextToken } = paginate(out, input);
      return { VpcPeeringConnections: page, NextToken };
    },

    ModifyVpcPeeringConnectionOptions(input: T.ModifyVpcPeeringConnectionOptionsRequest, ctx: RequestContext): T.ModifyVpcPeeringConnectionOptionsResult {
      const scope = st.scope(ctx);
      const p = find(scope, input.VpcPeeringConnectionId);
      if (!input.AccepterPeeringConnectionOptions && !input.RequesterPeeringConnectionOptions) {
        throw new AwsError('MissingParameter', 'The request must contain the parameter requesterPeeringConnectionOptions or accepterPeeringConnectionOptions', 400);
      }
      if (pcxStatus(p, st.now()).code !== 'active') {
        throw new AwsError('OperationNotPermitted', `Peering connection ${p.id} is not active; its options can be modified only while it is active.`, 400);
      }
      // Each owner changes only the options of its own side.
      if (input.RequesterPeeringConnectionOptions && !isRequester(p, scope)) {
        throw new AwsError('OperationNotPermitted', `User ${scope.account} cannot modify the requester options of peering ${p.id}`, 400);
      }
      if (input.AccepterPeeringConnectionOptions && !isAccepter(p, scope)) {
        throw new AwsError('OperationNotPermitted', `User ${scope.account} cannot modify the accepter options of peering ${p.id}`, 400);
      }
      dryRun(input);
      const out: T.ModifyVpcPeeringConnectionOptionsResult = {};
      const apply = (side: PcxSide, o: T.PeeringConnectionOptionsRequest): T.PeeringConnectionOptions => {
        if (o.AllowDnsResolutionFromRemoteVpc !== undefined) side.allowDns = o.AllowDnsResolutionFromRemoteVpc;
        return { AllowDnsResolutionFromRemoteVpc: side.allowDns, AllowEgressFromLocalClassicLinkToRemoteVpc: false, AllowEgressFromLocalVpcToRemoteClassicLink: false };
      };
      if (input.RequesterPeeringConnectionOptions) out.RequesterPeeringConnectionOptions = apply(p.requester, input.RequesterPeeringConnectionOptions);
      if (input.AccepterPeeringConnectionOptions) out.AccepterPeeringConnectionOptions = apply(p.accepter, input.AccepterPeeringConnectionOptions);
      save(p);
      return out;
    },
  };
}

/**
 * The peering connection a route in `scope` can use, with the far side of the connection seen
 * from `vpcId` (undefined when the VPC is not one of its two ends).
 */
export function peerSide(p: PcxRec, scope: Scope, vpcId: string): { local: PcxSide; remote: PcxSide } | undefined {
  if (sameScope(scope, sideScope(p.requester)) && p.requester.vpcId === vpcId) return { local: p.requester, remote: p.accepter };
  if (sameScope(scope, sideScope(p.accepter)) && p.accepter.vpcId === vpcId) return { local: p.accepter, remote: p.requester };
  return undefined;
}
