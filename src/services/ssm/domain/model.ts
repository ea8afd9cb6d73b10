/** Parameter Store records, name rules and errors with AWS's words. */
import { AwsError } from '../../../core/errors.js';
import { decodeOffsetToken, encodeOffsetToken } from '../../../core/pagination.js';
import { arn } from '../../../core/arn.js';
import type { Scope } from '../../../state/store.js';
import type { Tag } from '../generated/types.js';
import type { EncryptedValue } from './crypto.js';

export const MAX_VERSIONS = 100;
export const TYPES = ['String', 'StringList', 'SecureString'];
export const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'];
export const DATA_TYPES = ['text', 'aws:ec2:image', 'aws:ssm:integration'];
export const DEFAULT_KEY = 'alias/aws/ssm';

export interface ParamVersion {
  version: number;
  /** the value ('' for a SecureString: its value is in `encrypted`) */
  value: string;
  /** SecureString: the value encrypted through KMS (base64), answered without WithDecryption */
  encrypted?: EncryptedValue;
  /** SecureString values written before KMS encryption: a stand-in blob (`value` holds the plaintext) */
  cipher?: string;
  /** parameter policy types whose action has happened for this version (PolicyStatus Finished) */
  policiesDone?: string[];
  type: string;
  description?: string;
  allowedPattern?: string;
  keyId?: string;
  tier: string;
  dataType: string;
  labels: string[];
  policies?: string;
  lastModifiedDate: number;
  lastModifiedUser: string;
}

export interface ParamRecord {
  name: string;
  /** ascending by version; at most MAX_VERSIONS */
  versions: ParamVersion[];
  tags: Tag[];
}

export const latest = (p: ParamRecord): ParamVersion => p.versions[p.versions.length - 1]!;

export function paramArn(scope: Scope, name: string, account = scope.account): string {
  return arn('ssm', scope.region, account, `parameter${name.startsWith('/') ? '' : '/'}${name}`);
}


// ---- errors

export const validation = (m: string) => new AwsError('ValidationException', m, 400);
export const constraint = (value: unknown, path: string, rule: string) =>
  validation(`1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`);
export const paramNotFound = (name: string) => new AwsError('ParameterNotFound', `Parameter ${name} not found.`, 400);
export const versionNotFound = (name: string, v: number | string) =>
  new AwsError('ParameterVersionNotFound', `Systems Manager could not find version ${v} of ${name}. Verify the version and try again.`, 400);

const PATH_RULES =
  'If formed as a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a mix of letters, numbers and the following 3 symbols .-_';
export const BAD_PATH =
  'The parameter doesn\'t meet the parameter name requirements. The parameter name must begin with a forward slash "/". It can\'t be prefixed with "aws" or "ssm" (case-insensitive). It must use only letters, numbers, or the following symbols: . (period), - (hyphen), _ (underscore). Special characters are not allowed. All sub-paths, if specified, must use the forward slash symbol "/". Valid example: /get/parameters2-/by1./path0_.';

const NAME_CHARS = /^[a-zA-Z0-9_.\-/]+$/;

/** Name rules for a parameter being written. */
export function checkWritableName(name: string): void {
  if (name.length < 1 || name.length > 2048) throw constraint(name, 'name', 'Member must have length less than or equal to 2048');
  const bare = name.replace(/^\//, '').toLowerCase();
  if (bare.startsWith('aws') || bare.startsWith('ssm')) {
    const isPath = (name.match(/\//g) ?? []).length > 1;
    if (name.toLowerCase().startsWith('/aws') && isPath) throw new AwsError('AccessDeniedException', `No access to reserved parameter name: ${name}.`, 400);
    throw validation(isPath ? `Parameter name: can't be prefixed with "ssm" (case-insensitive). ${PATH_RULES}` : 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).');
  }
  if (!NAME_CHARS.test(name) || name.endsWith('/') || name.includes('//')) {
    throw validation(`Parameter name: can't be prefixed with "aws" or "ssm" (case-insensitive). ${PATH_RULES}`);
  }
  if (name.includes('/') && !name.startsWith('/')) throw validation('Parameter name must be a fully qualified name.');
  if (name.length > 1011) throw validation('Parameter name is too long. The maximum length for a parameter name, including the full length of the parameter ARN, is 1011 characters.');
  if (name.split('/').length - 1 > 15) {
    throw new AwsError('HierarchyLevelLimitExceededException', 'A hierarchy can have a maximum of 15 levels. For more information, see https://docs.aws.amazon.com/systems-manager/latest/userguide/sysman-paramstore-su-create.html', 400);
  }
}

/** Label rules: 1–100 chars of [a-zA-Z0-9_.-], not starting with a digit, "aws" or "ssm". */
export function validLabel(label: string): boolean {
  if (label.length < 1 || label.length > 100) return false;
  const l = label.toLowerCase();
  if (l.startsWith('aws') || l.startsWith('ssm') || /^[0-9]/.test(label)) return false;
  return /^[a-zA-Z0-9_.-]+$/.test(label);
}

export function checkTags(tags: Tag[] | undefined): void {
  for (const t of tags ?? []) {
    if (!t.Key || t.Key.length > 128) throw constraint(t.Key ?? 'null', 'tags.member.key', 'Member must have length less than or equal to 128');
    if (t.Value === undefined || t.Value.length > 256) throw constraint(t.Value ?? 'null', 'tags.member.value', 'Member must have length less than or equal to 256');
    if (t.Key.toLowerCase().startsWith('aws:')) throw new AwsError('ValidationException', 'Tag keys beginning with aws: are reserved for AWS use.', 400);
  }
}

export function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of add) {
    const e = out.find((x) => x.Key === t.Key);
    if (e) e.Value = t.Value;
    else out.push({ Key: t.Key, Value: t.Value });
  }
  return out;
}



export const encodeToken = encodeOffsetToken;
export const decodeToken = (token: string | undefined): number =>
  decodeOffsetToken(token, () => new AwsError('InvalidNextToken', "The specified token isn't valid.", 400));
