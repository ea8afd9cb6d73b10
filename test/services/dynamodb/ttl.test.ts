// covers: dynamodb.UpdateTimeToLive dynamodb.DescribeTimeToLive dynamodb.PutItem dynamodb.GetItem dynamodbstreams.GetRecords
/** Time to live: settings and their errors, deletion by the sweeper on the virtual clock, REMOVE records by the service. */
import { describe, expect, it } from 'vitest';
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, UpdateTimeToLiveCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import { boto3, clientConfig, failure, HAS_PYTHON_BOTO3, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const nowSec = () => Math.floor(ctx.g.clock.now().getTime() / 1000);

async function table(name: string, stream = false): Promise<string | undefined> {
  return (await ddb().send(new CreateTableCommand({
    TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST',
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  }))).TableDescription!.LatestStreamArn;
}

describe('TTL settings', () => {
  it('enable, describe, the AWS errors, one change per hour', async () => {
    await table('Ttl_cfg');
    const c = ddb();
    expect((await c.send(new DescribeTimeToLiveCommand({ TableName: 'Ttl_cfg' }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'DISABLED' });
    expect(await failure(c.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl_cfg', TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' } }))))
      .toEqual({ name: 'ValidationException', message: 'TimeToLive is already disabled', status: 400 });
    const on = await c.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl_cfg', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    expect(on.TimeToLiveSpecification).toEqual({ Enabled: true, AttributeName: 'exp' });
    expect((await c.send(new DescribeTimeToLiveCommand({ TableName: 'Ttl_cfg' }))).TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
    expect((await failure(c.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl_cfg', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } })))).message).toBe('TimeToLive is already enabled');
    expect((await failure(c.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl_cfg', TimeToLiveSpecification: { Enabled: true, AttributeName: 'other' } })))).message)
      .toBe('TimeToLive is active on a different AttributeName: current AttributeName is exp');
    expect((await failure(c.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl_cfg', TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' } })))).message)
      .toBe('Time to live has been modified multiple times within a fixed interval');
    ctx.g.clock.advance('61m');
    await c.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl_cfg', TimeToLiveSpecification: { Enabled: false, AttributeName: 'exp' } }));
    expect((await c.send(new DescribeTimeToLiveCommand({ TableName: 'Ttl_cfg' }))).TimeToLiveDescription!.TimeToLiveStatus).toBe('DISABLED');
    expect(await failure(c.send(new DescribeTimeToLiveCommand({ TableName: 'Nope' })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found: Table: Nope not found' });
  });
});

describe('TTL deletion', () => {
  it('expired items are deleted by the sweep, readable until then; REMOVE records name the service', async () => {
    const arn = (await table('Ttl_del', true))!;
    const c = ddb();
    await c.send(new UpdateTimeToLiveCommand({ TableName: 'Ttl_del', TimeToLiveSpecification: { Enabled: true, AttributeName: 'exp' } }));
    const t0 = nowSec();
    await c.send(new PutItemCommand({ TableName: 'Ttl_del', Item: { pk: { S: 'soon' }, exp: { N: String(t0 + 10) } } }));
    await c.send(new PutItemCommand({ TableName: 'Ttl_del', Item: { pk: { S: 'later' }, exp: { N: String(t0 + 3600) } } }));
    await c.send(new PutItemCommand({ TableName: 'Ttl_del', Item: { pk: { S: 'text' }, exp: { S: String(t0) } } }));
    await c.send(new PutItemCommand({ TableName: 'Ttl_del', Item: { pk: { S: 'ancient' }, exp: { N: String(t0 - 6 * 365 * 86400) } } }));
    await c.send(new PutItemCommand({ TableName: 'Ttl_del', Item: { pk: { S: 'none' } } }));
    const get = async (k: string) => (await c.send(new GetItemCommand({ TableName: 'Ttl_del', Key: { pk: { S: k } } }))).Item;
    ctx.g.clock.advance('11s');
    // expired but not yet swept: still readable (as AWS)
    expect(await get('soon')).toBeDefined();
    ctx.g.clock.advance('2m');
    expect(await get('soon')).toBeUndefined();
    expect(await get('later')).toBeDefined();
    ctx.g.clock.advance('61m');
    expect(await get('later')).toBeUndefined();
    // a String TTL, one more than five years old, and none: never deleted
    for (const k of ['text', 'ancient', 'none']) expect(await get(k)).toBeDefined();

    const s = new DynamoDBStreamsClient(clientConfig(ctx.g));
    const shardId = (await s.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
    const it = (await s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
    const recs = (await s.send(new GetRecordsCommand({ ShardIterator: it }))).Records!;
    const removes = recs.filter((r) => r.eventName === 'REMOVE');
    expect(removes.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['soon', 'later']);
    for (const r of removes) expect(r.userIdentity).toEqual({ Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' });
    expect(removes[0]!.dynamodb!.OldImage).toEqual({ pk: { S: 'soon' }, exp: { N: String(t0 + 10) } });
    expect(recs.filter((r) => r.eventName === 'INSERT').every((r) => r.userIdentity === undefined)).toBe(true);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('update_time_to_live and describe_time_to_live', async () => {
    await table('Ttl_boto');
    const r = await boto3(ctx.g, `
c = boto3.client('dynamodb', endpoint_url=ENDPOINT, region_name='us-east-1')
c.update_time_to_live(TableName='Ttl_boto', TimeToLiveSpecification={'Enabled': True, 'AttributeName': 'ttl'})
d = c.describe_time_to_live(TableName='Ttl_boto')['TimeToLiveDescription']
try:
    c.update_time_to_live(TableName='Ttl_boto', TimeToLiveSpecification={'Enabled': True, 'AttributeName': 'ttl'})
except c.exceptions.ClientError as e:
    err = e.response['Error']['Message']
print(json.dumps({'d': d, 'err': err}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ d: { TimeToLiveStatus: 'ENABLED', AttributeName: 'ttl' }, err: 'TimeToLive is already enabled' });
  });
});
