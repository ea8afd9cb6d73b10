/** Secrets: Create/Describe/Update/Delete/Restore/List, tags. */
import type {
  CreateSecretRequest, CreateSecretResponse, DeleteSecretRequest, DeleteSecretResponse, DescribeSecretResponse, Filter,
  ListSecretsRequest, ListSecretsResponse, SecretListEntry, Tag, UpdateSecretRequest, UpdateSecretResponse,
} from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import { decodeOffsetToken, encodeOffsetToken } from '../../../core/pagination.js';
import { uuid } from '../../../core/ids.js';
import type { SecretsState } from '../state.js';
import {
  addVersion, AWSCURRENT, AWSPENDING, AWSPREVIOUS, checkDescription, checkName, checkTags, checkToken, checkValue, constraint, DAY, invalidParameter,
  invalidRequest, mergeTags, sameValue, secretArn, versionsToStages, type SecretRecord,
} from '../domain/model.js';
import { openVersion, sealValue } from '../domain/crypto.js';
import { replicateTo, replicationStatus } from '../domain/replication.js';

export function createSecret(st: SecretsState, scope: Scope, input: CreateSecretRequest): CreateSecretResponse {
  checkName(input.Name);
  checkToken(input.ClientRequestToken);
  checkDescription(input.Description);
  checkValue(input.SecretString, input.SecretBinary);
  checkTags(input.Tags);
  st.sweep(scope);
  const existing = st.secrets.get(scope, input.Name);
  if (existing) {
    if (existing.deletedDate !== undefined) throw invalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
    // a retry with the same token and value answers as the first call did
    const v = input.ClientRequestToken ? existing.versions[input.ClientRequestToken] : undefined;
    if (v && sameValue(openVersion(st.kms, scope, existing.arn, v), input.SecretString, input.SecretBinary)) return { ARN: existing.arn, Name: existing.name, VersionId: v.id };
    throw new AwsError('ResourceExistsException', `The operation failed because the secret ${input.Name} already exists.`, 400);
  }
  const now = st.now();
  const s: SecretRecord = {
    name: input.Name,
    arn: secretArn(scope, input.Name),
    description: input.Description,
    kmsKeyId: input.KmsKeyId,
    type: input.Type,
    tags: mergeTags([], input.Tags ?? []),
    createdDate: now,
    lastChangedDate: now,
    order: [],
    versions: {},
  };
  let versionId: string | undefined;
  if (input.SecretString !== undefined || input.SecretBinary !== undefined) {
    versionId = input.ClientRequestToken ?? uuid();
    const sealed = sealValue(st.kms, scope, s.arn, versionId, input.KmsKeyId, { SecretString: input.SecretString, SecretBinary: bin(input.SecretBinary) });
    addVersion(s, { id: versionId, sealed, stages: [], createdDate: now, kmsKeyId: input.KmsKeyId }, [AWSCURRENT]);
  }
  st.save(scope, s);
  if (!input.AddReplicaRegions?.length) return { ARN: s.arn, Name: s.name, VersionId: versionId };
  replicateTo(st, scope, s, input.AddReplicaRegions, input.ForceOverwriteReplicaSecret ?? false);
  return { ARN: s.arn, Name: s.name, VersionId: versionId, ReplicationStatus: replicationStatus(st, scope, s) };
}

export const bin = (b: Uint8Array | undefined): Buffer | undefined => (b === undefined ? undefined : Buffer.from(b));

export function describeSecret(st: SecretsState, scope: Scope, id: string): DescribeSecretResponse {
  const s = st.get(scope, id, false);
  const out: DescribeSecretResponse = { ...entry(s, scope), VersionIdsToStages: versionsToStages(s) };
  if (s.replicas?.length) out.ReplicationStatus = replicationStatus(st, scope, s);
  return out;
}

function entry(s: SecretRecord, scope: Scope): Omit<SecretListEntry, 'SecretVersionsToStages'> {
  const r = s.rotation;
  return {
    PrimaryRegion: s.primaryRegion ?? (s.replicas?.length ? scope.region : undefined),
    ARN: s.arn,
    Name: s.name,
    Type: s.type,
    Description: s.description,
    KmsKeyId: s.kmsKeyId,
    RotationEnabled: r?.enabled ?? false,
    RotationLambdaARN: r?.lambdaArn,
    RotationRules: r ? { AutomaticallyAfterDays: r.automaticallyAfterDays, ScheduleExpression: r.scheduleExpression, Duration: r.duration } : undefined,
    LastRotatedDate: date(r?.lastRotatedDate),
    NextRotationDate: r?.enabled ? date(r.nextRotationDate) : undefined,
    LastChangedDate: new Date(s.lastChangedDate),
    LastAccessedDate: date(s.lastAccessedDate),
    DeletedDate: date(s.deletedDate),
    Tags: s.tags.map((t) => ({ ...t })),
    CreatedDate: new Date(s.createdDate),
  };
}

const date = (t: number | undefined) => (t === undefined ? undefined : new Date(t));

export function updateSecret(st: SecretsState, scope: Scope, input: UpdateSecretRequest): UpdateSecretResponse {
  checkToken(input.ClientRequestToken);
  checkDescription(input.Description);
  checkValue(input.SecretString, input.SecretBinary);
  const s = st.writable(scope, input.SecretId);
  const now = st.now();
  let versionId: string | undefined;
  const keyId = input.KmsKeyId ?? s.kmsKeyId;
  if (input.SecretString !== undefined || input.SecretBinary !== undefined) {
    const token = input.ClientRequestToken ?? uuid();
    const existing = s.versions[token];
    if (existing) {
      if (!sameValue(openVersion(st.kms, scope, s.arn, existing), input.SecretString, input.SecretBinary)) {
        throw new AwsError('ResourceExistsException', "You can't modify an existing version, you can only create a new version.", 400);
      }
      versionId = token;
    } else {
      const sealed = sealValue(st.kms, scope, s.arn, token, keyId, { SecretString: input.SecretString, SecretBinary: bin(input.SecretBinary) });
      addVersion(s, { id: token, sealed, stages: [], createdDate: now, kmsKeyId: keyId }, [AWSCURRENT]);
      versionId = token;
    }
  } else if (input.KmsKeyId !== undefined && input.KmsKeyId !== s.kmsKeyId) {
    // a new key re-encrypts the versions that carry AWSCURRENT, AWSPENDING or AWSPREVIOUS
    for (const id of s.order) {
      const v = s.versions[id]!;
      if (!v.stages.some((x) => x === AWSCURRENT || x === AWSPENDING || x === AWSPREVIOUS) || (!v.sealed && v.secretString === undefined && v.secretBinary === undefined)) continue;
      const plain = openVersion(st.kms, scope, s.arn, v);
      v.sealed = sealValue(st.kms, scope, s.arn, v.id, input.KmsKeyId, plain);
      delete v.secretString;
      delete v.secretBinary;
      v.kmsKeyId = input.KmsKeyId;
    }
  }
  if (input.Description !== undefined) s.description = input.Description;
  if (input.KmsKeyId !== undefined) s.kmsKeyId = input.KmsKeyId;
  if (input.Type !== undefined) s.type = input.Type;
  s.lastChangedDate = now;
  st.save(scope, s);
  return { ARN: s.arn, Name: s.name, VersionId: versionId };
}

export function deleteSecret(st: SecretsState, scope: Scope, input: DeleteSecretRequest): DeleteSecretResponse {
  const days = input.RecoveryWindowInDays;
  if (days !== undefined && input.ForceDeleteWithoutRecovery) {
    throw invalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  }
  if (days !== undefined && (days < 7 || days > 30)) {
    throw invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
  }
  const s = st.writable(scope, input.SecretId, false);
  if (s.replicas?.length) {
    throw invalidRequest(`You can't delete secret ${s.name} that still has replica Regions [${s.replicas.map((r) => r.region).join(', ')}]. Remove the replicas first.`);
  }
  const now = st.now();
  if (input.ForceDeleteWithoutRecovery) {
    st.cancelDeletion(scope, s);
    st.secrets.delete(scope, s.name);
    return { ARN: s.arn, Name: s.name, DeletionDate: new Date(now) };
  }
  if (s.deletedDate !== undefined) throw invalidRequest("You tried to perform the operation on a secret that's currently marked deleted.");
  s.deletedDate = now;
  s.deletionDate = now + (days ?? 30) * DAY;
  s.lastChangedDate = now;
  st.save(scope, s);
  st.scheduleDeletion(scope, s);
  return { ARN: s.arn, Name: s.name, DeletionDate: new Date(s.deletionDate) };
}

export function restoreSecret(st: SecretsState, scope: Scope, id: string): { ARN: string; Name: string } {
  const s = st.writable(scope, id, false);
  delete s.deletedDate;
  delete s.deletionDate;
  s.lastChangedDate = st.now();
  st.save(scope, s);
  st.cancelDeletion(scope, s);
  return { ARN: s.arn, Name: s.name };
}

// ---- ListSecrets

const FILTER_KEYS = ['description', 'name', 'tag-key', 'tag-value', 'primary-region', 'owning-service', 'all'];
const SORT_BY = ['created-date', 'last-accessed-date', 'last-changed-date', 'name'];

export function checkFilters(filters: Filter[] | undefined): void {
  if (!filters) return;
  if (filters.length > 10) throw constraint('[…]', 'filters', 'Member must have length less than or equal to 10');
  for (const f of filters) {
    if (!f.Key || !FILTER_KEYS.includes(f.Key)) {
      throw constraint(f.Key ?? 'null', 'filters.member.key', `Member must satisfy enum value set: [${FILTER_KEYS.join(', ')}]`);
    }
    if (!f.Values?.length) throw invalidParameter('Invalid filter values');
    if (f.Values.length > 10) throw constraint('[…]', 'filters.member.values', 'Member must have length less than or equal to 10');
  }
}

const WORD_SEPARATORS = /[/_+=.@\- ]+/;

/**
 * name, description, tag-key and tag-value: case-sensitive prefix match; all: case-insensitive
 * prefix match against the words of the name and description and the tag keys and values.
 * A value starting with "!" negates; several values of one filter are or-ed, filters and-ed.
 */
export function matchesFilters(s: SecretRecord, filters: Filter[] | undefined, region: string): boolean {
  for (const f of filters ?? []) {
    let fields: string[];
    let fold = false;
    switch (f.Key) {
      case 'name': fields = [s.name]; break;
      case 'description': fields = s.description ? [s.description] : []; break;
      case 'tag-key': fields = s.tags.map((t) => t.Key!); break;
      case 'tag-value': fields = s.tags.map((t) => t.Value ?? ''); break;
      case 'primary-region': fields = [s.primaryRegion ?? region]; break;
      case 'owning-service': fields = []; break;
      default:
        fold = true;
        fields = [...s.name.split(WORD_SEPARATORS), s.name, ...(s.description ?? '').split(WORD_SEPARATORS), ...s.tags.map((t) => t.Key!), ...s.tags.map((t) => t.Value ?? '')];
    }
    if (fold) fields = fields.map((x) => x.toLowerCase());
    const values = (f.Values ?? []).map((v) => (fold ? v.toLowerCase() : v));
    const neg = values.filter((v) => v.startsWith('!')).map((v) => v.slice(1));
    const pos = values.filter((v) => !v.startsWith('!'));
    if (neg.some((v) => fields.some((x) => x.startsWith(v)))) return false;
    if (pos.length && !pos.some((v) => fields.some((x) => x.startsWith(v)))) return false;
  }
  return true;
}



export function listSecrets(st: SecretsState, scope: Scope, input: ListSecretsRequest): ListSecretsResponse {
  checkFilters(input.Filters);
  const max = input.MaxResults ?? 100;
  if (max < 1 || max > 100) throw constraint(max, 'maxResults', 'Member must have value less than or equal to 100');
  if (input.SortBy !== undefined && !SORT_BY.includes(input.SortBy)) throw constraint(input.SortBy, 'sortBy', `Member must satisfy enum value set: [${SORT_BY.join(', ')}]`);
  if (input.SortOrder !== undefined && !['asc', 'desc'].includes(input.SortOrder)) throw constraint(input.SortOrder, 'sortOrder', 'Member must satisfy enum value set: [asc, desc]');
  st.sweep(scope);
  const all = [...st.secrets.values(scope)].filter(
    (s) => (input.IncludePlannedDeletion || s.deletedDate === undefined) && matchesFilters(s, input.Filters, scope.region),
  );
  const key = (s: SecretRecord): number | string => {
    switch (input.SortBy) {
      case 'name': return s.name;
      case 'last-accessed-date': return s.lastAccessedDate ?? 0;
      case 'last-changed-date': return s.lastChangedDate;
      default: return s.createdDate;
    }
  };
  const dir = input.SortOrder === 'desc' ? -1 : 1;
  all.sort((a, b) => {
    const ka = key(a), kb = key(b);
    return ka < kb ? -dir : ka > kb ? dir : 0;
  });
  const start = decodeToken(input.NextToken);
  const page = all.slice(start, start + max);
  const out: ListSecretsResponse = { SecretList: page.map((s) => ({ ...entry(s, scope), SecretVersionsToStages: versionsToStages(s) })) };
  if (start + max < all.length) out.NextToken = encodeToken(start + max);
  return out;
}

// ---- tags

export function tagResource(st: SecretsState, scope: Scope, id: string, tags: Tag[]): void {
  checkTags(tags);
  const s = st.writable(scope, id);
  s.tags = mergeTags(s.tags, tags);
  if (s.tags.length > 50) throw invalidRequest('The request failed because it would exceed the maximum number of tags (50) allowed on the secret.');
  s.lastChangedDate = st.now();
  st.save(scope, s);
}

export function untagResource(st: SecretsState, scope: Scope, id: string, keys: string[]): void {
  const s = st.writable(scope, id);
  s.tags = s.tags.filter((t) => !keys.includes(t.Key!));
  s.lastChangedDate = st.now();
  st.save(scope, s);
}

export const encodeToken = encodeOffsetToken;
export const decodeToken = (token: string | undefined): number =>
  decodeOffsetToken(token, () => new AwsError('InvalidNextTokenException', 'The NextToken value is invalid.', 400));
