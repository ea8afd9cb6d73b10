/**
 * One invocation of one rule target through the dispatch path (rt.call): SQS SendMessage, SNS
 * Publish, Lambda Invoke (`pending` while Lambda answers NotImplemented), another event bus (the
 * event is routed there as is), CloudWatch Logs PutLogEvents into a stream named after the event
 * id, and API destinations (an HTTP request, `apidest.ts`). Any other ARN is `stored`.
 * Failures throw (a DeliveryFailure or the AwsError of the call); delivery.ts retries them.
 */
import { parseArn } from '../../core/arn.js';
import { isAwsError } from '../../core/errors.js';
import type { Scope } from '../../state/store.js';
import type { Target } from './generated/types.js';
import { DeliveryFailure } from './domain/retry.js';
import { policyAllows } from './domain/policy.js';
import { busName, type EventsState } from './state.js';
import type { EventEnvelope } from './envelope.js';
import { invokeApiDestination } from './apidest.js';
import type { Connections } from './connections.js';

export type Outcome = 'delivered' | 'pending' | 'stored';
export type RouteFn = (scope: Scope, bus: string, event: EventEnvelope, hops: number) => void;

const MAX_HOPS = 5;

export async function invokeTarget(state: EventsState, connections: Connections, route: RouteFn, scope: Scope, t: Target, event: EventEnvelope, input: string, hops: number): Promise<Outcome> {
  const rt = state.rt;
  const a = parseArn(t.Arn);
  if (!a) return 'stored';
  const at = { account: a.account || scope.account, region: a.region || scope.region };
  switch (a.service) {
    case 'sqs': {
      const fifo = a.resource.endsWith('.fifo');
      await rt.call('sqs', 'SendMessage', {
        QueueUrl: `/${at.account}/${a.resource}`,
        MessageBody: input,
        ...(fifo ? { MessageGroupId: t.SqsParameters?.MessageGroupId, MessageDeduplicationId: event.id } : {}),
      }, at);
      return 'delivered';
    }
    case 'sns':
      await rt.call('sns', 'Publish', { TopicArn: t.Arn, Message: input }, at);
      return 'delivered';
    case 'lambda':
      try {
        await rt.call('lambda', 'Invoke', { FunctionName: t.Arn, InvocationType: 'Event', Payload: Buffer.from(input) }, at);
      } catch (e) {
        if (isAwsError(e) && e.code === 'NotImplemented') return 'pending';
        throw e;
      }
      return 'delivered';
    case 'events': {
      if (a.resource.startsWith('api-destination/')) {
        await invokeApiDestination(state, connections, at, t, event, input);
        return 'delivered';
      }
      if (!a.resource.startsWith('event-bus/')) return 'stored';
      if (hops + 1 >= MAX_HOPS) throw new DeliveryFailure('THIRD_ACCOUNT_HOP_DETECTED', 'The event was routed across too many event buses.', false);
      const name = busName(t.Arn);
      const bus = state.bus(at, name); // throws when the bus is gone
      if (at.account !== scope.account && !policyAllows(bus.policy, scope.account)) {
        throw new DeliveryFailure('NO_PERMISSIONS', `The event bus ${bus.arn} does not allow events:PutEvents from account ${scope.account}.`, false);
      }
      route(at, name, event, hops + 1);
      return 'delivered';
    }
    case 'logs': {
      const group = a.resource.replace(/^log-group:/, '').replace(/:\*$/, '');
      await rt.call('logs', 'CreateLogStream', { logGroupName: group, logStreamName: event.id }, at).catch(() => undefined);
      await rt.call('logs', 'PutLogEvents', { logGroupName: group, logStreamName: event.id, logEvents: [{ timestamp: Date.parse(event.time), message: input }] }, at);
      return 'delivered';
    }
    default:
      return 'stored';
  }
}
