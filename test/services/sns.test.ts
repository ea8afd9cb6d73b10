// covers: sns.CreateTopic sns.DeleteTopic sns.ListTopics sns.GetTopicAttributes sns.SetTopicAttributes sns.Subscribe sns.Unsubscribe sns.ListSubscriptions sns.ListSubscriptionsByTopic sns.GetSubscriptionAttributes sns.SetSubscriptionAttributes sns.TagResource sns.UntagResource sns.ListTagsForResource sns.AddPermission sns.RemovePermission sns.GetDataProtectionPolicy sns.PutDataProtectionPolicy sns.SetSMSAttributes sns.GetSMSAttributes sns.CheckIfPhoneNumberIsOptedOut sns.ListPhoneNumbersOptedOut sns.OptInPhoneNumber sns.GetSMSSandboxAccountStatus
import { describe, expect, it } from 'vitest';
import {
  SNSClient, CreateTopicCommand, DeleteTopicCommand, ListTopicsCommand, GetTopicAttributesCommand, SetTopicAttributesCommand,
  SubscribeCommand, UnsubscribeCommand, ListSubscriptionsCommand, ListSubscriptionsByTopicCommand, GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand, TagResourceCommand, UntagResourceCommand, ListTagsForResourceCommand, AddPermissionCommand,
  RemovePermissionCommand, GetDataProtectionPolicyCommand, PutDataProtectionPolicyCommand, SetSMSAttributesCommand, GetSMSAttributesCommand,
  CheckIfPhoneNumberIsOptedOutCommand, ListPhoneNumbersOptedOutCommand, OptInPhoneNumberCommand, GetSMSSandboxAccountStatusCommand,
} from '@aws-sdk/client-sns';
import { clientConfig, raw, useGureum, rejection } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sns = () => new SNSClient(clientConfig(ctx.g));

const topic = async (Name: string, Attributes?: Record<string, string>) => (await sns().send(new CreateTopicCommand({ Name, Attributes }))).TopicArn!;

describe('topics', () => {
  it('creates idempotently, validates names, lists with paging of 100', async () => {
    const arn = await topic('orders');
    expect(arn).toBe('arn:aws:sns:us-east-1:000000000000:orders');
    expect(await topic('orders')).toBe(arn);
    const bad = await rejection(topic('has space'));
    expect(bad.name).toBe('InvalidParameterException');
    expect(bad.message).toBe('Invalid parameter: Topic Name');
    expect((await rejection(topic('x'.repeat(257)))).name).toBe('InvalidParameterException');
    expect((await rejection(topic('std.fifo'))).message).toBe('Invalid parameter: Topic Name');
    expect((await rejection(topic('nofifo', { FifoTopic: 'true' }))).message).toMatch(/Fifo Topic names must end with .fifo/);
    const diff = await rejection(topic('orders', { DisplayName: 'x' }));
    expect(diff.message).toBe('Invalid parameter: Attributes Reason: Topic already exists with different attributes');

    for (let i = 0; i < 120; i++) await topic(`bulk-${String(i).padStart(3, '0')}`);
    const first = await sns().send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeTruthy();
    const second = await sns().send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.NextToken).toBeUndefined();
    const all = [...first.Topics!, ...second.Topics!].map((t) => t.TopicArn);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain(arn);
    for (let i = 0; i < 120; i++) await sns().send(new DeleteTopicCommand({ TopicArn: `arn:aws:sns:us-east-1:000000000000:bulk-${String(i).padStart(3, '0')}` }));
  });

  it('has AWS default attributes, a default policy, and validates settable ones', async () => {
    const arn = await topic('attrs');
    const { Attributes: a } = await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(a).toMatchObject({ Owner: '000000000000', TopicArn: arn, DisplayName: '', SubscriptionsConfirmed: '0', SubscriptionsPending: '0', SubscriptionsDeleted: '0' });
    const policy = JSON.parse(a!.Policy!);
    expect(policy.Id).toBe('__default_policy_ID');
    expect(policy.Statement[0].Condition.StringEquals['AWS:SourceOwner']).toBe('000000000000');
    expect(JSON.parse(a!.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy.numRetries).toBe(3);
    expect(a!.FifoTopic).toBeUndefined();

    await sns().send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Shop' }));
    const dp = JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 5, maxDelayTarget: 10, numRetries: 4, backoffFunction: 'exponential' } } });
    await sns().send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: dp }));
    const again = (await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect(again.DisplayName).toBe('Shop');
    expect(again.DeliveryPolicy).toBe(dp);
    expect(JSON.parse(again.EffectiveDeliveryPolicy!).http.defaultHealthyRetryPolicy).toMatchObject({ minDelayTarget: 5, maxDelayTarget: 10, numRetries: 4 });

    const bad = JSON.stringify({ http: { defaultHealthyRetryPolicy: { minDelayTarget: 30, maxDelayTarget: 10 } } });
    const e1 = await rejection(sns().send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DeliveryPolicy', AttributeValue: bad })));
    expect(e1.name).toBe('InvalidParameterException');
    expect(e1.message).toMatch(/^Invalid parameter: DeliveryPolicy: /);
    expect((await rejection(sns().send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'Bogus', AttributeValue: '1' })))).message).toBe('Invalid parameter: AttributeName');
    expect((await rejection(sns().send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'ContentBasedDeduplication', AttributeValue: 'true' })))).name).toBe('InvalidParameterException');

    const missing = await rejection(sns().send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:nope' })));
    expect(missing.name).toBe('NotFoundException');
    expect(missing.message).toBe('Topic does not exist');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
  });

  it('FIFO topics carry FifoTopic and ContentBasedDeduplication', async () => {
    const arn = await topic('orders.fifo', { FifoTopic: 'true', ContentBasedDeduplication: 'true' });
    const a = (await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect(a.FifoTopic).toBe('true');
    expect(a.ContentBasedDeduplication).toBe('true');
  });

  it('tags, permissions and data protection policies', async () => {
    const arn = await topic('tagged');
    await sns().send(new TagResourceCommand({ ResourceArn: arn, Tags: [{ Key: 'team', Value: 'a' }, { Key: 'env', Value: 'dev' }] }));
    await sns().send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['env'] }));
    expect((await sns().send(new ListTagsForResourceCommand({ ResourceArn: arn }))).Tags).toEqual([{ Key: 'team', Value: 'a' }]);
    const notFound = await rejection(sns().send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:sns:us-east-1:000000000000:nope' })));
    expect(notFound.name).toBe('ResourceNotFoundException');
    const diffTags = await rejection(sns().send(new CreateTopicCommand({ Name: 'tagged', Tags: [{ Key: 'team', Value: 'b' }] })));
    expect(diffTags.message).toBe('Invalid parameter: Tags Reason: Topic already exists with different tags');

    await sns().send(new AddPermissionCommand({ TopicArn: arn, Label: 'p1', AWSAccountId: ['111111111111'], ActionName: ['Publish'] }));
    let policy = JSON.parse((await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!.Policy!);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['__default_statement_ID', 'p1']);
    expect((await rejection(sns().send(new AddPermissionCommand({ TopicArn: arn, Label: 'p1', AWSAccountId: ['1'], ActionName: ['Publish'] })))).name).toBe('InvalidParameterException');
    await sns().send(new RemovePermissionCommand({ TopicArn: arn, Label: 'p1' }));
    policy = JSON.parse((await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!.Policy!);
    expect(policy.Statement).toHaveLength(1);

    const dpp = JSON.stringify({
      Name: 'basic', Description: 'd', Version: '2021-06-01',
      Statement: [{ DataDirection: 'Inbound', Principal: ['*'], DataIdentifier: ['arn:aws:dataprotection::aws:data-identifier/EmailAddress'], Operation: { Deny: {} } }],
    });
    expect((await sns().send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }))).DataProtectionPolicy).toBeFalsy();
    await sns().send(new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: dpp }));
    expect((await sns().send(new GetDataProtectionPolicyCommand({ ResourceArn: arn }))).DataProtectionPolicy).toBe(dpp);
    expect((await rejection(sns().send(new PutDataProtectionPolicyCommand({ ResourceArn: arn, DataProtectionPolicy: '{' })))).name).toBe('InvalidParameterException');
  });
});

describe('subscriptions', () => {
  it('validates protocols and endpoints with AWS messages', async () => {
    const arn = await topic('subs-validate');
    const sub = (Protocol: string, Endpoint: string, Attributes?: Record<string, string>) => sns().send(new SubscribeCommand({ TopicArn: arn, Protocol, Endpoint, Attributes }));
    expect((await rejection(sub('carrier-pigeon', 'x'))).message).toBe('Invalid parameter: Amazon SNS does not support this protocol string: carrier-pigeon');
    expect((await rejection(sub('http', 'https://example.com'))).message).toBe('Invalid parameter: Endpoint must match the specified protocol');
    expect((await rejection(sub('sqs', 'not-an-arn'))).message).toBe('Invalid parameter: SQS endpoint ARN');
    expect((await rejection(sub('sms', 'abc'))).message).toBe('Invalid SMS endpoint: abc');
    expect((await rejection(sub('email', 'nobody'))).name).toBe('InvalidParameterException');
    expect((await rejection(sub('lambda', 'arn:aws:sqs:us-east-1:000000000000:q'))).message).toBe('Invalid parameter: Lambda endpoint ARN');
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q.fifo'))).message).toBe('Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics');
    expect((await rejection(sub('email', 'a@b.co', { RawMessageDelivery: 'true' }))).message).toBe('Invalid parameter: Attributes Reason: Delivery protocol [email] does not support raw message delivery.');
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { FilterPolicy: '{"a": "b"}' }))).message).toBe('Invalid parameter: Attributes Reason: FilterPolicy: "a" must be an object or an array');
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { FilterPolicy: '{"a": [{"nope": 1}]}' }))).message).toBe('Invalid parameter: Attributes Reason: FilterPolicy: Unrecognized match type nope');
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { FilterPolicy: '{"a": {"b": ["c"]}}' }))).message).toBe('Invalid parameter: Attributes Reason: Filter policy scope MessageAttributes does not support nested filter policy');
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { FilterPolicyScope: 'Everything' }))).message).toMatch(/FilterPolicyScope: Invalid value \[Everything\]/);
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { Bogus: '1' }))).message).toBe('Invalid parameter: Attributes Reason: AttributeName');
    const tooMany = JSON.stringify({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] });
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { FilterPolicy: tooMany }))).message).toBe('Invalid parameter: Attributes Reason: FilterPolicy: Filter policy can not have more than 5 keys');
    const complex = JSON.stringify({ a: Array.from({ length: 20 }, (_, i) => String(i)), b: Array.from({ length: 10 }, (_, i) => String(i)) });
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { FilterPolicy: complex }))).message).toBe('Invalid parameter: Attributes Reason: FilterPolicy: Filter policy is too complex');
    const numeric = JSON.stringify({ a: [{ numeric: ['>', 10, '<', 5] }] });
    expect((await rejection(sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q', { FilterPolicy: numeric }))).message).toBe('Invalid parameter: Attributes Reason: FilterPolicy: Bottom must be less than top');
  });

  it('subscribe, attributes, counts, list, unsubscribe', async () => {
    const arn = await topic('subs-flow');
    const q = 'arn:aws:sqs:us-east-1:000000000000:subs-flow-q';
    const s1 = (await sns().send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q, Attributes: { RawMessageDelivery: 'true' } }))).SubscriptionArn!;
    expect(s1).toMatch(new RegExp(`^${arn}:[0-9a-f-]{36}$`));
    expect((await sns().send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q }))).SubscriptionArn).toBe(s1);
    const diff = await rejection(sns().send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q, Attributes: { RawMessageDelivery: 'false' } })));
    expect(diff.message).toBe('Invalid parameter: Attributes Reason: Subscription already exists with different attributes');

    const pending = await sns().send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'ops@example.com' }));
    expect(pending.SubscriptionArn).toBe('pending confirmation');
    const pendingArn = (await sns().send(new SubscribeCommand({ TopicArn: arn, Protocol: 'email', Endpoint: 'ops@example.com', ReturnSubscriptionArn: true }))).SubscriptionArn!;
    expect(pendingArn).toMatch(/^arn:aws:sns:/);
    const pa = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: pendingArn }))).Attributes!;
    expect(pa.PendingConfirmation).toBe('true');

    const a = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s1 }))).Attributes!;
    expect(a).toMatchObject({ SubscriptionArn: s1, TopicArn: arn, Protocol: 'sqs', Endpoint: q, Owner: '000000000000', RawMessageDelivery: 'true', PendingConfirmation: 'false', ConfirmationWasAuthenticated: 'true' });
    expect(a.FilterPolicyScope).toBeUndefined();
    await sns().send(new SetSubscriptionAttributesCommand({ SubscriptionArn: s1, AttributeName: 'FilterPolicy', AttributeValue: '{"color":["red"]}' }));
    const b = (await sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s1 }))).Attributes!;
    expect(b.FilterPolicy).toBe('{"color":["red"]}');
    expect(b.FilterPolicyScope).toBe('MessageAttributes');
    const badSet = await rejection(sns().send(new SetSubscriptionAttributesCommand({ SubscriptionArn: s1, AttributeName: 'RawMessageDelivery', AttributeValue: 'maybe' })));
    expect(badSet.message).toBe('Invalid parameter: RawMessageDelivery: Invalid value [maybe]. Must be true or false.');

    const counts = (await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!;
    expect(counts.SubscriptionsConfirmed).toBe('1');
    expect(counts.SubscriptionsPending).toBe('1');

    const byTopic = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(byTopic.Subscriptions!.map((s) => s.SubscriptionArn).sort()).toEqual([s1, 'PendingConfirmation'].sort());
    const listed = await sns().send(new ListSubscriptionsCommand({}));
    expect(listed.Subscriptions!.some((s) => s.SubscriptionArn === s1 && s.Protocol === 'sqs' && s.Endpoint === q && s.TopicArn === arn)).toBe(true);

    await sns().send(new UnsubscribeCommand({ SubscriptionArn: s1 }));
    await sns().send(new UnsubscribeCommand({ SubscriptionArn: s1 })); // idempotent
    const gone = await rejection(sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: s1 })));
    expect(gone.name).toBe('NotFoundException');
    expect(gone.message).toBe('Subscription does not exist');
    expect((await sns().send(new GetTopicAttributesCommand({ TopicArn: arn }))).Attributes!.SubscriptionsDeleted).toBe('1');

    await sns().send(new DeleteTopicCommand({ TopicArn: arn }));
    expect((await rejection(sns().send(new GetSubscriptionAttributesCommand({ SubscriptionArn: pendingArn })))).name).toBe('NotFoundException');
  });

  it('pages ListSubscriptionsByTopic by 100', async () => {
    const arn = await topic('many-subs');
    for (let i = 0; i < 105; i++) await sns().send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:q${i}` }));
    const p1 = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }));
    expect(p1.Subscriptions).toHaveLength(100);
    const p2 = await sns().send(new ListSubscriptionsByTopicCommand({ TopicArn: arn, NextToken: p1.NextToken }));
    expect(p2.Subscriptions).toHaveLength(5);
    expect(p2.NextToken).toBeUndefined();
    await sns().send(new DeleteTopicCommand({ TopicArn: arn }));
  });
});

describe('SMS settings', () => {
  it('attributes, opt-out and opt-in', async () => {
    await sns().send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Transactional', DefaultSenderID: 'Gureum' } }));
    expect((await sns().send(new GetSMSAttributesCommand({ attributes: ['DefaultSMSType'] }))).attributes).toEqual({ DefaultSMSType: 'Transactional' });
    expect((await rejection(sns().send(new SetSMSAttributesCommand({ attributes: { DefaultSMSType: 'Loud' } })))).name).toBe('InvalidParameterException');
    expect((await sns().send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550100' }))).isOptedOut).toBe(false);
    const r = await raw(ctx.g, '/_gureum/sns/opt-out', { method: 'POST', body: JSON.stringify({ phoneNumber: '+15555550100' }) });
    expect(r.status).toBe(200);
    expect((await sns().send(new CheckIfPhoneNumberIsOptedOutCommand({ phoneNumber: '+15555550100' }))).isOptedOut).toBe(true);
    expect((await sns().send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual(['+15555550100']);
    await sns().send(new OptInPhoneNumberCommand({ phoneNumber: '+15555550100' }));
    expect((await sns().send(new ListPhoneNumbersOptedOutCommand({}))).phoneNumbers).toEqual([]);
    expect((await sns().send(new GetSMSSandboxAccountStatusCommand({}))).IsInSandbox).toBe(false);
  });
});
