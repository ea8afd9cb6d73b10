/**
 * Target retry rules shared by EventBridge rules and EventBridge Scheduler.
 *
 * AWS retries only retriable failures (throttling, 5xx, timeouts, connection failures, and for
 * API destinations HTTP 401/407/409/429/5xx) with exponential back-off, until
 * MaximumRetryAttempts retries were made or MaximumEventAgeInSeconds passed since the first
 * attempt; a missing target or a permission/validation error goes to the dead-letter queue at
 * once. AWS adds jitter; here retry n waits 2^(n-1) s, capped at 5 minutes, so tests can step
 * the virtual clock through them deterministically.
 */
import { isAwsError } from '../../../core/errors.js';

export const DEFAULT_RETRY = { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 };
const MAX_DELAY_MS = 300_000;

/** Why an invocation failed: the code and message the DLQ gets, and whether to try again. */
export class DeliveryFailure extends Error {
  constructor(readonly code: string, message: string, readonly retriable: boolean) {
    super(message);
  }
}

const RETRIABLE_CODES = /throttl|toomanyrequests|requestlimitexceeded|serviceunavailable|internal|timeout|slowdown|provisionedthroughput/i;

/** A failure of a call made through the dispatch path (or anything thrown while invoking). */
export function classify(e: unknown): DeliveryFailure {
  if (e instanceof DeliveryFailure) return e;
  // NotImplemented (an operation gureum has not built) would fail every retry the same way.
  if (isAwsError(e)) return new DeliveryFailure(e.code, e.message, e.code !== 'NotImplemented' && (e.status >= 500 || e.status === 429 || RETRIABLE_CODES.test(e.code)));
  const code = (e as { code?: string }).code;
  return new DeliveryFailure(typeof code === 'string' ? code : 'InternalFailure', (e as Error).message ?? String(e), false);
}

/** Delay before retry number `n` (1-based). */
export const retryDelay = (n: number): number => Math.min(2 ** (n - 1) * 1000, MAX_DELAY_MS);

export interface RetryLimits { MaximumEventAgeInSeconds?: number; MaximumRetryAttempts?: number }

/**
 * When the next retry happens after `retries` retries of an invocation first tried at `first`,
 * or which limit stops it.
 */
export function nextRetry(policy: RetryLimits | undefined, first: number, now: number, retries: number):
  { at: number } | { exhausted: 'MaximumRetryAttempts' | 'MaximumEventAgeInSeconds' } {
  const maxAttempts = policy?.MaximumRetryAttempts ?? DEFAULT_RETRY.MaximumRetryAttempts;
  const maxAge = (policy?.MaximumEventAgeInSeconds ?? DEFAULT_RETRY.MaximumEventAgeInSeconds) * 1000;
  if (retries >= maxAttempts) return { exhausted: 'MaximumRetryAttempts' };
  const at = now + retryDelay(retries + 1);
  if (at - first > maxAge) return { exhausted: 'MaximumEventAgeInSeconds' };
  return { at };
}
