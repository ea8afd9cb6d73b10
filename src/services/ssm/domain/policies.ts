/**
 * Parameter policies (advanced tier): Expiration, ExpirationNotification, NoChangeNotification.
 * They are validated and stored; Expiration deletes the parameter once its Timestamp passes on the
 * virtual clock. Notifications (EventBridge events) are not sent.
 */
import { AwsError } from '../../../core/errors.js';
import type { ParameterInlinePolicy } from '../generated/types.js';

const TYPES = ['Expiration', 'ExpirationNotification', 'NoChangeNotification'];

interface Policy { Type: string; Version: string; Attributes: Record<string, string> }

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

export function checkPolicies(text: string): void {
  const list = parse(text);
  if (list.length > 10) throw new AwsError('PoliciesLimitExceededException', 'You specified more than the maximum number of allowed policies for the parameter. The maximum is 10.', 400);
  for (const p of list) {
    if (typeof p !== 'object' || p === null || !TYPES.includes(p.Type)) throw invalidType();
    const a = p.Attributes ?? {};
    if (p.Type === 'Expiration' && Number.isNaN(Date.parse(a.Timestamp ?? ''))) throw invalidAttr('Invalid policy: Expiration needs an ISO 8601 Timestamp attribute.');
    if (p.Type !== 'Expiration' && !(a.Before ?? a.After)) throw invalidAttr(`Invalid policy: ${p.Type} needs Before or After with Unit.`);
  }
}

export function expiresAt(text: string | undefined): number | undefined {
  if (!text) return undefined;
  try {
    for (const p of parse(text)) if (p.Type === 'Expiration') return Date.parse(p.Attributes.Timestamp!);
  } catch { /* stored policies were validated */ }
  return undefined;
}

export function policyList(text: string | undefined): ParameterInlinePolicy[] {
  if (!text) return [];
  return parse(text).map((p) => ({ PolicyText: JSON.stringify(p), PolicyType: p.Type, PolicyStatus: 'Pending' }));
}
