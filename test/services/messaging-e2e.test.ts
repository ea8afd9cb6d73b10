// covers: sns.CreateTopic sns.Subscribe sns.ConfirmSubscription sns.Publish sns.GetSubscriptionAttributes sqs.CreateQueue sqs.GetQueueAttributes sqs.ReceiveMessage events.PutRule events.PutTargets events.PutEvents
/**
 * End to end: one SNS topic fanning out to filtered SQS subscriptions (raw and enveloped) and to an
 * HTTP subscriber (a node:http server in this test, confirmed through its SubscribeURL), and an
 * EventBridge rule feeding another SQS queue.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand, GetSubscriptionAttributesCommand } from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, type Message } from '@aws-sdk/client-sqs';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { clientConfig, drainQueue, useGureum } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sns = () => new SNSClient(clientConfig(ctx.g));
const sqs = () => new SQSClient(clientConfig(ctx.g));
const eb = () => new EventBridgeClient(clientConfig(ctx.g));

async function queue(name: string) {
  const url = (await sqs().send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

/** The HTTP subscriber: records every POST; confirms subscriptions by fetching the SubscribeURL. */
interface Received { type: string | undefined; headers: IncomingMessage['headers']; doc: Record<string, string> }
let server: Server;
let endpoint = '';
const received: Received[] = [];
const waiters: (() => void)[] = [];
async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise<void>((r) => waiters.push(r));
}

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
      const doc = JSON.parse(body) as Record<string, string>;
      received.push({ type: req.headers['x-amz-sns-message-type'] as string | undefined, headers: req.headers, doc });
      res.end();
      if (doc.Type === 'SubscriptionConfirmation') void fetch(doc.SubscribeURL!).then((r) => r.text()).then(() => waiters.splice(0).forEach((w) => w()));
      else waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders-hook`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('SNS → SQS (filtered, raw and enveloped) + HTTP, EventBridge → SQS', () => {
  it('delivers each published message where the subscriptions say, in the format they ask for', async () => {
    const topicArn = (await sns().send(new CreateTopicCommand({ Name: 'orders' }))).TopicArn!;
    const eu = await queue('orders-eu');
    const us = await queue('orders-us');
    const audit = await queue('orders-audit');
    // eu: raw delivery, attribute filter; us: enveloped, attribute filter; audit: enveloped, body filter.
    await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: eu.arn, Attributes: { RawMessageDelivery: 'true', FilterPolicy: JSON.stringify({ region: ['eu-west-1'] }) } }));
    await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: us.arn, Attributes: { FilterPolicy: JSON.stringify({ region: [{ prefix: 'us-' }], total: [{ numeric: ['>=', 100] }] }) } }));
    await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: audit.arn, Attributes: { FilterPolicyScope: 'MessageBody', FilterPolicy: JSON.stringify({ status: ['refunded'] }) } }));

    // The HTTP subscriber confirms through its SubscribeURL before anything is delivered to it.
    const pending = await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'http', Endpoint: endpoint, ReturnSubscriptionArn: true }));
    await until(() => received.some((r) => r.type === 'SubscriptionConfirmation'));
    const confirmation = received.find((r) => r.type === 'SubscriptionConfirmation')!;
    expect(confirmation.doc).toMatchObject({ Type: 'SubscriptionConfirmation', TopicArn: topicArn });
    expect(confirmation.doc.SubscribeURL).toContain('Action=ConfirmSubscription');
    for (;;) { // the GET on the SubscribeURL runs in the server callback; wait until SNS has it
      const attrs = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: pending.SubscriptionArn }))).Attributes!;
      if (attrs.PendingConfirmation === 'false') break;
      await new Promise((r) => setTimeout(r, 10));
    }

    const attrs = (region: string, total: string) => ({ region: { DataType: 'String', StringValue: region }, total: { DataType: 'Number', StringValue: total } });
    const euOrder = await sns().send(new PublishCommand({ TopicArn: topicArn, Subject: 'order', Message: JSON.stringify({ id: 1, status: 'paid' }), MessageAttributes: attrs('eu-west-1', '20') }));
    const usBig = await sns().send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ id: 2, status: 'paid' }), MessageAttributes: attrs('us-east-1', '250') }));
    await sns().send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ id: 3, status: 'paid' }), MessageAttributes: attrs('us-west-2', '99') }));
    const refund = await sns().send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify({ id: 4, status: 'refunded' }), MessageAttributes: attrs('ap-south-1', '5') }));

    // eu: only order 1, raw: the bare message with the SNS attributes as SQS message attributes.
    const euMsgs = await drainQueue(ctx.g, eu.url);
    expect(euMsgs.map((m) => m.Body)).toEqual([JSON.stringify({ id: 1, status: 'paid' })]);
    expect(euMsgs[0]!.MessageAttributes).toEqual({ region: { DataType: 'String', StringValue: 'eu-west-1' }, total: { DataType: 'Number', StringValue: '20' } });

    // us: only order 2 (order 3 is under 100, the others are not us-*), in the signed JSON envelope.
    const usMsgs = (await drainQueue(ctx.g, us.url)).map((m: Message) => JSON.parse(m.Body!));
    expect(usMsgs).toHaveLength(1);
    expect(usMsgs[0]).toMatchObject({
      Type: 'Notification', MessageId: usBig.MessageId, TopicArn: topicArn, Message: JSON.stringify({ id: 2, status: 'paid' }), SignatureVersion: '1',
      MessageAttributes: { region: { Type: 'String', Value: 'us-east-1' }, total: { Type: 'Number', Value: '250' } },
    });
    expect(usMsgs[0].Signature).toBeTruthy();
    expect(usMsgs[0].UnsubscribeURL).toContain('Action=Unsubscribe');

    // audit: the body filter lets the refund through only.
    expect((await drainQueue(ctx.g, audit.url)).map((m) => JSON.parse(m.Body!).MessageId)).toEqual([refund.MessageId]);

    // http: every notification (no filter), enveloped, with SNS's headers.
    await until(() => received.filter((r) => r.type === 'Notification').length >= 4);
    const notes = received.filter((r) => r.type === 'Notification');
    expect(notes.map((n) => JSON.parse(n.doc.Message!).id).sort()).toEqual([1, 2, 3, 4]);
    const first = notes.find((n) => n.doc.MessageId === euOrder.MessageId)!;
    expect(first.doc).toMatchObject({ Type: 'Notification', Subject: 'order', TopicArn: topicArn });
    expect(first.headers).toMatchObject({ 'x-amz-sns-topic-arn': topicArn, 'x-amz-sns-subscription-arn': pending.SubscriptionArn, 'x-amz-sns-message-id': euOrder.MessageId });
  });

  it('routes matching EventBridge events to an SQS target, as AWS lays them out', async () => {
    const target = await queue('shipping-events');
    await eb().send(new PutRuleCommand({ Name: 'big-shipments', EventPattern: JSON.stringify({ source: ['shop.shipping'], detail: { weight: [{ numeric: ['>', 10] }] } }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'big-shipments', Targets: [{ Id: 'q', Arn: target.arn }] }));
    ctx.g.clock.set('2030-05-06T07:08:09.000Z');
    const put = await eb().send(new PutEventsCommand({
      Entries: [
        { Source: 'shop.shipping', DetailType: 'Shipment Created', Detail: JSON.stringify({ id: 'a', weight: 25 }) },
        { Source: 'shop.shipping', DetailType: 'Shipment Created', Detail: JSON.stringify({ id: 'b', weight: 3 }) },
        { Source: 'shop.billing', DetailType: 'Invoice', Detail: JSON.stringify({ id: 'c', weight: 99 }) },
      ],
    }));
    expect(put.FailedEntryCount).toBe(0);
    const events = (await drainQueue(ctx.g, target.url)).map((m) => JSON.parse(m.Body!));
    expect(events).toEqual([{
      version: '0', id: put.Entries![0]!.EventId, 'detail-type': 'Shipment Created', source: 'shop.shipping', account: '000000000000',
      time: '2030-05-06T07:08:09Z', region: 'us-east-1', resources: [], detail: { id: 'a', weight: 25 },
    }]);
  });
});
