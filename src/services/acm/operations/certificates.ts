/** Certificates: Request/Describe/Get/List/Delete/Renew/Export, ResendValidationEmail. */
import { createPrivateKey } from 'node:crypto';
import type {
  CertificateDetail, CertificateSummary, DescribeCertificateResponse, DomainValidation, ExportCertificateRequest, ExportCertificateResponse,
  GetCertificateResponse, ListCertificatesRequest, ListCertificatesResponse, RequestCertificateRequest, RequestCertificateResponse,
  ResendValidationEmailRequest,
} from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import { decodeOffsetToken, encodeOffsetToken } from '../../../core/pagination.js';
import { uuid } from '../../../core/ids.js';
import type { AcmState } from '../state.js';
import { renewalEligibility } from '../domain/lifecycle.js';
import {
  certArn, checkDomain, checkPcaArn, checkTags, constraint, inProgress, invalidDvo, invalidState, IDEMPOTENCY_WINDOW, ISSUE_DELAY, mergeTags,
  RECORD_DELAY, resourceRecord, validation, validationEmails, type CertRecord,
} from '../domain/model.js';

const PUBLIC_KEYS = ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'];
const PRIVATE_KEYS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];
const ALL_KEYS = ['RSA_1024', ...PRIVATE_KEYS];
const STATUSES = ['PENDING_VALIDATION', 'ISSUED', 'INACTIVE', 'EXPIRED', 'VALIDATION_TIMED_OUT', 'REVOKED', 'FAILED'];

function checkEnum(value: string | undefined, member: string, allowed: string[]): void {
  if (value !== undefined && !allowed.includes(value)) throw constraint(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
}

const isSuperdomain = (parent: string, d: string) => {
  const base = d.replace(/^\*\./, '').toLowerCase();
  const p = parent.toLowerCase();
  return base === p || base.endsWith(`.${p}`);
};

export function requestCertificate(st: AcmState, scope: Scope, input: RequestCertificateRequest): RequestCertificateResponse {
  const domain = checkDomain(input.DomainName, 'domainName');
  if (domain.length > 64) throw validation(`DomainName ${domain} is longer than 64 characters; the first domain name must be at most 64 characters. Add longer names as SubjectAlternativeNames.`);
  const sansIn = input.SubjectAlternativeNames;
  if (sansIn !== undefined) {
    if (sansIn.length < 1) throw constraint('[]', 'subjectAlternativeNames', 'Member must have length greater than or equal to 1');
    if (sansIn.length > 100) throw constraint(`[${sansIn.join(', ')}]`, 'subjectAlternativeNames', 'Member must have length less than or equal to 100');
    sansIn.forEach((d, i) => checkDomain(d, `subjectAlternativeNames.${i + 1}.member`));
  }
  const names = [...new Set([domain, ...(sansIn ?? [])].map((d) => d.toLowerCase()))];
  if (names.length > 100) throw new AwsError('LimitExceededException', 'Cannot issue certificate with more than 100 domain names.', 400);
  checkEnum(input.ValidationMethod, 'validationMethod', ['EMAIL', 'DNS', 'HTTP']);
  checkEnum(input.KeyAlgorithm, 'keyAlgorithm', ALL_KEYS);
  checkEnum(input.ManagedBy, 'managedBy', ['CLOUDFRONT']);
  checkEnum(input.Options?.CertificateTransparencyLoggingPreference, 'options.certificateTransparencyLoggingPreference', ['ENABLED', 'DISABLED']);
  checkEnum(input.Options?.Export, 'options.export', ['ENABLED', 'DISABLED']);
  if (input.IdempotencyToken !== undefined && !/^\w{1,32}$/.test(input.IdempotencyToken)) {
    throw constraint(input.IdempotencyToken, 'idempotencyToken', 'Member must satisfy regular expression pattern: \\w+');
  }
  checkPcaArn(input.CertificateAuthorityArn);
  checkTags(input.Tags);
  const isPrivate = input.CertificateAuthorityArn !== undefined;
  const keyAlgorithm = input.KeyAlgorithm ?? 'RSA_2048';
  if (!(isPrivate ? PRIVATE_KEYS : PUBLIC_KEYS).includes(keyAlgorithm)) {
    throw validation(`KeyAlgorithm ${keyAlgorithm} is not supported for ${isPrivate ? 'private' : 'public'} certificates.`);
  }
  if (input.ValidationMethod === 'HTTP' && input.ManagedBy !== 'CLOUDFRONT') throw validation('HTTP validation is only available for certificates managed by CloudFront.');
  const validationMethod = isPrivate ? undefined : (input.ValidationMethod ?? 'EMAIL');
  const validations = names.map((d) => ({ domain: d, validationDomain: d.replace(/^\*\./, '') }));
  for (const o of input.DomainValidationOptions ?? []) {
    const v = validations.find((x) => x.domain === o.DomainName?.toLowerCase());
    if (!v) throw invalidDvo(`DomainValidationOption DomainName ${o.DomainName} is not a Subject Alternative Name of the certificate.`);
    if (!o.ValidationDomain || !isSuperdomain(o.ValidationDomain, v.domain)) {
      throw invalidDvo(`ValidationDomain ${o.ValidationDomain} is not a superdomain of ${o.DomainName}.`);
    }
    v.validationDomain = o.ValidationDomain.toLowerCase();
  }
  const now = st.now();
  // idempotency: the same token within an hour answers with the first certificate
  if (input.IdempotencyToken) {
    const t = st.tokens.get(scope, input.IdempotencyToken);
    if (t && now - t.at < IDEMPOTENCY_WINDOW && st.certs.get(scope, t.arn.slice(t.arn.lastIndexOf('/') + 1))) return { CertificateArn: t.arn };
  }
  const id = uuid();
  const rec: CertRecord = {
    arn: certArn(scope, id),
    type: isPrivate ? 'PRIVATE' : 'AMAZON_ISSUED',
    domainName: domain.toLowerCase(),
    sans: names,
    keyAlgorithm,
    validationMethod,
    validations,
    status: 'PENDING_VALIDATION',
    createdAt: now,
    issueAt: isPrivate ? now : now + RECORD_DELAY + ISSUE_DELAY,
    certificateAuthorityArn: input.CertificateAuthorityArn,
    options: {
      CertificateTransparencyLoggingPreference: input.Options?.CertificateTransparencyLoggingPreference ?? (isPrivate ? 'DISABLED' : 'ENABLED'),
      Export: input.Options?.Export ?? 'DISABLED',
    },
    managedBy: input.ManagedBy,
    tags: mergeTags([], input.Tags ?? []),
    inUseBy: [],
  };
  st.save(scope, rec);
  if (input.IdempotencyToken) st.tokens.put(scope, input.IdempotencyToken, { arn: rec.arn, at: now });
  return { CertificateArn: rec.arn };
}

// ---- describe / list

const date = (t: number | undefined) => (t === undefined ? undefined : new Date(t));

function validationStatus(rec: CertRecord): string {
  if (rec.status === 'PENDING_VALIDATION') return 'PENDING_VALIDATION';
  if (rec.status === 'FAILED' || rec.status === 'VALIDATION_TIMED_OUT') return 'FAILED';
  return 'SUCCESS';
}

export function domainValidations(st: AcmState, scope: Scope, rec: CertRecord): DomainValidation[] | undefined {
  if (rec.type !== 'AMAZON_ISSUED') return undefined;
  const recordVisible = st.now() >= (rec.createdAt ?? 0) + RECORD_DELAY || rec.status !== 'PENDING_VALIDATION';
  return rec.validations.map((v) => ({
    DomainName: v.domain,
    ValidationDomain: v.validationDomain,
    ValidationStatus: validationStatus(rec),
    ValidationMethod: rec.validationMethod,
    ...(rec.validationMethod === 'EMAIL' ? { ValidationEmails: validationEmails(v.validationDomain) } : {}),
    ...(rec.validationMethod === 'DNS' && recordVisible ? { ResourceRecord: resourceRecord(scope.account, v.domain) } : {}),
  }));
}


export function detail(st: AcmState, scope: Scope, rec: CertRecord): CertificateDetail {
  return {
    CertificateArn: rec.arn,
    DomainName: rec.domainName,
    SubjectAlternativeNames: [...rec.sans],
    DomainValidationOptions: domainValidations(st, scope, rec),
    Serial: rec.serial,
    Subject: rec.subject,
    Issuer: rec.issuer,
    CreatedAt: date(rec.createdAt),
    IssuedAt: date(rec.issuedAt),
    ImportedAt: date(rec.importedAt),
    RevokedAt: date(rec.revokedAt),
    RevocationReason: rec.revocationReason,
    Status: rec.status,
    FailureReason: rec.failureReason,
    NotBefore: date(rec.notBefore),
    NotAfter: date(rec.notAfter),
    KeyAlgorithm: rec.keyAlgorithm,
    SignatureAlgorithm: rec.signatureAlgorithm,
    InUseBy: [...rec.inUseBy],
    Type: rec.type,
    KeyUsages: (rec.keyUsages ?? []).map((Name) => ({ Name })),
    ExtendedKeyUsages: (rec.extendedKeyUsages ?? []).map((e) => ({ ...e })),
    CertificateAuthorityArn: rec.certificateAuthorityArn,
    RenewalEligibility: renewalEligibility(rec),
    RenewalSummary: rec.renewal
      ? { RenewalStatus: rec.renewal.status, DomainValidationOptions: domainValidations(st, scope, rec) ?? [], UpdatedAt: new Date(rec.renewal.updatedAt) }
      : undefined,
    Options: { ...rec.options },
    ManagedBy: rec.managedBy,
  };
}

export function describeCertificate(st: AcmState, scope: Scope, arn: string): DescribeCertificateResponse {
  return { Certificate: detail(st, scope, st.get(scope, arn)) };
}

function summary(rec: CertRecord): CertificateSummary {
  return {
    CertificateArn: rec.arn,
    DomainName: rec.domainName,
    SubjectAlternativeNameSummaries: rec.sans.slice(0, 100),
    HasAdditionalSubjectAlternativeNames: rec.sans.length > 100,
    Status: rec.status,
    Type: rec.type,
    KeyAlgorithm: rec.keyAlgorithm,
    KeyUsages: [...(rec.keyUsages ?? [])],
    ExtendedKeyUsages: (rec.extendedKeyUsages ?? []).map((e) => e.Name),
    InUse: rec.inUseBy.length > 0,
    Exported: rec.exported ?? false,
    ExportOption: rec.options.Export,
    RenewalEligibility: renewalEligibility(rec),
    NotBefore: date(rec.notBefore),
    NotAfter: date(rec.notAfter),
    CreatedAt: date(rec.createdAt),
    IssuedAt: date(rec.issuedAt),
    ImportedAt: date(rec.importedAt),
    RevokedAt: date(rec.revokedAt),
    ManagedBy: rec.managedBy,
  };
}

const encodeToken = encodeOffsetToken;

const matchList = (have: string[], want: string[] | undefined) =>
  !want?.length || want.includes('ANY') || want.some((w) => (w === 'NONE' ? have.length === 0 : have.includes(w)));

export function listCertificates(st: AcmState, scope: Scope, input: ListCertificatesRequest): ListCertificatesResponse {
  input.CertificateStatuses?.forEach((s, i) => checkEnum(s, `certificateStatuses.${i + 1}.member`, STATUSES));
  input.Includes?.keyTypes?.forEach((s, i) => checkEnum(s, `includes.keyTypes.${i + 1}.member`, ALL_KEYS));
  checkEnum(input.SortBy, 'sortBy', ['CREATED_AT']);
  checkEnum(input.SortOrder, 'sortOrder', ['ASCENDING', 'DESCENDING']);
  const max = input.MaxItems ?? 1000;
  if (max < 1 || max > 1000) throw constraint(String(max), 'maxItems', `Member must have value ${max < 1 ? 'greater than or equal to 1' : 'less than or equal to 1000'}`);
  // without Includes.keyTypes AWS lists RSA_1024 and RSA_2048 certificates only
  const keyTypes = input.Includes?.keyTypes?.length ? input.Includes.keyTypes : ['RSA_1024', 'RSA_2048'];
  let certs = st.all(scope).filter((c) =>
    (!input.CertificateStatuses?.length || input.CertificateStatuses.includes(c.status)) &&
    keyTypes.includes(c.keyAlgorithm) &&
    matchList(c.keyUsages ?? [], input.Includes?.keyUsage) &&
    matchList((c.extendedKeyUsages ?? []).map((e) => e.Name), input.Includes?.extendedKeyUsage) &&
    (!input.Includes?.managedBy || c.managedBy === input.Includes.managedBy) &&
    (!input.Includes?.exportOption || c.options.Export === input.Includes.exportOption));
  if (input.SortBy === 'CREATED_AT') {
    const dir = input.SortOrder === 'DESCENDING' ? -1 : 1;
    certs = [...certs].sort((a, b) => dir * ((a.createdAt ?? a.importedAt ?? 0) - (b.createdAt ?? b.importedAt ?? 0)));
  }
  const start = decodeToken(input.NextToken);
  const page = certs.slice(start, start + max);
  return { CertificateSummaryList: page.map(summary), NextToken: start + max < certs.length ? encodeToken(start + max) : undefined };
}

// ---- certificate material

export function getCertificate(st: AcmState, scope: Scope, arn: string): GetCertificateResponse {
  const rec = st.get(scope, arn);
  if (rec.status === 'PENDING_VALIDATION') throw inProgress(rec.arn);
  if (!rec.certificatePem) throw invalidState(`Certificate ${rec.arn} is in state ${rec.status}.`);
  return { Certificate: rec.certificatePem, CertificateChain: rec.chainPem || undefined };
}

export function exportCertificate(st: AcmState, scope: Scope, input: ExportCertificateRequest): ExportCertificateResponse {
  const pass = input.Passphrase === undefined ? undefined : Buffer.from(input.Passphrase);
  if (!pass) throw constraint('null', 'passphrase', 'Member must not be null');
  if (pass.length < 4) throw constraint('***', 'passphrase', 'Member must have length greater than or equal to 4');
  if (pass.length > 128) throw constraint('***', 'passphrase', 'Member must have length less than or equal to 128');
  const rec = st.get(scope, input.CertificateArn);
  if (rec.type !== 'PRIVATE' && !(rec.type === 'AMAZON_ISSUED' && rec.options.Export === 'ENABLED')) {
    throw validation(`Certificate ARN: ${rec.arn} is not a private certificate`);
  }
  if (rec.status === 'PENDING_VALIDATION') throw inProgress(rec.arn);
  if (rec.status !== 'ISSUED' || !rec.privateKeyPem) throw invalidState(`Certificate ${rec.arn} is in state ${rec.status}.`);
  rec.exported = true;
  st.save(scope, rec);
  const key = createPrivateKey(rec.privateKeyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: pass }).toString();
  return { Certificate: rec.certificatePem, CertificateChain: rec.chainPem, PrivateKey: key };
}

export function deleteCertificate(st: AcmState, scope: Scope, arn: string): void {
  const rec = st.get(scope, arn);
  if (rec.inUseBy.length) throw new AwsError('ResourceInUseException', `Certificate ${rec.arn} in use by ${rec.inUseBy.join(', ')}`, 400);
  st.certs.delete(scope, rec.arn.slice(rec.arn.lastIndexOf('/') + 1));
}

export function renewCertificate(st: AcmState, scope: Scope, arn: string): void {
  const rec = st.get(scope, arn);
  if (rec.type === 'IMPORTED' || (rec.type === 'AMAZON_ISSUED' && renewalEligibility(rec) !== 'ELIGIBLE')) {
    throw validation(`Certificate ${rec.arn} is not eligible for renewal.`);
  }
  if (rec.status === 'PENDING_VALIDATION') throw inProgress(rec.arn);
  if (rec.status !== 'ISSUED' && rec.status !== 'EXPIRED') throw invalidState(`Certificate ${rec.arn} is in state ${rec.status}.`);
  const now = st.now();
  st.issueNow(rec, now);
  rec.renewal = { status: 'SUCCESS', updatedAt: now };
  st.save(scope, rec);
}

export function resendValidationEmail(st: AcmState, scope: Scope, input: ResendValidationEmailRequest): void {
  const rec = st.get(scope, input.CertificateArn);
  checkDomain(input.Domain, 'domain');
  checkDomain(input.ValidationDomain, 'validationDomain');
  if (rec.status !== 'PENDING_VALIDATION') throw invalidState(`Certificate ${rec.arn} is not in PENDING_VALIDATION state.`);
  if (rec.validationMethod !== 'EMAIL') throw invalidState(`Certificate ${rec.arn} does not use email validation.`);
  if (!rec.validations.some((v) => v.domain === input.Domain.toLowerCase())) {
    throw invalidDvo(`Domain ${input.Domain} is not a Subject Alternative Name of the certificate.`);
  }
  if (!isSuperdomain(input.ValidationDomain, input.Domain)) throw invalidDvo(`ValidationDomain ${input.ValidationDomain} is not a superdomain of ${input.Domain}.`);
  (rec.emailsResent ??= []).push({ domain: input.Domain, validationDomain: input.ValidationDomain, at: st.now() });
  st.save(scope, rec);
}

const decodeToken = (token: string | undefined): number =>
  decodeOffsetToken(token, () => new AwsError('InvalidArgsException', 'The nextToken is invalid.', 400));
