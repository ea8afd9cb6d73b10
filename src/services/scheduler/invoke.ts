/**
 * One invocation of a schedule's target through the dispatch path: SQS SendMessage
 * (MessageGroupId from SqsParameters, the execution id as deduplication id on FIFO queues), SNS
 * Publish, Lambda Invoke (`pending` while Lambda answers NotImplemented), EventBridge PutEvents
 * (EventBridgeParameters; Input is the Detail), and universal targets
 * `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>`, which call that operation with Input as
 * its parameters. Other ARNs are `stored`. Failures throw; runner.ts retries them.
 */
import { parseArn } from '../../core/arn.js';
import { isAwsError } from '../../core/errors.js';
import type { Scope } from '../../state/store.js';
import type { ServiceRuntime } from '../service.js';
import { DeliveryFailure } from '../events/internal.js';
import type { Target } from './generated/types.js';

export type Outcome = 'delivered' | 'pending' | 'stored';

export async function invokeTarget(rt: ServiceRuntime, scope: Scope, t: Target, input: string, executionId: string): Promise<Outcome> {
  const a = parseArn(t.Arn);
  if (!a) return 'stored';
  const at = { account: a.account || scope.account, region: a.region || scope.region };
  if (a.service === 'sqs') {
    await rt.call('sqs', 'SendMessage', {
      QueueUrl: `/${at.account}/${a.resource}`,
      MessageBody: input,
      ...(a.resource.endsWith('.fifo') ? { MessageGroupId: t.SqsParameters?.MessageGroupId, MessageDeduplicationId: executionId } : {}),
    }, at);
  } else if (a.service === 'sns') {
    await rt.call('sns', 'Publish', { TopicArn: t.Arn, Message: input }, at);
  } else if (a.service === 'lambda') {
    try {
      await rt.call('lambda', 'Invoke', { FunctionName: t.Arn, InvocationType: 'Event', Payload: Buffer.from(input) }, at);
    } catch (e) {
      if (isAwsError(e) && e.code === 'NotImplemented') return 'pending';
      throw e;
    }
  } else if (a.service === 'events' && a.resource.startsWith('event-bus/')) {
    const out = (await rt.call('events', 'PutEvents', { Entries: [{
      EventBusName: t.Arn,
      Source: t.EventBridgeParameters?.Source,
      DetailType: t.EventBridgeParameters?.DetailType,
      Detail: input,
    }] }, at)) as { Entries?: { ErrorCode?: string; ErrorMessage?: string }[] };
    const e = out.Entries?.[0];
    if (e?.ErrorCode) throw new DeliveryFailure(e.ErrorCode, e.ErrorMessage ?? e.ErrorCode, false);
  } else if (a.service === 'scheduler' && a.resource.startsWith('aws-sdk:')) {
    const [, service, action] = a.resource.split(':');
    if (!service || !action) return 'stored';
    let params: Record<string, unknown>;
    try {
      params = JSON.parse(input) as Record<string, unknown>;
    } catch {
      throw new DeliveryFailure('ValidationException', 'The target input is not valid JSON.', false);
    }
    await rt.call(service, action[0]!.toUpperCase() + action.slice(1), params, scope);
  } else {
    return 'stored';
  }
  return 'delivered';
}
