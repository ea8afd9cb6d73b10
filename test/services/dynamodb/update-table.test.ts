// covers: dynamodb.UpdateTable dynamodb.DescribeTable dynamodb.CreateTable dynamodb.Query dynamodb.DeleteTable
/** UpdateTable: billing mode, throughput, GSI create (backfilled on the clock) / delete / update, protection, class, errors. */
import { describe, expect, it } from 'vitest';
import { DynamoDBClient, CreateTableCommand, DescribeTableCommand, UpdateTableCommand, PutItemCommand, QueryCommand, DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { awsCli, clientConfig, failure, HAS_AWS_CLI, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true, config: { dynamodbTableDelayMs: 5000 } });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const desc = async (name: string) => (await ddb().send(new DescribeTableCommand({ TableName: name }))).Table!;

async function table(name: string, provisioned = false): Promise<void> {
  await ddb().send(new CreateTableCommand({
    TableName: name, AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    ...(provisioned ? { ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } } : { BillingMode: 'PAY_PER_REQUEST' }),
  }));
  ctx.g.clock.advance('5s');
}

describe('UpdateTable', () => {
  it('throughput and billing mode, UPDATING on the clock, AWS errors', async () => {
    await table('Up_pt', true);
    const c = ddb();
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_pt', ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 } })))).message)
      .toMatch(/^The provisioned throughput for the table will not change\. The requested value equals the current value\./);
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_pt', ProvisionedThroughput: { ReadCapacityUnits: 0, WriteCapacityUnits: 5 } })))).message)
      .toBe("1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1");
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_pt' })))).message).toMatch(/^At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled/);
    const up = await c.send(new UpdateTableCommand({ TableName: 'Up_pt', ProvisionedThroughput: { ReadCapacityUnits: 10, WriteCapacityUnits: 7 } }));
    expect(up.TableDescription!.TableStatus).toBe('UPDATING');
    expect(up.TableDescription!.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 10, WriteCapacityUnits: 7 });
    expect(await failure(c.send(new UpdateTableCommand({ TableName: 'Up_pt', BillingMode: 'PAY_PER_REQUEST' }))))
      .toEqual({ name: 'ResourceInUseException', message: 'Attempt to change a resource which is still in use: Table is being updated: Up_pt', status: 400 });
    ctx.g.clock.advance('5s');
    expect((await desc('Up_pt')).TableStatus).toBe('ACTIVE');
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_pt', BillingMode: 'PAY_PER_REQUEST', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } })))).message)
      .toBe('One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
    await c.send(new UpdateTableCommand({ TableName: 'Up_pt', BillingMode: 'PAY_PER_REQUEST' }));
    ctx.g.clock.advance('5s');
    const d = await desc('Up_pt');
    expect(d.BillingModeSummary!.BillingMode).toBe('PAY_PER_REQUEST');
    expect(d.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 0, WriteCapacityUnits: 0 });
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_pt', BillingMode: 'PROVISIONED' })))).message)
      .toBe('One or more parameter values were invalid: ProvisionedThroughput must be specified when BillingMode is PROVISIONED');
    expect(await failure(c.send(new UpdateTableCommand({ TableName: 'Nope', BillingMode: 'PROVISIONED' }))))
      .toEqual({ name: 'ResourceNotFoundException', message: 'Requested resource not found: Table: Nope not found', status: 400 });
  });

  it('GSI create: backfilled, CREATING (Backfilling) → ACTIVE on the clock; one at a time; delete and update', async () => {
    await table('Up_gsi');
    const c = ddb();
    for (const [pk, g] of [['1', 'x'], ['2', 'x'], ['3', 'y'], ['4', undefined]] as const) {
      await c.send(new PutItemCommand({ TableName: 'Up_gsi', Item: { pk: { S: pk }, ...(g ? { g: { S: g } } : {}) } }));
    }
    const create = (name: string) => ({ Create: { IndexName: name, KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' as const }], Projection: { ProjectionType: 'ALL' as const } } });
    expect(await failure(c.send(new UpdateTableCommand({ TableName: 'Up_gsi', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [create('aaa'), create('bbb')] }))))
      .toEqual({ name: 'LimitExceededException', message: 'Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table', status: 400 });
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_gsi', GlobalSecondaryIndexUpdates: [create('byG')] })))).message)
      .toBe('One or more parameter values were invalid: AttributeDefinitions is not specified for index: byG');
    const up = await c.send(new UpdateTableCommand({ TableName: 'Up_gsi', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [create('byG')] }));
    expect(up.TableDescription!.TableStatus).toBe('UPDATING');
    expect(up.TableDescription!.GlobalSecondaryIndexes![0]).toMatchObject({ IndexName: 'byG', IndexStatus: 'CREATING', Backfilling: false });
    expect(up.TableDescription!.AttributeDefinitions!.map((a) => a.AttributeName).sort()).toEqual(['g', 'pk']);
    const q = () => c.send(new QueryCommand({ TableName: 'Up_gsi', IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }));
    expect((await failure(q())).message).toBe('Cannot read from backfilling global secondary index: byG');
    expect(await failure(c.send(new DeleteTableCommand({ TableName: 'Up_gsi' })))).toMatchObject({ name: 'ResourceInUseException' });
    ctx.g.clock.advance('5s');
    let d = await desc('Up_gsi');
    expect(d.TableStatus).toBe('ACTIVE');
    expect(d.GlobalSecondaryIndexes![0]).toMatchObject({ IndexStatus: 'CREATING', Backfilling: true });
    expect(await failure(c.send(new UpdateTableCommand({ TableName: 'Up_gsi', AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [{ Create: { IndexName: 'hidx', KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } } }] }))))
      .toMatchObject({ name: 'LimitExceededException' });
    ctx.g.clock.advance('5s');
    d = await desc('Up_gsi');
    expect(d.GlobalSecondaryIndexes![0]).toMatchObject({ IndexStatus: 'ACTIVE', ItemCount: 3 });
    expect(d.GlobalSecondaryIndexes![0]!.Backfilling).toBeUndefined();
    expect((await q()).Items!.map((i) => i.pk!.S).sort()).toEqual(['1', '2']);
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_gsi', AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }], GlobalSecondaryIndexUpdates: [create('byG')] })))).message)
      .toBe('Attempting to create an index which already exists');
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_gsi', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'byG', ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } } }] })))).message)
      .toBe('One or more parameter values were invalid: The only Updates for index: byG when TableThroughputMode is PAY_PER_REQUEST can be to OnDemandThroughput, WarmThroughput');
    expect(await failure(c.send(new UpdateTableCommand({ TableName: 'Up_gsi', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'zzz' } }] })))).toMatchObject({ name: 'ResourceNotFoundException' });
    const del = await c.send(new UpdateTableCommand({ TableName: 'Up_gsi', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] }));
    expect(del.TableDescription!.GlobalSecondaryIndexes![0]).toMatchObject({ IndexName: 'byG', IndexStatus: 'DELETING' });
    expect((await failure(q())).message).toBe('The table does not have the specified index: byG');
    ctx.g.clock.advance('5s');
    d = await desc('Up_gsi');
    expect(d.GlobalSecondaryIndexes).toBeUndefined();
    expect(d.AttributeDefinitions).toEqual([{ AttributeName: 'pk', AttributeType: 'S' }]);
  });

  it('switching to PROVISIONED needs throughput for every GSI; GSI throughput Update', async () => {
    const c = ddb();
    await c.send(new CreateTableCommand({
      TableName: 'Up_sw', BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{ IndexName: 'gidx', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    }));
    ctx.g.clock.advance('5s');
    const pt = { ReadCapacityUnits: 3, WriteCapacityUnits: 4 };
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_sw', BillingMode: 'PROVISIONED', ProvisionedThroughput: pt })))).message)
      .toBe('One or more parameter values were invalid: ProvisionedThroughput must be specified for index: gidx');
    await c.send(new UpdateTableCommand({ TableName: 'Up_sw', BillingMode: 'PROVISIONED', ProvisionedThroughput: pt, GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gidx', ProvisionedThroughput: pt } }] }));
    ctx.g.clock.advance('5s');
    const d = await desc('Up_sw');
    expect(d.BillingModeSummary!.BillingMode).toBe('PROVISIONED');
    expect(d.GlobalSecondaryIndexes![0]!.ProvisionedThroughput).toMatchObject(pt);
    const up = await c.send(new UpdateTableCommand({ TableName: 'Up_sw', GlobalSecondaryIndexUpdates: [{ Update: { IndexName: 'gidx', ProvisionedThroughput: { ReadCapacityUnits: 9, WriteCapacityUnits: 9 } } }] }));
    expect(up.TableDescription!.GlobalSecondaryIndexes![0]!.IndexStatus).toBe('UPDATING');
  });

  it('deletion protection, table class and single-concern rules', async () => {
    await table('Up_dp');
    const c = ddb();
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_dp', DeletionProtectionEnabled: true, TableClass: 'STANDARD_INFREQUENT_ACCESS' })))).message)
      .toBe('One or more parameter values were invalid: TableClass modification must be the only operation in the request');
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_dp', TableClass: 'COLD' as never })))).message)
      .toBe('Invalid table-class parameter provided. Please try again with a valid table-class value: [STANDARD, STANDARD_INFREQUENT_ACCESS].');
    const dp = await c.send(new UpdateTableCommand({ TableName: 'Up_dp', DeletionProtectionEnabled: true }));
    expect(dp.TableDescription!.DeletionProtectionEnabled).toBe(true);
    expect((await failure(c.send(new DeleteTableCommand({ TableName: 'Up_dp' })))).message).toContain('protected against deletion');
    await c.send(new UpdateTableCommand({ TableName: 'Up_dp', TableClass: 'STANDARD_INFREQUENT_ACCESS' }));
    ctx.g.clock.advance('5s');
    expect((await desc('Up_dp')).TableClassSummary).toEqual({ TableClass: 'STANDARD_INFREQUENT_ACCESS' });
    expect((await failure(c.send(new UpdateTableCommand({ TableName: 'Up_dp', StreamSpecification: { StreamEnabled: true } })))).message)
      .toBe('One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required');
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('update-table --stream-specification', async () => {
    await table('Up_cli');
    const r = await awsCli(ctx.g, ['dynamodb', 'update-table', '--table-name', 'Up_cli', '--stream-specification', 'StreamEnabled=true,StreamViewType=NEW_IMAGE']);
    expect(r.status, r.stderr).toBe(0);
    const d = (r.json as { TableDescription: { TableStatus: string; LatestStreamArn: string; StreamSpecification: unknown } }).TableDescription;
    expect(d.TableStatus).toBe('UPDATING');
    expect(d.StreamSpecification).toEqual({ StreamEnabled: true, StreamViewType: 'NEW_IMAGE' });
    expect(d.LatestStreamArn).toContain('table/Up_cli/stream/');
  });
});
