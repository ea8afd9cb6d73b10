/** ACM's certificate record, AWS's errors and input validation. */
import { createHash } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { arn } from '../../../core/arn.js';
import type { Scope } from '../../../state/store.js';
import type { Tag } from '../generated/types.js';

export const SECOND = 1000;
export const DAY = 86_400_000;
/** Emulated DNS validation: the CNAME appears after RECORD_DELAY, the certificate is issued after ISSUE_DELAY. */
export const RECORD_DELAY = 5 * SECOND;
export const ISSUE_DELAY = 60 * SECOND;
export const VALIDITY_DAYS = 395;
export const IDEMPOTENCY_WINDOW = 3_600_000;
/** ACM renews eligible certificates it issued this long before they expire (managed renewal). */
export const RENEWAL_WINDOW = 60 * DAY;

export interface DomainValidationRecord {
  domain: string;
  validationDomain: string;
}

export interface CertRecord {
  arn: string;
  type: 'AMAZON_ISSUED' | 'IMPORTED' | 'PRIVATE';
  domainName: string;
  sans: string[];
  /** RSA_2048, EC_prime256v1, … */
  keyAlgorithm: string;
  validationMethod?: string;
  validations: DomainValidationRecord[];
  status: string;
  failureReason?: string;
  createdAt?: number;
  /** when the pending certificate gets issued (virtual clock) */
  issueAt?: number;
  issuedAt?: number;
  importedAt?: number;
  revokedAt?: number;
  revocationReason?: string;
  certificateAuthorityArn?: string;
  options: { CertificateTransparencyLoggingPreference?: string; Export?: string };
  managedBy?: string;
  tags: Tag[];
  inUseBy: string[];
  exported?: boolean;
  // X.509 material (once issued or imported)
  certificatePem?: string;
  chainPem?: string;
  privateKeyPem?: string;
  subject?: string;
  issuer?: string;
  serial?: string;
  notBefore?: number;
  notAfter?: number;
  signatureAlgorithm?: string;
  keyUsages?: string[];
  extendedKeyUsages?: { Name: string; OID?: string }[];
  renewal?: { status: string; updatedAt: number };
  /** when the last "ACM Certificate Approaching Expiration" event was sent (one a day) */
  expiryEventAt?: number;
  emailsResent?: { domain: string; validationDomain: string; at: number }[];
}

export const certArn = (scope: Scope, id: string) => arn('acm', scope.region, scope.account, `certificate/${id}`);

// ---- errors (AWS's codes and words)

export const validation = (message: string) => new AwsError('ValidationException', message, 400);
export const constraint = (value: string, member: string, rule: string) =>
  validation(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${rule}`);
export const notFound = (a: string) => new AwsError('ResourceNotFoundException', `Could not find certificate with arn ${a}.`, 400);
export const invalidArn = (a: string) => new AwsError('InvalidArnException', `String '${a}' is not a valid ARN.`, 400);
export const inProgress = (a: string) => new AwsError('RequestInProgressException', `Certificate ${a} is pending validation.`, 400);
export const invalidDvo = (message: string) => new AwsError('InvalidDomainValidationOptionsException', message, 400);
export const invalidState = (message: string) => new AwsError('InvalidStateException', message, 400);

const ARN_PATTERN = /^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;
const PCA_ARN_PATTERN = /^arn:[\w+=/,.@-]+:acm-pca:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;

/** ValidationException for a malformed ARN, InvalidArnException for a well-formed one that is no certificate. */
export function checkArn(a: string | undefined, member = 'certificateArn'): string {
  if (a === undefined || a === null) throw constraint('null', member, 'Member must not be null');
  if (a.length < 20 || a.length > 2048 || !ARN_PATTERN.test(a)) {
    throw constraint(a, member, `Member must satisfy regular expression pattern: ${ARN_PATTERN.source.slice(1, -1)}`);
  }
  if (!/:certificate\/[\w-]+$/.test(a)) throw invalidArn(a);
  return a;
}

export function checkPcaArn(a: string | undefined): void {
  if (a === undefined) return;
  if (!PCA_ARN_PATTERN.test(a) || !/:certificate-authority\/[\w-]+$/.test(a)) throw new AwsError('InvalidArnException', `String '${a}' is not a valid ARN.`, 400);
}

const DOMAIN_PATTERN = /^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$/;

export function checkDomain(d: string | undefined, member: string): string {
  if (d === undefined || d === null) throw constraint('null', member, 'Member must not be null');
  if (d.length < 1) throw constraint(d, member, 'Member must have length greater than or equal to 1');
  if (d.length > 253) throw constraint(d, member, 'Member must have length less than or equal to 253');
  if (!DOMAIN_PATTERN.test(d)) throw constraint(d, member, `Member must satisfy regular expression pattern: ${DOMAIN_PATTERN.source.slice(1, -1)}`);
  return d;
}

/** The record name/value pair ACM asks for: stable per account and domain, as AWS's are. */
export function resourceRecord(account: string, domain: string): { Name: string; Type: string; Value: string } {
  const base = domain.replace(/^\*\./, '').toLowerCase();
  const h = (s: string) => createHash('sha256').update(s).digest('hex');
  const name = h(`name/${account}/${base}`).slice(0, 32);
  const value = h(`value/${account}/${base}`);
  const label = [...value.slice(32, 42)].map((c) => String.fromCharCode(97 + (parseInt(c, 16) % 26))).join('');
  return { Name: `_${name}.${base}.`, Type: 'CNAME', Value: `_${value.slice(0, 32)}.${label}.acm-validations.aws.` };
}

/** The five addresses ACM mails for email validation. */
export const validationEmails = (validationDomain: string) =>
  ['admin', 'administrator', 'hostmaster', 'postmaster', 'webmaster'].map((u) => `${u}@${validationDomain.replace(/^\*\./, '')}`);

// ---- tags

const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function checkTags(tags: Tag[] | undefined, member = 'tags'): void {
  if (!tags) return;
  if (tags.length < 1) throw constraint('[]', member, 'Member must have length greater than or equal to 1');
  if (tags.length > 50) throw new AwsError('TooManyTagsException', 'the TagSet: {…} contains too many Tags', 400);
  for (const t of tags) {
    if (!t.Key || t.Key.length > 128 || !TAG_KEY.test(t.Key)) throw new AwsError('InvalidTagException', `Tag key ${JSON.stringify(t.Key ?? '')} is invalid.`, 400);
    if (t.Key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidTagException', 'aws: prefixed tag key names are not allowed for external use.', 400);
    if (t.Value !== undefined && (t.Value.length > 256 || !TAG_KEY.test(t.Value))) throw new AwsError('InvalidTagException', `Tag value ${JSON.stringify(t.Value)} is invalid.`, 400);
  }
}

export function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const out = existing.map((t) => ({ ...t }));
  for (const t of add) {
    const i = out.findIndex((x) => x.Key === t.Key);
    if (i >= 0) out[i] = { ...t };
    else out.push({ ...t });
  }
  if (out.length > 50) throw new AwsError('TooManyTagsException', 'the TagSet contains too many Tags', 400);
  return out;
}
