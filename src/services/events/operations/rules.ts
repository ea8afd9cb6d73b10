/** Rules: PutRule (event pattern and/or schedule), Describe/List/Delete, Enable/Disable. */
import { AwsError, validationError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { EventBridgeHandlers, Rule } from '../generated/types.js';
import { parseScheduleExpression } from '../domain/schedule.js';
import { parsePattern } from '../domain/pattern.js';
import { busName, DEFAULT_BUS, ruleArn, ruleKey, type EventsState, type RuleRecord } from '../state.js';
import type { RuleScheduler } from '../schedules.js';
import { checkName, constraint, mergeTags } from './common.js';
import { page } from './paging.js';

const STATES = ['ENABLED', 'DISABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'];

export const RULE_NAME = /^[\.\-_A-Za-z0-9]+$/;

/** Rules an AWS service manages (archives' rules) change only through that service. */
export const managedRule = (r: RuleRecord) =>
  new AwsError('ManagedRuleException', `Rule ${r.name} is managed by ${r.managedBy} and cannot be modified.`, 400);

export function validateSchedule(expr: string): void {
  if (expr.length > 256 || !parseScheduleExpression(expr, { allowAt: false, strictPlural: true })) {
    throw validationError('Parameter ScheduleExpression is not valid.');
  }
}

const view = (r: RuleRecord): Rule => ({
  Name: r.name,
  Arn: r.arn,
  ...(r.eventPattern !== undefined ? { EventPattern: r.eventPattern } : {}),
  State: r.state,
  ...(r.description !== undefined ? { Description: r.description } : {}),
  ...(r.scheduleExpression !== undefined ? { ScheduleExpression: r.scheduleExpression } : {}),
  ...(r.roleArn !== undefined ? { RoleArn: r.roleArn } : {}),
  ...(r.managedBy !== undefined ? { ManagedBy: r.managedBy } : {}),
  EventBusName: r.bus,
});

export function ruleHandlers(state: EventsState, schedules: RuleScheduler): EventBridgeHandlers {
  const setState = (scope: Scope, bus: string | undefined, name: string, s: string) => {
    const b = state.bus(scope, bus);
    const r = state.rule(scope, b.name, name);
    if (r.managedBy) throw managedRule(r);
    r.state = s;
    state.rules.put(scope, ruleKey(r.bus, r.name), r);
  };
  return {
    PutRule(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.Name, 'name', RULE_NAME, 64);
      if (input.State !== undefined && !STATES.includes(input.State)) throw constraint(input.State, 'state', `Member must satisfy enum value set: [${STATES.join(', ')}]`);
      if (input.Description !== undefined && input.Description.length > 512) throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
      const bus = state.bus(scope, input.EventBusName);
      if (!input.EventPattern && !input.ScheduleExpression) throw validationError('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      if (input.ScheduleExpression !== undefined) {
        if (bus.name !== DEFAULT_BUS) throw validationError('ScheduleExpression is supported only on the default event bus.');
        validateSchedule(input.ScheduleExpression);
      }
      if (input.EventPattern !== undefined) parsePattern(input.EventPattern);
      const key = ruleKey(bus.name, input.Name);
      const old = state.rules.get(scope, key);
      if (old?.managedBy) throw managedRule(old);
      const now = state.rt.clock.now();
      const rec: RuleRecord = {
        name: input.Name,
        arn: ruleArn(scope, bus.name, input.Name),
        bus: bus.name,
        ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
        ...(input.ScheduleExpression !== undefined ? { scheduleExpression: input.ScheduleExpression } : {}),
        state: input.State ?? 'ENABLED',
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
        ...(old?.managedBy ? { managedBy: old.managedBy } : {}),
        // Tags given for an existing rule are ignored (as on AWS).
        tags: old ? old.tags : mergeTags([], input.Tags),
        targets: old?.targets ?? [],
        anchor: old && old.scheduleExpression === input.ScheduleExpression ? old.anchor : now,
        createdAt: old?.createdAt ?? now,
      };
      state.rules.put(scope, key, rec);
      schedules.arm(scope, rec);
      return { RuleArn: rec.arn };
    },
    DescribeRule(input, ctx) {
      const scope = scopeOf(ctx);
      const b = state.bus(scope, input.EventBusName);
      const r = state.rule(scope, b.name, input.Name);
      return { ...view(r), CreatedBy: scope.account };
    },
    ListRules(input, ctx) {
      const scope = scopeOf(ctx);
      const b = state.bus(scope, input.EventBusName);
      const all = state.rulesOf(scope, b.name)
        .filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix))
        .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      const p = page(all, input.Limit, input.NextToken);
      return { Rules: p.items.map(view), ...(p.next ? { NextToken: p.next } : {}) };
    },
    DeleteRule(input, ctx) {
      const scope = scopeOf(ctx);
      const bus = busName(input.EventBusName);
      const r = state.rules.get(scope, ruleKey(bus, input.Name));
      if (!r) return;
      if (r.managedBy && !input.Force) throw new AwsError('ManagedRuleException', `Rule ${r.name} is managed by ${r.managedBy} and cannot be deleted without Force.`, 400);
      if (r.targets.length) throw validationError("Rule can't be deleted since it has targets.");
      schedules.disarm(scope, r);
      state.rules.delete(scope, ruleKey(bus, input.Name));
    },
    EnableRule(input, ctx) {
      setState(scopeOf(ctx), input.EventBusName, input.Name, 'ENABLED');
    },
    DisableRule(input, ctx) {
      setState(scopeOf(ctx), input.EventBusName, input.Name, 'DISABLED');
    },
    ListRuleNamesByTarget(input, ctx) {
      const scope = scopeOf(ctx);
      const b = state.bus(scope, input.EventBusName);
      const names = state.rulesOf(scope, b.name).filter((r) => r.targets.some((t) => t.Arn === input.TargetArn)).map((r) => r.name).sort();
      const p = page(names, input.Limit, input.NextToken);
      return { RuleNames: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };
}
