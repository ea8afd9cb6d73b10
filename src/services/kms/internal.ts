/**
 * What the rest of gureum may use of KMS: encryption under a key for other services (Secrets
 * Manager, SSM SecureString, …), with KMS's own checks of key state and key usage, and the grant
 * lookup the gateway's authorize step can consult.
 *
 *   const kms = await kmsFor(rt, scope);                 // creates the KMS instance if needed
 *   kms.encrypt(scope, 'alias/aws/ssm', bytes, { PARAMETER_ARN: arn })   // { CiphertextBlob, KeyId (ARN) }
 *   kms.decrypt(scope, blob, context)                     // { Plaintext, KeyId }
 *   kms.generateDataKey(scope, keyId, context)            // { Plaintext, CiphertextBlob, KeyId } (AES-256)
 *   kms.describeKey(scope, keyId)                         // KeyMetadata
 *
 * Every call throws KMS's own AwsError (NotFoundException, DisabledException,
 * KMSInvalidStateException, InvalidKeyUsageException, InvalidCiphertextException, …) for the
 * calling service to map to its own error. `alias/aws/<service>` AWS managed keys are created on
 * first use, as in AWS. Calls are not authorized against key policies (they stand for the service
 * acting on the caller's behalf) and count as the key's last usage.
 */
import type { Scope, Store } from '../../state/store.js';
import type { ServiceRuntime } from '../service.js';
import type { KeyMetadata } from './generated/types.js';
import type { KmsState } from './state.js';
import { parseArn } from '../../core/arn.js';
import { grantFor } from './domain/access.js';
import { sweep } from './domain/lifecycle.js';
import { metadata } from './domain/model.js';
import { decrypt, encrypt, generateDataKey } from './operations/encryption.js';
import { recordUsage } from './operations/usage.js';

const states = new WeakMap<Store, KmsState>();

export function register(store: Store, state: KmsState | undefined): void {
  if (state) states.set(store, state);
  else states.delete(store);
}

type Context = Record<string, string> | undefined;

export interface KmsApi {
  encrypt(scope: Scope, keyId: string, plaintext: Uint8Array, context?: Context): { CiphertextBlob: Buffer; KeyId: string };
  decrypt(scope: Scope, ciphertext: Uint8Array, context?: Context, keyId?: string): { Plaintext: Buffer; KeyId: string };
  generateDataKey(scope: Scope, keyId: string, context?: Context): { Plaintext: Buffer; CiphertextBlob: Buffer; KeyId: string };
  describeKey(scope: Scope, keyId: string): KeyMetadata;
}

function apiOf(s: KmsState): KmsApi {
  const used = <T>(operation: string, out: T): T => {
    recordUsage(s, operation, out, undefined);
    return out;
  };
  return {
    encrypt(scope, keyId, plaintext, context) {
      sweep(s);
      const out = used('Encrypt', encrypt(s, scope, { KeyId: keyId, Plaintext: plaintext, EncryptionContext: context }));
      return { CiphertextBlob: Buffer.from(out.CiphertextBlob!), KeyId: out.KeyId! };
    },
    decrypt(scope, ciphertext, context, keyId) {
      sweep(s);
      const out = used('Decrypt', decrypt(s, scope, { CiphertextBlob: ciphertext, EncryptionContext: context, KeyId: keyId }));
      return { Plaintext: Buffer.from(out.Plaintext!), KeyId: out.KeyId! };
    },
    generateDataKey(scope, keyId, context) {
      sweep(s);
      const out = used('GenerateDataKey', generateDataKey(s, scope, { KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: context }, true));
      return { Plaintext: Buffer.from(out.Plaintext!), CiphertextBlob: Buffer.from(out.CiphertextBlob!), KeyId: out.KeyId! };
    },
    describeKey(scope, keyId) {
      sweep(s);
      return metadata(s.resolve(scope, keyId, { alias: true }));
    },
  };
}

/** KMS of the runtime `rt` belongs to (the KMS service is created on first use). */
export async function kmsFor(rt: ServiceRuntime, scope: Scope): Promise<KmsApi> {
  let s = states.get(rt.store);
  if (!s) {
    await rt.call('kms', 'ListKeys', { Limit: 1 }, scope);
    s = states.get(rt.store);
    if (!s) throw new Error('kms did not start');
  }
  return apiOf(s);
}

/** KMS, when it is already running in this runtime (synchronous paths). */
export function kmsIfRunning(store: Store): KmsApi | undefined {
  const s = states.get(store);
  return s && apiOf(s);
}

/**
 * For the gateway's authorize step: does a grant let this caller perform `kms:<action>` (grant
 * operation names: Decrypt, ReEncryptFrom, …) on the key `keyArn` with this request input
 * (encryption-context constraints are checked against it)? Returns the grant id, or undefined.
 */
export function kmsGrantAllows(store: Store, caller: { arn: string; principalArn: string }, keyArn: string, action: string, input: Record<string, unknown>): string | undefined {
  const s = states.get(store);
  const a = parseArn(keyArn);
  if (!s || !a || !a.resource.startsWith('key/')) return undefined;
  const key = s.keys.get({ account: a.account, region: a.region }, a.resource.slice(4));
  return key && grantFor(s, caller, key, action, input)?.GrantId;
}
