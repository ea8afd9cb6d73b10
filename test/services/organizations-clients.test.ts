// covers: organizations.CreateOrganization organizations.DescribeOrganization organizations.CreateOrganizationalUnit organizations.ListRoots organizations.CreateAccount organizations.DescribeCreateAccountStatus
import { describe, test, expect } from 'vitest';
import { useGureum, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('create-organization, describe-organization, create-organizational-unit', async () => {
    const created = await awsCli(ctx.g, ['organizations', 'create-organization', '--feature-set', 'ALL']);
    expect(created.status, created.stderr).toBe(0);
    const org = (created.json as { Organization: { Id: string; MasterAccountId: string } }).Organization;
    expect(org.Id).toMatch(/^o-[a-z0-9]{10}$/);
    const described = await awsCli(ctx.g, ['organizations', 'describe-organization']);
    expect((described.json as { Organization: { Id: string } }).Organization.Id).toBe(org.Id);
    const roots = await awsCli(ctx.g, ['organizations', 'list-roots']);
    const root = (roots.json as { Roots: { Id: string }[] }).Roots[0]!.Id;
    const ou = await awsCli(ctx.g, ['organizations', 'create-organizational-unit', '--parent-id', root, '--name', 'FromCli']);
    expect(ou.status, ou.stderr).toBe(0);
    expect((ou.json as { OrganizationalUnit: { Name: string } }).OrganizationalUnit.Name).toBe('FromCli');
    const again = await awsCli(ctx.g, ['organizations', 'create-organization']);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('AlreadyInOrganizationException');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('create_account in another management account, status after the clock moves', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('organizations', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='710000000001', aws_secret_access_key='x')
c.create_organization(FeatureSet='ALL')
s = c.create_account(Email='py@example.com', AccountName='py')['CreateAccountStatus']
print(json.dumps({'id': s['Id'], 'state': s['State']}))
`);
    expect(r.status, r.stderr).toBe(0);
    const { id, state } = r.json as { id: string; state: string };
    expect(state).toBe('IN_PROGRESS');
    ctx.g.clock.advance('1m');
    const r2 = await boto3(ctx.g, `
c = boto3.client('organizations', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='710000000001', aws_secret_access_key='x')
s = c.describe_create_account_status(CreateAccountRequestId='${id}')['CreateAccountStatus']
print(json.dumps({'state': s['State'], 'account': s.get('AccountId')}))
`);
    expect(r2.status, r2.stderr).toBe(0);
    expect(r2.json).toMatchObject({ state: 'SUCCEEDED', account: expect.stringMatching(/^\d{12}$/) });
  });
});
