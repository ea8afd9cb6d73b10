/** Grants: CreateGrant, ListGrants, ListRetirableGrants, RetireGrant, RevokeGrant (stored; not yet enforced). */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import type { CreateGrantRequest, CreateGrantResponse, ListGrantsRequest, ListGrantsResponse, ListRetirableGrantsRequest, RetireGrantRequest, RevokeGrantRequest } from '../generated/types.js';
import { dryRun, enumConstraint, notFound, validation, disabled, checkLength } from '../domain/errors.js';
import { CONTEXT_FREE_GRANT_OPERATIONS, CONTEXT_GRANT_OPERATIONS } from '../domain/access.js';
import { arnOf, grantEntry, type GrantRecord } from '../domain/model.js';
import { page } from '../domain/paging.js';
import { checkManageable, type KmsState } from '../state.js';

const GRANT_OPERATIONS = [
  'Decrypt', 'Encrypt', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'ReEncryptFrom', 'ReEncryptTo', 'Sign', 'Verify',
  'GetPublicKey', 'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
  'GenerateMac', 'VerifyMac', 'DeriveSharedSecret',
];

export function createGrant(s: KmsState, scope: Scope, input: CreateGrantRequest): CreateGrantResponse {
  if (!input.GranteePrincipal && !input.GranteeServicePrincipal) throw validation('Either GranteePrincipal or GranteeServicePrincipal must be specified.');
  if (!input.Operations.length) throw validation(`1 validation error detected: Value '[]' at 'operations' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  for (const op of input.Operations) if (!GRANT_OPERATIONS.includes(op)) throw enumConstraint(op, 'operations', GRANT_OPERATIONS);
  checkLength(input.Name, 'name', 1, 256);
  const c = input.Constraints;
  if (c?.EncryptionContextEquals && c.EncryptionContextSubset) throw validation('Only one of EncryptionContextEquals and EncryptionContextSubset can be specified.');
  if (c?.EncryptionContextEquals || c?.EncryptionContextSubset) {
    const bad = input.Operations.filter((op) => !CONTEXT_GRANT_OPERATIONS.includes(op) && !CONTEXT_FREE_GRANT_OPERATIONS.includes(op));
    if (bad.length) throw validation(`Grant constraints with an encryption context are not supported for ${bad.join(', ')}: those operations take no encryption context.`);
  }
  const k = s.resolve(scope, input.KeyId);
  checkManageable(k);
  if (k.KeyState === 'Disabled') throw disabled(arnOf(k));
  if (input.DryRun) throw dryRun();
  const ks = { account: k.account, region: k.region };
  // Same name and parameters: AWS returns the existing grant (idempotent retry).
  if (input.Name) {
    for (const g of s.grants.values(ks)) {
      if (g.KeyId === k.KeyId && g.Name === input.Name && g.GranteePrincipal === input.GranteePrincipal && g.Operations.join() === input.Operations.join()) return { GrantId: g.GrantId, GrantToken: g.GrantToken };
    }
  }
  const g: GrantRecord = {
    GrantId: randomBytes(32).toString('hex'),
    GrantToken: randomBytes(96).toString('base64url'),
    KeyId: k.KeyId,
    Name: input.Name,
    GranteePrincipal: input.GranteePrincipal,
    GranteeServicePrincipal: input.GranteeServicePrincipal,
    RetiringPrincipal: input.RetiringPrincipal,
    RetiringServicePrincipal: input.RetiringServicePrincipal,
    Operations: [...input.Operations],
    Constraints: c ? { ...c } : undefined,
    CreationDate: s.now(),
    IssuingAccount: scope.account,
  };
  s.grants.put(ks, g.GrantId, g);
  return { GrantId: g.GrantId, GrantToken: g.GrantToken };
}

export function listGrants(s: KmsState, scope: Scope, input: ListGrantsRequest): ListGrantsResponse {
  const k = s.resolve(scope, input.KeyId);
  const ks = { account: k.account, region: k.region };
  const all = [...s.grants.values(ks)]
    .filter((g) => g.KeyId === k.KeyId && (input.GrantId === undefined || g.GrantId === input.GrantId) && (input.GranteePrincipal === undefined || g.GranteePrincipal === input.GranteePrincipal))
    .map((g, i) => ({ g, key: String(i).padStart(8, '0') }));
  const p = page(all, (x) => x.key, input.Limit, input.Marker, 100, 50);
  return { Grants: p.items.map(({ g }) => grantEntry(g, ks)), NextMarker: p.NextMarker, Truncated: p.Truncated };
}

export function listRetirableGrants(s: KmsState, scope: Scope, input: ListRetirableGrantsRequest): ListGrantsResponse {
  if (!input.RetiringPrincipal && !input.RetiringServicePrincipal) throw validation('Either RetiringPrincipal or RetiringServicePrincipal must be specified.');
  const all = [...s.grants.values(scope)]
    .filter((g) => (input.RetiringPrincipal !== undefined && g.RetiringPrincipal === input.RetiringPrincipal) || (input.RetiringServicePrincipal !== undefined && g.RetiringServicePrincipal === input.RetiringServicePrincipal))
    .map((g, i) => ({ g, key: String(i).padStart(8, '0') }));
  const p = page(all, (x) => x.key, input.Limit, input.Marker, 100, 50);
  return { Grants: p.items.map(({ g }) => grantEntry(g, scope)), NextMarker: p.NextMarker, Truncated: p.Truncated };
}

export function retireGrant(s: KmsState, scope: Scope, input: RetireGrantRequest): void {
  let found: { g: GrantRecord; scope: Scope } | undefined;
  if (input.GrantToken !== undefined) {
    for (const [sc, m] of s.grants.allScopes()) for (const g of m.values()) if (g.GrantToken === input.GrantToken) found = { g, scope: sc };
    if (!found) throw new AwsError('InvalidGrantTokenException', 'The grant token is not valid.', 400);
  } else {
    if (input.KeyId === undefined || input.GrantId === undefined) throw validation('Either GrantToken, or both KeyId and GrantId, must be specified.');
    const k = s.resolve(scope, input.KeyId);
    const ks = { account: k.account, region: k.region };
    const g = s.grants.get(ks, input.GrantId);
    if (!g || g.KeyId !== k.KeyId) throw notFound(`Grant ID ${input.GrantId} not found`);
    found = { g, scope: ks };
  }
  if (input.DryRun) throw dryRun();
  s.grants.delete(found.scope, found.g.GrantId);
}

export function revokeGrant(s: KmsState, scope: Scope, input: RevokeGrantRequest): void {
  const k = s.resolve(scope, input.KeyId);
  const ks = { account: k.account, region: k.region };
  const g = s.grants.get(ks, input.GrantId);
  if (!g || g.KeyId !== k.KeyId) throw notFound(`Grant ID ${input.GrantId} not found`);
  if (input.DryRun) throw dryRun();
  s.grants.delete(ks, g.GrantId);
}
