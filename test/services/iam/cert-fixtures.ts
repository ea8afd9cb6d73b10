/**
 * X.509 fixtures for IAM's certificate tests: RSA key pairs and certificates signed by a given
 * issuer (pkijs encodes the TBSCertificate, node:crypto signs it), so chains can be built.
 */
import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface Issued { cn: string; key: KeyObject; pem: string; keyPem: string }

const SHA256_RSA = () => new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() });
const time = (ms: number) => new pkijs.Time({ type: pkijs.TimeType.UTCTime, value: new Date(Math.floor(ms / 1000) * 1000) });
const name = (cn: string) => pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({
  value: [new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type: '2.5.4.3', value: new asn1js.Utf8String({ value: cn }) }).toSchema()] })],
}).toBER(false));

/** A certificate for `cn` valid [notBefore, notAfter], signed by `issuer` (self-signed without one). */
export function issue(cn: string, opts: { issuer?: Issued; notBefore: number; notAfter: number; bits?: number }): Issued {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: opts.bits ?? 2048 });
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.signature = SHA256_RSA();
  cert.issuer = name(opts.issuer?.cn ?? cn);
  cert.subject = name(cn);
  cert.notBefore = time(opts.notBefore);
  cert.notAfter = time(opts.notAfter);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
  cert.signatureAlgorithm = SHA256_RSA();
  cert.signatureValue = new asn1js.BitString({ valueHex: sign('sha256', Buffer.from(cert.encodeTBS().toBER(false)), opts.issuer?.key ?? privateKey) });
  const b64 = Buffer.from(cert.toSchema(true).toBER(false)).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return { cn, key: privateKey, pem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`, keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}
