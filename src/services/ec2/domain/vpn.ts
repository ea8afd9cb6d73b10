/**
 * Site-to-Site VPN state on the virtual clock and the routes a virtual private gateway
 * propagates into the route tables that enabled propagation from it.
 */
import type { Scope } from '../../../state/store.js';
import type { Ec2State, RtbRec } from '../state.js';
import type { VgwRec, VpnRec } from '../records.js';

export const VGW_ATTACH_MS = 10_000;
export const VPN_PENDING_MS = 60_000;
export const VPN_DELETING_MS = 60_000;
export const VPN_VISIBLE_AFTER_DELETE_MS = 3_600_000;

/** The state of a gateway's attachment to a VPC: attaching → attached, detaching → detached. */
export function vgwAttachState(a: VgwRec['attachments'][number], now: number): string {
  if (a.detachedAt !== undefined) return now >= a.detachedAt + VGW_ATTACH_MS ? 'detached' : 'detaching';
  return now >= a.since + VGW_ATTACH_MS ? 'attached' : 'attaching';
}

export function vpnState(v: VpnRec, now: number): string {
  if (v.deletedAt !== undefined) return now >= v.deletedAt + VPN_DELETING_MS ? 'deleted' : 'deleting';
  return now >= v.createdAt + VPN_PENDING_MS ? 'available' : 'pending';
}

/** The VPC a gateway is attached to right now (attaching counts: AWS lists it). */
export function vgwVpc(v: VgwRec, now: number): string | undefined {
  return v.attachments.find((a) => vgwAttachState(a, now) === 'attached')?.vpcId;
}

export interface PropagatedRoute { cidr: string; vgwId: string }

/** Routes propagated into a route table: the static routes of the available VPN connections of each propagating, attached gateway. */
export function propagatedRoutes(st: Ec2State, scope: Scope, rtb: RtbRec): PropagatedRoute[] {
  const now = st.now();
  const out: PropagatedRoute[] = [];
  for (const vgwId of rtb.propagatingVgws ?? []) {
    const g = st.vgws.get(scope, vgwId);
    if (!g || g.deletedAt !== undefined || vgwVpc(g, now) !== rtb.vpcId) continue;
    for (const vpn of st.vpns.values(scope)) {
      if (vpn.vgwId !== vgwId || vpnState(vpn, now) !== 'available') continue;
      for (const r of vpn.routes) {
        if (r.deletedAt === undefined && !out.some((x) => x.cidr === r.cidr) && !rtb.routes.some((x) => x.dest === r.cidr)) out.push({ cidr: r.cidr, vgwId });
      }
    }
  }
  return out;
}
