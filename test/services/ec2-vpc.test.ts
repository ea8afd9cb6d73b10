// covers: ec2.CreateVpc ec2.DescribeVpcs ec2.DeleteVpc ec2.ModifyVpcAttribute ec2.DescribeVpcAttribute ec2.AssociateVpcCidrBlock ec2.DisassociateVpcCidrBlock ec2.CreateDefaultVpc ec2.DescribeAccountAttributes ec2.CreateSubnet ec2.DescribeSubnets ec2.DeleteSubnet ec2.ModifySubnetAttribute ec2.AssociateSubnetCidrBlock ec2.CreateTags ec2.DeleteTags ec2.DescribeTags
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (region = 'us-east-1', accessKeyId = 'test') => new E.EC2Client(clientConfig(ctx.g, { region, credentials: { accessKeyId, secretAccessKey: 'test' } }));

describe('default VPC', () => {
  test('created lazily, exactly like AWS: 172.31.0.0/16, a /20 per zone, IGW, main route table, default SG and NACL', async () => {
    const c = ec2('us-west-2', '111111111111');
    const { Vpcs } = await c.send(new E.DescribeVpcsCommand({}));
    expect(Vpcs).toHaveLength(1);
    const vpc = Vpcs![0]!;
    expect(vpc).toMatchObject({ CidrBlock: '172.31.0.0/16', IsDefault: true, State: 'available', InstanceTenancy: 'default', OwnerId: '111111111111' });
    expect(vpc.VpcId).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(vpc.DhcpOptionsId).toMatch(/^dopt-[0-9a-f]{17}$/);
    expect(vpc.CidrBlockAssociationSet).toEqual([{ AssociationId: expect.stringMatching(/^vpc-cidr-assoc-/), CidrBlock: '172.31.0.0/16', CidrBlockState: { State: 'associated' } }]);

    const { Subnets } = await c.send(new E.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
    expect(Subnets!.map((s) => [s.AvailabilityZone, s.AvailabilityZoneId, s.CidrBlock])).toEqual([
      ['us-west-2a', 'usw2-az2', '172.31.0.0/20'],
      ['us-west-2b', 'usw2-az1', '172.31.16.0/20'],
      ['us-west-2c', 'usw2-az3', '172.31.32.0/20'],
      ['us-west-2d', 'usw2-az4', '172.31.48.0/20'],
    ]);
    for (const s of Subnets!) expect(s).toMatchObject({ DefaultForAz: true, MapPublicIpOnLaunch: true, AvailableIpAddressCount: 4091, State: 'available' });
    expect(Subnets![0]!.SubnetArn).toBe(`arn:aws:ec2:us-west-2:111111111111:subnet/${Subnets![0]!.SubnetId}`);

    const { InternetGateways } = await c.send(new E.DescribeInternetGatewaysCommand({ Filters: [{ Name: 'attachment.vpc-id', Values: [vpc.VpcId!] }] }));
    expect(InternetGateways).toHaveLength(1);
    expect(InternetGateways![0]!.Attachments).toEqual([{ State: 'available', VpcId: vpc.VpcId }]);
    const igw = InternetGateways![0]!.InternetGatewayId;

    const { RouteTables } = await c.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }, { Name: 'association.main', Values: ['true'] }] }));
    expect(RouteTables).toHaveLength(1);
    expect(RouteTables![0]!.Routes).toEqual([
      { DestinationCidrBlock: '172.31.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' },
      { DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw, Origin: 'CreateRoute', State: 'active' },
    ]);
    expect(RouteTables![0]!.Associations).toEqual([
      { Main: true, RouteTableAssociationId: expect.stringMatching(/^rtbassoc-/), RouteTableId: RouteTables![0]!.RouteTableId, AssociationState: { State: 'associated' } },
    ]);

    const { SecurityGroups } = await c.send(new E.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpc.VpcId!] }] }));
    expect(SecurityGroups).toHaveLength(1);
    const sg = SecurityGroups![0]!;
    expect(sg).toMatchObject({ GroupName: 'default', Description: 'default VPC security group' });
    expect(sg.IpPermissions).toEqual([{ IpProtocol: '-1', UserIdGroupPairs: [{ UserId: '111111111111', GroupId: sg.GroupId }], IpRanges: [], Ipv6Ranges: [], PrefixListIds: [] }]);
    expect(sg.IpPermissionsEgress).toEqual([{ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] }]);

    const { NetworkAcls } = await c.send(new E.DescribeNetworkAclsCommand({ Filters: [{ Name: 'default', Values: ['true'] }] }));
    expect(NetworkAcls).toHaveLength(1);
    expect(NetworkAcls![0]!.Associations).toHaveLength(4);
    expect(NetworkAcls![0]!.Entries!.map((e) => [e.Egress, e.RuleNumber, e.Protocol, e.RuleAction, e.CidrBlock])).toEqual([
      [true, 100, '-1', 'allow', '0.0.0.0/0'],
      [true, 32767, '-1', 'deny', '0.0.0.0/0'],
      [false, 100, '-1', 'allow', '0.0.0.0/0'],
      [false, 32767, '-1', 'deny', '0.0.0.0/0'],
    ]);

    // max-elastic-ips is a real EC2 account attribute, but the SDK's AccountAttributeName enum lists only two names
    const attrs = await c.send(new E.DescribeAccountAttributesCommand({ AttributeNames: ['default-vpc', 'max-elastic-ips' as E.AccountAttributeName] }));
    expect(attrs.AccountAttributes).toEqual([
      { AttributeName: 'max-elastic-ips', AttributeValues: [{ AttributeValue: '5' }] },
      { AttributeName: 'default-vpc', AttributeValues: [{ AttributeValue: vpc.VpcId }] },
    ]);
    const dns = await c.send(new E.DescribeVpcAttributeCommand({ VpcId: vpc.VpcId, Attribute: 'enableDnsHostnames' }));
    expect(dns.EnableDnsHostnames).toEqual({ Value: true });
  });

  test('one per account × region; CreateDefaultVpc refuses a second', async () => {
    const a = await ec2('eu-west-1', '222222222222').send(new E.DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const b = await ec2('eu-west-1', '333333333333').send(new E.DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    expect(a.Vpcs).toHaveLength(1);
    expect(b.Vpcs).toHaveLength(1);
    expect(a.Vpcs![0]!.VpcId).not.toBe(b.Vpcs![0]!.VpcId);
    const e = await failure(ec2('eu-west-1', '222222222222').send(new E.CreateDefaultVpcCommand({})));
    expect(e).toMatchObject({ name: 'DefaultVpcAlreadyExists', message: 'A Default VPC already exists for this account in this region.' });
  });
});

describe('VPCs', () => {
  test('CreateVpc validates the CIDR range and ids; DescribeVpcs filters and tags', async () => {
    const c = ec2('us-east-2');
    for (const bad of ['10.0.0.0/8', '10.0.0.0/15', '10.0.0.0/29']) {
      expect(await failure(c.send(new E.CreateVpcCommand({ CidrBlock: bad })))).toMatchObject({ name: 'InvalidVpc.Range', message: `The CIDR '${bad}' is invalid.`, status: 400 });
    }
    expect((await failure(c.send(new E.CreateVpcCommand({ CidrBlock: 'banana' })))).message).toBe('Value (banana) for parameter cidrBlock is invalid. This is not a valid CIDR block.');
    const { Vpc } = await c.send(
      new E.CreateVpcCommand({ CidrBlock: '10.0.0.0/16', TagSpecifications: [{ ResourceType: 'vpc', Tags: [{ Key: 'Name', Value: 'lab' }] }] }),
    );
    expect(Vpc).toMatchObject({ CidrBlock: '10.0.0.0/16', State: 'pending', IsDefault: false, Tags: [{ Key: 'Name', Value: 'lab' }] });
    const small = await c.send(new E.CreateVpcCommand({ CidrBlock: '192.168.0.0/28' }));
    const byTag = await c.send(new E.DescribeVpcsCommand({ Filters: [{ Name: 'tag:Name', Values: ['lab'] }] }));
    expect(byTag.Vpcs!.map((v) => v.VpcId)).toEqual([Vpc!.VpcId]);
    expect(byTag.Vpcs![0]!.State).toBe('available');
    const byKey = await c.send(new E.DescribeVpcsCommand({ Filters: [{ Name: 'tag-key', Values: ['Name'] }] }));
    expect(byKey.Vpcs).toHaveLength(1);
    const byCidr = await c.send(new E.DescribeVpcsCommand({ Filters: [{ Name: 'cidr', Values: ['192.168.*'] }, { Name: 'state', Values: ['available'] }] }));
    expect(byCidr.Vpcs!.map((v) => v.VpcId)).toEqual([small.Vpc!.VpcId]);
    const notDefault = await c.send(new E.DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['false'] }] }));
    expect(notDefault.Vpcs).toHaveLength(2);
    const byId = await c.send(new E.DescribeVpcsCommand({ VpcIds: [small.Vpc!.VpcId!], Filters: [{ Name: 'vpc-id', Values: [small.Vpc!.VpcId!] }] }));
    expect(byId.Vpcs).toHaveLength(1);
    expect(await failure(c.send(new E.DescribeVpcsCommand({ VpcIds: ['vpc-0123456789abcdef0'] })))).toMatchObject({
      name: 'InvalidVpcID.NotFound',
      message: "The vpc ID 'vpc-0123456789abcdef0' does not exist",
    });
    // main route table, default NACL and SG exist for a new VPC too
    const rts = await c.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [Vpc!.VpcId!] }] }));
    expect(rts.RouteTables!.map((r) => r.Routes)).toEqual([[{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }]]);
    const attr = await c.send(new E.DescribeVpcAttributeCommand({ VpcId: Vpc!.VpcId, Attribute: 'enableDnsHostnames' }));
    expect(attr).toMatchObject({ VpcId: Vpc!.VpcId, EnableDnsHostnames: { Value: false } });
    await c.send(new E.ModifyVpcAttributeCommand({ VpcId: Vpc!.VpcId, EnableDnsHostnames: { Value: true } }));
    expect((await c.send(new E.DescribeVpcAttributeCommand({ VpcId: Vpc!.VpcId, Attribute: 'enableDnsHostnames' }))).EnableDnsHostnames).toEqual({ Value: true });
    expect((await c.send(new E.DescribeVpcAttributeCommand({ VpcId: Vpc!.VpcId, Attribute: 'enableDnsSupport' }))).EnableDnsSupport).toEqual({ Value: true });
    await c.send(new E.DeleteVpcCommand({ VpcId: small.Vpc!.VpcId }));
    await c.send(new E.DeleteVpcCommand({ VpcId: Vpc!.VpcId }));
    expect((await c.send(new E.DescribeVpcsCommand({}))).Vpcs).toHaveLength(1);
    expect((await c.send(new E.DescribeSecurityGroupsCommand({}))).SecurityGroups).toHaveLength(1);
  });

  test('VPC limit of five per region (the default VPC counts)', async () => {
    const c = ec2('ca-central-1');
    for (let i = 0; i < 4; i++) await c.send(new E.CreateVpcCommand({ CidrBlock: `10.${i}.0.0/16` }));
    expect(await failure(c.send(new E.CreateVpcCommand({ CidrBlock: '10.9.0.0/16' })))).toMatchObject({ name: 'VpcLimitExceeded', message: 'The maximum number of VPCs has been reached.' });
  });

  test('secondary CIDRs: rules, local routes; Amazon-provided IPv6 /56', async () => {
    const c = ec2('eu-west-2');
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.0.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const v6 = (await c.send(new E.DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.Ipv6CidrBlockAssociationSet!;
    expect(v6).toHaveLength(1);
    expect(v6[0]).toMatchObject({ Ipv6CidrBlockState: { State: 'associated' }, Ipv6Pool: 'Amazon', NetworkBorderGroup: 'eu-west-2' });
    expect(v6[0]!.Ipv6CidrBlock).toMatch(/^2600:1f[0-9a-f]{2}:[0-9a-f]{4}:[0-9a-f]{2}00::\/56$/);
    const ok = await c.send(new E.AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/16' }));
    expect(ok.CidrBlockAssociation).toMatchObject({ CidrBlock: '10.1.0.0/16', CidrBlockState: { State: 'associating' } });
    expect(await failure(c.send(new E.AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.1.128.0/17' })))).toMatchObject({ name: 'InvalidVpc.Range' });
    const restricted = await failure(c.send(new E.AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '192.168.0.0/16' })));
    expect(restricted.name).toBe('InvalidVpc.Range');
    expect(restricted.message).toContain('is restricted');
    expect((await failure(c.send(new E.AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.2.0.0/29' })))).message).toBe("The CIDR '10.2.0.0/29' is invalid.");
    for (const x of ['10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']) await c.send(new E.AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: x }));
    expect(await failure(c.send(new E.AssociateVpcCidrBlockCommand({ VpcId: vpcId, CidrBlock: '10.5.0.0/16' })))).toMatchObject({
      name: 'CidrLimitExceeded',
      message: `This network '${vpcId}' has met its maximum number of allowed CIDRs: 5`,
    });
    const main = (await c.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).RouteTables![0]!;
    expect(main.Routes!.filter((r) => r.GatewayId === 'local').map((r) => r.DestinationCidrBlock)).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16']);
    // a subnet may live in the secondary block
    const s = await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.5.0/24' }));
    expect(s.Subnet!.AvailableIpAddressCount).toBe(251);
    const vpc = (await c.send(new E.DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    const primary = vpc.CidrBlockAssociationSet!.find((a) => a.CidrBlock === '10.0.0.0/16')!;
    expect(await failure(c.send(new E.DisassociateVpcCidrBlockCommand({ AssociationId: primary.AssociationId })))).toMatchObject({ name: 'OperationNotPermitted' });
    const third = vpc.CidrBlockAssociationSet!.find((a) => a.CidrBlock === '10.4.0.0/16')!;
    await c.send(new E.DisassociateVpcCidrBlockCommand({ AssociationId: third.AssociationId }));
    expect((await c.send(new E.DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!.CidrBlockAssociationSet).toHaveLength(4);
    // IPv6 /64 for a subnet, then auto-assign
    const block = v6[0]!.Ipv6CidrBlock!.replace('00::/56', '01::/64');
    const assoc = await c.send(new E.AssociateSubnetCidrBlockCommand({ SubnetId: s.Subnet!.SubnetId, Ipv6CidrBlock: block }));
    expect(assoc.Ipv6CidrBlockAssociation).toMatchObject({ Ipv6CidrBlock: block });
    await c.send(new E.ModifySubnetAttributeCommand({ SubnetId: s.Subnet!.SubnetId, AssignIpv6AddressOnCreation: { Value: true } }));
    const after = (await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [s.Subnet!.SubnetId!] }))).Subnets![0]!;
    expect(after.AssignIpv6AddressOnCreation).toBe(true);
    expect(after.Ipv6CidrBlockAssociationSet![0]!.Ipv6CidrBlock).toBe(block);
    // the default NACL of an IPv6 VPC carries the ::/0 entries
    const acl = (await c.send(new E.DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).NetworkAcls![0]!;
    expect(acl.Entries!.map((e) => `${e.Egress ? 'out' : 'in'} ${e.RuleNumber} ${e.RuleAction} ${e.CidrBlock ?? e.Ipv6CidrBlock}`)).toEqual([
      'out 100 allow 0.0.0.0/0',
      'out 101 allow ::/0',
      'out 32767 deny 0.0.0.0/0',
      'out 32768 deny ::/0',
      'in 100 allow 0.0.0.0/0',
      'in 101 allow ::/0',
      'in 32767 deny 0.0.0.0/0',
      'in 32768 deny ::/0',
    ]);
  });

  test('DeleteVpc is a DependencyViolation while subnets or an internet gateway remain', async () => {
    const c = ec2('ap-south-1');
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
    const igw = (await c.send(new E.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await c.send(new E.AttachInternetGatewayCommand({ VpcId: vpcId, InternetGatewayId: igw }));
    const dep = { name: 'DependencyViolation', message: `The vpc '${vpcId}' has dependencies and cannot be deleted.` };
    expect(await failure(c.send(new E.DeleteVpcCommand({ VpcId: vpcId })))).toMatchObject(dep);
    await c.send(new E.DeleteSubnetCommand({ SubnetId: subnetId }));
    expect(await failure(c.send(new E.DeleteVpcCommand({ VpcId: vpcId })))).toMatchObject(dep);
    await c.send(new E.DetachInternetGatewayCommand({ VpcId: vpcId, InternetGatewayId: igw }));
    await c.send(new E.DeleteVpcCommand({ VpcId: vpcId }));
    expect(await failure(c.send(new E.DeleteVpcCommand({ VpcId: vpcId })))).toMatchObject({ name: 'InvalidVpcID.NotFound' });
  });
});

describe('subnets', () => {
  test('five reserved addresses, range and conflict errors, zones', async () => {
    const c = ec2('us-east-1');
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const a = await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'us-east-1b' }));
    expect(a.Subnet).toMatchObject({ CidrBlock: '10.0.1.0/24', AvailableIpAddressCount: 251, AvailabilityZone: 'us-east-1b', AvailabilityZoneId: 'use1-az1', MapPublicIpOnLaunch: false, DefaultForAz: false, State: 'available', VpcId: vpcId });
    expect(a.Subnet!.SubnetId).toMatch(/^subnet-[0-9a-f]{17}$/);
    const b = await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/28', AvailabilityZoneId: 'use1-az6' }));
    expect(b.Subnet).toMatchObject({ AvailableIpAddressCount: 11, AvailabilityZone: 'us-east-1a' });
    const d = await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.3.0/24' }));
    expect(d.Subnet!.AvailabilityZone).toBe('us-east-1c'); // the zone with the fewest subnets of this VPC
    expect(await failure(c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.128/25' })))).toMatchObject({
      name: 'InvalidSubnet.Conflict',
      message: "The CIDR '10.0.1.128/25' conflicts with another subnet",
    });
    expect(await failure(c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.1.0.0/24' })))).toMatchObject({ name: 'InvalidSubnet.Range', message: "The CIDR '10.1.0.0/24' is invalid." });
    expect(await failure(c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.9.0/29' })))).toMatchObject({ name: 'InvalidSubnet.Range' });
    expect((await failure(c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.9.0/24', AvailabilityZone: 'us-east-1z' })))).message).toBe(
      'Value (us-east-1z) for parameter availabilityZone is invalid. Subnets can currently only be created in the following availability zones: us-east-1a, us-east-1b, us-east-1c, us-east-1d, us-east-1e, us-east-1f.',
    );
    expect(await failure(c.send(new E.CreateSubnetCommand({ VpcId: 'vpc-00000000000000000', CidrBlock: '10.0.9.0/24' })))).toMatchObject({ name: 'InvalidVpcID.NotFound' });

    await c.send(new E.ModifySubnetAttributeCommand({ SubnetId: a.Subnet!.SubnetId, MapPublicIpOnLaunch: { Value: true } }));
    const pub = await c.send(new E.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'map-public-ip-on-launch', Values: ['true'] }] }));
    expect(pub.Subnets!.map((s) => s.SubnetId)).toEqual([a.Subnet!.SubnetId]);
    const z = await c.send(new E.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'availability-zone', Values: ['us-east-1a', 'us-east-1c'] }] }));
    expect(z.Subnets!.map((s) => s.CidrBlock)).toEqual(['10.0.2.0/28', '10.0.3.0/24']);
    const page1 = await c.send(new E.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }], MaxResults: 5 }));
    expect(page1.Subnets).toHaveLength(3);
    expect(page1.NextToken).toBeUndefined();
    const all = await c.send(new E.DescribeSubnetsCommand({ MaxResults: 5 }));
    expect(all.Subnets).toHaveLength(5);
    const next = await c.send(new E.DescribeSubnetsCommand({ MaxResults: 5, NextToken: all.NextToken }));
    expect(next.Subnets!.length).toBe(4); // 6 default + 3
    expect(await failure(c.send(new E.DescribeSubnetsCommand({ SubnetIds: ['subnet-00000000000000000'] })))).toMatchObject({
      name: 'InvalidSubnetID.NotFound',
      message: "The subnet ID 'subnet-00000000000000000' does not exist",
    });
    await c.send(new E.DeleteSubnetCommand({ SubnetId: d.Subnet!.SubnetId }));
    expect((await c.send(new E.DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).Subnets).toHaveLength(2);
  });
});

describe('tags', () => {
  test('CreateTags / DescribeTags / DeleteTags across resource kinds', async () => {
    const c = ec2('sa-east-1');
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
    const subnetId = (await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.0.0/24' }))).Subnet!.SubnetId!;
    await c.send(new E.CreateTagsCommand({ Resources: [vpcId, subnetId], Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'a' }] }));
    const t = await c.send(new E.DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['env'] }] }));
    expect(t.Tags).toEqual([
      { Key: 'env', ResourceId: vpcId, ResourceType: 'vpc', Value: 'dev' },
      { Key: 'env', ResourceId: subnetId, ResourceType: 'subnet', Value: 'dev' },
    ]);
    const onlySubnet = await c.send(new E.DescribeTagsCommand({ Filters: [{ Name: 'resource-type', Values: ['subnet'] }] }));
    expect(onlySubnet.Tags!.map((x) => x.Key)).toEqual(['env', 'team']);
    await c.send(new E.DeleteTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'env', Value: 'other' }, { Key: 'team' }] }));
    const vpc = (await c.send(new E.DescribeVpcsCommand({ VpcIds: [vpcId] }))).Vpcs![0]!;
    expect(vpc.Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
    expect(await failure(c.send(new E.CreateTagsCommand({ Resources: ['vpc-00000000000000000'], Tags: [{ Key: 'a', Value: 'b' }] })))).toMatchObject({ name: 'InvalidVpcID.NotFound' });
    expect(await failure(c.send(new E.CreateTagsCommand({ Resources: ['bogus'], Tags: [{ Key: 'a', Value: 'b' }] })))).toMatchObject({ name: 'InvalidID', message: "The ID 'bogus' is not valid" });
    expect((await failure(c.send(new E.CreateTagsCommand({ Resources: [vpcId], Tags: [{ Key: 'aws:x', Value: 'b' }] })))).name).toBe('InvalidParameterValue');
  });
});
