/**
 * The policies of an IAM user, group or role as the simulator names them: managed policies by
 * their name (SourcePolicyType `aws-managed` / `user-managed`), inline policies by their name
 * (`user` / `group` / `role`), a user's groups' policies after its own, and the boundary.
 */
import type { Scope } from '../../../state/store.js';
import { isAwsManaged, lookupPolicy } from '../domain/model.js';
import { nameKey, type IamTables } from '../state.js';
import { normalisePolicy } from './document.js';
import type { PolicyInput } from './evaluate.js';

export interface SourcePolicies {
  identity: PolicyInput[];
  boundary?: PolicyInput;
  /** raw documents, in the same order (for GetContextKeys*) */
  texts: string[];
}

export type EntityKind = 'user' | 'group' | 'role';

const ENTITY_ARN = /^arn:aws[\w-]*:iam::(\d{12}):(user|group|role)(\/(?:[\u0021-\u007E]*\/)?)([\w+=,.@-]+)$/;

/** `arn:aws:iam::123456789012:user/path/name` → its parts, or undefined. */
export function parseEntityArn(arn: string): { account: string; kind: EntityKind; path: string; name: string } | undefined {
  const m = ENTITY_ARN.exec(arn);
  return m ? { account: m[1]!, kind: m[2] as EntityKind, path: m[3]!, name: m[4]! } : undefined;
}

export function entityPolicies(t: IamTables, scope: Scope, kind: EntityKind, name: string): SourcePolicies | undefined {
  const table = kind === 'user' ? t.users : kind === 'group' ? t.groups : t.roles;
  const entity = (table as IamTables['users']).get(scope, nameKey(name)) as { attached: string[]; inline: Record<string, string>; boundary?: string } | undefined;
  if (!entity) return undefined;
  const out: SourcePolicies = { identity: [], texts: [] };
  const managed = (arn: string): PolicyInput | undefined => {
    const p = lookupPolicy(t, scope, arn);
    const v = p?.versions.find((x) => x.id === p.defaultVersion);
    if (!p || !v) return undefined;
    out.texts.push(v.document);
    return { id: p.name, type: isAwsManaged(arn) ? 'aws-managed' : 'user-managed', label: arn, policy: normalisePolicy(v.document) };
  };
  const add = (e: { attached: string[]; inline: Record<string, string> }, type: EntityKind, owner: string) => {
    for (const [n, doc] of Object.entries(e.inline)) {
      out.texts.push(doc);
      out.identity.push({ id: n, type, label: `${type} ${owner} inline policy ${n}`, policy: normalisePolicy(doc) });
    }
    for (const arn of e.attached) {
      const p = managed(arn);
      if (p) out.identity.push(p);
    }
  };
  add(entity, kind, name);
  if (kind === 'user') {
    const key = nameKey(name);
    for (const g of t.groups.values(scope)) if (g.members.includes(key)) add(g, 'group', g.name);
  }
  if (entity.boundary) {
    const p = lookupPolicy(t, scope, entity.boundary);
    const v = p?.versions.find((x) => x.id === p.defaultVersion);
    if (p && v) out.boundary = { id: p.name, type: isAwsManaged(p.arn) ? 'aws-managed' : 'user-managed', label: `permissions boundary ${p.arn}`, policy: normalisePolicy(v.document) };
  }
  return out;
}
