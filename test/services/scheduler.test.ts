// covers: scheduler.CreateSchedule scheduler.GetSchedule scheduler.UpdateSchedule scheduler.DeleteSchedule scheduler.ListSchedules scheduler.CreateScheduleGroup scheduler.GetScheduleGroup scheduler.DeleteScheduleGroup scheduler.ListScheduleGroups scheduler.TagResource scheduler.UntagResource scheduler.ListTagsForResource
import { describe, expect, it } from 'vitest';
import {
  SchedulerClient, CreateScheduleCommand, GetScheduleCommand, UpdateScheduleCommand, DeleteScheduleCommand, ListSchedulesCommand,
  CreateScheduleGroupCommand, GetScheduleGroupCommand, DeleteScheduleGroupCommand, ListScheduleGroupsCommand,
  TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand, type FlexibleTimeWindow,
} from '@aws-sdk/client-scheduler';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { clientConfig, useGureum, rejection, drainQueue } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sch = () => new SchedulerClient(clientConfig(ctx.g));
const sqs = () => new SQSClient(clientConfig(ctx.g));
const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/scheduler`;
const OFF: FlexibleTimeWindow = { Mode: 'OFF' };

async function queue(name: string, Attributes?: Record<string, string>) {
  const url = (await sqs().send(new CreateQueueCommand({ QueueName: name, Attributes }))).QueueUrl!;
  const arn = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

describe('schedules CRUD', () => {
  it('creates, gets, lists, updates and deletes schedules with AWS errors', async () => {
    const q = await queue('crud-q');
    const c = await sch().send(new CreateScheduleCommand({ Name: 's1', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF, Target: { Arn: q.arn, RoleArn: ROLE } }));
    expect(c.ScheduleArn).toBe(`arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule/default/s1`);
    const dup = await rejection(sch().send(new CreateScheduleCommand({ Name: 's1', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF, Target: { Arn: q.arn, RoleArn: ROLE } })));
    expect(dup.name).toBe('ConflictException');
    expect(dup.message).toBe('Schedule s1 already exists.');
    expect(dup.$metadata?.httpStatusCode).toBe(409);
    const g = await sch().send(new GetScheduleCommand({ Name: 's1' }));
    expect(g).toMatchObject({
      Arn: c.ScheduleArn, Name: 's1', GroupName: 'default', ScheduleExpression: 'rate(1 hour)', ScheduleExpressionTimezone: 'UTC', State: 'ENABLED',
      FlexibleTimeWindow: OFF, ActionAfterCompletion: 'NONE',
      Target: { Arn: q.arn, RoleArn: ROLE, RetryPolicy: { MaximumEventAgeInSeconds: 86400, MaximumRetryAttempts: 185 } },
    });
    expect(g.CreationDate).toBeInstanceOf(Date);
    await sch().send(new UpdateScheduleCommand({ Name: 's1', ScheduleExpression: 'cron(0 12 * * ? *)', FlexibleTimeWindow: OFF, State: 'DISABLED', Description: 'noon', Target: { Arn: q.arn, RoleArn: ROLE, Input: '{"a":1}' } }));
    expect(await sch().send(new GetScheduleCommand({ Name: 's1' }))).toMatchObject({ ScheduleExpression: 'cron(0 12 * * ? *)', State: 'DISABLED', Description: 'noon', Target: { Input: '{"a":1}' } });
    const l = await sch().send(new ListSchedulesCommand({ NamePrefix: 's' }));
    expect(l.Schedules!.map((s) => [s.Name, s.State, s.Target?.Arn])).toEqual([['s1', 'DISABLED', q.arn]]);
    expect((await sch().send(new ListSchedulesCommand({ State: 'ENABLED', NamePrefix: 's1' }))).Schedules).toEqual([]);
    await sch().send(new DeleteScheduleCommand({ Name: 's1' }));
    const gone = await rejection(sch().send(new GetScheduleCommand({ Name: 's1' })));
    expect(gone.name).toBe('ResourceNotFoundException');
    expect(gone.message).toBe('Schedule s1 does not exist.');
    expect(gone.$metadata?.httpStatusCode).toBe(404);
    const noGroup = await rejection(sch().send(new CreateScheduleCommand({ Name: 'x', GroupName: 'nogroup', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF, Target: { Arn: q.arn, RoleArn: ROLE } })));
    expect(noGroup.name).toBe('ResourceNotFoundException');
    expect(noGroup.message).toBe('Schedule group nogroup does not exist.');
  });

  it('validates expressions, time zones, windows and dates', async () => {
    const mk = (over: Record<string, unknown>) => sch().send(new CreateScheduleCommand({ Name: 'v', ScheduleExpression: 'rate(5 minutes)', FlexibleTimeWindow: OFF, Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:x', RoleArn: ROLE }, ...over } as never));
    for (const expr of ['rate(0 minutes)', 'rate(5 weeks)', 'cron(0 12 * * *)', 'at(2030-13-01T00:00:00)', 'at(2030-01-01 10:00:00)', 'every day']) {
      const e = await rejection(mk({ ScheduleExpression: expr }));
      expect(e.name, expr).toBe('ValidationException');
      expect(e.message).toBe(`Invalid Schedule Expression ${expr}`);
    }
    expect((await rejection(mk({ ScheduleExpressionTimezone: 'Mars/Olympus' }))).name).toBe('ValidationException');
    expect((await rejection(mk({ FlexibleTimeWindow: { Mode: 'FLEXIBLE' } }))).name).toBe('ValidationException');
    expect((await rejection(mk({ FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 2000 } }))).name).toBe('ValidationException');
    const now = ctx.g.clock.now().getTime();
    const past = await rejection(mk({ StartDate: new Date(now - 3600_000) }));
    expect(past.message).toBe('The StartDate you specify cannot be earlier than 5 minutes prior to the current time.');
    expect((await rejection(mk({ StartDate: new Date(now + 7200_000), EndDate: new Date(now + 3600_000) }))).name).toBe('ValidationException');
    const fifo = await rejection(mk({ Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:x.fifo', RoleArn: ROLE } }));
    expect(fifo.name).toBe('ValidationException');
  });
});

describe('firing on the virtual clock', () => {
  it('rate: first invocation at once, then every period; context attributes in Input', async () => {
    const q = await queue('rate-q');
    ctx.g.clock.set('2032-01-01T00:00:00Z');
    const arn = (await sch().send(new CreateScheduleCommand({ Name: 'every5', ScheduleExpression: 'rate(5 minutes)', FlexibleTimeWindow: OFF,
      Target: { Arn: q.arn, RoleArn: ROLE, Input: '{"arn":"<aws.scheduler.schedule-arn>","at":"<aws.scheduler.scheduled-time>","n":<aws.scheduler.attempt-number>}' } }))).ScheduleArn!;
    ctx.g.clock.advance('15m');
    const msgs = (await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!));
    expect(msgs.map((m) => m.at).sort()).toEqual(['2032-01-01T00:00:00Z', '2032-01-01T00:05:00Z', '2032-01-01T00:10:00Z', '2032-01-01T00:15:00Z']);
    expect(msgs[0]).toMatchObject({ arn, n: 1 });
    await sch().send(new DeleteScheduleCommand({ Name: 'every5' }));
    ctx.g.clock.advance('15m');
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(0);
  });

  it('at() fires once in its time zone and ActionAfterCompletion DELETE removes it', async () => {
    const q = await queue('at-q');
    ctx.g.clock.set('2032-03-01T00:00:00Z');
    await sch().send(new CreateScheduleCommand({ Name: 'once', ScheduleExpression: 'at(2032-03-01T09:30:00)', ScheduleExpressionTimezone: 'Europe/Paris', FlexibleTimeWindow: OFF, ActionAfterCompletion: 'DELETE', Target: { Arn: q.arn, RoleArn: ROLE, Input: '"hello"' } }));
    await sch().send(new CreateScheduleCommand({ Name: 'once-keep', ScheduleExpression: 'at(2032-03-01T09:30:00)', FlexibleTimeWindow: OFF, Target: { Arn: q.arn, RoleArn: ROLE, Input: '"utc"' } }));
    ctx.g.clock.set('2032-03-01T08:29:59Z');
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(0);
    ctx.g.clock.advance('1s'); // 09:30 in Paris (UTC+1)
    expect((await drainQueue(ctx.g, q.url)).map((m) => m.Body)).toEqual(['"hello"']);
    expect((await rejection(sch().send(new GetScheduleCommand({ Name: 'once' })))).name).toBe('ResourceNotFoundException');
    ctx.g.clock.advance('1h');
    expect((await drainQueue(ctx.g, q.url)).map((m) => m.Body)).toEqual(['"utc"']);
    expect((await sch().send(new GetScheduleCommand({ Name: 'once-keep' }))).Name).toBe('once-keep');
    ctx.g.clock.advance('1d');
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(0);
  });

  it('cron with a time zone, StartDate/EndDate, flexible window and DISABLED', async () => {
    const q = await queue('cron-q', { MessageRetentionPeriod: '1209600' }); // the 5-day advance outlives the default 4 days
    ctx.g.clock.set('2032-06-01T00:00:00Z');
    await sch().send(new CreateScheduleCommand({ Name: 'ny9', ScheduleExpression: 'cron(0 9 ? * MON-FRI *)', ScheduleExpressionTimezone: 'America/New_York', FlexibleTimeWindow: OFF,
      EndDate: new Date('2032-06-05T00:00:00Z'), ActionAfterCompletion: 'DELETE', Target: { Arn: q.arn, RoleArn: ROLE, Input: '{"t":"<aws.scheduler.scheduled-time>"}' } }));
    await sch().send(new CreateScheduleCommand({ Name: 'flex', ScheduleExpression: 'cron(0 12 * * ? *)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 }, Target: { Arn: q.arn, RoleArn: ROLE, Input: '"flex"' } }));
    await sch().send(new CreateScheduleCommand({ Name: 'off', ScheduleExpression: 'rate(1 minute)', State: 'DISABLED', FlexibleTimeWindow: OFF, Target: { Arn: q.arn, RoleArn: ROLE, Input: '"off"' } }));
    ctx.g.clock.advance('12h6m');
    expect((await drainQueue(ctx.g, q.url)).map((m) => m.Body)).toEqual([]);
    ctx.g.clock.advance('1m'); // 12:07 = 12:00 + floor(15 / 2) minutes
    expect((await drainQueue(ctx.g, q.url)).map((m) => m.Body)).toEqual(['"flex"']);
    await sch().send(new DeleteScheduleCommand({ Name: 'flex' }));
    ctx.g.clock.advance('5d');
    // 2032-06-01 is a Tuesday: Tue–Fri at 09:00 EDT (13:00Z) before EndDate.
    expect((await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!).t).sort()).toEqual(['2032-06-01T13:00:00Z', '2032-06-02T13:00:00Z', '2032-06-03T13:00:00Z', '2032-06-04T13:00:00Z']);
    expect((await rejection(sch().send(new GetScheduleCommand({ Name: 'ny9' })))).name).toBe('ResourceNotFoundException');
    await sch().send(new DeleteScheduleCommand({ Name: 'off' }));
  });

  it('targets an event bus through EventBridgeParameters and universal targets', async () => {
    const q = await queue('sched-eb-q');
    const eb = new EventBridgeClient(clientConfig(ctx.g));
    await eb.send(new PutRuleCommand({ Name: 'from-scheduler', EventPattern: JSON.stringify({ source: ['my.scheduler'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'from-scheduler', Targets: [{ Id: 'q', Arn: q.arn }] }));
    const uq = await queue('universal-q');
    ctx.g.clock.set('2032-09-01T00:00:00Z');
    await sch().send(new CreateScheduleCommand({ Name: 'to-bus', ScheduleExpression: 'at(2032-09-01T00:01:00)', FlexibleTimeWindow: OFF,
      Target: { Arn: `arn:aws:events:us-east-1:${ACCOUNT}:event-bus/default`, RoleArn: ROLE, Input: '{"job":"nightly"}', EventBridgeParameters: { Source: 'my.scheduler', DetailType: 'Job' } } }));
    await sch().send(new CreateScheduleCommand({ Name: 'universal', ScheduleExpression: 'at(2032-09-01T00:01:00)', FlexibleTimeWindow: OFF,
      Target: { Arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', RoleArn: ROLE, Input: JSON.stringify({ QueueUrl: uq.url, MessageBody: 'via sdk' }) } }));
    ctx.g.clock.advance('1m');
    const ev = (await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!));
    expect(ev).toHaveLength(1);
    expect(ev[0]).toMatchObject({ source: 'my.scheduler', 'detail-type': 'Job', detail: { job: 'nightly' }, time: '2032-09-01T00:01:00Z' });
    expect((await drainQueue(ctx.g, uq.url)).map((m) => m.Body)).toEqual(['via sdk']);
  });

  it('sends failed invocations to the dead-letter queue', async () => {
    const dlq = await queue('sched-dlq');
    ctx.g.clock.set('2032-10-01T00:00:00Z');
    const arn = (await sch().send(new CreateScheduleCommand({ Name: 'broken', ScheduleExpression: 'at(2032-10-01T00:00:30)', FlexibleTimeWindow: OFF,
      Target: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:missing-queue`, RoleArn: ROLE, Input: '"x"', DeadLetterConfig: { Arn: dlq.arn } } }))).ScheduleArn!;
    ctx.g.clock.advance('1m');
    const m = await drainQueue(ctx.g, dlq.url);
    expect(m).toHaveLength(1);
    expect(m[0]!.Body).toBe('"x"');
    expect(m[0]!.MessageAttributes!.SCHEDULE_ARN!.StringValue).toBe(arn);
    expect(m[0]!.MessageAttributes!.ERROR_CODE!.StringValue).toBe('QueueDoesNotExist');
  });
});

describe('schedule groups', () => {
  it('creates, gets, lists, tags and deletes groups (with their schedules)', async () => {
    const g = await sch().send(new CreateScheduleGroupCommand({ Name: 'team', Tags: [{ Key: 'k', Value: 'v' }] }));
    expect(g.ScheduleGroupArn).toBe(`arn:aws:scheduler:us-east-1:${ACCOUNT}:schedule-group/team`);
    expect((await rejection(sch().send(new CreateScheduleGroupCommand({ Name: 'team' })))).name).toBe('ConflictException');
    expect(await sch().send(new GetScheduleGroupCommand({ Name: 'team' }))).toMatchObject({ Name: 'team', State: 'ACTIVE', Arn: g.ScheduleGroupArn });
    const names = (await sch().send(new ListScheduleGroupsCommand({}))).ScheduleGroups!.map((x) => x.Name);
    expect(names).toEqual(expect.arrayContaining(['default', 'team']));
    await sch().send(new TagResourceCommand({ ResourceArn: g.ScheduleGroupArn, Tags: [{ Key: 'k2', Value: 'v2' }] }));
    await sch().send(new UntagResourceCommand({ ResourceArn: g.ScheduleGroupArn, TagKeys: ['k'] }));
    expect((await sch().send(new ListTagsForResourceCommand({ ResourceArn: g.ScheduleGroupArn }))).Tags).toEqual([{ Key: 'k2', Value: 'v2' }]);
    await sch().send(new CreateScheduleCommand({ Name: 'in-team', GroupName: 'team', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: OFF, Target: { Arn: 'arn:aws:sqs:us-east-1:000000000000:x', RoleArn: ROLE } }));
    expect((await sch().send(new ListSchedulesCommand({ GroupName: 'team' }))).Schedules!.map((s) => s.Name)).toEqual(['in-team']);
    await sch().send(new DeleteScheduleGroupCommand({ Name: 'team' }));
    expect((await rejection(sch().send(new GetScheduleGroupCommand({ Name: 'team' })))).name).toBe('ResourceNotFoundException');
    expect((await sch().send(new ListSchedulesCommand({ GroupName: 'team' }))).Schedules).toEqual([]);
    expect((await rejection(sch().send(new DeleteScheduleGroupCommand({ Name: 'default' })))).name).toBe('ValidationException');
  });
});
