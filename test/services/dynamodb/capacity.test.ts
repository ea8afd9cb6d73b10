// covers: dynamodb.CreateTable dynamodb.PutItem dynamodb.GetItem dynamodb.UpdateItem dynamodb.DeleteItem dynamodb.Query dynamodb.Scan dynamodb.BatchGetItem dynamodb.BatchWriteItem dynamodb.TransactGetItems dynamodb.TransactWriteItems
/** ReturnConsumedCapacity (TOTAL / INDEXES) and ReturnItemCollectionMetrics, computed as DynamoDB does. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand, ScanCommand,
  BatchGetItemCommand, BatchWriteItemCommand, TransactGetItemsCommand, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, useGureum } from '../../helpers.js';

const ctx = useGureum();
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const w = (n: number) => ({ CapacityUnits: n, WriteCapacityUnits: n });
const r = (n: number) => ({ CapacityUnits: n, ReadCapacityUnits: n });
const key = (sk: string) => ({ pk: { S: 'a' }, sk: { S: sk } });

beforeAll(async () => {
  await ddb().send(new CreateTableCommand({
    TableName: 'Cap', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: ['pk', 'sk', 'g', 'l'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const })),
    GlobalSecondaryIndexes: [{ IndexName: 'Gsi1', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
    LocalSecondaryIndexes: [{ IndexName: 'Lsi1', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'l', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  }));
  await ddb().send(new CreateTableCommand({
    TableName: 'Plain', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
});

describe('writes', () => {
  it('PutItem: one unit per KB of the larger item, plus every index the write touches', async () => {
    const put = (Item: Record<string, { S: string }>) => ddb().send(new PutItemCommand({ TableName: 'Cap', Item, ReturnConsumedCapacity: 'INDEXES' }));
    const first = await put({ ...key('1'), g: { S: 'g1' }, l: { S: 'l1' } });
    expect(first.ConsumedCapacity).toEqual({ TableName: 'Cap', ...w(3), Table: w(1), GlobalSecondaryIndexes: { Gsi1: w(1) }, LocalSecondaryIndexes: { Lsi1: w(1) } });
    const same = await put({ ...key('1'), g: { S: 'g1' }, l: { S: 'l1' } });
    expect(same.ConsumedCapacity).toEqual({ TableName: 'Cap', ...w(1), Table: w(1) });
    const moved = await put({ ...key('1'), g: { S: 'g2' }, l: { S: 'l1' } });
    expect(moved.ConsumedCapacity).toEqual({ TableName: 'Cap', ...w(3), Table: w(1), GlobalSecondaryIndexes: { Gsi1: w(2) } });
    const big = await ddb().send(new PutItemCommand({ TableName: 'Plain', Item: { id: { S: 'big' }, d: { S: 'x'.repeat(2500) } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(big.ConsumedCapacity).toEqual({ TableName: 'Plain', ...w(3) });
    const none = await ddb().send(new PutItemCommand({ TableName: 'Plain', Item: { id: { S: 'n' } }, ReturnConsumedCapacity: 'NONE' }));
    expect(none.ConsumedCapacity).toBeUndefined();
  });

  it('UpdateItem and DeleteItem', async () => {
    const u = await ddb().send(new UpdateItemCommand({ TableName: 'Cap', Key: key('1'), UpdateExpression: 'REMOVE l', ReturnConsumedCapacity: 'INDEXES' }));
    expect(u.ConsumedCapacity).toEqual({ TableName: 'Cap', ...w(3), Table: w(1), GlobalSecondaryIndexes: { Gsi1: w(1) }, LocalSecondaryIndexes: { Lsi1: w(1) } });
    const d = await ddb().send(new DeleteItemCommand({ TableName: 'Cap', Key: key('1'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(d.ConsumedCapacity).toEqual({ TableName: 'Cap', ...w(2) });
    const missing = await ddb().send(new DeleteItemCommand({ TableName: 'Cap', Key: key('nope'), ReturnConsumedCapacity: 'TOTAL' }));
    expect(missing.ConsumedCapacity).toEqual({ TableName: 'Cap', ...w(1) });
  });

  it('BatchWriteItem per table; TransactWriteItems at twice the cost', async () => {
    const b = await ddb().send(new BatchWriteItemCommand({
      RequestItems: { Cap: [{ PutRequest: { Item: { ...key('2'), g: { S: 'g' } } } }, { PutRequest: { Item: key('3') } }], Plain: [{ DeleteRequest: { Key: { id: { S: 'n' } } } }] },
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(b.ConsumedCapacity).toEqual([{ TableName: 'Cap', ...w(3) }, { TableName: 'Plain', ...w(1) }]);
    const t = await ddb().send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName: 'Plain', Item: { id: { S: 't1' } } } },
        { Update: { TableName: 'Plain', Key: { id: { S: 'big' } }, UpdateExpression: 'SET z = :z', ExpressionAttributeValues: { ':z': { N: '1' } } } },
        { ConditionCheck: { TableName: 'Cap', Key: key('3'), ConditionExpression: 'attribute_exists(pk)' } },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(t.ConsumedCapacity).toEqual([{ TableName: 'Plain', ...w(8) }, { TableName: 'Cap', ...w(2) }]);
  });
});

describe('reads', () => {
  it('GetItem: one unit per 4 KB, half when eventually consistent, at least one read', async () => {
    const get = (id: string, ConsistentRead?: boolean) => ddb().send(new GetItemCommand({ TableName: 'Plain', Key: { id: { S: id } }, ConsistentRead, ReturnConsumedCapacity: 'TOTAL' }));
    expect((await get('t1')).ConsumedCapacity).toEqual({ TableName: 'Plain', ...r(0.5) });
    expect((await get('t1', true)).ConsumedCapacity).toEqual({ TableName: 'Plain', ...r(1) });
    expect((await get('missing', true)).ConsumedCapacity).toEqual({ TableName: 'Plain', ...r(1) });
    await ddb().send(new PutItemCommand({ TableName: 'Plain', Item: { id: { S: 'nine' }, d: { S: 'x'.repeat(9000) } } }));
    expect((await get('nine', true)).ConsumedCapacity).toEqual({ TableName: 'Plain', ...r(3) });
  });

  it('Query and Scan add the sizes read before rounding; an index read is charged to the index', async () => {
    const q = await ddb().send(new QueryCommand({ TableName: 'Cap', KeyConditionExpression: 'pk = :a', ExpressionAttributeValues: { ':a': { S: 'a' } }, ReturnConsumedCapacity: 'INDEXES' }));
    expect(q.ConsumedCapacity).toEqual({ TableName: 'Cap', ...r(0.5), Table: r(0.5) });
    const gi = await ddb().send(new QueryCommand({ TableName: 'Cap', IndexName: 'Gsi1', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'g' } }, ReturnConsumedCapacity: 'INDEXES' }));
    expect(gi.ConsumedCapacity).toEqual({ TableName: 'Cap', ...r(0.5), Table: r(0), GlobalSecondaryIndexes: { Gsi1: r(0.5) } });
    const s = await ddb().send(new ScanCommand({ TableName: 'Plain', ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }));
    expect(s.ConsumedCapacity).toEqual({ TableName: 'Plain', ...r(3) }); // 9 KB + 2.5 KB + a small item, rounded once: 3 x 4 KB
  });

  it('BatchGetItem rounds each item; TransactGetItems at twice the cost', async () => {
    const b = await ddb().send(new BatchGetItemCommand({ RequestItems: { Plain: { Keys: [{ id: { S: 'nine' } }, { id: { S: 't1' } }, { id: { S: 'zz' } }], ConsistentRead: true } }, ReturnConsumedCapacity: 'TOTAL' }));
    expect(b.ConsumedCapacity).toEqual([{ TableName: 'Plain', ...r(5) }]);
    const t = await ddb().send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Plain', Key: { id: { S: 'nine' } } } }, { Get: { TableName: 'Cap', Key: key('2') } }], ReturnConsumedCapacity: 'TOTAL' }));
    expect(t.ConsumedCapacity).toEqual([{ TableName: 'Plain', ...r(6) }, { TableName: 'Cap', ...r(2) }]);
  });
});

describe('ReturnItemCollectionMetrics', () => {
  it('answers the item collection of tables with local secondary indexes', async () => {
    const p = await ddb().send(new PutItemCommand({ TableName: 'Cap', Item: { ...key('4'), l: { S: 'x' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(p.ItemCollectionMetrics).toEqual({ ItemCollectionKey: { pk: { S: 'a' } }, SizeEstimateRangeGB: [0, 1] });
    const u = await ddb().send(new UpdateItemCommand({ TableName: 'Cap', Key: key('4'), UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '1' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(u.ItemCollectionMetrics?.ItemCollectionKey).toEqual({ pk: { S: 'a' } });
    const none = await ddb().send(new PutItemCommand({ TableName: 'Cap', Item: key('5'), ReturnItemCollectionMetrics: 'NONE' }));
    expect(none.ItemCollectionMetrics).toBeUndefined();
    const plain = await ddb().send(new PutItemCommand({ TableName: 'Plain', Item: { id: { S: 'p' } }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(plain.ItemCollectionMetrics).toBeUndefined();
    const b = await ddb().send(new BatchWriteItemCommand({ RequestItems: { Cap: [{ PutRequest: { Item: key('6') } }] }, ReturnItemCollectionMetrics: 'SIZE' }));
    expect(b.ItemCollectionMetrics).toEqual({ Cap: [{ ItemCollectionKey: { pk: { S: 'a' } }, SizeEstimateRangeGB: [0, 1] }] });
  });
});
