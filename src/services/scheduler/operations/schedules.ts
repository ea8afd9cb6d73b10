/** Schedules: Create / Get / Update / Delete / List, with AWS's validation. */
import { AwsError, validationError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { CreateScheduleInput, SchedulerHandlers, Target } from '../generated/types.js';
import { DEFAULT_RETRY, isValidTimeZone, parseScheduleExpression } from '../../events/internal.js';
import { DEFAULT_GROUP, scheduleArn, scheduleKey, type ScheduleRecord, type SchedulerState } from '../state.js';
import type { Runner } from '../runner.js';
import { page } from './paging.js';

const NAME = /^[0-9a-zA-Z-_.]+$/;
const constraint = (value: string, member: string, what: string) =>
  validationError(`1 validation error detected: Value '${value}' at '${member}' failed to satisfy constraint: ${what}`);

export function checkName(v: string, member: string): void {
  if (v.length < 1 || v.length > 64) throw constraint(v, member, 'Member must have length less than or equal to 64');
  if (!NAME.test(v)) throw constraint(v, member, `Member must satisfy regular expression pattern: ${NAME.source.slice(1, -1)}`);
}


function build(scope: Scope, input: CreateScheduleInput, now: number, old: ScheduleRecord | undefined): ScheduleRecord {
  checkName(input.Name, 'name');
  if (input.GroupName !== undefined) checkName(input.GroupName, 'groupName');
  const expr = input.ScheduleExpression;
  if (expr.length > 256 || !parseScheduleExpression(expr, { allowAt: true, strictPlural: false })) throw validationError(`Invalid Schedule Expression ${expr}`);
  const tz = input.ScheduleExpressionTimezone ?? 'UTC';
  if (!isValidTimeZone(tz)) throw validationError(`Invalid ScheduleExpressionTimezone ${tz}.`);
  const state = input.State ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED') throw constraint(state, 'state', 'Member must satisfy enum value set: [ENABLED, DISABLED]');
  const action = input.ActionAfterCompletion ?? 'NONE';
  if (action !== 'NONE' && action !== 'DELETE') throw constraint(action, 'actionAfterCompletion', 'Member must satisfy enum value set: [NONE, DELETE]');
  const fw = input.FlexibleTimeWindow;
  if (fw.Mode !== 'OFF' && fw.Mode !== 'FLEXIBLE') throw constraint(fw.Mode, 'flexibleTimeWindow.mode', 'Member must satisfy enum value set: [OFF, FLEXIBLE]');
  if (fw.Mode === 'FLEXIBLE' && fw.MaximumWindowInMinutes === undefined) throw validationError('MaximumWindowInMinutes must be provided when FlexibleTimeWindow Mode is FLEXIBLE.');
  if (fw.Mode === 'OFF' && fw.MaximumWindowInMinutes !== undefined) throw validationError('MaximumWindowInMinutes must not be provided when FlexibleTimeWindow Mode is OFF.');
  if (fw.MaximumWindowInMinutes !== undefined && (fw.MaximumWindowInMinutes < 1 || fw.MaximumWindowInMinutes > 1440)) {
    throw constraint(String(fw.MaximumWindowInMinutes), 'flexibleTimeWindow.maximumWindowInMinutes', fw.MaximumWindowInMinutes < 1 ? 'Member must have value greater than or equal to 1' : 'Member must have value less than or equal to 1440');
  }
  const start = input.StartDate?.getTime();
  const end = input.EndDate?.getTime();
  if (start !== undefined && start < now - 5 * 60_000 && start !== old?.startDate) throw validationError('The StartDate you specify cannot be earlier than 5 minutes prior to the current time.');
  if (end !== undefined && end < now) throw validationError('The EndDate you specify cannot be earlier than the current time.');
  if (start !== undefined && end !== undefined && end <= start) throw validationError('The StartDate must be before the EndDate.');
  if (input.Description !== undefined && input.Description.length > 512) throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
  const t = input.Target;
  const rp = t.RetryPolicy;
  if (rp?.MaximumRetryAttempts !== undefined && (rp.MaximumRetryAttempts < 0 || rp.MaximumRetryAttempts > 185)) {
    throw constraint(String(rp.MaximumRetryAttempts), 'target.retryPolicy.maximumRetryAttempts', rp.MaximumRetryAttempts < 0 ? 'Member must have value greater than or equal to 0' : 'Member must have value less than or equal to 185');
  }
  if (rp?.MaximumEventAgeInSeconds !== undefined && (rp.MaximumEventAgeInSeconds < 60 || rp.MaximumEventAgeInSeconds > 86400)) {
    throw constraint(String(rp.MaximumEventAgeInSeconds), 'target.retryPolicy.maximumEventAgeInSeconds', rp.MaximumEventAgeInSeconds < 60 ? 'Member must have value greater than or equal to 60' : 'Member must have value less than or equal to 86400');
  }
  if (t.Input !== undefined && t.Input.length < 1) throw constraint(t.Input, 'target.input', 'Member must have length greater than or equal to 1');
  if (t.Arn.split(':')[2] === 'sqs' && t.Arn.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) {
    throw validationError('Target SqsParameters MessageGroupId is required for FIFO queues.');
  }
  const group = input.GroupName ?? DEFAULT_GROUP;
  const sameTiming = old && old.expression === expr && old.timezone === tz && old.startDate === start;
  return {
    name: input.Name,
    group,
    arn: scheduleArn(scope, group, input.Name),
    expression: expr,
    timezone: tz,
    ...(start !== undefined ? { startDate: start } : {}),
    ...(end !== undefined ? { endDate: end } : {}),
    state,
    ...(input.Description !== undefined ? { description: input.Description } : {}),
    flexible: { Mode: fw.Mode, ...(fw.MaximumWindowInMinutes !== undefined ? { MaximumWindowInMinutes: fw.MaximumWindowInMinutes } : {}) },
    target: { ...(JSON.parse(JSON.stringify(t)) as Target), RetryPolicy: { ...DEFAULT_RETRY, ...t.RetryPolicy } },
    actionAfterCompletion: action,
    ...(input.KmsKeyArn !== undefined ? { kmsKeyArn: input.KmsKeyArn } : {}),
    createdAt: old?.createdAt ?? now,
    modifiedAt: Math.max(now, (old?.modifiedAt ?? 0) + 1),
    anchor: sameTiming ? old.anchor : (start ?? now),
    ...(sameTiming && old.lastNominal !== undefined ? { lastNominal: old.lastNominal } : {}),
  };
}

export function scheduleHandlers(state: SchedulerState, runner: Runner): SchedulerHandlers {
  return {
    CreateSchedule(input, ctx) {
      const scope = scopeOf(ctx);
      const now = state.rt.clock.now();
      const rec = build(scope, input, now, undefined);
      state.group(scope, rec.group);
      const key = scheduleKey(rec.group, rec.name);
      if (state.schedules.has(scope, key)) throw new AwsError('ConflictException', `Schedule ${rec.name} already exists.`, 409);
      state.schedules.put(scope, key, rec);
      runner.arm(scope, rec);
      return { ScheduleArn: rec.arn };
    },
    UpdateSchedule(input, ctx) {
      const scope = scopeOf(ctx);
      state.group(scope, input.GroupName);
      const old = state.schedule(scope, input.GroupName, input.Name);
      const rec = build(scope, input, state.rt.clock.now(), old);
      state.schedules.put(scope, scheduleKey(rec.group, rec.name), rec);
      runner.arm(scope, rec);
      return { ScheduleArn: rec.arn };
    },
    GetSchedule(input, ctx) {
      const scope = scopeOf(ctx);
      state.group(scope, input.GroupName);
      const s = state.schedule(scope, input.GroupName, input.Name);
      return {
        Arn: s.arn,
        Name: s.name,
        GroupName: s.group,
        ScheduleExpression: s.expression,
        ScheduleExpressionTimezone: s.timezone,
        ...(s.startDate !== undefined ? { StartDate: new Date(s.startDate) } : {}),
        ...(s.endDate !== undefined ? { EndDate: new Date(s.endDate) } : {}),
        State: s.state,
        ...(s.description !== undefined ? { Description: s.description } : {}),
        FlexibleTimeWindow: s.flexible,
        Target: s.target,
        ActionAfterCompletion: s.actionAfterCompletion,
        ...(s.kmsKeyArn !== undefined ? { KmsKeyArn: s.kmsKeyArn } : {}),
        CreationDate: new Date(s.createdAt),
        LastModificationDate: new Date(s.modifiedAt),
      };
    },
    DeleteSchedule(input, ctx) {
      const scope = scopeOf(ctx);
      state.group(scope, input.GroupName);
      const s = state.schedule(scope, input.GroupName, input.Name);
      runner.disarm(scope, s);
      state.schedules.delete(scope, scheduleKey(s.group, s.name));
      return {};
    },
    ListSchedules(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.State !== undefined && input.State !== 'ENABLED' && input.State !== 'DISABLED') throw constraint(input.State, 'state', 'Member must satisfy enum value set: [ENABLED, DISABLED]');
      const all = [...state.schedules.values(scope)]
        .filter((s) => (input.GroupName === undefined || s.group === input.GroupName) && (!input.NamePrefix || s.name.startsWith(input.NamePrefix)) && (!input.State || s.state === input.State))
        .sort((a, b) => (a.group + '\u0000' + a.name < b.group + '\u0000' + b.name ? -1 : 1));
      const p = page(all, input.MaxResults, input.NextToken);
      return {
        Schedules: p.items.map((s) => ({ Arn: s.arn, Name: s.name, GroupName: s.group, State: s.state, CreationDate: new Date(s.createdAt), LastModificationDate: new Date(s.modifiedAt), Target: { Arn: s.target.Arn } })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  };
}
