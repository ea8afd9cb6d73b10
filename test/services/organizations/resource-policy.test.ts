// covers: organizations.PutResourcePolicy organizations.DescribeResourcePolicy organizations.DeleteResourcePolicy organizations.ListTagsForResource organizations.CreateOrganization
import { describe, test, expect, beforeAll } from 'vitest';
import * as O from '@aws-sdk/client-organizations';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const MGMT = '111111111111';
const ctx = useGureum({ freezeClock: true });
const org = (account = MGMT) => new O.OrganizationsClient(clientConfig(ctx.g, { credentials: { accessKeyId: account, secretAccessKey: 'x' } }));
const content = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'Read', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::222222222222:root' }, Action: ['organizations:Describe*', 'organizations:List*'], Resource: '*' }] });

beforeAll(async () => {
  await org().send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }));
});

describe('the organization\'s resource policy', () => {
  test('put (with tags), describe, replace, delete; not found afterwards', async () => {
    expect(await failure(org().send(new O.DescribeResourcePolicyCommand({})))).toMatchObject({ name: 'ResourcePolicyNotFoundException', status: 404 });
    const put = await org().send(new O.PutResourcePolicyCommand({ Content: content, Tags: [{ Key: 'team', Value: 'sec' }] }));
    const summary = put.ResourcePolicy!.ResourcePolicySummary!;
    expect(summary.Id).toMatch(/^rp-[0-9a-z]{8}$/);
    expect(summary.Arn).toMatch(new RegExp(`^arn:aws:organizations::${MGMT}:resourcepolicy/o-[0-9a-z]{10}/${summary.Id}$`));
    expect((await org().send(new O.DescribeResourcePolicyCommand({}))).ResourcePolicy).toEqual({ Content: content, ResourcePolicySummary: summary });
    expect((await org().send(new O.ListTagsForResourceCommand({ ResourceId: summary.Id }))).Tags).toEqual([{ Key: 'team', Value: 'sec' }]);
    const again = await org().send(new O.PutResourcePolicyCommand({ Content: content.replace('Read', 'ReadAll') }));
    expect(again.ResourcePolicy!.ResourcePolicySummary!.Id).toBe(summary.Id);
    await org().send(new O.DeleteResourcePolicyCommand({}));
    expect(await failure(org().send(new O.DeleteResourcePolicyCommand({})))).toMatchObject({ name: 'ResourcePolicyNotFoundException' });
  });

  test('malformed content; only the management account may put it; outside an organization', async () => {
    expect(await failure(org().send(new O.PutResourcePolicyCommand({ Content: '{"Statement":[{"Effect":"Allow","Action":"*"}]}' })))).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400 });
    expect(await failure(org('999999999999').send(new O.PutResourcePolicyCommand({ Content: content })))).toMatchObject({ name: 'AWSOrganizationsNotInUseException' });
  });
});
