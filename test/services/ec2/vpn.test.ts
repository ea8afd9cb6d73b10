// covers: ec2.CreateCustomerGateway ec2.DeleteCustomerGateway ec2.DescribeCustomerGateways ec2.CreateVpnGateway ec2.AttachVpnGateway ec2.DetachVpnGateway ec2.DeleteVpnGateway ec2.DescribeVpnGateways ec2.CreateVpnConnection ec2.DeleteVpnConnection ec2.DescribeVpnConnections ec2.CreateVpnConnectionRoute ec2.DeleteVpnConnectionRoute ec2.EnableVgwRoutePropagation ec2.DisableVgwRoutePropagation ec2.DescribeRouteTables
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });

describe('Site-to-Site VPN', () => {
  test('customer gateway, virtual private gateway, VPN connection states, static routes propagated to a route table', async () => {
    const c = new E.EC2Client(clientConfig(ctx.g, { region: 'eu-central-1' }));
    const cgw = (await c.send(new E.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.7', BgpAsn: 65010 }))).CustomerGateway!;
    expect(cgw).toMatchObject({ BgpAsn: '65010', IpAddress: '198.51.100.7', State: 'available', Type: 'ipsec.1' });
    expect(cgw.CustomerGatewayId).toMatch(/^cgw-[0-9a-f]{17}$/);
    // the same address and ASN answer the same gateway
    expect((await c.send(new E.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '198.51.100.7', BgpAsn: 65010 }))).CustomerGateway!.CustomerGatewayId).toBe(cgw.CustomerGatewayId);
    // only ipsec.1 exists: the wrong type is sent on purpose
    expect((await failure(c.send(new E.CreateCustomerGatewayCommand({ Type: 'ipsec.2' as never, IpAddress: '198.51.100.8' })))).name).toBe('InvalidParameterValue');

    const vgw = (await c.send(new E.CreateVpnGatewayCommand({ Type: 'ipsec.1', AmazonSideAsn: 64600 }))).VpnGateway!;
    expect(vgw).toMatchObject({ State: 'available', AmazonSideAsn: 64600, VpcAttachments: [] });
    const vgwId = vgw.VpnGatewayId!;
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.8.0.0/16' }))).Vpc!.VpcId!;
    expect((await c.send(new E.AttachVpnGatewayCommand({ VpnGatewayId: vgwId, VpcId: vpcId }))).VpcAttachment).toEqual({ VpcId: vpcId, State: 'attaching' });
    const rtb = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    expect((await failure(c.send(new E.EnableVgwRoutePropagationCommand({ RouteTableId: rtb, GatewayId: vgwId })))).name).toBe('Gateway.NotAttached');
    ctx.g.clock.advance(10_000);
    expect((await c.send(new E.DescribeVpnGatewaysCommand({ VpnGatewayIds: [vgwId] }))).VpnGateways![0]!.VpcAttachments).toEqual([{ VpcId: vpcId, State: 'attached' }]);
    await c.send(new E.EnableVgwRoutePropagationCommand({ RouteTableId: rtb, GatewayId: vgwId }));

    const vpn = (await c.send(new E.CreateVpnConnectionCommand({
      Type: 'ipsec.1', CustomerGatewayId: cgw.CustomerGatewayId!, VpnGatewayId: vgwId, Options: { StaticRoutesOnly: true, TunnelOptions: [{ TunnelInsideCidr: '169.254.10.0/30', PreSharedKey: 'secret_key_1' }] },
    }))).VpnConnection!;
    const vpnId = vpn.VpnConnectionId!;
    expect(vpn).toMatchObject({ State: 'pending', Category: 'VPN', VpnGatewayId: vgwId, Options: { StaticRoutesOnly: true } });
    expect(vpn.Options!.TunnelOptions![0]).toMatchObject({ TunnelInsideCidr: '169.254.10.0/30', PreSharedKey: 'secret_key_1' });
    expect(vpn.VgwTelemetry!.map((t) => t.Status)).toEqual(['DOWN', 'DOWN']);
    expect(vpn.CustomerGatewayConfiguration).toContain(`<vpn_connection id="${vpnId}">`);
    expect(vpn.CustomerGatewayConfiguration).toContain('<pre_shared_key>secret_key_1</pre_shared_key>');
    expect((await failure(c.send(new E.CreateVpnConnectionCommand({ Type: 'ipsec.1', CustomerGatewayId: cgw.CustomerGatewayId!, VpnGatewayId: vgwId, Options: { TunnelOptions: [{ TunnelInsideCidr: '169.254.169.252/30' }] } })))).name)
      .toBe('InvalidParameterValue');

    await c.send(new E.CreateVpnConnectionRouteCommand({ VpnConnectionId: vpnId, DestinationCidrBlock: '192.168.0.0/16' }));
    const routes = async () => (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!;
    // nothing propagates while the connection is pending
    expect((await routes()).Routes!.some((r) => r.GatewayId === vgwId)).toBe(false);
    expect((await routes()).PropagatingVgws).toEqual([{ GatewayId: vgwId }]);
    ctx.g.clock.advance(60_000);
    const described = (await c.send(new E.DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnId] }))).VpnConnections![0]!;
    expect(described.State).toBe('available');
    expect(described.Routes).toEqual([{ DestinationCidrBlock: '192.168.0.0/16', Source: 'Static', State: 'available' }]);
    expect((await routes()).Routes!.find((r) => r.GatewayId === vgwId)).toEqual({ DestinationCidrBlock: '192.168.0.0/16', GatewayId: vgwId, Origin: 'EnableVgwRoutePropagation', State: 'active' });
    // a static route to the gateway in another table
    const rtb2 = (await c.send(new E.CreateRouteTableCommand({ VpcId: vpcId }))).RouteTable!.RouteTableId!;
    await c.send(new E.CreateRouteCommand({ RouteTableId: rtb2, DestinationCidrBlock: '172.16.0.0/12', GatewayId: vgwId }));

    await c.send(new E.DisableVgwRoutePropagationCommand({ RouteTableId: rtb, GatewayId: vgwId }));
    expect((await routes()).Routes!.some((r) => r.GatewayId === vgwId)).toBe(false);
    await c.send(new E.DeleteVpnConnectionRouteCommand({ VpnConnectionId: vpnId, DestinationCidrBlock: '192.168.0.0/16' }));
    expect((await failure(c.send(new E.DeleteVpnConnectionRouteCommand({ VpnConnectionId: vpnId, DestinationCidrBlock: '192.168.0.0/16' })))).name).toBe('InvalidRoute.NotFound');

    // dependencies: the gateway and customer gateway are in use
    expect((await failure(c.send(new E.DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw.CustomerGatewayId! })))).name).toBe('IncorrectState');
    await c.send(new E.DeleteVpnConnectionCommand({ VpnConnectionId: vpnId }));
    expect((await c.send(new E.DescribeVpnConnectionsCommand({ VpnConnectionIds: [vpnId] }))).VpnConnections![0]!.State).toBe('deleting');
    ctx.g.clock.advance(60_000);
    expect((await c.send(new E.DescribeVpnConnectionsCommand({ Filters: [{ Name: 'state', Values: ['deleted'] }] }))).VpnConnections!.map((v) => v.VpnConnectionId)).toEqual([vpnId]);
    expect((await failure(c.send(new E.DeleteVpnGatewayCommand({ VpnGatewayId: vgwId })))).name).toBe('IncorrectState');
    await c.send(new E.DetachVpnGatewayCommand({ VpnGatewayId: vgwId, VpcId: vpcId }));
    expect(await failure(c.send(new E.DetachVpnGatewayCommand({ VpnGatewayId: vgwId, VpcId: vpcId })))).toMatchObject({
      name: 'InvalidVpnGatewayAttachment.NotFound', message: `The attachment with vpn gateway ID '${vgwId}' and vpc ID '${vpcId}' does not exist`,
    });
    ctx.g.clock.advance(10_000);
    expect((await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb2] }))).RouteTables![0]!.Routes!.find((r) => r.GatewayId === vgwId)!.State).toBe('blackhole');
    await c.send(new E.DeleteVpnGatewayCommand({ VpnGatewayId: vgwId }));
    await c.send(new E.DeleteCustomerGatewayCommand({ CustomerGatewayId: cgw.CustomerGatewayId! }));
    expect((await c.send(new E.DescribeCustomerGatewaysCommand({ CustomerGatewayIds: [cgw.CustomerGatewayId!] }))).CustomerGateways![0]!.State).toBe('deleted');
  });

  test('a VPN connection to a transit gateway is one of its attachments', async () => {
    const c = new E.EC2Client(clientConfig(ctx.g, { region: 'eu-north-1' }));
    const tgw = (await c.send(new E.CreateTransitGatewayCommand({}))).TransitGateway!.TransitGatewayId!;
    ctx.g.clock.advance(60_000);
    const cgw = (await c.send(new E.CreateCustomerGatewayCommand({ Type: 'ipsec.1', IpAddress: '203.0.113.9' }))).CustomerGateway!.CustomerGatewayId!;
    const vpn = (await c.send(new E.CreateVpnConnectionCommand({ Type: 'ipsec.1', CustomerGatewayId: cgw, TransitGatewayId: tgw }))).VpnConnection!;
    expect(vpn.TransitGatewayId).toBe(tgw);
    const att = (await c.send(new E.DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'resource-type', Values: ['vpn'] }] }))).TransitGatewayAttachments!;
    expect(att.map((a) => [a.ResourceId, a.TransitGatewayId])).toEqual([[vpn.VpnConnectionId, tgw]]);
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3: customer gateway and VPN gateway', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('ec2', endpoint_url=ENDPOINT, region_name='us-west-1')
cg = c.create_customer_gateway(Type='ipsec.1', IpAddress='192.0.2.10', BgpAsn=65123)['CustomerGateway']
vg = c.create_vpn_gateway(Type='ipsec.1')['VpnGateway']
print(json.dumps([cg['BgpAsn'], cg['State'], vg['AmazonSideAsn'], vg['State']]))`);
    expect(r.json).toEqual(['65123', 'available', 64512, 'available']);
  });
});
