/** RotateSecret and CancelRotateSecret (the protocol itself: domain/rotation.ts). */
import type { RotateSecretRequest, RotateSecretResponse } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { uuid } from '../../../core/ids.js';
import { parseScheduleExpression } from '../../events/internal.js';
import type { SecretsState } from '../state.js';
import { AWSCURRENT, AWSPENDING, checkToken, constraint, invalidParameter, invalidRequest, versionWithStage } from '../domain/model.js';
import { nextRotation, type Rotator } from '../domain/rotation.js';

function checkRules(rules: RotateSecretRequest['RotationRules']): void {
  const days = rules?.AutomaticallyAfterDays;
  if (days !== undefined && (days < 1 || days > 1000)) throw constraint(days, 'rotationRules.automaticallyAfterDays', 'Member must have value less than or equal to 1000');
  if (rules?.ScheduleExpression !== undefined && days !== undefined) {
    throw invalidParameter('You cannot specify both rotation frequency and schedule expression together.');
  }
  if (rules?.ScheduleExpression !== undefined) {
    const p = parseScheduleExpression(rules.ScheduleExpression, { allowAt: false, strictPlural: false });
    if (!p) throw invalidParameter(`Invalid ScheduleExpression: ${rules.ScheduleExpression}. Use rate(…) or cron(…).`);
    if (p.kind === 'rate' && (p.ms < 4 * 3_600_000 || p.ms > 1000 * 86_400_000)) throw invalidParameter('The rotation interval must be between 4 hours and 1000 days.');
  }
  if (rules?.Duration !== undefined) {
    const m = /^(\d{1,2})h$/.exec(rules.Duration);
    if (!m || Number(m[1]) < 1 || Number(m[1]) > 24) throw invalidParameter(`Invalid Duration: ${rules.Duration}. Duration must be between 1h and 24h.`);
  }
}

export function rotateSecret(st: SecretsState, rotator: Rotator, scope: Scope, input: RotateSecretRequest): RotateSecretResponse {
  checkToken(input.ClientRequestToken);
  checkRules(input.RotationRules);
  const s = st.writable(scope, input.SecretId);
  const lambdaArn = input.RotationLambdaARN ?? s.rotation?.lambdaArn;
  if (!lambdaArn && !input.ExternalSecretRotationRoleArn) throw invalidRequest('No Lambda rotation function ARN is associated with this secret.');
  const pending = versionWithStage(s, AWSPENDING);
  if (pending && pending !== versionWithStage(s, AWSCURRENT)) {
    if (lambdaArn && s.rotation) {
      s.rotation.lambdaArn = lambdaArn;
      s.rotation.pendingToken = pending.id;
      st.save(scope, s);
      rotator.start(scope, s.name, pending.id);
    }
    throw invalidRequest("A previous rotation isn't complete. That rotation will be reattempted.");
  }
  const now = st.now();
  const r = (s.rotation ??= { enabled: true });
  r.enabled = true;
  r.lambdaArn = lambdaArn;
  if (input.RotationRules) {
    r.automaticallyAfterDays = input.RotationRules.AutomaticallyAfterDays;
    r.scheduleExpression = input.RotationRules.ScheduleExpression;
    r.duration = input.RotationRules.Duration;
  }
  r.nextRotationDate = nextRotation(r, now);
  s.lastChangedDate = now;
  if (input.RotateImmediately === false || !lambdaArn) {
    st.save(scope, s);
    rotator.arm(scope, s);
    return { ARN: s.arn, Name: s.name };
  }
  const token = rotator.stagePending(s, input.ClientRequestToken ?? uuid());
  st.save(scope, s);
  rotator.arm(scope, s);
  rotator.start(scope, s.name, token);
  return { ARN: s.arn, Name: s.name, VersionId: token };
}

/**
 * Turns rotation off. As in AWS, a rotation in progress is left as it is: its version keeps
 * AWSPENDING (answered as VersionId) for the caller to remove.
 */
export function cancelRotateSecret(st: SecretsState, rotator: Rotator, scope: Scope, id: string): { ARN: string; Name: string; VersionId?: string } {
  const s = st.writable(scope, id);
  if (s.rotation) {
    s.rotation.enabled = false;
    delete s.rotation.nextRotationDate;
    delete s.rotation.pendingToken;
  }
  const pending = versionWithStage(s, AWSPENDING);
  s.lastChangedDate = st.now();
  st.save(scope, s);
  rotator.arm(scope, s);
  return { ARN: s.arn, Name: s.name, VersionId: pending && pending !== versionWithStage(s, AWSCURRENT) ? pending.id : undefined };
}
