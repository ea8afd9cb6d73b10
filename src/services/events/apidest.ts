/**
 * Invoking an API destination target: one HTTP request to the destination's endpoint.
 *
 * - URL: InvocationEndpoint with each `*` replaced by the target's
 *   HttpParameters.PathParameterValues in order; query string from the target's
 *   QueryStringParameters and the connection's InvocationHttpParameters (the connection wins).
 * - Headers: AWS's (`User-Agent: Amazon/EventBridge/ApiDestinations`, `Content-Type:
 *   application/json; charset=utf-8`, `Range: bytes=0-1048575`, `Accept-Encoding:
 *   gzip,deflate`), the target's HeaderParameters, the connection's header parameters and its
 *   authorization: API_KEY `<ApiKeyName>: <ApiKeyValue>`, BASIC `Authorization: Basic …`,
 *   OAUTH_CLIENT_CREDENTIALS `Authorization: Bearer <token>`.
 * - Body: the target input (after InputPath / InputTransformer); the connection's body
 *   parameters are added when it is a JSON object. GET and HEAD send no body.
 * - Parameter values of the target that are JSON paths (`$.detail.id`) take the event's value.
 *
 * 2xx is success. 401/407 (after dropping the OAuth token), 409, 429 and 5xx are retried by
 * the target's RetryPolicy; other statuses fail at once (AWS's rules). Connection failures and
 * timeouts (5 s) are retried.
 */
import type { Scope } from '../../state/store.js';
import { AwsError } from '../../core/errors.js';
import type { Target } from './generated/types.js';
import { DeliveryFailure } from './domain/retry.js';
import { selectPath, validJsonPath } from './domain/input.js';
import type { EventsState } from './state.js';
import type { EventEnvelope } from './envelope.js';
import { httpCall, type Connections, type ConnectionSecret } from './connections.js';

const RETRIED = (s: number) => s === 401 || s === 407 || s === 409 || s === 429 || s >= 500;

/** A target parameter value: a JSON path into the event, or the text itself. */
function value(v: string, event: EventEnvelope): string {
  if (!v.startsWith('$') || !validJsonPath(v)) return v;
  const x = selectPath(event, v);
  return x === undefined || x === null ? '' : typeof x === 'string' ? x : JSON.stringify(x);
}

export async function invokeApiDestination(state: EventsState, connections: Connections, at: Scope, t: Target, event: EventEnvelope, input: string): Promise<void> {
  const parts = t.Arn.split(':').slice(5).join(':').split('/');
  const dest = state.apiDestinations.get(at, parts[1] ?? '');
  if (!dest || dest.arn !== t.Arn) throw new DeliveryFailure('NO_RESOURCE', `ApiDestination ${parts[1]} does not exist.`, false);
  const connName = dest.connectionArn.split(':').slice(5).join(':').split('/')[1] ?? '';
  const conn = state.connections.get(at, connName);
  if (!conn || conn.arn !== dest.connectionArn) throw new DeliveryFailure('NO_RESOURCE', `Connection ${connName} does not exist.`, false);
  if (conn.state !== 'AUTHORIZED' && conn.state !== 'AUTHORIZING') throw new DeliveryFailure('SDK_CLIENT_ERROR', `Connection ${conn.name} is not authorized (${conn.state}).`, false);
  let secret: ConnectionSecret;
  try {
    secret = await connections.readSecret(at, conn);
  } catch (e) {
    throw new DeliveryFailure('INTERNAL_ERROR', `Unable to read the connection secret: ${(e as Error).message}`, !(e instanceof AwsError) || e.status >= 500);
  }
  const hp = t.HttpParameters ?? {};
  const inv = secret.invocation_http_parameters ?? {};

  const pathValues = [...(hp.PathParameterValues ?? [])];
  const url = new URL(dest.endpoint.replace(/\*/g, () => encodeURIComponent(value(pathValues.shift() ?? '', event))));
  for (const [k, v] of Object.entries(hp.QueryStringParameters ?? {})) url.searchParams.set(k, value(v, event));
  for (const q of inv.QueryStringParameters ?? []) if (q.Key) url.searchParams.set(q.Key, q.Value ?? '');

  const headers: Record<string, string> = {
    'User-Agent': 'Amazon/EventBridge/ApiDestinations',
    'Content-Type': 'application/json; charset=utf-8',
    Range: 'bytes=0-1048575',
    'Accept-Encoding': 'gzip,deflate',
  };
  for (const [k, v] of Object.entries(hp.HeaderParameters ?? {})) headers[k] = value(v, event);
  for (const h of inv.HeaderParameters ?? []) if (h.Key) headers[h.Key] = h.Value ?? '';

  const method = dest.httpMethod;
  let body: string | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    body = input;
    const extra = inv.BodyParameters ?? [];
    if (extra.length) {
      try {
        const doc = JSON.parse(input) as unknown;
        if (doc && typeof doc === 'object' && !Array.isArray(doc)) {
          for (const b of extra) if (b.Key) (doc as Record<string, unknown>)[b.Key] = b.Value ?? '';
          body = JSON.stringify(doc);
        }
      } catch {
        /* not JSON: sent as is */
      }
    }
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }

  const send = async (refresh: boolean) => {
    const h = { ...headers };
    if (secret.authorization_type === 'API_KEY' && secret.api_key_name) h[secret.api_key_name] = secret.api_key_value ?? '';
    else if (secret.authorization_type === 'BASIC') h.Authorization = `Basic ${Buffer.from(`${secret.username ?? ''}:${secret.password ?? ''}`).toString('base64')}`;
    else if (secret.authorization_type === 'OAUTH_CLIENT_CREDENTIALS') {
      const token = await connections.token(at, conn, refresh);
      if (!token) throw new DeliveryFailure('SDK_CLIENT_ERROR', `Unable to obtain an OAuth token for connection ${conn.name}.`, true);
      h.Authorization = `Bearer ${token}`;
    }
    try {
      return await httpCall(method, url, h, body);
    } catch (e) {
      const timeout = (e as { code?: string }).code === 'TIMEOUT';
      throw new DeliveryFailure(timeout ? 'TIMEOUT' : 'CONNECTION_FAILURE', `Unable to invoke ApiDestination endpoint: ${(e as Error).message}`, true);
    }
  };

  let res = await send(false);
  if ((res.status === 401 || res.status === 407) && secret.authorization_type === 'OAUTH_CLIENT_CREDENTIALS') {
    connections.forgetToken(conn.arn);
    res = await send(true);
  }
  if (res.status >= 200 && res.status < 300) return;
  throw new DeliveryFailure('SDK_CLIENT_ERROR', `Unable to invoke ApiDestination endpoint: The endpoint responded with HTTP status code ${res.status}.`, RETRIED(res.status));
}
