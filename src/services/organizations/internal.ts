/**
 * What other parts of gureum may ask Organizations (the IAM policy engine, the console): the
 * organization an account belongs to, and the SCP / RCP documents on an account's path.
 * Reads the store directly; it does not settle pending clock transitions (an account whose
 * creation has not completed yet is not a member).
 */
import type { Store } from '../../state/store.js';
import { ORG_KEY, accountScope, orgTables, type OrgRec } from './state.js';
import { AWS_MANAGED } from './domain/policies.js';

export interface OrgPolicy { id: string; name: string; content: string; awsManaged: boolean }
/** One level of an account's path: the root, each OU, then the account itself. */
export interface PolicyLevel { targetId: string; targetType: 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT'; policies: OrgPolicy[] }

export interface OrganizationInfo { id: string; arn: string; managementAccount: string; featureSet: string; rootId: string }

function orgRecOf(store: Store, account: string): OrgRec | undefined {
  const t = orgTables(store);
  const mgmt = t.members.get(accountScope(account), ORG_KEY);
  const o = mgmt ? t.orgs.get(accountScope(mgmt), ORG_KEY) : undefined;
  return o && o.accounts[account] ? o : undefined;
}

/** The organization `account` is a member of (for aws:PrincipalOrgID and friends). */
export function organizationOf(store: Store, account: string): OrganizationInfo | undefined {
  const o = orgRecOf(store, account);
  return o && { id: o.id, arn: `arn:aws:organizations::${o.mgmt}:organization/${o.id}`, managementAccount: o.mgmt, featureSet: o.featureSet, rootId: o.rootId };
}

/**
 * The policies of `type` on the account's path, root first. Undefined when nothing of that
 * type applies: the account is in no organization, the type is not enabled, or it is the
 * management account (SCPs and RCPs never restrict the management account).
 */
function levelsFor(store: Store, account: string, type: string): PolicyLevel[] | undefined {
  const o = orgRecOf(store, account);
  if (!o || o.mgmt === account || !o.enabledTypes.includes(type)) return undefined;
  const path: string[] = [];
  let cur: string | undefined = account;
  while (cur) {
    path.unshift(cur);
    cur = cur === o.rootId ? undefined : (o.ous[cur]?.parent ?? o.accounts[cur]?.parent);
  }
  return path.map((targetId) => ({
    targetId,
    targetType: targetId === o.rootId ? 'ROOT' : o.ous[targetId] ? 'ORGANIZATIONAL_UNIT' : 'ACCOUNT',
    policies: (o.attachments[targetId] ?? []).flatMap((id) => {
      const own = o.policies[id];
      const m = own ? undefined : AWS_MANAGED.find((p) => p.id === id);
      const p = own ?? m;
      return p && p.type === type ? [{ id: p.id, name: p.name, content: p.content, awsManaged: !own }] : [];
    }),
  }));
}

/**
 * SCPs on the account's path (root → OUs → account). An action is allowed only if every level
 * allows it (and no level denies it). Undefined: no SCPs apply.
 */
export function scpsFor(store: Store, account: string): PolicyLevel[] | undefined {
  return levelsFor(store, account, 'SERVICE_CONTROL_POLICY');
}

/** RCPs on the account's path (root → OUs → account), same rules as SCPs, for resources owned by the account. */
export function rcpsFor(store: Store, account: string): PolicyLevel[] | undefined {
  return levelsFor(store, account, 'RESOURCE_CONTROL_POLICY');
}

/** What IAM's organization features (centralized root access, access reports) need to know. */
export interface OrganizationDetails extends OrganizationInfo {
  /** service principals with trusted access */
  trustedServices: string[];
  /** the accounts registered as delegated administrators for `servicePrincipal` */
  delegatedAdministrators(servicePrincipal: string): string[];
  /** every member account (management account included) with its lineage: root, OUs, itself */
  accounts: { id: string; status: string; lineage: string[] }[];
  /** `o-…/r-…/ou-…/…/` paths of the root, OUs and accounts, by id */
  paths: Record<string, string>;
  enabledPolicyTypes: string[];
  /** policy ids attached to a root, OU or account */
  attachedPolicies(targetId: string): string[];
  policy(id: string): OrgPolicy & { type: string } | undefined;
}

export function organizationDetails(store: Store, account: string): OrganizationDetails | undefined {
  const o = orgRecOf(store, account);
  if (!o) return undefined;
  const lineage = (id: string): string[] => {
    const out: string[] = [];
    for (let cur: string | undefined = id; cur; cur = cur === o.rootId ? undefined : (o.ous[cur]?.parent ?? o.accounts[cur]?.parent)) out.unshift(cur);
    return out;
  };
  const paths: Record<string, string> = {};
  for (const id of [o.rootId, ...Object.keys(o.ous), ...Object.keys(o.accounts)]) paths[id] = `${o.id}/${lineage(id).join('/')}/`;
  return {
    ...organizationOf(store, account)!,
    trustedServices: Object.keys(o.services),
    delegatedAdministrators: (p) => Object.entries(o.delegated).filter(([, s]) => s[p] !== undefined).map(([id]) => id),
    accounts: Object.values(o.accounts).map((a) => ({ id: a.id, status: a.status, lineage: lineage(a.id) })),
    paths,
    enabledPolicyTypes: [...o.enabledTypes],
    attachedPolicies: (target) => [...(o.attachments[target] ?? [])],
    policy(id) {
      const own = o.policies[id];
      const p = own ?? AWS_MANAGED.find((x) => x.id === id);
      return p && { id: p.id, name: p.name, content: p.content, awsManaged: !own, type: p.type };
    },
  };
}
