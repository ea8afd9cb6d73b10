/** The tables of the Logs service and the few operations that span them. */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import { batchKey, streamKey, type EventBatch, type LogGroupRecord, type LogStreamRecord, type StoredEvent } from './domain/model.js';
import { compareEvents } from './domain/events.js';

export class LogsState {
  readonly groups: Table<LogGroupRecord>;
  readonly streams: Table<LogStreamRecord>;
  readonly batches: Table<EventBatch>;
  /** sorted events per stream, rebuilt when the stream's sequence moves on */
  private readonly sorted = new Map<string, { seq: number; events: StoredEvent[] }>();

  constructor(rt: ServiceRuntime) {
    this.groups = rt.table('groups');
    this.streams = rt.table('streams');
    this.batches = rt.table('batches');
  }

  stream(scope: Scope, group: string, stream: string): LogStreamRecord | undefined {
    return this.streams.get(scope, streamKey(group, stream));
  }

  /** All events of a stream in (timestamp, ingestion) order. */
  events(scope: Scope, st: LogStreamRecord): StoredEvent[] {
    const key = `${scope.account}/${scope.region}/${streamKey(st.logGroupName, st.logStreamName)}`;
    const cached = this.sorted.get(key);
    if (cached && cached.seq === st.seq) return cached.events;
    const events: StoredEvent[] = [];
    for (const id of st.batches) events.push(...(this.batches.get(scope, batchKey(st.logGroupName, st.logStreamName, id))?.events ?? []));
    events.sort(compareEvents);
    this.sorted.set(key, { seq: st.seq, events });
    return events;
  }

  dropStream(scope: Scope, st: LogStreamRecord): void {
    for (const id of st.batches) this.batches.delete(scope, batchKey(st.logGroupName, st.logStreamName, id));
    this.streams.delete(scope, streamKey(st.logGroupName, st.logStreamName));
    this.sorted.delete(`${scope.account}/${scope.region}/${streamKey(st.logGroupName, st.logStreamName)}`);
  }
}
