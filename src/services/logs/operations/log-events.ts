/**
 * PutLogEvents and GetLogEvents. A batch must be chronological and span ≤ 24 h, or it is
 * refused whole; events too old (> 14 days, or beyond the group's retention) or too new
 * (> 2 h ahead) are skipped and reported by index in rejectedLogEventsInfo. Sequence
 * tokens are no longer checked (AWS dropped that in 2023) but one is still returned.
 */
import type { GetLogEventsRequest, GetLogEventsResponse, PutLogEventsRequest, PutLogEventsResponse, RejectedLogEventsInfo } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import type { LogsState } from '../state.js';
import { constraint, groupNotFound, invalidParameter, streamNotFound } from '../domain/errors.js';
import { batchKey, checkLimit, streamKey, type StoredEvent } from '../domain/model.js';
import { page } from '../domain/events.js';
import { groupOf, sequenceToken } from './log-streams.js';

const DAY = 86_400_000;
const MAX_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26; // bytes AWS adds per event when sizing a batch

export function putLogEvents(s: LogsState, scope: Scope, input: PutLogEventsRequest, now: number): PutLogEventsResponse {
  const events = input.logEvents;
  if (events.length < 1) throw constraint('[]', 'logEvents', 'Member must have length greater than or equal to 1');
  if (events.length > MAX_EVENTS) throw constraint('[…]', 'logEvents', `Member must have length less than or equal to ${MAX_EVENTS}`);
  const group = s.groups.get(scope, input.logGroupName);
  if (!group) throw groupNotFound();
  const st = s.stream(scope, input.logGroupName, input.logStreamName);
  if (!st) throw streamNotFound();

  let bytes = 0;
  events.forEach((e, i) => {
    if (e.message.length < 1) throw constraint('', `logEvents.${i + 1}.member.message`, 'Member must have length greater than or equal to 1');
    bytes += Buffer.byteLength(e.message, 'utf8') + EVENT_OVERHEAD;
    if (i > 0 && e.timestamp < events[i - 1]!.timestamp) throw invalidParameter('Log events in a single PutLogEvents request must be in chronological order.');
  });
  if (bytes > MAX_BATCH_BYTES) throw invalidParameter(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
  if (events[events.length - 1]!.timestamp - events[0]!.timestamp > DAY) {
    throw invalidParameter('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
  }

  // Events are chronological, so rejected ones are a prefix (old) and a suffix (new).
  const tooOldEnd = events.findIndex((e) => e.timestamp >= now - 14 * DAY);
  const expiredEnd = group.retentionInDays ? events.findIndex((e) => e.timestamp >= now - group.retentionInDays! * DAY) : 0;
  const tooNewStart = events.findIndex((e) => e.timestamp > now + 2 * 3_600_000);
  const oldEnd = (i: number) => (i < 0 ? events.length : i);
  const rejected: RejectedLogEventsInfo = {};
  if (oldEnd(tooOldEnd) > 0) rejected.tooOldLogEventEndIndex = oldEnd(tooOldEnd);
  if (oldEnd(expiredEnd) > 0) rejected.expiredLogEventEndIndex = oldEnd(expiredEnd);
  if (tooNewStart >= 0) rejected.tooNewLogEventStartIndex = tooNewStart;
  const from = Math.max(oldEnd(tooOldEnd), oldEnd(expiredEnd));
  const to = tooNewStart < 0 ? events.length : tooNewStart;

  const accepted: StoredEvent[] = [];
  let stored = 0;
  for (let i = from; i < to; i++) {
    const e = events[i]!;
    accepted.push({ timestamp: e.timestamp, message: e.message, ingestionTime: now, seq: ++st.seq });
    stored += Buffer.byteLength(e.message, 'utf8');
  }
  st.puts += 1;
  if (accepted.length) {
    const id = st.batches.length ? st.batches[st.batches.length - 1]! + 1 : 1;
    s.batches.put(scope, batchKey(st.logGroupName, st.logStreamName, id), { events: accepted });
    st.batches.push(id);
    const first = accepted[0]!.timestamp;
    const last = accepted[accepted.length - 1]!.timestamp;
    st.firstEventTimestamp = Math.min(st.firstEventTimestamp ?? first, first);
    st.lastEventTimestamp = Math.max(st.lastEventTimestamp ?? last, last);
    st.lastIngestionTime = now;
    group.storedBytes += stored;
    s.groups.put(scope, group.logGroupName, group);
  }
  s.streams.put(scope, streamKey(st.logGroupName, st.logStreamName), st);

  const out: PutLogEventsResponse = { nextSequenceToken: sequenceToken(st.puts) };
  if (Object.keys(rejected).length) out.rejectedLogEventsInfo = rejected;
  return out;
}

export function getLogEvents(s: LogsState, scope: Scope, input: GetLogEventsRequest, now: number): GetLogEventsResponse {
  const groupName = groupOf(input);
  checkLimit(input.limit, 10_000);
  const group = s.groups.get(scope, groupName);
  if (!group) throw groupNotFound();
  const st = s.stream(scope, groupName, input.logStreamName);
  if (!st) throw streamNotFound();
  // Events past the group's retention are gone (AWS removes them within ~72 h; we do at once).
  const keepFrom = group.retentionInDays ? now - group.retentionInDays * DAY : -Infinity;
  const start = Math.max(input.startTime ?? -Infinity, keepFrom);
  const end = input.endTime ?? Infinity;
  const all = s.events(scope, st);
  const inRange = start === -Infinity && end === Infinity ? all : all.filter((e) => e.timestamp >= start && e.timestamp < end);
  const p = page(inRange, { token: input.nextToken, startFromHead: input.startFromHead ?? false, limit: input.limit ?? 10_000 });
  return {
    events: p.events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
    nextForwardToken: p.nextForwardToken,
    nextBackwardToken: p.nextBackwardToken,
  };
}
