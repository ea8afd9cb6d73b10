// covers: ec2.CreateTransitGateway ec2.DescribeTransitGateways ec2.ModifyTransitGateway ec2.DeleteTransitGateway ec2.CreateTransitGatewayVpcAttachment ec2.ModifyTransitGatewayVpcAttachment ec2.DeleteTransitGatewayVpcAttachment ec2.DescribeTransitGatewayVpcAttachments ec2.DescribeTransitGatewayAttachments ec2.CreateTransitGatewayRouteTable ec2.DeleteTransitGatewayRouteTable ec2.DescribeTransitGatewayRouteTables ec2.AssociateTransitGatewayRouteTable ec2.DisassociateTransitGatewayRouteTable ec2.EnableTransitGatewayRouteTablePropagation ec2.DisableTransitGatewayRouteTablePropagation ec2.GetTransitGatewayRouteTableAssociations ec2.GetTransitGatewayRouteTablePropagations ec2.CreateTransitGatewayRoute ec2.ReplaceTransitGatewayRoute ec2.DeleteTransitGatewayRoute ec2.SearchTransitGatewayRoutes
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });

describe('transit gateways', () => {
  test('gateway, default route table, VPC attachments, propagation, static routes, states on the clock', async () => {
    const ec2 = new E.EC2Client(clientConfig(ctx.g, { region: 'us-west-2' }));
    const tgw = (await ec2.send(new E.CreateTransitGatewayCommand({ Description: 'hub', TagSpecifications: [{ ResourceType: 'transit-gateway', Tags: [{ Key: 'Name', Value: 'hub' }] }] }))).TransitGateway!;
    expect(tgw.TransitGatewayId).toMatch(/^tgw-[0-9a-f]{17}$/);
    expect(tgw).toMatchObject({ State: 'pending', Description: 'hub', OwnerId: '000000000000' });
    expect(tgw.Options).toMatchObject({ AmazonSideAsn: 64512, DefaultRouteTableAssociation: 'enable', DefaultRouteTablePropagation: 'enable', DnsSupport: 'enable', VpnEcmpSupport: 'enable', AutoAcceptSharedAttachments: 'disable' });
    const tgwId = tgw.TransitGatewayId!;
    const defaultRtb = tgw.Options!.AssociationDefaultRouteTableId!;
    expect(defaultRtb).toMatch(/^tgw-rtb-/);
    expect(tgw.Options!.PropagationDefaultRouteTableId).toBe(defaultRtb);

    const vpcA = (await ec2.send(new E.CreateVpcCommand({ CidrBlock: '10.1.0.0/16' }))).Vpc!.VpcId!;
    const vpcB = (await ec2.send(new E.CreateVpcCommand({ CidrBlock: '10.2.0.0/16' }))).Vpc!.VpcId!;
    const subA1 = (await ec2.send(new E.CreateSubnetCommand({ VpcId: vpcA, CidrBlock: '10.1.1.0/24', AvailabilityZone: 'us-west-2a' }))).Subnet!.SubnetId!;
    const subA2 = (await ec2.send(new E.CreateSubnetCommand({ VpcId: vpcA, CidrBlock: '10.1.2.0/24', AvailabilityZone: 'us-west-2a' }))).Subnet!.SubnetId!;
    const subB = (await ec2.send(new E.CreateSubnetCommand({ VpcId: vpcB, CidrBlock: '10.2.1.0/24', AvailabilityZone: 'us-west-2b' }))).Subnet!.SubnetId!;

    // attaching to a gateway that is still pending
    expect(await failure(ec2.send(new E.CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcA, SubnetIds: [subA1] })))).toMatchObject({
      name: 'IncorrectState', message: `Transit Gateway ${tgwId} is in invalid state`,
    });
    ctx.g.clock.advance(60_000);
    expect((await ec2.send(new E.DescribeTransitGatewaysCommand({ TransitGatewayIds: [tgwId] }))).TransitGateways![0]!.State).toBe('available');

    expect(await failure(ec2.send(new E.CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcA, SubnetIds: [subA1, subA2] })))).toMatchObject({
      name: 'DuplicateSubnetsInSameZone', message: 'Duplicate Subnets for same AZ',
    });
    const attA = (await ec2.send(new E.CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcA, SubnetIds: [subA1] }))).TransitGatewayVpcAttachment!;
    expect(attA).toMatchObject({ State: 'pending', VpcId: vpcA, SubnetIds: [subA1], Options: { DnsSupport: 'enable', ApplianceModeSupport: 'disable' } });
    const attB = (await ec2.send(new E.CreateTransitGatewayVpcAttachmentCommand({ TransitGatewayId: tgwId, VpcId: vpcB, SubnetIds: [subB] }))).TransitGatewayVpcAttachment!;
    const a = attA.TransitGatewayAttachmentId!;
    const b = attB.TransitGatewayAttachmentId!;

    let atts = (await ec2.send(new E.DescribeTransitGatewayAttachmentsCommand({ TransitGatewayAttachmentIds: [a] }))).TransitGatewayAttachments!;
    expect(atts[0]).toMatchObject({ ResourceType: 'vpc', ResourceId: vpcA, State: 'pending', Association: { TransitGatewayRouteTableId: defaultRtb, State: 'associating' } });
    ctx.g.clock.advance(60_000);
    atts = (await ec2.send(new E.DescribeTransitGatewayAttachmentsCommand({ Filters: [{ Name: 'transit-gateway-id', Values: [tgwId] }] }))).TransitGatewayAttachments!;
    expect(atts.map((x) => [x.State, x.Association?.State])).toEqual([['available', 'associated'], ['available', 'associated']]);

    // propagated VPC CIDRs in the default table
    const search = async (rtb: string, filters: E.Filter[]) =>
      (await ec2.send(new E.SearchTransitGatewayRoutesCommand({ TransitGatewayRouteTableId: rtb, Filters: filters }))).Routes!;
    const routes = await search(defaultRtb, [{ Name: 'state', Values: ['active'] }]);
    expect(routes.map((r) => [r.DestinationCidrBlock, r.Type, r.TransitGatewayAttachments![0]!.ResourceId])).toEqual([
      ['10.1.0.0/16', 'propagated', vpcA],
      ['10.2.0.0/16', 'propagated', vpcB],
    ]);
    expect((await ec2.send(new E.GetTransitGatewayRouteTablePropagationsCommand({ TransitGatewayRouteTableId: defaultRtb }))).TransitGatewayRouteTablePropagations!.map((p) => p.TransitGatewayAttachmentId)).toEqual([a, b]);

    // static routes: blackhole, attachment, longest-prefix search, replace, delete
    await ec2.send(new E.CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: '0.0.0.0/0', TransitGatewayAttachmentId: a }));
    const bh = (await ec2.send(new E.CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: '10.2.5.0/24', Blackhole: true }))).Route!;
    expect(bh).toMatchObject({ DestinationCidrBlock: '10.2.5.0/24', State: 'blackhole', Type: 'static' });
    expect(await failure(ec2.send(new E.CreateTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: '10.2.5.0/24', Blackhole: true })))).toMatchObject({
      name: 'RouteAlreadyExists', message: `Route 10.2.5.0/24 already exists in Transit Gateway Route Table ${defaultRtb}.`,
    });
    expect((await search(defaultRtb, [{ Name: 'route-search.longest-prefix-match', Values: ['10.2.5.9/32'] }])).map((r) => r.DestinationCidrBlock)).toEqual(['10.2.5.0/24']);
    expect((await search(defaultRtb, [{ Name: 'route-search.longest-prefix-match', Values: ['10.2.6.9/32'] }])).map((r) => r.DestinationCidrBlock)).toEqual(['10.2.0.0/16']);
    expect((await search(defaultRtb, [{ Name: 'type', Values: ['static'] }])).map((r) => r.DestinationCidrBlock)).toEqual(['0.0.0.0/0', '10.2.5.0/24']);
    const replaced = (await ec2.send(new E.ReplaceTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: '10.2.5.0/24', TransitGatewayAttachmentId: b }))).Route!;
    expect(replaced).toMatchObject({ State: 'active', TransitGatewayAttachments: [{ TransitGatewayAttachmentId: b, ResourceType: 'vpc' }] });
    expect((await ec2.send(new E.DeleteTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: '10.2.5.0/24' }))).Route!.State).toBe('deleted');
    expect((await failure(ec2.send(new E.DeleteTransitGatewayRouteCommand({ TransitGatewayRouteTableId: defaultRtb, DestinationCidrBlock: '10.2.5.0/24' })))).name).toBe('InvalidRoute.NotFound');

    // a VPC route to the gateway needs the VPC attached
    const rtbA = (await ec2.send(new E.CreateRouteTableCommand({ VpcId: vpcA }))).RouteTable!.RouteTableId!;
    await ec2.send(new E.CreateRouteCommand({ RouteTableId: rtbA, DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: tgwId }));
    const vpcC = (await ec2.send(new E.CreateVpcCommand({ CidrBlock: '10.3.0.0/16' }))).Vpc!.VpcId!;
    const rtbC = (await ec2.send(new E.CreateRouteTableCommand({ VpcId: vpcC }))).RouteTable!.RouteTableId!;
    expect(await failure(ec2.send(new E.CreateRouteCommand({ RouteTableId: rtbC, DestinationCidrBlock: '10.2.0.0/16', TransitGatewayId: tgwId })))).toMatchObject({
      name: 'InvalidTransitGatewayID.NotFound',
    });
    const vpcRoutes = (await ec2.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtbA] }))).RouteTables![0]!.Routes!;
    expect(vpcRoutes.find((r) => r.TransitGatewayId === tgwId)).toMatchObject({ DestinationCidrBlock: '10.2.0.0/16', State: 'active', Origin: 'CreateRoute' });

    // a separate route table: one association per attachment
    const rtb2 = (await ec2.send(new E.CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgwId }))).TransitGatewayRouteTable!;
    expect(rtb2).toMatchObject({ State: 'pending', DefaultAssociationRouteTable: false, DefaultPropagationRouteTable: false });
    ctx.g.clock.advance(10_000);
    const r2 = rtb2.TransitGatewayRouteTableId!;
    expect(await failure(ec2.send(new E.AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: r2, TransitGatewayAttachmentId: a })))).toMatchObject({
      name: 'Resource.AlreadyAssociated', message: `Transit Gateway Attachment ${a} is already associated to a route table.`,
    });
    await ec2.send(new E.DisassociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: defaultRtb, TransitGatewayAttachmentId: a }));
    const assoc = (await ec2.send(new E.AssociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: r2, TransitGatewayAttachmentId: a }))).Association!;
    expect(assoc).toMatchObject({ State: 'associating', ResourceId: vpcA, ResourceType: 'vpc' });
    expect((await ec2.send(new E.GetTransitGatewayRouteTableAssociationsCommand({ TransitGatewayRouteTableId: r2 }))).Associations).toEqual([
      { ResourceId: vpcA, ResourceType: 'vpc', State: 'associated', TransitGatewayAttachmentId: a },
    ]);
    await ec2.send(new E.EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: r2, TransitGatewayAttachmentId: b }));
    expect((await failure(ec2.send(new E.EnableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: r2, TransitGatewayAttachmentId: b })))).name)
      .toBe('TransitGatewayRouteTablePropagation.Duplicate');
    expect((await search(r2, [{ Name: 'type', Values: ['propagated'] }])).map((r) => r.DestinationCidrBlock)).toEqual(['10.2.0.0/16']);
    expect((await failure(ec2.send(new E.DeleteTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: r2 })))).name).toBe('IncorrectState');
    await ec2.send(new E.DisableTransitGatewayRouteTablePropagationCommand({ TransitGatewayRouteTableId: r2, TransitGatewayAttachmentId: b }));
    await ec2.send(new E.DisassociateTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: r2, TransitGatewayAttachmentId: a }));
    await ec2.send(new E.DeleteTransitGatewayRouteTableCommand({ TransitGatewayRouteTableId: r2 }));
    expect((await ec2.send(new E.DescribeTransitGatewayRouteTablesCommand({ TransitGatewayRouteTableIds: [r2] }))).TransitGatewayRouteTables![0]!.State).toBe('deleting');

    // modify: add a subnet in another zone
    const subA3 = (await ec2.send(new E.CreateSubnetCommand({ VpcId: vpcA, CidrBlock: '10.1.3.0/24', AvailabilityZone: 'us-west-2c' }))).Subnet!.SubnetId!;
    await ec2.send(new E.ModifyTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: a, AddSubnetIds: [subA3], Options: { ApplianceModeSupport: 'enable' } }));
    const va = (await ec2.send(new E.DescribeTransitGatewayVpcAttachmentsCommand({ TransitGatewayAttachmentIds: [a] }))).TransitGatewayVpcAttachments![0]!;
    expect(va).toMatchObject({ SubnetIds: [subA1, subA3], Options: { ApplianceModeSupport: 'enable' } });

    // delete: attachments first
    expect(await failure(ec2.send(new E.DeleteTransitGatewayCommand({ TransitGatewayId: tgwId })))).toMatchObject({
      name: 'IncorrectState', message: `${tgwId} has non-deleted Transit Gateway Attachments: ${a}, ${b}.`,
    });
    await ec2.send(new E.DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: a }));
    await ec2.send(new E.DeleteTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: b }));
    expect((await ec2.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtbA] }))).RouteTables![0]!.Routes!.find((r) => r.TransitGatewayId)!.State).toBe('blackhole');
    ctx.g.clock.advance(60_000);
    expect((await search(defaultRtb, [{ Name: 'type', Values: ['propagated'] }]))).toEqual([]);
    await ec2.send(new E.ModifyTransitGatewayCommand({ TransitGatewayId: tgwId, Description: 'old hub' }));
    const del = (await ec2.send(new E.DeleteTransitGatewayCommand({ TransitGatewayId: tgwId }))).TransitGateway!;
    expect(del).toMatchObject({ State: 'deleting', Description: 'old hub' });
    ctx.g.clock.advance(60_000);
    expect(await failure(ec2.send(new E.CreateTransitGatewayRouteTableCommand({ TransitGatewayId: tgwId })))).toMatchObject({
      name: 'InvalidTransitGatewayID.NotFound', message: `Transit Gateway ${tgwId} was deleted or does not exist.`,
    });
  });
});
