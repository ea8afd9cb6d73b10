/** Messages: SendMessage(Batch), ReceiveMessage (with long polling), DeleteMessage(Batch), ChangeMessageVisibility(Batch). */
import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type * as T from '../generated/types.js';
import type { SqsState, Waiter } from '../state.js';
import { intAttribute, validateRedrivePolicy, type RedrivePolicy } from '../domain/attributes.js';
import { md5Hex, md5OfAttributes } from '../domain/md5.js';
import { selectAttributes, validateBody, validateMessageAttributes, validateSystemAttributes } from '../domain/message.js';
import type { Msg, QueueState } from '../domain/queue.js';
import { makeReceipt, parseReceipt } from '../domain/receipt.js';
import { checkBatch, checkRange, failedEntry, invalidParameter, resolveQueue } from './common.js';

const DEDUP_WINDOW_MS = 5 * 60_000;
/** In-flight quotas: about 120,000 per standard queue, 20,000 per FIFO queue. */
const MAX_IN_FLIGHT = 120_000;
const MAX_IN_FLIGHT_FIFO = 20_000;

/** Parsed RedrivePolicy texts (a receive consults the policy every time). */
const redrivePolicies = new Map<string, RedrivePolicy | undefined>();
function redrivePolicy(text: string | undefined): RedrivePolicy | undefined {
  if (!text) return undefined;
  if (!redrivePolicies.has(text)) {
    if (redrivePolicies.size > 1000) redrivePolicies.clear();
    redrivePolicies.set(text, validateRedrivePolicy(text));
  }
  return redrivePolicies.get(text);
}
const SYSTEM_NAMES = new Set(['All', 'SenderId', 'SentTimestamp', 'ApproximateReceiveCount', 'ApproximateFirstReceiveTimestamp',
  'SequenceNumber', 'MessageDeduplicationId', 'MessageGroupId', 'AWSTraceHeader', 'DeadLetterQueueSourceArn']);

type SendEntry = Omit<T.SendMessageRequest, 'QueueUrl'>;

export function messageHandlers(state: SqsState): T.SQSHandlers {
  const clock = state.rt.clock;

  function send(scope: Scope, q: QueueState, e: SendEntry, ctx: RequestContext): T.SendMessageResult {
    const a = q.rec.attributes;
    const attrs = validateMessageAttributes(e.MessageAttributes);
    const sys = validateSystemAttributes(e.MessageSystemAttributes);
    validateBody(e.MessageBody, attrs, intAttribute(a, 'MaximumMessageSize'));
    checkRange('DelaySeconds', e.DelaySeconds, 0, 900, 'DelaySeconds must be >= 0 and <= 900.');
    const now = clock.now();
    let dedupId: string | undefined;
    if (q.rec.fifo) {
      if (!e.MessageGroupId) throw new AwsError('MissingParameter', 'The request must contain the parameter MessageGroupId.', 400);
      if (e.DelaySeconds) throw invalidParameter(`Value ${e.DelaySeconds} for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.`);
      dedupId = e.MessageDeduplicationId;
      if (!dedupId) {
        if (a.ContentBasedDeduplication !== 'true') throw invalidParameter('The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
        dedupId = createHash('sha256').update(e.MessageBody).digest('hex'); // content-based: SHA-256 of the body, as AWS
      }
      const key = a.DeduplicationScope === 'messageGroup' ? `${e.MessageGroupId}\u0000${dedupId}` : dedupId;
      const seen = q.dedup.get(key);
      if (seen && seen.until > now) return sendResult(seen.id, md5Hex(e.MessageBody), md5OfAttributes(attrs), md5OfAttributes(sys), seen.seq);
      if (q.dedup.size > 10_000) for (const [k, v] of q.dedup) if (v.until <= now) q.dedup.delete(k);
    } else if (e.MessageDeduplicationId) {
      throw invalidParameter(`Value ${e.MessageDeduplicationId} for parameter MessageDeduplicationId is invalid. Reason: The request includes a parameter that is not valid for this queue type.`);
    }
    const delay = (e.DelaySeconds ?? intAttribute(a, 'DelaySeconds')) * 1000;
    const seq = q.nextSeq(now);
    const rec = {
      q: q.rec.name,
      id: randomUUID(),
      seq,
      body: e.MessageBody,
      md5: md5Hex(e.MessageBody), // computed once: the record and the answer share it
      ...(attrs ? { attrs, md5Attrs: md5OfAttributes(attrs) } : {}),
      ...(sys ? { sys, md5Sys: md5OfAttributes(sys) } : {}),
      sentAt: now,
      availableAt: now + delay,
      senderId: ctx.accountId,
      ...(e.MessageGroupId ? { groupId: e.MessageGroupId } : {}),
      ...(dedupId ? { dedupId } : {}),
    };
    if (dedupId) {
      const key = a.DeduplicationScope === 'messageGroup' ? `${e.MessageGroupId}\u0000${dedupId}` : dedupId;
      q.dedup.set(key, { until: now + DEDUP_WINDOW_MS, id: rec.id, seq });
    }
    q.add(rec, { visibleAt: rec.availableAt, receives: 0 }, now);
    state.putMessage(scope, rec);
    state.serveWaiters(q);
    return sendResult(rec.id, rec.md5, rec.md5Attrs, rec.md5Sys, q.rec.fifo ? seq : undefined);
  }

  /** Receive now; undefined-free list of wire messages (possibly empty). */
  function receiveNow(scope: Scope, q: QueueState, input: T.ReceiveMessageRequest, max: number, visibilityMs: number): T.Message[] {
    const now = clock.now();
    // In-flight quota: standard queues answer OverLimit, FIFO queues just return nothing.
    const room = (q.rec.fifo ? MAX_IN_FLIGHT_FIFO : MAX_IN_FLIGHT) - q.counts.inflight;
    if (room <= 0) {
      if (q.rec.fifo) return [];
      throw new AwsError('OverLimit', 'Too many messages have been received without being deleted.\nPlease delete your received messages or let them timeout before receiving more.', 403);
    }
    max = Math.min(max, room);
    const policy = redrivePolicy(q.rec.attributes.RedrivePolicy);
    const redrive = policy && ((m: Msg) => {
      if (m.st.receives < policy.maxReceiveCount) return false;
      const dlq = state.byArn(policy.deadLetterTargetArn);
      if (!dlq) return false;
      state.removeMessage(q, m);
      // Into a FIFO dead-letter queue the message's id replaces its deduplication id (as AWS does),
      // so two messages that shared a deduplication id are both kept.
      state.enqueue(dlq, { ...m.rec, q: dlq.rec.name, seq: dlq.nextSeq(now), availableAt: now, dlqSourceArn: q.rec.arn, ...(dlq.rec.fifo ? { dedupId: m.rec.id } : {}) });
      return true;
    });
    const got = q.receive({ max, visibilityMs, now, redrive }, intAttribute(q.rec.attributes, 'MessageRetentionPeriod') * 1000,
      (m) => state.forget(scope, m.rec),
      (m) => state.putState(scope, m));
    return got.map((m) => toWire(q, m, input));
  }

  return {
    SendMessage(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      return send(scope, q, input, ctx);
    },

    SendMessageBatch(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'SendMessageBatchRequestEntry');
      const total = input.Entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ''), 0);
      const max = intAttribute(q.rec.attributes, 'MaximumMessageSize');
      if (total > max) throw new AwsError('BatchRequestTooLong', `Batch requests cannot be longer than ${max} bytes. You have sent ${total} bytes.`, 400);
      const out: T.SendMessageBatchResult = { Successful: [], Failed: [] };
      for (const e of input.Entries) {
        try {
          const r = send(scope, q, e, ctx);
          out.Successful.push({ Id: e.Id, MessageId: r.MessageId!, MD5OfMessageBody: r.MD5OfMessageBody!, MD5OfMessageAttributes: r.MD5OfMessageAttributes, MD5OfMessageSystemAttributes: r.MD5OfMessageSystemAttributes, SequenceNumber: r.SequenceNumber });
        } catch (err) {
          out.Failed.push(failedEntry(e.Id, err));
        }
      }
      return out;
    },

    ReceiveMessage(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      const max = input.MaxNumberOfMessages ?? 1;
      checkRange('MaxNumberOfMessages', input.MaxNumberOfMessages, 1, 10);
      checkRange('VisibilityTimeout', input.VisibilityTimeout, 0, 43200);
      checkRange('WaitTimeSeconds', input.WaitTimeSeconds, 0, 20, 'Must be >= 0 and <= 20, if provided.');
      for (const n of [...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]) {
        if (!SYSTEM_NAMES.has(n) && !/^[A-Z][A-Za-z]+$/.test(n)) throw new AwsError('InvalidAttributeName', `Unknown Attribute ${n}.`, 400);
      }
      const visibilityMs = (input.VisibilityTimeout ?? intAttribute(q.rec.attributes, 'VisibilityTimeout')) * 1000;
      const wait = input.WaitTimeSeconds ?? intAttribute(q.rec.attributes, 'ReceiveMessageWaitTimeSeconds');
      const first = receiveNow(scope, q, input, max, visibilityMs);
      if (first.length || wait === 0) return first.length ? { Messages: first } : {};

      // Long poll: park on the queue; a send (or a message becoming visible) serves it, the
      // virtual clock ends it after WaitTimeSeconds.
      return new Promise<T.ReceiveMessageResult>((resolve, reject) => {
        const finish = (msgs: T.Message[]) => {
          if (w.done) return;
          w.done = true;
          timer.cancel();
          resolve(msgs.length ? { Messages: msgs } : {});
        };
        const w: Waiter = {
          done: false,
          tryServe() {
            let msgs: T.Message[];
            try {
              msgs = receiveNow(scope, q, input, max, visibilityMs);
            } catch (e) {
              // e.g. OverLimit: this receiver's error, not the sender's that woke it
              w.done = true;
              timer.cancel();
              reject(e);
              return true;
            }
            if (!msgs.length) return false;
            finish(msgs);
            return true;
          },
          expire: () => finish([]),
        };
        const timer = clock.after(wait * 1000, () => {
          state.unpark(q, w);
          finish([]);
        });
        // A client that hangs up must not swallow messages it will never see.
        ctx.res?.once('close', () => {
          if (w.done) return;
          state.unpark(q, w);
          finish([]);
        });
        state.park(q, w);
      });
    },

    DeleteMessage(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      deleteOne(scope, q, input.ReceiptHandle);
    },

    DeleteMessageBatch(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'DeleteMessageBatchRequestEntry');
      const out: T.DeleteMessageBatchResult = { Successful: [], Failed: [] };
      for (const e of input.Entries) {
        try {
          deleteOne(scope, q, e.ReceiptHandle);
          out.Successful.push({ Id: e.Id });
        } catch (err) {
          out.Failed.push(failedEntry(e.Id, err));
        }
      }
      return out;
    },

    ChangeMessageVisibility(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      changeVisibility(scope, q, input.ReceiptHandle, input.VisibilityTimeout);
    },

    ChangeMessageVisibilityBatch(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      checkBatch(input.Entries, 'ChangeMessageVisibilityBatchRequestEntry');
      const out: T.ChangeMessageVisibilityBatchResult = { Successful: [], Failed: [] };
      for (const e of input.Entries) {
        try {
          changeVisibility(scope, q, e.ReceiptHandle, e.VisibilityTimeout ?? 0);
          out.Successful.push({ Id: e.Id });
        } catch (err) {
          out.Failed.push(failedEntry(e.Id, err));
        }
      }
      return out;
    },
  };

  /**
   * A garbage handle fails; a well-formed one for a message already gone succeeds, as on AWS.
   * FIFO queues refuse a handle whose visibility timeout has run out.
   */
  function deleteOne(scope: Scope, q: QueueState, handle: string): void {
    const r = parseReceipt(handle);
    const m = q.byId.get(r.messageId);
    if (!m || r.receive > m.st.receives) return;
    if (q.rec.fifo) {
      q.promoteDue(clock.now());
      if (m.where !== 'inflight' || r.receive !== m.st.receives) throw invalidParameter(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`);
    }
    q.remove(m);
    state.forget(scope, m.rec);
  }

  function changeVisibility(scope: Scope, q: QueueState, handle: string, seconds: number): void {
    const r = parseReceipt(handle);
    checkRange('VisibilityTimeout', seconds, 0, 43200);
    const now = clock.now();
    q.promoteDue(now);
    const m = q.byId.get(r.messageId);
    if (!m || m.where !== 'inflight' || r.receive > m.st.receives) {
      throw invalidParameter(`Value ${handle} for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change.`);
    }
    q.setVisibility(m, now + seconds * 1000, now);
    state.putState(scope, m);
    if (seconds === 0) state.serveWaiters(q);
  }
}

function sendResult(id: string, md5Body: string, md5Attrs: string | undefined, md5Sys: string | undefined, seq: number | undefined): T.SendMessageResult {
  const out: T.SendMessageResult = { MessageId: id, MD5OfMessageBody: md5Body };
  if (md5Attrs !== undefined) out.MD5OfMessageAttributes = md5Attrs;
  if (md5Sys !== undefined) out.MD5OfMessageSystemAttributes = md5Sys;
  if (seq !== undefined) out.SequenceNumber = String(seq).padStart(20, '0');
  return out;
}

/** The message as ReceiveMessage returns it, with the attributes the request asked for. */
function toWire(q: QueueState, m: Msg, input: T.ReceiveMessageRequest): T.Message {
  const r = m.rec;
  const out: T.Message = { MessageId: r.id, ReceiptHandle: makeReceipt(r.id, m.st.receives), MD5OfBody: r.md5, Body: r.body };
  const names = new Set([...(input.AttributeNames ?? []), ...(input.MessageSystemAttributeNames ?? [])]);
  if (names.size) {
    const all = names.has('All');
    const want = (n: string) => all || names.has(n);
    const sys: Record<string, string> = {};
    if (want('SenderId')) sys.SenderId = r.senderId;
    if (want('SentTimestamp')) sys.SentTimestamp = String(r.sentAt);
    if (want('ApproximateReceiveCount')) sys.ApproximateReceiveCount = String(m.st.receives);
    if (want('ApproximateFirstReceiveTimestamp')) sys.ApproximateFirstReceiveTimestamp = String(m.st.firstReceiveAt ?? r.sentAt);
    if (want('AWSTraceHeader') && r.sys?.AWSTraceHeader?.StringValue !== undefined) sys.AWSTraceHeader = r.sys.AWSTraceHeader.StringValue;
    if (want('DeadLetterQueueSourceArn') && r.dlqSourceArn) sys.DeadLetterQueueSourceArn = r.dlqSourceArn;
    if (q.rec.fifo) {
      if (want('SequenceNumber')) sys.SequenceNumber = String(r.seq).padStart(20, '0');
      if (want('MessageDeduplicationId') && r.dedupId) sys.MessageDeduplicationId = r.dedupId;
      if (want('MessageGroupId') && r.groupId) sys.MessageGroupId = r.groupId;
    }
    if (Object.keys(sys).length) out.Attributes = sys;
  }
  const attrs = selectAttributes(r.attrs, input.MessageAttributeNames);
  if (attrs) {
    out.MessageAttributes = attrs;
    out.MD5OfMessageAttributes = md5OfAttributes(attrs);
  }
  return out;
}
