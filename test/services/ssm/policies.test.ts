// covers: ssm.PutParameter ssm.GetParameter ssm.DescribeParameters ssm.DeleteParameter events.PutRule events.PutTargets
import { beforeAll, describe, expect, test } from 'vitest';
import { DeleteParameterCommand, DescribeParametersCommand, GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { clientConfig, drainQueue, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-08-01T00:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ssm = () => new SSMClient(clientConfig(ctx.g));
const ARN = (name: string) => `arn:aws:ssm:us-east-1:000000000000:parameter${name}`;

interface Ev { source: string; 'detail-type': string; time: string; resources: string[]; detail: Record<string, string> }

/** A queue receiving the aws.ssm events of `detailType` through an EventBridge rule. */
async function ssmEvents(name: string, detailType: string): Promise<string> {
  const sqs = new SQSClient(clientConfig(ctx.g));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const eb = new EventBridgeClient(clientConfig(ctx.g));
  await eb.send(new PutRuleCommand({ Name: name, EventPattern: JSON.stringify({ source: ['aws.ssm'], 'detail-type': [detailType] }) }));
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 'q', Arn: arn }] }));
  return url;
}
const events = async (url: string) => (await drainQueue(ctx.g, url)).map((m) => JSON.parse(m.Body!) as Ev);

let policyQueue: string;
beforeAll(async () => {
  ctx.g.clock.set(T0);
  policyQueue = await ssmEvents('policy-actions', 'Parameter Store Policy Action');
});

const statuses = async (name: string) =>
  Object.fromEntries((await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: [name] }] }))).Parameters![0]!.Policies!.map((p) => [p.PolicyType, p.PolicyStatus]));

describe('parameter policies act on the clock and send "Parameter Store Policy Action" events', () => {
  test('NoChangeNotification, ExpirationNotification, then Expiration deletes the parameter', async () => {
    const policies = JSON.stringify([
      { Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: new Date(T0 + 10 * DAY).toISOString() } },
      { Type: 'ExpirationNotification', Version: '1.0', Attributes: { Before: '2', Unit: 'Days' } },
      { Type: 'NoChangeNotification', Version: '1.0', Attributes: { After: '3', Unit: 'Days' } },
    ]);
    await ssm().send(new PutParameterCommand({ Name: '/pol/key', Value: 'v', Type: 'String', Tier: 'Advanced', Policies: policies }));
    expect(await statuses('/pol/key')).toEqual({ Expiration: 'Pending', ExpirationNotification: 'Pending', NoChangeNotification: 'Pending' });

    ctx.g.clock.advance(3 * DAY);
    const noChange = await events(policyQueue);
    expect(noChange).toEqual([expect.objectContaining({
      source: 'aws.ssm', 'detail-type': 'Parameter Store Policy Action', time: '2026-08-04T00:00:00Z', resources: [ARN('/pol/key')],
      detail: expect.objectContaining({ 'parameter-name': '/pol/key', 'parameter-type': 'String', 'policy-type': 'NoChangeNotification', 'action-status': 'Finished' }),
    })]);
    expect(await statuses('/pol/key')).toMatchObject({ NoChangeNotification: 'Finished', ExpirationNotification: 'Pending' });

    ctx.g.clock.advance(5 * DAY);
    const reminder = await events(policyQueue);
    expect(reminder.map((e) => [e.time, e.detail['policy-type']])).toEqual([['2026-08-09T00:00:00Z', 'ExpirationNotification']]);
    expect(reminder[0]!.detail['action-reason']).toContain('2026-08-11T00:00:00Z');

    ctx.g.clock.advance(2 * DAY);
    const expired = await events(policyQueue);
    expect(expired.map((e) => [e.time, e.detail['policy-type']])).toEqual([['2026-08-11T00:00:00Z', 'Expiration']]);
    expect((await failure(ssm().send(new GetParameterCommand({ Name: '/pol/key' })))).name).toBe('ParameterNotFound');
  });

  test('a change resets NoChangeNotification (Hours); it fires After the last change', async () => {
    const policies = JSON.stringify([{ Type: 'NoChangeNotification', Version: '1.0', Attributes: { After: '6', Unit: 'Hours' } }]);
    const start = ctx.g.clock.now().getTime();
    await ssm().send(new PutParameterCommand({ Name: '/pol/stale', Value: '1', Type: 'String', Tier: 'Advanced', Policies: policies }));
    ctx.g.clock.advance(4 * HOUR);
    await ssm().send(new PutParameterCommand({ Name: '/pol/stale', Value: '2', Overwrite: true }));
    ctx.g.clock.advance(4 * HOUR);
    expect(await events(policyQueue)).toEqual([]);
    ctx.g.clock.advance(2 * HOUR);
    const e = await events(policyQueue);
    expect(e.map((x) => [x.time, x.detail['policy-type'], x.detail['parameter-name']])).toEqual([[new Date(start + 10 * HOUR).toISOString().replace('.000', ''), 'NoChangeNotification', '/pol/stale']]);
  });

  test('policy validation: types, attributes, standard tier', async () => {
    const bad = (p: unknown) => ssm().send(new PutParameterCommand({ Name: '/pol/bad', Value: 'x', Type: 'String', Tier: 'Advanced', Policies: JSON.stringify(p) }));
    expect((await failure(bad([{ Type: 'Explode', Version: '1.0', Attributes: {} }]))).name).toBe('InvalidPolicyTypeException');
    expect((await failure(bad([{ Type: 'NoChangeNotification', Version: '1.0', Attributes: { After: 'soon', Unit: 'Days' } }]))).name).toBe('InvalidPolicyAttributeException');
    expect((await failure(bad([{ Type: 'ExpirationNotification', Version: '1.0', Attributes: { Before: '1', Unit: 'Weeks' } }]))).name).toBe('InvalidPolicyAttributeException');
    expect((await failure(ssm().send(new PutParameterCommand({
      Name: '/pol/std', Value: 'x', Type: 'String', Policies: JSON.stringify([{ Type: 'NoChangeNotification', Version: '1.0', Attributes: { After: '1', Unit: 'Days' } }]),
    })))).name).toBe('ValidationException');
  });
});

describe('"Parameter Store Change" events', () => {
  test('Create, Update and Delete', async () => {
    const url = await ssmEvents('changes', 'Parameter Store Change');
    await ssm().send(new PutParameterCommand({ Name: '/chg/a', Value: '1', Type: 'String', Description: 'd' }));
    await ssm().send(new PutParameterCommand({ Name: '/chg/a', Value: '2', Overwrite: true }));
    await ssm().send(new DeleteParameterCommand({ Name: '/chg/a' }));
    const got = await events(url);
    expect(got.map((e) => e.detail)).toEqual([
      { operation: 'Create', name: '/chg/a', type: 'String', description: 'd' },
      { operation: 'Update', name: '/chg/a', type: 'String', description: 'd' },
      { operation: 'Delete', name: '/chg/a', type: 'String', description: 'd' },
    ]);
    expect(got[0]!.resources).toEqual([ARN('/chg/a')]);
  });
});
