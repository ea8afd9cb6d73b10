/**
 * What STS needs from IAM for MFA and federation: checking an MFA device's code (the device
 * remembers the step it accepted, so a code is good once) and finding SAML / OIDC providers.
 */
import type { Store } from '../../../state/store.js';
import { GLOBAL_SCOPE, iamScope, iamTables, nameKey, type OidcProviderRec, type SamlProviderRec } from '../state.js';
import { checkToken } from './mfa.js';
import { parseSamlMetadata } from './saml-metadata.js';

export type MfaResult = { ok: true } | { ok: false; reason: 'unknown' | 'invalid' | 'reused' };

/**
 * Is `token` the current code of the MFA device `serial`, enabled for `userName` (or, for the
 * account's root user, any enabled device of the account)? A good code is consumed.
 */
export function verifyMfaToken(store: Store, account: string, userName: string | undefined, serial: string, token: string, now: number): MfaResult {
  const t = iamTables(store);
  const scope = iamScope(account);
  const d = t.mfa.get(scope, serial);
  if (!d || !d.user || (userName !== undefined && d.user !== nameKey(userName))) return { ok: false, reason: 'unknown' };
  const r = checkToken(d, token, now);
  if (!r.ok) return r;
  d.lastStep = r.step;
  t.mfa.put(scope, serial, d);
  return { ok: true };
}

export interface SamlProviderInfo { arn: string; name: string; certificates: string[]; validUntil: number; entityId: string }

export function samlProviderByArn(store: Store, arn: string): SamlProviderInfo | undefined {
  const m = /^arn:aws[\w-]*:iam::(\d{12}):saml-provider\/([\w._-]+)$/.exec(arn);
  if (!m) return undefined;
  const p: SamlProviderRec | undefined = iamTables(store).saml.get(iamScope(m[1]!), arn);
  if (!p) return undefined;
  const meta = parseSamlMetadata(p.metadata);
  return { arn: p.arn, name: p.name, certificates: meta.certificates, validUntil: p.validUntil, entityId: meta.entityId };
}

/** The OIDC provider of `account` for an issuer (`https://host/path`, compared without scheme or trailing slash). */
export function oidcProviderFor(store: Store, account: string, issuer: string): OidcProviderRec | undefined {
  const key = issuer.replace(/^https:\/\//i, '').replace(/\/+$/, '');
  for (const p of iamTables(store).oidc.values(iamScope(account))) if (p.url === key) return p;
  return undefined;
}

const issuerKey = (issuer: string) => issuer.replace(/^https:\/\//i, '').replace(/\/+$/, '');

/** The JSON Web Key Set registered locally for an OIDC issuer (gureum's /_gureum/iam/oidc-keys). */
export function localJwks(store: Store, issuer: string): { keys: unknown[] } | undefined {
  const r = iamTables(store).jwks.get(GLOBAL_SCOPE, issuerKey(issuer));
  return r && { keys: r.keys };
}

export function registerLocalJwks(store: Store, issuer: string, keys: unknown[]): void {
  iamTables(store).jwks.put(GLOBAL_SCOPE, issuerKey(issuer), { issuer: issuerKey(issuer), keys });
}

export function removeLocalJwks(store: Store, issuer: string): boolean {
  return iamTables(store).jwks.delete(GLOBAL_SCOPE, issuerKey(issuer));
}
