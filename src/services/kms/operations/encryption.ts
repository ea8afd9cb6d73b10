/** Encrypt, Decrypt, ReEncrypt, data keys and key pairs, GenerateRandom. */
import { randomBytes } from 'node:crypto';
import type { Scope } from '../../../state/store.js';
import type {
  DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, GenerateDataKeyPairRequest, GenerateDataKeyPairResponse,
  GenerateDataKeyRequest, GenerateDataKeyResponse, GenerateRandomRequest, GenerateRandomResponse, ReEncryptRequest, ReEncryptResponse,
} from '../generated/types.js';
import { newKeyPair, oaepLimit, open, parseBlob, rsaDecrypt, rsaEncrypt, seal } from '../domain/crypto.js';
import { checkLength, checkRange, enumConstraint, incorrectKey, invalidCiphertext, invalidKeyUsage, keyNotFound, unsupported, validation } from '../domain/errors.js';
import { arnOf, current, keyArn, type KeyRecord } from '../domain/model.js';
import { DATA_KEY_PAIR_SPECS, RSA_ENCRYPTION, SPECS } from '../domain/specs.js';
import { checkUsable, type KmsState } from '../state.js';

const ENCRYPTION_ALGORITHMS = ['SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256', 'SM2PKE'];
const KEY_PAIR_SPEC_ENUM = [...DATA_KEY_PAIR_SPECS, 'SM2', 'ECC_NIST_EDWARDS25519'];

const incompatible = (alg: string, k: KeyRecord) => invalidKeyUsage(`Algorithm ${alg} is incompatible with key spec ${k.KeySpec}.`);

function checkAlgorithm(alg: string | undefined, path: string): void {
  if (alg !== undefined && !ENCRYPTION_ALGORITHMS.includes(alg)) throw enumConstraint(alg, path, ENCRYPTION_ALGORITHMS);
}

interface Sealed { blob: Buffer; alg: string; materialId?: string }

/** Encrypts under a key already checked usable for ENCRYPT_DECRYPT. */
function encryptWith(k: KeyRecord, alg: string | undefined, plaintext: Uint8Array, context: Record<string, string> | undefined): Sealed {
  const kind = SPECS[k.KeySpec]!.kind;
  const algorithm = alg ?? 'SYMMETRIC_DEFAULT';
  if (kind === 'symmetric') {
    if (algorithm !== 'SYMMETRIC_DEFAULT') throw incompatible(algorithm, k);
    const m = current(k);
    return { blob: seal(k.KeyId, m, plaintext, context), alg: algorithm, materialId: m.id };
  }
  if (!RSA_ENCRYPTION.includes(algorithm)) throw incompatible(algorithm, k);
  if (context && Object.keys(context).length) throw validation('EncryptionContext is not supported with asymmetric KMS keys.');
  const limit = oaepLimit(SPECS[k.KeySpec]!.bits!, algorithm);
  if (plaintext.length > limit) throw validation(`Plaintext length ${plaintext.length} exceeds the maximum of ${limit} bytes for ${algorithm} with key spec ${k.KeySpec}.`);
  return { blob: rsaEncrypt(current(k).publicDer!, algorithm, plaintext), alg: algorithm };
}

interface Opened { k: KeyRecord; plaintext: Buffer; alg: string; materialId?: string }

/** Decrypts a blob: symmetric blobs name their key; RSA ciphertexts need KeyId. */
function decryptWith(s: KmsState, scope: Scope, blob: Uint8Array | undefined, keyId: string | undefined, alg: string | undefined, context: Record<string, string> | undefined, operation: string): Opened {
  if (blob === undefined) throw validation(`1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null`);
  checkLength(blob, 'ciphertextBlob', 1, 6144);
  const named = keyId === undefined ? undefined : s.resolve(scope, keyId, { alias: true });
  if (named) checkUsable(named, operation, 'ENCRYPT_DECRYPT');
  if (named && SPECS[named.KeySpec]!.kind === 'rsa') {
    const algorithm = alg ?? 'SYMMETRIC_DEFAULT';
    if (!RSA_ENCRYPTION.includes(algorithm)) throw incompatible(algorithm, named);
    const plaintext = rsaDecrypt(current(named).privateDer!, algorithm, blob);
    if (!plaintext) throw invalidCiphertext();
    return { k: named, plaintext, alg: algorithm };
  }
  const p = parseBlob(blob);
  if (!p) throw invalidCiphertext();
  const k = s.keys.get(scope, p.keyId);
  if (named && named.KeyId !== p.keyId) throw incorrectKey();
  if (!k) throw keyNotFound(keyArn(scope, p.keyId));
  checkUsable(k, operation, 'ENCRYPT_DECRYPT');
  if (alg !== undefined && alg !== 'SYMMETRIC_DEFAULT') throw incompatible(alg, k);
  const m = k.materials.find((x) => x.id === p.materialId);
  const plaintext = m && open(m, p, context);
  if (!plaintext) throw invalidCiphertext();
  return { k, plaintext, alg: 'SYMMETRIC_DEFAULT', materialId: m.id };
}

export function encrypt(s: KmsState, scope: Scope, input: EncryptRequest): EncryptResponse {
  checkLength(input.Plaintext, 'plaintext', 1, 4096);
  checkAlgorithm(input.EncryptionAlgorithm, 'encryptionAlgorithm');
  const k = s.usable(scope, input.KeyId, 'Encrypt', 'ENCRYPT_DECRYPT');
  const out = encryptWith(k, input.EncryptionAlgorithm, input.Plaintext, input.EncryptionContext);
  return { CiphertextBlob: out.blob, KeyId: arnOf(k), EncryptionAlgorithm: out.alg };
}

export function decrypt(s: KmsState, scope: Scope, input: DecryptRequest): DecryptResponse {
  checkAlgorithm(input.EncryptionAlgorithm, 'encryptionAlgorithm');
  if (input.Recipient) throw unsupported('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
  const o = decryptWith(s, scope, input.CiphertextBlob, input.KeyId, input.EncryptionAlgorithm, input.EncryptionContext, 'Decrypt');
  return { KeyId: arnOf(o.k), Plaintext: o.plaintext, EncryptionAlgorithm: o.alg, KeyMaterialId: o.materialId };
}

export function reEncrypt(s: KmsState, scope: Scope, input: ReEncryptRequest): ReEncryptResponse {
  checkAlgorithm(input.SourceEncryptionAlgorithm, 'sourceEncryptionAlgorithm');
  checkAlgorithm(input.DestinationEncryptionAlgorithm, 'destinationEncryptionAlgorithm');
  const src = decryptWith(s, scope, input.CiphertextBlob, input.SourceKeyId, input.SourceEncryptionAlgorithm, input.SourceEncryptionContext, 'ReEncrypt');
  const dst = s.usable(scope, input.DestinationKeyId, 'ReEncrypt', 'ENCRYPT_DECRYPT');
  const out = encryptWith(dst, input.DestinationEncryptionAlgorithm, src.plaintext, input.DestinationEncryptionContext);
  return {
    CiphertextBlob: out.blob,
    SourceKeyId: arnOf(src.k),
    KeyId: arnOf(dst),
    SourceEncryptionAlgorithm: src.alg,
    DestinationEncryptionAlgorithm: out.alg,
    SourceKeyMaterialId: src.materialId,
    DestinationKeyMaterialId: out.materialId,
  };
}

/** A symmetric encryption key for the data key operations. */
function dataKeyKey(s: KmsState, scope: Scope, keyId: string, operation: string): KeyRecord {
  const k = s.usable(scope, keyId, operation, 'ENCRYPT_DECRYPT');
  if (SPECS[k.KeySpec]!.kind !== 'symmetric') throw invalidKeyUsage(`${arnOf(k)} key spec is ${k.KeySpec} which is not valid for ${operation}.`);
  return k;
}

export function generateDataKey(s: KmsState, scope: Scope, input: GenerateDataKeyRequest, withPlaintext: boolean): GenerateDataKeyResponse {
  const op = withPlaintext ? 'GenerateDataKey' : 'GenerateDataKeyWithoutPlaintext';
  if (input.KeySpec !== undefined && !['AES_256', 'AES_128'].includes(input.KeySpec)) throw enumConstraint(input.KeySpec, 'keySpec', ['AES_256', 'AES_128']);
  checkRange(input.NumberOfBytes, 'numberOfBytes', 1, 1024);
  if ((input.KeySpec === undefined) === (input.NumberOfBytes === undefined)) throw validation('Please specify either number of bytes or key spec.');
  if (input.Recipient) throw unsupported('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
  const k = dataKeyKey(s, scope, input.KeyId, op);
  const n = input.NumberOfBytes ?? (input.KeySpec === 'AES_128' ? 16 : 32);
  const plaintext = randomBytes(n);
  const m = current(k);
  const out: GenerateDataKeyResponse = { CiphertextBlob: seal(k.KeyId, m, plaintext, input.EncryptionContext), KeyId: arnOf(k), KeyMaterialId: m.id };
  if (withPlaintext) out.Plaintext = plaintext;
  return out;
}

export async function generateDataKeyPair(s: KmsState, scope: Scope, input: GenerateDataKeyPairRequest, withPlaintext: boolean): Promise<GenerateDataKeyPairResponse> {
  const op = withPlaintext ? 'GenerateDataKeyPair' : 'GenerateDataKeyPairWithoutPlaintext';
  if (!KEY_PAIR_SPEC_ENUM.includes(input.KeyPairSpec)) throw enumConstraint(input.KeyPairSpec, 'keyPairSpec', KEY_PAIR_SPEC_ENUM);
  if (!DATA_KEY_PAIR_SPECS.includes(input.KeyPairSpec)) throw unsupported(`KeyPairSpec ${input.KeyPairSpec} is not supported by this emulator.`);
  if (input.Recipient) throw unsupported('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
  dataKeyKey(s, scope, input.KeyId, op);
  const pair = await newKeyPair(input.KeyPairSpec);
  const k = dataKeyKey(s, scope, input.KeyId, op); // again: the key may have changed while the pair was generated
  const m = current(k);
  const out: GenerateDataKeyPairResponse = {
    KeyId: arnOf(k),
    KeyPairSpec: input.KeyPairSpec,
    PublicKey: pair.publicDer,
    PrivateKeyCiphertextBlob: seal(k.KeyId, m, pair.privateDer, input.EncryptionContext),
    KeyMaterialId: m.id,
  };
  if (withPlaintext) out.PrivateKeyPlaintext = pair.privateDer;
  return out;
}

export function generateRandom(input: GenerateRandomRequest): GenerateRandomResponse {
  if (input.NumberOfBytes === undefined) throw validation('1 validation error detected: Value null at \'numberOfBytes\' failed to satisfy constraint: Member must not be null');
  checkRange(input.NumberOfBytes, 'numberOfBytes', 1, 1024);
  if (input.CustomKeyStoreId !== undefined) throw unsupported('Custom key stores are not supported by this emulator.');
  if (input.Recipient) throw unsupported('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
  return { Plaintext: randomBytes(input.NumberOfBytes) };
}
