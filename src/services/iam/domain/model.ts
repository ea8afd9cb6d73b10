/**
 * Lookups with AWS's NoSuchEntity messages, AWS managed policies (data/), and the
 * record → output-shape mappers every operation file shares.
 */
import type { Scope } from '../../../state/store.js';
import type { Group, InstanceProfile, Policy, Role, User } from '../generated/types.js';
import { AWS_MANAGED_POLICIES } from '../data/aws-managed-policies.js';
import { encodeDocument, noSuchEntity, stableId } from './common.js';
import { nameKey, type GroupRec, type IamTables, type InstanceProfileRec, type PolicyRec, type RoleRec, type UserRec } from '../state.js';

export function findUser(t: IamTables, scope: Scope, name: string): UserRec {
  const u = t.users.get(scope, nameKey(name));
  if (!u) throw noSuchEntity(`The user with name ${name} cannot be found.`);
  return u;
}
export function findGroup(t: IamTables, scope: Scope, name: string): GroupRec {
  const g = t.groups.get(scope, nameKey(name));
  if (!g) throw noSuchEntity(`The group with name ${name} cannot be found.`);
  return g;
}
export function findRole(t: IamTables, scope: Scope, name: string): RoleRec {
  const r = t.roles.get(scope, nameKey(name));
  if (!r) throw noSuchEntity(`The role with name ${name} cannot be found.`);
  return r;
}
export function findProfile(t: IamTables, scope: Scope, name: string): InstanceProfileRec {
  const p = t.profiles.get(scope, nameKey(name));
  if (!p) throw noSuchEntity(`Instance Profile ${name} cannot be found.`);
  return p;
}

// ---- AWS managed policies: read-only, the same in every account
let awsManaged: Map<string, PolicyRec> | undefined;
export function awsManagedPolicies(): Map<string, PolicyRec> {
  if (awsManaged) return awsManaged;
  awsManaged = new Map();
  for (const p of AWS_MANAGED_POLICIES) {
    const m = /^arn:aws:iam::aws:policy(\/(?:.*\/)?)([^/]+)$/.exec(p.arn)!;
    const created = Date.parse(p.c);
    const updated = Date.parse(p.u);
    awsManaged.set(p.arn, {
      name: m[2]!,
      path: m[1]!,
      arn: p.arn,
      id: stableId('ANPA', p.arn),
      created,
      updated,
      defaultVersion: p.v,
      versions: [{ id: p.v, document: JSON.stringify(p.d, null, 4), created: updated }],
      nextVersion: 0,
      tags: [],
    });
  }
  return awsManaged;
}

export const isAwsManaged = (arn: string) => arn.startsWith('arn:aws:iam::aws:policy/');

/** A managed policy by ARN (customer or AWS managed), or undefined. */
export function lookupPolicy(t: IamTables, scope: Scope, arn: string): PolicyRec | undefined {
  return isAwsManaged(arn) ? awsManagedPolicies().get(arn) : t.policies.get(scope, arn);
}

export function findPolicy(t: IamTables, scope: Scope, arn: string): PolicyRec {
  const p = lookupPolicy(t, scope, arn);
  if (!p) throw noSuchEntity(`Policy ${arn} was not found.`);
  return p;
}

/** For attach operations AWS words it differently. */
export function findAttachable(t: IamTables, scope: Scope, arn: string): PolicyRec {
  const p = lookupPolicy(t, scope, arn);
  if (!p) throw noSuchEntity(`Policy ${arn} does not exist or is not attachable.`);
  return p;
}

export function attachmentCount(t: IamTables, scope: Scope, arn: string): { attachments: number; boundaries: number } {
  let attachments = 0;
  let boundaries = 0;
  for (const tbl of [t.users, t.groups, t.roles] as const) {
    for (const e of (tbl as IamTables['users']).values(scope)) {
      if (e.attached.includes(arn)) attachments++;
      if ((e as { boundary?: string }).boundary === arn) boundaries++;
    }
  }
  return { attachments, boundaries };
}

// ---- output shapes
const boundaryOut = (arn: string | undefined) => (arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined);
const tagsOut = (tags: { Key: string; Value: string }[]) => (tags.length ? tags.map((x) => ({ Key: x.Key, Value: x.Value })) : undefined);

/** `full`: Get/Create answers (tags, boundary); list answers leave those out, as AWS does. */
export function userOut(u: UserRec, full: boolean): User {
  const out: User = { Path: u.path, UserName: u.name, UserId: u.id, Arn: u.arn, CreateDate: new Date(u.created) };
  if (full) {
    out.PermissionsBoundary = boundaryOut(u.boundary);
    out.Tags = tagsOut(u.tags);
  }
  return out;
}

export function groupOut(g: GroupRec): Group {
  return { Path: g.path, GroupName: g.name, GroupId: g.id, Arn: g.arn, CreateDate: new Date(g.created) };
}

export function roleOut(r: RoleRec, full: boolean): Role {
  const out: Role = {
    Path: r.path,
    RoleName: r.name,
    RoleId: r.id,
    Arn: r.arn,
    CreateDate: new Date(r.created),
    AssumeRolePolicyDocument: encodeDocument(r.trust),
    Description: r.description,
    MaxSessionDuration: r.maxSession,
  };
  if (full) {
    out.PermissionsBoundary = boundaryOut(r.boundary);
    out.Tags = tagsOut(r.tags);
    out.RoleLastUsed = r.lastUsed ? { LastUsedDate: new Date(r.lastUsed.date), Region: r.lastUsed.region } : {};
  }
  return out;
}

export function policyOut(t: IamTables, scope: Scope, p: PolicyRec, full: boolean): Policy {
  const counts = attachmentCount(t, scope, p.arn);
  const out: Policy = {
    PolicyName: p.name,
    PolicyId: p.id,
    Arn: p.arn,
    Path: p.path,
    DefaultVersionId: p.defaultVersion,
    AttachmentCount: counts.attachments,
    PermissionsBoundaryUsageCount: counts.boundaries,
    IsAttachable: true,
    CreateDate: new Date(p.created),
    UpdateDate: new Date(p.updated),
  };
  if (full) {
    out.Description = p.description;
    out.Tags = tagsOut(p.tags);
  }
  return out;
}

export function profileOut(t: IamTables, scope: Scope, ip: InstanceProfileRec, full: boolean): InstanceProfile {
  const roles = ip.roles.map((k) => t.roles.get(scope, k)).filter((r): r is RoleRec => !!r);
  const out: InstanceProfile = {
    Path: ip.path,
    InstanceProfileName: ip.name,
    InstanceProfileId: ip.id,
    Arn: ip.arn,
    CreateDate: new Date(ip.created),
    Roles: roles.map((r) => roleOut(r, false)),
  };
  if (full) out.Tags = tagsOut(ip.tags);
  return out;
}
