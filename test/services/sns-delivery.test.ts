// covers: sns.Publish sns.PublishBatch sns.ConfirmSubscription sns.Subscribe sns.CreateTopic sns.SetTopicAttributes sns.GetSubscriptionAttributes sns.ListSubscriptionsByTopic
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { X509Certificate, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, PublishBatchCommand, ConfirmSubscriptionCommand,
  GetSubscriptionAttributesCommand, SetTopicAttributesCommand, ListSubscriptionsByTopicCommand,
} from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { clientConfig, raw, useGureum, rejection } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sns = () => new SNSClient(clientConfig(ctx.g));
const sqs = () => new SQSClient(clientConfig(ctx.g));

async function queue(name: string, Attributes?: Record<string, string>) {
  const url = (await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const arn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

async function receiveAll(url: string, max = 10) {
  const r = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: max, MessageAttributeNames: ['All'], AttributeNames: ['All'] }));
  return r.Messages ?? [];
}

const topic = async (Name: string, Attributes?: Record<string, string>) => (await sns().send(new CreateTopicCommand({ Name, Attributes }))).TopicArn!;
const subscribe = async (TopicArn: string, Protocol: string, Endpoint: string, Attributes?: Record<string, string>) =>
  (await sns().send(new SubscribeCommand({ TopicArn, Protocol, Endpoint, Attributes, ReturnSubscriptionArn: true }))).SubscriptionArn!;

const CANON_NOTIFICATION = ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'];
const CANON_CONFIRM = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
function canonical(m: Record<string, string>): string {
  return (m.Type === 'Notification' ? CANON_NOTIFICATION : CANON_CONFIRM).filter((k) => m[k] !== undefined).map((k) => `${k}\n${m[k]}\n`).join('');
}

async function verifySignature(m: Record<string, string>): Promise<boolean> {
  expect(m.SigningCertURL).toMatch(/^http:\/\/.+\/_gureum\/sns\/SimpleNotificationService\.pem$/);
  const pem = await (await fetch(m.SigningCertURL!)).text();
  const cert = new X509Certificate(pem);
  expect(cert.verify(cert.publicKey)).toBe(true); // self-signed
  return verify(m.SignatureVersion === '2' ? 'sha256' : 'sha1', Buffer.from(canonical(m)), cert.publicKey, Buffer.from(m.Signature!, 'base64'));
}

describe('delivery to SQS', () => {
  it('wraps the message in a signed envelope verifiable against the served certificate', async () => {
    const t = await topic('env');
    const q = await queue('env-q');
    const sub = await subscribe(t, 'sqs', q.arn);
    ctx.g.clock.set('2030-01-02T03:04:05.678Z');
    const { MessageId } = await sns().send(new PublishCommand({
      TopicArn: t, Message: 'hello', Subject: 'greeting',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'red' }, n: { DataType: 'Number', StringValue: '5' }, b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]) } },
    }));
    const [m] = await receiveAll(q.url);
    expect(m!.Body).toMatch(/^\{\n {2}"Type" : "Notification",\n/);
    const env = JSON.parse(m!.Body!);
    expect(env).toMatchObject({
      Type: 'Notification', MessageId, TopicArn: t, Subject: 'greeting', Message: 'hello', Timestamp: '2030-01-02T03:04:05.678Z', SignatureVersion: '1',
      MessageAttributes: { color: { Type: 'String', Value: 'red' }, n: { Type: 'Number', Value: '5' }, b: { Type: 'Binary', Value: 'AQI=' } },
    });
    expect(env.UnsubscribeURL).toContain(encodeURIComponent(sub));
    expect(await verifySignature(env)).toBe(true);
    expect(await verifySignature({ ...env, Message: 'tampered' })).toBe(false);
    // the public key is served too
    const pk = await raw(ctx.g, '/_gureum/sns/public-key.pem');
    expect(pk.text).toMatch(/^-----BEGIN PUBLIC KEY-----/);
  });

  it('SignatureVersion 2 signs with SHA-256', async () => {
    const t = await topic('env2', { SignatureVersion: '2' });
    const q = await queue('env2-q');
    await subscribe(t, 'sqs', q.arn);
    await sns().send(new PublishCommand({ TopicArn: t, Message: 'v2' }));
    const env = JSON.parse((await receiveAll(q.url))[0]!.Body!);
    expect(env.SignatureVersion).toBe('2');
    expect(env.Subject).toBeUndefined();
    expect(await verifySignature(env)).toBe(true);
  });

  it('RawMessageDelivery sends the bare message with SQS message attributes', async () => {
    const t = await topic('raw');
    const q = await queue('raw-q');
    await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    await sns().send(new PublishCommand({ TopicArn: t, Message: 'bare', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' }, arr: { DataType: 'String.Array', StringValue: '["a","b"]' } } }));
    const [m] = await receiveAll(q.url);
    expect(m!.Body).toBe('bare');
    expect(m!.MessageAttributes).toEqual({ k: { DataType: 'String', StringValue: 'v' }, arr: { DataType: 'String.Array', StringValue: '["a","b"]' } });
  });

  it('MessageStructure json picks the message per protocol and requires default', async () => {
    const t = await topic('structured');
    const q = await queue('structured-q');
    await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    await sns().send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: JSON.stringify({ default: 'dflt', sqs: 'for sqs', email: 'for email' }) }));
    expect((await receiveAll(q.url))[0]!.Body).toBe('for sqs');
    const e1 = await rejection(sns().send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: '{"sqs":"x"}' })));
    expect(e1.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
    const e2 = await rejection(sns().send(new PublishCommand({ TopicArn: t, MessageStructure: 'json', Message: 'nope' })));
    expect(e2.message).toBe('Invalid parameter: Message Structure - JSON message body failed to parse');
  });

  it('a delivery that fails goes to the RedrivePolicy dead-letter queue', async () => {
    const t = await topic('dlq-topic');
    const dlq = await queue('sub-dlq');
    await subscribe(t, 'sqs', 'arn:aws:sqs:us-east-1:000000000000:does-not-exist', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    await sns().send(new PublishCommand({ TopicArn: t, Message: 'lost' }));
    const [m] = await receiveAll(dlq.url);
    expect(JSON.parse(m!.Body!).Message).toBe('lost');
    const failed = JSON.parse((await raw(ctx.g, '/_gureum/sns/messages?type=sqs')).text).messages;
    expect(failed.some((e: { status: string; error: string }) => e.status === 'failed' && /QueueDoesNotExist/.test(e.error))).toBe(true);
  });

  it('validates Publish input', async () => {
    const t = await topic('validate-pub');
    expect((await rejection(sns().send(new PublishCommand({ TopicArn: t, Message: '' })))).message).toBe('Invalid parameter: Empty message');
    expect((await rejection(sns().send(new PublishCommand({ TopicArn: t, Message: 'x'.repeat(262_145) })))).message).toBe('Invalid parameter: Message too long');
    expect((await rejection(sns().send(new PublishCommand({ TopicArn: t, Message: 'x', Subject: 'a\nb' })))).message).toBe('Invalid parameter: Subject');
    expect((await rejection(sns().send(new PublishCommand({ TopicArn: t, Message: 'x', MessageDeduplicationId: 'd' })))).message).toBe('Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    const attr = await rejection(sns().send(new PublishCommand({ TopicArn: t, Message: 'x', MessageAttributes: { a: { DataType: 'Float', StringValue: '1' } } })));
    expect(attr.name).toBe('InvalidParameterValueException');
    expect(attr.message).toBe("The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.");
    const missing = await rejection(sns().send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:missing', Message: 'x' })));
    expect(missing.name).toBe('NotFoundException');
  });
});

describe('filter policies', () => {
  it('on message attributes: exact, prefix, anything-but, numeric, exists, String.Array, $or', async () => {
    const t = await topic('filters');
    const cases: [string, object][] = [
      ['f-exact', { color: ['red', 'blue'] }],
      ['f-prefix', { color: [{ prefix: 'gr' }] }],
      ['f-anything', { color: [{ 'anything-but': ['red', 'green'] }] }],
      ['f-numeric', { price: [{ numeric: ['>=', 10, '<', 20] }] }],
      ['f-exists', { promo: [{ exists: false }] }],
      ['f-or', { $or: [{ color: ['green'] }, { price: [{ numeric: ['=', 100] }] }] }],
      ['f-suffix', { color: [{ suffix: 'ue' }], sizes: ['L'] }],
    ];
    const queues: Record<string, string> = {};
    for (const [name, policy] of cases) {
      const q = await queue(name);
      queues[name] = q.url;
      await subscribe(t, 'sqs', q.arn, { FilterPolicy: JSON.stringify(policy), RawMessageDelivery: 'true' });
    }
    const pub = (Message: string, attrs: Record<string, [string, string]>) => sns().send(new PublishCommand({
      TopicArn: t, Message, MessageAttributes: Object.fromEntries(Object.entries(attrs).map(([k, [DataType, StringValue]]) => [k, { DataType, StringValue }])),
    }));
    await pub('red-15', { color: ['String', 'red'], price: ['Number', '15'] });
    await pub('green-100-promo', { color: ['String', 'green'], price: ['Number', '100'], promo: ['String', 'yes'] });
    await pub('blue-L', { color: ['String', 'blue'], sizes: ['String.Array', '["M","L"]'] });
    await pub('none', {});
    const got = async (name: string) => (await receiveAll(queues[name]!)).map((m) => m.Body).sort();
    expect(await got('f-exact')).toEqual(['blue-L', 'red-15']);
    expect(await got('f-prefix')).toEqual(['green-100-promo']);
    expect(await got('f-anything')).toEqual(['blue-L']);
    expect(await got('f-numeric')).toEqual(['red-15']);
    expect(await got('f-exists')).toEqual(['blue-L', 'none', 'red-15']);
    expect(await got('f-or')).toEqual(['green-100-promo']);
    expect(await got('f-suffix')).toEqual(['blue-L']);
  });

  it('on the message body (FilterPolicyScope MessageBody) with nested keys', async () => {
    const t = await topic('body-filters');
    const q = await queue('body-q');
    await subscribe(t, 'sqs', q.arn, {
      FilterPolicyScope: 'MessageBody', RawMessageDelivery: 'true',
      FilterPolicy: JSON.stringify({ order: { status: ['paid'], total: [{ numeric: ['>', 50] }] }, region: [{ 'equals-ignore-case': 'EU' }] }),
    });
    const pub = (body: object | string) => sns().send(new PublishCommand({ TopicArn: t, Message: typeof body === 'string' ? body : JSON.stringify(body) }));
    await pub({ order: { status: 'paid', total: 70 }, region: 'eu' });
    await pub({ order: { status: 'paid', total: 20 }, region: 'eu' });
    await pub({ order: { status: 'open', total: 90 }, region: 'eu' });
    await pub({ order: { status: ['paid', 'shipped'], total: 99 }, region: 'Eu' });
    await pub('not json');
    const bodies = (await receiveAll(q.url)).map((m) => JSON.parse(m.Body!).order.total).sort();
    expect(bodies).toEqual([70, 99]);
  });
});

describe('FIFO end to end', () => {
  it('keeps order, group id and dedup id into a FIFO queue; dedups within 5 minutes', async () => {
    const t = await topic('e2e.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const q = await queue('e2e-q.fifo', { FifoQueue: 'true' });
    await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    const seqs: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await sns().send(new PublishCommand({ TopicArn: t, Message: `m${i}`, MessageGroupId: 'g1' }));
      seqs.push(r.SequenceNumber!);
    }
    expect(seqs.map(BigInt)).toEqual([...seqs.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
    const dup = await sns().send(new PublishCommand({ TopicArn: t, Message: 'm0', MessageGroupId: 'g1' }));
    expect(dup.SequenceNumber).toBe(seqs[0]);
    const batch = await sns().send(new PublishBatchCommand({
      TopicArn: t, PublishBatchRequestEntries: [
        { Id: 'a', Message: 'b0', MessageGroupId: 'g1', MessageDeduplicationId: 'd-b0' },
        { Id: 'b', Message: 'b1', MessageGroupId: 'g1', MessageDeduplicationId: 'd-b1' },
      ],
    }));
    expect(batch.Successful!.map((s) => s.Id)).toEqual(['a', 'b']);
    const msgs = await receiveAll(q.url);
    expect(msgs.map((m) => m.Body)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'b0', 'b1']);
    expect(msgs[0]!.Attributes!.MessageGroupId).toBe('g1');
    expect(msgs[5]!.Attributes!.MessageDeduplicationId).toBe('d-b0');

    const noGroup = await rejection(sns().send(new PublishCommand({ TopicArn: t, Message: 'x' })));
    expect(noGroup.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const t2 = await topic('nocbd.fifo', { FifoTopic: 'true' });
    const noDedup = await rejection(sns().send(new PublishCommand({ TopicArn: t2, Message: 'x', MessageGroupId: 'g' })));
    expect(noDedup.message).toBe('Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');

    ctx.g.clock.advance('6m'); // past the dedup window
    const again = await sns().send(new PublishCommand({ TopicArn: t, Message: 'm0', MessageGroupId: 'g1' }));
    expect(BigInt(again.SequenceNumber!)).toBeGreaterThan(BigInt(seqs[4]!));
  });

  it('FIFO topics accept only sqs subscriptions', async () => {
    const t = await topic('only-sqs.fifo', { FifoTopic: 'true' });
    const e = await rejection(sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'email', Endpoint: 'a@b.co' })));
    expect(e.name).toBe('InvalidParameterException');
  });
});

describe('PublishBatch', () => {
  it('answers per-entry results and batch-level errors', async () => {
    const t = await topic('batch');
    const q = await queue('batch-q');
    await subscribe(t, 'sqs', q.arn, { RawMessageDelivery: 'true' });
    const r = await sns().send(new PublishBatchCommand({
      TopicArn: t, PublishBatchRequestEntries: [
        { Id: 'ok1', Message: 'one' },
        { Id: 'bad', Message: 'two', MessageAttributes: { a: { DataType: 'String' } } },
        { Id: 'ok2', Message: 'three' },
      ],
    }));
    expect(r.Successful!.map((s) => s.Id)).toEqual(['ok1', 'ok2']);
    expect(r.Failed).toEqual([{ Id: 'bad', Code: 'ParameterValueInvalid', SenderFault: true, Message: "The message attribute 'a' must contain non-empty message attribute value for message attribute type 'String'." }]);
    expect((await receiveAll(q.url)).map((m) => m.Body).sort()).toEqual(['one', 'three']);
    expect((await rejection(sns().send(new PublishBatchCommand({ TopicArn: t, PublishBatchRequestEntries: [] })))).name).toMatch(/EmptyBatchRequest/);
    const many = Array.from({ length: 11 }, (_, i) => ({ Id: `e${i}`, Message: 'x' }));
    expect((await rejection(sns().send(new PublishBatchCommand({ TopicArn: t, PublishBatchRequestEntries: many })))).name).toBe('TooManyEntriesInBatchRequestException');
    const dup = [{ Id: 'same', Message: 'x' }, { Id: 'same', Message: 'y' }];
    expect((await rejection(sns().send(new PublishBatchCommand({ TopicArn: t, PublishBatchRequestEntries: dup })))).name).toBe('BatchEntryIdsNotDistinctException');
  });
});

describe('http subscriptions', () => {
  let server: Server;
  let url = '';
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  let failNext = 0;
  const waiters: (() => void)[] = [];
  const waitFor = async (n: number) => {
    while (received.length < n) await new Promise<void>((r) => waiters.push(r));
  };

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
        received.push({ headers: req.headers, body });
        res.statusCode = failNext > 0 ? (failNext--, 500) : 200;
        res.end();
        waiters.splice(0).forEach((w) => w());
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  async function outboxHttp(): Promise<Record<string, unknown>[]> {
    return JSON.parse((await raw(ctx.g, '/_gureum/sns/messages?type=http')).text).messages;
  }

  it('confirms through the SubscribeURL, then receives signed notifications with x-amz-sns headers', async () => {
    const t = await topic('web');
    const before = received.length;
    const r = await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: url }));
    expect(r.SubscriptionArn).toBe('pending confirmation');
    await waitFor(before + 1);
    const conf = received[before]!;
    expect(conf.headers['x-amz-sns-message-type']).toBe('SubscriptionConfirmation');
    expect(conf.headers['x-amz-sns-topic-arn']).toBe(t);
    const doc = JSON.parse(conf.body);
    expect(doc).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: t });
    expect(doc.Token).toMatch(/^[0-9a-f]{64,}$/);
    expect(await verifySignature(doc)).toBe(true);

    // nothing is delivered while pending
    await sns().send(new PublishCommand({ TopicArn: t, Message: 'too early' }));
    // GET on the SubscribeURL confirms (unsigned, as a browser or curl would)
    const confirm = await fetch(doc.SubscribeURL);
    expect(confirm.status).toBe(200);
    const xml = await confirm.text();
    const subArn = /<SubscriptionArn>([^<]+)<\/SubscriptionArn>/.exec(xml)![1]!;
    expect(subArn.startsWith(t + ':')).toBe(true);
    const attrs = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: subArn }))).Attributes!;
    expect(attrs.PendingConfirmation).toBe('false');
    expect(JSON.parse(attrs.EffectiveDeliveryPolicy!).healthyRetryPolicy.numRetries).toBe(3);

    const n = received.length;
    const { MessageId } = await sns().send(new PublishCommand({ TopicArn: t, Message: 'to the web', Subject: 'hi' }));
    await waitFor(n + 1);
    const note = received[n]!;
    expect(note.headers).toMatchObject({
      'x-amz-sns-message-type': 'Notification', 'x-amz-sns-message-id': MessageId, 'x-amz-sns-topic-arn': t, 'x-amz-sns-subscription-arn': subArn,
      'content-type': 'text/plain; charset=UTF-8', 'user-agent': 'Amazon Simple Notification Service Agent',
    });
    const body = JSON.parse(note.body);
    expect(body).toMatchObject({ Type: 'Notification', Message: 'to the web', Subject: 'hi', MessageId });
    expect(await verifySignature(body)).toBe(true);
    expect(received.some((x) => x.body.includes('too early'))).toBe(false);
  });

  it('ConfirmSubscription with the token works through the SDK too; bad tokens are refused', async () => {
    const t = await topic('web-sdk');
    const before = received.length;
    await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: url + '?sdk' }));
    await waitFor(before + 1);
    const doc = JSON.parse(received[before]!.body);
    const bad = await rejection(sns().send(new ConfirmSubscriptionCommand({ TopicArn: t, Token: 'nope' })));
    expect(bad.message).toBe('Invalid parameter: Token');
    const ok = await sns().send(new ConfirmSubscriptionCommand({ TopicArn: t, Token: doc.Token }));
    expect(ok.SubscriptionArn).toMatch(new RegExp(`^${t}:`));
    const subs = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: t }));
    expect(subs.Subscriptions![0]!.SubscriptionArn).toBe(ok.SubscriptionArn);
  });

  it('retries failed deliveries by the delivery policy on the virtual clock', async () => {
    const t = await topic('web-retry');
    await sns().send(new SetTopicAttributesCommand({
      TopicArn: t, AttributeName: 'DeliveryPolicy',
      AttributeValue: JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 10, maxDelayTarget: 10, numRetries: 2 } } }),
    }));
    const before = received.length;
    await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'http', Endpoint: url + '?retry' }));
    await waitFor(before + 1);
    await fetch(JSON.parse(received[before]!.body).SubscribeURL);

    failNext = 2;
    const n = received.length;
    const { MessageId } = await sns().send(new PublishCommand({ TopicArn: t, Message: 'persist' }));
    await waitFor(n + 1); // first attempt: 500
    const entry = async () => (await outboxHttp()).find((e) => e.messageId === MessageId)!;
    while ((await entry())?.status !== 'retrying') await new Promise((r) => setImmediate(r));
    expect(received.length).toBe(n + 1);
    ctx.g.clock.advance('9s');
    await new Promise((r) => setTimeout(r, 50));
    expect(received.length).toBe(n + 1); // not yet: 10 s
    ctx.g.clock.advance('1s');
    await waitFor(n + 2); // second attempt: 500
    while ((await entry()).attempts !== 2 || (await entry()).status !== 'retrying') await new Promise((r) => setImmediate(r));
    ctx.g.clock.advance('10s');
    await waitFor(n + 3); // third attempt: 200
    while ((await entry()).status !== 'delivered') await new Promise((r) => setImmediate(r));
    expect((await entry()).attempts).toBe(3);
    expect(received.slice(n).every((x) => JSON.parse(x.body).MessageId === MessageId)).toBe(true);
  });
});

describe('outbox: email, email-json, sms, lambda', () => {
  it('captures deliveries at /_gureum/sns/messages and in the request log', async () => {
    await raw(ctx.g, '/_gureum/sns/messages', { method: 'DELETE' });
    const t = await topic('mail', { DisplayName: 'Shop' });
    await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'email', Endpoint: 'ops@example.com' }));
    await sns().send(new SubscribeCommand({ TopicArn: t, Protocol: 'email-json', Endpoint: 'json@example.com' }));
    await subscribe(t, 'sms', '+15555550123');
    await subscribe(t, 'lambda', 'arn:aws:lambda:us-east-1:000000000000:function:handler');

    const confirmations = JSON.parse((await raw(ctx.g, '/_gureum/sns/messages?type=email')).text).messages;
    expect(confirmations).toHaveLength(2);
    expect(confirmations[0]).toMatchObject({ type: 'email', kind: 'SubscriptionConfirmation', to: 'ops@example.com', subject: 'AWS Notification - Subscription Confirmation' });
    for (const c of confirmations) expect((await fetch(c.subscribeUrl)).status).toBe(200);

    await sns().send(new PublishCommand({ TopicArn: t, Message: 'sale!', Subject: 'Deals' }));
    await sns().send(new PublishCommand({ PhoneNumber: '+15555550199', Message: 'direct sms' }));
    await new Promise((r) => setTimeout(r, 20)); // lambda delivery is asynchronous (real I/O-free, but a promise away)

    const all = JSON.parse((await raw(ctx.g, '/_gureum/sns/messages')).text).messages as Record<string, unknown>[];
    const mail = all.find((m) => m.type === 'email' && m.kind === undefined)!;
    expect(mail).toMatchObject({ to: 'ops@example.com', subject: 'Deals', message: 'sale!', from: 'Shop <no-reply@sns.amazonaws.com>' });
    const json = all.find((m) => m.type === 'email-json' && m.kind === undefined)!;
    expect(JSON.parse(json.body as string)).toMatchObject({ Type: 'Notification', Message: 'sale!', Subject: 'Deals' });
    const sms = JSON.parse((await raw(ctx.g, '/_gureum/sns/messages?type=sms')).text).messages;
    expect(sms.map((m: { phoneNumber: string; message: string }) => [m.phoneNumber, m.message])).toEqual([['+15555550123', 'sale!'], ['+15555550199', 'direct sms']]);
    const lambda = all.find((m) => m.type === 'lambda')!;
    expect(lambda.status).toBe('pending');
    expect((lambda.event as { Records: { Sns: { Message: string } }[] }).Records[0]!.Sns.Message).toBe('sale!');

    const log = JSON.parse((await raw(ctx.g, '/_gureum/requests?limit=200')).text).requests as { service: string; operation: string }[];
    expect(log.some((e) => e.service === 'sns' && e.operation === 'Deliver.email')).toBe(true);
    expect(log.some((e) => e.service === 'sns' && e.operation === 'Deliver.sms')).toBe(true);
  });
});
