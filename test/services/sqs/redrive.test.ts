// covers: sqs.ListDeadLetterSourceQueues sqs.StartMessageMoveTask sqs.ListMessageMoveTasks sqs.CancelMessageMoveTask sqs.CreateQueue sqs.SetQueueAttributes sqs.SendMessage sqs.ReceiveMessage sqs.DeleteQueue
/** Dead-letter queues: source lists, RedriveAllowPolicy, and message move tasks on the virtual clock. */
import { describe, expect, it } from 'vitest';
import {
  SQSClient, CreateQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, SendMessageCommand, ReceiveMessageCommand,
  DeleteQueueCommand, ListDeadLetterSourceQueuesCommand, StartMessageMoveTaskCommand, ListMessageMoveTasksCommand, CancelMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { clientConfig, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sqs = () => new SQSClient(clientConfig(ctx.g));
const ARN = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;

async function queue(name: string, Attributes?: Record<string, string>) {
  return (await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
}
const redrive = (dlq: string, maxReceiveCount = 1) => JSON.stringify({ deadLetterTargetArn: ARN(dlq), maxReceiveCount });
const count = async (url: string) =>
  Number((await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }))).Attributes!.ApproximateNumberOfMessages);

/** Sends the bodies to `url` and drives each into its dead-letter queue (maxReceiveCount 1, VisibilityTimeout 0). */
async function deadLetter(url: string, bodies: string[]) {
  for (const b of bodies) await sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: b }));
  for (let i = 0; i < bodies.length; i++) await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
  for (let i = 0; i < bodies.length; i++) await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, VisibilityTimeout: 0 }));
}

async function bodies(url: string): Promise<string[]> {
  const out: string[] = [];
  for (;;) {
    const r = await sqs().send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, VisibilityTimeout: 300, MessageSystemAttributeNames: ['All'] }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages.map((m) => m.Body!));
  }
}

describe('ListDeadLetterSourceQueues', () => {
  it('lists the queues whose RedrivePolicy names the queue, sorted, paginated with MaxResults', async () => {
    const dlq = await queue('lds-dlq');
    const other = await queue('lds-other');
    for (const n of ['lds-c', 'lds-a', 'lds-b']) await queue(n, { RedrivePolicy: redrive('lds-dlq') });
    await queue('lds-unrelated', { RedrivePolicy: redrive('lds-other') });
    const all = await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq }));
    expect(all.queueUrls).toEqual(['lds-a', 'lds-b', 'lds-c'].map((n) => `${ctx.g.endpoint}/000000000000/${n}`));
    expect(all.NextToken).toBeUndefined();
    const p1 = await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 2 }));
    expect(p1.queueUrls!.map((u) => u.split('/').pop())).toEqual(['lds-a', 'lds-b']);
    const p2 = await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq, MaxResults: 2, NextToken: p1.NextToken }));
    expect(p2.queueUrls!.map((u) => u.split('/').pop())).toEqual(['lds-c']);
    expect(p2.NextToken).toBeUndefined();
    expect((await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: other }))).queueUrls!.map((u) => u.split('/').pop())).toEqual(['lds-unrelated']);
    // Removing the policy removes the source.
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: `${ctx.g.endpoint}/000000000000/lds-unrelated`, Attributes: { RedrivePolicy: '' } }));
    expect((await sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: other }))).queueUrls).toEqual([]);
    expect(await failure(sqs().send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: `${ctx.g.endpoint}/000000000000/nope` })))).toMatchObject({ name: 'QueueDoesNotExist', status: 400 });
  });
});

describe('RedriveAllowPolicy', () => {
  it('is validated and decides which source queues may use the queue as their dead-letter queue', async () => {
    const bad = await failure(queue('rap-bad', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue' }) }));
    expect(bad).toMatchObject({ name: 'InvalidParameterValue', message: 'Value {"redrivePermission":"byQueue"} for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can\'t create the redrive allow policy. When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values.' });
    expect((await failure(queue('rap-bad', { RedriveAllowPolicy: '{"redrivePermission":"sometimes"}' }))).name).toBe('InvalidParameterValue');
    await queue('rap-deny', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    await queue('rap-only', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [ARN('rap-chosen')] }) });
    const denied = await failure(queue('rap-src', { RedrivePolicy: redrive('rap-deny') }));
    expect(denied.name).toBe('InvalidParameterValue');
    expect(denied.message).toMatch(/^Value .* for parameter RedrivePolicy is invalid\. Reason: /);
    expect((await failure(queue('rap-src', { RedrivePolicy: redrive('rap-only') }))).name).toBe('InvalidParameterValue');
    await queue('rap-chosen', { RedrivePolicy: redrive('rap-only') });
    const missing = await failure(queue('rap-src', { RedrivePolicy: '{"deadLetterTargetArn":"dummy","maxReceiveCount":42}' }));
    expect(missing.message).toBe('Value {"deadLetterTargetArn":"dummy","maxReceiveCount":42} for parameter RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.');
  });
});

describe('message move tasks', () => {
  it('moves the dead-letter queue back to a destination at MaxNumberOfMessagesPerSecond on the clock', async () => {
    const dlq = await queue('mv-dlq');
    const src = await queue('mv-src', { RedrivePolicy: redrive('mv-dlq') });
    const dest = await queue('mv-dest');
    await deadLetter(src, ['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(await count(dlq)).toBe(5);
    const started = ctx.g.clock.now().getTime();
    const { TaskHandle } = await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('mv-dlq'), DestinationArn: ARN('mv-dest'), MaxNumberOfMessagesPerSecond: 2 }));
    expect(JSON.parse(Buffer.from(TaskHandle!, 'base64').toString())).toMatchObject({ sourceArn: ARN('mv-dlq') });
    // The first second's batch moves at once; one more batch per second after that.
    expect(await count(dest)).toBe(2);
    const running = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: ARN('mv-dlq') }));
    expect(running.Results).toEqual([{
      TaskHandle, Status: 'RUNNING', SourceArn: ARN('mv-dlq'), DestinationArn: ARN('mv-dest'), MaxNumberOfMessagesPerSecond: 2,
      ApproximateNumberOfMessagesMoved: 2, ApproximateNumberOfMessagesToMove: 5, StartedTimestamp: started,
    }]);
    ctx.g.clock.advance('999ms');
    expect(await count(dest)).toBe(2);
    ctx.g.clock.advance('1ms');
    expect(await count(dest)).toBe(4);
    ctx.g.clock.advance('1s');
    expect(await count(dlq)).toBe(0);
    const done = (await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: ARN('mv-dlq') }))).Results![0]!;
    expect(done).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 5, ApproximateNumberOfMessagesToMove: 5 });
    expect(done.TaskHandle).toBeUndefined();
    // Oldest first; moved messages are new messages (never received, no dead-letter source).
    const r = await sqs().send(new ReceiveMessageCommand({ QueueUrl: dest, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    expect(r.Messages!.map((m) => m.Body)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(r.Messages![0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '1' });
    expect(r.Messages![0]!.Attributes!.DeadLetterQueueSourceArn).toBeUndefined();
    expect(await failure(sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle })))).toMatchObject({ name: 'UnsupportedOperation' });
  });

  it('without a destination sends every message back to the queue it was dead-lettered from', async () => {
    await queue('home-dlq');
    const a = await queue('home-a', { RedrivePolicy: redrive('home-dlq') });
    const b = await queue('home-b', { RedrivePolicy: redrive('home-dlq') });
    await deadLetter(a, ['a1', 'a2']);
    await deadLetter(b, ['b1']);
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('home-dlq') }));
    expect((await bodies(a)).sort()).toEqual(['a1', 'a2']);
    expect(await bodies(b)).toEqual(['b1']);
    const [t] = (await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: ARN('home-dlq') }))).Results!;
    expect(t).toMatchObject({ Status: 'COMPLETED', ApproximateNumberOfMessagesMoved: 3 });
    expect(t!.DestinationArn).toBeUndefined();
    expect(t!.MaxNumberOfMessagesPerSecond).toBeUndefined();
  });

  it('cancels a running task, keeps the rest in the dead-letter queue, and lists the most recent tasks first', async () => {
    const dlq = await queue('cx-dlq');
    const src = await queue('cx-src', { RedrivePolicy: redrive('cx-dlq') });
    await queue('cx-dest');
    await deadLetter(src, ['1', '2', '3', '4']);
    const { TaskHandle } = await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('cx-dlq'), DestinationArn: ARN('cx-dest'), MaxNumberOfMessagesPerSecond: 1 }));
    const twice = await failure(sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('cx-dlq'), DestinationArn: ARN('cx-dest') })));
    expect(twice).toEqual({ name: 'InvalidParameterValue', message: 'There is already a task running. Only one active task is allowed for a source queue arn at a given time.', status: 400 });
    ctx.g.clock.advance('1s');
    expect(await sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle }))).toMatchObject({ ApproximateNumberOfMessagesMoved: 2 });
    ctx.g.clock.advance('10s');
    expect(await count(dlq)).toBe(2);
    ctx.g.clock.advance('1s');
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('cx-dlq'), DestinationArn: ARN('cx-dest') }));
    const list = await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: ARN('cx-dlq'), MaxResults: 10 }));
    expect(list.Results!.map((t) => [t.Status, t.ApproximateNumberOfMessagesMoved])).toEqual([['COMPLETED', 2], ['CANCELLED', 2]]);
    expect((await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: ARN('cx-dlq') }))).Results).toHaveLength(1);
  });

  it('fails with the queue error when the destination disappears, leaving the rest in place', async () => {
    const dlq = await queue('gone-dlq');
    const src = await queue('gone-src', { RedrivePolicy: redrive('gone-dlq') });
    const dest = await queue('gone-dest');
    await deadLetter(src, ['1', '2', '3']);
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('gone-dlq'), DestinationArn: ARN('gone-dest'), MaxNumberOfMessagesPerSecond: 1 }));
    await sqs().send(new DeleteQueueCommand({ QueueUrl: dest }));
    ctx.g.clock.advance('1s');
    const [t] = (await sqs().send(new ListMessageMoveTasksCommand({ SourceArn: ARN('gone-dlq') }))).Results!;
    expect(t).toMatchObject({ Status: 'FAILED', FailureReason: 'AWS.SimpleQueueService.NonExistentQueue', ApproximateNumberOfMessagesMoved: 1 });
    expect(await count(dlq)).toBe(2);
  });

  it('answers AWS errors for bad sources, destinations, rates and handles', async () => {
    await queue('err-plain');
    await queue('err-dlq');
    await queue('err-src', { RedrivePolicy: redrive('err-dlq') });
    await queue('err-fifo.fifo', { FifoQueue: 'true' });
    expect(await failure(sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('err-plain') })))).toEqual({
      name: 'InvalidParameterValue', message: 'Source queue must be configured as a Dead Letter Queue.', status: 400,
    });
    expect(await failure(sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('err-dlq'), DestinationArn: ARN('err-nope') })))).toEqual({
      name: 'ResourceNotFoundException', message: 'The resource that you specified for the DestinationArn parameter doesn\'t exist.', status: 404,
    });
    expect(await failure(sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('err-none') })))).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
    expect((await failure(sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('err-dlq'), DestinationArn: ARN('err-fifo.fifo') })))).name).toBe('InvalidParameterValue');
    expect((await failure(sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('err-dlq'), MaxNumberOfMessagesPerSecond: 501 })))).name).toBe('InvalidParameterValue');
    expect(await failure(sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle: 'foobared' })))).toEqual({
      name: 'InvalidParameterValue', message: 'Value for parameter TaskHandle is invalid.', status: 400,
    });
    const handle = (sourceArn: string) => Buffer.from(JSON.stringify({ taskId: '10f57157-fc38-4da9-a113-4de7e12d05dd', sourceArn })).toString('base64');
    expect(await failure(sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(ARN('err-missing')) })))).toEqual({
      name: 'ResourceNotFoundException', message: 'The resource that you specified for the SourceArn parameter doesn\'t exist.', status: 404,
    });
    expect(await failure(sqs().send(new CancelMessageMoveTaskCommand({ TaskHandle: handle(ARN('err-dlq')) })))).toEqual({
      name: 'ResourceNotFoundException', message: 'Task does not exist.', status: 404,
    });
  });

  it('redrives FIFO dead-letter queues, keeping message groups', async () => {
    await queue('fmv-dlq.fifo', { FifoQueue: 'true' });
    const src = await queue('fmv-src.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true', RedrivePolicy: redrive('fmv-dlq.fifo') });
    const dest = await queue('fmv-dest.fifo', { FifoQueue: 'true' });
    for (const b of ['x1', 'x2']) await sqs().send(new SendMessageCommand({ QueueUrl: src, MessageBody: b, MessageGroupId: 'g' }));
    for (let i = 0; i < 4; i++) await sqs().send(new ReceiveMessageCommand({ QueueUrl: src, VisibilityTimeout: 0 }));
    await sqs().send(new StartMessageMoveTaskCommand({ SourceArn: ARN('fmv-dlq.fifo'), DestinationArn: ARN('fmv-dest.fifo') }));
    const r = await sqs().send(new ReceiveMessageCommand({ QueueUrl: dest, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    expect(r.Messages!.map((m) => [m.Body, m.Attributes!.MessageGroupId])).toEqual([['x1', 'g'], ['x2', 'g']]);
  });
});
