/**
 * Routing an event on a bus to the matching rules' targets, and invoking targets through the
 * dispatch path (rt.call): SQS SendMessage, SNS Publish, Lambda Invoke (recorded as pending
 * while Lambda answers NotImplemented), another event bus (the event is put on it as is),
 * CloudWatch Logs PutLogEvents into a stream named after the event id. Any other ARN is
 * recorded as `stored`. A failed invocation goes to the target's DeadLetterConfig queue with
 * AWS's message attributes; there are no retries.
 */
import { parseArn } from '../../core/arn.js';
import { isAwsError } from '../../core/errors.js';
import type { Scope } from '../../state/store.js';
import type { Target } from './generated/types.js';
import { matches } from './domain/pattern.js';
import { renderInput } from './domain/input.js';
import { busName, type EventsState, type RuleRecord } from './state.js';

/** An event as AWS delivers it (key order is AWS's). */
export interface EventEnvelope {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: unknown;
  [k: string]: unknown;
}

/** AWS's event time: seconds precision, `Z`. */
export const eventTime = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const MAX_HOPS = 5;

export class Router {
  constructor(private readonly state: EventsState) {}

  /** Delivers `event` to every enabled rule on the bus whose pattern matches. */
  route(scope: Scope, bus: string, event: EventEnvelope, hops = 0): void {
    for (const rule of this.state.rulesOf(scope, bus)) {
      if (rule.state === 'DISABLED' || !rule.eventPattern) continue;
      const p = this.state.compiled(rule);
      if (p && matches(p, event)) this.toTargets(scope, rule, event, hops);
    }
  }

  toTargets(scope: Scope, rule: RuleRecord, event: EventEnvelope, hops = 0): void {
    for (const t of rule.targets) void this.invoke(scope, rule, t, event, hops);
  }

  private async invoke(scope: Scope, rule: RuleRecord, t: Target, event: EventEnvelope, hops: number): Promise<void> {
    const a = parseArn(t.Arn);
    const input = renderInput(t, event, {
      'aws.events.rule-arn': rule.arn,
      'aws.events.rule-name': rule.name,
      'aws.events.event.ingestion-time': event.time,
    });
    const base = { ruleArn: rule.arn, targetId: t.Id, targetArn: t.Arn, eventId: event.id, input };
    const rt = this.state.rt;
    if (!a) return this.state.record({ ...base, status: 'stored' });
    const at = { account: a.account || scope.account, region: a.region || scope.region };
    try {
      switch (a.service) {
        case 'sqs': {
          const fifo = a.resource.endsWith('.fifo');
          await rt.call('sqs', 'SendMessage', {
            QueueUrl: `/${at.account}/${a.resource}`,
            MessageBody: input,
            ...(fifo ? { MessageGroupId: t.SqsParameters?.MessageGroupId, MessageDeduplicationId: event.id } : {}),
          }, at);
          break;
        }
        case 'sns':
          await rt.call('sns', 'Publish', { TopicArn: t.Arn, Message: input }, at);
          break;
        case 'lambda':
          try {
            await rt.call('lambda', 'Invoke', { FunctionName: t.Arn, InvocationType: 'Event', Payload: Buffer.from(input) }, at);
          } catch (e) {
            if (isAwsError(e) && e.code === 'NotImplemented') return this.state.record({ ...base, status: 'pending' });
            throw e;
          }
          break;
        case 'events': {
          if (!a.resource.startsWith('event-bus/')) return this.state.record({ ...base, status: 'stored' });
          if (hops + 1 >= MAX_HOPS) throw new Error('too many event bus hops');
          const name = busName(t.Arn);
          this.state.bus(at, name); // throws when the bus is gone
          this.route(at, name, event, hops + 1);
          break;
        }
        case 'logs': {
          const group = a.resource.replace(/^log-group:/, '').replace(/:\*$/, '');
          await rt.call('logs', 'CreateLogStream', { logGroupName: group, logStreamName: event.id }, at).catch(() => undefined);
          await rt.call('logs', 'PutLogEvents', { logGroupName: group, logStreamName: event.id, logEvents: [{ timestamp: Date.parse(event.time), message: input }] }, at);
          break;
        }
        default:
          return this.state.record({ ...base, status: 'stored' });
      }
      this.state.record({ ...base, status: 'delivered' });
    } catch (e) {
      const code = isAwsError(e) ? e.code : 'InternalFailure';
      const message = (e as Error).message;
      this.state.record({ ...base, status: 'failed', error: `${code}: ${message}` });
      const dlq = t.DeadLetterConfig?.Arn && parseArn(t.DeadLetterConfig.Arn);
      if (dlq && dlq.service === 'sqs') {
        const attr = (v: string) => ({ DataType: 'String', StringValue: v });
        await rt.call('sqs', 'SendMessage', {
          QueueUrl: `/${dlq.account}/${dlq.resource}`,
          MessageBody: JSON.stringify(event),
          MessageAttributes: {
            RULE_ARN: attr(rule.arn),
            TARGET_ARN: attr(t.Arn),
            ERROR_CODE: attr(code),
            ERROR_MESSAGE: attr(message.slice(0, 256) || code),
          },
        }, { account: dlq.account, region: dlq.region }).catch(() => undefined);
      }
    }
  }
}
