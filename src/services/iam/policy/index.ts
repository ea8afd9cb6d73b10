/**
 * The policy engine: pure functions over plain data (no store, no clock). Documents are
 * normalised (document.ts), matched (match.ts), their conditions evaluated (conditions.ts) and
 * the decision taken by AWS's evaluation logic (evaluate.ts). Callers: the Simulate and
 * GetContextKeys operations and `authorize` in ../internal.ts.
 */
import type { NormalPolicy } from './document.js';
import { variableKeys, type ContextMap } from './match.js';

export { normalisePolicy, PolicyShapeError, type NormalPolicy, type NormalStatement, type ConditionClause, type PrincipalSpec } from './document.js';
export { evaluate, principalMatch, describeStatement, type Decision, type EvalPolicies, type EvalPrincipal, type EvalRequest, type EvalResult, type MatchedStatement, type PolicyCategory, type PolicyInput } from './evaluate.js';
export { conditionsHold, isKnownOperator, parseOperator, dateOf } from './conditions.js';
export { actionMatches, resourceMatches, ipInCidr, substitute, type ContextMap } from './match.js';

/** A context map from plain key → value(s) (keys compared case-insensitively; undefined dropped). */
export function contextMap(entries: Record<string, string | string[] | undefined> | Iterable<[string, string[]]>): ContextMap {
  const m: ContextMap = new Map();
  const it = Symbol.iterator in entries ? (entries as Iterable<[string, string[]]>) : Object.entries(entries);
  for (const [k, v] of it) {
    if (v === undefined) continue;
    m.set(k.toLowerCase(), Array.isArray(v) ? v.map(String) : [String(v)]);
  }
  return m;
}

/**
 * The context keys a policy refers to, as written, first seen first, each once (compared
 * case-insensitively): variables in Resource/NotResource, then each condition's key and the
 * variables in its values.
 */
export function contextKeysOf(policies: NormalPolicy[]): string[] {
  const seen = new Map<string, string>();
  const add = (k: string) => {
    if (!seen.has(k.toLowerCase())) seen.set(k.toLowerCase(), k);
  };
  for (const p of policies) {
    for (const s of p.statements) {
      if (p.variables) for (const r of [...(s.resource ?? []), ...(s.notResource ?? [])]) variableKeys(r).forEach(add);
      for (const c of s.conditions) {
        add(c.key);
        if (p.variables) for (const v of c.values) variableKeys(v).forEach(add);
      }
    }
  }
  return [...seen.values()];
}
