/**
 * SecureString values through KMS, bound to their parameter by the encryption context
 * { PARAMETER_ARN: <parameter ARN> } as Parameter Store does it:
 *
 * - Standard tier: the value is encrypted directly with KMS Encrypt under the parameter's key
 *   (KeyId, default the AWS managed key alias/aws/ssm, created on first use). Without
 *   WithDecryption, GetParameter answers that KMS ciphertext in base64: `aws kms decrypt` with
 *   the same encryption context opens it.
 * - Advanced tier (values up to 8 KB, beyond KMS Encrypt's 4 KB): envelope encryption with a KMS
 *   data key and AES-256-GCM; the base64 value is gureum's envelope (AWS uses the Encryption SDK
 *   message format there, which gureum does not reproduce).
 *
 * KMS errors (missing, disabled or asymmetric key, …) answer InvalidKeyId with KMS's message and
 * AWS's "(Service: AWSKMS; …)" suffix.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AwsError, isAwsError } from '../../../core/errors.js';
import { requestId } from '../../../core/ids.js';
import type { Scope } from '../../../state/store.js';
import type { KmsApi } from '../../kms/internal.js';

export interface EncryptedValue {
  /** base64: the KMS ciphertext blob (direct) or gureum's envelope (advanced tier) */
  blob: string;
  envelope?: boolean;
  /** ARN of the KMS key */
  keyArn: string;
}

const ENVELOPE_MAGIC = 0x5e;

function invalidKeyId(e: unknown): AwsError {
  if (!isAwsError(e)) throw e;
  const status = e.code === 'DisabledException' || e.code === 'KMSInvalidStateException' ? 409 : 400;
  return new AwsError('InvalidKeyId', `${e.message} (Service: AWSKMS; Status Code: ${status}; Error Code: ${e.code}; Request ID: ${requestId()}; Proxy: null)`, 400);
}

export function encryptValue(kms: KmsApi, scope: Scope, keyId: string, parameterArn: string, value: string, envelope: boolean): EncryptedValue {
  const context = { PARAMETER_ARN: parameterArn };
  try {
    if (!envelope) {
      const out = kms.encrypt(scope, keyId, Buffer.from(value, 'utf8'), context);
      return { blob: out.CiphertextBlob.toString('base64'), keyArn: out.KeyId };
    }
    const dk = kms.generateDataKey(scope, keyId, context);
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', dk.Plaintext, iv);
    const ct = Buffer.concat([c.update(value, 'utf8'), c.final()]);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(dk.CiphertextBlob.length);
    return { blob: Buffer.concat([Buffer.from([ENVELOPE_MAGIC]), len, dk.CiphertextBlob, iv, c.getAuthTag(), ct]).toString('base64'), envelope: true, keyArn: dk.KeyId };
  } catch (e) {
    throw invalidKeyId(e);
  }
}

export function decryptValue(kms: KmsApi, scope: Scope, parameterArn: string, enc: EncryptedValue): string {
  const context = { PARAMETER_ARN: parameterArn };
  const blob = Buffer.from(enc.blob, 'base64');
  try {
    if (!enc.envelope) return kms.decrypt(scope, blob, context, enc.keyArn).Plaintext.toString('utf8');
    const n = blob.readUInt16BE(1);
    const dataKey = blob.subarray(3, 3 + n);
    const iv = blob.subarray(3 + n, 15 + n);
    const tag = blob.subarray(15 + n, 31 + n);
    const key = kms.decrypt(scope, dataKey, context, enc.keyArn).Plaintext;
    const d = createDecipheriv('aes-256-gcm', key, iv);
    d.setAuthTag(tag);
    return Buffer.concat([d.update(blob.subarray(31 + n)), d.final()]).toString('utf8');
  } catch (e) {
    throw invalidKeyId(e);
  }
}
