/**
 * AssumeRoleWithWebIdentity (OIDC ID tokens) and AssumeRoleWithSAML (SAML 2.0 responses):
 * the token is checked against the role account's IAM identity provider (issuer, audience /
 * client id, expiry on the virtual clock, signature), then the role's trust policy must allow
 * the provider as a Federated principal with conditions over the token's claims
 * (`<issuer>:sub`, `<issuer>:aud`, `SAML:sub`, `SAML:aud`…).
 */
import type { ServiceRuntime } from '../../service.js';
import type { RequestContext } from '../../../gateway/context.js';
import type { Table } from '../../../state/store.js';
import type { AssumeRoleWithSAMLRequest, AssumeRoleWithSAMLResponse, AssumeRoleWithWebIdentityRequest, AssumeRoleWithWebIdentityResponse } from '../generated/types.js';
import type { JSONWebKeySet } from 'jose';
import { AwsError } from '../../../core/errors.js';
import { PARTITION } from '../../../core/regions.js';
import { Constraints, NAME_PATTERN, NAME_PATTERN_SOURCE } from '../validation.js';
import type { Session } from '../sessions.js';
import { checkSessionPolicies, credentials, issuer, sessionPolicies } from '../issue.js';
import { assertTrusted } from './assume-role.js';
import { localJwks, markRoleUsed, oidcProviderFor, roleByArn, samlProviderByArn } from '../../iam/internal.js';
import { TokenError, fetchIssuerJwks, readClaims, verifySignature } from '../domain/oidc.js';
import { SamlError, nameQualifier, readAssertion, verifiedXml } from '../domain/saml.js';

const ROLE_ARN = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\u0021-\u007E]+\/)*([\w+=,.@-]{1,64})$/;
const SAML_ATTR = 'https://aws.amazon.com/SAML/Attributes/';
const SAML_AUDIENCE = 'https://signin.aws.amazon.com/saml';
const invalidToken = (m: string) => new AwsError('InvalidIdentityTokenException', m, 400);
const epoch = (ms: number) => Math.floor(ms / 1000);

export function federationOperations(rt: ServiceRuntime, sessions: Table<Session>) {
  const issue = issuer(rt, sessions);

  function roleAccount(arn: string): string {
    const m = ROLE_ARN.exec(arn);
    if (!m) throw new AwsError('ValidationError', 'Request ARN is invalid', 400);
    return m[1]!;
  }

  return {
    async AssumeRoleWithWebIdentity(input: AssumeRoleWithWebIdentityRequest, ctx: RequestContext): Promise<AssumeRoleWithWebIdentityResponse> {
      const c = new Constraints()
        .length('roleArn', input.RoleArn, 20, 2048)
        .length('roleSessionName', input.RoleSessionName, 2, 64)
        .pattern('roleSessionName', input.RoleSessionName, NAME_PATTERN, NAME_PATTERN_SOURCE)
        .length('webIdentityToken', input.WebIdentityToken, 4, 20000)
        .length('providerId', input.ProviderId, 4, 2048)
        .range('durationSeconds', input.DurationSeconds, 900, 43200);
      checkSessionPolicies(input, c).throwIfAny();
      const account = roleAccount(input.RoleArn);
      const packed = sessionPolicies(input);
      let claims;
      try {
        claims = readClaims(input.WebIdentityToken);
      } catch {
        throw invalidToken("Couldn't parse the identity token");
      }
      const iss = typeof claims.iss === 'string' ? claims.iss : '';
      const provider = iss ? oidcProviderFor(rt.store, account, iss) : undefined;
      if (!provider) throw invalidToken(`No OpenIDConnect provider found in your account for ${iss}`);
      const aud = Array.isArray(claims.aud) ? claims.aud : claims.aud !== undefined ? [claims.aud] : [];
      const audience = aud.find((a) => provider.clientIds.includes(a)) ?? (typeof claims.azp === 'string' && provider.clientIds.includes(claims.azp) ? claims.azp : undefined);
      if (!audience) throw invalidToken('Incorrect token audience');
      const now = rt.clock.now();
      if (typeof claims.exp !== 'number' || claims.exp <= epoch(now)) {
        throw new AwsError('ExpiredTokenException', `Token expired: current date/time ${epoch(now)} must be before the expiration date/time${typeof claims.exp === 'number' ? ` ${claims.exp}` : ''}`, 400);
      }
      if (typeof claims.nbf === 'number' && claims.nbf > epoch(now) + 300) throw invalidToken('Token is not yet valid');
      // signature: a key set registered for the issuer, else the issuer's published keys
      try {
        const jwks = (localJwks(rt.store, iss) as JSONWebKeySet | undefined) ?? (await fetchIssuerJwks(iss));
        await verifySignature(input.WebIdentityToken, jwks);
      } catch (e) {
        if (e instanceof TokenError && e.kind === 'unreachable') {
          throw new AwsError('IDPCommunicationErrorException', "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements", 400);
        }
        throw invalidToken("Couldn't verify the signature of the identity token");
      }
      const host = provider.url;
      const claim = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : Array.isArray(claims[k]) ? (claims[k] as unknown[]).map(String) : undefined);
      const keys: Record<string, string | string[] | undefined> = {
        [`${host}:sub`]: claim('sub'),
        [`${host}:aud`]: audience,
        [`${host}:oaud`]: aud.length ? aud : undefined,
        [`${host}:azp`]: claim('azp'),
        [`${host}:amr`]: claim('amr'),
        [`${host}:email`]: claim('email'),
        'aws:FederatedProvider': provider.arn,
        'aws:RequestedRegion': ctx.region,
        'sts:RoleSessionName': input.RoleSessionName,
      };
      const caller = { account, arn: `${provider.arn}`, principalArn: provider.arn, federated: provider.arn };
      const role = roleByArn(rt.store, input.RoleArn);
      try {
        assertTrusted(role, input.RoleArn, caller, keys, 'sts:AssumeRoleWithWebIdentity', {});
      } catch {
        throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity', 403);
      }
      const seconds = input.DurationSeconds ?? 3600;
      if (seconds > role!.maxSession) throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
      markRoleUsed(rt.store, role!, account, now, ctx.region);
      const arn = `arn:${PARTITION}:sts::${account}:assumed-role/${role!.name}/${input.RoleSessionName}`;
      const userId = `${role!.id}:${input.RoleSessionName}`;
      const s = issue(account, seconds, {
        kind: 'assumed-role', arn, userId, roleArn: role!.arn, principalArn: role!.arn,
        federatedProvider: provider.arn, policy: packed.policy, policyArns: packed.policyArns,
      });
      const out: AssumeRoleWithWebIdentityResponse = {
        Credentials: credentials(s),
        AssumedRoleUser: { AssumedRoleId: userId, Arn: arn },
        SubjectFromWebIdentityToken: typeof claims.sub === 'string' ? claims.sub : undefined,
        Audience: audience,
        Provider: provider.arn,
      };
      if (packed.packed !== undefined) out.PackedPolicySize = packed.packed;
      return out;
    },

    AssumeRoleWithSAML(input: AssumeRoleWithSAMLRequest, ctx: RequestContext): AssumeRoleWithSAMLResponse {
      const c = new Constraints()
        .length('roleArn', input.RoleArn, 20, 2048)
        .length('principalArn', input.PrincipalArn, 20, 2048)
        .length('sAMLAssertion', input.SAMLAssertion, 4, 100000)
        .range('durationSeconds', input.DurationSeconds, 900, 43200);
      checkSessionPolicies(input, c).throwIfAny();
      const account = roleAccount(input.RoleArn);
      const packed = sessionPolicies(input);
      const provider = samlProviderByArn(rt.store, input.PrincipalArn);
      if (!provider || !input.PrincipalArn.includes(`::${account}:`)) throw invalidToken(`SAML Provider ${input.PrincipalArn} does not exist in the role's account`);
      const xml = Buffer.from(input.SAMLAssertion, 'base64').toString('utf8');
      let assertion;
      try {
        assertion = readAssertion(verifiedXml(xml, provider.certificates));
      } catch (e) {
        if (e instanceof SamlError && (e.message === 'signature' || e.message === 'unsigned')) throw invalidToken('Invalid SAML response: the signature could not be verified with the provider\'s certificate');
        throw invalidToken('Invalid SAML response: could not parse the assertion');
      }
      const now = rt.clock.now();
      if (provider.validUntil <= now) throw invalidToken('The SAML provider metadata has expired');
      if (assertion.notOnOrAfter !== undefined && assertion.notOnOrAfter <= now) throw new AwsError('ExpiredTokenException', 'Token must be redeemed within 5 minutes of issuance', 400);
      if (assertion.notBefore !== undefined && assertion.notBefore > now + 300_000) throw invalidToken('Response is not yet valid');
      if (!assertion.audiences.some((a) => /^https:\/\/([a-z0-9-]+\.)?signin\.aws\.amazon\.com\/saml$/.test(a))) throw invalidToken(`Audience restriction does not include ${SAML_AUDIENCE}`);
      const attr = (name: string) => assertion.attributes[SAML_ATTR + name] ?? [];
      // Role values are "roleArn,providerArn" (either order)
      const pairs = attr('Role').map((v) => v.split(',').map((x) => x.trim()));
      if (!pairs.some((p) => p.includes(input.RoleArn) && p.includes(input.PrincipalArn))) throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
      const sessionName = attr('RoleSessionName')[0];
      if (!sessionName || !/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw invalidToken('RoleSessionName in the SAML assertion is missing or invalid');
      const tags = Object.entries(assertion.attributes)
        .filter(([k]) => k.startsWith(SAML_ATTR + 'PrincipalTag:'))
        .map(([k, v]) => ({ Key: k.slice((SAML_ATTR + 'PrincipalTag:').length), Value: v[0] ?? '' }));
      const sourceIdentity = attr('SourceIdentity')[0];
      const keys: Record<string, string | string[] | undefined> = {
        'SAML:aud': assertion.recipient ?? SAML_AUDIENCE,
        'SAML:iss': assertion.issuer,
        'SAML:sub': assertion.subject,
        'SAML:sub_type': assertion.subjectType,
        'SAML:namequalifier': nameQualifier(assertion.issuer, account, provider.name),
        'aws:FederatedProvider': provider.arn,
        'aws:RequestedRegion': ctx.region,
        'sts:SourceIdentity': sourceIdentity,
      };
      for (const t of tags) keys[`aws:RequestTag/${t.Key}`] = t.Value;
      if (tags.length) keys['aws:TagKeys'] = tags.map((t) => t.Key);
      const caller = { account, arn: provider.arn, principalArn: provider.arn, federated: provider.arn };
      const role = roleByArn(rt.store, input.RoleArn);
      try {
        assertTrusted(role, input.RoleArn, caller, keys, 'sts:AssumeRoleWithSAML', { tags: tags.length > 0, sourceIdentity: !!sourceIdentity });
      } catch {
        throw new AwsError('AccessDenied', 'Not authorized to perform sts:AssumeRoleWithSAML', 403);
      }
      const fromAssertion = Number(attr('SessionDuration')[0]);
      let seconds = input.DurationSeconds ?? (Number.isInteger(fromAssertion) && fromAssertion >= 900 ? fromAssertion : 3600);
      if (Number.isInteger(fromAssertion) && fromAssertion >= 900) seconds = Math.min(seconds, fromAssertion);
      if (seconds > role!.maxSession) throw new AwsError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.', 400);
      markRoleUsed(rt.store, role!, account, now, ctx.region);
      const arn = `arn:${PARTITION}:sts::${account}:assumed-role/${role!.name}/${sessionName}`;
      const userId = `${role!.id}:${sessionName}`;
      const transitive = attr('TransitiveTagKeys');
      const s = issue(account, seconds, {
        kind: 'assumed-role', arn, userId, roleArn: role!.arn, principalArn: role!.arn,
        federatedProvider: provider.arn, sourceIdentity, policy: packed.policy, policyArns: packed.policyArns,
        tags: tags.length ? tags : undefined, transitiveTagKeys: transitive.length ? transitive : undefined,
      });
      const out: AssumeRoleWithSAMLResponse = {
        Credentials: credentials(s),
        AssumedRoleUser: { AssumedRoleId: userId, Arn: arn },
        Subject: assertion.subject,
        SubjectType: assertion.subjectType,
        Issuer: assertion.issuer,
        Audience: assertion.recipient ?? SAML_AUDIENCE,
        NameQualifier: nameQualifier(assertion.issuer, account, provider.name),
      };
      if (sourceIdentity) out.SourceIdentity = sourceIdentity;
      if (packed.packed !== undefined) out.PackedPolicySize = packed.packed;
      return out;
    },
  };
}
