/**
 * The request-time authorization the gateway (and `/_gureum/iam/explain`) asks for: who is
 * calling (IAM user, role session, federated user, root), every policy that applies to them
 * (identity policies and boundary from IAM; session policies, session tags and MFA from the STS
 * session; SCPs of the caller's account and RCPs of the resource's account from Organizations;
 * the resource's own policy from resource-policies.ts), the request's context keys, and the
 * engine's decision with AWS's AccessDenied sentence.
 */
import type { Store } from '../../../state/store.js';
import type { RequestContext } from '../../../gateway/context.js';
import { PARTITION } from '../../../core/regions.js';
import { callerIdentity, type Caller } from '../../sts/internal.js';
import { organizationOf, rcpsFor, scpsFor } from '../../organizations/internal.js';
import { contextMap, evaluate, normalisePolicy, type EvalPolicies, type EvalResult, type PolicyCategory, type PolicyInput } from '../policy/index.js';
import { entityPolicies } from '../policy/sources.js';
import { resourcePolicyFor } from '../resource-policies.js';
import { lookupPolicy } from './model.js';
import { iamScope, iamTables, nameKey, type Tag } from '../state.js';

export interface AuthorizeRequest {
  store: Store;
  /** the request: access key, account, region, remote address */
  ctx: Pick<RequestContext, 'accessKeyId' | 'accountId' | 'region'> & { req?: { socket?: { remoteAddress?: string } } };
  /** `service:Operation` with the service's IAM prefix, e.g. `sqs:SendMessage` */
  action: string;
  /** the resource's ARN when known, else `*` */
  resource?: string;
  /** the resource's own policy and its account; undefined: looked up by the resource's ARN */
  resourcePolicy?: string;
  resourceAccount?: string;
  /** KMS: the key policy must allow by itself (a grant to the account delegates to IAM policies) */
  resourcePolicyRequired?: boolean;
  /** virtual-clock now (epoch ms) for aws:CurrentTime / aws:EpochTime / aws:MultiFactorAuthAge */
  now: number;
  /** the caller, when already known; else from the access key */
  caller?: { arn: string; account: string; principalArn: string; userId: string };
  /** service-specific or extra keys (s3:prefix, aws:RequestTag/x, aws:ResourceTag/x, aws:TagKeys…) */
  context?: Record<string, string | string[] | undefined>;
  /** session policies (documents); undefined: the caller's STS session's own */
  sessionPolicies?: string[];
  /** SCP / RCP documents per level (root → account); undefined: from Organizations */
  scps?: string[][];
  rcps?: string[][];
}

export interface AuthorizeDecision extends EvalResult {
  callerArn: string;
  action: string;
  resource: string;
  /** AWS's AccessDenied sentence for a denial */
  message?: string;
  /** the request context the decision was taken on (for explanations and encoded messages) */
  context: Record<string, string | string[]>;
}

const DENY_IN: Record<PolicyCategory, string> = {
  identity: 'an identity-based policy',
  boundary: 'a permissions boundary',
  session: 'a session policy',
  scp: 'a service control policy',
  rcp: 'a resource control policy',
  resource: 'a resource-based policy',
};

/** Services whose resources resource control policies govern (AWS's list). */
const RCP_SERVICES = new Set(['s3', 'sts', 'sqs', 'kms', 'secretsmanager', 'dynamodb', 'ecr', 'logs', 'cognito-identity', 'aoss']);

const ROOT_POLICY = normalisePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Would this request be allowed? Pure apart from reading the store: it never throws AccessDenied
 * itself. The account's root user is allowed everything SCPs/RCPs (and resource policies naming
 * it with a Deny) do not deny.
 */
export function authorize(r: AuthorizeRequest): AuthorizeDecision {
  const t = iamTables(r.store);
  const caller: Caller = r.caller ? { ...r.caller } : callerFromKey(r.store, r.ctx);
  const session = caller.session;
  const selfService = SELF_SERVICE.has(r.action.toLowerCase()) && /:user\//.test(caller.principalArn) && session?.kind !== 'federated-user';
  // iam:ChangePassword names no user: AWS authorizes it on the caller's own user ARN
  const resource = r.resource === undefined || r.resource === '*' ? (selfService && r.action.toLowerCase() === 'iam:changepassword' ? caller.principalArn : '*') : r.resource;
  const resourceArnAccount = /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(resource)?.[1];
  const found = r.resourcePolicy === undefined && resource !== '*' ? resourcePolicyFor(r.store, resource) : undefined;
  const resourcePolicy = r.resourcePolicy ?? found?.policy;
  const resourceAccount = r.resourceAccount ?? found?.account ?? resourceArnAccount ?? caller.account;
  const required = r.resourcePolicyRequired ?? found?.required ?? false;

  const remote = r.ctx.req?.socket?.remoteAddress?.replace(/^::ffff:/, '');
  const keys: Record<string, string | string[] | undefined> = {
    'aws:CurrentTime': iso(r.now),
    'aws:EpochTime': String(Math.floor(r.now / 1000)),
    'aws:SecureTransport': 'false',
    'aws:SourceIp': remote,
    'aws:RequestedRegion': r.ctx.region || undefined,
    'aws:PrincipalArn': caller.principalArn,
    'aws:PrincipalAccount': caller.account,
    'aws:userid': caller.userId,
    'aws:ResourceAccount': resource !== '*' ? resourceAccount : undefined,
    'aws:ViaAWSService': 'false',
    'aws:PrincipalIsAWSService': 'false',
  };
  const org = organizationOf(r.store, caller.account);
  if (org) {
    keys['aws:PrincipalOrgID'] = org.id;
    keys['aws:PrincipalOrgPaths'] = `${org.id}/${org.rootId}/`;
  }
  const resourceOrg = resource !== '*' ? organizationOf(r.store, resourceAccount) : undefined;
  if (resourceOrg) keys['aws:ResourceOrgID'] = resourceOrg.id;
  if (session) {
    keys['aws:TokenIssueTime'] = session.issued !== undefined ? iso(session.issued) : undefined;
    keys['aws:MultiFactorAuthPresent'] = session.mfaAuthTime !== undefined ? 'true' : 'false';
    if (session.mfaAuthTime !== undefined) keys['aws:MultiFactorAuthAge'] = String(Math.max(0, Math.floor((r.now - session.mfaAuthTime) / 1000)));
    if (session.sourceIdentity) keys['aws:SourceIdentity'] = session.sourceIdentity;
    if (session.federatedProvider) keys['aws:FederatedProvider'] = session.federatedProvider;
  }

  let identity: PolicyInput[] = [];
  let boundary: PolicyInput[] | undefined;
  const scope = iamScope(caller.account);
  const userMatch = /:user\/(?:.*\/)?([^/]+)$/.exec(caller.principalArn);
  const isRoot = caller.principalArn.endsWith(':root');
  const tags = (list: Tag[]) => list.forEach((tag) => (keys[`aws:PrincipalTag/${tag.Key}`] = tag.Value));
  if (session?.kind === 'federated-user') {
    // GetFederationToken: the user's (or root's) policies limited by the session policy
    keys['aws:PrincipalType'] = 'FederatedUser';
    if (userMatch) {
      const src = entityPolicies(t, scope, 'user', userMatch[1]!);
      identity = src?.identity ?? [];
      boundary = src?.boundary && [src.boundary];
    } else identity = [{ id: 'root', type: 'root', label: 'the account root user', policy: ROOT_POLICY }];
  } else if (isRoot) keys['aws:PrincipalType'] = 'Account';
  else if (userMatch) {
    keys['aws:PrincipalType'] = 'User';
    keys['aws:username'] = userMatch[1];
    const src = entityPolicies(t, scope, 'user', userMatch[1]!);
    const user = t.users.get(scope, nameKey(userMatch[1]!));
    if (user) tags(user.tags);
    identity = src?.identity ?? [];
    boundary = src?.boundary && [src.boundary];
    if (selfService && t.account.get(scope, 'account')?.passwordPolicy?.AllowUsersToChangePassword) identity = [...identity, selfServicePolicy(caller.principalArn)];
  } else {
    keys['aws:PrincipalType'] = 'AssumedRole';
    const m = /:role\/(?:.*\/)?([^/]+)$/.exec(caller.principalArn);
    const role = m ? t.roles.get(scope, nameKey(m[1]!)) : undefined;
    if (role && role.arn === caller.principalArn) {
      tags(role.tags);
      const src = entityPolicies(t, scope, 'role', role.name);
      identity = src?.identity ?? [];
      boundary = src?.boundary && [src.boundary];
    }
  }
  if (session?.tags) tags(session.tags);
  Object.assign(keys, r.context ?? {});

  const named = (list: string[] | undefined, what: string) => (list ?? []).map((text, i): PolicyInput => ({ id: `${what}.${i + 1}`, type: what, label: `${what} ${i + 1}`, policy: normalisePolicy(text) }));
  const levels = (list: { policies: { name: string; id: string; content: string }[] }[] | undefined, what: 'SCP' | 'RCP') =>
    list?.map((level) => level.policies.map((p): PolicyInput => ({ id: p.id, type: what, label: `${what} ${p.name} (${p.id})`, policy: normalisePolicy(p.content) })));
  const sessionDocs = r.sessionPolicies ?? sessionPolicyDocs(r.store, session);
  const rcpsApply = resource !== '*' && RCP_SERVICES.has(resource.split(':')[2] ?? '');
  const policies: EvalPolicies = {
    identity,
    boundary,
    // sessions made with session policies (and every federated user) are limited by them
    session: sessionDocs !== undefined || session?.kind === 'federated-user' ? named(sessionDocs, 'session policy') : undefined,
    scps: r.scps ? r.scps.map((level, i) => named(level, `SCP level ${i + 1}`)) : levels(scpsFor(r.store, caller.account), 'SCP'),
    rcps: r.rcps ? r.rcps.map((level, i) => named(level, `RCP level ${i + 1}`)) : rcpsApply ? levels(rcpsFor(r.store, resourceAccount), 'RCP') : undefined,
    resource: resourcePolicy !== undefined ? { id: 'ResourcePolicy', type: 'resource', label: found?.label ?? 'resource-based policy', policy: normalisePolicy(resourcePolicy) } : undefined,
  };
  // Across accounts a resource without a policy cannot grant anything: an empty policy says so.
  if (!policies.resource && resource !== '*' && resourceAccount !== caller.account) {
    policies.resource = { id: 'ResourcePolicy', type: 'resource', label: 'resource-based policy (none)', policy: { statements: [], variables: true } };
  }
  const principal = { arn: caller.arn, account: caller.account, principalArn: caller.principalArn };
  const request = { action: r.action, resource, principal, resourceAccount, context: contextMap(keys) };
  let result: EvalResult;
  if (isRoot && session?.kind !== 'federated-user') {
    // AssumeRoot: the root user limited by its task policy (Deny statements over the root's Allow)
    const task = session?.kind === 'root' ? named(sessionDocs, 'root task policy') : [];
    result = evaluate(request, { identity: [{ id: 'root', type: 'root', label: 'the account root user', policy: ROOT_POLICY }, ...task], scps: policies.scps, rcps: policies.rcps, resource: policies.resource });
  } else result = evaluate(request, policies);
  // GetScopedCredentials: every scope-down layer must allow the request too (an explicit deny in one wins)
  for (const [i, text] of (session?.scopePolicies ?? []).entries()) {
    if (result.decision === 'explicitDeny') break;
    const layer = evaluate(request, { identity: [{ id: `ScopedPolicy.${i + 1}`, type: 'session', label: `scope-down policy ${i + 1}`, policy: normalisePolicy(text) }] });
    if (layer.decision === 'explicitDeny') result = { ...layer, decidedBy: 'session' };
    else if (layer.decision !== 'allowed' && result.decision === 'allowed') {
      result = { ...result, decision: 'implicitDeny', decidedBy: 'session', reason: `scope-down policy ${i + 1} does not allow this action`, matched: [] };
    }
  }
  // KMS: a key policy that allows nothing for this caller (not even by delegating to the account) denies
  if (result.decision === 'allowed' && required && policies.resource && result.resourceDecision !== 'allowed') {
    result = { ...result, decision: 'implicitDeny', decidedBy: 'resource', reason: 'the key policy does not allow this caller', matched: [] };
  }
  const context: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(keys)) if (v !== undefined) context[k] = v;
  const out: AuthorizeDecision = { ...result, callerArn: caller.arn, action: r.action, resource, context };
  if (result.decision !== 'allowed') {
    const why = result.decision === 'explicitDeny' ? `with an explicit deny in ${DENY_IN[result.decidedBy]}` : `because no ${DENY_IN[result.decidedBy].replace(/^an? /, '')} allows the ${r.action} action`;
    out.message = `User: ${caller.arn} is not authorized to perform: ${r.action} on resource: ${resource} ${why}`;
  }
  return out;
}

/** What AllowUsersToChangePassword grants every IAM user: its own password change, and reading the policy. */
const SELF_SERVICE = new Set(['iam:changepassword', 'iam:getaccountpasswordpolicy']);
function selfServicePolicy(userArn: string): PolicyInput {
  const doc = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'AllowUsersToChangePassword', Effect: 'Allow', Action: 'iam:ChangePassword', Resource: userArn },
      { Sid: 'AllowUsersToReadPasswordPolicy', Effect: 'Allow', Action: 'iam:GetAccountPasswordPolicy', Resource: '*' },
    ],
  };
  return { id: 'AllowUsersToChangePassword', type: 'account', label: 'the account password policy (AllowUsersToChangePassword)', policy: normalisePolicy(JSON.stringify(doc)) };
}

/** The session's inline policy and the current default versions of its PolicyArns. */
function sessionPolicyDocs(store: Store, session: Caller['session']): string[] | undefined {
  if (!session || (session.policy === undefined && !session.policyArns?.length)) return undefined;
  const docs: string[] = [];
  if (session.policy !== undefined) docs.push(session.policy);
  const t = iamTables(store);
  for (const arn of session.policyArns ?? []) {
    const p = lookupPolicy(t, iamScope(session.account), arn);
    const v = p?.versions.find((x) => x.id === p.defaultVersion);
    if (v) docs.push(v.document);
  }
  return docs;
}

function callerFromKey(store: Store, ctx: AuthorizeRequest['ctx']): Caller {
  try {
    return callerIdentity(store, ctx as RequestContext);
  } catch {
    const root = `arn:${PARTITION}:iam::${ctx.accountId}:root`;
    return { arn: root, account: ctx.accountId, principalArn: root, userId: ctx.accountId };
  }
}
