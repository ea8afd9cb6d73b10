// covers: sqs.CreateQueue sqs.SendMessage sqs.ReceiveMessage sqs.DeleteMessage sqs.GetQueueUrl sqs.ChangeMessageVisibility
/** SQS through the AWS CLI and boto3 (both speak the json protocol), and state across a restart. */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SQSClient, CreateQueueCommand, SendMessageCommand, ReceiveMessageCommand, DeleteMessageCommand, ChangeMessageVisibilityCommand } from '@aws-sdk/client-sqs';
import { startGureum } from '../../src/index.js';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum } from '../helpers.js';

const ctx = useGureum();

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('create-queue, send-message, receive-message, delete-message', async () => {
    const created = await awsCli(ctx.g, ['sqs', 'create-queue', '--queue-name', 'cli-q', '--attributes', 'VisibilityTimeout=45']);
    expect(created.status, created.stderr).toBe(0);
    const url = (created.json as { QueueUrl: string }).QueueUrl;
    expect(url).toBe(`${ctx.g.endpoint}/000000000000/cli-q`);
    const sent = await awsCli(ctx.g, ['sqs', 'send-message', '--queue-url', url, '--message-body', 'from the cli',
      '--message-attributes', '{"k":{"DataType":"String","StringValue":"v"}}']);
    expect(sent.status, sent.stderr).toBe(0);
    expect(sent.json).toMatchObject({ MD5OfMessageBody: createHash('md5').update('from the cli').digest('hex') });
    const got = await awsCli(ctx.g, ['sqs', 'receive-message', '--queue-url', url, '--message-attribute-names', 'All', '--attribute-names', 'All']);
    expect(got.status, got.stderr).toBe(0);
    const m = (got.json as { Messages: { Body: string; ReceiptHandle: string; MessageAttributes: unknown; MD5OfMessageAttributes: string }[] }).Messages[0]!;
    expect(m.Body).toBe('from the cli');
    expect(m.MessageAttributes).toEqual({ k: { DataType: 'String', StringValue: 'v' } });
    expect(m.MD5OfMessageAttributes).toBe((sent.json as { MD5OfMessageAttributes: string }).MD5OfMessageAttributes);
    expect((await awsCli(ctx.g, ['sqs', 'delete-message', '--queue-url', url, '--receipt-handle', m.ReceiptHandle])).status).toBe(0);
    const missing = await awsCli(ctx.g, ['sqs', 'get-queue-url', '--queue-name', 'no-such-queue']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('send/receive with every MD5 checked against an independent implementation', async () => {
    const r = await boto3(ctx.g, `
import hashlib, struct
sqs = boto3.client('sqs', endpoint_url=ENDPOINT, region_name='us-east-1')
url = sqs.create_queue(QueueName='boto-q')['QueueUrl']

def md5_attrs(attrs):
    # AWS's algorithm, written from the SQS developer guide (not from gureum's code)
    h = hashlib.md5()
    def field(b):
        h.update(struct.pack('>I', len(b))); h.update(b)
    for name in sorted(attrs):
        v = attrs[name]
        field(name.encode()); field(v['DataType'].encode())
        if 'StringValue' in v:
            h.update(b'\\x01'); field(v['StringValue'].encode())
        else:
            h.update(b'\\x02'); field(v['BinaryValue'])
    return h.hexdigest()

attrs = {'b': {'DataType': 'Binary', 'BinaryValue': b'\\x00\\xff'}, 'a': {'DataType': 'Number.int', 'StringValue': '7'}, 's': {'DataType': 'String', 'StringValue': 'ünï'}}
sysattrs = {'AWSTraceHeader': {'DataType': 'String', 'StringValue': 'Root=1-abc'}}
body = 'boto body ✓'
sent = sqs.send_message(QueueUrl=url, MessageBody=body, MessageAttributes=attrs, MessageSystemAttributes=sysattrs)
assert sent['MD5OfMessageBody'] == hashlib.md5(body.encode()).hexdigest(), sent
assert sent['MD5OfMessageAttributes'] == md5_attrs(attrs), sent
assert sent['MD5OfMessageSystemAttributes'] == md5_attrs(sysattrs), sent
got = sqs.receive_message(QueueUrl=url, MessageAttributeNames=['All'], AttributeNames=['All'])['Messages'][0]
assert got['MD5OfBody'] == hashlib.md5(got['Body'].encode()).hexdigest()
assert got['MD5OfMessageAttributes'] == md5_attrs(got['MessageAttributes'])
assert got['MessageAttributes']['b']['BinaryValue'] == b'\\x00\\xff'
sqs.delete_message(QueueUrl=url, ReceiptHandle=got['ReceiptHandle'])
try:
    sqs.get_queue_url(QueueName='missing')
    raise SystemExit('expected an error')
except sqs.exceptions.QueueDoesNotExist as e:
    code = e.response['Error']['Code']
print(json.dumps({'url': url, 'body': got['Body'], 'code': code}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ url: `${ctx.g.endpoint}/000000000000/boto-q`, body: 'boto body ✓', code: 'AWS.SimpleQueueService.NonExistentQueue' });
  });
});

describe('persistence', () => {
  it('queues, messages and in-flight state survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gureum-sqs-'));
    try {
      let g = await startGureum({ dataDir: dir, freezeClock: true });
      let sqs = new SQSClient(clientConfig(g));
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'durable', Attributes: { VisibilityTimeout: '60' } }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'kept', MessageAttributes: { a: { DataType: 'Binary', BinaryValue: Uint8Array.of(9) } } }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'in flight' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'deleted' }));
      const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
      const byBody = new Map(got.Messages!.map((m) => [m.Body, m]));
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: byBody.get('deleted')!.ReceiptHandle }));
      await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl, ReceiptHandle: byBody.get('kept')!.ReceiptHandle, VisibilityTimeout: 0 }));
      const now = g.clock.now();
      await g.stop();

      g = await startGureum({ dataDir: dir, freezeClock: true });
      g.clock.set(now);
      sqs = new SQSClient(clientConfig(g));
      const url2 = QueueUrl!.replace(/:\d+\//, `:${g.port}/`);
      const again = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url2, MaxNumberOfMessages: 10, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['ApproximateReceiveCount'] }));
      expect(again.Messages?.map((m) => m.Body)).toEqual(['kept']);
      expect(again.Messages![0]!.Attributes?.ApproximateReceiveCount).toBe('2');
      expect(again.Messages![0]!.MessageAttributes?.a?.BinaryValue).toEqual(Uint8Array.of(9));
      g.clock.advance('60s');
      const later = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url2, MaxNumberOfMessages: 10 }));
      expect(later.Messages?.map((m) => m.Body).sort()).toEqual(['in flight', 'kept']);
      // A receipt handle from before the restart still deletes.
      await sqs.send(new DeleteMessageCommand({ QueueUrl: url2, ReceiptHandle: byBody.get('in flight')!.ReceiptHandle }));
      await g.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
