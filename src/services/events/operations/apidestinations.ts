/** API destinations: Create/Describe/Update/Delete/List. */
import { AwsError, validationError } from '../../../core/errors.js';
import { arn, parseArn } from '../../../core/arn.js';
import { uuid } from '../../../core/ids.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { EventBridgeHandlers } from '../generated/types.js';
import type { EventsState } from '../state.js';
import type { ApiDestinationRecord } from '../connections.js';
import { checkName, constraint } from './common.js';
import { connectionNotFound, RESOURCE_NAME } from './connections.js';
import { page } from './paging.js';

const METHODS = ['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE'];
const DEFAULT_RATE = 300;

const notFound = (name: string) => new AwsError('ResourceNotFoundException', `An api-destination '${name}' does not exist.`, 400);

const view = (d: ApiDestinationRecord) => ({
  ApiDestinationArn: d.arn,
  Name: d.name,
  ApiDestinationState: d.state,
  ConnectionArn: d.connectionArn,
  InvocationEndpoint: d.endpoint,
  HttpMethod: d.httpMethod,
  InvocationRateLimitPerSecond: d.rateLimit,
  CreationTime: new Date(d.createdAt),
  LastModifiedTime: new Date(d.modifiedAt),
});

export function apiDestinationHandlers(state: EventsState): EventBridgeHandlers {
  const get = (scope: Scope, name: string) => {
    const d = state.apiDestinations.get(scope, name);
    if (!d) throw notFound(name);
    return d;
  };
  /** The connection an ARN names (it must exist in this account and region). */
  const connection = (scope: Scope, connectionArn: string) => {
    const a = parseArn(connectionArn);
    const name = a?.service === 'events' && a.resource.startsWith('connection/') ? a.resource.split('/')[1]! : connectionArn;
    const c = state.connections.get(scope, name);
    if (!c || c.arn !== connectionArn) throw connectionNotFound(name);
    return c;
  };
  const check = (input: { HttpMethod?: string; InvocationEndpoint?: string; InvocationRateLimitPerSecond?: number; Description?: string }) => {
    if (input.HttpMethod !== undefined && !METHODS.includes(input.HttpMethod)) throw constraint(input.HttpMethod, 'httpMethod', `Member must satisfy enum value set: [${METHODS.join(', ')}]`);
    if (input.InvocationEndpoint !== undefined && (!/^https?:\/\//i.test(input.InvocationEndpoint) || !URL.canParse(input.InvocationEndpoint.replace(/\*/g, 'x')))) {
      throw validationError('Parameter InvocationEndpoint is not valid. Reason: Invalid endpoint URL.');
    }
    if (input.InvocationRateLimitPerSecond !== undefined && input.InvocationRateLimitPerSecond < 1) {
      throw constraint(String(input.InvocationRateLimitPerSecond), 'invocationRateLimitPerSecond', 'Member must have value greater than or equal to 1');
    }
    if (input.Description !== undefined && input.Description.length > 512) throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
  };
  return {
    CreateApiDestination(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.Name, 'name', RESOURCE_NAME, 64);
      check(input);
      connection(scope, input.ConnectionArn);
      if (state.apiDestinations.has(scope, input.Name)) throw new AwsError('ResourceAlreadyExistsException', `An api-destination '${input.Name}' already exists.`, 400);
      const now = state.rt.clock.now();
      const d: ApiDestinationRecord = {
        name: input.Name,
        arn: arn('events', scope.region, scope.account, `api-destination/${input.Name}/${uuid()}`),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        connectionArn: input.ConnectionArn,
        endpoint: input.InvocationEndpoint,
        httpMethod: input.HttpMethod,
        rateLimit: input.InvocationRateLimitPerSecond ?? DEFAULT_RATE,
        state: 'ACTIVE',
        createdAt: now,
        modifiedAt: now,
      };
      state.apiDestinations.put(scope, d.name, d);
      return { ApiDestinationArn: d.arn, ApiDestinationState: d.state, CreationTime: new Date(now), LastModifiedTime: new Date(now) };
    },
    DescribeApiDestination(input, ctx) {
      const d = get(scopeOf(ctx), input.Name);
      return { ...view(d), ...(d.description !== undefined ? { Description: d.description } : {}) };
    },
    UpdateApiDestination(input, ctx) {
      const scope = scopeOf(ctx);
      const d = get(scope, input.Name);
      check(input);
      if (input.ConnectionArn !== undefined) connection(scope, input.ConnectionArn);
      if (input.Description !== undefined) d.description = input.Description;
      if (input.ConnectionArn !== undefined) d.connectionArn = input.ConnectionArn;
      if (input.InvocationEndpoint !== undefined) d.endpoint = input.InvocationEndpoint;
      if (input.HttpMethod !== undefined) d.httpMethod = input.HttpMethod;
      if (input.InvocationRateLimitPerSecond !== undefined) d.rateLimit = input.InvocationRateLimitPerSecond;
      d.modifiedAt = state.rt.clock.now();
      state.apiDestinations.put(scope, d.name, d);
      return { ApiDestinationArn: d.arn, ApiDestinationState: d.state, CreationTime: new Date(d.createdAt), LastModifiedTime: new Date(d.modifiedAt) };
    },
    DeleteApiDestination(input, ctx) {
      const scope = scopeOf(ctx);
      state.apiDestinations.delete(scope, get(scope, input.Name).name);
      return {};
    },
    ListApiDestinations(input, ctx) {
      const scope = scopeOf(ctx);
      const all = [...state.apiDestinations.values(scope)]
        .filter((d) => (!input.NamePrefix || d.name.startsWith(input.NamePrefix)) && (!input.ConnectionArn || d.connectionArn === input.ConnectionArn))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const p = page(all, input.Limit, input.NextToken);
      return { ApiDestinations: p.items.map(view), ...(p.next ? { NextToken: p.next } : {}) };
    },
  };
}
