// covers: dynamodb.CreateTable dynamodb.DescribeTable dynamodb.ListTables dynamodb.DeleteTable dynamodb.PutItem dynamodb.GetItem dynamodb.DeleteItem dynamodb.TagResource dynamodb.UntagResource dynamodb.ListTagsOfResource
import { describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, DescribeTableCommand, ListTablesCommand, DeleteTableCommand,
  PutItemCommand, GetItemCommand, DeleteItemCommand, TagResourceCommand, UntagResourceCommand, ListTagsOfResourceCommand, type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, useGureum, rejection } from '../../helpers.js';

// A table delay like AWS's, so CREATING → ACTIVE can be watched on the clock (the default is 0).
const ctx = useGureum({ freezeClock: true, config: { dynamodbTableDelayMs: 1000 } });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));

const simple = (TableName: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName,
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  BillingMode: 'PAY_PER_REQUEST',
  ...extra,
});

async function table(name: string, extra: Partial<CreateTableCommandInput> = {}) {
  await ddb().send(new CreateTableCommand(simple(name, extra)));
}

describe('tables', () => {
  it('CreateTable: CREATING, then ACTIVE on the virtual clock; DescribeTable shows the details', async () => {
    const created = await ddb().send(new CreateTableCommand(simple('Users')));
    const d = created.TableDescription!;
    expect(d.TableStatus).toBe('CREATING');
    expect(d.TableArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/Users');
    expect(d.TableId).toMatch(/^[0-9a-f-]{36}$/);
    expect(d.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(d.CreationDateTime?.getTime()).toBe(ctx.g.clock.now().getTime());
    expect((await ddb().send(new DescribeTableCommand({ TableName: 'Users' }))).Table?.TableStatus).toBe('CREATING');
    ctx.g.clock.advance('1s');
    const t = (await ddb().send(new DescribeTableCommand({ TableName: 'Users' }))).Table!;
    expect(t).toMatchObject({ TableName: 'Users', TableStatus: 'ACTIVE', ItemCount: 0, TableSizeBytes: 0, TableId: d.TableId, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] });
    expect(t.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
  });

  it('provisioned tables and their throughput rules', async () => {
    const r = await ddb().send(new CreateTableCommand(simple('Prov', { BillingMode: undefined, ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 } })));
    expect(r.TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
    expect(r.TableDescription?.BillingModeSummary?.BillingMode).toBe('PROVISIONED');
    expect((await rejection(ddb().send(new CreateTableCommand(simple('NoPT', { BillingMode: 'PROVISIONED' }))))).message)
      .toBe('One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
    expect((await rejection(ddb().send(new CreateTableCommand(simple('BothPT', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }))))).message)
      .toBe('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    expect((await rejection(ddb().send(new CreateTableCommand(simple('ZeroPT', { BillingMode: undefined, ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 1 } }))))).message)
      .toBe("1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1");
  });

  it('validates key schemas with DynamoDB messages', async () => {
    const cases: [Partial<CreateTableCommandInput>, string][] = [
      [{ AttributeDefinitions: [{ AttributeName: 'other', AttributeType: 'S' }] },
        'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]'],
      [{ AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'x', AttributeType: 'N' }] },
        'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions'],
      [{ KeySchema: [{ AttributeName: 'id', KeyType: 'RANGE' }] }, 'Invalid KeySchema: The first KeySchemaElement is not a HASH key type'],
      [{ KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }] }, 'Invalid KeySchema: Some index key attribute have no definition'],
      // BOOL is not a ScalarAttributeType: sent on purpose to get DynamoDB's enum error
      [{ AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'BOOL' as never }] },
        "1 validation error detected: Value 'BOOL' at 'attributeDefinitions.1.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]"],
      [{ TableName: 'ab' }, "1 validation error detected: Value 'ab' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"],
    ];
    for (const [extra, message] of cases) {
      const e = await rejection(ddb().send(new CreateTableCommand(simple('Bad', extra))));
      expect(e.name).toBe('ValidationException');
      expect(e.message).toBe(message);
    }
  });

  it('ResourceInUseException for an existing table; ResourceNotFoundException for a missing one', async () => {
    await table('Dup');
    const e = await rejection(ddb().send(new CreateTableCommand(simple('Dup'))));
    expect(e.name).toBe('ResourceInUseException');
    expect(e.message).toBe('Table already exists: Dup');
    const nf = await rejection(ddb().send(new DescribeTableCommand({ TableName: 'Missing' })));
    expect(nf.name).toBe('ResourceNotFoundException');
    expect(nf.message).toBe('Requested resource not found: Table: Missing not found');
    expect((await rejection(ddb().send(new GetItemCommand({ TableName: 'Missing', Key: { id: { S: 'x' } } })))).name).toBe('ResourceNotFoundException');
  });

  it('ListTables: sorted, Limit, LastEvaluatedTableName, ExclusiveStartTableName', async () => {
    for (const n of ['lt-c', 'lt-a', 'lt-b']) await table(n);
    const all = (await ddb().send(new ListTablesCommand({}))).TableNames!.filter((n) => n.startsWith('lt-'));
    expect(all).toEqual(['lt-a', 'lt-b', 'lt-c']);
    const page = await ddb().send(new ListTablesCommand({ ExclusiveStartTableName: 'lt-a', Limit: 1 }));
    expect(page).toMatchObject({ TableNames: ['lt-b'], LastEvaluatedTableName: 'lt-b' });
    const last = await ddb().send(new ListTablesCommand({ ExclusiveStartTableName: 'lt-c' }));
    expect(last.LastEvaluatedTableName).toBeUndefined();
  });

  it('DeleteTable: DELETING, then gone', async () => {
    await table('Gone');
    ctx.g.clock.advance('1s');
    await ddb().send(new PutItemCommand({ TableName: 'Gone', Item: { id: { S: '1' } } }));
    const r = await ddb().send(new DeleteTableCommand({ TableName: 'Gone' }));
    expect(r.TableDescription).toMatchObject({ TableStatus: 'DELETING', TableName: 'Gone' });
    expect((await ddb().send(new DescribeTableCommand({ TableName: 'Gone' }))).Table?.TableStatus).toBe('DELETING');
    ctx.g.clock.advance('1s');
    expect((await rejection(ddb().send(new DescribeTableCommand({ TableName: 'Gone' })))).name).toBe('ResourceNotFoundException');
    expect((await rejection(ddb().send(new DeleteTableCommand({ TableName: 'Gone' })))).message).toBe('Requested resource not found: Table: Gone not found');
    await table('Gone'); // the name is free again, and the old items are not there
    expect((await ddb().send(new GetItemCommand({ TableName: 'Gone', Key: { id: { S: '1' } } }))).Item).toBeUndefined();
  });

  it('tags: at creation, TagResource, UntagResource, ListTagsOfResource', async () => {
    const d = (await ddb().send(new CreateTableCommand(simple('Tagged', { Tags: [{ Key: 'team', Value: 'a' }] })))).TableDescription!;
    await ddb().send(new TagResourceCommand({ ResourceArn: d.TableArn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }] }));
    await ddb().send(new UntagResourceCommand({ ResourceArn: d.TableArn, TagKeys: ['env'] }));
    expect((await ddb().send(new ListTagsOfResourceCommand({ ResourceArn: d.TableArn }))).Tags).toEqual([{ Key: 'team', Value: 'b' }]);
    const e = await rejection(ddb().send(new ListTagsOfResourceCommand({ ResourceArn: d.TableArn!.replace('Tagged', 'Nope') })));
    expect(e.name).toBe('ResourceNotFoundException');
  });
});

describe('items', () => {
  it('PutItem/GetItem round-trips every type; numbers keep 38 digits and are normalised', async () => {
    await table('Items');
    const item = {
      id: { S: 'k1' }, n: { N: '1.50' }, big: { N: '12345678901234567890123456789012345678' }, tiny: { N: '-0.000000000000000000000000000000000001' },
      e: { N: '1e3' }, b: { B: Uint8Array.of(0, 1, 254) }, t: { BOOL: true }, nil: { NULL: true }, ss: { SS: ['a', 'b'] },
      ns: { NS: ['1', '2.0'] }, bs: { BS: [Uint8Array.of(1)] }, l: { L: [{ S: 'x' }, { N: '2' }] }, m: { M: { deep: { M: { v: { S: 'y' } } } } }, empty: { S: '' },
    };
    await ddb().send(new PutItemCommand({ TableName: 'Items', Item: item }));
    const got = (await ddb().send(new GetItemCommand({ TableName: 'Items', Key: { id: { S: 'k1' } }, ConsistentRead: true }))).Item!;
    expect(got).toEqual({ ...item, n: { N: '1.5' }, e: { N: '1000' }, ns: { NS: ['1', '2'] } });
    expect(got.big).toEqual({ N: '12345678901234567890123456789012345678' });
    const t = (await ddb().send(new DescribeTableCommand({ TableName: 'Items' }))).Table!;
    expect(t.ItemCount).toBe(1);
    expect(t.TableSizeBytes).toBeGreaterThan(50);
  });

  it('GetItem of a missing item returns no Item; ProjectionExpression with names and document paths', async () => {
    await table('Proj');
    expect((await ddb().send(new GetItemCommand({ TableName: 'Proj', Key: { id: { S: 'none' } } }))).Item).toBeUndefined();
    await ddb().send(new PutItemCommand({ TableName: 'Proj', Item: {
      id: { S: 'p' }, name: { S: 'n' }, extra: { S: 'o' }, m: { M: { a: { N: '1' }, b: { N: '2' } } }, l: { L: [{ S: 'l0' }, { S: 'l1' }, { S: 'l2' }] },
    } }));
    const r = await ddb().send(new GetItemCommand({ TableName: 'Proj', Key: { id: { S: 'p' } }, ProjectionExpression: '#n, m.b, l[2], l[0], absent', ExpressionAttributeNames: { '#n': 'name' } }));
    expect(r.Item).toEqual({ name: { S: 'n' }, m: { M: { b: { N: '2' } } }, l: { L: [{ S: 'l0' }, { S: 'l2' }] } });
    const unused = await rejection(ddb().send(new GetItemCommand({ TableName: 'Proj', Key: { id: { S: 'p' } }, ProjectionExpression: 'extra', ExpressionAttributeNames: { '#n': 'name' } })));
    expect(unused.message).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#n}');
    const reserved = await rejection(ddb().send(new GetItemCommand({ TableName: 'Proj', Key: { id: { S: 'p' } }, ProjectionExpression: 'extra, name' })));
    expect(reserved.message).toBe('Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: name');
    const undef = await rejection(ddb().send(new GetItemCommand({ TableName: 'Proj', Key: { id: { S: 'p' } }, ProjectionExpression: '#x' })));
    expect(undef.message).toBe('Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x');
  });

  it('validates keys with DynamoDB messages', async () => {
    await ddb().send(new CreateTableCommand(simple('Keys', {
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    })));
    const put = (Item: Record<string, unknown>) => rejection(ddb().send(new PutItemCommand({ TableName: 'Keys', Item: Item as never })));
    expect((await put({ pk: { S: 'a' } })).message).toBe('One or more parameter values were invalid: Missing the key sk in the item');
    expect((await put({ pk: { S: 'a' }, sk: { S: '1' } })).message).toBe('One or more parameter values were invalid: Type mismatch for key sk expected: N actual: S');
    expect((await put({ pk: { S: '' }, sk: { N: '1' } })).message).toBe('One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk');
    const get = (Key: Record<string, unknown>) => rejection(ddb().send(new GetItemCommand({ TableName: 'Keys', Key: Key as never })));
    expect((await get({ pk: { S: 'a' } })).message).toBe('The provided key element does not match the schema');
    expect((await get({ pk: { S: 'a' }, sk: { S: '1' } })).message).toBe('The provided key element does not match the schema');
    expect((await get({ pk: { S: 'a' }, sk: { N: '1' }, x: { S: '1' } })).message).toBe('The provided key element does not match the schema');
    await ddb().send(new PutItemCommand({ TableName: 'Keys', Item: { pk: { S: 'a' }, sk: { N: '10.0' }, v: { S: 'ten' } } }));
    expect((await ddb().send(new GetItemCommand({ TableName: 'Keys', Key: { pk: { S: 'a' }, sk: { N: '1E1' } } }))).Item?.v).toEqual({ S: 'ten' });
  });

  it('validates attribute values', async () => {
    await table('Vals');
    const put = (extra: Record<string, unknown>) => rejection(ddb().send(new PutItemCommand({ TableName: 'Vals', Item: { id: { S: 'v' }, ...extra } as never })));
    expect((await put({ a: { S: 'x', N: '1' } })).message).toBe('Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes');
    expect((await put({ a: {} })).message).toBe('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
    expect((await put({ a: { SS: [] } })).message).toBe('One or more parameter values were invalid: An string set  may not be empty');
    expect((await put({ a: { NS: ['1', '1.0'] } })).message).toBe('One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates.');
    expect((await put({ a: { NULL: false } })).message).toBe('One or more parameter values were invalid: Null attribute value types must have the value of true');
    expect((await put({ a: { N: 'abc' } })).message).toBe('The parameter cannot be converted to a numeric value: abc');
    expect((await put({ a: { N: '1234567890123456789012345678901234567890' } })).message).toBe('Attempting to store more than 38 significant digits in a Number');
    expect((await put({ a: { N: '1e126' } })).message).toBe('Number overflow. Attempting to store a number with magnitude larger than supported range');
    expect((await put({ a: { S: 'x'.repeat(400 * 1024) } })).message).toBe('Item size has exceeded the maximum allowed size');
  });

  it('DeleteItem with ReturnValues ALL_OLD', async () => {
    await table('Del');
    await ddb().send(new PutItemCommand({ TableName: 'Del', Item: { id: { S: 'd' }, v: { N: '1' } } }));
    const r = await ddb().send(new DeleteItemCommand({ TableName: 'Del', Key: { id: { S: 'd' } }, ReturnValues: 'ALL_OLD' }));
    expect(r.Attributes).toEqual({ id: { S: 'd' }, v: { N: '1' } });
    const again = await ddb().send(new DeleteItemCommand({ TableName: 'Del', Key: { id: { S: 'd' } }, ReturnValues: 'ALL_OLD' }));
    expect(again.Attributes).toBeUndefined();
    expect((await ddb().send(new DescribeTableCommand({ TableName: 'Del' }))).Table?.ItemCount).toBe(0);
  });

  it('PutItem ReturnValues ALL_OLD returns the replaced item', async () => {
    await table('Repl');
    await ddb().send(new PutItemCommand({ TableName: 'Repl', Item: { id: { S: 'r' }, v: { N: '1' } } }));
    const r = await ddb().send(new PutItemCommand({ TableName: 'Repl', Item: { id: { S: 'r' }, v: { N: '2' } }, ReturnValues: 'ALL_OLD' }));
    expect(r.Attributes).toEqual({ id: { S: 'r' }, v: { N: '1' } });
    const bad = await rejection(ddb().send(new PutItemCommand({ TableName: 'Repl', Item: { id: { S: 'r' } }, ReturnValues: 'ALL_NEW' })));
    expect(bad.name).toBe('ValidationException');
  });

  it('ConditionExpression: attribute_not_exists / attribute_exists; comparisons; legacy Expected', async () => {
    await table('Cond');
    const put = (ConditionExpression: string, extra: Record<string, unknown> = {}) =>
      ddb().send(new PutItemCommand({ TableName: 'Cond', Item: { id: { S: 'c' }, v: { N: '1' }, b: { B: Uint8Array.of(7) } }, ConditionExpression, ...extra }));
    await put('attribute_not_exists(id)');
    const e = await rejection(put('attribute_not_exists(#k)', { ExpressionAttributeNames: { '#k': 'id' }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    expect(e.name).toBe('ConditionalCheckFailedException');
    expect(e.message).toBe('The conditional request failed');
    expect(e.Item).toEqual({ id: { S: 'c' }, v: { N: '1' }, b: { B: Uint8Array.of(7) } });
    await put('attribute_exists(id) AND NOT attribute_exists(nope)');
    const del = await rejection(ddb().send(new DeleteItemCommand({ TableName: 'Cond', Key: { id: { S: 'c' } }, ConditionExpression: 'attribute_exists(nope)' })));
    expect(del.name).toBe('ConditionalCheckFailedException');
    await put('v = :one', { ExpressionAttributeValues: { ':one': { N: '1.0' } } });
    expect((await rejection(put('v > :one', { ExpressionAttributeValues: { ':one': { N: '1' } } }))).name).toBe('ConditionalCheckFailedException');
    const legacy = await rejection(ddb().send(new PutItemCommand({ TableName: 'Cond', Item: { id: { S: 'c' } }, Expected: { id: { Exists: false } } })));
    expect(legacy.name).toBe('ConditionalCheckFailedException');
  });
});
