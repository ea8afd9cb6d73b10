/**
 * gureum's local certificate authority: an RSA root and an intermediate, created once per data
 * directory and kept in state. Amazon-issued and private certificates are issued by the
 * intermediate; GetCertificate's chain is intermediate + root.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { buildCertificate, keyIdentifier, OID } from './x509.js';
import { DAY, VALIDITY_DAYS } from './model.js';

export interface CaMaterial {
  rootPem: string;
  intermediatePem: string;
  intermediateKeyPem: string;
}

const ROOT_NAME: [string, string][] = [[OID.C, 'US'], [OID.O, 'gureum'], [OID.CN, 'gureum Local Root CA 1']];
const INTERMEDIATE_NAME: [string, string][] = [[OID.C, 'US'], [OID.O, 'gureum'], [OID.CN, 'gureum Local RSA 2048 M01']];

export function serial(): Buffer {
  const s = randomBytes(16);
  s[0] = (s[0]! & 0x7f) | 0x01;
  return s;
}

export function createCa(nowMs: number): CaMaterial {
  const root = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const inter = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const from = nowMs - DAY;
  const rootPem = buildCertificate({
    subject: ROOT_NAME, issuer: ROOT_NAME, serial: serial(), notBefore: from, notAfter: from + 25 * 365 * DAY,
    publicKey: root.publicKey, signingKey: root.privateKey, ca: true, keyUsage: ['DIGITAL_SIGNATURE', 'CERTIFICATE_SIGNING', 'CRL_SIGNING'],
  });
  const intermediatePem = buildCertificate({
    subject: INTERMEDIATE_NAME, issuer: ROOT_NAME, serial: serial(), notBefore: from, notAfter: from + 15 * 365 * DAY,
    publicKey: inter.publicKey, signingKey: root.privateKey, ca: true, pathLen: 0,
    keyUsage: ['DIGITAL_SIGNATURE', 'CERTIFICATE_SIGNING', 'CRL_SIGNING'], extKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    authorityKeyId: keyIdentifier(root.publicKey),
  });
  return { rootPem, intermediatePem, intermediateKeyPem: inter.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

const KEY_PARAMS: Record<string, Parameters<typeof generateKeyPairSync>> = {
  RSA_1024: ['rsa', { modulusLength: 1024 }] as never,
  RSA_2048: ['rsa', { modulusLength: 2048 }] as never,
  RSA_3072: ['rsa', { modulusLength: 3072 }] as never,
  RSA_4096: ['rsa', { modulusLength: 4096 }] as never,
  EC_prime256v1: ['ec', { namedCurve: 'prime256v1' }] as never,
  EC_secp384r1: ['ec', { namedCurve: 'secp384r1' }] as never,
  EC_secp521r1: ['ec', { namedCurve: 'secp521r1' }] as never,
};

export interface Issued {
  certificatePem: string;
  chainPem: string;
  privateKeyPem: string;
}

const keyCache = new WeakMap<CaMaterial, KeyObject>();

/** A fresh key pair of `keyAlgorithm` and an end-entity certificate for `domains` (the first is the CN). */
export function issue(ca: CaMaterial, keyAlgorithm: string, domains: string[], notBefore: number): Issued {
  const [type, opts] = KEY_PARAMS[keyAlgorithm] ?? KEY_PARAMS.RSA_2048!;
  const pair = generateKeyPairSync(type as 'rsa', opts as { modulusLength: number }) as unknown as { publicKey: KeyObject; privateKey: KeyObject };
  let caKey = keyCache.get(ca);
  if (!caKey) keyCache.set(ca, (caKey = createPrivateKey(ca.intermediateKeyPem)));
  const certificatePem = buildCertificate({
    subject: [[OID.CN, domains[0]!]], issuer: INTERMEDIATE_NAME, serial: serial(),
    notBefore, notAfter: notBefore + VALIDITY_DAYS * DAY - 1000,
    publicKey: pair.publicKey, signingKey: caKey, ca: false,
    keyUsage: pair.publicKey.asymmetricKeyType === 'rsa' ? ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'] : ['DIGITAL_SIGNATURE'],
    extKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    dnsNames: domains,
    authorityKeyId: keyIdentifier(createPublicKey(ca.intermediatePem)),
  });
  return {
    certificatePem,
    chainPem: ca.intermediatePem + ca.rootPem,
    privateKeyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
