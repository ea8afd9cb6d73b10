/** GetAccountSettings: AWS's current default quotas, usage summed from the functions table. */
import { scopeOf } from '../../../gateway/context.js';
import type { LambdaHandlers } from '../generated/types.js';
import type { LambdaState } from '../state.js';

type Handlers = Pick<Required<LambdaHandlers>, 'GetAccountSettings'>;

/** Lambda's default quotas (Service Quotas "AWS Lambda", as of 2026). */
export const ACCOUNT_LIMIT = {
  TotalCodeSize: 80530636800,
  CodeSizeUnzipped: 262144000,
  CodeSizeZipped: 52428800,
  ConcurrentExecutions: 1000,
  UnreservedConcurrentExecutions: 1000,
} as const;

export function accountHandlers(state: LambdaState): Handlers {
  return {
    GetAccountSettings(_input, ctx) {
      let count = 0;
      let codeSize = 0;
      for (const f of state.functions.values(scopeOf(ctx))) {
        count++;
        codeSize += f.configuration.CodeSize ?? 0;
      }
      return { AccountLimit: { ...ACCOUNT_LIMIT }, AccountUsage: { TotalCodeSize: codeSize, FunctionCount: count } };
    },
  };
}
