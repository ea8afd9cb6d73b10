/** RevokeCertificate and UpdateCertificateOptions. */
import type { RevokeCertificateRequest, RevokeCertificateResponse, UpdateCertificateOptionsRequest } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import type { AcmState } from '../state.js';
import { constraint, invalidState, validation } from '../domain/model.js';

const REASONS = [
  'UNSPECIFIED', 'KEY_COMPROMISE', 'CA_COMPROMISE', 'AFFILIATION_CHANGED', 'SUPERCEDED', 'SUPERSEDED', 'CESSATION_OF_OPERATION',
  'CERTIFICATE_HOLD', 'REMOVE_FROM_CRL', 'PRIVILEGE_WITHDRAWN', 'A_A_COMPROMISE',
];
const conflict = (m: string) => new AwsError('ConflictException', m, 400);

const checkEnum = (value: string | undefined, member: string, allowed: string[]) => {
  if (value !== undefined && !allowed.includes(value)) throw constraint(value, member, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
};

/**
 * Revokes a certificate that was exported (exportable public or private): permanently REVOKED,
 * with RevokedAt and RevocationReason. A certificate in use by another service cannot be revoked.
 */
export function revokeCertificate(st: AcmState, scope: Scope, input: RevokeCertificateRequest): RevokeCertificateResponse {
  if (input.RevocationReason === undefined) throw constraint('null', 'revocationReason', 'Member must not be null');
  checkEnum(input.RevocationReason, 'revocationReason', REASONS);
  const rec = st.get(scope, input.CertificateArn);
  if (rec.status === 'REVOKED') throw conflict(`Certificate ${rec.arn} is already revoked.`);
  if (rec.type === 'IMPORTED') throw validation(`Certificate ${rec.arn} is an imported certificate: revoke it with the authority that issued it.`);
  if (!rec.exported) throw validation(`Certificate ${rec.arn} has not been exported. You can only revoke certificates that were previously exported.`);
  if (rec.inUseBy.length) throw new AwsError('ResourceInUseException', `Certificate ${rec.arn} in use by ${rec.inUseBy.join(', ')}`, 400);
  rec.status = 'REVOKED';
  rec.revokedAt = st.now();
  rec.revocationReason = input.RevocationReason;
  st.save(scope, rec);
  return { CertificateArn: rec.arn };
}

/**
 * Certificate options: the certificate transparency logging preference (ACM-issued certificates)
 * and the domain validation method of a public certificate (used for its renewals). Export is
 * chosen at request time and cannot be changed.
 */
export function updateCertificateOptions(st: AcmState, scope: Scope, input: UpdateCertificateOptionsRequest): void {
  if (!input.Options) throw constraint('null', 'options', 'Member must not be null');
  const o = input.Options;
  checkEnum(o.CertificateTransparencyLoggingPreference, 'options.certificateTransparencyLoggingPreference', ['ENABLED', 'DISABLED']);
  checkEnum(o.Export, 'options.export', ['ENABLED', 'DISABLED']);
  checkEnum(o.ValidationMethod, 'options.validationMethod', ['EMAIL', 'DNS', 'HTTP']);
  const rec = st.get(scope, input.CertificateArn);
  if (rec.type === 'IMPORTED') throw invalidState(`Certificate ${rec.arn} is an imported certificate: its options cannot be updated.`);
  if (rec.status !== 'ISSUED' && rec.status !== 'PENDING_VALIDATION') throw invalidState(`Certificate ${rec.arn} is in state ${rec.status}.`);
  if (o.Export !== undefined && o.Export !== (rec.options.Export ?? 'DISABLED')) throw validation('The Export option of a certificate cannot be changed after it is requested.');
  if (o.ValidationMethod !== undefined) {
    if (rec.type !== 'AMAZON_ISSUED') throw invalidState(`Certificate ${rec.arn} is a private certificate: it has no domain validation.`);
    if (o.ValidationMethod === 'HTTP' && rec.managedBy !== 'CLOUDFRONT') throw validation('HTTP validation is only available for certificates managed by CloudFront.');
    rec.validationMethod = o.ValidationMethod;
  }
  if (o.CertificateTransparencyLoggingPreference !== undefined) rec.options.CertificateTransparencyLoggingPreference = o.CertificateTransparencyLoggingPreference;
  st.save(scope, rec);
}
