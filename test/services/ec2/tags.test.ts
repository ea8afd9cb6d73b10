// covers: ec2.CreateTags ec2.DeleteTags ec2.DescribeTags ec2.DeleteVpc
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });

describe('tags on the connectivity resources', () => {
  test('transit gateways, endpoints, prefix lists, VPN, launch templates, Spot requests; DeleteVpc dependencies', async () => {
    const c = new E.EC2Client(clientConfig(ctx.g, { region: 'ap-southeast-1' }));
    const vpcId = (await c.send(new E.CreateVpcCommand({ CidrBlock: '10.90.0.0/16' }))).Vpc!.VpcId!;
    const tgw = (await c.send(new E.CreateTransitGatewayCommand({}))).TransitGateway!;
    const vpce = (await c.send(new E.CreateVpcEndpointCommand({ VpcId: vpcId, ServiceName: 'com.amazonaws.ap-southeast-1.dynamodb' }))).VpcEndpoint!.VpcEndpointId!;
    const pl = (await c.send(new E.CreateManagedPrefixListCommand({ PrefixListName: 'p', AddressFamily: 'IPv4', MaxEntries: 1 }))).PrefixList!.PrefixListId!;
    const vgw = (await c.send(new E.CreateVpnGatewayCommand({ Type: 'ipsec.1' }))).VpnGateway!.VpnGatewayId!;
    const lt = (await c.send(new E.CreateLaunchTemplateCommand({ LaunchTemplateName: 'tagged', LaunchTemplateData: { InstanceType: 't3.micro' } }))).LaunchTemplate!.LaunchTemplateId!;
    const sir = (await c.send(new E.RequestSpotInstancesCommand({ SpotPrice: '0.0001', LaunchSpecification: { ImageId: 'ami-760aaa0f', InstanceType: 't3.micro' } }))).SpotInstanceRequests![0]!.SpotInstanceRequestId!;
    const ids = [tgw.TransitGatewayId!, tgw.Options!.AssociationDefaultRouteTableId!, vpce, pl, vgw, lt, sir];
    await c.send(new E.CreateTagsCommand({ Resources: ids, Tags: [{ Key: 'env', Value: 'lab' }] }));
    const described = (await c.send(new E.DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['env'] }] }))).Tags!;
    expect(described.map((t) => [t.ResourceId, t.ResourceType]).sort()).toEqual(
      [
        [tgw.TransitGatewayId, 'transit-gateway'], [tgw.Options!.AssociationDefaultRouteTableId, 'transit-gateway-route-table'], [vpce, 'vpc-endpoint'],
        [pl, 'prefix-list'], [vgw, 'vpn-gateway'], [lt, 'launch-template'], [sir, 'spot-instances-request'],
      ].sort(),
    );
    expect((await c.send(new E.DescribeVpcEndpointsCommand({ Filters: [{ Name: 'tag:env', Values: ['lab'] }] }))).VpcEndpoints!.map((e) => e.VpcEndpointId)).toEqual([vpce]);
    await c.send(new E.DeleteTagsCommand({ Resources: [sir], Tags: [{ Key: 'env' }] }));
    expect((await c.send(new E.DescribeSpotInstanceRequestsCommand({ SpotInstanceRequestIds: [sir] }))).SpotInstanceRequests![0]!.Tags).toBeUndefined();
    expect((await failure(c.send(new E.CreateTagsCommand({ Resources: ['tgw-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })))).name).toBe('InvalidTransitGatewayID.NotFound');

    // a VPC with an endpoint or an attached VPN gateway cannot be deleted
    await c.send(new E.AttachVpnGatewayCommand({ VpnGatewayId: vgw, VpcId: vpcId }));
    expect((await failure(c.send(new E.DeleteVpcCommand({ VpcId: vpcId })))).name).toBe('DependencyViolation');
    await c.send(new E.DetachVpnGatewayCommand({ VpnGatewayId: vgw, VpcId: vpcId }));
    expect((await failure(c.send(new E.DeleteVpcCommand({ VpcId: vpcId })))).name).toBe('DependencyViolation');
    await c.send(new E.DeleteVpcEndpointsCommand({ VpcEndpointIds: [vpce] }));
    await c.send(new E.DeleteVpcCommand({ VpcId: vpcId }));
  });
});
