/**
 * Organization policy types, the AWS managed policies (FullAWSAccess for SCPs,
 * RCPFullAWSAccess for RCPs), content validation, and effective-policy merging for the
 * management policy types (tag, backup, AI opt-out, …) with AWS's inheritance operators.
 */
import type { PolicyRec } from '../state.js';
import { constraint, orgError } from '../state.js';

/** Authorization policies: documents in IAM policy grammar, evaluated along the account's path. */
export const AUTHZ_TYPES = ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'] as const;
/** Management policies: JSON merged along the path into an effective policy. */
export const MANAGEMENT_TYPES = [
  'TAG_POLICY', 'BACKUP_POLICY', 'AISERVICES_OPT_OUT_POLICY', 'CHATBOT_POLICY', 'DECLARATIVE_POLICY_EC2',
  'SECURITYHUB_POLICY', 'INSPECTOR_POLICY', 'BEDROCK_POLICY', 'S3_POLICY', 'UPGRADE_ROLLOUT_POLICY',
] as const;
export const POLICY_TYPES: readonly string[] = [...AUTHZ_TYPES, ...MANAGEMENT_TYPES];

/** Maximum document size in characters, per type (AWS's quotas). */
export function maxSize(type: string): number {
  switch (type) {
    case 'SERVICE_CONTROL_POLICY':
    case 'RESOURCE_CONTROL_POLICY':
      return 5_120;
    case 'AISERVICES_OPT_OUT_POLICY':
      return 2_500;
    default:
      return 10_000;
  }
}

const EPOCH = Date.UTC(2019, 10, 27);

export const AWS_MANAGED: readonly PolicyRec[] = [
  {
    id: 'p-FullAWSAccess',
    name: 'FullAWSAccess',
    description: 'Allows access to every operation',
    type: 'SERVICE_CONTROL_POLICY',
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }),
    created: EPOCH,
  },
  {
    id: 'p-RCPFullAWSAccess',
    name: 'RCPFullAWSAccess',
    description: 'Allows access to every operation',
    type: 'RESOURCE_CONTROL_POLICY',
    content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }] }),
    created: EPOCH,
  },
];

export const awsManagedFor = (type: string) => AWS_MANAGED.find((p) => p.type === type);

const malformed = (detail?: string) =>
  orgError('MalformedPolicyDocumentException', `The provided policy document does not meet the requirements of the specified policy type.${detail ? ' ' + detail : ''}`);

/** Validates a policy document for its type (JSON, size, basic grammar); returns it unchanged. */
export function validateContent(type: string, content: string): string {
  if (content.length > maxSize(type)) {
    throw constraint('POLICY_CONTENT_LIMIT_EXCEEDED', 'You attempted to create or update a policy whose content exceeds the maximum size for its type.');
  }
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw malformed();
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw malformed();
  if ((AUTHZ_TYPES as readonly string[]).includes(type)) validateAuthz(type, doc as Record<string, unknown>);
  return content;
}

function validateAuthz(type: string, doc: Record<string, unknown>): void {
  for (const k of Object.keys(doc)) if (!['Version', 'Id', 'Statement'].includes(k)) throw malformed(`Unknown field ${k}.`);
  if (doc.Version !== '2012-10-17') throw malformed('The policy must have Version 2012-10-17.');
  const st = doc.Statement;
  const list = Array.isArray(st) ? st : st && typeof st === 'object' ? [st] : undefined;
  if (!list || list.length === 0) throw malformed('The policy must contain at least one statement.');
  for (const s of list as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object') throw malformed();
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') throw malformed('Each statement needs an Effect of Allow or Deny.');
    if ((s.Action === undefined) === (s.NotAction === undefined)) throw malformed('Each statement needs exactly one of Action or NotAction.');
    if (type === 'SERVICE_CONTROL_POLICY' && (s.Principal !== undefined || s.NotPrincipal !== undefined)) throw malformed('SCPs cannot specify a principal.');
    if (type === 'RESOURCE_CONTROL_POLICY' && s.Principal === undefined && s.NotPrincipal === undefined) throw malformed('RCPs must specify a principal.');
  }
}

// ---- effective policies (management policy types) ----

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

const OPS = new Set(['@@assign', '@@append', '@@remove']);
const CHILD_OPS = '@@operators_allowed_for_child_policies';

const isObj = (v: Json | undefined): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const asList = (v: Json | undefined): Json[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);
const isOperatorNode = (v: Json): v is Obj => isObj(v) && Object.keys(v).some((k) => OPS.has(k));

/**
 * Merges the policies attached along an account's path (root first, then each OU, then the
 * account; policies at one level in attachment order) with AWS's inheritance operators:
 * `@@assign` replaces, `@@append` adds to a list, `@@remove` takes values out, and
 * `@@operators_allowed_for_child_policies` restricts what later (child) levels may do
 * (`@@none` freezes the node). Returns the effective document without operators.
 */
export function mergeEffective(levels: string[][]): Obj {
  const out: Obj = {};
  const locks = new Map<string, Set<string>>(); // path → operators children may still use
  for (const level of levels) {
    const lockedBefore = new Map(locks);
    for (const content of level) {
      let doc: Json;
      try {
        doc = JSON.parse(content) as Json;
      } catch {
        continue;
      }
      if (isObj(doc)) mergeNode(out, doc, '', lockedBefore, locks);
    }
  }
  return out;
}

function allowed(locks: Map<string, Set<string>>, path: string, op: string): boolean {
  // a lock on this node or any ancestor applies
  for (const [p, ops] of locks) if ((path === p || path.startsWith(p + '/')) && !ops.has(op)) return false;
  return true;
}

function mergeNode(target: Obj, src: Obj, path: string, lockedBefore: Map<string, Set<string>>, locks: Map<string, Set<string>>): void {
  for (const [rawKey, value] of Object.entries(src)) {
    if (rawKey === CHILD_OPS) {
      const ops = new Set(asList(value).map(String));
      if (ops.has('@@all')) for (const o of OPS) ops.add(o);
      const prev = locks.get(path);
      locks.set(path, prev ? new Set([...ops].filter((o) => prev.has(o))) : ops);
      continue;
    }
    const key = rawKey;
    const p = `${path}/${key}`;
    if (isOperatorNode(value)) {
      for (const [op, v] of Object.entries(value)) {
        if (op === CHILD_OPS) {
          const ops = new Set(asList(v).map(String));
          if (ops.has('@@all')) for (const o of OPS) ops.add(o);
          locks.set(p, ops);
          continue;
        }
        if (!OPS.has(op) || !allowed(lockedBefore, p, op)) continue;
        if (op === '@@assign') target[key] = structuredClone(v);
        else if (op === '@@append') {
          const cur = asList(target[key]);
          for (const x of asList(v)) if (!cur.some((y) => JSON.stringify(y) === JSON.stringify(x))) cur.push(x);
          target[key] = cur;
        } else if (op === '@@remove') {
          const rm = asList(v).map((x) => JSON.stringify(x));
          target[key] = asList(target[key]).filter((x) => !rm.includes(JSON.stringify(x)));
        }
      }
    } else if (isObj(value)) {
      if (!isObj(target[key])) target[key] = {};
      mergeNode(target[key] as Obj, value, p, lockedBefore, locks);
    } else if (allowed(lockedBefore, p, '@@assign')) {
      target[key] = structuredClone(value);
    }
  }
}
