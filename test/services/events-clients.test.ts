// covers: events.PutRule events.PutTargets events.PutEvents events.DescribeRule events.ListRules events.TestEventPattern scheduler.CreateSchedule scheduler.GetSchedule scheduler.ListSchedules
/**
 * EventBridge and Scheduler through the AWS CLI and boto3, and scheduled rules / schedules
 * surviving a restart (timers rebuilt from state).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SchedulerClient, CreateScheduleCommand } from '@aws-sdk/client-scheduler';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { startGureum, type Gureum } from '../../src/index.js';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum, drainQueue } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sqs = (g: Gureum) => new SQSClient(clientConfig(g));

async function queue(g: Gureum, name: string) {
  const url = (await sqs(g).send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs(g).send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('put-rule, put-targets, put-events deliver to SQS; errors keep their codes', async () => {
    const q = await queue(ctx.g, 'cli-q');
    const rule = await awsCli(ctx.g, ['events', 'put-rule', '--name', 'cli-rule', '--event-pattern', JSON.stringify({ source: ['cli.app'], detail: { level: [{ 'anything-but': 'debug' }] } })]);
    expect(rule.status, rule.stderr).toBe(0);
    expect((rule.json as { RuleArn: string }).RuleArn).toBe('arn:aws:events:us-east-1:000000000000:rule/cli-rule');
    const t = await awsCli(ctx.g, ['events', 'put-targets', '--rule', 'cli-rule', '--targets', JSON.stringify([{ Id: 'q', Arn: q.arn }])]);
    expect(t.status, t.stderr).toBe(0);
    expect(t.json).toMatchObject({ FailedEntryCount: 0 });
    const e = await awsCli(ctx.g, ['events', 'put-events', '--entries', JSON.stringify([
      { Source: 'cli.app', DetailType: 'log', Detail: '{"level":"error"}' },
      { Source: 'cli.app', DetailType: 'log', Detail: '{"level":"debug"}' },
    ])]);
    expect(e.status, e.stderr).toBe(0);
    expect((e.json as { FailedEntryCount: number }).FailedEntryCount).toBe(0);
    const msgs = (await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!));
    expect(msgs.map((m) => m.detail.level)).toEqual(['error']);
    const bad = await awsCli(ctx.g, ['events', 'put-rule', '--name', 'bad', '--schedule-expression', 'cron(0 12 * * *)']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('(ValidationException) when calling the PutRule operation: Parameter ScheduleExpression is not valid.');
    const d = await awsCli(ctx.g, ['events', 'describe-rule', '--name', 'cli-rule']);
    expect(d.json).toMatchObject({ Name: 'cli-rule', State: 'ENABLED' });
  });

  it('scheduler create-schedule / get-schedule', async () => {
    const c = await awsCli(ctx.g, ['scheduler', 'create-schedule', '--name', 'cli-sched', '--schedule-expression', 'rate(1 hour)', '--flexible-time-window', 'Mode=OFF',
      '--target', JSON.stringify({ Arn: 'arn:aws:sqs:us-east-1:000000000000:cli-q', RoleArn: 'arn:aws:iam::000000000000:role/r' })]);
    expect(c.status, c.stderr).toBe(0);
    const g = await awsCli(ctx.g, ['scheduler', 'get-schedule', '--name', 'cli-sched']);
    expect(g.json).toMatchObject({ Name: 'cli-sched', GroupName: 'default', ScheduleExpression: 'rate(1 hour)' });
    const missing = await awsCli(ctx.g, ['scheduler', 'get-schedule', '--name', 'nope']);
    expect(missing.stderr).toContain('(ResourceNotFoundException) when calling the GetSchedule operation: Schedule nope does not exist.');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('events: put_rule, list_rules, test_event_pattern, put_events', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('events', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
c.put_rule(Name='py-rule', EventPattern=json.dumps({'source': ['py']}))
rules = [x['Name'] for x in c.list_rules(NamePrefix='py-')['Rules']]
ok = c.test_event_pattern(EventPattern=json.dumps({'detail': {'ip': [{'cidr': '10.0.0.0/8'}]}}), Event=json.dumps({'id': '1', 'account': '000000000000', 'source': 's', 'time': '2030-01-01T00:00:00Z', 'region': 'us-east-1', 'detail-type': 'd', 'resources': [], 'detail': {'ip': '10.1.2.3'}}))['Result']
pe = c.put_events(Entries=[{'Source': 'py', 'DetailType': 'x', 'Detail': '{}'}, {'Source': 'py', 'DetailType': 'x', 'Detail': 'nope'}])
try:
    c.describe_rule(Name='missing')
    err = None
except c.exceptions.ResourceNotFoundException as e:
    err = e.response['Error']['Message']
print(json.dumps({'rules': rules, 'ok': ok, 'failed': pe['FailedEntryCount'], 'codes': [e.get('ErrorCode') for e in pe['Entries']], 'err': err}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ rules: ['py-rule'], ok: true, failed: 1, codes: [null, 'MalformedDetail'], err: 'Rule missing does not exist on EventBus default.' });
  });

  it('scheduler: create_schedule with a time zone, list_schedules, ConflictException', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('scheduler', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
t = {'Arn': 'arn:aws:sqs:us-east-1:000000000000:x', 'RoleArn': 'arn:aws:iam::000000000000:role/r'}
c.create_schedule(Name='py-sched', ScheduleExpression='cron(0 9 * * ? *)', ScheduleExpressionTimezone='Asia/Seoul', FlexibleTimeWindow={'Mode': 'FLEXIBLE', 'MaximumWindowInMinutes': 10}, Target=t)
g = c.get_schedule(Name='py-sched')
names = [s['Name'] for s in c.list_schedules(NamePrefix='py-')['Schedules']]
try:
    c.create_schedule(Name='py-sched', ScheduleExpression='rate(1 day)', FlexibleTimeWindow={'Mode': 'OFF'}, Target=t)
    err = None
except c.exceptions.ConflictException as e:
    err = e.response['Error']['Message']
print(json.dumps({'tz': g['ScheduleExpressionTimezone'], 'win': g['FlexibleTimeWindow'], 'names': names, 'err': err}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ tz: 'Asia/Seoul', win: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 10 }, names: ['py-sched'], err: 'Schedule py-sched already exists.' });
  });
});

describe('restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gureum-events-persist-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('scheduled rules and schedules keep firing after a restart', async () => {
    let g = await startGureum({ dataDir, freezeClock: true });
    const start = Date.parse('2033-01-01T00:00:00Z');
    g.clock.set(start);
    const q = await queue(g, 'restart-q');
    const eb = new EventBridgeClient(clientConfig(g));
    await eb.send(new PutRuleCommand({ Name: 'r5', ScheduleExpression: 'rate(5 minutes)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'r5', Targets: [{ Id: 'q', Arn: q.arn, Input: '"rule"' }] }));
    await new SchedulerClient(clientConfig(g)).send(new CreateScheduleCommand({ Name: 'at', ScheduleExpression: 'at(2033-01-01T00:07:00)', FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: q.arn, RoleArn: 'arn:aws:iam::000000000000:role/r', Input: '"schedule"' } }));
    await g.stop();

    g = await startGureum({ dataDir, freezeClock: true });
    g.clock.set(start + 60_000); // no request yet: the services were woken at start-up
    g.clock.advance('10m');
    const bodies = (await drainQueue(g, q.url)).map((m) => m.Body).sort();
    expect(bodies).toEqual(['"rule"', '"rule"', '"schedule"']);
    await g.stop();
  });
});
