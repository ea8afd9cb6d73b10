/** Tags on rules and event buses. */
import { AwsError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { EventBridgeHandlers } from '../generated/types.js';
import { DEFAULT_BUS, ruleKey, type EventsState, type Tag } from '../state.js';
import { mergeTags } from './common.js';

export function tagHandlers(state: EventsState): EventBridgeHandlers {
  /** The record an ARN names, with a function to store it back. */
  const resolve = (scope: Scope, resourceArn: string): { tags: Tag[]; save(tags: Tag[]): void } => {
    const a = parseArn(resourceArn);
    const res = a?.service === 'events' ? a.resource : '';
    if (res.startsWith('event-bus/')) {
      const b = state.bus(scope, res.slice('event-bus/'.length));
      return { tags: b.tags, save: (tags) => state.buses.put(scope, b.name, { ...b, tags }) };
    }
    if (res.startsWith('rule/')) {
      const parts = res.slice(5).split('/');
      const name = parts.pop()!;
      const bus = parts.length ? parts.join('/') : DEFAULT_BUS;
      const r = state.rule(scope, bus, name);
      return { tags: r.tags, save: (tags) => state.rules.put(scope, ruleKey(bus, name), { ...r, tags }) };
    }
    throw new AwsError('ResourceNotFoundException', `Resource ${resourceArn} does not exist.`, 400);
  };
  return {
    TagResource(input, ctx) {
      const r = resolve(scopeOf(ctx), input.ResourceARN);
      r.save(mergeTags(r.tags, input.Tags));
      return {};
    },
    UntagResource(input, ctx) {
      const r = resolve(scopeOf(ctx), input.ResourceARN);
      const drop = new Set(input.TagKeys);
      r.save(r.tags.filter((t) => !drop.has(t.Key)));
      return {};
    },
    ListTagsForResource(input, ctx) {
      return { Tags: resolve(scopeOf(ctx), input.ResourceARN).tags };
    },
  };
}
