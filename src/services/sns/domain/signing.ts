/**
 * Message signing: one RSA key pair per data directory (kept in state), a self-signed X.509
 * certificate for it (served at SigningCertURL), and AWS's canonical string of a message.
 *
 * Node 20's crypto parses X.509 but cannot create one, so the certificate is assembled here in
 * DER by hand (a v3 TBSCertificate with CN=sns.amazonaws.com) and signed with node:crypto.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export interface SigningKey {
  privateKeyPem: string;
  certificatePem: string;
}

// ---- minimal DER

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag]), len(body.length), body]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const nul = () => Buffer.from([0x05, 0x00]);
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));

function oid(dotted: string): Buffer {
  const p = dotted.split('.').map(Number);
  const out = [40 * p[0]! + p[1]!];
  for (const v of p.slice(2)) {
    const chunk: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift((x & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function integer(b: Buffer): Buffer {
  const body = b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b;
  return tlv(0x02, body);
}

function time(ms: number): Buffer {
  const d = new Date(ms);
  const iso = d.toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
  const y = d.getUTCFullYear();
  return y >= 1950 && y < 2050 ? tlv(0x17, Buffer.from(iso.slice(2))) : tlv(0x18, Buffer.from(iso));
}

const SHA256_RSA = () => seq(oid('1.2.840.113549.1.1.11'), nul());

/** A fresh key pair and a self-signed certificate valid from `nowMs` for ten years. */
export function generateSigningKey(nowMs: number): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const name = seq(set(seq(oid('2.5.4.3'), utf8('sns.amazonaws.com'))), set(seq(oid('2.5.4.10'), utf8('gureum'))));
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    SHA256_RSA(),
    name,
    seq(time(nowMs - 86_400_000), time(nowMs + 10 * 365 * 86_400_000)),
    name,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, privateKey);
  const der = seq(tbs, SHA256_RSA(), bitString(signature));
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
