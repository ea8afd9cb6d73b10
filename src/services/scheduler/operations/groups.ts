/** Schedule groups (the default group exists implicitly) and their tags. */
import { AwsError, validationError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { SchedulerHandlers } from '../generated/types.js';
import { DEFAULT_GROUP, groupArn, scheduleKey, type GroupRecord, type SchedulerState, type Tag } from '../state.js';
import type { Runner } from '../runner.js';
import { checkName } from './schedules.js';
import { page } from './paging.js';

const view = (g: GroupRecord) => ({ Arn: g.arn, Name: g.name, State: 'ACTIVE', CreationDate: new Date(g.createdAt), LastModificationDate: new Date(g.modifiedAt) });

function mergeTags(existing: Tag[], add: Tag[]): Tag[] {
  const m = new Map(existing.map((t) => [t.Key, t.Value]));
  for (const t of add) m.set(t.Key, t.Value);
  if (m.size > 200) throw new AwsError('ServiceQuotaExceededException', 'Tag limit exceeded.', 402);
  return [...m].map(([Key, Value]) => ({ Key, Value }));
}

export function groupHandlers(state: SchedulerState, runner: Runner): SchedulerHandlers {
  const byArn = (scope: Scope, a: string): GroupRecord => {
    const p = parseArn(a);
    if (!p || p.service !== 'scheduler' || !p.resource.startsWith('schedule-group/')) throw new AwsError('ResourceNotFoundException', `Resource ${a} does not exist.`, 404);
    return state.group({ account: p.account || scope.account, region: p.region || scope.region }, p.resource.slice('schedule-group/'.length));
  };
  return {
    CreateScheduleGroup(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.Name, 'name');
      if (input.Name === DEFAULT_GROUP || state.groups.has(scope, input.Name)) throw new AwsError('ConflictException', `Schedule group ${input.Name} already exists.`, 409);
      const now = state.rt.clock.now();
      const g: GroupRecord = { name: input.Name, arn: groupArn(scope, input.Name), tags: mergeTags([], input.Tags ?? []), createdAt: now, modifiedAt: now };
      state.groups.put(scope, g.name, g);
      return { ScheduleGroupArn: g.arn };
    },
    GetScheduleGroup(input, ctx) {
      return view(state.group(scopeOf(ctx), input.Name));
    },
    DeleteScheduleGroup(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.Name === DEFAULT_GROUP) throw validationError('Cannot delete the default schedule group.');
      const g = state.group(scope, input.Name);
      for (const s of [...state.schedules.values(scope)]) {
        if (s.group !== g.name) continue;
        runner.disarm(scope, s);
        state.schedules.delete(scope, scheduleKey(s.group, s.name));
      }
      state.groups.delete(scope, g.name);
      return {};
    },
    ListScheduleGroups(input, ctx) {
      const scope = scopeOf(ctx);
      state.group(scope, DEFAULT_GROUP);
      const all = [...state.groups.values(scope)].filter((g) => !input.NamePrefix || g.name.startsWith(input.NamePrefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
      const p = page(all, input.MaxResults, input.NextToken);
      return { ScheduleGroups: p.items.map(view), ...(p.next ? { NextToken: p.next } : {}) };
    },
    TagResource(input, ctx) {
      const scope = scopeOf(ctx);
      const g = byArn(scope, input.ResourceArn);
      state.groups.put(scope, g.name, { ...g, tags: mergeTags(g.tags, input.Tags) });
      return {};
    },
    UntagResource(input, ctx) {
      const scope = scopeOf(ctx);
      const g = byArn(scope, input.ResourceArn);
      const drop = new Set(input.TagKeys);
      state.groups.put(scope, g.name, { ...g, tags: g.tags.filter((t) => !drop.has(t.Key)) });
      return {};
    },
    ListTagsForResource(input, ctx) {
      return { Tags: byArn(scopeOf(ctx), input.ResourceArn).tags };
    },
  };
}
