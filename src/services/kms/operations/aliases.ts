/** Aliases: CreateAlias, UpdateAlias, DeleteAlias, ListAliases. */
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import type { ListAliasesRequest, ListAliasesResponse } from '../generated/types.js';
import { aliasNotFound, validation } from '../domain/errors.js';
import { aliasArn, aliasEntry, arnOf, type KeyRecord } from '../domain/model.js';
import { byKey, page } from '../domain/paging.js';
import { SPECS } from '../domain/specs.js';
import { checkManageable, type KmsState } from '../state.js';

function checkAliasName(name: string): void {
  if (name.length < 1 || name.length > 256) throw validation(`1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must have length less than or equal to 256`);
  if (!/^[a-zA-Z0-9:/_-]+$/.test(name)) {
    throw validation(`1 validation error detected: Value '${name}' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$`);
  }
  if (!name.startsWith('alias/') || name === 'alias/') throw validation('Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html');
  if (name.startsWith('alias/aws/')) throw new AwsError('NotAuthorizedException', `The alias name prefix alias/aws/ is reserved for AWS managed keys: ${name}`, 400);
  if (name.includes(':')) throw validation(`${name} contains invalid characters for an alias`);
}

/** The target of an alias: a key id or key ARN (not another alias), customer managed, not pending deletion. */
function target(s: KmsState, scope: Scope, targetKeyId: string): KeyRecord {
  if (targetKeyId.startsWith('alias/') || /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//.test(targetKeyId)) throw validation('Aliases must refer to keys. Not aliases');
  const k = s.resolve(scope, targetKeyId);
  checkManageable(k);
  if (k.account !== scope.account || k.region !== scope.region) throw validation('An alias must be in the same account and region as its target key.');
  return k;
}

export function createAlias(s: KmsState, scope: Scope, name: string, targetKeyId: string): void {
  checkAliasName(name);
  const k = target(s, scope, targetKeyId);
  if (s.aliases.has(scope, name)) throw new AwsError('AlreadyExistsException', `An alias with the name ${aliasArn(scope, name)} already exists`, 409);
  const now = s.now();
  s.aliases.put(scope, name, { AliasName: name, TargetKeyId: k.KeyId, CreationDate: now, LastUpdatedDate: now });
}

export function updateAlias(s: KmsState, scope: Scope, name: string, targetKeyId: string): void {
  const a = s.aliases.get(scope, name);
  if (!a || name.startsWith('alias/aws/')) {
    if (name.startsWith('alias/aws/')) throw new AwsError('NotAuthorizedException', `The alias name prefix alias/aws/ is reserved for AWS managed keys: ${name}`, 400);
    throw aliasNotFound(aliasArn(scope, name));
  }
  const k = target(s, scope, targetKeyId);
  const old = s.keys.get(scope, a.TargetKeyId);
  if (old && (old.KeyUsage !== k.KeyUsage || (SPECS[old.KeySpec]!.kind === 'symmetric') !== (SPECS[k.KeySpec]!.kind === 'symmetric'))) {
    throw validation(`${arnOf(k)} key usage or key type is not compatible with the current target of ${name}: an alias can only move to a key of the same type and key usage.`);
  }
  a.TargetKeyId = k.KeyId;
  a.LastUpdatedDate = s.now();
  s.aliases.put(scope, name, a);
}

export function deleteAlias(s: KmsState, scope: Scope, name: string): void {
  if (name.startsWith('alias/aws/')) throw new AwsError('NotAuthorizedException', `The alias name prefix alias/aws/ is reserved for AWS managed keys: ${name}`, 400);
  if (!s.aliases.delete(scope, name)) throw aliasNotFound(aliasArn(scope, name));
}

export function listAliases(s: KmsState, scope: Scope, input: ListAliasesRequest): ListAliasesResponse {
  const keyId = input.KeyId === undefined ? undefined : s.resolve(scope, input.KeyId).KeyId;
  const all = [...s.aliases.values(scope)].filter((a) => keyId === undefined || a.TargetKeyId === keyId).sort(byKey((a) => a.AliasName));
  const p = page(all, (a) => a.AliasName, input.Limit, input.Marker, 100, 50);
  return { Aliases: p.items.map((a) => aliasEntry(scope, a)), NextMarker: p.NextMarker, Truncated: p.Truncated };
}
