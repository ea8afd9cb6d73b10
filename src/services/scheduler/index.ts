/**
 * Amazon EventBridge Scheduler (rest-json): schedule groups and schedules (at / rate / cron with
 * time zones, start/end dates, flexible windows, ActionAfterCompletion) firing on the virtual
 * clock into SQS, SNS, EventBridge, Lambda (pending until Lambda exists) and universal targets.
 */
import { defineService, type OperationHandler } from '../service.js';
import type { SchedulerHandlers } from './generated/types.js';
import { SchedulerState } from './state.js';
import { Runner } from './runner.js';
import { scheduleHandlers } from './operations/schedules.js';
import { groupHandlers } from './operations/groups.js';
import { register } from './internal.js';

export default defineService({
  id: 'scheduler',
  create(rt) {
    const state = new SchedulerState(rt);
    const runner = new Runner(state);
    register(rt.store, state);
    runner.restore();
    const handlers: SchedulerHandlers = { ...scheduleHandlers(state, runner), ...groupHandlers(state, runner) };
    return { handlers: handlers as Record<string, OperationHandler>, stop: () => state.stop() };
  },
});
