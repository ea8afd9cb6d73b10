/**
 * Partner event sources. A SaaS partner (any account) creates `aws.partner/<partner>/<name>`
 * for a customer account; the customer sees it as an event source (PENDING), associates it by
 * creating an event bus of the same name (ACTIVE) — or Activate/DeactivateEventSource — and the
 * partner's PutPartnerEvents then arrive on that bus, in the customer's account.
 */
import { AwsError, validationError } from '../../../core/errors.js';
import { arn } from '../../../core/arn.js';
import { uuid } from '../../../core/ids.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { EventBridgeHandlers, PutPartnerEventsResultEntry } from '../generated/types.js';
import type { EventsState, EventSourceRecord } from '../state.js';
import { eventTime, type EventEnvelope, type Router } from '../delivery.js';
import { entrySize } from './events.js';
import { constraint } from './common.js';
import { page } from './paging.js';

const SOURCE_NAME = /^aws\.partner(\/[\.\-_A-Za-z0-9]+){2,}$/;
const ACCOUNT = /^\d{12}$/;
const MAX_BYTES = 256 * 1024;

export const sourceNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Event source ${name} does not exist.`, 400);
const sourceArn = (region: string, name: string) => arn('events', region, '', `event-source/${name}`);

const view = (s: EventSourceRecord) => ({
  Arn: s.arn,
  Name: s.name,
  CreatedBy: s.createdBy,
  CreationTime: new Date(s.createdAt),
  State: s.state,
});

export function partnerHandlers(state: EventsState, router: Router): EventBridgeHandlers {
  const partnerSource = (scope: Scope, name: string) => {
    const p = state.partnerSources.get(scope, name);
    if (!p) throw sourceNotFound(name);
    return p;
  };
  const customerSource = (scope: Scope, name: string) => {
    const s = state.eventSources.get(scope, name);
    if (!s || s.state === 'DELETED') throw sourceNotFound(name);
    return s;
  };
  const setState = (scope: Scope, name: string, to: 'ACTIVE' | 'PENDING') => {
    const s = customerSource(scope, name);
    state.eventSources.put(scope, s.name, { ...s, state: to });
  };
  return {
    CreatePartnerEventSource(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.Name.length > 256 || !SOURCE_NAME.test(input.Name)) throw constraint(input.Name, 'name', 'Member must satisfy regular expression pattern: aws\\.partner(/[\\.\\-_A-Za-z0-9]+){2,}');
      if (!ACCOUNT.test(input.Account)) throw constraint(input.Account, 'account', 'Member must satisfy regular expression pattern: \\d{12}');
      const customer = { account: input.Account, region: scope.region };
      const existing = state.eventSources.get(customer, input.Name);
      if (existing && existing.state !== 'DELETED') throw new AwsError('ResourceAlreadyExistsException', `Event source ${input.Name} already exists.`, 400);
      const now = state.rt.clock.now();
      const a = sourceArn(scope.region, input.Name);
      const p = state.partnerSources.get(scope, input.Name) ?? { name: input.Name, arn: a, createdAt: now, accounts: [] };
      state.partnerSources.put(scope, p.name, { ...p, accounts: [...p.accounts.filter((x) => x.account !== input.Account), { account: input.Account, createdAt: now }] });
      state.eventSources.put(customer, input.Name, { name: input.Name, arn: a, createdBy: input.Name.split('/')[1]!, partnerAccount: scope.account, createdAt: now, state: 'PENDING' });
      return { EventSourceArn: a };
    },
    DescribePartnerEventSource(input, ctx) {
      const p = partnerSource(scopeOf(ctx), input.Name);
      return { Arn: p.arn, Name: p.name };
    },
    ListPartnerEventSources(input, ctx) {
      const all = [...state.partnerSources.values(scopeOf(ctx))].filter((p) => p.name.startsWith(input.NamePrefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
      const p = page(all, input.Limit, input.NextToken);
      return { PartnerEventSources: p.items.map((x) => ({ Arn: x.arn, Name: x.name })), ...(p.next ? { NextToken: p.next } : {}) };
    },
    ListPartnerEventSourceAccounts(input, ctx) {
      const scope = scopeOf(ctx);
      const src = partnerSource(scope, input.EventSourceName);
      const rows = src.accounts.map((x) => ({ Account: x.account, CreationTime: new Date(x.createdAt), State: state.eventSources.get({ account: x.account, region: scope.region }, src.name)?.state ?? 'DELETED' }));
      const p = page(rows, input.Limit, input.NextToken);
      return { PartnerEventSourceAccounts: p.items, ...(p.next ? { NextToken: p.next } : {}) };
    },
    DeletePartnerEventSource(input, ctx) {
      const scope = scopeOf(ctx);
      const p = partnerSource(scope, input.Name);
      if (!p.accounts.some((x) => x.account === input.Account)) return;
      const customer = { account: input.Account, region: scope.region };
      const s = state.eventSources.get(customer, p.name);
      if (s && s.partnerAccount === scope.account) state.eventSources.put(customer, s.name, { ...s, state: 'DELETED' });
      const rest = p.accounts.filter((x) => x.account !== input.Account);
      if (rest.length) state.partnerSources.put(scope, p.name, { ...p, accounts: rest });
      else state.partnerSources.delete(scope, p.name);
    },
    DescribeEventSource(input, ctx) {
      return view(customerSource(scopeOf(ctx), input.Name));
    },
    ListEventSources(input, ctx) {
      const all = [...state.eventSources.values(scopeOf(ctx))]
        .filter((s) => s.state !== 'DELETED' && (!input.NamePrefix || s.name.startsWith(input.NamePrefix)))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const p = page(all, input.Limit, input.NextToken);
      return { EventSources: p.items.map(view), ...(p.next ? { NextToken: p.next } : {}) };
    },
    ActivateEventSource(input, ctx) {
      setState(scopeOf(ctx), input.Name, 'ACTIVE');
    },
    DeactivateEventSource(input, ctx) {
      setState(scopeOf(ctx), input.Name, 'PENDING');
    },
    PutPartnerEvents(input, ctx) {
      const scope = scopeOf(ctx);
      const entries = input.Entries;
      if (entries.length < 1) throw constraint('[]', 'entries', 'Member must have length greater than or equal to 1');
      if (entries.length > 20) throw validationError("1 validation error detected: Value at 'entries' failed to satisfy constraint: Member must have length less than or equal to 20");
      if (entries.reduce((n, e) => n + entrySize(e), 0) > MAX_BYTES) throw validationError('Total size of the entries in the request is over the limit.');
      const now = state.rt.clock.now();
      const results: PutPartnerEventsResultEntry[] = [];
      const deliveries: [Scope, EventEnvelope][] = [];
      for (const e of entries) {
        const fail = (ErrorCode: string, ErrorMessage: string) => results.push({ ErrorCode, ErrorMessage });
        if (!e.Source) { fail('InvalidArgument', 'Parameter Source is not valid. Reason: Source is a required argument.'); continue; }
        if (!e.DetailType) { fail('InvalidArgument', 'Parameter DetailType is not valid. Reason: DetailType is a required argument.'); continue; }
        let detail: unknown;
        try {
          detail = JSON.parse(e.Detail ?? '');
        } catch {
          detail = undefined;
        }
        if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) { fail('MalformedDetail', 'Detail is malformed.'); continue; }
        const p = state.partnerSources.get(scope, e.Source);
        if (!p) { fail('NotAuthorizedForSourceException', 'Not authorized for the source.'); continue; }
        const id = uuid();
        for (const { account } of p.accounts) {
          const customer = { account, region: scope.region };
          const s = state.eventSources.get(customer, p.name);
          if (s?.state !== 'ACTIVE' || s.partnerAccount !== scope.account || !state.buses.has(customer, p.name)) continue;
          deliveries.push([customer, {
            version: '0', id, 'detail-type': e.DetailType, source: e.Source, account, time: eventTime(e.Time ? e.Time.getTime() : now),
            region: scope.region, resources: e.Resources ?? [], detail,
          }]);
        }
        results.push({ EventId: id });
      }
      for (const [customer, ev] of deliveries) router.route(customer, ev.source, ev);
      return { FailedEntryCount: results.filter((r) => r.ErrorCode).length, Entries: results };
    },
  };
}
