// covers: sqs.CreateQueue sqs.ListQueues sqs.GetQueueUrl sqs.SendMessage sqs.ReceiveMessage s3.CreateBucket s3.ListBuckets s3.PutObject s3.GetObject dynamodb.CreateTable dynamodb.ListTables logs.CreateLogGroup logs.DescribeLogGroups
//
// The in-process API: several startGureum() instances in one process are fully isolated —
// their own port, state, clock and reset — and stop() gives the port back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SQSClient, CreateQueueCommand, ListQueuesCommand, GetQueueUrlCommand, SendMessageCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { S3Client, CreateBucketCommand, ListBucketsCommand, PutObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { DynamoDBClient, CreateTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { startGureum, type Gureum } from '../src/index.js';
import { clientConfig, raw } from './helpers.js';

const ROOT = new URL('..', import.meta.url).pathname;
const built = (s: string) => {
  const ok = existsSync(join(ROOT, 'src/services', s, 'index.ts'));
  if (!ok) console.warn(`[inprocess.test] service "${s}" is not built yet: its part is skipped`);
  return ok;
};
const HAS = { sqs: built('sqs'), s3: built('s3'), dynamodb: built('dynamodb'), logs: built('logs') };

let a: Gureum;
let b: Gureum;

beforeAll(async () => {
  [a, b] = await Promise.all([startGureum({ freezeClock: true }), startGureum({ freezeClock: true })]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
});

const sqs = (g: Gureum) => new SQSClient(clientConfig(g));
const s3 = (g: Gureum) => new S3Client(clientConfig(g, { forcePathStyle: true }));
const ddb = (g: Gureum) => new DynamoDBClient(clientConfig(g));
const logs = (g: Gureum) => new CloudWatchLogsClient(clientConfig(g));

async function queueNames(g: Gureum): Promise<string[]> {
  const r = await sqs(g).send(new ListQueuesCommand({}));
  return (r.QueueUrls ?? []).map((u) => u.split('/').pop()!);
}
async function bucketNames(g: Gureum): Promise<string[]> {
  const r = await s3(g).send(new ListBucketsCommand({}));
  return (r.Buckets ?? []).map((x) => x.Name!);
}
async function tableNames(g: Gureum): Promise<string[]> {
  return (await ddb(g).send(new ListTablesCommand({}))).TableNames ?? [];
}
async function logGroupNames(g: Gureum): Promise<string[]> {
  const r = await logs(g).send(new DescribeLogGroupsCommand({}));
  return (r.logGroups ?? []).map((x) => x.logGroupName!);
}

describe('two instances in one process', () => {
  test('listen on different ports and both answer', async () => {
    expect(a.port).toBeGreaterThan(0);
    expect(b.port).toBeGreaterThan(0);
    expect(a.port).not.toBe(b.port);
    expect(a.endpoint).toBe(`http://127.0.0.1:${a.port}`);
    for (const g of [a, b]) expect((await raw(g, '/_gureum/health')).status).toBe(200);
  });

  test('state made in one is absent in the other', async () => {
    if (HAS.sqs) {
      await sqs(a).send(new CreateQueueCommand({ QueueName: 'only-in-a' }));
      await sqs(b).send(new CreateQueueCommand({ QueueName: 'only-in-b' }));
      expect(await queueNames(a)).toEqual(['only-in-a']);
      expect(await queueNames(b)).toEqual(['only-in-b']);
      const missing = await sqs(b).send(new GetQueueUrlCommand({ QueueName: 'only-in-a' })).then(
        () => 'found',
        (e: Error) => e.name,
      );
      expect(missing).toMatch(/QueueDoesNotExist|NonExistentQueue/);
    }
    if (HAS.s3) {
      await s3(a).send(new CreateBucketCommand({ Bucket: 'bucket-in-a' }));
      await s3(a).send(new PutObjectCommand({ Bucket: 'bucket-in-a', Key: 'k', Body: 'from a' }));
      expect(await bucketNames(a)).toEqual(['bucket-in-a']);
      expect(await bucketNames(b)).toEqual([]);
      // the same bucket name is free in the other instance (bucket names are global per instance)
      await s3(b).send(new CreateBucketCommand({ Bucket: 'bucket-in-a' }));
      await s3(b).send(new PutObjectCommand({ Bucket: 'bucket-in-a', Key: 'k', Body: 'from b' }));
      const read = async (g: Gureum) => (await (await s3(g).send(new GetObjectCommand({ Bucket: 'bucket-in-a', Key: 'k' }))).Body!.transformToString());
      expect(await read(a)).toBe('from a');
      expect(await read(b)).toBe('from b');
    }
    if (HAS.dynamodb) {
      await ddb(a).send(new CreateTableCommand({ TableName: 'table-in-a', AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
      expect(await tableNames(a)).toEqual(['table-in-a']);
      expect(await tableNames(b)).toEqual([]);
    }
    if (HAS.logs) {
      await logs(a).send(new CreateLogGroupCommand({ logGroupName: '/in/a' }));
      expect(await logGroupNames(a)).toEqual(['/in/a']);
      expect(await logGroupNames(b)).toEqual([]);
    }
  });

  test('each has its own clock: advancing one does not move the other', async () => {
    const t0a = a.clock.now().getTime();
    const t0b = b.clock.now().getTime();
    a.clock.advance('PT2H');
    expect(a.clock.now().getTime() - t0a).toBe(7_200_000);
    expect(b.clock.now().getTime()).toBe(t0b);
    // the control API of each endpoint reports its own clock
    const stateOf = async (g: Gureum) => JSON.parse((await raw(g, '/_gureum/clock')).text) as { epochMs: number; frozen: boolean };
    expect((await stateOf(a)).epochMs).toBe(t0a + 7_200_000);
    expect((await stateOf(b)).epochMs).toBe(t0b);
    // and advancing through the control API of one leaves the other alone
    await raw(b, '/_gureum/clock', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ advance: 'PT30M' }) });
    expect(b.clock.now().getTime()).toBe(t0b + 1_800_000);
    expect(a.clock.now().getTime()).toBe(t0a + 7_200_000);
  });

  test("one instance's timers fire on its own clock only (SQS DelaySeconds)", async () => {
    if (!HAS.sqs) return;
    const urls = await Promise.all(
      [a, b].map(async (g) => {
        const { QueueUrl } = await sqs(g).send(new CreateQueueCommand({ QueueName: 'delayed' }));
        await sqs(g).send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 60 }));
        return QueueUrl!;
      }),
    );
    const receive = async (g: Gureum, url: string) => (await sqs(g).send(new ReceiveMessageCommand({ QueueUrl: url, WaitTimeSeconds: 0 }))).Messages?.map((m) => m.Body) ?? [];
    expect(await receive(a, urls[0]!)).toEqual([]);
    expect(await receive(b, urls[1]!)).toEqual([]);
    a.clock.advance(61_000);
    expect(await receive(a, urls[0]!)).toEqual(['later']);
    expect(await receive(b, urls[1]!)).toEqual([]);
  });

  test('reset() empties one instance and leaves the other alone', async () => {
    await a.reset();
    if (HAS.sqs) {
      expect(await queueNames(a)).toEqual([]);
      expect((await queueNames(b)).sort()).toEqual(['delayed', 'only-in-b']);
    }
    if (HAS.s3) {
      expect(await bucketNames(a)).toEqual([]);
      expect(await bucketNames(b)).toEqual(['bucket-in-a']);
    }
    if (HAS.dynamodb) expect(await tableNames(a)).toEqual([]);
    if (HAS.logs) expect(await logGroupNames(a)).toEqual([]);
    // the emptied instance keeps working
    if (HAS.sqs) {
      await sqs(a).send(new CreateQueueCommand({ QueueName: 'after-reset' }));
      expect(await queueNames(a)).toEqual(['after-reset']);
    }
  });

  test('reset(service) empties only that service', async () => {
    if (!HAS.sqs || !HAS.s3) return;
    await s3(b).send(new CreateBucketCommand({ Bucket: 'stays' }));
    await b.reset('sqs');
    expect(await queueNames(b)).toEqual([]);
    expect((await bucketNames(b)).sort()).toEqual(['bucket-in-a', 'stays']);
  });
});

describe('stop()', () => {
  test('frees the port, and the other instance keeps answering', async () => {
    const c = await startGureum();
    const port = c.port;
    expect((await raw(c, '/_gureum/health')).status).toBe(200);
    await c.stop();
    await expect(fetch(`http://127.0.0.1:${port}/_gureum/health`)).rejects.toThrow();
    // the port can be bound again at once
    await new Promise<void>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => s.close(() => resolve()));
    });
    // and a new instance can take exactly that port
    const d = await startGureum({ port });
    expect(d.port).toBe(port);
    expect((await raw(d, '/_gureum/health')).status).toBe(200);
    await d.stop();
    expect((await raw(a, '/_gureum/health')).status).toBe(200);
  });

  test('stop() with a keep-alive client connected still returns', async () => {
    const c = await startGureum();
    // an SDK client keeps its connection open between requests
    if (HAS.sqs) await sqs(c).send(new ListQueuesCommand({}));
    else await raw(c, '/_gureum/health');
    const started = Date.now();
    await c.stop();
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
