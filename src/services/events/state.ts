/**
 * EventBridge state: event buses and rules (with their targets) in scoped tables; compiled
 * patterns and schedule timers in memory, rebuilt from the tables when the service is created.
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import { AwsError } from '../../core/errors.js';
import { arn } from '../../core/arn.js';
import type { Target } from './generated/types.js';
import { parsePattern, type CompiledPattern } from './domain/pattern.js';
import type { ArchiveRecord, ArchivedEvent, ReplayRecord } from './archives.js';
import type { ApiDestinationRecord, ConnectionRecord } from './connections.js';
import type { EndpointRecord } from './operations/endpoints.js';

export interface Tag { Key: string; Value: string }

export interface BusRecord {
  name: string;
  arn: string;
  description?: string;
  kmsKeyIdentifier?: string;
  deadLetterConfig?: { Arn?: string };
  policy?: string;
  tags: Tag[];
  createdAt: number;
  modifiedAt: number;
}

export interface RuleRecord {
  name: string;
  arn: string;
  bus: string;
  eventPattern?: string;
  scheduleExpression?: string;
  state: string;
  description?: string;
  roleArn?: string;
  managedBy?: string;
  /** the archive this (managed) rule stores matching events in */
  archive?: string;
  tags: Tag[];
  targets: Target[];
  /** rate schedules fire at anchor + k × period */
  anchor: number;
  createdAt: number;
}

export interface DeliveryRecord {
  id: number;
  time: string;
  ruleArn: string;
  targetId: string;
  targetArn: string;
  eventId: string;
  status: 'delivered' | 'failed' | 'pending' | 'stored';
  input: string;
  /** 1 for the first try, n + 1 for retry n */
  attempt?: number;
  error?: string;
}

/** A partner's event source (in the partner's account), with the accounts it was created for. */
export interface PartnerSourceRecord { name: string; arn: string; createdAt: number; accounts: { account: string; createdAt: number }[] }

/** A partner event source as the customer account sees it. */
export interface EventSourceRecord {
  name: string;
  arn: string;
  createdBy: string;
  partnerAccount: string;
  createdAt: number;
  state: 'PENDING' | 'ACTIVE' | 'DELETED';
}

export const DEFAULT_BUS = 'default';
const OUTBOX_LIMIT = 5000;

export const ruleKey = (bus: string, name: string) => `${bus}\u0000${name}`;

export class EventsState {
  readonly buses;
  readonly rules;
  readonly archives;
  readonly archived;
  readonly replays;
  readonly connections;
  readonly apiDestinations;
  readonly partnerSources;
  readonly eventSources;
  readonly endpoints;
  readonly timers = new Map<string, Timer>();
  /** pending target retries and replay steps (memory only) */
  readonly retryTimers = new Set<Timer>();
  stopped = false;
  readonly deliveries: DeliveryRecord[] = [];
  private deliverySeq = 0;
  private readonly patterns = new Map<string, { text: string; compiled: CompiledPattern }>();

  constructor(readonly rt: ServiceRuntime) {
    this.buses = rt.table<BusRecord>('buses');
    this.rules = rt.table<RuleRecord>('rules');
    this.archives = rt.table<ArchiveRecord>('archives');
    this.archived = rt.table<ArchivedEvent>('archived');
    this.replays = rt.table<ReplayRecord>('replays');
    this.connections = rt.table<ConnectionRecord>('connections');
    this.apiDestinations = rt.table<ApiDestinationRecord>('apiDestinations');
    this.partnerSources = rt.table<PartnerSourceRecord>('partnerSources');
    this.eventSources = rt.table<EventSourceRecord>('eventSources');
    this.endpoints = rt.table<EndpointRecord>('endpoints');
  }

  /** The bus a request names (a name or an ARN); the default bus exists implicitly. */
  bus(scope: Scope, nameOrArn: string | undefined): BusRecord {
    const name = busName(nameOrArn);
    const b = this.buses.get(scope, name);
    if (b) return b;
    if (name === DEFAULT_BUS) {
      const now = this.rt.clock.now();
      const rec: BusRecord = { name, arn: busArn(scope, name), tags: [], createdAt: now, modifiedAt: now };
      this.buses.put(scope, name, rec);
      return rec;
    }
    throw new AwsError('ResourceNotFoundException', `Event bus ${name} does not exist.`, 400);
  }

  rule(scope: Scope, bus: string, name: string): RuleRecord {
    const r = this.rules.get(scope, ruleKey(bus, name));
    if (!r) throw new AwsError('ResourceNotFoundException', `Rule ${name} does not exist on EventBus ${bus}.`, 400);
    return r;
  }

  rulesOf(scope: Scope, bus: string): RuleRecord[] {
    return [...this.rules.values(scope)].filter((r) => r.bus === bus);
  }

  compiled(r: RuleRecord): CompiledPattern | undefined {
    if (!r.eventPattern) return undefined;
    const c = this.patterns.get(r.arn);
    if (c && c.text === r.eventPattern) return c.compiled;
    const compiled = parsePattern(r.eventPattern);
    this.patterns.set(r.arn, { text: r.eventPattern, compiled });
    return compiled;
  }

  record(d: Omit<DeliveryRecord, 'id' | 'time'>): void {
    this.deliveries.push({ id: ++this.deliverySeq, time: new Date(this.rt.clock.now()).toISOString(), ...d });
    if (this.deliveries.length > OUTBOX_LIMIT) this.deliveries.splice(0, this.deliveries.length - OUTBOX_LIMIT);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const t of this.retryTimers) t.cancel();
    this.retryTimers.clear();
  }
}

export function busName(nameOrArn: string | undefined): string {
  if (!nameOrArn) return DEFAULT_BUS;
  const i = nameOrArn.indexOf(':event-bus/');
  return nameOrArn.startsWith('arn:') && i >= 0 ? nameOrArn.slice(i + ':event-bus/'.length) : nameOrArn;
}

export const busArn = (scope: Scope, name: string) => arn('events', scope.region, scope.account, `event-bus/${name}`);
export const ruleArn = (scope: Scope, bus: string, name: string) =>
  arn('events', scope.region, scope.account, bus === DEFAULT_BUS ? `rule/${name}` : `rule/${bus}/${name}`);
