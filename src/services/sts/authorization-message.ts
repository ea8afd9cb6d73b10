/**
 * Encoded authorization failure messages (EC2 and other services append one to a denial) and
 * their decoding (DecodeAuthorizationMessage). The message is AES-256-GCM under a key gureum
 * keeps in STS's state, so only gureum's STS can read it, as with AWS.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Store } from '../../state/store.js';

const SCOPE = { account: '', region: '' };

function key(store: Store): Buffer {
  const t = store.table<{ key: string }>('sts', 'message-key');
  let rec = t.get(SCOPE, 'key');
  if (!rec) t.put(SCOPE, 'key', (rec = { key: randomBytes(32).toString('base64') }));
  return Buffer.from(rec.key, 'base64');
}

/** The decoded form AWS documents: allowed, explicitDeny, matchedStatements, failures, context. */
export interface AuthorizationDetails {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: { items: { statementId: string; effect: string; principals?: unknown; actions: { items: { value: string }[] }; resources: { items: { value: string }[] }; conditions: { items: unknown[] } }[] };
  failures: { items: unknown[] };
  context: {
    principal: { id: string; arn: string; name?: string };
    action: string;
    resource: string;
    conditions: { items: { key: string; values: { items: { value: string }[] } }[] };
  };
}

export function encodeAuthorizationMessage(store: Store, details: AuthorizationDetails): string {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', key(store), iv);
  const body = Buffer.concat([c.update(JSON.stringify(details), 'utf8'), c.final()]);
  return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64url');
}

/** The JSON text of a message gureum encoded, or undefined when it is not one. */
export function decodeAuthorizationMessage(store: Store, encoded: string): string | undefined {
  try {
    const raw = Buffer.from(encoded, 'base64url');
    if (raw.length < 29) return undefined;
    const d = createDecipheriv('aes-256-gcm', key(store), raw.subarray(0, 12));
    d.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
