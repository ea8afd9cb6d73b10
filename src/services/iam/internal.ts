/**
 * What other parts of gureum may ask IAM (STS, the policy engine, the console): the principal
 * behind an access key, roles and their trust policies, and a principal's policies (attached,
 * inline, through groups, and its permissions boundary), read from IAM's tables in the store.
 */
import type { Store } from '../../state/store.js';
import type { RequestContext } from '../../gateway/context.js';
import { AwsError } from '../../core/errors.js';
import { decodeAccessKeyAccount } from '../../core/accounts.js';
import { iamScope, iamTables, nameKey, type AccessKeyRec, type RoleRec, type UserRec } from './state.js';
import { lookupPolicy } from './domain/model.js';
import { parsePolicy, type PolicyDocument } from './domain/policy-document.js';
import { trustAllows, type ContextKeys, type TrustCaller } from './domain/trust.js';
import { PARTITION } from '../../core/regions.js';
import type { Tag } from './state.js';
import { contextMap, evaluate, normalisePolicy, type EvalPolicies, type EvalResult, type PolicyCategory, type PolicyInput } from './policy/index.js';
import { entityPolicies } from './policy/sources.js';
import { callerIdentity } from '../sts/internal.js';

export type { AccessKeyRec, RoleRec, UserRec, PolicyDocument, TrustCaller, ContextKeys };
export { parsePolicy, trustAllows };
export { conditionsHold, principalMatches, wildcard } from './domain/trust.js';
/** The policy engine itself (pure functions), for services that evaluate their own resource policies. */
export * as policyEngine from './policy/index.js';

export interface KeyPrincipal { account: string; user: UserRec; key: AccessKeyRec }

/**
 * The IAM user behind a long-term key minted by IAM (`AKIA…` carrying its account), or
 * undefined for keys IAM did not mint. `null`: a key IAM minted that no longer exists.
 */
export function accessKeyPrincipal(store: Store, accessKeyId: string): KeyPrincipal | null | undefined {
  if (!accessKeyId.startsWith('AKIA')) return undefined;
  const account = decodeAccessKeyAccount(accessKeyId);
  if (!account) return undefined;
  const t = iamTables(store);
  const key = t.keys.get(iamScope(account), accessKeyId);
  const user = key && t.users.get(iamScope(account), key.user);
  return key && user ? { account, user, key } : null;
}

const invalidToken = () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403);

/**
 * Every request signed with an IAM-minted key: refused if the key was deleted or is Inactive
 * (as AWS does), else its last use is recorded (to the minute) for GetAccessKeyLastUsed.
 */
export function assertAccessKeyUsable(store: Store, ctx: RequestContext, now: number): void {
  const id = ctx.accessKeyId;
  if (!id) return;
  const p = accessKeyPrincipal(store, id);
  if (p === undefined) return;
  if (p === null || p.key.status !== 'Active') throw invalidToken();
  const service = ctx.service?.signingName ?? ctx.service?.id ?? 'N/A';
  const last = p.key.lastUsed;
  if (last && Math.floor(last.date / 60_000) === Math.floor(now / 60_000) && last.service === service && last.region === ctx.region) return;
  p.key.lastUsed = { date: Math.floor(now / 1000) * 1000, region: ctx.region, service };
  iamTables(store).keys.put(iamScope(p.account), id, p.key);
}

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007E]+\/)*([\w+=,.@-]{1,64})$/;

/** The role an ARN names, if it exists (path included in the comparison). */
export function roleByArn(store: Store, arn: string): RoleRec | undefined {
  const m = ROLE_ARN.exec(arn);
  if (!m) return undefined;
  const role = iamTables(store).roles.get(iamScope(m[1]!), nameKey(m[2]!));
  return role && role.arn === arn ? role : undefined;
}

/** May `caller` assume `role`? (the role's trust policy for sts:AssumeRole and these context keys) */
export function roleTrusts(role: RoleRec, caller: TrustCaller, keys: ContextKeys, action = 'sts:AssumeRole'): boolean {
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(role.trust, 'trust');
  } catch {
    return false;
  }
  return trustAllows(doc, action, caller, keys);
}

/** RoleLastUsed: AssumeRole records the date and region. */
export function markRoleUsed(store: Store, role: RoleRec, account: string, at: number, region: string): void {
  role.lastUsed = { date: Math.floor(at / 1000) * 1000, region };
  iamTables(store).roles.put(iamScope(account), nameKey(role.name), role);
}

export interface NamedPolicy { name: string; document: string; arn?: string; via?: string }
export interface PrincipalPolicies {
  /** managed policies attached directly, then through each group (via = group name) */
  managed: NamedPolicy[];
  /** inline policies of the principal, then of its groups */
  inline: NamedPolicy[];
  boundary?: NamedPolicy;
}

/** A user's or role's identity policies with their default-version documents, for the policy engine. */
export function principalPolicies(store: Store, account: string, kind: 'user' | 'role', name: string): PrincipalPolicies | undefined {
  const t = iamTables(store);
  const scope = iamScope(account);
  const entity = kind === 'user' ? t.users.get(scope, nameKey(name)) : t.roles.get(scope, nameKey(name));
  if (!entity) return undefined;
  const managedDoc = (arn: string, via?: string): NamedPolicy | undefined => {
    const p = lookupPolicy(t, scope, arn);
    const v = p?.versions.find((x) => x.id === p.defaultVersion);
    return p && v ? { name: p.name, arn, document: v.document, via } : undefined;
  };
  const out: PrincipalPolicies = { managed: [], inline: [] };
  const add = (e: { attached: string[]; inline: Record<string, string> }, via?: string) => {
    for (const arn of e.attached) {
      const d = managedDoc(arn, via);
      if (d) out.managed.push(d);
    }
    for (const [n, document] of Object.entries(e.inline)) out.inline.push({ name: n, document, via });
  };
  add(entity);
  if (kind === 'user') {
    const key = nameKey(name);
    for (const g of t.groups.values(scope)) if (g.members.includes(key)) add(g, g.name);
  }
  if (entity.boundary) out.boundary = managedDoc(entity.boundary);
  return out;
}

// ---- the policy engine, for the gateway (off | soft | enforce is the gateway's setting)

export interface AuthorizeRequest {
  store: Store;
  /** the request: access key, account, region, remote address */
  ctx: Pick<RequestContext, 'accessKeyId' | 'accountId' | 'region'> & { req?: { socket?: { remoteAddress?: string } } };
  /** `service:Operation` with the service's IAM prefix, e.g. `sqs:SendMessage` */
  action: string;
  /** the resource's ARN when known, else `*` */
  resource?: string;
  /** the resource's own policy (bucket policy, key policy, queue policy…) and its account */
  resourcePolicy?: string;
  resourceAccount?: string;
  /** virtual-clock now (epoch ms) for aws:CurrentTime / aws:EpochTime */
  now: number;
  /** the caller, when the gateway already knows it (sts/internal `callerIdentity`); else from the access key */
  caller?: { arn: string; account: string; principalArn: string; userId: string };
  /** service-specific or extra keys (s3:prefix, aws:RequestTag/x, aws:ResourceTag/x, aws:TagKeys…) */
  context?: Record<string, string | string[] | undefined>;
  /** session policies of the caller's temporary credentials (documents) */
  sessionPolicies?: string[];
  /** Organizations: SCP documents per level (root → account) of the caller's account, RCPs of the resource's */
  scps?: string[][];
  rcps?: string[][];
}

export interface AuthorizeDecision extends EvalResult {
  callerArn: string;
  action: string;
  resource: string;
  /** AWS's AccessDenied sentence for a denial */
  message?: string;
}

const DENY_IN: Record<PolicyCategory, string> = {
  identity: 'an identity-based policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  resource: 'a resource-based policy',
};

/**
 * Would this request be allowed? Evaluates the caller's identity policies (user: its own and its
 * groups'; role session: the role's), permissions boundary, session policies, the resource's
 * policy and any SCPs/RCPs given, over the request's context keys (aws:SourceIp, aws:CurrentTime,
 * aws:EpochTime, aws:SecureTransport=false, aws:PrincipalArn, aws:PrincipalAccount,
 * aws:PrincipalType, aws:username, aws:userid, aws:PrincipalTag/…, aws:RequestedRegion, plus
 * `context`). The account's root user is allowed everything SCPs do not deny. Pure apart from
 * reading IAM's tables: it never throws AccessDenied itself.
 */
export function authorize(r: AuthorizeRequest): AuthorizeDecision {
  const t = iamTables(r.store);
  const caller = r.caller ?? callerFromKey(r.store, r.ctx);
  const resource = r.resource ?? '*';
  const remote = r.ctx.req?.socket?.remoteAddress?.replace(/^::ffff:/, '');
  const keys: Record<string, string | string[] | undefined> = {
    'aws:CurrentTime': new Date(r.now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(r.now / 1000)),
    'aws:SecureTransport': 'false',
    'aws:SourceIp': remote,
    'aws:RequestedRegion': r.ctx.region || undefined,
    'aws:PrincipalArn': caller.principalArn,
    'aws:PrincipalAccount': caller.account,
    'aws:userid': caller.userId,
  };
  let identity: PolicyInput[] = [];
  let boundary: PolicyInput[] | undefined;
  const scope = iamScope(caller.account);
  const userMatch = /:user\/(?:.*\/)?([^/]+)$/.exec(caller.principalArn);
  const isRoot = caller.principalArn.endsWith(':root');
  const tags = (list: Tag[]) => list.forEach((tag) => (keys[`aws:PrincipalTag/${tag.Key}`] = tag.Value));
  if (isRoot) keys['aws:PrincipalType'] = 'Account';
  else if (userMatch) {
    keys['aws:PrincipalType'] = 'User';
    keys['aws:username'] = userMatch[1];
    const src = entityPolicies(t, scope, 'user', userMatch[1]!);
    const user = t.users.get(scope, nameKey(userMatch[1]!));
    if (user) tags(user.tags);
    identity = src?.identity ?? [];
    boundary = src?.boundary && [src.boundary];
  } else {
    const role = roleByArn(r.store, caller.principalArn);
    keys['aws:PrincipalType'] = 'AssumedRole';
    if (role) {
      tags(role.tags);
      const src = entityPolicies(t, scope, 'role', role.name);
      identity = src?.identity ?? [];
      boundary = src?.boundary && [src.boundary];
    }
  }
  Object.assign(keys, r.context ?? {});
  const named = (list: string[] | undefined, what: string) => (list ?? []).map((text, i): PolicyInput => ({ id: `${what}.${i + 1}`, type: what, label: `${what} ${i + 1}`, policy: normalisePolicy(text) }));
  const policies: EvalPolicies = {
    identity,
    boundary,
    session: r.sessionPolicies?.length ? named(r.sessionPolicies, 'session policy') : undefined,
    scps: r.scps?.map((level, i) => named(level, `SCP level ${i + 1}`)),
    rcps: r.rcps?.map((level, i) => named(level, `RCP level ${i + 1}`)),
    resource: r.resourcePolicy ? { id: 'ResourcePolicy', type: 'resource', label: 'resource-based policy', policy: normalisePolicy(r.resourcePolicy) } : undefined,
  };
  const principal = { arn: caller.arn, account: caller.account, principalArn: caller.principalArn };
  const request = { action: r.action, resource, principal, resourceAccount: r.resourceAccount ?? caller.account, context: contextMap(keys) };
  let result: EvalResult;
  if (isRoot) {
    // the root user: only SCPs (and RCPs) limit it
    result = evaluate(request, { identity: [{ id: 'root', type: 'root', label: 'the account root user', policy: ROOT_POLICY }], scps: policies.scps, rcps: policies.rcps });
  } else result = evaluate(request, policies);
  const out: AuthorizeDecision = { ...result, callerArn: caller.arn, action: r.action, resource };
  if (result.decision !== 'allowed') {
    const why = result.decision === 'explicitDeny' ? `with an explicit deny in ${DENY_IN[result.decidedBy]}` : `because no ${DENY_IN[result.decidedBy].replace(/^an? /, '')} allows the ${r.action} action`;
    out.message = `User: ${caller.arn} is not authorized to perform: ${r.action} on resource: ${resource} ${why}`;
  }
  return out;
}

const ROOT_POLICY = normalisePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');

function callerFromKey(store: Store, ctx: AuthorizeRequest['ctx']): { arn: string; account: string; principalArn: string; userId: string } {
  if (ctx.accessKeyId?.startsWith('ASIA')) return callerIdentity(store, ctx as RequestContext);
  const p = ctx.accessKeyId ? accessKeyPrincipal(store, ctx.accessKeyId) : undefined;
  if (p) return { arn: p.user.arn, account: p.account, principalArn: p.user.arn, userId: p.user.id };
  const root = `arn:${PARTITION}:iam::${ctx.accountId}:root`;
  return { arn: root, account: ctx.accountId, principalArn: root, userId: ctx.accountId };
}
