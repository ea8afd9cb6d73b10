/**
 * What every credential-issuing STS operation shares: storing the session, session policies
 * (Policy + PolicyArns, validated and sized as AWS packs them), session tags, MFA checks and the
 * Credentials output shape.
 */
import { deflateRawSync } from 'node:zlib';
import type { ServiceRuntime } from '../service.js';
import type { Table } from '../../state/store.js';
import { AwsError } from '../../core/errors.js';
import { makeAccessKeyId } from '../../core/accounts.js';
import { parsePolicy, verifyMfaToken } from '../iam/internal.js';
import { Constraints } from './validation.js';
import { newSecretAccessKey, newSessionToken, sessionScope, type Caller, type Session } from './sessions.js';

type Tag = { Key: string; Value: string };
export interface SessionPolicyInput { Policy?: string; PolicyArns?: { arn?: string }[]; Tags?: Tag[] }

/** Bytes of packed (compressed) session policies and tags that make 100% (AWS does not publish its limit). */
const PACKED_LIMIT = 2048;

export function issuer(rt: ServiceRuntime, sessions: Table<Session>) {
  const nowSec = () => Math.floor(rt.clock.now() / 1000) * 1000;
  return function issue(account: string, seconds: number, rest: Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration' | 'account' | 'issued'>): Session {
    const s: Session = {
      accessKeyId: makeAccessKeyId('ASIA', account),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      issued: nowSec(),
      expiration: nowSec() + seconds * 1000,
      account,
      ...rest,
    };
    sessions.put(sessionScope(account), s.accessKeyId, s);
    return s;
  };
}

export const credentials = (s: Session) => ({
  AccessKeyId: s.accessKeyId,
  SecretAccessKey: s.secretAccessKey,
  SessionToken: s.sessionToken,
  Expiration: new Date(s.expiration),
});

/** Validates Policy / PolicyArns / Tags (constraints first, then the policy's grammar). */
export function checkSessionPolicies(input: SessionPolicyInput, c: Constraints = new Constraints()): Constraints {
  c.length('policy', input.Policy, 1, 2048).count('policyArns', input.PolicyArns, 10).count('tags', input.Tags, 50);
  for (const [i, p] of (input.PolicyArns ?? []).entries()) c.length(`policyArns.${i + 1}.member.arn`, p.arn, 20, 2048);
  for (const [i, t] of (input.Tags ?? []).entries()) {
    c.length(`tags.${i + 1}.member.key`, t.Key, 1, 128).pattern(`tags.${i + 1}.member.key`, t.Key, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+');
    c.length(`tags.${i + 1}.member.value`, t.Value, 0, 256).pattern(`tags.${i + 1}.member.value`, t.Value, /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u, '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*');
  }
  return c;
}

/** Grammar of the inline session policy (an identity policy), then the packed size (percent). */
export function sessionPolicies(input: SessionPolicyInput): { policy?: string; policyArns?: string[]; packed?: number } {
  if (input.Policy !== undefined) {
    try {
      JSON.parse(input.Policy);
    } catch {
      throw new AwsError('MalformedPolicyDocumentException', 'The policy is not in the valid JSON format.', 400);
    }
    parsePolicy(input.Policy, 'identity');
  }
  for (const p of input.PolicyArns ?? []) {
    if (!p.arn || !/^arn:aws[\w-]*:iam::(\d{12}|aws):policy\//.test(p.arn)) throw new AwsError('ValidationError', `${p.arn} is invalid`, 400);
  }
  const policyArns = input.PolicyArns?.map((p) => p.arn!);
  if (input.Policy === undefined && !policyArns?.length && !input.Tags?.length) return {};
  const minified = input.Policy !== undefined ? JSON.stringify(JSON.parse(input.Policy)) : '';
  const packedBytes = deflateRawSync(Buffer.from(minified + (policyArns ?? []).join('') + JSON.stringify(input.Tags ?? []))).length;
  const packed = Math.max(1, Math.ceil((packedBytes * 100) / PACKED_LIMIT));
  if (packed > 100) throw new AwsError('PackedPolicyTooLargeException', `Packed policy consumes ${packed}% of allotted space, please use smaller policy.`, 400);
  return { policy: input.Policy, policyArns: policyArns?.length ? policyArns : undefined, packed };
}

/** Duplicate session tag keys (case-insensitive) are refused. */
export function checkTagKeys(tags: Tag[] | undefined, transitive: string[] | undefined): void {
  const seen = new Set<string>();
  for (const t of tags ?? []) {
    const k = t.Key.toLowerCase();
    if (seen.has(k)) throw new AwsError('ValidationError', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.', 400);
    seen.add(k);
  }
  for (const k of transitive ?? []) {
    if (!seen.has(k.toLowerCase())) throw new AwsError('ValidationError', `The specified transitive tag key ${k} must be included in the requested tags.`, 400);
  }
}

/**
 * SerialNumber/TokenCode: the caller's enabled MFA device and its current code. Returns the
 * MFA authentication time for the new session (undefined when no MFA was given); the caller's
 * own MFA carries on through its session otherwise.
 */
export function checkMfa(rt: ServiceRuntime, caller: Caller, serial: string | undefined, token: string | undefined): number | undefined {
  new Constraints()
    .length('serialNumber', serial, 9, 256)
    .pattern('serialNumber', serial, /^[\w+=/:,.@-]*$/, '[\\w+=/:,.@-]*')
    .length('tokenCode', token, 6, 6)
    .pattern('tokenCode', token, /^[\d]*$/, '[\\d]*')
    .throwIfAny();
  if (serial === undefined && token === undefined) return caller.session?.mfaAuthTime;
  const user = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(caller.arn)?.[1];
  const r = serial && token && user ? verifyMfaToken(rt.store, caller.account, user, serial, token, rt.clock.now()) : { ok: false as const, reason: 'unknown' as const };
  if (r.ok) return Math.floor(rt.clock.now() / 1000) * 1000;
  if (r.reason === 'unknown') throw new AwsError('AccessDenied', 'MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.', 403);
  throw new AwsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code. ', 403);
}
