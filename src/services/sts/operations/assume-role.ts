/** AssumeRole and GetSessionToken: temporary credentials, remembered as sessions. */
import type { ServiceRuntime } from '../../service.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { Table } from '../../../state/store.js';
import type { AssumeRoleRequest, AssumeRoleResponse, GetSessionTokenRequest, GetSessionTokenResponse } from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { makeAccessKeyId } from '../../../core/accounts.js';
import { PARTITION } from '../../../core/regions.js';
import { Constraints, NAME_PATTERN, NAME_PATTERN_SOURCE } from '../validation.js';
import { callerOf, newSecretAccessKey, newSessionToken, sessionScope, type Session } from '../sessions.js';
import { markRoleUsed, roleByArn, roleTrusts } from '../../iam/internal.js';

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007E]+\/)*([\w+=,.@-]{1,64})$/;
const DEFAULT_ROLE_SECONDS = 3600;
const DEFAULT_SESSION_TOKEN_SECONDS = 43200;

export function assumeRoleOperations(rt: ServiceRuntime, sessions: Table<Session>) {
  /** Expiration whole seconds from now, as AWS reports it. */
  const expiresIn = (seconds: number) => Math.floor(rt.clock.now() / 1000) * 1000 + seconds * 1000;

  function issue(account: string, seconds: number, rest: Omit<Session, 'accessKeyId' | 'secretAccessKey' | 'sessionToken' | 'expiration' | 'account'>): Session {
    const s: Session = {
      accessKeyId: makeAccessKeyId('ASIA', account),
      secretAccessKey: newSecretAccessKey(),
      sessionToken: newSessionToken(),
      expiration: expiresIn(seconds),
      account,
      ...rest,
    };
    sessions.put(sessionScope(account), s.accessKeyId, s);
    return s;
  }

  const credentials = (s: Session) => ({
    AccessKeyId: s.accessKeyId,
    SecretAccessKey: s.secretAccessKey,
    SessionToken: s.sessionToken,
    Expiration: new Date(s.expiration),
  });

  return {
    AssumeRole(input: AssumeRoleRequest, ctx: RequestContext): AssumeRoleResponse {
      new Constraints()
        .length('roleArn', input.RoleArn, 20, 2048)
        .length('roleSessionName', input.RoleSessionName, 2, 64)
        .pattern('roleSessionName', input.RoleSessionName, NAME_PATTERN, NAME_PATTERN_SOURCE)
        .range('durationSeconds', input.DurationSeconds, 900, 43200)
        .length('externalId', input.ExternalId, 2, 1224)
        .pattern('externalId', input.ExternalId, /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*')
        .length('sourceIdentity', input.SourceIdentity, 2, 64)
        .pattern('sourceIdentity', input.SourceIdentity, NAME_PATTERN, NAME_PATTERN_SOURCE)
        .length('policy', input.Policy, 1, 2048)
        .count('tags', input.Tags, 50)
        .count('policyArns', input.PolicyArns, 10)
        .throwIfAny();
      const m = ROLE_ARN.exec(input.RoleArn);
      if (!m) throw new AwsError('ValidationError', 'Request ARN is invalid', 400);
      checkPolicy(input.Policy);
      const [, account] = m as unknown as [string, string, string];
      const caller = callerOf(sessions, ctx, rt.store);
      // The role must exist and its trust policy must allow this caller (AWS answers both the same way).
      const role = roleByArn(rt.store, input.RoleArn);
      const keys = {
        'sts:externalid': input.ExternalId,
        'sts:rolesessionname': input.RoleSessionName,
        'sts:sourceidentity': input.SourceIdentity,
        'aws:principalarn': caller.principalArn,
        'aws:principalaccount': caller.account,
        'aws:multifactorauthpresent': 'false',
        'aws:requestedregion': ctx.region,
      };
      if (!role || !roleTrusts(role, { account: caller.account, arn: caller.arn, principalArn: caller.principalArn }, keys)) {
        throw new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${input.RoleArn}`, 403);
      }
      const seconds = input.DurationSeconds ?? DEFAULT_ROLE_SECONDS;
      if (caller.session?.kind === 'assumed-role' && seconds > 3600) {
        throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
      }
      if (seconds > role.maxSession) {
        throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
      }
      markRoleUsed(rt.store, role, account, rt.clock.now(), ctx.region);
      const arn = `arn:${PARTITION}:sts::${account}:assumed-role/${role.name}/${input.RoleSessionName}`;
      const userId = `${role.id}:${input.RoleSessionName}`;
      const s = issue(account, seconds, {
        kind: 'assumed-role',
        arn,
        userId,
        roleArn: role.arn,
        principalArn: role.arn,
        sourceIdentity: input.SourceIdentity,
      });
      const out: AssumeRoleResponse = { Credentials: credentials(s), AssumedRoleUser: { AssumedRoleId: userId, Arn: arn } };
      if (input.Policy || input.PolicyArns?.length || input.Tags?.length) out.PackedPolicySize = packedPolicySize(input);
      if (input.SourceIdentity) out.SourceIdentity = input.SourceIdentity;
      return out;
    },

    GetSessionToken(input: GetSessionTokenRequest, ctx: RequestContext): GetSessionTokenResponse {
      new Constraints().range('durationSeconds', input.DurationSeconds, 900, 129600).throwIfAny();
      const caller = callerOf(sessions, ctx, rt.store);
      if (caller.session) throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
      // Root users are capped at one hour (AWS: "sessions for AWS account owners are restricted to a maximum of 3600 seconds").
      const seconds = Math.min(input.DurationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS, caller.arn.endsWith(':root') ? 3600 : Infinity);
      const s = issue(caller.account, seconds, { kind: 'session-token', arn: caller.arn, userId: caller.userId, principalArn: caller.principalArn });
      return { Credentials: credentials(s) };
    },
  };
}

function checkPolicy(policy: string | undefined): void {
  if (policy === undefined) return;
  let doc: unknown;
  try {
    doc = JSON.parse(policy);
  } catch {
    throw new AwsError('MalformedPolicyDocumentException', 'The policy is not in the valid JSON format.', 400);
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new AwsError('MalformedPolicyDocumentException', 'The policy is not in the valid JSON format.', 400);
  }
}

/** Percentage of the packed-policy limit used by session policies and tags (AWS compresses them). */
function packedPolicySize(input: AssumeRoleRequest): number {
  const bytes = (input.Policy?.length ?? 0) + (input.PolicyArns?.length ?? 0) * 64 + JSON.stringify(input.Tags ?? []).length;
  return Math.max(1, Math.ceil((bytes / 2048) * 100 * 0.4));
}
