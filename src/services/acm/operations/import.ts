/** ImportCertificate: parse and check the PEM certificate, private key and chain (pkijs + node:crypto). */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { ImportCertificateRequest, ImportCertificateResponse } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { uuid } from '../../../core/ids.js';
import type { AcmState } from '../state.js';
import { certArn, checkTags, constraint, mergeTags, validation, type CertRecord } from '../domain/model.js';
import { inspect, pemBlocks, type CertInfo } from '../domain/x509.js';

const SUPPORTED_KEYS = ['RSA_1024', 'RSA_2048', 'RSA_3072', 'RSA_4096', 'EC_prime256v1', 'EC_secp384r1', 'EC_secp521r1'];

const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : Buffer.from(b).toString('utf8'));

function parseCertificate(pem: string): { info: CertInfo; x509: X509Certificate; pem: string } {
  const blocks = pemBlocks(pem).filter((b) => b.label === 'CERTIFICATE');
  if (blocks.length > 1) throw validation('The certificate field contains more than one certificate. You can specify only one certificate in this field.');
  const b = blocks[0];
  if (!b) throw validation('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  try {
    return { info: inspect(b.der), x509: new X509Certificate(b.der), pem: b.pem };
  } catch {
    throw validation('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  }
}

function parseKey(pem: string): KeyObject {
  if (/ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(pem)) throw validation('The private key is encrypted. Provide an unencrypted private key.');
  try {
    return createPrivateKey(pem);
  } catch {
    throw validation('Unable to parse key; the key must be an unencrypted PEM-encoded private key.');
  }
}

function parseChain(pem: string): X509Certificate[] {
  const blocks = pemBlocks(pem);
  if (!blocks.length || blocks.some((b) => b.label !== 'CERTIFICATE')) throw validation('Unable to parse certificate chain. Please ensure the chain is PEM-encoded.');
  try {
    return blocks.map((b) => new X509Certificate(b.der));
  } catch {
    throw validation('Unable to parse certificate chain. Please ensure the chain is PEM-encoded.');
  }
}

export function importCertificate(st: AcmState, scope: Scope, input: ImportCertificateRequest): ImportCertificateResponse {
  const certText = text(input.Certificate);
  const keyText = text(input.PrivateKey);
  if (certText === undefined) throw constraint('null', 'certificate', 'Member must not be null');
  if (keyText === undefined) throw constraint('null', 'privateKey', 'Member must not be null');
  if (certText.length > 32768) throw constraint('…', 'certificate', 'Member must have length less than or equal to 32768');
  if (keyText.length > 5120) throw constraint('…', 'privateKey', 'Member must have length less than or equal to 5120');
  checkTags(input.Tags);
  const existing = input.CertificateArn !== undefined ? st.get(scope, input.CertificateArn) : undefined;
  if (existing && existing.type !== 'IMPORTED') throw validation(`Certificate ${existing.arn} is not an imported certificate; only imported certificates can be reimported.`);
  if (existing && input.Tags?.length) throw validation('Tags cannot be specified when reimporting a certificate.');

  const { info, x509, pem } = parseCertificate(certText);
  const key = parseKey(keyText);
  if (!SUPPORTED_KEYS.includes(info.keyAlgorithm)) throw validation('The certificate key algorithm is not supported.');
  if (!x509.checkPrivateKey(key)) throw validation('The private key does not match the public key in the certificate.');
  const now = st.now();
  if (info.notAfter < now) throw validation('The certificate has expired, is not valid.');
  if (info.notBefore > now) throw validation('The certificate is not in effect yet, is not valid.');
  let chainPem: string | undefined;
  const chainText = text(input.CertificateChain);
  if (chainText !== undefined && chainText.trim()) {
    const chain = parseChain(chainText);
    // the certificate must be signed by a certificate of the chain (or be self-signed)
    if (!x509.verify(x509.publicKey) && !chain.some((c) => x509.checkIssued(c) && x509.verify(c.publicKey))) {
      throw validation('Could not validate the certificate with the certificate chain.');
    }
    chainPem = chain.map((c) => c.toString()).join('');
  }

  const rec: CertRecord = existing ?? {
    arn: certArn(scope, uuid()),
    type: 'IMPORTED',
    domainName: '',
    sans: [],
    keyAlgorithm: info.keyAlgorithm,
    validations: [],
    status: 'ISSUED',
    options: { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED' },
    tags: mergeTags([], input.Tags ?? []),
    inUseBy: [],
  };
  Object.assign(rec, {
    domainName: info.commonName ?? info.dnsNames[0] ?? '',
    sans: info.dnsNames,
    keyAlgorithm: info.keyAlgorithm,
    status: 'ISSUED',
    importedAt: now,
    certificatePem: pem,
    chainPem,
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    subject: info.subject,
    issuer: info.issuer,
    serial: info.serial,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    signatureAlgorithm: info.signatureAlgorithm,
    keyUsages: info.keyUsages,
    extendedKeyUsages: info.extendedKeyUsages,
  });
  st.save(scope, rec);
  return { CertificateArn: rec.arn };
}
