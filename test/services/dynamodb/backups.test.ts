// covers: dynamodb.CreateBackup dynamodb.DescribeBackup dynamodb.ListBackups dynamodb.DeleteBackup dynamodb.RestoreTableFromBackup dynamodb.UpdateContinuousBackups dynamodb.DescribeContinuousBackups dynamodb.RestoreTableToPointInTime dynamodb.DescribeTable dynamodb.DeleteTable
/** Backups and point-in-time recovery, with their states on the virtual clock. */
import { describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, DeleteItemCommand, UpdateItemCommand, ScanCommand, DescribeTableCommand, DeleteTableCommand,
  CreateBackupCommand, DescribeBackupCommand, ListBackupsCommand, DeleteBackupCommand, RestoreTableFromBackupCommand,
  UpdateContinuousBackupsCommand, DescribeContinuousBackupsCommand, RestoreTableToPointInTimeCommand, QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true, config: { dynamodbTableDelayMs: 1000 } });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const advance = (d: string) => ctx.g.clock.advance(d);

async function table(TableName: string) {
  await ddb().send(new CreateTableCommand({
    TableName, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } }],
  }));
  advance('1s');
}
const put = (TableName: string, id: string, v: number) => ddb().send(new PutItemCommand({ TableName, Item: { id: { S: id }, v: { N: String(v) }, g: { S: 'x' } } }));
const ids = async (TableName: string) => ((await ddb().send(new ScanCommand({ TableName }))).Items ?? []).map((i) => `${i.id!.S}=${i.v!.N}`).sort();

describe('on-demand backups', () => {
  it('CreateBackup: CREATING, then AVAILABLE; Describe/List; restore to a new table; delete', async () => {
    await table('Orders');
    await put('Orders', 'a', 1);
    await put('Orders', 'b', 2);
    const created = await ddb().send(new CreateBackupCommand({ TableName: 'Orders', BackupName: 'nightly' }));
    const arn = created.BackupDetails!.BackupArn!;
    expect(arn).toMatch(/^arn:aws:dynamodb:us-east-1:000000000000:table\/Orders\/backup\/\d{14}-[0-9a-f]{8}$/);
    expect(created.BackupDetails).toMatchObject({ BackupName: 'nightly', BackupStatus: 'CREATING', BackupType: 'USER', BackupSizeBytes: 16 });
    expect((await failure(ddb().send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'Early' })))).name).toBe('BackupInUseException');
    advance('1s');
    await put('Orders', 'c', 3); // after the backup: not in it
    const d = (await ddb().send(new DescribeBackupCommand({ BackupArn: arn }))).BackupDescription!;
    expect(d.BackupDetails?.BackupStatus).toBe('AVAILABLE');
    expect(d.SourceTableDetails).toMatchObject({ TableName: 'Orders', ItemCount: 2, BillingMode: 'PAY_PER_REQUEST' });
    expect(d.SourceTableFeatureDetails?.GlobalSecondaryIndexes?.[0]?.IndexName).toBe('ByG');

    const list = await ddb().send(new ListBackupsCommand({ TableName: 'Orders' }));
    expect(list.BackupSummaries?.map((b) => [b.BackupName, b.BackupStatus, b.TableName])).toEqual([['nightly', 'AVAILABLE', 'Orders']]);

    const restored = await ddb().send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'OrdersCopy' }));
    expect(restored.TableDescription).toMatchObject({ TableName: 'OrdersCopy', TableStatus: 'CREATING', RestoreSummary: { SourceBackupArn: arn, RestoreInProgress: true } });
    advance('1s');
    const copy = (await ddb().send(new DescribeTableCommand({ TableName: 'OrdersCopy' }))).Table!;
    expect(copy.TableStatus).toBe('ACTIVE');
    expect(copy.RestoreSummary?.RestoreInProgress).toBe(false);
    expect(copy.ItemCount).toBe(2);
    expect(await ids('OrdersCopy')).toEqual(['a=1', 'b=2']);
    const byG = await ddb().send(new QueryCommand({ TableName: 'OrdersCopy', IndexName: 'ByG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'x' } } }));
    expect(byG.Count).toBe(2);

    expect(await failure(ddb().send(new RestoreTableFromBackupCommand({ BackupArn: arn, TargetTableName: 'Orders' })))).toEqual({ name: 'TableAlreadyExistsException', status: 400, message: 'Table already exists: Orders' });
    const deleted = await ddb().send(new DeleteBackupCommand({ BackupArn: arn }));
    expect(deleted.BackupDescription?.BackupDetails?.BackupStatus).toBe('DELETED');
    expect(await failure(ddb().send(new DescribeBackupCommand({ BackupArn: arn })))).toEqual({ name: 'BackupNotFoundException', status: 400, message: `Backup not found: ${arn}` });
  });

  it('errors for a missing table and a bad name; ListBackups pages and filters by type', async () => {
    expect(await failure(ddb().send(new CreateBackupCommand({ TableName: 'Nope', BackupName: 'bk1' })))).toEqual({ name: 'TableNotFoundException', status: 400, message: 'Table not found: Nope' });
    await table('Many');
    expect((await failure(ddb().send(new CreateBackupCommand({ TableName: 'Many', BackupName: 'x!' })))).message)
      .toBe("1 validation error detected: Value 'x!' at 'backupName' failed to satisfy constraint: Member must have length greater than or equal to 3");
    for (const n of ['b1', 'b2', 'b3']) {
      await ddb().send(new CreateBackupCommand({ TableName: 'Many', BackupName: `${n}-bk` }));
      advance('1s');
    }
    const p1 = await ddb().send(new ListBackupsCommand({ TableName: 'Many', Limit: 2 }));
    expect(p1.BackupSummaries?.map((b) => b.BackupName)).toEqual(['b1-bk', 'b2-bk']);
    const p2 = await ddb().send(new ListBackupsCommand({ TableName: 'Many', Limit: 2, ExclusiveStartBackupArn: p1.LastEvaluatedBackupArn }));
    expect(p2.BackupSummaries?.map((b) => b.BackupName)).toEqual(['b3-bk']);
    expect(p2.LastEvaluatedBackupArn).toBeUndefined();
    expect((await ddb().send(new ListBackupsCommand({ TableName: 'Many', BackupType: 'SYSTEM' }))).BackupSummaries).toEqual([]);
  });
});

describe('point-in-time recovery', () => {
  it('UpdateContinuousBackups / DescribeContinuousBackups with the window on the clock', async () => {
    await table('Ledger');
    const off = await ddb().send(new DescribeContinuousBackupsCommand({ TableName: 'Ledger' }));
    expect(off.ContinuousBackupsDescription).toEqual({ ContinuousBackupsStatus: 'ENABLED', PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' } });
    expect(await failure(ddb().send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Ledger', TargetTableName: 'L2', UseLatestRestorableTime: true }))))
      .toEqual({ name: 'PointInTimeRecoveryUnavailableException', status: 400, message: "Point in time recovery is not enabled for table 'Ledger'" });
    const enabledAt = ctx.g.clock.now().getTime();
    const on = await ddb().send(new UpdateContinuousBackupsCommand({ TableName: 'Ledger', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7 } }));
    expect(on.ContinuousBackupsDescription?.PointInTimeRecoveryDescription).toMatchObject({ PointInTimeRecoveryStatus: 'ENABLED', RecoveryPeriodInDays: 7 });
    advance('8d');
    const d = (await ddb().send(new DescribeContinuousBackupsCommand({ TableName: 'Ledger' }))).ContinuousBackupsDescription!.PointInTimeRecoveryDescription!;
    const now = ctx.g.clock.now().getTime();
    expect(d.EarliestRestorableDateTime?.getTime()).toBe(now - 7 * 86_400_000);
    expect(d.EarliestRestorableDateTime!.getTime()).toBeGreaterThan(enabledAt);
    expect(d.LatestRestorableDateTime?.getTime()).toBe(now);
    expect((await failure(ddb().send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Ledger', TargetTableName: 'L2', RestoreDateTime: new Date(enabledAt) })))).name).toBe('InvalidRestoreTimeException');
  });

  it('RestoreTableToPointInTime restores the items as they were at that second', async () => {
    await table('Accounts');
    await put('Accounts', 'before', 1); // before recovery was enabled, still there at every restorable time
    await ddb().send(new UpdateContinuousBackupsCommand({ TableName: 'Accounts', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    advance('1m');
    await put('Accounts', 'a', 1);
    await put('Accounts', 'b', 1);
    advance('1m');
    const t1 = ctx.g.clock.now();
    advance('1m');
    await put('Accounts', 'a', 2);
    await ddb().send(new DeleteItemCommand({ TableName: 'Accounts', Key: { id: { S: 'b' } } }));
    await ddb().send(new UpdateItemCommand({ TableName: 'Accounts', Key: { id: { S: 'c' } }, UpdateExpression: 'SET v = :v, g = :g', ExpressionAttributeValues: { ':v': { N: '9' }, ':g': { S: 'x' } } }));
    advance('1m');

    const r = await ddb().send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Accounts', TargetTableName: 'AccountsAtT1', RestoreDateTime: t1 }));
    expect(r.TableDescription).toMatchObject({ TableStatus: 'CREATING', RestoreSummary: { SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Accounts', RestoreInProgress: true } });
    expect(r.TableDescription?.RestoreSummary?.RestoreDateTime?.getTime()).toBe(t1.getTime());
    expect(await ids('AccountsAtT1')).toEqual(['a=1', 'b=1', 'before=1']);
    const latest = await ddb().send(new RestoreTableToPointInTimeCommand({ SourceTableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Accounts', TargetTableName: 'AccountsNow', UseLatestRestorableTime: true, BillingModeOverride: 'PROVISIONED', ProvisionedThroughputOverride: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 } }));
    expect(latest.TableDescription?.BillingModeSummary?.BillingMode).toBe('PROVISIONED');
    expect(await ids('AccountsNow')).toEqual(['a=2', 'before=1', 'c=9']);
    expect((await ddb().send(new GetItemCommand({ TableName: 'Accounts', Key: { id: { S: 'a' } } }))).Item?.v).toEqual({ N: '2' });
    expect(await failure(ddb().send(new RestoreTableToPointInTimeCommand({ SourceTableName: 'Gone', TargetTableName: 'X1', UseLatestRestorableTime: true }))))
      .toEqual({ name: 'TableNotFoundException', status: 400, message: 'Table not found: Gone' });
  });

  it('deleting a table with recovery on leaves a SYSTEM backup that restores it', async () => {
    await table('Temp');
    await put('Temp', 'k', 5);
    await ddb().send(new UpdateContinuousBackupsCommand({ TableName: 'Temp', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
    await ddb().send(new DeleteTableCommand({ TableName: 'Temp' }));
    const sys = await ddb().send(new ListBackupsCommand({ TableName: 'Temp', BackupType: 'SYSTEM' }));
    expect(sys.BackupSummaries?.map((b) => [b.BackupName, b.BackupType, b.BackupStatus])).toEqual([['Temp$DeletedTableBackup', 'SYSTEM', 'AVAILABLE']]);
    expect(sys.BackupSummaries?.[0]?.BackupExpiryDateTime?.getTime()).toBe(ctx.g.clock.now().getTime() + 35 * 86_400_000);
    advance('1s');
    await ddb().send(new RestoreTableFromBackupCommand({ BackupArn: sys.BackupSummaries![0]!.BackupArn, TargetTableName: 'TempBack' }));
    expect(await ids('TempBack')).toEqual(['k=5']);
  });
});
