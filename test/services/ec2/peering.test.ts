// covers: ec2.CreateVpcPeeringConnection ec2.AcceptVpcPeeringConnection ec2.RejectVpcPeeringConnection ec2.DeleteVpcPeeringConnection ec2.DescribeVpcPeeringConnections ec2.ModifyVpcPeeringConnectionOptions ec2.CreateRoute ec2.DescribeRouteTables
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (region = 'us-east-1', account = '000000000000') =>
  new E.EC2Client(clientConfig(ctx.g, { region, credentials: { accessKeyId: account, secretAccessKey: 'x' } }));
const vpc = async (c: E.EC2Client, cidr: string) => (await c.send(new E.CreateVpcCommand({ CidrBlock: cidr }))).Vpc!.VpcId!;
const status = async (c: E.EC2Client, id: string) =>
  (await c.send(new E.DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }))).VpcPeeringConnections![0]!.Status;

describe('VPC peering', () => {
  test('same account: initiating-request → pending-acceptance → active, routes, options', async () => {
    const c = ec2('eu-west-1');
    const a = await vpc(c, '10.10.0.0/16');
    const b = await vpc(c, '10.20.0.0/16');
    const created = (await c.send(new E.CreateVpcPeeringConnectionCommand({
      VpcId: a, PeerVpcId: b, TagSpecifications: [{ ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'Name', Value: 'a-b' }] }],
    }))).VpcPeeringConnection!;
    const id = created.VpcPeeringConnectionId!;
    expect(id).toMatch(/^pcx-[0-9a-f]{17}$/);
    expect(created.Status).toEqual({ Code: 'initiating-request', Message: 'Initiating Request to 000000000000' });
    expect(created.AccepterVpcInfo).toEqual({ OwnerId: '000000000000', VpcId: b, Region: 'eu-west-1' });
    expect(created.RequesterVpcInfo).toMatchObject({ CidrBlock: '10.10.0.0/16', VpcId: a, Region: 'eu-west-1' });
    expect(created.Tags).toEqual([{ Key: 'Name', Value: 'a-b' }]);
    expect(await status(c, id)).toEqual({ Code: 'pending-acceptance', Message: 'Pending Acceptance by 000000000000' });

    // a route to a peering connection shows blackhole until it is active
    const rtb = (await c.send(new E.CreateRouteTableCommand({ VpcId: a }))).RouteTable!.RouteTableId!;
    await c.send(new E.CreateRouteCommand({ RouteTableId: rtb, DestinationCidrBlock: '10.20.0.0/16', VpcPeeringConnectionId: id }));
    const routeState = async () =>
      (await c.send(new E.DescribeRouteTablesCommand({ RouteTableIds: [rtb] }))).RouteTables![0]!.Routes!.find((r) => r.VpcPeeringConnectionId === id)!.State;
    expect(await routeState()).toBe('blackhole');

    // options only while active
    expect((await failure(c.send(new E.ModifyVpcPeeringConnectionOptionsCommand({
      VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true },
    })))).name).toBe('OperationNotPermitted');

    const accepted = (await c.send(new E.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }))).VpcPeeringConnection!;
    expect(accepted.Status).toEqual({ Code: 'provisioning', Message: 'Provisioning' });
    expect(await status(c, id)).toEqual({ Code: 'active', Message: 'Active' });
    expect(await routeState()).toBe('active');
    expect(await failure(c.send(new E.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })))).toMatchObject({
      name: 'InvalidStateTransition',
      message: `Invalid state transition for ${id}, attempted to transition from active to active`,
    });

    const mod = await c.send(new E.ModifyVpcPeeringConnectionOptionsCommand({
      VpcPeeringConnectionId: id, RequesterPeeringConnectionOptions: { AllowDnsResolutionFromRemoteVpc: true },
    }));
    expect(mod.RequesterPeeringConnectionOptions?.AllowDnsResolutionFromRemoteVpc).toBe(true);
    const d = (await c.send(new E.DescribeVpcPeeringConnectionsCommand({ Filters: [{ Name: 'requester-vpc-info.vpc-id', Values: [a] }] }))).VpcPeeringConnections!;
    expect(d).toHaveLength(1);
    expect(d[0]!.RequesterVpcInfo!.PeeringOptions!.AllowDnsResolutionFromRemoteVpc).toBe(true);
    expect(d[0]!.AccepterVpcInfo).toMatchObject({ CidrBlock: '10.20.0.0/16', CidrBlockSet: [{ CidrBlock: '10.20.0.0/16' }] });

    // a second connection between the same pair
    expect((await failure(c.send(new E.CreateVpcPeeringConnectionCommand({ VpcId: b, PeerVpcId: a })))).name).toBe('VpcPeeringConnectionAlreadyExists');

    await c.send(new E.DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    expect(await status(c, id)).toEqual({ Code: 'deleted', Message: 'Deleted by 000000000000' });
    expect(await routeState()).toBe('blackhole');
    ctx.g.clock.advance('PT2H');
    expect(await failure(c.send(new E.DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] })))).toMatchObject({
      name: 'InvalidVpcPeeringConnectionID.NotFound',
      message: `The vpcPeeringConnection ID '${id}' does not exist`,
    });
  });

  test('overlapping CIDRs fail; unknown peer VPC in the same account is an error', async () => {
    const c = ec2('eu-west-2');
    const a = await vpc(c, '10.0.0.0/16');
    const b = await vpc(c, '10.0.128.0/17');
    const id = (await c.send(new E.CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    expect(await status(c, id)).toEqual({ Code: 'failed', Message: 'Failed due to incorrect VPC-ID, Account ID, or overlapping CIDR range' });
    expect((await failure(c.send(new E.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })))).name).toBe('InvalidStateTransition');
    expect(await failure(c.send(new E.CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: 'vpc-0123456789abcdef0' })))).toMatchObject({
      name: 'InvalidVpcID.NotFound',
    });
  });

  test('cross-account and cross-region: each side sees it, only the accepter accepts, tags per side', async () => {
    const req = ec2('us-east-1', '111111111111');
    const acc = ec2('ap-southeast-2', '222222222222');
    const a = await vpc(req, '10.1.0.0/16');
    const b = await vpc(acc, '10.2.0.0/16');
    const id = (await req.send(new E.CreateVpcPeeringConnectionCommand({
      VpcId: a, PeerVpcId: b, PeerOwnerId: '222222222222', PeerRegion: 'ap-southeast-2',
      TagSpecifications: [{ ResourceType: 'vpc-peering-connection', Tags: [{ Key: 'side', Value: 'requester' }] }],
    }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    const seen = (await acc.send(new E.DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }))).VpcPeeringConnections![0]!;
    expect(seen.Status).toEqual({ Code: 'pending-acceptance', Message: 'Pending Acceptance by 222222222222' });
    expect(seen.RequesterVpcInfo).toMatchObject({ OwnerId: '111111111111', Region: 'us-east-1', VpcId: a });
    expect(seen.Tags).toBeUndefined();
    expect(await failure(req.send(new E.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id })))).toMatchObject({
      name: 'OperationNotPermitted',
      message: `User 111111111111 cannot accept peering ${id}`,
    });
    await acc.send(new E.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: id }));
    expect(await status(req, id)).toEqual({ Code: 'active', Message: 'Active' });
    const mine = (await req.send(new E.DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] }))).VpcPeeringConnections![0]!;
    expect(mine.Tags).toEqual([{ Key: 'side', Value: 'requester' }]);
    // the accepter routes back over the same connection in its own region
    const mainRtb = (await acc.send(new E.DescribeRouteTablesCommand({ Filters: [{ Name: 'vpc-id', Values: [b] }] }))).RouteTables![0]!.RouteTableId!;
    await acc.send(new E.CreateRouteCommand({ RouteTableId: mainRtb, DestinationCidrBlock: '10.1.0.0/16', VpcPeeringConnectionId: id }));
    // a third account cannot see it
    expect((await failure(ec2('us-east-1', '333333333333').send(new E.DescribeVpcPeeringConnectionsCommand({ VpcPeeringConnectionIds: [id] })))).name)
      .toBe('InvalidVpcPeeringConnectionID.NotFound');
  });

  test('reject by the accepter, withdraw by the requester, expiry after 7 days', async () => {
    const c = ec2('ca-central-1');
    const a = await vpc(c, '10.3.0.0/16');
    const b = await vpc(c, '10.4.0.0/16');
    const one = (await c.send(new E.CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    await c.send(new E.RejectVpcPeeringConnectionCommand({ VpcPeeringConnectionId: one }));
    expect(await status(c, one)).toEqual({ Code: 'rejected', Message: 'Rejected by 000000000000' });
    const two = (await c.send(new E.CreateVpcPeeringConnectionCommand({ VpcId: a, PeerVpcId: b }))).VpcPeeringConnection!.VpcPeeringConnectionId!;
    ctx.g.clock.advance('P7D');
    expect(await status(c, two)).toEqual({ Code: 'expired', Message: 'Expired' });
    expect((await failure(c.send(new E.AcceptVpcPeeringConnectionCommand({ VpcPeeringConnectionId: two })))).name).toBe('InvalidStateTransition');
  });
});
