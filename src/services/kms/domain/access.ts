/**
 * Key-level authorization when IAM enforcement is on (soft|enforce): for every operation on a key,
 * IAM's policy engine on `kms:<Action>` with the key's ARN as resource (so the key policy is
 * evaluated and must allow the caller by itself, or delegate to IAM policies through the account
 * principal), and — when that does not allow — the key's grants: a grant whose grantee is the
 * caller, whose operations include the operation and whose encryption-context constraint the
 * request meets allows it, as in AWS. A denial answers AccessDeniedException in enforce mode and is
 * only recorded in soft mode. Calls other services make through KMS's internal API are not checked.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { Store } from '../../../state/store.js';
import { authorize, type ResourcePolicy } from '../../iam/internal.js';
import { callerIdentity, type Caller } from '../../sts/internal.js';
import { accessDenied } from './errors.js';
import { arnOf, type GrantRecord, type KeyRecord } from './model.js';
import { parseBlob } from './crypto.js';
import type { KmsState } from '../state.js';

/** Operations that take an encryption context, and the input member holding it. */
const CONTEXT_MEMBER: Record<string, string> = {
  Encrypt: 'EncryptionContext',
  Decrypt: 'EncryptionContext',
  ReEncryptFrom: 'SourceEncryptionContext',
  ReEncryptTo: 'DestinationEncryptionContext',
  GenerateDataKey: 'EncryptionContext',
  GenerateDataKeyWithoutPlaintext: 'EncryptionContext',
  GenerateDataKeyPair: 'EncryptionContext',
  GenerateDataKeyPairWithoutPlaintext: 'EncryptionContext',
};

/** Operations a grant with an encryption-context constraint may still allow although they take no context. */
export const CONTEXT_FREE_GRANT_OPERATIONS = ['DescribeKey', 'RetireGrant', 'CreateGrant'];
export const CONTEXT_GRANT_OPERATIONS = Object.keys(CONTEXT_MEMBER);

type Input = Record<string, unknown>;
interface Use { key: KeyRecord; action: string }

/** The keys an operation uses and the permission each needs (ReEncrypt needs two). */
function usesOf(s: KmsState, ctx: RequestContext, operation: string, input: Input): Use[] {
  const scope = { account: ctx.accountId, region: ctx.region };
  const find = (id: unknown): KeyRecord | undefined => {
    if (typeof id !== 'string') return undefined;
    try {
      return s.resolve(scope, id, { alias: true });
    } catch {
      return undefined; // the operation itself answers the lookup error
    }
  };
  const fromBlob = (blob: unknown): KeyRecord | undefined => {
    const p = blob instanceof Uint8Array ? parseBlob(blob) : undefined;
    return p ? s.keys.get(scope, p.keyId) : undefined;
  };
  const out: Use[] = [];
  const add = (key: KeyRecord | undefined, action: string) => key && out.push({ key, action });
  switch (operation) {
    case 'CreateKey': case 'ListKeys': case 'ListAliases': case 'GenerateRandom': case 'ListRetirableGrants':
    case 'CreateCustomKeyStore': case 'DescribeCustomKeyStores':
      break;
    case 'Decrypt':
      add(input.KeyId !== undefined ? find(input.KeyId) : fromBlob(input.CiphertextBlob), 'Decrypt');
      break;
    case 'ReEncrypt':
      add(input.SourceKeyId !== undefined ? find(input.SourceKeyId) : fromBlob(input.CiphertextBlob), 'ReEncryptFrom');
      add(find(input.DestinationKeyId), 'ReEncryptTo');
      break;
    case 'CreateAlias': case 'UpdateAlias':
      add(find(input.TargetKeyId), operation);
      break;
    case 'DeleteAlias':
      add(find(input.AliasName), operation);
      break;
    case 'RetireGrant': {
      if (typeof input.GrantToken === 'string') {
        for (const [sc, m] of s.grants.allScopes()) for (const g of m.values()) if (g.GrantToken === input.GrantToken) add(s.keys.get(sc, g.KeyId), operation);
      } else add(find(input.KeyId), operation);
      break;
    }
    default:
      add(find(input.KeyId), operation);
  }
  return out;
}

function encryptionContext(action: string, input: Input): Record<string, string> | undefined {
  const member = CONTEXT_MEMBER[action];
  return member ? (input[member] as Record<string, string> | undefined) ?? {} : undefined;
}

function meets(g: GrantRecord, context: Record<string, string> | undefined): boolean {
  const c = g.Constraints;
  if (!c?.EncryptionContextEquals && !c?.EncryptionContextSubset) return true;
  if (context === undefined) return false;
  if (c.EncryptionContextEquals) {
    const want = c.EncryptionContextEquals;
    return Object.keys(want).length === Object.keys(context).length && Object.entries(want).every(([k, v]) => context[k] === v);
  }
  return Object.entries(c.EncryptionContextSubset!).every(([k, v]) => context[k] === v);
}

/** The grant that lets `caller` perform `action` on `key` with this input, if any. */
export function grantFor(s: KmsState, caller: Pick<Caller, 'arn' | 'principalArn'>, key: KeyRecord, action: string, input: Input): GrantRecord | undefined {
  const names = new Set([caller.arn, caller.principalArn]);
  const context = encryptionContext(action, input);
  for (const g of s.grants.values({ account: key.account, region: key.region })) {
    if (g.KeyId !== key.KeyId) continue;
    const retiring = action === 'RetireGrant' && g.GrantToken === input.GrantToken && g.RetiringPrincipal !== undefined && names.has(g.RetiringPrincipal);
    if (retiring) return g;
    if (!g.GranteePrincipal || !names.has(g.GranteePrincipal) || !g.Operations.includes(action)) continue;
    if (action === 'CreateGrant') {
      // a grant lets its grantee create grants for no more operations than it has itself
      const ops = (input.Operations as string[] | undefined) ?? [];
      if (!ops.every((op) => g.Operations.includes(op))) continue;
    }
    if (meets(g, context)) return g;
  }
  return undefined;
}

/** Checks every key the request uses; throws AccessDeniedException (enforce) or records the denial (soft). */
export function authorizeKeyUse(s: KmsState, ctx: RequestContext, operation: string, input: Input): void {
  const mode = s.rt.config.iamEnforcement;
  if (mode === 'off' || ctx.internal) return;
  const uses = usesOf(s, ctx, operation, input);
  if (!uses.length) return;
  let caller: Caller;
  try {
    caller = callerIdentity(s.rt.store, ctx);
  } catch {
    return; // the gateway has already refused invalid credentials
  }
  for (const { key, action } of uses) {
    const context: Record<string, string | string[]> = { 'kms:CallerAccount': caller.account };
    const ec = encryptionContext(action, input);
    if (ec) {
      context['kms:EncryptionContextKeys'] = Object.keys(ec);
      for (const [k, v] of Object.entries(ec)) context[`kms:EncryptionContext:${k}`] = v;
    }
    // the key policy alone here (the gateway's reader adds the grants loosely, see keyPolicyWithGrants)
    const d = authorize({
      store: s.rt.store, ctx, action: `kms:${action}`, resource: arnOf(key), now: s.now(), caller, context,
      resourcePolicy: key.Policy, resourceAccount: key.account, resourcePolicyRequired: true,
    });
    if (d.decision === 'allowed') continue;
    const g = d.decision === 'implicitDeny' ? grantFor(s, caller, key, action, input) : undefined;
    if (g) {
      ctx.iam = { decision: 'allow', reason: `allowed by grant ${g.GrantId}${g.Name ? ` (${g.Name})` : ''} on ${arnOf(key)}` };
      continue;
    }
    const message = d.message ?? `User: ${caller.arn} is not authorized to perform: kms:${action} on resource: ${arnOf(key)}`;
    ctx.iam = { decision: 'deny', reason: message };
    if (mode === 'enforce') throw accessDenied(message);
  }
}

/**
 * The resource policy the gateway's authorize step sees for a key ARN: the key policy plus one
 * statement per grant (Allow, the grantee, `kms:<operation>` of the grant's operations), so a
 * grantee is not refused before KMS checks the grant exactly — its encryption-context constraint
 * included — in authorizeKeyUse. Registered as IAM's resource-policy reader for `kms`.
 */
export function keyPolicyWithGrants(store: Store, arn: string): ResourcePolicy | undefined {
  const [, , , region, account, ...rest] = arn.split(':');
  const resource = rest.join(':');
  if (!resource.startsWith('key/') || !account || region === undefined) return undefined;
  const scope = { account, region };
  const key = store.table<KeyRecord>('kms', 'keys').get(scope, resource.slice(4));
  if (!key) return undefined;
  const doc = JSON.parse(key.Policy) as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? [...doc.Statement] : doc.Statement ? [doc.Statement] : [];
  for (const g of store.table<GrantRecord>('kms', 'grants').values(scope)) {
    if (g.KeyId !== key.KeyId) continue;
    const principal = g.GranteePrincipal ? { AWS: g.GranteePrincipal } : g.GranteeServicePrincipal ? { Service: g.GranteeServicePrincipal } : undefined;
    if (!principal) continue;
    const ops = g.Operations.flatMap((op) => (op.startsWith('ReEncrypt') ? [`kms:${op}`, 'kms:ReEncrypt'] : [`kms:${op}`]));
    statements.push({ Sid: `Grant ${g.GrantId}${g.Name ? ` (${g.Name})` : ''}`, Effect: 'Allow', Principal: principal, Action: [...new Set(ops)], Resource: '*' });
  }
  return { policy: JSON.stringify({ ...doc, Statement: statements }), account, required: true, label: `key policy and grants of ${resource}` };
}
