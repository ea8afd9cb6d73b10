/** Secrets Manager records, errors with AWS's words, and the rules shared by the operations. */
import { randomBytes } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { arn } from '../../../core/arn.js';
import type { Scope } from '../../../state/store.js';
import type { Tag } from '../generated/types.js';
import type { SealedValue } from './crypto.js';

export const AWSCURRENT = 'AWSCURRENT';
export const AWSPREVIOUS = 'AWSPREVIOUS';
export const AWSPENDING = 'AWSPENDING';
/** Versions without a staging label ("deprecated") are kept up to this many, oldest dropped first. */
export const MAX_DEPRECATED_VERSIONS = 100;
export const DAY = 86_400_000;

export interface VersionRecord {
  id: string;
  /** the value, encrypted under the secret's KMS key (absent: a rotation's AWSPENDING placeholder) */
  sealed?: SealedValue;
  /** plaintext values of state written before values were encrypted (read as they are) */
  secretString?: string;
  secretBinary?: Buffer;
  stages: string[];
  createdDate: number;
  lastAccessedDate?: number;
  kmsKeyId?: string;
}

export interface RotationRecord {
  enabled: boolean;
  lambdaArn?: string;
  automaticallyAfterDays?: number;
  scheduleExpression?: string;
  duration?: string;
  lastRotatedDate?: number;
  nextRotationDate?: number;
  /** the token (AWSPENDING version id) of a rotation started and not finished */
  pendingToken?: string;
  /** why the last rotation failed (also sent as a RotationFailed event) */
  lastFailure?: { at: number; step: string; message: string };
}

/** A Region this (primary) secret is replicated to. */
export interface ReplicaRecord {
  region: string;
  kmsKeyId?: string;
  status: 'InSync' | 'Failed' | 'InProgress';
  statusMessage?: string;
}

export interface SecretRecord {
  name: string;
  arn: string;
  description?: string;
  kmsKeyId?: string;
  type?: string;
  tags: Tag[];
  createdDate: number;
  lastChangedDate: number;
  lastAccessedDate?: number;
  /** set while the secret is scheduled for deletion */
  deletedDate?: number;
  deletionDate?: number;
  /** version ids in creation order */
  order: string[];
  versions: Record<string, VersionRecord>;
  resourcePolicy?: string;
  rotation?: RotationRecord;
  /** primary secrets: the Regions it is replicated to */
  replicas?: ReplicaRecord[];
  /** replica secrets: the Region of the primary (the replica is read-only) */
  primaryRegion?: string;
}

// ---- errors (AWS's words)

export const notFound = () => new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.", 400);
export const invalidParameter = (m: string) => new AwsError('InvalidParameterException', m, 400);
export const invalidRequest = (m: string) => new AwsError('InvalidRequestException', m, 400);
export const validation = (m: string) => new AwsError('ValidationException', m, 400);
export const markedForDeletion = () => invalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
export const onReplica = () => invalidRequest("Operation not permitted on a replica secret. Call must be made in primary secret's region.");
export const encryptionFailure = () =>
  new AwsError('EncryptionFailure', "Secrets Manager can't encrypt the protected secret text using the provided KMS key. Check that the KMS key is available, enabled, and not in an invalid state. For more information, see Key state: Effect on your KMS key.", 400);
export const decryptionFailure = () => new AwsError('DecryptionFailure', "Secrets Manager can't decrypt the protected secret text using the provided KMS key.", 400);
export const constraint = (value: unknown, path: string, rule: string) =>
  validation(`1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`);

const NAME_RE = /^[A-Za-z0-9/_+=.@!-]+$/;
const INVALID_NAME = 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!';

export function checkName(name: string): void {
  if (name.length < 1 || name.length > 512) throw constraint(name, 'name', 'Member must have length less than or equal to 512');
  if (!NAME_RE.test(name)) throw validation(INVALID_NAME);
}

/** A SecretId is a name, a full ARN or a partial ARN (the ARN without the "-AbCdEf" suffix). */
export function checkSecretId(id: string): void {
  if (id.length < 1 || id.length > 2048) throw constraint(id, 'secretId', 'Member must have length less than or equal to 2048');
  if (!id.startsWith('arn:') && !NAME_RE.test(id)) throw validation(INVALID_NAME);
}

export function checkToken(token: string | undefined): void {
  if (token !== undefined && (token.length < 32 || token.length > 64)) {
    throw constraint(token, 'clientRequestToken', 'Member must have length greater than or equal to 32');
  }
}

export function checkDescription(d: string | undefined): void {
  if (d !== undefined && d.length > 2048) throw constraint(d, 'description', 'Member must have length less than or equal to 2048');
}

export function checkValue(s: string | undefined, b: Uint8Array | undefined): void {
  if (s !== undefined && b !== undefined) {
    throw invalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  }
  if (s !== undefined && Buffer.byteLength(s) > 65536) throw invalidParameter('SecretString must be less than or equal to 65536 bytes.');
  if (b !== undefined && b.length > 65536) throw invalidParameter('SecretBinary must be less than or equal to 65536 bytes.');
}

const SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function secretArn(scope: Scope, name: string): string {
  const bytes = randomBytes(6);
  let suffix = '';
  for (const b of bytes) suffix += SUFFIX_ALPHABET[b % SUFFIX_ALPHABET.length];
  return arn('secretsmanager', scope.region, scope.account, `secret:${name}-${suffix}`);
}

/** Midnight UTC of the day of `t`: AWS reports access dates at day granularity. */
export const dayOf = (t: number) => Math.floor(t / DAY) * DAY;

/** Whether a stored (decrypted) value equals the one in a request. */
export function sameValue(have: { SecretString?: string; SecretBinary?: Uint8Array }, s: string | undefined, b: Uint8Array | undefined): boolean {
  if (s !== undefined) return have.SecretString === s && have.SecretBinary === undefined;
  if (b !== undefined) return have.SecretBinary !== undefined && Buffer.compare(Buffer.from(have.SecretBinary), Buffer.from(b)) === 0;
  return have.SecretString === undefined && have.SecretBinary === undefined;
}

export const hasValue = (v: VersionRecord) => v.sealed !== undefined || v.secretString !== undefined || v.secretBinary !== undefined;

export function versionWithStage(s: SecretRecord, stage: string): VersionRecord | undefined {
  for (const id of s.order) if (s.versions[id]!.stages.includes(stage)) return s.versions[id];
  return undefined;
}

export function versionsToStages(s: SecretRecord): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const id of s.order) {
    const v = s.versions[id]!;
    if (v.stages.length) out[id] = [...v.stages];
  }
  return out;
}

/**
 * Attach `stage` to version `to`, removing it from whichever version holds it. Moving
 * AWSCURRENT hands AWSPREVIOUS to the version that held AWSCURRENT before.
 */
export function moveStage(s: SecretRecord, stage: string, to: VersionRecord): void {
  const from = versionWithStage(s, stage);
  if (from === to) return;
  if (from) from.stages = from.stages.filter((x) => x !== stage);
  if (!to.stages.includes(stage)) to.stages.push(stage);
  if (stage === AWSCURRENT && from) {
    const prev = versionWithStage(s, AWSPREVIOUS);
    if (prev) prev.stages = prev.stages.filter((x) => x !== AWSPREVIOUS);
    if (!from.stages.includes(AWSPREVIOUS)) from.stages.push(AWSPREVIOUS);
  }
}

/** Drop the oldest label-less versions beyond the quota. */
export function pruneVersions(s: SecretRecord): void {
  const deprecated = s.order.filter((id) => s.versions[id]!.stages.length === 0);
  let excess = deprecated.length - MAX_DEPRECATED_VERSIONS;
  for (const id of deprecated) {
    if (excess-- <= 0) break;
    delete s.versions[id];
    s.order = s.order.filter((x) => x !== id);
  }
}

export function addVersion(s: SecretRecord, v: VersionRecord, stages: string[]): void {
  s.versions[v.id] = v;
  s.order.push(v.id);
  for (const stage of stages) moveStage(s, stage, v);
  pruneVersions(s);
}

export function checkTags(tags: Tag[] | undefined): void {
  if (!tags) return;
  if (tags.length > 50) throw constraint('[…]', 'tags', 'Member must have length less than or equal to 50');
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128) throw constraint(t.Key ?? 'null', 'tags.member.key', 'Member must have length less than or equal to 128');
    if (t.Key.toLowerCase().startsWith('aws:')) throw invalidParameter('Invalid tag key.');
    if ((t.Value ?? '').length > 256) throw constraint(t.Value, 'tags.member.value', 'Member must have length less than or equal to 256');
  }
}

export function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of add) {
    const e = out.find((x) => x.Key === t.Key);
    if (e) e.Value = t.Value ?? '';
    else out.push({ Key: t.Key, Value: t.Value ?? '' });
  }
  return out;
}
