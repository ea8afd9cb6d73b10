/**
 * Amazon SQS. Queues and messages live in scoped tables (see state.ts); visibility timeouts,
 * delays, retention, long polls and message move tasks run on the virtual clock. Speaks the json
 * protocol (SDK v3, botocore ≥ 1.31) and, through the shared query protocol, the legacy form API.
 */
import { defineService } from '../service.js';
import type { SQSHandlers } from './generated/types.js';
import { SqsState } from './state.js';
import { MoveTasks } from './move-tasks.js';
import { queueHandlers } from './operations/queues.js';
import { messageHandlers } from './operations/messages.js';
import { redriveHandlers } from './operations/redrive.js';

export default defineService({
  id: 'sqs',
  create(rt) {
    const state = new SqsState(rt);
    const tasks = new MoveTasks(state);
    const handlers: SQSHandlers = { ...queueHandlers(state), ...messageHandlers(state), ...redriveHandlers(state, tasks) };
    return {
      handlers: handlers as never,
      stop: () => {
        tasks.stop();
        state.stop();
      },
    };
  },
});
