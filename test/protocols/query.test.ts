// covers: sts.AssumeRole
/**
 * awsQuery on the wire: raw form requests against STS (envelope, errors, GET, malformed
 * input), plus hermetic round trips through the real SDK v3 query serializer and XML
 * deserializer (SNS, IAM clients with a capturing request handler) so that the naming rules
 * for structures, wrapped/flattened lists and maps match what clients send and expect.
 */
import { describe, test, expect, beforeAll } from 'vitest';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { SNSClient, CreateTopicCommand, PublishCommand, GetTopicAttributesCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { IAMClient, GetRoleCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { useGureum, clientConfig, raw } from '../helpers.js';
import query from '../../src/protocol/query/index.js';
import { loadModel } from '../../src/protocol/models.js';
import type { Protocol } from '../../src/protocol/protocol.js';

const ctx = useGureum();
// AssumeRole needs the roles to exist and trust the caller (the default account's root).
beforeAll(async () => {
  const iam = new IAMClient(clientConfig(ctx.g, { credentials: { accessKeyId: '123456789012', secretAccessKey: 'x' } }));
  const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000000' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }); // (tags need sts:TagSession)
  for (const RoleName of ['Raw', 'T']) await iam.send(new CreateRoleCommand({ RoleName, AssumeRolePolicyDocument: doc }));
});
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const post = (body: string) => raw(ctx.g, '/', { method: 'POST', headers: FORM, body });
/** Text of the first <name> element, entities decoded. */
const tag = (xml: string, name: string) =>
  new RegExp(`<${name}>([^<]*)</${name}>`)
    .exec(xml)?.[1]
    ?.replace(/&apos;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('raw awsQuery requests (STS)', () => {
  test('success envelope: Response/Result/ResponseMetadata, namespace, text/xml, request id', async () => {
    const r = await post('Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('text/xml');
    const id = r.headers.get('x-amzn-requestid')!;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.text).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>');
    expect(tag(r.text, 'Arn')).toBe('arn:aws:iam::000000000000:root');
    expect(tag(r.text, 'Account')).toBe('000000000000');
    expect(r.text).toContain(`</GetCallerIdentityResult><ResponseMetadata><RequestId>${id}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`);
  });

  test('parameters in a GET query string', async () => {
    const r = await raw(ctx.g, '/?Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.status).toBe(200);
    expect(tag(r.text, 'Account')).toBe('000000000000');
  });

  test('timestamps are ISO 8601; nested structures by member name', async () => {
    const r = await post('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FRaw&RoleSessionName=raw&DurationSeconds=1200');
    expect(r.status).toBe(200);
    expect(tag(r.text, 'Expiration')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const user = /<AssumedRoleUser>(.*)<\/AssumedRoleUser>/.exec(r.text)![1]!;
    expect(tag(user, 'AssumedRoleId')).toMatch(/^AROA[A-Z2-7]{17}:raw$/);
    expect(tag(user, 'Arn')).toBe('arn:aws:sts::123456789012:assumed-role/Raw/raw');
  });

  test('a missing required parameter is MissingParameter (400) in ErrorResponse', async () => {
    const r = await post('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FRaw');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('text/xml');
    const id = r.headers.get('x-amzn-requestid');
    expect(r.text).toContain(
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>MissingParameter</Code><Message>The request must contain the parameter RoleSessionName</Message></Error><RequestId>${id}</RequestId></ErrorResponse>`,
    );
  });

  test('missing members of list items are named by their wire path', async () => {
    const base = 'Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FRaw&RoleSessionName=raw';
    const r = await post(`${base}&Tags.member.1.Key=team&Tags.member.1.Value=core&Tags.member.2.Key=env`);
    expect(r.status).toBe(400);
    expect(tag(r.text, 'Message')).toBe('The request must contain the parameter Tags.member.2.Value');
    const ok = await post(`${base}&Tags.member.1.Key=team&Tags.member.1.Value=core&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2FReadOnlyAccess&TransitiveTagKeys.member.1=team`);
    expect(ok.status).toBe(200);
    expect(Number(tag(ok.text, 'PackedPolicySize'))).toBeGreaterThan(0);
  });

  test('a value of the wrong type is InvalidParameterValue', async () => {
    const r = await post('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FRaw&RoleSessionName=raw&DurationSeconds=soon');
    expect(r.status).toBe(400);
    expect(tag(r.text, 'Code')).toBe('InvalidParameterValue');
    expect(tag(r.text, 'Message')).toBe("Value (soon) for parameter DurationSeconds is invalid. Expected: 'Number'.");
  });

  test('unknown and missing Action', async () => {
    const bad = await post('Action=GetCallerIdentities&Version=2011-06-15');
    expect(bad.status).toBe(400);
    expect(tag(bad.text, 'Code')).toBe('InvalidAction');
    expect(tag(bad.text, 'Message')).toBe('The action GetCallerIdentities is not valid for this web service.');
    const none = await post('Version=2011-06-15');
    expect(none.status).toBe(400);
    expect(tag(none.text, 'Code')).toBe('MissingAction');
  });

  test('a malformed form body is MalformedQueryString', async () => {
    const r = await post('Action=GetCallerIdentity&Version=2011-06-15&Bad=%zz');
    expect(r.status).toBe(404);
    expect(tag(r.text, 'Code')).toBe('MalformedQueryString');
    const idx = await post('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FRaw&RoleSessionName=raw&Tags.member.x.Key=a');
    expect(tag(idx.text, 'Code')).toBe('MalformedQueryString');
  });

  test('modelled errors use the awsQueryError code', async () => {
    const r = await post('Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2FRaw&RoleSessionName=raw&Policy=nope');
    expect(r.status).toBe(400);
    expect(tag(r.text, 'Code')).toBe('MalformedPolicyDocument');
    expect(tag(r.text, 'Type')).toBe('Sender');
  });

  test('SDK: list members reach the handler (Tags, PolicyArns)', async () => {
    const sts = new STSClient(clientConfig(ctx.g));
    const out = await sts.send(new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::123456789012:role/T', RoleSessionName: 'tags', Tags: [{ Key: 'a', Value: 'b' }], PolicyArns: [{ arn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }] }));
    expect(out.PackedPolicySize).toBeGreaterThan(0);
  });
});

// ---- hermetic round trips through the SDK's own query serializer / XML deserializer

interface FakeCtx {
  requestId: string;
  operationName: string;
  query: URLSearchParams;
  body: Buffer;
  rawPath: string;
  baseUrl: string;
  req: { headers: Record<string, string> };
  res: { writeHead(status: number, headers: Record<string, string | number>): void; end(text: string): void };
  status?: number;
  errorCode?: string;
}

/** Send `command` with a client whose transport hands the body to `protocol.parse` and answers with `protocol.serialize(output)`. */
async function roundTrip(protocol: Protocol, modelId: string, makeClient: (handler: unknown) => { send(c: unknown): Promise<unknown> }, command: unknown, output: Record<string, unknown> | undefined) {
  const model = loadModel(modelId);
  let parsed: Record<string, unknown> | undefined;
  const handler = {
    async handle(request: { body?: string; query?: Record<string, string> }) {
      let status = 0;
      let headers: Record<string, string> = {};
      let text = '';
      const fake: FakeCtx = {
        requestId: 'req-1',
        operationName: '',
        query: new URLSearchParams(),
        body: Buffer.from(String(request.body ?? '')),
        rawPath: '/',
        baseUrl: 'http://localhost',
        req: { headers: { 'content-type': 'application/x-www-form-urlencoded' } },
        res: {
          writeHead(s, h) {
            status = s;
            headers = Object.fromEntries(Object.entries(h).map(([k, v]) => [k, String(v)]));
          },
          end(t) {
            text = t;
          },
        },
      };
      const c = fake as never;
      fake.operationName = protocol.resolveOperation(c, model)!;
      const op = model.operations[fake.operationName]!;
      parsed = await protocol.parse(c, model, op);
      await protocol.serialize(c, model, op, output);
      return { response: { statusCode: status, headers, body: Buffer.from(text) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
  const result = await makeClient(handler).send(command);
  return { parsed: parsed!, result: result as Record<string, unknown> };
}

const creds = { accessKeyId: 'a', secretAccessKey: 'b' };

describe('SDK round trips (awsQuery codec)', () => {
  test('SNS Publish: non-flattened map of structures with Name/Value keys and a blob', async () => {
    const input = {
      TopicArn: 'arn:aws:sns:us-east-1:000000000000:t',
      Message: 'hi',
      MessageAttributes: { color: { DataType: 'String', StringValue: 'red' }, raw: { DataType: 'Binary', BinaryValue: new Uint8Array([1, 2, 255]) } },
    };
    const { parsed, result } = await roundTrip(query, 'sns', (h) => new SNSClient({ region: 'us-east-1', credentials: creds, requestHandler: h as never }), new PublishCommand(input), { MessageId: 'm-1', SequenceNumber: '7' });
    expect(parsed.TopicArn).toBe(input.TopicArn);
    const attrs = parsed.MessageAttributes as Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }>;
    expect(attrs.color).toEqual({ DataType: 'String', StringValue: 'red' });
    expect([...attrs.raw!.BinaryValue!]).toEqual([1, 2, 255]);
    expect(result).toMatchObject({ MessageId: 'm-1', SequenceNumber: '7' });
  });

  test('SNS CreateTopic / GetTopicAttributes / ListTopics: entry maps and member lists both ways', async () => {
    const client = (h: unknown) => new SNSClient({ region: 'us-east-1', credentials: creds, requestHandler: h as never });
    const create = await roundTrip(query, 'sns', client, new CreateTopicCommand({ Name: 'n', Attributes: { DisplayName: 'Hello', FifoTopic: 'false' }, Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] }), { TopicArn: 'arn:x' });
    expect(create.parsed).toEqual({ Name: 'n', Attributes: { DisplayName: 'Hello', FifoTopic: 'false' }, Tags: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2', Value: 'v2' }] });
    expect(create.result.TopicArn).toBe('arn:x');
    // The SDK sends an empty list as `Tags=`; it parses as an empty list. Map keys stay plain keys.
    const bare = await roundTrip(query, 'sns', client, new CreateTopicCommand({ Name: 'n', Tags: [], Attributes: JSON.parse('{"__proto__":"x"}') }), { TopicArn: 'arn:x' });
    expect(bare.parsed.Tags).toEqual([]);
    expect(Object.keys(bare.parsed.Attributes as object)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(bare.parsed.Attributes)).toBe(Object.prototype);

    const attrs = await roundTrip(query, 'sns', client, new GetTopicAttributesCommand({ TopicArn: 'arn:x' }), { Attributes: { Policy: '{"a":1}', Owner: '000000000000' } });
    expect(attrs.result.Attributes).toEqual({ Policy: '{"a":1}', Owner: '000000000000' });

    const list = await roundTrip(query, 'sns', client, new ListTopicsCommand({}), { Topics: [{ TopicArn: 'a1' }, { TopicArn: 'a2' }], NextToken: 'nt' });
    expect(list.result).toMatchObject({ Topics: [{ TopicArn: 'a1' }, { TopicArn: 'a2' }], NextToken: 'nt' });
    const empty = await roundTrip(query, 'sns', client, new ListTopicsCommand({}), { Topics: [] });
    expect(empty.result.Topics).toEqual([]);
  });

  test('IAM GetRole: timestamps, nested structures and booleans in the output', async () => {
    const created = new Date('2024-05-06T07:08:09Z');
    const { result } = await roundTrip(query, 'iam', (h) => new IAMClient({ region: 'us-east-1', credentials: creds, requestHandler: h as never }), new GetRoleCommand({ RoleName: 'r' }), {
      Role: { Path: '/', RoleName: 'r', RoleId: 'AROAEXAMPLE', Arn: 'arn:aws:iam::000000000000:role/r', CreateDate: created, MaxSessionDuration: 3600, Tags: [{ Key: 'a', Value: 'b' }] },
    });
    const role = result.Role as { CreateDate: Date; MaxSessionDuration: number; Tags: unknown[] };
    expect(role.CreateDate.toISOString()).toBe(created.toISOString());
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.Tags).toEqual([{ Key: 'a', Value: 'b' }]);
  });
});
