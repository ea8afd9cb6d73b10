/**
 * Scheduled rules on the virtual clock. Each rule with a ScheduleExpression on the default bus
 * has one timer: `rate(n unit)` fires at anchor + k × period (the anchor is when the rule got
 * its schedule, so the first event comes one period after PutRule), `cron(…)` at its next time
 * in UTC. A disabled rule keeps its timer but delivers nothing. Timers are rebuilt from the
 * rules table when the service is created (restart), skipping the fire times that passed.
 */
import type { Scope } from '../../state/store.js';
import { uuid } from '../../core/ids.js';
import { parseScheduleExpression, nextCronTime } from './domain/schedule.js';
import { ruleKey, type EventsState, type RuleRecord } from './state.js';
import { eventTime, type Router } from './delivery.js';

export class RuleScheduler {
  constructor(private readonly state: EventsState, private readonly router: Router) {}

  /** Arms timers for every scheduled rule (service creation). */
  restore(): void {
    for (const [scope, rules] of this.state.rules.allScopes()) for (const r of rules.values()) this.arm(scope, r);
  }

  arm(scope: Scope, r: RuleRecord): void {
    const key = `${scope.account}/${scope.region}/${ruleKey(r.bus, r.name)}`;
    this.state.timers.get(key)?.cancel();
    this.state.timers.delete(key);
    if (!r.scheduleExpression) return;
    const s = parseScheduleExpression(r.scheduleExpression, { allowAt: false, strictPlural: true });
    if (!s) return;
    const now = this.state.rt.clock.now();
    let due: number | undefined;
    if (s.kind === 'rate') due = r.anchor + Math.max(1, Math.floor((now - r.anchor) / s.ms) + 1) * s.ms;
    else if (s.kind === 'cron') due = nextCronTime(s.cron, now, 'UTC');
    if (due === undefined) return;
    const expr = r.scheduleExpression;
    this.state.timers.set(key, this.state.rt.clock.at(due, () => {
      this.state.timers.delete(key);
      const cur = this.state.rules.get(scope, ruleKey(r.bus, r.name));
      if (!cur || cur.scheduleExpression !== expr || cur.anchor !== r.anchor) return;
      if (cur.state !== 'DISABLED') this.fire(scope, cur);
      this.arm(scope, cur);
    }));
  }

  disarm(scope: Scope, r: RuleRecord): void {
    const key = `${scope.account}/${scope.region}/${ruleKey(r.bus, r.name)}`;
    this.state.timers.get(key)?.cancel();
    this.state.timers.delete(key);
  }

  private fire(scope: Scope, r: RuleRecord): void {
    this.router.toTargets(scope, r, {
      version: '0',
      id: uuid(),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: scope.account,
      time: eventTime(this.state.rt.clock.now()),
      region: scope.region,
      resources: [r.arn],
      detail: {},
    });
  }
}
