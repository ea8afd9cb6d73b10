/** Key specs, key usages, and the algorithms each combination offers (as DescribeKey reports them). */
export const KEY_SPECS = [
  'SYMMETRIC_DEFAULT', 'RSA_2048', 'RSA_3072', 'RSA_4096',
  'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1',
  'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512',
] as const;
/** The model's full enum, for the validation message of an unknown value. */
export const KEY_SPEC_ENUM = [...KEY_SPECS, 'ECC_NIST_EDWARDS25519', 'SM2', 'ML_DSA_44', 'ML_DSA_65', 'ML_DSA_87'];
export const KEY_USAGES = ['SIGN_VERIFY', 'ENCRYPT_DECRYPT', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'];
export const DATA_KEY_PAIR_SPECS = ['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1'];
export const RSA_ENCRYPTION = ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'];
const RSA_SIGNING = [
  'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
];
export const SIGNING_ALGORITHMS = [...RSA_SIGNING, 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512'];
export const MAC_ALGORITHMS = ['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'];

export type KeyKind = 'symmetric' | 'rsa' | 'ec' | 'hmac';

export interface SpecInfo {
  kind: KeyKind;
  usages: string[];
  bits?: number;
  /** node:crypto curve name */
  curve?: string;
  /** hash the ECDSA algorithm of this curve uses */
  ecdsa?: string;
  /** HMAC: algorithm name and hash */
  mac?: string;
  hash?: string;
  /** HMAC key material length in bytes */
  bytes?: number;
}

export const SPECS: Record<string, SpecInfo> = {
  SYMMETRIC_DEFAULT: { kind: 'symmetric', usages: ['ENCRYPT_DECRYPT'] },
  RSA_2048: { kind: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], bits: 2048 },
  RSA_3072: { kind: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], bits: 3072 },
  RSA_4096: { kind: 'rsa', usages: ['ENCRYPT_DECRYPT', 'SIGN_VERIFY'], bits: 4096 },
  ECC_NIST_P256: { kind: 'ec', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'prime256v1', ecdsa: 'ECDSA_SHA_256' },
  ECC_NIST_P384: { kind: 'ec', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'secp384r1', ecdsa: 'ECDSA_SHA_384' },
  ECC_NIST_P521: { kind: 'ec', usages: ['SIGN_VERIFY', 'KEY_AGREEMENT'], curve: 'secp521r1', ecdsa: 'ECDSA_SHA_512' },
  ECC_SECG_P256K1: { kind: 'ec', usages: ['SIGN_VERIFY'], curve: 'secp256k1', ecdsa: 'ECDSA_SHA_256' },
  HMAC_224: { kind: 'hmac', usages: ['GENERATE_VERIFY_MAC'], mac: 'HMAC_SHA_224', hash: 'sha224', bytes: 28 },
  HMAC_256: { kind: 'hmac', usages: ['GENERATE_VERIFY_MAC'], mac: 'HMAC_SHA_256', hash: 'sha256', bytes: 32 },
  HMAC_384: { kind: 'hmac', usages: ['GENERATE_VERIFY_MAC'], mac: 'HMAC_SHA_384', hash: 'sha384', bytes: 48 },
  HMAC_512: { kind: 'hmac', usages: ['GENERATE_VERIFY_MAC'], mac: 'HMAC_SHA_512', hash: 'sha512', bytes: 64 },
};

/** The algorithm lists DescribeKey / GetPublicKey report for a spec and usage. */
export function algorithmsOf(spec: string, usage: string): { EncryptionAlgorithms?: string[]; SigningAlgorithms?: string[]; MacAlgorithms?: string[]; KeyAgreementAlgorithms?: string[] } {
  const info = SPECS[spec]!;
  if (usage === 'ENCRYPT_DECRYPT') return { EncryptionAlgorithms: info.kind === 'symmetric' ? ['SYMMETRIC_DEFAULT'] : [...RSA_ENCRYPTION] };
  if (usage === 'SIGN_VERIFY') return { SigningAlgorithms: info.kind === 'rsa' ? [...RSA_SIGNING] : [info.ecdsa!] };
  if (usage === 'GENERATE_VERIFY_MAC') return { MacAlgorithms: [info.mac!] };
  if (usage === 'KEY_AGREEMENT') return { KeyAgreementAlgorithms: ['ECDH'] };
  return {};
}

/** Hash of a signing algorithm (sha256 …) and its digest length. */
export function signingHash(alg: string): { hash: string; length: number } {
  const bits = Number(/(\d+)$/.exec(alg)![1]);
  return { hash: `sha${bits}`, length: bits / 8 };
}
