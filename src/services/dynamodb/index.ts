/**
 * Amazon DynamoDB. Tables and items live in scoped tables (see state.ts); items are kept per
 * table in key order (N numerically, S and B by bytes) for O(log n) point access and
 * O(log n + page) range reads. Table status changes run on the virtual clock.
 */
import { defineService } from '../service.js';
import type { DynamoDBHandlers } from './generated/types.js';
import { DynamoState } from './state.js';
import { tableHandlers } from './operations/tables.js';
import { itemHandlers } from './operations/items.js';
import { queryHandlers } from './operations/query.js';
import { batchHandlers } from './operations/batch.js';

export default defineService({
  id: 'dynamodb',
  create(rt) {
    const state = new DynamoState(rt);
    const handlers: DynamoDBHandlers = { ...tableHandlers(state), ...itemHandlers(state), ...queryHandlers(state), ...batchHandlers(state) };
    return { handlers: handlers as never };
  },
});
