/**
 * Message signing: one RSA key pair per data directory (kept in state), a self-signed X.509
 * certificate for it (served at SigningCertURL), and AWS's canonical string of a message.
 *
 * Node 20's crypto parses X.509 but cannot create one: pkijs encodes the v3 TBSCertificate
 * (CN=sns.amazonaws.com, O=gureum) and node:crypto signs it, synchronously.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export interface SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

const SHA256_RSA = () => new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() });

function time(ms: number): pkijs.Time {
  const value = new Date(Math.floor(ms / 1000) * 1000);
  const y = value.getUTCFullYear();
  return new pkijs.Time({ type: y >= 1950 && y < 2050 ? pkijs.TimeType.UTCTime : pkijs.TimeType.GeneralizedTime, value });
}

/** CN=sns.amazonaws.com, O=gureum: one attribute per RDN (pkijs alone would make one multi-valued RDN). */
const name = () => pkijs.RelativeDistinguishedNames.fromBER(new asn1js.Sequence({
  value: [['2.5.4.3', 'sns.amazonaws.com'], ['2.5.4.10', 'gureum']].map(([type, value]) =>
    new asn1js.Set({ value: [new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) }).toSchema()] })),
}).toBER(false));

/** A fresh key pair and a self-signed certificate valid from `nowMs` for ten years. */
export function generateSigningKey(nowMs: number): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const cert = new pkijs.Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: serial });
  cert.signature = SHA256_RSA();
  cert.issuer = name();
  cert.subject = name();
  cert.notBefore = time(nowMs - 86_400_000);
  cert.notAfter = time(nowMs + 10 * 365 * 86_400_000);
  cert.subjectPublicKeyInfo = pkijs.PublicKeyInfo.fromBER(new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })));
  cert.signatureAlgorithm = SHA256_RSA();
  cert.signatureValue = new asn1js.BitString({ valueHex: sign('sha256', Buffer.from(cert.encodeTBS().toBER(false)), privateKey) });
  const der = Buffer.from(cert.toSchema(true).toBER(false));
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    certificatePem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
  };
}

/** The fields AWS signs, in its order, for each message type. */
const NOTIFICATION_FIELDS = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'] as const;
const CONFIRMATION_FIELDS = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;

/** "Name\nValue\n" for each present field (AWS's string to sign). */
export function canonicalString(msg: Record<string, unknown>): string {
  const fields = msg.Type === 'Notification' ? NOTIFICATION_FIELDS : CONFIRMATION_FIELDS;
  let out = '';
  for (const f of fields) {
    const v = msg[f];
    if (v === undefined || v === null) continue;
    out += `${f}\n${String(v)}\n`;
  }
  return out;
}

const keyCache = new WeakMap<SigningKey, ReturnType<typeof createPrivateKey>>();

/** Base64 signature: SignatureVersion 1 is SHA1withRSA, 2 is SHA256withRSA. */
export function signMessage(key: SigningKey, msg: Record<string, unknown>, version: string): string {
  let pk = keyCache.get(key);
  if (!pk) keyCache.set(key, (pk = createPrivateKey(key.privateKeyPem)));
  return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(canonicalString(msg), 'utf8'), pk).toString('base64');
}

export function publicKeyPem(key: SigningKey): string {
  return createPublicKey(key.privateKeyPem).export({ type: 'spki', format: 'pem' }).toString();
}
