// covers: events.CreateArchive events.ListArchives events.StartReplay events.ListReplays events.CreateConnection events.DescribeConnection events.CreateApiDestination events.ListApiDestinations events.PutPermission events.DescribeEventBus
/** Archives, replays, connections, API destinations and bus permissions through the AWS CLI and boto3. */
import { describe, expect, it } from 'vitest';
import { awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const BUS = 'arn:aws:events:us-east-1:000000000000:event-bus/default';

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('create-archive, list-archives, start-replay, list-replays; errors keep their codes', async () => {
    const a = await awsCli(ctx.g, ['events', 'create-archive', '--archive-name', 'cli-archive', '--event-source-arn', BUS, '--retention-days', '3']);
    expect(a.status, a.stderr).toBe(0);
    expect(a.json).toMatchObject({ ArchiveArn: 'arn:aws:events:us-east-1:000000000000:archive/cli-archive', State: 'ENABLED' });
    const l = await awsCli(ctx.g, ['events', 'list-archives', '--name-prefix', 'cli-']);
    expect((l.json as { Archives: { ArchiveName: string; RetentionDays: number }[] }).Archives).toEqual([expect.objectContaining({ ArchiveName: 'cli-archive', RetentionDays: 3 })]);
    const r = await awsCli(ctx.g, ['events', 'start-replay', '--replay-name', 'cli-replay', '--event-source-arn', 'arn:aws:events:us-east-1:000000000000:archive/cli-archive',
      '--event-start-time', '2020-01-01T00:00:00Z', '--event-end-time', '2020-01-02T00:00:00Z', '--destination', `Arn=${BUS}`]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ State: 'STARTING' });
    ctx.g.clock.advance('2s');
    const lr = await awsCli(ctx.g, ['events', 'list-replays', '--name-prefix', 'cli-']);
    expect((lr.json as { Replays: { ReplayName: string; State: string }[] }).Replays).toEqual([expect.objectContaining({ ReplayName: 'cli-replay', State: 'COMPLETED' })]);
    const dup = await awsCli(ctx.g, ['events', 'create-archive', '--archive-name', 'cli-archive', '--event-source-arn', BUS]);
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toContain('ResourceAlreadyExistsException');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('connections, API destinations and bus permissions', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('events', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
conn = c.create_connection(Name='py-conn', AuthorizationType='API_KEY', AuthParameters={'ApiKeyAuthParameters': {'ApiKeyName': 'x-key', 'ApiKeyValue': 'v'}})
d = c.describe_connection(Name='py-conn')
dest = c.create_api_destination(Name='py-dest', ConnectionArn=conn['ConnectionArn'], InvocationEndpoint='https://example.com/hook', HttpMethod='POST')
names = [x['Name'] for x in c.list_api_destinations(NamePrefix='py-')['ApiDestinations']]
c.put_permission(Action='events:PutEvents', Principal='123456789012', StatementId='py')
policy = json.loads(c.describe_event_bus()['Policy'])
try:
    c.describe_connection(Name='nope')
    err = None
except c.exceptions.ResourceNotFoundException as e:
    err = e.response['Error']['Message']
print(json.dumps({'state': d['ConnectionState'], 'key': d['AuthParameters']['ApiKeyAuthParameters'], 'dest': dest['ApiDestinationState'], 'names': names, 'sid': policy['Statement'][0]['Sid'], 'err': err}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ state: 'AUTHORIZED', key: { ApiKeyName: 'x-key' }, dest: 'ACTIVE', names: ['py-dest'], sid: 'py', err: "Connection 'nope' does not exist." });
  });
});
