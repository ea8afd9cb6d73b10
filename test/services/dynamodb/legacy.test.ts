// covers: dynamodb.CreateTable dynamodb.PutItem dynamodb.GetItem dynamodb.UpdateItem dynamodb.DeleteItem dynamodb.Query dynamodb.Scan dynamodb.BatchGetItem
/** Legacy (pre-expression) parameters: Expected, AttributeUpdates, AttributesToGet, KeyConditions, QueryFilter, ScanFilter, ConditionalOperator. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand, ScanCommand, BatchGetItemCommand,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, failure, rejection, useGureum, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const ctx = useGureum();
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const P = 'One or more parameter values were invalid: ';

beforeAll(async () => {
  await ddb().send(new CreateTableCommand({
    TableName: 'Legacy', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
  }));
  for (let i = 1; i <= 5; i++) {
    await ddb().send(new PutItemCommand({ TableName: 'Legacy', Item: { pk: { S: 'p' }, sk: { N: String(i) }, v: { N: String(i * 10) }, s: { S: `name${i}` }, ...(i % 2 ? { tags: { SS: ['odd', `t${i}`] } } : {}) } }));
  }
});

const key = (sk: number) => ({ pk: { S: 'p' }, sk: { N: String(sk) } });

describe('Expected', () => {
  it('Exists/Value and ComparisonOperator conditions, joined by ConditionalOperator', async () => {
    const upd = (Expected: Record<string, unknown>, ConditionalOperator?: 'AND' | 'OR') =>
      ddb().send(new UpdateItemCommand({ TableName: 'Legacy', Key: key(1), AttributeUpdates: { mark: { Action: 'PUT', Value: { S: 'x' } } }, Expected: Expected as never, ConditionalOperator }));
    await upd({ v: { Value: { N: '10' } }, nope: { Exists: false } });
    await upd({ v: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '5' }, { N: '15' }] }, s: { ComparisonOperator: 'BEGINS_WITH', AttributeValueList: [{ S: 'name' }] } });
    await upd({ v: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '100' }] }, tags: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 'odd' }] } }, 'OR');
    await upd({ nope: { ComparisonOperator: 'NULL' }, v: { ComparisonOperator: 'IN', AttributeValueList: [{ N: '1' }, { N: '10' }] } });
    const e = await rejection(upd({ v: { ComparisonOperator: 'NE', AttributeValueList: [{ N: '10' }] } }));
    expect(e.name).toBe('ConditionalCheckFailedException');
    expect((await rejection(ddb().send(new PutItemCommand({ TableName: 'Legacy', Item: key(1), Expected: { pk: { Exists: false } } })))).name).toBe('ConditionalCheckFailedException');
    expect((await rejection(ddb().send(new DeleteItemCommand({ TableName: 'Legacy', Key: key(1), Expected: { v: { Value: { N: '11' } } } })))).name).toBe('ConditionalCheckFailedException');
  });

  it('validation messages', async () => {
    const put = (Expected: Record<string, unknown>, ConditionalOperator?: string) =>
      failure(ddb().send(new PutItemCommand({ TableName: 'Legacy', Item: key(9), Expected: Expected as never, ConditionalOperator: ConditionalOperator as never })));
    expect((await put({ a: {} })).message).toBe(`${P}Value must be provided when Exists is null for Attribute: a`);
    expect((await put({ a: { Exists: true } })).message).toBe(`${P}Value must be provided when Exists is true for Attribute: a`);
    expect((await put({ a: { Exists: false, Value: { S: 'x' } } })).message).toBe(`${P}Value cannot be used when Exists is false for Attribute: a`);
    expect((await put({ a: { ComparisonOperator: 'BETWEEN', Value: { S: 'x' } } })).message).toBe(`${P}Invalid number of argument(s) for the BETWEEN ComparisonOperator`);
    expect((await put({ a: { ComparisonOperator: 'EQ' } })).message).toBe(`${P}Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a`);
    expect((await put({ a: { ComparisonOperator: 'EQ', Exists: true, Value: { S: 'x' } } })).message).toBe(`${P}Exists and ComparisonOperator cannot be used together for Attribute: a`);
    expect((await put({ a: { ComparisonOperator: 'LT', AttributeValueList: [{ BOOL: true }] } })).message).toBe(`${P}ComparisonOperator LT is not valid for BOOL AttributeValue type`);
    expect((await put({ a: { Value: { S: 'x' } } }, 'OR')).message).toBe('ConditionalOperator can only be used when Filter or Expected has two or more elements');
    expect((await failure(ddb().send(new PutItemCommand({ TableName: 'Legacy', Item: key(9), ConditionalOperator: 'AND' })))).message).toBe('ConditionalOperator cannot be used without Filter or Expected');
    expect((await failure(ddb().send(new PutItemCommand({ TableName: 'Legacy', Item: key(9), Expected: { a: { Exists: false } }, ConditionExpression: 'attribute_exists(b)' })))).message)
      .toBe('Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}');
  });
});

describe('AttributeUpdates', () => {
  it('PUT, ADD (numbers, sets, lists), DELETE (attributes and set members)', async () => {
    await ddb().send(new PutItemCommand({ TableName: 'Legacy', Item: { ...key(20), n: { N: '1' }, ss: { SS: ['a', 'b'] }, l: { L: [{ S: 'x' }] }, gone: { S: 'y' } } }));
    const r = await ddb().send(new UpdateItemCommand({
      TableName: 'Legacy', Key: key(20), ReturnValues: 'ALL_NEW',
      AttributeUpdates: {
        n: { Action: 'ADD', Value: { N: '2.5' } }, fresh: { Action: 'ADD', Value: { N: '7' } }, ss: { Action: 'DELETE', Value: { SS: ['a'] } },
        l: { Action: 'ADD', Value: { L: [{ S: 'z' }] } }, gone: { Action: 'DELETE' }, p: { Value: { BOOL: true } }, ns: { Action: 'ADD', Value: { NS: ['1', '2'] } },
      },
    }));
    expect(r.Attributes).toEqual({ ...key(20), n: { N: '3.5' }, fresh: { N: '7' }, ss: { SS: ['b'] }, l: { L: [{ S: 'x' }, { S: 'z' }] }, p: { BOOL: true }, ns: { NS: ['1', '2'] } });
    const upd = (AttributeUpdates: Record<string, unknown>) => failure(ddb().send(new UpdateItemCommand({ TableName: 'Legacy', Key: key(20), AttributeUpdates: AttributeUpdates as never })));
    expect((await upd({ x: { Action: 'ADD', Value: { S: 'a' } } })).message).toBe(`${P}ADD action is not supported for the type S`);
    expect((await upd({ x: { Action: 'DELETE', Value: { N: '1' } } })).message).toBe(`${P}DELETE action with value is not supported for the type N`);
    expect((await upd({ x: { Action: 'PUT' } })).message).toBe(`${P}Only DELETE action is allowed when no attribute value is specified`);
    expect((await upd({ sk: { Action: 'PUT', Value: { N: '1' } } })).message).toBe(`${P}Cannot update attribute sk. This attribute is part of the key`);
    expect((await failure(ddb().send(new UpdateItemCommand({ TableName: 'Legacy', Key: key(20), AttributeUpdates: { a: { Value: { S: 'x' } } }, UpdateExpression: 'SET b = :b', ExpressionAttributeValues: { ':b': { S: 'y' } } })))).message)
      .toBe('Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}');
  });
});

describe('KeyConditions, QueryFilter, ScanFilter, AttributesToGet', () => {
  it('Query with KeyConditions and a QueryFilter', async () => {
    const r = await ddb().send(new QueryCommand({
      TableName: 'Legacy',
      KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'LE', AttributeValueList: [{ N: '4' }] } },
      QueryFilter: { v: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '20' }] }, tags: { ComparisonOperator: 'NOT_NULL' } },
      ConditionalOperator: 'OR', AttributesToGet: ['sk'], ScanIndexForward: false,
    }));
    expect(r.Items).toEqual([{ sk: { N: '4' } }, { sk: { N: '3' } }, { sk: { N: '2' } }, { sk: { N: '1' } }]);
    expect(r.ScannedCount).toBe(4);
    const between = await ddb().send(new QueryCommand({ TableName: 'Legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] }, sk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '2' }, { N: '3' }] } } }));
    expect(between.Items?.map((i) => i.sk!.N)).toEqual(['2', '3']);
    expect((await failure(ddb().send(new QueryCommand({ TableName: 'Legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } }, QueryFilter: { sk: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } } })))).message)
      .toBe('QueryFilter can only contain non-primary key attributes: Primary key attribute: sk');
    expect((await failure(ddb().send(new QueryCommand({ TableName: 'Legacy', KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } }, KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } })))).message)
      .toBe('Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}');
    expect((await failure(ddb().send(new QueryCommand({ TableName: 'Legacy', KeyConditions: { pk: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ S: 'a' }] } } })))).message)
      .toBe(`${P}Invalid number of argument(s) for the BETWEEN ComparisonOperator`);
  });

  it('Scan with a ScanFilter; GetItem and BatchGetItem with AttributesToGet', async () => {
    const r = await ddb().send(new ScanCommand({ TableName: 'Legacy', ScanFilter: { tags: { ComparisonOperator: 'CONTAINS', AttributeValueList: [{ S: 't3' }] } } }));
    expect(r.Items?.map((i) => i.sk!.N)).toEqual(['3']);
    const nc = await ddb().send(new ScanCommand({ TableName: 'Legacy', ScanFilter: { s: { ComparisonOperator: 'NOT_CONTAINS', AttributeValueList: [{ S: '2' }] }, v: { ComparisonOperator: 'LT', AttributeValueList: [{ N: '40' }] } }, ConditionalOperator: 'AND' }));
    expect(nc.Items?.map((i) => i.sk!.N).sort()).toEqual(['1', '3']);
    expect((await failure(ddb().send(new ScanCommand({ TableName: 'Legacy', ScanFilter: { s: { ComparisonOperator: 'EQ', AttributeValueList: [{ BOOL: true }] } } })))).message)
      .toBe(`${P}ComparisonOperator EQ is not valid for BOOL AttributeValue type`);
    const got = await ddb().send(new GetItemCommand({ TableName: 'Legacy', Key: key(2), AttributesToGet: ['v', 's'] }));
    expect(got.Item).toEqual({ v: { N: '20' }, s: { S: 'name2' } });
    const batch = await ddb().send(new BatchGetItemCommand({ RequestItems: { Legacy: { Keys: [key(2), key(3)], AttributesToGet: ['sk'] } } }));
    expect(batch.Responses?.Legacy?.map((i) => i.sk!.N).sort()).toEqual(['2', '3']);
    expect(Object.keys(batch.Responses!.Legacy![0]!)).toEqual(['sk']);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('the legacy API through botocore', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('dynamodb', endpoint_url=ENDPOINT, region_name='us-east-1')
c.update_item(TableName='Legacy', Key={'pk': {'S': 'p'}, 'sk': {'N': '5'}}, AttributeUpdates={'v': {'Action': 'ADD', 'Value': {'N': '1'}}}, Expected={'v': {'Value': {'N': '50'}}})
q = c.query(TableName='Legacy', KeyConditions={'pk': {'ComparisonOperator': 'EQ', 'AttributeValueList': [{'S': 'p'}]}, 'sk': {'ComparisonOperator': 'EQ', 'AttributeValueList': [{'N': '5'}]}})
print(json.dumps(q['Items'][0]['v']))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ N: '51' });
  });
});
