/**
 * SSH key material as EC2 hands it out and fingerprints it (node:crypto only):
 * RSA as PKCS#1 PEM, ED25519 as an OpenSSH private key, either as a PuTTY .ppk (v2);
 * fingerprints — created RSA: SHA-1 of the PKCS#8 DER private key; imported RSA: MD5 of the
 * DER public key; ED25519: base64 SHA-256 of the OpenSSH public key blob.
 */
import { createHash, createHmac, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';

const u32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
};
const str = (b: Buffer | string) => {
  const buf = typeof b === 'string' ? Buffer.from(b) : b;
  return Buffer.concat([u32(buf.length), buf]);
};
const mpint = (b: Buffer) => {
  let i = 0;
  while (i < b.length - 1 && b[i] === 0) i++;
  const v = b.subarray(i);
  return str(v[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), v]) : v);
};
const b64u = (s: string | undefined) => Buffer.from(s ?? '', 'base64url');
const colonHex = (b: Buffer) => b.toString('hex').match(/../g)!.join(':');
const lines64 = (s: string) => s.match(/.{1,64}/g) ?? [];

export interface Generated { material: string; fingerprint: string; publicKey: string }

function sshPublicBlob(pub: KeyObject): { type: string; blob: Buffer } {
  const jwk = pub.export({ format: 'jwk' });
  if (jwk.kty === 'RSA') return { type: 'ssh-rsa', blob: Buffer.concat([str('ssh-rsa'), mpint(b64u(jwk.e)), mpint(b64u(jwk.n))]) };
  return { type: 'ssh-ed25519', blob: Buffer.concat([str('ssh-ed25519'), str(b64u(jwk.x))]) };
}

const ed25519Fingerprint = (blob: Buffer) => createHash('sha256').update(blob).digest('base64');

function openSshEd25519(seed: Buffer, pub: Buffer, blob: Buffer, comment: string): string {
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, str('ssh-ed25519'), str(pub), str(Buffer.concat([seed, pub])), str(comment)]);
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % 8 !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const body = Buffer.concat([Buffer.from('openssh-key-v1\0'), str('none'), str('none'), str(''), u32(1), str(blob), str(priv)]);
  return ['-----BEGIN OPENSSH PRIVATE KEY-----', ...lines64(body.toString('base64')), '-----END OPENSSH PRIVATE KEY-----', ''].join('\n');
}

function ppk(type: string, comment: string, pubBlob: Buffer, privBlob: Buffer): string {
  const macKey = createHash('sha1').update('putty-private-key-file-mac-key').digest();
  const mac = createHmac('sha1', macKey).update(Buffer.concat([str(type), str('none'), str(comment), str(pubBlob), str(privBlob)])).digest('hex');
  const pubLines = lines64(pubBlob.toString('base64'));
  const privLines = lines64(privBlob.toString('base64'));
  return [
    `PuTTY-User-Key-File-2: ${type}`, 'Encryption: none', `Comment: ${comment}`,
    `Public-Lines: ${pubLines.length}`, ...pubLines, `Private-Lines: ${privLines.length}`, ...privLines, `Private-MAC: ${mac}`, '',
  ].join('\n');
}

export function generateKey(type: 'rsa' | 'ed25519', format: 'pem' | 'ppk', name: string): Generated {
  if (type === 'rsa') {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { blob } = sshPublicBlob(publicKey);
    const fingerprint = colonHex(createHash('sha1').update(privateKey.export({ type: 'pkcs8', format: 'der' })).digest());
    const jwk = privateKey.export({ format: 'jwk' });
    const material = format === 'pem'
      ? (privateKey.export({ type: 'pkcs1', format: 'pem' }) as string).trimEnd()
      : ppk('ssh-rsa', name, blob, Buffer.concat([mpint(b64u(jwk.d)), mpint(b64u(jwk.p)), mpint(b64u(jwk.q)), mpint(b64u(jwk.qi))]));
    return { material, fingerprint, publicKey: `ssh-rsa ${blob.toString('base64')} ${name}` };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const { blob } = sshPublicBlob(publicKey);
  const jwk = privateKey.export({ format: 'jwk' });
  const seed = b64u(jwk.d);
  const pub = b64u(jwk.x);
  const material = format === 'pem' ? openSshEd25519(seed, pub, blob, name) : ppk('ssh-ed25519', name, blob, str(seed));
  return { material, fingerprint: ed25519Fingerprint(blob), publicKey: `ssh-ed25519 ${blob.toString('base64')} ${name}` };
}

/** Parses imported public key material: OpenSSH one-line, RFC 4716 or PEM (SPKI / PKCS#1). */
export function importKey(material: Buffer, name: string): { type: 'rsa' | 'ed25519'; fingerprint: string; publicKey: string } | undefined {
  const text = material.toString('utf8').trim();
  let key: KeyObject | undefined;
  try {
    let blob: Buffer | undefined;
    const one = text.match(/^(ssh-rsa|ssh-ed25519)\s+([A-Za-z0-9+/=]+)/);
    if (one) blob = Buffer.from(one[2]!, 'base64');
    else if (/^---- BEGIN SSH2 PUBLIC KEY ----/.test(text)) {
      const body = text.split(/\r?\n/).filter((l) => !/^----|^[A-Za-z-]+:|^\s/.test(l)).join('');
      blob = Buffer.from(body, 'base64');
    }
    if (blob) key = keyFromBlob(blob);
    else if (/^-----BEGIN (RSA )?PUBLIC KEY-----/.test(text)) key = createPublicKey(text);
  } catch {
    return undefined;
  }
  if (!key) return undefined;
  const { type, blob } = sshPublicBlob(key);
  if (type === 'ssh-rsa') {
    const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 1024) return undefined;
    const fingerprint = colonHex(createHash('md5').update(key.export({ type: 'spki', format: 'der' })).digest());
    return { type: 'rsa', fingerprint, publicKey: `ssh-rsa ${blob.toString('base64')} ${name}` };
  }
  if (key.asymmetricKeyType !== 'ed25519') return undefined;
  return { type: 'ed25519', fingerprint: ed25519Fingerprint(blob), publicKey: `ssh-ed25519 ${blob.toString('base64')} ${name}` };
}

function keyFromBlob(blob: Buffer): KeyObject {
  let off = 0;
  const next = () => {
    const n = blob.readUInt32BE(off);
    const v = blob.subarray(off + 4, off + 4 + n);
    if (v.length !== n) throw new Error('truncated');
    off += 4 + n;
    return v;
  };
  const type = next().toString();
  if (type === 'ssh-rsa') {
    const e = next();
    const n = next();
    const strip = (b: Buffer) => (b[0] === 0 ? b.subarray(1) : b);
    return createPublicKey({ key: { kty: 'RSA', e: strip(e).toString('base64url'), n: strip(n).toString('base64url') }, format: 'jwk' });
  }
  if (type === 'ssh-ed25519') return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: next().toString('base64url') }, format: 'jwk' });
  throw new Error('unsupported');
}
