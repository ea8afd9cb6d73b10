// covers: ec2.DescribeInstanceTypeOfferings ec2.RunInstances ec2.CreatePlacementGroup ec2.DescribePlacementGroups ec2.DeletePlacementGroup ec2.DescribeInstances ec2.StopInstances ec2.StartInstances ec2.TerminateInstances ec2.ModifyInstanceMetadataOptions ec2.CreateImage ec2.DescribeImages
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../../helpers.js';
import { ec2StateOf } from '../../../src/services/ec2/internal.js';
import { setStandardVcpuQuota } from '../../../src/services/ec2/domain/quotas.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (account: string, region = 'us-east-1') => new E.EC2Client(clientConfig(ctx.g, { region, credentials: { accessKeyId: account, secretAccessKey: 'test' } }));
const run = (c: E.EC2Client, input: Partial<E.RunInstancesCommandInput>) =>
  c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, ...input }));

describe('instance type offerings', () => {
  test('per region, zone and zone id; RunInstances rejects a type the zone does not offer', async () => {
    const c = ec2('340000000001');
    const region = await c.send(new E.DescribeInstanceTypeOfferingsCommand({ Filters: [{ Name: 'instance-type', Values: ['t3.micro', 'p4d.24xlarge'] }] }));
    expect(region.InstanceTypeOfferings).toEqual([
      { InstanceType: 'p4d.24xlarge', LocationType: 'region', Location: 'us-east-1' },
      { InstanceType: 't3.micro', LocationType: 'region', Location: 'us-east-1' },
    ]);
    const zones = await c.send(new E.DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }] }));
    expect(zones.InstanceTypeOfferings!.map((o) => o.Location)).toEqual(['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1f']);
    const ids = await c.send(new E.DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone-id', Filters: [{ Name: 'instance-type', Values: ['t2.micro'] }, { Name: 'location', Values: ['use1-az3'] }] }));
    expect(ids.InstanceTypeOfferings).toEqual([{ InstanceType: 't2.micro', LocationType: 'availability-zone-id', Location: 'use1-az3' }]);
    const gpu = await c.send(new E.DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'instance-type', Values: ['g5.xlarge'] }] }));
    expect(gpu.InstanceTypeOfferings!.map((o) => o.Location)).toEqual(['us-east-1a', 'us-east-1b']);
    const page = await c.send(new E.DescribeInstanceTypeOfferingsCommand({ MaxResults: 5 }));
    expect(page.InstanceTypeOfferings!.length).toBe(5);
    expect(page.NextToken).toBeDefined();
    // not a LocationType on purpose: the service must reject it
    expect((await failure(c.send(new E.DescribeInstanceTypeOfferingsCommand({ LocationType: 'planet' as never })))).name).toBe('InvalidParameterValue');

    expect(await failure(run(c, { Placement: { AvailabilityZone: 'us-east-1e' } }))).toMatchObject({
      name: 'Unsupported',
      message: 'Your requested instance type (t3.micro) is not supported in your requested Availability Zone (us-east-1e). Please retry your request by not specifying an Availability Zone or choosing us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1f.',
    });
    expect((await run(c, { InstanceType: 't2.micro', Placement: { AvailabilityZone: 'us-east-1e' } })).Instances![0]!.Placement?.AvailabilityZone).toBe('us-east-1e');
  });
});

describe('placement groups', () => {
  test('cluster (one zone, supported types), spread (7 per zone), partition (numbers), in-use deletion', async () => {
    const c = ec2('340000000002');
    const cluster = (await c.send(new E.CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'cluster', TagSpecifications: [{ ResourceType: 'placement-group', Tags: [{ Key: 'k', Value: 'v' }] }] }))).PlacementGroup!;
    expect(cluster).toMatchObject({ GroupName: 'hpc', Strategy: 'cluster', State: 'available', GroupArn: 'arn:aws:ec2:us-east-1:340000000002:placement-group/hpc' });
    expect(cluster.GroupId).toMatch(/^pg-[0-9a-f]{17}$/);
    expect(await failure(c.send(new E.CreatePlacementGroupCommand({ GroupName: 'hpc', Strategy: 'cluster' })))).toMatchObject({ name: 'InvalidPlacementGroup.Duplicate', message: "The placement group 'hpc' already exists." });
    expect((await failure(c.send(new E.CreatePlacementGroupCommand({ GroupName: 'x', Strategy: 'cluster', PartitionCount: 2 })))).name).toBe('InvalidParameterCombination');
    expect((await failure(run(c, { InstanceType: 't3.micro', Placement: { GroupName: 'hpc' } }))).name).toBe('InvalidParameterCombination');
    const a = (await run(c, { InstanceType: 'c5.large', Placement: { GroupName: 'hpc', AvailabilityZone: 'us-east-1a' } })).Instances![0]!;
    expect(a.Placement).toMatchObject({ GroupName: 'hpc', GroupId: cluster.GroupId, AvailabilityZone: 'us-east-1a' });
    expect(await failure(run(c, { InstanceType: 'c5.large', Placement: { GroupName: 'hpc', AvailabilityZone: 'us-east-1b' } }))).toMatchObject({
      name: 'InvalidPlacementGroup.InUse', message: "The placement group 'hpc' is in use in another availability zone: us-east-1a",
    });
    expect(await failure(c.send(new E.DeletePlacementGroupCommand({ GroupName: 'hpc' })))).toMatchObject({ name: 'InvalidPlacementGroup.InUse', message: "The placement group 'hpc' is in use and may not be deleted." });
    expect(await failure(run(c, { Placement: { GroupName: 'nope' } }))).toMatchObject({ name: 'InvalidPlacementGroup.Unknown', message: "The Placement Group 'nope' is unknown." });

    await c.send(new E.CreatePlacementGroupCommand({ GroupName: 'spread', Strategy: 'spread' }));
    await run(c, { MinCount: 7, MaxCount: 7, Placement: { GroupName: 'spread', AvailabilityZone: 'us-east-1a' } });
    expect((await failure(run(c, { Placement: { GroupName: 'spread', AvailabilityZone: 'us-east-1a' } }))).name).toBe('InsufficientInstanceCapacity');
    expect((await run(c, { Placement: { GroupName: 'spread', AvailabilityZone: 'us-east-1b' } })).Instances![0]!.Placement?.GroupName).toBe('spread');

    const part = (await c.send(new E.CreatePlacementGroupCommand({ GroupName: 'kafka', Strategy: 'partition', PartitionCount: 3 }))).PlacementGroup!;
    expect(part.PartitionCount).toBe(3);
    const spread3 = await run(c, { InstanceType: 'm5.large', MinCount: 3, MaxCount: 3, Placement: { GroupName: 'kafka' } });
    expect(spread3.Instances!.map((i) => i.Placement?.PartitionNumber)).toEqual([1, 2, 3]);
    const pinned = await run(c, { InstanceType: 'm5.large', Placement: { GroupName: 'kafka', PartitionNumber: 2 } });
    expect(pinned.Instances![0]!.Placement?.PartitionNumber).toBe(2);
    expect((await failure(run(c, { InstanceType: 'm5.large', Placement: { GroupName: 'kafka', PartitionNumber: 4 } }))).name).toBe('InvalidParameterValue');
    const inPartition2 = await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'placement-group-name', Values: ['kafka'] }, { Name: 'placement-partition-number', Values: ['2'] }] }));
    expect(inPartition2.Reservations!.flatMap((r) => r.Instances!).length).toBe(2);

    const listed = await c.send(new E.DescribePlacementGroupsCommand({ Filters: [{ Name: 'strategy', Values: ['partition', 'spread'] }] }));
    expect(listed.PlacementGroups!.map((g) => g.GroupName).sort()).toEqual(['kafka', 'spread']);
    expect(await failure(c.send(new E.DescribePlacementGroupsCommand({ GroupNames: ['gone'] })))).toMatchObject({ name: 'InvalidPlacementGroup.Unknown' });
    await c.send(new E.TerminateInstancesCommand({ InstanceIds: [a.InstanceId!] }));
    await c.send(new E.DeletePlacementGroupCommand({ GroupName: 'hpc' }));
    expect((await c.send(new E.DescribePlacementGroupsCommand({}))).PlacementGroups!.map((g) => g.GroupName).sort()).toEqual(['kafka', 'spread']);
  });
});

describe('vCPU quota, instance store, metadata options', () => {
  test('VcpuLimitExceeded past 32 On-Demand standard vCPUs; stopped instances give theirs back', async () => {
    const c = ec2('340000000003');
    const first = await run(c, { MinCount: 16, MaxCount: 16 });
    expect(await failure(run(c, {}))).toMatchObject({
      name: 'VcpuLimitExceeded',
      message: 'You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.',
    });
    ctx.g.clock.advance(5_000);
    await c.send(new E.StopInstancesCommand({ InstanceIds: [first.Instances![0]!.InstanceId!] }));
    await run(c, {});
    ctx.g.clock.advance(5_000);
    expect((await failure(c.send(new E.StartInstancesCommand({ InstanceIds: [first.Instances![0]!.InstanceId!] })))).name).toBe('VcpuLimitExceeded');
    // the quota is per account × region and can be raised (Service Quotas)
    await run(ec2('340000000003', 'us-west-2'), {});
    setStandardVcpuQuota(ec2StateOf(ctx.g.runtime.store)!, { account: '340000000003', region: 'us-east-1' }, 64);
    await run(c, { MinCount: 10, MaxCount: 10 });
  });

  test('instance store volumes come with the type and do not survive a stop; mapped ones go into images', async () => {
    const c = ec2('340000000004');
    const st = ec2StateOf(ctx.g.runtime.store)!;
    const scope = { account: '340000000004', region: 'us-east-1' };
    const nvme = (await run(c, { InstanceType: 'i4i.large' })).Instances![0]!.InstanceId!;
    const before = st.instances.get(scope, nvme)!.instanceStore!;
    expect(before.map((d) => [d.virtualName, d.device, d.sizeGB])).toEqual([['ephemeral0', '/dev/nvme1n1', 468]]);
    const firstData = before[0]!.dataId;
    ctx.g.clock.advance(5_000);
    await c.send(new E.RebootInstancesCommand({ InstanceIds: [nvme] }));
    expect(st.instances.get(scope, nvme)!.instanceStore![0]!.dataId).toBe(firstData);
    await c.send(new E.StopInstancesCommand({ InstanceIds: [nvme] }));
    expect(st.instances.get(scope, nvme)!.instanceStore![0]!.dataId).not.toBe(firstData);
    expect((await run(c, {})).Instances![0]!.InstanceId).toBeDefined();
    expect(st.instances.get(scope, (await run(c, {})).Instances![0]!.InstanceId!)!.instanceStore).toEqual([]);

    // Xen types with disks take the ephemeralN the request maps, and CreateImage keeps the mapping
    const xen = (await run(c, { InstanceType: 'm1.small', BlockDeviceMappings: [{ DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' }, { DeviceName: '/dev/sdc', VirtualName: 'ephemeral5' }] })).Instances![0]!.InstanceId!;
    expect(st.instances.get(scope, xen)!.instanceStore!.map((d) => [d.virtualName, d.device])).toEqual([['ephemeral0', '/dev/sdb']]);
    ctx.g.clock.advance(5_000);
    const ami = (await c.send(new E.CreateImageCommand({ InstanceId: xen, Name: 'with-ephemeral' }))).ImageId!;
    const img = (await c.send(new E.DescribeImagesCommand({ ImageIds: [ami] }))).Images![0]!;
    expect(img.BlockDeviceMappings!.filter((b) => b.VirtualName)).toEqual([{ DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' }]);
  });

  test('metadata options at launch and ModifyInstanceMetadataOptions', async () => {
    const c = ec2('340000000005');
    const i = (await run(c, { MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 3, InstanceMetadataTags: 'enabled' } })).Instances![0]!;
    expect(i.MetadataOptions).toMatchObject({ State: 'pending', HttpTokens: 'required', HttpPutResponseHopLimit: 3, HttpEndpoint: 'enabled', InstanceMetadataTags: 'enabled' });
    // not an HttpTokensState on purpose: the service must reject it
    expect((await failure(run(c, { MetadataOptions: { HttpTokens: 'sometimes' as never } }))).name).toBe('InvalidParameterValue');
    const m = await c.send(new E.ModifyInstanceMetadataOptionsCommand({ InstanceId: i.InstanceId!, HttpTokens: 'optional', HttpEndpoint: 'disabled', HttpProtocolIpv6: 'enabled' }));
    expect(m.InstanceMetadataOptions).toMatchObject({ State: 'pending', HttpTokens: 'optional', HttpEndpoint: 'disabled', HttpProtocolIpv6: 'enabled', HttpPutResponseHopLimit: 3 });
    ctx.g.clock.advance(5_000);
    const d = (await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'metadata-options.http-endpoint', Values: ['disabled'] }] }))).Reservations!.flatMap((r) => r.Instances!);
    expect(d.map((x) => [x.InstanceId, x.MetadataOptions?.State, x.MetadataOptions?.HttpTokens])).toEqual([[i.InstanceId, 'applied', 'optional']]);
    expect((await failure(c.send(new E.ModifyInstanceMetadataOptionsCommand({ InstanceId: i.InstanceId!, HttpPutResponseHopLimit: 65 })))).name).toBe('InvalidParameterValue');
  });
});
