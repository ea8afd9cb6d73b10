/**
 * Server-side encryption as S3 applies it to writes and reads: SSE-S3 (AES256, the default for
 * every object since 2023), SSE-KMS / DSSE-KMS (the key must exist and be enabled in KMS: S3
 * asks KMS for a data key, as AWS does), and SSE-C (a customer key whose MD5 is kept to check
 * later reads). The bucket's default encryption applies when a write names none. Bytes are
 * stored as sent: encryption at rest is not simulated, only its rules and headers.
 */
import { createHash } from 'node:crypto';
import { AwsError, isAwsError } from '../../../core/errors.js';
import type { ServerSideEncryptionRule } from '../generated/types.js';
import type { Bucket, S3State } from '../state.js';
import { invalidArgument, invalidRequest } from './errors.js';

export interface ObjectSse {
  /** absent for SSE-C */
  algorithm?: 'AES256' | 'aws:kms' | 'aws:kms:dsse';
  /** the KMS key's ARN */
  kmsKeyId?: string;
  bucketKey?: boolean;
  /** x-amz-server-side-encryption-context as sent (base64 JSON) */
  context?: string;
  /** SSE-C: the base64 MD5 of the customer key */
  customerKeyMD5?: string;
}

export interface SseWriteInput {
  ServerSideEncryption?: string;
  SSEKMSKeyId?: string;
  SSEKMSEncryptionContext?: string;
  BucketKeyEnabled?: boolean;
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
}

export interface SseReadInput {
  SSECustomerAlgorithm?: string;
  SSECustomerKey?: string;
  SSECustomerKeyMD5?: string;
}

const ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];
const isKms = (a: string | undefined) => a === 'aws:kms' || a === 'aws:kms:dsse';

/** PutBucketEncryption's rules: one rule, a known algorithm, a key id only with KMS. */
export function checkEncryptionRules(rules: ServerSideEncryptionRule[] | undefined): ServerSideEncryptionRule {
  const malformed = new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  if (!rules || rules.length !== 1) throw malformed;
  const rule = rules[0]!;
  const d = rule.ApplyServerSideEncryptionByDefault;
  if (d) {
    if (!ALGORITHMS.includes(d.SSEAlgorithm)) throw malformed;
    if (d.KMSMasterKeyID !== undefined && !isKms(d.SSEAlgorithm)) {
      throw new AwsError('InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', 400, { fields: { ArgumentName: 'ApplyServerSideEncryptionByDefault' } });
    }
  }
  for (const t of rule.BlockedEncryptionTypes?.EncryptionType ?? []) if (t !== 'NONE' && t !== 'SSE-C') throw malformed;
  return rule;
}

/** The configuration GetBucketEncryption answers (SSE-S3 when none was set). */
export function effectiveEncryption(rule: ServerSideEncryptionRule | undefined): ServerSideEncryptionRule {
  return rule ?? { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false };
}

/**
 * The SSE-C trio: AES256, a 256-bit key, its MD5. Returns the MD5 (base64), or undefined
 * when none of the three headers is present. `copy` names the copy-source headers.
 */
export function customerKey(input: SseReadInput, copy = false): string | undefined {
  const { SSECustomerAlgorithm: alg, SSECustomerKey: key, SSECustomerKeyMD5: md5 } = input;
  if (alg === undefined && key === undefined && md5 === undefined) return undefined;
  const header = copy ? 'x-amz-copy-source-server-side-encryption-customer-algorithm' : 'x-amz-server-side-encryption';
  if (alg === undefined) {
    throw new AwsError('InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide a valid encryption algorithm.', 400, { fields: { ArgumentName: header, ArgumentValue: 'null' } });
  }
  if (alg !== 'AES256') {
    throw new AwsError('InvalidEncryptionAlgorithmError', 'The Encryption request you specified is not valid. Supported value: AES256.', 400, { fields: { ArgumentName: header, ArgumentValue: alg } });
  }
  if (!key) throw new AwsError('InvalidArgument', 'Requests specifying Server Side Encryption with Customer provided keys must provide an appropriate secret key.', 400, { fields: { ArgumentName: header, ArgumentValue: 'null' } });
  const raw = Buffer.from(key, 'base64');
  const actual = createHash('md5').update(raw).digest('base64');
  if (md5 !== undefined && md5 !== actual) {
    throw new AwsError('InvalidArgument', 'The calculated MD5 hash of the key did not match the hash that was provided.', 400, { fields: { ArgumentName: header, ArgumentValue: 'null' } });
  }
  if (raw.length !== 32) throw new AwsError('InvalidArgument', 'The secret key was invalid for the specified algorithm.', 400, { fields: { ArgumentName: header, ArgumentValue: 'null' } });
  return actual;
}

/** The encryption context header: base64 of a JSON string-to-string map. */
function checkContext(ctx: string | undefined): void {
  if (ctx === undefined) return;
  let ok = false;
  try {
    const v = JSON.parse(Buffer.from(ctx, 'base64').toString('utf8')) as unknown;
    ok = typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
  } catch {
    ok = false;
  }
  if (!ok) throw invalidArgument("The header 'x-amz-server-side-encryption-context' shall be Base64-encoded UTF-8 string holding JSON which represents a string-string map", 'x-amz-server-side-encryption-context', ctx);
}

/**
 * How a new object in `b` is encrypted, from the request's headers or the bucket's default
 * (a promise only when KMS has to be asked).
 * SSE-KMS keys are checked with KMS (GenerateDataKey in the bucket's account and region);
 * KMS's refusal comes back as S3 reports it (`KMS.NotFoundException`, `KMS.DisabledException`, …).
 */
export function writeEncryption(state: S3State, b: Bucket, input: SseWriteInput): ObjectSse | undefined | Promise<ObjectSse> {
  const sse = input.ServerSideEncryption;
  const c = input.SSECustomerAlgorithm !== undefined || input.SSECustomerKey !== undefined || input.SSECustomerKeyMD5 !== undefined;
  if (c && sse !== undefined) {
    throw invalidArgument('Server Side Encryption with Customer provided key is incompatible with the encryption method specified', 'x-amz-server-side-encryption', sse);
  }
  if (c) {
    const md5 = customerKey(input)!;
    if (b.record.encryption?.BlockedEncryptionTypes?.EncryptionType?.includes('SSE-C')) {
      throw new AwsError('AccessDenied', 'This bucket has blocked upload requests that specify Server Side Encryption with Customer provided keys (SSE-C). Please specify a different server-side encryption type', 403);
    }
    return { customerKeyMD5: md5 };
  }
  if (sse !== undefined && !ALGORITHMS.includes(sse)) throw invalidArgument('The encryption method specified is not supported', 'x-amz-server-side-encryption', sse);
  if (input.SSEKMSKeyId !== undefined && !isKms(sse)) {
    throw invalidArgument('Server Side Encryption with AWS KMS managed key requires HTTP header x-amz-server-side-encryption : aws:kms', 'x-amz-server-side-encryption-aws-kms-key-id', input.SSEKMSKeyId);
  }
  checkContext(input.SSEKMSEncryptionContext);
  const def = b.record.encryption;
  const algorithm = (sse ?? def?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm ?? 'AES256') as NonNullable<ObjectSse['algorithm']>;
  if (!isKms(algorithm)) return sse === undefined && !def ? undefined : { algorithm: 'AES256' };
  // A request naming aws:kms without a key uses the AWS managed key aws/s3; no header: the bucket's default key.
  const keyId = input.SSEKMSKeyId ?? (sse === undefined ? def?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID : undefined) ?? 'alias/aws/s3';
  const bucketKey = input.BucketKeyEnabled ?? def?.BucketKeyEnabled ?? false;
  const context = input.SSEKMSEncryptionContext;
  return kmsDataKey(state, b, keyId).then((arn) => ({ algorithm, kmsKeyId: arn, ...(bucketKey ? { bucketKey: true } : {}), ...(context ? { context } : {}) }));
}

/** Asks KMS for a data key under `keyId` in the bucket's account and region; answers the key's ARN (KMS's errors as S3 reports them). */
export async function kmsDataKey(state: S3State, b: Bucket, keyId: string): Promise<string> {
  try {
    const out = (await state.rt.call('kms', 'GenerateDataKey', { KeyId: keyId, KeySpec: 'AES_256' }, { account: b.record.account, region: b.record.region })) as { KeyId: string };
    return out.KeyId;
  } catch (e) {
    if (!isAwsError(e)) throw e;
    const status = e.code === 'NotFoundException' || e.code === 'InvalidKeyUsageException' ? 400 : e.code === 'AccessDeniedException' ? 403 : 400;
    throw new AwsError(`KMS.${e.code}`, e.message, status);
  }
}

/** What a response says about an object's encryption. */
export function sseOutput(sse: ObjectSse | undefined): Record<string, unknown> {
  if (!sse || sse.algorithm === 'AES256') return { ServerSideEncryption: 'AES256' };
  if (sse.customerKeyMD5) return { SSECustomerAlgorithm: 'AES256', SSECustomerKeyMD5: sse.customerKeyMD5 };
  return { ServerSideEncryption: sse.algorithm, SSEKMSKeyId: sse.kmsKeyId, ...(sse.bucketKey ? { BucketKeyEnabled: true } : {}) };
}

/**
 * A read (GET, HEAD, copy source) of an SSE-C object needs its key; other objects refuse
 * SSE-C headers. `copy` names the x-amz-copy-source-… headers.
 */
export function checkReadKey(sse: ObjectSse | undefined, input: SseReadInput, copy = false): void {
  const given = input.SSECustomerAlgorithm !== undefined || input.SSECustomerKey !== undefined || input.SSECustomerKeyMD5 !== undefined;
  if (!sse?.customerKeyMD5) {
    if (given) throw invalidRequest('The encryption parameters are not applicable to this object.');
    return;
  }
  if (!given) throw invalidRequest('The object was stored using a form of Server Side Encryption. The correct parameters must be provided to retrieve the object.');
  let md5: string | undefined;
  try {
    md5 = customerKey(input, copy);
  } catch (e) {
    // a key of the wrong length is just a wrong key on reads
    if (isAwsError(e) && e.message.startsWith('The secret key was invalid')) md5 = undefined;
    else throw e;
  }
  if (md5 !== sse.customerKeyMD5) {
    throw new AwsError('AccessDenied', 'Requests specifying Server Side Encryption with Customer provided keys must provide the correct secret key.', 403);
  }
}
