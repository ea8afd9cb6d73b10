/**
 * Message move tasks (StartMessageMoveTask): move the messages a dead-letter queue held when the
 * task started, oldest first, to a destination queue or back to each message's source queue.
 *
 * On the virtual clock: a batch of MaxNumberOfMessagesPerSecond messages (500 when not given, the
 * most AWS moves) at the start, then one batch per second. Messages in flight in the dead-letter
 * queue are moved once they are visible again. Each moved message is a new message (new id, sent
 * now, never received), as on AWS. A destination (or original source) queue that no longer exists
 * ends the task FAILED with the queue's error code; the message stays in the dead-letter queue.
 */
import { randomUUID } from 'node:crypto';
import type { Timer } from '../../core/clock.js';
import type { Scope } from '../../state/store.js';
import { intAttribute } from './domain/attributes.js';
import type { Msg, QueueState } from './domain/queue.js';
import { scopeOfQueue, type MoveTaskRecord, type SqsState } from './state.js';

export const DEFAULT_MOVE_RATE = 500;
const TICK_MS = 1000;
/** ListMessageMoveTasks shows the most recent tasks of a source queue: at most 10 are kept. */
const KEPT_PER_SOURCE = 10;

export const taskKey = (t: { sourceArn: string; id: string }) => `${t.sourceArn}/${t.id}`;

export class MoveTasks {
  private readonly timers = new Map<string, Timer>();

  constructor(private readonly state: SqsState) {
    // Tasks that were running when gureum stopped carry on.
    const now = state.rt.clock.now();
    for (const [scope, tasks] of state.moveTasks.allScopes()) {
      for (const t of tasks.values()) if (t.status === 'RUNNING') this.schedule(scope, t, now);
    }
  }

  /** Tasks of one source queue, most recent first. */
  list(scope: Scope, sourceArn: string): MoveTaskRecord[] {
    return [...this.state.moveTasks.values(scope)].filter((t) => t.sourceArn === sourceArn).sort((a, b) => b.startedAt - a.startedAt);
  }

  start(source: QueueState, t: Omit<MoveTaskRecord, 'id' | 'handle' | 'startedAt' | 'status' | 'moved' | 'toMove' | 'lastSeq'>): MoveTaskRecord {
    const scope = scopeOfQueue(source);
    const id = randomUUID();
    const task: MoveTaskRecord = {
      ...t,
      id,
      handle: Buffer.from(JSON.stringify({ taskId: id, sourceArn: t.sourceArn })).toString('base64'),
      startedAt: this.state.rt.clock.now(),
      status: 'RUNNING',
      moved: 0,
      toMove: source.byId.size,
      lastSeq: source.lastSeq,
    };
    for (const old of this.list(scope, t.sourceArn).slice(KEPT_PER_SOURCE - 1)) this.state.moveTasks.delete(scope, taskKey(old));
    this.state.moveTasks.put(scope, taskKey(task), task);
    this.tick(scope, taskKey(task));
    return task;
  }

  cancel(scope: Scope, t: MoveTaskRecord): void {
    this.timers.get(taskKey(t))?.cancel();
    this.timers.delete(taskKey(t));
    this.state.moveTasks.put(scope, taskKey(t), { ...t, status: 'CANCELLED' });
  }

  stop(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private schedule(scope: Scope, t: MoveTaskRecord, at: number): void {
    const key = taskKey(t);
    this.timers.get(key)?.cancel();
    this.timers.set(key, this.state.rt.clock.at(at, () => {
      this.timers.delete(key);
      this.tick(scope, key);
    }));
  }

  /** Move one second's worth of messages. */
  private tick(scope: Scope, key: string): void {
    const stored = this.state.moveTasks.get(scope, key);
    if (stored?.status !== 'RUNNING') return;
    const t = { ...stored };
    const now = this.state.rt.clock.now();
    const source = this.state.byArn(t.sourceArn);
    const dest = t.destinationArn ? this.state.byArn(t.destinationArn) : undefined;
    if (!source || (t.destinationArn && !dest)) {
      this.finish(scope, t, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
      return;
    }
    const rate = t.rate ?? DEFAULT_MOVE_RATE;
    const retentionMs = intAttribute(source.rec.attributes, 'MessageRetentionPeriod') * 1000;
    const batch = source.takeForMove(rate, t.lastSeq, now, retentionMs, (m) => this.state.forget(scopeOfQueue(source), m.rec));
    for (let i = 0; i < batch.length; i++) {
      const m = batch[i]!;
      const target = dest ?? (m.rec.dlqSourceArn ? this.state.byArn(m.rec.dlqSourceArn) : undefined);
      if (!target) {
        source.putBack(batch.slice(i));
        this.finish(scope, t, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
        return;
      }
      this.state.removeMessage(source, m);
      this.state.enqueue(target, movedRecord(m, target, now));
      t.moved++;
    }
    if (batch.length < rate && !source.holdsUpTo(t.lastSeq)) {
      this.finish(scope, t, 'COMPLETED');
      return;
    }
    this.state.moveTasks.put(scope, key, t);
    this.schedule(scope, t, now + TICK_MS);
  }

  private finish(scope: Scope, t: MoveTaskRecord, status: 'COMPLETED' | 'FAILED', failureReason?: string): void {
    this.state.moveTasks.put(scope, taskKey(t), { ...t, status, ...(failureReason ? { failureReason } : {}) });
  }
}

/** A moved message is a new message in its new queue: new id, sent now, never received. */
function movedRecord(m: Msg, target: QueueState, now: number) {
  const { dlqSourceArn: _source, ...rest } = m.rec;
  return { ...rest, q: target.rec.name, id: randomUUID(), seq: target.nextSeq(now), sentAt: now, availableAt: now };
}
