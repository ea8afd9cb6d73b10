/**
 * EventBridge Scheduler state: schedule groups and schedules in scoped tables; timers and the
 * delivery records in memory (timers are rebuilt from the schedules when the service is created).
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import { AwsError } from '../../core/errors.js';
import { arn } from '../../core/arn.js';
import type { FlexibleTimeWindow, Target } from './generated/types.js';

export interface Tag { Key: string; Value: string }

export interface GroupRecord { name: string; arn: string; tags: Tag[]; createdAt: number; modifiedAt: number }

export interface ScheduleRecord {
  name: string;
  group: string;
  arn: string;
  expression: string;
  timezone: string;
  startDate?: number;
  endDate?: number;
  state: string;
  description?: string;
  flexible: FlexibleTimeWindow;
  target: Target;
  actionAfterCompletion: string;
  kmsKeyArn?: string;
  createdAt: number;
  modifiedAt: number;
  /** rate schedules fire at anchor + k × period (StartDate, or when the expression was set) */
  anchor: number;
  /** nominal time of the last invocation */
  lastNominal?: number;
  completed?: boolean;
}

export interface SchedulerDelivery {
  id: number;
  time: string;
  scheduleArn: string;
  targetArn: string;
  scheduledTime: string;
  executionId: string;
  status: 'delivered' | 'failed' | 'pending' | 'stored';
  input: string;
  /** 1 for the first try, n + 1 for retry n */
  attempt?: number;
  error?: string;
}

export const DEFAULT_GROUP = 'default';
export const scheduleKey = (group: string, name: string) => `${group}\u0000${name}`;
export const groupArn = (s: Scope, name: string) => arn('scheduler', s.region, s.account, `schedule-group/${name}`);
export const scheduleArn = (s: Scope, group: string, name: string) => arn('scheduler', s.region, s.account, `schedule/${group}/${name}`);

export class SchedulerState {
  readonly groups;
  readonly schedules;
  readonly timers = new Map<string, Timer>();
  /** pending retries (memory only) */
  readonly retryTimers = new Set<Timer>();
  stopped = false;
  readonly deliveries: SchedulerDelivery[] = [];
  private seq = 0;

  constructor(readonly rt: ServiceRuntime) {
    this.groups = rt.table<GroupRecord>('groups');
    this.schedules = rt.table<ScheduleRecord>('schedules');
  }

  group(scope: Scope, name: string | undefined): GroupRecord {
    const n = name ?? DEFAULT_GROUP;
    const g = this.groups.get(scope, n);
    if (g) return g;
    if (n === DEFAULT_GROUP) {
      const now = this.rt.clock.now();
      const rec: GroupRecord = { name: n, arn: groupArn(scope, n), tags: [], createdAt: now, modifiedAt: now };
      this.groups.put(scope, n, rec);
      return rec;
    }
    throw new AwsError('ResourceNotFoundException', `Schedule group ${n} does not exist.`, 404);
  }

  schedule(scope: Scope, group: string | undefined, name: string): ScheduleRecord {
    const s = this.schedules.get(scope, scheduleKey(group ?? DEFAULT_GROUP, name));
    if (!s) throw new AwsError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    return s;
  }

  record(d: Omit<SchedulerDelivery, 'id' | 'time'>): void {
    this.deliveries.push({ id: ++this.seq, time: new Date(this.rt.clock.now()).toISOString(), ...d });
    if (this.deliveries.length > 5000) this.deliveries.splice(0, this.deliveries.length - 5000);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const t of this.retryTimers) t.cancel();
    this.retryTimers.clear();
  }
}
