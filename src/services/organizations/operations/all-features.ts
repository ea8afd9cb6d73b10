/**
 * EnableAllFeatures: moving a consolidated-billing organization to all features is a handshake
 * round. The management account starts it (a parent ENABLE_ALL_FEATURES handshake); every account
 * that joined by invitation gets a child ENABLE_ALL_FEATURES handshake to accept (accounts the
 * organization created approve implicitly). When all have accepted, the management account gets
 * an APPROVE_ALL_FEATURES handshake; accepting it (or the parent) finalizes the change. A decline
 * or a cancel ends the round. Handshakes of the round expire after 90 days on the clock.
 */
import type { OrganizationsHandlers } from '../generated/types.js';
import { newHandshakeId, orgError, type HandshakeRec, type OrgRec } from '../state.js';
import { mgmtOrg, save, type OrgContext } from './context.js';
import { handshakeShape } from './handshakes.js';

const ROUND_TTL_MS = 90 * 24 * 3600_000;
const open = (h: HandshakeRec) => h.state === 'OPEN' || h.state === 'REQUESTED';

/** The round in progress: its parent handshake, if one is open. */
export function pendingAllFeatures(o: OrgRec): HandshakeRec | undefined {
  return Object.values(o.handshakes).find((h) => h.action === 'ENABLE_ALL_FEATURES' && !h.parent && open(h));
}

const children = (o: OrgRec, parent: HandshakeRec) => Object.values(o.handshakes).filter((h) => h.parent === parent.id);

function newHandshake(o: OrgRec, now: number, h: Omit<HandshakeRec, 'id' | 'state' | 'requested' | 'expires'>): HandshakeRec {
  const rec: HandshakeRec = { id: newHandshakeId(), state: 'OPEN', requested: now, expires: now + ROUND_TTL_MS, ...h };
  o.handshakes[rec.id] = rec;
  return rec;
}

/** When every invited account has accepted, the management account is asked to approve. */
function maybeAskForApproval(o: OrgRec, parent: HandshakeRec, now: number): void {
  const kids = children(o, parent);
  if (kids.some((h) => h.action === 'APPROVE_ALL_FEATURES')) return;
  if (kids.filter((h) => h.action === 'ENABLE_ALL_FEATURES').every((h) => h.state === 'ACCEPTED')) {
    newHandshake(o, now, { action: 'APPROVE_ALL_FEATURES', target: { Id: o.mgmt, Type: 'ACCOUNT' }, parent: parent.id });
  }
}

/** AcceptHandshake for the round's handshakes: a member's approval, or the management account's final acceptance. */
export function acceptAllFeatures(c: OrgContext, o: OrgRec, h: HandshakeRec, by: 'mgmt' | 'invitee'): void {
  const parent = h.parent ? o.handshakes[h.parent] : h;
  if (!parent || !open(parent) || !open(h)) {
    if (h.state === 'ACCEPTED') throw orgError('HandshakeAlreadyInStateException', 'The specified handshake is already in the requested state: ACCEPTED.');
    throw orgError('InvalidHandshakeTransitionException', "You can't perform the operation on the handshake in its current state.");
  }
  const now = c.now();
  if (h.action === 'ENABLE_ALL_FEATURES' && h.parent) {
    // a member account approves
    if (by !== 'invitee') throw orgError('AccessDeniedException', "You don't have permissions to access this resource.");
    h.state = 'ACCEPTED';
    maybeAskForApproval(o, parent, now);
    return;
  }
  // the management account finalizes (the APPROVE_ALL_FEATURES handshake or the parent itself)
  if (by !== 'mgmt') throw orgError('AccessDeniedException', "You don't have permissions to access this resource.");
  const pending = children(o, parent).filter((x) => x.action === 'ENABLE_ALL_FEATURES' && x.state !== 'ACCEPTED');
  if (pending.length) throw orgError('InvalidHandshakeTransitionException', "You can't perform the operation on the handshake in its current state.");
  for (const x of [parent, ...children(o, parent)]) if (open(x)) x.state = 'ACCEPTED';
  o.featureSet = 'ALL';
}

/** A decline (by a member) or cancel (by the management account) ends the whole round. */
export function endAllFeatures(o: OrgRec, h: HandshakeRec, to: 'DECLINED' | 'CANCELED'): void {
  const parent = h.parent ? o.handshakes[h.parent] : h;
  if (!parent) return;
  if (parent !== h && open(parent)) parent.state = to;
  for (const x of children(o, parent)) if (x !== h && open(x)) x.state = 'CANCELED';
}

export function allFeaturesOperations(c: OrgContext): OrganizationsHandlers {
  return {
    EnableAllFeatures(_input, ctx) {
      const o = mgmtOrg(c, ctx);
      if (o.featureSet === 'ALL') {
        throw orgError('HandshakeConstraintViolationException', 'The handshake request is invalid because the organization has already enabled all features.', 'ORGANIZATION_ALREADY_HAS_ALL_FEATURES');
      }
      if (pendingAllFeatures(o)) {
        throw orgError('HandshakeConstraintViolationException', 'The handshake request is invalid because the organization has already started the process to enable all features.', 'ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION');
      }
      const now = c.now();
      const parent = newHandshake(o, now, { action: 'ENABLE_ALL_FEATURES', target: { Id: o.id, Type: 'ORGANIZATION' } });
      for (const a of Object.values(o.accounts)) {
        if (a.id === o.mgmt || a.joinedMethod !== 'INVITED' || a.status !== 'ACTIVE') continue;
        newHandshake(o, now, { action: 'ENABLE_ALL_FEATURES', target: { Id: a.id, Type: 'ACCOUNT' }, parent: parent.id });
      }
      maybeAskForApproval(o, parent, now);
      save(c, o);
      return { Handshake: handshakeShape(o, parent) };
    },
  };
}
