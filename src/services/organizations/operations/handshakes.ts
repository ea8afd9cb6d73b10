/**
 * Invitations: the management account invites another account (a 12-digit key is that
 * account); the invited account lists, accepts or declines; the management account cancels.
 * Handshakes live in the inviting organization and expire after 15 days on the clock.
 */
import type { Handshake, OrganizationsHandlers } from '../generated/types.js';
import {
  HANDSHAKE_TTL_MS, handshakeArn, invalidInput, newHandshakeId, orgError, type HandshakeRec, type OrgRec,
} from '../state.js';
import {
  accessDenied, addAccount, callerOrg, checkId, checkTags, loadOrgByMgmt, mgmtOrg, orgOfAccount, paginate, save,
  type OrgContext,
} from './context.js';
import type { RequestContext } from '../../../gateway/context.js';
import { acceptAllFeatures, endAllFeatures, pendingAllFeatures } from './all-features.js';

const notFound = () => orgError('HandshakeNotFoundException', "We can't find a handshake with the HandshakeId that you specified.");

export function handshakeShape(o: OrgRec, h: HandshakeRec): Handshake {
  const resources = [
    {
      Type: 'ORGANIZATION',
      Value: o.id,
      Resources: [
        { Type: 'MASTER_EMAIL', Value: o.mgmtEmail },
        { Type: 'MASTER_NAME', Value: o.accounts[o.mgmt]?.name ?? o.mgmt },
        { Type: 'ORGANIZATION_FEATURE_SET', Value: o.featureSet },
      ],
    },
    ...(h.target.Type !== 'ORGANIZATION' ? [{ Type: h.target.Type, Value: h.target.Id }] : []),
    ...(h.parent ? [{ Type: 'PARENT_HANDSHAKE', Value: h.parent }] : []),
    ...(h.notes !== undefined ? [{ Type: 'NOTES', Value: h.notes }] : []),
  ];
  return {
    Id: h.id,
    Arn: handshakeArn(o, h),
    Parties: h.target.Type === 'ORGANIZATION'
      ? [{ Id: o.id.slice(2), Type: 'ORGANIZATION' }]
      : [{ Id: o.id.slice(2), Type: 'ORGANIZATION' }, { Id: h.target.Id, Type: h.target.Type }],
    State: h.state,
    RequestedTimestamp: new Date(h.requested),
    ExpirationTimestamp: new Date(h.expires),
    Action: h.action,
    Resources: resources,
  };
}

function filtered(list: [OrgRec, HandshakeRec][], filter: { ActionType?: string; ParentHandshakeId?: string } | undefined) {
  if (filter?.ActionType && filter.ParentHandshakeId) {
    throw invalidInput('MAX_LIMIT_EXCEEDED_FILTER', 'You can specify only one filter parameter for the operation.');
  }
  return list
    .filter(([, h]) => !filter?.ActionType || h.action === filter.ActionType)
    .filter(([, h]) => !filter?.ParentHandshakeId || h.parent === filter.ParentHandshakeId)
    .map(([o, h]) => handshakeShape(o, h));
}

export function handshakeOperations(c: OrgContext): OrganizationsHandlers {
  /** Every organization (settled), for the invited side. */
  const allOrgs = (): OrgRec[] => {
    const out: OrgRec[] = [];
    for (const [scope] of c.t.orgs.allScopes()) {
      const o = loadOrgByMgmt(c, scope.account);
      if (o) out.push(o);
    }
    return out;
  };
  const forCaller = (ctx: RequestContext): [OrgRec, HandshakeRec][] =>
    allOrgs().flatMap((o) => Object.values(o.handshakes).filter((h) => h.target.Type === 'ACCOUNT' && h.target.Id === ctx.accountId).map((h) => [o, h] as [OrgRec, HandshakeRec]));
  const find = (ctx: RequestContext, id: string | undefined): [OrgRec, HandshakeRec, 'mgmt' | 'invitee'] => {
    const hid = checkId('handshake', id, 'HandshakeId');
    for (const o of allOrgs()) {
      const h = o.handshakes[hid];
      if (!h) continue;
      if (o.mgmt === ctx.accountId) return [o, h, 'mgmt'];
      if (h.target.Type === 'ACCOUNT' && h.target.Id === ctx.accountId) return [o, h, 'invitee'];
      throw notFound();
    }
    throw notFound();
  };
  const transition = (h: HandshakeRec, to: HandshakeRec['state'], from: HandshakeRec['state'][]) => {
    if (h.state === to) throw orgError('HandshakeAlreadyInStateException', `The specified handshake is already in the requested state: ${to}.`);
    if (!from.includes(h.state)) throw orgError('InvalidHandshakeTransitionException', "You can't perform the operation on the handshake in its current state.");
    h.state = to;
  };

  return {
    InviteAccountToOrganization(input, ctx) {
      const o = mgmtOrg(c, ctx);
      if (pendingAllFeatures(o)) {
        throw orgError('HandshakeConstraintViolationException', "You can't issue new invitations to join an organization while it's in the process of enabling all features.", 'INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES');
      }
      const t = input.Target;
      if (!t?.Id || !t.Type) throw invalidInput('INPUT_REQUIRED', 'You must specify a value for Target.');
      if (t.Type !== 'ACCOUNT' && t.Type !== 'EMAIL') throw invalidInput('INVALID_PARTY_TYPE_TARGET', 'You specified the wrong type for the Target parameter.');
      if (t.Type === 'ACCOUNT' && !/^\d{12}$/.test(t.Id)) throw invalidInput('INVALID_PATTERN', "You specified a value for Target.Id that doesn't match the required pattern.");
      if (t.Type === 'EMAIL' && !/^[^\s@]+@[^\s@]+$/.test(t.Id)) throw invalidInput('INVALID_EMAIL_ADDRESS_TARGET', 'You provided an invalid email address for the Target.');
      if (input.Notes !== undefined && input.Notes.length > 1024) throw invalidInput('MAX_LENGTH_EXCEEDED', 'You provided a string parameter that is longer than allowed.');
      const inOrg = t.Type === 'ACCOUNT' ? orgOfAccount(c, t.Id) : Object.values(o.accounts).some((a) => a.email.toLowerCase() === t.Id.toLowerCase()) ? o : undefined;
      if (inOrg) {
        throw orgError('HandshakeConstraintViolationException', 'The account is already a member of an organization.', 'ALREADY_IN_AN_ORGANIZATION');
      }
      const dup = Object.values(o.handshakes).some((h) => h.action === 'INVITE' && (h.state === 'OPEN' || h.state === 'REQUESTED') && h.target.Type === t.Type && h.target.Id.toLowerCase() === t.Id.toLowerCase());
      if (dup) throw orgError('DuplicateHandshakeException', 'A handshake with the same action and target already exists.');
      const tags = checkTags(input.Tags);
      const now = c.now();
      const h: HandshakeRec = { id: newHandshakeId(), action: 'INVITE', target: { Id: t.Id, Type: t.Type }, notes: input.Notes, state: 'OPEN', requested: now, expires: now + HANDSHAKE_TTL_MS };
      o.handshakes[h.id] = h;
      if (tags.length) o.tags[h.id] = tags;
      save(c, o);
      return { Handshake: handshakeShape(o, h) };
    },

    ListHandshakesForOrganization(input, ctx) {
      const o = callerOrg(c, ctx);
      if (o.mgmt !== ctx.accountId && !o.delegated[ctx.accountId]) throw accessDenied();
      const all = filtered(Object.values(o.handshakes).map((h) => [o, h] as [OrgRec, HandshakeRec]), input.Filter);
      const { page, NextToken } = paginate(all, input.MaxResults, input.NextToken);
      return { Handshakes: page, NextToken };
    },

    ListHandshakesForAccount(input, ctx) {
      const { page, NextToken } = paginate(filtered(forCaller(ctx), input.Filter), input.MaxResults, input.NextToken);
      return { Handshakes: page, NextToken };
    },

    DescribeHandshake(input, ctx) {
      const [o, h] = find(ctx, input.HandshakeId);
      return { Handshake: handshakeShape(o, h) };
    },

    AcceptHandshake(input, ctx) {
      const [o, h, role] = find(ctx, input.HandshakeId);
      if (h.action !== 'INVITE') {
        acceptAllFeatures(c, o, h, role);
        save(c, o);
        return { Handshake: handshakeShape(o, h) };
      }
      if (role !== 'invitee') throw accessDenied();
      if (h.state === 'OPEN' && orgOfAccount(c, ctx.accountId)) {
        throw orgError('HandshakeConstraintViolationException', 'The account is already a member of an organization.', 'ALREADY_IN_AN_ORGANIZATION');
      }
      transition(h, 'ACCEPTED', ['OPEN']);
      const now = c.now();
      addAccount(c, o, { id: ctx.accountId, name: `Account ${ctx.accountId}`, email: `${ctx.accountId}@example.com`, parent: o.rootId, joinedMethod: 'INVITED', joined: now, status: 'ACTIVE' });
      save(c, o);
      return { Handshake: handshakeShape(o, h) };
    },

    DeclineHandshake(input, ctx) {
      const [o, h, role] = find(ctx, input.HandshakeId);
      if (role !== 'invitee') throw accessDenied();
      transition(h, 'DECLINED', ['OPEN', 'REQUESTED']);
      if (h.action !== 'INVITE') endAllFeatures(o, h, 'DECLINED');
      save(c, o);
      return { Handshake: handshakeShape(o, h) };
    },

    CancelHandshake(input, ctx) {
      const [o, h, role] = find(ctx, input.HandshakeId);
      if (role !== 'mgmt') throw accessDenied();
      transition(h, 'CANCELED', ['OPEN', 'REQUESTED']);
      if (h.action !== 'INVITE') endAllFeatures(o, h, 'CANCELED');
      save(c, o);
      return { Handshake: handshakeShape(o, h) };
    },
  };
}
