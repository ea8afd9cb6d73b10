/**
 * Browser POST uploads' policy documents: decoded, their expiration checked on the virtual
 * clock, every condition (exact match, `eq`, `starts-with`, `content-length-range`) checked
 * against the form's fields, and every field covered by a condition — with S3's messages
 * ("Invalid according to Policy: …").
 */
import { AwsError } from '../../../core/errors.js';

const denied = (why: string) => new AwsError('AccessDenied', `Invalid according to Policy: ${why}`, 403);
const invalidPolicy = (why: string) => new AwsError('InvalidPolicyDocument', `Invalid Policy: ${why}`, 400);

/** Fields no condition needs to cover (AWS's list, plus x-ignore-*). */
const EXEMPT = new Set(['policy', 'x-amz-signature', 'signature', 'awsaccesskeyid', 'file']);

export interface PostPolicy {
  expiration: number;
  conditions: unknown[];
  /** content-length-range, if the policy has one */
  lengthRange?: [number, number];
}

/** The base64 policy field, decoded and shaped; InvalidPolicyDocument when it is not a policy. */
export function parsePostPolicy(base64: string): PostPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(base64, 'base64').toString('utf8'));
  } catch {
    throw invalidPolicy('Invalid JSON.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalidPolicy('Invalid JSON.');
  const d = doc as { expiration?: unknown; conditions?: unknown };
  if (d.expiration === undefined) throw invalidPolicy('Policy missing expiration.');
  const expiration = typeof d.expiration === 'string' ? Date.parse(d.expiration) : NaN;
  if (Number.isNaN(expiration)) throw invalidPolicy(`Invalid 'expiration' value: '${String(d.expiration)}'`);
  if (d.conditions === undefined) throw invalidPolicy('Policy missing conditions.');
  if (!Array.isArray(d.conditions)) throw invalidPolicy("Invalid 'conditions' value: must be a List.");
  const policy: PostPolicy = { expiration, conditions: d.conditions };
  for (const c of d.conditions) {
    if (Array.isArray(c) && String(c[0]).toLowerCase() === 'content-length-range') {
      const [min, max] = [Number(c[1]), Number(c[2])];
      if (c.length !== 3 || !Number.isInteger(min) || !Number.isInteger(max)) throw invalidPolicy(`Invalid content-length-range condition: ${JSON.stringify(c)}`);
      policy.lengthRange = [min, max];
    }
  }
  return policy;
}

/** How S3 quotes a failed condition: `["eq", "$key", "value"]`. */
const quote = (op: string, field: string, value: string) => `["${op}", "$${field}", "${value}"]`;

/**
 * Checks the conditions against the fields (names lower-cased; `bucket` is the bucket's name)
 * and that no field goes uncovered. `now`: the virtual clock.
 */
export function checkPostPolicy(policy: PostPolicy, fields: Map<string, string>, bucket: string, now: number): void {
  if (now > policy.expiration) throw denied('Policy expired.');
  const value = (name: string) => (name === 'bucket' ? bucket : fields.get(name));
  const covered = new Set<string>(['bucket']);
  for (const c of policy.conditions) {
    if (Array.isArray(c)) {
      const op = String(c[0]).toLowerCase();
      if (op === 'content-length-range') continue;
      if (c.length !== 3 || (op !== 'eq' && op !== 'starts-with') || typeof c[1] !== 'string' || !c[1].startsWith('$')) {
        throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}`);
      }
      const field = c[1].slice(1).toLowerCase();
      const want = String(c[2]);
      covered.add(field);
      const got = value(field);
      // starts-with on Content-Type applies to each comma-separated value
      const ok = op === 'eq' ? got === want
        : field === 'content-type' ? got !== undefined && got.split(',').every((v) => v.trim().startsWith(want))
        : got !== undefined && got.startsWith(want);
      if (!ok) throw denied(`Policy Condition failed: ${quote(op, c[1].slice(1), want)}`);
    } else if (typeof c === 'object' && c !== null) {
      for (const [k, v] of Object.entries(c)) {
        const field = k.toLowerCase();
        covered.add(field);
        if (value(field) !== String(v)) throw denied(`Policy Condition failed: ${quote('eq', k, String(v))}`);
      }
    } else throw invalidPolicy(`Invalid Condition: ${JSON.stringify(c)}`);
  }
  const extra = [...fields.keys()].filter((f) => !EXEMPT.has(f) && !f.startsWith('x-ignore-') && !covered.has(f));
  if (extra.length) throw denied(`Extra input fields: ${extra.join(', ')}`);
}

/** content-length-range against the received size. */
export function checkPostLength(policy: PostPolicy, size: number): void {
  if (!policy.lengthRange) return;
  const [min, max] = policy.lengthRange;
  if (size < min) throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, { fields: { ProposedSize: size, MinSizeAllowed: min } });
  if (size > max) throw new AwsError('EntityTooLarge', 'Your proposed upload exceeds the maximum allowed size', 400, { fields: { ProposedSize: size, MaxSizeAllowed: max } });
}
