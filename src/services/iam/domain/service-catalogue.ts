/**
 * The services access reports speak of: every service gureum routes (models/index.json), by IAM
 * namespace, and which of them a set of policies grants something in (from the Allow statements'
 * action prefixes).
 */
import { modelIndex } from '../../../protocol/models.js';
import { actionMatches, normalisePolicy } from '../policy/index.js';

let catalogue: Map<string, string> | undefined;
/** namespace → service name (the SDK's name for it) for every routed service. */
export function services(): Map<string, string> {
  if (catalogue) return catalogue;
  catalogue = new Map();
  for (const s of modelIndex().services) {
    const ns = s.signingName === 'monitoring' ? 'cloudwatch' : s.signingName === 'email' ? 'ses' : s.signingName;
    if (!catalogue.has(ns)) catalogue.set(ns, `AWS ${s.sdkId}`.replace(/^AWS (Amazon|AWS) /, '$1 '));
  }
  return catalogue;
}

/** Namespaces the documents' Allow statements grant something in (unparsable documents grant nothing). */
export function grantedNamespaces(documents: string[]): Set<string> {
  const all = [...services().keys()];
  const out = new Set<string>();
  for (const doc of documents) {
    let policy;
    try {
      policy = normalisePolicy(doc);
    } catch {
      continue;
    }
    for (const s of policy.statements) {
      if (s.effect !== 'Allow') continue;
      for (const ns of all) {
        const probe = `${ns}:*`;
        if (s.action?.some((a) => a === '*' || actionMatches(a.split(':')[0]! + ':x', `${ns}:x`))) out.add(ns);
        else if (s.notAction && !s.notAction.some((a) => actionMatches(a, probe) && (a === '*' || a.endsWith(':*')))) out.add(ns);
      }
    }
  }
  return out;
}

/** Namespaces a document denies outright: a Deny of `*` or `ns:*` on every resource, without conditions. */
export function deniedNamespaces(documents: string[]): Set<string> {
  const out = new Set<string>();
  for (const doc of documents) {
    let policy;
    try {
      policy = normalisePolicy(doc);
    } catch {
      continue;
    }
    for (const s of policy.statements) {
      if (s.effect !== 'Deny' || s.conditions.length || !s.resource?.includes('*') || !s.action) continue;
      for (const ns of services().keys()) if (s.action.some((a) => a === '*' || a.toLowerCase() === `${ns}:*`)) out.add(ns);
    }
  }
  return out;
}
