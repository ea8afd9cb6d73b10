/**
 * The cryptography: key material generation, the ciphertext blob of symmetric keys,
 * RSA-OAEP, signatures (RAW and DIGEST), HMAC. node:crypto only.
 *
 * Symmetric ciphertext blob (our own format; AWS's is opaque too):
 *   0x01 0x47 | keyId length (1) | keyId (ascii) | key material id (32 bytes) | IV (12) | tag (16) | AES-256-GCM ciphertext
 * The header and the canonical encryption context are the GCM additional data, so a
 * different context (or a tampered header) fails authentication.
 */
import {
  constants, createCipheriv, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey,
  generateKeyPair, privateDecrypt, privateEncrypt, publicDecrypt, publicEncrypt, randomBytes, sign as nodeSign,
  timingSafeEqual, verify as nodeVerify, type KeyObject,
} from 'node:crypto';
import { promisify } from 'node:util';
import type { Material } from './model.js';
import { signingHash, SPECS } from './specs.js';
import { bigFromB64url, ecdsaSignDigest, ecdsaVerifyDigest } from './ecdsa.js';

const genPair = promisify(generateKeyPair);

export async function newMaterial(spec: string, now: number): Promise<Material> {
  const info = SPECS[spec]!;
  const id = randomBytes(32).toString('hex');
  if (info.kind === 'symmetric') return { id, created: now, secret: randomBytes(32) };
  if (info.kind === 'hmac') return { id, created: now, secret: randomBytes(info.bytes!) };
  const { privateDer, publicDer } = await newKeyPair(spec);
  return { id, created: now, privateDer, publicDer };
}

/** A fresh key pair of a key (pair) spec: PKCS#8 and SubjectPublicKeyInfo DER. */
export async function newKeyPair(spec: string): Promise<{ privateDer: Buffer; publicDer: Buffer }> {
  const info = SPECS[spec]!;
  const enc = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const;
  const pair = info.kind === 'rsa'
    ? await genPair('rsa', { modulusLength: info.bits!, publicExponent: 0x10001, ...enc })
    : await genPair('ec', { namedCurve: info.curve!, ...enc });
  return { privateDer: pair.privateKey as unknown as Buffer, publicDer: pair.publicKey as unknown as Buffer };
}

// ---- symmetric blobs

export function canonicalContext(ctx: Record<string, string> | undefined): Buffer {
  const entries = Object.entries(ctx ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify(entries), 'utf8');
}

export function seal(keyId: string, m: Material, plaintext: Uint8Array, context: Record<string, string> | undefined): Buffer {
  const id = Buffer.from(keyId, 'ascii');
  const header = Buffer.concat([Buffer.from([0x01, 0x47, id.length]), id, Buffer.from(m.id, 'hex')]);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', m.secret!, iv);
  cipher.setAAD(Buffer.concat([header, canonicalContext(context)]));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, iv, cipher.getAuthTag(), ct]);
}

export interface ParsedBlob { keyId: string; materialId: string; header: Buffer; iv: Buffer; tag: Buffer; ct: Buffer }

/** The key id and material a blob names, or undefined when it is not one of ours. */
export function parseBlob(blob: Uint8Array): ParsedBlob | undefined {
  const b = Buffer.from(blob);
  if (b.length < 3 || b[0] !== 0x01 || b[1] !== 0x47) return undefined;
  const n = b[2]!;
  const headerLen = 3 + n + 32;
  if (b.length < headerLen + 28) return undefined;
  const keyId = b.subarray(3, 3 + n).toString('ascii');
  if (!/^(mrk-[0-9a-f]{32}|[0-9a-f-]{36})$/.test(keyId)) return undefined;
  return {
    keyId,
    materialId: b.subarray(3 + n, headerLen).toString('hex'),
    header: b.subarray(0, headerLen),
    iv: b.subarray(headerLen, headerLen + 12),
    tag: b.subarray(headerLen + 12, headerLen + 28),
    ct: b.subarray(headerLen + 28),
  };
}

/** Decrypts a parsed blob, or undefined when authentication fails (wrong context, tampering). */
export function open(m: Material, p: ParsedBlob, context: Record<string, string> | undefined): Buffer | undefined {
  try {
    const d = createDecipheriv('aes-256-gcm', m.secret!, p.iv);
    d.setAAD(Buffer.concat([p.header, canonicalContext(context)]));
    d.setAuthTag(p.tag);
    return Buffer.concat([d.update(p.ct), d.final()]);
  } catch {
    return undefined;
  }
}

// ---- RSA encryption

const oaepHash = (alg: string) => (alg === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256');

/** Largest plaintext RSA-OAEP takes with this key size and hash: k − 2·hLen − 2. */
export function oaepLimit(bits: number, alg: string): number {
  return bits / 8 - 2 * (alg === 'RSAES_OAEP_SHA_1' ? 20 : 32) - 2;
}

export function rsaEncrypt(publicDer: Buffer, alg: string, plaintext: Uint8Array): Buffer {
  return publicEncrypt({ key: publicKey(publicDer), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(alg) }, plaintext);
}

export function rsaDecrypt(privateDer: Buffer, alg: string, ciphertext: Uint8Array): Buffer | undefined {
  try {
    return privateDecrypt({ key: privateKey(privateDer), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: oaepHash(alg) }, ciphertext);
  } catch {
    return undefined;
  }
}

// ---- signatures

const keyCache = new WeakMap<Buffer, KeyObject>();
function privateKey(der: Buffer): KeyObject {
  let k = keyCache.get(der);
  if (!k) keyCache.set(der, (k = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })));
  return k;
}
function publicKey(der: Buffer): KeyObject {
  let k = keyCache.get(der);
  if (!k) keyCache.set(der, (k = createPublicKey({ key: der, format: 'der', type: 'spki' })));
  return k;
}

const DIGEST_INFO: Record<string, string> = {
  sha256: '3031300d060960864801650304020105000420',
  sha384: '3041300d060960864801650304020205000430',
  sha512: '3051300d060960864801650304020305000440',
};

export function digestOf(alg: string, message: Uint8Array): Buffer {
  return createHash(signingHash(alg).hash).update(message).digest();
}

export function signMessage(spec: string, m: Material, alg: string, message: Uint8Array, isDigest: boolean): Buffer {
  const info = SPECS[spec]!;
  const { hash } = signingHash(alg);
  const key = privateKey(m.privateDer!);
  if (info.kind === 'ec') {
    if (!isDigest) return nodeSign(hash, message, key);
    const jwk = key.export({ format: 'jwk' });
    return ecdsaSignDigest(info.curve!, bigFromB64url(jwk.d!), message);
  }
  const pss = alg.startsWith('RSASSA_PSS');
  if (!isDigest) {
    return nodeSign(hash, message, pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key, padding: constants.RSA_PKCS1_PADDING });
  }
  if (!pss) return privateEncrypt({ key, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO[hash]!, 'hex'), message]));
  const em = emsaPssEncode(hash, Buffer.from(message), info.bits! - 1);
  return privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, em);
}

export function verifyMessage(spec: string, m: Material, alg: string, message: Uint8Array, isDigest: boolean, signature: Uint8Array): boolean {
  const info = SPECS[spec]!;
  const { hash } = signingHash(alg);
  const key = publicKey(m.publicDer!);
  try {
    if (info.kind === 'ec') {
      if (!isDigest) return nodeVerify(hash, message, key, signature);
      const jwk = key.export({ format: 'jwk' });
      return ecdsaVerifyDigest(info.curve!, { x: bigFromB64url(jwk.x!), y: bigFromB64url(jwk.y!) }, message, signature);
    }
    const pss = alg.startsWith('RSASSA_PSS');
    if (!isDigest) {
      return nodeVerify(hash, message, pss ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST } : { key, padding: constants.RSA_PKCS1_PADDING }, signature);
    }
    if (signature.length !== info.bits! / 8) return false;
    if (!pss) {
      const got = publicDecrypt({ key, padding: constants.RSA_PKCS1_PADDING }, signature);
      return got.equals(Buffer.concat([Buffer.from(DIGEST_INFO[hash]!, 'hex'), message]));
    }
    const em = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature);
    return emsaPssVerify(hash, Buffer.from(message), em, info.bits! - 1);
  } catch {
    return false;
  }
}

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  for (let c = 0, n = 0; n < length; c++) {
    const cnt = Buffer.alloc(4);
    cnt.writeUInt32BE(c);
    const h = createHash(hash).update(seed).update(cnt).digest();
    out.push(h);
    n += h.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

/** RFC 8017 EMSA-PSS-ENCODE with salt length = hash length, over an already computed digest. */
function emsaPssEncode(hash: string, mHash: Buffer, emBits: number): Buffer {
  const hLen = mHash.length, sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  const salt = randomBytes(sLen);
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - sLen - hLen - 2), Buffer.from([0x01]), salt]);
  const mask = mgf1(hash, h, emLen - hLen - 1);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const em = Buffer.concat([db, h, Buffer.from([0xbc])]);
  return em;
}

function emsaPssVerify(hash: string, mHash: Buffer, em: Buffer, emBits: number): boolean {
  const hLen = mHash.length, sLen = hLen;
  const emLen = Math.ceil(emBits / 8);
  if (em.length > emLen) {
    if (em.subarray(0, em.length - emLen).some((b) => b !== 0)) return false;
    em = em.subarray(em.length - emLen);
  }
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const db = Buffer.from(em.subarray(0, emLen - hLen - 1));
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  if (db[0]! & ~(0xff >> (8 * emLen - emBits)) & 0xff) return false;
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  const ps = emLen - hLen - sLen - 2;
  if (db.subarray(0, ps).some((b) => b !== 0) || db[ps] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  return h2.equals(h);
}

// ---- HMAC

export function hmac(spec: string, m: Material, message: Uint8Array): Buffer {
  return createHmac(SPECS[spec]!.hash!, m.secret!).update(message).digest();
}

export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
