/**
 * SQS state: queue records, message records and message states in three scoped tables
 * (write-through, one small put per change), plus the in-memory QueueState per queue rebuilt
 * from them at start-up, and the long-poll waiters parked on queues.
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import type { Timer } from '../../core/clock.js';
import { QueueState, type MessageRecord, type MessageState, type Msg, type QueueRecord } from './domain/queue.js';

/** A message move task (StartMessageMoveTask), kept in the source queue's scope. */
export interface MoveTaskRecord {
  id: string;
  handle: string;
  sourceArn: string;
  destinationArn?: string;
  /** MaxNumberOfMessagesPerSecond as given (undefined: the system-optimised rate) */
  rate?: number;
  startedAt: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';
  moved: number;
  toMove: number;
  /** only messages sent to the source up to this sequence number are moved */
  lastSeq: number;
  failureReason?: string;
}

export interface Waiter {
  /** try to serve; returns true when the waiter is done */
  tryServe(): boolean;
  /** give up with whatever is there (empty) */
  expire(): void;
  done: boolean;
}

const qkey = (scope: Scope, name: string) => `${scope.account}/${scope.region}/${name}`;
export const scopeOfQueue = (q: QueueState): Scope => ({ account: q.rec.account, region: q.rec.region });
const mkey = (m: MessageRecord) => `${m.q}/${m.id}`;

export class SqsState {
  readonly queues: Table<QueueRecord>;
  private readonly messages: Table<MessageRecord>;
  private readonly states: Table<MessageState>;
  /** queue name → when it was deleted (QueueDeletedRecently) */
  readonly deletedQueues: Table<{ at: number }>;
  readonly moveTasks: Table<MoveTaskRecord>;
  private readonly live = new Map<string, QueueState>();
  private readonly waiters = new Map<QueueState, Waiter[]>();
  private readonly wakeTimers = new Map<QueueState, Timer>();

  constructor(readonly rt: ServiceRuntime) {
    this.queues = rt.table<QueueRecord>('queues');
    this.messages = rt.table<MessageRecord>('messages');
    this.states = rt.table<MessageState>('message-states');
    this.deletedQueues = rt.table<{ at: number }>('deleted-queues');
    this.moveTasks = rt.table<MoveTaskRecord>('move-tasks');
    this.load();
  }

  private load(): void {
    const now = this.rt.clock.now();
    for (const [scope, recs] of this.queues.allScopes()) for (const rec of recs.values()) this.live.set(qkey(scope, rec.name), new QueueState(rec));
    for (const [scope, recs] of this.messages.allScopes()) {
      for (const [k, rec] of recs) {
        const q = this.live.get(qkey(scope, rec.q));
        if (!q) continue; // orphan of a deleted queue
        const st = this.states.get(scope, k) ?? { visibleAt: rec.availableAt, receives: 0 };
        q.add(rec, st, now);
      }
    }
  }

  get(scope: Scope, name: string): QueueState | undefined {
    return this.live.get(qkey(scope, name));
  }

  list(scope: Scope): QueueState[] {
    const out: QueueState[] = [];
    for (const rec of this.queues.values(scope)) {
      const q = this.live.get(qkey(scope, rec.name));
      if (q) out.push(q);
    }
    return out;
  }

  /** Every queue of an account × region, by ARN (for dead-letter targets). */
  byArn(arn: string): QueueState | undefined {
    const p = arn.split(':');
    if (p.length !== 6 || p[2] !== 'sqs') return undefined;
    return this.get({ account: p[4]!, region: p[3]! }, p[5]!);
  }

  createQueue(scope: Scope, rec: QueueRecord): QueueState {
    const q = new QueueState(rec);
    this.live.set(qkey(scope, rec.name), q);
    this.queues.put(scope, rec.name, rec);
    return q;
  }

  saveQueue(scope: Scope, q: QueueState): void {
    this.queues.put(scope, q.rec.name, q.rec);
  }

  deleteQueue(scope: Scope, q: QueueState): void {
    for (const m of q.clear()) this.forget(scope, m.rec);
    this.live.delete(qkey(scope, q.rec.name));
    this.queues.delete(scope, q.rec.name);
    this.deletedQueues.put(scope, q.rec.name, { at: this.rt.clock.now() });
    for (const w of this.waiters.get(q) ?? []) w.expire();
    this.waiters.delete(q);
    this.wakeTimers.get(q)?.cancel();
    this.wakeTimers.delete(q);
  }

  // ---- messages

  /** A new message record enters a queue: placed, written, and handed to parked receivers. */
  enqueue(q: QueueState, rec: MessageRecord): void {
    q.add(rec, { visibleAt: rec.availableAt, receives: 0 }, this.rt.clock.now());
    this.putMessage(scopeOfQueue(q), rec);
    this.serveWaiters(q);
  }

  /** Take a message out of its queue (it moves elsewhere or is dropped). */
  removeMessage(q: QueueState, m: Msg): void {
    q.remove(m);
    this.forget(scopeOfQueue(q), m.rec);
  }

  putMessage(scope: Scope, rec: MessageRecord): void {
    this.messages.put(scope, mkey(rec), rec);
  }

  putState(scope: Scope, m: Msg): void {
    this.states.put(scope, mkey(m.rec), m.st);
  }

  /** Drop a removed message's records. */
  forget(scope: Scope, rec: MessageRecord): void {
    const k = mkey(rec);
    this.messages.delete(scope, k);
    this.states.delete(scope, k);
  }

  // ---- long polling

  park(q: QueueState, w: Waiter): void {
    const list = this.waiters.get(q) ?? [];
    list.push(w);
    this.waiters.set(q, list);
    this.armWake(q);
  }

  unpark(q: QueueState, w: Waiter): void {
    const list = this.waiters.get(q);
    if (!list) return;
    const i = list.indexOf(w);
    if (i >= 0) list.splice(i, 1);
    if (!list.length) this.disarm(q);
  }

  /** Serve parked receivers in arrival order while messages are visible. */
  serveWaiters(q: QueueState): void {
    const list = this.waiters.get(q);
    if (!list?.length) return;
    q.promoteDue(this.rt.clock.now());
    while (list.length && q.hasReady()) {
      const w = list[0]!;
      if (w.done || w.tryServe()) list.shift();
      else break;
    }
    if (!list.length) this.disarm(q);
    else this.armWake(q);
  }

  /** One clock timer per queue with waiters: when the next hidden message becomes visible. */
  private armWake(q: QueueState): void {
    const at = q.nextVisibleAt();
    const cur = this.wakeTimers.get(q);
    if (at === undefined) {
      cur?.cancel();
      this.wakeTimers.delete(q);
      return;
    }
    if (cur && cur.due === at) return;
    cur?.cancel();
    this.wakeTimers.set(q, this.rt.clock.at(at, () => {
      this.wakeTimers.delete(q);
      this.serveWaiters(q);
    }));
  }

  private disarm(q: QueueState): void {
    this.waiters.delete(q);
    this.wakeTimers.get(q)?.cancel();
    this.wakeTimers.delete(q);
  }

  stop(): void {
    for (const list of this.waiters.values()) for (const w of list) w.expire();
    this.waiters.clear();
    for (const t of this.wakeTimers.values()) t.cancel();
    this.wakeTimers.clear();
  }
}
