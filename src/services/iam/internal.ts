/**
 * What other parts of gureum may ask IAM (STS, the policy engine, the console): the principal
 * behind an access key, roles and their trust policies, and a principal's policies (attached,
 * inline, through groups, and its permissions boundary), read from IAM's tables in the store.
 */
import type { Store } from '../../state/store.js';
import type { RequestContext } from '../../gateway/context.js';
import { AwsError } from '../../core/errors.js';
import { decodeAccessKeyAccount } from '../../core/accounts.js';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { iamScope, iamTables, nameKey, type AccessKeyRec, type OutboundFederationRec, type RoleRec, type UserRec } from './state.js';
import { lookupPolicy } from './domain/model.js';
import { parsePolicy, type PolicyDocument } from './domain/policy-document.js';
import { trustAllows, trustTextAllows, type ContextKeys, type TrustCaller } from './domain/trust.js';
import { organizationDetails, type OrganizationDetails } from '../organizations/internal.js';

export type { AccessKeyRec, RoleRec, UserRec, PolicyDocument, TrustCaller, ContextKeys };
export { parsePolicy, trustAllows };
export { principalMatches } from './domain/trust.js';
export { verifyMfaToken, samlProviderByArn, oidcProviderFor, localJwks, registerLocalJwks, removeLocalJwks, type MfaResult, type SamlProviderInfo } from './domain/federation.js';
export { authorize, type AuthorizeRequest, type AuthorizeDecision } from './domain/authorize.js';
export { registerResourcePolicyReader, resourcePolicyFor, iamEntityArn, kmsKeyArn, type ResourcePolicy, type ResourcePolicyReader } from './resource-policies.js';
export { recordAccess } from './domain/access.js';
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
  return trustTextAllows(role.trust, action, caller, keys);
}

/** A managed policy's default-version document (customer managed in `account`, or AWS managed). */
export function managedPolicyDocument(store: Store, account: string, arn: string): string | undefined {
  const p = lookupPolicy(iamTables(store), iamScope(account), arn);
  return p?.versions.find((v) => v.id === p.defaultVersion)?.document;
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

/**
 * Centralized root access for the organization `account` belongs to: the organization and the
 * features its management account enabled (RootCredentialsManagement, RootSessions) — none
 * unless the organization has all features and trusted access for IAM. For STS AssumeRoot.
 */
export function rootAccessFeatures(store: Store, account: string): { org: OrganizationDetails; features: string[] } | undefined {
  const org = organizationDetails(store, account);
  if (!org) return undefined;
  const rec = iamTables(store).account.get(iamScope(org.managementAccount), 'account')?.orgFeatures;
  const active = org.featureSet === 'ALL' && org.trustedServices.includes('iam.amazonaws.com');
  return { org, features: active && rec?.organizationId === org.id ? rec.features : [] };
}

/** The account's outbound-federation issuer and signing keys while the feature is enabled (STS GetWebIdentityToken). */
export function outboundFederation(store: Store, account: string): OutboundFederationRec | undefined {
  const f = iamTables(store).account.get(iamScope(account), 'account')?.outboundFederation;
  return f?.enabled ? f : undefined;
}

/** The public keys of an account's outbound-federation issuer as a JSON Web Key Set (enabled or not, once made). */
export function outboundJwks(store: Store, account: string): { issuer: string; enabled: boolean; keys: JsonWebKey[] } | undefined {
  const f = iamTables(store).account.get(iamScope(account), 'account')?.outboundFederation;
  if (!f) return undefined;
  const keys = f.keys.map((k) => ({ ...createPublicKey(createPrivateKey(k.pem)).export({ format: 'jwk' }), kid: k.kid, alg: k.alg, use: 'sig' }));
  return { issuer: f.issuer, enabled: f.enabled, keys };
}

/** The tags of the IAM user or role `principalArn` names (none for other principals). */
export function principalTags(store: Store, account: string, principalArn: string): { Key: string; Value: string }[] {
  const m = /:(user|role)\/(?:.*\/)?([^/]+)$/.exec(principalArn);
  if (!m) return [];
  const t = iamTables(store);
  const rec = (m[1] === 'user' ? t.users : t.roles).get(iamScope(account), nameKey(m[2]!));
  return rec && rec.arn === principalArn ? rec.tags : [];
}
