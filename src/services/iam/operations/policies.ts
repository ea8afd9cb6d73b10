/** Managed policies and their versions (customer managed; AWS managed are read-only data). */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import type { IAMHandlers, PolicyVersion } from '../generated/types.js';
import { callerIdentity } from '../../sts/internal.js';
import {
  Constraints, alreadyExists, checkArn, checkDuplicateTagKeys, checkName, checkPath, checkPathPrefix, checkPaging, checkTags, deleteConflict,
  encodeDocument, iamArn, limitExceeded, noSuchEntity, page, uniqueId,
} from '../domain/common.js';
import { checkManagedSize, parsePolicy } from '../domain/policy-document.js';
import { attachmentCount, awsManagedPolicies, findPolicy, isAwsManaged, policyOut } from '../domain/model.js';
import { nameKey, type PolicyRec, type VersionRec } from '../state.js';
import type { IamContext } from './context.js';

const MAX_VERSIONS = 5;
const VERSION_RE = /^v[1-9][0-9]*(\.[A-Za-z0-9-]*)?$/;
const VERSION_SRC = 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?';
const DESCRIPTION_RE = /^[\u0009\u000A\u000D\u0020-\u00FF]*$/;

export function policyOperations({ t, now }: IamContext): IAMHandlers {
  function checkDocument(doc: string): void {
    parsePolicy(doc, 'identity');
    checkManagedSize(doc);
  }
  /** AWS managed policies cannot be changed by an account. */
  function customer(p: PolicyRec, action: string, ctx: RequestContext): PolicyRec {
    if (!isAwsManaged(p.arn)) return p;
    const who = callerIdentity(ctx.runtime.store, ctx).arn;
    throw new AwsError('AccessDenied', `User: ${who} is not authorized to perform: iam:${action} on resource: policy ${p.arn}`, 403);
  }
  const versionOut = (p: PolicyRec, v: VersionRec, withDocument: boolean): PolicyVersion => ({
    Document: withDocument ? encodeDocument(v.document) : undefined,
    VersionId: v.id,
    IsDefaultVersion: v.id === p.defaultVersion,
    CreateDate: new Date(v.created),
  });
  const findVersion = (p: PolicyRec, id: string): VersionRec => {
    const v = p.versions.find((x) => x.id === id);
    if (!v) throw noSuchEntity(`Policy ${p.arn} version ${id} does not exist or is not attachable.`);
    return v;
  };

  return {
    CreatePolicy(input, ctx) {
      const c = checkName(new Constraints(), 'policyName', input.PolicyName, 128);
      checkPath(c, 'path', input.Path);
      c.length('policyDocument', input.PolicyDocument, 1, 131072)
        .length('description', input.Description, 0, 1000)
        .pattern('description', input.Description, DESCRIPTION_RE, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]*');
      checkTags(c, input.Tags).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      const scope = scopeOf(ctx);
      const lower = nameKey(input.PolicyName);
      if ([...t.policies.values(scope)].some((p) => nameKey(p.name) === lower)) {
        throw alreadyExists(`A policy called ${input.PolicyName} already exists. Duplicate names are not allowed.`);
      }
      checkDocument(input.PolicyDocument);
      const path = input.Path ?? '/';
      const at = now();
      const p: PolicyRec = {
        name: input.PolicyName,
        path,
        id: uniqueId('ANPA'),
        arn: iamArn(ctx.accountId, 'policy', path, input.PolicyName),
        created: at,
        updated: at,
        description: input.Description,
        defaultVersion: 'v1',
        versions: [{ id: 'v1', document: input.PolicyDocument, created: at }],
        nextVersion: 2,
        tags: (input.Tags ?? []).map((x) => ({ Key: x.Key, Value: x.Value })),
      };
      t.policies.put(scope, p.arn, p);
      const out = policyOut(t, scope, p, true);
      delete out.Description; // CreatePolicy does not echo the description
      return { Policy: out };
    },

    GetPolicy(input, ctx) {
      checkArn(new Constraints(), 'policyArn', input.PolicyArn).throwIfAny();
      const scope = scopeOf(ctx);
      return { Policy: policyOut(t, scope, findPolicy(t, scope, input.PolicyArn), true) };
    },

    DeletePolicy(input, ctx) {
      checkArn(new Constraints(), 'policyArn', input.PolicyArn).throwIfAny();
      const scope = scopeOf(ctx);
      const p = customer(findPolicy(t, scope, input.PolicyArn), 'DeletePolicy', ctx);
      const counts = attachmentCount(t, scope, p.arn);
      if (counts.attachments || counts.boundaries) throw deleteConflict('Cannot delete a policy attached to entities.');
      if (p.versions.length > 1) {
        throw deleteConflict("This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
      }
      t.policies.delete(scope, p.arn);
    },

    ListPolicies(input, ctx) {
      checkPaging(checkPathPrefix(new Constraints(), input.PathPrefix), input).throwIfAny();
      const scope = scopeOf(ctx);
      const which = input.Scope ?? 'All';
      const pool: PolicyRec[] = [];
      if (which === 'All' || which === 'AWS') pool.push(...awsManagedPolicies().values());
      if (which === 'All' || which === 'Local') pool.push(...t.policies.values(scope));
      const prefix = input.PathPrefix ?? '/';
      const rows = pool
        .filter((p) => p.path.startsWith(prefix))
        .map((p) => ({ p, counts: attachmentCount(t, scope, p.arn), key: `${nameKey(p.name)}\u0000${p.arn}` }))
        .filter(({ counts }) => {
          if (input.PolicyUsageFilter === 'PermissionsPolicy' && input.OnlyAttached) return counts.attachments > 0;
          if (input.PolicyUsageFilter === 'PermissionsBoundary' && input.OnlyAttached) return counts.boundaries > 0;
          return !input.OnlyAttached || counts.attachments + counts.boundaries > 0;
        })
        .sort((a, b) => (a.key < b.key ? -1 : 1));
      const pg = page(rows, (r) => r.key, input);
      return { Policies: pg.items.map((r) => policyOut(t, scope, r.p, false)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    CreatePolicyVersion(input, ctx) {
      checkArn(new Constraints(), 'policyArn', input.PolicyArn).length('policyDocument', input.PolicyDocument, 1, 131072).throwIfAny();
      const scope = scopeOf(ctx);
      const p = customer(findPolicy(t, scope, input.PolicyArn), 'CreatePolicyVersion', ctx);
      checkDocument(input.PolicyDocument);
      if (p.versions.length >= MAX_VERSIONS) {
        throw limitExceeded('A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.');
      }
      const at = now();
      const v: VersionRec = { id: `v${p.nextVersion++}`, document: input.PolicyDocument, created: at };
      p.versions.push(v);
      if (input.SetAsDefault) {
        p.defaultVersion = v.id;
        p.updated = at;
      }
      t.policies.put(scope, p.arn, p);
      return { PolicyVersion: versionOut(p, v, false) };
    },

    GetPolicyVersion(input, ctx) {
      checkArn(new Constraints(), 'policyArn', input.PolicyArn).pattern('versionId', input.VersionId, VERSION_RE, VERSION_SRC).throwIfAny();
      const scope = scopeOf(ctx);
      const p = findPolicy(t, scope, input.PolicyArn);
      return { PolicyVersion: versionOut(p, findVersion(p, input.VersionId), true) };
    },

    ListPolicyVersions(input, ctx) {
      checkPaging(checkArn(new Constraints(), 'policyArn', input.PolicyArn), input).throwIfAny();
      const scope = scopeOf(ctx);
      const p = findPolicy(t, scope, input.PolicyArn);
      // Newest first, as AWS lists them.
      const sorted = [...p.versions].sort((a, b) => Number(b.id.slice(1)) - Number(a.id.slice(1)));
      const pg = page(sorted, (v) => String(1e9 - Number(v.id.slice(1))).padStart(10, '0'), input);
      return { Versions: pg.items.map((v) => versionOut(p, v, false)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    DeletePolicyVersion(input, ctx) {
      checkArn(new Constraints(), 'policyArn', input.PolicyArn).pattern('versionId', input.VersionId, VERSION_RE, VERSION_SRC).throwIfAny();
      const scope = scopeOf(ctx);
      const p = customer(findPolicy(t, scope, input.PolicyArn), 'DeletePolicyVersion', ctx);
      const v = findVersion(p, input.VersionId);
      if (v.id === p.defaultVersion) throw deleteConflict('Cannot delete the default version of a policy.');
      p.versions = p.versions.filter((x) => x !== v);
      t.policies.put(scope, p.arn, p);
    },

    SetDefaultPolicyVersion(input, ctx) {
      checkArn(new Constraints(), 'policyArn', input.PolicyArn).pattern('versionId', input.VersionId, VERSION_RE, VERSION_SRC).throwIfAny();
      const scope = scopeOf(ctx);
      const p = customer(findPolicy(t, scope, input.PolicyArn), 'SetDefaultPolicyVersion', ctx);
      const v = findVersion(p, input.VersionId);
      p.defaultVersion = v.id;
      p.updated = now();
      t.policies.put(scope, p.arn, p);
    },

    ListEntitiesForPolicy(input, ctx) {
      checkPaging(checkPathPrefix(checkArn(new Constraints(), 'policyArn', input.PolicyArn), input.PathPrefix), input).throwIfAny();
      const scope = scopeOf(ctx);
      const p = findPolicy(t, scope, input.PolicyArn);
      const usage = input.PolicyUsageFilter;
      const uses = (e: { attached: string[]; boundary?: string }) =>
        (usage !== 'PermissionsBoundary' && e.attached.includes(p.arn)) || (usage !== 'PermissionsPolicy' && e.boundary === p.arn);
      const prefix = input.PathPrefix ?? '/';
      const f = input.EntityFilter;
      type Row = { key: string; kind: 'group' | 'user' | 'role'; name: string; id: string };
      const rows: Row[] = [];
      const add = (kind: Row['kind'], items: Iterable<[string, { name: string; id: string; path: string; attached: string[]; boundary?: string }]>) => {
        for (const [k, e] of items) if (e.path.startsWith(prefix) && uses(e)) rows.push({ key: `${kind}\u0000${k}`, kind, name: e.name, id: e.id });
      };
      if (!f || f === 'Group') add('group', t.groups.entries(scope));
      if (!f || f === 'Role') add('role', t.roles.entries(scope));
      if (!f || f === 'User') add('user', t.users.entries(scope));
      rows.sort((a, b) => (a.key < b.key ? -1 : 1));
      const pg = page(rows, (r) => r.key, input);
      return {
        PolicyGroups: pg.items.filter((r) => r.kind === 'group').map((r) => ({ GroupName: r.name, GroupId: r.id })),
        PolicyUsers: pg.items.filter((r) => r.kind === 'user').map((r) => ({ UserName: r.name, UserId: r.id })),
        PolicyRoles: pg.items.filter((r) => r.kind === 'role').map((r) => ({ RoleName: r.name, RoleId: r.id })),
        IsTruncated: pg.IsTruncated,
        Marker: pg.Marker,
      };
    },
  };
}
