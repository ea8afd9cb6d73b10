/**
 * Global endpoints: two event buses of the same name in two regions, with failover routing and
 * optional replication. State changes run on the virtual clock (CREATING / UPDATING → ACTIVE,
 * DELETING → gone, one second later). PutEvents with an EndpointId puts the events on the
 * endpoint's primary bus (the health check is not evaluated: the primary counts as healthy) and,
 * with replication ENABLED (the default), on the secondary bus too.
 */
import { AwsError, validationError } from '../../../core/errors.js';
import { arn, parseArn } from '../../../core/arn.js';
import { alnumId } from '../../../core/ids.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { EndpointEventBus, EventBridgeHandlers, ReplicationConfig, RoutingConfig } from '../generated/types.js';
import { busName, type EventsState } from '../state.js';
import { checkName, constraint } from './common.js';
import { page } from './paging.js';

export interface EndpointRecord {
  name: string;
  arn: string;
  id: string;
  description?: string;
  routing: RoutingConfig;
  replication: ReplicationConfig;
  buses: EndpointEventBus[];
  roleArn?: string;
  state: string;
  createdAt: number;
  modifiedAt: number;
  nextStepAt?: number;
}

const STEP_MS = 1000;
const NAME = /^[\.\-_A-Za-z0-9]+$/;
const notFound = (name: string) => new AwsError('ResourceNotFoundException', `Endpoint ${name} does not exist.`, 400);
const url = (id: string) => `https://${id}.endpoint.events.amazonaws.com`;
const ID_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const endpointId = () => `${alnumId(10, ID_CHARS)}.${alnumId(3, ID_CHARS)}`;

const view = (e: EndpointRecord) => ({
  Name: e.name,
  Arn: e.arn,
  ...(e.description !== undefined ? { Description: e.description } : {}),
  EndpointId: e.id,
  EndpointUrl: url(e.id),
  RoutingConfig: e.routing,
  ReplicationConfig: e.replication,
  EventBuses: e.buses,
  ...(e.roleArn !== undefined ? { RoleArn: e.roleArn } : {}),
  State: e.state,
  CreationTime: new Date(e.createdAt),
  LastModifiedTime: new Date(e.modifiedAt),
});

/** The endpoint with this EndpointId in the caller's account (any home region), for PutEvents. */
export function findEndpoint(state: EventsState, account: string, id: string): [Scope, EndpointRecord] | undefined {
  for (const [scope, all] of state.endpoints.allScopes()) {
    if (scope.account !== account) continue;
    for (const e of all.values()) if (e.id === id) return [scope, e];
  }
  return undefined;
}

/** Where PutEvents through the endpoint puts an event: the primary bus, then the replica. */
export function endpointTargets(home: Scope, e: EndpointRecord): { scope: Scope; bus: string }[] {
  const buses = e.buses.map((b) => ({ a: parseArn(b.EventBusArn)!, name: busName(b.EventBusArn) }));
  const primary = buses.find((b) => b.a.region === home.region) ?? buses[0]!;
  const out = [{ scope: { account: primary.a.account, region: primary.a.region }, bus: primary.name }];
  const secondary = buses.find((b) => b !== primary);
  if (secondary && e.replication.State !== 'DISABLED') out.push({ scope: { account: secondary.a.account, region: secondary.a.region }, bus: secondary.name });
  return out;
}

export function endpointHandlers(state: EventsState): EventBridgeHandlers {
  const clock = state.rt.clock;
  const step = (scope: Scope, name: string, due: number) => {
    const timer = clock.at(due, () => {
      state.retryTimers.delete(timer);
      const e = state.endpoints.get(scope, name);
      if (!e || e.nextStepAt !== due) return;
      if (e.state === 'DELETING') state.endpoints.delete(scope, name);
      else {
        const next: EndpointRecord = { ...e, state: 'ACTIVE' };
        delete next.nextStepAt;
        state.endpoints.put(scope, name, next);
      }
    });
    state.retryTimers.add(timer);
  };
  for (const [scope, all] of state.endpoints.allScopes()) for (const e of all.values()) if (e.nextStepAt !== undefined) step(scope, e.name, e.nextStepAt);

  const transition = (scope: Scope, e: EndpointRecord, to: 'CREATING' | 'UPDATING' | 'DELETING') => {
    e.state = to;
    e.nextStepAt = clock.now() + STEP_MS;
    state.endpoints.put(scope, e.name, e);
    step(scope, e.name, e.nextStepAt);
  };
  const get = (scope: Scope, name: string) => {
    const e = state.endpoints.get(scope, name);
    if (!e) throw notFound(name);
    return e;
  };
  const checkConfig = (scope: Scope, buses: EndpointEventBus[], routing: RoutingConfig, replication: ReplicationConfig | undefined) => {
    if (buses.length !== 2) throw constraint(`[${buses.map((b) => b.EventBusArn).join(', ')}]`, 'eventBuses', `Member must have length ${buses.length < 2 ? 'greater than or equal to 2' : 'less than or equal to 2'}`);
    const parsed = buses.map((b) => parseArn(b.EventBusArn));
    if (parsed.some((p) => !p || p.service !== 'events' || !p.resource.startsWith('event-bus/'))) throw validationError('Parameter EventBuses is not valid. Reason: Provided Arn is not in correct format.');
    const [a, b] = parsed as [NonNullable<(typeof parsed)[0]>, NonNullable<(typeof parsed)[0]>];
    if (a.resource !== b.resource) throw validationError('Parameter EventBuses is not valid. Reason: Event buses must have the same name.');
    if (a.region === b.region) throw validationError('Parameter EventBuses is not valid. Reason: Event buses must be in different regions.');
    if (a.region !== scope.region && b.region !== scope.region) throw validationError(`Parameter EventBuses is not valid. Reason: One of the event buses must be in ${scope.region}.`);
    for (const p of [a, b]) state.bus({ account: p.account || scope.account, region: p.region }, p.resource.slice('event-bus/'.length));
    const secondary = a.region === scope.region ? b.region : a.region;
    if (routing.FailoverConfig.Secondary.Route !== secondary) throw validationError(`Parameter RoutingConfig.FailoverConfig.Secondary.Route is not valid. Reason: Route must be ${secondary}.`);
    if (replication?.State !== undefined && replication.State !== 'ENABLED' && replication.State !== 'DISABLED') throw constraint(replication.State, 'replicationConfig.state', 'Member must satisfy enum value set: [ENABLED, DISABLED]');
  };
  return {
    CreateEndpoint(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.Name, 'name', NAME, 64);
      checkConfig(scope, input.EventBuses, input.RoutingConfig, input.ReplicationConfig);
      if (state.endpoints.has(scope, input.Name)) throw new AwsError('ResourceAlreadyExistsException', `Endpoint ${input.Name} already exists.`, 400);
      const now = clock.now();
      const e: EndpointRecord = {
        name: input.Name,
        arn: arn('events', scope.region, scope.account, `endpoint/${input.Name}`),
        id: endpointId(),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        routing: JSON.parse(JSON.stringify(input.RoutingConfig)) as RoutingConfig,
        replication: { State: input.ReplicationConfig?.State ?? 'ENABLED' },
        buses: input.EventBuses.map((b) => ({ EventBusArn: b.EventBusArn })),
        ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
        state: 'CREATING',
        createdAt: now,
        modifiedAt: now,
      };
      transition(scope, e, 'CREATING');
      return { Name: e.name, Arn: e.arn, RoutingConfig: e.routing, ReplicationConfig: e.replication, EventBuses: e.buses, ...(e.roleArn ? { RoleArn: e.roleArn } : {}), State: e.state };
    },
    DescribeEndpoint(input, ctx) {
      const scope = scopeOf(ctx);
      return view(get(input.HomeRegion ? { ...scope, region: input.HomeRegion } : scope, input.Name));
    },
    ListEndpoints(input, ctx) {
      const scope = scopeOf(ctx);
      const home = input.HomeRegion ? { ...scope, region: input.HomeRegion } : scope;
      const all = [...state.endpoints.values(home)].filter((e) => !input.NamePrefix || e.name.startsWith(input.NamePrefix)).sort((a, b) => (a.name < b.name ? -1 : 1));
      const p = page(all, input.MaxResults, input.NextToken);
      return { Endpoints: p.items.map(view), ...(p.next ? { NextToken: p.next } : {}) };
    },
    UpdateEndpoint(input, ctx) {
      const scope = scopeOf(ctx);
      const e = get(scope, input.Name);
      if (e.state !== 'ACTIVE') throw new AwsError('ConcurrentModificationException', `Endpoint ${e.name} is ${e.state}.`, 400);
      checkConfig(scope, input.EventBuses ?? e.buses, input.RoutingConfig ?? e.routing, input.ReplicationConfig);
      if (input.Description !== undefined) e.description = input.Description;
      if (input.EventBuses) e.buses = input.EventBuses.map((b) => ({ EventBusArn: b.EventBusArn }));
      if (input.RoutingConfig) e.routing = JSON.parse(JSON.stringify(input.RoutingConfig)) as RoutingConfig;
      if (input.ReplicationConfig?.State) e.replication = { State: input.ReplicationConfig.State };
      if (input.RoleArn !== undefined) e.roleArn = input.RoleArn;
      e.modifiedAt = clock.now();
      transition(scope, e, 'UPDATING');
      const v = view(e);
      return { Name: v.Name, Arn: v.Arn, EndpointId: v.EndpointId, EndpointUrl: v.EndpointUrl, RoutingConfig: v.RoutingConfig, ReplicationConfig: v.ReplicationConfig, EventBuses: v.EventBuses, ...(v.RoleArn ? { RoleArn: v.RoleArn } : {}), State: v.State };
    },
    DeleteEndpoint(input, ctx) {
      const scope = scopeOf(ctx);
      const e = get(scope, input.Name);
      if (e.state !== 'DELETING') transition(scope, e, 'DELETING');
      return {};
    },
  };
}
