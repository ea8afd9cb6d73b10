// covers: sns.CreatePlatformApplication sns.GetPlatformApplicationAttributes sns.SetPlatformApplicationAttributes sns.ListPlatformApplications sns.DeletePlatformApplication sns.CreatePlatformEndpoint sns.GetEndpointAttributes sns.SetEndpointAttributes sns.ListEndpointsByPlatformApplication sns.DeleteEndpoint sns.Publish sns.Subscribe sns.CreateTopic
/** Mobile push: platform applications, endpoints (with AWS's idempotency rule) and pushes recorded in the outbox. */
import { describe, expect, it } from 'vitest';
import {
  SNSClient, CreatePlatformApplicationCommand, GetPlatformApplicationAttributesCommand, SetPlatformApplicationAttributesCommand,
  ListPlatformApplicationsCommand, DeletePlatformApplicationCommand, CreatePlatformEndpointCommand, GetEndpointAttributesCommand,
  SetEndpointAttributesCommand, ListEndpointsByPlatformApplicationCommand, DeleteEndpointCommand, PublishCommand, CreateTopicCommand, SubscribeCommand,
} from '@aws-sdk/client-sns';
import { boto3, clientConfig, failure, HAS_PYTHON_BOTO3, raw, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sns = () => new SNSClient(clientConfig(ctx.g));
const GCM_KEY = JSON.stringify({ type: 'service_account', project_id: 'demo' });

const gcmApp = async (Name: string, extra: Record<string, string> = {}) =>
  (await sns().send(new CreatePlatformApplicationCommand({ Name, Platform: 'GCM', Attributes: { PlatformCredential: GCM_KEY, ...extra } }))).PlatformApplicationArn!;
const endpoint = async (PlatformApplicationArn: string, Token: string, extra: { CustomUserData?: string; Attributes?: Record<string, string> } = {}) =>
  (await sns().send(new CreatePlatformEndpointCommand({ PlatformApplicationArn, Token, ...extra }))).EndpointArn!;

async function pushes(endpointArn?: string): Promise<Record<string, unknown>[]> {
  const all = JSON.parse((await raw(ctx.g, '/_gureum/sns/messages?type=application')).text).messages as Record<string, unknown>[];
  return endpointArn ? all.filter((m) => m.endpointArn === endpointArn) : all;
}

describe('platform applications', () => {
  it('creates, shows (without credentials), updates, lists and deletes', async () => {
    const arn = await gcmApp('droid', { EventEndpointCreated: 'arn:aws:sns:us-east-1:000000000000:app-events' });
    expect(arn).toBe('arn:aws:sns:us-east-1:000000000000:app/GCM/droid');
    const attrs = (await sns().send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }))).Attributes;
    expect(attrs).toEqual({ Enabled: 'true', AuthenticationMethod: 'Token', EventEndpointCreated: 'arn:aws:sns:us-east-1:000000000000:app-events' });
    await sns().send(new SetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn, Attributes: { SuccessFeedbackSampleRate: '50', EventEndpointCreated: '' } }));
    expect((await sns().send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: arn }))).Attributes).toEqual({
      Enabled: 'true', AuthenticationMethod: 'Token', SuccessFeedbackSampleRate: '50',
    });
    const apns = (await sns().send(new CreatePlatformApplicationCommand({
      Name: 'ios', Platform: 'APNS', Attributes: { PlatformCredential: 'signing-key', PlatformPrincipal: 'KEYID12345', ApplePlatformTeamID: 'TEAM123456', ApplePlatformBundleID: 'com.example.app' },
    }))).PlatformApplicationArn!;
    expect((await sns().send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: apns }))).Attributes).toMatchObject({ AuthenticationMethod: 'Token', ApplePlatformBundleID: 'com.example.app' });
    const listed = (await sns().send(new ListPlatformApplicationsCommand({}))).PlatformApplications!;
    expect(listed.map((a) => a.PlatformApplicationArn)).toEqual([apns, arn]);
    await sns().send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: apns }));
    await sns().send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: apns })); // idempotent
    expect(await failure(sns().send(new GetPlatformApplicationAttributesCommand({ PlatformApplicationArn: apns })))).toEqual({
      name: 'NotFoundException', message: 'PlatformApplication does not exist', status: 404,
    });
  });

  it('validates names, platforms and credentials', async () => {
    expect(await failure(sns().send(new CreatePlatformApplicationCommand({ Name: 'x', Platform: 'PAGER', Attributes: { PlatformCredential: 'k' } })))).toEqual({
      name: 'InvalidParameterException', message: 'Invalid parameter: Platform Reason: PAGER is not supported', status: 400,
    });
    expect((await failure(sns().send(new CreatePlatformApplicationCommand({ Name: 'bad name', Platform: 'GCM', Attributes: { PlatformCredential: 'k' } })))).name).toBe('InvalidParameterException');
    expect((await failure(sns().send(new CreatePlatformApplicationCommand({ Name: 'adm', Platform: 'ADM', Attributes: { PlatformCredential: 'secret' } })))).message)
      .toBe('Invalid parameter: Attributes Reason: PlatformCredential attribute provided without PlatformPrincipal');
    expect((await failure(sns().send(new CreatePlatformApplicationCommand({ Name: 'adm', Platform: 'ADM', Attributes: { Color: 'blue' } })))).message)
      .toBe('Invalid parameter: Attributes Reason: Invalid attribute name: Color');
  });
});

describe('platform endpoints', () => {
  it('CreatePlatformEndpoint is idempotent for the same token and attributes, refuses the same token with others', async () => {
    const app = await gcmApp('idem');
    const e1 = await endpoint(app, 'device-token-1', { CustomUserData: 'user 1' });
    expect(e1).toMatch(/^arn:aws:sns:us-east-1:000000000000:endpoint\/GCM\/idem\/[0-9a-f-]{36}$/);
    expect(await endpoint(app, 'device-token-1', { CustomUserData: 'user 1' })).toBe(e1);
    expect(await failure(sns().send(new CreatePlatformEndpointCommand({ PlatformApplicationArn: app, Token: 'device-token-1', CustomUserData: 'user 2' })))).toEqual({
      name: 'InvalidParameterException', message: `Invalid parameter: Token Reason: Endpoint ${e1} already exists with the same Token, but different attributes.`, status: 400,
    });
    expect((await sns().send(new GetEndpointAttributesCommand({ EndpointArn: e1 }))).Attributes).toEqual({ Enabled: 'true', Token: 'device-token-1', CustomUserData: 'user 1' });
    // Disabled by the platform (or by hand), the same Create call no longer matches.
    await sns().send(new SetEndpointAttributesCommand({ EndpointArn: e1, Attributes: { Enabled: 'false' } }));
    expect((await failure(endpoint(app, 'device-token-1', { CustomUserData: 'user 1' }))).name).toBe('InvalidParameterException');
    await sns().send(new SetEndpointAttributesCommand({ EndpointArn: e1, Attributes: { Token: 'device-token-2', Enabled: 'true' } }));
    expect((await sns().send(new GetEndpointAttributesCommand({ EndpointArn: e1 }))).Attributes).toEqual({ Enabled: 'true', Token: 'device-token-2', CustomUserData: 'user 1' });
    const e2 = await endpoint(app, 'device-token-1');
    expect(e2).not.toBe(e1);
    const list = (await sns().send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app }))).Endpoints!;
    expect(list.map((e) => e.EndpointArn).sort()).toEqual([e1, e2].sort());
    await sns().send(new DeleteEndpointCommand({ EndpointArn: e2 }));
    await sns().send(new DeleteEndpointCommand({ EndpointArn: e2 })); // idempotent
    expect(await failure(sns().send(new GetEndpointAttributesCommand({ EndpointArn: e2 })))).toEqual({ name: 'NotFoundException', message: 'Endpoint does not exist', status: 404 });
    expect((await failure(sns().send(new SetEndpointAttributesCommand({ EndpointArn: e1, Attributes: { Bogus: '1' } })))).message).toBe('Invalid parameter: Attributes Reason: Invalid attribute name: Bogus');
    expect((await failure(endpoint(app, 'x', { CustomUserData: 'u'.repeat(2049) }))).name).toBe('InvalidParameterException');
    // Deleting the application takes its endpoints with it.
    await sns().send(new DeletePlatformApplicationCommand({ PlatformApplicationArn: app }));
    expect((await failure(sns().send(new GetEndpointAttributesCommand({ EndpointArn: e1 })))).name).toBe('NotFoundException');
    expect((await failure(sns().send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app })))).name).toBe('NotFoundException');
  });

  it('pages ListEndpointsByPlatformApplication by 100', async () => {
    const app = await gcmApp('many');
    for (let i = 0; i < 105; i++) await endpoint(app, `t-${i}`);
    const p1 = await sns().send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app }));
    expect(p1.Endpoints).toHaveLength(100);
    const p2 = await sns().send(new ListEndpointsByPlatformApplicationCommand({ PlatformApplicationArn: app, NextToken: p1.NextToken }));
    expect(p2.Endpoints).toHaveLength(5);
    expect(p2.NextToken).toBeUndefined();
  });
});

describe('publishing to endpoints', () => {
  it('records the platform\'s message for a TargetArn publish; a disabled endpoint fails as on AWS', async () => {
    const app = await gcmApp('push');
    const e = await endpoint(app, 'tok-push');
    const plain = await sns().send(new PublishCommand({ TargetArn: e, Message: 'hello phone' }));
    const gcm = JSON.stringify({ fcmV1Message: { message: { notification: { title: 'Hi', body: 'there' } } } });
    const structured = await sns().send(new PublishCommand({ TargetArn: e, MessageStructure: 'json', Message: JSON.stringify({ GCM: gcm }) }));
    const got = await pushes(e);
    expect(got.map((m) => [m.messageId, m.message, m.platform, m.token, m.status])).toEqual([
      [plain.MessageId, 'hello phone', 'GCM', 'tok-push', 'delivered'],
      [structured.MessageId, gcm, 'GCM', 'tok-push', 'delivered'],
    ]);
    expect((await failure(sns().send(new PublishCommand({ TargetArn: e, MessageStructure: 'json', Message: JSON.stringify({ APNS: '{}' }) })))).message)
      .toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
    await sns().send(new SetEndpointAttributesCommand({ EndpointArn: e, Attributes: { Enabled: 'false' } }));
    expect(await failure(sns().send(new PublishCommand({ TargetArn: e, Message: 'nope' })))).toEqual({ name: 'EndpointDisabledException', message: 'Endpoint is disabled', status: 400 });
    await sns().send(new DeleteEndpointCommand({ EndpointArn: e }));
    expect(await failure(sns().send(new PublishCommand({ TargetArn: e, Message: 'gone' })))).toEqual({
      name: 'InvalidParameterException', message: 'Invalid parameter: TargetArn Reason: No endpoint found for the target arn specified', status: 400,
    });
  });

  it('delivers a topic\'s messages to application subscriptions', async () => {
    const app = await gcmApp('fanout');
    const on = await endpoint(app, 'tok-on');
    const off = await endpoint(app, 'tok-off', { Attributes: { Enabled: 'false' } });
    const topicArn = (await sns().send(new CreateTopicCommand({ Name: 'mobile' }))).TopicArn!;
    for (const ep of [on, off]) await sns().send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'application', Endpoint: ep }));
    const { MessageId } = await sns().send(new PublishCommand({ TopicArn: topicArn, MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', GCM: '{"data":{"k":"v"}}' }) }));
    expect((await pushes(on)).map((m) => [m.messageId, m.message, m.status, m.topicArn])).toEqual([[MessageId, '{"data":{"k":"v"}}', 'delivered', topicArn]]);
    expect((await pushes(off)).map((m) => [m.status, m.error])).toEqual([['failed', 'EndpointDisabled: Endpoint is disabled']]);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('create_platform_application, create_platform_endpoint, publish', async () => {
    const r = await boto3(ctx.g, `
sns = boto3.client('sns', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
app = sns.create_platform_application(Name='py-app', Platform='APNS_SANDBOX', Attributes={'PlatformCredential': 'key', 'PlatformPrincipal': 'cert'})['PlatformApplicationArn']
ep = sns.create_platform_endpoint(PlatformApplicationArn=app, Token='py-token', CustomUserData='me')['EndpointArn']
sns.set_endpoint_attributes(EndpointArn=ep, Attributes={'Enabled': 'false'})
try:
    sns.publish(TargetArn=ep, Message='hi')
    code = None
except sns.exceptions.EndpointDisabledException as e:
    code = e.response['Error']['Code']
print(json.dumps({'app': app, 'attrs': sns.get_endpoint_attributes(EndpointArn=ep)['Attributes'], 'code': code}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ app: 'arn:aws:sns:us-east-1:000000000000:app/APNS_SANDBOX/py-app', attrs: { Enabled: 'false', Token: 'py-token', CustomUserData: 'me' }, code: 'EndpointDisabled' });
  });
});
