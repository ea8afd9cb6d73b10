// The template service (src/services/_template) plugged in through startGureum({ services }),
// driven by the real DynamoDB Streams client: proves the plugin shape a new service copies.
import { describe, expect, test } from 'vitest';
import { DynamoDBStreamsClient, ListStreamsCommand, DescribeStreamCommand, GetRecordsCommand } from '@aws-sdk/client-dynamodb-streams';
import template from '../src/services/_template/index.js';
import { clientConfig, useGureum } from './helpers.js';

const ctx = useGureum({ services: { dynamodbstreams: template } });

describe('template service', () => {
  test('handlers answer through the real client', async () => {
    const c = new DynamoDBStreamsClient(clientConfig(ctx.g));
    expect((await c.send(new ListStreamsCommand({}))).Streams).toEqual([]);
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2024-01-01T00:00:00.000';
    const err = await c.send(new DescribeStreamCommand({ StreamArn: arn })).catch((e) => e);
    expect(err.name).toBe('ResourceNotFoundException');
    expect(err.$metadata.httpStatusCode).toBe(400);
    expect(err.message).toContain('not found');
  });

  test('an operation the template does not implement answers 501 NotImplemented', async () => {
    const c = new DynamoDBStreamsClient(clientConfig(ctx.g));
    const err = await c.send(new GetRecordsCommand({ ShardIterator: 'x' })).catch((e) => e);
    expect(err.$metadata.httpStatusCode).toBe(501);
    expect(err.message).toContain('dynamodbstreams:GetRecords');
  });
});
