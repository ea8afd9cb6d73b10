/** AssumeRole, GetSessionToken and GetFederationToken: temporary credentials, remembered as sessions. */
import type { ServiceRuntime } from '../../service.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { Table } from '../../../state/store.js';
import type {
  AssumeRoleRequest, AssumeRoleResponse, GetFederationTokenRequest, GetFederationTokenResponse, GetSessionTokenRequest, GetSessionTokenResponse,
} from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { PARTITION } from '../../../core/regions.js';
import { Constraints, NAME_PATTERN, NAME_PATTERN_SOURCE } from '../validation.js';
import { callerOf, type Caller, type Session } from '../sessions.js';
import { checkMfa, checkSessionPolicies, checkTagKeys, credentials, issuer, sessionPolicies } from '../issue.js';
import { markRoleUsed, roleByArn, roleTrusts, type RoleRec } from '../../iam/internal.js';

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007E]+\/)*([\w+=,.@-]{1,64})$/;
const DEFAULT_ROLE_SECONDS = 3600;
const DEFAULT_SESSION_TOKEN_SECONDS = 43200;
type Tag = { Key: string; Value: string };

/** Context keys for a trust policy: the caller, MFA, session tags, and what the request adds. */
export function trustKeys(caller: Caller, mfaAuthTime: number | undefined, now: number, region: string, tags: Tag[] | undefined, extra: Record<string, string | string[] | undefined>) {
  const keys: Record<string, string | string[] | undefined> = {
    'aws:PrincipalArn': caller.principalArn,
    'aws:PrincipalAccount': caller.account,
    'aws:userid': caller.userId,
    'aws:RequestedRegion': region,
    'aws:CurrentTime': new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now / 1000)),
    'aws:MultiFactorAuthPresent': mfaAuthTime !== undefined ? 'true' : caller.session ? 'false' : undefined,
    'aws:MultiFactorAuthAge': mfaAuthTime !== undefined ? String(Math.floor((now - mfaAuthTime) / 1000)) : undefined,
    ...extra,
  };
  for (const t of caller.session?.tags ?? []) keys[`aws:PrincipalTag/${t.Key}`] = t.Value;
  if (tags?.length) {
    for (const t of tags) keys[`aws:RequestTag/${t.Key}`] = t.Value;
    keys['aws:TagKeys'] = tags.map((t) => t.Key);
  }
  return keys;
}

/** The trust policy must allow the action, and sts:TagSession / sts:SetSourceIdentity when used. */
export function assertTrusted(role: RoleRec | undefined, roleArn: string, caller: { account: string; arn: string; principalArn: string; federated?: string }, keys: Record<string, string | string[] | undefined>, action: string, opts: { tags?: boolean; sourceIdentity?: boolean }): RoleRec {
  const deny = (a: string) => new AwsError('AccessDenied', `User: ${caller.arn} is not authorized to perform: ${a} on resource: ${roleArn}`, 403);
  if (!role || !roleTrusts(role, caller, keys, action)) throw deny(action);
  if (opts.tags && !roleTrusts(role, caller, keys, 'sts:TagSession')) throw deny('sts:TagSession');
  if (opts.sourceIdentity && !roleTrusts(role, caller, keys, 'sts:SetSourceIdentity')) throw deny('sts:SetSourceIdentity');
  return role;
}

export function assumeRoleOperations(rt: ServiceRuntime, sessions: Table<Session>) {
  const issue = issuer(rt, sessions);

  return {
    AssumeRole(input: AssumeRoleRequest, ctx: RequestContext): AssumeRoleResponse {
      const c = new Constraints()
        .length('roleArn', input.RoleArn, 20, 2048)
        .length('roleSessionName', input.RoleSessionName, 2, 64)
        .pattern('roleSessionName', input.RoleSessionName, NAME_PATTERN, NAME_PATTERN_SOURCE)
        .range('durationSeconds', input.DurationSeconds, 900, 43200)
        .length('externalId', input.ExternalId, 2, 1224)
        .pattern('externalId', input.ExternalId, /^[\w+=,.@:/-]*$/, '[\\w+=,.@:\\/-]*')
        .length('sourceIdentity', input.SourceIdentity, 2, 64)
        .pattern('sourceIdentity', input.SourceIdentity, NAME_PATTERN, NAME_PATTERN_SOURCE)
        .count('transitiveTagKeys', input.TransitiveTagKeys, 50);
      checkSessionPolicies(input, c).throwIfAny();
      const m = ROLE_ARN.exec(input.RoleArn);
      if (!m) throw new AwsError('ValidationError', 'Request ARN is invalid', 400);
      checkTagKeys(input.Tags, input.TransitiveTagKeys);
      const packed = sessionPolicies(input);
      const account = m[1]!;
      const caller = callerOf(sessions, ctx, rt.store);
      const mfaAuthTime = checkMfa(rt, caller, input.SerialNumber, input.TokenCode);
      const now = rt.clock.now();
      // Tags marked transitive by the caller's own session pass on (and cannot be replaced).
      const inherited = (caller.session?.tags ?? []).filter((t) => caller.session?.transitiveTagKeys?.some((k) => k.toLowerCase() === t.Key.toLowerCase()));
      const fresh = (input.Tags ?? []).filter((t) => !inherited.some((i) => i.Key.toLowerCase() === t.Key.toLowerCase()));
      const tags = [...inherited, ...fresh.map((t) => ({ Key: t.Key, Value: t.Value }))];
      const keys = trustKeys(caller, mfaAuthTime, now, ctx.region, input.Tags, {
        'sts:ExternalId': input.ExternalId,
        'sts:RoleSessionName': input.RoleSessionName,
        'sts:SourceIdentity': input.SourceIdentity ?? caller.session?.sourceIdentity,
        'sts:TransitiveTagKeys': input.TransitiveTagKeys,
      });
      const role = assertTrusted(roleByArn(rt.store, input.RoleArn), input.RoleArn, caller, keys, 'sts:AssumeRole', { tags: !!input.Tags?.length, sourceIdentity: !!input.SourceIdentity });
      const seconds = input.DurationSeconds ?? DEFAULT_ROLE_SECONDS;
      if (caller.session?.kind === 'assumed-role' && seconds > 3600) {
        throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.', 400);
      }
      if (seconds > role.maxSession) throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
      // a source identity, once set, stays with every chained session
      const sourceIdentity = caller.session?.sourceIdentity ?? input.SourceIdentity;
      markRoleUsed(rt.store, role, account, now, ctx.region);
      const arn = `arn:${PARTITION}:sts::${account}:assumed-role/${role.name}/${input.RoleSessionName}`;
      const userId = `${role.id}:${input.RoleSessionName}`;
      const transitive = [...(caller.session?.transitiveTagKeys ?? []).filter((k) => inherited.some((t) => t.Key.toLowerCase() === k.toLowerCase())), ...(input.TransitiveTagKeys ?? [])];
      const s = issue(account, seconds, {
        kind: 'assumed-role',
        arn,
        userId,
        roleArn: role.arn,
        principalArn: role.arn,
        sourceIdentity,
        mfaAuthTime,
        policy: packed.policy,
        policyArns: packed.policyArns,
        tags: tags.length ? tags : undefined,
        transitiveTagKeys: transitive.length ? transitive : undefined,
      });
      const out: AssumeRoleResponse = { Credentials: credentials(s), AssumedRoleUser: { AssumedRoleId: userId, Arn: arn } };
      if (packed.packed !== undefined) out.PackedPolicySize = packed.packed;
      if (sourceIdentity) out.SourceIdentity = sourceIdentity;
      return out;
    },

    GetSessionToken(input: GetSessionTokenRequest, ctx: RequestContext): GetSessionTokenResponse {
      new Constraints().range('durationSeconds', input.DurationSeconds, 900, 129600).throwIfAny();
      const caller = callerOf(sessions, ctx, rt.store);
      if (caller.session) throw new AwsError('AccessDenied', 'Cannot call GetSessionToken with session credentials', 403);
      const mfaAuthTime = checkMfa(rt, caller, input.SerialNumber, input.TokenCode);
      // Root users are capped at one hour (AWS: "sessions for AWS account owners are restricted to a maximum of 3600 seconds").
      const seconds = Math.min(input.DurationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS, caller.arn.endsWith(':root') ? 3600 : Infinity);
      const s = issue(caller.account, seconds, { kind: 'session-token', arn: caller.arn, userId: caller.userId, principalArn: caller.principalArn, mfaAuthTime });
      return { Credentials: credentials(s) };
    },

    GetFederationToken(input: GetFederationTokenRequest, ctx: RequestContext): GetFederationTokenResponse {
      const c = new Constraints()
        .length('name', input.Name, 2, 32)
        .pattern('name', input.Name, NAME_PATTERN, NAME_PATTERN_SOURCE)
        .range('durationSeconds', input.DurationSeconds, 900, 129600);
      checkSessionPolicies(input, c).throwIfAny();
      checkTagKeys(input.Tags, undefined);
      const caller = callerOf(sessions, ctx, rt.store);
      if (caller.session) throw new AwsError('AccessDenied', 'Cannot call GetFederationToken with session credentials', 403);
      const packed = sessionPolicies(input);
      const seconds = Math.min(input.DurationSeconds ?? DEFAULT_SESSION_TOKEN_SECONDS, caller.arn.endsWith(':root') ? 3600 : Infinity);
      const arn = `arn:${PARTITION}:sts::${caller.account}:federated-user/${input.Name}`;
      const userId = `${caller.account}:${input.Name}`;
      const s = issue(caller.account, seconds, {
        kind: 'federated-user',
        arn,
        userId,
        principalArn: caller.principalArn,
        // without a session policy the federated user may do nothing (as AWS)
        policy: packed.policy,
        policyArns: packed.policyArns,
        tags: input.Tags?.map((t) => ({ Key: t.Key, Value: t.Value })),
      });
      const out: GetFederationTokenResponse = { Credentials: credentials(s), FederatedUser: { Arn: arn, FederatedUserId: userId } };
      if (packed.packed !== undefined) out.PackedPolicySize = packed.packed;
      return out;
    },
  };
}
