/** Users and groups (membership). */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import type { IAMHandlers } from '../generated/types.js';
import { callerIdentity } from '../../sts/internal.js';
import {
  Constraints, alreadyExists, byPrefix, checkDuplicateTagKeys, checkName, checkPath, checkPathPrefix, checkPaging, checkTags, deleteConflict,
  iamArn, limitExceeded, noSuchEntity, page, uniqueId, validationError,
} from '../domain/common.js';
import { findGroup, findUser, groupOut, userOut } from '../domain/model.js';
import { nameKey, type UserRec } from '../state.js';
import type { IamContext } from './context.js';

export function userOperations({ t, now }: IamContext): IAMHandlers {
  /** GetUser without a name: the caller (an IAM user's key, or the account's root). */
  function callerUser(ctx: RequestContext) {
    const c = callerIdentity(ctx.runtime.store, ctx);
    const user = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(c.arn);
    if (user) return { User: userOut(findUser(t, scopeOf(ctx), user[1]!), true) };
    if (c.arn.endsWith(':root')) return { User: { UserId: c.account, Arn: c.arn, CreateDate: new Date(0) } as never };
    throw validationError('Must specify userName when calling with non-User credentials');
  }

  return {
    CreateUser(input, ctx) {
      const c = checkName(new Constraints(), 'userName', input.UserName, 64);
      checkPath(c, 'path', input.Path);
      checkTags(c, input.Tags).length('permissionsBoundary', input.PermissionsBoundary, 20, 2048).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      const scope = scopeOf(ctx);
      const key = nameKey(input.UserName);
      if (t.users.has(scope, key)) throw alreadyExists(`User with name ${input.UserName} already exists.`);
      const path = input.Path ?? '/';
      const u: UserRec = {
        name: input.UserName,
        path,
        id: uniqueId('AIDA'),
        arn: iamArn(ctx.accountId, 'user', path, input.UserName),
        created: now(),
        tags: (input.Tags ?? []).map((x) => ({ Key: x.Key, Value: x.Value })),
        boundary: input.PermissionsBoundary,
        attached: [],
        inline: {},
      };
      t.users.put(scope, key, u);
      return { User: userOut(u, true) };
    },

    GetUser(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 128).throwIfAny();
      if (!input.UserName) return callerUser(ctx);
      return { User: userOut(findUser(t, scopeOf(ctx), input.UserName), true) };
    },

    ListUsers(input, ctx) {
      checkPaging(checkPathPrefix(new Constraints(), input.PathPrefix), input).throwIfAny();
      const p = page(byPrefix(t.users.entries(scopeOf(ctx)), input.PathPrefix), ([k]) => k, input);
      return { Users: p.items.map(([, u]) => userOut(u, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    UpdateUser(input, ctx) {
      const c = checkName(new Constraints(), 'userName', input.UserName, 128);
      checkName(c, 'newUserName', input.NewUserName, 64);
      checkPath(c, 'newPath', input.NewPath).throwIfAny();
      const scope = scopeOf(ctx);
      const u = findUser(t, scope, input.UserName);
      const oldKey = nameKey(u.name);
      const newName = input.NewUserName ?? u.name;
      const newKey = nameKey(newName);
      if (newKey !== oldKey && t.users.has(scope, newKey)) throw alreadyExists(`User with name ${newName} already exists.`);
      u.name = newName;
      u.path = input.NewPath ?? u.path;
      u.arn = iamArn(ctx.accountId, 'user', u.path, u.name);
      if (newKey !== oldKey) {
        t.users.delete(scope, oldKey);
        for (const g of t.groups.values(scope)) {
          const i = g.members.indexOf(oldKey);
          if (i >= 0) {
            g.members[i] = newKey;
            t.groups.put(scope, nameKey(g.name), g);
          }
        }
        for (const tbl of [t.keys, t.signingCerts, t.sshKeys, t.serviceCreds] as const) {
          for (const [id, k] of (tbl as typeof t.keys).entries(scope)) {
            if (k.user === oldKey) {
              k.user = newKey;
              (tbl as typeof t.keys).put(scope, id, k);
            }
          }
        }
      }
      t.users.put(scope, newKey, u);
    },

    DeleteUser(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 128).throwIfAny();
      const scope = scopeOf(ctx);
      const u = findUser(t, scope, input.UserName);
      const key = nameKey(u.name);
      if ([...t.keys.values(scope)].some((k) => k.user === key)) throw deleteConflict('Cannot delete entity, must delete access keys first.');
      if (u.login) throw deleteConflict('Cannot delete entity, must delete login profile first.');
      if ([...t.mfa.values(scope)].some((d) => d.user === key)) throw deleteConflict('Cannot delete entity, must remove MFA device first.');
      if ([...t.signingCerts.values(scope)].some((c) => c.user === key)) throw deleteConflict('Cannot delete entity, must delete signing certificates first.');
      if ([...t.sshKeys.values(scope)].some((k) => k.user === key)) throw deleteConflict('Cannot delete entity, must delete SSH public keys first.');
      if ([...t.serviceCreds.values(scope)].some((c) => c.user === key)) throw deleteConflict('Cannot delete entity, must delete service specific credentials first.');
      if ([...t.groups.values(scope)].some((g) => g.members.includes(key))) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      if (u.attached.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (Object.keys(u.inline).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      t.users.delete(scope, key);
    },

    // ---- groups
    CreateGroup(input, ctx) {
      const c = checkName(new Constraints(), 'groupName', input.GroupName, 128);
      checkPath(c, 'path', input.Path).throwIfAny();
      const scope = scopeOf(ctx);
      const key = nameKey(input.GroupName);
      if (t.groups.has(scope, key)) throw alreadyExists(`Group with name ${input.GroupName} already exists.`);
      const path = input.Path ?? '/';
      const g = { name: input.GroupName, path, id: uniqueId('AGPA'), arn: iamArn(ctx.accountId, 'group', path, input.GroupName), created: now(), attached: [], inline: {}, members: [] };
      t.groups.put(scope, key, g);
      return { Group: groupOut(g) };
    },

    GetGroup(input, ctx) {
      checkPaging(checkName(new Constraints(), 'groupName', input.GroupName, 128), input).throwIfAny();
      const scope = scopeOf(ctx);
      const g = findGroup(t, scope, input.GroupName);
      const users = g.members.map((k) => t.users.get(scope, k)).filter((u): u is UserRec => !!u);
      const p = page(users.map((u) => [nameKey(u.name), u] as const).sort(([a], [b]) => (a < b ? -1 : 1)), ([k]) => k, input);
      return { Group: groupOut(g), Users: p.items.map(([, u]) => userOut(u, false)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    ListGroups(input, ctx) {
      checkPaging(checkPathPrefix(new Constraints(), input.PathPrefix), input).throwIfAny();
      const p = page(byPrefix(t.groups.entries(scopeOf(ctx)), input.PathPrefix), ([k]) => k, input);
      return { Groups: p.items.map(([, g]) => groupOut(g)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    UpdateGroup(input, ctx) {
      const c = checkName(new Constraints(), 'groupName', input.GroupName, 128);
      checkName(c, 'newGroupName', input.NewGroupName, 128);
      checkPath(c, 'newPath', input.NewPath).throwIfAny();
      const scope = scopeOf(ctx);
      const g = findGroup(t, scope, input.GroupName);
      const oldKey = nameKey(g.name);
      const newName = input.NewGroupName ?? g.name;
      const newKey = nameKey(newName);
      if (newKey !== oldKey && t.groups.has(scope, newKey)) throw alreadyExists(`Group with name ${newName} already exists.`);
      g.name = newName;
      g.path = input.NewPath ?? g.path;
      g.arn = iamArn(ctx.accountId, 'group', g.path, g.name);
      if (newKey !== oldKey) t.groups.delete(scope, oldKey);
      t.groups.put(scope, newKey, g);
    },

    DeleteGroup(input, ctx) {
      checkName(new Constraints(), 'groupName', input.GroupName, 128).throwIfAny();
      const scope = scopeOf(ctx);
      const g = findGroup(t, scope, input.GroupName);
      if (g.members.length) throw deleteConflict('Cannot delete entity, must remove users from group first.');
      if (g.attached.length) throw deleteConflict('Cannot delete entity, must detach all policies first.');
      if (Object.keys(g.inline).length) throw deleteConflict('Cannot delete entity, must delete policies first.');
      t.groups.delete(scope, nameKey(g.name));
    },

    AddUserToGroup(input, ctx) {
      const c = checkName(new Constraints(), 'groupName', input.GroupName, 128);
      checkName(c, 'userName', input.UserName, 64).throwIfAny();
      const scope = scopeOf(ctx);
      const g = findGroup(t, scope, input.GroupName);
      const u = findUser(t, scope, input.UserName);
      const key = nameKey(u.name);
      if (!g.members.includes(key)) {
        if ([...t.groups.values(scope)].filter((x) => x.members.includes(key)).length >= 10) {
          throw limitExceeded('Cannot exceed quota for GroupsPerUser: 10');
        }
        g.members.push(key);
        t.groups.put(scope, nameKey(g.name), g);
      }
    },

    RemoveUserFromGroup(input, ctx) {
      const c = checkName(new Constraints(), 'groupName', input.GroupName, 128);
      checkName(c, 'userName', input.UserName, 64).throwIfAny();
      const scope = scopeOf(ctx);
      const g = findGroup(t, scope, input.GroupName);
      const u = findUser(t, scope, input.UserName);
      const i = g.members.indexOf(nameKey(u.name));
      if (i < 0) throw noSuchEntity(`The user with name ${u.name} cannot be found.`);
      g.members.splice(i, 1);
      t.groups.put(scope, nameKey(g.name), g);
    },

    ListGroupsForUser(input, ctx) {
      checkPaging(checkName(new Constraints(), 'userName', input.UserName, 128), input).throwIfAny();
      const scope = scopeOf(ctx);
      const key = nameKey(findUser(t, scope, input.UserName).name);
      const groups = [...t.groups.entries(scope)].filter(([, g]) => g.members.includes(key)).sort(([a], [b]) => (a < b ? -1 : 1));
      const p = page(groups, ([k]) => k, input);
      return { Groups: p.items.map(([, g]) => groupOut(g)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },
  };
}

