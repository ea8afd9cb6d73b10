/** Topic attributes: names, defaults, the default access policy, delivery policies. */
import { invalidParameter } from './errors.js';

const FEEDBACK = ['Application', 'HTTP', 'Lambda', 'Firehose', 'SQS'].flatMap((p) => [`${p}SuccessFeedbackRoleArn`, `${p}SuccessFeedbackSampleRate`, `${p}FailureFeedbackRoleArn`]);

/** Attributes a user may set (CreateTopic / SetTopicAttributes). */
export const TOPIC_SETTABLE = new Set([
  'DeliveryPolicy', 'DisplayName', 'Policy', 'KmsMasterKeyId', 'SignatureVersion', 'TracingConfig',
  'ContentBasedDeduplication', 'FifoThroughputScope', 'ArchivePolicy', ...FEEDBACK,
]);
const FIFO_ONLY = new Set(['ContentBasedDeduplication', 'FifoThroughputScope', 'ArchivePolicy']);

export function defaultTopicPolicy(arn: string, account: string): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [{
      Sid: '__default_statement_ID',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: ['SNS:GetTopicAttributes', 'SNS:SetTopicAttributes', 'SNS:AddPermission', 'SNS:RemovePermission', 'SNS:DeleteTopic', 'SNS:Subscribe', 'SNS:ListSubscriptionsByTopic', 'SNS:Publish'],
      Resource: arn,
      Condition: { StringEquals: { 'AWS:SourceOwner': account } },
    }],
  });
}

/**
 * Validates one topic attribute (name and value); `prefix` is "Invalid parameter: " for
 * SetTopicAttributes and "Invalid parameter: Attributes Reason: " for CreateTopic. Returns
 * the value to store.
 */
export function validateTopicAttribute(name: string, value: string, fifo: boolean, creating: boolean): string {
  const prefix = creating ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  if (name === 'FifoTopic' && creating) return value;
  if (!TOPIC_SETTABLE.has(name)) throw invalidParameter(`${prefix}AttributeName`);
  if (FIFO_ONLY.has(name) && !fifo) {
    if (name === 'ContentBasedDeduplication') throw invalidParameter(`${prefix}ContentBasedDeduplication Reason: Content based deduplication can only be set for FIFO topics`);
    throw invalidParameter(`${prefix}${name} Reason: ${name} can only be set for FIFO topics`);
  }
  switch (name) {
    case 'DisplayName':
      if (value.length > 100) throw invalidParameter(`${prefix}DisplayName`);
      return value;
    case 'Policy':
      try {
        const p = JSON.parse(value);
        if (!p || typeof p !== 'object' || Array.isArray(p)) throw new Error();
      } catch {
        throw invalidParameter(`${prefix}Policy: failed to parse JSON.`);
      }
      return value;
    case 'DeliveryPolicy':
      if (value) validateDeliveryPolicy(value, prefix, 'topic');
      return value;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalidParameter(`${prefix}SignatureVersion`);
      return value;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalidParameter(`${prefix}TracingConfig`);
      return value;
    case 'ContentBasedDeduplication': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidParameter(`${prefix}ContentBasedDeduplication`);
      return v;
    }
    case 'FifoThroughputScope':
      if (value !== 'Topic' && value !== 'MessageGroup') throw invalidParameter(`${prefix}FifoThroughputScope Reason: Invalid value [${value}]. Please use either Topic or MessageGroup`);
      return value;
    default:
      if (name.endsWith('SampleRate')) {
        const n = Number(value);
        if (!/^\d+$/.test(value) || n > 100) throw invalidParameter(`${prefix}${name}`);
      }
      return value;
  }
}

// ---- delivery policies (HTTP/S retries)

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: 'linear' | 'arithmetic' | 'geometric' | 'exponential';
}

export const DEFAULT_RETRY: RetryPolicy = {
  minDelayTarget: 20, maxDelayTarget: 20, numRetries: 3, numMaxDelayRetries: 0, numNoDelayRetries: 0, numMinDelayRetries: 0, backoffFunction: 'linear',
};

const RETRY_KEYS = Object.keys(DEFAULT_RETRY) as (keyof RetryPolicy)[];
const CONTENT_TYPES = new Set(['application/json', 'application/xml', 'text/html', 'text/plain', 'text/xml', 'application/x-www-form-urlencoded', 'application/json; charset=UTF-8', 'text/plain; charset=UTF-8']);

function retryPolicy(v: unknown, path: string, prefix: string): RetryPolicy {
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidParameter(`${prefix}DeliveryPolicy: ${path} must be an object`);
  const o = v as Record<string, unknown>;
  for (const k of Object.keys(o)) if (!RETRY_KEYS.includes(k as keyof RetryPolicy)) throw invalidParameter(`${prefix}DeliveryPolicy: ${path}.${k} is an unrecognized field`);
  const out = { ...DEFAULT_RETRY };
  for (const k of RETRY_KEYS) {
    if (o[k] === undefined) continue;
    if (k === 'backoffFunction') {
      if (!['linear', 'arithmetic', 'geometric', 'exponential'].includes(o[k] as string)) throw invalidParameter(`${prefix}DeliveryPolicy: ${path}.backoffFunction must be one of [arithmetic, exponential, geometric, linear]`);
      out.backoffFunction = o[k] as RetryPolicy['backoffFunction'];
    } else {
      if (typeof o[k] !== 'number' || !Number.isInteger(o[k])) throw invalidParameter(`${prefix}DeliveryPolicy: ${path}.${k} must be an integer`);
      (out as Record<string, unknown>)[k] = o[k];
    }
  }
  if (o.minDelayTarget === undefined && o.maxDelayTarget !== undefined && out.maxDelayTarget < out.minDelayTarget) out.minDelayTarget = out.maxDelayTarget;
  const p = `${prefix}DeliveryPolicy: ${path}.`;
  if (out.minDelayTarget < 1) throw invalidParameter(`${p}minDelayTarget must be greater than or equal to 1`);
  if (out.maxDelayTarget > 3600) throw invalidParameter(`${p}maxDelayTarget must be less than or equal to 3600`);
  if (out.minDelayTarget > out.maxDelayTarget) throw invalidParameter(`${p}minDelayTarget must be less than or equal to maxDelayTarget`);
  if (out.numRetries < 0 || out.numRetries > 100) throw invalidParameter(`${p}numRetries must be between 0 and 100`);
  for (const k of ['numNoDelayRetries', 'numMinDelayRetries', 'numMaxDelayRetries'] as const) if (out[k] < 0) throw invalidParameter(`${p}${k} must be greater than or equal to 0`);
  if (out.numNoDelayRetries + out.numMinDelayRetries + out.numMaxDelayRetries > out.numRetries) {
    throw invalidParameter(`${p}numRetries must be greater than or equal to the sum of numNoDelayRetries, numMinDelayRetries and numMaxDelayRetries`);
  }
  return out;
}

function requestPolicy(v: unknown, path: string, prefix: string): void {
  if (!v || typeof v !== 'object') throw invalidParameter(`${prefix}DeliveryPolicy: ${path} must be an object`);
  const ct = (v as Record<string, unknown>).headerContentType;
  if (ct !== undefined && !CONTENT_TYPES.has(String(ct))) throw invalidParameter(`${prefix}DeliveryPolicy: ${path}.headerContentType is invalid`);
}

function throttlePolicy(v: unknown, path: string, prefix: string): void {
  const n = (v as Record<string, unknown> | null)?.maxReceivesPerSecond;
  if (n !== undefined && (typeof n !== 'number' || !Number.isInteger(n) || n < 1)) throw invalidParameter(`${prefix}DeliveryPolicy: ${path}.maxReceivesPerSecond must be greater than or equal to 1`);
}

/** Topic: {"http": {defaultHealthyRetryPolicy, throttlePolicy?, defaultRequestPolicy?, disableSubscriptionOverrides?}}; subscription: {healthyRetryPolicy, throttlePolicy, requestPolicy}. */
export function validateDeliveryPolicy(value: string, prefix: string, kind: 'topic' | 'subscription'): void {
  let doc: unknown;
  try {
    doc = JSON.parse(value);
  } catch {
    throw invalidParameter(`${prefix}DeliveryPolicy: failed to parse JSON.`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParameter(`${prefix}DeliveryPolicy: must be a JSON object`);
  const d = doc as Record<string, unknown>;
  if (kind === 'subscription') {
    if (d.healthyRetryPolicy !== undefined) retryPolicy(d.healthyRetryPolicy, 'healthyRetryPolicy', prefix);
    if (d.throttlePolicy !== undefined) throttlePolicy(d.throttlePolicy, 'throttlePolicy', prefix);
    if (d.requestPolicy !== undefined) requestPolicy(d.requestPolicy, 'requestPolicy', prefix);
    return;
  }
  for (const [proto, v] of Object.entries(d)) {
    if (!['http', 'https', 'sqs', 'lambda', 'firehose', 'application', 'email', 'email-json', 'sms'].includes(proto)) throw invalidParameter(`${prefix}DeliveryPolicy: ${proto} is an unrecognized field`);
    const o = v as Record<string, unknown>;
    if (o?.defaultHealthyRetryPolicy !== undefined) retryPolicy(o.defaultHealthyRetryPolicy, `${proto}.defaultHealthyRetryPolicy`, prefix);
    if (o?.defaultThrottlePolicy !== undefined) throttlePolicy(o.defaultThrottlePolicy, `${proto}.defaultThrottlePolicy`, prefix);
    if (o?.defaultRequestPolicy !== undefined) requestPolicy(o.defaultRequestPolicy, `${proto}.defaultRequestPolicy`, prefix);
    if (o?.disableSubscriptionOverrides !== undefined && typeof o.disableSubscriptionOverrides !== 'boolean') throw invalidParameter(`${prefix}DeliveryPolicy: ${proto}.disableSubscriptionOverrides must be a boolean`);
  }
}

function parseOr(value: string | undefined): Record<string, unknown> {
  if (!value) return {};
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The topic's EffectiveDeliveryPolicy attribute (AWS's default, overlaid by DeliveryPolicy). */
export function effectiveTopicDeliveryPolicy(deliveryPolicy: string | undefined): string {
  const user = (parseOr(deliveryPolicy).http ?? {}) as Record<string, unknown>;
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: { ...DEFAULT_RETRY, ...(user.defaultHealthyRetryPolicy as object | undefined) },
      disableSubscriptionOverrides: user.disableSubscriptionOverrides ?? false,
      ...(user.defaultThrottlePolicy ? { defaultThrottlePolicy: user.defaultThrottlePolicy } : {}),
      defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8', ...(user.defaultRequestPolicy as object | undefined) },
    },
  });
}

export interface EffectiveHttpPolicy { retry: RetryPolicy; contentType: string }

/** What an http/https subscription actually uses. */
export function effectiveHttpPolicy(topicPolicy: string | undefined, subPolicy: string | undefined): EffectiveHttpPolicy {
  const t = (parseOr(topicPolicy).http ?? {}) as Record<string, unknown>;
  const s = parseOr(subPolicy);
  const overrides = t.disableSubscriptionOverrides !== true;
  const retry = { ...DEFAULT_RETRY, ...(t.defaultHealthyRetryPolicy as object | undefined), ...(overrides ? (s.healthyRetryPolicy as object | undefined) : undefined) } as RetryPolicy;
  const contentType = String(((overrides ? (s.requestPolicy as Record<string, unknown> | undefined)?.headerContentType : undefined)
    ?? (t.defaultRequestPolicy as Record<string, unknown> | undefined)?.headerContentType) ?? 'text/plain; charset=UTF-8');
  return { retry, contentType };
}

export function effectiveSubscriptionPolicyJson(p: EffectiveHttpPolicy): string {
  return JSON.stringify({ healthyRetryPolicy: p.retry, sicklyRetryPolicy: null, throttlePolicy: null, requestPolicy: { headerContentType: p.contentType }, guaranteed: false });
}

/**
 * Delay (ms) before retry number `n` (1-based) under AWS's four phases: immediate retries,
 * pre-backoff at the minimum delay, backoff from min to max by the backoff function,
 * post-backoff at the maximum delay. Undefined when retries are exhausted.
 */
export function retryDelayMs(p: RetryPolicy, n: number): number | undefined {
  if (n > p.numRetries) return undefined;
  if (n <= p.numNoDelayRetries) return 0;
  if (n <= p.numNoDelayRetries + p.numMinDelayRetries) return p.minDelayTarget * 1000;
  const backoff = p.numRetries - p.numNoDelayRetries - p.numMinDelayRetries - p.numMaxDelayRetries;
  const i = n - p.numNoDelayRetries - p.numMinDelayRetries;
  if (i > backoff) return p.maxDelayTarget * 1000;
  const f = backoff <= 1 ? 1 : (i - 1) / (backoff - 1);
  const lo = p.minDelayTarget, hi = p.maxDelayTarget;
  let s: number;
  switch (p.backoffFunction) {
    case 'arithmetic': s = lo + (hi - lo) * f * f; break;
    case 'geometric': s = lo + (hi - lo) * Math.sqrt(f); break;
    case 'exponential': s = lo * Math.pow(hi / lo, f); break;
    default: s = lo + (hi - lo) * f;
  }
  return Math.round(s * 1000);
}
