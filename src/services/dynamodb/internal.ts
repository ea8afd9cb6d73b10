/**
 * What the rest of gureum may use of DynamoDB: the stream reader (the DynamoDB Streams API and,
 * later, Lambda event source mappings read table streams through it).
 *
 *   const reader = await dynamoStreamReader(rt, scope);   // creates the DynamoDB instance if needed
 *   reader.streams(scope, tableName?)                    // StreamMeta[] (oldest first)
 *   reader.stream(scope, arn)                            // StreamMeta | undefined
 *   reader.records(arn)                                  // StoredRecord[] in sequence order
 *   reader.indexFrom(arn, seq)                           // position of the first record ≥ seq
 *   StreamStore.wire(meta, record)                       // the record as GetRecords returns it
 */
import type { Scope, Store } from '../../state/store.js';
import type { ServiceRuntime } from '../service.js';
import type { DynamoState } from './state.js';
import { RETENTION_MS, StreamStore, type StoredRecord, type StreamMeta } from './domain/streams.js';

export { RETENTION_MS, StreamStore, type StoredRecord, type StreamMeta };

const states = new WeakMap<Store, DynamoState>();

export function register(store: Store, state: DynamoState | undefined): void {
  if (state) states.set(store, state);
  else states.delete(store);
}

export interface StreamReader {
  streams(scope: Scope, tableName?: string): StreamMeta[];
  stream(scope: Scope, arn: string): StreamMeta | undefined;
  records(arn: string): readonly StoredRecord[];
  indexFrom(arn: string, seq: bigint): number;
}

function readerOf(state: DynamoState): StreamReader {
  const s = state.streams;
  return {
    streams: (scope, tableName) => s.all(scope).filter((m) => tableName === undefined || m.table === tableName),
    stream: (scope, arn) => s.get(scope, arn),
    records: (arn) => s.recordsOf(arn),
    indexFrom: (arn, seq) => s.indexFrom(arn, seq),
  };
}

/** The stream reader of the runtime `rt` belongs to (the DynamoDB service is created on first use). */
export async function dynamoStreamReader(rt: ServiceRuntime, scope: Scope): Promise<StreamReader> {
  let state = states.get(rt.store);
  if (!state) {
    await rt.call('dynamodb', 'ListTables', { Limit: 1 }, scope);
    state = states.get(rt.store);
    if (!state) throw new Error('dynamodb did not start');
  }
  return readerOf(state);
}
