// covers: sns.CreateTopic sns.Subscribe sns.Publish sns.GetTopicAttributes sns.ListSubscriptionsByTopic sns.PublishBatch
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SNSClient, CreateTopicCommand, SubscribeCommand, PublishCommand } from '@aws-sdk/client-sns';
import { SQSClient, CreateQueueCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { HAS_AWS_CLI, HAS_PYTHON_BOTO3, awsCli, boto3, clientConfig, raw, useGureum } from '../helpers.js';
import { startGureum } from '../../src/index.js';

const ctx = useGureum({ freezeClock: true });

describe.skipIf(!HAS_AWS_CLI)('AWS CLI (query protocol)', () => {
  it('creates a topic, subscribes a queue, publishes and reads the envelope back', async () => {
    const t = await awsCli(ctx.g, ['sns', 'create-topic', '--name', 'cli-topic', '--attributes', 'DisplayName=CLI']);
    expect(t.status, t.stderr).toBe(0);
    const arn = (t.json as { TopicArn: string }).TopicArn;
    expect(arn).toBe('arn:aws:sns:us-east-1:000000000000:cli-topic');
    const q = await awsCli(ctx.g, ['sqs', 'create-queue', '--queue-name', 'cli-q']);
    const url = (q.json as { QueueUrl: string }).QueueUrl;
    const s = await awsCli(ctx.g, ['sns', 'subscribe', '--topic-arn', arn, '--protocol', 'sqs', '--notification-endpoint', 'arn:aws:sqs:us-east-1:000000000000:cli-q']);
    expect(s.status, s.stderr).toBe(0);
    const p = await awsCli(ctx.g, ['sns', 'publish', '--topic-arn', arn, '--message', 'from cli', '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}']);
    expect(p.status, p.stderr).toBe(0);
    expect((p.json as { MessageId: string }).MessageId).toMatch(/^[0-9a-f-]{36}$/);
    const r = await awsCli(ctx.g, ['sqs', 'receive-message', '--queue-url', url]);
    const env = JSON.parse((r.json as { Messages: { Body: string }[] }).Messages[0]!.Body);
    expect(env).toMatchObject({ Type: 'Notification', Message: 'from cli', TopicArn: arn, MessageAttributes: { k: { Type: 'String', Value: 'v' } } });
    const attrs = await awsCli(ctx.g, ['sns', 'get-topic-attributes', '--topic-arn', arn]);
    expect((attrs.json as { Attributes: Record<string, string> }).Attributes).toMatchObject({ DisplayName: 'CLI', SubscriptionsConfirmed: '1' });
    const list = await awsCli(ctx.g, ['sns', 'list-subscriptions-by-topic', '--topic-arn', arn]);
    expect((list.json as { Subscriptions: unknown[] }).Subscriptions).toHaveLength(1);
    const bad = await awsCli(ctx.g, ['sns', 'get-topic-attributes', '--topic-arn', 'arn:aws:sns:us-east-1:000000000000:nope']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/NotFound.*Topic does not exist/);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('FIFO topic → FIFO queue, PublishBatch, error codes', async () => {
    const r = await boto3(ctx.g, `
sns = boto3.client('sns', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
sqs = boto3.client('sqs', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
t = sns.create_topic(Name='py.fifo', Attributes={'FifoTopic': 'true', 'ContentBasedDeduplication': 'true'})['TopicArn']
q = sqs.create_queue(QueueName='py.fifo', Attributes={'FifoQueue': 'true'})['QueueUrl']
sns.subscribe(TopicArn=t, Protocol='sqs', Endpoint='arn:aws:sqs:us-east-1:000000000000:py.fifo', Attributes={'RawMessageDelivery': 'true'})
b = sns.publish_batch(TopicArn=t, PublishBatchRequestEntries=[{'Id': str(i), 'Message': 'm%d' % i, 'MessageGroupId': 'g'} for i in range(3)])
msgs = sqs.receive_message(QueueUrl=q, MaxNumberOfMessages=10)['Messages']
code = None
try:
    sns.publish(TopicArn=t, Message='x')
except sns.exceptions.InvalidParameterException as e:
    code = e.response['Error']['Code']
nf = None
try:
    sns.get_topic_attributes(TopicArn=t + 'x')
except sns.exceptions.NotFoundException as e:
    nf = e.response['Error']['Code']
print(json.dumps({'ok': [s['Id'] for s in b['Successful']], 'bodies': [m['Body'] for m in msgs], 'code': code, 'nf': nf}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ ok: ['0', '1', '2'], bodies: ['m0', 'm1', 'm2'], code: 'InvalidParameter', nf: 'NotFound' });
  });
});

describe('persistence', () => {
  it('keeps topics, subscriptions and the signing key across a restart of the data dir', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gureum-sns-'));
    try {
      let g = await startGureum({ dataDir: dir, freezeClock: true });
      const sns = new SNSClient(clientConfig(g));
      const arn = (await sns.send(new CreateTopicCommand({ Name: 'kept' }))).TopicArn!;
      await new SQSClient(clientConfig(g)).send(new CreateQueueCommand({ QueueName: 'kept-q' }));
      await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: 'arn:aws:sqs:us-east-1:000000000000:kept-q' }));
      const cert1 = (await raw(g, '/_gureum/sns/SimpleNotificationService.pem')).text;
      expect(cert1).toMatch(/^-----BEGIN CERTIFICATE-----/);
      await g.stop();

      g = await startGureum({ dataDir: dir, freezeClock: true });
      expect((await raw(g, '/_gureum/sns/SimpleNotificationService.pem')).text).toBe(cert1);
      await new SNSClient(clientConfig(g)).send(new PublishCommand({ TopicArn: arn, Message: 'after restart' }));
      const url = `${g.endpoint}/000000000000/kept-q`;
      const m = await new SQSClient(clientConfig(g)).send(new ReceiveMessageCommand({ QueueUrl: url }));
      expect(JSON.parse(m.Messages![0]!.Body!).Message).toBe('after restart');
      await g.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
