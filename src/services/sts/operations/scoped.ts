/**
 * GetScopedCredentials: new temporary credentials for the same identity as the calling session
 * (never IAM user or root credentials), narrowed by a scope-down policy and/or a shorter life.
 * Each call adds one layer (at most 3); the policy engine allows a request only if every layer
 * allows it too (domain/authorize.ts reads `scopePolicies`). The new session cannot outlive the
 * caller's.
 */
import type { ServiceRuntime } from '../../service.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { Table } from '../../../state/store.js';
import type { GetScopedCredentialsRequest, GetScopedCredentialsResponse } from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { Constraints } from '../validation.js';
import { newSecretAccessKey, newSessionToken, sessionOf, sessionScope, type Session } from '../sessions.js';
import { credentials, sessionPolicies } from '../issue.js';
import { makeAccessKeyId } from '../../../core/accounts.js';

const MAX_LAYERS = 3;
const MAX_TOKEN_SIZE = 4096;
const POLICY_RE = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;

export function scopedOperations(rt: ServiceRuntime, sessions: Table<Session>) {
  return {
    GetScopedCredentials(input: GetScopedCredentialsRequest, ctx: RequestContext): GetScopedCredentialsResponse {
      new Constraints()
        .length('policy', input.Policy, 1, 2048).pattern('policy', input.Policy, POLICY_RE, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')
        .range('durationSeconds', input.DurationSeconds, 1, 129600)
        .length('scopedSessionDescription', input.ScopedSessionDescription, 0, 256)
        .range('minimumSessionTokenSize', input.MinimumSessionTokenSize, 0, MAX_TOKEN_SIZE)
        .throwIfAny();
      if (input.Policy === undefined && input.DurationSeconds === undefined) {
        throw new AwsError('ValidationError', 'A request must provide at least one of Policy or DurationSeconds.', 400);
      }
      const caller = sessionOf(sessions, ctx);
      if (!caller) throw new AwsError('InvalidSubjectCredentialsException', 'GetScopedCredentials must be called with temporary security credentials; IAM user and root credentials cannot be scoped.', 400);
      if (input.Policy !== undefined) sessionPolicies({ Policy: input.Policy });
      const layers = [...(caller.scopePolicies ?? []), ...(input.Policy !== undefined ? [input.Policy] : [])];
      if (layers.length > MAX_LAYERS) {
        throw new AwsError('AccessDenied', `The session already has ${MAX_LAYERS} scope-down policies; no further GetScopedCredentials policy can be added.`, 403);
      }
      const now = Math.floor(rt.clock.now() / 1000) * 1000;
      const remaining = caller.expiration - now;
      if (input.DurationSeconds !== undefined && input.DurationSeconds * 1000 > remaining) {
        throw new AwsError('InsufficientSessionLifetimeException', `The requested DurationSeconds (${input.DurationSeconds}) is greater than the remaining lifetime of the calling session (${Math.floor(remaining / 1000)} seconds).`, 400);
      }
      let token = newSessionToken();
      if (input.MinimumSessionTokenSize && token.length < input.MinimumSessionTokenSize) token = token.padEnd(input.MinimumSessionTokenSize, 'A');
      const s: Session = {
        ...caller,
        accessKeyId: makeAccessKeyId('ASIA', caller.account),
        secretAccessKey: newSecretAccessKey(),
        sessionToken: token,
        issued: now,
        expiration: input.DurationSeconds !== undefined ? now + input.DurationSeconds * 1000 : caller.expiration,
        scopePolicies: layers.length ? layers : undefined,
      };
      sessions.put(sessionScope(s.account), s.accessKeyId, s);
      return {
        Credentials: credentials(s),
        SessionInfo: { ScopedSessionId: s.userId, Arn: s.arn },
        ScopedPoliciesCount: layers.length,
        SourceIdentity: s.sourceIdentity,
        SessionTokenSize: s.sessionToken.length,
      };
    },
  };
}
