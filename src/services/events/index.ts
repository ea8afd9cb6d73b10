/**
 * Amazon EventBridge (json 1.1): event buses, rules with event patterns or schedules, targets
 * (SQS, SNS, Lambda, event buses, CloudWatch Logs, API destinations) invoked through the dispatch
 * path with retries and dead-letter queues, archives and replays, connections (secrets in
 * Secrets Manager), PutEvents, TestEventPattern, tags. Scheduled rules, retries and replays run
 * on the virtual clock; timers are rebuilt from state when the service is created.
 */
import { defineService, type OperationHandler } from '../service.js';
import type { EventBridgeHandlers } from './generated/types.js';
import { EventsState } from './state.js';
import { Router } from './delivery.js';
import { Archives } from './archives.js';
import { Connections } from './connections.js';
import { RuleScheduler } from './schedules.js';
import { busHandlers } from './operations/buses.js';
import { ruleHandlers } from './operations/rules.js';
import { targetHandlers } from './operations/targets.js';
import { eventHandlers } from './operations/events.js';
import { tagHandlers } from './operations/tags.js';
import { archiveHandlers } from './operations/archives.js';
import { connectionHandlers } from './operations/connections.js';
import { apiDestinationHandlers } from './operations/apidestinations.js';
import { permissionHandlers } from './operations/permissions.js';
import { partnerHandlers } from './operations/partners.js';
import { endpointHandlers } from './operations/endpoints.js';
import { register } from './internal.js';

export default defineService({
  id: 'events',
  create(rt) {
    const state = new EventsState(rt);
    const connections = new Connections(state);
    const router = new Router(state, connections);
    const archives = new Archives(state, router);
    router.archives = archives;
    const schedules = new RuleScheduler(state, router);
    register(rt.store, state);
    schedules.restore();
    archives.restore();
    const handlers: EventBridgeHandlers = {
      ...busHandlers(state, schedules),
      ...ruleHandlers(state, schedules),
      ...targetHandlers(state),
      ...eventHandlers(state, router),
      ...tagHandlers(state),
      ...archiveHandlers(state, archives),
      ...connectionHandlers(state, connections),
      ...apiDestinationHandlers(state),
      ...permissionHandlers(state),
      ...partnerHandlers(state, router),
      ...endpointHandlers(state),
    };
    return { handlers: handlers as Record<string, OperationHandler>, stop: () => state.stop() };
  },
});
