// covers: iam.CreateSAMLProvider iam.GetSAMLProvider iam.UpdateSAMLProvider iam.DeleteSAMLProvider iam.ListSAMLProviders iam.TagSAMLProvider iam.UntagSAMLProvider iam.ListSAMLProviderTags iam.CreateOpenIDConnectProvider iam.GetOpenIDConnectProvider iam.AddClientIDToOpenIDConnectProvider iam.RemoveClientIDFromOpenIDConnectProvider iam.UpdateOpenIDConnectProviderThumbprint iam.DeleteOpenIDConnectProvider iam.ListOpenIDConnectProviders iam.TagOpenIDConnectProvider iam.UntagOpenIDConnectProvider iam.ListOpenIDConnectProviderTags
import { describe, test, expect } from 'vitest';
import {
  IAMClient, CreateSAMLProviderCommand, GetSAMLProviderCommand, UpdateSAMLProviderCommand, DeleteSAMLProviderCommand, ListSAMLProvidersCommand,
  TagSAMLProviderCommand, UntagSAMLProviderCommand, ListSAMLProviderTagsCommand, CreateOpenIDConnectProviderCommand, GetOpenIDConnectProviderCommand,
  AddClientIDToOpenIDConnectProviderCommand, RemoveClientIDFromOpenIDConnectProviderCommand, UpdateOpenIDConnectProviderThumbprintCommand,
  DeleteOpenIDConnectProviderCommand, ListOpenIDConnectProvidersCommand, TagOpenIDConnectProviderCommand, UntagOpenIDConnectProviderCommand,
  ListOpenIDConnectProviderTagsCommand,
} from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';
import { generateSigningKey } from '../../../src/services/sns/domain/signing.js';
import { idpMetadata } from '../sts/saml-fixtures.js';

const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true });
const iam = () => new IAMClient(clientConfig(ctx.g));

describe('SAML providers', () => {
  test('create, get, update, tags, list, delete', async () => {
    const key = generateSigningKey(ctx.g.clock.now().getTime());
    const doc = idpMetadata(key.certificatePem, 'https://idp.example.com/saml', '2099-01-01T00:00:00Z');
    const created = await iam().send(new CreateSAMLProviderCommand({ Name: 'Okta', SAMLMetadataDocument: doc, Tags: [{ Key: 'team', Value: 'id' }] }));
    const arn = `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`;
    expect(created).toMatchObject({ SAMLProviderArn: arn, Tags: [{ Key: 'team', Value: 'id' }] });
    const got = await iam().send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }));
    expect(got.SAMLMetadataDocument).toBe(doc);
    expect(got.ValidUntil).toEqual(new Date('2099-01-01T00:00:00Z'));
    expect(got.SAMLProviderUUID).toMatch(/^[0-9a-f-]{36}$/);
    const dup = await failure(iam().send(new CreateSAMLProviderCommand({ Name: 'Okta', SAMLMetadataDocument: doc })));
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409 });
    const junk = await failure(iam().send(new CreateSAMLProviderCommand({ Name: 'Bad', SAMLMetadataDocument: `<x>${'y'.repeat(1000)}</x>` })));
    expect(junk).toMatchObject({ name: 'InvalidInputException', status: 400, message: 'Could not parse metadata' });

    const doc2 = idpMetadata(generateSigningKey(ctx.g.clock.now().getTime()).certificatePem, 'https://idp.example.com/saml');
    expect((await iam().send(new UpdateSAMLProviderCommand({ SAMLProviderArn: arn, SAMLMetadataDocument: doc2 }))).SAMLProviderArn).toBe(arn);
    expect((await iam().send(new GetSAMLProviderCommand({ SAMLProviderArn: arn }))).SAMLMetadataDocument).toBe(doc2);
    await iam().send(new TagSAMLProviderCommand({ SAMLProviderArn: arn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await iam().send(new UntagSAMLProviderCommand({ SAMLProviderArn: arn, TagKeys: ['team'] }));
    expect((await iam().send(new ListSAMLProviderTagsCommand({ SAMLProviderArn: arn }))).Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
    const list = await iam().send(new ListSAMLProvidersCommand({}));
    expect(list.SAMLProviderList?.map((p) => p.Arn)).toEqual([arn]);
    await iam().send(new DeleteSAMLProviderCommand({ SAMLProviderArn: arn }));
    const gone = await failure(iam().send(new GetSAMLProviderCommand({ SAMLProviderArn: arn })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: `Manifest not found for arn ${arn}` });
  });
});

describe('OpenID Connect providers', () => {
  const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`;

  test('create (https only, thumbprints are 40 hex characters), get, client ids, thumbprints, tags, delete', async () => {
    const out = await iam().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], ThumbprintList: ['6938FD4D98BAB03FAADB97B34396831E3780AEA1'], Tags: [{ Key: 'ci', Value: 'gh' }] }));
    expect(out.OpenIDConnectProviderArn).toBe(arn);
    const dup = await failure(iam().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com/' })));
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'Provider with url https://token.actions.githubusercontent.com already exists.' });
    expect((await failure(iam().send(new CreateOpenIDConnectProviderCommand({ Url: 'http://insecure.example.com' })))).name).toBe('InvalidInputException');
    expect((await failure(iam().send(new CreateOpenIDConnectProviderCommand({ Url: 'https://x.example.com', ThumbprintList: ['Z'.repeat(40)] })))).name).toBe('InvalidInputException');

    await iam().send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'my-app' }));
    await iam().send(new RemoveClientIDFromOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, ClientID: 'sts.amazonaws.com' }));
    await iam().send(new UpdateOpenIDConnectProviderThumbprintCommand({ OpenIDConnectProviderArn: arn, ThumbprintList: ['1c58a3a8518e8759bf075b76b750d4f2df264fcd'] }));
    const got = await iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    expect(got).toMatchObject({ Url: 'token.actions.githubusercontent.com', ClientIDList: ['my-app'], ThumbprintList: ['1c58a3a8518e8759bf075b76b750d4f2df264fcd'], Tags: [{ Key: 'ci', Value: 'gh' }] });
    await iam().send(new TagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, Tags: [{ Key: 'x', Value: 'y' }] }));
    await iam().send(new UntagOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn, TagKeys: ['ci'] }));
    expect((await iam().send(new ListOpenIDConnectProviderTagsCommand({ OpenIDConnectProviderArn: arn }))).Tags).toEqual([{ Key: 'x', Value: 'y' }]);
    expect((await iam().send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: arn }]);
    await iam().send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }));
    await iam().send(new DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })); // idempotent, as AWS documents
    const gone = await failure(iam().send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  test.skipIf(!HAS_AWS_CLI)('AWS CLI: create-open-id-connect-provider and list', async () => {
    const r = await awsCli(ctx.g, ['iam', 'create-open-id-connect-provider', '--url', 'https://oidc.eks.us-east-1.amazonaws.com/id/ABC', '--client-id-list', 'sts.amazonaws.com']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ OpenIDConnectProviderArn: `arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC` });
    const l = await awsCli(ctx.g, ['iam', 'list-open-id-connect-providers']);
    expect((l.json as { OpenIDConnectProviderList: { Arn: string }[] }).OpenIDConnectProviderList.map((p) => p.Arn)).toContain(`arn:aws:iam::${ACCOUNT}:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC`);
  });
});
