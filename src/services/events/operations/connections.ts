/** Connections (Create/Describe/Update/Delete/List/Deauthorize); their secrets live in Secrets Manager. */
import { AwsError, validationError } from '../../../core/errors.js';
import { arn } from '../../../core/arn.js';
import { hexId, uuid } from '../../../core/ids.js';
import { scopeOf } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type {
  ConnectionAuthResponseParameters, ConnectionHttpParameters, CreateConnectionAuthRequestParameters, EventBridgeHandlers,
  UpdateConnectionAuthRequestParameters,
} from '../generated/types.js';
import type { EventsState } from '../state.js';
import type { ConnectionRecord, ConnectionSecret, Connections } from '../connections.js';
import { checkName, constraint } from './common.js';
import { page } from './paging.js';

export const RESOURCE_NAME = /^[\.\-_A-Za-z0-9]+$/;
const AUTH_TYPES = ['BASIC', 'OAUTH_CLIENT_CREDENTIALS', 'API_KEY'];
const OAUTH_METHODS = ['GET', 'POST', 'PUT'];
const STATES = ['CREATING', 'UPDATING', 'DELETING', 'AUTHORIZED', 'DEAUTHORIZED', 'AUTHORIZING', 'DEAUTHORIZING', 'ACTIVE', 'FAILED_CONNECTIVITY'];
const PARAMS: Record<string, 'BasicAuthParameters' | 'OAuthParameters' | 'ApiKeyAuthParameters'> = {
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
  API_KEY: 'ApiKeyAuthParameters',
};

export const connectionNotFound = (name: string) => new AwsError('ResourceNotFoundException', `Connection '${name}' does not exist.`, 400);

/** Parameters as DescribeConnection shows them: secret values left out. */
function publicParams(p: ConnectionHttpParameters | undefined): ConnectionHttpParameters | undefined {
  if (!p) return undefined;
  const strip = <T extends { IsValueSecret?: boolean; Value?: string }>(l: T[] | undefined) => l?.map((x) => (x.IsValueSecret ? { ...x, Value: undefined } : { ...x }));
  return JSON.parse(JSON.stringify({ HeaderParameters: strip(p.HeaderParameters), QueryStringParameters: strip(p.QueryStringParameters), BodyParameters: strip(p.BodyParameters) })) as ConnectionHttpParameters;
}

function publicAuth(s: ConnectionSecret): ConnectionAuthResponseParameters {
  const out: ConnectionAuthResponseParameters = {};
  if (s.authorization_type === 'API_KEY') out.ApiKeyAuthParameters = { ApiKeyName: s.api_key_name };
  if (s.authorization_type === 'BASIC') out.BasicAuthParameters = { Username: s.username };
  if (s.authorization_type === 'OAUTH_CLIENT_CREDENTIALS') {
    out.OAuthParameters = {
      ClientParameters: { ClientID: s.client_id },
      AuthorizationEndpoint: s.authorization_endpoint,
      HttpMethod: s.http_method,
      ...(s.oauth_http_parameters ? { OAuthHttpParameters: publicParams(s.oauth_http_parameters) } : {}),
    };
  }
  if (s.invocation_http_parameters) out.InvocationHttpParameters = publicParams(s.invocation_http_parameters);
  return JSON.parse(JSON.stringify(out)) as ConnectionAuthResponseParameters;
}

/** The secret after applying (partial) auth parameters to `base`. */
function applyAuth(type: string, p: CreateConnectionAuthRequestParameters | UpdateConnectionAuthRequestParameters, base: ConnectionSecret, create: boolean): ConnectionSecret {
  const wanted = PARAMS[type]!;
  for (const k of Object.values(PARAMS)) {
    if (k !== wanted && p[k] !== undefined) throw validationError(`Parameter AuthParameters.${k} is not valid for authorization type ${type}.`);
  }
  const changed = base.authorization_type !== type;
  if ((create || changed) && p[wanted] === undefined) throw validationError(`Parameter(s) AuthParameters.${wanted} must be specified for authorization type ${type}.`);
  const s: ConnectionSecret = changed ? { authorization_type: type, ...(base.invocation_http_parameters ? { invocation_http_parameters: base.invocation_http_parameters } : {}) } : { ...base };
  const need = (v: string | undefined, member: string) => {
    if ((create || changed) && !v) throw validationError(`Parameter AuthParameters.${member} must be specified.`);
  };
  if (type === 'API_KEY' && p.ApiKeyAuthParameters) {
    const a = p.ApiKeyAuthParameters;
    need(a.ApiKeyName, 'ApiKeyAuthParameters.ApiKeyName');
    need(a.ApiKeyValue, 'ApiKeyAuthParameters.ApiKeyValue');
    if (a.ApiKeyName !== undefined) s.api_key_name = a.ApiKeyName;
    if (a.ApiKeyValue !== undefined) s.api_key_value = a.ApiKeyValue;
  }
  if (type === 'BASIC' && p.BasicAuthParameters) {
    const b = p.BasicAuthParameters;
    need(b.Username, 'BasicAuthParameters.Username');
    need(b.Password, 'BasicAuthParameters.Password');
    if (b.Username !== undefined) s.username = b.Username;
    if (b.Password !== undefined) s.password = b.Password;
  }
  if (type === 'OAUTH_CLIENT_CREDENTIALS' && p.OAuthParameters) {
    const o = p.OAuthParameters;
    need(o.AuthorizationEndpoint, 'OAuthParameters.AuthorizationEndpoint');
    need(o.HttpMethod, 'OAuthParameters.HttpMethod');
    need(o.ClientParameters?.ClientID, 'OAuthParameters.ClientParameters.ClientID');
    need(o.ClientParameters?.ClientSecret, 'OAuthParameters.ClientParameters.ClientSecret');
    if (o.HttpMethod !== undefined && !OAUTH_METHODS.includes(o.HttpMethod)) {
      throw constraint(o.HttpMethod, 'authParameters.oAuthParameters.httpMethod', `Member must satisfy enum value set: [${OAUTH_METHODS.join(', ')}]`);
    }
    if (o.AuthorizationEndpoint !== undefined) {
      if (!/^https?:\/\//.test(o.AuthorizationEndpoint) || !URL.canParse(o.AuthorizationEndpoint)) throw validationError('Parameter AuthParameters.OAuthParameters.AuthorizationEndpoint is not valid.');
      s.authorization_endpoint = o.AuthorizationEndpoint;
    }
    if (o.HttpMethod !== undefined) s.http_method = o.HttpMethod;
    if (o.ClientParameters?.ClientID !== undefined) s.client_id = o.ClientParameters.ClientID;
    if (o.ClientParameters?.ClientSecret !== undefined) s.client_secret = o.ClientParameters.ClientSecret;
    if (o.OAuthHttpParameters !== undefined) s.oauth_http_parameters = JSON.parse(JSON.stringify(o.OAuthHttpParameters)) as ConnectionHttpParameters;
  }
  if (p.InvocationHttpParameters !== undefined) s.invocation_http_parameters = JSON.parse(JSON.stringify(p.InvocationHttpParameters)) as ConnectionHttpParameters;
  return s;
}

/** A private-API connection: the resource configuration and the association EventBridge makes for it. */
const connectivity = (scope: Scope, ResourceConfigurationArn: string) => ({
  ResourceConfigurationArn,
  ResourceAssociationArn: arn('vpc-lattice', scope.region, scope.account, `servicenetworkresourceassociation/snra-${hexId(17)}`),
});

const times = (c: ConnectionRecord) => ({
  CreationTime: new Date(c.createdAt),
  LastModifiedTime: new Date(c.modifiedAt),
  ...(c.authorizedAt !== undefined ? { LastAuthorizedTime: new Date(c.authorizedAt) } : {}),
});

export function connectionHandlers(state: EventsState, connections: Connections): EventBridgeHandlers {
  const get = (scope: Scope, name: string) => {
    const c = state.connections.get(scope, name);
    if (!c || c.state === 'CREATING') throw connectionNotFound(name);
    return c;
  };
  const checkType = (t: string) => {
    if (!AUTH_TYPES.includes(t)) throw constraint(t, 'authorizationType', `Member must satisfy enum value set: [${AUTH_TYPES.join(', ')}]`);
  };
  return {
    async CreateConnection(input, ctx) {
      const scope = scopeOf(ctx);
      checkName(input.Name, 'name', RESOURCE_NAME, 64);
      checkType(input.AuthorizationType);
      if (input.Description !== undefined && input.Description.length > 512) throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
      const secret = applyAuth(input.AuthorizationType, input.AuthParameters ?? {}, { authorization_type: input.AuthorizationType }, true);
      if (state.connections.has(scope, input.Name)) throw new AwsError('ResourceAlreadyExistsException', `Connection ${input.Name} already exists.`, 400);
      const now = state.rt.clock.now();
      const id = uuid();
      const rec: ConnectionRecord = {
        name: input.Name,
        arn: arn('events', scope.region, scope.account, `connection/${input.Name}/${id}`),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        authorizationType: input.AuthorizationType,
        auth: publicAuth(secret),
        state: 'CREATING',
        ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
        ...(input.InvocationConnectivityParameters ? { invocationConnectivity: connectivity(scope, input.InvocationConnectivityParameters.ResourceParameters.ResourceConfigurationArn) } : {}),
        createdAt: now,
        modifiedAt: now,
      };
      state.connections.put(scope, rec.name, rec); // reserves the name while the secret is created
      let secretArn: string;
      try {
        secretArn = await connections.createSecret(scope, rec.name, id, secret);
      } catch (e) {
        state.connections.delete(scope, rec.name);
        throw e;
      }
      const oauth = rec.authorizationType === 'OAUTH_CLIENT_CREDENTIALS';
      Object.assign(rec, { secretArn, state: oauth ? 'AUTHORIZING' : 'AUTHORIZED' }, oauth ? {} : { authorizedAt: now });
      state.connections.put(scope, rec.name, rec);
      if (oauth) void connections.authorize(scope, rec);
      return { ConnectionArn: rec.arn, ConnectionState: rec.state, CreationTime: new Date(rec.createdAt), LastModifiedTime: new Date(rec.modifiedAt) };
    },
    DescribeConnection(input, ctx) {
      const c = get(scopeOf(ctx), input.Name);
      return {
        ConnectionArn: c.arn,
        Name: c.name,
        ...(c.description !== undefined ? { Description: c.description } : {}),
        ConnectionState: c.state,
        ...(c.stateReason ? { StateReason: c.stateReason } : {}),
        AuthorizationType: c.authorizationType,
        ...(c.secretArn ? { SecretArn: c.secretArn } : {}),
        ...(c.kmsKeyIdentifier !== undefined ? { KmsKeyIdentifier: c.kmsKeyIdentifier } : {}),
        ...(c.invocationConnectivity ? { InvocationConnectivityParameters: { ResourceParameters: { ...c.invocationConnectivity } } } : {}),
        AuthParameters: c.auth,
        ...times(c),
      };
    },
    ListConnections(input, ctx) {
      const scope = scopeOf(ctx);
      if (input.ConnectionState !== undefined && !STATES.includes(input.ConnectionState)) throw constraint(input.ConnectionState, 'connectionState', `Member must satisfy enum value set: [${STATES.join(', ')}]`);
      const all = [...state.connections.values(scope)]
        .filter((c) => c.state !== 'CREATING' && (!input.NamePrefix || c.name.startsWith(input.NamePrefix)) && (!input.ConnectionState || c.state === input.ConnectionState))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
      const p = page(all, input.Limit, input.NextToken);
      return {
        Connections: p.items.map((c) => ({ ConnectionArn: c.arn, Name: c.name, ConnectionState: c.state, ...(c.stateReason ? { StateReason: c.stateReason } : {}), AuthorizationType: c.authorizationType, ...times(c) })),
        ...(p.next ? { NextToken: p.next } : {}),
      };
    },
    async UpdateConnection(input, ctx) {
      const scope = scopeOf(ctx);
      const c = get(scope, input.Name);
      if (input.AuthorizationType !== undefined) checkType(input.AuthorizationType);
      if (input.Description !== undefined && input.Description.length > 512) throw constraint(input.Description, 'description', 'Member must have length less than or equal to 512');
      const base = await connections.readSecret(scope, c);
      const type = input.AuthorizationType ?? c.authorizationType;
      const secret = input.AuthParameters || type !== c.authorizationType ? applyAuth(type, input.AuthParameters ?? {}, base, false) : base;
      const cur = get(scope, input.Name);
      if (cur.arn !== c.arn) throw connectionNotFound(input.Name);
      await connections.writeSecret(scope, cur, secret);
      const now = state.rt.clock.now();
      const oauth = type === 'OAUTH_CLIENT_CREDENTIALS';
      const rec: ConnectionRecord = {
        ...cur,
        authorizationType: type,
        auth: publicAuth(secret),
        ...(input.Description !== undefined ? { description: input.Description } : {}),
        ...(input.KmsKeyIdentifier !== undefined ? { kmsKeyIdentifier: input.KmsKeyIdentifier } : {}),
        ...(input.InvocationConnectivityParameters ? { invocationConnectivity: connectivity(scope, input.InvocationConnectivityParameters.ResourceParameters.ResourceConfigurationArn) } : {}),
        state: oauth ? 'AUTHORIZING' : 'AUTHORIZED',
        modifiedAt: Math.max(now, cur.modifiedAt + 1),
        ...(oauth ? {} : { authorizedAt: now }),
      };
      delete rec.stateReason;
      state.connections.put(scope, rec.name, rec);
      connections.forgetToken(rec.arn);
      if (oauth) void connections.authorize(scope, rec);
      return { ConnectionArn: rec.arn, ConnectionState: rec.state, ...times(rec) };
    },
    async DeauthorizeConnection(input, ctx) {
      const scope = scopeOf(ctx);
      const c = get(scope, input.Name);
      const s = await connections.readSecret(scope, c);
      // The credentials leave the secret; names and invocation parameters stay.
      const kept: ConnectionSecret = { authorization_type: s.authorization_type, ...(s.api_key_name ? { api_key_name: s.api_key_name } : {}), ...(s.username ? { username: s.username } : {}), ...(s.client_id ? { client_id: s.client_id } : {}), ...(s.authorization_endpoint ? { authorization_endpoint: s.authorization_endpoint, http_method: s.http_method } : {}), ...(s.invocation_http_parameters ? { invocation_http_parameters: s.invocation_http_parameters } : {}) };
      await connections.writeSecret(scope, c, kept);
      const cur = get(scope, input.Name);
      cur.state = 'DEAUTHORIZED';
      cur.stateReason = 'Connection deauthorized by user';
      cur.modifiedAt = Math.max(state.rt.clock.now(), cur.modifiedAt + 1);
      state.connections.put(scope, cur.name, cur);
      connections.forgetToken(cur.arn);
      return { ConnectionArn: cur.arn, ConnectionState: 'DEAUTHORIZING', ...times(cur) };
    },
    async DeleteConnection(input, ctx) {
      const scope = scopeOf(ctx);
      const c = get(scope, input.Name);
      state.connections.delete(scope, c.name);
      connections.forgetToken(c.arn);
      await connections.deleteSecret(scope, c.secretArn);
      return { ConnectionArn: c.arn, ConnectionState: 'DELETING', ...times(c) };
    },
  };
}
