/** Subscriptions: Subscribe, Unsubscribe, ConfirmSubscription, List*, Get/SetSubscriptionAttributes. */
import { randomBytes, randomUUID } from 'node:crypto';
import { parseArn } from '../../../core/arn.js';
import { AwsError } from '../../../core/errors.js';
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { scopeOfArn, type SnsState, type SubscriptionRecord, type TopicRecord } from '../state.js';
import type { Delivery } from '../delivery.js';
import { effectiveHttpPolicy, effectiveSubscriptionPolicyJson, validateDeliveryPolicy } from '../domain/attributes.js';
import { invalidParameter, parseSubscriptionArn, parseTopicArn, subscriptionNotFound } from '../domain/errors.js';
import { parseFilterPolicy } from '../domain/filter.js';
import { resolveTopic } from './topics.js';
import { page } from './paging.js';

const PROTOCOLS = new Set(['http', 'https', 'email', 'email-json', 'sms', 'sqs', 'application', 'lambda', 'firehose']);
const ATTRIBUTE_NAMES = new Set(['DeliveryPolicy', 'FilterPolicy', 'FilterPolicyScope', 'RawMessageDelivery', 'RedrivePolicy', 'SubscriptionRoleArn', 'ReplayPolicy']);
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);
const NEEDS_CONFIRMATION = new Set(['http', 'https', 'email', 'email-json']);
const E164 = /^\+?[1-9]\d{1,14}$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function validateEndpoint(t: TopicRecord, protocol: string, endpoint: string | undefined): string {
  if (!PROTOCOLS.has(protocol)) throw invalidParameter(`Invalid parameter: Amazon SNS does not support this protocol string: ${protocol}`);
  if (!endpoint) throw invalidParameter('Invalid parameter: Endpoint Reason: Endpoint is required');
  switch (protocol) {
    case 'http':
    case 'https': {
      let ok = endpoint.toLowerCase().startsWith(`${protocol}://`);
      try {
        new URL(endpoint);
      } catch {
        ok = false;
      }
      if (!ok) throw invalidParameter('Invalid parameter: Endpoint must match the specified protocol');
      break;
    }
    case 'email':
    case 'email-json':
      if (!EMAIL.test(endpoint)) throw invalidParameter('Invalid parameter: Email address');
      break;
    case 'sms':
      if (!E164.test(endpoint.replace(/[\s.()-]/g, ''))) throw invalidParameter(`Invalid SMS endpoint: ${endpoint}`);
      break;
    case 'sqs': {
      const p = parseArn(endpoint);
      if (!p || p.service !== 'sqs' || !/^\d{12}$/.test(p.account) || !p.resource) throw invalidParameter('Invalid parameter: SQS endpoint ARN');
      if (p.resource.endsWith('.fifo') && !t.fifo) throw invalidParameter('Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
      break;
    }
    case 'lambda': {
      const p = parseArn(endpoint);
      if (!p || p.service !== 'lambda' || !/^function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/.test(p.resource)) throw invalidParameter('Invalid parameter: Lambda endpoint ARN');
      break;
    }
    case 'firehose': {
      const p = parseArn(endpoint);
      if (!p || p.service !== 'firehose' || !p.resource.startsWith('deliverystream/')) throw invalidParameter('Invalid parameter: Firehose endpoint ARN');
      break;
    }
    case 'application': {
      const p = parseArn(endpoint);
      if (!p || p.service !== 'sns' || !p.resource.startsWith('endpoint/')) throw invalidParameter('Invalid parameter: ApplicationEndpoint ARN');
      break;
    }
  }
  if (t.fifo && protocol !== 'sqs') throw invalidParameter(`Invalid parameter: Invalid protocol type: ${protocol}`);
  return protocol === 'sms' ? endpoint.replace(/[\s.()-]/g, '') : endpoint;
}

/** Checks one subscription attribute; returns the value to store (undefined: remove it). */
function validateSubscriptionAttribute(name: string, value: string, protocol: string, topicArn: string, attrs: Record<string, string>, subscribing: boolean): string | undefined {
  const prefix = subscribing ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  if (!ATTRIBUTE_NAMES.has(name)) throw invalidParameter(`${prefix}AttributeName`);
  switch (name) {
    case 'RawMessageDelivery': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false') throw invalidParameter(`${prefix}RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (!RAW_PROTOCOLS.has(protocol)) throw invalidParameter(`${prefix}Delivery protocol [${protocol}] does not support raw message delivery.`);
      return v;
    }
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') throw invalidParameter(`${prefix}FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      if (attrs.FilterPolicy) parseFilterPolicy(attrs.FilterPolicy, value, subscribing);
      return value;
    case 'FilterPolicy':
      if (!value) return undefined;
      parseFilterPolicy(value, attrs.FilterPolicyScope ?? 'MessageAttributes', subscribing);
      return value;
    case 'DeliveryPolicy':
      if (protocol !== 'http' && protocol !== 'https') throw invalidParameter(`${prefix}DeliveryPolicy: Delivery policy can only be set for HTTP/S subscriptions`);
      if (!value) return undefined;
      validateDeliveryPolicy(value, prefix, 'subscription');
      return value;
    case 'RedrivePolicy': {
      if (!value) return undefined;
      let target: unknown;
      try {
        target = (JSON.parse(value) as Record<string, unknown>).deadLetterTargetArn;
      } catch {
        throw invalidParameter(`${prefix}RedrivePolicy: failed to parse JSON.`);
      }
      const p = typeof target === 'string' ? parseArn(target) : undefined;
      if (!p) throw invalidParameter(`${prefix}RedrivePolicy: deadLetterTargetArn is an invalid arn`);
      if (topicArn.endsWith('.fifo') && !p.resource.endsWith('.fifo')) throw invalidParameter(`${prefix}RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.`);
      return value;
    }
    case 'SubscriptionRoleArn':
      if (value && !parseArn(value)) throw invalidParameter(`${prefix}SubscriptionRoleArn`);
      return value || undefined;
    default:
      return value;
  }
}

function subscriptionAttributes(t: TopicRecord | undefined, s: SubscriptionRecord): Record<string, string> {
  const out: Record<string, string> = {
    ConfirmationWasAuthenticated: String(s.authenticated),
    Endpoint: s.endpoint,
    Owner: s.owner,
    PendingConfirmation: String(s.pending),
    Protocol: s.protocol,
    RawMessageDelivery: s.attributes.RawMessageDelivery ?? 'false',
    SubscriptionArn: s.arn,
    SubscriptionPrincipal: `arn:aws:iam::${s.owner}:root`,
    TopicArn: s.topicArn,
  };
  for (const [k, v] of Object.entries(s.attributes)) out[k] = v;
  if (s.attributes.FilterPolicy) out.FilterPolicyScope = s.attributes.FilterPolicyScope ?? 'MessageAttributes';
  else delete out.FilterPolicyScope;
  if (s.protocol === 'http' || s.protocol === 'https') out.EffectiveDeliveryPolicy = effectiveSubscriptionPolicyJson(effectiveHttpPolicy(t?.attributes.DeliveryPolicy, s.attributes.DeliveryPolicy));
  return out;
}

/** AWS's quotas: 100 subscriptions per FIFO topic; 200 filter policies per topic, 10,000 per account. */
const FIFO_SUBSCRIPTIONS = 100;
const FILTER_POLICIES_PER_TOPIC = 200;
const FILTER_POLICIES_PER_ACCOUNT = 10_000;

function checkQuotas(state: SnsState, t: TopicRecord, addsFilterPolicy: boolean, addsSubscription: boolean): void {
  const subs = state.subscriptionsOf(t);
  if (addsSubscription && t.fifo && subs.length >= FIFO_SUBSCRIPTIONS) throw new AwsError('SubscriptionLimitExceededException', 'Subscription limit exceeded', 403);
  if (!addsFilterPolicy) return;
  if (subs.filter((x) => x.attributes.FilterPolicy).length >= FILTER_POLICIES_PER_TOPIC) throw new AwsError('FilterPolicyLimitExceededException', 'Filter policy limit exceeded', 403);
  let inAccount = 0;
  for (const x of state.subs.values(scopeOfArn(t))) if (x.attributes.FilterPolicy) inAccount++;
  if (inAccount >= FILTER_POLICIES_PER_ACCOUNT) throw new AwsError('FilterPolicyLimitExceededException', 'Filter policy limit exceeded', 403);
}

const listed = (s: SubscriptionRecord): T.Subscription => ({
  SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn, Owner: s.owner, Protocol: s.protocol, Endpoint: s.endpoint, TopicArn: s.topicArn,
});

export function subscriptionHandlers(state: SnsState, delivery: Delivery): T.SNSHandlers {
  const clock = state.rt.clock;

  function findSubscription(arn: string): { s: SubscriptionRecord; t: TopicRecord | undefined } {
    const ref = parseSubscriptionArn(arn);
    const s = state.subscription(scopeOfArn(ref), arn);
    if (!s) throw subscriptionNotFound();
    return { s, t: state.topic(ref) };
  }

  return {
    Subscribe(input, ctx) {
      const ref = parseTopicArn(input.TopicArn);
      if (ref.region !== ctx.region && !ctx.internal) throw invalidParameter('Invalid parameter: TopicArn');
      const t = resolveTopic(state, input.TopicArn);
      const protocol = input.Protocol;
      const endpoint = validateEndpoint(t, protocol, input.Endpoint);
      const attrs: Record<string, string> = {};
      const given = input.Attributes ?? {};
      // FilterPolicyScope first, so that FilterPolicy is validated in its scope.
      for (const name of Object.keys(given).sort((a, b) => (a === 'FilterPolicyScope' ? -1 : b === 'FilterPolicyScope' ? 1 : 0))) {
        const v = validateSubscriptionAttribute(name, given[name]!, protocol, t.arn, attrs, true);
        if (v !== undefined) attrs[name] = v;
      }
      const existing = state.subscriptionsOf(t).find((s) => s.protocol === protocol && s.endpoint === endpoint);
      if (existing) {
        for (const [k, v] of Object.entries(attrs)) {
          if ((existing.attributes[k] ?? (k === 'RawMessageDelivery' ? 'false' : undefined)) !== v) throw invalidParameter('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');
        }
        return { SubscriptionArn: existing.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : existing.arn };
      }
      checkQuotas(state, t, attrs.FilterPolicy !== undefined, true);
      const pending = NEEDS_CONFIRMATION.has(protocol);
      const s: SubscriptionRecord = {
        arn: `${t.arn}:${randomUUID()}`,
        topicArn: t.arn,
        protocol,
        endpoint,
        owner: ctx.accountId,
        attributes: attrs,
        pending,
        authenticated: !pending,
        token: randomBytes(64).toString('hex'),
        createdAt: clock.now(),
      };
      state.saveSubscription(scopeOfArn(t), s);
      if (pending) delivery.confirm(t, s, ctx.baseUrl);
      return { SubscriptionArn: pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : s.arn };
    },

    ConfirmSubscription(input, ctx) {
      const ref = parseTopicArn(input.TopicArn);
      const arn = state.tokens.get(input.Token);
      const s = arn ? state.subscription(scopeOfArn(ref), arn) : undefined;
      if (!s || s.topicArn !== ref.arn) throw invalidParameter('Invalid parameter: Token');
      if (s.pending) {
        s.pending = false;
        s.authenticated = input.AuthenticateOnUnsubscribe === 'true' || !!ctx.auth;
        state.saveSubscription(scopeOfArn(ref), s);
      }
      return { SubscriptionArn: s.arn };
    },

    Unsubscribe(input, ctx) {
      const ref = parseSubscriptionArn(input.SubscriptionArn);
      const s = state.subscription(scopeOfArn(ref), ref.arn);
      if (!s) return; // idempotent
      const t = state.topic(ref);
      state.removeSubscription(s);
      delivery.unsubscribed(t, s, ctx.baseUrl);
    },

    ListSubscriptions(input, ctx) {
      const all = [...state.subs.values(scopeOf(ctx))];
      const { items, next } = page(all, input.NextToken, (s) => s.arn);
      return { Subscriptions: items.map(listed), NextToken: next };
    },

    ListSubscriptionsByTopic(input) {
      const t = resolveTopic(state, input.TopicArn);
      const { items, next } = page(state.subscriptionsOf(t), input.NextToken, (s) => s.arn);
      return { Subscriptions: items.map(listed), NextToken: next };
    },

    GetSubscriptionAttributes(input) {
      const { s, t } = findSubscription(input.SubscriptionArn);
      return { Attributes: subscriptionAttributes(t, s) };
    },

    SetSubscriptionAttributes(input) {
      const { s } = findSubscription(input.SubscriptionArn);
      const v = validateSubscriptionAttribute(input.AttributeName, input.AttributeValue ?? '', s.protocol, s.topicArn, s.attributes, false);
      const t = state.topic(parseTopicArn(s.topicArn));
      if (t && input.AttributeName === 'FilterPolicy' && v !== undefined && !s.attributes.FilterPolicy) checkQuotas(state, t, true, false);
      if (v === undefined) delete s.attributes[input.AttributeName];
      else s.attributes[input.AttributeName] = v;
      state.saveSubscription(scopeOfArn(parseSubscriptionArn(s.arn)), s);
    },
  };
}
