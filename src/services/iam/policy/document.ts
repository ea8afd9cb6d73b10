/**
 * Policy documents normalised for evaluation: Statement always a list, every element that may
 * be a string or a list made a list, conditions as (operator, key, values) triples, and each
 * statement's position in the original text.
 */
import { parseWithSpans, type Position } from './json.js';

export type Effect = 'Allow' | 'Deny';

/** Principal element: `*`, or type → values (AWS, Service, Federated, CanonicalUser). */
export type PrincipalSpec = '*' | Record<string, string[]>;

export interface ConditionClause {
  /** as written, e.g. `ForAnyValue:StringLikeIfExists` */
  operator: string;
  /** as written, e.g. `aws:PrincipalTag/team` */
  key: string;
  values: string[];
}

export interface NormalStatement {
  index: number;
  sid?: string;
  effect: Effect;
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  principal?: PrincipalSpec;
  notPrincipal?: PrincipalSpec;
  conditions: ConditionClause[];
  start?: Position;
  end?: Position;
}

export interface NormalPolicy {
  version?: string;
  id?: string;
  statements: NormalStatement[];
  /** `${…}` policy variables are only substituted in Version 2012-10-17 documents */
  variables: boolean;
}

export class PolicyShapeError extends Error {}

const strings = (v: unknown): string[] => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x) => String(x)));
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function principal(v: unknown): PrincipalSpec | undefined {
  if (v === undefined) return undefined;
  if (v === '*') return '*';
  if (!isObj(v)) throw new PolicyShapeError('Principal');
  const out: Record<string, string[]> = {};
  for (const [k, x] of Object.entries(v)) out[k] = strings(x);
  return out;
}

/** Parses a policy document's text (already validated or not) into its normal form. */
export function normalisePolicy(text: string): NormalPolicy {
  let parsed: ReturnType<typeof parseWithSpans>;
  try {
    parsed = parseWithSpans(text);
  } catch {
    throw new PolicyShapeError('json');
  }
  const doc = parsed.value;
  if (!isObj(doc)) throw new PolicyShapeError('document');
  const list = doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  const statements = list.map((s, index): NormalStatement => {
    if (!isObj(s)) throw new PolicyShapeError('statement');
    const span = parsed.spans.get(s);
    const conditions: ConditionClause[] = [];
    if (isObj(s.Condition)) {
      for (const [operator, block] of Object.entries(s.Condition)) {
        if (!isObj(block)) continue;
        for (const [key, values] of Object.entries(block)) conditions.push({ operator, key, values: strings(values) });
      }
    }
    return {
      index,
      sid: typeof s.Sid === 'string' && s.Sid ? s.Sid : undefined,
      effect: s.Effect === 'Deny' ? 'Deny' : 'Allow',
      action: s.Action === undefined ? undefined : strings(s.Action),
      notAction: s.NotAction === undefined ? undefined : strings(s.NotAction),
      resource: s.Resource === undefined ? undefined : strings(s.Resource),
      notResource: s.NotResource === undefined ? undefined : strings(s.NotResource),
      principal: principal(s.Principal),
      notPrincipal: principal(s.NotPrincipal),
      conditions,
      start: span?.start,
      end: span?.end,
    };
  });
  const version = typeof doc.Version === 'string' ? doc.Version : undefined;
  return { version, id: typeof doc.Id === 'string' ? doc.Id : undefined, statements, variables: version === '2012-10-17' };
}
