/**
 * Delivery of published messages to subscriptions:
 *  - sqs: SendMessage through the dispatch path (rt.call) in the queue's account × region;
 *    the signed JSON envelope, or the bare message with SQS message attributes when
 *    RawMessageDelivery; FIFO topics pass group and deduplication ids to FIFO queues.
 *  - http/https: a real POST with the x-amz-sns-* headers, retried by the delivery policy on
 *    the virtual clock; also the SubscriptionConfirmation / UnsubscribeConfirmation handshakes.
 *  - email, email-json, sms: captured in the outbox (GET /_gureum/sns/messages).
 *  - lambda: Invoke (Event) when Lambda implements it, else recorded as pending.
 *  - application (mobile push endpoints): recorded with the platform's message (push()).
 *  - firehose: recorded as stored.
 * Failed deliveries go to the subscription's RedrivePolicy dead-letter queue when it has one.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomUUID } from 'node:crypto';
import { parseArn } from '../../core/arn.js';
import { isAwsError } from '../../core/errors.js';
import type { MessageAttributeValue } from './generated/types.js';
import type { EndpointRecord, OutboxEntry, SnsState, SubscriptionRecord, TopicRecord } from './state.js';
import { buildEnvelope, envelopeAttributes, envelopeText, subscribeUrl, unsubscribeUrl, type EnvelopeInput } from './domain/envelope.js';
import { effectiveHttpPolicy, retryDelayMs, type EffectiveHttpPolicy } from './domain/attributes.js';
import { matchesAttributes, matchesBody, parseFilterPolicy, type Policy } from './domain/filter.js';

export interface Notification {
  topic: TopicRecord;
  messageId: string;
  message: string;
  /** MessageStructure=json: the message per protocol (with "default") */
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes?: Record<string, MessageAttributeValue>;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  timestamp: string;
  baseUrl: string;
}

const HTTP_TIMEOUT_MS = 15_000;

export class Delivery {
  private readonly policies = new Map<string, Policy | undefined>();

  constructor(private readonly state: SnsState) {}

  private get clock() { return this.state.rt.clock; }

  /** Fan a notification out to the topic's confirmed subscriptions whose filter matches. */
  async publish(n: Notification): Promise<void> {
    const sqsSends: Promise<void>[] = [];
    for (const s of this.state.subscriptionsOf(n.topic)) {
      if (s.pending) continue;
      const message = this.messageFor(n, s.protocol);
      if (!this.matches(s, message, n.attributes)) continue;
      switch (s.protocol) {
        case 'sqs': sqsSends.push(this.toSqs(n, s, message)); break; // started in order: SendMessage runs synchronously
        case 'http':
        case 'https': this.toHttp(n, s, message); break;
        case 'email':
        case 'email-json':
        case 'sms': this.toOutbox(n, s, message); break;
        case 'lambda': void this.toLambda(n, s, message); break;
        case 'application': this.toApplication(n, s); break;
        default: this.state.record({ type: s.protocol, status: 'stored', topicArn: n.topic.arn, subscriptionArn: s.arn, messageId: n.messageId, endpoint: s.endpoint, message });
      }
    }
    await Promise.all(sqsSends);
  }

  /** A direct SMS publish (PhoneNumber). */
  sms(phoneNumber: string, message: string, messageId: string, attributes: Record<string, MessageAttributeValue> | undefined): void {
    this.state.record({ type: 'sms', phoneNumber, message, messageId, ...(attributes ? { messageAttributes: envelopeAttributes(attributes) } : {}) });
  }

  /** The text message carrying a sandbox number's one-time password (CreateSMSSandboxPhoneNumber). */
  sandboxOtp(phoneNumber: string, otp: string, scope: { account: string; region: string }): void {
    this.state.record({ type: 'sms', kind: 'SandboxVerification', phoneNumber, otp, account: scope.account, region: scope.region, message: `Your Amazon SNS verification code is ${otp}.` });
  }

  /**
   * A push to one mobile endpoint (Publish with its TargetArn, or an application subscription).
   * Nothing reaches APNs/FCM: the message the platform would get — the platform's entry of a
   * MessageStructure=json message, else the default — is recorded in the outbox (type
   * application). Returns the record.
   */
  push(e: EndpointRecord, p: { messageId: string; message: string; perProtocol?: Record<string, string>; subject?: string; attributes?: Record<string, MessageAttributeValue>; topicArn?: string; subscriptionArn?: string }): OutboxEntry {
    const platform = e.arn.split(':')[5]!.split('/')[1]!;
    const enabled = e.attributes.Enabled !== 'false';
    return this.state.record({
      type: 'application', status: enabled ? 'delivered' : 'failed', ...(enabled ? {} : { error: 'EndpointDisabled: Endpoint is disabled' }),
      endpointArn: e.arn, platformApplicationArn: e.appArn, platform, token: e.attributes.Token,
      ...(p.topicArn ? { topicArn: p.topicArn, subscriptionArn: p.subscriptionArn } : {}),
      messageId: p.messageId, message: p.perProtocol?.[platform] ?? p.perProtocol?.default ?? p.message,
      ...(p.subject !== undefined ? { subject: p.subject } : {}),
      ...(p.attributes ? { messageAttributes: envelopeAttributes(p.attributes) } : {}),
    });
  }

  /** The SubscriptionConfirmation handshake: a POST for http/https, a mail in the outbox for email. */
  confirm(t: TopicRecord, s: SubscriptionRecord, baseUrl: string): void {
    const message = `You have chosen to subscribe to the topic ${t.arn}.\nTo confirm the subscription, visit the SubscribeURL included in this message.`;
    if (s.protocol === 'http' || s.protocol === 'https') {
      const doc = this.envelope({ type: 'SubscriptionConfirmation', messageId: randomUUID(), topicArn: t.arn, message, token: s.token, baseUrl, timestamp: new Date(this.clock.now()).toISOString() }, t);
      this.postWithRetries(t, s, 'SubscriptionConfirmation', doc.MessageId as string, envelopeText(doc), false);
      return;
    }
    const url = subscribeUrl(baseUrl, t.arn, s.token);
    const display = t.attributes.DisplayName || 'AWS Notifications';
    this.state.record({
      type: s.protocol, kind: 'SubscriptionConfirmation', topicArn: t.arn, subscriptionArn: s.arn, to: s.endpoint, from: `${display} <no-reply@sns.amazonaws.com>`,
      subject: 'AWS Notification - Subscription Confirmation', token: s.token, subscribeUrl: url,
      body: `You have chosen to subscribe to the topic: \n${t.arn}\n\nTo confirm this subscription, click or visit the link below (If this was in error no action is necessary):\n${url}\n`,
    });
  }

  /** Sent to http/https endpoints when they are unsubscribed. */
  unsubscribed(t: TopicRecord | undefined, s: SubscriptionRecord, baseUrl: string): void {
    if ((s.protocol !== 'http' && s.protocol !== 'https') || !t) return;
    const message = `You have chosen to deactivate subscription ${s.arn}.\nTo cancel this operation and restore the subscription, visit the SubscribeURL included in this message.`;
    const doc = this.envelope({ type: 'UnsubscribeConfirmation', messageId: randomUUID(), topicArn: t.arn, message, token: s.token, baseUrl, timestamp: new Date(this.clock.now()).toISOString() }, t);
    this.post(s, 'UnsubscribeConfirmation', doc.MessageId as string, t.arn, envelopeText(doc), false, effectiveHttpPolicy(t.attributes.DeliveryPolicy, s.attributes.DeliveryPolicy).contentType).catch(() => undefined);
  }

  // ---- per protocol

  private messageFor(n: Notification, protocol: string): string {
    return n.perProtocol?.[protocol] ?? n.perProtocol?.default ?? n.message;
  }

  private matches(s: SubscriptionRecord, message: string, attrs: Record<string, MessageAttributeValue> | undefined): boolean {
    const text = s.attributes.FilterPolicy;
    if (!text) return true;
    const scope = s.attributes.FilterPolicyScope ?? 'MessageAttributes';
    const key = `${scope}\u0000${text}`;
    let policy = this.policies.get(key);
    if (!this.policies.has(key)) {
      policy = parseFilterPolicy(text, scope, false);
      if (this.policies.size > 1000) this.policies.clear();
      this.policies.set(key, policy);
    }
    if (!policy) return true;
    return scope === 'MessageBody' ? matchesBody(policy, message) : matchesAttributes(policy, attrs);
  }

  private envelope(e: Omit<EnvelopeInput, 'signatureVersion'>, t: TopicRecord): Record<string, unknown> {
    return buildEnvelope({ ...e, signatureVersion: t.attributes.SignatureVersion ?? '1' }, this.state.signingKey());
  }

  private notificationDoc(n: Notification, s: SubscriptionRecord, message: string): Record<string, unknown> {
    return this.envelope({
      type: 'Notification', messageId: n.messageId, topicArn: n.topic.arn, message, timestamp: n.timestamp, subject: n.subject,
      sequenceNumber: n.sequenceNumber, subscriptionArn: s.arn, attributes: n.attributes, baseUrl: n.baseUrl,
    }, n.topic);
  }

  private async toSqs(n: Notification, s: SubscriptionRecord, message: string): Promise<void> {
    const raw = s.attributes.RawMessageDelivery === 'true';
    const body = raw ? message : envelopeText(this.notificationDoc(n, s, message));
    const input: Record<string, unknown> = { MessageBody: body };
    if (raw && n.attributes && Object.keys(n.attributes).length) input.MessageAttributes = sqsAttributes(n.attributes);
    const queue = parseArn(s.endpoint);
    if (n.topic.fifo && queue?.resource.endsWith('.fifo')) {
      input.MessageGroupId = n.groupId;
      input.MessageDeduplicationId = n.dedupId;
    }
    try {
      await this.sendToQueue(s.endpoint, input);
    } catch (e) {
      const error = isAwsError(e) ? `${e.code}: ${e.message}` : String(e);
      this.state.record({ type: 'sqs', status: 'failed', topicArn: n.topic.arn, subscriptionArn: s.arn, messageId: n.messageId, endpoint: s.endpoint, error });
      await this.deadLetter(s, input);
    }
  }

  private sendToQueue(queueArn: string, input: Record<string, unknown>): Promise<unknown> {
    const q = parseArn(queueArn);
    if (!q || q.service !== 'sqs') return Promise.reject(new Error(`not an SQS queue ARN: ${queueArn}`));
    return this.state.rt.call('sqs', 'SendMessage', { ...input, QueueUrl: `/${q.account}/${q.resource}` }, { account: q.account, region: q.region });
  }

  /** The subscription's dead-letter queue (RedrivePolicy.deadLetterTargetArn), if any. */
  private async deadLetter(s: SubscriptionRecord, input: Record<string, unknown>): Promise<void> {
    const target = s.attributes.RedrivePolicy ? (JSON.parse(s.attributes.RedrivePolicy) as { deadLetterTargetArn?: string }).deadLetterTargetArn : undefined;
    if (!target) return;
    const dlqFifo = target.endsWith('.fifo');
    const { MessageGroupId, MessageDeduplicationId, ...rest } = input;
    try {
      await this.sendToQueue(target, dlqFifo ? { ...rest, MessageGroupId: MessageGroupId ?? 'dlq', MessageDeduplicationId: MessageDeduplicationId ?? randomUUID() } : rest);
    } catch (e) {
      this.state.record({ type: 'sqs', status: 'failed', subscriptionArn: s.arn, endpoint: target, error: `dead-letter queue: ${isAwsError(e) ? e.message : String(e)}` });
    }
  }

  private toHttp(n: Notification, s: SubscriptionRecord, message: string): void {
    const raw = s.attributes.RawMessageDelivery === 'true';
    const body = raw ? message : envelopeText(this.notificationDoc(n, s, message));
    this.postWithRetries(n.topic, s, 'Notification', n.messageId, body, raw);
  }

  private toOutbox(n: Notification, s: SubscriptionRecord, message: string): void {
    const base = { topicArn: n.topic.arn, subscriptionArn: s.arn, messageId: n.messageId, status: 'delivered' };
    if (s.protocol === 'sms') {
      this.state.record({ ...base, type: 'sms', phoneNumber: s.endpoint, message, ...(n.attributes ? { messageAttributes: envelopeAttributes(n.attributes) } : {}) });
      return;
    }
    const display = n.topic.attributes.DisplayName || 'AWS Notifications';
    const from = `${display} <no-reply@sns.amazonaws.com>`;
    if (s.protocol === 'email-json') {
      this.state.record({ ...base, type: 'email-json', to: s.endpoint, from, subject: n.subject ?? 'AWS Notification Message', body: envelopeText(this.notificationDoc(n, s, message)) });
      return;
    }
    const footer = `\n\n--\nIf you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n${unsubscribeUrl(n.baseUrl, s.arn)}\n`;
    this.state.record({ ...base, type: 'email', to: s.endpoint, from, subject: n.subject ?? 'AWS Notification Message', message, body: message + footer });
  }

  private toApplication(n: Notification, s: SubscriptionRecord): void {
    const ref = parseArn(s.endpoint);
    const e = ref && this.state.endpoints.get({ account: ref.account, region: ref.region }, s.endpoint);
    if (!e) {
      this.state.record({ type: 'application', status: 'failed', error: 'NotFound: Endpoint does not exist', topicArn: n.topic.arn, subscriptionArn: s.arn, messageId: n.messageId, endpointArn: s.endpoint });
      return;
    }
    this.push(e, { messageId: n.messageId, message: n.message, perProtocol: n.perProtocol, subject: n.subject, attributes: n.attributes, topicArn: n.topic.arn, subscriptionArn: s.arn });
  }

  private async toLambda(n: Notification, s: SubscriptionRecord, message: string): Promise<void> {
    const doc = this.notificationDoc(n, s, message);
    const event = {
      Records: [{
        EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: s.arn,
        Sns: {
          Type: 'Notification', MessageId: n.messageId, TopicArn: n.topic.arn, Subject: n.subject ?? null, Message: message, Timestamp: n.timestamp,
          SignatureVersion: doc.SignatureVersion, Signature: doc.Signature, SigningCertUrl: doc.SigningCertURL, UnsubscribeUrl: doc.UnsubscribeURL,
          MessageAttributes: envelopeAttributes(n.attributes) ?? {},
        },
      }],
    };
    const entry = this.state.record({ type: 'lambda', status: 'pending', topicArn: n.topic.arn, subscriptionArn: s.arn, messageId: n.messageId, functionArn: s.endpoint, event });
    const fn = parseArn(s.endpoint);
    try {
      await this.state.rt.call('lambda', 'Invoke', { FunctionName: s.endpoint, InvocationType: 'Event', Payload: Buffer.from(JSON.stringify(event)) }, { account: fn?.account ?? n.topic.account, region: fn?.region ?? n.topic.region });
      entry.status = 'delivered';
    } catch (e) {
      if (isAwsError(e) && e.code === 'NotImplemented') return; // Lambda Invoke not built yet: stays pending
      entry.status = 'failed';
      entry.error = isAwsError(e) ? `${e.code}: ${e.message}` : String(e);
    }
    if (!this.state.stopped) this.state.updateRecord(entry);
  }

  // ---- HTTP(S)

  private postWithRetries(t: TopicRecord, s: SubscriptionRecord, messageType: string, messageId: string, body: string, raw: boolean): void {
    const policy: EffectiveHttpPolicy = effectiveHttpPolicy(t.attributes.DeliveryPolicy, s.attributes.DeliveryPolicy);
    const entry: OutboxEntry = this.state.record({
      type: s.protocol, kind: messageType, status: 'delivering', topicArn: t.arn, subscriptionArn: s.arn, messageId, endpoint: s.endpoint, attempts: 0, body,
    });
    const attempt = (n: number) => {
      if (this.state.stopped) return;
      entry.attempts = n;
      this.post(s, messageType, messageId, t.arn, body, raw, policy.contentType).then(
        (status) => ({ ok: status >= 200 && status < 500 && status !== 429, detail: status }),
        (err: Error) => ({ ok: false, detail: err.message }),
      ).then(({ ok, detail }) => {
        if (this.state.stopped) return;
        entry.lastResult = detail;
        if (ok) {
          entry.status = 'delivered';
          delete entry.nextAttemptAt;
          this.state.updateRecord(entry);
          return;
        }
        const delay = retryDelayMs(policy.retry, n);
        if (delay === undefined) {
          entry.status = 'failed';
          delete entry.nextAttemptAt;
          this.state.updateRecord(entry);
          if (messageType === 'Notification') void this.deadLetter(s, { MessageBody: body });
          return;
        }
        entry.status = 'retrying';
        entry.nextAttemptAt = new Date(this.clock.now() + delay).toISOString();
        this.state.updateRecord(entry);
        const timer = this.clock.after(delay, () => {
          this.state.timers.delete(timer);
          attempt(n + 1);
        });
        this.state.timers.add(timer);
      });
    };
    attempt(1);
  }

  /** One POST; resolves with the status code. */
  private post(s: SubscriptionRecord, messageType: string, messageId: string, topicArn: string, body: string, raw: boolean, contentType: string): Promise<number> {
    return new Promise((resolve, reject) => {
      let url: URL;
      try {
        url = new URL(s.endpoint);
      } catch (e) {
        reject(e as Error);
        return;
      }
      const headers: Record<string, string | number> = {
        'content-type': contentType,
        'content-length': Buffer.byteLength(body),
        'user-agent': 'Amazon Simple Notification Service Agent',
        'x-amz-sns-message-type': messageType,
        'x-amz-sns-message-id': messageId,
        'x-amz-sns-topic-arn': topicArn,
      };
      if (messageType !== 'SubscriptionConfirmation') headers['x-amz-sns-subscription-arn'] = s.arn;
      if (raw) headers['x-amz-sns-rawdelivery'] = 'true';
      const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers, timeout: HTTP_TIMEOUT_MS }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}

/** SNS message attributes → SQS SendMessage MessageAttributes (String.Array stays a custom String type). */
function sqsAttributes(attrs: Record<string, MessageAttributeValue>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    out[k] = v.DataType.startsWith('Binary')
      ? { DataType: v.DataType, BinaryValue: Buffer.from(v.BinaryValue ?? new Uint8Array()) }
      : { DataType: v.DataType, StringValue: v.StringValue };
  }
  return out;
}
