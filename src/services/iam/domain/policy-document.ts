/**
 * Policy documents as IAM validates them: JSON, the policy grammar, AWS's
 * MalformedPolicyDocument messages, and the size quotas (counted without whitespace).
 */
import { malformedPolicy, limitExceeded } from './common.js';

/** identity: no Principal, Resource needed; trust: Principal needed, no Resource; resource: Principal needed. */
export type PolicyKind = 'identity' | 'trust' | 'resource';

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: '*' | Record<string, string | string[]>;
  NotPrincipal?: '*' | Record<string, string | string[]>;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: Statement[];
}

const TOP = new Set(['Version', 'Id', 'Statement']);
const STMT = new Set(['Sid', 'Effect', 'Action', 'NotAction', 'Resource', 'NotResource', 'Principal', 'NotPrincipal', 'Condition']);
const SYNTAX = 'Syntax errors in policy.';
const ACTION_RE = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?_-]*)$/;
const AWS_PRINCIPAL_RE = /^(\*|\d{12}|arn:aws[\w-]*:(iam::\d{12}:(root|user\/.+|role\/.+|federated-user\/.+)|sts::\d{12}:(assumed-role\/.+|federated-user\/.+)))$/;

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses and validates `text`; throws MalformedPolicyDocument with AWS's message. */
export function parsePolicy(text: string, kind: PolicyKind): PolicyDocument {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw malformedPolicy('This policy contains invalid Json');
  }
  if (!isObj(doc)) throw malformedPolicy('This policy contains invalid Json');
  for (const k of Object.keys(doc)) if (!TOP.has(k)) throw malformedPolicy(SYNTAX);
  if (doc.Version !== undefined && doc.Version !== '2012-10-17' && doc.Version !== '2008-10-17') {
    throw malformedPolicy('The policy must contain a valid version string');
  }
  if (doc.Statement === undefined) throw malformedPolicy(SYNTAX);
  const statements = list(doc.Statement);
  if (!statements.length) throw malformedPolicy(SYNTAX);
  const sids = new Set<string>();
  for (const s of statements) {
    if (!isObj(s)) throw malformedPolicy(SYNTAX);
    for (const k of Object.keys(s)) if (!STMT.has(k)) throw malformedPolicy(SYNTAX);
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformedPolicy(SYNTAX);
    if (s.Sid !== undefined) {
      if (typeof s.Sid !== 'string') throw malformedPolicy(SYNTAX);
      if (s.Sid && sids.has(s.Sid)) throw malformedPolicy('Statement IDs (SID) in a single policy must be unique.');
      sids.add(s.Sid);
    }
    const actions = s.Action ?? s.NotAction;
    if (actions === undefined) throw malformedPolicy('Policy statement must contain actions.');
    if (s.Action !== undefined && s.NotAction !== undefined) throw malformedPolicy(SYNTAX);
    for (const a of list(actions)) {
      if (typeof a !== 'string') throw malformedPolicy(SYNTAX);
      if (!ACTION_RE.test(a)) throw malformedPolicy('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    }
    if (s.Resource !== undefined && s.NotResource !== undefined) throw malformedPolicy(SYNTAX);
    for (const r of list(s.Resource ?? s.NotResource ?? [])) if (typeof r !== 'string') throw malformedPolicy(SYNTAX);
    const principal = s.Principal ?? s.NotPrincipal;
    if (kind === 'identity') {
      if (principal !== undefined) throw malformedPolicy('Policy document should not specify a principal.');
      if (s.Resource === undefined && s.NotResource === undefined) throw malformedPolicy('Policy statement must contain resources.');
    } else {
      if (kind === 'trust' && s.Resource !== undefined) throw malformedPolicy('Has prohibited field Resource');
      if (kind === 'trust' && s.NotResource !== undefined) throw malformedPolicy('Has prohibited field NotResource');
      if (principal === undefined) throw malformedPolicy('Missing required field Principal');
      checkPrincipal(principal);
    }
    if (s.Condition !== undefined) checkCondition(s.Condition);
  }
  return { ...(doc as object), Statement: statements } as PolicyDocument;
}

function checkPrincipal(p: unknown): void {
  if (p === '*') return;
  if (!isObj(p)) throw malformedPolicy(SYNTAX);
  for (const [type, values] of Object.entries(p)) {
    if (!['AWS', 'Service', 'Federated', 'CanonicalUser'].includes(type)) throw malformedPolicy(SYNTAX);
    for (const v of list(values)) {
      if (typeof v !== 'string') throw malformedPolicy(SYNTAX);
      if (type === 'AWS' && !AWS_PRINCIPAL_RE.test(v)) throw malformedPolicy(`Invalid principal in policy: "AWS":"${v}"`);
    }
  }
}

function checkCondition(c: unknown): void {
  if (!isObj(c)) throw malformedPolicy(SYNTAX);
  for (const block of Object.values(c)) {
    if (!isObj(block)) throw malformedPolicy(SYNTAX);
    for (const v of Object.values(block)) {
      for (const x of list(v)) if (!['string', 'number', 'boolean'].includes(typeof x)) throw malformedPolicy(SYNTAX);
    }
  }
}

/** Characters that count toward IAM's policy size quotas (whitespace is not counted). */
export const policySize = (text: string): number => text.replace(/\s+/g, '').length;

/** Managed policy documents: 6,144 characters. */
export function checkManagedSize(text: string): void {
  if (policySize(text) > 6144) throw limitExceeded('Cannot exceed quota for PolicySize: 6144');
}

/** Inline policies: the aggregate per user 2,048, group 5,120, role 10,240. */
export const INLINE_QUOTA = { user: 2048, group: 5120, role: 10240 } as const;

export function checkInlineSize(kind: 'user' | 'group' | 'role', name: string, docs: string[]): void {
  const total = docs.reduce((n, d) => n + policySize(d), 0);
  if (total > INLINE_QUOTA[kind]) throw limitExceeded(`Maximum policy size of ${INLINE_QUOTA[kind]} bytes exceeded for ${kind} ${name}`);
}

/** Trust policies: 2,048 characters by default. */
export function checkTrustSize(text: string): void {
  if (policySize(text) > 2048) throw limitExceeded('Cannot exceed quota for ACLSizePerRole: 2048');
}
