// covers: ec2.CreateInternetGateway ec2.AttachInternetGateway ec2.DetachInternetGateway ec2.DeleteInternetGateway ec2.DescribeInternetGateways ec2.CreateRouteTable ec2.DeleteRouteTable ec2.DescribeRouteTables ec2.CreateRoute ec2.ReplaceRoute ec2.DeleteRoute ec2.AssociateRouteTable ec2.DisassociateRouteTable ec2.ReplaceRouteTableAssociation ec2.CreateSecurityGroup ec2.DeleteSecurityGroup ec2.DescribeSecurityGroups ec2.DescribeSecurityGroupRules ec2.AuthorizeSecurityGroupIngress ec2.AuthorizeSecurityGroupEgress ec2.RevokeSecurityGroupIngress ec2.RevokeSecurityGroupEgress ec2.CreateNetworkAcl ec2.DeleteNetworkAcl ec2.DescribeNetworkAcls ec2.CreateNetworkAclEntry ec2.ReplaceNetworkAclEntry ec2.DeleteNetworkAclEntry ec2.ReplaceNetworkAclAssociation ec2.AllocateAddress ec2.ReleaseAddress ec2.AssociateAddress ec2.DisassociateAddress ec2.DescribeAddresses ec2.CreateNatGateway ec2.DeleteNatGateway ec2.DescribeNatGateways ec2.DescribePrefixLists
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (region: string) => new E.EC2Client(clientConfig(ctx.g, { region }));

async function network(c: E.EC2Client) {
  const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))).Vpc!.VpcId!;
  const pub = (await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24' }))).Subnet!.SubnetId!;
  const priv = (await c.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.2.0/24' }))).Subnet!.SubnetId!;
  return { vpcId, pub, priv };
}

describe('internet gateways', () => {
  test('one per VPC, attachment "available", detach, delete rules', async () => {
    const c = ec2('us-east-2');
    const { vpcId } = await network(c);
    const other = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const igw = (await c.send(new E.CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: 'internet-gateway', Tags: [{ Key: 'Name', Value: 'gw' }] }] }))).InternetGateway!;
    expect(igw).toMatchObject({ Attachments: [], Tags: [{ Key: 'Name', Value: 'gw' }] });
    expect(igw.InternetGatewayId).toMatch(/^igw-[0-9a-f]{17}$/);
    const id = igw.InternetGatewayId!;
    await c.send(new E.AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    expect(await failure(c.send(new E.AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: other })))).toMatchObject({
      name: 'Resource.AlreadyAssociated',
      message: `resource ${id} is already attached to network ${vpcId}`,
    });
    const second = (await c.send(new E.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    expect((await failure(c.send(new E.AttachInternetGatewayCommand({ InternetGatewayId: second, VpcId: vpcId })))).name).toBe('Resource.AlreadyAssociated');
    const d = await c.send(new E.DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] }));
    expect(d.InternetGateways![0]!.Attachments).toEqual([{ State: 'available', VpcId: vpcId }]);
    expect(await failure(c.send(new E.DeleteInternetGatewayCommand({ InternetGatewayId: id })))).toMatchObject({
      name: 'DependencyViolation',
      message: `The internetGateway '${id}' has dependencies and cannot be deleted.`,
    });
    expect(await failure(c.send(new E.DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: other })))).toMatchObject({
      name: 'Gateway.NotAttached',
      message: `resource ${id} is not attached to network ${other}`,
    });
    await c.send(new E.DetachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
    await c.send(new E.DeleteInternetGatewayCommand({ InternetGatewayId: id }));
    expect(await failure(c.send(new E.DescribeInternetGatewaysCommand({ InternetGatewayIds: [id] })))).toMatchObject({
      name: 'InvalidInternetGatewayID.NotFound',
      message: `The internetGateway ID '${id}' does not exist`,
    });
  });
});

describe('route tables', () => {
  test('routes, associations, main replacement, local route protection, blackhole', async () => {
    const c = ec2('eu-central-1');
    const { vpcId, pub, priv } = await network(c);
    const igw = (await c.send(new E.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    const rt = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!;
    expect(rt).toMatchObject({ VpcId: vpcId, Associations: [], Routes: [{ DestinationCidrBlock: '10.0.0.0/16', GatewayId: 'local', Origin: 'CreateRouteTable', State: 'active' }] });
    const rtb = rt.RouteTableId!;
    // the gateway must be attached to this VPC
    expect(await failure(c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })))).toMatchObject({
      name: 'InvalidParameterValue',
      message: `route table ${rtb} and network gateway ${igw} belong to different networks`,
    });
    await c.send(new E.AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    expect((await c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }))).Return).toBe(true);
    expect(await failure(c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw })))).toMatchObject({
      name: 'RouteAlreadyExists',
      message: 'The route identified by 0.0.0.0/0 already exists.',
    });
    expect((await failure(c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.0.5.0/24', GatewayId: igw })))).message).toBe(
      "The destination CIDR block 10.0.5.0/24 is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance.",
    );
    expect((await failure(c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '1.2.3.0/24', InstanceId: 'i-0123456789abcdef0' })))).name).toBe('InvalidInstanceID.NotFound');
    expect((await failure(c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '1.2.3.0/24', NatGatewayId: 'nat-0123456789abcdef0' })))).name).toBe('NatGatewayNotFound');
    expect((await failure(c.send(new E.DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.0.0.0/16' })))).message).toBe(`cannot remove local route 10.0.0.0/16 in route table ${rtb}`);
    expect((await failure(c.send(new E.ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.0.0.0/16', GatewayId: igw })))).name).toBe('InvalidParameterValue');
    expect((await failure(c.send(new E.DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '8.8.8.0/24' })))).message).toBe(`no route with destination-cidr-block 8.8.8.0/24 in route table ${rtb}`);
    expect((await failure(c.send(new E.ReplaceRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '8.8.8.0/24', GatewayId: igw })))).message).toBe(
      "There is no route defined for '8.8.8.0/24' in the route table. Use CreateRoute instead.",
    );

    const assoc = await c.send(new E.AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: pub }));
    expect(assoc.AssociationState).toEqual({ State: 'associated' });
    expect((await failure(c.send(new E.AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: pub })))).name).toBe('Resource.AlreadyAssociated');
    const bySubnet = await c.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'association.subnet-id', Values: [pub] }] }));
    expect(bySubnet.RouteTables!.map((r) => r.RouteTableId)).toEqual([rtb]);
    const main = (await c.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'association.main', Values: ['true'] }] }))).RouteTables![0]!;
    const mainAssoc = main.Associations![0]!.RouteTableAssociationId!;
    expect((await failure(c.send(new E.DisassociateRouteTableCommand({ AssociationId: mainAssoc })))).name).toBe('InvalidParameterValue');
    expect(await failure(c.send(new E.DeleteRouteTableCommand({ RouteTableId: rtb })))).toMatchObject({ name: 'DependencyViolation', message: `The routeTable '${rtb}' has dependencies and cannot be deleted.` });
    const viaRoute = await c.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'route.gateway-id', Values: [igw] }] }));
    expect(viaRoute.RouteTables!.map((r) => r.RouteTableId)).toEqual([rtb]);

    // the main association moves to the custom table
    const swapped = await c.send(new E.ReplaceRouteTableAssociationCommand({ AssociationId: mainAssoc, RouteTableId: rtb }));
    const nowMain = (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!;
    expect(nowMain.Associations!.map((a) => [a.Main, a.SubnetId])).toEqual([[true, undefined], [false, pub]]);
    expect(nowMain.Associations![0]!.RouteTableAssociationId).toBe(swapped.NewAssociationId);
    await c.send(new E.ReplaceRouteTableAssociationCommand({ AssociationId: swapped.NewAssociationId, RouteTableId: main.RouteTableId }));
    const moved = await c.send(new E.ReplaceRouteTableAssociationCommand({ AssociationId: assoc.AssociationId, RouteTableId: main.RouteTableId }));
    await c.send(new E.DisassociateRouteTableCommand({ AssociationId: moved.NewAssociationId }));
    expect((await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [main.RouteTableId!] }))).RouteTables![0]!.Associations).toHaveLength(1);

    // a detached gateway leaves its route as a blackhole
    await c.send(new E.DetachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: vpcId }));
    const hole = (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!;
    expect(hole[1]).toEqual({ DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw, Origin: 'CreateRoute', State: 'blackhole' });
    const bh = await c.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'route.state', Values: ['blackhole'] }] }));
    expect(bh.RouteTables!.map((r) => r.RouteTableId)).toEqual([rtb]);
    await c.send(new E.DeleteRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0' }));
    await c.send(new E.DeleteRouteTableCommand({ RouteTableId: rtb }));
    void priv;
  });
});

describe('security groups', () => {
  test('create, rules, duplicates, revoke, describe rules, delete', async () => {
    const c = ec2('ap-northeast-1');
    const { vpcId } = await network(c);
    const created = await c.send(new E.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'web servers', VpcId: vpcId }));
    const sg = created.GroupId!;
    expect(sg).toMatch(/^sg-[0-9a-f]{17}$/);
    expect(created.SecurityGroupArn).toBe(`arn:aws:ec2:ap-northeast-1:000000000000:security-group/${sg}`);
    expect(await failure(c.send(new E.CreateSecurityGroupCommand({ GroupName: 'web', Description: 'again', VpcId: vpcId })))).toMatchObject({
      name: 'InvalidGroup.Duplicate',
      message: `The security group 'web' already exists for VPC '${vpcId}'`,
    });
    expect((await failure(c.send(new E.CreateSecurityGroupCommand({ GroupName: 'sg-x', Description: 'd', VpcId: vpcId })))).name).toBe('InvalidParameterValue');
    const ingress = await c.send(
      new E.AuthorizeSecurityGroupIngressCommand({
        GroupId: sg,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }] },
          { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }] },
        ],
      }),
    );
    expect(ingress.Return).toBe(true);
    expect(ingress.SecurityGroupRules).toHaveLength(3);
    expect(ingress.SecurityGroupRules![0]).toMatchObject({ GroupId: sg, IsEgress: false, IpProtocol: 'tcp', FromPort: 22, ToPort: 22, CidrIpv4: '203.0.113.0/24', Description: 'office' });
    expect(ingress.SecurityGroupRules![0]!.SecurityGroupRuleId).toMatch(/^sgr-[0-9a-f]{17}$/);
    const dup = await failure(c.send(new E.AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })));
    expect(dup).toMatchObject({ name: 'InvalidPermission.Duplicate', message: 'the specified rule "peer: 0.0.0.0/0, TCP, from port: 80, to port: 80, ALLOW" already exists' });
    // protocols: "6" is tcp, icmp type/code, group references, prefix lists
    expect((await failure(c.send(new E.AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: '6', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '203.0.113.0/24' }] }] })))).name).toBe('InvalidPermission.Duplicate');
    const other = (await c.send(new E.CreateSecurityGroupCommand({ GroupName: 'app', Description: 'app', VpcId: vpcId }))).GroupId!;
    const s3pl = (await c.send(new E.DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.ap-northeast-1.s3'] }] }))).PrefixLists![0]!.PrefixListId!;
    await c.send(
      new E.AuthorizeSecurityGroupIngressCommand({
        GroupId: other,
        IpPermissions: [
          { IpProtocol: 'tcp', FromPort: 8080, ToPort: 8080, UserIdGroupPairs: [{ GroupId: sg }] },
          { IpProtocol: 'icmp', FromPort: 8, ToPort: -1, IpRanges: [{ CidrIp: '10.0.0.0/16' }] },
          { IpProtocol: 'tcp', FromPort: 443, ToPort: 443, PrefixListIds: [{ PrefixListId: s3pl }] },
        ],
      }),
    );
    const g = (await c.send(new E.DescribeSecurityGroupsCommand({ GroupIds: [sg] }))).SecurityGroups![0]!;
    expect(g.IpPermissions).toEqual([
      { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '203.0.113.0/24', Description: 'office' }], Ipv6Ranges: [], PrefixListIds: [] },
      { IpProtocol: 'tcp', FromPort: 80, ToPort: 80, UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [{ CidrIpv6: '::/0' }], PrefixListIds: [] },
    ]);
    expect(g.IpPermissionsEgress).toEqual([{ IpProtocol: '-1', UserIdGroupPairs: [], IpRanges: [{ CidrIp: '0.0.0.0/0' }], Ipv6Ranges: [], PrefixListIds: [] }]);
    const byPort = await c.send(new E.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'ip-permission.from-port', Values: ['8080'] }] }));
    expect(byPort.SecurityGroups!.map((x) => x.GroupName)).toEqual(['app']);
    const rules = await c.send(new E.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [other] }] }));
    expect(rules.SecurityGroupRules!.map((r) => [r.IsEgress, r.IpProtocol, r.FromPort, r.ToPort, r.CidrIpv4 ?? r.ReferencedGroupInfo?.GroupId ?? r.PrefixListId])).toEqual([
      [true, '-1', -1, -1, '0.0.0.0/0'],
      [false, 'tcp', 8080, 8080, sg],
      [false, 'icmp', 8, -1, '10.0.0.0/16'],
      [false, 'tcp', 443, 443, s3pl],
    ]);
    // egress: revoke the default allow-all, add one
    await c.send(new E.RevokeSecurityGroupEgressCommand({ GroupId: other, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await c.send(new E.AuthorizeSecurityGroupEgressCommand({ GroupId: other, IpPermissions: [{ IpProtocol: 'udp', FromPort: 53, ToPort: 53, IpRanges: [{ CidrIp: '10.0.0.2/32' }] }] }));
    expect((await c.send(new E.DescribeSecurityGroupsCommand({ GroupIds: [other] }))).SecurityGroups![0]!.IpPermissionsEgress!.map((p) => p.IpProtocol)).toEqual(['udp']);
    expect(await failure(c.send(new E.RevokeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 25, ToPort: 25, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] })))).toMatchObject({
      name: 'InvalidPermission.NotFound',
    });
    const revoked = await c.send(new E.RevokeSecurityGroupIngressCommand({ GroupId: sg, SecurityGroupRuleIds: [ingress.SecurityGroupRules![0]!.SecurityGroupRuleId!] }));
    expect(revoked.Return).toBe(true);
    expect((await c.send(new E.DescribeSecurityGroupRulesCommand({ Filters: [{ Name: 'group-id', Values: [sg] }] }))).SecurityGroupRules).toHaveLength(3);
    // deletion rules
    expect(await failure(c.send(new E.DeleteSecurityGroupCommand({ GroupId: sg })))).toMatchObject({ name: 'DependencyViolation', message: `resource ${sg} has a dependent object` });
    const def = (await c.send(new E.DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'group-name', Values: ['default'] }] }))).SecurityGroups![0]!;
    expect(await failure(c.send(new E.DeleteSecurityGroupCommand({ GroupId: def.GroupId })))).toMatchObject({
      name: 'CannotDelete',
      message: `the specified group: "${def.GroupId}" name: "default" cannot be deleted by a user`,
    });
    expect((await c.send(new E.DeleteSecurityGroupCommand({ GroupId: other }))).Return).toBe(true);
    await c.send(new E.DeleteSecurityGroupCommand({ GroupId: sg }));
    expect(await failure(c.send(new E.DescribeSecurityGroupsCommand({ GroupIds: [sg] })))).toMatchObject({ name: 'InvalidGroup.NotFound', message: `The security group '${sg}' does not exist` });
  });
});

describe('network ACLs', () => {
  test('custom ACL denies everything; entries; association swap; delete rules', async () => {
    const c = ec2('eu-north-1');
    const { vpcId, pub } = await network(c);
    const acl = (await c.send(new E.CreateNetworkAclCommand({ VpcId: vpcId }))).NetworkAcl!;
    expect(acl).toMatchObject({ IsDefault: false, VpcId: vpcId, Associations: [] });
    expect(acl.Entries!.map((e) => [e.Egress, e.RuleNumber, e.RuleAction])).toEqual([
      [true, 32767, 'deny'],
      [false, 32767, 'deny'],
    ]);
    const id = acl.NetworkAclId!;
    await c.send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: 'tcp', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 80, To: 80 } }));
    await c.send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: '-1', RuleAction: 'allow', Egress: true, CidrBlock: '0.0.0.0/0' }));
    expect(await failure(c.send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: 'tcp', RuleAction: 'deny', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 22, To: 22 } })))).toMatchObject({
      name: 'NetworkAclEntryAlreadyExists',
      message: 'The network acl entry identified by 100 already exists.',
    });
    expect((await failure(c.send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 32767, Protocol: '-1', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0' })))).name).toBe('InvalidParameterValue');
    await c.send(new E.ReplaceNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Protocol: 'tcp', RuleAction: 'allow', Egress: false, CidrBlock: '0.0.0.0/0', PortRange: { From: 443, To: 443 } }));
    const after = (await c.send(new E.DescribeNetworkAclsCommand({ NetworkAclIds: [id] }))).NetworkAcls![0]!;
    expect(after.Entries!.find((e) => !e.Egress && e.RuleNumber === 100)).toEqual({ CidrBlock: '0.0.0.0/0', Egress: false, PortRange: { From: 443, To: 443 }, Protocol: '6', RuleAction: 'allow', RuleNumber: 100 });
    await c.send(new E.DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: true }));
    expect((await failure(c.send(new E.DeleteNetworkAclEntryCommand({ NetworkAclId: id, RuleNumber: 100, Egress: true })))).name).toBe('InvalidNetworkAclEntry.NotFound');

    const def = (await c.send(new E.DescribeNetworkAclsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default', Values: ['true'] }] }))).NetworkAcls![0]!;
    expect(def.Associations!.map((a) => a.SubnetId).sort()).toHaveLength(2);
    const assoc = def.Associations!.find((a) => a.SubnetId === pub)!;
    const swapped = await c.send(new E.ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId, NetworkAclId: id }));
    expect(swapped.NewAssociationId).toMatch(/^aclassoc-[0-9a-f]{17}$/);
    const bySubnet = await c.send(new E.DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [pub] }] }));
    expect(bySubnet.NetworkAcls!.map((a) => a.NetworkAclId)).toEqual([id]);
    expect(await failure(c.send(new E.DeleteNetworkAclCommand({ NetworkAclId: id })))).toMatchObject({ name: 'DependencyViolation', message: `The networkAcl '${id}' has dependencies and cannot be deleted.` });
    expect((await failure(c.send(new E.DeleteNetworkAclCommand({ NetworkAclId: def.NetworkAclId })))).name).toBe('InvalidParameterValue');
    await c.send(new E.ReplaceNetworkAclAssociationCommand({ AssociationId: swapped.NewAssociationId, NetworkAclId: def.NetworkAclId }));
    await c.send(new E.DeleteNetworkAclCommand({ NetworkAclId: id }));
  });
});

describe('Elastic IPs and NAT gateways', () => {
  test('five addresses per region; NAT pending → available → deleting → deleted on the clock', async () => {
    const c = ec2('ap-southeast-2');
    const { vpcId, pub } = await network(c);
    const a = await c.send(new E.AllocateAddressCommand({ Domain: 'vpc', TagSpecifications: [{ ResourceType: 'elastic-ip', Tags: [{ Key: 'Name', Value: 'nat-ip' }] }] }));
    expect(a).toMatchObject({ Domain: 'vpc', PublicIpv4Pool: 'amazon', NetworkBorderGroup: 'ap-southeast-2' });
    expect(a.AllocationId).toMatch(/^eipalloc-[0-9a-f]{17}$/);
    expect(a.PublicIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const more = [];
    for (let i = 0; i < 4; i++) more.push(await c.send(new E.AllocateAddressCommand({ Domain: 'vpc' })));
    expect(await failure(c.send(new E.AllocateAddressCommand({ Domain: 'vpc' })))).toMatchObject({ name: 'AddressLimitExceeded', message: 'The maximum number of addresses has been reached.' });
    await c.send(new E.ReleaseAddressCommand({ AllocationId: more[0]!.AllocationId }));
    expect((await c.send(new E.DescribeAddressesCommand({}))).Addresses).toHaveLength(4);
    expect((await c.send(new E.DescribeAddressesCommand({ Filters: [{ Name: 'tag:Name', Values: ['nat-ip'] }] }))).Addresses!.map((x) => x.PublicIp)).toEqual([a.PublicIp]);
    expect((await failure(c.send(new E.AssociateAddressCommand({ AllocationId: a.AllocationId, InstanceId: 'i-0123456789abcdef0' })))).name).toBe('InvalidInstanceID.NotFound');

    const nat = (await c.send(new E.CreateNatGatewayCommand({ SubnetId: pub, AllocationId: a.AllocationId }))).NatGateway!;
    expect(nat).toMatchObject({ State: 'pending', SubnetId: pub, VpcId: vpcId, ConnectivityType: 'public' });
    expect(nat.NatGatewayId).toMatch(/^nat-[0-9a-f]{17}$/);
    expect(nat.NatGatewayAddresses![0]).toMatchObject({ AllocationId: a.AllocationId, PublicIp: a.PublicIp, PrivateIp: '10.0.1.4', IsPrimary: true });
    const subnet = (await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [pub] }))).Subnets![0]!;
    expect(subnet.AvailableIpAddressCount).toBe(250);
    const eip = (await c.send(new E.DescribeAddressesCommand({ AllocationIds: [a.AllocationId!] }))).Addresses![0]!;
    expect(eip).toMatchObject({ PrivateIpAddress: '10.0.1.4', NetworkInterfaceId: nat.NatGatewayAddresses![0]!.NetworkInterfaceId });
    expect(eip.AssociationId).toMatch(/^eipassoc-/);
    expect(await failure(c.send(new E.ReleaseAddressCommand({ AllocationId: a.AllocationId })))).toMatchObject({ name: 'InvalidIPAddress.InUse' });
    expect((await failure(c.send(new E.CreateNatGatewayCommand({ SubnetId: pub, AllocationId: a.AllocationId })))).name).toBe('Resource.AlreadyAssociated');
    expect(await failure(c.send(new E.DeleteSubnetCommand({ SubnetId: pub })))).toMatchObject({ name: 'DependencyViolation', message: `The subnet '${pub}' has dependencies and cannot be deleted.` });

    ctx.g.clock.advance(59_000);
    expect((await c.send(new E.DescribeNatGatewaysCommand({ NatGatewayIds: [nat.NatGatewayId!] }))).NatGateways![0]!.State).toBe('pending');
    ctx.g.clock.advance(2_000);
    const available = (await c.send(new E.DescribeNatGatewaysCommand({ Filter: [{ Name: 'state', Values: ['available'] }] }))).NatGateways!;
    expect(available.map((n) => n.NatGatewayId)).toEqual([nat.NatGatewayId]);
    expect(available[0]!.NatGatewayAddresses![0]!.Status).toBe('succeeded');

    // a route to it; it turns into a blackhole once the gateway is gone
    const rtb = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat.NatGatewayId }));
    expect((await c.send(new E.DeleteNatGatewayCommand({ NatGatewayId: nat.NatGatewayId }))).NatGatewayId).toBe(nat.NatGatewayId);
    expect((await c.send(new E.DescribeNatGatewaysCommand({ NatGatewayIds: [nat.NatGatewayId!] }))).NatGateways![0]!.State).toBe('deleting');
    ctx.g.clock.advance(61_000);
    expect((await c.send(new E.DescribeNatGatewaysCommand({ NatGatewayIds: [nat.NatGatewayId!] }))).NatGateways![0]!.State).toBe('deleted');
    const route = (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes![1]!;
    expect(route).toEqual({ DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat.NatGatewayId, Origin: 'CreateRoute', State: 'blackhole' });
    expect((await c.send(new E.DescribeSubnetsCommand({ SubnetIds: [pub] }))).Subnets![0]!.AvailableIpAddressCount).toBe(251);
    await c.send(new E.ReleaseAddressCommand({ AllocationId: a.AllocationId }));
    ctx.g.clock.advance(3_600_000);
    expect((await c.send(new E.DescribeNatGatewaysCommand({}))).NatGateways).toEqual([]);
    expect(await failure(c.send(new E.DisassociateAddressCommand({ AssociationId: 'eipassoc-0123456789abcdef0' })))).toMatchObject({ name: 'InvalidAssociationID.NotFound' });
  });
});
