/**
 * Amazon EventBridge (json 1.1): event buses, rules with event patterns or schedules, targets
 * (SQS, SNS, Lambda, event buses, CloudWatch Logs) invoked through the dispatch path, PutEvents,
 * TestEventPattern, tags. Scheduled rules run on the virtual clock; their timers are rebuilt
 * from state when the service is created.
 */
import { defineService, type OperationHandler } from '../service.js';
import type { EventBridgeHandlers } from './generated/types.js';
import { EventsState } from './state.js';
import { Router } from './delivery.js';
import { RuleScheduler } from './schedules.js';
import { busHandlers } from './operations/buses.js';
import { ruleHandlers } from './operations/rules.js';
import { targetHandlers } from './operations/targets.js';
import { eventHandlers } from './operations/events.js';
import { tagHandlers } from './operations/tags.js';
import { register } from './internal.js';

export default defineService({
  id: 'events',
  create(rt) {
    const state = new EventsState(rt);
    const router = new Router(state);
    const schedules = new RuleScheduler(state, router);
    register(rt.store, state);
    schedules.restore();
    const handlers: EventBridgeHandlers = {
      ...busHandlers(state, schedules),
      ...ruleHandlers(state, schedules),
      ...targetHandlers(state),
      ...eventHandlers(state, router),
      ...tagHandlers(state),
    };
    return { handlers: handlers as Record<string, OperationHandler>, stop: () => state.stop() };
  },
});
