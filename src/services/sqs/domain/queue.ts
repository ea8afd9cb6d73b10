/**
 * One queue's messages in memory. Three sets, each O(1) in the common case, O(log n) at worst:
 *   ready    — visible now, ordered by send sequence (FIFO order; standard queues take it too)
 *   hidden   — delayed or in flight, ordered by the time they become visible
 *   byId     — every live message
 * ready and hidden are RunQueues (a sorted run plus a heap for out-of-order keys, run-queue.ts).
 * Entries carry the message's generation; a change bumps it, so old entries are skipped
 * when popped (lazy deletion) instead of being searched for. Hidden messages become visible
 * lazily when a receive or a long-poll wake-up looks at the queue.
 */
import { RunQueue } from './run-queue.js';
import type { AttributeValue } from './md5.js';

export interface QueueRecord {
  name: string;
  account: string;
  region: string;
  arn: string;
  fifo: boolean;
  /** settable attributes as the client set them (defaults are not stored) */
  attributes: Record<string, string>;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
}

/** Written once at send; immutable afterwards (the hot path never rewrites bodies). */
export interface MessageRecord {
  q: string;
  id: string;
  seq: number;
  body: string;
  md5: string;
  attrs?: Record<string, AttributeValue>;
  md5Attrs?: string;
  sys?: Record<string, AttributeValue>;
  md5Sys?: string;
  sentAt: number;
  /** first time it may be received (sentAt + delay) */
  availableAt: number;
  senderId: string;
  groupId?: string;
  dedupId?: string;
  dlqSourceArn?: string;
}

/** The small mutable part, written on each receive / visibility change. */
export interface MessageState {
  visibleAt: number;
  receives: number;
  firstReceiveAt?: number;
}

type Where = 'ready' | 'inflight' | 'delayed';

export interface Msg {
  rec: MessageRecord;
  st: MessageState;
  gen: number;
  /** undefined until first placed */
  where: Where | undefined;
  deleted: boolean;
}

interface Entry { msg: Msg; gen: number; key: number }

export interface ReceiveOptions {
  max: number;
  visibilityMs: number;
  now: number;
  /** true: move to the dead-letter queue instead of delivering (RedrivePolicy) */
  redrive?: (m: Msg) => boolean;
}

export class QueueState {
  readonly byId = new Map<string, Msg>();
  private readonly ready = new RunQueue<Entry>((a, b) => a.key < b.key);
  private readonly hidden = new RunQueue<Entry>((a, b) => a.key < b.key || (a.key === b.key && a.msg.rec.seq < b.msg.rec.seq));
  private readonly groupsInFlight = new Map<string, number>();
  /** FIFO deduplication: key → expiry (5 minutes), message id */
  readonly dedup = new Map<string, { until: number; id: string; seq: number }>();
  counts = { ready: 0, inflight: 0, delayed: 0 };
  lastSeq = 0;

  constructor(public rec: QueueRecord) {}

  /** Insert a message (new, or loaded from disk). */
  add(rec: MessageRecord, st: MessageState, now: number): Msg {
    const m: Msg = { rec, st, gen: 0, where: undefined, deleted: false };
    this.byId.set(rec.id, m);
    if (rec.seq > this.lastSeq) this.lastSeq = rec.seq;
    if (st.visibleAt > now) this.hide(m, st.receives > 0 ? 'inflight' : 'delayed', st.visibleAt);
    else this.show(m);
    return m;
  }

  nextSeq(now: number): number {
    // Monotonic across restarts as long as the clock does not go back: time-based floor.
    this.lastSeq = Math.max(this.lastSeq + 1, now * 100);
    return this.lastSeq;
  }

  /** Move every hidden message whose time has come to ready. */
  promoteDue(now: number): void {
    for (let e = this.hidden.peek(); e && e.key <= now; e = this.hidden.peek()) {
      this.hidden.pop();
      if (!this.live(e)) continue;
      this.show(e.msg);
    }
    // Bulk-drop stale entries when they outnumber live ones (deletes of in-flight messages).
    const live = this.counts.inflight + this.counts.delayed;
    if (this.hidden.size > 2 * live + 1024) this.hidden.filter((e) => this.live(e));
    if (this.ready.size > 2 * this.counts.ready + 1024) this.ready.filter((e) => this.live(e));
  }

  /** Time the next hidden message becomes visible, if any. */
  nextVisibleAt(): number | undefined {
    for (let e = this.hidden.peek(); e; e = this.hidden.peek()) {
      if (this.live(e)) return e.key;
      this.hidden.pop();
    }
    return undefined;
  }

  hasReady(): boolean {
    return this.counts.ready > 0;
  }

  /**
   * Take up to `max` visible messages and hide them for the visibility timeout. FIFO queues
   * skip groups with messages in flight (other than ones taken by this same call).
   */
  receive(o: ReceiveOptions, retentionMs: number, onExpired: (m: Msg) => void, onReceived: (m: Msg) => void): Msg[] {
    this.promoteDue(o.now);
    const out: Msg[] = [];
    const skipped: Entry[] = [];
    const taken = new Set<string>();
    while (out.length < o.max) {
      const e = this.ready.pop();
      if (!e) break;
      if (!this.live(e)) continue;
      const m = e.msg;
      if (m.rec.sentAt + retentionMs <= o.now) {
        this.remove(m);
        onExpired(m);
        continue;
      }
      const g = m.rec.groupId;
      if (this.rec.fifo && g !== undefined && !taken.has(g) && (this.groupsInFlight.get(g) ?? 0) > 0) {
        skipped.push(e);
        continue;
      }
      if (o.redrive?.(m)) continue; // moved away (removed by the caller)
      if (g !== undefined) taken.add(g);
      m.st = { visibleAt: o.now + o.visibilityMs, receives: m.st.receives + 1, firstReceiveAt: m.st.firstReceiveAt ?? o.now };
      this.hide(m, 'inflight', m.st.visibleAt);
      onReceived(m);
      out.push(m);
    }
    for (const e of skipped) this.ready.push(e);
    return out;
  }

  /**
   * Visible messages sent up to sequence `maxSeq`, oldest first, for a message move task (the
   * caller removes them). FIFO groups with a message in flight are skipped, as receives skip them.
   */
  takeForMove(max: number, maxSeq: number, now: number, retentionMs: number, onExpired: (m: Msg) => void): Msg[] {
    this.promoteDue(now);
    const out: Msg[] = [];
    const skipped: Entry[] = [];
    while (out.length < max) {
      const e = this.ready.pop();
      if (!e) break;
      if (!this.live(e)) continue;
      const m = e.msg;
      if (m.rec.seq > maxSeq) {
        skipped.push(e); // ready is ordered by sequence: only newer messages follow
        break;
      }
      if (m.rec.sentAt + retentionMs <= now) {
        this.remove(m);
        onExpired(m);
        continue;
      }
      const g = m.rec.groupId;
      if (this.rec.fifo && g !== undefined && (this.groupsInFlight.get(g) ?? 0) > 0) {
        skipped.push(e);
        continue;
      }
      out.push(m);
    }
    for (const e of skipped) this.ready.push(e);
    return out;
  }

  /** Return messages taken by takeForMove that were not moved after all. */
  putBack(msgs: Msg[]): void {
    for (const m of msgs) if (!m.deleted && m.where === 'ready') this.ready.push({ msg: m, gen: m.gen, key: m.rec.seq });
  }

  /** Whether any message sent up to sequence `maxSeq` is still in the queue (O(n): end of a move task only). */
  holdsUpTo(maxSeq: number): boolean {
    for (const m of this.byId.values()) if (m.rec.seq <= maxSeq) return true;
    return false;
  }

  /** Change an in-flight message's visibility (0 = visible now). */
  setVisibility(m: Msg, visibleAt: number, now: number): void {
    m.st = { ...m.st, visibleAt };
    if (visibleAt <= now) this.show(m);
    else this.hide(m, 'inflight', visibleAt);
  }

  remove(m: Msg): void {
    if (m.deleted) return;
    this.leave(m);
    m.where = undefined;
    m.deleted = true;
    m.gen++;
    this.byId.delete(m.rec.id);
  }

  clear(): Msg[] {
    const all = [...this.byId.values()];
    for (const m of all) this.remove(m);
    this.ready.clear();
    this.hidden.clear();
    return all;
  }

  private live(e: Entry): boolean {
    return !e.msg.deleted && e.gen === e.msg.gen;
  }

  private show(m: Msg): void {
    this.leave(m);
    m.where = 'ready';
    m.gen++;
    this.counts.ready++;
    this.ready.push({ msg: m, gen: m.gen, key: m.rec.seq });
  }

  private hide(m: Msg, where: 'inflight' | 'delayed', until: number): void {
    this.leave(m);
    m.where = where;
    m.gen++;
    this.counts[where]++;
    const g = m.rec.groupId;
    if (where === 'inflight' && g !== undefined) this.groupsInFlight.set(g, (this.groupsInFlight.get(g) ?? 0) + 1);
    this.hidden.push({ msg: m, gen: m.gen, key: until });
  }

  /** Undo the bookkeeping of the set a message is in. */
  private leave(m: Msg): void {
    if (m.deleted || !m.where) return;
    this.counts[m.where]--;
    const g = m.rec.groupId;
    if (m.where === 'inflight' && g !== undefined) {
      const n = (this.groupsInFlight.get(g) ?? 1) - 1;
      if (n > 0) this.groupsInFlight.set(g, n);
      else this.groupsInFlight.delete(g);
    }
  }
}
