/** Event buses: the default bus of each account × region exists implicitly. */
import { AwsError, validationError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type { EventBridgeHandlers } from '../generated/types.js';
import { busArn, DEFAULT_BUS, type BusRecord, type EventsState } from '../state.js';
import type { RuleScheduler } from '../schedules.js';
import { checkName, mergeTags } from './common.js';
import { page } from './paging.js';

const describe = (b: BusRecord) => ({
  Name: b.name,
  Arn: b.arn,
  ...(b.description !== undefined ? { Description: b.description } : {}),
  ...(b.kmsKeyIdentifier ? { KmsKeyIdentifier: b.kmsKeyIdentifier } : {}),
  ...(b.deadLetterConfig ? { DeadLetterConfig: b.deadLetterConfig } : {}),
  ...(b.policy ? { Policy: b.policy } : {}),
  CreationTime: new Date(b.createdAt),
  LastModifiedTime: new Date(b.modifiedAt),
});

export function busHandlers(state: EventsState, schedules: RuleScheduler): EventBridgeHandlers {
  return {
    CreateEventBus(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.Name, 'name', /^[/\.\-_A-Za-z0-9]+$/, 256);
      if (input.Name === DEFAULT_BUS || state.buses.has(scope, input.Name)) {
        throw new AwsError('ResourceAlreadyExistsException', `Event bus ${input.Name} already exists.`, 400);
      }
      if (input.Name.startsWith('aws.') && !input.EventSourceName) throw validationError('Event source aws.partner/... is required for event bus names starting with aws.');
      // A partner event bus: named after the account's event source, which it activates.
      const src = input.EventSourceName !== undefined ? state.eventSources.get(scope, input.EventSourceName) : undefined;
      if (input.EventSourceName !== undefined) {
        if (!src || src.state === 'DELETED') throw new AwsError('ResourceNotFoundException', `Event source ${input.EventSourceName} does not exist.`, 400);
        if (input.Name !== input.EventSourceName) throw validationError('Event bus name must match the event source name.');
      }
      if (input.Description !== undefined && input.Description.length > 512) throw validationError('Description must be at most 512 characters.');
      const now = state.rt.clock.now();
      const rec: BusRecord = {
        name: input.Name,
        arn: busArn(scope, input.Name),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.KmsKeyIdentifier ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
        ...(input.DeadLetterConfig ? { deadLetterConfig: input.DeadLetterConfig } : {}),
        tags: mergeTags([], input.Tags),
        createdAt: now,
        modifiedAt: now,
      };
      state.buses.put(scope, rec.name, rec);
      if (src) state.eventSources.put(scope, src.name, { ...src, state: 'ACTIVE' });
      return {
        EventBusArn: rec.arn,
        ...(rec.description !== undefined ? { Description: rec.description } : {}),
        ...(rec.kmsKeyIdentifier ? { KmsKeyIdentifier: rec.kmsKeyIdentifier } : {}),
        ...(rec.deadLetterConfig ? { DeadLetterConfig: rec.deadLetterConfig } : {}),
      };
    },
    UpdateEventBus(input, ctx) {
      const b = state.bus(scopeOf(ctx), input.Name);
      if (input.Description !== undefined) b.description = input.Description;
      if (input.KmsKeyIdentifier !== undefined) b.kmsKeyIdentifier = input.KmsKeyIdentifier;
      if (input.DeadLetterConfig !== undefined) b.deadLetterConfig = input.DeadLetterConfig;
      b.modifiedAt = state.rt.clock.now();
      state.buses.put(scopeOf(ctx), b.name, b);
      return { Arn: b.arn, Name: b.name, ...(b.description !== undefined ? { Description: b.description } : {}), ...(b.kmsKeyIdentifier ? { KmsKeyIdentifier: b.kmsKeyIdentifier } : {}), ...(b.deadLetterConfig ? { DeadLetterConfig: b.deadLetterConfig } : {}) };
    },
    DeleteEventBus(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.Name === DEFAULT_BUS) throw validationError('Cannot delete event bus default.');
      if (!state.buses.has(scope, input.Name)) return;
      for (const r of state.rulesOf(scope, input.Name)) {
        schedules.disarm(scope, r);
        state.rules.delete(scope, `${r.bus}\u0000${r.name}`);
      }
      state.buses.delete(scope, input.Name);
    },
    DescribeEventBus(input, ctx) {
      return describe(state.bus(scopeOf(ctx), input.Name));
    },
    ListEventBuses(input, ctx) {
      const scope = scopeOf(ctx);
      state.bus(scope, DEFAULT_BUS);
      const all = [...state.buses.values(scope)]
        .filter((b) => !input.NamePrefix || b.name.startsWith(input.NamePrefix))
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const p = page(all, input.Limit, input.NextToken);
      return {
        EventBuses: p.items.map((b) => {
          const d = describe(b);
          return { Name: d.Name, Arn: d.Arn, ...(d.Description !== undefined ? { Description: d.Description } : {}), ...(d.Policy ? { Policy: d.Policy } : {}), CreationTime: d.CreationTime, LastModifiedTime: d.LastModifiedTime };
        }),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
  };
}
