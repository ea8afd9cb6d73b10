/**
 * KMS (awsJson 1.1) with real cryptography: symmetric AES-256-GCM keys whose ciphertext blobs
 * name their key, RSA (OAEP encryption, PKCS#1 v1.5 / PSS signatures), ECDSA (NIST curves and
 * secp256k1), HMAC; imported key material with expiry, multi-Region keys, aliases, tags, key
 * policies and grants (enforced with IAM enforcement on), rotation and scheduled deletion on the
 * virtual clock. Key material lives in state: this is an emulator. Other services use KMS
 * through internal.ts.
 */
import { defineService, type OperationHandler } from '../service.js';
import { scopeOf } from '../../gateway/context.js';
import type { KMSHandlers } from './generated/types.js';
import { dryRun } from './domain/errors.js';
import { KmsState } from './state.js';
import { sweep } from './domain/lifecycle.js';
import { authorizeKeyUse, keyPolicyWithGrants } from './domain/access.js';
import { registerResourcePolicyReader } from '../iam/internal.js';
import { register } from './internal.js';
import { deleteImportedKeyMaterial, getParametersForImport, importKeyMaterial } from './operations/import.js';
import { replicateKey, updatePrimaryRegion } from './operations/multiregion.js';
import { getKeyLastUsage, recordUsage } from './operations/usage.js';
import { cancelKeyDeletion, createKey, describeKey, listKeys, scheduleKeyDeletion, setEnabled, updateKeyDescription } from './operations/keys.js';
import { getKeyRotationStatus, listKeyRotations, rotateKeyOnDemand, setRotation } from './operations/rotation.js';
import { createAlias, deleteAlias, listAliases, updateAlias } from './operations/aliases.js';
import { getKeyPolicy, listKeyPolicies, listResourceTags, putKeyPolicy, tagResource, untagResource } from './operations/tags-policies.js';
import { createGrant, listGrants, listRetirableGrants, retireGrant, revokeGrant } from './operations/grants.js';
import { decrypt, encrypt, generateDataKey, generateDataKeyPair, generateRandom, reEncrypt } from './operations/encryption.js';
import { deriveSharedSecret, generateMac, getPublicKey, sign, verify, verifyMac } from './operations/signing.js';

/** DryRun on an operation without side effects: everything is checked, then DryRunOperationException. */
async function dry<T>(input: { DryRun?: boolean }, run: () => T | Promise<T>): Promise<T> {
  const out = await run();
  if (input.DryRun) throw dryRun();
  return out;
}

export default defineService({
  id: 'kms',
  create(rt) {
    const s = new KmsState(rt);
    const handlers: KMSHandlers = {
      CreateKey: (i, c) => createKey(s, scopeOf(c), i),
      DescribeKey: (i, c) => describeKey(s, scopeOf(c), i.KeyId),
      ListKeys: (i, c) => listKeys(s, scopeOf(c), i),
      EnableKey: (i, c) => setEnabled(s, scopeOf(c), i.KeyId, true),
      DisableKey: (i, c) => setEnabled(s, scopeOf(c), i.KeyId, false),
      UpdateKeyDescription: (i, c) => updateKeyDescription(s, scopeOf(c), i.KeyId, i.Description),
      ScheduleKeyDeletion: (i, c) => scheduleKeyDeletion(s, scopeOf(c), i),
      CancelKeyDeletion: (i, c) => cancelKeyDeletion(s, scopeOf(c), i.KeyId),
      EnableKeyRotation: (i, c) => setRotation(s, scopeOf(c), i.KeyId, true, i.RotationPeriodInDays),
      DisableKeyRotation: (i, c) => setRotation(s, scopeOf(c), i.KeyId, false),
      GetKeyRotationStatus: (i, c) => getKeyRotationStatus(s, scopeOf(c), i.KeyId),
      RotateKeyOnDemand: (i, c) => rotateKeyOnDemand(s, scopeOf(c), i.KeyId),
      ListKeyRotations: (i, c) => listKeyRotations(s, scopeOf(c), i),
      CreateAlias: (i, c) => createAlias(s, scopeOf(c), i.AliasName, i.TargetKeyId),
      UpdateAlias: (i, c) => updateAlias(s, scopeOf(c), i.AliasName, i.TargetKeyId),
      DeleteAlias: (i, c) => deleteAlias(s, scopeOf(c), i.AliasName),
      ListAliases: (i, c) => listAliases(s, scopeOf(c), i),
      TagResource: (i, c) => tagResource(s, scopeOf(c), i.KeyId, i.Tags),
      UntagResource: (i, c) => untagResource(s, scopeOf(c), i.KeyId, i.TagKeys),
      ListResourceTags: (i, c) => listResourceTags(s, scopeOf(c), i),
      GetKeyPolicy: (i, c) => getKeyPolicy(s, scopeOf(c), i.KeyId, i.PolicyName),
      PutKeyPolicy: (i, c) => putKeyPolicy(s, scopeOf(c), i),
      ListKeyPolicies: (i, c) => listKeyPolicies(s, scopeOf(c), i),
      CreateGrant: (i, c) => createGrant(s, scopeOf(c), i),
      ListGrants: (i, c) => listGrants(s, scopeOf(c), i),
      ListRetirableGrants: (i, c) => listRetirableGrants(s, scopeOf(c), i),
      RetireGrant: (i, c) => retireGrant(s, scopeOf(c), i),
      RevokeGrant: (i, c) => revokeGrant(s, scopeOf(c), i),
      Encrypt: (i, c) => dry(i, () => encrypt(s, scopeOf(c), i)),
      Decrypt: (i, c) => dry(i, () => decrypt(s, scopeOf(c), i)),
      ReEncrypt: (i, c) => dry(i, () => reEncrypt(s, scopeOf(c), i)),
      GenerateDataKey: (i, c) => dry(i, () => generateDataKey(s, scopeOf(c), i, true)),
      GenerateDataKeyWithoutPlaintext: (i, c) => dry(i, () => generateDataKey(s, scopeOf(c), i, false)),
      GenerateDataKeyPair: (i, c) => dry(i, () => generateDataKeyPair(s, scopeOf(c), i, true)),
      GenerateDataKeyPairWithoutPlaintext: (i, c) => dry(i, () => generateDataKeyPair(s, scopeOf(c), i, false)),
      GenerateRandom: (i) => generateRandom(i),
      Sign: (i, c) => dry(i, () => sign(s, scopeOf(c), i)),
      Verify: (i, c) => dry(i, () => verify(s, scopeOf(c), i)),
      GetPublicKey: (i, c) => getPublicKey(s, scopeOf(c), i.KeyId),
      GenerateMac: (i, c) => dry(i, () => generateMac(s, scopeOf(c), i)),
      VerifyMac: (i, c) => dry(i, () => verifyMac(s, scopeOf(c), i)),
      DeriveSharedSecret: (i, c) => dry(i, () => deriveSharedSecret(s, scopeOf(c), i)),
      GetParametersForImport: (i, c) => getParametersForImport(s, scopeOf(c), i),
      ImportKeyMaterial: (i, c) => importKeyMaterial(s, scopeOf(c), i),
      DeleteImportedKeyMaterial: (i, c) => deleteImportedKeyMaterial(s, scopeOf(c), i),
      ReplicateKey: (i, c) => replicateKey(s, scopeOf(c), i),
      UpdatePrimaryRegion: (i, c) => updatePrimaryRegion(s, scopeOf(c), i),
      GetKeyLastUsage: (i, c) => getKeyLastUsage(s, scopeOf(c), i.KeyId),
    };
    register(rt.store, s);
    registerResourcePolicyReader('kms', keyPolicyWithGrants);
    // Before every request: what came due on the clock, then (IAM enforcement on) the key policy and
    // grants. After a successful cryptographic operation: the key's last usage.
    const wrapped: Record<string, OperationHandler> = {};
    for (const [name, h] of Object.entries(handlers) as [string, OperationHandler][]) {
      wrapped[name] = async (input, ctx) => {
        sweep(s);
        authorizeKeyUse(s, ctx, name, input);
        const out = await h(input, ctx);
        recordUsage(s, name, out, ctx.requestId);
        return out;
      };
    }
    return { handlers: wrapped, stop: () => register(rt.store, undefined) };
  },
});
