/**
 * X.509 with pkijs/asn1js: build certificates synchronously (the TBSCertificate is encoded by
 * pkijs and signed with node:crypto, so no WebCrypto promise is involved) and read the fields
 * ACM reports (key usages, extended key usages, SANs, signature algorithm) from a certificate.
 */
import { createHash, createPublicKey, sign, X509Certificate, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID = {
  CN: '2.5.4.3', O: '2.5.4.10', C: '2.5.4.6',
  basicConstraints: '2.5.29.19', keyUsage: '2.5.29.15', extKeyUsage: '2.5.29.37', subjectAltName: '2.5.29.17',
  subjectKeyId: '2.5.29.14', authorityKeyId: '2.5.29.35',
  sha256WithRSA: '1.2.840.113549.1.1.11', ecdsaWithSHA256: '1.2.840.10045.4.3.2', ecdsaWithSHA384: '1.2.840.10045.4.3.3',
} as const;

/** KeyUsage bit (0 = most significant bit of the first byte) → ACM's name. */
export const KEY_USAGE_BITS = [
  'DIGITAL_SIGNATURE', 'NON_REPUDIATION', 'KEY_ENCIPHERMENT', 'DATA_ENCIPHERMENT', 'KEY_AGREEMENT',
  'CERTIFICATE_SIGNING', 'CRL_SIGNING', 'ENCIPHER_ONLY', 'DECIPHER_ONLY',
] as const;

export const EKU_NAMES: Record<string, string> = {
  '1.3.6.1.5.5.7.3.1': 'TLS_WEB_SERVER_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.2': 'TLS_WEB_CLIENT_AUTHENTICATION',
  '1.3.6.1.5.5.7.3.3': 'CODE_SIGNING',
  '1.3.6.1.5.5.7.3.4': 'EMAIL_PROTECTION',
  '1.3.6.1.5.5.7.3.5': 'IPSEC_END_SYSTEM',
  '1.3.6.1.5.5.7.3.6': 'IPSEC_TUNNEL',
  '1.3.6.1.5.5.7.3.7': 'IPSEC_USER',
  '1.3.6.1.5.5.7.3.8': 'TIME_STAMPING',
  '1.3.6.1.5.5.7.3.9': 'OCSP_SIGNING',
  '2.5.29.37.0': 'ANY',
};

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'MD5WITHRSA',
  '1.2.840.113549.1.1.5': 'SHA1WITHRSA',
  '1.2.840.113549.1.1.11': 'SHA256WITHRSA',
  '1.2.840.113549.1.1.12': 'SHA384WITHRSA',
  '1.2.840.113549.1.1.13': 'SHA512WITHRSA',
  '1.2.840.113549.1.1.10': 'SHA256WITHRSAPSS',
  '1.2.840.10045.4.1': 'SHA1WITHECDSA',
  '1.2.840.10045.4.3.2': 'SHA256WITHECDSA',
  '1.2.840.10045.4.3.3': 'SHA384WITHECDSA',
  '1.2.840.10045.4.3.4': 'SHA512WITHECDSA',
};

export interface CertSpec {
  subject: [oid: string, value: string][];
  issuer: [oid: string, value: string][];
  serial: Buffer;
  notBefore: number;
  notAfter: number;
  publicKey: KeyObject;
  /** the issuer's key (the subject's own key for a self-signed certificate) */
  signingKey: KeyObject;
  ca?: boolean;
  pathLen?: number;
  keyUsage?: (typeof KEY_USAGE_BITS)[number][];
  extKeyUsage?: string[];
  dnsNames?: string[];
  /** the issuer's SubjectKeyIdentifier (omitted for self-signed) */
  authorityKeyId?: Buffer;
}

/** A Name with one attribute per RDN (pkijs would put them all in one multi-valued RDN). */
function name(attrs: [string, string][]): pkijs.RelativeDistinguishedNames {
  const rdns = attrs.map(([type, value]) => {
    const v = type === OID.C ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value });
    return new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value: v }).toSchema()] });
  });
  return pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false));
}

/** A copy in a plain ArrayBuffer (what pkijs's BufferSource parameters want). */
const bytes = (b: Buffer): Uint8Array<ArrayBuffer> => new Uint8Array(b);

const time = (ms: number) => {
  const value = new Date(Math.floor(ms / 1000) * 1000);
  const y = value.getUTCFullYear();
  return new pkijs.Time({ type: y >= 1950 && y < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime, value });
};

const ext = (extnID: string, critical: boolean, value: ArrayBuffer) =>
  new pkijs.Extension({ extnID, critical, extnValue: value });

/** SHA-1 of the subjectPublicKey bits (RFC 5280 4.2.1.2 method 1). */
export function keyIdentifier(publicKey: KeyObject): Buffer {
  const spki = pkijs.PublicKeyInfo.fromBER(bytes(publicKey.export({ type: 'spki', format: 'der' })));
  return createHash('sha1').update(Buffer.from(spki.subjectPublicKey.valueBlock.valueHexView)).digest();
}

/** A DER KeyUsage BIT STRING with trailing zero bits trimmed. */
function keyUsageBits(names: readonly string[]): asn1js.BitString {
  let bits = 0;
  let last = -1;
  for (const n of names) {
    const i = KEY_USAGE_BITS.indexOf(n as (typeof KEY_USAGE_BITS)[number]);
    bits |= 1 << (15 - i);
    last = Math.max(last, i);
  }
  const bytes = last >= 8 ? 2 : 1;
  const buf = new Uint8Array(bytes);
  buf[0] = bits >> 8;
  if (bytes === 2) buf[1] = bits & 0xff;
  return new asn1js.BitString({ valueHex: buf, unusedBits: bytes * 8 - 1 - last });
}

/** Build and sign a certificate; returns its PEM. */
export function buildCertificate(spec: CertSpec): string {
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: spec.serial });
  cert.subject = name(spec.subject);
  cert.issuer = name(spec.issuer);
  cert.notBefore = time(spec.notBefore);
  cert.notAfter = time(spec.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(bytes(spec.publicKey.export({ type: 'spki', format: 'der' })));
  const exts: pkijs.Extension[] = [];
  if (spec.ca !== undefined) {
    const bc = new pkijs.BasicConstraints(spec.ca ? { cA: true, ...(spec.pathLen !== undefined ? { pathLenConstraint: spec.pathLen } : {}) } : {});
    exts.push(ext(OID.basicConstraints, true, bc.toSchema().toBER(false)));
  }
  if (spec.keyUsage?.length) exts.push(ext(OID.keyUsage, true, keyUsageBits(spec.keyUsage).toBER(false)));
  if (spec.extKeyUsage?.length) exts.push(ext(OID.extKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: spec.extKeyUsage }).toSchema().toBER(false)));
  if (spec.dnsNames?.length) {
    const san = new pkijs.AltName({ altNames: spec.dnsNames.map((value) => new pkijs.GeneralName({ type: 2, value })) });
    exts.push(ext(OID.subjectAltName, false, san.toSchema().toBER(false)));
  }
  exts.push(ext(OID.subjectKeyId, false, new asn1js.OctetString({ valueHex: keyIdentifier(spec.publicKey) }).toBER(false)));
  if (spec.authorityKeyId) {
    const aki = new pkijs.AuthorityKeyIdentifier({ keyIdentifier: new asn1js.OctetString({ valueHex: spec.authorityKeyId }) });
    exts.push(ext(OID.authorityKeyId, false, aki.toSchema().toBER(false)));
  }
  cert.extensions = exts;
  const rsa = spec.signingKey.asymmetricKeyType === 'rsa';
  const curve = spec.signingKey.asymmetricKeyDetails?.namedCurve;
  const hash = !rsa && curve !== 'prime256v1' ? 'sha384' : 'sha256';
  const alg = () => new pkijs.AlgorithmIdentifier(
    rsa ? { algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() } : { algorithmId: hash === 'sha256' ? OID.ecdsaWithSHA256 : OID.ecdsaWithSHA384 },
  );
  cert.signature = alg();
  cert.signatureAlgorithm = alg();
  const tbs = Buffer.from(cert.encodeTBS().toBER(false));
  cert.signatureValue = new asn1js.BitString({ valueHex: sign(hash, tbs, spec.signingKey) });
  return toPem(Buffer.from(cert.toSchema(true).toBER(false)), 'CERTIFICATE');
}

export function toPem(der: Buffer, label: string): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

/** The PEM blocks of a text, in order. */
export function pemBlocks(text: string): { label: string; der: Buffer; pem: string }[] {
  const out: { label: string; der: Buffer; pem: string }[] = [];
  for (const m of text.matchAll(PEM_BLOCK)) {
    out.push({ label: m[1]!, der: Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'), pem: toPem(Buffer.from(m[2]!.replace(/\s+/g, ''), 'base64'), m[1]!) });
  }
  return out;
}

export interface CertInfo {
  subject: string;
  commonName?: string;
  issuer: string;
  dnsNames: string[];
  notBefore: number;
  notAfter: number;
  serial: string;
  keyAlgorithm: string;
  signatureAlgorithm: string;
  keyUsages: string[];
  extendedKeyUsages: { Name: string; OID?: string }[];
}

/** ACM's KeyAlgorithm name of a public key (RSA_2048, EC_prime256v1, …), or undefined. */
export function keyAlgorithmOf(key: KeyObject): string | undefined {
  if (key.asymmetricKeyType === 'rsa') return `RSA_${key.asymmetricKeyDetails?.modulusLength}`;
  if (key.asymmetricKeyType === 'ec') return `EC_${key.asymmetricKeyDetails?.namedCurve}`;
  return undefined;
}

const firstAttr = (dn: string, attr: string) => dn.split('\n').find((l) => l.startsWith(`${attr}=`))?.slice(attr.length + 1);

/** Read what ACM reports from a DER certificate (throws if it does not parse). */
export function inspect(der: Buffer): CertInfo {
  const x = new X509Certificate(der);
  const cert = pkijs.Certificate.fromBER(bytes(der));
  const keyUsages: string[] = [];
  const extendedKeyUsages: { Name: string; OID?: string }[] = [];
  const dnsNames: string[] = [];
  for (const e of cert.extensions ?? []) {
    const pv = e.parsedValue as unknown;
    if (e.extnID === OID.keyUsage && pv instanceof asn1js.BitString) {
      const bytes = pv.valueBlock.valueHexView;
      KEY_USAGE_BITS.forEach((n, i) => {
        if ((bytes[i >> 3] ?? 0) & (0x80 >> (i & 7))) keyUsages.push(n);
      });
    } else if (e.extnID === OID.extKeyUsage && pv instanceof pkijs.ExtKeyUsage) {
      for (const oid of pv.keyPurposes) extendedKeyUsages.push(EKU_NAMES[oid] ? { Name: EKU_NAMES[oid]!, OID: oid } : { Name: 'CUSTOM', OID: oid });
    } else if (e.extnID === OID.subjectAltName && pv instanceof pkijs.AltName) {
      for (const g of pv.altNames) if (g.type === 2) dnsNames.push(String(g.value));
    }
  }
  const subjectLines = x.subject.split('\n').filter(Boolean);
  const commonName = firstAttr(x.subject, 'CN');
  return {
    subject: subjectLines.join(','),
    commonName,
    issuer: firstAttr(x.issuer, 'O') ?? firstAttr(x.issuer, 'CN') ?? x.issuer.split('\n').join(','),
    dnsNames: dnsNames.length ? dnsNames : commonName ? [commonName] : [],
    notBefore: Date.parse(x.validFrom),
    notAfter: Date.parse(x.validTo),
    serial: x.serialNumber.toLowerCase().replace(/^(0{2})+(?=..)/, '').replace(/(..)(?=.)/g, '$1:'),
    keyAlgorithm: keyAlgorithmOf(x.publicKey) ?? x.publicKey.asymmetricKeyType ?? 'UNKNOWN',
    signatureAlgorithm: SIGNATURE_NAMES[cert.signatureAlgorithm.algorithmId] ?? cert.signatureAlgorithm.algorithmId,
    keyUsages,
    extendedKeyUsages,
  };
}

export const publicKeyOf = (pem: string): KeyObject => createPublicKey(pem);
