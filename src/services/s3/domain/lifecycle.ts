/**
 * Lifecycle configurations: AWS's validation of rules (ids, filters, actions, the minimum days
 * of each storage class) and what a rule means for one object version on the virtual clock.
 * S3 evaluates rules once a day at midnight UTC: an action of N days is due at the creation
 * (or noncurrent) time plus N days, rounded up to the next midnight UTC.
 */
import { randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import type { LifecycleRule, LifecycleRuleFilter, Tag } from '../generated/types.js';
import { invalidArgument, invalidRequest } from './errors.js';
import { DAY, midnightAfter } from './restore.js';

export interface LifecycleConfig {
  rules: LifecycleRule[];
  /** TransitionDefaultMinimumObjectSize */
  minimumSize: string;
}

export const MINIMUM_SIZES = ['all_storage_classes_128K', 'varies_by_storage_class'];
const SMALL = 128 * 1024;

/** The transition waterfall: objects only move to a class further down. */
const ORDER = ['STANDARD', 'REDUCED_REDUNDANCY', 'STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE'];
const TRANSITION_CLASSES = new Set(['STANDARD_IA', 'INTELLIGENT_TIERING', 'ONEZONE_IA', 'GLACIER_IR', 'GLACIER', 'DEEP_ARCHIVE']);
const MIN_DAYS: Record<string, number> = { STANDARD_IA: 30, ONEZONE_IA: 30 };
const IA = new Set(['STANDARD_IA', 'ONEZONE_IA']);

export const classRank = (c: string) => Math.max(0, ORDER.indexOf(c));

const malformed = () => new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);

function filterText(r: LifecycleRule): string {
  const p = r.Filter?.Prefix ?? r.Filter?.And?.Prefix ?? r.Prefix ?? '';
  return `'(prefix=${p})'`;
}

function hasTags(f: LifecycleRuleFilter | undefined): boolean {
  return !!f && (f.Tag !== undefined || !!f.And?.Tags?.length);
}

function checkFilter(f: LifecycleRuleFilter): void {
  const set = [f.Prefix, f.Tag, f.ObjectSizeGreaterThan, f.ObjectSizeLessThan, f.And].filter((v) => v !== undefined).length;
  if (set > 1) throw malformed();
  const tags: Tag[] = [...(f.Tag ? [f.Tag] : []), ...(f.And?.Tags ?? [])];
  const keys = new Set<string>();
  for (const t of tags) {
    if (typeof t.Key !== 'string' || typeof t.Value !== 'string') throw malformed();
    if (!t.Key.length || t.Key.length > 128 || t.Value.length > 256) throw invalidArgument('The TagKey you have provided is invalid', 'Tag', t.Key);
    if (keys.has(t.Key)) throw invalidArgument('Duplicate Tag Keys are not allowed.', 'Tag', t.Key);
    keys.add(t.Key);
  }
  const a = f.And;
  if (a && a.Prefix === undefined && !a.Tags?.length && a.ObjectSizeGreaterThan === undefined && a.ObjectSizeLessThan === undefined) throw malformed();
  const gt = f.ObjectSizeGreaterThan ?? a?.ObjectSizeGreaterThan;
  const lt = f.ObjectSizeLessThan ?? a?.ObjectSizeLessThan;
  if (gt !== undefined && gt < 0) throw invalidArgument("'ObjectSizeGreaterThan' should be a non-negative integer", 'ObjectSizeGreaterThan', String(gt));
  if (lt !== undefined && lt <= 0) throw invalidArgument("'ObjectSizeLessThan' should be a positive integer", 'ObjectSizeLessThan', String(lt));
  if (gt !== undefined && lt !== undefined && gt >= lt) {
    throw invalidArgument("'ObjectSizeGreaterThan' must be less than 'ObjectSizeLessThan'", 'ObjectSizeGreaterThan', String(gt));
  }
}

function checkDate(d: Date): void {
  if (d.getTime() % DAY !== 0) throw invalidArgument("'Date' must be at midnight GMT", 'Date', d.toISOString());
}

function checkRule(r: LifecycleRule): void {
  if (r.Status !== 'Enabled' && r.Status !== 'Disabled') throw malformed();
  if (r.ID !== undefined && r.ID.length > 255) throw invalidArgument('ID length should not exceed allowed limit of 255', 'ID', r.ID);
  if (r.Filter !== undefined && r.Prefix !== undefined) throw malformed();
  if (r.Filter) checkFilter(r.Filter);
  const transitions = r.Transitions ?? [];
  const ncTransitions = r.NoncurrentVersionTransitions ?? [];
  if (!r.Expiration && !r.NoncurrentVersionExpiration && !r.AbortIncompleteMultipartUpload && !transitions.length && !ncTransitions.length) {
    throw invalidRequest('At least one action needs to be specified in a rule');
  }
  const e = r.Expiration;
  if (e) {
    const set = [e.Days, e.Date, e.ExpiredObjectDeleteMarker].filter((v) => v !== undefined).length;
    if (set !== 1) throw malformed();
    if (e.Days !== undefined && (!Number.isInteger(e.Days) || e.Days <= 0)) throw invalidArgument("'Days' for Expiration action must be a positive integer", 'Days', String(e.Days));
    if (e.Date) checkDate(e.Date);
    if (e.ExpiredObjectDeleteMarker !== undefined && hasTags(r.Filter)) throw invalidRequest('ExpiredObjectDeleteMarker cannot be specified with object tags');
  }
  const seen = new Set<string>();
  let byDays = false, byDate = false;
  for (const t of transitions) {
    if (!t.StorageClass || !TRANSITION_CLASSES.has(t.StorageClass)) throw malformed();
    if (seen.has(t.StorageClass)) throw invalidRequest(`'StorageClass' must be different for 'Transition' actions in same 'Rule' with filter ${filterText(r)}`);
    seen.add(t.StorageClass);
    if ((t.Days === undefined) === (t.Date === undefined)) throw malformed();
    if (t.Date) {
      checkDate(t.Date);
      byDate = true;
      continue;
    }
    byDays = true;
    if (!Number.isInteger(t.Days) || t.Days! < 0) throw invalidArgument("'Days' in Transition action must be a non-negative integer", 'Days', String(t.Days));
    const min = MIN_DAYS[t.StorageClass] ?? 0;
    if (t.Days! < min) throw invalidArgument(`'Days' in Transition action must be greater than or equal to ${min} for storageClass '${t.StorageClass}'`, 'Days', String(t.Days));
  }
  if (byDays && byDate) throw invalidRequest(`Found mixed 'Date' and 'Days' based Transition actions in lifecycle rule for filter ${filterText(r)}`);
  // Objects stay at least 30 days in an infrequent-access class before going further down.
  const byDay = transitions.filter((t) => t.Days !== undefined).sort((a, b) => a.Days! - b.Days!);
  for (let i = 0; i < byDay.length; i++) {
    for (let j = i + 1; j < byDay.length; j++) {
      const a = byDay[i]!, b = byDay[j]!;
      if (classRank(b.StorageClass!) <= classRank(a.StorageClass!)) {
        throw invalidArgument(`'StorageClass' in the Transition action for filter ${filterText(r)} must be a storage class further down the waterfall than '${a.StorageClass}'`, 'StorageClass', b.StorageClass);
      }
      if (IA.has(a.StorageClass!) && b.Days! - a.Days! < 30) {
        throw invalidArgument(`'Days' in the Transition action for StorageClass '${b.StorageClass}' for filter ${filterText(r)} must be 30 days more than 'filter ${filterText(r)}' in the Transition action for StorageClass '${a.StorageClass}'`, 'Days', String(b.Days));
      }
    }
  }
  const last = byDay[byDay.length - 1];
  if (e?.Days !== undefined && last && e.Days <= last.Days!) {
    throw invalidArgument(`'Days' in the Expiration action for filter ${filterText(r)} must be greater than 'Days' in the Transition action`, 'Days', String(e.Days));
  }
  if (e?.Date && transitions.some((t) => t.Date && t.Date.getTime() >= e.Date!.getTime())) {
    throw invalidArgument(`'Date' in the Expiration action for filter ${filterText(r)} must be later than 'Date' in the Transition action`, 'Date', e.Date.toISOString());
  }
  const nce = r.NoncurrentVersionExpiration;
  if (nce) {
    if (nce.NoncurrentDays === undefined || !Number.isInteger(nce.NoncurrentDays) || nce.NoncurrentDays <= 0) {
      throw invalidArgument("'NoncurrentDays' for NoncurrentVersionExpiration action must be a positive integer", 'NoncurrentDays', String(nce.NoncurrentDays));
    }
    const n = nce.NewerNoncurrentVersions;
    if (n !== undefined && (!Number.isInteger(n) || n < 1 || n > 100)) {
      throw invalidArgument("'NewerNoncurrentVersions' for NoncurrentVersionExpiration action must be a positive integer up to 100", 'NewerNoncurrentVersions', String(n));
    }
  }
  const ncSeen = new Set<string>();
  for (const t of ncTransitions) {
    if (!t.StorageClass || !TRANSITION_CLASSES.has(t.StorageClass)) throw malformed();
    if (ncSeen.has(t.StorageClass)) throw invalidRequest(`'StorageClass' must be different for 'NoncurrentVersionTransition' actions in same 'Rule' with filter ${filterText(r)}`);
    ncSeen.add(t.StorageClass);
    if (t.NoncurrentDays === undefined || !Number.isInteger(t.NoncurrentDays) || t.NoncurrentDays < 0) {
      throw invalidArgument("'NoncurrentDays' for NoncurrentVersionTransition action must be a non-negative integer", 'NoncurrentDays', String(t.NoncurrentDays));
    }
    const min = MIN_DAYS[t.StorageClass] ?? 0;
    if (t.NoncurrentDays < min) {
      throw invalidArgument(`'NoncurrentDays' in NoncurrentVersionTransition action must be greater than or equal to ${min} for storageClass '${t.StorageClass}'`, 'NoncurrentDays', String(t.NoncurrentDays));
    }
    if (nce?.NoncurrentDays !== undefined && nce.NoncurrentDays <= t.NoncurrentDays) {
      throw invalidArgument(`'NoncurrentDays' in the NoncurrentVersionExpiration action for filter ${filterText(r)} must be greater than 'NoncurrentDays' in the NoncurrentVersionTransition action`, 'NoncurrentDays', String(nce.NoncurrentDays));
    }
  }
  const abort = r.AbortIncompleteMultipartUpload;
  if (abort) {
    if (abort.DaysAfterInitiation === undefined || !Number.isInteger(abort.DaysAfterInitiation) || abort.DaysAfterInitiation <= 0) {
      throw invalidArgument("'DaysAfterInitiation' for AbortIncompleteMultipartUpload action must be a positive integer", 'DaysAfterInitiation', String(abort.DaysAfterInitiation));
    }
    if (hasTags(r.Filter)) throw invalidRequest('AbortIncompleteMultipartUpload cannot be specified with Tags.');
  }
}

/** A validated configuration (rules without an ID get one, as S3 assigns them). */
export function checkLifecycle(rules: LifecycleRule[] | undefined, minimumSize: string | undefined): LifecycleConfig {
  if (!rules?.length || rules.length > 1000) throw malformed();
  if (minimumSize !== undefined && !MINIMUM_SIZES.includes(minimumSize)) {
    throw invalidArgument('Invalid value for x-amz-transition-default-minimum-object-size', 'x-amz-transition-default-minimum-object-size', minimumSize);
  }
  const ids = new Set<string>();
  const out: LifecycleRule[] = [];
  for (const r of rules) {
    checkRule(r);
    const id = r.ID ?? Buffer.from(randomUUID()).toString('base64');
    if (ids.has(id)) throw invalidArgument('Rule ID must be unique. Found same ID for more than one rule', 'ID', id);
    ids.add(id);
    out.push({ ...r, ID: id });
  }
  return { rules: out, minimumSize: minimumSize ?? 'all_storage_classes_128K' };
}

// ---- evaluation

export interface VersionFacts {
  key: string;
  size: number;
  tags?: Tag[];
  deleteMarker?: boolean;
}

/** Whether a rule's filter selects a version (delete markers have no tags and size 0). */
export function ruleMatches(r: LifecycleRule, v: VersionFacts): boolean {
  if (r.Status !== 'Enabled') return false;
  const f = r.Filter;
  const prefix = f?.Prefix ?? f?.And?.Prefix ?? r.Prefix ?? '';
  if (!v.key.startsWith(prefix)) return false;
  const tags = [...(f?.Tag ? [f.Tag] : []), ...(f?.And?.Tags ?? [])];
  if (tags.some((t) => !v.tags?.some((x) => x.Key === t.Key && x.Value === t.Value))) return false;
  const gt = f?.ObjectSizeGreaterThan ?? f?.And?.ObjectSizeGreaterThan;
  const lt = f?.ObjectSizeLessThan ?? f?.And?.ObjectSizeLessThan;
  if (gt !== undefined && !(v.size > gt)) return false;
  if (lt !== undefined && !(v.size < lt)) return false;
  return true;
}

const hasSizeFilter = (r: LifecycleRule) =>
  [r.Filter?.ObjectSizeGreaterThan, r.Filter?.ObjectSizeLessThan, r.Filter?.And?.ObjectSizeGreaterThan, r.Filter?.And?.ObjectSizeLessThan].some((v) => v !== undefined);

/** The default minimum size for transitions (objects under 128 KiB stay, unless the rule filters on size). */
export function sizeAllowsTransition(c: LifecycleConfig, r: LifecycleRule, size: number, storageClass: string): boolean {
  if (size >= SMALL || hasSizeFilter(r)) return true;
  return c.minimumSize === 'varies_by_storage_class' && (storageClass === 'GLACIER' || storageClass === 'DEEP_ARCHIVE');
}

/** When `days` after `t` is due: t + days, rounded up to the next midnight UTC. */
export const dueAfter = (t: number, days: number) => midnightAfter(t + days * DAY);

/** The current-version expiration that applies to a version: its date and rule, earliest first. */
export function currentExpiration(c: LifecycleConfig, v: VersionFacts & { lastModified: number }): { due: number; ruleId: string } | undefined {
  let best: { due: number; ruleId: string } | undefined;
  for (const r of c.rules) {
    const e = r.Expiration;
    if (!e || (e.Days === undefined && !e.Date) || !ruleMatches(r, v)) continue;
    const due = e.Date ? e.Date.getTime() : dueAfter(v.lastModified, e.Days!);
    if (!best || due < best.due) best = { due, ruleId: r.ID! };
  }
  return best;
}

/** x-amz-expiration for a current version. */
export function expirationHeader(c: LifecycleConfig | undefined, v: VersionFacts & { lastModified: number }): string | undefined {
  if (!c || v.deleteMarker) return undefined;
  const e = currentExpiration(c, v);
  return e ? `expiry-date="${new Date(e.due).toUTCString()}", rule-id="${e.ruleId}"` : undefined;
}

/** The deepest storage class a current version should have moved to by `now` (if deeper than it is). */
export function dueTransition(c: LifecycleConfig, v: VersionFacts & { lastModified: number; storageClass: string }, now: number): { storageClass: string; ruleId: string } | undefined {
  let best: { storageClass: string; ruleId: string } | undefined;
  for (const r of c.rules) {
    if (!r.Transitions?.length || !ruleMatches(r, v)) continue;
    for (const t of r.Transitions) {
      const due = t.Date ? t.Date.getTime() : dueAfter(v.lastModified, t.Days!);
      if (due > now || !sizeAllowsTransition(c, r, v.size, t.StorageClass!)) continue;
      if (classRank(t.StorageClass!) <= classRank(best?.storageClass ?? v.storageClass)) continue;
      best = { storageClass: t.StorageClass!, ruleId: r.ID! };
    }
  }
  return best;
}
