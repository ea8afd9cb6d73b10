/** One line per request (unless quiet) and an entry in the request log. */
import { performance } from 'node:perf_hooks';
import type { RequestContext } from './context.js';
import type { Runtime } from './runtime.js';

export function logRequest(rt: Runtime, ctx: RequestContext): void {
  const ms = Math.round((performance.now() - ctx.startedAt) * 100) / 100;
  const status = ctx.status ?? ctx.res.statusCode;
  const service = ctx.service?.id ?? '-';
  const operation = ctx.operationName ?? '-';
  const entry: Parameters<typeof rt.requestLog.addAt>[1] = {
    requestId: ctx.requestId,
    service,
    operation,
    account: ctx.accountId,
    region: ctx.service?.globalScope ? '' : ctx.region,
    status,
    ms,
    error: ctx.errorCode,
  };
  if (ctx.iam) {
    entry.iam = ctx.iam.decision;
    entry.iamReason = ctx.iam.reason;
  }
  rt.requestLog.addAt(rt.clock.now(), entry);
  if (!rt.config.quiet) {
    const err = ctx.errorCode ? ` ${ctx.errorCode}` : '';
    process.stdout.write(`${service}.${operation} ${status}${err} ${ms}ms\n`);
  }
}
