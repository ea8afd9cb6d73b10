// covers: ec2.CreateVpc ec2.CreateSubnet ec2.CreateInternetGateway ec2.AttachInternetGateway ec2.CreateRouteTable ec2.CreateRoute ec2.AssociateRouteTable ec2.CreateSecurityGroup ec2.AuthorizeSecurityGroupIngress ec2.DescribeSubnets ec2.DescribeRouteTables ec2.DescribeSecurityGroups ec2.ModifySubnetAttribute ec2.DescribeVpcs
import { describe, test, expect } from 'vitest';
import { useGureum, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });

async function cli(args: string[]): Promise<unknown> {
  const r = await awsCli(ctx.g, ['ec2', ...args, '--region', 'us-east-1']);
  expect(r.status, r.stderr).toBe(0);
  return r.json;
}

describe.skipIf(!HAS_AWS_CLI)('AWS CLI: the first lab', () => {
  test('VPC, public and private subnets, IGW, route table, security group', async () => {
    const vpc = (await cli(['create-vpc', '--cidr-block', '10.0.0.0/16', '--tag-specifications', 'ResourceType=vpc,Tags=[{Key=Name,Value=lab-vpc}]', '--query', 'Vpc.VpcId'])) as string;
    expect(vpc).toMatch(/^vpc-[0-9a-f]{17}$/);
    const pub = (await cli(['create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.1.0/24', '--availability-zone', 'us-east-1a', '--query', 'Subnet.[SubnetId,AvailableIpAddressCount]'])) as [string, number];
    const priv = (await cli(['create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.2.0/24', '--availability-zone', 'us-east-1b', '--query', 'Subnet.[SubnetId,AvailableIpAddressCount]'])) as [string, number];
    expect(pub[1]).toBe(251);
    expect(priv[1]).toBe(251);
    const igw = (await cli(['create-internet-gateway', '--query', 'InternetGateway.InternetGatewayId'])) as string;
    const attach = await awsCli(ctx.g, ['ec2', 'attach-internet-gateway', '--vpc-id', vpc, '--internet-gateway-id', igw]);
    expect(attach.status, attach.stderr).toBe(0);
    expect(attach.stdout.trim()).toBe('');
    const rtb = (await cli(['create-route-table', '--vpc-id', vpc, '--query', 'RouteTable.RouteTableId'])) as string;
    expect(await cli(['create-route', '--route-table-id', rtb, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igw])).toEqual({ Return: true });
    const assoc = (await cli(['associate-route-table', '--route-table-id', rtb, '--subnet-id', pub[0]])) as { AssociationId: string; AssociationState: unknown };
    expect(assoc.AssociationState).toEqual({ State: 'associated' });
    await cli(['modify-subnet-attribute', '--subnet-id', pub[0], '--map-public-ip-on-launch']);
    const sg = (await cli(['create-security-group', '--group-name', 'web-sg', '--description', 'Allow SSH and HTTP', '--vpc-id', vpc, '--query', 'GroupId'])) as string;
    const ssh = (await cli(['authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0'])) as { Return: boolean; SecurityGroupRules: unknown[] };
    expect(ssh.Return).toBe(true);
    expect(ssh.SecurityGroupRules).toHaveLength(1);
    await cli(['authorize-security-group-ingress', '--group-id', sg, '--ip-permissions', 'IpProtocol=tcp,FromPort=80,ToPort=80,IpRanges=[{CidrIp=0.0.0.0/0}]']);
    const dup = await awsCli(ctx.g, ['ec2', 'authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '22', '--cidr', '0.0.0.0/0']);
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toContain('(InvalidPermission.Duplicate)');

    // what the lab checks afterwards
    const subnets = await cli(['describe-subnets', '--filters', `Name=vpc-id,Values=${vpc}`, '--query', 'Subnets[].[CidrBlock,AvailableIpAddressCount,MapPublicIpOnLaunch]']);
    expect(subnets).toEqual([
      ['10.0.1.0/24', 251, true],
      ['10.0.2.0/24', 251, false],
    ]);
    const routes = await cli(['describe-route-tables', '--route-table-ids', rtb, '--query', 'RouteTables[0].Routes[].[DestinationCidrBlock,GatewayId,State]']);
    expect(routes).toEqual([
      ['10.0.0.0/16', 'local', 'active'],
      ['0.0.0.0/0', igw, 'active'],
    ]);
    const publicOnly = await cli(['describe-route-tables', '--filters', `Name=association.subnet-id,Values=${priv[0]}`, '--query', 'RouteTables[].RouteTableId']);
    expect(publicOnly).toEqual([]); // the private subnet keeps the main table (implicit association)
    const ports = await cli(['describe-security-groups', '--group-ids', sg, '--query', 'SecurityGroups[0].IpPermissions[].[IpProtocol,FromPort,ToPort,IpRanges[0].CidrIp]']);
    expect(ports).toEqual([
      ['tcp', 22, 22, '0.0.0.0/0'],
      ['tcp', 80, 80, '0.0.0.0/0'],
    ]);
    expect(await cli(['describe-vpcs', '--filters', 'Name=tag:Name,Values=lab-vpc', '--query', 'Vpcs[].CidrBlock'])).toEqual(['10.0.0.0/16']);

    const bad = await awsCli(ctx.g, ['ec2', 'create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.1.0/25']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain("An error occurred (InvalidSubnet.Conflict) when calling the CreateSubnet operation: The CIDR '10.0.1.0/25' conflicts with another subnet");
  }, 180_000);
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3 ec2 resource layer', () => {
  test('Vpc.create_subnet, attach_internet_gateway, create_route_table, create_route, associate_with_subnet, authorize_ingress', async () => {
    const r = await boto3(
      ctx.g,
      `
ec2 = boto3.resource('ec2', endpoint_url=ENDPOINT, region_name='eu-west-3')
client = ec2.meta.client
vpc = ec2.create_vpc(CidrBlock='10.10.0.0/16')
vpc.wait_until_available()
vpc.create_tags(Tags=[{'Key': 'Name', 'Value': 'boto'}])
vpc.reload()
subnet = vpc.create_subnet(CidrBlock='10.10.1.0/24')
small = vpc.create_subnet(CidrBlock='10.10.2.0/28', AvailabilityZone='eu-west-3c')
igw = ec2.create_internet_gateway()
vpc.attach_internet_gateway(InternetGatewayId=igw.id)
rt = vpc.create_route_table()
route = rt.create_route(DestinationCidrBlock='0.0.0.0/0', GatewayId=igw.id)
rt.associate_with_subnet(SubnetId=subnet.id)
rt.reload()
sg = vpc.create_security_group(GroupName='web', Description='web')
sg.authorize_ingress(IpPermissions=[{'IpProtocol': 'tcp', 'FromPort': 443, 'ToPort': 443, 'IpRanges': [{'CidrIp': '0.0.0.0/0'}]}])
sg.reload()
default_vpc = list(ec2.vpcs.filter(Filters=[{'Name': 'is-default', 'Values': ['true']}]))
err = None
try:
    vpc.delete()
except Exception as e:
    err = e.response['Error']['Code']
print(json.dumps({
  'tags': vpc.tags,
  'subnet': [subnet.cidr_block, subnet.available_ip_address_count, subnet.vpc_id == vpc.id],
  'small': [small.available_ip_address_count, small.availability_zone],
  'igw': [a['State'] for a in ec2.InternetGateway(igw.id).attachments],
  'routes': [[x.destination_cidr_block, x.gateway_id] for x in rt.routes],
  'assoc': [a.subnet_id for a in rt.associations],
  'sg': [[p['IpProtocol'], p['FromPort']] for p in sg.ip_permissions],
  'subnets': sorted(s.cidr_block for s in vpc.subnets.all()),
  'default': [v.cidr_block for v in default_vpc],
  'err': err,
}))
`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({
      tags: [{ Key: 'Name', Value: 'boto' }],
      subnet: ['10.10.1.0/24', 251, true],
      small: [11, 'eu-west-3c'],
      igw: ['available'],
      routes: [
        ['10.10.0.0/16', 'local'],
        ['0.0.0.0/0', expect.stringMatching(/^igw-/)],
      ],
      assoc: [expect.stringMatching(/^subnet-/)],
      sg: [['tcp', 443]],
      subnets: ['10.10.1.0/24', '10.10.2.0/28'],
      default: ['172.31.0.0/16'],
      err: 'DependencyViolation',
    });
  }, 60_000);
});
