// covers: dynamodb.UpdateTable dynamodb.DescribeTable dynamodb.PutItem dynamodb.GetItem dynamodb.DeleteItem dynamodb.DeleteTable dynamodb.CreateGlobalTable dynamodb.DescribeGlobalTable dynamodb.UpdateGlobalTable dynamodb.ListGlobalTables
/** Global tables: 2019.11.21 replicas through UpdateTable, and the 2017.11.29 API. */
import { describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, UpdateTableCommand, DescribeTableCommand, PutItemCommand, GetItemCommand, DeleteItemCommand, DeleteTableCommand,
  CreateGlobalTableCommand, DescribeGlobalTableCommand, UpdateGlobalTableCommand, ListGlobalTablesCommand, QueryCommand, type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true, config: { dynamodbTableDelayMs: 1000 } });
const ddb = (region = 'us-east-1') => new DynamoDBClient(clientConfig(ctx.g, { region }));
const advance = (d: string) => ctx.g.clock.advance(d);
const spec = (TableName: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName, BillingMode: 'PAY_PER_REQUEST',
  KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'kind', AttributeType: 'S' }],
  GlobalSecondaryIndexes: [{ IndexName: 'ByKind', KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  ...extra,
});
const get = async (region: string, TableName: string, id: string) => (await ddb(region).send(new GetItemCommand({ TableName, Key: { id: { S: id } } }))).Item;

describe('version 2019.11.21', () => {
  it('a replica is created on the clock with the items, and writes flow both ways', async () => {
    await ddb().send(new CreateTableCommand(spec('Profiles')));
    advance('1s');
    await ddb().send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { S: 'p1' }, kind: { S: 'user' } } }));
    const up = await ddb().send(new UpdateTableCommand({ TableName: 'Profiles', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] }));
    expect(up.TableDescription).toMatchObject({ TableStatus: 'UPDATING', GlobalTableVersion: '2019.11.21', Replicas: [{ RegionName: 'eu-west-1', ReplicaStatus: 'CREATING' }] });
    expect(up.TableDescription?.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' });
    const west = (await ddb('eu-west-1').send(new DescribeTableCommand({ TableName: 'Profiles' }))).Table!;
    expect(west).toMatchObject({ TableStatus: 'CREATING', TableArn: 'arn:aws:dynamodb:eu-west-1:000000000000:table/Profiles', Replicas: [{ RegionName: 'us-east-1', ReplicaStatus: 'ACTIVE' }] });
    advance('1s');
    expect((await ddb().send(new DescribeTableCommand({ TableName: 'Profiles' }))).Table).toMatchObject({ TableStatus: 'ACTIVE', Replicas: [{ RegionName: 'eu-west-1', ReplicaStatus: 'ACTIVE' }] });
    expect(await get('eu-west-1', 'Profiles', 'p1')).toEqual({ id: { S: 'p1' }, kind: { S: 'user' } });

    await ddb().send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { S: 'p2' }, kind: { S: 'admin' } } }));
    await ddb('eu-west-1').send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { S: 'p3' }, kind: { S: 'admin' } } }));
    await ddb('eu-west-1').send(new DeleteItemCommand({ TableName: 'Profiles', Key: { id: { S: 'p1' } } }));
    expect(await get('eu-west-1', 'Profiles', 'p2')).toBeDefined();
    expect(await get('us-east-1', 'Profiles', 'p3')).toBeDefined();
    expect(await get('us-east-1', 'Profiles', 'p1')).toBeUndefined();
    const admins = await ddb('eu-west-1').send(new QueryCommand({ TableName: 'Profiles', IndexName: 'ByKind', KeyConditionExpression: 'kind = :k', ExpressionAttributeValues: { ':k': { S: 'admin' } } }));
    expect(admins.Count).toBe(2);

    advance('1s');
    await ddb().send(new UpdateTableCommand({ TableName: 'Profiles', ReplicaUpdates: [{ Delete: { RegionName: 'eu-west-1' } }] }));
    expect((await ddb('eu-west-1').send(new DescribeTableCommand({ TableName: 'Profiles' }))).Table?.TableStatus).toBe('DELETING');
    advance('1s');
    expect((await failure(ddb('eu-west-1').send(new DescribeTableCommand({ TableName: 'Profiles' })))).name).toBe('ResourceNotFoundException');
    const east = (await ddb().send(new DescribeTableCommand({ TableName: 'Profiles' }))).Table!;
    expect(east.Replicas).toBeUndefined();
    await ddb().send(new PutItemCommand({ TableName: 'Profiles', Item: { id: { S: 'p4' } } }));
  });

  it('refuses a replica where a table exists, a provisioned table, and an unknown replica', async () => {
    await ddb().send(new CreateTableCommand(spec('Busy')));
    await ddb('us-west-2').send(new CreateTableCommand(spec('Busy')));
    advance('1s');
    expect(await failure(ddb().send(new UpdateTableCommand({ TableName: 'Busy', ReplicaUpdates: [{ Create: { RegionName: 'us-west-2' } }] })))).toEqual({
      name: 'ValidationException', status: 400, message: "Failed to create a new replica of table: 'Busy' because one or more replicas already existed as tables.",
    });
    await ddb().send(new CreateTableCommand(spec('Prov', { BillingMode: 'PROVISIONED', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 }, GlobalSecondaryIndexes: undefined, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] })));
    advance('1s');
    expect((await failure(ddb().send(new UpdateTableCommand({ TableName: 'Prov', ReplicaUpdates: [{ Create: { RegionName: 'eu-west-1' } }] })))).message).toBe('Table write capacity should either be Pay-Per-Request or AutoScaled.');
    expect((await failure(ddb().send(new UpdateTableCommand({ TableName: 'Busy', ReplicaUpdates: [{ Delete: { RegionName: 'ap-south-1' } }] })))).name).toBe('ReplicaNotFoundException');
  });

  it('deleting one replica with DeleteTable leaves the others', async () => {
    await ddb().send(new CreateTableCommand(spec('Trio')));
    advance('1s');
    await ddb().send(new UpdateTableCommand({ TableName: 'Trio', ReplicaUpdates: [{ Create: { RegionName: 'us-east-2' } }, { Create: { RegionName: 'us-west-1' } }] }));
    advance('1s');
    expect((await ddb('us-west-1').send(new DescribeTableCommand({ TableName: 'Trio' }))).Table?.Replicas?.map((r) => r.RegionName).sort()).toEqual(['us-east-1', 'us-east-2']);
    await ddb('us-east-2').send(new DeleteTableCommand({ TableName: 'Trio' }));
    expect((await ddb().send(new DescribeTableCommand({ TableName: 'Trio' }))).Table?.Replicas).toEqual([{ RegionName: 'us-west-1', ReplicaStatus: 'ACTIVE' }]);
    await ddb('us-west-1').send(new PutItemCommand({ TableName: 'Trio', Item: { id: { S: 'x' } } }));
    expect(await get('us-east-1', 'Trio', 'x')).toBeDefined();
  });
});

describe('version 2017.11.29', () => {
  it('CreateGlobalTable joins empty tables with streams; UpdateGlobalTable adds a region; ListGlobalTables', async () => {
    const legacy = spec('Legacy', { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    for (const region of ['us-east-1', 'eu-central-1', 'ap-northeast-1']) await ddb(region).send(new CreateTableCommand(legacy));
    advance('1s');
    expect((await failure(ddb().send(new CreateGlobalTableCommand({ GlobalTableName: 'Legacy', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'sa-east-1' }] })))).name).toBe('TableNotFoundException');
    const g = await ddb().send(new CreateGlobalTableCommand({ GlobalTableName: 'Legacy', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-central-1' }] }));
    expect(g.GlobalTableDescription).toMatchObject({
      GlobalTableName: 'Legacy', GlobalTableStatus: 'ACTIVE', GlobalTableArn: 'arn:aws:dynamodb::000000000000:global-table/Legacy',
      ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-central-1' }],
    });
    expect((await failure(ddb().send(new CreateGlobalTableCommand({ GlobalTableName: 'Legacy', ReplicationGroup: [{ RegionName: 'us-east-1' }] })))).name).toBe('GlobalTableAlreadyExistsException');
    await ddb().send(new PutItemCommand({ TableName: 'Legacy', Item: { id: { S: 'l1' } } }));
    expect(await get('eu-central-1', 'Legacy', 'l1')).toBeDefined();

    const u = await ddb().send(new UpdateGlobalTableCommand({ GlobalTableName: 'Legacy', ReplicaUpdates: [{ Create: { RegionName: 'ap-northeast-1' } }] }));
    expect(u.GlobalTableDescription?.ReplicationGroup?.map((r) => r.RegionName)).toEqual(['us-east-1', 'eu-central-1', 'ap-northeast-1']);
    await ddb('ap-northeast-1').send(new PutItemCommand({ TableName: 'Legacy', Item: { id: { S: 'l2' } } }));
    expect(await get('eu-central-1', 'Legacy', 'l2')).toBeDefined();
    expect((await failure(ddb().send(new UpdateGlobalTableCommand({ GlobalTableName: 'Legacy', ReplicaUpdates: [{ Delete: { RegionName: 'sa-east-1' } }] })))).name).toBe('ReplicaNotFoundException');

    expect((await ddb().send(new DescribeGlobalTableCommand({ GlobalTableName: 'Legacy' }))).GlobalTableDescription?.ReplicationGroup).toHaveLength(3);
    expect((await failure(ddb().send(new DescribeGlobalTableCommand({ GlobalTableName: 'Nope' })))).name).toBe('GlobalTableNotFoundException');
    const list = await ddb().send(new ListGlobalTablesCommand({ RegionName: 'ap-northeast-1' }));
    expect(list.GlobalTables).toEqual([{ GlobalTableName: 'Legacy', ReplicationGroup: [{ RegionName: 'us-east-1' }, { RegionName: 'eu-central-1' }, { RegionName: 'ap-northeast-1' }] }]);
    expect((await ddb().send(new ListGlobalTablesCommand({ RegionName: 'sa-east-1' }))).GlobalTables).toEqual([]);
  });
});
