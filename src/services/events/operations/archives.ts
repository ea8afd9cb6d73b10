/** Archives (Create/Describe/Update/Delete/List) and replays (Start/Describe/Cancel/List). */
import { AwsError, validationError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { EventBridgeHandlers } from '../generated/types.js';
import { parsePattern } from '../domain/pattern.js';
import { busName, type EventsState } from '../state.js';
import { archiveArn, replayArn, type ArchiveRecord, type Archives, type ReplayRecord } from '../archives.js';
import { checkName, constraint } from './common.js';
import { page } from './paging.js';

const NAME = /^[\.\-_A-Za-z0-9]+$/;
const ARCHIVE_STATES = ['ENABLED', 'DISABLED', 'CREATING', 'UPDATING', 'CREATE_FAILED', 'UPDATE_FAILED'];
const REPLAY_STATES = ['STARTING', 'RUNNING', 'CANCELLING', 'COMPLETED', 'CANCELLED', 'FAILED'];
const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

const notFound = (name: string) => new AwsError('ResourceNotFoundException', `Archive ${name} does not exist.`, 400);

function oneFilter(op: string, input: { NamePrefix?: string; EventSourceArn?: string; State?: string }, states: string[]): void {
  if ([input.NamePrefix, input.EventSourceArn, input.State].filter((x) => x !== undefined).length > 1) {
    throw validationError(`At most one filter is allowed for ${op}. Use either : State, EventSourceArn, or NamePrefix.`);
  }
  if (input.State !== undefined && !states.includes(input.State)) throw constraint(input.State, 'state', `Member must satisfy enum value set: [${states.join(', ')}]`);
}

function checkRetention(days: number | undefined): void {
  if (days !== undefined && days < 0) throw constraint(String(days), 'retentionDays', 'Member must have value greater than or equal to 0');
}

const summary = (a: ArchiveRecord) => ({
  ArchiveName: a.name,
  EventSourceArn: a.sourceArn,
  State: a.state,
  RetentionDays: a.retentionDays,
  SizeBytes: a.sizeBytes,
  EventCount: a.eventCount,
  CreationTime: new Date(a.createdAt),
});

const replaySummary = (r: ReplayRecord) => ({
  ReplayName: r.name,
  EventSourceArn: r.sourceArn,
  State: r.state,
  ...(r.stateReason ? { StateReason: r.stateReason } : {}),
  EventStartTime: new Date(r.eventStart),
  EventEndTime: new Date(r.eventEnd),
  ...(r.lastReplayed !== undefined ? { EventLastReplayedTime: new Date(r.lastReplayed) } : {}),
  ReplayStartTime: new Date(r.startedAt),
  ...(r.endedAt !== undefined ? { ReplayEndTime: new Date(r.endedAt) } : {}),
});

export function archiveHandlers(state: EventsState, archives: Archives): EventBridgeHandlers {
  const archive = (scope: Scope, name: string) => {
    const a = state.archives.get(scope, name);
    if (!a) throw notFound(name);
    return archives.sweep(scope, a);
  };
  return {
    CreateArchive(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.ArchiveName, 'archiveName', NAME, 48);
      checkRetention(input.RetentionDays);
      if (input.Description !== undefined && input.Description.length > 512) throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
      const src = parseArn(input.EventSourceArn);
      if (!src || src.service !== 'events' || !src.resource.startsWith('event-bus/')) throw validationError('Parameter EventSourceArn is not valid. Reason: Provided Arn is not in correct format.');
      const bus = state.bus(scope, busName(input.EventSourceArn));
      if (input.EventPattern !== undefined) parsePattern(input.EventPattern);
      if (state.archives.has(scope, input.ArchiveName)) throw new AwsError('ResourceAlreadyExistsException', `Archive ${input.ArchiveName} already exists.`, 400);
      const now = state.rt.clock.now();
      const a: ArchiveRecord = {
        name: input.ArchiveName,
        arn: archiveArn(scope, input.ArchiveName),
        bus: bus.name,
        sourceArn: bus.arn,
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
        ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
        retentionDays: input.RetentionDays ?? 0,
        state: 'ENABLED',
        createdAt: now,
        eventCount: 0,
        sizeBytes: 0,
        seq: 0,
      };
      state.archives.put(scope, a.name, a);
      archives.putRule(scope, a);
      return { ArchiveArn: a.arn, State: a.state, CreationTime: new Date(now) };
    },
    DescribeArchive(input, ctx) {
      const a = archive(scopeOf(ctx), input.ArchiveName);
      return {
        ArchiveArn: a.arn,
        ...summary(a),
        ...(a.description !== undefined ? { Description: a.description } : {}),
        ...(a.eventPattern !== undefined ? { EventPattern: a.eventPattern } : {}),
        ...(a.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: a.kmsKeyIdentifier } : {}),
      };
    },
    UpdateArchive(input, ctx) {
      const scope = scopeOf(ctx);
      const a = archive(scope, input.ArchiveName);
      checkRetention(input.RetentionDays);
      if (input.EventPattern !== undefined) parsePattern(input.EventPattern);
      if (input.Description !== undefined) a.description = input.Description;
      if (input.EventPattern !== undefined) a.eventPattern = input.EventPattern;
      if (input.KmsKeyIdentifier !== undefined) a.kmsKeyIdentifier = input.KmsKeyIdentifier;
      if (input.RetentionDays !== undefined) a.retentionDays = input.RetentionDays;
      state.archives.put(scope, a.name, a);
      archives.putRule(scope, a);
      archives.sweep(scope, a);
      return { ArchiveArn: a.arn, State: a.state, CreationTime: new Date(a.createdAt) };
    },
    DeleteArchive(input, ctx) {
      const scope = scopeOf(ctx);
      archives.remove(scope, archive(scope, input.ArchiveName));
      return {};
    },
    ListArchives(input, ctx) {
      const scope = scopeOf(ctx);
      oneFilter('ListArchives', input, ARCHIVE_STATES);
      const all = [...state.archives.values(scope)]
        .filter((a) => (!input.NamePrefix || a.name.startsWith(input.NamePrefix)) && (!input.EventSourceArn || a.sourceArn === input.EventSourceArn) && (!input.State || a.state === input.State))
        .sort(byName)
        .map((a) => archives.sweep(scope, a));
      const p = page(all, input.Limit, input.NextToken);
      return { Archives: p.items.map(summary), ...(p.next ? { NextToken: p.next } : {}) };
    },
    StartReplay(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.ReplayName, 'replayName', NAME, 64);
      const dest = parseArn(input.Destination.Arn);
      if (!dest || dest.service !== 'events' || !dest.resource.startsWith('event-bus/')) throw validationError('Parameter Destination.Arn is not valid. Reason: Must contain an event bus ARN.');
      const bus = state.bus(scope, busName(input.Destination.Arn));
      const src = parseArn(input.EventSourceArn);
      const archiveName = src?.resource.startsWith('archive/') ? src.resource.slice('archive/'.length) : input.EventSourceArn;
      const a = state.archives.get(scope, archiveName);
      if (!a) throw validationError(`Parameter EventSourceArn is not valid. Reason: Archive ${archiveName} does not exist.`);
      if (a.bus !== bus.name) throw validationError('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
      const start = input.EventStartTime.getTime();
      const end = input.EventEndTime.getTime();
      if (start >= end) throw validationError('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
      const now = state.rt.clock.now();
      if (end > now) throw validationError('Parameter EventEndTime is not valid. Reason: EventEndTime must be in the past.');
      for (const f of input.Destination.FilterArns ?? []) {
        const r = parseArn(f);
        if (!r || r.service !== 'events' || !r.resource.startsWith('rule/')) throw validationError(`Parameter Destination.FilterArns is not valid. Reason: ${f} is not a rule ARN.`);
      }
      if (state.replays.has(scope, input.ReplayName)) throw new AwsError('ResourceAlreadyExistsException', `Replay ${input.ReplayName} already exists.`, 400);
      const r: ReplayRecord = {
        name: input.ReplayName,
        arn: replayArn(scope, input.ReplayName),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        sourceArn: a.arn,
        archive: a.name,
        bus: bus.name,
        destination: { Arn: input.Destination.Arn, ...(input.Destination.FilterArns ? { FilterArns: [...input.Destination.FilterArns] } : {}) },
        eventStart: start,
        eventEnd: end,
        state: 'STARTING',
        stateReason: 'Replay accepted',
        startedAt: now,
      };
      archives.start(scope, r);
      return { ReplayArn: r.arn, State: r.state, StateReason: r.stateReason, ReplayStartTime: new Date(now) };
    },
    DescribeReplay(input, ctx) {
      const r = state.replays.get(scopeOf(ctx), input.ReplayName);
      if (!r) throw new AwsError('ResourceNotFoundException', `Replay ${input.ReplayName} does not exist.`, 400);
      return { ReplayArn: r.arn, ...replaySummary(r), ...(r.description !== undefined ? { Description: r.description } : {}), Destination: r.destination };
    },
    CancelReplay(input, ctx) {
      const scope = scopeOf(ctx);
      const r = state.replays.get(scope, input.ReplayName);
      if (!r) throw new AwsError('ResourceNotFoundException', `Replay ${input.ReplayName} does not exist.`, 400);
      if (r.state !== 'STARTING' && r.state !== 'RUNNING') throw new AwsError('IllegalStatusException', `Replay ${r.name} is not in a valid state for this operation.`, 400);
      archives.cancel(scope, r);
      return { ReplayArn: r.arn, State: r.state, StateReason: r.stateReason };
    },
    ListReplays(input, ctx) {
      const scope = scopeOf(ctx);
      oneFilter('ListReplays', input, REPLAY_STATES);
      const all = [...state.replays.values(scope)]
        .filter((r) => (!input.NamePrefix || r.name.startsWith(input.NamePrefix)) && (!input.EventSourceArn || r.sourceArn === input.EventSourceArn) && (!input.State || r.state === input.State))
        .sort(byName);
      const p = page(all, input.Limit, input.NextToken);
      return { Replays: p.items.map(replaySummary), ...(p.next ? { NextToken: p.next } : {}) };
    },
  };
}
