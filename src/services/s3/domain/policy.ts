/**
 * Bucket policies: validated as PutBucketPolicy validates them (MalformedPolicy with S3's
 * sentences, first fault wins), judged public or not as Block Public Access and
 * GetBucketPolicyStatus judge them, and evaluated with IAM's policy engine.
 */
import { isIP } from 'node:net';
import { AwsError } from '../../../core/errors.js';
import { policyEngine } from '../../iam/internal.js';
import { ACTION_CATALOG, type ActionKind } from './actions.js';

type NormalPolicy = ReturnType<typeof policyEngine.normalisePolicy>;

const malformed = (message: string) => new AwsError('MalformedPolicy', message, 400);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_POLICY_BYTES = 20 * 1024;

/** S3's own condition keys (compared case-insensitively); `…/` entries are prefixes of tag keys. */
const S3_CONDITION_KEYS = [
  's3:x-amz-acl', 's3:x-amz-grant-full-control', 's3:x-amz-grant-read', 's3:x-amz-grant-read-acp', 's3:x-amz-grant-write',
  's3:x-amz-grant-write-acp', 's3:x-amz-copy-source', 's3:x-amz-metadata-directive', 's3:x-amz-server-side-encryption',
  's3:x-amz-server-side-encryption-aws-kms-key-id', 's3:x-amz-server-side-encryption-customer-algorithm', 's3:x-amz-storage-class',
  's3:x-amz-website-redirect-location', 's3:x-amz-content-sha256', 's3:x-amz-object-ownership', 's3:prefix', 's3:delimiter',
  's3:max-keys', 's3:versionid', 's3:locationconstraint', 's3:requestobjecttagkeys', 's3:object-lock-mode',
  's3:object-lock-retain-until-date', 's3:object-lock-remaining-retention-days', 's3:object-lock-legal-hold', 's3:signatureversion',
  's3:authtype', 's3:signatureage', 's3:tlsversion', 's3:dataaccesspointarn', 's3:dataaccesspointaccount', 's3:accesspointnetworkorigin',
  's3:resourceaccount', 's3:if-match', 's3:if-none-match', 's3:objectcreationoperation', 's3:existingobjecttag/', 's3:requestobjecttag/',
  's3:x-amz-checksum-algorithm', 's3:bucketkeyenabled', 's3:object-lock-enabled',
];

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw malformed('Invalid policy syntax.');
}

/** `*` and `?` wildcards, as IAM matches action and resource patterns. */
function wildcard(pattern: string, value: string): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', 's');
  return re.test(value);
}

const ACCOUNT = /^\d{12}$/;
const IAM_ARN = /^arn:aws[\w-]*:(iam|sts)::(\d{12}|cloudfront):(root|user\/.+|role\/.+|assumed-role\/.+|federated-user\/.+)$/;

function checkPrincipal(v: unknown): void {
  if (v === '*') return;
  if (!isObj(v) || !Object.keys(v).length) throw malformed('Invalid principal in policy');
  for (const [type, values] of Object.entries(v)) {
    let list: string[];
    try {
      list = strings(values);
    } catch {
      throw malformed('Invalid principal in policy');
    }
    if (!list.length || list.some((x) => !x)) throw malformed('Invalid principal in policy');
    for (const p of list) {
      const ok =
        type === 'AWS' ? p === '*' || ACCOUNT.test(p) || IAM_ARN.test(p)
        : type === 'Service' ? p !== '*' && /^[a-z0-9.-]+$/.test(p)
        : type === 'CanonicalUser' ? /^[0-9a-f]{64}$/.test(p)
        : type === 'Federated' ? p.length > 0
        : false;
      if (!ok) throw malformed('Invalid principal in policy');
    }
  }
}

/** The action names (catalog entries) an action pattern covers; empty: not an S3 action. */
function actionsNamed(pattern: string): { lower: string; kind: ActionKind }[] {
  const p = pattern.toLowerCase() === '*' ? 's3:*' : pattern.toLowerCase();
  if (!p.startsWith('s3:')) return [];
  return ACTION_CATALOG.filter((a) => wildcard(p, a.lower));
}

/** Resource patterns must be S3 ARNs whose bucket part can be this bucket. */
function checkResource(pattern: string, bucket: string): void {
  const m = /^arn:aws:s3:::(.+)$/.exec(pattern);
  if (!m) throw malformed('Policy has invalid resource');
  const named = m[1]!.split('/')[0]!;
  if (!named.includes('${') && !wildcard(named, bucket)) throw malformed('Policy has invalid resource');
}

/** Which kinds of resource a pattern can reach: bucket ARNs have no `/`, objects have one (a `*` may stand for it). */
function reaches(pattern: string, kind: ActionKind): boolean {
  const rest = pattern.replace(/^arn:aws:s3:::/, '');
  if (kind === 'bucket') return !rest.includes('/');
  if (kind === 'object') return rest.includes('/') || rest.includes('*');
  return false;
}

function checkConditions(v: unknown): void {
  if (!isObj(v)) throw malformed('Invalid policy syntax.');
  for (const [operator, block] of Object.entries(v)) {
    if (!policyEngine.isKnownOperator(operator)) throw malformed(`Invalid Condition type : ${operator}`);
    if (!isObj(block)) throw malformed('Invalid policy syntax.');
    for (const [key, values] of Object.entries(block)) {
      const k = key.toLowerCase();
      const known = (k.startsWith('aws:') && k.length > 4) || S3_CONDITION_KEYS.some((s) => (s.endsWith('/') ? k.startsWith(s) && k.length > s.length : k === s));
      if (!known) throw malformed('Policy has an invalid condition key');
      const list = Array.isArray(values) ? values : [values];
      if (list.some((x) => typeof x !== 'string' && typeof x !== 'number' && typeof x !== 'boolean')) throw malformed('Invalid policy syntax.');
      if (/IpAddress/.test(operator) && list.some((x) => !isIP(String(x).split('/')[0]!))) throw malformed('Invalid IP address in Conditions');
    }
  }
}

const STATEMENT_KEYS = new Set(['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition']);

function checkStatement(s: unknown, bucket: string): void {
  if (!isObj(s)) throw malformed('Invalid policy syntax.');
  for (const k of Object.keys(s)) if (!STATEMENT_KEYS.has(k)) throw malformed('Invalid policy syntax.');
  for (const name of ['Principal', 'Action', 'Resource']) {
    if (s[name] !== undefined && s[`Not${name}`] !== undefined) throw malformed('Invalid policy syntax.');
  }
  if (s.Sid !== undefined && typeof s.Sid !== 'string') throw malformed('Invalid policy syntax.');
  if (s.Effect === undefined) throw malformed('Missing required field Effect');
  if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed(`Invalid effect: ${typeof s.Effect === 'string' ? s.Effect : JSON.stringify(s.Effect)}`);
  const principal = s.Principal ?? s.NotPrincipal;
  if (principal === undefined) throw malformed('Missing required field Principal');
  checkPrincipal(principal);
  if (s.NotPrincipal !== undefined && s.Effect === 'Allow') throw malformed('Invalid principal in policy');
  const actionValue = s.Action ?? s.NotAction;
  if (actionValue === undefined) throw malformed('Missing required field Action');
  const actions = strings(actionValue);
  const named = actions.map((a) => {
    const n = actionsNamed(a);
    if (!n.length) throw malformed('Policy has invalid action');
    return n;
  });
  const resourceValue = s.Resource ?? s.NotResource;
  if (resourceValue === undefined) throw malformed('Missing required field Resource');
  const resources = strings(resourceValue);
  if (!resources.length) throw malformed('Policy has invalid resource');
  for (const r of resources) checkResource(r, bucket);
  if (s.Action !== undefined && s.Resource !== undefined) {
    // every action must apply to at least one of the statement's resources
    const applies = named.every((list) => list.some((a) => resources.some((r) => reaches(r, a.kind))));
    if (!applies) throw malformed('Action does not apply to any resource(s) in statement');
  }
  if (s.Condition !== undefined) checkConditions(s.Condition);
}

/** PutBucketPolicy's validation; returns the text to store (as sent). */
export function checkBucketPolicy(text: string, bucket: string): string {
  if (!text.trimStart().startsWith('{')) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isObj(doc)) throw malformed("Policies must be valid JSON and the first byte must be '{'");
  if (Buffer.byteLength(JSON.stringify(doc)) > MAX_POLICY_BYTES) throw malformed('Policies must be less than 20 KB in size.');
  for (const k of Object.keys(doc)) if (k !== 'Version' && k !== 'Id' && k !== 'Statement') throw malformed('Invalid policy syntax.');
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') throw malformed('The policy must contain a valid version string');
  if (doc.Id !== undefined && typeof doc.Id !== 'string') throw malformed('Invalid policy syntax.');
  if (doc.Statement === undefined) throw malformed('Missing required field Statement');
  const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  if (!list.length) throw malformed('Could not parse the policy: Statement is empty!');
  for (const s of list) checkStatement(s, bucket);
  return text;
}

// ---- public or not

/** Keys whose fixed values confine a statement to known sources (S3's "non-public" rule). */
const FIXING_KEYS = new Set([
  'aws:sourcearn', 'aws:sourcevpc', 'aws:sourcevpce', 'aws:sourceowner', 'aws:sourceaccount', 'aws:principalorgid',
  'aws:principalarn', 'aws:principalaccount', 'aws:userid', 's3:dataaccesspointarn', 's3:dataaccesspointaccount',
]);
const FIXING_OPERATORS = new Set(['StringEquals', 'StringEqualsIgnoreCase', 'StringLike', 'ArnEquals', 'ArnLike']);

function confines(op: string, key: string, values: string[]): boolean {
  if (op.endsWith('IfExists') || op.startsWith('ForAllValues:')) return false;
  const base = op.replace(/^ForAnyValue:/, '');
  const k = key.toLowerCase();
  if (k === 'aws:sourceip') {
    return base === 'IpAddress' && values.every((v) => {
      const [addr, bits] = v.split('/');
      const family = isIP(addr ?? '');
      const prefix = bits === undefined ? (family === 6 ? 128 : 32) : Number(bits);
      return family !== 0 && prefix >= (family === 4 ? 8 : 32);
    });
  }
  return FIXING_KEYS.has(k) && FIXING_OPERATORS.has(base) && values.every((v) => !/[*?]|\$\{/.test(v));
}

function everyone(p: NormalPolicy['statements'][number]['principal']): boolean {
  if (p === undefined) return false;
  if (p === '*') return true;
  return (p.AWS ?? []).some((v) => v.includes('*'));
}

/** A policy is public when an Allow statement grants to everyone without a condition that confines it. */
export function policyIsPublic(policy: NormalPolicy): boolean {
  return policy.statements.some((s) => s.effect === 'Allow' && everyone(s.principal) && !s.conditions.some((c) => confines(c.operator, c.key, c.values)));
}

// ---- evaluation

const cache = new Map<string, NormalPolicy>();

/** The normal form of a stored policy (parsed once). */
export function normalPolicy(text: string): NormalPolicy {
  let p = cache.get(text);
  if (!p) {
    if (cache.size > 256) cache.clear();
    cache.set(text, (p = policyEngine.normalisePolicy(text)));
  }
  return p;
}

export interface PolicyCaller { arn: string; account: string; principalArn: string }

/**
 * The bucket policy's own decision for a request: explicitDeny, allowed (a statement names the
 * caller, their account, or everyone) or implicitDeny. `caller` undefined: anonymous.
 */
export function evaluateBucketPolicy(policy: NormalPolicy, action: string, resource: string, caller: PolicyCaller | undefined, context: Record<string, string | string[] | undefined>): 'allowed' | 'explicitDeny' | 'implicitDeny' {
  const r = policyEngine.evaluate(
    { action, resource, principal: caller, resourceAccount: caller?.account, context: policyEngine.contextMap(context) },
    { identity: [], resource: { id: 'BucketPolicy', type: 'resource', label: 'bucket policy', policy } },
  );
  return r.resourceDecision ?? 'implicitDeny';
}

/**
 * Does the bucket policy let an AWS service principal (`logging.s3.amazonaws.com` delivering
 * access logs, `s3.amazonaws.com` delivering inventory reports) do `action` on `resource`?
 * An explicit Deny to the service (or to everyone) wins.
 */
export function serviceAllowed(text: string | undefined, service: string, action: string, resource: string, context: Record<string, string | string[] | undefined>): boolean {
  if (!text) return false;
  const policy = normalPolicy(text);
  const ctx = policyEngine.contextMap(context);
  const vars = !!policy.variables;
  let allowed = false;
  for (const s of policy.statements) {
    const names = (p: typeof s.principal) => p === '*' || (p?.Service ?? []).includes(service) || (p?.AWS ?? []).includes('*');
    if (s.principal ? !names(s.principal) : s.notPrincipal ? names(s.notPrincipal) : true) continue;
    if (s.action && !s.action.some((a) => policyEngine.actionMatches(a, action))) continue;
    if (s.notAction && s.notAction.some((a) => policyEngine.actionMatches(a, action))) continue;
    if (s.resource && !s.resource.some((r) => policyEngine.resourceMatches(r, resource, ctx, vars))) continue;
    if (s.notResource && s.notResource.some((r) => policyEngine.resourceMatches(r, resource, ctx, vars))) continue;
    if (!policyEngine.conditionsHold(s.conditions, ctx, vars, new Set())) continue;
    if (s.effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}
