/**
 * Service-linked roles: CreateServiceLinkedRole makes `/aws-service-role/<service>/AWSServiceRoleFor…`
 * trusting the service principal, with the AWS managed policy AWS attaches (domain/service-linked-roles.ts);
 * only the service may change or delete it (assertModifiable). DeleteServiceLinkedRole starts a
 * deletion task that runs on the virtual clock: NOT_STARTED for a second, IN_PROGRESS, and SUCCEEDED
 * after 5 s, when the role goes.
 */
import { randomUUID } from 'node:crypto';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { Timer } from '../../../core/clock.js';
import type { IAMHandlers } from '../generated/types.js';
import { Constraints, NAME_RE, NAME_SRC, iamArn, invalidInput, noSuchEntity, uniqueId } from '../domain/common.js';
import { awsManagedPolicies, findRole, roleOut } from '../domain/model.js';
import { LINKED_ROLE_POLICY_PREFIX, linkedRoleSpec } from '../domain/service-linked-roles.js';
import { nameKey, type RoleRec, type SlrDeletionRec } from '../state.js';
import type { IamContext } from './context.js';

const STARTS_AFTER_MS = 1_000;
const COMPLETES_AFTER_MS = 5_000;
const TASK_RE = /^task\/aws-service-role\/[\w+=,.@:-]+\/[\w+=,.@:-]+\/[\w+=,.@:-]+$/;
const DESCRIPTION_RE = /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/;

export function serviceLinkedRoleOperations({ rt, t, now }: IamContext): { handlers: IAMHandlers; stop(): void } {
  const timers = new Map<string, Timer>();

  /** The task's status at the clock's now; a finished task removes the role (and is stored as SUCCEEDED). */
  function settle(scope: Scope, task: SlrDeletionRec): SlrDeletionRec {
    if (task.status === 'SUCCEEDED' || task.status === 'FAILED') return task;
    const at = rt.clock.now();
    const status = at >= task.completeAt ? 'SUCCEEDED' : at >= task.created + STARTS_AFTER_MS ? 'IN_PROGRESS' : 'NOT_STARTED';
    if (status === 'SUCCEEDED') {
      const r = t.roles.get(scope, task.role);
      if (r?.linkedService) t.roles.delete(scope, task.role);
      const done = { ...task, status } as SlrDeletionRec;
      t.slrDeletions.put(scope, task.id, done);
      return done;
    }
    return { ...task, status };
  }
  function arm(scope: Scope, task: SlrDeletionRec): void {
    const key = `${scope.account}/${task.id}`;
    timers.get(key)?.cancel();
    timers.set(key, rt.clock.at(task.completeAt, () => {
      timers.delete(key);
      const cur = t.slrDeletions.get(scope, task.id);
      if (cur) settle(scope, cur);
    }));
  }
  // tasks still running when gureum (re)starts
  for (const [scope, tasks] of t.slrDeletions.allScopes()) {
    for (const task of tasks.values()) if (task.status !== 'SUCCEEDED' && task.status !== 'FAILED') arm(scope, task);
  }

  const handlers: IAMHandlers = {
    CreateServiceLinkedRole(input, ctx) {
      new Constraints()
        .length('aWSServiceName', input.AWSServiceName, 1, 128).pattern('aWSServiceName', input.AWSServiceName, NAME_RE, NAME_SRC)
        .length('description', input.Description, 0, 1000).pattern('description', input.Description, DESCRIPTION_RE, '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*')
        .length('customSuffix', input.CustomSuffix, 1, 64).pattern('customSuffix', input.CustomSuffix, NAME_RE, NAME_SRC)
        .throwIfAny();
      const service = input.AWSServiceName;
      if (!/^[a-z0-9][a-z0-9.-]*\.amazonaws\.com$/.test(service)) throw invalidInput(`Invalid service name: ${service}`);
      const spec = linkedRoleSpec(service);
      if (input.CustomSuffix !== undefined && !spec.suffix) throw invalidInput(`Custom suffix is not allowed for ${service}`);
      const name = input.CustomSuffix !== undefined ? `${spec.name}_${input.CustomSuffix}` : spec.name;
      if (name.length > 64) throw invalidInput(`Role name ${name} is longer than 64 characters.`);
      const scope = scopeOf(ctx);
      const key = nameKey(name);
      if (t.roles.has(scope, key)) throw invalidInput(`Service role name ${name} has been taken in this account, please try a different suffix.`);
      const path = `/aws-service-role/${service}/`;
      const policy = spec.policy && awsManagedPolicies().has(LINKED_ROLE_POLICY_PREFIX + spec.policy) ? LINKED_ROLE_POLICY_PREFIX + spec.policy : undefined;
      const r: RoleRec = {
        name,
        path,
        id: uniqueId('AROA'),
        arn: iamArn(ctx.accountId, 'role', path, name),
        created: now(),
        trust: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: [service] }, Action: ['sts:AssumeRole'] }] }),
        description: input.Description,
        maxSession: 3600,
        tags: [],
        attached: policy ? [policy] : [],
        inline: {},
        linkedService: service,
      };
      t.roles.put(scope, key, r);
      const out = roleOut(r, true);
      delete out.RoleLastUsed;
      return { Role: out };
    },

    DeleteServiceLinkedRole(input, ctx) {
      new Constraints().length('roleName', input.RoleName, 1, 64).pattern('roleName', input.RoleName, NAME_RE, NAME_SRC).throwIfAny();
      const scope = scopeOf(ctx);
      const r = findRole(t, scope, input.RoleName);
      if (!r.linkedService) throw invalidInput(`Role ${r.name} is not a service-linked role.`);
      const running = [...t.slrDeletions.values(scope)].map((x) => settle(scope, x)).find((x) => x.role === nameKey(r.name) && (x.status === 'NOT_STARTED' || x.status === 'IN_PROGRESS'));
      if (running) return { DeletionTaskId: running.id };
      const created = rt.clock.now();
      const task: SlrDeletionRec = {
        id: `task/aws-service-role/${r.linkedService}/${r.name}/${randomUUID()}`,
        role: nameKey(r.name),
        created,
        completeAt: created + COMPLETES_AFTER_MS,
        status: 'NOT_STARTED',
      };
      t.slrDeletions.put(scope, task.id, task);
      arm(scope, task);
      return { DeletionTaskId: task.id };
    },

    GetServiceLinkedRoleDeletionStatus(input, ctx) {
      new Constraints().length('deletionTaskId', input.DeletionTaskId, 1, 1000).throwIfAny();
      if (!TASK_RE.test(input.DeletionTaskId)) throw invalidInput(`Invalid deletion task id: ${input.DeletionTaskId}`);
      const scope = scopeOf(ctx);
      const task = t.slrDeletions.get(scope, input.DeletionTaskId);
      if (!task) throw noSuchEntity(`Deletion task ${input.DeletionTaskId} cannot be found.`);
      return { Status: settle(scope, task).status };
    },
  };
  return { handlers, stop: () => timers.forEach((x) => x.cancel()) };
}
