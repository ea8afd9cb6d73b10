// covers: dynamodb.CreateTable dynamodb.UpdateTable dynamodb.PutItem dynamodb.UpdateItem dynamodb.DeleteItem dynamodb.BatchWriteItem dynamodb.TransactWriteItems dynamodb.DeleteTable dynamodbstreams.ListStreams dynamodbstreams.DescribeStream dynamodbstreams.GetShardIterator dynamodbstreams.GetRecords
/** DynamoDB Streams: records for every change and view type, the Streams API, retention on the clock. */
import { describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, BatchWriteItemCommand,
  TransactWriteItemsCommand, UpdateTableCommand, DescribeTableCommand, DeleteTableCommand,
} from '@aws-sdk/client-dynamodb';
import {
  DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand, GetShardIteratorCommand, GetRecordsCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import { awsCli, boto3, clientConfig, failure, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const streams = () => new DynamoDBStreamsClient(clientConfig(ctx.g));

async function table(name: string, viewType?: string): Promise<string | undefined> {
  const out = await ddb().send(new CreateTableCommand({
    TableName: name,
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
    ...(viewType ? { StreamSpecification: { StreamEnabled: true, StreamViewType: viewType as 'KEYS_ONLY' } } : {}),
  }));
  return out.TableDescription!.LatestStreamArn;
}

async function readAll(arn: string, type: 'TRIM_HORIZON' | 'LATEST' = 'TRIM_HORIZON'): Promise<_Record[]> {
  const s = streams();
  const d = await s.send(new DescribeStreamCommand({ StreamArn: arn }));
  const shard = d.StreamDescription!.Shards![0]!;
  let it = (await s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shard.ShardId!, ShardIteratorType: type }))).ShardIterator;
  const out: _Record[] = [];
  for (let i = 0; it && i < 20; i++) {
    const page = await s.send(new GetRecordsCommand({ ShardIterator: it, Limit: 2 }));
    out.push(...(page.Records ?? []));
    if (!page.Records?.length) break;
    it = page.NextShardIterator;
  }
  return out;
}

async function changes(name: string): Promise<void> {
  const c = ddb();
  await c.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { N: '1' } } }));
  await c.send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  // changes nothing: no record
  await c.send(new UpdateItemCommand({ TableName: name, Key: { pk: { S: 'a' } }, UpdateExpression: 'SET v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }));
  await c.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, v: { N: '2' } } }));
  await c.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }));
  // deleting a missing item: no record
  await c.send(new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'a' } } }));
}

describe('stream records', () => {
  it('NEW_AND_OLD_IMAGES: INSERT, MODIFY, REMOVE with both images, increasing sequence numbers', async () => {
    const arn = (await table('S_both', 'NEW_AND_OLD_IMAGES'))!;
    expect(arn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/S_both\/stream\/\d{4}-\d\d-\d\dT/);
    await changes('S_both');
    const recs = await readAll(arn);
    expect(recs.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    const [ins, mod, rem] = recs as [_Record, _Record, _Record];
    expect(ins).toMatchObject({ eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: 'us-east-1' });
    expect(ins.eventID).toMatch(/^[0-9a-f]{32}$/);
    expect(ins.dynamodb).toMatchObject({ Keys: { pk: { S: 'a' } }, NewImage: { pk: { S: 'a' }, v: { N: '1' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(ins.dynamodb!.OldImage).toBeUndefined();
    expect(mod.dynamodb).toMatchObject({ OldImage: { pk: { S: 'a' }, v: { N: '1' } }, NewImage: { pk: { S: 'a' }, v: { N: '2' } } });
    expect(rem.dynamodb).toMatchObject({ OldImage: { pk: { S: 'a' }, v: { N: '2' } } });
    expect(rem.dynamodb!.NewImage).toBeUndefined();
    expect(ins.dynamodb!.ApproximateCreationDateTime!.getTime()).toBe(Math.floor(ctx.g.clock.now().getTime() / 1000) * 1000);
    expect(ins.dynamodb!.SizeBytes).toBeGreaterThan(0);
    const seqs = recs.map((r) => r.dynamodb!.SequenceNumber!);
    for (const s of seqs) expect(s).toMatch(/^\d{21,}$/);
    expect(seqs.map(BigInt)).toEqual([...seqs.map(BigInt)].sort((a, b) => (a < b ? -1 : 1)));
    expect(new Set(seqs).size).toBe(3);
  });

  it.each([
    ['KEYS_ONLY', false, false],
    ['NEW_IMAGE', true, false],
    ['OLD_IMAGE', false, true],
  ] as const)('%s carries the right images', async (type, hasNew, hasOld) => {
    const arn = (await table(`S_${type}`, type))!;
    await changes(`S_${type}`);
    const recs = await readAll(arn);
    expect(recs.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    for (const r of recs) {
      expect(r.dynamodb!.Keys).toEqual({ pk: { S: 'a' } });
      expect(r.dynamodb!.StreamViewType).toBe(type);
      expect(r.dynamodb!.NewImage !== undefined).toBe(hasNew && r.eventName !== 'REMOVE');
      expect(r.dynamodb!.OldImage !== undefined).toBe(hasOld && r.eventName !== 'INSERT');
    }
  });

  it('batch writes and transactions append one record per item, in order', async () => {
    const arn = (await table('S_batch', 'NEW_IMAGE'))!;
    const c = ddb();
    await c.send(new BatchWriteItemCommand({ RequestItems: { S_batch: [1, 2, 3].map((i) => ({ PutRequest: { Item: { pk: { S: `b${i}` } } } })) } }));
    await c.send(new TransactWriteItemsCommand({ TransactItems: [
      { Put: { TableName: 'S_batch', Item: { pk: { S: 't1' } } } },
      { Delete: { TableName: 'S_batch', Key: { pk: { S: 'b1' } } } },
      { Update: { TableName: 'S_batch', Key: { pk: { S: 'b2' } }, UpdateExpression: 'SET x = :x', ExpressionAttributeValues: { ':x': { S: 'y' } } } },
    ] }));
    const recs = await readAll(arn);
    expect(recs.map((r) => `${r.eventName}:${r.dynamodb!.Keys!.pk!.S}`)).toEqual(['INSERT:b1', 'INSERT:b2', 'INSERT:b3', 'INSERT:t1', 'REMOVE:b1', 'MODIFY:b2']);
  });
});

describe('Streams API', () => {
  it('ListStreams filters by table and pages', async () => {
    await table('L_one', 'KEYS_ONLY');
    await table('L_two', 'KEYS_ONLY');
    const s = streams();
    const one = await s.send(new ListStreamsCommand({ TableName: 'L_one' }));
    expect(one.Streams).toHaveLength(1);
    expect(one.Streams![0]).toMatchObject({ TableName: 'L_one' });
    expect(one.Streams![0]!.StreamArn).toContain(one.Streams![0]!.StreamLabel!);
    const all = (await s.send(new ListStreamsCommand({}))).Streams!;
    const p1 = await s.send(new ListStreamsCommand({ Limit: 2 }));
    expect(p1.Streams).toHaveLength(2);
    expect(p1.LastEvaluatedStreamArn).toBe(p1.Streams![1]!.StreamArn);
    const p2 = await s.send(new ListStreamsCommand({ ExclusiveStartStreamArn: p1.LastEvaluatedStreamArn }));
    expect([...p1.Streams!, ...p2.Streams!]).toEqual(all);
  });

  it('DescribeStream, iterator types, LATEST, AT/AFTER_SEQUENCE_NUMBER, errors', async () => {
    const arn = (await table('D_t', 'NEW_IMAGE'))!;
    const s = streams();
    const d = (await s.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    expect(d).toMatchObject({ StreamArn: arn, StreamStatus: 'ENABLED', StreamViewType: 'NEW_IMAGE', TableName: 'D_t', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] });
    const shardId = d.Shards![0]!.ShardId!;
    expect(shardId).toMatch(/^shardId-\d{20}-[0-9a-f]{8}$/);
    expect(d.Shards![0]!.SequenceNumberRange!.StartingSequenceNumber).toMatch(/^\d{21}$/);
    expect(d.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber).toBeUndefined();

    const latest = (await s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'LATEST' }))).ShardIterator!;
    const c = ddb();
    for (const k of ['x', 'y', 'z']) await c.send(new PutItemCommand({ TableName: 'D_t', Item: { pk: { S: k } } }));
    const fromLatest = await s.send(new GetRecordsCommand({ ShardIterator: latest }));
    expect(fromLatest.Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['x', 'y', 'z']);
    const seqY = fromLatest.Records![1]!.dynamodb!.SequenceNumber!;
    const at = (await s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: seqY }))).ShardIterator!;
    expect((await s.send(new GetRecordsCommand({ ShardIterator: at }))).Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['y', 'z']);
    const after = (await s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: seqY }))).ShardIterator!;
    const afterPage = await s.send(new GetRecordsCommand({ ShardIterator: after, Limit: 1 }));
    expect(afterPage.Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['z']);
    // the next iterator waits at the end for new records
    const empty = await s.send(new GetRecordsCommand({ ShardIterator: afterPage.NextShardIterator! }));
    expect(empty.Records).toEqual([]);
    await c.send(new PutItemCommand({ TableName: 'D_t', Item: { pk: { S: 'w' } } }));
    expect((await s.send(new GetRecordsCommand({ ShardIterator: empty.NextShardIterator! }))).Records!.map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['w']);

    expect(await failure(s.send(new GetRecordsCommand({ ShardIterator: latest, Limit: 1001 })))).toMatchObject({ name: 'ValidationException', status: 400 });
    expect((await failure(s.send(new GetRecordsCommand({ ShardIterator: latest, Limit: 0 })))).message).toContain("Value '0' at 'limit' failed to satisfy constraint");
    expect(await failure(s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER' })))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(s.send(new DescribeStreamCommand({ StreamArn: arn.replace('D_t', 'Nope') })))).toMatchObject({ name: 'ResourceNotFoundException' });

    // iterators expire after 15 minutes
    const fresh = (await s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator!;
    ctx.g.clock.advance('16m');
    expect(await failure(s.send(new GetRecordsCommand({ ShardIterator: fresh })))).toMatchObject({ name: 'ExpiredIteratorException', status: 400 });
  });

  it('24-hour retention: trimmed records are gone, an old position is TrimmedDataAccessException', async () => {
    const arn = (await table('R_t', 'KEYS_ONLY'))!;
    const c = ddb();
    const s = streams();
    await c.send(new PutItemCommand({ TableName: 'R_t', Item: { pk: { S: 'old' } } }));
    const shardId = (await s.send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!.Shards![0]!.ShardId!;
    const first = (await readAll(arn))[0]!.dynamodb!.SequenceNumber!;
    ctx.g.clock.advance('23h');
    await c.send(new PutItemCommand({ TableName: 'R_t', Item: { pk: { S: 'new' } } }));
    ctx.g.clock.advance('2h');
    expect((await readAll(arn)).map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['new']);
    expect(await failure(s.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'AT_SEQUENCE_NUMBER', SequenceNumber: first }))))
      .toMatchObject({ name: 'TrimmedDataAccessException', status: 400 });
  });

  it('UpdateTable disables (shard closed, DISABLED) and re-enables with a new stream ARN', async () => {
    const arn = (await table('U_t', 'NEW_IMAGE'))!;
    const c = ddb();
    await c.send(new PutItemCommand({ TableName: 'U_t', Item: { pk: { S: '1' } } }));
    const off = await c.send(new UpdateTableCommand({ TableName: 'U_t', StreamSpecification: { StreamEnabled: false } }));
    expect(off.TableDescription!.StreamSpecification).toBeUndefined();
    expect(off.TableDescription!.LatestStreamArn).toBe(arn);
    await c.send(new PutItemCommand({ TableName: 'U_t', Item: { pk: { S: '2' } } }));
    const d = (await streams().send(new DescribeStreamCommand({ StreamArn: arn }))).StreamDescription!;
    expect(d.StreamStatus).toBe('DISABLED');
    expect(d.Shards![0]!.SequenceNumberRange!.EndingSequenceNumber).toMatch(/^\d{21}$/);
    expect((await readAll(arn)).map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['1']);
    expect(await failure(c.send(new UpdateTableCommand({ TableName: 'U_t', StreamSpecification: { StreamEnabled: false } }))))
      .toEqual({ name: 'ValidationException', message: 'Table has no stream to disable: TableName: U_t', status: 400 });
    ctx.g.clock.advance('1s');
    const on = await c.send(new UpdateTableCommand({ TableName: 'U_t', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }));
    const arn2 = on.TableDescription!.LatestStreamArn!;
    expect(arn2).not.toBe(arn);
    expect(on.TableDescription!.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'KEYS_ONLY' });
    expect(await failure(c.send(new UpdateTableCommand({ TableName: 'U_t', StreamSpecification: { StreamEnabled: true, StreamViewType: 'KEYS_ONLY' } }))))
      .toEqual({ name: 'ValidationException', message: 'Table already has an enabled stream: TableName: U_t', status: 400 });
    await c.send(new PutItemCommand({ TableName: 'U_t', Item: { pk: { S: '3' } } }));
    expect((await readAll(arn2)).map((r) => r.dynamodb!.Keys!.pk!.S)).toEqual(['3']);
    expect((await streams().send(new ListStreamsCommand({ TableName: 'U_t' }))).Streams!.map((x) => x.StreamArn)).toEqual([arn, arn2]);
    // a deleted table's stream is disabled, and gone 24 hours later
    await c.send(new DeleteTableCommand({ TableName: 'U_t' }));
    expect((await streams().send(new DescribeStreamCommand({ StreamArn: arn2 }))).StreamDescription!.StreamStatus).toBe('DISABLED');
    ctx.g.clock.advance('25h');
    expect((await streams().send(new ListStreamsCommand({ TableName: 'U_t' }))).Streams).toEqual([]);
    expect(await failure(c.send(new DescribeTableCommand({ TableName: 'U_t' })))).toMatchObject({ name: 'ResourceNotFoundException' });
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('dynamodbstreams list-streams, describe-stream, get-shard-iterator, get-records', async () => {
    const arn = (await table('Cli_s', 'NEW_AND_OLD_IMAGES'))!;
    await ddb().send(new PutItemCommand({ TableName: 'Cli_s', Item: { pk: { S: 'k' }, n: { N: '7' } } }));
    const list = await awsCli(ctx.g, ['dynamodbstreams', 'list-streams', '--table-name', 'Cli_s']);
    expect(list.status, list.stderr).toBe(0);
    expect((list.json as { Streams: { StreamArn: string }[] }).Streams[0]!.StreamArn).toBe(arn);
    const d = await awsCli(ctx.g, ['dynamodbstreams', 'describe-stream', '--stream-arn', arn]);
    expect(d.status, d.stderr).toBe(0);
    const shard = (d.json as { StreamDescription: { Shards: { ShardId: string }[] } }).StreamDescription.Shards[0]!.ShardId;
    const it = await awsCli(ctx.g, ['dynamodbstreams', 'get-shard-iterator', '--stream-arn', arn, '--shard-id', shard, '--shard-iterator-type', 'TRIM_HORIZON']);
    expect(it.status, it.stderr).toBe(0);
    const recs = await awsCli(ctx.g, ['dynamodbstreams', 'get-records', '--shard-iterator', (it.json as { ShardIterator: string }).ShardIterator]);
    expect(recs.status, recs.stderr).toBe(0);
    const r = (recs.json as { Records: { eventName: string; dynamodb: Record<string, unknown> }[] }).Records;
    expect(r).toHaveLength(1);
    expect(r[0]!.eventName).toBe('INSERT');
    expect(r[0]!.dynamodb.NewImage).toEqual({ pk: { S: 'k' }, n: { N: '7' } });
    expect(typeof r[0]!.dynamodb.ApproximateCreationDateTime).toBe('number');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('dynamodbstreams client reads the records', async () => {
    const arn = (await table('Boto_s', 'NEW_IMAGE'))!;
    await ddb().send(new PutItemCommand({ TableName: 'Boto_s', Item: { pk: { S: 'b' } } }));
    const r = await boto3(ctx.g, `
c = boto3.client('dynamodbstreams', endpoint_url=ENDPOINT, region_name='us-east-1')
d = c.describe_stream(StreamArn='${arn}')['StreamDescription']
it = c.get_shard_iterator(StreamArn='${arn}', ShardId=d['Shards'][0]['ShardId'], ShardIteratorType='TRIM_HORIZON')['ShardIterator']
recs = c.get_records(ShardIterator=it)['Records']
print(json.dumps({'status': d['StreamStatus'], 'events': [x['eventName'] for x in recs], 'img': recs[0]['dynamodb']['NewImage']}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ status: 'ENABLED', events: ['INSERT'], img: { pk: { S: 'b' } } });
  });
});
