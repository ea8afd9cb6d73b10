// covers: ec2.CreateVpcEndpoint ec2.ModifyVpcEndpoint ec2.DeleteVpcEndpoints ec2.DescribeVpcEndpoints ec2.DescribeVpcEndpointServices ec2.DescribePrefixLists ec2.CreateManagedPrefixList ec2.ModifyManagedPrefixList ec2.RestoreManagedPrefixListVersion ec2.DeleteManagedPrefixList ec2.DescribeManagedPrefixLists ec2.GetManagedPrefixListEntries ec2.GetManagedPrefixListAssociations ec2.DescribeNetworkInterfaces
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (region = 'us-east-1') => new E.EC2Client(clientConfig(ctx.g, { region }));

describe('VPC endpoints', () => {
  test('gateway endpoint for S3 adds the prefix-list route to the tables given', async () => {
    const c = ec2();
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.5.0.0/16' }))).Vpc!.VpcId!;
    const rtb1 = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const rtb2 = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    const pls = (await c.send(new E.DescribePrefixListsCommand({}))).PrefixLists!;
    const s3 = pls.find((p) => p.PrefixListName === 'com.amazonaws.us-east-1.s3')!;
    expect(s3.PrefixListId).toBe('pl-63a5400a');
    expect(s3.Cidrs).toContain('52.216.0.0/15');

    expect(await failure(c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.nope' })))).toMatchObject({
      name: 'InvalidServiceName', message: "The Vpc Endpoint Service 'com.amazonaws.us-east-1.nope' does not exist",
    });
    const ep = (await c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rtb1] }))).VpcEndpoint!;
    expect(ep).toMatchObject({ VpcEndpointType: 'Gateway', State: 'available', RouteTableIds: [rtb1], SubnetIds: [], ServiceName: 'com.amazonaws.us-east-1.s3' });
    expect(JSON.parse(ep.PolicyDocument!).Statement[0]).toMatchObject({ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' });
    const id = ep.VpcEndpointId!;
    const routesOf = async (rtb: string) => (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect((await routesOf(rtb1)).find((r) => r.GatewayId === id)).toEqual({ DestinationPrefixListId: 'pl-63a5400a', GatewayId: id, Origin: 'CreateRoute', State: 'active' });

    // the endpoint's route cannot be removed with DeleteRoute; ModifyVpcEndpoint moves it
    expect((await failure(c.send(new E.DeleteRouteCommand({ RouteTableId: rtb1, DestinationPrefixListId: 'pl-63a5400a' })))).name).toBe('InvalidParameterValue');
    await c.send(new E.ModifyVpcEndpointCommand({ VpcEndpointId: id, AddRouteTableIds: [rtb2], RemoveRouteTableIds: [rtb1] }));
    expect((await routesOf(rtb1)).some((r) => r.GatewayId === id)).toBe(false);
    expect((await routesOf(rtb2)).some((r) => r.GatewayId === id)).toBe(true);
    // a second S3 gateway endpoint on the same table conflicts
    expect((await failure(c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.us-east-1.s3', RouteTableIds: [rtb2] })))).name).toBe('RouteAlreadyExists');

    const del = await c.send(new E.DeleteVpcEndpointsCommand({ VpcEndpointIds: [id, 'vpce-0123456789abcdef0'] }));
    expect(del.Unsuccessful).toEqual([{ ResourceId: 'vpce-0123456789abcdef0', Error: { Code: 'InvalidVpcEndpoint.NotFound', Message: "The Vpc Endpoint Id 'vpce-0123456789abcdef0' does not exist" } }]);
    expect((await routesOf(rtb2)).some((r) => r.GatewayId === id)).toBe(false);
    expect((await c.send(new E.DescribeVpcEndpointsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }] }))).VpcEndpoints).toEqual([]);
  });

  test('interface endpoint: an interface per subnet, private DNS rules, pending → available', async () => {
    const c = ec2('eu-west-3');
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.6.0.0/16' }))).Vpc!.VpcId!;
    const a = (await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.1.0/24', AvailabilityZone: 'eu-west-3a' }))).Subnet!.SubnetId!;
    const a2 = (await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.2.0/24', AvailabilityZone: 'eu-west-3a' }))).Subnet!.SubnetId!;
    const b = (await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.6.3.0/24', AvailabilityZone: 'eu-west-3b' }))).Subnet!.SubnetId!;
    const service = 'com.amazonaws.eu-west-3.sqs';
    // private DNS needs DNS hostnames on the VPC
    expect(await failure(c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: service, VpcEndpointType: 'Interface', SubnetIds: [a] })))).toMatchObject({
      name: 'InvalidParameter',
      message: `Enabling private DNS requires both enableDnsSupport and enableDnsHostnames VPC attributes set to true for ${vpcId}`,
    });
    await c.send(new E.ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
    expect((await failure(c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: service, VpcEndpointType: 'Interface', SubnetIds: [a, a2] })))).name)
      .toBe('DuplicateSubnetsInSameZone');
    const ep = (await c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: service, VpcEndpointType: 'Interface', SubnetIds: [a, b] }))).VpcEndpoint!;
    expect(ep).toMatchObject({ State: 'pending', PrivateDnsEnabled: true, SubnetIds: [a, b], VpcEndpointType: 'Interface' });
    expect(ep.NetworkInterfaceIds).toHaveLength(2);
    expect(ep.DnsEntries!.map((d) => d.DnsName)).toContain('sqs.eu-west-3.amazonaws.com');
    expect(ep.DnsEntries![0]!.DnsName).toMatch(new RegExp(`^${ep.VpcEndpointId}-[0-9a-f]{8}\\.sqs\\.eu-west-3\\.vpce\\.amazonaws\\.com$`));
    const defaultSg = (await c.send(new E.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!.GroupId;
    expect(ep.Groups!.map((g) => g.GroupId)).toEqual([defaultSg]);

    const enis = (await c.send(new E.DescribeNetworkInterfacesCommand({ NetworkInterfaceIds: ep.NetworkInterfaceIds }))).NetworkInterfaces!;
    expect(enis.map((e) => [e.SubnetId, e.InterfaceType, e.RequesterManaged, e.Status, e.Description])).toEqual([
      [a, 'vpc_endpoint', true, 'in-use', `VPC Endpoint Interface ${ep.VpcEndpointId}`],
      [b, 'vpc_endpoint', true, 'in-use', `VPC Endpoint Interface ${ep.VpcEndpointId}`],
    ]);
    const subnetA = (await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [a] }))).Subnets![0]!;
    expect(subnetA.AvailableIpAddressCount).toBe(250);

    // a second endpoint for the same service cannot also take the private DNS name
    expect(await failure(c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: service, VpcEndpointType: 'Interface', SubnetIds: [a2] })))).toMatchObject({
      name: 'InvalidParameter',
      message: `private-dns-enabled cannot be set because there is already a conflicting DNS domain for sqs.eu-west-3.amazonaws.com in the VPC ${vpcId}`,
    });
    ctx.g.clock.advance(60_000);
    expect((await c.send(new E.DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!.State).toBe('available');

    await c.send(new E.ModifyVpcEndpointCommand({ VpcEndpointId: ep.VpcEndpointId!, RemoveSubnetIds: [b], PrivateDnsEnabled: false }));
    const after = (await c.send(new E.DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!;
    expect(after).toMatchObject({ SubnetIds: [a], PrivateDnsEnabled: false });
    expect(after.NetworkInterfaceIds).toHaveLength(1);
    await c.send(new E.DeleteVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }));
    expect((await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [a] }))).Subnets![0]!.AvailableIpAddressCount).toBe(251);
    expect((await c.send(new E.DescribeVpcEndpointsCommand({ VpcEndpointIds: [ep.VpcEndpointId!] }))).VpcEndpoints![0]!.State).toBe('deleting');
  });

  test('DescribeVpcEndpointServices lists the regional catalogue', async () => {
    const c = ec2('us-east-2');
    const all = await c.send(new E.DescribeVpcEndpointServicesCommand({}));
    expect(all.ServiceNames).toContain('com.amazonaws.us-east-2.s3');
    const s3 = (await c.send(new E.DescribeVpcEndpointServicesCommand({ ServiceNames: ['com.amazonaws.us-east-2.s3'] }))).ServiceDetails![0]!;
    expect(s3.ServiceType!.map((t) => t.ServiceType).sort()).toEqual(['Gateway', 'Interface']);
    expect(s3).toMatchObject({ Owner: 'amazon', AvailabilityZones: ['us-east-2a', 'us-east-2b', 'us-east-2c'], VpcEndpointPolicySupported: true });
    const gateways = (await c.send(new E.DescribeVpcEndpointServicesCommand({ Filters: [{ Name: 'service-type', Values: ['Gateway'] }] }))).ServiceNames;
    expect(gateways).toEqual(['com.amazonaws.us-east-2.dynamodb', 'com.amazonaws.us-east-2.s3']);
  });
});

describe('managed prefix lists', () => {
  test('versions, entries, MaxEntries, references from routes and security groups', async () => {
    const c = ec2('sa-east-1');
    expect(await failure(c.send(new E.CreateManagedPrefixListCommand({ PrefixListName: 'x', AddressFamily: 'IPv4', MaxEntries: 1001 })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'Must specify a max size between 1 and 1000',
    });
    const pl = (await c.send(new E.CreateManagedPrefixListCommand({
      PrefixListName: 'offices', AddressFamily: 'IPv4', MaxEntries: 3, Entries: [{ Cidr: '203.0.113.0/24', Description: 'hq' }, { Cidr: '198.51.100.0/24' }],
    }))).PrefixList!;
    expect(pl).toMatchObject({ State: 'create-in-progress', Version: 1, MaxEntries: 3, AddressFamily: 'IPv4', OwnerId: '000000000000' });
    const id = pl.PrefixListId!;
    const entries = async (v?: number) => (await c.send(new E.GetManagedPrefixListEntriesCommand({ PrefixListId: id, TargetVersion: v }))).Entries!;
    expect(await entries()).toEqual([{ Cidr: '198.51.100.0/24' }, { Cidr: '203.0.113.0/24', Description: 'hq' }]);

    expect(await failure(c.send(new E.ModifyManagedPrefixListCommand({ PrefixListId: id, CurrentVersion: 7, AddEntries: [{ Cidr: '192.0.2.0/24' }] })))).toMatchObject({
      name: 'PrefixListVersionMismatch', message: 'The prefix list has the incorrect version number.',
    });
    expect(await failure(c.send(new E.ModifyManagedPrefixListCommand({ PrefixListId: id, MaxEntries: 5, AddEntries: [{ Cidr: '192.0.2.0/24' }] })))).toMatchObject({
      name: 'InvalidParameterCombination', message: 'You cannot modify the entries and the maximum entries for the prefix list in the same request.',
    });
    const m = (await c.send(new E.ModifyManagedPrefixListCommand({ PrefixListId: id, CurrentVersion: 1, AddEntries: [{ Cidr: '192.0.2.0/24' }], RemoveEntries: [{ Cidr: '198.51.100.0/24' }] }))).PrefixList!;
    expect(m).toMatchObject({ State: 'modify-in-progress', Version: 2 });
    expect((await entries()).map((e) => e.Cidr)).toEqual(['192.0.2.0/24', '203.0.113.0/24']);
    expect((await entries(1)).map((e) => e.Cidr)).toEqual(['198.51.100.0/24', '203.0.113.0/24']);
    expect((await failure(c.send(new E.ModifyManagedPrefixListCommand({ PrefixListId: id, AddEntries: [{ Cidr: '203.0.113.0/24', Description: 'hq' }] })))).name).toBe('InvalidPrefixListModification');
    await c.send(new E.RestoreManagedPrefixListVersionCommand({ PrefixListId: id, CurrentVersion: 2, PreviousVersion: 1 }));
    expect((await entries()).map((e) => e.Cidr)).toEqual(['198.51.100.0/24', '203.0.113.0/24']);
    const d = (await c.send(new E.DescribeManagedPrefixListsCommand({ PrefixListIds: [id] }))).PrefixLists![0]!;
    expect(d).toMatchObject({ State: 'restore-complete', Version: 3, PrefixListName: 'offices' });
    const aws = (await c.send(new E.DescribeManagedPrefixListsCommand({ Filters: [{ Name: 'owner-id', Values: ['AWS'] }] }))).PrefixLists!;
    expect(aws.map((p) => p.PrefixListName)).toEqual(['com.amazonaws.sa-east-1.dynamodb', 'com.amazonaws.sa-east-1.s3']);

    // references: a route and a security group rule (which counts as MaxEntries rules)
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.7.0.0/16' }))).Vpc!.VpcId!;
    const igw = (await c.send(new E.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await c.send(new E.AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const rtb = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id, GatewayId: igw }));
    expect((await failure(c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: 'pl-0123456789abcdef0', GatewayId: igw })))).name)
      .toBe('InvalidPrefixListID.NotFound');
    const sg = (await c.send(new E.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web', VpcId: vpcId }))).GroupId!;
    await c.send(new E.AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: id }] }] }));
    const assoc = (await c.send(new E.GetManagedPrefixListAssociationsCommand({ PrefixListId: id }))).PrefixListAssociations!;
    expect(assoc.map((a) => a.ResourceId).sort()).toEqual([rtb, sg].sort());
    expect((await failure(c.send(new E.DeleteManagedPrefixListCommand({ PrefixListId: id })))).name).toBe('DependencyViolation');
    // 58 more CIDR rules would exceed 60 once the list counts as 3
    const many = Array.from({ length: 58 }, (_, i) => ({ CidrIp: `10.${i}.0.0/16` }));
    expect(await failure(c.send(new E.AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: many }] })))).toMatchObject({
      name: 'RulesPerSecurityGroupLimitExceeded',
    });
    await c.send(new E.RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: id }] }] }));
    await c.send(new E.DeleteRouteCommand({ RouteTableId: rtb, DestinationPrefixListId: id }));
    expect((await c.send(new E.DeleteManagedPrefixListCommand({ PrefixListId: id }))).PrefixList!.State).toBe('delete-in-progress');
    expect((await failure(c.send(new E.GetManagedPrefixListEntriesCommand({ PrefixListId: id })))).name).toBe('InvalidPrefixListID.NotFound');
  });

  test.skipIf(!HAS_AWS_CLI)('AWS CLI: create and read a prefix list', async () => {
    const made = await awsCli(ctx.g, ['ec2', 'create-managed-prefix-list', '--region', 'eu-north-1', '--prefix-list-name', 'cli', '--address-family', 'IPv4', '--max-entries', '2', '--entries', 'Cidr=10.0.0.0/8,Description=ten']);
    expect(made.status).toBe(0);
    const id = (made.json as { PrefixList: { PrefixListId: string } }).PrefixList.PrefixListId;
    const got = await awsCli(ctx.g, ['ec2', 'get-managed-prefix-list-entries', '--region', 'eu-north-1', '--prefix-list-id', id]);
    expect(got.json).toEqual({ Entries: [{ Cidr: '10.0.0.0/8', Description: 'ten' }] });
  });
});
