// covers: ec2.RunInstances ec2.DescribeInstances ec2.StopInstances ec2.StartInstances ec2.TerminateInstances ec2.CreateKeyPair
import { describe, test, expect } from 'vitest';
import { useGureum, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });

async function cli(args: string[]): Promise<unknown> {
  const r = await awsCli(ctx.g, ['ec2', ...args, '--region', 'us-east-1']);
  expect(r.status, r.stderr).toBe(0);
  return r.json;
}

describe.skipIf(!HAS_AWS_CLI)('AWS CLI: instances in a lab subnet', () => {
  test('run-instances into public and private subnets, describe with --query, stop/start/terminate', async () => {
    const vpc = (await cli(['create-vpc', '--cidr-block', '10.0.0.0/16', '--query', 'Vpc.VpcId'])) as string;
    const pub = (await cli(['create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.1.0/24', '--query', 'Subnet.SubnetId'])) as string;
    const priv = (await cli(['create-subnet', '--vpc-id', vpc, '--cidr-block', '10.0.2.0/24', '--query', 'Subnet.SubnetId'])) as string;
    await cli(['modify-subnet-attribute', '--subnet-id', pub, '--map-public-ip-on-launch']);
    await cli(['create-key-pair', '--key-name', 'lab', '--query', 'KeyName']);
    const a = (await cli(['run-instances', '--image-id', 'ami-12c6146b', '--instance-type', 't2.micro', '--subnet-id', pub, '--key-name', 'lab', '--user-data', '#!/bin/bash\nyum -y install httpd', '--tag-specifications', 'ResourceType=instance,Tags=[{Key=Name,Value=public}]', '--query', 'Instances[0].InstanceId'])) as string;
    const b = (await cli(['run-instances', '--image-id', 'ami-12c6146b', '--instance-type', 't2.micro', '--subnet-id', priv, '--query', 'Instances[0].InstanceId'])) as string;
    ctx.g.clock.advance(5_000);
    const rows = await cli(['describe-instances', '--filters', `Name=vpc-id,Values=${vpc}`, '--query', 'Reservations[].Instances[].[Tags[?Key==`Name`]|[0].Value,State.Name,PublicIpAddress!=`null`,SubnetId]']);
    expect(rows).toEqual([['public', 'running', true, pub], [null, 'running', false, priv]]);
    const sub = await cli(['describe-subnets', '--subnet-ids', pub, '--query', 'Subnets[0].AvailableIpAddressCount']);
    expect(sub).toBe(250);
    const ud = await cli(['describe-instance-attribute', '--instance-id', a, '--attribute', 'userData', '--query', 'UserData.Value']);
    expect(Buffer.from(ud as string, 'base64').toString()).toBe('#!/bin/bash\nyum -y install httpd');
    expect(await cli(['stop-instances', '--instance-ids', a, '--query', 'StoppingInstances[0].CurrentState.Name'])).toBe('stopping');
    ctx.g.clock.advance(5_000);
    expect(await cli(['start-instances', '--instance-ids', a, '--query', 'StartingInstances[0].[PreviousState.Name,CurrentState.Name]'])).toEqual(['stopped', 'pending']);
    expect(await cli(['terminate-instances', '--instance-ids', a, b, '--query', 'TerminatingInstances[].CurrentState.Name'])).toEqual(['shutting-down', 'shutting-down']);
    const bad = await awsCli(ctx.g, ['ec2', 'stop-instances', '--instance-ids', a, '--region', 'us-east-1']);
    expect(bad.stderr).toContain('(IncorrectInstanceState) when calling the StopInstances operation');
  }, 120_000);
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3 ec2 resource layer', () => {
  test('create_instances, Instance.state after the clock advances, stop, terminate', async () => {
    const r1 = await boto3(ctx.g, `
ec2 = boto3.resource('ec2', endpoint_url=ENDPOINT, region_name='eu-central-1')
insts = ec2.create_instances(ImageId='ami-12c6146b', InstanceType='t2.micro', MinCount=2, MaxCount=2, UserData='#!/bin/bash')
print(json.dumps([i.id for i in insts] + [insts[0].state['Name']]))
`);
    expect(r1.status, r1.stderr).toBe(0);
    const [a, b, state] = r1.json as string[];
    expect(state).toBe('pending');
    ctx.g.clock.advance(5_000);
    const r2 = await boto3(ctx.g, `
ec2 = boto3.resource('ec2', endpoint_url=ENDPOINT, region_name='eu-central-1')
i = ec2.Instance('${a}')
before = i.state['Name']
vpc = i.vpc_id
i.stop()
i.reload()
after = i.state['Name']
ec2.instances.filter(InstanceIds=['${a}', '${b}']).terminate()
running = [x.id for x in ec2.instances.filter(Filters=[{'Name': 'instance-state-name', 'Values': ['running']}])]
print(json.dumps([before, after, vpc.startswith('vpc-'), running, i.private_ip_address.startswith('172.31.')]))
`);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.json).toEqual(['running', 'stopping', true, [], true]);
  }, 120_000);
});
