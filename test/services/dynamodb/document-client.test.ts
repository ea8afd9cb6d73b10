// covers: dynamodb.CreateTable dynamodb.PutItem dynamodb.GetItem dynamodb.UpdateItem dynamodb.DeleteItem dynamodb.Query dynamodb.Scan dynamodb.BatchGetItem dynamodb.BatchWriteItem dynamodb.TransactGetItems dynamodb.TransactWriteItems dynamodb.ExecuteStatement
/** The SDK's DocumentClient (@aws-sdk/lib-dynamodb): native JS values, sets, numbers, binary. */
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, CreateTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient, PutCommand, GetCommand, UpdateCommand, DeleteCommand, QueryCommand, ScanCommand, BatchGetCommand, BatchWriteCommand,
  TransactGetCommand, TransactWriteCommand, ExecuteStatementCommand, NumberValue,
} from '@aws-sdk/lib-dynamodb';
import { clientConfig, rejection, useGureum } from '../../helpers.js';

const ctx = useGureum();
const doc = (wrapNumbers = false) => DynamoDBDocumentClient.from(new DynamoDBClient(clientConfig(ctx.g)), {
  marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: true },
  unmarshallOptions: { wrapNumbers },
});

beforeAll(async () => {
  await new DynamoDBClient(clientConfig(ctx.g)).send(new CreateTableCommand({
    TableName: 'Docs', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'tenant', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'tenant', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'N' }],
  }));
});

describe('DynamoDBDocumentClient', () => {
  it('put and get native values: strings, numbers, booleans, null, lists, maps, sets, binary', async () => {
    const item = {
      tenant: 't1', id: 1, name: 'Ann', score: 12.5, active: true, nothing: null, tags: new Set(['a', 'b']), lucky: new Set([7, 13]),
      blob: new Uint8Array([1, 2, 3]), nested: { list: [1, 'two', { three: 3 }], empty: {} }, skipped: undefined,
    };
    await doc().send(new PutCommand({ TableName: 'Docs', Item: item }));
    const { Item } = await doc().send(new GetCommand({ TableName: 'Docs', Key: { tenant: 't1', id: 1 } }));
    const { skipped: _s, ...expected } = item;
    expect(Item).toEqual(expected);
    expect(Item?.tags).toBeInstanceOf(Set);
  });

  it('numbers beyond doubles stay exact with NumberValue', async () => {
    const big = '12345678901234567890123456789.123456789';
    await doc().send(new PutCommand({ TableName: 'Docs', Item: { tenant: 't1', id: 2, big: NumberValue.from(big) } }));
    const { Item } = await doc(true).send(new GetCommand({ TableName: 'Docs', Key: { tenant: 't1', id: 2 } }));
    expect(String(Item?.big)).toBe(big);
  });

  it('update with expressions and native values; a failed condition', async () => {
    const r = await doc().send(new UpdateCommand({
      TableName: 'Docs', Key: { tenant: 't1', id: 1 },
      UpdateExpression: 'SET score = score + :inc, nested.#list = list_append(nested.#list, :more) ADD tags :t DELETE lucky :l REMOVE nothing',
      ExpressionAttributeNames: { '#list': 'list' }, // LIST is a reserved word
      ConditionExpression: 'active = :yes',
      ExpressionAttributeValues: { ':inc': 0.5, ':more': ['four'], ':t': new Set(['c']), ':l': new Set([7]), ':yes': true },
      ReturnValues: 'ALL_NEW',
    }));
    expect(r.Attributes).toMatchObject({ score: 13, tags: new Set(['a', 'b', 'c']), lucky: new Set([13]), nested: { list: [1, 'two', { three: 3 }, 'four'] } });
    expect(r.Attributes).not.toHaveProperty('nothing');
    const e = await rejection(doc().send(new UpdateCommand({ TableName: 'Docs', Key: { tenant: 't1', id: 1 }, UpdateExpression: 'SET score = :z', ConditionExpression: 'active = :no', ExpressionAttributeValues: { ':z': 0, ':no': false } })));
    expect(e.name).toBe('ConditionalCheckFailedException');
  });

  it('query, scan, batch and transactions', async () => {
    await doc().send(new BatchWriteCommand({ RequestItems: { Docs: [3, 4, 5].map((id) => ({ PutRequest: { Item: { tenant: 't2', id, even: id % 2 === 0 } } })) } }));
    const q = await doc().send(new QueryCommand({
      TableName: 'Docs', KeyConditionExpression: 'tenant = :t AND id BETWEEN :a AND :b', FilterExpression: 'even = :e',
      ExpressionAttributeValues: { ':t': 't2', ':a': 3, ':b': 5, ':e': false }, ScanIndexForward: false,
    }));
    expect(q.Items).toEqual([{ tenant: 't2', id: 5, even: false }, { tenant: 't2', id: 3, even: false }]);
    const s = await doc().send(new ScanCommand({ TableName: 'Docs', FilterExpression: 'attribute_exists(even)', Select: 'COUNT' }));
    expect(s.Count).toBe(3);
    const b = await doc().send(new BatchGetCommand({ RequestItems: { Docs: { Keys: [{ tenant: 't2', id: 3 }, { tenant: 't2', id: 9 }], ProjectionExpression: 'id' } } }));
    expect(b.Responses?.Docs).toEqual([{ id: 3 }]);

    await doc().send(new TransactWriteCommand({
      TransactItems: [
        { Put: { TableName: 'Docs', Item: { tenant: 't3', id: 1, n: 1 }, ConditionExpression: 'attribute_not_exists(id)' } },
        { Update: { TableName: 'Docs', Key: { tenant: 't2', id: 3 }, UpdateExpression: 'SET even = :x', ExpressionAttributeValues: { ':x': 'unknown' } } },
        { Delete: { TableName: 'Docs', Key: { tenant: 't2', id: 4 } } },
        { ConditionCheck: { TableName: 'Docs', Key: { tenant: 't2', id: 5 }, ConditionExpression: 'even = :f', ExpressionAttributeValues: { ':f': false } } },
      ],
    }));
    const t = await doc().send(new TransactGetCommand({ TransactItems: [{ Get: { TableName: 'Docs', Key: { tenant: 't3', id: 1 } } }, { Get: { TableName: 'Docs', Key: { tenant: 't2', id: 4 } } }] }));
    expect(t.Responses).toEqual([{ Item: { tenant: 't3', id: 1, n: 1 } }, {}]);
    const failed = await rejection(doc().send(new TransactWriteCommand({
      TransactItems: [{ Put: { TableName: 'Docs', Item: { tenant: 't3', id: 1 }, ConditionExpression: 'attribute_not_exists(id)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' } }],
    })));
    expect(failed.name).toBe('TransactionCanceledException');
    expect(failed.CancellationReasons[0].Code).toBe('ConditionalCheckFailed');
  });

  it('PartiQL with native parameters; delete with ReturnValues', async () => {
    const r = await doc().send(new ExecuteStatementCommand({ Statement: 'SELECT id, even FROM Docs WHERE tenant = ? AND id >= ?', Parameters: ['t2', 3] }));
    expect(r.Items).toEqual([{ id: 3, even: 'unknown' }, { id: 5, even: false }]);
    const d = await doc().send(new DeleteCommand({ TableName: 'Docs', Key: { tenant: 't2', id: 5 }, ReturnValues: 'ALL_OLD' }));
    expect(d.Attributes).toEqual({ tenant: 't2', id: 5, even: false });
  });
});
