/**
 * The template service: copy this folder to start a new one. It shows the shape every
 * service has — a definition with `create(rt)` returning handlers keyed by operation name,
 * state in scoped tables, time from rt.clock, AWS's errors thrown as AwsError with the
 * model's error shape name as the code.
 *
 * It implements two operations of the DynamoDB Streams model (ListStreams, DescribeStream)
 * over an in-memory table so that the template itself compiles and is tested.
 */
import { defineService } from '../service.js';
import { AwsError } from '../../core/errors.js';
import { scopeOf } from '../../gateway/context.js';
import type { DynamoDBStreamsHandlers } from '../dynamodbstreams/generated/types.js';

interface StreamRecord { arn: string; table: string; createdAt: number }

export default defineService({
  id: '_template',
  create(rt) {
    const streams = rt.table<StreamRecord>('streams');
    const handlers: DynamoDBStreamsHandlers = {
      ListStreams(input, ctx) {
        const all = [...streams.values(scopeOf(ctx))].filter((s) => !input.TableName || s.table === input.TableName);
        return { Streams: all.map((s) => ({ StreamArn: s.arn, TableName: s.table, StreamLabel: new Date(s.createdAt).toISOString() })) };
      },
      DescribeStream(input, ctx) {
        const s = streams.get(scopeOf(ctx), input.StreamArn);
        if (!s) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Stream: ${input.StreamArn} not found`, 400);
        return { StreamDescription: { StreamArn: s.arn, TableName: s.table, StreamStatus: 'ENABLED', CreationRequestDateTime: new Date(s.createdAt) } };
      },
    };
    return { handlers: handlers as never };
  },
});
