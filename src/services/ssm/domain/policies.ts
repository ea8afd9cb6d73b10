/**
 * Parameter policies (advanced tier): Expiration, ExpirationNotification, NoChangeNotification.
 * Validated and stored with the version; their actions happen on the virtual clock (see
 * SsmState.runPolicies): Expiration deletes the parameter at its Timestamp; ExpirationNotification
 * fires `Before` days/hours earlier; NoChangeNotification fires `After` days/hours after the last
 * change. Each action sends AWS's "Parameter Store Policy Action" event to EventBridge once per
 * version, and the policy then reads PolicyStatus Finished.
 */
import { AwsError } from '../../../core/errors.js';
import type { ParameterInlinePolicy } from '../generated/types.js';
import type { ParamVersion } from './model.js';

const TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification'];
const UNITS: Record<string, number> = { Days: 86_400_000, Hours: 3_600_000 };

export interface Policy { Type: string; Version: string; Attributes: Record<string, string> }

const invalidType = () => new AwsError('InvalidPolicyTypeException', 'The policy type is not supported. Parameter Store supports the following policy types: Expiration, NoChangeNotification, and ExpirationNotification.', 400);
const invalidAttr = (m: string) => new AwsError('InvalidPolicyAttributeException', m, 400);

function parse(text: string): Policy[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidAttr('Invalid policy: the policies must be a JSON array.');
  }
  if (!Array.isArray(doc)) throw invalidAttr('Invalid policy: the policies must be a JSON array.');
  return doc as Policy[];
}

/** A whole number of days or hours ("Before"/"After" with "Unit"), in ms. */
function span(a: Record<string, string>, key: 'Before' | 'After'): number | undefined {
  const n = Number(a[key]);
  const unit = UNITS[a.Unit ?? 'Days'];
  if (!Number.isInteger(n) || n < 1 || !unit) return undefined;
  return n * unit;
}

export function checkPolicies(text: string): void {
  const list = parse(text);
  if (list.length > 10) throw new AwsError('PoliciesLimitExceededException', 'You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.', 400);
  const seen = new Set<string>();
  for (const p of list) {
    if (typeof p !== 'object' || p === null || !TYPES.includes(p.Type)) throw invalidType();
    if (seen.has(p.Type)) throw invalidAttr(`Invalid policy: only one ${p.Type} policy is allowed.`);
    seen.add(p.Type);
    const a = p.Attributes ?? {};
    if (p.Type === 'Expiration' && Number.isNaN(Date.parse(a.Timestamp ?? ''))) throw invalidAttr('Invalid policy: Expiration needs an ISO 8601 Timestamp attribute.');
    if (p.Type === 'ExpirationNotification' && span(a, 'Before') === undefined) throw invalidAttr('Invalid policy: ExpirationNotification needs Before (a whole number) and Unit (Days or Hours).');
    if (p.Type === 'NoChangeNotification' && span(a, 'After') === undefined) throw invalidAttr('Invalid policy: NoChangeNotification needs After (a whole number) and Unit (Days or Hours).');
  }
}

export function parsePolicies(text: string | undefined): Policy[] {
  if (!text) return [];
  try {
    return parse(text);
  } catch {
    return []; // stored policies were validated
  }
}

export function expiresAt(text: string | undefined): number | undefined {
  const p = parsePolicies(text).find((x) => x.Type === 'Expiration');
  return p ? Date.parse(p.Attributes.Timestamp!) : undefined;
}

/** When each policy of the latest version acts (not yet done), earliest first. */
export function policyActions(v: ParamVersion): { policy: Policy; at: number }[] {
  const out: { policy: Policy; at: number }[] = [];
  const expiry = expiresAt(v.policies);
  for (const policy of parsePolicies(v.policies)) {
    if (v.policiesDone?.includes(policy.Type)) continue;
    const a = policy.Attributes ?? {};
    if (policy.Type === 'Expiration') out.push({ policy, at: expiry! });
    else if (policy.Type === 'ExpirationNotification' && expiry !== undefined) out.push({ policy, at: expiry - span(a, 'Before')! });
    else if (policy.Type === 'NoChangeNotification') out.push({ policy, at: v.lastModifiedDate + span(a, 'After')! });
  }
  return out.sort((x, y) => x.at - y.at);
}

export function policyList(text: string | undefined, done: string[] = []): ParameterInlinePolicy[] {
  return parsePolicies(text).map((p) => ({ PolicyText: JSON.stringify(p), PolicyType: p.Type, PolicyStatus: done.includes(p.Type) ? 'Finished' : 'Pending' }));
}
