/** Sign, Verify, GetPublicKey, GenerateMac, VerifyMac, DeriveSharedSecret. */
import { createPrivateKey, createPublicKey, diffieHellman } from 'node:crypto';
import type { Scope } from '../../../state/store.js';
import type {
  DeriveSharedSecretRequest, DeriveSharedSecretResponse, GenerateMacRequest, GenerateMacResponse, GetPublicKeyResponse,
  SignRequest, SignResponse, VerifyMacRequest, VerifyMacResponse, VerifyRequest, VerifyResponse,
} from '../generated/types.js';
import { hmac, sameBytes, signMessage, verifyMessage } from '../domain/crypto.js';
import { checkLength, enumConstraint, invalidKeyUsage, invalidMac, invalidSignature, unsupported, validation } from '../domain/errors.js';
import { arnOf, current, type KeyRecord } from '../domain/model.js';
import { algorithmsOf, MAC_ALGORITHMS, SIGNING_ALGORITHMS, signingHash, SPECS } from '../domain/specs.js';
import { checkUsable, type KmsState } from '../state.js';

const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'];
const SIGNING_ENUM = [...SIGNING_ALGORITHMS, 'SM2DSA', 'ED25519_SHA_512', 'ED25519_PH_SHA_512', 'ML_DSA_SHAKE_256'];

function signingKey(s: KmsState, scope: Scope, input: SignRequest | VerifyRequest, operation: string): { k: KeyRecord; digest: boolean } {
  checkLength(input.Message, 'message', 1, 4096);
  const type = input.MessageType ?? 'RAW';
  if (!MESSAGE_TYPES.includes(type)) throw enumConstraint(type, 'messageType', MESSAGE_TYPES);
  if (!SIGNING_ENUM.includes(input.SigningAlgorithm)) throw enumConstraint(input.SigningAlgorithm, 'signingAlgorithm', SIGNING_ENUM);
  const k = s.usable(scope, input.KeyId, operation, 'SIGN_VERIFY');
  if (!(algorithmsOf(k.KeySpec, k.KeyUsage).SigningAlgorithms ?? []).includes(input.SigningAlgorithm)) {
    throw invalidKeyUsage(`Algorithm ${input.SigningAlgorithm} is incompatible with key spec ${k.KeySpec}.`);
  }
  if (type === 'EXTERNAL_MU') throw validation(`Message type EXTERNAL_MU is incompatible with key spec ${k.KeySpec}.`);
  if (type === 'DIGEST' && input.Message.length !== signingHash(input.SigningAlgorithm).length) {
    throw validation(`Digest is invalid length for algorithm ${input.SigningAlgorithm}.`);
  }
  return { k, digest: type === 'DIGEST' };
}

export function sign(s: KmsState, scope: Scope, input: SignRequest): SignResponse {
  const { k, digest } = signingKey(s, scope, input, 'Sign');
  return { KeyId: arnOf(k), Signature: signMessage(k.KeySpec, current(k), input.SigningAlgorithm, input.Message, digest), SigningAlgorithm: input.SigningAlgorithm };
}

export function verify(s: KmsState, scope: Scope, input: VerifyRequest): VerifyResponse {
  checkLength(input.Signature, 'signature', 1, 6144);
  const { k, digest } = signingKey(s, scope, input, 'Verify');
  if (!verifyMessage(k.KeySpec, current(k), input.SigningAlgorithm, input.Message, digest, input.Signature)) throw invalidSignature();
  return { KeyId: arnOf(k), SignatureValid: true, SigningAlgorithm: input.SigningAlgorithm };
}

export function getPublicKey(s: KmsState, scope: Scope, keyId: string): GetPublicKeyResponse {
  const k = s.resolve(scope, keyId, { alias: true });
  checkUsable(k, 'GetPublicKey');
  const kind = SPECS[k.KeySpec]!.kind;
  if (kind !== 'rsa' && kind !== 'ec') throw unsupported(`${arnOf(k)} key spec is ${k.KeySpec}: GetPublicKey supports only asymmetric KMS keys.`);
  return {
    KeyId: arnOf(k),
    PublicKey: current(k).publicDer,
    CustomerMasterKeySpec: k.KeySpec,
    KeySpec: k.KeySpec,
    KeyUsage: k.KeyUsage,
    ...algorithmsOf(k.KeySpec, k.KeyUsage),
  };
}

function macKey(s: KmsState, scope: Scope, input: GenerateMacRequest, operation: string): KeyRecord {
  checkLength(input.Message, 'message', 1, 4096);
  if (!MAC_ALGORITHMS.includes(input.MacAlgorithm)) throw enumConstraint(input.MacAlgorithm, 'macAlgorithm', MAC_ALGORITHMS);
  const k = s.usable(scope, input.KeyId, operation, 'GENERATE_VERIFY_MAC');
  if (SPECS[k.KeySpec]!.mac !== input.MacAlgorithm) throw invalidKeyUsage(`Algorithm ${input.MacAlgorithm} is incompatible with key spec ${k.KeySpec}.`);
  return k;
}

export function generateMac(s: KmsState, scope: Scope, input: GenerateMacRequest): GenerateMacResponse {
  const k = macKey(s, scope, input, 'GenerateMac');
  return { KeyId: arnOf(k), Mac: hmac(k.KeySpec, current(k), input.Message), MacAlgorithm: input.MacAlgorithm };
}

export function verifyMac(s: KmsState, scope: Scope, input: VerifyMacRequest): VerifyMacResponse {
  checkLength(input.Mac, 'mac', 1, 6144);
  const k = macKey(s, scope, input, 'VerifyMac');
  if (!sameBytes(hmac(k.KeySpec, current(k), input.Message), input.Mac)) throw invalidMac();
  return { KeyId: arnOf(k), MacValid: true, MacAlgorithm: input.MacAlgorithm };
}

export function deriveSharedSecret(s: KmsState, scope: Scope, input: DeriveSharedSecretRequest): DeriveSharedSecretResponse {
  if (input.KeyAgreementAlgorithm !== 'ECDH') throw enumConstraint(input.KeyAgreementAlgorithm, 'keyAgreementAlgorithm', ['ECDH']);
  if (input.Recipient) throw unsupported('Recipient (Nitro Enclaves attestation) is not supported by this emulator.');
  checkLength(input.PublicKey, 'publicKey', 1, 8192);
  const k = s.usable(scope, input.KeyId, 'DeriveSharedSecret', 'KEY_AGREEMENT');
  let secret: Buffer;
  try {
    const peer = createPublicKey({ key: Buffer.from(input.PublicKey), format: 'der', type: 'spki' });
    secret = diffieHellman({ privateKey: createPrivateKey({ key: current(k).privateDer!, format: 'der', type: 'pkcs8' }), publicKey: peer });
  } catch {
    throw validation(`The public key is not a valid DER-encoded ${k.KeySpec} SubjectPublicKeyInfo.`);
  }
  return { KeyId: arnOf(k), SharedSecret: secret, KeyAgreementAlgorithm: 'ECDH', KeyOrigin: k.Origin };
}
