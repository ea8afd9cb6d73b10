/** Publish and PublishBatch: validation, FIFO sequencing and deduplication, then delivery. */
import { createHash, randomUUID } from 'node:crypto';
import { AwsError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { SnsState, TopicRecord } from '../state.js';
import type { Delivery, Notification } from '../delivery.js';
import { invalidParameter, invalidParameterValue, parseTopicArn } from '../domain/errors.js';
import { resolveTopic } from './topics.js';

const MAX_SIZE = 262_144;
const DEDUP_WINDOW_MS = 5 * 60_000;
const E164 = /^\+?[1-9]\d{1,14}$/;
const ATTR_NAME = /^[A-Za-z0-9_.-]+$/;
const ATTR_TYPE = /^(String|Number|Binary)(\..+)?$/;
const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
const GROUP_ID = /^[\x21-\x7e]{1,128}$/;
/** Attribute names SNS itself defines (SMS sender id / type / price, mobile push headers, …). */
const SNS_ATTRIBUTE = /^AWS\.(SNS\.SMS|MM\.SMS|SNS\.MOBILE)\.[A-Za-z0-9_.-]+$/;

type Entry = Omit<T.PublishInput, 'TopicArn' | 'TargetArn' | 'PhoneNumber'>;

function validateAttributes(attrs: Record<string, T.MessageAttributeValue> | undefined): number {
  let size = 0;
  for (const [name, a] of Object.entries(attrs ?? {})) {
    if (name.length > 256) throw invalidParameterValue('Length of message attribute name must be less than 256 bytes.');
    if (!ATTR_NAME.test(name) || name.startsWith('.') || name.endsWith('.') || name.includes('..') || (/^(aws\.|amazon\.)/i.test(name) && !SNS_ATTRIBUTE.test(name))) {
      throw invalidParameterValue(`Invalid message attribute name: ${name}. Can only include alphanumeric characters, hyphens, underscores, or dots, and must not start with AWS. or Amazon.`);
    }
    const type = a.DataType;
    if (!type) throw new AwsError('ValidationError', `1 validation error detected: Value null at 'messageAttributes.${name}.member.dataType' failed to satisfy constraint: Member must not be null`, 400);
    if (!ATTR_TYPE.test(type)) throw invalidParameterValue(`The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`);
    const binary = type.startsWith('Binary');
    const value = binary ? a.BinaryValue : a.StringValue;
    if (value === undefined || value === null || (binary ? (value as Uint8Array).length === 0 : value === '')) {
      if ((binary ? a.StringValue : a.BinaryValue) !== undefined) throw invalidParameterValue(`The message attribute '${name}' with type '${type}' must use field '${binary ? 'Binary' : 'String'}'.`);
      throw invalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`);
    }
    if (type.startsWith('Number') && !/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(String(value).trim())) {
      throw invalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === 'String.Array') {
      let ok = false;
      try {
        ok = Array.isArray(JSON.parse(String(value)));
      } catch { /* not JSON */ }
      if (!ok) throw invalidParameter(`Invalid parameter: Message attribute '${name}' is not a valid String.Array`);
    }
    size += Buffer.byteLength(name) + Buffer.byteLength(type) + (binary ? (value as Uint8Array).length : Buffer.byteLength(String(value)));
  }
  return size;
}

function validateSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  // ASCII text, no line breaks or control characters, at most 100 characters.
  if (!subject.length || subject.length > 100 || !/^[\x20-\x7e]+$/.test(subject)) throw invalidParameter('Invalid parameter: Subject');
}

/** MessageStructure=json: the per-protocol messages (only string values count); `platform`: a push to one mobile endpoint. */
function structured(message: string, platform?: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(message);
  } catch {
    throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw invalidParameter('Invalid parameter: Message Structure - JSON message body failed to parse');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(doc)) if (typeof v === 'string') out[k] = v;
  if (!('default' in out) && !(platform && platform in out)) throw invalidParameter('Invalid parameter: Message Structure - No default entry in JSON message body');
  return out;
}

export function publishHandlers(state: SnsState, delivery: Delivery): T.SNSHandlers {
  const clock = state.rt.clock;

  /** Validates an entry and builds its notification; `duplicate` when a FIFO dedup id was seen within 5 minutes. */
  function prepare(t: TopicRecord | undefined, e: Entry, ctx: RequestContext, platform?: string): { n: Notification; duplicate: boolean } {
    validateSubject(e.Subject);
    if (!e.Message) throw invalidParameter('Invalid parameter: Empty message');
    const attrSize = validateAttributes(e.MessageAttributes);
    if (Buffer.byteLength(e.Message) + attrSize > MAX_SIZE) throw invalidParameter('Invalid parameter: Message too long');
    if (e.MessageStructure !== undefined && e.MessageStructure !== 'json') throw invalidParameter('Invalid parameter: MessageStructure');
    const perProtocol = e.MessageStructure === 'json' ? structured(e.Message, platform) : undefined;
    const message = perProtocol?.default ?? e.Message;
    if (e.MessageGroupId !== undefined && !GROUP_ID.test(e.MessageGroupId)) throw invalidParameter('Invalid parameter: MessageGroupId Reason: MessageGroupId must be between 1 and 128 characters long and contain only alphanumeric characters and punctuation');
    const now = clock.now();
    const n: Notification = {
      topic: t!, messageId: randomUUID(), message, perProtocol, subject: e.Subject, attributes: e.MessageAttributes,
      timestamp: new Date(now).toISOString(), baseUrl: ctx.baseUrl,
    };
    if (t?.fifo) {
      if (!e.MessageGroupId) throw invalidParameter('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
      let dedupId = e.MessageDeduplicationId;
      if (!dedupId) {
        if (t.attributes.ContentBasedDeduplication !== 'true') throw invalidParameter('Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
        dedupId = createHash('sha256').update(e.Message).digest('hex');
      }
      if (!GROUP_ID.test(dedupId)) throw invalidParameter('Invalid parameter: MessageDeduplicationId Reason: MessageDeduplicationId must be between 1 and 128 characters long');
      let window = state.dedup.get(t.arn);
      if (!window) state.dedup.set(t.arn, (window = new Map()));
      const key = t.attributes.FifoThroughputScope === 'MessageGroup' ? `${e.MessageGroupId}\u0000${dedupId}` : dedupId;
      const seen = window.get(key);
      if (seen && seen.until > now) return { n: { ...n, messageId: seen.messageId, sequenceNumber: seen.seq }, duplicate: true };
      if (window.size > 10_000) for (const [k, v] of window) if (v.until <= now) window.delete(k);
      t.seq++;
      state.saveTopic(t);
      n.sequenceNumber = (10n ** 19n + BigInt(t.seq)).toString();
      n.groupId = e.MessageGroupId;
      n.dedupId = dedupId;
      window.set(key, { messageId: n.messageId, seq: n.sequenceNumber, until: now + DEDUP_WINDOW_MS });
    } else if (e.MessageDeduplicationId !== undefined) {
      throw invalidParameter('Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    }
    return { n, duplicate: false };
  }

  return {
    async Publish(input, ctx) {
      state.requestLog ??= ctx.runtime?.requestLog;
      const targets = [input.TopicArn, input.TargetArn, input.PhoneNumber].filter((x) => x !== undefined && x !== '');
      if (!targets.length) throw invalidParameter('Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
      if (targets.length > 1) throw invalidParameter('Invalid parameter: TopicArn Reason: Only one of TopicArn, TargetArn or PhoneNumber may be specified');
      if (input.PhoneNumber !== undefined) {
        if (!E164.test(input.PhoneNumber)) throw invalidParameter(`Invalid parameter: PhoneNumber Reason: ${input.PhoneNumber} is not valid to publish to`);
        const { n } = prepare(undefined, input, ctx);
        const optedOut = state.optedOut.has(scopeOf(ctx), input.PhoneNumber);
        if (!optedOut) delivery.sms(input.PhoneNumber, n.perProtocol?.sms ?? n.message, n.messageId, input.MessageAttributes);
        return { MessageId: n.messageId };
      }
      const arn = (input.TopicArn ?? input.TargetArn)!;
      if (input.TargetArn !== undefined && /:endpoint\//.test(input.TargetArn)) {
        // A push to one mobile endpoint.
        const ref = parseArn(input.TargetArn);
        const e = ref && state.endpoints.get({ account: ref.account, region: ref.region }, input.TargetArn);
        if (!e) throw invalidParameter('Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified');
        if (e.attributes.Enabled === 'false') throw new AwsError('EndpointDisabledException', 'Endpoint is disabled', 400);
        const platform = e.arn.split(':')[5]!.split('/')[1]!;
        const { n } = prepare(undefined, input, ctx, platform);
        delivery.push(e, { messageId: n.messageId, message: n.message, perProtocol: n.perProtocol, subject: n.subject, attributes: input.MessageAttributes });
        return { MessageId: n.messageId };
      }
      parseTopicArn(arn, input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
      const t = resolveTopic(state, arn, input.TopicArn !== undefined ? 'TopicArn' : 'TargetArn');
      const { n, duplicate } = prepare(t, input, ctx);
      if (!duplicate) await delivery.publish(n);
      return { MessageId: n.messageId, ...(n.sequenceNumber ? { SequenceNumber: n.sequenceNumber } : {}) };
    },

    async PublishBatch(input, ctx) {
      state.requestLog ??= ctx.runtime?.requestLog;
      const t = resolveTopic(state, input.TopicArn);
      const entries = input.PublishBatchRequestEntries ?? [];
      if (!entries.length) throw new AwsError('EmptyBatchRequestException', 'The batch request doesn\'t contain any entries', 400);
      if (entries.length > 10) throw new AwsError('TooManyEntriesInBatchRequestException', 'The batch request contains more entries than permissible.', 400);
      const ids = new Set<string>();
      let total = 0;
      for (const e of entries) {
        if (!BATCH_ID.test(e.Id ?? '')) throw new AwsError('InvalidBatchEntryIdException', 'The Id of a batch entry in a batch request doesn\'t abide by the specification.', 400);
        if (ids.has(e.Id)) throw new AwsError('BatchEntryIdsNotDistinctException', 'Two or more batch entries in the request have the same Id.', 400);
        ids.add(e.Id);
        total += Buffer.byteLength(e.Message ?? '');
      }
      if (total > MAX_SIZE) throw new AwsError('BatchRequestTooLongException', 'The length of all the messages put together is more than the limit.', 400);
      if (t.fifo && entries.some((e) => !e.MessageGroupId)) throw invalidParameter('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
      const out: T.PublishBatchResponse = { Successful: [], Failed: [] };
      for (const e of entries) {
        try {
          const { n, duplicate } = prepare(t, e, ctx);
          if (!duplicate) await delivery.publish(n);
          out.Successful!.push({ Id: e.Id, MessageId: n.messageId, ...(n.sequenceNumber ? { SequenceNumber: n.sequenceNumber } : {}) });
        } catch (err) {
          if (!(err instanceof AwsError)) throw err;
          const code = err.code === 'InvalidParameterException' ? 'InvalidParameter' : err.code === 'InvalidParameterValueException' ? 'ParameterValueInvalid' : err.code;
          out.Failed!.push({ Id: e.Id, Code: code, Message: err.message, SenderFault: err.sender });
        }
      }
      return out;
    },
  };
}
