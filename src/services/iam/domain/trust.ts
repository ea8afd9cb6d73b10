/**
 * Role trust policies: may this caller assume the role? The statements whose action matches
 * (sts:AssumeRole, sts:AssumeRoleWithWebIdentity, sts:AssumeRoleWithSAML, sts:TagSession,
 * sts:SetSourceIdentity), their Principal / NotPrincipal against the caller, and their conditions
 * evaluated by the policy engine (every operator) over the request's context keys. An explicit
 * Deny wins; otherwise an Allow is needed.
 */
import { actionMatches, conditionsHold, contextMap, normalisePolicy, type NormalPolicy, type PrincipalSpec } from '../policy/index.js';

export interface TrustCaller {
  account: string;
  /** the caller's ARN as GetCallerIdentity shows it (…:root, …:user/…, sts …:assumed-role/…) */
  arn: string;
  /** the IAM principal behind it: the role ARN for an assumed-role session, else `arn` */
  principalArn: string;
  /** federated callers: the IAM provider ARN (SAML/OIDC) or a well-known issuer (accounts.google.com…) */
  federated?: string;
}

/** Condition keys known for this request; values as strings (names compared case-insensitively). */
export type ContextKeys = Record<string, string | string[] | undefined>;

export function trustAllows(doc: NormalPolicy, action: string, caller: TrustCaller, keys: ContextKeys): boolean {
  const ctx = contextMap(keys);
  let allowed = false;
  for (const s of doc.statements) {
    if (s.action && !s.action.some((a) => actionMatches(a, action))) continue;
    if (s.notAction && s.notAction.some((a) => actionMatches(a, action))) continue;
    if (s.principal && !principalMatches(s.principal, caller)) continue;
    if (s.notPrincipal && principalMatches(s.notPrincipal, caller)) continue;
    if (!conditionsHold(s.conditions, ctx, doc.variables, new Set())) continue;
    if (s.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

/** Does the trust policy text allow it? (false for a document that cannot be read) */
export function trustTextAllows(text: string, action: string, caller: TrustCaller, keys: ContextKeys): boolean {
  let doc: NormalPolicy;
  try {
    doc = normalisePolicy(text);
  } catch {
    return false;
  }
  return trustAllows(doc, action, caller, keys);
}

export function principalMatches(p: PrincipalSpec, caller: TrustCaller): boolean {
  if (p === '*') return true;
  if (caller.federated) return (p.Federated ?? []).includes(caller.federated);
  // Service and CanonicalUser principals are never the caller of AssumeRole.
  return (p.AWS ?? []).some((v) => {
    if (v === '*') return true;
    if (/^\d{12}$/.test(v)) return v === caller.account;
    const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(v);
    if (root) return root[1] === caller.account;
    return v === caller.principalArn || v === caller.arn;
  });
}
