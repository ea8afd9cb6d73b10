// covers: ec2.CreateDhcpOptions ec2.DescribeDhcpOptions ec2.AssociateDhcpOptions ec2.DeleteDhcpOptions ec2.DescribeVpcs ec2.CreateEgressOnlyInternetGateway ec2.DescribeEgressOnlyInternetGateways ec2.DeleteEgressOnlyInternetGateway ec2.CreateRoute ec2.DescribeRouteTables ec2.ModifySecurityGroupRules ec2.UpdateSecurityGroupRuleDescriptionsIngress ec2.UpdateSecurityGroupRuleDescriptionsEgress ec2.DescribeSecurityGroupRules ec2.CreateTags
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (account: string, region = 'us-east-1') => new E.EC2Client(clientConfig(ctx.g, { region, credentials: { accessKeyId: account, secretAccessKey: 'test' } }));

describe('DHCP options sets', () => {
  test('the default set, create, associate, dependencies, delete', async () => {
    const c = ec2('320000000001');
    const vpc = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!;
    const all = (await c.send(new E.DescribeDhcpOptionsCommand({}))).DhcpOptions!;
    expect(all.map((d) => d.DhcpOptionsId)).toEqual([vpc.DhcpOptionsId]);
    expect(all[0]!.DhcpConfigurations).toEqual([
      { Key: 'domain-name', Values: [{ Value: 'ec2.internal' }] },
      { Key: 'domain-name-servers', Values: [{ Value: 'AmazonProvidedDNS' }] },
    ]);
    const west = (await ec2('320000000001', 'eu-west-1').send(new E.DescribeDhcpOptionsCommand({}))).DhcpOptions![0]!;
    expect(west.DhcpConfigurations![0]).toEqual({ Key: 'domain-name', Values: [{ Value: 'eu-west-1.compute.internal' }] });

    const created = (await c.send(new E.CreateDhcpOptionsCommand({
      DhcpConfigurations: [{ Key: 'domain-name', Values: ['corp.example'] }, { Key: 'domain-name-servers', Values: ['10.2.0.2', '10.2.0.3'] }],
      TagSpecifications: [{ ResourceType: 'dhcp-options', Tags: [{ Key: 'Name', Value: 'corp' }] }],
    }))).DhcpOptions!;
    expect(created.DhcpOptionsId).toMatch(/^dopt-[0-9a-f]{17}$/);
    expect(created.Tags).toEqual([{ Key: 'Name', Value: 'corp' }]);
    expect(await failure(c.send(new E.CreateDhcpOptionsCommand({ DhcpConfigurations: [{ Key: 'bogus', Values: ['x'] }] })))).toMatchObject({
      name: 'InvalidParameterValue', message: 'Value (bogus) for parameter dhcpConfiguration is invalid. Unknown DHCP option',
    });
    const id = created.DhcpOptionsId!;
    await c.send(new E.AssociateDhcpOptionsCommand({ DhcpOptionsId: id, VpcId: vpc.VpcId! }));
    expect((await c.send(new E.DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).Vpcs![0]!.DhcpOptionsId).toBe(id);
    const byValue = await c.send(new E.DescribeDhcpOptionsCommand({ Filters: [{ Name: 'value', Values: ['10.2.0.3'] }] }));
    expect(byValue.DhcpOptions!.map((d) => d.DhcpOptionsId)).toEqual([id]);
    expect(await failure(c.send(new E.DeleteDhcpOptionsCommand({ DhcpOptionsId: id })))).toMatchObject({
      name: 'DependencyViolation', message: `The dhcpOptions '${id}' has dependencies and cannot be deleted.`,
    });
    await c.send(new E.AssociateDhcpOptionsCommand({ DhcpOptionsId: 'default', VpcId: vpc.VpcId! }));
    expect((await c.send(new E.DescribeVpcsCommand({ VpcIds: [vpc.VpcId!] }))).Vpcs![0]!.DhcpOptionsId).toBe('default');
    await c.send(new E.DeleteDhcpOptionsCommand({ DhcpOptionsId: id }));
    expect(await failure(c.send(new E.DescribeDhcpOptionsCommand({ DhcpOptionsIds: [id] })))).toMatchObject({
      name: 'InvalidDhcpOptionID.NotFound', message: `The dhcpOption ID '${id}' does not exist`,
    });
  });
});

describe('egress-only internet gateways', () => {
  test('create, route ::/0 to it (IPv6 only), blackhole after delete', async () => {
    const c = ec2('320000000002');
    const vpc = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.3.0.0/16', AmazonProvidedIpv6CidrBlock: true }))).Vpc!.VpcId!;
    const g = (await c.send(new E.CreateEgressOnlyInternetGatewayCommand({ VpcId: vpc, TagSpecifications: [{ ResourceType: 'egress-only-internet-gateway', Tags: [{ Key: 'k', Value: 'v' }] }] }))).EgressOnlyInternetGateway!;
    expect(g.EgressOnlyInternetGatewayId).toMatch(/^eigw-[0-9a-f]{17}$/);
    expect(g.Attachments).toEqual([{ State: 'attached', VpcId: vpc }]);
    const id = g.EgressOnlyInternetGatewayId!;
    const rtb = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpc }))).RouteTable!.RouteTableId!;
    expect((await failure(c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', EgressOnlyInternetGatewayId: id })))).name).toBe('InvalidParameterCombination');
    await c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationIpv6CidrBlock: '::/0', EgressOnlyInternetGatewayId: id }));
    const route = () => c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] })).then((r) => r.RouteTables![0]!.Routes!.find((x) => x.DestinationIpv6CidrBlock === '::/0'));
    expect(await route()).toMatchObject({ EgressOnlyInternetGatewayId: id, State: 'active', Origin: 'CreateRoute' });
    await c.send(new E.CreateTagsCommand({ Resources: [id], Tags: [{ Key: 'Name', Value: 'v6-out' }] }));
    const listed = await c.send(new E.DescribeEgressOnlyInternetGatewaysCommand({ Filters: [{ Name: 'tag:Name', Values: ['v6-out'] }] }));
    expect(listed.EgressOnlyInternetGateways!.map((x) => x.EgressOnlyInternetGatewayId)).toEqual([id]);
    expect((await c.send(new E.DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: id }))).ReturnCode).toBe(true);
    expect((await route())?.State).toBe('blackhole');
    expect(await failure(c.send(new E.DeleteEgressOnlyInternetGatewayCommand({ EgressOnlyInternetGatewayId: id })))).toMatchObject({ name: 'InvalidGatewayID.NotFound' });
  });
});

describe('security group rules in place', () => {
  test('ModifySecurityGroupRules keeps the id; descriptions by rule id and by permission', async () => {
    const c = ec2('320000000003');
    const vpc = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.4.0.0/16' }))).Vpc!.VpcId!;
    const sg = (await c.send(new E.CreateSecurityGroupCommand({ VpcId: vpc, GroupName: 'web', Description: 'web' }))).GroupId!;
    const added = await c.send(new E.AuthorizeSecurityGroupIngressCommand({
      GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }, { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] }],
    }));
    const [http, ssh] = added.SecurityGroupRules!.map((r) => r.SecurityGroupRuleId!);
    await c.send(new E.ModifySecurityGroupRulesCommand({
      GroupId: sg, SecurityGroupRules: [{ SecurityGroupRuleId: http!, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0', Description: 'https' } }],
    }));
    const rule = async (id: string) => (await c.send(new E.DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [id] }))).SecurityGroupRules![0]!;
    expect(await rule(http!)).toMatchObject({ SecurityGroupRuleId: http, FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0', Description: 'https', IsEgress: false });
    expect(await failure(c.send(new E.ModifySecurityGroupRulesCommand({
      GroupId: sg, SecurityGroupRules: [{ SecurityGroupRuleId: ssh!, SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, CidrIpv4: '0.0.0.0/0' } }],
    })))).toMatchObject({ name: 'InvalidPermission.Duplicate' });
    expect(await failure(c.send(new E.ModifySecurityGroupRulesCommand({
      GroupId: sg, SecurityGroupRules: [{ SecurityGroupRuleId: 'sgr-0123456789abcdef0', SecurityGroupRule: { IpProtocol: 'tcp', FromPort: 1, ToPort: 1, CidrIpv4: '1.2.3.4/32' } }],
    })))).toMatchObject({ name: 'InvalidSecurityGroupRuleId.NotFound', message: "The security group rule ID 'sgr-0123456789abcdef0' does not exist" });

    await c.send(new E.UpdateSecurityGroupRuleDescriptionsIngressCommand({ GroupId: sg, SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: ssh!, Description: 'admins' }] }));
    expect((await rule(ssh!)).Description).toBe('admins');
    await c.send(new E.UpdateSecurityGroupRuleDescriptionsIngressCommand({
      GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8', Description: 'office' }] }],
    }));
    expect((await rule(ssh!)).Description).toBe('office');
    const egress = (await c.send(new E.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sg] }] }))).SecurityGroupRules!.find((r) => r.IsEgress)!;
    await c.send(new E.UpdateSecurityGroupRuleDescriptionsEgressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'all out' }] }] }));
    expect((await rule(egress.SecurityGroupRuleId!)).Description).toBe('all out');
    expect((await failure(c.send(new E.UpdateSecurityGroupRuleDescriptionsEgressCommand({ GroupId: sg, SecurityGroupRuleDescriptions: [{ SecurityGroupRuleId: ssh!, Description: 'x' }] })))).name).toBe('InvalidSecurityGroupRuleId.NotFound');
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3: DHCP options and descriptions through the client', async () => {
    const r = await boto3(ctx.g, `
ec2 = boto3.client('ec2', endpoint_url=ENDPOINT, region_name='us-east-1')
vpc = ec2.create_vpc(CidrBlock='10.5.0.0/16')['Vpc']['VpcId']
d = ec2.create_dhcp_options(DhcpConfigurations=[{'Key': 'ntp-servers', 'Values': ['169.254.169.123']}])['DhcpOptions']
ec2.associate_dhcp_options(DhcpOptionsId=d['DhcpOptionsId'], VpcId=vpc)
out = {'dopt': ec2.describe_vpcs(VpcIds=[vpc])['Vpcs'][0]['DhcpOptionsId'] == d['DhcpOptionsId'], 'key': d['DhcpConfigurations'][0]['Key']}
print(json.dumps(out))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ dopt: true, key: 'ntp-servers' });
  });
});
