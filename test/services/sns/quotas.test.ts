// covers: sns.CreateTopic sns.Subscribe sns.SetSubscriptionAttributes
/** SNS quotas as AWS documents them: 100 subscriptions per FIFO topic, 200 filter policies per topic. */
import { describe, expect, it } from 'vitest';
import { SNSClient, CreateTopicCommand, SubscribeCommand, SetSubscriptionAttributesCommand } from '@aws-sdk/client-sns';
import { clientConfig, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sns = () => new SNSClient(clientConfig(ctx.g));

describe('quotas', () => {
  it('a FIFO topic takes 100 subscriptions', async () => {
    const TopicArn = (await sns().send(new CreateTopicCommand({ Name: 'q.fifo', Attributes: { FifoTopic: 'true' } }))).TopicArn!;
    const sub = (i: number) => sns().send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:q${i}.fifo` }));
    for (let i = 0; i < 100; i++) await sub(i);
    expect(await failure(sub(100))).toMatchObject({ name: 'SubscriptionLimitExceededException', status: 403 });
    await sub(5); // an existing subscription is still answered
  });

  it('a topic takes 200 filter policies, by Subscribe or SetSubscriptionAttributes', async () => {
    const TopicArn = (await sns().send(new CreateTopicCommand({ Name: 'filtered' }))).TopicArn!;
    const FilterPolicy = JSON.stringify({ k: ['v'] });
    const sub = (i: number, Attributes?: Record<string, string>) =>
      sns().send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: `arn:aws:sqs:us-east-1:000000000000:f${i}`, Attributes, ReturnSubscriptionArn: true }));
    for (let i = 0; i < 200; i++) await sub(i, { FilterPolicy });
    expect(await failure(sub(200, { FilterPolicy }))).toMatchObject({ name: 'FilterPolicyLimitExceededException', status: 403 });
    const plain = (await sub(201)).SubscriptionArn!;
    expect((await failure(sns().send(new SetSubscriptionAttributesCommand({ SubscriptionArn: plain, AttributeName: 'FilterPolicy', AttributeValue: FilterPolicy })))).name)
      .toBe('FilterPolicyLimitExceededException');
  });
});
