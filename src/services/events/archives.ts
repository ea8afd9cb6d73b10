/**
 * Archives and replays.
 *
 * An archive owns a managed rule on its bus (`Events-Archive-<name>`, ManagedBy
 * `prod.vhs.events.aws.internal`, as on AWS) whose pattern is the archive's pattern plus
 * `"replay-name": [{"exists": false}]`, so replayed events are not archived again. Matching
 * events are stored with the time they arrived; EventCount / SizeBytes count them, and events
 * older than RetentionDays (0 = forever) are dropped whenever the archive is looked at.
 *
 * A replay runs on the virtual clock: STARTING when accepted, RUNNING one second later, when
 * the archived events whose `time` lies in [EventStartTime, EventEndTime) are routed again on
 * the bus (only to the rules in FilterArns when given) with `replay-name` set, and COMPLETED
 * one second after that. CancelReplay moves STARTING/RUNNING to CANCELLING, and CANCELLED a
 * second later. Steps left pending at shutdown are resumed when the service is created.
 */
import type { Scope } from '../../state/store.js';
import { arn } from '../../core/arn.js';
import { DEFAULT_BUS, ruleKey, type EventsState, type RuleRecord } from './state.js';
import type { EventEnvelope } from './envelope.js';
import type { Router } from './delivery.js';

export interface ArchiveRecord {
  name: string;
  arn: string;
  bus: string;
  sourceArn: string;
  description?: string;
  eventPattern?: string;
  kmsKeyIdentifier?: string;
  retentionDays: number;
  state: string;
  createdAt: number;
  eventCount: number;
  sizeBytes: number;
  seq: number;
}

export interface ArchivedEvent { archive: string; at: number; eventTime: number; size: number; event: string }

export interface ReplayRecord {
  name: string;
  arn: string;
  description?: string;
  sourceArn: string;
  archive: string;
  bus: string;
  destination: { Arn: string; FilterArns?: string[] };
  eventStart: number;
  eventEnd: number;
  state: 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  stateReason?: string;
  startedAt: number;
  endedAt?: number;
  lastReplayed?: number;
  /** when the next step (state change) is due */
  nextStepAt?: number;
}

export const ARCHIVE_RULE_PREFIX = 'Events-Archive-';
export const ARCHIVE_MANAGER = 'prod.vhs.events.aws.internal';
const STEP_MS = 1000;
const DAY_MS = 86_400_000;

export const archiveArn = (scope: Scope, name: string) => arn('events', scope.region, scope.account, `archive/${name}`);
export const replayArn = (scope: Scope, name: string) => arn('events', scope.region, scope.account, `replay/${name}`);
const eventKey = (archive: string, seq: number) => `${archive}\u0000${String(seq).padStart(12, '0')}`;

/** The managed rule's pattern: the archive's, excluding replayed events. */
export function archiveRulePattern(pattern: string | undefined): string {
  const p = pattern ? (JSON.parse(pattern) as Record<string, unknown>) : {};
  return JSON.stringify({ ...p, 'replay-name': [{ exists: false }] });
}

export class Archives {
  constructor(private readonly state: EventsState, private readonly router: Router) {}

  /** Creates or updates the archive's managed rule. */
  putRule(scope: Scope, a: ArchiveRecord): void {
    const name = ARCHIVE_RULE_PREFIX + a.name;
    const key = ruleKey(a.bus, name);
    const old = this.state.rules.get(scope, key);
    const now = this.state.rt.clock.now();
    const rule: RuleRecord = {
      name,
      arn: arn('events', scope.region, scope.account, a.bus === DEFAULT_BUS ? `rule/${name}` : `rule/${a.bus}/${name}`),
      bus: a.bus,
      eventPattern: archiveRulePattern(a.eventPattern),
      state: 'ENABLED',
      managedBy: ARCHIVE_MANAGER,
      archive: a.name,
      tags: [],
      targets: [],
      anchor: old?.anchor ?? now,
      createdAt: old?.createdAt ?? now,
    };
    this.state.rules.put(scope, key, rule);
  }

  deleteRule(scope: Scope, a: ArchiveRecord): void {
    this.state.rules.delete(scope, ruleKey(a.bus, ARCHIVE_RULE_PREFIX + a.name));
  }

  store(scope: Scope, archiveName: string, event: EventEnvelope): void {
    const a = this.state.archives.get(scope, archiveName);
    if (!a || a.state !== 'ENABLED') return;
    const text = JSON.stringify(event);
    const size = Buffer.byteLength(text);
    const seq = ++a.seq;
    const t = Date.parse(event.time);
    this.state.archived.put(scope, eventKey(a.name, seq), { archive: a.name, at: this.state.rt.clock.now(), eventTime: Number.isNaN(t) ? this.state.rt.clock.now() : t, size, event: text });
    a.eventCount++;
    a.sizeBytes += size;
    this.state.archives.put(scope, a.name, a);
  }

  /** Drops events past the retention period; returns the (updated) archive. */
  sweep(scope: Scope, a: ArchiveRecord): ArchiveRecord {
    if (a.retentionDays <= 0) return a;
    const cutoff = this.state.rt.clock.now() - a.retentionDays * DAY_MS;
    let changed = false;
    for (const [k, e] of [...this.state.archived.entries(scope)]) {
      if (e.archive !== a.name || e.at >= cutoff) continue;
      this.state.archived.delete(scope, k);
      a.eventCount--;
      a.sizeBytes -= e.size;
      changed = true;
    }
    if (changed) this.state.archives.put(scope, a.name, a);
    return a;
  }

  /** Deletes the archive, its rule and its events. */
  remove(scope: Scope, a: ArchiveRecord): void {
    for (const [k, e] of [...this.state.archived.entries(scope)]) if (e.archive === a.name) this.state.archived.delete(scope, k);
    this.deleteRule(scope, a);
    this.state.archives.delete(scope, a.name);
  }

  // ---- replays

  /** Arms the next step of every unfinished replay (service creation). */
  restore(): void {
    for (const [scope, all] of this.state.replays.allScopes()) for (const r of all.values()) if (r.nextStepAt !== undefined) this.arm(scope, r);
  }

  start(scope: Scope, r: ReplayRecord): void {
    r.nextStepAt = r.startedAt + STEP_MS;
    this.state.replays.put(scope, r.name, r);
    this.arm(scope, r);
  }

  cancel(scope: Scope, r: ReplayRecord): void {
    r.state = 'CANCELLING';
    r.stateReason = 'Replay is being cancelled';
    r.nextStepAt = this.state.rt.clock.now() + STEP_MS;
    this.state.replays.put(scope, r.name, r);
    this.arm(scope, r);
  }

  private arm(scope: Scope, r: ReplayRecord): void {
    const due = r.nextStepAt!;
    const timer = this.state.rt.clock.at(due, () => {
      this.state.retryTimers.delete(timer);
      const cur = this.state.replays.get(scope, r.name);
      if (cur && cur.nextStepAt === due) this.step(scope, cur);
    });
    this.state.retryTimers.add(timer);
  }

  private step(scope: Scope, r: ReplayRecord): void {
    const now = this.state.rt.clock.now();
    if (r.state === 'STARTING') {
      r.state = 'RUNNING';
      r.stateReason = 'Replay is running';
      r.nextStepAt = now + STEP_MS;
      this.state.replays.put(scope, r.name, r);
      this.replayEvents(scope, r);
      this.arm(scope, r);
      return;
    }
    delete r.nextStepAt;
    r.endedAt = now;
    if (r.state === 'CANCELLING') {
      r.state = 'CANCELLED';
      r.stateReason = 'Replay has been cancelled';
    } else if (r.state === 'RUNNING') {
      r.state = 'COMPLETED';
      r.stateReason = 'Replay has completed';
    }
    this.state.replays.put(scope, r.name, r);
  }

  private replayEvents(scope: Scope, r: ReplayRecord): void {
    const a = this.state.archives.get(scope, r.archive);
    if (!a) {
      r.state = 'FAILED';
      r.stateReason = `Archive ${r.archive} does not exist.`;
      this.state.replays.put(scope, r.name, r);
      return;
    }
    this.sweep(scope, a);
    const only = r.destination.FilterArns?.length ? new Set(r.destination.FilterArns) : undefined;
    const due = [...this.state.archived.values(scope)].filter((e) => e.archive === a.name && e.eventTime >= r.eventStart && e.eventTime < r.eventEnd);
    for (const e of due) {
      const event = { ...(JSON.parse(e.event) as EventEnvelope), 'replay-name': r.name };
      this.router.route(scope, r.bus, event, only ? { onlyRules: only } : {});
      r.lastReplayed = e.eventTime;
    }
    this.state.replays.put(scope, r.name, r);
  }
}
