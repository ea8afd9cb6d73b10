/**
 * Object Lock: a bucket's default retention, per-version retention (GOVERNANCE / COMPLIANCE
 * until a date on the virtual clock) and legal hold, and the rule that a locked version cannot
 * be deleted (AccessDenied) unless it is GOVERNANCE and the request bypasses it.
 */
import { AwsError } from '../../../core/errors.js';
import type { ObjectLockConfiguration, ObjectLockRetention, ObjectLockRule } from '../generated/types.js';
import type { BucketRecord } from './buckets.js';
import { invalidArgument, invalidRequest } from './errors.js';

export interface ObjectLock {
  mode?: 'GOVERNANCE' | 'COMPLIANCE';
  /** epoch ms */
  retainUntil?: number;
  legalHold?: boolean;
}

export interface LockWriteInput {
  ObjectLockMode?: string;
  ObjectLockRetainUntilDate?: Date;
  ObjectLockLegalHoldStatus?: string;
}

const MODES = ['GOVERNANCE', 'COMPLIANCE'];
const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

export const lockDenied = () => new AwsError('AccessDenied', 'Access Denied because object protected by object lock.', 403);

export const missingLockConfiguration = () => invalidRequest('Bucket is missing Object Lock Configuration');

/** PutObjectLockConfiguration's document: Enabled, and an optional default retention. */
export function checkLockConfiguration(c: ObjectLockConfiguration | undefined): ObjectLockRule | undefined {
  if (!c || c.ObjectLockEnabled !== 'Enabled') throw malformed();
  const d = c.Rule?.DefaultRetention;
  if (!c.Rule) return undefined;
  if (!d || !d.Mode || !MODES.includes(d.Mode)) throw malformed();
  if ((d.Days === undefined) === (d.Years === undefined)) throw malformed();
  const n = d.Days ?? d.Years!;
  if (!Number.isInteger(n) || n <= 0) throw invalidArgument('Default retention period must be a positive integer value', 'DefaultRetention', String(n));
  if ((d.Days ?? 0) > 36500 || (d.Years ?? 0) > 100) throw invalidArgument('Default retention period is too large.', 'DefaultRetention', String(n));
  return { DefaultRetention: { Mode: d.Mode, ...(d.Days !== undefined ? { Days: d.Days } : { Years: d.Years }) } };
}

function addRetention(now: number, rule: ObjectLockRule): number {
  const d = rule.DefaultRetention!;
  if (d.Days !== undefined) return now + d.Days * 86_400_000;
  const t = new Date(now);
  t.setUTCFullYear(t.getUTCFullYear() + (d.Years ?? 0));
  return t.getTime();
}

/**
 * The lock of a new object version: the x-amz-object-lock-* headers (both mode and date, or
 * neither), else the bucket's default retention. Undefined when the object carries no lock.
 */
export function newObjectLock(b: BucketRecord, input: LockWriteInput, now: number): ObjectLock | undefined {
  const { ObjectLockMode: mode, ObjectLockRetainUntilDate: until, ObjectLockLegalHoldStatus: hold } = input;
  if ((mode !== undefined || until !== undefined || hold !== undefined) && !b.objectLockEnabled) throw missingLockConfiguration();
  if ((mode === undefined) !== (until === undefined)) {
    throw invalidArgument('x-amz-object-lock-retain-until-date and x-amz-object-lock-mode must both be supplied', 'x-amz-object-lock-retain-until-date', until?.toISOString());
  }
  if (mode !== undefined && !MODES.includes(mode)) throw invalidArgument('Unknown wormMode directive.', 'x-amz-object-lock-mode', mode);
  if (until !== undefined && until.getTime() <= now) throw invalidArgument('The retain until date must be in the future!', 'x-amz-object-lock-retain-until-date', until.toISOString());
  if (hold !== undefined && hold !== 'ON' && hold !== 'OFF') throw invalidArgument("Legal Hold must be either of 'ON' or 'OFF'", 'x-amz-object-lock-legal-hold', hold);
  const lock: ObjectLock = {};
  if (mode !== undefined) {
    lock.mode = mode as ObjectLock['mode'];
    lock.retainUntil = until!.getTime();
  } else if (b.objectLockEnabled && b.objectLockRule?.DefaultRetention) {
    lock.mode = b.objectLockRule.DefaultRetention.Mode as ObjectLock['mode'];
    lock.retainUntil = addRetention(now, b.objectLockRule);
  }
  if (hold === 'ON') lock.legalHold = true;
  return lock.mode || lock.legalHold ? lock : undefined;
}

/** Headers GET/HEAD answer for a locked version. */
export function lockOutput(lock: ObjectLock | undefined): Record<string, unknown> {
  if (!lock) return {};
  return {
    ...(lock.mode ? { ObjectLockMode: lock.mode, ObjectLockRetainUntilDate: new Date(lock.retainUntil!) } : {}),
    ...(lock.legalHold !== undefined ? { ObjectLockLegalHoldStatus: lock.legalHold ? 'ON' : 'OFF' } : {}),
  };
}

/** Whether a version is protected now (legal hold, or retention not yet passed). */
export function isLocked(lock: ObjectLock | undefined, now: number): boolean {
  return !!lock && (lock.legalHold === true || (lock.retainUntil !== undefined && lock.retainUntil > now));
}

/** A permanent delete of a version: refused while it is held, or retained (GOVERNANCE can be bypassed). */
export function checkDeletable(lock: ObjectLock | undefined, bypass: boolean, now: number): void {
  if (!lock) return;
  if (lock.legalHold) throw lockDenied();
  if (lock.retainUntil !== undefined && lock.retainUntil > now && (lock.mode === 'COMPLIANCE' || !bypass)) throw lockDenied();
}

/**
 * PutObjectRetention: COMPLIANCE can only be extended; GOVERNANCE can be extended or made
 * COMPLIANCE, and shortened or removed only with the bypass header.
 */
export function changeRetention(cur: ObjectLock | undefined, r: ObjectLockRetention | undefined, bypass: boolean, now: number): ObjectLock | undefined {
  const mode = r?.Mode;
  const until = r?.RetainUntilDate?.getTime();
  if (mode !== undefined && !MODES.includes(mode)) throw malformed();
  if ((mode === undefined) !== (until === undefined)) throw malformed();
  if (until !== undefined && until <= now) throw invalidArgument('The retain until date must be in the future!', 'RetainUntilDate', r!.RetainUntilDate!.toISOString());
  const active = cur?.mode !== undefined && cur.retainUntil !== undefined && cur.retainUntil > now;
  if (active) {
    const weaker = until === undefined || until < cur!.retainUntil! || (cur!.mode === 'COMPLIANCE' && mode !== 'COMPLIANCE');
    if (weaker && (cur!.mode === 'COMPLIANCE' || !bypass)) throw new AwsError('AccessDenied', 'Access Denied', 403);
  }
  const next: ObjectLock = { ...(cur?.legalHold !== undefined ? { legalHold: cur.legalHold } : {}) };
  if (mode !== undefined) {
    next.mode = mode as ObjectLock['mode'];
    next.retainUntil = until;
  }
  return next.mode || next.legalHold !== undefined ? next : undefined;
}

export { MODES as LOCK_MODES };
