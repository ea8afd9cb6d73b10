/**
 * The one virtual clock. Every timer in every service goes through it; nothing in service
 * code reads wall-clock time. By default it follows real time; it can be frozen, set,
 * advanced (firing due timers in order) and scaled.
 *
 * Virtual time = base + (real elapsed since anchor) * scale, or fixed when frozen.
 * Timers live in a binary heap ordered by (due, seq). One real setTimeout (the next due
 * timer, in real terms) wakes the clock when running.
 */
import { Heap } from './heap.js';

export type TimerCallback = () => void;

export interface Timer {
  readonly id: number;
  readonly due: number;
  cancel(): void;
}

interface Entry { id: number; due: number; seq: number; fn: TimerCallback; cancelled: boolean }

export interface ClockState {
  now: string;
  epochMs: number;
  frozen: boolean;
  scale: number;
  pendingTimers: number;
}

export class VirtualClock {
  private baseVirtual: number;
  private anchorReal: number;
  private frozenAt: number | undefined;
  private rate = 1;
  private readonly heap = new Heap<Entry>(less);
  private seq = 0;
  private wake: NodeJS.Timeout | undefined;
  private firing = false;
  private stopped = false;

  constructor(private readonly realNow: () => number = () => Date.now()) {
    this.baseVirtual = realNow();
    this.anchorReal = this.baseVirtual;
  }

  /** Current virtual time in epoch milliseconds. */
  now(): number {
    if (this.frozenAt !== undefined) return this.frozenAt;
    return Math.floor(this.baseVirtual + (this.realNow() - this.anchorReal) * this.rate);
  }

  date(): Date { return new Date(this.now()); }

  get frozen(): boolean { return this.frozenAt !== undefined; }
  get scale(): number { return this.rate; }

  freeze(): void {
    if (this.frozenAt === undefined) this.frozenAt = this.now();
    this.reschedule();
  }

  resume(): void {
    if (this.frozenAt === undefined) return;
    this.rebase(this.frozenAt);
    this.frozenAt = undefined;
    this.fireDue();
  }

  /** Jump to an absolute time (forward fires due timers; backward just moves "now"). */
  set(epochMs: number): void {
    if (this.frozenAt !== undefined) this.frozenAt = epochMs;
    else this.rebase(epochMs);
    this.fireDue();
  }

  /** Move forward by ms, firing every timer due on the way in order, each at its own time. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance needs a non-negative duration');
    const target = this.now() + ms;
    this.firing = true;
    try {
      for (;;) {
        const top = this.peek();
        if (!top || top.due > target) break;
        this.setNow(Math.max(top.due, this.now()));
        this.popAndRun();
      }
      this.setNow(target);
    } finally {
      this.firing = false;
    }
    this.reschedule();
  }

  setScale(scale: number): void {
    if (!(scale > 0)) throw new RangeError('scale must be > 0');
    const now = this.now();
    this.rate = scale;
    if (this.frozenAt === undefined) this.rebase(now);
    this.reschedule();
  }

  /** Run fn when virtual time reaches `due` (epoch ms). */
  at(due: number, fn: TimerCallback): Timer {
    const entry: Entry = { id: ++this.seq, due, seq: this.seq, fn, cancelled: false };
    this.heap.push(entry);
    this.reschedule();
    return {
      id: entry.id,
      due,
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Run fn after `ms` of virtual time. */
  after(ms: number, fn: TimerCallback): Timer {
    return this.at(this.now() + Math.max(0, ms), fn);
  }

  /** Resolves after `ms` of virtual time (or never, if the clock stops first). */
  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  pendingTimers(): number {
    return this.heap.values().filter((e) => !e.cancelled).length;
  }

  state(): ClockState {
    const now = this.now();
    return { now: new Date(now).toISOString(), epochMs: now, frozen: this.frozen, scale: this.rate, pendingTimers: this.pendingTimers() };
  }

  stop(): void {
    this.stopped = true;
    if (this.wake) clearTimeout(this.wake);
    this.wake = undefined;
    this.heap.clear();
  }

  // ---- internals

  private rebase(virtualNow: number): void {
    this.baseVirtual = virtualNow;
    this.anchorReal = this.realNow();
  }

  private setNow(v: number): void {
    if (this.frozenAt !== undefined) this.frozenAt = v;
    else this.rebase(v);
  }

  private fireDue(): void {
    if (this.firing) return;
    this.firing = true;
    try {
      for (;;) {
        const top = this.peek();
        if (!top || top.due > this.now()) break;
        this.popAndRun();
      }
    } finally {
      this.firing = false;
    }
    this.reschedule();
  }

  private popAndRun(): void {
    const e = this.heap.pop()!;
    if (e.cancelled) return;
    try {
      e.fn();
    } catch (err) {
      // A timer callback must never take the process down.
      console.error('[gureum] timer callback failed:', err);
    }
  }

  private peek(): Entry | undefined {
    while (this.heap.peek()?.cancelled) this.heap.pop();
    return this.heap.peek();
  }

  private reschedule(): void {
    if (this.wake) clearTimeout(this.wake);
    this.wake = undefined;
    if (this.stopped || this.frozenAt !== undefined) return;
    const top = this.peek();
    if (!top) return;
    const realDelay = Math.max(0, (top.due - this.now()) / this.rate);
    // Cap so that very distant timers re-check (and long delays do not overflow setTimeout).
    this.wake = setTimeout(() => {
      this.wake = undefined;
      this.fireDue();
    }, Math.min(realDelay, 2 ** 30));
    this.wake.unref();
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}

/** Parse "2h", "90s", "1d", "500ms", "PT2H30M", "P1D" or a number of ms. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number') return input;
  const s = input.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s);
  const iso = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(s);
  if (iso && s.length > 1 && s.toUpperCase() !== 'PT') {
    const [, d, h, m, sec] = iso;
    return Math.round(((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60000 + Number(sec ?? 0) * 1000);
  }
  let total = 0;
  let matched = '';
  const re = /(\d+(?:\.\d+)?)\s*(ms|d|h|m|s)/gi;
  for (let mt; (mt = re.exec(s)); ) {
    matched += mt[0];
    const n = Number(mt[1]);
    const unit = mt[2]!.toLowerCase();
    total += n * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60000 : unit === 'h' ? 3600000 : 86400000);
  }
  if (!matched || matched.replace(/\s/g, '') !== s.replace(/\s/g, '')) throw new RangeError(`cannot parse duration "${input}"`);
  return Math.round(total);
}
