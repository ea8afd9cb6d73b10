// covers: sts.GetWebIdentityToken iam.EnableOutboundWebIdentityFederation iam.DisableOutboundWebIdentityFederation iam.GetOutboundWebIdentityFederationInfo iam.CreateRole iam.TagRole sts.AssumeRole organizations.CreateOrganization
/**
 * Outbound identity federation: the account's issuer and keys (IAM), JWTs from STS
 * GetWebIdentityToken verified with jose against the issuer's JSON Web Key Set (served by
 * /_gureum/iam/outbound-federation), claims as AWS documents them, times on the virtual clock.
 */
import { describe, test, expect, beforeAll } from 'vitest';
import { createLocalJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';
import * as O from '@aws-sdk/client-organizations';
import {
  IAMClient, EnableOutboundWebIdentityFederationCommand, DisableOutboundWebIdentityFederationCommand, GetOutboundWebIdentityFederationInfoCommand,
  CreateRoleCommand, TagRoleCommand,
} from '@aws-sdk/client-iam';
import { STSClient, GetWebIdentityTokenCommand, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { useGureum, clientConfig, failure, raw, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true });
const iam = () => new IAMClient(clientConfig(ctx.g));
const sts = (credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new STSClient(clientConfig(ctx.g, credentials ? { credentials } : {}));
const NS = 'https://sts.amazonaws.com/';

let issuer: string;
let jwks: ReturnType<typeof createLocalJWKSet>;

describe('outbound web identity federation', () => {
  test('disabled at first; enabling gives the issuer; twice → FeatureEnabled', async () => {
    expect(await failure(iam().send(new GetOutboundWebIdentityFederationInfoCommand({})))).toMatchObject({ name: 'FeatureDisabledException', status: 404 });
    const denied = await failure(sts().send(new GetWebIdentityTokenCommand({ Audience: ['https://api.example.com'], SigningAlgorithm: 'RS256' })));
    expect(denied).toMatchObject({ name: 'OutboundWebIdentityFederationDisabledException', status: 403 });
    issuer = (await iam().send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier!;
    expect(issuer).toMatch(/^https:\/\/[0-9a-f-]{36}\.tokens\.sts\.global\.api\.aws$/);
    expect(await iam().send(new GetOutboundWebIdentityFederationInfoCommand({}))).toMatchObject({ IssuerIdentifier: issuer, JwtVendingEnabled: true });
    expect(await failure(iam().send(new EnableOutboundWebIdentityFederationCommand({})))).toMatchObject({ name: 'FeatureEnabledException', status: 409 });
    const r = await raw(ctx.g, `/_gureum/iam/outbound-federation?account=${ACCOUNT}`);
    const body = JSON.parse(r.text) as { issuer: string; jwks: { keys: { alg: string; kid: string }[] } };
    expect(body.issuer).toBe(issuer);
    expect(body.jwks.keys.map((k) => k.alg).sort()).toEqual(['ES384', 'RS256']);
    jwks = createLocalJWKSet(body.jwks as never);
  });

  test('a role session\'s token: verifiable, AWS\'s claims, 300 s by default on the virtual clock', async () => {
    await new O.OrganizationsClient(clientConfig(ctx.g)).send(new O.CreateOrganizationCommand({}));
    await iam().send(new CreateRoleCommand({ RoleName: 'worker', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }) }));
    await iam().send(new TagRoleCommand({ RoleName: 'worker', Tags: [{ Key: 'team', Value: 'data' }] }));
    const c = (await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/worker`, RoleSessionName: 'job-1', Tags: [{ Key: 'env', Value: 'prod' }] }))).Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    const out = await sts(session).send(new GetWebIdentityTokenCommand({ Audience: ['https://api.example.com'], SigningAlgorithm: 'RS256', Tags: [{ Key: 'job', Value: '42' }] }));
    const now = Math.floor(ctx.g.clock.now().getTime() / 1000);
    expect(out.Expiration).toEqual(new Date((now + 300) * 1000));
    const { payload, protectedHeader } = await jwtVerify(out.WebIdentityToken!, jwks, { issuer, audience: 'https://api.example.com', currentDate: ctx.g.clock.now() });
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: `arn:aws:iam::${ACCOUNT}:role/worker`, iat: now, exp: now + 300 });
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    const aws = payload[NS] as Record<string, unknown>;
    expect(aws).toMatchObject({
      aws_account: ACCOUNT, source_region: 'us-east-1', principal_id: `arn:aws:sts::${ACCOUNT}:assumed-role/worker/job-1`,
      org_id: expect.stringMatching(/^o-/), ou_path: expect.stringMatching(/^o-[a-z0-9]+\/r-[a-z0-9]+\/$/),
      principal_tags: { team: 'data', env: 'prod' }, request_tags: { job: '42' },
    });
  });

  test('ES384, several audiences, a longer duration; limits and bad input', async () => {
    const out = await sts().send(new GetWebIdentityTokenCommand({ Audience: ['a', 'b'], SigningAlgorithm: 'ES384', DurationSeconds: 3600 }));
    expect(decodeProtectedHeader(out.WebIdentityToken!).alg).toBe('ES384');
    const { payload } = await jwtVerify(out.WebIdentityToken!, jwks, { issuer, audience: 'b', currentDate: ctx.g.clock.now() });
    expect(payload.aud).toEqual(['a', 'b']);
    expect(payload.sub).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect(payload.exp! - payload.iat!).toBe(3600);
    // the token expires on the virtual clock
    ctx.g.clock.advance('61m');
    await expect(jwtVerify(out.WebIdentityToken!, jwks, { currentDate: ctx.g.clock.now() })).rejects.toThrow(/exp/);

    expect(await failure(sts().send(new GetWebIdentityTokenCommand({ Audience: ['a'], SigningAlgorithm: 'HS256' })))).toMatchObject({ name: 'ValidationError', status: 400 });
    expect(await failure(sts().send(new GetWebIdentityTokenCommand({ Audience: ['a'], SigningAlgorithm: 'RS256', DurationSeconds: 30 })))).toMatchObject({ name: 'ValidationError' });
    expect(await failure(sts().send(new GetWebIdentityTokenCommand({ Audience: ['a'], SigningAlgorithm: 'RS256', SubjectMode: 'OriginIdentity' })))).toMatchObject({ name: 'ValidationError' });
  });

  test('a token may not outlive the session that asks for it', async () => {
    const c = (await sts().send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/worker`, RoleSessionName: 'short', DurationSeconds: 900 }))).Credentials!;
    const session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
    ctx.g.clock.advance('10m');
    const long = await failure(sts(session).send(new GetWebIdentityTokenCommand({ Audience: ['a'], SigningAlgorithm: 'RS256', DurationSeconds: 600 })));
    expect(long).toMatchObject({ name: 'SessionDurationEscalationException', status: 403 });
    await sts(session).send(new GetWebIdentityTokenCommand({ Audience: ['a'], SigningAlgorithm: 'RS256', DurationSeconds: 120 }));
  });

  test('disabling stops tokens; enabling again keeps the issuer', async () => {
    await iam().send(new DisableOutboundWebIdentityFederationCommand({}));
    expect(await failure(iam().send(new DisableOutboundWebIdentityFederationCommand({})))).toMatchObject({ name: 'FeatureDisabledException' });
    expect((await failure(sts().send(new GetWebIdentityTokenCommand({ Audience: ['a'], SigningAlgorithm: 'RS256' })))).name).toBe('OutboundWebIdentityFederationDisabledException');
    expect((await iam().send(new EnableOutboundWebIdentityFederationCommand({}))).IssuerIdentifier).toBe(issuer);
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3 gets a token', async () => {
    const r = await boto3(ctx.g, `
sts = boto3.client('sts', endpoint_url=ENDPOINT, region_name='us-east-1')
t = sts.get_web_identity_token(Audience=['x'], SigningAlgorithm='RS256')['WebIdentityToken']
print(json.dumps(len(t.split('.'))))`);
    expect(r.json).toBe(3);
  });
});
