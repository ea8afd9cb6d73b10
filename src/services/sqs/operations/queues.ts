/** Queue lifecycle: CreateQueue, GetQueueUrl, ListQueues, DeleteQueue, attributes, tags, purge. */
import { AwsError } from '../../../core/errors.js';
import { arn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type { SQSHandlers } from '../generated/types.js';
import type { SqsState } from '../state.js';
import { queueDoesNotExist, queueUrl, validateQueueName } from '../domain/names.js';
import { effectiveAttribute, READ_ONLY_ATTRIBUTES, validateAttributes, validateRedriveAllowPolicy, validateRedrivePolicy } from '../domain/attributes.js';
import type { QueueState } from '../domain/queue.js';
import { checkRange, invalidParameter, resolveQueue } from './common.js';

const PURGE_INTERVAL_MS = 60_000;
/** A deleted queue's name can be used again after 60 s (QueueDeletedRecently). */
const DELETE_COOLDOWN_MS = 60_000;

export function queueHandlers(state: SqsState): SQSHandlers {
  const clock = state.rt.clock;
  const lastPurge = new WeakMap<QueueState, number>();

  return {
    CreateQueue(input, ctx) {
      const scope = scopeOf(ctx);
      const name = input.QueueName;
      const attrs = input.Attributes ?? {};
      const fifoAttr = Object.entries(attrs).find(([k]) => k === 'FifoQueue')?.[1];
      const fifo = String(fifoAttr ?? '').toLowerCase() === 'true';
      validateQueueName(name, fifo);
      const clean = validateAttributes(attrs, fifo, true);
      checkTags(input.tags);
      const existing = state.get(scope, name);
      if (existing) {
        // Idempotent when every given attribute has the value the queue already has.
        for (const [k, v] of Object.entries(clean)) {
          if (effectiveAttribute(existing.rec.attributes, k) !== v) {
            throw new AwsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${k}`, 400);
          }
        }
        return { QueueUrl: queueUrl(ctx.baseUrl, scope.account, name) };
      }
      const now = clock.now();
      const deleted = state.deletedQueues.get(scope, name);
      if (deleted && now - deleted.at < DELETE_COOLDOWN_MS) {
        throw new AwsError('QueueDeletedRecently', 'You must wait 60 seconds after deleting a queue before you can create another queue with the same name.', 400);
      }
      if (deleted) state.deletedQueues.delete(scope, name);
      const queueArn = arn('sqs', scope.region, scope.account, name);
      if (clean.RedrivePolicy) checkDeadLetterTarget(state, clean.RedrivePolicy, fifo, queueArn);
      state.createQueue(scope, {
        name,
        account: scope.account,
        region: scope.region,
        arn: queueArn,
        fifo,
        attributes: clean,
        tags: { ...(input.tags ?? {}) },
        createdAt: now,
        modifiedAt: now,
      });
      return { QueueUrl: queueUrl(ctx.baseUrl, scope.account, name) };
    },

    GetQueueUrl(input, ctx) {
      const scope = { ...scopeOf(ctx), account: input.QueueOwnerAWSAccountId || ctx.accountId };
      if (!state.get(scope, input.QueueName)) throw queueDoesNotExist();
      return { QueueUrl: queueUrl(ctx.baseUrl, scope.account, input.QueueName) };
    },

    ListQueues(input, ctx) {
      const scope = scopeOf(ctx);
      checkRange('MaxResults', input.MaxResults, 1, 1000, 'MaxResults must be an integer between 1 and 1000.');
      const prefix = input.QueueNamePrefix ?? '';
      let after = '';
      if (input.NextToken) {
        try {
          const t = JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as { after?: unknown };
          if (typeof t.after !== 'string') throw new Error('bad token');
          after = t.after;
        } catch {
          throw invalidParameter('Invalid NextToken value.');
        }
      }
      const names = state.list(scope).map((q) => q.rec.name).filter((n) => n.startsWith(prefix) && n > after).sort();
      const limit = input.MaxResults ?? 1000;
      const page = names.slice(0, limit);
      const out: { QueueUrls?: string[]; NextToken?: string } = {};
      if (page.length) out.QueueUrls = page.map((n) => queueUrl(ctx.baseUrl, scope.account, n));
      // Only paginated requests get a NextToken (as on AWS).
      if (input.MaxResults !== undefined && names.length > limit) out.NextToken = Buffer.from(JSON.stringify({ after: page[page.length - 1] })).toString('base64');
      return out;
    },

    DeleteQueue(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      state.deleteQueue(scope, q);
    },

    GetQueueAttributes(input, ctx) {
      const { q } = resolveQueue(state, ctx, input.QueueUrl);
      const wanted = input.AttributeNames ?? [];
      const all = wanted.includes('All');
      const values = queueAttributes(q, clock.now());
      const out: Record<string, string> = {};
      for (const n of all ? Object.keys(values) : wanted) {
        if (!(n in values)) {
          if (knownAttribute(n)) continue; // a valid name without a value (e.g. Policy unset)
          throw new AwsError('InvalidAttributeName', `Unknown Attribute ${n}.`, 400);
        }
        out[n] = values[n]!;
      }
      return Object.keys(out).length ? { Attributes: out } : {};
    },

    SetQueueAttributes(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      const clean = validateAttributes(input.Attributes ?? {}, q.rec.fifo, false);
      if (clean.RedrivePolicy) checkDeadLetterTarget(state, clean.RedrivePolicy, q.rec.fifo, q.rec.arn);
      const attributes = { ...q.rec.attributes };
      for (const [k, v] of Object.entries(clean)) {
        if (v === '' && (k === 'RedrivePolicy' || k === 'Policy' || k === 'RedriveAllowPolicy' || k === 'KmsMasterKeyId')) delete attributes[k];
        else attributes[k] = v;
      }
      // One kind of server-side encryption at a time: the one just set replaces the other.
      if (clean.KmsMasterKeyId) attributes.SqsManagedSseEnabled = 'false';
      if (clean.SqsManagedSseEnabled === 'true') {
        delete attributes.KmsMasterKeyId;
        delete attributes.KmsDataKeyReusePeriodSeconds;
      }
      q.rec = { ...q.rec, attributes, modifiedAt: clock.now() };
      state.saveQueue(scope, q);
    },

    PurgeQueue(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      const now = clock.now();
      const last = lastPurge.get(q);
      if (last !== undefined && now - last < PURGE_INTERVAL_MS) {
        throw new AwsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${q.rec.name} is allowed every 60 seconds.`, 403);
      }
      lastPurge.set(q, now);
      for (const m of q.clear()) state.forget(scope, m.rec);
    },

    TagQueue(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      checkTags(input.Tags);
      const tags = { ...q.rec.tags, ...input.Tags };
      if (Object.keys(tags).length > 50) throw new AwsError('InvalidParameterValue', 'Too many tags added for queue ' + q.rec.name + '.', 400);
      q.rec = { ...q.rec, tags };
      state.saveQueue(scope, q);
    },

    UntagQueue(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      const tags = { ...q.rec.tags };
      for (const k of input.TagKeys ?? []) delete tags[k];
      q.rec = { ...q.rec, tags };
      state.saveQueue(scope, q);
    },

    ListQueueTags(input, ctx) {
      const { q } = resolveQueue(state, ctx, input.QueueUrl);
      return Object.keys(q.rec.tags).length ? { Tags: { ...q.rec.tags } } : {};
    },
  };
}

const SETTABLE = ['DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'VisibilityTimeout',
  'Policy', 'RedrivePolicy', 'RedriveAllowPolicy', 'KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'];
const FIFO_ATTRS = ['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit'];

function knownAttribute(n: string): boolean {
  return SETTABLE.includes(n) || FIFO_ATTRS.includes(n) || READ_ONLY_ATTRIBUTES.includes(n);
}

/** Every attribute GetQueueAttributes can show for this queue now. */
function queueAttributes(q: QueueState, now: number): Record<string, string> {
  q.promoteDue(now);
  const a = q.rec.attributes;
  const out: Record<string, string> = {
    QueueArn: q.rec.arn,
    ApproximateNumberOfMessages: String(q.counts.ready),
    ApproximateNumberOfMessagesNotVisible: String(q.counts.inflight),
    ApproximateNumberOfMessagesDelayed: String(q.counts.delayed),
    CreatedTimestamp: String(Math.floor(q.rec.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(q.rec.modifiedAt / 1000)),
  };
  for (const n of SETTABLE) {
    const v = effectiveAttribute(a, n);
    if (v !== undefined) out[n] = v;
  }
  if (q.rec.fifo) {
    out.FifoQueue = 'true';
    out.ContentBasedDeduplication = a.ContentBasedDeduplication ?? 'false';
    out.DeduplicationScope = a.DeduplicationScope ?? 'queue';
    out.FifoThroughputLimit = a.FifoThroughputLimit ?? 'perQueue';
  }
  return out;
}

function checkTags(tags: Record<string, string> | undefined): void {
  if (!tags) return;
  const keys = Object.keys(tags);
  if (keys.length > 50) throw new AwsError('InvalidParameterValue', 'Too many tags added for queue.', 400);
  for (const k of keys) {
    if (!k || k.length > 128) throw new AwsError('InvalidParameterValue', `Tag key must be between 1 and 128 characters: ${k}`, 400);
    if ((tags[k] ?? '').length > 256) throw new AwsError('InvalidParameterValue', `Tag value must be at most 256 characters: ${k}`, 400);
  }
}

/**
 * The dead-letter queue must exist, be of the same type, and its RedriveAllowPolicy must let
 * this source queue use it.
 */
function checkDeadLetterTarget(state: SqsState, policyText: string, fifo: boolean, sourceArn: string): void {
  const p = validateRedrivePolicy(policyText)!;
  const dlq = state.byArn(p.deadLetterTargetArn);
  if (!dlq) throw new AwsError('InvalidParameterValue', `Value ${policyText} for parameter RedrivePolicy is invalid. Reason: Dead-letter target does not exist.`, 400);
  if (dlq.rec.fifo !== fifo) throw new AwsError('InvalidParameterValue', `Value ${policyText} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..`, 400);
  const allow = dlq.rec.attributes.RedriveAllowPolicy ? validateRedriveAllowPolicy(dlq.rec.attributes.RedriveAllowPolicy) : undefined;
  const permitted = !allow || allow.redrivePermission === 'allowAll' || (allow.redrivePermission === 'byQueue' && !!allow.sourceQueueArns?.includes(sourceArn));
  if (!permitted) {
    throw new AwsError('InvalidParameterValue', `Value ${policyText} for parameter RedrivePolicy is invalid. Reason: Queue ${p.deadLetterTargetArn} does not allow ${sourceArn} to use it as a dead-letter queue.`, 400);
  }
}
