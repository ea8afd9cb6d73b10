// covers: ec2.RequestSpotInstances ec2.DescribeSpotInstanceRequests ec2.CancelSpotInstanceRequests ec2.DescribeSpotPriceHistory ec2.RunInstances ec2.DescribeInstances ec2.CreateTags events.PutRule events.PutTargets
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { useGureum, clientConfig, failure, raw, drainQueue } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (region = 'us-east-1') => new E.EC2Client(clientConfig(ctx.g, { region }));
const control = async (path: string, body?: unknown) => {
  const r = await raw(ctx.g, path, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: r.status, text: r.text, json: (() => { try { return JSON.parse(r.text); } catch { return undefined; } })() };
};
const instance = async (id: string, region = 'us-east-1') => (await ec2(region).send(new E.DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
const request = async (id: string, region = 'us-east-1') => (await ec2(region).send(new E.DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [id] }))).SpotInstanceRequests![0]!;

describe('Spot', () => {
  test('price history is deterministic, one point per day, below on-demand', async () => {
    const e = ec2();
    const ask = () => e.send(new E.DescribeSpotPriceHistoryCommand({
      InstanceTypes: ['m5.large'], ProductDescriptions: ['Linux/UNIX'], AvailabilityZone: 'us-east-1a', StartTime: new Date(ctx.g.clock.now().getTime() - 3 * 86_400_000),
    }));
    const one = (await ask()).SpotPriceHistory!;
    expect(one).toHaveLength(4);
    expect(one.map((p) => p.Timestamp!.getTime() % 86_400_000)).toEqual([0, 0, 0, 0]);
    expect(one[0]!.Timestamp!.getTime()).toBeGreaterThan(one[1]!.Timestamp!.getTime());
    for (const p of one) {
      expect(p).toMatchObject({ AvailabilityZone: 'us-east-1a', InstanceType: 'm5.large', ProductDescription: 'Linux/UNIX' });
      expect(Number(p.SpotPrice)).toBeGreaterThan(0.02);
      expect(Number(p.SpotPrice)).toBeLessThan(0.096);
      expect(p.SpotPrice).toMatch(/^\d+\.\d{6}$/);
    }
    expect((await ask()).SpotPriceHistory).toEqual(one);
    const now = (await e.send(new E.DescribeSpotPriceHistoryCommand({ InstanceTypes: ['c5.xlarge'], ProductDescriptions: ['Linux/UNIX', 'Windows'] }))).SpotPriceHistory!;
    expect(now).toHaveLength(12); // six zones × two products, the price in effect now
    const windows = now.find((p) => p.ProductDescription === 'Windows' && p.AvailabilityZone === 'us-east-1a')!;
    const linux = now.find((p) => p.ProductDescription === 'Linux/UNIX' && p.AvailabilityZone === 'us-east-1a')!;
    expect(Number(windows.SpotPrice)).toBeGreaterThan(Number(linux.SpotPrice));
    // not an instance type on purpose: the service must reject it
    expect((await failure(e.send(new E.DescribeSpotPriceHistoryCommand({ InstanceTypes: ['m9.huge' as never] })))).name).toBe('InvalidParameterValue');
  });

  test('RequestSpotInstances: evaluation, fulfilment, price too low, cancel', async () => {
    const e = ec2('us-west-2');
    const low = (await e.send(new E.RequestSpotInstancesCommand({ SpotPrice: '0.0001', LaunchSpecification: { ImageId: 'ami-760aaa0f', InstanceType: 'm5.large' } }))).SpotInstanceRequests![0]!;
    expect(low.SpotInstanceRequestId).toMatch(/^sir-[0-9a-f]{8}$/);
    expect(low).toMatchObject({ State: 'open', Status: { Code: 'pending-evaluation' }, Type: 'one-time', SpotPrice: '0.0001', ProductDescription: 'Linux/UNIX' });
    ctx.g.clock.advance(2_000);
    const lowNow = await request(low.SpotInstanceRequestId!, 'us-west-2');
    expect(lowNow.State).toBe('open');
    expect(lowNow.Status!.Code).toBe('price-too-low');
    expect(lowNow.Status!.Message).toMatch(/^Your Spot request price of 0\.0001 is lower than the minimum required Spot request fulfillment price of \d+\.\d{6}\.$/);
    expect(lowNow.InstanceId).toBeUndefined();
    const cancelled = await e.send(new E.CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [low.SpotInstanceRequestId!] }));
    expect(cancelled.CancelledSpotInstanceRequests).toEqual([{ SpotInstanceRequestId: low.SpotInstanceRequestId, State: 'cancelled' }]);
    expect((await request(low.SpotInstanceRequestId!, 'us-west-2')).Status!.Code).toBe('canceled-before-fulfillment');

    const ok = (await e.send(new E.RequestSpotInstancesCommand({
      InstanceCount: 2, LaunchSpecification: { ImageId: 'ami-760aaa0f', InstanceType: 'm5.large' },
      TagSpecifications: [{ ResourceType: 'spot-instances-request', Tags: [{ Key: 'job', Value: 'batch' }] }],
    }))).SpotInstanceRequests!;
    expect(ok.map((r) => r.Status!.Code)).toEqual(['pending-evaluation', 'pending-evaluation']);
    ctx.g.clock.advance(2_000);
    const fulfilled = (await e.send(new E.DescribeSpotInstanceRequestsCommand({ Filters: [{ Name: 'tag:job', Values: ['batch'] }] }))).SpotInstanceRequests!;
    expect(fulfilled.map((r) => [r.State, r.Status!.Code])).toEqual([['active', 'fulfilled'], ['active', 'fulfilled']]);
    const i = await instance(fulfilled[0]!.InstanceId!, 'us-west-2');
    expect(i).toMatchObject({ InstanceLifecycle: 'spot', SpotInstanceRequestId: fulfilled[0]!.SpotInstanceRequestId, InstanceType: 'm5.large' });
    await e.send(new E.CancelSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [fulfilled[0]!.SpotInstanceRequestId!] }));
    const after = await request(fulfilled[0]!.SpotInstanceRequestId!, 'us-west-2');
    expect(after).toMatchObject({ State: 'cancelled', Status: { Code: 'request-canceled-and-instance-running' } });
    expect((await instance(i.InstanceId!, 'us-west-2')).State!.Name).toBe('pending');
    // the owner terminating the instance closes a one-time request
    await e.send(new E.TerminateInstancesCommand({ InstanceIds: [fulfilled[1]!.InstanceId!] }));
    expect(await request(fulfilled[1]!.SpotInstanceRequestId!, 'us-west-2')).toMatchObject({ State: 'closed', Status: { Code: 'instance-terminated-by-user' } });
    expect((await failure(e.send(new E.DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: ['sir-00000000'] })))).name).toBe('InvalidSpotInstanceRequestID.NotFound');
  });

  test('interruption: two-minute notice in metadata and EventBridge, then termination on the clock', async () => {
    const e = ec2();
    const sqs = new SQSClient(clientConfig(ctx.g));
    const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'spot-warnings' }))).QueueUrl!;
    const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
    const eb = new EventBridgeClient(clientConfig(ctx.g));
    await eb.send(new PutRuleCommand({ Name: 'spot', EventPattern: JSON.stringify({ source: ['aws.ec2'], 'detail-type': ['EC2 Spot Instance Interruption Warning'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'spot', Targets: [{ Id: 'q', Arn: arn }] }));

    expect((await failure(e.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 'c5.large', MinCount: 1, MaxCount: 1, InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { MaxPrice: '0.001' } },
    })))).name).toBe('SpotMaxPriceTooLow');
    expect((await failure(e.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 'c5.large', MinCount: 1, MaxCount: 1, InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { InstanceInterruptionBehavior: 'stop' } },
    })))).name).toBe('InvalidParameterCombination');
    const i = (await e.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 'c5.large', MinCount: 1, MaxCount: 1, InstanceMarketOptions: { MarketType: 'spot' } }))).Instances![0]!;
    expect(i.InstanceLifecycle).toBe('spot');
    const sir = i.SpotInstanceRequestId!;
    expect(await request(sir)).toMatchObject({ State: 'active', Status: { Code: 'fulfilled' }, InstanceId: i.InstanceId });
    ctx.g.clock.advance(5_000);

    const meta = `/_gureum/ec2/instances/${i.InstanceId}/latest/meta-data`;
    expect((await control(`${meta}/spot/instance-action`)).status).toBe(404);
    expect((await control(`${meta}/instance-id`)).text).toBe(i.InstanceId);
    expect((await control(`${meta}/instance-life-cycle`)).text).toBe('spot');

    const notice = await control('/_gureum/ec2/spot-interruptions', { instanceId: i.InstanceId });
    expect(notice.status).toBe(200);
    const due = new Date(ctx.g.clock.now().getTime() + 120_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const action = JSON.parse((await control(`${meta}/spot/instance-action`)).text);
    expect(action).toEqual({ action: 'terminate', time: due });
    expect((await control(`${meta}/spot/termination-time`)).text).toBe(due);
    expect((await request(sir)).Status!.Code).toBe('marked-for-termination');

    const events = (await drainQueue(ctx.g, url)).map((m) => JSON.parse(m.Body!));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      source: 'aws.ec2', 'detail-type': 'EC2 Spot Instance Interruption Warning', account: '000000000000', region: 'us-east-1',
      resources: [`arn:aws:ec2:us-east-1:000000000000:instance/${i.InstanceId}`], detail: { 'instance-id': i.InstanceId, 'instance-action': 'terminate' },
    });

    ctx.g.clock.advance(119_000);
    expect((await instance(i.InstanceId!)).State!.Name).toBe('running');
    ctx.g.clock.advance(1_000);
    const gone = await instance(i.InstanceId!);
    expect(gone.State!.Name).toBe('shutting-down');
    expect(gone.StateReason).toEqual({ Code: 'Server.SpotInstanceTermination', Message: 'Server.SpotInstanceTermination: Spot instance termination' });
    expect(await request(sir)).toMatchObject({ State: 'closed', Status: { Code: 'instance-terminated-no-capacity' } });
    // only a running Spot instance can be interrupted
    expect((await control('/_gureum/ec2/spot-interruptions', { instanceId: i.InstanceId })).status).toBe(400);
  });

  test('a persistent request with the stop behavior is stopped and disabled', async () => {
    const e = ec2('eu-west-1');
    const i = (await e.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 'm5.large', MinCount: 1, MaxCount: 1,
      InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: 'stop' } },
    }))).Instances![0]!;
    ctx.g.clock.advance(5_000);
    const r = await control('/_gureum/ec2/spot-interruptions', { instanceId: i.InstanceId, region: 'eu-west-1' });
    expect(r.json).toMatchObject({ action: 'stop', instanceId: i.InstanceId });
    ctx.g.clock.advance(120_000);
    const after = await instance(i.InstanceId!, 'eu-west-1');
    expect(after.State!.Name).toBe('stopping');
    expect(after.StateReason!.Code).toBe('Server.SpotInstanceShutdown');
    expect(await request(i.SpotInstanceRequestId!, 'eu-west-1')).toMatchObject({ State: 'disabled', Status: { Code: 'instance-stopped-no-capacity' }, Type: 'persistent' });
  });
});
