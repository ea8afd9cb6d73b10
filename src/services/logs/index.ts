/**
 * CloudWatch Logs (awsJson 1.1): log groups, log streams, PutLogEvents / GetLogEvents.
 * Times come from the virtual clock, so retention and the too-old/too-new windows move
 * when a test advances it.
 */
import { defineService } from '../service.js';
import { scopeOf } from '../../gateway/context.js';
import type { CloudWatchLogsHandlers } from './generated/types.js';
import { LogsState } from './state.js';
import { createLogGroup, deleteLogGroup, describeLogGroups, putRetentionPolicy } from './operations/log-groups.js';
import { createLogStream, deleteLogStream, describeLogStreams } from './operations/log-streams.js';
import { getLogEvents, putLogEvents } from './operations/log-events.js';

export default defineService({
  id: 'logs',
  create(rt) {
    const s = new LogsState(rt);
    const now = () => rt.clock.now();
    const handlers: CloudWatchLogsHandlers = {
      CreateLogGroup: (input, ctx) => createLogGroup(s, scopeOf(ctx), input, now()),
      DescribeLogGroups: (input, ctx) => describeLogGroups(s, scopeOf(ctx), input),
      DeleteLogGroup: (input, ctx) => deleteLogGroup(s, scopeOf(ctx), input.logGroupName),
      PutRetentionPolicy: (input, ctx) => putRetentionPolicy(s, scopeOf(ctx), input.logGroupName, input.retentionInDays),
      DeleteRetentionPolicy: (input, ctx) => putRetentionPolicy(s, scopeOf(ctx), input.logGroupName, undefined),
      CreateLogStream: (input, ctx) => createLogStream(s, scopeOf(ctx), input.logGroupName, input.logStreamName, now()),
      DescribeLogStreams: (input, ctx) => describeLogStreams(s, scopeOf(ctx), input),
      DeleteLogStream: (input, ctx) => deleteLogStream(s, scopeOf(ctx), input.logGroupName, input.logStreamName),
      PutLogEvents: (input, ctx) => putLogEvents(s, scopeOf(ctx), input, now()),
      GetLogEvents: (input, ctx) => getLogEvents(s, scopeOf(ctx), input, now()),
    };
    return { handlers: handlers as never };
  },
});
