/** Roles (trust policies, max session duration, boundaries) and instance profiles. */
import { scopeOf } from '../../../gateway/context.js';
import type { IAMHandlers } from '../generated/types.js';
import {
  Constraints, alreadyExists, byPrefix, checkArn, checkDuplicateTagKeys, checkName, checkPath, checkPathPrefix, checkPaging, checkTags,
  deleteConflict, iamArn, limitExceeded, noSuchEntity, page, uniqueId,
} from '../domain/common.js';
import { checkTrustSize, parsePolicy } from '../domain/policy-document.js';
import { assertModifiable, findProfile, findRole, lookupPolicy, profileOut, roleOut } from '../domain/model.js';
import { nameKey, type InstanceProfileRec, type RoleRec } from '../state.js';
import type { IamContext } from './context.js';
import type { Scope } from '../../../state/store.js';

const DESCRIPTION_RE = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;
const DESCRIPTION_SRC = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*';

export function roleOperations({ t, now }: IamContext): IAMHandlers {
  function checkTrust(doc: string): void {
    parsePolicy(doc, 'trust');
    checkTrustSize(doc);
  }
  function checkBoundary(scope: Scope, arn: string | undefined): void {
    if (arn && !lookupPolicy(t, scope, arn)) throw noSuchEntity(`Scope ARN: ${arn} does not exist or is not attachable.`);
  }

  return {
    CreateRole(input, ctx) {
      const c = checkName(new Constraints(), 'roleName', input.RoleName, 64);
      checkPath(c, 'path', input.Path);
      c.length('assumeRolePolicyDocument', input.AssumeRolePolicyDocument, 1, 131072)
        .length('description', input.Description, 0, 1000)
        .pattern('description', input.Description, DESCRIPTION_RE, DESCRIPTION_SRC)
        .range('maxSessionDuration', input.MaxSessionDuration, 3600, 43200);
      checkArn(c, 'permissionsBoundary', input.PermissionsBoundary);
      checkTags(c, input.Tags).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      const scope = scopeOf(ctx);
      const key = nameKey(input.RoleName);
      if (t.roles.has(scope, key)) throw alreadyExists(`Role with name ${input.RoleName} already exists.`);
      checkTrust(input.AssumeRolePolicyDocument);
      checkBoundary(scope, input.PermissionsBoundary);
      const path = input.Path ?? '/';
      const r: RoleRec = {
        name: input.RoleName,
        path,
        id: uniqueId('AROA'),
        arn: iamArn(ctx.accountId, 'role', path, input.RoleName),
        created: now(),
        trust: input.AssumeRolePolicyDocument,
        description: input.Description,
        maxSession: input.MaxSessionDuration ?? 3600,
        boundary: input.PermissionsBoundary,
        tags: (input.Tags ?? []).map((x) => ({ Key: x.Key, Value: x.Value })),
        attached: [],
        inline: {},
      };
      t.roles.put(scope, key, r);
      const out = roleOut(r, true);
      delete out.RoleLastUsed; // CreateRole's answer has no RoleLastUsed
      return { Role: out };
    },

    GetRole(input, ctx) {
      checkName(new Constraints(), 'roleName', input.RoleName, 64).throwIfAny();
      return { Role: roleOut(findRole(t, scopeOf(ctx), input.RoleName), true) };
    },

    ListRoles(input, ctx) {
      checkPaging(checkPathPrefix(new Constraints(), input.PathPrefix), input).throwIfAny();
      const p = page(byPrefix(t.roles.entries(scopeOf(ctx)), input.PathPrefix), ([k]) => k, input);
      return { Roles: p.items.map(([, r]) => roleOut(r, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    UpdateRole(input, ctx) {
      checkName(new Constraints(), 'roleName', input.RoleName, 64)
        .length('description', input.Description, 0, 1000)
        .pattern('description', input.Description, DESCRIPTION_RE, DESCRIPTION_SRC)
        .range('maxSessionDuration', input.MaxSessionDuration, 3600, 43200)
        .throwIfAny();
      const scope = scopeOf(ctx);
      const r = findRole(t, scope, input.RoleName);
      if (input.Description !== undefined) r.description = input.Description;
      if (input.MaxSessionDuration !== undefined) r.maxSession = input.MaxSessionDuration;
      t.roles.put(scope, nameKey(r.name), r);
      return {};
    },

    UpdateRoleDescription(input, ctx) {
      checkName(new Constraints(), 'roleName', input.RoleName, 64)
        .length('description', input.Description, 0, 1000)
        .pattern('description', input.Description, DESCRIPTION_RE, DESCRIPTION_SRC)
        .throwIfAny();
      const scope = scopeOf(ctx);
      const r = findRole(t, scope, input.RoleName);
      r.description = input.Description;
      t.roles.put(scope, nameKey(r.name), r);
      return { Role: roleOut(r, true) };
    },

    UpdateAssumeRolePolicy(input, ctx) {
      checkName(new Constraints(), 'roleName', input.RoleName, 64).length('policyDocument', input.PolicyDocument, 1, 131072).throwIfAny();
      const scope = scopeOf(ctx);
      const r = findRole(t, scope, input.RoleName);
      assertModifiable(r);
      checkTrust(input.PolicyDocument);
      r.trust = input.PolicyDocument;
      t.roles.put(scope, nameKey(r.name), r);
    },

    DeleteRole(input, ctx) {
      checkName(new Constraints(), 'roleName', input.RoleName, 64).throwIfAny();
      const scope = scopeOf(ctx);
      const r = findRole(t, scope, input.RoleName);
      assertModifiable(r);
      const key = nameKey(r.name);
      if (r.attached.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (Object.keys(r.inline).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      if ([...t.profiles.values(scope)].some((p) => p.roles.includes(key))) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      t.roles.delete(scope, key);
    },

    PutRolePermissionsBoundary(input, ctx) {
      checkArn(checkName(new Constraints(), 'roleName', input.RoleName, 64), 'permissionsBoundary', input.PermissionsBoundary).throwIfAny();
      const scope = scopeOf(ctx);
      const r = findRole(t, scope, input.RoleName);
      assertModifiable(r);
      checkBoundary(scope, input.PermissionsBoundary);
      r.boundary = input.PermissionsBoundary;
      t.roles.put(scope, nameKey(r.name), r);
    },

    DeleteRolePermissionsBoundary(input, ctx) {
      checkName(new Constraints(), 'roleName', input.RoleName, 64).throwIfAny();
      const scope = scopeOf(ctx);
      const r = findRole(t, scope, input.RoleName);
      assertModifiable(r);
      delete r.boundary;
      t.roles.put(scope, nameKey(r.name), r);
    },

    // ---- instance profiles
    CreateInstanceProfile(input, ctx) {
      const c = checkName(new Constraints(), 'instanceProfileName', input.InstanceProfileName, 128);
      checkPath(c, 'path', input.Path);
      checkTags(c, input.Tags).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      const scope = scopeOf(ctx);
      const key = nameKey(input.InstanceProfileName);
      if (t.profiles.has(scope, key)) throw alreadyExists(`Instance Profile ${input.InstanceProfileName} already exists.`);
      const path = input.Path ?? '/';
      const ip: InstanceProfileRec = {
        name: input.InstanceProfileName,
        path,
        id: uniqueId('AIPA'),
        arn: iamArn(ctx.accountId, 'instance-profile', path, input.InstanceProfileName),
        created: now(),
        roles: [],
        tags: (input.Tags ?? []).map((x) => ({ Key: x.Key, Value: x.Value })),
      };
      t.profiles.put(scope, key, ip);
      return { InstanceProfile: profileOut(t, scope, ip, true) };
    },

    GetInstanceProfile(input, ctx) {
      checkName(new Constraints(), 'instanceProfileName', input.InstanceProfileName, 128).throwIfAny();
      const scope = scopeOf(ctx);
      return { InstanceProfile: profileOut(t, scope, findProfile(t, scope, input.InstanceProfileName), true) };
    },

    ListInstanceProfiles(input, ctx) {
      checkPaging(checkPathPrefix(new Constraints(), input.PathPrefix), input).throwIfAny();
      const scope = scopeOf(ctx);
      const p = page(byPrefix(t.profiles.entries(scope), input.PathPrefix), ([k]) => k, input);
      return { InstanceProfiles: p.items.map(([, ip]) => profileOut(t, scope, ip, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    ListInstanceProfilesForRole(input, ctx) {
      checkPaging(checkName(new Constraints(), 'roleName', input.RoleName, 64), input).throwIfAny();
      const scope = scopeOf(ctx);
      const key = nameKey(findRole(t, scope, input.RoleName).name);
      const all = [...t.profiles.entries(scope)].filter(([, ip]) => ip.roles.includes(key)).sort(([a], [b]) => (a < b ? -1 : 1));
      const p = page(all, ([k]) => k, input);
      return { InstanceProfiles: p.items.map(([, ip]) => profileOut(t, scope, ip, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    DeleteInstanceProfile(input, ctx) {
      checkName(new Constraints(), 'instanceProfileName', input.InstanceProfileName, 128).throwIfAny();
      const scope = scopeOf(ctx);
      const ip = findProfile(t, scope, input.InstanceProfileName);
      if (ip.roles.length) throw deleteConflict('Cannot delete entity, must remove roles from instance profile first.');
      t.profiles.delete(scope, nameKey(ip.name));
    },

    AddRoleToInstanceProfile(input, ctx) {
      const c = checkName(new Constraints(), 'instanceProfileName', input.InstanceProfileName, 128);
      checkName(c, 'roleName', input.RoleName, 64).throwIfAny();
      const scope = scopeOf(ctx);
      const ip = findProfile(t, scope, input.InstanceProfileName);
      const r = findRole(t, scope, input.RoleName);
      if (ip.roles.length >= 1) throw limitExceeded('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      ip.roles.push(nameKey(r.name));
      t.profiles.put(scope, nameKey(ip.name), ip);
    },

    RemoveRoleFromInstanceProfile(input, ctx) {
      const c = checkName(new Constraints(), 'instanceProfileName', input.InstanceProfileName, 128);
      checkName(c, 'roleName', input.RoleName, 64).throwIfAny();
      const scope = scopeOf(ctx);
      const ip = findProfile(t, scope, input.InstanceProfileName);
      const i = ip.roles.indexOf(nameKey(input.RoleName));
      if (i < 0) throw noSuchEntity(`The role with name ${input.RoleName} cannot be found.`);
      ip.roles.splice(i, 1);
      t.profiles.put(scope, nameKey(ip.name), ip);
    },
  };
}
