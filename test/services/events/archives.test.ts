// covers: events.CreateArchive events.DescribeArchive events.UpdateArchive events.DeleteArchive events.ListArchives events.StartReplay events.DescribeReplay events.CancelReplay events.ListReplays events.ListRules events.DeleteRule events.PutRule events.PutTargets events.PutEvents events.CreateEventBus
/**
 * Archives store the events matching their pattern (counted, expired after RetentionDays on the
 * virtual clock); replays re-deliver the archived events of a time window to the bus's rules,
 * marked with `replay-name`, moving STARTING → RUNNING → COMPLETED on the clock.
 */
import { describe, expect, it } from 'vitest';
import {
  EventBridgeClient, CreateArchiveCommand, DescribeArchiveCommand, UpdateArchiveCommand, DeleteArchiveCommand, ListArchivesCommand,
  StartReplayCommand, DescribeReplayCommand, CancelReplayCommand, ListReplaysCommand, ListRulesCommand, DeleteRuleCommand,
  PutRuleCommand, PutTargetsCommand, PutEventsCommand, CreateEventBusCommand, DescribeEventBusCommand,
} from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { clientConfig, useGureum, failure, drainQueue } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const eb = () => new EventBridgeClient(clientConfig(ctx.g));
const ACCOUNT = '000000000000';
const DEFAULT_BUS = `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`;

async function queue(name: string) {
  const sqs = new SQSClient(clientConfig(ctx.g));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

const put = (source: string, detail: object) =>
  eb().send(new PutEventsCommand({ Entries: [{ Source: source, DetailType: 'Test', Detail: JSON.stringify(detail) }] }));

describe('archives', () => {
  it('create, describe, list, update and delete, with AWS errors', async () => {
    const c = await eb().send(new CreateArchiveCommand({ ArchiveName: 'all-events', EventSourceArn: DEFAULT_BUS, Description: 'everything', RetentionDays: 7 }));
    expect(c.ArchiveArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:archive/all-events`);
    expect(c.State).toBe('ENABLED');
    expect(c.CreationTime).toBeInstanceOf(Date);
    expect(await eb().send(new DescribeArchiveCommand({ ArchiveName: 'all-events' }))).toMatchObject({
      ArchiveArn: c.ArchiveArn, ArchiveName: 'all-events', EventSourceArn: DEFAULT_BUS, Description: 'everything', RetentionDays: 7, State: 'ENABLED', EventCount: 0, SizeBytes: 0,
    });
    // The archive's managed rule, as on AWS.
    const rules = (await eb().send(new ListRulesCommand({ NamePrefix: 'Events-Archive-' }))).Rules!;
    expect(rules).toEqual([expect.objectContaining({ Name: 'Events-Archive-all-events', ManagedBy: 'prod.vhs.events.aws.internal', EventPattern: '{"replay-name":[{"exists":false}]}' })]);
    expect((await failure(eb().send(new DeleteRuleCommand({ Name: 'Events-Archive-all-events' })))).name).toBe('ManagedRuleException');

    const dup = await failure(eb().send(new CreateArchiveCommand({ ArchiveName: 'all-events', EventSourceArn: DEFAULT_BUS })));
    expect(dup).toMatchObject({ name: 'ResourceAlreadyExistsException', message: 'Archive all-events already exists.' });
    const noBus = await failure(eb().send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: DEFAULT_BUS.replace('default', 'nope') })));
    expect(noBus).toMatchObject({ name: 'ResourceNotFoundException', message: 'Event bus nope does not exist.' });
    const badPattern = await failure(eb().send(new CreateArchiveCommand({ ArchiveName: 'x', EventSourceArn: DEFAULT_BUS, EventPattern: '{"source":"not-a-list"}' })));
    expect(badPattern.name).toBe('InvalidEventPatternException');
    const longName = await failure(eb().send(new CreateArchiveCommand({ ArchiveName: 'a'.repeat(49), EventSourceArn: DEFAULT_BUS })));
    expect(longName.message).toContain('Member must have length less than or equal to 48');

    const bus = (await eb().send(new CreateEventBusCommand({ Name: 'orders' }))).EventBusArn!;
    await eb().send(new CreateArchiveCommand({ ArchiveName: 'orders-archive', EventSourceArn: bus, EventPattern: JSON.stringify({ source: ['orders'] }) }));
    expect((await eb().send(new ListArchivesCommand({ EventSourceArn: bus }))).Archives!.map((a) => a.ArchiveName)).toEqual(['orders-archive']);
    expect((await eb().send(new ListArchivesCommand({ NamePrefix: 'all' }))).Archives!.map((a) => a.ArchiveName)).toEqual(['all-events']);
    const two = await failure(eb().send(new ListArchivesCommand({ NamePrefix: 'a', State: 'ENABLED' })));
    expect(two.message).toBe('At most one filter is allowed for ListArchives. Use either : State, EventSourceArn, or NamePrefix.');

    const u = await eb().send(new UpdateArchiveCommand({ ArchiveName: 'orders-archive', RetentionDays: 30, EventPattern: JSON.stringify({ source: ['orders', 'refunds'] }) }));
    expect(u.State).toBe('ENABLED');
    expect(await eb().send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' }))).toMatchObject({ RetentionDays: 30, EventPattern: '{"source":["orders","refunds"]}' });
    const rule = (await eb().send(new ListRulesCommand({ EventBusName: 'orders' }))).Rules![0]!;
    expect(JSON.parse(rule.EventPattern!)).toEqual({ source: ['orders', 'refunds'], 'replay-name': [{ exists: false }] });

    await eb().send(new DeleteArchiveCommand({ ArchiveName: 'orders-archive' }));
    const gone = await failure(eb().send(new DescribeArchiveCommand({ ArchiveName: 'orders-archive' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: 'Archive orders-archive does not exist.' });
    expect((await eb().send(new ListRulesCommand({ EventBusName: 'orders' }))).Rules).toEqual([]);
    expect((await eb().send(new DescribeEventBusCommand({ Name: 'orders' }))).Name).toBe('orders');
  });

  it('stores matching events, counts them, and drops them after RetentionDays', async () => {
    ctx.g.clock.set('2033-03-01T00:00:00Z');
    await eb().send(new CreateArchiveCommand({ ArchiveName: 'keep-a-day', EventSourceArn: DEFAULT_BUS, RetentionDays: 1, EventPattern: JSON.stringify({ source: ['kept'] }) }));
    await put('kept', { n: 1 });
    await put('other', { n: 2 });
    ctx.g.clock.advance('12h');
    await put('kept', { n: 3 });
    let d = await eb().send(new DescribeArchiveCommand({ ArchiveName: 'keep-a-day' }));
    expect(d.EventCount).toBe(2);
    expect(d.SizeBytes).toBeGreaterThan(200);
    const oneSize = d.SizeBytes! / 2;
    ctx.g.clock.advance('13h'); // the first is now older than a day
    d = await eb().send(new DescribeArchiveCommand({ ArchiveName: 'keep-a-day' }));
    expect(d.EventCount).toBe(1);
    expect(Math.abs(d.SizeBytes! - oneSize)).toBeLessThan(5);
    ctx.g.clock.advance('12h');
    expect((await eb().send(new ListArchivesCommand({ NamePrefix: 'keep-a-day' }))).Archives![0]).toMatchObject({ EventCount: 0, SizeBytes: 0 });
    await eb().send(new DeleteArchiveCommand({ ArchiveName: 'keep-a-day' }));
  });
});

describe('replays', () => {
  it('re-delivers the window\'s archived events with replay-name, on the clock, to the filtered rules only', async () => {
    ctx.g.clock.set('2033-06-01T10:00:00Z');
    const a = (await eb().send(new CreateArchiveCommand({ ArchiveName: 'shop', EventSourceArn: DEFAULT_BUS, EventPattern: JSON.stringify({ source: ['shop'] }) }))).ArchiveArn!;
    const live = await queue('replay-live');
    const other = await queue('replay-other');
    const ruleArn = (await eb().send(new PutRuleCommand({ Name: 'shop-rule', EventPattern: JSON.stringify({ source: ['shop'] }) }))).RuleArn!;
    await eb().send(new PutTargetsCommand({ Rule: 'shop-rule', Targets: [{ Id: 'q', Arn: live.arn }] }));
    await eb().send(new PutRuleCommand({ Name: 'shop-other', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'shop-other', Targets: [{ Id: 'q', Arn: other.arn }] }));

    await put('shop', { order: 1 }); // 10:00:00
    ctx.g.clock.advance('10m');
    await put('shop', { order: 2 }); // 10:10:00
    ctx.g.clock.advance('10m');
    await put('shop', { order: 3 }); // 10:20:00
    ctx.g.clock.advance('10m');
    expect((await drainQueue(ctx.g, live.url)).map((m) => JSON.parse(m.Body!).detail.order)).toEqual([1, 2, 3]);
    await drainQueue(ctx.g, other.url);
    expect((await eb().send(new DescribeArchiveCommand({ ArchiveName: 'shop' }))).EventCount).toBe(3);

    const s = await eb().send(new StartReplayCommand({
      ReplayName: 'fix-orders', EventSourceArn: a, Description: 'replay 10:05-10:25',
      EventStartTime: new Date('2033-06-01T10:05:00Z'), EventEndTime: new Date('2033-06-01T10:25:00Z'),
      Destination: { Arn: DEFAULT_BUS, FilterArns: [ruleArn] },
    }));
    expect(s).toMatchObject({ ReplayArn: `arn:aws:events:us-east-1:${ACCOUNT}:replay/fix-orders`, State: 'STARTING' });
    expect((await drainQueue(ctx.g, live.url))).toHaveLength(0);
    ctx.g.clock.advance('1s');
    expect((await eb().send(new DescribeReplayCommand({ ReplayName: 'fix-orders' }))).State).toBe('RUNNING');
    const replayed = (await drainQueue(ctx.g, live.url)).map((m) => JSON.parse(m.Body!));
    expect(replayed.map((e) => e.detail.order)).toEqual([2, 3]);
    expect(replayed.every((e) => e['replay-name'] === 'fix-orders')).toBe(true);
    expect(await drainQueue(ctx.g, other.url)).toHaveLength(0); // not in FilterArns
    ctx.g.clock.advance('1s');
    const d = await eb().send(new DescribeReplayCommand({ ReplayName: 'fix-orders' }));
    expect(d).toMatchObject({
      ReplayName: 'fix-orders', State: 'COMPLETED', EventSourceArn: a, Description: 'replay 10:05-10:25', Destination: { Arn: DEFAULT_BUS, FilterArns: [ruleArn] },
      EventStartTime: new Date('2033-06-01T10:05:00Z'), EventEndTime: new Date('2033-06-01T10:25:00Z'),
      EventLastReplayedTime: new Date('2033-06-01T10:20:00Z'), ReplayStartTime: new Date('2033-06-01T10:30:00Z'), ReplayEndTime: new Date('2033-06-01T10:30:02Z'),
    });
    // Replayed events are not archived again.
    expect((await eb().send(new DescribeArchiveCommand({ ArchiveName: 'shop' }))).EventCount).toBe(3);

    // Without FilterArns every rule gets them.
    await eb().send(new StartReplayCommand({ ReplayName: 'all-rules', EventSourceArn: a, EventStartTime: new Date('2033-06-01T09:00:00Z'), EventEndTime: new Date('2033-06-01T10:05:00Z'), Destination: { Arn: DEFAULT_BUS } }));
    ctx.g.clock.advance('2s');
    expect((await drainQueue(ctx.g, live.url)).map((m) => JSON.parse(m.Body!).detail.order)).toEqual([1]);
    expect((await drainQueue(ctx.g, other.url)).map((m) => JSON.parse(m.Body!)['replay-name'])).toEqual(['all-rules']);

    const list = await eb().send(new ListReplaysCommand({ EventSourceArn: a }));
    expect(list.Replays!.map((r) => [r.ReplayName, r.State])).toEqual([['all-rules', 'COMPLETED'], ['fix-orders', 'COMPLETED']]);
    expect((await eb().send(new ListReplaysCommand({ State: 'RUNNING' }))).Replays).toEqual([]);
  });

  it('cancels a replay before it runs; validates its parameters', async () => {
    ctx.g.clock.set('2033-07-01T00:00:00Z');
    const a = (await eb().send(new CreateArchiveCommand({ ArchiveName: 'cancel-me', EventSourceArn: DEFAULT_BUS, EventPattern: JSON.stringify({ source: ['c'] }) }))).ArchiveArn!;
    const q = await queue('replay-cancel');
    await eb().send(new PutRuleCommand({ Name: 'c-rule', EventPattern: JSON.stringify({ source: ['c'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'c-rule', Targets: [{ Id: 'q', Arn: q.arn }] }));
    await put('c', {});
    ctx.g.clock.advance('1m');
    await drainQueue(ctx.g, q.url);
    const window = { EventStartTime: new Date('2033-06-30T00:00:00Z'), EventEndTime: new Date('2033-07-01T00:00:30Z') };
    await eb().send(new StartReplayCommand({ ReplayName: 'to-cancel', EventSourceArn: a, ...window, Destination: { Arn: DEFAULT_BUS } }));
    const c = await eb().send(new CancelReplayCommand({ ReplayName: 'to-cancel' }));
    expect(c).toMatchObject({ ReplayArn: `arn:aws:events:us-east-1:${ACCOUNT}:replay/to-cancel`, State: 'CANCELLING' });
    ctx.g.clock.advance('5s');
    expect((await eb().send(new DescribeReplayCommand({ ReplayName: 'to-cancel' }))).State).toBe('CANCELLED');
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(0);
    const again = await failure(eb().send(new CancelReplayCommand({ ReplayName: 'to-cancel' })));
    expect(again).toMatchObject({ name: 'IllegalStatusException', message: 'Replay to-cancel is not in a valid state for this operation.' });

    const dup = await failure(eb().send(new StartReplayCommand({ ReplayName: 'to-cancel', EventSourceArn: a, ...window, Destination: { Arn: DEFAULT_BUS } })));
    expect(dup).toMatchObject({ name: 'ResourceAlreadyExistsException', message: 'Replay to-cancel already exists.' });
    const order = await failure(eb().send(new StartReplayCommand({ ReplayName: 'r2', EventSourceArn: a, EventStartTime: window.EventEndTime, EventEndTime: window.EventStartTime, Destination: { Arn: DEFAULT_BUS } })));
    expect(order.message).toBe('Parameter EventEndTime is not valid. Reason: EventStartTime must be before EventEndTime.');
    const noArchive = await failure(eb().send(new StartReplayCommand({ ReplayName: 'r2', EventSourceArn: a.replace('cancel-me', 'nope'), ...window, Destination: { Arn: DEFAULT_BUS } })));
    expect(noArchive.message).toBe('Parameter EventSourceArn is not valid. Reason: Archive nope does not exist.');
    const otherBus = (await eb().send(new CreateEventBusCommand({ Name: 'elsewhere' }))).EventBusArn!;
    const cross = await failure(eb().send(new StartReplayCommand({ ReplayName: 'r2', EventSourceArn: a, ...window, Destination: { Arn: otherBus } })));
    expect(cross.message).toBe('Parameter Destination.Arn is not valid. Reason: Cross event bus replay is not permitted.');
    const missing = await failure(eb().send(new DescribeReplayCommand({ ReplayName: 'nope' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: 'Replay nope does not exist.' });
  });
});
