/** Targets of a rule: PutTargets / RemoveTargets (per-entry failures), ListTargetsByRule. */
import { AwsError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type { EventBridgeHandlers, PutTargetsResultEntry, Target } from '../generated/types.js';
import { validateTargetInput } from '../domain/input.js';
import { ruleKey, type EventsState } from '../state.js';
import { checkName, constraint } from './common.js';
import { managedRule } from './rules.js';
import { page } from './paging.js';

const MAX_TARGETS = 5;

export function targetHandlers(state: EventsState): EventBridgeHandlers {
  return {
    PutTargets(input, ctx) {
      const scope = scopeOf(ctx);
      const bus = state.bus(scope, input.EventBusName);
      const rule = state.rule(scope, bus.name, input.Rule);
      if (rule.managedBy) throw managedRule(rule);
      const failed: PutTargetsResultEntry[] = [];
      const targets = [...rule.targets];
      for (const t of input.Targets) {
        checkName(t.Id, 'targets.member.id', /^[\.\-_A-Za-z0-9]+$/, 64);
        validateTargetInput(t, t.Id);
        const rp = t.RetryPolicy;
        if (rp?.MaximumRetryAttempts !== undefined && (rp.MaximumRetryAttempts < 0 || rp.MaximumRetryAttempts > 185)) {
          throw constraint(String(rp.MaximumRetryAttempts), 'targets.member.retryPolicy.maximumRetryAttempts', rp.MaximumRetryAttempts < 0 ? 'Member must have value greater than or equal to 0' : 'Member must have value less than or equal to 185');
        }
        if (rp?.MaximumEventAgeInSeconds !== undefined && (rp.MaximumEventAgeInSeconds < 60 || rp.MaximumEventAgeInSeconds > 86400)) {
          throw constraint(String(rp.MaximumEventAgeInSeconds), 'targets.member.retryPolicy.maximumEventAgeInSeconds', rp.MaximumEventAgeInSeconds < 60 ? 'Member must have value greater than or equal to 60' : 'Member must have value less than or equal to 86400');
        }
        const a = parseArn(t.Arn);
        if (!a) {
          failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: `Parameter ${t.Arn} is not valid.` });
          continue;
        }
        if (a.service === 'sqs' && a.resource.endsWith('.fifo') && !t.SqsParameters?.MessageGroupId) {
          failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: 'Parameter(s) SqsParameters must be specified for FIFO queues.' });
          continue;
        }
        if (a.service !== 'sqs' && t.SqsParameters) {
          failed.push({ TargetId: t.Id, ErrorCode: 'ValidationException', ErrorMessage: `Parameter(s) SqsParameters not valid for target ${t.Id}.` });
          continue;
        }
        const plain = JSON.parse(JSON.stringify(t)) as Target;
        const i = targets.findIndex((x) => x.Id === t.Id);
        if (i >= 0) targets[i] = plain;
        else targets.push(plain);
      }
      if (targets.length > MAX_TARGETS) throw new AwsError('LimitExceededException', 'The requested resource exceeds the maximum number allowed.', 400);
      rule.targets = targets;
      state.rules.put(scope, ruleKey(rule.bus, rule.name), rule);
      return { FailedEntryCount: failed.length, FailedEntries: failed };
    },
    RemoveTargets(input, ctx) {
      const scope = scopeOf(ctx);
      const bus = state.bus(scope, input.EventBusName);
      const rule = state.rule(scope, bus.name, input.Rule);
      if (rule.managedBy && !input.Force) throw managedRule(rule);
      const ids = new Set(input.Ids);
      rule.targets = rule.targets.filter((t) => !ids.has(t.Id));
      state.rules.put(scope, ruleKey(rule.bus, rule.name), rule);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },
    ListTargetsByRule(input, ctx) {
      const scope = scopeOf(ctx);
      const bus = state.bus(scope, input.EventBusName);
      const rule = state.rule(scope, bus.name, input.Rule);
      const p = page(rule.targets, input.Limit, input.NextToken);
      return { Targets: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
  };
}
