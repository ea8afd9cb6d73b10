/**
 * SSH public keys as IAM takes them (UploadSSHPublicKey): `ssh-rsa` in OpenSSH form or an RSA
 * public key in PEM, at least 2048 bits. The fingerprint is what IAM shows: the MD5 digest of
 * the key's SSH wire form, as colon-separated hex pairs.
 */
import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';

export const unrecognizedEncoding = (message: string) => new AwsError('UnrecognizedPublicKeyEncodingException', message, 400);
export const invalidPublicKey = (message: string) => new AwsError('InvalidPublicKeyException', message, 400);

export interface ParsedSshKey { ssh: string; pem: string; fingerprint: string }

export function parseSshPublicKey(body: string): ParsedSshKey {
  const text = body.trim();
  let key: KeyObject;
  let ssh: string;
  if (/^ssh-rsa\s/.test(text)) {
    const b64 = text.split(/\s+/)[1] ?? '';
    const blob = Buffer.from(b64, 'base64');
    const parts = readWire(blob);
    if (!parts || parts.length !== 3 || parts[0]!.toString('latin1') !== 'ssh-rsa' || blob.toString('base64') !== b64) {
      throw invalidPublicKey('The SSH public key is not valid.');
    }
    const [, e, n] = parts;
    try {
      key = createPublicKey({ key: { kty: 'RSA', e: unsigned(e!).toString('base64url'), n: unsigned(n!).toString('base64url') }, format: 'jwk' });
    } catch {
      throw invalidPublicKey('The SSH public key is not valid.');
    }
    ssh = `ssh-rsa ${b64}`;
  } else if (/^-----BEGIN (?:RSA )?PUBLIC KEY-----/.test(text)) {
    try {
      key = createPublicKey({ key: text, format: 'pem' });
    } catch {
      throw invalidPublicKey('The SSH public key is not valid.');
    }
    if (key.asymmetricKeyType !== 'rsa') throw invalidPublicKey('The SSH public key must be an RSA key.');
    ssh = `ssh-rsa ${wireForm(key).toString('base64')}`;
  } else {
    throw unrecognizedEncoding('The SSH public key must be in ssh-rsa (OpenSSH) or PEM format.');
  }
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw invalidPublicKey('The SSH public key must be at least 2048 bits.');
  const digest = createHash('md5').update(wireForm(key)).digest('hex');
  return { ssh, pem: key.export({ type: 'spki', format: 'pem' }).toString().trim(), fingerprint: digest.match(/../g)!.join(':') };
}

/** The RFC 4253 `ssh-rsa` blob: string "ssh-rsa", mpint e, mpint n. */
function wireForm(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.concat([str(Buffer.from('ssh-rsa')), str(mpint(Buffer.from(jwk.e!, 'base64url'))), str(mpint(Buffer.from(jwk.n!, 'base64url')))]);
}
function str(b: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(b.length);
  return Buffer.concat([len, b]);
}
const mpint = (b: Buffer) => (b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
const unsigned = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);

function readWire(blob: Buffer): Buffer[] | undefined {
  const out: Buffer[] = [];
  let at = 0;
  while (at < blob.length) {
    if (at + 4 > blob.length) return undefined;
    const len = blob.readUInt32BE(at);
    if (at + 4 + len > blob.length) return undefined;
    out.push(blob.subarray(at + 4, at + 4 + len));
    at += 4 + len;
  }
  return out;
}
