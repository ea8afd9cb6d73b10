/** Secret values and versions: Get/Put/BatchGet, ListSecretVersionIds, UpdateSecretVersionStage. */
import type {
  APIErrorType, BatchGetSecretValueRequest, BatchGetSecretValueResponse, GetSecretValueRequest, GetSecretValueResponse,
  ListSecretVersionIdsRequest, ListSecretVersionIdsResponse, PutSecretValueRequest, PutSecretValueResponse, SecretValueEntry,
  UpdateSecretVersionStageRequest,
} from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError, isAwsError } from '../../../core/errors.js';
import { uuid } from '../../../core/ids.js';
import type { SecretsState } from '../state.js';
import {
  addVersion, AWSCURRENT, checkToken, checkValue, constraint, dayOf, hasValue, invalidParameter, invalidRequest, moveStage,
  pruneVersions, sameValue, versionWithStage, type SecretRecord, type VersionRecord,
} from '../domain/model.js';
import { openVersion, sealValue } from '../domain/crypto.js';
import { bin, checkFilters, decodeToken, encodeToken, matchesFilters } from './secrets.js';

export function valueNotFound(what: string): AwsError {
  return new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified secret value for ${what}`, 400);
}

/** The version a GetSecretValue-like request names (AWSCURRENT by default). */
function pickVersion(s: SecretRecord, versionId: string | undefined, stage: string | undefined): VersionRecord {
  if (versionId !== undefined) {
    const v = s.versions[versionId];
    if (!v) throw valueNotFound(`VersionId: ${versionId}`);
    if (stage !== undefined && !v.stages.includes(stage)) throw invalidRequest('You provided a VersionStage that is not associated to the provided VersionId.');
    return v;
  }
  const label = stage ?? AWSCURRENT;
  const v = versionWithStage(s, label);
  if (!v) throw valueNotFound(`staging label: ${label}`);
  return v;
}

/** A version's value, decrypted through KMS (DecryptionFailure when its key cannot be used). */
function readValue(st: SecretsState, scope: Scope, s: SecretRecord, v: VersionRecord, what: string): SecretValueEntry {
  if (!hasValue(v)) throw valueNotFound(what); // a rotation's AWSPENDING placeholder before createSecret
  const plain = openVersion(st.kms, scope, s.arn, v);
  const today = dayOf(st.now());
  if (s.lastAccessedDate !== today || v.lastAccessedDate !== today) {
    s.lastAccessedDate = today;
    v.lastAccessedDate = today;
    st.save(scope, s, false);
  }
  return {
    ARN: s.arn,
    Name: s.name,
    VersionId: v.id,
    SecretString: plain.SecretString,
    SecretBinary: plain.SecretBinary,
    VersionStages: [...v.stages],
    CreatedDate: new Date(v.createdDate),
  };
}

export function getSecretValue(st: SecretsState, scope: Scope, input: GetSecretValueRequest): GetSecretValueResponse {
  if (input.VersionId !== undefined && (input.VersionId.length < 32 || input.VersionId.length > 64)) {
    throw constraint(input.VersionId, 'versionId', 'Member must have length greater than or equal to 32');
  }
  const s = st.get(scope, input.SecretId);
  const what = input.VersionId !== undefined ? `VersionId: ${input.VersionId}` : `staging label: ${input.VersionStage ?? AWSCURRENT}`;
  return readValue(st, scope, s, pickVersion(s, input.VersionId, input.VersionStage), what);
}

export function batchGetSecretValue(st: SecretsState, scope: Scope, input: BatchGetSecretValueRequest): BatchGetSecretValueResponse {
  const ids = input.SecretIdList;
  if ((ids === undefined) === (input.Filters === undefined)) {
    throw invalidParameter('Either SecretIdList or Filters must be provided, but not both.');
  }
  if (ids) {
    if (input.MaxResults !== undefined) throw invalidParameter('MaxResults can only be used with Filters.');
    if (ids.length < 1 || ids.length > 20) throw constraint('[…]', 'secretIdList', 'Member must have length less than or equal to 20');
    const values: SecretValueEntry[] = [];
    const errors: APIErrorType[] = [];
    for (const id of ids) {
      try {
        const s = st.get(scope, id);
        values.push(readValue(st, scope, s, pickVersion(s, undefined, undefined), `staging label: ${AWSCURRENT}`));
      } catch (e) {
        if (!isAwsError(e)) throw e;
        errors.push({ SecretId: id, ErrorCode: e.code, Message: e.message });
      }
    }
    return { SecretValues: values, Errors: errors };
  }
  checkFilters(input.Filters);
  const max = input.MaxResults ?? 20;
  if (max < 1 || max > 20) throw constraint(max, 'maxResults', 'Member must have value less than or equal to 20');
  st.sweep(scope);
  const matching = [...st.secrets.values(scope)].filter((s) => s.deletedDate === undefined && matchesFilters(s, input.Filters, scope.region));
  const start = decodeToken(input.NextToken);
  const values: SecretValueEntry[] = [];
  const errors: APIErrorType[] = [];
  for (const s of matching.slice(start, start + max)) {
    const v = versionWithStage(s, AWSCURRENT);
    try {
      if (!v) throw valueNotFound(`staging label: ${AWSCURRENT}`);
      values.push(readValue(st, scope, s, v, `staging label: ${AWSCURRENT}`));
    } catch (e) {
      if (!isAwsError(e)) throw e;
      errors.push({ SecretId: s.arn, ErrorCode: e.code, Message: e.message });
    }
  }
  const out: BatchGetSecretValueResponse = { SecretValues: values, Errors: errors };
  if (start + max < matching.length) out.NextToken = encodeToken(start + max);
  return out;
}

export function putSecretValue(st: SecretsState, scope: Scope, input: PutSecretValueRequest): PutSecretValueResponse {
  checkToken(input.ClientRequestToken);
  checkValue(input.SecretString, input.SecretBinary);
  if (input.SecretString === undefined && input.SecretBinary === undefined) {
    throw invalidRequest('You must provide either SecretString or SecretBinary.');
  }
  const stages = input.VersionStages ?? [AWSCURRENT];
  if (stages.length < 1 || stages.length > 20) throw constraint('[…]', 'versionStages', 'Member must have length less than or equal to 20');
  const s = st.writable(scope, input.SecretId);
  const token = input.ClientRequestToken ?? uuid();
  const existing = s.versions[token];
  const value = { SecretString: input.SecretString, SecretBinary: bin(input.SecretBinary) };
  const now = st.now();
  if (existing && !hasValue(existing)) {
    // a rotation's AWSPENDING placeholder: the rotation function's createSecret step gives it its value
    existing.sealed = sealValue(st.kms, scope, s.arn, token, s.kmsKeyId, value);
    for (const stage of stages) moveStage(s, stage, existing);
    s.lastChangedDate = now;
    st.save(scope, s);
    return { ARN: s.arn, Name: s.name, VersionId: existing.id, VersionStages: [...existing.stages] };
  }
  if (existing) {
    if (!sameValue(openVersion(st.kms, scope, s.arn, existing), input.SecretString, input.SecretBinary)) {
      throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.", 400);
    }
    return { ARN: s.arn, Name: s.name, VersionId: existing.id, VersionStages: [...existing.stages] };
  }
  const v: VersionRecord = { id: token, sealed: sealValue(st.kms, scope, s.arn, token, s.kmsKeyId, value), stages: [], createdDate: now, kmsKeyId: s.kmsKeyId };
  addVersion(s, v, stages);
  s.lastChangedDate = now;
  st.save(scope, s);
  return { ARN: s.arn, Name: s.name, VersionId: v.id, VersionStages: [...v.stages] };
}

export function listSecretVersionIds(st: SecretsState, scope: Scope, input: ListSecretVersionIdsRequest): ListSecretVersionIdsResponse {
  const max = input.MaxResults ?? 100;
  if (max < 1 || max > 100) throw constraint(max, 'maxResults', 'Member must have value less than or equal to 100');
  const s = st.get(scope, input.SecretId, false);
  const ids = s.order.filter((id) => input.IncludeDeprecated || s.versions[id]!.stages.length > 0);
  const start = decodeToken(input.NextToken);
  const out: ListSecretVersionIdsResponse = {
    ARN: s.arn,
    Name: s.name,
    Versions: ids.slice(start, start + max).map((id) => {
      const v = s.versions[id]!;
      return {
        VersionId: v.id,
        VersionStages: [...v.stages],
        CreatedDate: new Date(v.createdDate),
        LastAccessedDate: v.lastAccessedDate === undefined ? undefined : new Date(v.lastAccessedDate),
        KmsKeyIds: [v.kmsKeyId ?? 'DefaultEncryptionKey'],
      };
    }),
  };
  if (start + max < ids.length) out.NextToken = encodeToken(start + max);
  return out;
}

export function updateSecretVersionStage(st: SecretsState, scope: Scope, input: UpdateSecretVersionStageRequest): { ARN: string; Name: string } {
  const stage = input.VersionStage;
  if (stage.length < 1 || stage.length > 256) throw constraint(stage, 'versionStage', 'Member must have length less than or equal to 256');
  const s = st.writable(scope, input.SecretId);
  const holder = versionWithStage(s, stage);
  if (input.RemoveFromVersionId !== undefined) {
    const from = s.versions[input.RemoveFromVersionId];
    if (!from || holder !== from) {
      throw invalidParameter(`The staging label ${stage} is currently not attached to version ${input.RemoveFromVersionId}, so you can't remove it.`);
    }
  }
  if (input.MoveToVersionId !== undefined) {
    const to = s.versions[input.MoveToVersionId];
    if (!to) throw invalidParameter(`Version ${input.MoveToVersionId} not found.`);
    if (holder && holder !== to && input.RemoveFromVersionId === undefined) {
      throw invalidParameter(
        `The parameter RemoveFromVersionId can't be empty. Staging label ${stage} is currently attached to version ${holder.id}, so you must explicitly reference that version in RemoveFromVersionId.`,
      );
    }
    moveStage(s, stage, to);
  } else if (input.RemoveFromVersionId !== undefined) {
    if (stage === AWSCURRENT) throw invalidParameter("You can't remove the staging label AWSCURRENT. Instead, move it to another version.");
    holder!.stages = holder!.stages.filter((x) => x !== stage);
  }
  pruneVersions(s);
  s.lastChangedDate = st.now();
  st.save(scope, s);
  return { ARN: s.arn, Name: s.name };
}
