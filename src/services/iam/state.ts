/**
 * IAM's state: plain records in tables scoped by account (region "" — IAM is global).
 * Entities are keyed by their lower-cased name (IAM names are unique regardless of case),
 * customer managed policies by ARN, access keys by key id. `store.table('iam', …)` is also
 * how STS and the policy engine read them (internal.ts).
 */
import type { Scope, Store, Table } from '../../state/store.js';
import type { PasswordPolicy } from './generated/types.js';

export interface Tag { Key: string; Value: string }

interface Entity {
  name: string;
  path: string;
  id: string;
  arn: string;
  /** epoch ms */
  created: number;
}

/** Inline policies: name → document (as sent, decoded). */
export type InlinePolicies = Record<string, string>;

export interface UserRec extends Entity {
  tags: Tag[];
  boundary?: string;
  attached: string[];
  inline: InlinePolicies;
  login?: { created: number; resetRequired: boolean; password: string };
}

export interface GroupRec extends Entity {
  attached: string[];
  inline: InlinePolicies;
  /** user keys (lower-cased names), in the order they were added */
  members: string[];
}

export interface RoleRec extends Entity {
  trust: string;
  description?: string;
  maxSession: number;
  boundary?: string;
  tags: Tag[];
  attached: string[];
  inline: InlinePolicies;
  lastUsed?: { date: number; region: string };
}

export interface VersionRec { id: string; document: string; created: number }

export interface PolicyRec extends Entity {
  description?: string;
  defaultVersion: string;
  versions: VersionRec[];
  nextVersion: number;
  updated: number;
  tags: Tag[];
}

export interface InstanceProfileRec extends Entity {
  /** role keys */
  roles: string[];
  tags: Tag[];
}

export interface AccessKeyRec {
  id: string;
  secret: string;
  /** user key (lower-cased name) */
  user: string;
  status: 'Active' | 'Inactive';
  created: number;
  lastUsed?: { date: number; region: string; service: string };
}

export interface AccountRec {
  aliases: string[];
  passwordPolicy?: PasswordPolicy;
}

export interface IamTables {
  users: Table<UserRec>;
  groups: Table<GroupRec>;
  roles: Table<RoleRec>;
  policies: Table<PolicyRec>;
  profiles: Table<InstanceProfileRec>;
  keys: Table<AccessKeyRec>;
  account: Table<AccountRec>;
}

export function iamTables(store: Store): IamTables {
  return {
    users: store.table('iam', 'users'),
    groups: store.table('iam', 'groups'),
    roles: store.table('iam', 'roles'),
    policies: store.table('iam', 'policies'),
    profiles: store.table('iam', 'instanceProfiles'),
    keys: store.table('iam', 'accessKeys'),
    account: store.table('iam', 'account'),
  };
}

export const iamScope = (account: string): Scope => ({ account, region: '' });
export const nameKey = (name: string): string => name.toLowerCase();
