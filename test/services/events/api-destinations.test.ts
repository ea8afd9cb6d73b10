// covers: events.CreateConnection events.DescribeConnection events.UpdateConnection events.DeleteConnection events.ListConnections events.DeauthorizeConnection events.CreateApiDestination events.DescribeApiDestination events.UpdateApiDestination events.DeleteApiDestination events.ListApiDestinations events.PutRule events.PutTargets events.PutEvents
/**
 * Connections (credentials kept in a Secrets Manager secret) and API destinations: rule targets
 * that make real HTTP requests to a local server, with the connection's authorization,
 * HttpParameters and InputTransformer applied; OAuth client credentials against a local token
 * endpoint; retries of 5xx answers on the virtual clock and the dead-letter queue.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EventBridgeClient, CreateConnectionCommand, DescribeConnectionCommand, UpdateConnectionCommand, DeleteConnectionCommand,
  ListConnectionsCommand, DeauthorizeConnectionCommand, CreateApiDestinationCommand, DescribeApiDestinationCommand,
  UpdateApiDestinationCommand, DeleteApiDestinationCommand, ListApiDestinationsCommand, PutRuleCommand, PutTargetsCommand, PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient, GetSecretValueCommand, DescribeSecretCommand } from '@aws-sdk/client-secrets-manager';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { clientConfig, useGureum, failure, drainQueue } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const eb = () => new EventBridgeClient(clientConfig(ctx.g));
const sm = () => new SecretsManagerClient(clientConfig(ctx.g));
const ACCOUNT = '000000000000';

interface Seen { method: string; url: string; headers: IncomingMessage['headers']; body: string }
const seen: Seen[] = [];
/** status the test server answers per path (default 200) */
const answer = new Map<string, number>();
let tokenCalls: Seen[] = [];
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => {
      const s: Seen = { method: req.method!, url: req.url!, headers: req.headers, body };
      if (req.url!.startsWith('/oauth/token')) {
        tokenCalls.push(s);
        const ok = req.headers.authorization === `Basic ${Buffer.from('cid:csecret').toString('base64')}`;
        res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
        res.end(ok ? JSON.stringify({ access_token: `tok-${tokenCalls.length}`, token_type: 'Bearer', expires_in: 3600 }) : '{}');
        return;
      }
      seen.push(s);
      res.writeHead(answer.get(req.url!.split('?')[0]!) ?? 200);
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Waits (real time, bounded) until `cond` holds. */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function queue(name: string) {
  const sqs = new SQSClient(clientConfig(ctx.g));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

describe('connections', () => {
  it('creates an API_KEY connection whose secret is in Secrets Manager, describes, lists, updates, deauthorizes and deletes it', async () => {
    const c = await eb().send(new CreateConnectionCommand({
      Name: 'key-conn', Description: 'api key', AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 's3cret' },
        InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-team', Value: 'blue', IsValueSecret: false }, { Key: 'x-hidden', Value: 'h', IsValueSecret: true }] },
      },
    }));
    expect(c.ConnectionArn).toMatch(new RegExp(`^arn:aws:events:us-east-1:${ACCOUNT}:connection/key-conn/[0-9a-f-]{36}$`));
    expect(c.ConnectionState).toBe('AUTHORIZED');
    const d = await eb().send(new DescribeConnectionCommand({ Name: 'key-conn' }));
    expect(d).toMatchObject({
      Name: 'key-conn', Description: 'api key', ConnectionArn: c.ConnectionArn, ConnectionState: 'AUTHORIZED', AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key' },
        InvocationHttpParameters: { HeaderParameters: [{ Key: 'x-team', Value: 'blue', IsValueSecret: false }, { Key: 'x-hidden', IsValueSecret: true }] },
      },
    });
    expect(d.AuthParameters!.ApiKeyAuthParameters).not.toHaveProperty('ApiKeyValue');
    expect(d.AuthParameters!.InvocationHttpParameters!.HeaderParameters![1]).not.toHaveProperty('Value');
    expect(d.SecretArn).toMatch(new RegExp(`^arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:events!connection/key-conn/`));
    const secret = JSON.parse((await sm().send(new GetSecretValueCommand({ SecretId: d.SecretArn }))).SecretString!);
    expect(secret).toMatchObject({ api_key_name: 'x-api-key', api_key_value: 's3cret' });

    const dup = await failure(eb().send(new CreateConnectionCommand({ Name: 'key-conn', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } } })));
    expect(dup).toMatchObject({ name: 'ResourceAlreadyExistsException', message: 'Connection key-conn already exists.' });
    const missing = await failure(eb().send(new CreateConnectionCommand({ Name: 'bad', AuthorizationType: 'BASIC', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'a', ApiKeyValue: 'b' } } })));
    expect(missing.name).toBe('ValidationException');
    // not a ConnectionAuthorizationType on purpose: the service must reject it
    const badType = await failure(eb().send(new CreateConnectionCommand({ Name: 'bad', AuthorizationType: 'TOKEN' as never, AuthParameters: {} })));
    expect(badType.message).toContain('Member must satisfy enum value set: [BASIC, OAUTH_CLIENT_CREDENTIALS, API_KEY]');

    await eb().send(new CreateConnectionCommand({ Name: 'basic-conn', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'u', Password: 'p' } } }));
    const list = await eb().send(new ListConnectionsCommand({ NamePrefix: 'key' }));
    expect(list.Connections!.map((x) => [x.Name, x.AuthorizationType, x.ConnectionState])).toEqual([['key-conn', 'API_KEY', 'AUTHORIZED']]);
    expect((await eb().send(new ListConnectionsCommand({}))).Connections!.map((x) => x.Name)).toEqual(expect.arrayContaining(['basic-conn', 'key-conn']));

    const u = await eb().send(new UpdateConnectionCommand({ Name: 'key-conn', AuthParameters: { ApiKeyAuthParameters: { ApiKeyValue: 'rotated' } } }));
    expect(u.ConnectionState).toBe('AUTHORIZED');
    expect(JSON.parse((await sm().send(new GetSecretValueCommand({ SecretId: d.SecretArn }))).SecretString!)).toMatchObject({ api_key_name: 'x-api-key', api_key_value: 'rotated' });

    const de = await eb().send(new DeauthorizeConnectionCommand({ Name: 'key-conn' }));
    expect(de.ConnectionState).toBe('DEAUTHORIZING');
    expect((await eb().send(new DescribeConnectionCommand({ Name: 'key-conn' }))).ConnectionState).toBe('DEAUTHORIZED');
    expect(JSON.parse((await sm().send(new GetSecretValueCommand({ SecretId: d.SecretArn }))).SecretString!)).not.toHaveProperty('api_key_value');
    expect((await eb().send(new ListConnectionsCommand({ ConnectionState: 'DEAUTHORIZED' }))).Connections!.map((x) => x.Name)).toEqual(['key-conn']);

    const del = await eb().send(new DeleteConnectionCommand({ Name: 'key-conn' }));
    expect(del.ConnectionState).toBe('DELETING');
    const gone = await failure(eb().send(new DescribeConnectionCommand({ Name: 'key-conn' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: "Connection 'key-conn' does not exist." });
    expect((await failure(sm().send(new DescribeSecretCommand({ SecretId: d.SecretArn })))).name).toBe('ResourceNotFoundException');
  });
});

describe('API destinations', () => {
  it('are created, described, listed, updated and deleted', async () => {
    const conn = (await eb().send(new CreateConnectionCommand({ Name: 'crud-conn', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } }))).ConnectionArn!;
    const c = await eb().send(new CreateApiDestinationCommand({ Name: 'crud-dest', ConnectionArn: conn, InvocationEndpoint: `${base}/crud`, HttpMethod: 'POST' }));
    expect(c.ApiDestinationArn).toMatch(new RegExp(`^arn:aws:events:us-east-1:${ACCOUNT}:api-destination/crud-dest/[0-9a-f-]{36}$`));
    expect(c.ApiDestinationState).toBe('ACTIVE');
    expect(await eb().send(new DescribeApiDestinationCommand({ Name: 'crud-dest' }))).toMatchObject({
      Name: 'crud-dest', ConnectionArn: conn, InvocationEndpoint: `${base}/crud`, HttpMethod: 'POST', InvocationRateLimitPerSecond: 300, ApiDestinationState: 'ACTIVE',
    });
    await eb().send(new UpdateApiDestinationCommand({ Name: 'crud-dest', HttpMethod: 'PUT', InvocationRateLimitPerSecond: 10, Description: 'd' }));
    expect(await eb().send(new DescribeApiDestinationCommand({ Name: 'crud-dest' }))).toMatchObject({ HttpMethod: 'PUT', InvocationRateLimitPerSecond: 10, Description: 'd' });
    expect((await eb().send(new ListApiDestinationsCommand({ ConnectionArn: conn }))).ApiDestinations!.map((x) => x.Name)).toEqual(['crud-dest']);
    const badMethod = await failure(eb().send(new CreateApiDestinationCommand({ Name: 'x', ConnectionArn: conn, InvocationEndpoint: `${base}/x`, HttpMethod: 'FETCH' as never }))); // not an HTTP method on purpose
    expect(badMethod.name).toBe('ValidationException');
    const noConn = await failure(eb().send(new CreateApiDestinationCommand({ Name: 'x', ConnectionArn: conn.replace('crud-conn', 'nope'), InvocationEndpoint: `${base}/x`, HttpMethod: 'POST' })));
    expect(noConn).toMatchObject({ name: 'ResourceNotFoundException', message: "Connection 'nope' does not exist." });
    await eb().send(new DeleteApiDestinationCommand({ Name: 'crud-dest' }));
    const gone = await failure(eb().send(new DescribeApiDestinationCommand({ Name: 'crud-dest' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: "An api-destination 'crud-dest' does not exist." });
  });

  it('POSTs matching events with the API key, HttpParameters and the transformed input', async () => {
    const conn = (await eb().send(new CreateConnectionCommand({
      Name: 'post-conn', AuthorizationType: 'API_KEY',
      AuthParameters: {
        ApiKeyAuthParameters: { ApiKeyName: 'x-api-key', ApiKeyValue: 'k-123' },
        InvocationHttpParameters: {
          HeaderParameters: [{ Key: 'x-conn', Value: 'c', IsValueSecret: true }],
          QueryStringParameters: [{ Key: 'from', Value: 'connection', IsValueSecret: false }],
          BodyParameters: [{ Key: 'extra', Value: 'added', IsValueSecret: false }],
        },
      },
    }))).ConnectionArn!;
    const dest = (await eb().send(new CreateApiDestinationCommand({ Name: 'orders-api', ConnectionArn: conn, InvocationEndpoint: `${base}/orders/*/items/*`, HttpMethod: 'POST' }))).ApiDestinationArn!;
    await eb().send(new PutRuleCommand({ Name: 'to-api', EventPattern: JSON.stringify({ source: ['shop'] }) }));
    const put = await eb().send(new PutTargetsCommand({ Rule: 'to-api', Targets: [{
      Id: 'api', Arn: dest, RoleArn: `arn:aws:iam::${ACCOUNT}:role/eb`,
      HttpParameters: { PathParameterValues: ['$.detail.order', 'static'], HeaderParameters: { 'x-order': '$.detail.order', 'x-fixed': 'yes' }, QueryStringParameters: { q: '$.detail.qty' } },
      InputTransformer: { InputPathsMap: { order: '$.detail.order', qty: '$.detail.qty' }, InputTemplate: '{"order": <order>, "quantity": <qty>}' },
    }] }));
    expect(put.FailedEntryCount).toBe(0);
    seen.length = 0;
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order', Detail: JSON.stringify({ order: 'o-7', qty: 3 }) }] }));
    await until(() => seen.length === 1, 'the API destination request');
    const r = seen[0]!;
    expect(r.method).toBe('POST');
    const url = new URL(r.url, base);
    expect(url.pathname).toBe('/orders/o-7/items/static');
    expect(Object.fromEntries(url.searchParams)).toEqual({ q: '3', from: 'connection' });
    expect(r.headers).toMatchObject({
      'x-api-key': 'k-123', 'x-conn': 'c', 'x-order': 'o-7', 'x-fixed': 'yes',
      'user-agent': 'Amazon/EventBridge/ApiDestinations', 'content-type': 'application/json; charset=utf-8',
    });
    expect(JSON.parse(r.body)).toEqual({ order: 'o-7', quantity: 3, extra: 'added' });
  });

  it('uses BASIC credentials and stops invoking once the connection is deauthorized', async () => {
    const conn = (await eb().send(new CreateConnectionCommand({ Name: 'basic-2', AuthorizationType: 'BASIC', AuthParameters: { BasicAuthParameters: { Username: 'user', Password: 'pw' } } }))).ConnectionArn!;
    const dest = (await eb().send(new CreateApiDestinationCommand({ Name: 'basic-api', ConnectionArn: conn, InvocationEndpoint: `${base}/basic`, HttpMethod: 'PUT' }))).ApiDestinationArn!;
    const dlq = await queue('basic-dlq');
    await eb().send(new PutRuleCommand({ Name: 'to-basic', EventPattern: JSON.stringify({ source: ['basic'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'to-basic', Targets: [{ Id: 'b', Arn: dest, DeadLetterConfig: { Arn: dlq.arn } }] }));
    seen.length = 0;
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'basic', DetailType: 'x', Detail: '{"n":1}' }] }));
    await until(() => seen.length === 1, 'the basic request');
    expect(seen[0]!.method).toBe('PUT');
    expect(seen[0]!.headers.authorization).toBe(`Basic ${Buffer.from('user:pw').toString('base64')}`);
    expect(JSON.parse(seen[0]!.body)).toMatchObject({ source: 'basic', detail: { n: 1 } });

    await eb().send(new DeauthorizeConnectionCommand({ Name: 'basic-2' }));
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'basic', DetailType: 'x', Detail: '{"n":2}' }] }));
    const dead = await drainQueue(ctx.g, dlq.url);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.Body!)).toMatchObject({ detail: { n: 2 } });
    expect(dead[0]!.MessageAttributes!.TARGET_ARN!.StringValue).toBe(dest);
    expect(seen).toHaveLength(1);
  });

  it('fetches an OAuth client-credentials token and sends it as a bearer token', async () => {
    tokenCalls = [];
    const c = await eb().send(new CreateConnectionCommand({
      Name: 'oauth-conn', AuthorizationType: 'OAUTH_CLIENT_CREDENTIALS',
      AuthParameters: { OAuthParameters: {
        AuthorizationEndpoint: `${base}/oauth/token`, HttpMethod: 'POST',
        ClientParameters: { ClientID: 'cid', ClientSecret: 'csecret' },
        OAuthHttpParameters: { BodyParameters: [{ Key: 'grant_type', Value: 'client_credentials', IsValueSecret: false }] },
      } },
    }));
    expect(c.ConnectionState).toBe('AUTHORIZING');
    await until(() => tokenCalls.length === 1, 'the token request');
    expect(tokenCalls[0]!.body).toBe('grant_type=client_credentials');
    expect(tokenCalls[0]!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    let d = await eb().send(new DescribeConnectionCommand({ Name: 'oauth-conn' }));
    for (let i = 0; i < 50 && d.ConnectionState !== 'AUTHORIZED'; i++) d = await eb().send(new DescribeConnectionCommand({ Name: 'oauth-conn' }));
    expect(d.ConnectionState).toBe('AUTHORIZED');
    expect(d.AuthParameters!.OAuthParameters).toMatchObject({ AuthorizationEndpoint: `${base}/oauth/token`, HttpMethod: 'POST', ClientParameters: { ClientID: 'cid' } });
    expect(d.AuthParameters!.OAuthParameters!.ClientParameters).not.toHaveProperty('ClientSecret');

    const dest = (await eb().send(new CreateApiDestinationCommand({ Name: 'oauth-api', ConnectionArn: c.ConnectionArn!, InvocationEndpoint: `${base}/secure`, HttpMethod: 'POST' }))).ApiDestinationArn!;
    await eb().send(new PutRuleCommand({ Name: 'to-oauth', EventPattern: JSON.stringify({ source: ['oauth'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'to-oauth', Targets: [{ Id: 'o', Arn: dest, Input: '{"hello":"world"}' }] }));
    seen.length = 0;
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'oauth', DetailType: 'x', Detail: '{}' }] }));
    await until(() => seen.length === 1, 'the bearer request');
    expect(seen[0]!.headers.authorization).toBe('Bearer tok-1');
    expect(seen[0]!.body).toBe('{"hello":"world"}');

    // A wrong client secret: the connection ends up DEAUTHORIZED.
    await eb().send(new UpdateConnectionCommand({ Name: 'oauth-conn', AuthParameters: { OAuthParameters: { ClientParameters: { ClientID: 'cid', ClientSecret: 'wrong' } } } }));
    await until(() => tokenCalls.length === 2, 'the second token request');
    d = await eb().send(new DescribeConnectionCommand({ Name: 'oauth-conn' }));
    for (let i = 0; i < 50 && d.ConnectionState !== 'DEAUTHORIZED'; i++) d = await eb().send(new DescribeConnectionCommand({ Name: 'oauth-conn' }));
    expect(d.ConnectionState).toBe('DEAUTHORIZED');
    expect(d.StateReason).toContain('401');
  });

  it('retries 5xx answers on the virtual clock, then dead-letters; 4xx goes to the DLQ at once', async () => {
    const conn = (await eb().send(new CreateConnectionCommand({ Name: 'retry-conn', AuthorizationType: 'API_KEY', AuthParameters: { ApiKeyAuthParameters: { ApiKeyName: 'k', ApiKeyValue: 'v' } } }))).ConnectionArn!;
    const flaky = (await eb().send(new CreateApiDestinationCommand({ Name: 'flaky', ConnectionArn: conn, InvocationEndpoint: `${base}/flaky`, HttpMethod: 'POST' }))).ApiDestinationArn!;
    const down = (await eb().send(new CreateApiDestinationCommand({ Name: 'down', ConnectionArn: conn, InvocationEndpoint: `${base}/down`, HttpMethod: 'POST' }))).ApiDestinationArn!;
    const bad = (await eb().send(new CreateApiDestinationCommand({ Name: 'bad', ConnectionArn: conn, InvocationEndpoint: `${base}/bad`, HttpMethod: 'POST' }))).ApiDestinationArn!;
    const dlq = await queue('api-dlq');
    answer.set('/flaky', 503);
    answer.set('/down', 500);
    answer.set('/bad', 400);
    await eb().send(new PutRuleCommand({ Name: 'to-flaky', EventPattern: JSON.stringify({ source: ['flaky'] }) }));
    const rule = (await eb().send(new PutRuleCommand({ Name: 'to-down', EventPattern: JSON.stringify({ source: ['flaky'] }) }))).RuleArn!;
    await eb().send(new PutTargetsCommand({ Rule: 'to-flaky', Targets: [
      { Id: 'flaky', Arn: flaky, RetryPolicy: { MaximumRetryAttempts: 5, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: dlq.arn } },
      { Id: 'bad', Arn: bad, DeadLetterConfig: { Arn: dlq.arn } },
    ] }));
    await eb().send(new PutTargetsCommand({ Rule: 'to-down', Targets: [{ Id: 'down', Arn: down, RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 60 }, DeadLetterConfig: { Arn: dlq.arn } }] }));
    const count = (p: string) => seen.filter((s) => s.url === p).length;
    seen.length = 0;
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'flaky', DetailType: 'x', Detail: '{"try":1}' }] }));
    await until(() => count('/flaky') === 1 && count('/down') === 1 && count('/bad') === 1, 'the first attempts');

    // The 400 is not retried: straight to the DLQ.
    const first = await drainQueue(ctx.g, dlq.url);
    expect(first).toHaveLength(1);
    expect(first[0]!.MessageAttributes).toMatchObject({ TARGET_ARN: { StringValue: bad }, ERROR_CODE: { StringValue: 'SDK_CLIENT_ERROR' }, RETRY_ATTEMPTS: { StringValue: '0' } });
    expect(first[0]!.MessageAttributes).not.toHaveProperty('EXHAUSTED_RETRY_CONDITION');

    // Retry 1 after 1 s, retry 2 after 2 more seconds: nothing before its time.
    ctx.g.clock.advance(999);
    await new Promise((r) => setTimeout(r, 50));
    expect(count('/flaky')).toBe(1);
    ctx.g.clock.advance(1);
    await until(() => count('/flaky') === 2 && count('/down') === 2, 'retry 1');
    answer.set('/flaky', 200);
    ctx.g.clock.advance(2000);
    await until(() => count('/flaky') === 3 && count('/down') === 3, 'retry 2');
    // `down` has used its 2 retries: dead-lettered with AWS's attributes.
    const dead = await drainQueue(ctx.g, dlq.url);
    expect(dead).toHaveLength(1);
    expect(JSON.parse(dead[0]!.Body!)).toMatchObject({ source: 'flaky', detail: { try: 1 } });
    expect(dead[0]!.MessageAttributes).toMatchObject({
      RULE_ARN: { StringValue: rule }, TARGET_ARN: { StringValue: down }, ERROR_CODE: { StringValue: 'SDK_CLIENT_ERROR' },
      RETRY_ATTEMPTS: { StringValue: '2' }, EXHAUSTED_RETRY_CONDITION: { StringValue: 'MaximumRetryAttempts' },
    });
    expect(dead[0]!.MessageAttributes!.ERROR_MESSAGE!.StringValue).toContain('500');
    // `flaky` succeeded on its third attempt: no more requests, nothing dead-lettered.
    ctx.g.clock.advance(600_000);
    await new Promise((r) => setTimeout(r, 50));
    expect(count('/flaky')).toBe(3);
    expect(await drainQueue(ctx.g, dlq.url)).toHaveLength(0);
  });
});
