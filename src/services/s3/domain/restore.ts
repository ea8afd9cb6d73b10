/**
 * Archive storage classes and restores on the virtual clock. GLACIER (Flexible Retrieval) and
 * DEEP_ARCHIVE objects cannot be read until RestoreObject has made a temporary copy; the tiers
 * take the upper end of AWS's documented times (Expedited 5 min, Standard 5 h, Bulk 12 h;
 * Deep Archive Standard 12 h, Bulk 48 h). The copy lasts `Days`, counted from completion and
 * rounded up to the next midnight UTC, as S3 computes it. GLACIER_IR is readable directly.
 */
import { AwsError } from '../../../core/errors.js';
import type { RestoreRequest } from '../generated/types.js';
import { invalidArgument } from './errors.js';

export interface RestoreState {
  ongoing: boolean;
  tier: string;
  days: number;
  requestedAt: number;
  /** when the restored copy is (or will be) available */
  readyAt: number;
  /** when the restored copy goes away (set once complete) */
  expiry?: number;
}

export const DAY = 86_400_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const ARCHIVED = new Set(['GLACIER', 'DEEP_ARCHIVE']);

const TIMES: Record<string, Record<string, number>> = {
  GLACIER: { Expedited: 5 * MINUTE, Standard: 5 * HOUR, Bulk: 12 * HOUR },
  DEEP_ARCHIVE: { Standard: 12 * HOUR, Bulk: 48 * HOUR },
};

/** The next midnight UTC at or after t. */
export const midnightAfter = (t: number) => Math.ceil(t / DAY) * DAY;

/**
 * Calls `run(midnight)` at every UTC midnight on the virtual clock; a clock set far ahead runs
 * one evaluation, as of the last midnight. Returns the cancel function.
 */
export function everyMidnight(clock: { now(): number; at(t: number, fn: () => void): { cancel(): void } }, run: (midnight: number) => void): () => void {
  let timer: { cancel(): void };
  const schedule = () => {
    timer = clock.at(Math.floor(clock.now() / DAY) * DAY + DAY, () => {
      run(Math.floor(clock.now() / DAY) * DAY);
      schedule();
    });
  };
  schedule();
  return () => timer.cancel();
}

const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

/** How long a restore of `storageClass` takes at `tier`; refuses what S3 refuses. */
export function restoreTime(storageClass: string, tier: string): number {
  const t = TIMES[storageClass]?.[tier];
  if (t === undefined) {
    if (!['Expedited', 'Standard', 'Bulk'].includes(tier)) throw malformed();
    throw invalidArgument(`${tier} retrieval is not supported for the ${storageClass} storage class`, 'Tier', tier);
  }
  return t;
}

/** The tier and days a RestoreObject request asks for (archive restores, not S3 Select). */
export function parseRestoreRequest(r: RestoreRequest | undefined): { tier: string; days: number } {
  if (r?.Type !== undefined) {
    throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501, { fields: { Header: 'Type' } });
  }
  // A top-level Tier belongs to SELECT requests; archive restores name it in GlacierJobParameters.
  if (r?.Tier !== undefined || r?.OutputLocation !== undefined || r?.SelectParameters !== undefined) throw malformed();
  const days = r?.Days;
  if (days === undefined || !Number.isInteger(days) || days < 1) throw malformed();
  return { tier: r?.GlacierJobParameters?.Tier ?? 'Standard', days };
}

/** Whether the bytes can be read now: not archived, or a restored copy is there. */
export function readable(storageClass: string, restore: RestoreState | undefined, now: number): boolean {
  if (!ARCHIVED.has(storageClass)) return true;
  return !!restore && !restore.ongoing && restore.readyAt <= now && (restore.expiry ?? Infinity) > now;
}

export function invalidObjectState(storageClass: string): AwsError {
  return new AwsError('InvalidObjectState', "The operation is not valid for the object's storage class", 403, { fields: { StorageClass: storageClass } });
}

/** x-amz-restore as GET/HEAD answer it. */
export function restoreHeader(restore: RestoreState | undefined, now: number): string | undefined {
  if (!restore) return undefined;
  if (restore.ongoing || restore.readyAt > now) return 'ongoing-request="true"';
  const expiry = restore.expiry ?? midnightAfter(restore.readyAt + restore.days * DAY);
  if (expiry <= now) return undefined;
  return `ongoing-request="false", expiry-date="${new Date(expiry).toUTCString()}"`;
}
