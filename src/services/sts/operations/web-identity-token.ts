/**
 * GetWebIdentityToken (outbound identity federation): a JWT signed with the account's issuer key
 * (IAM's EnableOutboundWebIdentityFederation) asserting the caller's AWS identity — `sub` the
 * principal's ARN (the role for a role session), `aud`, `iat`/`exp` on the virtual clock, `jti`, and
 * AWS's claims under `https://sts.amazonaws.com/`: aws_account, source_region, principal_id,
 * org_id / ou_path (in an organization), principal_tags, request_tags. RS256 or ES384, signed
 * synchronously with node:crypto (JWS compact form).
 */
import { randomUUID, sign, createPrivateKey } from 'node:crypto';
import type { ServiceRuntime } from '../../service.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { Table } from '../../../state/store.js';
import type { GetWebIdentityTokenRequest, GetWebIdentityTokenResponse } from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { outboundFederation, principalTags } from '../../iam/internal.js';
import { organizationDetails } from '../../organizations/internal.js';
import { Constraints } from '../validation.js';
import { callerOf, type Session } from '../sessions.js';
import { checkSessionPolicies, checkTagKeys } from '../issue.js';

const DEFAULT_SECONDS = 300;
const NAMESPACE = 'https://sts.amazonaws.com/';
const b64url = (v: object | Buffer) => (Buffer.isBuffer(v) ? v : Buffer.from(JSON.stringify(v))).toString('base64url');

export function webIdentityTokenOperations(rt: ServiceRuntime, sessions: Table<Session>) {
  return {
    GetWebIdentityToken(input: GetWebIdentityTokenRequest, ctx: RequestContext): GetWebIdentityTokenResponse {
      const c = new Constraints().range('durationSeconds', input.DurationSeconds, 60, 3600).count('audience', input.Audience, 10);
      for (const [i, a] of (input.Audience ?? []).entries()) c.length(`audience.${i + 1}.member`, a, 1, 1000);
      checkSessionPolicies({ Tags: input.Tags }, c).throwIfAny();
      if (!input.Audience?.length) throw new AwsError('ValidationError', '1 validation error detected: Value null at \'audience\' failed to satisfy constraint: Member must not be null', 400);
      if (input.SigningAlgorithm !== 'RS256' && input.SigningAlgorithm !== 'ES384') {
        throw new AwsError('ValidationError', `1 validation error detected: Value '${input.SigningAlgorithm}' at 'signingAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [RS256, ES384]`, 400);
      }
      const mode = input.SubjectMode ?? 'AWSIdentity';
      if (mode !== 'AWSIdentity' && mode !== 'OriginIdentity') {
        throw new AwsError('ValidationError', `1 validation error detected: Value '${mode}' at 'subjectMode' failed to satisfy constraint: Member must satisfy enum value set: [AWSIdentity, OriginIdentity]`, 400);
      }
      // gureum's sessions carry no trusted identity propagation context (aws:OriginIdentity/*)
      if (mode === 'OriginIdentity') throw new AwsError('ValidationError', 'The calling session has no trusted identity propagation context with an aws:OriginIdentity/Subject key.', 400);
      if (input.Scope !== undefined) throw new AwsError('ValidationError', 'Scope can be specified only when SubjectMode is OriginIdentity.', 400);
      checkTagKeys(input.Tags, undefined);

      const caller = callerOf(sessions, ctx, rt.store);
      const federation = outboundFederation(rt.store, caller.account);
      if (!federation) throw new AwsError('OutboundWebIdentityFederationDisabledException', 'Outbound web identity federation is not enabled for this account.', 403);
      const now = Math.floor(rt.clock.now() / 1000);
      const seconds = input.DurationSeconds ?? DEFAULT_SECONDS;
      if (caller.session && (now + seconds) * 1000 > caller.session.expiration) {
        throw new AwsError('SessionDurationEscalationException', 'The requested token duration would extend the session beyond its original expiration time.', 403);
      }
      const key = federation.keys.find((k) => k.alg === input.SigningAlgorithm)!;
      const aws: Record<string, unknown> = { aws_account: caller.account, source_region: ctx.region, principal_id: caller.arn };
      const org = organizationDetails(rt.store, caller.account);
      if (org) {
        aws.org_id = org.id;
        aws.ou_path = org.paths[org.accounts.find((a) => a.id === caller.account)!.lineage.at(-2)!];
      }
      const tags = [...principalTags(rt.store, caller.account, caller.principalArn), ...(caller.session?.tags ?? [])];
      if (tags.length) aws.principal_tags = Object.fromEntries(tags.map((t) => [t.Key, t.Value]));
      if (input.Tags?.length) aws.request_tags = Object.fromEntries(input.Tags.map((t) => [t.Key, t.Value]));
      const claims = {
        iss: federation.issuer,
        aud: input.Audience.length === 1 ? input.Audience[0] : input.Audience,
        sub: caller.principalArn,
        iat: now,
        exp: now + seconds,
        jti: randomUUID(),
        [NAMESPACE]: aws,
      };
      const signingInput = `${b64url({ alg: key.alg, typ: 'JWT', kid: key.kid })}.${b64url(claims)}`;
      const pk = createPrivateKey(key.pem);
      const signature = key.alg === 'RS256'
        ? sign('sha256', Buffer.from(signingInput), pk)
        : sign('sha384', Buffer.from(signingInput), { key: pk, dsaEncoding: 'ieee-p1363' });
      return { WebIdentityToken: `${signingInput}.${b64url(signature)}`, Expiration: new Date((now + seconds) * 1000) };
    },
  };
}
