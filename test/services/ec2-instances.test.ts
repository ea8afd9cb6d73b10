// covers: ec2.RunInstances ec2.DescribeInstances ec2.StartInstances ec2.StopInstances ec2.RebootInstances ec2.TerminateInstances ec2.DescribeInstanceStatus ec2.DescribeInstanceAttribute ec2.ModifyInstanceAttribute ec2.GetConsoleOutput ec2.DescribeNetworkInterfaces ec2.DescribeImages ec2.DescribeInstanceTypes ec2.AssociateAddress ec2.DisassociateAddress ec2.CreateRoute ec2.CreateImage ec2.DeregisterImage
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (region = 'us-east-1', accessKeyId = 'test') => new E.EC2Client(clientConfig(ctx.g, { region, credentials: { accessKeyId, secretAccessKey: 'test' } }));
const b64 = (s: string) => Buffer.from(s).toString('base64');

async function describeOne(c: E.EC2Client, id: string): Promise<E.Instance> {
  const r = await c.send(new E.DescribeInstancesCommand({ InstanceIds: [id] }));
  return r.Reservations![0]!.Instances![0]!;
}

describe('RunInstances into the default VPC', () => {
  test('ami-12c6146b + t2.micro: pending → running on the clock, ENI, root volume, private and public address', async () => {
    const c = ec2('us-east-1', '111111111111');
    const r = await c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'Name', Value: 'web' }] }] }));
    expect(r.ReservationId).toMatch(/^r-[0-9a-f]{17}$/);
    expect(r.OwnerId).toBe('111111111111');
    const i = r.Instances![0]!;
    expect(i.InstanceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(i.State).toEqual({ Code: 0, Name: 'pending' });
    expect(i.Placement?.AvailabilityZone).toBe('us-east-1a');
    expect(i.PrivateIpAddress).toBe('172.31.0.4');
    expect(i.PrivateDnsName).toBe('ip-172-31-0-4.ec2.internal');
    expect(i.PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(i.PublicDnsName).toBe(`ec2-${i.PublicIpAddress!.replace(/\./g, '-')}.compute-1.amazonaws.com`);
    expect(i.Platform).toBe('windows');
    expect(i.RootDeviceName).toBe('/dev/sda1');
    expect(i.SecurityGroups).toEqual([{ GroupId: expect.stringMatching(/^sg-/), GroupName: 'default' }]);
    expect(i.Tags).toEqual([{ Key: 'Name', Value: 'web' }]);
    const eniId = i.NetworkInterfaces![0]!.NetworkInterfaceId!;
    expect(eniId).toMatch(/^eni-[0-9a-f]{17}$/);

    const subnets = await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [i.SubnetId!] }));
    expect(subnets.Subnets![0]!.AvailableIpAddressCount).toBe(4090);
    const enis = await c.send(new E.DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [i.InstanceId!] }] }));
    expect(enis.NetworkInterfaces!.map((e) => [e.NetworkInterfaceId, e.Status, e.PrivateIpAddress, e.Attachment?.DeviceIndex])).toEqual([[eniId, 'in-use', '172.31.0.4', 0]]);
    const vols = await c.send(new E.DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [i.InstanceId!] }] }));
    expect(vols.Volumes!.map((v) => [v.Size, v.VolumeType, v.State, v.Attachments![0]!.Device, v.Attachments![0]!.State, v.Attachments![0]!.DeleteOnTermination])).toEqual([[30, 'gp2', 'in-use', '/dev/sda1', 'attached', true]]);

    ctx.g.clock.advance(4_000);
    expect((await describeOne(c, i.InstanceId!)).State?.Name).toBe('pending');
    ctx.g.clock.advance(1_000);
    expect((await describeOne(c, i.InstanceId!)).State).toEqual({ Code: 16, Name: 'running' });
    await E.waitUntilInstanceRunning({ client: c, maxWaitTime: 30, minDelay: 1 }, { InstanceIds: [i.InstanceId!] });

    const t = await c.send(new E.TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    expect(t.TerminatingInstances).toEqual([{ InstanceId: i.InstanceId, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 32, Name: 'shutting-down' } }]);
    ctx.g.clock.advance(5_000);
    const gone = await describeOne(c, i.InstanceId!);
    expect(gone.State).toEqual({ Code: 48, Name: 'terminated' });
    expect(gone.StateReason).toEqual({ Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' });
    expect(gone.PrivateIpAddress).toBeUndefined();
    expect((await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [i.SubnetId!] }))).Subnets![0]!.AvailableIpAddressCount).toBe(4091);
    expect((await c.send(new E.DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [i.InstanceId!] }] }))).Volumes).toEqual([]);
    expect((await c.send(new E.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [] }))).NetworkInterfaces).toEqual([]);
    const again = await c.send(new E.TerminateInstancesCommand({ InstanceIds: [i.InstanceId!] }));
    expect(again.TerminatingInstances![0]!.CurrentState?.Name).toBe('terminated');
    ctx.g.clock.advance(3_600_000);
    expect((await c.send(new E.DescribeInstancesCommand({}))).Reservations).toEqual([]);
  });

  test('validation: image, type, architecture, counts, key pair, groups', async () => {
    const c = ec2('us-east-1', '222222222222');
    expect(await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-0123456789abcdef0', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1 })))).toMatchObject({ name: 'InvalidAMIID.NotFound', message: "The image id '[ami-0123456789abcdef0]' does not exist", status: 400 });
    expect(await failure(c.send(new E.RunInstancesCommand({ ImageId: 'nope', MinCount: 1, MaxCount: 1 })))).toMatchObject({ name: 'InvalidAMIID.Malformed', message: 'Invalid id: "nope" (expecting "ami-...")' });
    expect(await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't2.huge' as E._InstanceType, MinCount: 1, MaxCount: 1 })))).toMatchObject({ name: 'InvalidParameterValue', message: "Invalid value 't2.huge' for InstanceType." });
    const arch = await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't4g.micro', MinCount: 1, MaxCount: 1 })));
    expect(arch.message).toContain("The architecture 'arm64' of the specified instance type does not match the architecture 'x86_64' of the specified AMI.");
    expect((await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', MinCount: 3, MaxCount: 2 })))).name).toBe('InvalidParameterValue');
    expect(await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't2.micro', KeyName: 'missing', MinCount: 1, MaxCount: 1 })))).toMatchObject({ name: 'InvalidKeyPair.NotFound', message: "The key pair 'missing' does not exist" });
    expect((await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't2.micro', SecurityGroupIds: ['sg-0123456789abcdef0'], MinCount: 1, MaxCount: 1 })))).name).toBe('InvalidGroup.NotFound');
    expect((await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't2.micro', SecurityGroups: ['nope'], MinCount: 1, MaxCount: 1 })))).name).toBe('InvalidGroup.NotFound');
    expect(await failure(c.send(new E.RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1, DryRun: true })))).toMatchObject({ name: 'DryRunOperation', status: 412 });
    expect(await failure(c.send(new E.DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1'] })))).toMatchObject({ name: 'InvalidInstanceID.NotFound', message: "The instance IDs 'i-0123456789abcdef0, i-0123456789abcdef1' do not exist" });
    expect(await failure(c.send(new E.DescribeInstancesCommand({ InstanceIds: ['i-xyz'] })))).toMatchObject({ name: 'InvalidInstanceID.Malformed', message: 'Invalid id: "i-xyz"' });
  });

  test('MinCount/MaxCount, one reservation, ClientToken idempotency, filters and paging', async () => {
    const c = ec2('eu-west-1', '333333333333');
    const img = (await c.send(new E.DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-2023.*-x86_64'] }] }))).Images!;
    expect(img.length).toBeGreaterThan(0);
    const ami = img[0]!.ImageId!;
    const r = await c.send(new E.RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 2, MaxCount: 6, ClientToken: 'tok-1', Placement: { AvailabilityZone: 'eu-west-1b' } }));
    expect(r.Instances!.map((i) => i.AmiLaunchIndex)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(new Set(r.Instances!.map((i) => i.Placement?.AvailabilityZone))).toEqual(new Set(['eu-west-1b']));
    expect(r.Instances![0]!.MetadataOptions).toMatchObject({ HttpTokens: 'required', HttpPutResponseHopLimit: 2 });
    const same = await c.send(new E.RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 2, MaxCount: 6, ClientToken: 'tok-1', Placement: { AvailabilityZone: 'eu-west-1b' } }));
    expect(same.ReservationId).toBe(r.ReservationId);
    expect((await failure(c.send(new E.RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, ClientToken: 'tok-1' })))).name).toBe('IdempotentParameterMismatch');
    const other = await c.send(new E.RunInstancesCommand({ ImageId: ami, InstanceType: 't3.small', MinCount: 1, MaxCount: 1, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'env', Value: 'prod' }] }] }));

    const all = await c.send(new E.DescribeInstancesCommand({}));
    expect(all.Reservations!.map((x) => x.Instances!.length)).toEqual([6, 1]);
    const byTag = await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'tag:env', Values: ['prod'] }] }));
    expect(byTag.Reservations!.flatMap((x) => x.Instances!.map((i) => i.InstanceId))).toEqual([other.Instances![0]!.InstanceId]);
    const byType = await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'instance-type', Values: ['t3.micro'] }, { Name: 'instance-state-name', Values: ['pending'] }] }));
    expect(byType.Reservations![0]!.Instances).toHaveLength(6);
    const byIp = await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'private-ip-address', Values: [r.Instances![3]!.PrivateIpAddress!] }] }));
    expect(byIp.Reservations![0]!.Instances![0]!.InstanceId).toBe(r.Instances![3]!.InstanceId);
    const p1 = await c.send(new E.DescribeInstancesCommand({ MaxResults: 5 }));
    expect(p1.Reservations!.flatMap((x) => x.Instances!)).toHaveLength(5);
    const p2 = await c.send(new E.DescribeInstancesCommand({ MaxResults: 5, NextToken: p1.NextToken }));
    expect(p2.Reservations!.flatMap((x) => x.Instances!)).toHaveLength(2);
    expect(p2.NextToken).toBeUndefined();
    const vpcFilter = await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'vpc-id', Values: [r.Instances![0]!.VpcId!] }, { Name: 'subnet-id', Values: [r.Instances![0]!.SubnetId!] }] }));
    expect(vpcFilter.Reservations![0]!.Instances).toHaveLength(6);
  });
});

describe('lifecycle', () => {
  test('stop/start/reboot, IncorrectInstanceState, termination and stop protection, attributes, status, console output', async () => {
    const c = ec2('us-west-2', '444444444444');
    const vpc = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const subnet = (await c.send(new E.CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-west-2b' }))).Subnet!.SubnetId!;
    const sg = (await c.send(new E.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpc }))).GroupId!;
    const r = await c.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: [sg], UserData: b64('#!/bin/bash\necho hi'),
      DisableApiTermination: true, IamInstanceProfile: { Name: 'web-profile' }, PrivateIpAddress: '10.0.1.10',
    }));
    const i = r.Instances![0]!;
    expect(i).toMatchObject({ PrivateIpAddress: '10.0.1.10', SubnetId: subnet, VpcId: vpc, PublicDnsName: '' });
    expect(i.PublicIpAddress).toBeUndefined();
    expect(i.IamInstanceProfile?.Arn).toBe('arn:aws:iam::444444444444:instance-profile/web-profile');
    expect(i.SecurityGroups).toEqual([{ GroupId: sg, GroupName: 'web' }]);
    const id = i.InstanceId!;

    expect(await failure(c.send(new E.StopInstancesCommand({ InstanceIds: [id] })))).toMatchObject({ name: 'IncorrectInstanceState', message: `The instance '${id}' is not in a state from which it can be stopped.` });
    ctx.g.clock.advance(5_000);
    const st0 = await c.send(new E.DescribeInstanceStatusCommand({ InstanceIds: [id] }));
    expect(st0.InstanceStatuses![0]).toMatchObject({ InstanceState: { Code: 16, Name: 'running' }, InstanceStatus: { Status: 'initializing' }, SystemStatus: { Status: 'initializing' } });
    ctx.g.clock.advance(30_000);
    const st1 = await c.send(new E.DescribeInstanceStatusCommand({}));
    expect(st1.InstanceStatuses![0]).toMatchObject({ InstanceStatus: { Status: 'ok', Details: [{ Name: 'reachability', Status: 'passed' }] } });

    const out = await c.send(new E.GetConsoleOutputCommand({ InstanceId: id }));
    expect(Buffer.from(out.Output!, 'base64').toString()).toContain('Cloud-init');
    await c.send(new E.RebootInstancesCommand({ InstanceIds: [id] }));

    expect(await failure(c.send(new E.TerminateInstancesCommand({ InstanceIds: [id] })))).toMatchObject({ name: 'OperationNotPermitted', message: `The instance '${id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.` });
    expect((await c.send(new E.DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'disableApiTermination' }))).DisableApiTermination).toEqual({ Value: true });
    expect((await c.send(new E.DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'userData' }))).UserData).toEqual({ Value: b64('#!/bin/bash\necho hi') });
    expect(await failure(c.send(new E.ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't2.small' } })))).toMatchObject({ name: 'IncorrectInstanceState', message: `The instance '${id}' is not in the 'stopped' state.` });

    const stop = await c.send(new E.StopInstancesCommand({ InstanceIds: [id] }));
    expect(stop.StoppingInstances).toEqual([{ InstanceId: id, PreviousState: { Code: 16, Name: 'running' }, CurrentState: { Code: 64, Name: 'stopping' } }]);
    expect(await failure(c.send(new E.StartInstancesCommand({ InstanceIds: [id] })))).toMatchObject({ name: 'IncorrectInstanceState', message: `The instance '${id}' is not in a state from which it can be started.` });
    ctx.g.clock.advance(5_000);
    const stopped = await describeOne(c, id);
    expect(stopped.State).toEqual({ Code: 80, Name: 'stopped' });
    expect(stopped.StateTransitionReason).toMatch(/^User initiated \(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d GMT\)$/);
    await c.send(new E.ModifyInstanceAttributeCommand({ InstanceId: id, InstanceType: { Value: 't2.small' } }));
    await c.send(new E.ModifyInstanceAttributeCommand({ InstanceId: id, DisableApiTermination: { Value: false } }));
    expect((await c.send(new E.DescribeInstanceAttributeCommand({ InstanceId: id, Attribute: 'instanceType' }))).InstanceType).toEqual({ Value: 't2.small' });
    const start = await c.send(new E.StartInstancesCommand({ InstanceIds: [id] }));
    expect(start.StartingInstances).toEqual([{ InstanceId: id, PreviousState: { Code: 80, Name: 'stopped' }, CurrentState: { Code: 0, Name: 'pending' } }]);
    ctx.g.clock.advance(5_000);
    expect((await describeOne(c, id)).InstanceType).toBe('t2.small');

    // routes to the instance and its interface; an Elastic IP on it
    const rtb = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    await c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '192.168.0.0/16', InstanceId: id }));
    await c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '172.16.0.0/16', NetworkInterfaceId: i.NetworkInterfaces![0]!.NetworkInterfaceId }));
    const routes = (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect(routes.map((x) => [x.DestinationCidrBlock, x.InstanceId, x.NetworkInterfaceId, x.State])).toEqual([
      ['10.0.0.0/16', undefined, undefined, 'active'],
      ['192.168.0.0/16', id, i.NetworkInterfaces![0]!.NetworkInterfaceId, 'active'],
      ['172.16.0.0/16', undefined, i.NetworkInterfaces![0]!.NetworkInterfaceId, 'active'],
    ]);
    const eip = await c.send(new E.AllocateAddressCommand({ Domain: 'vpc' }));
    expect((await failure(c.send(new E.AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: id })))).name).toBe('Gateway.NotAttached');
    const igw = (await c.send(new E.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await c.send(new E.AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpc }));
    const assoc = await c.send(new E.AssociateAddressCommand({ AllocationId: eip.AllocationId, InstanceId: id }));
    expect(assoc.AssociationId).toMatch(/^eipassoc-/);
    const withEip = await describeOne(c, id);
    expect(withEip.PublicIpAddress).toBe(eip.PublicIp);
    const addr = (await c.send(new E.DescribeAddressesCommand({ AllocationIds: [eip.AllocationId!] }))).Addresses![0]!;
    expect(addr).toMatchObject({ InstanceId: id, NetworkInterfaceId: i.NetworkInterfaces![0]!.NetworkInterfaceId, PrivateIpAddress: '10.0.1.10' });
    await c.send(new E.DisassociateAddressCommand({ AssociationId: assoc.AssociationId }));
    expect((await describeOne(c, id)).PublicIpAddress).toBeUndefined();

    await c.send(new E.TerminateInstancesCommand({ InstanceIds: [id] }));
    ctx.g.clock.advance(5_000);
    const after = (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect(after.map((x) => x.State)).toEqual(['active', 'blackhole', 'blackhole']);
  });
});

describe('catalogue', () => {
  test('DescribeImages has the SSM public AMIs and the classic ids; DescribeInstanceTypes has vCPUs and memory', async () => {
    const c = ec2('us-east-1');
    const imgs = await c.send(new E.DescribeImagesCommand({ ImageIds: ['ami-12c6146b'] }));
    expect(imgs.Images![0]).toMatchObject({ ImageId: 'ami-12c6146b', Platform: 'windows', OwnerId: '801119661308', ImageOwnerAlias: 'amazon', State: 'available', Public: true });
    const ssm = await c.send(new E.DescribeImagesCommand({ Owners: ['amazon'], Filters: [{ Name: 'name', Values: ['al2023-ami-*'] }, { Name: 'architecture', Values: ['arm64'] }] }));
    expect(ssm.Images!.length).toBeGreaterThan(0);
    for (const i of ssm.Images!) expect(i.Architecture).toBe('arm64');
    expect(await failure(c.send(new E.DescribeImagesCommand({ ImageIds: ['ami-00000000'] })))).toMatchObject({ name: 'InvalidAMIID.NotFound' });
    const types = await c.send(new E.DescribeInstanceTypesCommand({ InstanceTypes: ['t2.micro', 'm5.large'] }));
    const byName = Object.fromEntries(types.InstanceTypes!.map((t) => [t.InstanceType, [t.VCpuInfo?.DefaultVCpus, t.MemoryInfo?.SizeInMiB]]));
    expect(byName).toEqual({ 't2.micro': [1, 1024], 'm5.large': [2, 8192] });
    expect(await failure(c.send(new E.DescribeInstanceTypesCommand({ InstanceTypes: ['x9.huge' as E._InstanceType] })))).toMatchObject({ name: 'InvalidInstanceType', message: 'The following supplied instance types do not exist: [x9.huge]' });
    const arm = await c.send(new E.DescribeInstanceTypesCommand({ Filters: [{ Name: 'processor-info.supported-architecture', Values: ['arm64'] }, { Name: 'vcpu-info.default-vcpus', Values: ['2'] }], MaxResults: 100 }));
    expect(arm.InstanceTypes!.map((t) => t.InstanceType)).toContain('t4g.small');
  });

  test('CreateImage from an instance: snapshots of its volumes, pending → available, launchable', async () => {
    const c = ec2('ap-southeast-2', '555555555555');
    const r = await c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1 }));
    const id = r.Instances![0]!.InstanceId!;
    ctx.g.clock.advance(5_000);
    const { ImageId } = await c.send(new E.CreateImageCommand({ InstanceId: id, Name: 'my-image', TagSpecifications: [{ ResourceType: 'image', Tags: [{ Key: 'k', Value: 'v' }] }] }));
    const mine = await c.send(new E.DescribeImagesCommand({ Owners: ['self'] }));
    expect(mine.Images!.map((i) => [i.ImageId, i.Name, i.State, i.SourceInstanceId, i.Public])).toEqual([[ImageId, 'my-image', 'pending', id, false]]);
    const snapId = mine.Images![0]!.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    expect((await c.send(new E.DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots!.map((s) => s.SnapshotId)).toEqual([snapId]);
    expect((await failure(c.send(new E.DeleteSnapshotCommand({ SnapshotId: snapId })))).name).toBe('InvalidSnapshot.InUse');
    ctx.g.clock.advance(30_000);
    expect((await c.send(new E.DescribeImagesCommand({ ImageIds: [ImageId!] }))).Images![0]!.State).toBe('available');
    const r2 = await c.send(new E.RunInstancesCommand({ ImageId, InstanceType: 't2.micro', MinCount: 1, MaxCount: 1 }));
    expect(r2.Instances![0]!.ImageId).toBe(ImageId);
    await c.send(new E.DeregisterImageCommand({ ImageId }));
    await c.send(new E.DeleteSnapshotCommand({ SnapshotId: snapId }));
  });
});
