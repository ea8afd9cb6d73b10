/**
 * Role trust policies: may this caller assume the role? Evaluates the statements whose action
 * matches sts:AssumeRole (explicit Deny wins, else an Allow is needed), their Principal /
 * NotPrincipal against the caller, and their conditions over the request's context keys.
 * The policy engine will grow the condition operators; these are the ones a trust policy needs.
 */
import type { PolicyDocument, Statement } from './policy-document.js';

export interface TrustCaller {
  account: string;
  /** the caller's ARN as GetCallerIdentity shows it (…:root, …:user/…, sts …:assumed-role/…) */
  arn: string;
  /** the IAM principal behind it: the role ARN for an assumed-role session, else `arn` */
  principalArn: string;
}

/** Condition keys known for this request, lower-cased names; values as strings. */
export type ContextKeys = Record<string, string | string[] | undefined>;

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function trustAllows(doc: PolicyDocument, action: string, caller: TrustCaller, keys: ContextKeys): boolean {
  let allowed = false;
  for (const s of doc.Statement) {
    if (!statementApplies(s, action, caller, keys)) continue;
    if (s.Effect === 'Deny') return false;
    allowed = true;
  }
  return allowed;
}

function statementApplies(s: Statement, action: string, caller: TrustCaller, keys: ContextKeys): boolean {
  if (s.Action !== undefined && !list(s.Action).some((a) => wildcard(a, action, true))) return false;
  if (s.NotAction !== undefined && list(s.NotAction).some((a) => wildcard(a, action, true))) return false;
  if (s.Principal !== undefined && !principalMatches(s.Principal, caller)) return false;
  if (s.NotPrincipal !== undefined && principalMatches(s.NotPrincipal, caller)) return false;
  return conditionsHold(s.Condition, keys);
}

export function principalMatches(p: '*' | Record<string, string | string[]>, caller: TrustCaller): boolean {
  if (p === '*') return true;
  // Service, Federated and CanonicalUser principals are never the caller of AssumeRole.
  return list(p.AWS).some((v) => {
    if (v === '*') return true;
    if (/^\d{12}$/.test(v)) return v === caller.account;
    const root = /^arn:aws[\w-]*:iam::(\d{12}):root$/.exec(v);
    if (root) return root[1] === caller.account;
    return v === caller.principalArn || v === caller.arn;
  });
}

/** `*` and `?` wildcards; action names compare case-insensitively. */
export function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const re = new RegExp('^' + pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.') + '$', ignoreCase ? 'is' : 's');
  return re.test(value);
}

type Test = (actual: string, expected: string) => boolean;
const OPERATORS: Record<string, { test: Test; negated?: boolean }> = {
  StringEquals: { test: (a, e) => a === e },
  StringNotEquals: { test: (a, e) => a === e, negated: true },
  StringEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase() },
  StringNotEqualsIgnoreCase: { test: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  StringLike: { test: (a, e) => wildcard(e, a) },
  StringNotLike: { test: (a, e) => wildcard(e, a), negated: true },
  ArnEquals: { test: (a, e) => a === e },
  ArnNotEquals: { test: (a, e) => a === e, negated: true },
  ArnLike: { test: (a, e) => wildcard(e, a) },
  ArnNotLike: { test: (a, e) => wildcard(e, a), negated: true },
  Bool: { test: (a, e) => a.toLowerCase() === e.toLowerCase() },
};

/** Every operator block and every key in it must hold (AND); values of one key are ORed. */
export function conditionsHold(condition: Statement['Condition'], keys: ContextKeys): boolean {
  if (!condition) return true;
  for (const [rawOp, block] of Object.entries(condition)) {
    for (const [key, expectedRaw] of Object.entries(block)) {
      const expected = list(expectedRaw as string | string[]).map(String);
      const actual = list(keys[key.toLowerCase()]);
      if (rawOp === 'Null') {
        const wantAbsent = expected.some((e) => e.toLowerCase() === 'true');
        if ((actual.length === 0) !== wantAbsent) return false;
        continue;
      }
      const ifExists = rawOp.endsWith('IfExists');
      const op = OPERATORS[ifExists ? rawOp.slice(0, -'IfExists'.length) : rawOp];
      if (!op) return false; // an operator we cannot evaluate never grants
      if (actual.length === 0) {
        if (ifExists || op.negated) continue;
        return false;
      }
      const any = actual.some((a) => expected.some((e) => op.test(a, e)));
      if (op.negated ? any : !any) return false;
    }
  }
  return true;
}
