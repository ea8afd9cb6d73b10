/** GetKeyLastUsage, and recording the last successful cryptographic operation of each key. */
import { parseArn } from '../../../core/arn.js';
import type { Scope } from '../../../state/store.js';
import type { GetKeyLastUsageResponse } from '../generated/types.js';
import type { KmsState } from '../state.js';

/** Operations KMS tracks for GetKeyLastUsage, and the response members that name the keys they used. */
const TRACKED: Record<string, string[]> = {
  Encrypt: ['KeyId'],
  Decrypt: ['KeyId'],
  ReEncrypt: ['SourceKeyId', 'KeyId'],
  GenerateDataKey: ['KeyId'],
  GenerateDataKeyWithoutPlaintext: ['KeyId'],
  GenerateDataKeyPair: ['KeyId'],
  GenerateDataKeyPairWithoutPlaintext: ['KeyId'],
  Sign: ['KeyId'],
  Verify: ['KeyId'],
  GenerateMac: ['KeyId'],
  VerifyMac: ['KeyId'],
  DeriveSharedSecret: ['KeyId'],
};

/** After a successful operation: remember it on every key its response names (key ARNs). */
export function recordUsage(s: KmsState, operation: string, output: unknown, requestId: string | undefined): void {
  const members = TRACKED[operation];
  if (!members || !output || typeof output !== 'object') return;
  const at = s.now();
  for (const m of members) {
    const a = parseArn(String((output as Record<string, unknown>)[m] ?? ''));
    if (!a || !a.resource.startsWith('key/')) continue;
    const scope = { account: a.account, region: a.region };
    const keyId = a.resource.slice(4);
    if (s.keys.has(scope, keyId)) s.usage.put(scope, keyId, { operation, at, requestId });
  }
}

export function getKeyLastUsage(s: KmsState, scope: Scope, keyId: string): GetKeyLastUsageResponse {
  const k = s.resolve(scope, keyId);
  const u = s.usage.get({ account: k.account, region: k.region }, k.KeyId);
  return {
    KeyId: k.KeyId,
    KeyCreationDate: new Date(k.CreationDate),
    // gureum tracks every key from its creation
    TrackingStartDate: new Date(k.CreationDate),
    KeyLastUsage: u ? { Operation: u.operation, Timestamp: new Date(u.at), KmsRequestId: u.requestId } : undefined,
  };
}
