/**
 * Rotation with a Lambda function: AWS's four-step protocol. Secrets Manager creates the new
 * version (the ClientRequestToken) with the label AWSPENDING and no value, then invokes the
 * rotation function once per step, in order, with
 *   { "Step": "createSecret" | "setSecret" | "testSecret" | "finishSecret", "SecretId": <ARN>,
 *     "ClientRequestToken": <token>, "RotationToken": <uuid> }
 * through `lambda:Invoke` (RequestResponse). The function does the work — createSecret puts the
 * AWSPENDING value, finishSecret moves AWSCURRENT to the new version. After finishSecret the
 * new version must carry AWSCURRENT. Runs detached from the RotateSecret call (as AWS's does).
 *
 * A step whose invocation fails (the function errors, or cannot be invoked — Lambda's Invoke
 * answers NotImplemented while gureum's Lambda has no Invoke) fails the rotation as AWS reports
 * it: the AWSPENDING version stays, the rotation is not complete (RotateSecret answers "A previous
 * rotation isn't complete…" and retries it), and a RotationFailed event goes to EventBridge (the
 * CloudTrail service event AWS emits), naming the step and the error. RotationStarted and
 * RotationSucceeded are sent the same way.
 */
import { randomUUID } from 'node:crypto';
import { isAwsError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';
import type { Scope } from '../../../state/store.js';
import { nextCronTime, parseScheduleExpression } from '../../events/internal.js';
import type { SecretsState } from '../state.js';
import { AWSCURRENT, AWSPENDING, DAY, dayOf, versionWithStage, type SecretRecord } from './model.js';

export const STEPS = ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const;

/** When a rotation schedule next comes due after `from` (undefined: no schedule). */
export function nextRotation(r: SecretRecord['rotation'], from: number): number | undefined {
  if (!r?.enabled) return undefined;
  if (r.automaticallyAfterDays !== undefined) return dayOf(from) + r.automaticallyAfterDays * DAY;
  if (r.scheduleExpression !== undefined) {
    const p = parseScheduleExpression(r.scheduleExpression, { allowAt: false, strictPlural: false });
    if (p?.kind === 'rate') return from + p.ms;
    if (p?.kind === 'cron') return nextCronTime(p.cron, from, 'UTC');
  }
  return undefined;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class Rotator {
  constructor(private readonly st: SecretsState) {}

  /** Starts rotating `name` to version `token` (already staged AWSPENDING) without waiting. */
  start(scope: Scope, name: string, token: string): void {
    void this.run(scope, name, token).catch((e) => console.error('[gureum] secretsmanager rotation failed unexpectedly:', e));
  }

  /** A scheduled rotation came due: retry a pending rotation or start a new one. */
  scheduled(scope: Scope, name: string, arn: string): void {
    const s = this.st.secrets.get(scope, name);
    if (!s || s.arn !== arn || !s.rotation?.enabled || s.deletedDate !== undefined) return;
    const token = s.rotation.pendingToken ?? this.stagePending(s, randomUUID());
    // the next window, in case this rotation fails (success recomputes it from the rotation time)
    s.rotation.nextRotationDate = nextRotation(s.rotation, this.st.now() + 1);
    this.st.save(scope, s);
    this.arm(scope, s);
    this.start(scope, name, token);
  }

  /** Creates the new version: the token, labelled AWSPENDING, without a value yet. */
  stagePending(s: SecretRecord, token: string): string {
    const pending = versionWithStage(s, AWSPENDING);
    if (pending && pending.id !== token) pending.stages = pending.stages.filter((x) => x !== AWSPENDING);
    const v = s.versions[token];
    if (v) {
      if (!v.stages.includes(AWSPENDING)) v.stages.push(AWSPENDING);
    } else {
      s.versions[token] = { id: token, stages: [AWSPENDING], createdDate: this.st.now(), kmsKeyId: s.kmsKeyId };
      s.order.push(token);
    }
    s.rotation!.pendingToken = token;
    return token;
  }

  arm(scope: Scope, s: SecretRecord): void {
    this.st.armRotation(scope, s, (sc, name, arn) => this.scheduled(sc, name, arn));
  }

  private async run(scope: Scope, name: string, token: string): Promise<void> {
    const first = this.st.secrets.get(scope, name);
    const lambdaArn = first?.rotation?.lambdaArn;
    if (!first || !lambdaArn) return;
    const arn = first.arn;
    await this.event(scope, arn, 'RotationStarted');
    const fn = parseArn(lambdaArn);
    const fnScope = fn ? { account: fn.account, region: fn.region } : scope;
    const rotationToken = randomUUID();
    for (const step of STEPS) {
      const payload = { Step: step, SecretId: arn, ClientRequestToken: token, RotationToken: rotationToken };
      try {
        const out = (await this.st.rt.call('lambda', 'Invoke', { FunctionName: lambdaArn, InvocationType: 'RequestResponse', Payload: Buffer.from(JSON.stringify(payload)) }, fnScope)) as
          { FunctionError?: string; Payload?: Uint8Array } | undefined;
        if (out?.FunctionError) throw new StepError(`${out.FunctionError}: ${functionMessage(out.Payload)}`);
      } catch (e) {
        return this.fail(scope, name, arn, token, step, e instanceof StepError ? e.message : isAwsError(e) ? `${e.code}: ${e.message}` : String(e));
      }
    }
    const s = this.st.secrets.get(scope, name);
    if (!s || s.arn !== arn) return;
    if (versionWithStage(s, AWSCURRENT)?.id !== token) {
      return this.fail(scope, name, arn, token, 'finishSecret', `The rotation function did not move the AWSCURRENT staging label to version ${token}.`);
    }
    const now = this.st.now();
    const r = s.rotation!;
    r.lastRotatedDate = now;
    delete r.pendingToken;
    delete r.lastFailure;
    r.nextRotationDate = nextRotation(r, now);
    this.st.save(scope, s);
    this.arm(scope, s);
    await this.event(scope, arn, 'RotationSucceeded');
  }

  private async fail(scope: Scope, name: string, arn: string, token: string, step: string, message: string): Promise<void> {
    const s = this.st.secrets.get(scope, name);
    if (s && s.arn === arn && s.rotation) {
      s.rotation.lastFailure = { at: this.st.now(), step, message };
      this.st.save(scope, s);
    }
    await this.event(scope, arn, 'RotationFailed', { step, token, errorMessage: message });
  }

  /** The CloudTrail service event AWS records for rotations, as EventBridge delivers it. */
  private async event(scope: Scope, arn: string, eventName: string, failure?: { step: string; token: string; errorMessage: string }): Promise<void> {
    const now = this.st.now();
    const detail: Record<string, unknown> = {
      eventVersion: '1.08',
      userIdentity: { accountId: scope.account, invokedBy: 'secretsmanager.amazonaws.com' },
      eventTime: iso(now),
      eventSource: 'secretsmanager.amazonaws.com',
      eventName,
      awsRegion: scope.region,
      sourceIPAddress: 'secretsmanager.amazonaws.com',
      userAgent: 'secretsmanager.amazonaws.com',
      requestParameters: null,
      responseElements: null,
      additionalEventData: { SecretId: arn, ...(failure ? { Step: failure.step, ClientRequestToken: failure.token } : {}) },
      requestID: randomUUID(),
      eventID: randomUUID(),
      readOnly: false,
      eventType: 'AwsServiceEvent',
      managementEvent: true,
      recipientAccountId: scope.account,
      eventCategory: 'Management',
    };
    if (failure) {
      detail.errorCode = 'RotationFailed';
      detail.errorMessage = failure.errorMessage;
    }
    try {
      await this.st.rt.call('events', 'PutEvents', {
        Entries: [{ Source: 'aws.secretsmanager', DetailType: 'AWS Service Event via CloudTrail', Detail: JSON.stringify(detail), Resources: [arn] }],
      }, scope);
    } catch {
      /* EventBridge delivery is best effort, as for AWS service events */
    }
  }
}

class StepError extends Error {}

function functionMessage(payload: Uint8Array | undefined): string {
  if (!payload) return '';
  const text = Buffer.from(payload).toString('utf8');
  try {
    const j = JSON.parse(text) as { errorMessage?: string };
    return j.errorMessage ?? text;
  } catch {
    return text;
  }
}
