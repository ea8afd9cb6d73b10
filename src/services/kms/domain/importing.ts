/**
 * Imported key material (Origin EXTERNAL): the RSA wrapping key pairs GetParametersForImport
 * hands out, unwrapping EncryptedKeyMaterial as the wrapping algorithm says, and checking that
 * the material fits the key spec.
 *
 * RSAES_OAEP_SHA_1/256: the material itself is RSA-OAEP encrypted under the wrapping key.
 * RSA_AES_KEY_WRAP_SHA_1/256: RSA-OAEP(ephemeral AES-256 key) ‖ AES key wrap with padding
 * (RFC 5649) of the material under that AES key — what `openssl pkeyutl` + `openssl enc
 * -id-aes256-wrap-pad` produce, as AWS documents.
 */
import { constants, createDecipheriv, createHash, createHmac, createPrivateKey, createPublicKey, privateDecrypt, type KeyObject } from 'node:crypto';
import { SPECS } from './specs.js';

export const WRAPPING_ALGORITHMS = ['RSAES_PKCS1_V1_5', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_AES_KEY_WRAP_SHA_256', 'SM2PKE'];
export const WRAPPING_KEY_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'SM2'];
/** Import tokens (and their wrapping keys) are valid for 24 hours. */
export const IMPORT_PARAMETERS_TTL = 86_400_000;
/** ValidTo may be at most 365 days ahead. */
export const MAX_VALID_TO = 365 * 86_400_000;

/** What GetParametersForImport handed out: stored by token id until it expires. */
export interface ImportParameters {
  keyId: string;
  account: string;
  region: string;
  wrappingAlgorithm: string;
  wrappingKeySpec: string;
  privateDer: Buffer;
  validTo: number;
}

const RFC5649_IV = Buffer.from('a65959a6', 'hex');

/** The material, or undefined when the blob does not unwrap with this wrapping key and algorithm. */
export function unwrap(p: ImportParameters, blob: Uint8Array): Buffer | undefined {
  const key = createPrivateKey({ key: p.privateDer, format: 'der', type: 'pkcs8' });
  const hash = p.wrappingAlgorithm.endsWith('SHA_1') ? 'sha1' : 'sha256';
  const oaep = (data: Uint8Array) => privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, data);
  try {
    if (p.wrappingAlgorithm.startsWith('RSAES_OAEP')) return oaep(blob);
    const k = (key.asymmetricKeyDetails?.modulusLength ?? 2048) / 8;
    if (blob.length <= k) return undefined;
    const aesKey = oaep(blob.subarray(0, k));
    if (aesKey.length !== 32) return undefined;
    const d = createDecipheriv('id-aes256-wrap-pad', aesKey, RFC5649_IV);
    return Buffer.concat([d.update(blob.subarray(k)), d.final()]);
  } catch {
    return undefined;
  }
}

/** The algorithms that can wrap material of a key spec (RSA private keys need RSA_AES_KEY_WRAP). */
export function wrappingFits(keySpec: string, algorithm: string): boolean {
  return SPECS[keySpec]!.kind !== 'rsa' || algorithm.startsWith('RSA_AES_KEY_WRAP');
}

/** HMAC key material lengths KMS accepts, per spec (bytes). */
const HMAC_LENGTHS: Record<string, [number, number]> = {
  HMAC_224: [28, 64],
  HMAC_256: [32, 64],
  HMAC_384: [48, 128],
  HMAC_512: [64, 128],
};

export interface CheckedMaterial {
  secret?: Buffer;
  privateDer?: Buffer;
  publicDer?: Buffer;
  fingerprint: string;
}

/** Checks unwrapped material against the key spec; returns a reason when it does not fit. */
export function checkMaterial(keySpec: string, material: Buffer): CheckedMaterial | string {
  const info = SPECS[keySpec]!;
  const fingerprint = createHash('sha256').update(material).digest('hex');
  if (info.kind === 'symmetric') {
    return material.length === 32 ? { secret: material, fingerprint } : 'Symmetric encryption key material must be 256 bits (32 bytes).';
  }
  if (info.kind === 'hmac') {
    const [min, max] = HMAC_LENGTHS[keySpec]!;
    return material.length >= min && material.length <= max ? { secret: material, fingerprint } : `${keySpec} key material must be between ${min} and ${max} bytes.`;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: material, format: 'der', type: 'pkcs8' });
  } catch {
    return `The key material must be a DER-encoded PKCS #8 private key of key spec ${keySpec}.`;
  }
  const d = key.asymmetricKeyDetails ?? {};
  const fits = info.kind === 'rsa' ? key.asymmetricKeyType === 'rsa' && d.modulusLength === info.bits : key.asymmetricKeyType === 'ec' && d.namedCurve === info.curve;
  if (!fits) return `The key material is not a private key of key spec ${keySpec}.`;
  const privateDer = key.export({ format: 'der', type: 'pkcs8' });
  const publicDer = createPublicKey(key).export({ format: 'der', type: 'spki' });
  return { privateDer, publicDer, fingerprint };
}

/** KMS names imported symmetric material by the key id and the material, so a reimport gets the same id. */
export function importedMaterialId(keyId: string, material: Buffer): string {
  return createHmac('sha256', material).update(`kms-key-material:${keyId}`).digest('hex');
}
