/**
 * Access advisor: GenerateServiceLastAccessedDetails (a job completing on the virtual clock),
 * GetServiceLastAccessedDetails(+WithEntities) and ListPoliciesGrantingServiceAccess. The
 * services an entity's policies allow come from their Allow statements' action prefixes over the
 * services gureum routes (models/index.json); last access comes from the requests gureum saw
 * (domain/access.ts records them per IAM user and role, per service, to the minute).
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import type { IAMHandlers } from '../generated/types.js';
import { Constraints, checkArn, checkPaging, invalidInput, noSuchEntity, page } from '../domain/common.js';
import { lookupPolicy } from '../domain/model.js';
import { grantedNamespaces, services } from '../domain/service-catalogue.js';
import { parseEntityArn } from '../policy/sources.js';
import { nameKey, type AccessJobRec, type GroupRec, type RoleRec, type UserRec } from '../state.js';
import type { IamContext } from './context.js';

const JOB_MS = 5_000;
const NAMESPACE_RE = /^[\w-]+$/;

type Entity = { kind: 'user'; rec: UserRec } | { kind: 'group'; rec: GroupRec } | { kind: 'role'; rec: RoleRec };
interface Named { name: string; document: string; type: 'INLINE' | 'MANAGED'; arn?: string; entityType?: string; entityName?: string }

export function accessAdvisorOperations({ t, now }: IamContext): IAMHandlers {
  function entityOf(ctx: RequestContext, arn: string): Entity | undefined {
    const e = parseEntityArn(arn);
    if (!e || e.account !== ctx.accountId) return undefined;
    const scope = scopeOf(ctx);
    const rec = (e.kind === 'user' ? t.users : e.kind === 'group' ? t.groups : t.roles).get(scope, nameKey(e.name));
    return rec && rec.arn === arn ? ({ kind: e.kind, rec } as Entity) : undefined;
  }

  /** The policies an entity (or a managed policy) stands for, with where they come from. */
  function policiesOf(ctx: RequestContext, arn: string): Named[] {
    const scope = scopeOf(ctx);
    const managed = (a: string, entityType?: string, entityName?: string): Named[] => {
      const p = lookupPolicy(t, scope, a);
      const v = p?.versions.find((x) => x.id === p.defaultVersion);
      return p && v ? [{ name: p.name, document: v.document, type: 'MANAGED', arn: a, entityType, entityName }] : [];
    };
    if (arn.includes(':policy/')) {
      if (!lookupPolicy(t, scope, arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
      return managed(arn);
    }
    const e = entityOf(ctx, arn);
    if (!e) throw noSuchEntity(`The entity ${arn} cannot be found.`);
    const own = (rec: { attached: string[]; inline: Record<string, string>; name: string }, type: string): Named[] => [
      ...Object.entries(rec.inline).map(([name, document]): Named => ({ name, document, type: 'INLINE', entityType: type, entityName: rec.name })),
      ...rec.attached.flatMap((a) => managed(a, type, rec.name)),
    ];
    const out = own(e.rec, e.kind.toUpperCase());
    if (e.kind === 'user') for (const g of t.groups.values(scope)) if (g.members.includes(nameKey(e.rec.name))) out.push(...own(g, 'GROUP'));
    return out;
  }

  const allowedNamespaces = (docs: Named[]) => grantedNamespaces(docs.map((d) => d.document));

  /** The principals whose requests count for the report's ARN (a group's members, a policy's holders). */
  function trackedPrincipals(ctx: RequestContext, arn: string): { arn: string; name: string; kind: 'USER' | 'ROLE'; id: string; path: string }[] {
    const scope = scopeOf(ctx);
    const row = (kind: 'USER' | 'ROLE', r: UserRec | RoleRec) => ({ arn: r.arn, name: r.name, kind, id: r.id, path: r.path });
    if (arn.includes(':policy/')) {
      const users = [...t.users.values(scope)].filter((u) => u.attached.includes(arn) || [...t.groups.values(scope)].some((g) => g.attached.includes(arn) && g.members.includes(nameKey(u.name))));
      return [...users.map((u) => row('USER', u)), ...[...t.roles.values(scope)].filter((r) => r.attached.includes(arn)).map((r) => row('ROLE', r))];
    }
    const e = entityOf(ctx, arn)!;
    if (e.kind === 'group') return e.rec.members.map((k) => t.users.get(scope, k)).filter((u): u is UserRec => !!u).map((u) => row('USER', u));
    return [row(e.kind === 'user' ? 'USER' : 'ROLE', e.rec)];
  }

  function job(ctx: RequestContext, id: string): AccessJobRec {
    const j = t.jobs.get(scopeOf(ctx), id);
    if (!j || j.kind !== 'service') throw noSuchEntity(`Job ${id} not found.`);
    return j;
  }
  const jobState = (j: AccessJobRec) => (now() >= j.readyAt ? 'COMPLETED' : 'IN_PROGRESS');

  return {
    GenerateServiceLastAccessedDetails(input, ctx) {
      checkArn(new Constraints(), 'arn', input.Arn).throwIfAny();
      const granularity = input.Granularity ?? 'SERVICE_LEVEL';
      if (granularity !== 'SERVICE_LEVEL' && granularity !== 'ACTION_LEVEL') throw invalidInput(`Invalid granularity ${granularity}`);
      const scope = scopeOf(ctx);
      const namespaces = allowedNamespaces(policiesOf(ctx, input.Arn));
      const principals = trackedPrincipals(ctx, input.Arn);
      const created = now();
      const rows: AccessJobRec['services'] = [...namespaces].sort().map((ns) => {
        let best: AccessJobRec['services'][number] = { namespace: ns, name: services().get(ns) ?? ns, entities: 0 };
        const actions = new Map<string, { action: string; last?: number; entity?: string; region?: string }>();
        for (const p of principals) {
          const rec = t.lastAccess.get(scope, p.arn)?.[ns];
          if (!rec) continue;
          best.entities++;
          if (best.lastAuthenticated === undefined || rec.date > best.lastAuthenticated) best = { ...best, lastAuthenticated: rec.date, entity: p.arn, region: rec.region };
          for (const [action, a] of Object.entries(rec.actions ?? {})) {
            const cur = actions.get(action);
            if (!cur || (cur.last ?? 0) < a.date) actions.set(action, { action, last: a.date, entity: p.arn, region: a.region });
          }
        }
        if (granularity === 'ACTION_LEVEL') best.actions = [...actions.values()].sort((a, b) => (a.action < b.action ? -1 : 1));
        return best;
      });
      const j: AccessJobRec = { id: randomUUID(), kind: 'service', arn: input.Arn, granularity, created, readyAt: created + JOB_MS, services: rows };
      t.jobs.put(scope, j.id, j);
      return { JobId: j.id };
    },

    GetServiceLastAccessedDetails(input, ctx) {
      checkPaging(new Constraints().length('jobId', input.JobId, 36, 36), input).throwIfAny();
      const j = job(ctx, input.JobId);
      const status = jobState(j);
      const pg = page(status === 'COMPLETED' ? j.services : [], (s) => s.namespace, input);
      return {
        JobStatus: status,
        JobType: j.granularity,
        JobCreationDate: new Date(j.created),
        JobCompletionDate: new Date(status === 'COMPLETED' ? j.readyAt : j.created),
        ServicesLastAccessed: pg.items.map((s) => ({
          ServiceName: s.name,
          ServiceNamespace: s.namespace,
          LastAuthenticated: s.lastAuthenticated !== undefined ? new Date(s.lastAuthenticated) : undefined,
          LastAuthenticatedEntity: s.entity,
          LastAuthenticatedRegion: s.region,
          TotalAuthenticatedEntities: s.entities,
          TrackedActionsLastAccessed: s.actions?.map((a) => ({ ActionName: a.action, LastAccessedEntity: a.entity, LastAccessedTime: a.last !== undefined ? new Date(a.last) : undefined, LastAccessedRegion: a.region })),
        })),
        IsTruncated: pg.IsTruncated,
        Marker: pg.Marker,
      };
    },

    GetServiceLastAccessedDetailsWithEntities(input, ctx) {
      checkPaging(new Constraints().length('jobId', input.JobId, 36, 36).length('serviceNamespace', input.ServiceNamespace, 1, 64).pattern('serviceNamespace', input.ServiceNamespace, NAMESPACE_RE, '[\\w-]*'), input).throwIfAny();
      const j = job(ctx, input.JobId);
      const status = jobState(j);
      const scope = scopeOf(ctx);
      const rows = status === 'COMPLETED' ? trackedPrincipals(ctx, j.arn).filter((p) => t.lastAccess.get(scope, p.arn)?.[input.ServiceNamespace]) : [];
      const pg = page(rows.sort((a, b) => (a.arn < b.arn ? -1 : 1)), (p) => p.arn, input);
      return {
        JobStatus: status,
        JobCreationDate: new Date(j.created),
        JobCompletionDate: status === 'COMPLETED' ? new Date(j.readyAt) : new Date(j.created),
        EntityDetailsList: pg.items.map((p) => ({
          EntityInfo: { Arn: p.arn, Name: p.name, Type: p.kind, Id: p.id, Path: p.path },
          LastAuthenticated: new Date(t.lastAccess.get(scope, p.arn)![input.ServiceNamespace]!.date),
        })),
        IsTruncated: pg.IsTruncated,
        Marker: pg.Marker,
      };
    },

    ListPoliciesGrantingServiceAccess(input, ctx) {
      const c = checkArn(new Constraints(), 'arn', input.Arn).count('serviceNamespaces', input.ServiceNamespaces, 200);
      for (const [i, ns] of (input.ServiceNamespaces ?? []).entries()) c.length(`serviceNamespaces.${i + 1}.member`, ns, 1, 64).pattern(`serviceNamespaces.${i + 1}.member`, ns, NAMESPACE_RE, '[\\w-]*');
      c.throwIfAny();
      const docs = policiesOf(ctx, input.Arn);
      const out = input.ServiceNamespaces.map((ns) => ({
        ServiceNamespace: ns,
        Policies: docs.filter((d) => allowedNamespaces([d]).has(ns)).map((d) => ({
          PolicyName: d.name,
          PolicyType: d.type,
          PolicyArn: d.arn,
          EntityType: d.type === 'INLINE' ? d.entityType : undefined,
          EntityName: d.type === 'INLINE' ? d.entityName : undefined,
        })),
      }));
      return { PoliciesGrantingServiceAccess: out, IsTruncated: false };
    },
  };
}
