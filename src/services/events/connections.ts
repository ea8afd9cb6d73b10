/**
 * Connections and API destinations: records, the connection's secret, OAuth tokens.
 *
 * As on AWS, a connection's credentials live in a Secrets Manager secret named
 * `events!connection/<name>/<uuid>` (created, updated and force-deleted through the dispatch
 * path); the connection record keeps only what DescribeConnection shows (no secret values).
 * API_KEY and BASIC connections are AUTHORIZED at once. OAUTH_CLIENT_CREDENTIALS connections
 * start AUTHORIZING and ask the authorization endpoint for a token right away (a real HTTP
 * request): AUTHORIZED when it answers 2xx with an `access_token`, DEAUTHORIZED otherwise. The
 * token is kept in memory until `expires_in` passes on the virtual clock or the endpoint
 * answers 401/407, then fetched again.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Scope } from '../../state/store.js';
import type { ConnectionHttpParameters, ConnectionAuthResponseParameters } from './generated/types.js';
import type { EventsState } from './state.js';

export interface ConnectionRecord {
  name: string;
  arn: string;
  description?: string;
  authorizationType: string;
  /** what DescribeConnection shows: no passwords, secrets or secret parameter values */
  auth: ConnectionAuthResponseParameters;
  secretArn?: string;
  state: string;
  stateReason?: string;
  kmsKeyIdentifier?: string;
  invocationConnectivity?: { ResourceConfigurationArn: string; ResourceAssociationArn: string };
  createdAt: number;
  modifiedAt: number;
  authorizedAt?: number;
}

export interface ApiDestinationRecord {
  name: string;
  arn: string;
  description?: string;
  connectionArn: string;
  endpoint: string;
  httpMethod: string;
  rateLimit: number;
  state: string;
  createdAt: number;
  modifiedAt: number;
}

/** The secret's JSON: everything needed to authorize a request. */
export interface ConnectionSecret {
  authorization_type: string;
  api_key_name?: string;
  api_key_value?: string;
  username?: string;
  password?: string;
  client_id?: string;
  client_secret?: string;
  authorization_endpoint?: string;
  http_method?: string;
  oauth_http_parameters?: ConnectionHttpParameters;
  invocation_http_parameters?: ConnectionHttpParameters;
}

export interface HttpResult { status: number; body: string }

const HTTP_TIMEOUT_MS = 5000; // AWS's client execution timeout for API destinations

/** One HTTP request (real I/O; its timeout is a socket timeout, not a clock timer). */
export function httpCall(method: string, url: URL, headers: Record<string, string>, body: string | undefined): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method, headers, timeout: HTTP_TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timed out'), { code: 'TIMEOUT' })));
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

const secretName = (name: string, id: string) => `events!connection/${name}/${id}`;

interface Token { value: string; expiresAt?: number }

export class Connections {
  private readonly tokens = new Map<string, Token>();

  constructor(private readonly state: EventsState) {}

  async createSecret(scope: Scope, name: string, id: string, secret: ConnectionSecret): Promise<string> {
    const out = (await this.state.rt.call('secretsmanager', 'CreateSecret', {
      Name: secretName(name, id),
      Description: `Auth parameters for EventBridge connection ${name}`,
      SecretString: JSON.stringify(secret),
    }, scope)) as { ARN: string };
    return out.ARN;
  }

  async readSecret(scope: Scope, c: ConnectionRecord): Promise<ConnectionSecret> {
    const out = (await this.state.rt.call('secretsmanager', 'GetSecretValue', { SecretId: c.secretArn }, scope)) as { SecretString?: string };
    return JSON.parse(out.SecretString ?? '{}') as ConnectionSecret;
  }

  async writeSecret(scope: Scope, c: ConnectionRecord, secret: ConnectionSecret): Promise<void> {
    await this.state.rt.call('secretsmanager', 'PutSecretValue', { SecretId: c.secretArn, SecretString: JSON.stringify(secret) }, scope);
  }

  async deleteSecret(scope: Scope, secretArn: string | undefined): Promise<void> {
    if (!secretArn) return;
    await this.state.rt.call('secretsmanager', 'DeleteSecret', { SecretId: secretArn, ForceDeleteWithoutRecovery: true }, scope).catch(() => undefined);
  }

  forgetToken(arn: string): void {
    this.tokens.delete(arn);
  }

  /**
   * Asks the OAuth endpoint for a token and records the outcome on the connection (when it
   * was not changed meanwhile). Resolves with the token, or undefined.
   */
  async authorize(scope: Scope, c: ConnectionRecord): Promise<string | undefined> {
    const version = c.modifiedAt;
    const clock = this.state.rt.clock;
    let token: Token | undefined;
    let reason: string | undefined;
    try {
      const s = await this.readSecret(scope, c);
      token = await this.fetchToken(s);
    } catch (e) {
      reason = (e as Error).message;
    }
    if (token) this.tokens.set(c.arn, token);
    const cur = this.state.connections.get(scope, c.name);
    if (cur && cur.arn === c.arn && cur.modifiedAt === version && (cur.state === 'AUTHORIZING' || cur.state === 'AUTHORIZED')) {
      if (token) {
        cur.state = 'AUTHORIZED';
        delete cur.stateReason;
        cur.authorizedAt = clock.now();
      } else {
        cur.state = 'DEAUTHORIZED';
        cur.stateReason = reason ?? 'Authorization failed';
      }
      this.state.connections.put(scope, cur.name, cur);
    }
    return token?.value;
  }

  /** A valid OAuth token for the connection (fetching one when needed). */
  async token(scope: Scope, c: ConnectionRecord, refresh: boolean): Promise<string | undefined> {
    const t = this.tokens.get(c.arn);
    if (!refresh && t && (t.expiresAt === undefined || t.expiresAt > this.state.rt.clock.now())) return t.value;
    return this.authorize(scope, c);
  }

  private async fetchToken(s: ConnectionSecret): Promise<Token> {
    if (!s.authorization_endpoint) throw new Error('The connection has no authorization endpoint.');
    const url = new URL(s.authorization_endpoint);
    const p = s.oauth_http_parameters ?? {};
    for (const q of p.QueryStringParameters ?? []) if (q.Key) url.searchParams.set(q.Key, q.Value ?? '');
    const headers: Record<string, string> = {
      Authorization: `Basic ${Buffer.from(`${s.client_id ?? ''}:${s.client_secret ?? ''}`).toString('base64')}`,
    };
    for (const h of p.HeaderParameters ?? []) if (h.Key) headers[h.Key] = h.Value ?? '';
    const method = (s.http_method ?? 'POST').toUpperCase();
    let body: string | undefined;
    if (method !== 'GET' && method !== 'HEAD') {
      const form = new URLSearchParams();
      for (const b of p.BodyParameters ?? []) if (b.Key) form.set(b.Key, b.Value ?? '');
      body = form.toString();
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      headers['Content-Length'] = String(Buffer.byteLength(body));
    }
    const res = await httpCall(method, url, headers, body);
    if (res.status < 200 || res.status >= 300) throw new Error(`The authorization endpoint returned HTTP ${res.status}.`);
    let doc: { access_token?: unknown; expires_in?: unknown };
    try {
      doc = JSON.parse(res.body) as typeof doc;
    } catch {
      throw new Error('The authorization endpoint did not return JSON.');
    }
    if (typeof doc.access_token !== 'string') throw new Error('The authorization endpoint did not return an access_token.');
    const ttl = Number(doc.expires_in);
    return { value: doc.access_token, ...(ttl > 0 ? { expiresAt: this.state.rt.clock.now() + ttl * 1000 } : {}) };
  }
}
