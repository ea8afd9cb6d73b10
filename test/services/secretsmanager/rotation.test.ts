// covers: secretsmanager.RotateSecret secretsmanager.CancelRotateSecret secretsmanager.CreateSecret secretsmanager.DescribeSecret secretsmanager.GetSecretValue secretsmanager.PutSecretValue secretsmanager.UpdateSecretVersionStage events.PutRule events.PutTargets
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CancelRotateSecretCommand, CreateSecretCommand, DescribeSecretCommand, GetSecretValueCommand, PutSecretValueCommand, RotateSecretCommand,
  SecretsManagerClient, UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { defineService } from '../../../src/services/service.js';
import type { Gureum } from '../../../src/index.js';
import { clientConfig, drainQueue, failure, useGureum } from '../../helpers.js';

const T0 = Date.parse('2026-07-01T10:00:00Z');
const DAY = 86_400_000;
const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:rotator';

/** Waits (polling) until `check` holds: rotations run detached from RotateSecret. */
async function until<T>(get: () => Promise<T>, check: (t: T) => boolean): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const t = await get();
    if (check(t)) return t;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

/** An EventBridge rule sending Secrets Manager's rotation events to a queue. */
async function rotationEvents(g: Gureum): Promise<string> {
  const sqs = new SQSClient(clientConfig(g));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: 'rotation-events' }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  const eb = new EventBridgeClient(clientConfig(g));
  await eb.send(new PutRuleCommand({ Name: 'rotations', EventPattern: JSON.stringify({ source: ['aws.secretsmanager'], 'detail-type': ['AWS Service Event via CloudTrail'] }) }));
  await eb.send(new PutTargetsCommand({ Rule: 'rotations', Targets: [{ Id: 'q', Arn: arn }] }));
  return url;
}

interface EventDetail { eventName: string; errorCode?: string; errorMessage?: string; additionalEventData: { SecretId: string; Step?: string; ClientRequestToken?: string } }
const details = async (g: Gureum, url: string) => (await drainQueue(g, url)).map((m) => (JSON.parse(m.Body!) as { source: string; detail: EventDetail }));

describe('without a Lambda Invoke, a rotation fails as AWS reports a failed rotation', () => {
  const ctx = useGureum({ freezeClock: true });
  const sm = () => new SecretsManagerClient(clientConfig(ctx.g));
  beforeAll(() => ctx.g.clock.set(T0));

  test('RotateSecret answers the new version; it stays AWSPENDING without a value; RotationFailed names the step and error', async () => {
    const url = await rotationEvents(ctx.g);
    const c = await sm().send(new CreateSecretCommand({ Name: 'rot/fail', SecretString: 'old' }));
    const token = '33333333-3333-3333-3333-333333333333';
    const out = await sm().send(new RotateSecretCommand({ SecretId: 'rot/fail', RotationLambdaARN: LAMBDA, ClientRequestToken: token, RotationRules: { AutomaticallyAfterDays: 7 } }));
    expect(out).toEqual(expect.objectContaining({ ARN: c.ARN, Name: 'rot/fail', VersionId: token }));
    const d = await sm().send(new DescribeSecretCommand({ SecretId: 'rot/fail' }));
    expect(d.VersionIdsToStages).toEqual({ [c.VersionId!]: ['AWSCURRENT'], [token]: ['AWSPENDING'] });
    expect(d).toMatchObject({ RotationEnabled: true, RotationLambdaARN: LAMBDA, NextRotationDate: new Date(Date.parse('2026-07-08T00:00:00Z')) });
    expect(d.LastRotatedDate).toBeUndefined();
    expect(await failure(sm().send(new GetSecretValueCommand({ SecretId: 'rot/fail', VersionStage: 'AWSPENDING' })))).toMatchObject({
      name: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret value for staging label: AWSPENDING",
    });

    const events = await details(ctx.g, url);
    expect(events.map((e) => e.detail.eventName)).toEqual(['RotationStarted', 'RotationFailed']);
    expect(events[1]!.source).toBe('aws.secretsmanager');
    expect(events[1]!.detail).toMatchObject({
      errorCode: 'RotationFailed',
      errorMessage: expect.stringContaining('NotImplemented'),
      additionalEventData: { SecretId: c.ARN, Step: 'createSecret', ClientRequestToken: token },
    });
    // the current value is untouched; a new RotateSecret retries the pending one
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'rot/fail' }))).SecretString).toBe('old');
    expect(await failure(sm().send(new RotateSecretCommand({ SecretId: 'rot/fail' })))).toMatchObject({
      name: 'InvalidRequestException', message: "A previous rotation isn't complete. That rotation will be reattempted.",
    });
    expect((await details(ctx.g, url)).map((e) => [e.detail.eventName, e.detail.additionalEventData.ClientRequestToken])).toEqual([['RotationStarted', undefined], ['RotationFailed', token]]);
    // CancelRotateSecret leaves the partial version for the caller, as AWS does
    expect((await sm().send(new CancelRotateSecretCommand({ SecretId: 'rot/fail' }))).VersionId).toBe(token);
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'rot/fail' }))).RotationEnabled).toBe(false);
  });
});

/** A rotation function (the four steps, as AWS's templates do them) behind lambda:Invoke. */
function rotationLambda(calls: { Step: string; SecretId: string; ClientRequestToken: string }[], holder: { g?: Gureum; fail?: string }) {
  return defineService({
    id: 'lambda',
    create: () => ({
      handlers: {
        Invoke: async (input: { FunctionName: string; Payload: Uint8Array }) => {
          const event = JSON.parse(Buffer.from(input.Payload).toString()) as { Step: string; SecretId: string; ClientRequestToken: string };
          calls.push(event);
          if (holder.fail === event.Step) return { StatusCode: 200, FunctionError: 'Unhandled', Payload: Buffer.from(JSON.stringify({ errorMessage: `cannot ${event.Step}`, errorType: 'Error' })) };
          const sm = new SecretsManagerClient(clientConfig(holder.g!));
          const { SecretId, ClientRequestToken: token } = event;
          if (event.Step === 'createSecret') {
            const current = (await sm.send(new GetSecretValueCommand({ SecretId, VersionStage: 'AWSCURRENT' }))).SecretString!;
            await sm.send(new PutSecretValueCommand({ SecretId, ClientRequestToken: token, SecretString: `${current}+rotated`, VersionStages: ['AWSPENDING'] }));
          } else if (event.Step === 'testSecret') {
            await sm.send(new GetSecretValueCommand({ SecretId, VersionId: token, VersionStage: 'AWSPENDING' }));
          } else if (event.Step === 'finishSecret') {
            const d = await sm.send(new DescribeSecretCommand({ SecretId }));
            const current = Object.entries(d.VersionIdsToStages!).find(([, stages]) => stages.includes('AWSCURRENT'))![0];
            await sm.send(new UpdateSecretVersionStageCommand({ SecretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: current }));
          }
          return { StatusCode: 200, Payload: Buffer.from('null') };
        },
      },
    }),
  });
}

describe('with a rotation function: the four-step protocol, immediately and on schedule', () => {
  const calls: { Step: string; SecretId: string; ClientRequestToken: string }[] = [];
  const holder: { g?: Gureum; fail?: string } = {};
  const ctx = useGureum({ freezeClock: true, services: { lambda: rotationLambda(calls, holder) } });
  const sm = () => new SecretsManagerClient(clientConfig(ctx.g));
  beforeAll(() => {
    holder.g = ctx.g;
    ctx.g.clock.set(T0);
  });
  const describeRot = (id: string) => sm().send(new DescribeSecretCommand({ SecretId: id }));

  test('RotateSecret runs createSecret, setSecret, testSecret, finishSecret; the new version becomes AWSCURRENT', async () => {
    const c = await sm().send(new CreateSecretCommand({ Name: 'rot/ok', SecretString: 'pw' }));
    const out = await sm().send(new RotateSecretCommand({ SecretId: 'rot/ok', RotationLambdaARN: LAMBDA, RotationRules: { AutomaticallyAfterDays: 30 } }));
    const d = await until(() => describeRot('rot/ok'), (x) => x.LastRotatedDate !== undefined);
    expect(calls.map((x) => [x.Step, x.SecretId, x.ClientRequestToken])).toEqual(
      ['createSecret', 'setSecret', 'testSecret', 'finishSecret'].map((step) => [step, c.ARN, out.VersionId]),
    );
    // as in AWS, the new version keeps AWSPENDING next to AWSCURRENT (the templates do not remove it)
    expect(d.VersionIdsToStages).toEqual({ [c.VersionId!]: ['AWSPREVIOUS'], [out.VersionId!]: ['AWSPENDING', 'AWSCURRENT'] });
    expect(d.LastRotatedDate).toEqual(new Date(T0));
    expect(d.NextRotationDate).toEqual(new Date(Date.parse('2026-07-31T00:00:00Z')));
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'rot/ok' }))).SecretString).toBe('pw+rotated');
  });

  test('scheduled rotation fires on the clock at NextRotationDate', async () => {
    calls.length = 0;
    await sm().send(new CreateSecretCommand({ Name: 'rot/sched', SecretString: 's' }));
    await sm().send(new RotateSecretCommand({ SecretId: 'rot/sched', RotationLambdaARN: LAMBDA, RotationRules: { ScheduleExpression: 'rate(2 days)' }, RotateImmediately: false }));
    const next = (await describeRot('rot/sched')).NextRotationDate!;
    expect(next).toEqual(new Date(T0 + 2 * DAY));
    expect(calls).toEqual([]);
    ctx.g.clock.advance(2 * DAY);
    const d = await until(() => describeRot('rot/sched'), (x) => x.LastRotatedDate !== undefined);
    expect(calls.map((x) => x.Step)).toEqual(['createSecret', 'setSecret', 'testSecret', 'finishSecret']);
    expect(d.LastRotatedDate).toEqual(next);
    expect(d.NextRotationDate).toEqual(new Date(next.getTime() + 2 * DAY));
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'rot/sched' }))).SecretString).toBe('s+rotated');
  });

  test('a step the function fails stops the rotation: nothing after it runs, AWSPENDING remains', async () => {
    calls.length = 0;
    holder.fail = 'testSecret';
    await sm().send(new CreateSecretCommand({ Name: 'rot/bad', SecretString: 'b' }));
    const out = await sm().send(new RotateSecretCommand({ SecretId: 'rot/bad', RotationLambdaARN: LAMBDA }));
    await until(async () => calls.length, (n) => n >= 3);
    const d = await until(() => describeRot('rot/bad'), (x) => x.VersionIdsToStages![out.VersionId!]?.includes('AWSPENDING') === true);
    expect(calls.map((x) => x.Step)).toEqual(['createSecret', 'setSecret', 'testSecret']);
    expect(d.LastRotatedDate).toBeUndefined();
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'rot/bad' }))).SecretString).toBe('b');
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'rot/bad', VersionStage: 'AWSPENDING' }))).SecretString).toBe('b+rotated');
    holder.fail = undefined;
  });
});
