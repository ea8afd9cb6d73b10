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
 * Targets: invoke.ts. A retriable failure (throttling, 5xx) is tried again by the target's
 * RetryPolicy on the virtual clock (`<aws.scheduler.attempt-number>` counts the attempts); when
 * the retries are exhausted, or at once for other failures, the input goes to the
 * DeadLetterConfig SQS queue with AWS's attributes. Pending retries live in memory only.
 */
import { parseArn } from '../../core/arn.js';
import { uuid } from '../../core/ids.js';
import type { Scope } from '../../state/store.js';
import { classify, nextCronTime, nextRetry, parseScheduleExpression, renderTemplate, zonedToUtc, type DeliveryFailure } from '../events/internal.js';
import { scheduleKey, type ScheduleRecord, type SchedulerState } from './state.js';
import { invokeTarget } from './invoke.js';

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

  private invoke(scope: Scope, s: ScheduleRecord, nominal: number): void {
    void this.attempt(scope, s, nominal, uuid(), this.state.rt.clock.now(), 0);
  }

  /** One attempt; retriable failures are tried again by the target's RetryPolicy, then dead-lettered. */
  private async attempt(scope: Scope, s: ScheduleRecord, nominal: number, executionId: string, first: number, retries: number): Promise<void> {
    const t = s.target;
    const input = renderTemplate(t.Input ?? '{}', {
      'aws.scheduler.schedule-arn': s.arn,
      'aws.scheduler.scheduled-time': iso(nominal),
      'aws.scheduler.execution-id': executionId,
      'aws.scheduler.attempt-number': retries + 1,
    });
    const base = { scheduleArn: s.arn, targetArn: t.Arn, scheduledTime: iso(nominal), executionId, input, attempt: retries + 1 };
    let failure: DeliveryFailure;
    try {
      const status = await invokeTarget(this.state.rt, scope, t, input, executionId);
      if (this.state.stopped) return;
      this.state.record({ ...base, status });
      return;
    } catch (e) {
      failure = classify(e);
    }
    if (this.state.stopped) return;
    this.state.record({ ...base, status: 'failed', error: `${failure.code}: ${failure.message}` });
    let exhausted: string | undefined;
    if (failure.retriable) {
      const clock = this.state.rt.clock;
      const next = nextRetry(t.RetryPolicy, first, clock.now(), retries);
      if ('at' in next) {
        const timer = clock.at(next.at, () => {
          this.state.retryTimers.delete(timer);
          void this.attempt(scope, s, nominal, executionId, first, retries + 1);
        });
        this.state.retryTimers.add(timer);
        return;
      }
      exhausted = next.exhausted;
    }
    const dlq = t.DeadLetterConfig?.Arn ? parseArn(t.DeadLetterConfig.Arn) : undefined;
    if (dlq?.service !== 'sqs') return;
    const attr = (v: string) => ({ DataType: 'String', StringValue: v });
    await this.state.rt.call('sqs', 'SendMessage', {
      QueueUrl: `/${dlq.account}/${dlq.resource}`,
      MessageBody: input,
      MessageAttributes: {
        ERROR_CODE: attr(failure.code),
        ERROR_MESSAGE: attr(failure.message.slice(0, 256) || failure.code),
        ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: attr(exhausted) } : {}),
        RETRY_ATTEMPTS: attr(String(retries)),
        SCHEDULE_ARN: attr(s.arn),
        TARGET_ARN: attr(t.Arn),
      },
    }, { account: dlq.account, region: dlq.region }).catch(() => undefined);
  }
}
