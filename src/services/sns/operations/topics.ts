/** Topics: CreateTopic, DeleteTopic, ListTopics, Get/SetTopicAttributes, tags, permissions, data protection. */
import { AwsError } from '../../../core/errors.js';
import { arn as makeArn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import type { SnsState, Tag, TopicRecord } from '../state.js';
import { defaultTopicPolicy, effectiveTopicDeliveryPolicy, validateTopicAttribute } from '../domain/attributes.js';
import { invalidParameter, parseTopicArn, topicNotFound } from '../domain/errors.js';
import { page } from './paging.js';

const NAME = /^[A-Za-z0-9_-]{1,256}$/;
const FIFO_NAME = /^[A-Za-z0-9_-]{1,251}\.fifo$/;
const MAX_TOPICS = 100_000;
const MAX_FIFO_TOPICS = 1_000;
const ACTIONS = new Set(['GetTopicAttributes', 'SetTopicAttributes', 'AddPermission', 'RemovePermission', 'DeleteTopic', 'Subscribe', 'ListSubscriptionsByTopic', 'Publish', 'Receive']);

export function resolveTopic(state: SnsState, arn: string | undefined, what = 'TopicArn'): TopicRecord {
  const t = state.topic(parseTopicArn(arn, what));
  if (!t) throw topicNotFound();
  return t;
}

/** Every attribute GetTopicAttributes answers. */
export function topicAttributes(state: SnsState, t: TopicRecord): Record<string, string> {
  let confirmed = 0, pending = 0;
  for (const s of state.subscriptionsOf(t)) s.pending ? pending++ : confirmed++;
  const a = t.attributes;
  const out: Record<string, string> = {
    Policy: a.Policy ?? defaultTopicPolicy(t.arn, t.account),
    Owner: t.account,
    SubscriptionsPending: String(pending),
    TopicArn: t.arn,
    EffectiveDeliveryPolicy: effectiveTopicDeliveryPolicy(a.DeliveryPolicy),
    SubscriptionsConfirmed: String(confirmed),
    DisplayName: a.DisplayName ?? '',
    SubscriptionsDeleted: String(t.deleted),
  };
  if (t.fifo) {
    out.FifoTopic = 'true';
    out.ContentBasedDeduplication = a.ContentBasedDeduplication ?? 'false';
    out.FifoThroughputScope = a.FifoThroughputScope ?? 'Topic';
  }
  for (const [k, v] of Object.entries(a)) if (!(k in out) || k === 'DisplayName' || k === 'Policy') out[k] = v;
  return out;
}

function validateTags(tags: Tag[] | undefined): void {
  for (const tag of tags ?? []) {
    if (!tag.Key || tag.Key.length > 128) throw invalidParameter('Invalid parameter: Tags Reason: Tag keys must be between 1 and 128 characters in length');
    if ((tag.Value ?? '').length > 256) throw invalidParameter('Invalid parameter: Tags Reason: Tag values must be between 0 and 256 characters in length');
  }
}

function mergeTags(t: TopicRecord, tags: Tag[]): void {
  const merged = new Map(t.tags.map((x) => [x.Key, x.Value]));
  for (const x of tags) merged.set(x.Key, x.Value ?? '');
  if (merged.size > 50) throw new AwsError('TagLimitExceededException', 'Could not complete request: tag quota of per resource exceeded', 400);
  t.tags = [...merged].map(([Key, Value]) => ({ Key, Value }));
}

function resourceTopic(state: SnsState, arn: string): TopicRecord {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[2] !== 'sns') throw new AwsError('ResourceNotFoundException', 'Resource does not exist', 404);
  const t = state.topic({ account: parts[4]!, region: parts[3]!, name: parts[5]! });
  if (!t) throw new AwsError('ResourceNotFoundException', 'Resource does not exist', 404);
  return t;
}

function validateDataProtectionPolicy(text: string, prefix = 'Invalid parameter: '): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw invalidParameter(`${prefix}DataProtectionPolicy: failed to parse JSON.`);
  }
  const d = doc as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || Array.isArray(d)) throw invalidParameter(`${prefix}DataProtectionPolicy: must be a JSON object`);
  for (const k of ['Name', 'Version', 'Statement']) if (d[k] === undefined) throw invalidParameter(`${prefix}DataProtectionPolicy: ${k} is required`);
  if (!Array.isArray(d.Statement) || !d.Statement.length) throw invalidParameter(`${prefix}DataProtectionPolicy: Statement must be a non-empty array`);
  for (const s of d.Statement as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object') throw invalidParameter(`${prefix}DataProtectionPolicy: Statement must contain objects`);
    for (const k of ['DataDirection', 'Principal', 'DataIdentifier', 'Operation']) if (s[k] === undefined) throw invalidParameter(`${prefix}DataProtectionPolicy: Statement.${k} is required`);
    if (s.DataDirection !== 'Inbound' && s.DataDirection !== 'Outbound') throw invalidParameter(`${prefix}DataProtectionPolicy: Statement.DataDirection must be Inbound or Outbound`);
  }
}

export function topicHandlers(state: SnsState): T.SNSHandlers {
  const clock = state.rt.clock;
  return {
    CreateTopic(input, ctx) {
      const scope = scopeOf(ctx);
      const attrs = { ...(input.Attributes ?? {}) };
      const fifo = (attrs.FifoTopic ?? '').toLowerCase() === 'true';
      if (fifo) {
        if (!FIFO_NAME.test(input.Name)) throw invalidParameter('Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long.');
      } else if (!NAME.test(input.Name)) {
        throw invalidParameter('Invalid parameter: Topic Name');
      }
      delete attrs.FifoTopic;
      for (const [k, v] of Object.entries(attrs)) attrs[k] = validateTopicAttribute(k, v, fifo, true);
      validateTags(input.Tags);
      if (input.DataProtectionPolicy) validateDataProtectionPolicy(input.DataProtectionPolicy);
      const existing = state.topic({ ...scope, name: input.Name });
      if (existing) {
        for (const [k, v] of Object.entries(attrs)) {
          if ((existing.attributes[k] ?? (k === 'ContentBasedDeduplication' ? 'false' : undefined)) !== v) throw invalidParameter('Invalid parameter: Attributes Reason: Topic already exists with different attributes');
        }
        for (const tag of input.Tags ?? []) {
          if (existing.tags.find((x) => x.Key === tag.Key)?.Value !== tag.Value) throw invalidParameter('Invalid parameter: Tags Reason: Topic already exists with different tags');
        }
        return { TopicArn: existing.arn };
      }
      // AWS's quotas: 100,000 standard and 1,000 FIFO topics per account and region.
      let count = 0;
      for (const x of state.topics.values(scope)) if (x.fifo === fifo) count++;
      if (count >= (fifo ? MAX_FIFO_TOPICS : MAX_TOPICS)) throw new AwsError('TopicLimitExceededException', 'Topic limit exceeded', 403);
      const t: TopicRecord = {
        arn: makeArn('sns', scope.region, scope.account, input.Name),
        name: input.Name,
        account: scope.account,
        region: scope.region,
        fifo,
        attributes: attrs,
        tags: [],
        deleted: 0,
        seq: 0,
        createdAt: clock.now(),
        ...(input.DataProtectionPolicy ? { dataProtectionPolicy: input.DataProtectionPolicy } : {}),
      };
      if (input.Tags) mergeTags(t, input.Tags);
      state.saveTopic(t);
      return { TopicArn: t.arn };
    },

    DeleteTopic(input) {
      const ref = parseTopicArn(input.TopicArn);
      const t = state.topic(ref);
      if (t) state.deleteTopic(t); // deleting a topic that does not exist succeeds, as on AWS
    },

    ListTopics(input, ctx) {
      const arns = [...state.topics.values(scopeOf(ctx))].map((t) => t.arn);
      const { items, next } = page(arns, input.NextToken, (x) => x);
      return { Topics: items.map((TopicArn) => ({ TopicArn })), NextToken: next };
    },

    GetTopicAttributes(input) {
      return { Attributes: topicAttributes(state, resolveTopic(state, input.TopicArn)) };
    },

    SetTopicAttributes(input) {
      const t = resolveTopic(state, input.TopicArn);
      if (input.AttributeName === 'FifoTopic') throw invalidParameter('Invalid parameter: AttributeName');
      const value = validateTopicAttribute(input.AttributeName, input.AttributeValue ?? '', t.fifo, false);
      if (input.AttributeName === 'Policy' && !value) delete t.attributes.Policy;
      else t.attributes[input.AttributeName] = value;
      state.saveTopic(t);
    },

    TagResource(input) {
      const t = resourceTopic(state, input.ResourceArn);
      validateTags(input.Tags);
      mergeTags(t, input.Tags);
      state.saveTopic(t);
      return {};
    },

    UntagResource(input) {
      const t = resourceTopic(state, input.ResourceArn);
      const drop = new Set(input.TagKeys);
      t.tags = t.tags.filter((x) => !drop.has(x.Key));
      state.saveTopic(t);
      return {};
    },

    ListTagsForResource(input) {
      return { Tags: resourceTopic(state, input.ResourceArn).tags };
    },

    AddPermission(input) {
      const t = resolveTopic(state, input.TopicArn);
      const policy = JSON.parse(t.attributes.Policy ?? defaultTopicPolicy(t.arn, t.account)) as { Statement: Record<string, unknown>[] };
      if (policy.Statement.some((s) => s.Sid === input.Label)) throw invalidParameter('Invalid parameter: Statement already exists');
      if (input.ActionName.some((a) => !ACTIONS.has(a))) throw invalidParameter('Invalid parameter: Policy statement action out of service scope!');
      const principals = input.AWSAccountId.map((id) => `arn:aws:iam::${id}:root`);
      const actions = input.ActionName.map((a) => `SNS:${a}`);
      policy.Statement.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: principals.length === 1 ? principals[0] : principals },
        Action: actions.length === 1 ? actions[0] : actions,
        Resource: t.arn,
      });
      t.attributes.Policy = JSON.stringify(policy);
      state.saveTopic(t);
    },

    RemovePermission(input) {
      const t = resolveTopic(state, input.TopicArn);
      const policy = JSON.parse(t.attributes.Policy ?? defaultTopicPolicy(t.arn, t.account)) as { Statement: Record<string, unknown>[] };
      policy.Statement = policy.Statement.filter((s) => s.Sid !== input.Label);
      t.attributes.Policy = JSON.stringify(policy);
      state.saveTopic(t);
    },

    GetDataProtectionPolicy(input) {
      const t = resolveTopic(state, input.ResourceArn, 'ResourceArn');
      return { DataProtectionPolicy: t.dataProtectionPolicy ?? '' };
    },

    PutDataProtectionPolicy(input) {
      const t = resolveTopic(state, input.ResourceArn, 'ResourceArn');
      validateDataProtectionPolicy(input.DataProtectionPolicy);
      t.dataProtectionPolicy = input.DataProtectionPolicy;
      state.saveTopic(t);
    },
  };
}
