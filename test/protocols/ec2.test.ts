// covers: ec2.DescribeAvailabilityZones
/**
 * ec2Query on the wire: raw form requests (EC2 names, flattened lists, EC2's response and
 * error envelopes), plus hermetic round trips through the real SDK v3 EC2 serializer and
 * deserializer for deeply nested inputs and outputs (RunInstances, DescribeInstances).
 */
import { describe, test, expect } from 'vitest';
import {
  EC2Client, RunInstancesCommand, DescribeInstancesCommand, DescribeRegionsCommand, DescribeAvailabilityZonesCommand,
  type RunInstancesCommandInput, type EC2ClientResolvedConfig, type ServiceInputTypes, type ServiceOutputTypes,
} from '@aws-sdk/client-ec2';
import type { Command } from '@smithy/types';
import { useGureum, raw, clientConfig } from '../helpers.js';
import ec2 from '../../src/protocol/ec2/index.js';
import { loadModel } from '../../src/protocol/models.js';

const ctx = useGureum();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const post = (body: string) => raw(ctx.g, '/', { method: 'POST', headers: FORM, body });
const V = 'Version=2016-11-15';

describe('raw ec2Query requests', () => {
  test('EC2 envelope: requestId first, lowerCamel names, <item> lists', async () => {
    const r = await post(`Action=DescribeAvailabilityZones&${V}&ZoneName.1=us-east-1b&ZoneName.2=us-east-1c&Filter.1.Name=state&Filter.1.Value.1=available`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/xml');
    const id = r.headers.get('x-amzn-requestid');
    expect(r.text).toContain(`<DescribeAvailabilityZonesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${id}</requestId><availabilityZoneInfo><item>`);
    expect(r.text).toContain('<zoneName>us-east-1b</zoneName>');
    expect(r.text).toContain('<zoneState>available</zoneState>');
    expect(r.text).toContain('<zoneId>use1-az1</zoneId>');
    expect(r.text).toContain('<messageSet></messageSet>');
    expect(r.text.match(/<item>/g)?.length).toBe(2);
  });

  test('flattened lists: RegionName.N', async () => {
    const r = await post(`Action=DescribeRegions&${V}&RegionName.1=eu-west-1&RegionName.2=ap-south-1`);
    expect(r.status).toBe(200);
    expect([...r.text.matchAll(/<regionName>([^<]+)<\/regionName>/g)].map((m) => m[1])).toEqual(['ap-south-1', 'eu-west-1']);
    expect(r.text).toContain('<regionEndpoint>ec2.eu-west-1.amazonaws.com</regionEndpoint>');
  });

  test('errors: <Response><Errors><Error> with RequestID', async () => {
    const r = await post(`Action=DescribeAvailabilityZones&${V}&ZoneName.1=us-east-1z`);
    expect(r.status).toBe(400);
    const id = r.headers.get('x-amzn-requestid');
    expect(r.text).toContain(`<Response><Errors><Error><Code>InvalidParameterValue</Code><Message>Invalid availability zone: [us-east-1z]</Message></Error></Errors><RequestID>${id}</RequestID></Response>`);
  });

  test('booleans: DryRun=true is DryRunOperation (412); a non-boolean is InvalidParameterValue', async () => {
    const dry = await post(`Action=DescribeRegions&${V}&DryRun=true`);
    expect(dry.status).toBe(412);
    expect(dry.text).toContain('<Code>DryRunOperation</Code>');
    const bad = await post(`Action=DescribeRegions&${V}&DryRun=perhaps`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>InvalidParameterValue</Code>');
    expect(bad.text).toContain('for parameter DryRun is invalid');
  });

  test('unknown action; operation in the model but not built → 501 NotImplemented', async () => {
    const bad = await post(`Action=DescribeUnicorns&${V}`);
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>InvalidAction</Code>');
    const todo = await post(`Action=DescribeFpgaImages&${V}`);
    expect(todo.status).toBe(501);
    expect(todo.text).toContain('<Code>NotImplemented</Code>');
    expect(todo.text).toContain('ec2:DescribeFpgaImages');
  });

  test('SDK v3 over the wire: the SigV4 region picks the zones', async () => {
    const out = await new EC2Client(clientConfig(ctx.g, { region: 'eu-west-3' })).send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: ['*b'] }] }));
    expect(out.AvailabilityZones!.map((z) => [z.ZoneName, z.ZoneId, z.RegionName])).toEqual([['eu-west-3b', 'euw3-az2', 'eu-west-3']]);
  });

  test('GET with a query string', async () => {
    const r = await raw(ctx.g, `/?Action=DescribeRegions&${V}&Filter.1.Name=region-name&Filter.1.Value.1=us-west-1`);
    expect(r.status).toBe(200);
    expect(r.text).toContain('<regionName>us-west-1</regionName>');
  });
});

// ---- hermetic round trips through the SDK's ec2 serializer / deserializer

/** Sends `command` through an EC2Client whose HTTP handler is gureum's ec2 codec; the result is the command's own output type. */
async function roundTrip<I extends ServiceInputTypes, O extends ServiceOutputTypes>(
  command: Command<ServiceInputTypes, I, ServiceOutputTypes, O, EC2ClientResolvedConfig>,
  output: Record<string, unknown>,
) {
  const model = loadModel('ec2');
  let parsed: Record<string, unknown> | undefined;
  const handler = {
    async handle(request: { body?: string }) {
      let status = 0;
      let headers: Record<string, string> = {};
      let text = '';
      const fake = {
        requestId: 'req-1',
        operationName: '',
        query: new URLSearchParams(),
        body: Buffer.from(String(request.body ?? '')),
        rawPath: '/',
        req: { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        res: {
          writeHead(s: number, h: Record<string, unknown>) {
            status = s;
            headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
          },
          end(t: string) {
            text = t;
          },
        },
      };
      const c = fake as never;
      fake.operationName = ec2.resolveOperation(c, model)!;
      const op = model.operations[fake.operationName]!;
      parsed = await ec2.parse(c, model, op);
      await ec2.serialize(c, model, op, output);
      return { response: { statusCode: status, headers, body: Buffer.from(text) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const client = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, requestHandler: handler as never });
  const result = await client.send(command);
  return { parsed: parsed!, result };
}

describe('SDK round trips (ec2Query codec)', () => {
  test('RunInstances: ec2QueryName members, nested flattened lists, numbers, booleans', async () => {
    const input: RunInstancesCommandInput = {
      ImageId: 'ami-12345678',
      MinCount: 1,
      MaxCount: 2,
      InstanceType: 't3.micro',
      SecurityGroupIds: ['sg-1', 'sg-2'],
      EbsOptimized: true,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { VolumeSize: 20, VolumeType: 'gp3', DeleteOnTermination: false } }],
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }, { Key: 'env', Value: 'dev' }] }],
      IamInstanceProfile: { Name: 'profile' },
      UserData: 'IyEvYmluL3NoCg==',
    };
    const launched = new Date('2025-01-02T03:04:05Z');
    const { parsed, result } = await roundTrip(new RunInstancesCommand(input), {
      ReservationId: 'r-1',
      OwnerId: '000000000000',
      Instances: [{ InstanceId: 'i-1', State: { Code: 16, Name: 'running' }, LaunchTime: launched, Tags: [{ Key: 'Name', Value: 'web' }], EbsOptimized: true, SecurityGroups: [] }],
    });
    const { ClientToken, ...rest } = parsed;
    expect(typeof ClientToken).toBe('string'); // idempotency token the SDK fills in
    expect(rest).toEqual(input);
    const inst = result.Instances![0]!;
    expect(inst).toMatchObject({ InstanceId: 'i-1', State: { Code: 16, Name: 'running' }, Tags: [{ Key: 'Name', Value: 'web' }], EbsOptimized: true, SecurityGroups: [] });
    expect(inst.LaunchTime).toBeInstanceOf(Date);
    expect(inst.LaunchTime!.toISOString()).toBe(launched.toISOString());
    expect(result.ReservationId).toBe('r-1');
  });

  test('DescribeInstances: filters in, reservations out', async () => {
    const { parsed, result } = await roundTrip(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['web', 'api'] }], InstanceIds: ['i-1'], MaxResults: 5 }), {
      Reservations: [{ ReservationId: 'r-1', Instances: [{ InstanceId: 'i-1' }] }, { ReservationId: 'r-2', Instances: [] }],
      NextToken: 'next',
    });
    expect(parsed).toEqual({ Filters: [{ Name: 'tag:Name', Values: ['web', 'api'] }], InstanceIds: ['i-1'], MaxResults: 5 });
    expect(result).toMatchObject({ Reservations: [{ ReservationId: 'r-1', Instances: [{ InstanceId: 'i-1' }] }, { ReservationId: 'r-2', Instances: [] }], NextToken: 'next' });
  });

  test('an empty input list is not sent and parses as absent', async () => {
    const { parsed } = await roundTrip(new DescribeRegionsCommand({ RegionNames: [] }), { Regions: [] });
    expect(parsed).toEqual({});
  });
});
