/**
 * Event bus resource policies: building the statements PutPermission adds, and deciding whether
 * another account may put events on a bus. Allow statements for `events:PutEvents` (or
 * `events:*` / `*`) whose Principal is `*`, the account id, `arn:aws:iam::<account>:root` or any
 * ARN in that account grant it, unless a Deny statement matches too. Conditions are not
 * evaluated (a conditioned statement counts as matching).
 */

export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
}
export interface PolicyDocument { Version?: string; Statement: PolicyStatement[] }

export function parsePolicy(text: string | undefined): PolicyDocument {
  if (!text) return { Version: '2012-10-17', Statement: [] };
  const doc = JSON.parse(text) as { Version?: string; Statement?: PolicyStatement | PolicyStatement[] };
  const st = doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return { Version: doc.Version ?? '2012-10-17', Statement: st };
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function principalMatches(p: unknown, account: string): boolean {
  if (p === '*') return true;
  const aws = p && typeof p === 'object' ? (p as { AWS?: unknown }).AWS : undefined;
  return list(aws).some((x) => x === '*' || x === account || (typeof x === 'string' && x.split(':')[4] === account));
}

function actionMatches(a: string | string[] | undefined, action: string): boolean {
  return list(a).some((x) => x === '*' || x === 'events:*' || (typeof x === 'string' && x.toLowerCase() === action.toLowerCase()));
}

/** Whether `account` may perform `action` on a bus with this policy. */
export function policyAllows(text: string | undefined, account: string, action = 'events:PutEvents'): boolean {
  let doc: PolicyDocument;
  try {
    doc = parsePolicy(text);
  } catch {
    return false;
  }
  const hits = doc.Statement.filter((s) => principalMatches(s.Principal, account) && actionMatches(s.Action, action));
  return hits.some((s) => s.Effect === 'Allow') && !hits.some((s) => s.Effect === 'Deny');
}
