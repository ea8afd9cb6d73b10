/**
 * IAM's organization features, on Organizations' state (organizations/internal.ts):
 * centralized root access (Enable/Disable OrganizationsRootCredentialsManagement and
 * OrganizationsRootSessions, ListOrganizationsFeatures — what STS AssumeRoot needs) and the
 * Organizations access report (service last accessed data for a root, OU or account, optionally
 * through one SCP), a job that completes 5 s later on the virtual clock.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import { organizationDetails, type OrganizationDetails } from '../../organizations/internal.js';
import type { IAMHandlers } from '../generated/types.js';
import { Constraints, checkPaging, invalidInput, noSuchEntity, page } from '../domain/common.js';
import { deniedNamespaces, grantedNamespaces, services } from '../domain/service-catalogue.js';
import { iamScope, type AccessJobRec, type AccountRec } from '../state.js';
import type { IamContext } from './context.js';

const IAM_PRINCIPAL = 'iam.amazonaws.com';
const JOB_MS = 5_000;
const ENTITY_PATH_RE = /^o-[0-9a-z]{10,32}\/r-[0-9a-z]{4,32}[0-9a-z-/]*$/;
const SCP = 'SERVICE_CONTROL_POLICY';
const ROOT_FEATURES = ['RootCredentialsManagement', 'RootSessions'] as const;

const orgError = (code: string, message: string) => new AwsError(code, message, 400);

export function organizationFeatureOperations(ic: IamContext): IAMHandlers {
  const { t, now } = ic;

  /** AWS's preconditions, in order: an organization, the right caller, all features, trusted access for IAM. */
  function organization(ctx: RequestContext, who: 'management' | 'management-or-delegated'): OrganizationDetails {
    const org = organizationDetails(ctx.runtime.store, ctx.accountId);
    if (!org) throw orgError('OrganizationNotFoundException', 'The request was rejected because no organization is associated with your account.');
    const delegated = org.delegatedAdministrators(IAM_PRINCIPAL).includes(ctx.accountId);
    if (org.managementAccount !== ctx.accountId) {
      if (who === 'management') throw orgError('CallerIsNotManagementAccountException', 'The request was rejected because the account making the request is not the management account for the organization.');
      if (!delegated) throw orgError('AccountNotManagementOrDelegatedAdministratorException', 'The request was rejected because the account making the request is not the management account or delegated administrator account for centralized root access.');
    }
    if (org.featureSet !== 'ALL') throw orgError('OrganizationNotInAllFeaturesModeException', 'The request was rejected because your organization does not have All features enabled.');
    if (!org.trustedServices.includes(IAM_PRINCIPAL)) throw orgError('ServiceAccessNotEnabledException', 'The request was rejected because trusted access is not enabled for IAM in Organizations.');
    return org;
  }
  const mgmtAccount = (org: OrganizationDetails): AccountRec => t.account.get(iamScope(org.managementAccount), 'account') ?? { aliases: [] };
  function features(org: OrganizationDetails): string[] {
    const rec = mgmtAccount(org).orgFeatures;
    return rec?.organizationId === org.id ? rec.features : [];
  }
  function setFeature(ctx: RequestContext, feature: string, on: boolean) {
    const org = organization(ctx, 'management');
    const a = mgmtAccount(org);
    const current = features(org).filter((f) => f !== feature);
    const next = on ? ROOT_FEATURES.filter((f) => f === feature || current.includes(f)) : current;
    a.orgFeatures = { organizationId: org.id, features: [...next] };
    t.account.put(iamScope(org.managementAccount), 'account', a);
    return { OrganizationId: org.id, EnabledFeatures: [...next] };
  }

  // ---- the access report
  /** The accounts a report covers and the services it lists (allowed by the SCPs that apply). */
  function reportScope(org: OrganizationDetails, entityPath: string, policyId: string | undefined): { accounts: string[]; allowed: Set<string> } {
    const id = entityPath.replace(/\/$/, '').split('/').pop()!;
    if (org.paths[id] !== (entityPath.endsWith('/') ? entityPath : `${entityPath}/`)) throw invalidInput(`The entity path ${entityPath} does not exist in the organization.`);
    const all = new Set(services().keys());
    if (id === org.managementAccount) return { accounts: [id], allowed: all };
    const under = org.accounts.filter((a) => a.id !== org.managementAccount && a.lineage.includes(id));
    if (policyId !== undefined) {
      const p = org.policy(policyId);
      if (!p || p.type !== SCP) throw invalidInput(`The policy ${policyId} is not a service control policy of the organization.`);
      const applies = under.filter((a) => a.lineage.some((target) => org.attachedPolicies(target).includes(policyId)));
      return { accounts: applies.map((a) => a.id), allowed: allowedBy([[p.content]], all) };
    }
    if (!org.enabledPolicyTypes.includes(SCP)) return { accounts: under.map((a) => a.id), allowed: all };
    // the SCPs on the entity's own path (root → … → entity): a service must be allowed at every level
    const levels = org.paths[id]!.split('/').slice(1, -1).map((target) => org.attachedPolicies(target).map((pid) => org.policy(pid)).filter((p) => p?.type === SCP).map((p) => p!.content));
    return { accounts: under.map((a) => a.id), allowed: allowedBy(levels, all) };
  }
  function allowedBy(levels: string[][], all: Set<string>): Set<string> {
    let out = new Set(all);
    for (const docs of levels) {
      const granted = grantedNamespaces(docs);
      const denied = deniedNamespaces(docs);
      out = new Set([...out].filter((ns) => granted.has(ns) && !denied.has(ns)));
    }
    return out;
  }

  const SORTS = ['SERVICE_NAMESPACE_ASCENDING', 'SERVICE_NAMESPACE_DESCENDING', 'LAST_AUTHENTICATED_TIME_ASCENDING', 'LAST_AUTHENTICATED_TIME_DESCENDING'];

  return {
    EnableOrganizationsRootCredentialsManagement: (_input, ctx) => setFeature(ctx, 'RootCredentialsManagement', true),
    DisableOrganizationsRootCredentialsManagement: (_input, ctx) => setFeature(ctx, 'RootCredentialsManagement', false),
    EnableOrganizationsRootSessions: (_input, ctx) => setFeature(ctx, 'RootSessions', true),
    DisableOrganizationsRootSessions: (_input, ctx) => setFeature(ctx, 'RootSessions', false),
    ListOrganizationsFeatures(_input, ctx) {
      const org = organization(ctx, 'management-or-delegated');
      return { OrganizationId: org.id, EnabledFeatures: features(org) };
    },

    GenerateOrganizationsAccessReport(input, ctx) {
      new Constraints()
        .length('entityPath', input.EntityPath, 19, 427).pattern('entityPath', input.EntityPath, ENTITY_PATH_RE, '^o-[0-9a-z]{10,32}\\/r-[0-9a-z]{4,32}[0-9a-z-\\/]*')
        .length('organizationsPolicyId', input.OrganizationsPolicyId, 0, 130).pattern('organizationsPolicyId', input.OrganizationsPolicyId, /^p-[0-9a-zA-Z_]{8,128}$/, '^p-[0-9a-zA-Z_]{8,128}$')
        .throwIfAny();
      const org = organizationDetails(ctx.runtime.store, ctx.accountId);
      if (!org) throw invalidInput('The caller is not a member of an organization.');
      if (org.managementAccount !== ctx.accountId) throw invalidInput('Organizations access reports can only be generated from the management account of the organization.');
      if (!input.EntityPath.startsWith(`${org.id}/`)) throw invalidInput(`The entity path ${input.EntityPath} does not exist in the organization.`);
      const { accounts, allowed } = reportScope(org, input.EntityPath, input.OrganizationsPolicyId);
      const rows: AccessJobRec['services'] = [...allowed].sort().map((namespace) => {
        const row: AccessJobRec['services'][number] = { namespace, name: services().get(namespace) ?? namespace, entities: 0 };
        for (const account of accounts) {
          let seen = false;
          for (const rec of t.lastAccess.values(iamScope(account))) {
            const a = rec[namespace];
            if (!a) continue;
            seen = true;
            if (row.lastAuthenticated === undefined || a.date > row.lastAuthenticated) Object.assign(row, { lastAuthenticated: a.date, region: a.region, entity: org.paths[account] });
          }
          if (seen) row.entities++;
        }
        return row;
      });
      const created = now();
      const job: AccessJobRec = { id: randomUUID(), kind: 'organizations', arn: input.EntityPath, granularity: 'SERVICE_LEVEL', created, readyAt: created + JOB_MS, services: rows };
      t.jobs.put(scopeOf(ctx), job.id, job);
      return { JobId: job.id };
    },

    GetOrganizationsAccessReport(input, ctx) {
      checkPaging(new Constraints().length('jobId', input.JobId, 36, 36), input).throwIfAny();
      if (input.SortKey !== undefined && !SORTS.includes(input.SortKey)) {
        throw new AwsError('ValidationError', `1 validation error detected: Value '${input.SortKey}' at 'sortKey' failed to satisfy constraint: Member must satisfy enum value set: [${SORTS.join(', ')}]`, 400);
      }
      const job = t.jobs.get(scopeOf(ctx), input.JobId);
      if (!job || job.kind !== 'organizations') throw noSuchEntity(`Job ${input.JobId} not found.`);
      const done = now() >= job.readyAt;
      const sort = input.SortKey ?? 'SERVICE_NAMESPACE_ASCENDING';
      const dir = sort.endsWith('DESCENDING') ? -1 : 1;
      const rows = [...job.services].sort((a, b) => {
        if (sort.startsWith('LAST_')) {
          const d = (a.lastAuthenticated ?? -1) - (b.lastAuthenticated ?? -1);
          if (d) return d * dir;
        }
        return (a.namespace < b.namespace ? -1 : 1) * (sort.startsWith('LAST_') ? 1 : dir);
      });
      const keyed = rows.map((r, i) => ({ r, k: String(i).padStart(6, '0') }));
      const pg = page(done ? keyed : [], (x) => x.k, input);
      return {
        JobStatus: done ? 'COMPLETED' : 'IN_PROGRESS',
        JobCreationDate: new Date(job.created),
        JobCompletionDate: done ? new Date(job.readyAt) : undefined,
        NumberOfServicesAccessible: done ? job.services.length : undefined,
        NumberOfServicesNotAccessed: done ? job.services.filter((s) => s.lastAuthenticated === undefined).length : undefined,
        AccessDetails: done ? pg.items.map(({ r }) => ({
          ServiceName: r.name,
          ServiceNamespace: r.namespace,
          Region: r.region,
          EntityPath: r.entity,
          LastAuthenticatedTime: r.lastAuthenticated !== undefined ? new Date(r.lastAuthenticated) : undefined,
          TotalAuthenticatedEntities: r.entities,
        })) : undefined,
        IsTruncated: pg.IsTruncated,
        Marker: pg.Marker,
      };
    },
  };
}
