/**
 * Routing an event on a bus: every enabled rule whose pattern matches gets it — a rule that
 * belongs to an archive stores it (archives.ts), any other rule invokes its targets (invoke.ts).
 *
 * A failed invocation is retried on the virtual clock by the target's RetryPolicy (retriable
 * failures only, domain/retry.ts); when the retries are exhausted, or at once for a
 * non-retriable failure, the event goes to the target's DeadLetterConfig SQS queue with AWS's
 * message attributes RULE_ARN, TARGET_ARN, ERROR_CODE, ERROR_MESSAGE, RETRY_ATTEMPTS and
 * (after retries) EXHAUSTED_RETRY_CONDITION. Pending retries live in memory only.
 */
import { parseArn } from '../../core/arn.js';
import type { Scope } from '../../state/store.js';
import type { Target } from './generated/types.js';
import { matches } from './domain/pattern.js';
import { renderInput } from './domain/input.js';
import { classify, nextRetry, type DeliveryFailure } from './domain/retry.js';
import type { EventsState, RuleRecord } from './state.js';
import type { EventEnvelope } from './envelope.js';
import { invokeTarget } from './invoke.js';
import type { Archives } from './archives.js';
import type { Connections } from './connections.js';

export { eventTime, type EventEnvelope } from './envelope.js';

export interface RouteOptions {
  hops?: number;
  /** a replay: only these rules (by ARN) when given */
  onlyRules?: ReadonlySet<string>;
}

export class Router {
  archives?: Archives;

  constructor(private readonly state: EventsState, private readonly connections: Connections) {}

  /** Delivers `event` to every enabled rule on the bus whose pattern matches. */
  route(scope: Scope, bus: string, event: EventEnvelope, opts: RouteOptions = {}): void {
    for (const rule of this.state.rulesOf(scope, bus)) {
      if (rule.state === 'DISABLED' || !rule.eventPattern) continue;
      if (opts.onlyRules && !opts.onlyRules.has(rule.arn)) continue;
      const p = this.state.compiled(rule);
      if (!p || !matches(p, event)) continue;
      if (rule.archive) this.archives?.store(scope, rule.archive, event);
      else this.toTargets(scope, rule, event, opts.hops ?? 0);
    }
  }

  toTargets(scope: Scope, rule: RuleRecord, event: EventEnvelope, hops = 0): void {
    const first = this.state.rt.clock.now();
    for (const t of rule.targets) void this.attempt(scope, rule, t, event, hops, first, 0);
  }

  private async attempt(scope: Scope, rule: RuleRecord, t: Target, event: EventEnvelope, hops: number, first: number, retries: number): Promise<void> {
    const input = renderInput(t, event, {
      'aws.events.rule-arn': rule.arn,
      'aws.events.rule-name': rule.name,
      'aws.events.event.ingestion-time': event.time,
    });
    const base = { ruleArn: rule.arn, targetId: t.Id, targetArn: t.Arn, eventId: event.id, input, attempt: retries + 1 };
    let failure: DeliveryFailure;
    try {
      const status = await invokeTarget(this.state, this.connections, (s, b, e, h) => this.route(s, b, e, { hops: h }), scope, t, event, input, hops);
      if (this.state.stopped) return;
      this.state.record({ ...base, status });
      return;
    } catch (e) {
      failure = classify(e);
    }
    if (this.state.stopped) return;
    this.state.record({ ...base, status: 'failed', error: `${failure.code}: ${failure.message}` });
    if (failure.retriable) {
      const clock = this.state.rt.clock;
      const next = nextRetry(t.RetryPolicy, first, clock.now(), retries);
      if ('at' in next) {
        const timer = clock.at(next.at, () => {
          this.state.retryTimers.delete(timer);
          void this.attempt(scope, rule, t, event, hops, first, retries + 1);
        });
        this.state.retryTimers.add(timer);
        return;
      }
      return this.deadLetter(rule, t, event, failure, retries, next.exhausted);
    }
    return this.deadLetter(rule, t, event, failure, retries);
  }

  private async deadLetter(rule: RuleRecord, t: Target, event: EventEnvelope, f: DeliveryFailure, retries: number, exhausted?: string): Promise<void> {
    const dlq = t.DeadLetterConfig?.Arn ? parseArn(t.DeadLetterConfig.Arn) : undefined;
    if (dlq?.service !== 'sqs') return;
    const attr = (v: string) => ({ DataType: 'String', StringValue: v });
    await this.state.rt.call('sqs', 'SendMessage', {
      QueueUrl: `/${dlq.account}/${dlq.resource}`,
      MessageBody: JSON.stringify(event),
      MessageAttributes: {
        RULE_ARN: attr(rule.arn),
        TARGET_ARN: attr(t.Arn),
        ERROR_CODE: attr(f.code),
        ERROR_MESSAGE: attr(f.message.slice(0, 256) || f.code),
        RETRY_ATTEMPTS: attr(String(retries)),
        ...(exhausted ? { EXHAUSTED_RETRY_CONDITION: attr(exhausted) } : {}),
      },
    }, { account: dlq.account, region: dlq.region }).catch(() => undefined);
  }
}
