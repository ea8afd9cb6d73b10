/**
 * Amazon SNS over the query protocol: topics (standard and FIFO), subscriptions with
 * filter policies, Publish/PublishBatch delivering to SQS (through the dispatch path), HTTP/S
 * endpoints (real POSTs, retried on the virtual clock) and the outbox (email, email-json, SMS,
 * mobile push endpoints, Lambda until Lambda exists); mobile push platform applications and
 * endpoints; the SMS sandbox. Messages are signed with a key kept in state; its certificate is
 * served under /_gureum/sns/ (see control.ts).
 */
import { defineService, type OperationHandler } from '../service.js';
import type { RequestContext } from '../../gateway/context.js';
import type { SNSHandlers } from './generated/types.js';
import { SnsState } from './state.js';
import { Delivery } from './delivery.js';
import { topicHandlers } from './operations/topics.js';
import { subscriptionHandlers } from './operations/subscriptions.js';
import { publishHandlers } from './operations/publish.js';
import { smsHandlers } from './operations/sms.js';
import { platformHandlers } from './operations/platform.js';
import { register } from './internal.js';

export default defineService({
  id: 'sns',
  create(rt) {
    const state = new SnsState(rt);
    const delivery = new Delivery(state);
    register(rt.store, state);
    const handlers: SNSHandlers = {
      ...topicHandlers(state),
      ...subscriptionHandlers(state, delivery),
      ...publishHandlers(state, delivery),
      ...smsHandlers(state, delivery),
      ...platformHandlers(state),
    };
    // Deliveries are recorded in the request log: learn it from the first request.
    const wrapped: Record<string, OperationHandler> = {};
    for (const [name, h] of Object.entries(handlers) as [string, OperationHandler][]) {
      wrapped[name] = (input: unknown, ctx: RequestContext) => {
        state.requestLog ??= ctx.runtime?.requestLog;
        return h(input, ctx);
      };
    }
    return { handlers: wrapped, stop: () => state.stop() };
  },
});
