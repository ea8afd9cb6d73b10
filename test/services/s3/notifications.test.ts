// covers: s3.PutBucketNotificationConfiguration s3.GetBucketNotificationConfiguration s3.PutObject s3.CopyObject s3.DeleteObject s3.DeleteObjects s3.CompleteMultipartUpload s3.RestoreObject s3.PutObjectTagging
/** Event notifications to SQS, SNS and EventBridge: validation, the s3:TestEvent, AWS's event JSON. */
import { describe, it, expect, beforeAll } from 'vitest';
import {
  S3Client, CreateBucketCommand, PutObjectCommand, CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, PutObjectTaggingCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, RestoreObjectCommand, PutBucketLifecycleConfigurationCommand,
  PutBucketNotificationConfigurationCommand, GetBucketNotificationConfigurationCommand, PutBucketVersioningCommand, type NotificationConfiguration,
} from '@aws-sdk/client-s3';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { SNSClient, CreateTopicCommand, SubscribeCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { useGureum, clientConfig, failure, drainQueue, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const h = useGureum({ freezeClock: true });
let s3: S3Client;
const ACCOUNT = '000000000000';
const Bucket = 'notified-bucket';
type Rec = { eventVersion: string; eventName: string; eventSource: string; awsRegion: string; s3: { configurationId: string; bucket: { name: string; arn: string }; object: { key: string; size?: number; eTag?: string; versionId?: string; sequencer: string } }; userIdentity: { principalId: string }; glacierEventData?: { restoreEventData: { lifecycleRestorationExpiryTime: string; lifecycleRestoreStorageClass: string } } };
const records = async (url: string): Promise<Rec[]> => (await drainQueue(h.g, url)).flatMap((m) => (JSON.parse(m.Body!) as { Records?: Rec[] }).Records ?? []);

async function queue(name: string) {
  const sqs = new SQSClient(clientConfig(h.g));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}
const putConfig = (b: string, NotificationConfiguration: NotificationConfiguration, SkipDestinationValidation?: boolean) =>
  s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: b, NotificationConfiguration, SkipDestinationValidation }));

let created: { url: string; arn: string };
let removedSub: { url: string; arn: string };
let bridged: { url: string; arn: string };
let topicArn: string;

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  h.g.clock.set('2030-01-01T12:00:00Z');
  await s3.send(new CreateBucketCommand({ Bucket }));
  created = await queue('s3-created');
  removedSub = await queue('s3-removed-sub');
  bridged = await queue('s3-bridged');
  const sns = new SNSClient(clientConfig(h.g));
  topicArn = (await sns.send(new CreateTopicCommand({ Name: 's3-removed' }))).TopicArn!;
  await sns.send(new SubscribeCommand({ TopicArn: topicArn, Protocol: 'sqs', Endpoint: removedSub.arn }));
  const eb = new EventBridgeClient(clientConfig(h.g));
  await eb.send(new PutRuleCommand({ Name: 's3-created', EventPattern: JSON.stringify({ source: ['aws.s3'], 'detail-type': ['Object Created', 'Object Deleted'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 's3-created', Targets: [{ Id: 'q', Arn: bridged.arn }] }));
});

describe('notification configuration', () => {
  it('is empty until set', async () => {
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect([got.QueueConfigurations, got.TopicConfigurations, got.LambdaFunctionConfigurations, got.EventBridgeConfiguration]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('is validated as AWS does', async () => {
    const q = (over: Record<string, unknown>) => ({ QueueConfigurations: [{ QueueArn: created.arn, Events: ['s3:ObjectCreated:*'], ...over }] }) as NotificationConfiguration;
    expect(await failure(putConfig(Bucket, q({ Events: ['s3:ObjectCreated:Bogus'] })))).toEqual({ name: 'InvalidArgument', message: 'The event is not supported for notifications', status: 400 });
    expect(await failure(putConfig(Bucket, q({ Filter: { Key: { FilterRules: [{ Name: 'middle', Value: 'x' }] } } })))).toMatchObject({ name: 'InvalidArgument', message: 'filter rule name must be either prefix or suffix' });
    expect(await failure(putConfig(Bucket, q({ Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a' }, { Name: 'Prefix', Value: 'b' }] } } })))).toMatchObject({ name: 'InvalidArgument', message: 'Cannot specify more than one prefix rule in a filter.' });
    expect(await failure(putConfig(Bucket, q({ QueueArn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:s3-created` })))).toMatchObject({
      name: 'InvalidArgument', message: 'The notification destination service region is not valid for the bucket location constraint',
    });
    expect(await failure(putConfig(Bucket, q({ QueueArn: 'not-an-arn' })))).toMatchObject({ name: 'InvalidArgument', message: 'The ARN is not well formed' });
    const overlap: NotificationConfiguration = { QueueConfigurations: [{ QueueArn: created.arn, Events: ['s3:ObjectCreated:*'] }, { QueueArn: created.arn, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'a/' }] } } }] };
    expect(await failure(putConfig(Bucket, overlap))).toMatchObject({ name: 'InvalidArgument', message: 'Configurations overlap. Configurations on the same bucket cannot share a common event type.' });
  });

  it('sends the s3:TestEvent to each destination, and refuses destinations that do not exist', async () => {
    const missing: NotificationConfiguration = { QueueConfigurations: [{ QueueArn: `arn:aws:sqs:us-east-1:${ACCOUNT}:no-such-queue`, Events: ['s3:ObjectCreated:*'] }] };
    expect(await failure(putConfig(Bucket, missing))).toEqual({ name: 'InvalidArgument', message: 'Unable to validate the following destination configurations', status: 400 });
    const missingTopic: NotificationConfiguration = { TopicConfigurations: [{ TopicArn: `arn:aws:sns:us-east-1:${ACCOUNT}:no-such-topic`, Events: ['s3:ObjectCreated:*'] }] };
    expect((await failure(putConfig(Bucket, missingTopic))).message).toBe('Unable to validate the following destination configurations');
    await putConfig(Bucket, missing, true); // x-amz-skip-destination-validation
    expect((await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }))).QueueConfigurations?.[0]?.QueueArn).toContain('no-such-queue');

    await putConfig(Bucket, {
      QueueConfigurations: [{ Id: 'jpg-created', QueueArn: created.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'uploads/' }, { Name: 'suffix', Value: '.jpg' }] } } }],
      TopicConfigurations: [{ TopicArn: topicArn, Events: ['s3:ObjectRemoved:*'] }],
      LambdaFunctionConfigurations: [{ Id: 'fn', LambdaFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:thumbnails`, Events: ['s3:ObjectCreated:Put'], Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'images/' }] } } }],
      EventBridgeConfiguration: {},
    });
    const test = (await drainQueue(h.g, created.url)).map((m) => JSON.parse(m.Body!) as Record<string, string>);
    expect(test).toHaveLength(1);
    expect(test[0]).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket, Time: '2030-01-01T12:00:00.000Z' });
    const viaTopic = (await drainQueue(h.g, removedSub.url)).map((m) => JSON.parse(JSON.parse(m.Body!).Message as string) as Record<string, string>);
    expect(viaTopic.map((e) => e.Event)).toEqual(['s3:TestEvent']);

    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket }));
    expect(got.QueueConfigurations).toEqual([{ Id: 'jpg-created', QueueArn: created.arn, Events: ['s3:ObjectCreated:*'], Filter: { Key: { FilterRules: [{ Name: 'Prefix', Value: 'uploads/' }, { Name: 'Suffix', Value: '.jpg' }] } } }]);
    expect(got.TopicConfigurations?.[0]?.Id).toMatch(/\S{10,}/);
    expect(got.LambdaFunctionConfigurations?.[0]).toMatchObject({ Id: 'fn', LambdaFunctionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:thumbnails` });
    expect(got.EventBridgeConfiguration).toEqual({});
  });
});

describe('events', () => {
  it('ObjectCreated (Put, Copy, CompleteMultipartUpload) to SQS with prefix/suffix filters, as AWS writes them', async () => {
    const put = await s3.send(new PutObjectCommand({ Bucket, Key: 'uploads/my photo.jpg', Body: 'hello' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'uploads/skip.png', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket, Key: 'elsewhere/a.jpg', Body: 'x' }));
    await s3.send(new CopyObjectCommand({ Bucket, Key: 'uploads/copy.jpg', CopySource: `${Bucket}/uploads/my%20photo.jpg` }));
    const mpu = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: 'uploads/big.jpg' }));
    const part = await s3.send(new UploadPartCommand({ Bucket, Key: 'uploads/big.jpg', UploadId: mpu.UploadId, PartNumber: 1, Body: 'part' }));
    await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: 'uploads/big.jpg', UploadId: mpu.UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] } }));

    const recs = await records(created.url);
    expect(recs.map((r) => [r.eventName, r.s3.object.key])).toEqual([
      ['ObjectCreated:Put', 'uploads/my+photo.jpg'],
      ['ObjectCreated:Copy', 'uploads/copy.jpg'],
      ['ObjectCreated:CompleteMultipartUpload', 'uploads/big.jpg'],
    ]);
    const r = recs[0]!;
    expect(r).toMatchObject({
      eventVersion: '2.1', eventSource: 'aws:s3', awsRegion: 'us-east-1', eventTime: '2030-01-01T12:00:00.000Z',
      s3: { s3SchemaVersion: '1.0', configurationId: 'jpg-created', bucket: { name: Bucket, arn: `arn:aws:s3:::${Bucket}` }, object: { size: 5, eTag: put.ETag!.replace(/"/g, '') } },
    });
    expect(r.s3.object.versionId).toBeUndefined();
    expect(r.s3.object.sequencer).toMatch(/^[0-9A-F]{16,}$/);
    expect((r as unknown as { responseElements: Record<string, string> }).responseElements['x-amz-request-id']).toBeTruthy();
    expect(recs[1]!.s3.object.sequencer > r.s3.object.sequencer).toBe(true);
  });

  it('ObjectRemoved through SNS (subject "Amazon S3 Notification"), delete markers with version ids', async () => {
    await s3.send(new DeleteObjectCommand({ Bucket, Key: 'elsewhere/a.jpg' }));
    await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: [{ Key: 'uploads/skip.png' }], Quiet: true } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
    const marker = await s3.send(new DeleteObjectCommand({ Bucket, Key: 'uploads/copy.jpg' }));
    const msgs = (await drainQueue(h.g, removedSub.url)).map((m) => JSON.parse(m.Body!) as { Subject: string; Message: string });
    expect(msgs.map((m) => m.Subject)).toEqual(['Amazon S3 Notification', 'Amazon S3 Notification', 'Amazon S3 Notification']);
    const recs = msgs.map((m) => (JSON.parse(m.Message) as { Records: Rec[] }).Records[0]!);
    expect(recs.map((r) => [r.eventName, r.s3.object.key])).toEqual([
      ['ObjectRemoved:Delete', 'elsewhere/a.jpg'], ['ObjectRemoved:Delete', 'uploads/skip.png'], ['ObjectRemoved:DeleteMarkerCreated', 'uploads/copy.jpg'],
    ]);
    expect(recs[2]!.s3.object.versionId).toBe(marker.VersionId);
    expect(recs[0]!.s3.object.size).toBeUndefined();
  });

  it('sends every event to EventBridge with the detail S3 uses', async () => {
    const events = (await drainQueue(h.g, bridged.url)).map((m) => JSON.parse(m.Body!) as { source: string; 'detail-type': string; account: string; region: string; resources: string[]; detail: Record<string, unknown> & { object: { key: string } } });
    expect(events.length).toBeGreaterThanOrEqual(8);
    const created = events.find((e) => e.detail.object.key === 'uploads/my photo.jpg')!;
    expect(created).toMatchObject({ source: 'aws.s3', 'detail-type': 'Object Created', account: ACCOUNT, region: 'us-east-1', resources: [`arn:aws:s3:::${Bucket}`] });
    expect(created.detail).toMatchObject({ version: '0', bucket: { name: Bucket }, object: { key: 'uploads/my photo.jpg', size: 5 }, reason: 'PutObject' });
    const marker = events.find((e) => e.detail['deletion-type'] === 'Delete Marker Created')!;
    expect(marker.detail).toMatchObject({ object: { key: 'uploads/copy.jpg' }, reason: 'DeleteObject' });
  });

  it('restore and lifecycle events (glacierEventData; eventVersion 2.3 by s3.amazonaws.com)', async () => {
    const b = 'notified-archive';
    const q = await queue('s3-archive');
    await s3.send(new CreateBucketCommand({ Bucket: b }));
    await putConfig(b, { QueueConfigurations: [{ Id: 'all', QueueArn: q.arn, Events: ['s3:ObjectRestore:*', 's3:LifecycleExpiration:*', 's3:ObjectTagging:*'] }] });
    await drainQueue(h.g, q.url); // the test event
    h.g.clock.set('2030-02-01T10:00:00Z');
    await s3.send(new PutObjectCommand({ Bucket: b, Key: 'frozen', Body: 'ice', StorageClass: 'GLACIER' }));
    await s3.send(new PutObjectTaggingCommand({ Bucket: b, Key: 'frozen', Tagging: { TagSet: [{ Key: 'a', Value: 'b' }] } }));
    await s3.send(new RestoreObjectCommand({ Bucket: b, Key: 'frozen', RestoreRequest: { Days: 1, GlacierJobParameters: { Tier: 'Expedited' } } }));
    h.g.clock.advance('5m');
    let recs = await records(q.url);
    expect(recs.map((r) => r.eventName)).toEqual(['ObjectTagging:Put', 'ObjectRestore:Post', 'ObjectRestore:Completed']);
    expect(recs[2]!.glacierEventData).toEqual({ restoreEventData: { lifecycleRestorationExpiryTime: '2030-02-03T00:00:00.000Z', lifecycleRestoreStorageClass: 'GLACIER' } });
    expect(recs[2]!.userIdentity.principalId).toBe('s3.amazonaws.com');

    await s3.send(new PutBucketLifecycleConfigurationCommand({ Bucket: b, LifecycleConfiguration: { Rules: [{ ID: 'gone', Status: 'Enabled', Filter: {}, Expiration: { Days: 1 } }] } }));
    h.g.clock.set('2030-02-02T23:59:00Z');
    h.g.clock.advance('2m'); // midnight: the restored copy expires, and so does the object
    recs = await records(q.url);
    expect(recs.map((r) => [r.eventName, r.eventVersion])).toEqual([['ObjectRestore:Delete', '2.3'], ['LifecycleExpiration:Delete', '2.3']]);
  });

  it.skipIf(!HAS_PYTHON_BOTO3)('boto3 reads the configuration back', async () => {
    const r = await boto3(h.g, `
s3 = boto3.client('s3', endpoint_url=ENDPOINT, region_name='us-east-1')
c = s3.get_bucket_notification_configuration(Bucket='${Bucket}')
print(json.dumps({'queue': c['QueueConfigurations'][0]['Id'], 'eb': 'EventBridgeConfiguration' in c}))
`);
    expect(r.json, r.stderr).toEqual({ queue: 'jpg-created', eb: true });
  });
});
