// covers: ec2.CreateFlowLogs ec2.DescribeFlowLogs ec2.DeleteFlowLogs logs.GetLogEvents s3.CreateBucket s3.ListObjectsV2 s3.GetObject
import { gunzipSync } from 'node:zlib';
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { CloudWatchLogsClient, GetLogEventsCommand, DescribeLogStreamsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { S3Client, CreateBucketCommand, ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { useGureum, clientConfig, failure, raw } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ROLE = 'arn:aws:iam::000000000000:role/flow-logs';
const ec2 = () => new E.EC2Client(clientConfig(ctx.g));
const traffic = async (body: Record<string, unknown>) => {
  const r = await raw(ctx.g, '/_gureum/ec2/traffic', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  expect(r.status, r.text).toBe(200);
  return JSON.parse(r.text) as { action: string; explanations: string[]; records: { interfaceId: string; direction: string; action: string }[]; flowLogs: Record<string, string[]> };
};

async function network() {
  const e = ec2();
  const vpcId = (await e.send(new E.CreateVpcCommand({ CidrBlock: '10.70.0.0/16' }))).Vpc!.VpcId!;
  const a = (await e.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.70.1.0/24' }))).Subnet!.SubnetId!;
  const b = (await e.send(new E.CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.70.2.0/24' }))).Subnet!.SubnetId!;
  const sg = (await e.send(new E.CreateSecurityGroupCommand({ VpcId: vpcId, GroupName: 'db', Description: 'db' }))).GroupId!;
  await e.send(new E.AuthorizeSecurityGroupIngressCommand({ GroupId: sg, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432, IpRanges: [{ CidrIp: '10.70.1.0/24' }] }] }));
  const run = async (subnet: string, groups?: string[]) =>
    (await e.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1, SubnetId: subnet, SecurityGroupIds: groups }))).Instances![0]!;
  const app = await run(a);
  const db = await run(b, [sg]);
  return { vpcId, a, b, app, db };
}

describe('VPC flow logs', () => {
  test('records to CloudWatch Logs: ACCEPT and REJECT as the model decides, in the default format', async () => {
    const e = ec2();
    const n = await network();
    expect(await failure(e.send(new E.CreateFlowLogsCommand({ ResourceType: 'VPC', ResourceIds: [n.vpcId], TrafficType: 'ALL', LogGroupName: 'vpc-flows' })))).toMatchObject({
      name: 'InvalidParameter',
    });
    const made = await e.send(new E.CreateFlowLogsCommand({
      ResourceType: 'VPC', ResourceIds: [n.vpcId, 'vpc-0123456789abcdef0'], TrafficType: 'ALL', LogGroupName: 'vpc-flows', DeliverLogsPermissionArn: ROLE,
      TagSpecifications: [{ ResourceType: 'vpc-flow-log', Tags: [{ Key: 'Name', Value: 'all' }] }],
    }));
    expect(made.FlowLogIds).toHaveLength(1);
    expect(made.Unsuccessful).toEqual([{ ResourceId: 'vpc-0123456789abcdef0', Error: { Code: 'InvalidVpcID.NotFound', Message: "The vpc ID 'vpc-0123456789abcdef0' does not exist" } }]);
    const id = made.FlowLogIds![0]!;
    const dup = await e.send(new E.CreateFlowLogsCommand({ ResourceType: 'VPC', ResourceIds: [n.vpcId], TrafficType: 'ALL', LogGroupName: 'vpc-flows', DeliverLogsPermissionArn: ROLE }));
    expect(dup.Unsuccessful![0]!.Error).toEqual({ Code: 'FlowLogAlreadyExists', Message: 'Error. There is an existing Flow Log with the same configuration and log destination.' });
    const rejects = (await e.send(new E.CreateFlowLogsCommand({
      ResourceType: 'NetworkInterface', ResourceIds: [n.db.NetworkInterfaces![0]!.NetworkInterfaceId!], TrafficType: 'REJECT', LogGroupName: 'db-rejects', DeliverLogsPermissionArn: ROLE,
      LogFormat: '${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${action} ${flow-direction}',
    }))).FlowLogIds![0]!;
    const described = (await e.send(new E.DescribeFlowLogsCommand({ FlowLogIds: [id] }))).FlowLogs![0]!;
    expect(described).toMatchObject({
      FlowLogId: id, ResourceId: n.vpcId, TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs', LogGroupName: 'vpc-flows', FlowLogStatus: 'ACTIVE',
      DeliverLogsStatus: 'SUCCESS', MaxAggregationInterval: 600, Tags: [{ Key: 'Name', Value: 'all' }],
      LogFormat: '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
    });

    // allowed: the request and the reply at both interfaces
    const ok = await traffic({ source: n.app.InstanceId, destination: n.db.InstanceId, port: 5432, sourcePort: 40000 });
    expect(ok.action).toBe('ACCEPT');
    expect(ok.records.map((r) => [r.interfaceId, r.direction, r.action])).toEqual([
      [n.app.NetworkInterfaces![0]!.NetworkInterfaceId, 'egress', 'ACCEPT'],
      [n.db.NetworkInterfaces![0]!.NetworkInterfaceId, 'ingress', 'ACCEPT'],
      [n.db.NetworkInterfaces![0]!.NetworkInterfaceId, 'egress', 'ACCEPT'],
      [n.app.NetworkInterfaces![0]!.NetworkInterfaceId, 'ingress', 'ACCEPT'],
    ]);
    // refused by the database's security group
    const no = await traffic({ source: n.app.InstanceId, destination: n.db.InstanceId, port: 22, sourcePort: 40001 });
    expect(no).toMatchObject({ action: 'REJECT', explanations: ['ENI_SG_RULES_MISMATCH'] });
    expect(no.records.map((r) => r.action)).toEqual(['ACCEPT', 'REJECT']);

    const logs = new CloudWatchLogsClient(clientConfig(ctx.g));
    const streams = (await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'vpc-flows' }))).logStreams!.map((s) => s.logStreamName).sort();
    expect(streams).toEqual([n.app.NetworkInterfaces![0]!.NetworkInterfaceId, n.db.NetworkInterfaces![0]!.NetworkInterfaceId].sort());
    const dbLines = (await logs.send(new GetLogEventsCommand({ logGroupName: 'vpc-flows', logStreamName: n.db.NetworkInterfaces![0]!.NetworkInterfaceId, startFromHead: true }))).events!.map((x) => x.message!);
    const end = Math.floor(ctx.g.clock.now().getTime() / 1000);
    expect(dbLines).toEqual([
      `2 000000000000 ${n.db.NetworkInterfaces![0]!.NetworkInterfaceId} ${n.app.PrivateIpAddress} ${n.db.PrivateIpAddress} 40000 5432 6 10 840 ${end - 60} ${end} ACCEPT OK`,
      `2 000000000000 ${n.db.NetworkInterfaces![0]!.NetworkInterfaceId} ${n.db.PrivateIpAddress} ${n.app.PrivateIpAddress} 5432 40000 6 10 840 ${end - 60} ${end} ACCEPT OK`,
      `2 000000000000 ${n.db.NetworkInterfaces![0]!.NetworkInterfaceId} ${n.app.PrivateIpAddress} ${n.db.PrivateIpAddress} 40001 22 6 10 840 ${end - 60} ${end} REJECT OK`,
    ]);
    const rejected = (await logs.send(new GetLogEventsCommand({ logGroupName: 'db-rejects', logStreamName: n.db.NetworkInterfaces![0]!.NetworkInterfaceId, startFromHead: true }))).events!.map((x) => x.message);
    expect(rejected).toEqual([`${n.db.NetworkInterfaces![0]!.NetworkInterfaceId} ${n.app.PrivateIpAddress} ${n.db.PrivateIpAddress} 22 REJECT ingress`]);

    const del = await e.send(new E.DeleteFlowLogsCommand({ FlowLogIds: [id, rejects, 'fl-0123456789abcdef0'] }));
    expect(del.Unsuccessful!.map((u) => [u.ResourceId, u.Error!.Code])).toEqual([['fl-0123456789abcdef0', 'InvalidFlowLogId.NotFound']]);
    expect((await e.send(new E.DescribeFlowLogsCommand({ Filter: [{ Name: 'resource-id', Values: [n.vpcId] }] }))).FlowLogs).toEqual([]);
  });

  test('records to S3: gzipped objects under AWSLogs/<account>/vpcflowlogs/<region>/…, NACL rejects of the reply', async () => {
    const e = ec2();
    const n = await network();
    const s3 = new S3Client(clientConfig(ctx.g, { forcePathStyle: true }));
    await s3.send(new CreateBucketCommand({ Bucket: 'flow-archive' }));
    const fl = (await e.send(new E.CreateFlowLogsCommand({
      ResourceType: 'Subnet', ResourceIds: [n.b], TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-archive/vpc', MaxAggregationInterval: 60,
    }))).FlowLogIds![0]!;
    // the database subnet answers nothing: a custom ACL with only the inbound rule
    const acl = (await e.send(new E.CreateNetworkAclCommand({ VpcId: n.vpcId }))).NetworkAcl!.NetworkAclId!;
    await e.send(new E.CreateNetworkAclEntryCommand({ NetworkAclId: acl, RuleNumber: 10, Protocol: '6', RuleAction: 'allow', Egress: false, CidrBlock: '10.70.0.0/16', PortRange: { From: 5432, To: 5432 } }));
    const assoc = (await e.send(new E.DescribeNetworkAclsCommand({ Filters: [{ Name: 'association.subnet-id', Values: [n.b] }] }))).NetworkAcls![0]!.Associations!.find((x) => x.SubnetId === n.b)!;
    await e.send(new E.ReplaceNetworkAclAssociationCommand({ AssociationId: assoc.NetworkAclAssociationId!, NetworkAclId: acl }));
    const r = await traffic({ source: n.app.InstanceId, destination: n.db.InstanceId, port: 5432, sourcePort: 50000 });
    expect(r).toMatchObject({ action: 'REJECT', explanations: ['SUBNET_ACL_RESTRICTION'] });
    expect(r.records.map((x) => [x.direction, x.action])).toEqual([['egress', 'ACCEPT'], ['ingress', 'ACCEPT'], ['egress', 'REJECT']]);
    expect(r.flowLogs[fl]).toHaveLength(2); // the database's two records (its subnet is the one logged)

    const d = ctx.g.clock.now();
    const day = `${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}`;
    const listed = (await s3.send(new ListObjectsV2Command({ Bucket: 'flow-archive' }))).Contents!.map((o) => o.Key!);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatch(new RegExp(`^vpc/AWSLogs/000000000000/vpcflowlogs/us-east-1/${day}/000000000000_vpcflowlogs_us-east-1_${fl}_\\d{8}T\\d{4}Z_[0-9a-f]{8}\\.log\\.gz$`));
    const obj = await s3.send(new GetObjectCommand({ Bucket: 'flow-archive', Key: listed[0] }));
    const text = gunzipSync(Buffer.from(await obj.Body!.transformToByteArray())).toString('utf8').trim().split('\n');
    expect(text[0]).toBe('version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status');
    expect(text.slice(1).map((l) => l.split(' ')[12])).toEqual(['ACCEPT', 'REJECT']);
    const described = (await e.send(new E.DescribeFlowLogsCommand({ FlowLogIds: [fl] }))).FlowLogs![0]!;
    expect(described).toMatchObject({ LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::flow-archive/vpc', DeliverLogsStatus: 'SUCCESS', MaxAggregationInterval: 60 });

    // a bucket that does not exist: delivery fails and the flow log says so
    const bad = (await e.send(new E.CreateFlowLogsCommand({ ResourceType: 'Subnet', ResourceIds: [n.a], TrafficType: 'ALL', LogDestinationType: 's3', LogDestination: 'arn:aws:s3:::no-such-bucket' }))).FlowLogIds![0]!;
    await traffic({ source: n.app.InstanceId, destination: n.db.InstanceId, port: 5432 });
    expect((await e.send(new E.DescribeFlowLogsCommand({ FlowLogIds: [bad] }))).FlowLogs![0]!).toMatchObject({ DeliverLogsStatus: 'FAILED' });
  });
});
