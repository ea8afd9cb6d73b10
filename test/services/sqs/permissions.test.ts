// covers: sqs.AddPermission sqs.RemovePermission sqs.CreateQueue sqs.DeleteQueue sqs.GetQueueAttributes sqs.SetQueueAttributes sqs.ListDeadLetterSourceQueues
/** Queue policies through AddPermission/RemovePermission, QueueDeletedRecently, SSE attributes; boto3 and the CLI. */
import { describe, expect, it } from 'vitest';
import {
  SQSClient, CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, SetQueueAttributesCommand, AddPermissionCommand, RemovePermissionCommand,
  type QueueAttributeName,
} from '@aws-sdk/client-sqs';
import { awsCli, boto3, clientConfig, failure, HAS_AWS_CLI, HAS_PYTHON_BOTO3, raw, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sqs = () => new SQSClient(clientConfig(ctx.g));
const ARN = (name: string) => `arn:aws:sqs:us-east-1:000000000000:${name}`;
const queue = async (QueueName: string, Attributes?: Record<string, string>) => (await sqs().send(new CreateQueueCommand({ QueueName, Attributes }))).QueueUrl!;
const policyOf = async (QueueUrl: string) => {
  const a = (await sqs().send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }))).Attributes;
  return a?.Policy === undefined ? undefined : JSON.parse(a.Policy);
};

describe('AddPermission / RemovePermission', () => {
  it('edits the queue policy as AWS writes it', async () => {
    const url = await queue('perm');
    await sqs().send(new AddPermissionCommand({ QueueUrl: url, Label: 'crossaccount', AWSAccountIds: ['000000000000', '111122223333'], Actions: ['ReceiveMessage'] }));
    expect(await policyOf(url)).toEqual({
      Version: '2008-10-17', Id: `${ARN('perm')}/SQSDefaultPolicy`,
      Statement: [{
        Sid: 'crossaccount', Effect: 'Allow', Principal: { AWS: ['arn:aws:iam::000000000000:root', 'arn:aws:iam::111122223333:root'] },
        Action: 'SQS:ReceiveMessage', Resource: ARN('perm'),
      }],
    });
    await sqs().send(new AddPermissionCommand({ QueueUrl: url, Label: 'second', AWSAccountIds: ['111122223333'], Actions: ['SendMessage', 'DeleteMessage'] }));
    expect((await policyOf(url)).Statement[1]).toEqual({
      Sid: 'second', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['SQS:SendMessage', 'SQS:DeleteMessage'], Resource: ARN('perm'),
    });
    expect(await failure(sqs().send(new AddPermissionCommand({ QueueUrl: url, Label: 'second', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] })))).toEqual({
      name: 'InvalidParameterValue', message: 'Value second for parameter Label is invalid. Reason: Already exists.', status: 400,
    });
    await sqs().send(new RemovePermissionCommand({ QueueUrl: url, Label: 'crossaccount' }));
    expect((await policyOf(url)).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['second']);
    await sqs().send(new RemovePermissionCommand({ QueueUrl: url, Label: 'second' }));
    expect(await policyOf(url)).toBeUndefined(); // the last statement takes the Policy with it
    expect(await failure(sqs().send(new RemovePermissionCommand({ QueueUrl: url, Label: 'second' })))).toEqual({
      name: 'InvalidParameterValue', message: 'Value second for parameter Label is invalid. Reason: can\'t find label.', status: 400,
    });
  });

  it('adds to a policy set with SetQueueAttributes and refuses owner-only actions and too many actions', async () => {
    const url = await queue('perm-set');
    const own = { Version: '2012-10-17', Statement: [{ Sid: 'mine', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: ARN('perm-set') }] };
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(own) } }));
    await sqs().send(new AddPermissionCommand({ QueueUrl: url, Label: 'more', AWSAccountIds: ['111122223333'], Actions: ['*'] }));
    const doc = await policyOf(url);
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['mine', 'more']);
    expect(await failure(sqs().send(new AddPermissionCommand({ QueueUrl: url, Label: 'x', AWSAccountIds: ['111122223333'], Actions: ['DeleteQueue'] })))).toEqual({
      name: 'InvalidParameterValue', message: 'Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.', status: 400,
    });
    const eight = ['ChangeMessageVisibility', 'DeleteMessage', 'GetQueueAttributes', 'GetQueueUrl', 'ListDeadLetterSourceQueues', 'PurgeQueue', 'ReceiveMessage', 'SendMessage'];
    expect(await failure(sqs().send(new AddPermissionCommand({ QueueUrl: url, Label: 'x', AWSAccountIds: ['111122223333'], Actions: eight })))).toEqual({
      name: 'OverLimit', message: '8 Actions were found, maximum allowed is 7.', status: 403,
    });
    expect((await failure(sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: 'not json' } })))).message).toBe('Invalid value for the parameter Policy.');
    const many = { Version: '2012-10-17', Statement: Array.from({ length: 21 }, (_, i) => ({ Sid: `s${i}`, Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: ARN('perm-set') })) };
    expect(await failure(sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: JSON.stringify(many) } })))).toEqual({
      name: 'OverLimit', message: '21 statements were found in the submitted policy, max allowed is 20', status: 403,
    });
  });
});

describe('QueueDeletedRecently', () => {
  it('refuses a deleted queue\'s name for 60 s on the clock; the legacy code in x-amzn-query-error', async () => {
    const url = await queue('phoenix');
    await sqs().send(new DeleteQueueCommand({ QueueUrl: url }));
    ctx.g.clock.advance('59s');
    expect(await failure(queue('phoenix'))).toEqual({
      name: 'QueueDeletedRecently', message: 'You must wait 60 seconds after deleting a queue before you can create another queue with the same name.', status: 400,
    });
    const r = await raw(ctx.g, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.CreateQueue', 'x-amzn-query-mode': 'true' },
      body: JSON.stringify({ QueueName: 'phoenix' }),
    });
    expect(r.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.QueueDeletedRecently;Sender');
    ctx.g.clock.advance('1s');
    expect(await queue('phoenix')).toBe(url);
  });
});

describe('server-side encryption attributes', () => {
  it('KMS and SQS-managed SSE are exclusive; KmsDataKeyReusePeriodSeconds defaults to 300 with a key', async () => {
    const both = await failure(queue('sse-both', { KmsMasterKeyId: 'alias/aws/sqs', SqsManagedSseEnabled: 'true' }));
    expect(both).toMatchObject({ name: 'InvalidAttributeName', message: 'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.' });
    const url = await queue('sse', { SqsManagedSseEnabled: 'true' });
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { KmsMasterKeyId: 'alias/aws/sqs' } }));
    const names: QueueAttributeName[] = ['KmsMasterKeyId', 'KmsDataKeyReusePeriodSeconds', 'SqsManagedSseEnabled'];
    expect((await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }))).Attributes).toEqual({
      KmsMasterKeyId: 'alias/aws/sqs', KmsDataKeyReusePeriodSeconds: '300', SqsManagedSseEnabled: 'false',
    });
    await sqs().send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { SqsManagedSseEnabled: 'true' } }));
    expect((await sqs().send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: names }))).Attributes).toEqual({ SqsManagedSseEnabled: 'true' });
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('add_permission, list_dead_letter_source_queues and a move task', async () => {
    const r = await boto3(ctx.g, `
sqs = boto3.client('sqs', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
dlq = sqs.create_queue(QueueName='py-dlq')['QueueUrl']
dlq_arn = sqs.get_queue_attributes(QueueUrl=dlq, AttributeNames=['QueueArn'])['Attributes']['QueueArn']
src = sqs.create_queue(QueueName='py-src', Attributes={'RedrivePolicy': json.dumps({'deadLetterTargetArn': dlq_arn, 'maxReceiveCount': 1})})['QueueUrl']
sqs.add_permission(QueueUrl=src, Label='py', AWSAccountIds=['111122223333'], Actions=['SendMessage'])
policy = json.loads(sqs.get_queue_attributes(QueueUrl=src, AttributeNames=['Policy'])['Attributes']['Policy'])
sources = sqs.list_dead_letter_source_queues(QueueUrl=dlq)['queueUrls']
try:
    sqs.start_message_move_task(SourceArn=src.replace(ENDPOINT + '/000000000000/', 'arn:aws:sqs:us-east-1:000000000000:'))
    err = None
except sqs.exceptions.ClientError as e:
    err = e.response['Error']['Code']
task = sqs.start_message_move_task(SourceArn=dlq_arn)
tasks = sqs.list_message_move_tasks(SourceArn=dlq_arn)['Results']
print(json.dumps({'sid': policy['Statement'][0]['Sid'], 'sources': sources, 'err': err, 'status': tasks[0]['Status']}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ sid: 'py', sources: [`${ctx.g.endpoint}/000000000000/py-src`], err: 'InvalidParameterValue', status: 'COMPLETED' });
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('remove-permission of an unknown label exits non-zero with AWS\'s message', async () => {
    const url = await queue('cli-perm');
    const r = await awsCli(ctx.g, ['sqs', 'remove-permission', '--queue-url', url, '--label', 'ghost']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('Value ghost for parameter Label is invalid. Reason: can\'t find label.');
  });
});
