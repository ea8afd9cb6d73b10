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
  if (out.DeduplicationScope && !['messageGroup', 'queue'].includes(out.DeduplicationScope)) throw invalidValue('DeduplicationScope');
  if (out.FifoThroughputLimit && !['perQueue', 'perMessageGroupId'].includes(out.FifoThroughputLimit)) throw invalidValue('FifoThroughputLimit');
  return out;
}

export interface RedrivePolicy { deadLetterTargetArn: string; maxReceiveCount: number }

export function validateRedrivePolicy(text: string): RedrivePolicy | undefined {
  if (text === '') return undefined; // "" removes the policy
  let p: { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown };
  try {
    p = JSON.parse(text) as typeof p;
  } catch {
    throw new AwsError('InvalidAttributeValue', `Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a valid JSON map.`, 400);
  }
  const count = Number(p.maxReceiveCount);
  if (typeof p.deadLetterTargetArn !== 'string' || !Number.isInteger(count)) {
    throw new AwsError('InvalidAttributeValue', `Value ${text} for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain mandatory attribute: ${typeof p.deadLetterTargetArn !== 'string' ? 'deadLetterTargetArn' : 'maxReceiveCount'}.`, 400);
  }
  if (count < 1 || count > 1000) throw new AwsError('InvalidAttributeValue', `Value ${text} for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: ${count}, valid values are from 1 to 1000 both inclusive.`, 400);
  return { deadLetterTargetArn: p.deadLetterTargetArn, maxReceiveCount: count };
}

/** The effective value of a settable attribute (explicit or default), for idempotency checks. */
export function effectiveAttribute(attrs: Record<string, string>, name: string): string | undefined {
  if (attrs[name] !== undefined) return attrs[name];
  const d = INT_ATTRIBUTES[name]?.dflt;
  if (d !== undefined) return String(d);
  if (name === 'FifoQueue' || name === 'ContentBasedDeduplication') return 'false';
  if (name === 'SqsManagedSseEnabled') return attrs.KmsMasterKeyId ? 'false' : 'true';
  return undefined;
}

export function intAttribute(attrs: Record<string, string>, name: string): number {
  return Number(effectiveAttribute(attrs, name) ?? 0);
}
