/**
 * Firing schedules on the virtual clock and invoking their targets through the dispatch path.
 *
 * Nominal times: `at(…)` once, at that wall-clock time in ScheduleExpressionTimezone (a time
 * already past fires at once); `rate(…)` at anchor + k × period where the anchor is StartDate or,
 * without one, the time the expression was set — so the first invocation is immediate, as on
 * AWS; `cron(…)` at its times in the time zone. Recurring schedules stop after EndDate.
 * FLEXIBLE windows: the invocation happens floor(MaximumWindowInMinutes / 2) minutes after
 * the nominal time (deterministic, inside the window).
 *
 * Targets: SQS SendMessage (MessageGroupId from SqsParameters, execution id as deduplication
 * id on FIFO queues), SNS Publish, Lambda Invoke (pending while Lambda answers
 * NotImplemented), EventBridge PutEvents (EventBridgeParameters; Input is the Detail), universal
 * targets `arn:aws:scheduler:::aws-sdk:<service>:<apiAction>` call that operation with Input as
 * its parameters. Others are recorded as `stored`. A failed invocation goes to
 * DeadLetterConfig (SQS) once; RetryPolicy is stored, not applied.
 */
import { parseArn } from '../../core/arn.js';
import { isAwsError } from '../../core/errors.js';
import { uuid } from '../../core/ids.js';
import type { Scope } from '../../state/store.js';
import { nextCronTime, parseScheduleExpression, renderTemplate, zonedToUtc } from '../events/internal.js';
import { scheduleKey, type ScheduleRecord, type SchedulerState } from './state.js';

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Runner {
  constructor(private readonly state: SchedulerState) {}

  restore(): void {
    for (const [scope, all] of this.state.schedules.allScopes()) for (const s of all.values()) this.arm(scope, s);
  }

  private key(scope: Scope, s: { group: string; name: string }) {
    return `${scope.account}/${scope.region}/${scheduleKey(s.group, s.name)}`;
  }

  disarm(scope: Scope, s: { group: string; name: string }): void {
    const k = this.key(scope, s);
    this.state.timers.get(k)?.cancel();
    this.state.timers.delete(k);
  }

  /** The next nominal invocation time, or undefined when the schedule is complete. */
  nextNominal(s: ScheduleRecord, now: number): number | undefined {
    const p = parseScheduleExpression(s.expression, { allowAt: true, strictPlural: false });
    if (!p || s.completed) return undefined;
    if (p.kind === 'at') return s.lastNominal === undefined ? zonedToUtc(p.local, s.timezone) : undefined;
    const floor = Math.max(now, s.startDate ?? -Infinity, s.lastNominal !== undefined ? s.lastNominal + 1 : -Infinity);
    let t: number | undefined;
    if (p.kind === 'rate') t = s.anchor + Math.max(0, Math.ceil((floor - s.anchor) / p.ms)) * p.ms;
    else t = nextCronTime(p.cron, floor - 1, s.timezone);
    if (t === undefined || (s.endDate !== undefined && t > s.endDate)) return undefined;
    return t;
  }

  arm(scope: Scope, s: ScheduleRecord): void {
    this.disarm(scope, s);
    if (s.state !== 'ENABLED' || s.completed) return;
    const clock = this.state.rt.clock;
    const nominal = this.nextNominal(s, clock.now());
    if (nominal === undefined) return this.complete(scope, s);
    const offset = s.flexible.Mode === 'FLEXIBLE' ? Math.floor((s.flexible.MaximumWindowInMinutes ?? 0) / 2) * 60_000 : 0;
    const k = this.key(scope, s);
    const version = s.modifiedAt;
    this.state.timers.set(k, clock.at(Math.max(nominal + offset, clock.now()), () => {
      this.state.timers.delete(k);
      const cur = this.state.schedules.get(scope, scheduleKey(s.group, s.name));
      if (!cur || cur.modifiedAt !== version) return;
      cur.lastNominal = nominal;
      if (parseScheduleExpression(cur.expression, { allowAt: true, strictPlural: false })?.kind === 'at') cur.completed = true;
      this.state.schedules.put(scope, scheduleKey(cur.group, cur.name), cur);
      void this.invoke(scope, cur, nominal);
      if (cur.completed) this.complete(scope, cur);
      else this.arm(scope, cur);
    }));
  }

  /** No more invocations: mark it, and delete it when ActionAfterCompletion is DELETE. */
  private complete(scope: Scope, s: ScheduleRecord): void {
    const key = scheduleKey(s.group, s.name);
    if (s.actionAfterCompletion === 'DELETE') this.state.schedules.delete(scope, key);
    else if (!s.completed) this.state.schedules.put(scope, key, { ...s, completed: true });
  }

  private async invoke(scope: Scope, s: ScheduleRecord, nominal: number): Promise<void> {
    const rt = this.state.rt;
    const t = s.target;
    const executionId = uuid();
    const input = renderTemplate(t.Input ?? '{}', {
      'aws.scheduler.schedule-arn': s.arn,
      'aws.scheduler.scheduled-time': iso(nominal),
      'aws.scheduler.execution-id': executionId,
      'aws.scheduler.attempt-number': 1,
    });
    const base = { scheduleArn: s.arn, targetArn: t.Arn, scheduledTime: iso(nominal), executionId, input };
    const a = parseArn(t.Arn);
    if (!a) return this.state.record({ ...base, status: 'stored' });
    const at = { account: a.account || scope.account, region: a.region || scope.region };
    try {
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
          if (isAwsError(e) && e.code === 'NotImplemented') return this.state.record({ ...base, status: 'pending' });
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
        if (e?.ErrorCode) throw Object.assign(new Error(e.ErrorMessage ?? e.ErrorCode), { code: e.ErrorCode });
      } else if (a.service === 'scheduler' && a.resource.startsWith('aws-sdk:')) {
        const [, service, action] = a.resource.split(':');
        if (!service || !action) return this.state.record({ ...base, status: 'stored' });
        await rt.call(service, action[0]!.toUpperCase() + action.slice(1), JSON.parse(input) as Record<string, unknown>, scope);
      } else {
        return this.state.record({ ...base, status: 'stored' });
      }
      this.state.record({ ...base, status: 'delivered' });
    } catch (e) {
      const code = isAwsError(e) ? e.code : ((e as { code?: string }).code ?? 'InternalFailure');
      const message = (e as Error).message;
      this.state.record({ ...base, status: 'failed', error: `${code}: ${message}` });
      const dlq = t.DeadLetterConfig?.Arn ? parseArn(t.DeadLetterConfig.Arn) : undefined;
      if (dlq?.service === 'sqs') {
        const attr = (v: string) => ({ DataType: 'String', StringValue: v });
        await rt.call('sqs', 'SendMessage', {
          QueueUrl: `/${dlq.account}/${dlq.resource}`,
          MessageBody: input,
          MessageAttributes: {
            ERROR_CODE: attr(code),
            ERROR_MESSAGE: attr(message.slice(0, 256) || code),
            EXHAUSTED_RETRY_CONDITION: attr('MaximumRetryAttempts'),
            RETRY_ATTEMPTS: attr('0'),
            SCHEDULE_ARN: attr(s.arn),
            TARGET_ARN: attr(t.Arn),
          },
        }, { account: dlq.account, region: dlq.region }).catch(() => undefined);
      }
    }
  }
}
