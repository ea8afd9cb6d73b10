// covers: sqs.CreateQueue sqs.GetQueueUrl sqs.ListQueues sqs.DeleteQueue sqs.SendMessage sqs.ReceiveMessage sqs.DeleteMessage sqs.GetQueueAttributes sqs.SetQueueAttributes sqs.SendMessageBatch sqs.DeleteMessageBatch sqs.ChangeMessageVisibility sqs.ChangeMessageVisibilityBatch sqs.PurgeQueue sqs.TagQueue sqs.UntagQueue sqs.ListQueueTags
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  SQSClient, CreateQueueCommand, GetQueueUrlCommand, ListQueuesCommand, DeleteQueueCommand, SendMessageCommand,
  ReceiveMessageCommand, DeleteMessageCommand, GetQueueAttributesCommand, SetQueueAttributesCommand,
  SendMessageBatchCommand, DeleteMessageBatchCommand, ChangeMessageVisibilityCommand, ChangeMessageVisibilityBatchCommand, PurgeQueueCommand,
  TagQueueCommand, UntagQueueCommand, ListQueueTagsCommand,
} from '@aws-sdk/client-sqs';
import { clientConfig, raw, useGureum, rejection } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const client = (extra: Record<string, unknown> = {}) => new SQSClient(clientConfig(ctx.g, extra));
const host = () => new URL(ctx.g.endpoint).host;

async function newQueue(name: string, Attributes?: Record<string, string>) {
  return (await client().send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}

describe('queues', () => {
  it('CreateQueue answers a URL on the host the client used, in the default account', async () => {
    const url = await newQueue('orders');
    expect(url).toBe(`http://${host()}/000000000000/orders`);
    expect((await client().send(new GetQueueUrlCommand({ QueueName: 'orders' }))).QueueUrl).toBe(url);
  });

  it('is idempotent with the same attributes and refuses different ones', async () => {
    const url = await newQueue('idem', { VisibilityTimeout: '60' });
    expect(await newQueue('idem', { VisibilityTimeout: '60' })).toBe(url);
    expect(await newQueue('idem')).toBe(url);
    const err = await rejection(newQueue('idem', { VisibilityTimeout: '61' }));
    expect(err.name).toBe('QueueNameExists');
    expect(err.message).toBe('A queue already exists with the same name and a different value for attribute VisibilityTimeout');
  });

  it('validates names and attribute ranges', async () => {
    const bad = await rejection(newQueue('has space'));
    expect(bad.name).toBe('InvalidParameterValue');
    expect((await rejection(newQueue('x'.repeat(81)))).name).toBe('InvalidParameterValue');
    expect((await rejection(newQueue('std.fifo'))).name).toBe('InvalidParameterValue');
    const fifoName = await rejection(newQueue('nofifo', { FifoQueue: 'true' }));
    expect(fifoName.message).toMatch(/must end with \.fifo suffix/);
    for (const [k, v] of [['VisibilityTimeout', '43201'], ['MessageRetentionPeriod', '59'], ['DelaySeconds', '901'], ['ReceiveMessageWaitTimeSeconds', '21'], ['MaximumMessageSize', '1023']]) {
      const e = await rejection(newQueue('attrs', { [k!]: v! }));
      expect(e.name).toBe('InvalidAttributeValue');
      expect(e.message).toBe(`Invalid value for the parameter ${k}.`);
    }
    expect((await rejection(newQueue('attrs', { Bogus: '1' }))).message).toBe('Unknown Attribute Bogus.');
  });

  it('shows defaults and computed attributes', async () => {
    const url = await newQueue('defaults');
    const { Attributes: a } = await client().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(a).toMatchObject({
      VisibilityTimeout: '30', MessageRetentionPeriod: '345600', DelaySeconds: '0', ReceiveMessageWaitTimeSeconds: '0',
      MaximumMessageSize: '1048576', ApproximateNumberOfMessages: '0', QueueArn: 'arn:aws:sqs:us-east-1:000000000000:defaults',
    });
    await client().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: '5' } }));
    const again = await client().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['VisibilityTimeout'] }));
    expect(again.Attributes).toEqual({ VisibilityTimeout: '5' });
  });

  it('GetQueueUrl of a missing queue: QueueDoesNotExist, legacy code in x-amzn-query-error', async () => {
    const err = await rejection(client().send(new GetQueueUrlCommand({ QueueName: 'nope' })));
    expect(err.name).toBe('QueueDoesNotExist');
    expect(err.message).toBe('The specified queue does not exist.');
    expect(err.$metadata?.httpStatusCode).toBe(400);
    const r = await raw(ctx.g, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.GetQueueUrl', 'x-amzn-query-mode': 'true' },
      body: JSON.stringify({ QueueName: 'nope' }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');
    expect(JSON.parse(r.text).__type).toBe('com.amazonaws.sqs#QueueDoesNotExist');
  });

  it('ListQueues filters by prefix and pages with MaxResults/NextToken', async () => {
    for (const n of ['page-a', 'page-b', 'page-c']) await newQueue(n);
    const first = await client().send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2 }));
    expect(first.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['page-a', 'page-b']);
    expect(first.NextToken).toBeTruthy();
    const second = await client().send(new ListQueuesCommand({ QueueNamePrefix: 'page-', MaxResults: 2, NextToken: first.NextToken }));
    expect(second.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['page-c']);
    expect(second.NextToken).toBeUndefined();
    const none = await client().send(new ListQueuesCommand({ QueueNamePrefix: 'zzz' }));
    expect(none.QueueUrls).toBeUndefined();
  });

  it('a 12-digit access key id puts the queue in that account', async () => {
    const other = new SQSClient(clientConfig(ctx.g, { credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' } }));
    const { QueueUrl } = await other.send(new CreateQueueCommand({ QueueName: 'theirs' }));
    expect(QueueUrl).toBe(`http://${host()}/111122223333/theirs`);
    expect((await client().send(new ListQueuesCommand({ QueueNamePrefix: 'theirs' }))).QueueUrls).toBeUndefined();
    expect((await rejection(client().send(new GetQueueUrlCommand({ QueueName: 'theirs' })))).name).toBe('QueueDoesNotExist');
    const shared = await client().send(new GetQueueUrlCommand({ QueueName: 'theirs', QueueOwnerAWSAccountId: '111122223333' }));
    expect(shared.QueueUrl).toBe(QueueUrl);
  });

  it('DeleteQueue removes it; tags round-trip', async () => {
    const url = await newQueue('doomed');
    await client().send(new TagQueueCommand({ QueueUrl: url, Tags: { team: 'a', env: 'dev' } }));
    await client().send(new UntagQueueCommand({ QueueUrl: url, TagKeys: ['env'] }));
    expect((await client().send(new ListQueueTagsCommand({ QueueUrl: url }))).Tags).toEqual({ team: 'a' });
    await client().send(new DeleteQueueCommand({ QueueUrl: url }));
    expect((await rejection(client().send(new GetQueueUrlCommand({ QueueName: 'doomed' })))).name).toBe('QueueDoesNotExist');
    expect((await rejection(client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })))).name).toBe('QueueDoesNotExist');
  });
});

describe('messages', () => {
  it('sends and receives with attributes; the SDK has verified the body MD5', async () => {
    const url = await newQueue('msgs');
    const sent = await client().send(new SendMessageCommand({
      QueueUrl: url,
      MessageBody: 'héllo 🌍',
      MessageAttributes: {
        Colour: { DataType: 'String', StringValue: 'blue' },
        Count: { DataType: 'Number', StringValue: '42' },
        Blob: { DataType: 'Binary', BinaryValue: Uint8Array.of(0, 1, 2, 255) },
        Custom: { DataType: 'String.Custom', StringValue: 'x' },
      },
      MessageSystemAttributes: { AWSTraceHeader: { DataType: 'String', StringValue: 'Root=1-5759e988-bd862e3fe1be46a994272793' } },
    }));
    expect(sent.MD5OfMessageBody).toBe(createHash('md5').update('héllo 🌍', 'utf8').digest('hex'));
    expect(sent.MD5OfMessageAttributes).toMatch(/^[0-9a-f]{32}$/);
    expect(sent.MD5OfMessageSystemAttributes).toMatch(/^[0-9a-f]{32}$/);
    const { Messages } = await client().send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }));
    const m = Messages![0]!;
    expect(m.Body).toBe('héllo 🌍');
    expect(m.MessageId).toBe(sent.MessageId);
    expect(m.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
    expect(m.MessageAttributes?.Blob?.BinaryValue).toEqual(Uint8Array.of(0, 1, 2, 255));
    expect(m.MessageAttributes?.Count).toEqual({ DataType: 'Number', StringValue: '42' });
    expect(m.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: '000000000000', AWSTraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' });
    expect(Number(m.Attributes!.SentTimestamp)).toBe(ctx.g.clock.now().getTime());
  });

  it('selects message attributes by name and prefix.*', async () => {
    const url = await newQueue('select');
    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'b', MessageAttributes: {
      'order.id': { DataType: 'String', StringValue: '1' }, 'order.total': { DataType: 'Number', StringValue: '2.5' }, other: { DataType: 'String', StringValue: 'o' },
    } }));
    const { Messages } = await client().send(new ReceiveMessageCommand({ QueueUrl: url, MessageAttributeNames: ['order.*'] }));
    expect(Object.keys(Messages![0]!.MessageAttributes!).sort()).toEqual(['order.id', 'order.total']);
    expect(Messages![0]!.Attributes).toBeUndefined();
  });

  it('rejects bad bodies and parameters', async () => {
    const url = await newQueue('strict', { MaximumMessageSize: '1024' });
    const chars = await rejection(client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'bad \u0001 char' })));
    expect(chars.name).toBe('InvalidMessageContents');
    const big = await rejection(client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x'.repeat(1025) })));
    expect(big.message).toBe('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
    const many = await rejection(client().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 11 })));
    expect(many.message).toBe('Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.');
    const attr = await rejection(client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageAttributes: { n: { DataType: 'Number', StringValue: 'abc' } } })));
    expect(attr.name).toBe('InvalidParameterValue');
  });

  it('hides a received message for the visibility timeout, then shows it again (virtual clock)', async () => {
    const url = await newQueue('vis');
    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'again' }));
    const first = (await client().send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages![0]!;
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const attrs = await client().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('1');
    ctx.g.clock.advance('29s');
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    ctx.g.clock.advance('2s');
    const second = (await client().send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['ApproximateReceiveCount'] }))).Messages![0]!;
    expect(second.MessageId).toBe(first.MessageId);
    expect(second.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(second.ReceiptHandle).not.toBe(first.ReceiptHandle);
    // A per-request VisibilityTimeout overrides the queue's; ChangeMessageVisibility 0 shows it at once.
    ctx.g.clock.advance('31s');
    const third = (await client().send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 300 }))).Messages![0]!;
    ctx.g.clock.advance('31s');
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await client().send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: third.ReceiptHandle, VisibilityTimeout: 0 }));
    const fourth = (await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!;
    await client().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: fourth.ReceiptHandle }));
    const gone = await rejection(client().send(new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: fourth.ReceiptHandle, VisibilityTimeout: 5 })));
    expect(gone.name).toBe('InvalidParameterValue');
    expect(gone.message).toMatch(/for parameter ReceiptHandle is invalid\. Reason: Message does not exist or is not available for visibility timeout change\.$/);
  });

  it('ChangeMessageVisibilityBatch changes each entry and reports per-entry failures', async () => {
    const url = await newQueue('visbatch');
    await client().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'a', MessageBody: 'one' }, { Id: 'b', MessageBody: 'two' }] }));
    const got = (await client().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
    expect(got).toHaveLength(2);
    const out = await client().send(new ChangeMessageVisibilityBatchCommand({
      QueueUrl: url,
      Entries: [
        { Id: 'release', ReceiptHandle: got[0]!.ReceiptHandle!, VisibilityTimeout: 0 },
        { Id: 'extend', ReceiptHandle: got[1]!.ReceiptHandle!, VisibilityTimeout: 600 },
        { Id: 'bogus', ReceiptHandle: 'not-a-handle', VisibilityTimeout: 5 },
      ],
    }));
    expect(out.Successful!.map((e) => e.Id).sort()).toEqual(['extend', 'release']);
    expect(out.Failed).toEqual([expect.objectContaining({ Id: 'bogus', Code: 'ReceiptHandleIsInvalid', SenderFault: true })]);
    // The released message is visible again at once; the extended one stays hidden past the queue's 30 s.
    const again = (await client().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!;
    expect(again.map((m) => m.Body)).toEqual([got[0]!.Body]);
    ctx.g.clock.advance('5m');
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages?.map((m) => m.Body)).toEqual([got[0]!.Body]);
    ctx.g.clock.advance('6m');
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }))).Messages!.map((m) => m.Body).sort()).toEqual(['one', 'two']);
  });

  it('delays messages by DelaySeconds', async () => {
    const url = await newQueue('delay');
    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'later', DelaySeconds: 10 }));
    const a = await client().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    expect(a.Attributes?.ApproximateNumberOfMessagesDelayed).toBe('1');
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    ctx.g.clock.advance('10s');
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages?.[0]?.Body).toBe('later');
  });

  it('long polling: a send wakes a waiting receiver before WaitTimeSeconds', async () => {
    const url = await newQueue('poll');
    const timers = ctx.g.runtime.clock.pendingTimers();
    const waiting = client().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    // The receive is parked once its deadline timer exists on the (frozen) clock.
    while (ctx.g.runtime.clock.pendingTimers() === timers) await new Promise((r) => setTimeout(r, 5));
    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'wake up' }));
    expect((await waiting).Messages?.[0]?.Body).toBe('wake up');
  });

  it('long polling: ends empty when WaitTimeSeconds passes, and wakes when a delayed message appears', async () => {
    const url = await newQueue('poll-empty');
    let timers = ctx.g.runtime.clock.pendingTimers();
    const waiting = client().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 5 }));
    while (ctx.g.runtime.clock.pendingTimers() === timers) await new Promise((r) => setTimeout(r, 5));
    ctx.g.clock.advance('5s');
    expect((await waiting).Messages).toBeUndefined();

    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'soon', DelaySeconds: 3 }));
    timers = ctx.g.runtime.clock.pendingTimers();
    const waiting2 = client().send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 20 }));
    while (ctx.g.runtime.clock.pendingTimers() === timers) await new Promise((r) => setTimeout(r, 5));
    ctx.g.clock.advance('3s');
    expect((await waiting2).Messages?.[0]?.Body).toBe('soon');
  });

  it('DeleteMessage: garbage handles fail, stale well-formed ones succeed', async () => {
    const url = await newQueue('del');
    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'one' }));
    const m = (await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages![0]!;
    const bad = await rejection(client().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: 'garbage' })));
    expect(bad.name).toBe('ReceiptHandleIsInvalid');
    expect(bad.message).toBe('The input receipt handle "garbage" is not a valid receipt handle.');
    await client().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    await client().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle })); // already gone: fine
    ctx.g.clock.advance('31s');
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
  });

  it('batches: send and delete up to ten, with per-entry failures', async () => {
    const url = await newQueue('batch');
    const sent = await client().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [
      { Id: 'a', MessageBody: 'A' }, { Id: 'b', MessageBody: 'B' }, { Id: 'bad', MessageBody: '\u0000' },
    ] }));
    expect(sent.Successful?.map((s) => s.Id).sort()).toEqual(['a', 'b']);
    expect(sent.Failed).toEqual([expect.objectContaining({ Id: 'bad', Code: 'InvalidMessageContents', SenderFault: true })]);
    const got = await client().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body).sort()).toEqual(['A', 'B']);
    const del = await client().send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: got.Messages!.map((m, i) => ({ Id: `m${i}`, ReceiptHandle: m.ReceiptHandle! })) }));
    expect(del.Successful).toHaveLength(2);
    const dup = await rejection(client().send(new SendMessageBatchCommand({ QueueUrl: url, Entries: [{ Id: 'x', MessageBody: '1' }, { Id: 'x', MessageBody: '2' }] })));
    expect(dup.name).toBe('BatchEntryIdsNotDistinct');
  });

  it('PurgeQueue empties the queue', async () => {
    const url = await newQueue('purge');
    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await client().send(new PurgeQueueCommand({ QueueUrl: url }));
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    expect((await rejection(client().send(new PurgeQueueCommand({ QueueUrl: url })))).name).toBe('PurgeQueueInProgress');
  });

  it('FIFO: order within a group, deduplication, sequence numbers', async () => {
    const url = await newQueue('jobs.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    const s1 = await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first', MessageGroupId: 'g' }));
    const s2 = await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'second', MessageGroupId: 'g' }));
    const dup = await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'first', MessageGroupId: 'g' }));
    expect(dup.MessageId).toBe(s1.MessageId);
    expect(BigInt(s2.SequenceNumber!)).toBeGreaterThan(BigInt(s1.SequenceNumber!));
    const noGroup = await rejection(client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' })));
    expect(noGroup.name).toBe('MissingParameter');
    const r1 = await client().send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(r1.Messages?.[0]?.Body).toBe('first');
    // The group is blocked while "first" is in flight.
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    await client().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: r1.Messages![0]!.ReceiptHandle }));
    const r2 = await client().send(new ReceiveMessageCommand({ QueueUrl: url }));
    expect(r2.Messages?.[0]?.Body).toBe('second');
    // FIFO refuses a receipt handle whose visibility timeout ran out.
    ctx.g.clock.advance('31s');
    const expired = await rejection(client().send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: r2.Messages![0]!.ReceiptHandle })));
    expect(expired.message).toMatch(/Reason: The receipt handle has expired\.$/);
  });

  it('moves a message to the dead-letter queue after maxReceiveCount receives', async () => {
    const dlq = await newQueue('dead');
    const dlqArn = (await client().send(new GetQueueAttributesCommand({ QueueUrl: dlq, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const url = await newQueue('live', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: 2 }), VisibilityTimeout: '1' });
    await client().send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'poison' }));
    for (let i = 0; i < 2; i++) {
      expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toHaveLength(1);
      ctx.g.clock.advance('1s');
    }
    expect((await client().send(new ReceiveMessageCommand({ QueueUrl: url }))).Messages).toBeUndefined();
    const moved = await client().send(new ReceiveMessageCommand({ QueueUrl: dlq, MessageSystemAttributeNames: ['All'] }));
    expect(moved.Messages?.[0]?.Body).toBe('poison');
    expect(moved.Messages?.[0]?.Attributes?.DeadLetterQueueSourceArn).toBe('arn:aws:sqs:us-east-1:000000000000:live');
  });
});
