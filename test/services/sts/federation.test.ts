// covers: sts.AssumeRoleWithWebIdentity sts.AssumeRoleWithSAML sts.GetCallerIdentity iam.CreateOpenIDConnectProvider iam.CreateSAMLProvider iam.CreateRole
import { describe, test, expect, beforeAll } from 'vitest';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { IAMClient, CreateOpenIDConnectProviderCommand, CreateSAMLProviderCommand, CreateRoleCommand } from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleWithWebIdentityCommand, AssumeRoleWithSAMLCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';
import { generateSigningKey } from '../../../src/services/sns/domain/signing.js';
import { idpMetadata, samlResponse } from './saml-fixtures.js';

const ACCOUNT = '123456789012';
const ISSUER = 'https://token.actions.githubusercontent.com';
const ctx = useGureum({ freezeClock: true });
const iam = () => new IAMClient(clientConfig(ctx.g, { credentials: { accessKeyId: ACCOUNT, secretAccessKey: 'x' } }));
const sts = () => new STSClient(clientConfig(ctx.g));
const nowSec = () => Math.floor(ctx.g.clock.now().getTime() / 1000);

describe('AssumeRoleWithWebIdentity', () => {
  let key: CryptoKey;
  let otherKey: CryptoKey;
  const RoleArn = `arn:aws:iam::${ACCOUNT}:role/GitHubDeploy`;
  const token = (claims: Record<string, unknown>, k = key, kid = 'k1') =>
    new SignJWT({ aud: 'sts.amazonaws.com', sub: 'repo:acme/app:ref:refs/heads/main', ...claims }).setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(ISSUER).setIssuedAt(nowSec()).setExpirationTime(nowSec() + 300).sign(k);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    key = pair.privateKey;
    otherKey = (await generateKeyPair('RS256')).privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    // the issuer's keys, registered locally (gureum does not reach the internet)
    const res = await fetch(`${ctx.g.endpoint}/_gureum/iam/oidc-keys`, { method: 'PUT', body: JSON.stringify({ issuer: ISSUER, jwks: { keys: [jwk] } }) });
    expect(res.status).toBe(200);
    const provider = (await iam().send(new CreateOpenIDConnectProviderCommand({ Url: ISSUER, ClientIDList: ['sts.amazonaws.com'] }))).OpenIDConnectProviderArn!;
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: provider }, Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: { StringEquals: { 'token.actions.githubusercontent.com:aud': 'sts.amazonaws.com' }, StringLike: { 'token.actions.githubusercontent.com:sub': 'repo:acme/app:*' } } }] };
    await iam().send(new CreateRoleCommand({ RoleName: 'GitHubDeploy', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  });

  test('a signed token from the provider, with the trust policy\'s sub/aud conditions met: credentials in the role\'s account', async () => {
    const out = await sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'gh-run-1', WebIdentityToken: await token({}) }));
    expect(out).toMatchObject({
      SubjectFromWebIdentityToken: 'repo:acme/app:ref:refs/heads/main',
      Audience: 'sts.amazonaws.com',
      Provider: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/GitHubDeploy/gh-run-1` },
    });
    const c = out.Credentials!;
    const who = await new STSClient(clientConfig(ctx.g, { credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken } })).send(new GetCallerIdentityCommand({}));
    expect(who).toMatchObject({ Account: ACCOUNT, Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/GitHubDeploy/gh-run-1` });
  });

  test('the trust policy\'s sub condition decides', async () => {
    const f = await failure(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'fork', WebIdentityToken: await token({ sub: 'repo:evil/app:ref:refs/heads/main' }) })));
    expect(f).toMatchObject({ name: 'AccessDenied', status: 403, message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity' });
  });

  test('audience not among the client ids; issuer without a provider; bad signature; expiry on the virtual clock', async () => {
    const aud = await failure(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'sx', WebIdentityToken: await token({ aud: 'other' }) })));
    expect(aud).toMatchObject({ name: 'InvalidIdentityTokenException', status: 400, message: 'Incorrect token audience' });
    const unknown = await new SignJWT({ aud: 'sts.amazonaws.com' }).setProtectedHeader({ alg: 'RS256' }).setIssuer('https://accounts.example.org').setExpirationTime(nowSec() + 60).sign(key);
    const none = await failure(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'sx', WebIdentityToken: unknown })));
    expect(none).toMatchObject({ name: 'InvalidIdentityTokenException', message: 'No OpenIDConnect provider found in your account for https://accounts.example.org' });
    const forged = await failure(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'sx', WebIdentityToken: await token({}, otherKey) })));
    expect(forged.name).toBe('InvalidIdentityTokenException');
    const t = await token({});
    ctx.g.clock.advance('6m');
    const expired = await failure(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'sx', WebIdentityToken: t })));
    expect(expired).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    expect(expired.message).toMatch(/^Token expired: current date\/time \d+ must be before the expiration date\/time \d+$/);
  });

  test('an issuer with no registered keys that cannot be reached: IDPCommunicationError', async () => {
    const url = 'https://gureum-unreachable.invalid';
    await iam().send(new CreateOpenIDConnectProviderCommand({ Url: url, ClientIDList: ['app'] }));
    const t = await new SignJWT({ aud: 'app', sub: 'x' }).setProtectedHeader({ alg: 'RS256' }).setIssuer(url).setExpirationTime(nowSec() + 60).sign(key);
    const f = await failure(sts().send(new AssumeRoleWithWebIdentityCommand({ RoleArn, RoleSessionName: 'sx', WebIdentityToken: t })));
    expect(f).toMatchObject({ name: 'IDPCommunicationErrorException', status: 400 });
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3 assume_role_with_web_identity (unsigned call)', async () => {
    const t = await token({});
    const r = await boto3(ctx.g, `
from botocore import UNSIGNED
from botocore.config import Config
sts = boto3.client('sts', endpoint_url=ENDPOINT, region_name='us-east-1', config=Config(signature_version=UNSIGNED))
out = sts.assume_role_with_web_identity(RoleArn='${RoleArn}', RoleSessionName='py', WebIdentityToken='${t}')
print(json.dumps([out['AssumedRoleUser']['Arn'], out['Audience']]))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual([`arn:aws:sts::${ACCOUNT}:assumed-role/GitHubDeploy/py`, 'sts.amazonaws.com']);
  });
});

describe('AssumeRoleWithSAML', () => {
  let keyPem: string;
  let providerArn: string;
  const RoleArn = `arn:aws:iam::${ACCOUNT}:role/SamlAdmins`;
  beforeAll(async () => {
    const k = generateSigningKey(ctx.g.clock.now().getTime());
    keyPem = k.privateKeyPem;
    providerArn = (await iam().send(new CreateSAMLProviderCommand({ Name: 'Corp', SAMLMetadataDocument: idpMetadata(k.certificatePem) }))).SAMLProviderArn!;
    const trust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: ['sts:AssumeRoleWithSAML', 'sts:TagSession'],
      Condition: { StringEquals: { 'SAML:aud': 'https://signin.aws.amazon.com/saml' } } }] };
    await iam().send(new CreateRoleCommand({ RoleName: 'SamlAdmins', AssumeRolePolicyDocument: JSON.stringify(trust) }));
  });

  test('a response signed by the provider\'s key: credentials, subject, issuer and NameQualifier', async () => {
    const SAMLAssertion = samlResponse({ privateKeyPem: keyPem, roleArn: RoleArn, providerArn, now: ctx.g.clock.now().getTime(), extraAttributes: { 'https://aws.amazon.com/SAML/Attributes/PrincipalTag:dept': ['eng'] } });
    const out = await sts().send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: providerArn, SAMLAssertion }));
    expect(out).toMatchObject({
      AssumedRoleUser: { Arn: `arn:aws:sts::${ACCOUNT}:assumed-role/SamlAdmins/jane@example.com` },
      Subject: 'jane',
      SubjectType: 'persistent',
      Issuer: 'https://idp.example.com/saml',
      Audience: 'https://signin.aws.amazon.com/saml',
    });
    expect(out.NameQualifier).toMatch(/^[A-Za-z0-9+/]{27}=$/); // base64 SHA-1
    expect(out.Credentials!.AccessKeyId).toMatch(/^ASIA/);
  });

  test('a tampered response, another signer, an expired assertion, a role the IdP did not grant', async () => {
    const now = ctx.g.clock.now().getTime();
    const good = Buffer.from(samlResponse({ privateKeyPem: keyPem, roleArn: RoleArn, providerArn, now }), 'base64').toString('utf8');
    const tampered = Buffer.from(good.replace('jane@example.com', 'root@example.com')).toString('base64');
    expect((await failure(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: providerArn, SAMLAssertion: tampered })))).name).toBe('InvalidIdentityTokenException');
    const stranger = samlResponse({ privateKeyPem: generateSigningKey(now).privateKeyPem, roleArn: RoleArn, providerArn, now });
    expect((await failure(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: providerArn, SAMLAssertion: stranger })))).name).toBe('InvalidIdentityTokenException');
    const soon = samlResponse({ privateKeyPem: keyPem, roleArn: RoleArn, providerArn, now, validMinutes: 5 });
    ctx.g.clock.advance('6m');
    expect(await failure(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: providerArn, SAMLAssertion: soon })))).toMatchObject({ name: 'ExpiredTokenException', status: 400 });
    const otherRole = samlResponse({ privateKeyPem: keyPem, roleArn: `arn:aws:iam::${ACCOUNT}:role/Other`, providerArn, now: ctx.g.clock.now().getTime() });
    expect(await failure(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: providerArn, SAMLAssertion: otherRole })))).toMatchObject({ name: 'AccessDenied', status: 403 });
    const wrongAudience = samlResponse({ privateKeyPem: keyPem, roleArn: RoleArn, providerArn, now: ctx.g.clock.now().getTime(), audience: 'urn:example' });
    expect((await failure(sts().send(new AssumeRoleWithSAMLCommand({ RoleArn, PrincipalArn: providerArn, SAMLAssertion: wrongAudience })))).name).toBe('InvalidIdentityTokenException');
  });
});
