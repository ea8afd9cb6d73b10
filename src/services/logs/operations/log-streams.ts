/** Log streams: CreateLogStream, DescribeLogStreams, DeleteLogStream. */
import type { DescribeLogStreamsRequest, DescribeLogStreamsResponse, LogStream } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import type { LogsState } from '../state.js';
import { constraint, groupNotFound, invalidParameter, streamNotFound } from '../domain/errors.js';
import { checkLimit, checkStreamName, decodeNameToken, encodeNameToken, groupNameOf, logStreamArn, streamKey, type LogStreamRecord } from '../domain/model.js';

export function createLogStream(s: LogsState, scope: Scope, group: string, name: string, now: number): void {
  checkStreamName(name);
  if (!s.groups.has(scope, group)) throw groupNotFound();
  if (s.stream(scope, group, name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log stream already exists', 400);
  s.streams.put(scope, streamKey(group, name), { logGroupName: group, logStreamName: name, creationTime: now, batches: [], seq: 0, puts: 0 });
}

export function describeLogStreams(s: LogsState, scope: Scope, input: DescribeLogStreamsRequest): DescribeLogStreamsResponse {
  const group = groupOf(input);
  checkLimit(input.limit, 50);
  const orderBy = input.orderBy ?? 'LogStreamName';
  if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') throw constraint(orderBy, 'orderBy', 'Member must satisfy enum value set: [LogStreamName, LastEventTime]');
  if (orderBy === 'LastEventTime' && input.logStreamNamePrefix !== undefined) throw invalidParameter('Cannot order by LastEventTime with a logStreamNamePrefix.');
  if (!s.groups.has(scope, group)) throw groupNotFound();

  const byName = (a: LogStreamRecord, b: LogStreamRecord) => (a.logStreamName < b.logStreamName ? -1 : a.logStreamName > b.logStreamName ? 1 : 0);
  const byTime = (a: LogStreamRecord, b: LogStreamRecord) => (a.lastEventTimestamp ?? 0) - (b.lastEventTimestamp ?? 0) || byName(a, b);
  const cmp = orderBy === 'LastEventTime' ? byTime : byName;
  const sorted = [...s.streams.values(scope)]
    .filter((st) => st.logGroupName === group && (input.logStreamNamePrefix === undefined || st.logStreamName.startsWith(input.logStreamNamePrefix)))
    .sort((a, b) => (input.descending ? -cmp(a, b) : cmp(a, b)));
  // The token names the last stream of the previous page; the next page starts after it.
  let from = 0;
  if (input.nextToken !== undefined) {
    const last = decodeNameToken(input.nextToken);
    from = sorted.findIndex((st) => st.logStreamName === last) + 1;
    if (from === 0) throw invalidParameter('The specified nextToken is invalid.');
  }
  const limit = input.limit ?? 50;
  const page = sorted.slice(from, from + limit);
  const out: DescribeLogStreamsResponse = { logStreams: page.map((st) => describe(scope, st)) };
  if (from + limit < sorted.length) out.nextToken = encodeNameToken(page[page.length - 1]!.logStreamName);
  return out;
}

function describe(scope: Scope, st: LogStreamRecord): LogStream {
  return {
    logStreamName: st.logStreamName,
    creationTime: st.creationTime,
    firstEventTimestamp: st.firstEventTimestamp,
    lastEventTimestamp: st.lastEventTimestamp,
    lastIngestionTime: st.lastIngestionTime,
    uploadSequenceToken: sequenceToken(st.puts),
    arn: logStreamArn(scope, st.logGroupName, st.logStreamName),
    storedBytes: 0, // AWS stopped reporting per-stream bytes in 2019: always 0
  };
}

export function deleteLogStream(s: LogsState, scope: Scope, group: string, name: string): void {
  if (!s.groups.has(scope, group)) throw groupNotFound();
  const st = s.stream(scope, group, name);
  if (!st) throw streamNotFound();
  s.dropStream(scope, st);
}

/** logGroupName or logGroupIdentifier (name or ARN), exactly one. */
export function groupOf(input: { logGroupName?: string; logGroupIdentifier?: string }): string {
  if (input.logGroupName !== undefined && input.logGroupIdentifier !== undefined) {
    throw invalidParameter('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  const g = input.logGroupName ?? (input.logGroupIdentifier === undefined ? undefined : groupNameOf(input.logGroupIdentifier));
  if (g === undefined) throw invalidParameter('Either logGroupName or logGroupIdentifier must be specified.');
  return g;
}

/** A long decimal string like AWS's upload sequence tokens. */
export const sequenceToken = (n: number) => `4963${String(n + 1).padStart(52, '0')}`;
