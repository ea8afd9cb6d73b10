// covers: dynamodb.DescribeLimits dynamodb.DescribeEndpoints dynamodb.PutResourcePolicy dynamodb.GetResourcePolicy dynamodb.DeleteResourcePolicy dynamodb.UpdateContributorInsights dynamodb.DescribeContributorInsights dynamodb.ListContributorInsights dynamodb.CreateTable dynamodb.DeleteTable
/** Limits, endpoints, resource-based policies and Contributor Insights switches. */
import { describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, DeleteTableCommand, DescribeLimitsCommand, DescribeEndpointsCommand, PutResourcePolicyCommand, GetResourcePolicyCommand,
  DeleteResourcePolicyCommand, UpdateContributorInsightsCommand, DescribeContributorInsightsCommand, ListContributorInsightsCommand, type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { awsCli, clientConfig, failure, useGureum, HAS_AWS_CLI } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true, config: { dynamodbTableDelayMs: 1000 } });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const spec = (TableName: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput => ({
  TableName, BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], ...extra,
});
const policy = (action: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: action, Resource: '*' }] });

describe('limits and endpoints', () => {
  it('DescribeLimits and DescribeEndpoints answer DynamoDB defaults', async () => {
    expect(await ddb().send(new DescribeLimitsCommand({}))).toMatchObject({ AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 });
    expect((await new DynamoDBClient(clientConfig(ctx.g, { region: 'eu-west-3' })).send(new DescribeEndpointsCommand({}))).Endpoints).toEqual([{ Address: 'dynamodb.eu-west-3.amazonaws.com', CachePeriodInMinutes: 1440 }]);
  });
});

describe('resource-based policies', () => {
  it('Put, Get, Delete with revision ids; CreateTable ResourcePolicy; a re-created table starts without one', async () => {
    const arn = (await ddb().send(new CreateTableCommand(spec('Pol', { ResourcePolicy: policy('dynamodb:GetItem') })))).TableDescription!.TableArn!;
    const first = await ddb().send(new GetResourcePolicyCommand({ ResourceArn: arn }));
    expect(JSON.parse(first.Policy!).Statement[0].Action).toBe('dynamodb:GetItem');
    const put = await ddb().send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy('dynamodb:*'), ExpectedRevisionId: first.RevisionId }));
    expect(put.RevisionId).not.toBe(first.RevisionId);
    expect(await failure(ddb().send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy('dynamodb:Query'), ExpectedRevisionId: first.RevisionId }))))
      .toEqual({ name: 'PolicyNotFoundException', status: 400, message: `Resource-based policy not found for the provided ResourceArn: ${arn}` });
    expect((await failure(ddb().send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: '{not json' })))).name).toBe('ValidationException');
    expect((await ddb().send(new DeleteResourcePolicyCommand({ ResourceArn: arn }))).RevisionId).toBe(put.RevisionId);
    expect((await failure(ddb().send(new GetResourcePolicyCommand({ ResourceArn: arn })))).name).toBe('PolicyNotFoundException');
    expect((await failure(ddb().send(new GetResourcePolicyCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/Missing' })))).name).toBe('ResourceNotFoundException');

    await ddb().send(new PutResourcePolicyCommand({ ResourceArn: arn, Policy: policy('dynamodb:Scan') }));
    ctx.g.clock.advance('1s');
    await ddb().send(new DeleteTableCommand({ TableName: 'Pol' }));
    ctx.g.clock.advance('1s');
    const again = (await ddb().send(new CreateTableCommand(spec('Pol')))).TableDescription!.TableArn!;
    expect(again).toBe(arn);
    expect((await failure(ddb().send(new GetResourcePolicyCommand({ ResourceArn: arn })))).name).toBe('PolicyNotFoundException');
  });

  it.skipIf(!HAS_AWS_CLI)('through the AWS CLI', async () => {
    await ddb().send(new CreateTableCommand(spec('PolCli')));
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/PolCli';
    const put = await awsCli(ctx.g, ['dynamodb', 'put-resource-policy', '--resource-arn', arn, '--policy', policy('dynamodb:GetItem')]);
    expect(put.status, put.stderr).toBe(0);
    const got = await awsCli(ctx.g, ['dynamodb', 'get-resource-policy', '--resource-arn', arn]);
    expect((got.json as { RevisionId: string }).RevisionId).toBe((put.json as { RevisionId: string }).RevisionId);
  });
});

describe('Contributor Insights', () => {
  it('ENABLING then ENABLED on the clock, per table and per index; listed', async () => {
    await ddb().send(new CreateTableCommand(spec('Hot', {
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }, { AttributeName: 'g', AttributeType: 'S' }],
      GlobalSecondaryIndexes: [{ IndexName: 'ByG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    })));
    expect((await ddb().send(new DescribeContributorInsightsCommand({ TableName: 'Hot' }))).ContributorInsightsStatus).toBe('DISABLED');
    const up = await ddb().send(new UpdateContributorInsightsCommand({ TableName: 'Hot', ContributorInsightsAction: 'ENABLE' }));
    expect(up).toMatchObject({ TableName: 'Hot', ContributorInsightsStatus: 'ENABLING', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' });
    expect((await failure(ddb().send(new UpdateContributorInsightsCommand({ TableName: 'Hot', ContributorInsightsAction: 'DISABLE' })))).name).toBe('ResourceInUseException');
    ctx.g.clock.advance('1s');
    const d = await ddb().send(new DescribeContributorInsightsCommand({ TableName: 'Hot' }));
    expect(d.ContributorInsightsStatus).toBe('ENABLED');
    expect(d.ContributorInsightsRuleList?.map((r) => r.split('-')[1])).toEqual(['PKC', 'PKT']);
    await ddb().send(new UpdateContributorInsightsCommand({ TableName: 'Hot', IndexName: 'ByG', ContributorInsightsAction: 'ENABLE', ContributorInsightsMode: 'THROTTLED_KEYS' }));
    const list = await ddb().send(new ListContributorInsightsCommand({ TableName: 'Hot' }));
    expect(list.ContributorInsightsSummaries).toEqual([
      { TableName: 'Hot', ContributorInsightsStatus: 'ENABLED', ContributorInsightsMode: 'ACCESSED_AND_THROTTLED_KEYS' },
      { TableName: 'Hot', IndexName: 'ByG', ContributorInsightsStatus: 'ENABLING', ContributorInsightsMode: 'THROTTLED_KEYS' },
    ]);
    expect((await failure(ddb().send(new DescribeContributorInsightsCommand({ TableName: 'Hot', IndexName: 'Nope' })))).name).toBe('ResourceNotFoundException');
    ctx.g.clock.advance('1s');
    await ddb().send(new UpdateContributorInsightsCommand({ TableName: 'Hot', ContributorInsightsAction: 'DISABLE' }));
    ctx.g.clock.advance('1s');
    expect((await ddb().send(new DescribeContributorInsightsCommand({ TableName: 'Hot' }))).ContributorInsightsStatus).toBe('DISABLED');
  });
});
