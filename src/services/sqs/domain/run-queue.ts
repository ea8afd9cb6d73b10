/**
 * A priority queue for keys that mostly arrive in order: new messages get ever-growing sequence
 * numbers, in-flight messages ever-later visibility times. Entries not smaller than the last one
 * appended go to a sorted run (an array read from the front: O(1) push and pop); the few that
 * arrive out of order (a message becoming visible again, a shorter visibility timeout) go to a
 * binary heap. The minimum is the smaller of the two fronts, so the order is exactly a heap's,
 * but the common case no longer pays O(log n) sift-downs across a large array — the cost of a
 * send or receive stays the same with a million messages in the queue.
 */
import { Heap } from '../../../core/heap.js';

export class RunQueue<T> {
  private run: T[] = [];
  private head = 0;
  private readonly heap: Heap<T>;

  constructor(private readonly less: (x: T, y: T) => boolean) {
    this.heap = new Heap(less);
  }

  get size(): number {
    return this.run.length - this.head + this.heap.size;
  }

  push(v: T): void {
    const n = this.run.length;
    if (n === this.head || !this.less(v, this.run[n - 1]!)) this.run.push(v);
    else this.heap.push(v);
  }

  peek(): T | undefined {
    const a = this.head < this.run.length ? this.run[this.head] : undefined;
    const b = this.heap.peek();
    if (a === undefined) return b;
    if (b === undefined) return a;
    return this.less(b, a) ? b : a;
  }

  pop(): T | undefined {
    const a = this.head < this.run.length ? this.run[this.head] : undefined;
    const b = this.heap.peek();
    if (a === undefined || (b !== undefined && this.less(b, a))) return this.heap.pop();
    this.run[this.head++] = undefined as T; // let it be collected
    if (this.head === this.run.length) {
      this.run = [];
      this.head = 0;
    } else if (this.head >= 4096 && this.head * 2 >= this.run.length) {
      this.run = this.run.slice(this.head);
      this.head = 0;
    }
    return a;
  }

  /** Keep only entries passing `keep` (order preserved; used to drop stale entries in bulk). */
  filter(keep: (v: T) => boolean): void {
    this.run = this.run.slice(this.head).filter(keep);
    this.head = 0;
    this.heap.filter(keep);
  }

  clear(): void {
    this.run = [];
    this.head = 0;
    this.heap.clear();
  }
}
