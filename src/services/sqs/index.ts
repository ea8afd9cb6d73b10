/**
 * Amazon SQS. Queues and messages live in scoped tables (see state.ts); visibility timeouts,
 * delays, retention and long polls run on the virtual clock. Speaks the json protocol (SDK v3,
 * botocore ≥ 1.31) and, through the shared query protocol, the legacy form API.
 */
import { defineService } from '../service.js';
import type { SQSHandlers } from './generated/types.js';
import { SqsState } from './state.js';
import { queueHandlers } from './operations/queues.js';
import { messageHandlers } from './operations/messages.js';

export default defineService({
  id: 'sqs',
  create(rt) {
    const state = new SqsState(rt);
    const handlers: SQSHandlers = { ...queueHandlers(state), ...messageHandlers(state) };
    return { handlers: handlers as never, stop: () => state.stop() };
  },
});
