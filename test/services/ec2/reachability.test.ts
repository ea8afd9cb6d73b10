// covers: ec2.CreateNetworkInsightsPath ec2.StartNetworkInsightsAnalysis ec2.DescribeNetworkInsightsAnalyses ec2.CreateNetworkAclEntry ec2.ReplaceNetworkAclAssociation ec2.RevokeSecurityGroupEgress ec2.CreateNatGateway ec2.CreateVpcPeeringConnection ec2.AcceptVpcPeeringConnection ec2.CreateTransitGatewayVpcAttachment ec2.CreateVpcEndpoint
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
// one region per test: the default VPC limit is five per region
let region = 'us-west-2';
const c = () => new E.EC2Client(clientConfig(ctx.g, { region }));

async function vpc(cidr: string) {
  return (await c().send(new E.CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
}
async function subnet(vpcId: string, cidr: string) {
  return (await c().send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: cidr, AvailabilityZone: `${region}a` }))).Subnet!.SubnetId!;
}
async function group(vpcId: string, name: string, ingress: E.IpPermission[] = []) {
  const id = (await c().send(new E.CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: name, Description: name }))).GroupId!;
  if (ingress.length) await c().send(new E.AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: ingress }));
  return id;
}
async function instance(subnetId: string, sg: string, publicIp = false) {
  const r = await c().send(new E.RunInstancesCommand({
    ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1,
    NetworkInterfaces: [{ DeviceIndex: 0, SubnetId: subnetId, Groups: [sg], AssociatePublicIpAddress: publicIp }],
  }));
  return { id: r.Instances![0]!.InstanceId!, ip: r.Instances![0]!.PrivateIpAddress!, eni: r.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId! };
}
async function analyze(input: Omit<E.CreateNetworkInsightsPathRequest, 'Protocol'> & Partial<Pick<E.CreateNetworkInsightsPathRequest, 'Protocol'>>) {
  const path = (await c().send(new E.CreateNetworkInsightsPathCommand({ Protocol: 'tcp', ...input }))).NetworkInsightsPath!;
  const started = (await c().send(new E.StartNetworkInsightsAnalysisCommand({ NetworkInsightsPathId: path.NetworkInsightsPathId! }))).NetworkInsightsAnalysis!;
  const a = (await c().send(new E.DescribeNetworkInsightsAnalysesCommand({ NetworkInsightsAnalysisIds: [started.NetworkInsightsAnalysisId!] }))).NetworkInsightsAnalyses![0]!;
  return { found: a.NetworkPathFound, codes: (a.Explanations ?? []).map((e) => e.ExplanationCode), explanations: a.Explanations ?? [], a };
}
const tcp = (port: number, cidr = '0.0.0.0/0'): E.IpPermission => ({ IpProtocol: 'tcp', FromPort: port, ToPort: port, IpRanges: [{ CidrIp: cidr }] });

describe('Reachability Analyzer over the network model', () => {
  test('security groups are stateful; NACLs are stateless and need ephemeral ports for the reply', async () => {
    const v = await vpc('10.20.0.0/16');
    const sa = await subnet(v, '10.20.1.0/24');
    const sb = await subnet(v, '10.20.2.0/24');
    const client = await instance(sa, await group(v, 'client'));
    const server = await instance(sb, await group(v, 'server'));
    const path = { Source: client.id, Destination: server.id, DestinationPort: 443 };

    let r = await analyze(path);
    expect(r.found).toBe(false);
    expect(r.codes).toEqual(['ENI_SG_RULES_MISMATCH']);
    expect(r.explanations[0]).toMatchObject({ Direction: 'ingress', NetworkInterface: { Id: server.eni } });

    const serverSg = r.explanations[0]!.SecurityGroups![0]!.Id!;
    await c().send(new E.AuthorizeSecurityGroupIngressCommand({ GroupId: serverSg, IpPermissions: [tcp(443, '10.20.1.0/24')] }));
    r = await analyze(path);
    expect(r.found).toBe(true);
    const fwd = r.a.ForwardPathComponents!;
    expect(fwd[0]!.Component!.Id).toBe(client.id);
    expect(fwd.find((p) => p.SecurityGroupRule?.Direction === 'ingress')!.SecurityGroupRule).toMatchObject({ Cidr: '10.20.1.0/24', PortRange: { From: 443, To: 443 }, Protocol: 'tcp' });
    expect(fwd.find((p) => p.RouteTableRoute)!.RouteTableRoute).toMatchObject({ DestinationCidr: '10.20.0.0/16', GatewayId: 'local', State: 'active' });
    expect(fwd[fwd.length - 1]!.InboundHeader).toMatchObject({ Protocol: '6', DestinationPortRanges: [{ From: 443, To: 443 }], DestinationAddresses: [`${server.ip}/32`] });

    // a custom NACL on the server's subnet: inbound 443 only, nothing outbound
    const acl = (await c().send(new E.CreateNetworkAclCommand({ VpcId: v }))).NetworkAcl!.NetworkAclId!;
    await c().send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.20.0.0/16', PortRange: { From: 443, To: 443 } }));
    const assoc = (await c().send(new E.DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [sb] }] }))).NetworkAcls![0]!
      .Associations!.find((x) => x.SubnetId === sb)!.NetworkAclAssociationId!;
    await c().send(new E.ReplaceNetworkAclAssociationCommand({ AssociationId: assoc, NetworkAclId: acl }));
    r = await analyze(path);
    expect(r.found).toBe(false);
    // the request gets in; the reply to the client's ephemeral port is refused by the catch-all deny
    expect(r.codes).toEqual(['SUBNET_ACL_RESTRICTION']);
    expect(r.explanations[0]).toMatchObject({ Direction: 'egress', Acl: { Id: acl }, Subnet: { Id: sb }, AclRule: { RuleNumber: 32767, RuleAction: 'deny', Egress: true } });

    await c().send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 100, Protocol: '6', RuleAction: 'allow', Egress: true, CidrBlock: '10.20.0.0/16', PortRange: { From: 1024, To: 65535 } }));
    r = await analyze(path);
    expect(r.found).toBe(true);
    expect(r.a.ReturnPathComponents!.find((p) => p.AclRule?.Egress)!.AclRule).toMatchObject({ RuleNumber: 100, PortRange: { From: 1024, To: 65535 } });

    // rules are evaluated in number order: a lower-numbered deny wins
    await c().send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 50, Protocol: '-1', RuleAction: 'deny', Egress: false, CidrBlock: '10.20.1.0/24' }));
    r = await analyze(path);
    expect(r.explanations).toMatchObject([{ ExplanationCode: 'SUBNET_ACL_RESTRICTION', Direction: 'ingress', AclRule: { RuleNumber: 50, RuleAction: 'deny' } }]);

    // egress security group rules matter where the flow starts
    const clientSg = (await c().send(new E.DescribeInstancesCommand({ InstanceIds: [client.id] }))).Reservations![0]!.Instances![0]!.SecurityGroups![0]!.GroupId!;
    await c().send(new E.RevokeSecurityGroupEgressCommand({ GroupId: clientSg, IpPermissions: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    r = await analyze(path);
    expect(r.codes).toEqual(['ENI_SG_RULES_MISMATCH', 'SUBNET_ACL_RESTRICTION']);
    expect(r.explanations[0]).toMatchObject({ Direction: 'egress', Component: { Id: client.id } });
  });

  test('internet gateway needs a public address; NAT gateway gives private subnets a way out', async () => {
    region = 'us-east-2';
    const v = await vpc('10.30.0.0/16');
    const pub = await subnet(v, '10.30.1.0/24');
    const priv = await subnet(v, '10.30.2.0/24');
    const igw = (await c().send(new E.CreateInternetGatewayCommand({}))).InternetGateway!.InternetGatewayId!;
    await c().send(new E.AttachInternetGatewayCommand({ InternetGatewayId: igw, VpcId: v }));
    const pubRtb = (await c().send(new E.CreateRouteTableCommand({ VpcId: v }))).RouteTable!.RouteTableId!;
    await c().send(new E.CreateRouteCommand({ RouteTableId: pubRtb, DestinationCidrBlock: '0.0.0.0/0', GatewayId: igw }));
    await c().send(new E.AssociateRouteTableCommand({ RouteTableId: pubRtb, SubnetId: pub }));
    const sg = await group(v, 'app');
    const noIp = await instance(pub, sg, false);
    const r1 = await analyze({ Source: noIp.id, Destination: igw, DestinationPort: 443 });
    expect(r1.codes).toEqual(['IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS']);
    const withIp = await instance(pub, sg, true);
    expect((await analyze({ Source: withIp.id, Destination: igw, DestinationPort: 443 })).found).toBe(true);
    // a private destination address never leaves through an internet gateway
    expect((await analyze({ Source: withIp.id, DestinationIp: '192.168.1.1', DestinationPort: 443 })).codes).toEqual(['IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS']);

    const worker = await instance(priv, sg);
    expect((await analyze({ Source: worker.id, Destination: igw, DestinationPort: 443 })).codes).toEqual(['NO_ROUTE_TO_DESTINATION']);
    const eip = (await c().send(new E.AllocateAddressCommand({}))).AllocationId!;
    const nat = (await c().send(new E.CreateNatGatewayCommand({ SubnetId: pub, AllocationId: eip }))).NatGateway!.NatGatewayId!;
    const privRtb = (await c().send(new E.CreateRouteTableCommand({ VpcId: v }))).RouteTable!.RouteTableId!;
    await c().send(new E.CreateRouteCommand({ RouteTableId: privRtb, DestinationCidrBlock: '0.0.0.0/0', NatGatewayId: nat }));
    await c().send(new E.AssociateRouteTableCommand({ RouteTableId: privRtb, SubnetId: priv }));
    // pending NAT gateway
    expect((await analyze({ Source: worker.id, Destination: igw, DestinationPort: 443 })).codes).toEqual(['BAD_STATE']);
    ctx.g.clock.advance(60_000);
    const ok = await analyze({ Source: worker.id, DestinationIp: '93.184.216.34', DestinationPort: 443 });
    expect(ok.found).toBe(true);
    const natStep = ok.a.ForwardPathComponents!.find((p) => p.Component!.Id === nat)!;
    expect(natStep.OutboundHeader!.SourcePortRanges).toEqual([{ From: 1024, To: 65535 }]);
    expect(ok.a.ForwardPathComponents!.map((p) => p.Component!.Id)).toContain(igw);
    await c().send(new E.DeleteNatGatewayCommand({ NatGatewayId: nat }));
    expect((await analyze({ Source: worker.id, Destination: igw, DestinationPort: 443 })).codes).toEqual(['BAD_STATE_ROUTE']);
  });

  test('peering is not transitive and needs routes both ways; longest prefix wins', async () => {
    region = 'eu-west-1';
    const a = await vpc('10.41.0.0/16');
    const b = await vpc('10.42.0.0/16');
    const cc = await vpc('10.43.0.0/16');
    const [sa, sb, sc] = [await subnet(a, '10.41.1.0/24'), await subnet(b, '10.42.1.0/24'), await subnet(cc, '10.43.1.0/24')];
    const ia = await instance(sa, await group(a, 'a'));
    const ib = await instance(sb, await group(b, 'b', [tcp(5432, '10.41.0.0/16')]));
    const ic = await instance(sc, await group(cc, 'c', [tcp(5432, '10.41.0.0/16')]));
    const peer = async (x: string, y: string) => {
      const id = (await c().send(new E.CreateVpcPeeringConnectionCommand({ VpcId: x, PeerVpcId: y }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
      await c().send(new E.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
      return id;
    };
    const ab = await peer(a, b);
    const bc = await peer(b, cc);
    const main = async (v: string) => (await c().send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [v] }] }))).RouteTables![0]!.RouteTableId!;
    const [ra, rb, rc] = [await main(a), await main(b), await main(cc)];
    await c().send(new E.CreateRouteCommand({ RouteTableId: ra, DestinationCidrBlock: '10.42.0.0/16', VpcPeeringConnectionId: ab }));

    // no route back from B yet
    let r = await analyze({ Source: ia.id, Destination: ib.id, DestinationPort: 5432 });
    expect(r.codes).toEqual(['NO_ROUTE_TO_DESTINATION']);
    expect(r.explanations[0]!.RouteTable!.Id).toBe(rb);
    await c().send(new E.CreateRouteCommand({ RouteTableId: rb, DestinationCidrBlock: '10.41.0.0/16', VpcPeeringConnectionId: ab }));
    r = await analyze({ Source: ia.id, Destination: ib.id, DestinationPort: 5432 });
    expect(r.found).toBe(true);
    expect(r.a.ForwardPathComponents!.find((p) => p.Component!.Id === ab)).toMatchObject({ SourceVpc: { Id: a }, DestinationVpc: { Id: b } });

    // A → C through B: a route over the A–B connection cannot reach C's addresses
    await c().send(new E.CreateRouteCommand({ RouteTableId: ra, DestinationCidrBlock: '10.43.0.0/16', VpcPeeringConnectionId: ab }));
    await c().send(new E.CreateRouteCommand({ RouteTableId: rb, DestinationCidrBlock: '10.43.0.0/16', VpcPeeringConnectionId: bc }));
    await c().send(new E.CreateRouteCommand({ RouteTableId: rc, DestinationCidrBlock: '10.41.0.0/16', VpcPeeringConnectionId: bc }));
    r = await analyze({ Source: ia.id, Destination: ic.id, DestinationPort: 5432 });
    expect(r.codes).toEqual(['PCX_REQUIRES_ADDRESS_IN_VPC_CIDR']);
    expect(r.explanations[0]!.Cidrs).toEqual(['10.42.0.0/16']);

    // longest prefix: a /24 to a blackhole NAT-less target beats the /16 over the peering
    const eni = (await c().send(new E.DescribeInstancesCommand({ InstanceIds: [ia.id] }))).Reservations![0]!.Instances![0]!.NetworkInterfaces![0]!.NetworkInterfaceId!;
    await c().send(new E.CreateRouteCommand({ RouteTableId: ra, DestinationCidrBlock: '10.42.1.0/24', NetworkInterfaceId: eni }));
    r = await analyze({ Source: ia.id, Destination: ib.id, DestinationPort: 5432 });
    expect(r.found).toBe(false);
    expect(r.a.Explanations![0]!.ExplanationCode).toBe('NO_POSSIBLE_DESTINATION');
    await c().send(new E.DeleteRouteCommand({ RouteTableId: ra, DestinationCidrBlock: '10.42.1.0/24' }));
    expect((await analyze({ Source: ia.id, Destination: ib.id, DestinationPort: 5432 })).found).toBe(true);
  });

  test('transit gateway: association, routes both ways, blackhole', async () => {
    region = 'eu-central-1';
    const x = await vpc('10.51.0.0/16');
    const y = await vpc('10.52.0.0/16');
    const sx = await subnet(x, '10.51.1.0/24');
    const sy = await subnet(y, '10.52.1.0/24');
    const ix = await instance(sx, await group(x, 'x'));
    const iy = await instance(sy, await group(y, 'y', [tcp(80, '10.51.0.0/16')]));
    const tgw = (await c().send(new E.CreateTransitGatewayCommand({}))).TransitGateway!;
    ctx.g.clock.advance(60_000);
    const ax = (await c().send(new E.CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId!, VpcId: x, SubnetIds: [sx] }))).TransitGatewayVpcAttachment!.TransitGatewayAttachmentId!;
    await c().send(new E.CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgw.TransitGatewayId!, VpcId: y, SubnetIds: [sy] }));
    ctx.g.clock.advance(60_000);
    const main = async (v: string) => (await c().send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [v] }] }))).RouteTables![0]!.RouteTableId!;
    await c().send(new E.CreateRouteCommand({ RouteTableId: await main(x), DestinationCidrBlock: '10.52.0.0/16', TransitGatewayId: tgw.TransitGatewayId! }));
    const path = { Source: ix.id, Destination: iy.id, DestinationPort: 80 };
    let r = await analyze(path);
    expect(r.codes).toEqual(['NO_ROUTE_TO_DESTINATION']);
    await c().send(new E.CreateRouteCommand({ RouteTableId: await main(y), DestinationCidrBlock: '10.51.0.0/16', TransitGatewayId: tgw.TransitGatewayId! }));
    r = await analyze(path);
    expect(r.found).toBe(true);
    expect(r.a.ForwardPathComponents!.find((p) => p.TransitGatewayRouteTableRoute)!.TransitGatewayRouteTableRoute).toMatchObject({ DestinationCidr: '10.52.0.0/16', RouteOrigin: 'propagated', State: 'active' });

    const rtb = tgw.Options!.AssociationDefaultRouteTableId!;
    await c().send(new E.CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rtb, DestinationCidrBlock: '10.52.1.0/24', Blackhole: true }));
    expect((await analyze(path)).codes).toEqual(['TGW_RTB_BAD_STATE_ROUTE']);
    await c().send(new E.DeleteTransitGatewayRouteCommand({ TransitGatewayRouteTableId: rtb, DestinationCidrBlock: '10.52.1.0/24' }));
    await c().send(new E.DisassociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: rtb, TransitGatewayAttachmentId: ax }));
    expect((await analyze(path)).codes).toEqual(['TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION']);
  });

  test('gateway endpoint carries TCP to the service prefix list only', async () => {
    region = 'ap-south-1';
    const v = await vpc('10.60.0.0/16');
    const s = await subnet(v, '10.60.1.0/24');
    const i = await instance(s, await group(v, 'e'));
    const rtb = (await c().send(new E.CreateRouteTableCommand({ VpcId: v }))).RouteTable!.RouteTableId!;
    await c().send(new E.AssociateRouteTableCommand({ RouteTableId: rtb, SubnetId: s }));
    const s3 = (await c().send(new E.DescribePrefixListsCommand({ Filters: [{ Name: 'prefix-list-name', Values: [`com.amazonaws.${region}.s3`] }] }))).PrefixLists![0]!;
    const ip = s3.Cidrs![0]!.replace(/\.0\/\d+$/, '.10');
    expect((await analyze({ Source: i.id, DestinationIp: ip, DestinationPort: 443 })).codes).toEqual(['NO_ROUTE_TO_DESTINATION']);
    const ep = (await c().send(new E.CreateVpcEndpointCommand({ VpcId: v, ServiceName: `com.amazonaws.${region}.s3`, RouteTableIds: [rtb] }))).VpcEndpoint!.VpcEndpointId!;
    const r = await analyze({ Source: i.id, DestinationIp: ip, DestinationPort: 443 });
    expect(r.found).toBe(true);
    expect(r.a.ForwardPathComponents!.find((p) => p.RouteTableRoute)!.RouteTableRoute).toMatchObject({ DestinationPrefixListId: s3.PrefixListId, GatewayId: ep });
    expect((await analyze({ Source: i.id, DestinationIp: ip, DestinationPort: 53, Protocol: 'udp' })).codes).toEqual(['VPCE_GATEWAY_PROTOCOL_RESTRICTION']);
  });
});
