// covers: scheduler.CreateSchedule scheduler.GetSchedule scheduler.UpdateSchedule
/**
 * Scheduler targets' RetryPolicy: validated with AWS's ranges and defaults; a failure that no
 * retry can fix (the queue does not exist) goes to the dead-letter queue at once, with
 * RETRY_ATTEMPTS 0 and attempt number 1 in the input.
 */
import { describe, expect, it } from 'vitest';
import { SchedulerClient, CreateScheduleCommand, GetScheduleCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { clientConfig, useGureum, failure, drainQueue } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sch = () => new SchedulerClient(clientConfig(ctx.g));
const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/scheduler`;
const OFF = { Mode: 'OFF' } as const;

async function queue(name: string) {
  const sqs = new SQSClient(clientConfig(ctx.g));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

describe('retry policy', () => {
  it('validates MaximumRetryAttempts and MaximumEventAgeInSeconds and keeps what was given', async () => {
    const q = await queue('retry-q');
    const tooMany = await failure(sch().send(new CreateScheduleCommand({ Name: 'r1', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF,
      Target: { Arn: q.arn, RoleArn: ROLE, RetryPolicy: { MaximumRetryAttempts: 186 } } })));
    expect(tooMany).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(tooMany.message).toContain('Member must have value less than or equal to 185');
    const tooYoung = await failure(sch().send(new CreateScheduleCommand({ Name: 'r1', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF,
      Target: { Arn: q.arn, RoleArn: ROLE, RetryPolicy: { MaximumEventAgeInSeconds: 59 } } })));
    expect(tooYoung.message).toContain('Member must have value greater than or equal to 60');
    await sch().send(new CreateScheduleCommand({ Name: 'r1', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF,
      Target: { Arn: q.arn, RoleArn: ROLE, RetryPolicy: { MaximumRetryAttempts: 3 } } }));
    expect((await sch().send(new GetScheduleCommand({ Name: 'r1' }))).Target!.RetryPolicy).toEqual({ MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 86400 });
    await sch().send(new UpdateScheduleCommand({ Name: 'r1', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: OFF,
      Target: { Arn: q.arn, RoleArn: ROLE, RetryPolicy: { MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 } } }));
    expect((await sch().send(new GetScheduleCommand({ Name: 'r1' }))).Target!.RetryPolicy).toEqual({ MaximumRetryAttempts: 0, MaximumEventAgeInSeconds: 60 });
  });

  it('sends a non-retriable failure to the DLQ at once, with attempt number 1', async () => {
    const dlq = await queue('retry-dlq');
    ctx.g.clock.set('2034-01-01T00:00:00Z');
    await sch().send(new CreateScheduleCommand({ Name: 'gone', ScheduleExpression: 'at(2034-01-01T00:00:10)', FlexibleTimeWindow: OFF,
      Target: { Arn: `arn:aws:sqs:us-east-1:${ACCOUNT}:no-such-queue`, RoleArn: ROLE, Input: '{"attempt":<aws.scheduler.attempt-number>}', DeadLetterConfig: { Arn: dlq.arn } } }));
    ctx.g.clock.advance('10s');
    const m = await drainQueue(ctx.g, dlq.url);
    expect(m).toHaveLength(1);
    expect(JSON.parse(m[0]!.Body!)).toEqual({ attempt: 1 });
    expect(m[0]!.MessageAttributes).toMatchObject({ RETRY_ATTEMPTS: { StringValue: '0' }, ERROR_CODE: { StringValue: 'QueueDoesNotExist' } });
    expect(m[0]!.MessageAttributes).not.toHaveProperty('EXHAUSTED_RETRY_CONDITION');
    // Nothing more arrives later: it was not retried.
    ctx.g.clock.advance('1h');
    expect(await drainQueue(ctx.g, dlq.url)).toHaveLength(0);
  });
});
