/** PEM certificates and keys for server and signing certificates (node:crypto's X509Certificate). */
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';

export const malformedCertificate = (message: string) => new AwsError('MalformedCertificateException', message, 400);

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate in a PEM text, in order; MalformedCertificate when one does not parse or none is there. */
export function parseCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (!blocks.length) throw malformedCertificate('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  return blocks.map((b) => {
    try {
      return new X509Certificate(b);
    } catch {
      throw malformedCertificate('Unable to parse certificate. Please ensure the certificate is in PEM format.');
    }
  });
}

/** The one certificate of a certificate body (a body carrying a chain is refused). */
export function parseCertificate(pem: string): X509Certificate {
  const certs = parseCertificates(pem);
  if (certs.length !== 1) throw malformedCertificate('Unable to parse certificate. Please ensure the certificate is in PEM format.');
  return certs[0]!;
}

/** An unencrypted PEM private key (PKCS#1, PKCS#8 or SEC1). */
export function parsePrivateKey(pem: string): KeyObject {
  if (!/-----BEGIN (?:RSA |EC )?PRIVATE KEY-----/.test(pem)) throw malformedCertificate('Unable to parse private key. Please ensure the private key is in PEM format and not encrypted.');
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw malformedCertificate('Unable to parse private key. Please ensure the private key is in PEM format and not encrypted.');
  }
}

/**
 * A chain must start with the certificate that signed the body, each next one signing the one
 * before. The index AWS reports: -1 when the body is not signed by the first, else the position
 * of the chain certificate not signed by its successor.
 */
export function checkChain(leaf: X509Certificate, chain: X509Certificate[]): void {
  const fail = (index: number) =>
    malformedCertificate(`Unable to validate certificate chain. The certificate chain must start with the immediate signing certificate, followed by any intermediaries in order. The index within the chain of the invalid certificate is: ${index}`);
  if (!signedBy(leaf, chain[0]!)) throw fail(-1);
  for (let i = 0; i + 1 < chain.length; i++) if (!signedBy(chain[i]!, chain[i + 1]!)) throw fail(i);
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/** The certificate in a stable PEM form (for duplicate checks and answers). */
export const canonicalPem = (cert: X509Certificate): string => cert.toString().trim();
