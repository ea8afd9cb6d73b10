/**
 * AWS's documented policy evaluation logic, as a pure function over plain data:
 *
 *   1. an explicit Deny in any applicable policy wins;
 *   2. service control policies (each level of the account's path must allow) and resource
 *      control policies (the same for the resource's account) — given as input (Organizations);
 *   3. a resource-based policy: within one account its Allow suffices when it names the caller
 *      (IAM user ARN or role session ARN) — a grant to the role ARN or to `*` is still limited by
 *      a permissions boundary and session policies, a grant to the account (root) only delegates
 *      to identity policies; across accounts both the identity side and the resource policy must
 *      allow;
 *   4. the permissions boundary (intersection), 5. session policies (intersection),
 *   6. identity-based policies; anything else is an implicit deny.
 *
 * The result names the deciding statements and says why, so a denial can be explained.
 */
import type { NormalPolicy, NormalStatement, PrincipalSpec } from './document.js';
import { conditionsHold } from './conditions.js';
import { actionMatches, resourceMatches, type ContextMap } from './match.js';

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface PolicyInput {
  /** SourcePolicyId as the simulator reports it (policy name, `PolicyInputList.1`, …) */
  id: string;
  /** SourcePolicyType as the simulator reports it */
  type: string;
  /** for explanations: the policy's name or ARN */
  label?: string;
  policy: NormalPolicy;
}

export interface EvalPrincipal {
  /** the caller: IAM user ARN, role session ARN (`arn:aws:sts::…:assumed-role/R/s`) or root ARN */
  arn: string;
  account: string;
  /** the IAM principal behind the caller (the role ARN for a role session), else `arn` */
  principalArn?: string;
}

export interface EvalRequest {
  action: string;
  /** resource ARN, or `*` */
  resource: string;
  principal?: EvalPrincipal;
  /** account owning the resource (for the cross-account rule); default the principal's */
  resourceAccount?: string;
  context: ContextMap;
}

export interface EvalPolicies {
  identity: PolicyInput[];
  /** undefined: no permissions boundary */
  boundary?: PolicyInput[];
  /** undefined: no session policies */
  session?: PolicyInput[];
  /** SCPs from the organization root down to the account: every level must allow */
  scps?: PolicyInput[][];
  /** RCPs of the resource's account, root down: every level must allow */
  rcps?: PolicyInput[][];
  resource?: PolicyInput;
}

export interface MatchedStatement { policy: PolicyInput; statement: NormalStatement }

export type PolicyCategory = 'identity' | 'boundary' | 'session' | 'scp' | 'rcp' | 'resource';

export interface EvalResult {
  decision: Decision;
  /** which kind of policy decided (for AWS's AccessDenied wording: "explicit deny in a …", "no … allows") */
  decidedBy: PolicyCategory;
  /** one sentence: why */
  reason: string;
  /** the statements that decided (the Deny statements for an explicit deny) */
  matched: MatchedStatement[];
  /** context keys the relevant statements referenced that the request did not carry */
  missing: string[];
  allowedByBoundary?: boolean;
  allowedBySession?: boolean;
  allowedByOrganizations?: boolean;
  allowedByRcps?: boolean;
  /** the identity side's and the resource policy's own decisions (cross-account detail) */
  identityDecision: Decision;
  resourceDecision?: Decision;
  crossAccount: boolean;
}

/** How a Principal element names the caller. */
type PrincipalMatch = false | 'direct' | 'role' | 'any' | 'account';

export function principalMatch(spec: PrincipalSpec, p: EvalPrincipal | undefined): PrincipalMatch {
  if (spec === '*') return 'any';
  let best: PrincipalMatch = false;
  const rank = { direct: 4, role: 3, any: 2, account: 1 } as const;
  const take = (m: PrincipalMatch) => {
    if (m && (!best || rank[m] > rank[best])) best = m;
  };
  for (const v of spec.AWS ?? []) {
    if (v === '*') take('any');
    else if (!p) continue;
    else if (/^\d{12}$/.test(v)) take(v === p.account ? 'account' : false);
    else if (/^arn:aws[\w-]*:iam::(\d{12}):root$/.test(v)) take(v.split(':')[4] === p.account ? 'account' : false);
    else if (v === p.arn) take('direct');
    else if (p.principalArn && v === p.principalArn) take(p.principalArn === p.arn ? 'direct' : 'role');
  }
  return best;
}

export function describeStatement(m: MatchedStatement): string {
  const s = m.statement;
  return `${m.policy.label ?? m.policy.id} statement ${s.sid ? `"${s.sid}"` : `#${s.index + 1}`}`;
}

interface Scan { allows: MatchedStatement[]; denies: MatchedStatement[]; match?: PrincipalMatch }

/** The statements of `policies` that apply to the request, split by effect. */
function scan(policies: PolicyInput[], req: EvalRequest, missing: Set<string>, withPrincipal = false): Scan {
  const out: Scan = { allows: [], denies: [] };
  for (const policy of policies) {
    const vars = policy.policy.variables;
    for (const s of policy.policy.statements) {
      if (s.action && !s.action.some((a) => actionMatches(a, req.action))) continue;
      if (s.notAction && s.notAction.some((a) => actionMatches(a, req.action))) continue;
      const local = new Set<string>();
      if (s.resource && !s.resource.some((r) => resourceMatches(r, req.resource, req.context, vars, local))) {
        for (const k of local) missing.add(k);
        continue;
      }
      if (s.notResource && s.notResource.some((r) => resourceMatches(r, req.resource, req.context, vars, local))) continue;
      let pm: PrincipalMatch = 'any';
      if (withPrincipal) {
        if (s.principal) pm = principalMatch(s.principal, req.principal);
        else if (s.notPrincipal) pm = principalMatch(s.notPrincipal, req.principal) ? false : 'any';
        if (!pm) continue;
      }
      const holds = conditionsHold(s.conditions, req.context, vars, local);
      for (const k of local) missing.add(k);
      if (!holds) continue;
      const m = { policy, statement: s };
      if (s.effect === 'Deny') out.denies.push(m);
      else {
        out.allows.push(m);
        if (withPrincipal && (!out.match || rankOf(pm) > rankOf(out.match))) out.match = pm;
      }
    }
  }
  return out;
}
const rankOf = (m: PrincipalMatch | undefined) => (m === 'direct' ? 4 : m === 'role' ? 3 : m === 'any' ? 2 : m === 'account' ? 1 : 0);

export function evaluate(req: EvalRequest, policies: EvalPolicies): EvalResult {
  const missing = new Set<string>();
  const identity = scan(policies.identity, req, missing);
  const boundary = policies.boundary && scan(policies.boundary, req, missing);
  const session = policies.session && scan(policies.session, req, missing);
  const scps = policies.scps?.filter((l) => l.length).map((level) => scan(level, req, missing));
  const rcps = policies.rcps?.filter((l) => l.length).map((level) => scan(level, req, missing, true));
  const resource = policies.resource && scan([policies.resource], req, missing, true);
  const crossAccount = !!(policies.resource && req.principal && req.resourceAccount && req.resourceAccount !== req.principal.account);

  const base = {
    missing: [...missing],
    allowedByBoundary: boundary ? boundary.allows.length > 0 : undefined,
    allowedBySession: session ? session.allows.length > 0 : undefined,
    allowedByOrganizations: scps && scps.length ? scps.every((l) => l.allows.length > 0) : undefined,
    allowedByRcps: rcps && rcps.length ? rcps.every((l) => l.allows.length > 0) : undefined,
    crossAccount,
  };
  const identityDecision: Decision = identity.denies.length ? 'explicitDeny' : identity.allows.length ? 'allowed' : 'implicitDeny';
  const resourceDecision: Decision | undefined = resource && (resource.denies.length ? 'explicitDeny' : resource.allows.length ? 'allowed' : 'implicitDeny');
  const result = (decision: Decision, reason: string, matched: MatchedStatement[], decidedBy: PolicyCategory = 'identity'): EvalResult => ({ decision, decidedBy, reason, matched, identityDecision, resourceDecision, ...base });

  // 1. explicit deny anywhere
  const denyGroups: [PolicyCategory, MatchedStatement[]][] = [
    ['scp', (scps ?? []).flatMap((l) => l.denies)],
    ['rcp', (rcps ?? []).flatMap((l) => l.denies)],
    ['resource', resource?.denies ?? []],
    ['boundary', boundary?.denies ?? []],
    ['session', session?.denies ?? []],
    ['identity', identity.denies],
  ];
  const denies = denyGroups.flatMap(([, d]) => d);
  if (denies.length) {
    const first = denyGroups.find(([, d]) => d.length)!;
    return result('explicitDeny', `explicit deny in ${describeStatement(first[1][0]!)}`, denies, first[0]);
  }

  // 2. organizations
  if (base.allowedByOrganizations === false) return result('implicitDeny', 'no service control policy allows this action', [], 'scp');
  if (base.allowedByRcps === false) return result('implicitDeny', 'no resource control policy allows this action', [], 'rcp');

  const boundaryOk = !boundary || boundary.allows.length > 0;
  const sessionOk = !session || session.allows.length > 0;
  const identityOk = identity.allows.length > 0;

  // 3. resource-based policy
  if (crossAccount) {
    if (!resource!.allows.length) return result('implicitDeny', 'cross-account request: the resource-based policy does not allow this caller', [], 'resource');
    if (!identityOk) return result('implicitDeny', 'cross-account request: no identity-based policy allows this action', []);
    if (!boundaryOk) return result('implicitDeny', 'permissions boundary does not allow this action', [], 'boundary');
    if (!sessionOk) return result('implicitDeny', 'session policy does not allow this action', [], 'session');
    return result('allowed', `allowed by ${describeStatement(identity.allows[0]!)} and ${describeStatement(resource!.allows[0]!)}`, [...identity.allows, ...resource!.allows]);
  }
  if (resource?.allows.length) {
    if (resource.match === 'direct') return result('allowed', `allowed by ${describeStatement(resource.allows[0]!)}`, [...identity.allows, ...resource.allows], 'resource');
    if (resource.match === 'role' || resource.match === 'any') {
      if (boundaryOk && sessionOk) return result('allowed', `allowed by ${describeStatement(resource.allows[0]!)}`, [...identity.allows, ...resource.allows], 'resource');
    }
  }

  // 4–6. boundary, session policies, identity policies
  if (!identityOk) return result('implicitDeny', policies.identity.length || !resource ? 'no statement allows this action' : 'neither an identity-based nor the resource-based policy allows this action', []);
  if (!boundaryOk) return result('implicitDeny', 'permissions boundary does not allow this action', [], 'boundary');
  if (!sessionOk) return result('implicitDeny', 'session policy does not allow this action', [], 'session');
  return result('allowed', `allowed by ${describeStatement(identity.allows[0]!)}`, [...identity.allows, ...(resource?.allows ?? [])]);
}
