// covers: events.CreateArchive events.DescribeArchive events.StartReplay events.DescribeReplay events.CreateConnection events.DescribeConnection events.PutRule events.PutTargets events.PutEvents
/**
 * Archives, replays and connections are durable: archived events survive a restart, and a
 * replay accepted before the restart runs to COMPLETED after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EventBridgeClient, CreateArchiveCommand, DescribeArchiveCommand, StartReplayCommand, DescribeReplayCommand,
  CreateConnectionCommand, DescribeConnectionCommand, PutRuleCommand, PutTargetsCommand, PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startGureum } from '../../../src/index.js';
import { clientConfig, drainQueue } from '../../helpers.js';

describe('restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gureum-events-archive-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps archived events, connections, and finishes a replay accepted before the restart', async () => {
    const start = Date.parse('2035-01-01T00:00:00Z');
    let g = await startGureum({ dataDir, freezeClock: true });
    g.clock.set(start);
    let eb = new EventBridgeClient(clientConfig(g));
    const sqs = new SQSClient(clientConfig(g));
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'replayed' }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const archive = (await eb.send(new CreateArchiveCommand({ ArchiveName: 'durable', EventSourceArn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' }))).ArchiveArn!;
    await eb.send(new CreateConnectionCommand({ Name: 'kept', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    await eb.send(new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'x', Detail: '{"n":1}' }, { Source: 'app', DetailType: 'x', Detail: '{"n":2}' }] }));
    await eb.send(new PutRuleCommand({ Name: 'r', EventPattern: JSON.stringify({ source: ['app'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'q', Arn: arn }] }));
    g.clock.advance('1m');
    await eb.send(new StartReplayCommand({ ReplayName: 'after-restart', EventSourceArn: archive, EventStartTime: new Date(start - 1000), EventEndTime: new Date(start + 1000), Destination: { Arn: 'arn:aws:events:us-east-1:000000000000:event-bus/default' } }));
    await g.stop();

    g = await startGureum({ dataDir, freezeClock: true });
    g.clock.set(start + 60_000);
    eb = new EventBridgeClient(clientConfig(g));
    expect(await eb.send(new DescribeArchiveCommand({ ArchiveName: 'durable' }))).toMatchObject({ EventCount: 2 });
    expect((await eb.send(new DescribeConnectionCommand({ Name: 'kept' }))).ConnectionState).toBe('AUTHORIZED');
    expect((await eb.send(new DescribeReplayCommand({ ReplayName: 'after-restart' }))).State).toBe('STARTING');
    g.clock.advance('5s');
    expect((await eb.send(new DescribeReplayCommand({ ReplayName: 'after-restart' }))).State).toBe('COMPLETED');
    const got = (await drainQueue(g, url)).map((m) => JSON.parse(m.Body!));
    expect(got.map((e) => e.detail.n).sort()).toEqual([1, 2]);
    expect(got.every((e) => e['replay-name'] === 'after-restart')).toBe(true);
    await g.stop();
  });
});
