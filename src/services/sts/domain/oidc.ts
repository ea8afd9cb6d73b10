/**
 * OIDC ID tokens for AssumeRoleWithWebIdentity: read without trusting (header, claims), then
 * the signature verified with `jose` against the issuer's JSON Web Key Set. Where the keys come
 * from: a key set registered locally for the issuer (`PUT /_gureum/iam/oidc-keys`, for issuers
 * gureum cannot reach or that tests mint), else the issuer's own
 * `https://<issuer>/.well-known/openid-configuration` → `jwks_uri`, fetched when the token is
 * presented (an unreachable issuer is AWS's IDPCommunicationError).
 */
import { compactVerify, createLocalJWKSet, decodeJwt, decodeProtectedHeader, type JSONWebKeySet, type JWTPayload } from 'jose';

export class TokenError extends Error {
  constructor(readonly kind: 'malformed' | 'signature' | 'unreachable') {
    super(kind);
  }
}

/** Claims of a compact JWS, unverified; TokenError('malformed') when it is not a JWT. */
export function readClaims(token: string): JWTPayload {
  try {
    decodeProtectedHeader(token);
    return decodeJwt(token);
  } catch {
    throw new TokenError('malformed');
  }
}

const FETCH_TIMEOUT_MS = 5000;

async function fetchJson(url: string): Promise<unknown> {
  // network I/O to the issuer, bounded in real time (not a state transition: no virtual clock here)
  const res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.json();
}

/** The issuer's published key set (discovery document → jwks_uri). */
export async function fetchIssuerJwks(issuer: string): Promise<JSONWebKeySet> {
  try {
    const base = issuer.replace(/\/+$/, '');
    if (!base.startsWith('https://')) throw new Error('not https');
    const discovery = (await fetchJson(`${base}/.well-known/openid-configuration`)) as { jwks_uri?: unknown };
    if (typeof discovery.jwks_uri !== 'string' || !discovery.jwks_uri.startsWith('https://')) throw new Error('no jwks_uri');
    const jwks = (await fetchJson(discovery.jwks_uri)) as JSONWebKeySet;
    if (!Array.isArray(jwks.keys)) throw new Error('no keys');
    return jwks;
  } catch {
    throw new TokenError('unreachable');
  }
}

/** Verifies the token's signature with a key of `jwks` (by kid/alg); TokenError('signature') otherwise. */
export async function verifySignature(token: string, jwks: JSONWebKeySet): Promise<void> {
  try {
    await compactVerify(token, createLocalJWKSet(jwks));
  } catch {
    throw new TokenError('signature');
  }
}
