/** PutEvents (per-entry results, AWS's limits) and TestEventPattern. */
import { AwsError, validationError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import { uuid } from '../../../core/ids.js';
import { scopeOf } from '../../../gateway/context.js';
import type { EventBridgeHandlers, PutEventsResultEntry, PutEventsRequestEntry } from '../generated/types.js';
import { matches, parsePattern } from '../domain/pattern.js';
import { policyAllows } from '../domain/policy.js';
import { endpointTargets, findEndpoint } from './endpoints.js';
import { busName, type EventsState } from '../state.js';
import { eventTime, type EventEnvelope, type Router } from '../delivery.js';

const MAX_BYTES = 256 * 1024;
const bytes = (s: string | undefined) => (s ? Buffer.byteLength(s) : 0);

/** AWS's entry size: Time 14 bytes if given, then Source, DetailType, Detail and Resources in UTF-8. */
export function entrySize(e: Pick<PutEventsRequestEntry, 'Time' | 'Source' | 'DetailType' | 'Detail' | 'Resources'>): number {
  return (e.Time ? 14 : 0) + bytes(e.Source) + bytes(e.DetailType) + bytes(e.Detail) + (e.Resources ?? []).reduce((n, r) => n + bytes(r), 0);
}

const fail = (ErrorCode: string, ErrorMessage: string): PutEventsResultEntry => ({ ErrorCode, ErrorMessage });

export function eventHandlers(state: EventsState, router: Router): EventBridgeHandlers {
  return {
    PutEvents(input, ctx) {
      const entries = input.Entries;
      if (entries.length < 1) throw validationError("1 validation error detected: Value '[]' at 'entries' failed to satisfy constraint: Member must have length greater than or equal to 1");
      if (entries.length > 10) throw validationError(`1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10`);
      if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
      const scope = scopeOf(ctx);
      const endpoint = input.EndpointId !== undefined ? findEndpoint(state, scope.account, input.EndpointId) : undefined;
      if (input.EndpointId !== undefined && (!endpoint || endpoint[1].state === 'DELETING')) throw new AwsError('ResourceNotFoundException', `Endpoint ${input.EndpointId} does not exist.`, 400);
      const now = state.rt.clock.now();
      const results: PutEventsResultEntry[] = [];
      const accepted: [typeof scope, string, EventEnvelope][] = [];
      for (const e of entries) {
        if (!e.Source) { results.push(fail('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.')); continue; }
        if (!e.DetailType) { results.push(fail('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.')); continue; }
        if (e.Detail === undefined) { results.push(fail('InvalidArgument', 'Parameter Detail is not valid. Reason: Detail is a required argument.')); continue; }
        let detail: unknown;
        try {
          detail = JSON.parse(e.Detail);
        } catch {
          detail = undefined;
        }
        if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) { results.push(fail('MalformedDetail', 'Detail is malformed.')); continue; }
        if (e.Source.startsWith('aws.') && !ctx.internal) { results.push(fail('NotAuthorizedForSourceException', 'Not authorized for the source.')); continue; }
        const a = e.EventBusName?.startsWith('arn:') ? parseArn(e.EventBusName) : undefined;
        const target = a ? { account: a.account, region: a.region } : scope;
        const bus = busName(e.EventBusName);
        let b;
        try {
          b = state.bus(target, bus);
        } catch (err) {
          results.push(fail((err as AwsError).code, (err as AwsError).message));
          continue;
        }
        if (target.account !== scope.account && !ctx.internal && !policyAllows(b.policy, scope.account)) {
          results.push(fail('AccessDeniedException', `User: arn:aws:iam::${scope.account}:root is not authorized to perform: events:PutEvents on resource: ${b.arn} because no resource-based policy allows the events:PutEvents action`));
          continue;
        }
        const id = uuid();
        accepted.push([target, bus, {
          version: '0',
          id,
          'detail-type': e.DetailType,
          source: e.Source,
          account: scope.account,
          time: eventTime(e.Time ? e.Time.getTime() : now),
          region: scope.region,
          resources: e.Resources ?? [],
          detail,
        }]);
        results.push({ EventId: id });
      }
      for (const [target, bus, ev] of accepted) {
        if (!endpoint) router.route(target, bus, ev);
        else for (const to of endpointTargets(endpoint[0], endpoint[1])) if (state.buses.has(to.scope, to.bus)) router.route(to.scope, to.bus, ev);
      }
      return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
    },
    TestEventPattern(input) {
      const p = parsePattern(input.EventPattern);
      let ev: unknown;
      try {
        ev = JSON.parse(input.Event);
      } catch {
        throw validationError('Parameter Event is not valid.');
      }
      if (!ev || typeof ev !== 'object' || Array.isArray(ev)) throw validationError('Parameter Event is not valid.');
      for (const k of ['id', 'account', 'source', 'time', 'region', 'resources', 'detail-type']) {
        if (!(k in ev)) throw validationError('Parameter Event is not valid.');
      }
      return { Result: matches(p, ev as Record<string, unknown>) };
    },
  };
}
