// covers: events.CreateEventBus events.DeleteEventBus events.DescribeEventBus events.ListEventBuses events.PutRule events.DescribeRule events.ListRules events.DeleteRule events.EnableRule events.DisableRule events.PutTargets events.RemoveTargets events.ListTargetsByRule events.PutEvents events.TestEventPattern events.TagResource events.UntagResource events.ListTagsForResource events.ListRuleNamesByTarget
import { describe, expect, it } from 'vitest';
import {
  EventBridgeClient, CreateEventBusCommand, DeleteEventBusCommand, DescribeEventBusCommand, ListEventBusesCommand,
  PutRuleCommand, DescribeRuleCommand, ListRulesCommand, DeleteRuleCommand, EnableRuleCommand, DisableRuleCommand,
  PutTargetsCommand, RemoveTargetsCommand, ListTargetsByRuleCommand, PutEventsCommand, TestEventPatternCommand,
  TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand, ListRuleNamesByTargetCommand,
} from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { clientConfig, useGureum, rejection, drainQueue } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const eb = () => new EventBridgeClient(clientConfig(ctx.g));
const sqs = () => new SQSClient(clientConfig(ctx.g));
const ACCOUNT = '000000000000';

async function queue(name: string, Attributes?: Record<string, string>) {
  const url = (await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const arn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

/** Let internal deliveries (async dispatch) finish, then receive (and delete) everything. */
const put = (Entries: Record<string, unknown>[]) => eb().send(new PutEventsCommand({ Entries: Entries as never }));

describe('event buses', () => {
  it('has a default bus and creates, describes, lists and deletes custom ones', async () => {
    const d = await eb().send(new DescribeEventBusCommand({}));
    expect(d.Name).toBe('default');
    expect(d.Arn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`);
    const c = await eb().send(new CreateEventBusCommand({ Name: 'orders', Description: 'orders bus' }));
    expect(c.EventBusArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:event-bus/orders`);
    const dup = await rejection(eb().send(new CreateEventBusCommand({ Name: 'orders' })));
    expect(dup.name).toBe('ResourceAlreadyExistsException');
    expect(dup.message).toBe('Event bus orders already exists.');
    const byArn = await eb().send(new DescribeEventBusCommand({ Name: c.EventBusArn }));
    expect(byArn).toMatchObject({ Name: 'orders', Description: 'orders bus' });
    const list = await eb().send(new ListEventBusesCommand({ NamePrefix: 'ord' }));
    expect(list.EventBuses!.map((b) => b.Name)).toEqual(['orders']);
    const all = await eb().send(new ListEventBusesCommand({}));
    expect(all.EventBuses!.map((b) => b.Name)).toEqual(expect.arrayContaining(['default', 'orders']));
    await eb().send(new DeleteEventBusCommand({ Name: 'orders' }));
    const gone = await rejection(eb().send(new DescribeEventBusCommand({ Name: 'orders' })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe('Event bus orders does not exist.');
    const def = await rejection(eb().send(new DeleteEventBusCommand({ Name: 'default' })));
    expect(def.name).toBe('ValidationException');
  });
});

describe('rules', () => {
  it('puts, describes, lists with prefix and paging, enables/disables and deletes rules', async () => {
    for (const n of ['r-a', 'r-b', 'r-c']) {
      const r = await eb().send(new PutRuleCommand({ Name: n, EventPattern: JSON.stringify({ source: ['my.app'] }), Description: `rule ${n}` }));
      expect(r.RuleArn).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/${n}`);
    }
    const d = await eb().send(new DescribeRuleCommand({ Name: 'r-a' }));
    expect(d).toMatchObject({ Name: 'r-a', State: 'ENABLED', EventBusName: 'default', EventPattern: '{"source":["my.app"]}', Description: 'rule r-a', CreatedBy: ACCOUNT });
    const p1 = await eb().send(new ListRulesCommand({ NamePrefix: 'r-', Limit: 2 }));
    expect(p1.Rules!.map((r) => r.Name)).toEqual(['r-a', 'r-b']);
    expect(p1.NextToken).toBeTruthy();
    const p2 = await eb().send(new ListRulesCommand({ NamePrefix: 'r-', Limit: 2, NextToken: p1.NextToken }));
    expect(p2.Rules!.map((r) => r.Name)).toEqual(['r-c']);
    expect(p2.NextToken).toBeUndefined();
    await eb().send(new DisableRuleCommand({ Name: 'r-b' }));
    expect((await eb().send(new DescribeRuleCommand({ Name: 'r-b' }))).State).toBe('DISABLED');
    await eb().send(new EnableRuleCommand({ Name: 'r-b' }));
    expect((await eb().send(new DescribeRuleCommand({ Name: 'r-b' }))).State).toBe('ENABLED');
    const missing = await rejection(eb().send(new DescribeRuleCommand({ Name: 'nope' })));
    expect(missing.name).toBe('ResourceNotFoundException');
    expect(missing.message).toBe('Rule nope does not exist on EventBus default.');
    const q = await queue('rules-q');
    await eb().send(new PutTargetsCommand({ Rule: 'r-c', Targets: [{ Id: 't1', Arn: q.arn }] }));
    const busy = await rejection(eb().send(new DeleteRuleCommand({ Name: 'r-c' })));
    expect(busy.name).toBe('ValidationException');
    expect(busy.message).toBe("Rule can't be deleted since it has targets.");
    expect((await eb().send(new ListRuleNamesByTargetCommand({ TargetArn: q.arn }))).RuleNames).toEqual(['r-c']);
    await eb().send(new RemoveTargetsCommand({ Rule: 'r-c', Ids: ['t1'] }));
    await eb().send(new DeleteRuleCommand({ Name: 'r-c' }));
    await rejection(eb().send(new DescribeRuleCommand({ Name: 'r-c' })));
  });

  it('validates schedule expressions and patterns with AWS messages', async () => {
    for (const expr of ['rate(1 minutes)', 'rate(5 minute)', 'rate(0 minutes)', 'cron(0 12 * * *)', 'cron(0 12 * * ? * *)', 'cron(7 20 * * 1-7 *)', 'cron(*/60 * * * ? *)', 'every 5 minutes']) {
      const e = await rejection(eb().send(new PutRuleCommand({ Name: 'bad-sched', ScheduleExpression: expr })));
      expect(e.name, expr).toBe('ValidationException');
      expect(e.message).toBe('Parameter ScheduleExpression is not valid.');
    }
    for (const expr of ['rate(1 minute)', 'rate(5 minutes)', 'rate(2 hours)', 'rate(1 day)', 'cron(0 12 * * ? *)', 'cron(0/15 8-17 ? * MON-FRI *)', 'cron(0 10 ? * 6L 2030-2040)', 'cron(0 8 15W * ? *)', 'cron(0 0 L * ? *)', 'cron(30 9 ? * 2#1 *)']) {
      await eb().send(new PutRuleCommand({ Name: 'good-sched', ScheduleExpression: expr, State: 'DISABLED' }));
    }
    await eb().send(new DeleteRuleCommand({ Name: 'good-sched' }));
    const neither = await rejection(eb().send(new PutRuleCommand({ Name: 'x' })));
    expect(neither.message).toBe('Parameter(s) EventPattern or ScheduleExpression must be specified.');
    await eb().send(new CreateEventBusCommand({ Name: 'custom-sched' }));
    const custom = await rejection(eb().send(new PutRuleCommand({ Name: 'x', EventBusName: 'custom-sched', ScheduleExpression: 'rate(5 minutes)' })));
    expect(custom.message).toBe('ScheduleExpression is supported only on the default event bus.');
    const bad = await rejection(eb().send(new PutRuleCommand({ Name: 'x', EventPattern: '{"source": "my.app"}' })));
    expect(bad.name).toBe('InvalidEventPatternException');
    expect(bad.message).toMatch(/^Event pattern is not valid\. Reason: "source" must be an object or an array/);
    const op = await rejection(eb().send(new PutRuleCommand({ Name: 'x', EventPattern: '{"source": [{"bogus": 1}]}' })));
    expect(op.message).toMatch(/Unrecognized match type bogus/);
    const noBus = await rejection(eb().send(new PutRuleCommand({ Name: 'x', EventBusName: 'nobus', EventPattern: '{"source":["a"]}' })));
    expect(noBus.name).toBe('ResourceNotFoundException');
    expect(noBus.message).toBe('Event bus nobus does not exist.');
  });
});

describe('targets and PutEvents', () => {
  it('delivers matching events to SQS in AWS envelope, not the others', async () => {
    const q = await queue('ev-q');
    await eb().send(new PutRuleCommand({ Name: 'orders-created', EventPattern: JSON.stringify({ source: ['shop'], 'detail-type': ['OrderCreated'], detail: { amount: [{ numeric: ['>', 100] }] } }) }));
    const t = await eb().send(new PutTargetsCommand({ Rule: 'orders-created', Targets: [{ Id: 'q', Arn: q.arn }] }));
    expect(t.FailedEntryCount).toBe(0);
    ctx.g.clock.set('2030-05-06T07:08:09.500Z');
    const r = await put([
      { Source: 'shop', DetailType: 'OrderCreated', Detail: JSON.stringify({ amount: 150, id: 'o1' }), Resources: ['arn:aws:shop:::order/o1'] },
      { Source: 'shop', DetailType: 'OrderCreated', Detail: JSON.stringify({ amount: 50 }) },
      { Source: 'other', DetailType: 'OrderCreated', Detail: JSON.stringify({ amount: 500 }) },
    ]);
    expect(r.FailedEntryCount).toBe(0);
    expect(r.Entries!.every((e) => /^[0-9a-f-]{36}$/.test(e.EventId!))).toBe(true);
    const msgs = await drainQueue(ctx.g, q.url);
    expect(msgs).toHaveLength(1);
    const body = msgs[0]!.Body!;
    expect(Object.keys(JSON.parse(body))).toEqual(['version', 'id', 'detail-type', 'source', 'account', 'time', 'region', 'resources', 'detail']);
    expect(JSON.parse(body)).toEqual({
      version: '0', id: r.Entries![0]!.EventId, 'detail-type': 'OrderCreated', source: 'shop', account: ACCOUNT,
      time: '2030-05-06T07:08:09Z', region: 'us-east-1', resources: ['arn:aws:shop:::order/o1'], detail: { amount: 150, id: 'o1' },
    });
  });

  it('applies Input, InputPath and InputTransformer', async () => {
    const q1 = await queue('in-const');
    const q2 = await queue('in-path');
    const q3 = await queue('in-xform');
    const q4 = await queue('in-text');
    await eb().send(new PutRuleCommand({ Name: 'inputs', EventPattern: JSON.stringify({ source: ['inputs'] }) }));
    await eb().send(new PutTargetsCommand({
      Rule: 'inputs',
      Targets: [
        { Id: 'c', Arn: q1.arn, Input: '{"fixed":true}' },
        { Id: 'p', Arn: q2.arn, InputPath: '$.detail.order' },
        { Id: 'x', Arn: q3.arn, InputTransformer: { InputPathsMap: { id: '$.detail.order.id', n: '$.detail.order.n', src: '$.source' }, InputTemplate: '{"orderId": <id>, "count": <n>, "label": "order <id> from <src>", "rule": "<aws.events.rule-name>"}' } },
        { Id: 't', Arn: q4.arn, InputTransformer: { InputPathsMap: { id: '$.detail.order.id' }, InputTemplate: '"Order <id> arrived"' } },
      ],
    }));
    const listed = await eb().send(new ListTargetsByRuleCommand({ Rule: 'inputs' }));
    expect(listed.Targets!.map((t) => t.Id)).toEqual(['c', 'p', 'x', 't']);
    await put([{ Source: 'inputs', DetailType: 't', Detail: JSON.stringify({ order: { id: 'A-1', n: 3 } }) }]);
    expect((await drainQueue(ctx.g, q1.url)).map((m) => m.Body)).toEqual(['{"fixed":true}']);
    expect((await drainQueue(ctx.g, q2.url)).map((m) => JSON.parse(m.Body!))).toEqual([{ id: 'A-1', n: 3 }]);
    expect((await drainQueue(ctx.g, q3.url)).map((m) => JSON.parse(m.Body!))).toEqual([{ orderId: 'A-1', count: 3, label: 'order A-1 from inputs', rule: 'inputs' }]);
    expect((await drainQueue(ctx.g, q4.url)).map((m) => m.Body)).toEqual(['"Order A-1 arrived"']);
    const both = await rejection(eb().send(new PutTargetsCommand({ Rule: 'inputs', Targets: [{ Id: 'bad', Arn: q1.arn, Input: '{}', InputPath: '$.detail' }] })));
    expect(both.name).toBe('ValidationException');
    expect(both.message).toBe('Only one of Input, InputPath, or InputTransformer must be provided.');
  });

  it('reports per-entry failures: FIFO queue without MessageGroupId, limits, unknown rule', async () => {
    const f = await queue('ev.fifo', { FifoQueue: 'true' });
    await eb().send(new PutRuleCommand({ Name: 'fifo-rule', EventPattern: JSON.stringify({ source: ['fifo'] }) }));
    const r = await eb().send(new PutTargetsCommand({ Rule: 'fifo-rule', Targets: [{ Id: 'nogroup', Arn: f.arn }, { Id: 'group', Arn: f.arn, SqsParameters: { MessageGroupId: 'g1' } }] }));
    expect(r.FailedEntryCount).toBe(1);
    expect(r.FailedEntries).toEqual([{ TargetId: 'nogroup', ErrorCode: 'ValidationException', ErrorMessage: 'Parameter(s) SqsParameters must be specified for FIFO queues.' }]);
    await put([{ Source: 'fifo', DetailType: 'x', Detail: '{}' }]);
    const msgs = await drainQueue(ctx.g, f.url);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.Attributes!.MessageGroupId).toBe('g1');
    const many = await rejection(eb().send(new PutTargetsCommand({ Rule: 'fifo-rule', Targets: [1, 2, 3, 4, 5].map((i) => ({ Id: `t${i}`, Arn: f.arn, SqsParameters: { MessageGroupId: 'g' } })) })));
    expect(many.name).toBe('LimitExceededException');
    const noRule = await rejection(eb().send(new PutTargetsCommand({ Rule: 'missing', Targets: [{ Id: 'a', Arn: f.arn }] })));
    expect(noRule.name).toBe('ResourceNotFoundException');
  });

  it('validates PutEvents entries and limits', async () => {
    const r = await put([
      { Source: 'a', DetailType: 'b', Detail: 'not json' },
      { DetailType: 'b', Detail: '{}' },
      { Source: 'a', Detail: '{}' },
      { Source: 'a', DetailType: 'b' },
      { Source: 'aws.ec2', DetailType: 'b', Detail: '{}' },
      { Source: 'a', DetailType: 'b', Detail: '{}', EventBusName: 'no-such-bus' },
      { Source: 'a', DetailType: 'b', Detail: '[1]' },
      { Source: 'a', DetailType: 'b', Detail: '{}' },
    ]);
    expect(r.FailedEntryCount).toBe(7);
    expect(r.Entries!.map((e) => e.ErrorCode ?? 'ok')).toEqual(['MalformedDetail', 'InvalidArgument', 'InvalidArgument', 'InvalidArgument', 'NotAuthorizedForSourceException', 'ResourceNotFoundException', 'MalformedDetail', 'ok']);
    expect(r.Entries![0]!.ErrorMessage).toBe('Detail is malformed.');
    expect(r.Entries![1]!.ErrorMessage).toBe('Parameter Source is not valid. Reason: Source is a required argument.');
    const eleven = await rejection(put(Array.from({ length: 11 }, () => ({ Source: 'a', DetailType: 'b', Detail: '{}' }))));
    expect(eleven.name).toBe('ValidationException');
    const big = await rejection(put([{ Source: 'a', DetailType: 'b', Detail: JSON.stringify({ x: 'y'.repeat(256 * 1024) }) }]));
    expect(big.name).toBe('ValidationException');
    expect(big.message).toBe('Total size of the entries in the request is over the limit.');
  });

  it('routes to SNS, to another bus, and records lambda targets as pending', async () => {
    const sns = new SNSClient(clientConfig(ctx.g));
    const topic = (await sns.send(new CreateTopicCommand({ Name: 'eb-topic' }))).TopicArn!;
    const viaSns = await queue('via-sns');
    await sns.send(new SubscribeCommand({ TopicArn: topic, Protocol: 'sqs', Endpoint: viaSns.arn, Attributes: { RawMessageDelivery: 'true' } }));
    const other = (await eb().send(new CreateEventBusCommand({ Name: 'downstream' }))).EventBusArn!;
    const viaBus = await queue('via-bus');
    await eb().send(new PutRuleCommand({ Name: 'down', EventBusName: 'downstream', EventPattern: JSON.stringify({ source: ['fanout'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'down', EventBusName: 'downstream', Targets: [{ Id: 'q', Arn: viaBus.arn }] }));
    await eb().send(new PutRuleCommand({ Name: 'fanout', EventPattern: JSON.stringify({ source: ['fanout'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'fanout', Targets: [
      { Id: 'sns', Arn: topic },
      { Id: 'bus', Arn: other },
      { Id: 'fn', Arn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:nope` },
    ] }));
    const r = await put([{ Source: 'fanout', DetailType: 'x', Detail: '{"k":1}' }]);
    const a = (await drainQueue(ctx.g, viaSns.url)).map((m) => JSON.parse(m.Body!));
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ id: r.Entries![0]!.EventId, source: 'fanout', detail: { k: 1 } });
    const b = (await drainQueue(ctx.g, viaBus.url)).map((m) => JSON.parse(m.Body!));
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ id: r.Entries![0]!.EventId, source: 'fanout' });
    const { eventsDeliveries } = await import('../../src/services/events/internal.js');
    const rec = eventsDeliveries(ctx.g.runtime.store).filter((d) => d.targetId === 'fn');
    expect(rec.map((d) => d.status)).toEqual(['pending']);
  });

  it('sends failed deliveries to the target dead-letter queue', async () => {
    const dlq = await queue('eb-dlq');
    await eb().send(new PutRuleCommand({ Name: 'to-missing', EventPattern: JSON.stringify({ source: ['dlq-test'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'to-missing', Targets: [{ Id: 'gone', Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:does-not-exist`, DeadLetterConfig: { Arn: dlq.arn } }] }));
    await put([{ Source: 'dlq-test', DetailType: 'x', Detail: '{}' }]);
    const msgs = await drainQueue(ctx.g, dlq.url);
    expect(msgs).toHaveLength(1);
    expect(msgs[0]!.MessageAttributes!.RULE_ARN!.StringValue).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/to-missing`);
    expect(msgs[0]!.MessageAttributes!.ERROR_CODE!.StringValue).toBe('QueueDoesNotExist');
  });
});

describe('scheduled rules', () => {
  it('delivers a Scheduled Event every 5 virtual minutes, not while disabled', async () => {
    const q = await queue('sched-q');
    ctx.g.clock.set('2031-01-01T00:00:00Z');
    const arn = (await eb().send(new PutRuleCommand({ Name: 'every5', ScheduleExpression: 'rate(5 minutes)' }))).RuleArn!;
    await eb().send(new PutTargetsCommand({ Rule: 'every5', Targets: [{ Id: 'q', Arn: q.arn }] }));
    ctx.g.clock.advance('15m');
    const msgs = (await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!));
    expect(msgs).toHaveLength(3);
    expect(msgs.map((m) => m.time).sort()).toEqual(['2031-01-01T00:05:00Z', '2031-01-01T00:10:00Z', '2031-01-01T00:15:00Z']);
    expect(msgs[0]).toMatchObject({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: ACCOUNT, region: 'us-east-1', resources: [arn], detail: {} });
    await eb().send(new DisableRuleCommand({ Name: 'every5' }));
    ctx.g.clock.advance('10m');
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(0);
    await eb().send(new EnableRuleCommand({ Name: 'every5' }));
    ctx.g.clock.advance('5m');
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(1);
    await eb().send(new RemoveTargetsCommand({ Rule: 'every5', Ids: ['q'] }));
    await eb().send(new DeleteRuleCommand({ Name: 'every5' }));
  });

  it('fires an hourly cron exactly once per hour and a daily cron at its time', async () => {
    const q = await queue('cron-q');
    ctx.g.clock.set('2031-02-01T00:30:00Z');
    await eb().send(new PutRuleCommand({ Name: 'hourly', ScheduleExpression: 'cron(0 * * * ? *)' }));
    await eb().send(new PutTargetsCommand({ Rule: 'hourly', Targets: [{ Id: 'q', Arn: q.arn, Input: '"tick"' }] }));
    ctx.g.clock.advance('1h');
    expect((await drainQueue(ctx.g, q.url)).map((m) => m.Body)).toEqual(['"tick"']);
    await eb().send(new RemoveTargetsCommand({ Rule: 'hourly', Ids: ['q'] }));
    await eb().send(new PutRuleCommand({ Name: 'noon', ScheduleExpression: 'cron(0 12 * * ? *)' }));
    await eb().send(new PutTargetsCommand({ Rule: 'noon', Targets: [{ Id: 'q', Arn: q.arn }] }));
    ctx.g.clock.advance('2d');
    const times = (await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!).time).sort();
    expect(times).toEqual(['2031-02-01T12:00:00Z', '2031-02-02T12:00:00Z']);
    await eb().send(new RemoveTargetsCommand({ Rule: 'noon', Ids: ['q'] }));
  });
});

describe('tags', () => {
  it('tags rules and buses', async () => {
    const arn = (await eb().send(new PutRuleCommand({ Name: 'tagged', EventPattern: '{"source":["t"]}', Tags: [{ Key: 'a', Value: '1' }] }))).RuleArn!;
    await eb().send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'b', Value: '2' }] }));
    expect((await eb().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]);
    await eb().send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['a'] }));
    expect((await eb().send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const bus = (await eb().send(new CreateEventBusCommand({ Name: 'tagbus', Tags: [{ Key: 'x', Value: 'y' }] }))).EventBusArn!;
    expect((await eb().send(new ListTagsForResourceCommand({ ResourceARN: bus }))).Tags).toEqual([{ Key: 'x', Value: 'y' }]);
    const missing = await rejection(eb().send(new ListTagsForResourceCommand({ ResourceARN: `arn:aws:events:us-east-1:${ACCOUNT}:rule/none` })));
    expect(missing.name).toBe('ResourceNotFoundException');
  });
});

describe('TestEventPattern', () => {
  const event = (detail: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({
    id: '1', account: ACCOUNT, source: 'com.test', time: '2030-01-01T00:00:00Z', region: 'us-east-1', 'detail-type': 'T', resources: ['arn:aws:ec2:us-east-1:123:instance/i-1'], detail, ...extra,
  });
  const test = async (pattern: unknown, ev: string) => (await eb().send(new TestEventPatternCommand({ EventPattern: JSON.stringify(pattern), Event: ev }))).Result;

  const cases: [string, unknown, unknown, boolean][] = [
    ['exact string', { source: ['com.test'] }, {}, true],
    ['exact miss', { source: ['com.other'] }, {}, false],
    ['array = OR', { source: ['x', 'com.test'] }, {}, true],
    ['nested', { detail: { state: ['running'] } }, { state: 'running' }, true],
    ['nested miss', { detail: { state: ['running'] } }, { state: 'stopped' }, false],
    ['number exact', { detail: { n: [5] } }, { n: 5.0 }, true],
    ['number vs string', { detail: { n: ['5'] } }, { n: 5 }, false],
    ['boolean and null', { detail: { b: [true], z: [null] } }, { b: true, z: null }, true],
    ['prefix', { detail: { s: [{ prefix: 'us-' }] } }, { s: 'us-east-1' }, true],
    ['prefix miss', { detail: { s: [{ prefix: 'eu-' }] } }, { s: 'us-east-1' }, false],
    ['prefix ignore case', { detail: { s: [{ prefix: { 'equals-ignore-case': 'US-' } }] } }, { s: 'us-east-1' }, true],
    ['suffix', { detail: { f: [{ suffix: '.png' }] } }, { f: 'a.png' }, true],
    ['suffix ignore case', { detail: { f: [{ suffix: { 'equals-ignore-case': '.PNG' } }] } }, { f: 'a.png' }, true],
    ['equals-ignore-case', { detail: { s: [{ 'equals-ignore-case': 'ALICE' }] } }, { s: 'alice' }, true],
    ['anything-but value', { detail: { s: [{ 'anything-but': 'bad' }] } }, { s: 'good' }, true],
    ['anything-but value miss', { detail: { s: [{ 'anything-but': 'bad' }] } }, { s: 'bad' }, false],
    ['anything-but list', { detail: { s: [{ 'anything-but': ['a', 'b'] }] } }, { s: 'b' }, false],
    ['anything-but numbers', { detail: { n: [{ 'anything-but': [1, 2] }] } }, { n: 3 }, true],
    ['anything-but prefix', { detail: { s: [{ 'anything-but': { prefix: 'init' } }] } }, { s: 'initializing' }, false],
    ['anything-but prefix ok', { detail: { s: [{ 'anything-but': { prefix: 'init' } }] } }, { s: 'running' }, true],
    ['anything-but suffix', { detail: { s: [{ 'anything-but': { suffix: '.tmp' } }] } }, { s: 'x.tmp' }, false],
    ['anything-but ignore case', { detail: { s: [{ 'anything-but': { 'equals-ignore-case': ['A', 'B'] } }] } }, { s: 'a' }, false],
    ['anything-but missing field', { detail: { s: [{ 'anything-but': 'x' }] } }, {}, false],
    ['numeric range', { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } }, { n: 5 }, true],
    ['numeric range miss', { detail: { n: [{ numeric: ['>', 0, '<=', 5] }] } }, { n: 5.5 }, false],
    ['numeric equal', { detail: { n: [{ numeric: ['=', 3.5] }] } }, { n: 3.5 }, true],
    ['numeric on string', { detail: { n: [{ numeric: ['>', 0] }] } }, { n: '7' }, false],
    ['exists true', { detail: { c: [{ exists: true }] } }, { c: 'x' }, true],
    ['exists true missing', { detail: { c: [{ exists: true }] } }, {}, false],
    ['exists false', { detail: { c: [{ exists: false }] } }, {}, true],
    ['exists false present', { detail: { c: [{ exists: false }] } }, { c: 1 }, false],
    ['exists on object is not a leaf', { detail: { c: [{ exists: true }] } }, { c: { d: 1 } }, false],
    ['exists false without detail', { detail: { c: [{ exists: false }] } }, undefined, true],
    ['wildcard', { detail: { k: [{ wildcard: 'dir/*.png' }] } }, { k: 'dir/a/b.png' }, true],
    ['wildcard miss', { detail: { k: [{ wildcard: 'dir/*.png' }] } }, { k: 'dir/a.jpg' }, false],
    ['anything-but wildcard', { detail: { k: [{ 'anything-but': { wildcard: '*.tmp' } }] } }, { k: 'a.tmp' }, false],
    ['cidr v4', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { ip: '10.0.0.255' }, true],
    ['cidr v4 miss', { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, { ip: '10.0.1.1' }, false],
    ['cidr v6', { detail: { ip: [{ cidr: '2001:db8::/32' }] } }, { ip: '2001:db8:1::1' }, true],
    ['$or', { $or: [{ source: ['nope'] }, { detail: { a: [1] } }] }, { a: 1 }, true],
    ['$or none', { $or: [{ source: ['nope'] }, { detail: { a: [1] } }] }, { a: 2 }, false],
    ['array in event', { detail: { tags: ['b'] } }, { tags: ['a', 'b'] }, true],
    ['array in event miss', { detail: { tags: ['c'] } }, { tags: ['a', 'b'] }, false],
    ['resources array', { resources: [{ prefix: 'arn:aws:ec2' }] }, {}, true],
    ['array of objects', { detail: { items: { sku: ['x2'] } } }, { items: [{ sku: 'x1' }, { sku: 'x2' }] }, true],
    ['array of objects same element', { detail: { items: { sku: ['x1'], qty: [2] } } }, { items: [{ sku: 'x1', qty: 1 }, { sku: 'x2', qty: 2 }] }, false],
    ['several fields AND', { source: ['com.test'], detail: { a: [1] } }, { a: 2 }, false],
    ['deep nesting', { detail: { a: { b: { c: ['d'] } } } }, { a: { b: { c: 'd' } } }, true],
  ];
  for (const [name, pattern, detail, expected] of cases) {
    it(name, async () => {
      expect(await test(pattern, event(detail))).toBe(expected);
    });
  }

  it('rejects invalid patterns and events', async () => {
    const e1 = await rejection(eb().send(new TestEventPatternCommand({ EventPattern: '{"detail":{"n":[{"numeric":[">","x"]}]}}', Event: event({}) })));
    expect(e1.name).toBe('InvalidEventPatternException');
    const e2 = await rejection(eb().send(new TestEventPatternCommand({ EventPattern: '{"source":["a"]}', Event: '{"source":"a"}' })));
    expect(e2.name).toBe('ValidationException');
    expect(e2.message).toBe('Parameter Event is not valid.');
    const e3 = await rejection(eb().send(new TestEventPatternCommand({ EventPattern: '[1]', Event: event({}) })));
    expect(e3.message).toMatch(/^Event pattern is not valid\. Reason: Filter is not an object/);
  });
});
