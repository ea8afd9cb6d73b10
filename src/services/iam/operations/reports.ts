/**
 * The account's reports: the credential report (CSV with AWS's columns, generated on the virtual
 * clock and valid four hours) and GetAccountAuthorizationDetails (every user, group, role and
 * managed policy with their policies, paged as one list).
 */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import { PARTITION } from '../../../core/regions.js';
import type { GroupDetail, IAMHandlers, ManagedPolicyDetail, RoleDetail, UserDetail } from '../generated/types.js';
import { Constraints, checkPaging, encodeDocument, pageInOrder, validationError } from '../domain/common.js';
import { awsManagedPolicies, isAwsManaged, lookupPolicy, policyOut, profileOut, roleOut } from '../domain/model.js';
import { nameKey, type AccountRec, type PolicyRec } from '../state.js';
import type { IamContext } from './context.js';

/** A report takes this long to generate, and is served for four hours (AWS's reuse window). */
const GENERATION_MS = 5_000;
const VALID_MS = 4 * 3600_000;

const COLUMNS = [
  'user', 'arn', 'user_creation_time', 'password_enabled', 'password_last_used', 'password_last_changed', 'password_next_rotation', 'mfa_active',
  'access_key_1_active', 'access_key_1_last_rotated', 'access_key_1_last_used_date', 'access_key_1_last_used_region', 'access_key_1_last_used_service',
  'access_key_2_active', 'access_key_2_last_rotated', 'access_key_2_last_used_date', 'access_key_2_last_used_region', 'access_key_2_last_used_service',
  'cert_1_active', 'cert_1_last_rotated', 'cert_2_active', 'cert_2_last_rotated',
];
const FILTERS = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

/** ISO 8601 as the report writes it: `2015-06-17T19:11:50+00:00`. */
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

export function reportOperations({ t, now }: IamContext): IAMHandlers {
  const account = (ctx: RequestContext): AccountRec => t.account.get(scopeOf(ctx), 'account') ?? { aliases: [] };

  function credentialCsv(ctx: RequestContext, at: number): string {
    const scope = scopeOf(ctx);
    const policy = account(ctx).passwordPolicy;
    const rows = [COLUMNS.join(',')];
    const rootArn = `arn:${PARTITION}:iam::${ctx.accountId}:root`;
    rows.push([
      '<root_account>', rootArn, iso(at), 'not_supported', 'no_information', 'not_supported', 'not_supported', 'false',
      'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'N/A', 'N/A', 'N/A', 'false', 'N/A', 'false', 'N/A',
    ].join(','));
    const users = [...t.users.values(scope)].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
    for (const u of users) {
      const key = nameKey(u.name);
      const keys = [...t.keys.values(scope)].filter((k) => k.user === key).sort((a, b) => a.created - b.created);
      const mfa = [...t.mfa.values(scope)].some((d) => d.user === key);
      const changed = u.login?.changed ?? u.login?.created;
      const rotation = changed !== undefined && policy?.MaxPasswordAge ? iso(changed + policy.MaxPasswordAge * 86_400_000) : 'N/A';
      const keyCols = [0, 1].flatMap((i) => {
        const k = keys[i];
        if (!k) return ['false', 'N/A', 'N/A', 'N/A', 'N/A'];
        return [String(k.status === 'Active'), iso(k.created), k.lastUsed ? iso(k.lastUsed.date) : 'N/A', k.lastUsed?.region ?? 'N/A', k.lastUsed?.service ?? 'N/A'];
      });
      const certs = [...t.signingCerts.values(scope)].filter((c) => c.user === key).sort((a, b) => a.uploaded - b.uploaded);
      const certCols = [0, 1].flatMap((i) => (certs[i] ? [String(certs[i]!.status === 'Active'), iso(certs[i]!.uploaded)] : ['false', 'N/A']));
      rows.push([
        u.name, u.arn, iso(u.created), String(!!u.login), u.login ? 'no_information' : 'N/A', changed !== undefined ? iso(changed) : 'N/A', rotation, String(mfa),
        ...keyCols, ...certCols,
      ].join(','));
    }
    return rows.join('\n');
  }

  const inlineList = (inline: Record<string, string>) => Object.entries(inline).sort(([a], [b]) => (a < b ? -1 : 1)).map(([PolicyName, doc]) => ({ PolicyName, PolicyDocument: encodeDocument(doc) }));
  const attachedList = (ctx: RequestContext, arns: string[]) => arns.map((arn) => ({ PolicyArn: arn, PolicyName: lookupPolicy(t, scopeOf(ctx), arn)?.name }));
  const boundary = (arn: string | undefined) => (arn ? { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: arn } : undefined);
  const tags = (list: { Key: string; Value: string }[]) => (list.length ? list.map((x) => ({ Key: x.Key, Value: x.Value })) : undefined);

  function policyDetail(ctx: RequestContext, p: PolicyRec): ManagedPolicyDetail {
    const base = policyOut(t, scopeOf(ctx), p, true);
    return {
      PolicyName: base.PolicyName, PolicyId: base.PolicyId, Arn: base.Arn, Path: base.Path, DefaultVersionId: base.DefaultVersionId,
      AttachmentCount: base.AttachmentCount, PermissionsBoundaryUsageCount: base.PermissionsBoundaryUsageCount, IsAttachable: true,
      Description: p.description, CreateDate: base.CreateDate, UpdateDate: base.UpdateDate,
      PolicyVersionList: p.versions.map((v) => ({ Document: encodeDocument(v.document), VersionId: v.id, IsDefaultVersion: v.id === p.defaultVersion, CreateDate: new Date(v.created) })),
    };
  }

  return {
    GenerateCredentialReport(_input, ctx) {
      const a = account(ctx);
      const at = now();
      const r = a.credentialReport;
      if (r && at < r.readyAt) return { State: 'INPROGRESS', Description: 'Report generation in progress' };
      if (r && at - r.generated < VALID_MS) return { State: 'COMPLETE' };
      a.credentialReport = { generated: at, readyAt: at + GENERATION_MS, csv: credentialCsv(ctx, at) };
      t.account.put(scopeOf(ctx), 'account', a);
      return { State: 'STARTED', Description: 'No report exists. Starting a new report generation task' };
    },

    GetCredentialReport(_input, ctx) {
      const r = account(ctx).credentialReport;
      const at = now();
      if (!r) throw new AwsError('CredentialReportNotPresentException', 'Credential report is not present. Use GenerateCredentialReport to generate a report.', 410);
      if (at < r.readyAt) throw new AwsError('CredentialReportNotReadyException', 'Credential report generation is in progress.', 404);
      if (at - r.generated >= VALID_MS) throw new AwsError('CredentialReportExpiredException', 'Credential report has expired. Use GenerateCredentialReport to generate a new report.', 410);
      return { Content: Buffer.from(r.csv, 'utf8'), ReportFormat: 'text/csv', GeneratedTime: new Date(r.generated) };
    },

    GetAccountAuthorizationDetails(input, ctx) {
      checkPaging(new Constraints(), input).throwIfAny();
      for (const f of input.Filter ?? []) {
        if (!FILTERS.includes(f)) throw validationError(`1 validation error detected: Value '[${(input.Filter ?? []).join(', ')}]' at 'filter' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [${FILTERS.join(', ')}]]`);
      }
      const want = (f: string) => !input.Filter?.length || input.Filter.includes(f);
      const scope = scopeOf(ctx);
      const byName = <T extends { name: string }>(xs: Iterable<T>) => [...xs].sort((a, b) => (a.name.toLowerCase() < b.name.toLowerCase() ? -1 : 1));
      type Row = { kind: 'user'; v: UserDetail } | { kind: 'group'; v: GroupDetail } | { kind: 'role'; v: RoleDetail } | { kind: 'policy'; v: ManagedPolicyDetail };
      const rows: Row[] = [];
      const groups = byName(t.groups.values(scope));
      if (want('User')) {
        for (const u of byName(t.users.values(scope))) {
          const key = nameKey(u.name);
          rows.push({ kind: 'user', v: {
            Path: u.path, UserName: u.name, UserId: u.id, Arn: u.arn, CreateDate: new Date(u.created),
            UserPolicyList: inlineList(u.inline), GroupList: groups.filter((g) => g.members.includes(key)).map((g) => g.name),
            AttachedManagedPolicies: attachedList(ctx, u.attached), PermissionsBoundary: boundary(u.boundary), Tags: tags(u.tags),
          } });
        }
      }
      if (want('Group')) {
        for (const g of groups) {
          rows.push({ kind: 'group', v: { Path: g.path, GroupName: g.name, GroupId: g.id, Arn: g.arn, CreateDate: new Date(g.created), GroupPolicyList: inlineList(g.inline), AttachedManagedPolicies: attachedList(ctx, g.attached) } });
        }
      }
      if (want('Role')) {
        const profiles = [...t.profiles.values(scope)];
        for (const r of byName(t.roles.values(scope))) {
          const base = roleOut(r, true);
          rows.push({ kind: 'role', v: {
            Path: r.path, RoleName: r.name, RoleId: r.id, Arn: r.arn, CreateDate: new Date(r.created), AssumeRolePolicyDocument: base.AssumeRolePolicyDocument,
            InstanceProfileList: profiles.filter((p) => p.roles.includes(nameKey(r.name))).map((p) => profileOut(t, scope, p, false)),
            RolePolicyList: inlineList(r.inline), AttachedManagedPolicies: attachedList(ctx, r.attached), PermissionsBoundary: boundary(r.boundary),
            Tags: tags(r.tags), RoleLastUsed: base.RoleLastUsed,
          } });
        }
      }
      if (want('LocalManagedPolicy')) for (const p of byName(t.policies.values(scope))) rows.push({ kind: 'policy', v: policyDetail(ctx, p) });
      if (want('AWSManagedPolicy')) {
        // AWS lists the AWS managed policies that are in use in the account
        const used = new Set<string>();
        for (const e of [...t.users.values(scope), ...t.groups.values(scope), ...t.roles.values(scope)] as { attached: string[]; boundary?: string }[]) {
          for (const arn of [...e.attached, ...(e.boundary ? [e.boundary] : [])]) if (isAwsManaged(arn)) used.add(arn);
        }
        for (const p of byName([...awsManagedPolicies().values()].filter((p) => used.has(p.arn)))) rows.push({ kind: 'policy', v: policyDetail(ctx, p) });
      }
      const pg = pageInOrder(rows, input);
      const pick = <K extends Row['kind']>(k: K) => pg.items.filter((r) => r.kind === k).map((r) => r.v) as Extract<Row, { kind: K }>['v'][];
      return { UserDetailList: pick('user'), GroupDetailList: pick('group'), RoleDetailList: pick('role'), Policies: pick('policy'), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },
  };
}
