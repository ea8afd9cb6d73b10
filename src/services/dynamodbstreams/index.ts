/**
 * Amazon DynamoDB Streams (json 1.0, DynamoDBStreams_20120810): reads the streams DynamoDB keeps
 * (src/services/dynamodb/domain/streams.ts) through DynamoDB's internal stream reader. This
 * service holds no state of its own.
 */
import { defineService } from '../service.js';
import type { DynamoDBStreamsHandlers } from './generated/types.js';
import { streamHandlers } from './operations/streams.js';

export default defineService({
  id: 'dynamodbstreams',
  create(rt) {
    const handlers: DynamoDBStreamsHandlers = streamHandlers(rt);
    return { handlers: handlers as never };
  },
});
