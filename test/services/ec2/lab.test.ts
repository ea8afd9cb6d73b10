// covers: ec2.CreateVpc ec2.CreateSubnet ec2.DescribeSubnets ec2.CreateInternetGateway ec2.AttachInternetGateway ec2.CreateRouteTable ec2.CreateRoute ec2.AssociateRouteTable ec2.ModifySubnetAttribute ec2.CreateSecurityGroup ec2.AuthorizeSecurityGroupIngress ec2.RunInstances ec2.DescribeInstances ec2.CreateNetworkInsightsPath ec2.StartNetworkInsightsAnalysis ec2.DescribeNetworkInsightsAnalyses ec2.DescribeNetworkInsightsPaths ec2.DeleteNetworkInsightsAnalysis ec2.DeleteNetworkInsightsPath
/**
 * The course's first lab, end to end from the AWS CLI: a VPC with a public and a private subnet,
 * an internet gateway routed from the public subnet only, a security group allowing HTTP, an
 * instance in each subnet; the Reachability Analyzer finds internet → public instance on port 80
 * and not internet → private instance, naming the missing route.
 */
import { describe, test, expect } from 'vitest';
import { useGureum, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function aws(...args: string[]): Promise<any> {
  const r = await awsCli(ctx.g, ['ec2', ...args, '--region', 'us-east-1']);
  if (r.status !== 0) throw new Error(`aws ec2 ${args.join(' ')} failed: ${r.stderr}`);
  return r.json;
}

describe.skipIf(!HAS_AWS_CLI)('first lab from the AWS CLI', () => {
  test('public and private subnet, internet gateway, reachability of port 80', async () => {
    const vpc = (await aws('create-vpc', '--cidr-block', '10.0.0.0/16')).Vpc.VpcId;
    const pub = (await aws('create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.1.0/24')).Subnet;
    const priv = (await aws('create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.2.0/24')).Subnet;
    expect([pub.AvailableIpAddressCount, priv.AvailableIpAddressCount]).toEqual([251, 251]);
    const igw = (await aws('create-internet-gateway')).InternetGateway.InternetGatewayId;
    await aws('attach-internet-gateway', '--internet-gateway-id', igw, '--vpc-id', vpc);
    const rtb = (await aws('create-route-table', '--vpc-id', vpc)).RouteTable.RouteTableId;
    await aws('create-route', '--route-table-id', rtb, '--destination-cidr-block', '0.0.0.0/0', '--gateway-id', igw);
    await aws('associate-route-table', '--route-table-id', rtb, '--subnet-id', pub.SubnetId);
    await aws('modify-subnet-attribute', '--subnet-id', pub.SubnetId, '--map-public-ip-on-launch');
    const sg = (await aws('create-security-group', '--group-name', 'web', '--description', 'HTTP from anywhere', '--vpc-id', vpc)).GroupId;
    await aws('authorize-security-group-ingress', '--group-id', sg, '--protocol', 'tcp', '--port', '80', '--cidr', '0.0.0.0/0');

    const run = async (subnet: string) =>
      (await aws('run-instances', '--image-id', 'ami-760aaa0f', '--instance-type', 't3.micro', '--count', '1', '--subnet-id', subnet, '--security-group-ids', sg)).Instances[0];
    const web = await run(pub.SubnetId);
    const db = await run(priv.SubnetId);
    ctx.g.clock.advance(5_000);
    const described = (await aws('describe-instances', '--instance-ids', web.InstanceId, db.InstanceId)).Reservations.flatMap((r: { Instances: unknown[] }) => r.Instances);
    const byId = new Map(described.map((i: { InstanceId: string }) => [i.InstanceId, i]));
    expect((byId.get(web.InstanceId) as { PublicIpAddress?: string }).PublicIpAddress).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect((byId.get(db.InstanceId) as { PublicIpAddress?: string }).PublicIpAddress).toBeUndefined();
    // the first usable address (.4: .0–.3 and .255 are reserved), and one address fewer free
    expect([web.PrivateIpAddress, db.PrivateIpAddress]).toEqual(['10.0.1.4', '10.0.2.4']);
    const subnets = (await aws('describe-subnets', '--subnet-ids', pub.SubnetId, priv.SubnetId)).Subnets;
    expect(subnets.map((s: { AvailableIpAddressCount: number }) => s.AvailableIpAddressCount)).toEqual([250, 250]);

    const analyze = async (instance: string) => {
      const path = (await aws('create-network-insights-path', '--source', igw, '--destination', instance, '--protocol', 'tcp', '--destination-port', '80')).NetworkInsightsPath;
      expect(path.SourceArn).toBe(`arn:aws:ec2:us-east-1:000000000000:internet-gateway/${igw}`);
      const started = (await aws('start-network-insights-analysis', '--network-insights-path-id', path.NetworkInsightsPathId)).NetworkInsightsAnalysis;
      expect(started.Status).toBe('running');
      const done = (await aws('describe-network-insights-analyses', '--network-insights-analysis-ids', started.NetworkInsightsAnalysisId)).NetworkInsightsAnalyses[0];
      expect(done.Status).toBe('succeeded');
      return { path: path.NetworkInsightsPathId, analysis: done };
    };
    const toWeb = await analyze(web.InstanceId);
    expect(toWeb.analysis.NetworkPathFound).toBe(true);
    const ids = toWeb.analysis.ForwardPathComponents.map((c: { Component: { Id: string } }) => c.Component.Id);
    expect(ids[0]).toBe(igw);
    expect(ids).toContain(sg);
    expect(ids[ids.length - 1]).toBe(web.InstanceId);
    expect(toWeb.analysis.ReturnPathComponents.some((c: { Component: { Id: string } }) => c.Component.Id === rtb)).toBe(true);

    const toDb = await analyze(db.InstanceId);
    expect(toDb.analysis.NetworkPathFound).toBe(false);
    const codes = toDb.analysis.Explanations.map((e: { ExplanationCode: string }) => e.ExplanationCode);
    expect(codes).toContain('NO_ROUTE_TO_DESTINATION');
    expect(codes).toContain('IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS');
    const mainRtb = (await aws('describe-route-tables', '--filters', `Name=vpc-id,Values=${vpc}`, 'Name=association.main,Values=true')).RouteTables[0].RouteTableId;
    const noRoute = toDb.analysis.Explanations.find((e: { ExplanationCode: string }) => e.ExplanationCode === 'NO_ROUTE_TO_DESTINATION');
    expect(noRoute.RouteTable.Id).toBe(mainRtb);
    expect(noRoute.Subnet.Id).toBe(priv.SubnetId);

    const paths = (await aws('describe-network-insights-paths', '--filters', `Name=source,Values=${igw}`)).NetworkInsightsPaths;
    expect(paths).toHaveLength(2);
    const del = await awsCli(ctx.g, ['ec2', 'delete-network-insights-path', '--network-insights-path-id', toWeb.path, '--region', 'us-east-1']);
    expect(del.status).not.toBe(0);
    expect(del.stderr).toContain('DependencyViolation');
    await aws('delete-network-insights-analysis', '--network-insights-analysis-id', toWeb.analysis.NetworkInsightsAnalysisId);
    await aws('delete-network-insights-path', '--network-insights-path-id', toWeb.path);
  }, 240_000);
});
