/**
 * Queue attributes: names, AWS's ranges and defaults, and the values GetQueueAttributes shows.
 * Stored values are the strings the client sent (normalised for numbers), as AWS echoes them.
 */
import { AwsError } from '../../../core/errors.js';

interface IntRule { min: number; max: number; dflt?: number }

export const INT_ATTRIBUTES: Record<string, IntRule> = {
  DelaySeconds: { min: 0, max: 900, dflt: 0 },
  MaximumMessageSize: { min: 1024, max: 1048576, dflt: 1048576 },
  MessageRetentionPeriod: { min: 60, max: 1209600, dflt: 345600 },
  ReceiveMessageWaitTimeSeconds: { min: 0, max: 20, dflt: 0 },
  VisibilityTimeout: { min: 0, max: 43200, dflt: 30 },
  KmsDataKeyReusePeriodSeconds: { min: 60, max: 86400 },
};

const BOOL_ATTRIBUTES = new Set(['FifoQueue', 'ContentBasedDeduplication', 'SqsManagedSseEnabled']);
const STRING_ATTRIBUTES = new Set(['Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'DeduplicationScope', 'FifoThroughputLimit']);
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);

/** Attributes SQS computes; GetQueueAttributes accepts them, Create/Set reject them. */
export const READ_ONLY_ATTRIBUTES = [
  'ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp', 'LastModifiedTimestamp', 'QueueArn',
];

export const invalidValue = (name: string) => new AwsError('InvalidAttributeValue', `Invalid value for the parameter ${name}.`, 400);

/** Validates and normalises the attributes of CreateQueue / SetQueueAttributes. */
export function validateAttributes(attrs: Record<string, string>, fifo: boolean, creating: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(attrs)) {
    const value = String(raw);
    const rule = INT_ATTRIBUTES[name];
    if (rule) {
      if (!/^-?\d+$/.test(value.trim())) throw invalidValue(name);
      const n = Number(value.trim());
      if (n < rule.min || n > rule.max) throw invalidValue(name);
      out[name] = String(n);
    } else if (BOOL_ATTRIBUTES.has(name)) {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidValue(name);
      if (name === 'FifoQueue' && !creating) throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`, 400);
      if (name === 'FifoQueue' && v === 'false' && fifo) throw invalidValue(name);
      out[name] = v;
    } else if (STRING_ATTRIBUTES.has(name)) {
      out[name] = value;
    } else {
      throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`, 400);
    }
    if (FIFO_ONLY.has(name) && !fifo) throw new AwsError('InvalidAttributeName', `Unknown Attribute ${name}.`, 400);
  }
  if (out.RedrivePolicy) validateRedrivePolicy(out.RedrivePolicy);
  if (out.RedriveAllowPolicy) validateRedriveAllowPolicy(out.RedriveAllowPolicy);
  if (out.Policy) validatePolicy(out.Policy);
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled === 'true') {
    throw new AwsError('InvalidAttributeName', 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.', 400);
  }
  if (out.DeduplicationScope && !['messageGroup', 'queue'].includes(out.DeduplicationScope)) throw invalidValue('DeduplicationScope');
  if (out.FifoThroughputLimit && !['perQueue', 'perMessageGroupId'].includes(out.FifoThroughputLimit)) throw invalidValue('FifoThroughputLimit');
  return out;
}

export interface RedrivePolicy { deadLetterTargetArn: string; maxReceiveCount: number }

const redriveInvalid = (text: string, reason: string) => new AwsError('InvalidParameterValue', `Value ${text} for parameter RedrivePolicy is invalid. Reason: ${reason}`, 400);

export function validateRedrivePolicy(text: string): RedrivePolicy | undefined {
  if (text === '') return undefined; // "" removes the policy
  let p: Record<string, unknown> | undefined;
  try {
    p = JSON.parse(text) as Record<string, unknown>;
  } catch { /* not JSON */ }
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw new AwsError('InvalidParameterValue', 'Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.', 400);
  if (p.maxReceiveCount === undefined) throw redriveInvalid(text, 'Redrive policy does not contain mandatory attribute: maxReceiveCount.');
  if (p.deadLetterTargetArn === undefined) throw redriveInvalid(text, 'Redrive policy does not contain mandatory attribute: deadLetterTargetArn.');
  const count = Number(p.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw redriveInvalid(text, `Invalid value for maxReceiveCount: ${String(p.maxReceiveCount)}, valid values are from 1 to 1000 both inclusive.`);
  const arn = typeof p.deadLetterTargetArn === 'string' ? p.deadLetterTargetArn.split(':') : [];
  if (arn.length !== 6 || arn[0] !== 'arn' || arn[2] !== 'sqs') throw redriveInvalid(text, 'Invalid value for deadLetterTargetArn.');
  if (Object.keys(p).length > 2) throw redriveInvalid(text, 'Only following attributes are supported: [maxReceiveCount, deadLetterTargetArn].');
  return { deadLetterTargetArn: p.deadLetterTargetArn as string, maxReceiveCount: count };
}

export interface RedriveAllowPolicy { redrivePermission: 'allowAll' | 'denyAll' | 'byQueue'; sourceQueueArns?: string[] }

/** RedriveAllowPolicy: which source queues may name this queue as their dead-letter queue. */
export function validateRedriveAllowPolicy(text: string): RedriveAllowPolicy | undefined {
  if (text === '') return undefined;
  const unsupported = () => new AwsError('InvalidParameterValue', 'Invalid value for the parameter RedriveAllowPolicy. Reason: Amazon SQS can\'t create the redrive allow policy, as it’s in an unsupported format.', 400);
  const invalid = (reason: string) => new AwsError('InvalidParameterValue', `Value ${text} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. ${reason}`, 400);
  let p: Record<string, unknown>;
  try {
    p = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw unsupported();
  }
  if (!p || typeof p !== 'object' || Array.isArray(p)) throw unsupported();
  if (Object.keys(p).some((k) => k !== 'redrivePermission' && k !== 'sourceQueueArns')) throw unsupported();
  if (p.redrivePermission !== 'allowAll' && p.redrivePermission !== 'denyAll' && p.redrivePermission !== 'byQueue') throw unsupported();
  const arns = p.sourceQueueArns;
  if (arns !== undefined && (!Array.isArray(arns) || arns.some((a) => typeof a !== 'string'))) throw unsupported();
  if (p.redrivePermission !== 'byQueue') {
    if (arns !== undefined) throw invalid('To specify one or more source queue ARNs, you must set redrivePermission to byQueue.');
    return { redrivePermission: p.redrivePermission };
  }
  if (!arns?.length) throw invalid('When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.');
  if (arns.length > 10) throw invalid('The maximum number of source queue ARNs you can specify is 10.');
  return { redrivePermission: 'byQueue', sourceQueueArns: arns as string[] };
}

/** Policy: a JSON policy document (not evaluated: SQS queue policies are stored, see README). */
function validatePolicy(text: string): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  const d = doc as { Statement?: unknown } | undefined;
  if (!d || typeof d !== 'object' || Array.isArray(d) || (d.Statement !== undefined && typeof d.Statement !== 'object')) {
    throw new AwsError('InvalidAttributeValue', 'Invalid value for the parameter Policy.', 400);
  }
  const n = Array.isArray(d.Statement) ? d.Statement.length : 1;
  if (n > 20) throw new AwsError('OverLimit', `${n} statements were found in the submitted policy, max allowed is 20`, 403);
}

/** The effective value of a settable attribute (explicit or default), for idempotency checks. */
export function effectiveAttribute(attrs: Record<string, string>, name: string): string | undefined {
  if (attrs[name] !== undefined) return attrs[name];
  const d = INT_ATTRIBUTES[name]?.dflt;
  if (d !== undefined) return String(d);
  if (name === 'FifoQueue' || name === 'ContentBasedDeduplication') return 'false';
  if (name === 'SqsManagedSseEnabled') return attrs.KmsMasterKeyId ? 'false' : 'true';
  if (name === 'KmsDataKeyReusePeriodSeconds' && attrs.KmsMasterKeyId) return '300';
  return undefined;
}

export function intAttribute(attrs: Record<string, string>, name: string): number {
  return Number(effectiveAttribute(attrs, name) ?? 0);
}
