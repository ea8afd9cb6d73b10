/**
 * AWS Lambda. This slice answers ListFunctions and GetAccountSettings over the functions
 * table (rest-json); CreateFunction, Invoke and the rest answer 501 until built.
 */
import { defineService } from '../service.js';
import type { LambdaHandlers } from './generated/types.js';
import { LambdaState } from './state.js';
import { functionHandlers } from './operations/functions.js';
import { accountHandlers } from './operations/account.js';

export default defineService({
  id: 'lambda',
  create(rt) {
    const state = new LambdaState(rt);
    const handlers: LambdaHandlers = { ...functionHandlers(state), ...accountHandlers(state) };
    return { handlers: handlers as never };
  },
});
