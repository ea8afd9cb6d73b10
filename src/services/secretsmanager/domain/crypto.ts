/**
 * Secret values under KMS, as Secrets Manager does it: envelope encryption. Each version gets its
 * own AES-256 data key from KMS GenerateDataKey under the secret's key (the given KmsKeyId, or the
 * AWS managed key `aws/secretsmanager`, created on first use); the value is encrypted locally with
 * AES-256-GCM and only the encrypted data key is kept. The encryption context binds the data key
 * to the secret and version: { SecretARN, SecretVersionId }. A key that cannot be used (disabled,
 * pending deletion, missing, not symmetric) answers EncryptionFailure / DecryptionFailure.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { isAwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import type { KmsApi } from '../../kms/internal.js';
import { decryptionFailure, encryptionFailure, type VersionRecord } from './model.js';

export const DEFAULT_KEY = 'alias/aws/secretsmanager';

export interface SealedValue {
  /** ARN of the KMS key the data key is encrypted under */
  keyArn: string;
  dataKey: Buffer;
  iv: Buffer;
  tag: Buffer;
  ct: Buffer;
  binary: boolean;
}

export interface PlainValue {
  SecretString?: string;
  SecretBinary?: Buffer;
}

const context = (secretArn: string, versionId: string) => ({ SecretARN: secretArn, SecretVersionId: versionId });

export function sealValue(kms: KmsApi, scope: Scope, secretArn: string, versionId: string, keyId: string | undefined, value: PlainValue): SealedValue {
  let dk: { Plaintext: Buffer; CiphertextBlob: Buffer; KeyId: string };
  try {
    dk = kms.generateDataKey(scope, keyId ?? DEFAULT_KEY, context(secretArn, versionId));
  } catch (e) {
    if (isAwsError(e)) throw encryptionFailure();
    throw e;
  }
  const binary = value.SecretBinary !== undefined;
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', dk.Plaintext, iv);
  const ct = Buffer.concat([c.update(binary ? value.SecretBinary! : Buffer.from(value.SecretString ?? '', 'utf8')), c.final()]);
  return { keyArn: dk.KeyId, dataKey: dk.CiphertextBlob, iv, tag: c.getAuthTag(), ct, binary };
}

export function openSealed(kms: KmsApi, scope: Scope, secretArn: string, versionId: string, sealed: SealedValue): PlainValue {
  let key: Buffer;
  try {
    key = kms.decrypt(scope, sealed.dataKey, context(secretArn, versionId), sealed.keyArn).Plaintext;
  } catch (e) {
    if (isAwsError(e)) throw decryptionFailure();
    throw e;
  }
  const d = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv));
  d.setAuthTag(Buffer.from(sealed.tag));
  const plain = Buffer.concat([d.update(Buffer.from(sealed.ct)), d.final()]);
  return sealed.binary ? { SecretBinary: plain } : { SecretString: plain.toString('utf8') };
}

/** The plaintext of a version (legacy plaintext records are read as they are). */
export function openVersion(kms: KmsApi, scope: Scope, secretArn: string, v: VersionRecord): PlainValue {
  if (v.sealed) return openSealed(kms, scope, secretArn, v.id, v.sealed);
  return { SecretString: v.secretString, SecretBinary: v.secretBinary === undefined ? undefined : Buffer.from(v.secretBinary) };
}
