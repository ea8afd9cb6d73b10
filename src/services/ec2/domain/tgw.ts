/**
 * Transit gateway state on the virtual clock and the effective routes of a transit gateway route
 * table: static routes, plus routes propagated from attachments (a VPC attachment propagates its
 * VPC's CIDRs, a VPN attachment its VPN's static routes). A static route wins over a propagated
 * one for the same CIDR.
 */
import type { Scope } from '../../../state/store.js';
import type { Ec2State } from '../state.js';
import type { TgwAttachRec, TgwRec, TgwRtbRec } from '../records.js';

export const TGW_PENDING_MS = 60_000;
export const TGW_ATTACH_PENDING_MS = 60_000;
export const TGW_RTB_PENDING_MS = 10_000;
export const TGW_DELETING_MS = 60_000;
export const TGW_VISIBLE_AFTER_DELETE_MS = 3_600_000;

/** pending → available, deleting → deleted, from the record's timestamps. */
export function lifecycle(r: { createdAt: number; deletedAt?: number }, pendingMs: number, now: number): string {
  if (r.deletedAt !== undefined) return now >= r.deletedAt + TGW_DELETING_MS ? 'deleted' : 'deleting';
  return now >= r.createdAt + pendingMs ? 'available' : 'pending';
}

export const tgwState = (t: TgwRec, now: number) => lifecycle(t, TGW_PENDING_MS, now);
export const attachState = (a: TgwAttachRec, now: number) => lifecycle(a, TGW_ATTACH_PENDING_MS, now);
/** A gateway's default table becomes available with its gateway. */
export const rtbState = (r: TgwRtbRec, now: number) => lifecycle(r, r.defaultAssoc || r.defaultProp ? TGW_PENDING_MS : TGW_RTB_PENDING_MS, now);

export interface EffectiveTgwRoute {
  cidr: string;
  type: 'static' | 'propagated';
  state: 'active' | 'blackhole';
  attachment?: TgwAttachRec;
}

/** The routes a transit gateway route table holds right now. */
export function tgwRoutes(st: Ec2State, scope: Scope, rtb: TgwRtbRec): EffectiveTgwRoute[] {
  const now = st.now();
  const out: EffectiveTgwRoute[] = [];
  const live = (id: string | undefined) => {
    const a = id ? st.tgwAttachments.get(scope, id) : undefined;
    return a && attachState(a, now) !== 'deleted' ? a : undefined;
  };
  for (const r of rtb.routes) {
    const a = live(r.attachmentId);
    const usable = !r.blackhole && a && attachState(a, now) === 'available';
    out.push({ cidr: r.cidr, type: 'static', state: usable ? 'active' : 'blackhole', attachment: r.blackhole ? undefined : a });
  }
  for (const id of rtb.propagations) {
    const a = live(id);
    if (!a || attachState(a, now) !== 'available') continue;
    for (const cidr of propagatedCidrs(st, scope, a)) {
      if (!out.some((x) => x.cidr === cidr)) out.push({ cidr, type: 'propagated', state: 'active', attachment: a });
    }
  }
  return out;
}

function propagatedCidrs(st: Ec2State, scope: Scope, a: TgwAttachRec): string[] {
  if (a.resourceType === 'vpc') return st.vpcs.get(scope, a.resourceId)?.cidrAssocs.map((c) => c.cidr) ?? [];
  const vpn = st.vpns.get(scope, a.resourceId);
  return vpn && vpn.deletedAt === undefined ? vpn.routes.filter((r) => r.deletedAt === undefined).map((r) => r.cidr) : [];
}
