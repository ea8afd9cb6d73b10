// covers: ec2.CreateNetworkInterface ec2.DeleteNetworkInterface ec2.AttachNetworkInterface ec2.DetachNetworkInterface ec2.ModifyNetworkInterfaceAttribute ec2.DescribeNetworkInterfaceAttribute ec2.AssignPrivateIpAddresses ec2.UnassignPrivateIpAddresses ec2.DescribeNetworkInterfaces ec2.RunInstances ec2.DescribeInstances ec2.TerminateInstances ec2.DeleteSecurityGroup ec2.DescribeSubnets
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (account: string) => new E.EC2Client(clientConfig(ctx.g, { credentials: { accessKeyId: account, secretAccessKey: 'test' } }));

/** A VPC with one /24 subnet in us-east-1a and a security group. */
async function network(c: E.EC2Client) {
  const vpc = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
  const subnet = (await c.send(new E.CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.1.1.0/24', AvailabilityZone: 'us-east-1a' }))).Subnet!.SubnetId!;
  const other = (await c.send(new E.CreateSubnetCommand({ VpcId: vpc, CidrBlock: '10.1.2.0/24', AvailabilityZone: 'us-east-1b' }))).Subnet!.SubnetId!;
  const sg = (await c.send(new E.CreateSecurityGroupCommand({ VpcId: vpc, GroupName: 'app', Description: 'app' }))).GroupId!;
  return { vpc, subnet, other, sg };
}
const available = async (c: E.EC2Client, id: string) => (await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [id] }))).Subnets![0]!.AvailableIpAddressCount;

describe('network interfaces', () => {
  test('create with secondary addresses, attach, modify, assign/unassign, detach, delete; AvailableIpAddressCount follows', async () => {
    const c = ec2('310000000001');
    const { subnet, other, sg } = await network(c);
    expect(await available(c, subnet)).toBe(251);
    const created = (await c.send(new E.CreateNetworkInterfaceCommand({
      SubnetId: subnet, Groups: [sg], Description: 'db', PrivateIpAddress: '10.1.1.50', SecondaryPrivateIpAddressCount: 2,
      TagSpecifications: [{ ResourceType: 'network-interface', Tags: [{ Key: 'role', Value: 'db' }] }],
    }))).NetworkInterface!;
    expect(created.NetworkInterfaceId).toMatch(/^eni-[0-9a-f]{17}$/);
    expect(created.Status).toBe('pending');
    expect(created.PrivateIpAddresses!.map((a) => [a.PrivateIpAddress, a.Primary])).toEqual([['10.1.1.50', true], ['10.1.1.4', false], ['10.1.1.5', false]]);
    expect(created.Groups).toEqual([{ GroupId: sg, GroupName: 'app' }]);
    expect(await available(c, subnet)).toBe(248);
    const eni = created.NetworkInterfaceId!;
    const described = (await c.send(new E.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!;
    expect([described.Status, described.Description, described.TagSet]).toEqual(['available', 'db', [{ Key: 'role', Value: 'db' }]]);
    expect(await failure(c.send(new E.CreateNetworkInterfaceCommand({ SubnetId: subnet, PrivateIpAddress: '10.1.1.50' })))).toMatchObject({ name: 'InvalidIPAddress.InUse', message: 'Address 10.1.1.50 is in use.' });

    // addresses: assign by count and by name, the limit of an unattached interface, unassign
    const assigned = await c.send(new E.AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 }));
    expect(assigned.AssignedPrivateIpAddresses).toEqual([{ PrivateIpAddress: '10.1.1.6' }]);
    await c.send(new E.AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, PrivateIpAddresses: ['10.1.1.200'] }));
    expect(await available(c, subnet)).toBe(246);
    expect(await failure(c.send(new E.AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 50 })))).toMatchObject({ name: 'PrivateIpAddressLimitExceeded', message: 'Number of private addresses will exceed limit.' });
    expect((await failure(c.send(new E.UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, PrivateIpAddresses: ['10.1.1.99'] })))).name).toBe('InvalidParameterValue');
    await c.send(new E.UnassignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, PrivateIpAddresses: ['10.1.1.200', '10.1.1.6'] }));
    expect(await available(c, subnet)).toBe(248);
    const filtered = await c.send(new E.DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'addresses.private-ip-address', Values: ['10.1.1.5'] }] }));
    expect(filtered.NetworkInterfaces!.map((n) => n.NetworkInterfaceId)).toEqual([eni]);

    // attributes
    await c.send(new E.ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, SourceDestCheck: { Value: false } }));
    await c.send(new E.ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Description: { Value: 'database' } }));
    const attr = (a: E.NetworkInterfaceAttribute) => c.send(new E.DescribeNetworkInterfaceAttributeCommand({ NetworkInterfaceId: eni, Attribute: a }));
    expect((await attr('sourceDestCheck')).SourceDestCheck).toEqual({ Value: false });
    expect((await attr('description')).Description).toEqual({ Value: 'database' });
    expect((await attr('groupSet')).Groups).toEqual([{ GroupId: sg, GroupName: 'app' }]);

    // attach to a t3.small (3 interfaces, 4 addresses each), device index, zone, limits
    const inst = (await c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.small', MinCount: 1, MaxCount: 1, SubnetId: subnet }))).Instances![0]!.InstanceId!;
    expect(await failure(c.send(new E.AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: inst, DeviceIndex: 1 })))).toMatchObject({ name: 'IncorrectInstanceState' });
    ctx.g.clock.advance(5_000);
    expect(await failure(c.send(new E.AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: inst, DeviceIndex: 0 })))).toMatchObject({
      name: 'InvalidParameterValue', message: `Instance '${inst}' already has an interface attached at device index '0'.`,
    });
    const elsewhere = (await c.send(new E.CreateNetworkInterfaceCommand({ SubnetId: other }))).NetworkInterface!.NetworkInterfaceId!;
    expect(await failure(c.send(new E.AttachNetworkInterfaceCommand({ NetworkInterfaceId: elsewhere, InstanceId: inst, DeviceIndex: 1 })))).toMatchObject({
      name: 'InvalidParameterCombination', message: 'You may not attach a network interface to an instance if they are not in the same availability zone',
    });
    const att = await c.send(new E.AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: inst, DeviceIndex: 1 }));
    expect(att.AttachmentId).toMatch(/^eni-attach-[0-9a-f]{17}$/);
    expect(await failure(c.send(new E.AttachNetworkInterfaceCommand({ NetworkInterfaceId: eni, InstanceId: inst, DeviceIndex: 2 })))).toMatchObject({ name: 'InvalidNetworkInterface.InUse', message: `Interface: [${eni}] in use.` });
    const third = (await c.send(new E.CreateNetworkInterfaceCommand({ SubnetId: subnet }))).NetworkInterface!.NetworkInterfaceId!;
    const fourth = (await c.send(new E.CreateNetworkInterfaceCommand({ SubnetId: subnet }))).NetworkInterface!.NetworkInterfaceId!;
    await c.send(new E.AttachNetworkInterfaceCommand({ NetworkInterfaceId: third, InstanceId: inst, DeviceIndex: 2 }));
    expect(await failure(c.send(new E.AttachNetworkInterfaceCommand({ NetworkInterfaceId: fourth, InstanceId: inst, DeviceIndex: 3 })))).toMatchObject({ name: 'AttachmentLimitExceeded', message: 'Interface count 4 exceeds the limit for t3.small' });
    // once attached the type's limit applies: 3 addresses used, a 4th fits, a 5th does not
    await c.send(new E.AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 }));
    expect((await failure(c.send(new E.AssignPrivateIpAddressesCommand({ NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: 1 })))).name).toBe('PrivateIpAddressLimitExceeded');

    const shown = (await c.send(new E.DescribeInstancesCommand({ InstanceIds: [inst] }))).Reservations![0]!.Instances![0]!;
    expect(shown.NetworkInterfaces!.map((n) => [n.Attachment?.DeviceIndex, n.NetworkInterfaceId])).toEqual([[0, shown.NetworkInterfaces![0]!.NetworkInterfaceId], [1, eni], [2, third]]);
    const byIp = await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'network-interface.addresses.private-ip-address', Values: ['10.1.1.50'] }] }));
    expect(byIp.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([inst]);
    const inUse = (await c.send(new E.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!;
    expect([inUse.Status, inUse.Attachment?.InstanceId, inUse.Attachment?.DeviceIndex, inUse.Attachment?.DeleteOnTermination]).toEqual(['in-use', inst, 1, false]);

    // a group in use by an interface cannot be deleted
    expect(await failure(c.send(new E.DeleteSecurityGroupCommand({ GroupId: sg })))).toMatchObject({ name: 'DependencyViolation', message: `resource ${sg} has a dependent object` });
    expect(await failure(c.send(new E.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni })))).toMatchObject({ name: 'InvalidNetworkInterface.InUse', message: `The network interface '${eni}' is currently in use.` });
    const primaryAttachment = shown.NetworkInterfaces![0]!.Attachment!.AttachmentId!;
    expect((await failure(c.send(new E.DetachNetworkInterfaceCommand({ AttachmentId: primaryAttachment })))).name).toBe('OperationNotPermitted');
    await c.send(new E.ModifyNetworkInterfaceAttributeCommand({ NetworkInterfaceId: third, Attachment: { AttachmentId: (await c.send(new E.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [third] }))).NetworkInterfaces![0]!.Attachment!.AttachmentId, DeleteOnTermination: true } }));
    await c.send(new E.DetachNetworkInterfaceCommand({ AttachmentId: att.AttachmentId }));
    expect((await c.send(new E.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [eni] }))).NetworkInterfaces![0]!.Status).toBe('available');

    // termination deletes the primary and DeleteOnTermination interfaces
    await c.send(new E.TerminateInstancesCommand({ InstanceIds: [inst] }));
    const left = (await c.send(new E.DescribeNetworkInterfacesCommand({ Filters: [{ Name: 'subnet-id', Values: [subnet] }] }))).NetworkInterfaces!.map((n) => n.NetworkInterfaceId).sort();
    expect(left).toEqual([eni, fourth].sort());
    await c.send(new E.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni }));
    await c.send(new E.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: fourth }));
    expect(await available(c, subnet)).toBe(251);
    await c.send(new E.DeleteSecurityGroupCommand({ GroupId: sg }));
    expect(await failure(c.send(new E.DeleteNetworkInterfaceCommand({ NetworkInterfaceId: eni })))).toMatchObject({ name: 'InvalidNetworkInterfaceID.NotFound', message: `The network interface ID '${eni}' does not exist` });
  });

  test('RunInstances with several interfaces, secondary addresses and an existing interface', async () => {
    const c = ec2('310000000002');
    const { subnet, other, sg } = await network(c);
    const r = await c.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 'm5.large', MinCount: 2, MaxCount: 2,
      NetworkInterfaces: [
        { DeviceIndex: 0, SubnetId: subnet, Groups: [sg], SecondaryPrivateIpAddressCount: 2 },
        { DeviceIndex: 1, SubnetId: subnet, DeleteOnTermination: false },
      ],
    }));
    expect(r.Instances!.map((i) => i.NetworkInterfaces!.length)).toEqual([2, 2]);
    const first = r.Instances![0]!;
    expect(first.NetworkInterfaces![0]!.PrivateIpAddresses!.length).toBe(3);
    expect(first.NetworkInterfaces![1]!.Attachment?.DeleteOnTermination).toBe(false);
    expect(await available(c, subnet)).toBe(251 - 2 * 4);

    expect(await failure(c.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 'm5.large', MinCount: 1, MaxCount: 1,
      NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet, AssociatePublicIpAddress: true }, { DeviceIndex: 1, SubnetId: subnet }],
    })))).toMatchObject({ name: 'InvalidParameterCombination', message: 'The associatePublicIPAddress parameter cannot be specified when launching with multiple network interfaces.' });
    expect(await failure(c.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1,
      NetworkInterfaces: [0, 1, 2].map((DeviceIndex) => ({ DeviceIndex, SubnetId: subnet })),
    })))).toMatchObject({ name: 'AttachmentLimitExceeded', message: 'Interface count 3 exceeds the limit for t2.micro' });
    expect((await failure(c.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnet, SecondaryPrivateIpAddressCount: 2 }],
    })))).name).toBe('PrivateIpAddressLimitExceeded');

    // launch with an interface made beforehand: the instance takes its subnet, address and groups
    const pre = (await c.send(new E.CreateNetworkInterfaceCommand({ SubnetId: other, Groups: [sg], PrivateIpAddress: '10.1.2.77' }))).NetworkInterface!.NetworkInterfaceId!;
    const withEni = (await c.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: pre }],
    }))).Instances![0]!;
    expect([withEni.SubnetId, withEni.PrivateIpAddress, withEni.Placement?.AvailabilityZone, withEni.NetworkInterfaces![0]!.NetworkInterfaceId]).toEqual([other, '10.1.2.77', 'us-east-1b', pre]);
    expect(withEni.SecurityGroups).toEqual([{ GroupId: sg, GroupName: 'app' }]);
    expect(await failure(c.send(new E.RunInstancesCommand({
      ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, NetworkInterfaces: [{ DeviceIndex: 0, NetworkInterfaceId: pre }],
    })))).toMatchObject({ name: 'InvalidNetworkInterface.InUse' });
    // an existing interface outlives its instance (DeleteOnTermination false by default)
    await c.send(new E.TerminateInstancesCommand({ InstanceIds: [withEni.InstanceId!] }));
    expect((await c.send(new E.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: [pre] }))).NetworkInterfaces![0]!.Status).toBe('available');
  });
});
