// covers: ec2.DescribeRegions ec2.DescribeAvailabilityZones
import { describe, test, expect } from 'vitest';
import { EC2Client, DescribeRegionsCommand, DescribeAvailabilityZonesCommand } from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3, failure } from '../helpers.js';

const ctx = useGureum();
const ec2 = (region = 'us-east-1') => new EC2Client(clientConfig(ctx.g, { region }));

describe('DescribeRegions', () => {
  test('lists every region with its endpoint and opt-in status', async () => {
    const out = await ec2().send(new DescribeRegionsCommand({}));
    const names = out.Regions!.map((r) => r.RegionName);
    expect(names).toContain('us-east-1');
    expect(names).toContain('eu-west-1');
    expect(names).toEqual([...names].sort());
    expect(out.Regions!.find((r) => r.RegionName === 'us-east-1')).toEqual({ RegionName: 'us-east-1', Endpoint: 'ec2.us-east-1.amazonaws.com', OptInStatus: 'opt-in-not-required' });
    expect(out.Regions!.find((r) => r.RegionName === 'af-south-1')!.OptInStatus).toBe('opted-in');
    const all = await ec2().send(new DescribeRegionsCommand({ AllRegions: true }));
    expect(all.Regions!.length).toBe(out.Regions!.length);
  });

  test('RegionNames selects; an unknown name is InvalidParameterValue', async () => {
    const out = await ec2().send(new DescribeRegionsCommand({ RegionNames: ['eu-west-1', 'us-west-2'] }));
    expect(out.Regions!.map((r) => r.RegionName)).toEqual(['eu-west-1', 'us-west-2']);
    const e = await failure(ec2().send(new DescribeRegionsCommand({ RegionNames: ['us-east-1', 'zz-nowhere-9', 'yy-nowhere-8'] })));
    expect(e).toMatchObject({ name: 'InvalidParameterValue', message: 'Invalid region: [yy-nowhere-8]', status: 400 });
  });

  test('filters: region-name with wildcards, opt-in-status, endpoint; unknown filter rejected', async () => {
    const eu = await ec2().send(new DescribeRegionsCommand({ Filters: [{ Name: 'region-name', Values: ['eu-west-?', 'eu-north-*'] }] }));
    expect(eu.Regions!.map((r) => r.RegionName)).toEqual(['eu-north-1', 'eu-west-1', 'eu-west-2', 'eu-west-3']);
    const optedIn = await ec2().send(new DescribeRegionsCommand({ Filters: [{ Name: 'opt-in-status', Values: ['opted-in'] }] }));
    expect(optedIn.Regions!.every((r) => r.OptInStatus === 'opted-in')).toBe(true);
    expect(optedIn.Regions!.map((r) => r.RegionName)).toContain('me-south-1');
    const ep = await ec2().send(new DescribeRegionsCommand({ Filters: [{ Name: 'endpoint', Values: ['*sa-east-1*'] }] }));
    expect(ep.Regions!.map((r) => r.RegionName)).toEqual(['sa-east-1']);
    const both = await ec2().send(new DescribeRegionsCommand({ RegionNames: ['us-east-1'], Filters: [{ Name: 'region-name', Values: ['us-west-2'] }] }));
    expect(both.Regions).toEqual([]);
    const e = await failure(ec2().send(new DescribeRegionsCommand({ Filters: [{ Name: 'tag:Name', Values: ['x'] }] })));
    expect(e).toMatchObject({ name: 'InvalidParameterValue', message: "The filter 'tag:Name' is invalid" });
  });

  test('DryRun answers DryRunOperation (412)', async () => {
    const e = await failure(ec2().send(new DescribeRegionsCommand({ DryRun: true })));
    expect(e).toMatchObject({ name: 'DryRunOperation', message: 'Request would have succeeded, but DryRun flag is set.', status: 412 });
  });
});

describe('DescribeAvailabilityZones', () => {
  test("the request region's zones, with AWS's fields", async () => {
    const out = await ec2().send(new DescribeAvailabilityZonesCommand({}));
    expect(out.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f']);
    expect(out.AvailabilityZones![0]).toEqual({
      State: 'available',
      OptInStatus: 'opt-in-not-required',
      Messages: [],
      RegionName: 'us-east-1',
      ZoneName: 'us-east-1a',
      ZoneId: 'use1-az6',
      GroupName: 'us-east-1',
      NetworkBorderGroup: 'us-east-1',
      ZoneType: 'availability-zone',
    });
    const tokyo = await ec2('ap-northeast-1').send(new DescribeAvailabilityZonesCommand({ AllAvailabilityZones: true }));
    expect(tokyo.AvailabilityZones!.map((z) => `${z.ZoneName}=${z.ZoneId}`)).toEqual(['ap-northeast-1a=apne1-az4', 'ap-northeast-1c=apne1-az1', 'ap-northeast-1d=apne1-az2']);
  });

  test('ZoneNames and ZoneIds select; unknown ones are InvalidParameterValue', async () => {
    const out = await ec2('eu-west-2').send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['eu-west-2b'], ZoneIds: ['euw2-az1'] }));
    expect(out.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(['eu-west-2b', 'eu-west-2c']);
    const e = await failure(ec2().send(new DescribeAvailabilityZonesCommand({ ZoneNames: ['us-east-1a', 'us-east-1z', 'eu-west-1a'] })));
    expect(e).toMatchObject({ name: 'InvalidParameterValue', message: 'Invalid availability zone: [us-east-1z]', status: 400 });
    const id = await failure(ec2().send(new DescribeAvailabilityZonesCommand({ ZoneIds: ['use1-az9'] })));
    expect(id.message).toBe('Invalid availability zone-id: [use1-az9]');
  });

  test('filters: zone-name, zone-id, region-name, state, zone-type', async () => {
    const c = ec2('us-west-2');
    const byName = await c.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-name', Values: ['us-west-2a', 'us-west-2d'] }] }));
    expect(byName.AvailabilityZones!.map((z) => z.ZoneId)).toEqual(['usw2-az2', 'usw2-az4']);
    const byId = await c.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-id', Values: ['usw2-az1'] }] }));
    expect(byId.AvailabilityZones!.map((z) => z.ZoneName)).toEqual(['us-west-2b']);
    const all = await c.send(
      new DescribeAvailabilityZonesCommand({
        Filters: [
          { Name: 'region-name', Values: ['us-west-2'] },
          { Name: 'state', Values: ['available'] },
          { Name: 'zone-type', Values: ['availability-zone'] },
        ],
      }),
    );
    expect(all.AvailabilityZones!.length).toBe(4);
    const none = await c.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'zone-type', Values: ['local-zone'] }] }));
    expect(none.AvailabilityZones).toEqual([]);
    const e = await failure(c.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'bogus-filter', Values: ['x'] }] })));
    expect(e.message).toBe("The filter 'bogus-filter' is invalid");
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('aws ec2 describe-availability-zones', async () => {
    const r = await awsCli(ctx.g, ['ec2', 'describe-availability-zones', '--region', 'eu-central-1']);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as { AvailabilityZones: { ZoneName: string; ZoneId: string; State: string }[] };
    expect(out.AvailabilityZones.map((z) => z.ZoneName)).toEqual(['eu-central-1a', 'eu-central-1b', 'eu-central-1c']);
    expect(out.AvailabilityZones[0]).toMatchObject({ ZoneId: 'euc1-az1', State: 'available' });
  });

  test('aws ec2 describe-regions --region-names with a filter', async () => {
    const r = await awsCli(ctx.g, ['ec2', 'describe-regions', '--region-names', 'us-east-1', 'eu-west-1', '--filters', 'Name=region-name,Values=eu-*']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ Regions: [{ RegionName: 'eu-west-1', Endpoint: 'ec2.eu-west-1.amazonaws.com', OptInStatus: 'opt-in-not-required' }] });
  });

  test('CLI error for an unknown zone', async () => {
    const r = await awsCli(ctx.g, ['ec2', 'describe-availability-zones', '--zone-names', 'us-east-1q']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(InvalidParameterValue)');
    expect(r.stderr).toContain('Invalid availability zone: [us-east-1q]');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('describe_regions and describe_availability_zones', async () => {
    const r = await boto3(
      ctx.g,
      `
ec2 = boto3.client('ec2', endpoint_url=ENDPOINT, region_name='sa-east-1')
regions = ec2.describe_regions(RegionNames=['sa-east-1'])['Regions']
zones = ec2.describe_availability_zones(Filters=[{'Name': 'zone-name', 'Values': ['sa-east-1b']}])['AvailabilityZones']
print(json.dumps({'regions': regions, 'zones': [z['ZoneId'] for z in zones]}))
`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ regions: [{ RegionName: 'sa-east-1', Endpoint: 'ec2.sa-east-1.amazonaws.com', OptInStatus: 'opt-in-not-required' }], zones: ['sae1-az2'] });
  });
});
