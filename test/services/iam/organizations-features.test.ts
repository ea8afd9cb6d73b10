// covers: iam.EnableOrganizationsRootCredentialsManagement iam.DisableOrganizationsRootCredentialsManagement iam.EnableOrganizationsRootSessions iam.DisableOrganizationsRootSessions iam.ListOrganizationsFeatures iam.GenerateOrganizationsAccessReport iam.GetOrganizationsAccessReport iam.CreateUser iam.CreateAccessKey iam.PutUserPolicy organizations.CreateOrganization organizations.InviteAccountToOrganization organizations.AcceptHandshake organizations.EnableAWSServiceAccess organizations.RegisterDelegatedAdministrator organizations.ListRoots organizations.EnablePolicyType organizations.CreatePolicy organizations.AttachPolicy organizations.CreateOrganizationalUnit organizations.MoveAccount sqs.ListQueues sns.ListTopics
/**
 * IAM's organization features on Organizations' state: centralized root access (the
 * preconditions in AWS's order, management account vs delegated administrator) and the
 * Organizations access report (services allowed by the SCPs on an entity's path, last access by
 * the principals of the accounts under it, a job on the virtual clock).
 */
import { describe, test, expect, beforeAll } from 'vitest';
import * as O from '@aws-sdk/client-organizations';
import {
  IAMClient, EnableOrganizationsRootCredentialsManagementCommand, DisableOrganizationsRootCredentialsManagementCommand, EnableOrganizationsRootSessionsCommand,
  DisableOrganizationsRootSessionsCommand, ListOrganizationsFeaturesCommand, GenerateOrganizationsAccessReportCommand, GetOrganizationsAccessReportCommand,
  CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand, type AccessDetail, type SortKeyType,
} from '@aws-sdk/client-iam';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { SNSClient, ListTopicsCommand } from '@aws-sdk/client-sns';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
type Creds = { accessKeyId: string; secretAccessKey: string };
const root = (account: string): Creds => ({ accessKeyId: account, secretAccessKey: 'x' });
const org = (account: string) => new O.OrganizationsClient(clientConfig(ctx.g, { credentials: root(account) }));
const iam = (c: Creds) => new IAMClient(clientConfig(ctx.g, { credentials: c }));
const MGMT = '400000000001';
const B = '400000000002';
const C = '400000000003';

let orgId: string;
let rootId: string;

beforeAll(async () => {
  orgId = (await org(MGMT).send(new O.CreateOrganizationCommand({ FeatureSet: 'ALL' }))).Organization!.Id!;
  rootId = (await org(MGMT).send(new O.ListRootsCommand({}))).Roots![0]!.Id!;
  for (const id of [B, C]) {
    const h = (await org(MGMT).send(new O.InviteAccountToOrganizationCommand({ Target: { Id: id, Type: 'ACCOUNT' } }))).Handshake!;
    await org(id).send(new O.AcceptHandshakeCommand({ HandshakeId: h.Id }));
  }
});

describe('centralized root access', () => {
  test('outside an organization; without trusted access for IAM; from a member account', async () => {
    expect(await failure(iam(root('499999999999')).send(new ListOrganizationsFeaturesCommand({})))).toMatchObject({ name: 'OrganizationNotFoundException', status: 400 });
    expect(await failure(iam(root(MGMT)).send(new ListOrganizationsFeaturesCommand({})))).toMatchObject({ name: 'ServiceAccessNotEnabledException', status: 400 });
    await org(MGMT).send(new O.EnableAWSServiceAccessCommand({ ServicePrincipal: 'iam.amazonaws.com' }));
    expect(await failure(iam(root(B)).send(new ListOrganizationsFeaturesCommand({})))).toMatchObject({ name: 'AccountNotManagementOrDelegatedAdministratorException' });
    expect(await failure(iam(root(B)).send(new EnableOrganizationsRootSessionsCommand({})))).toMatchObject({ name: 'CallerIsNotManagementAccountException' });
  });

  test('enable and disable each feature; the delegated administrator for IAM may list them', async () => {
    expect(await iam(root(MGMT)).send(new ListOrganizationsFeaturesCommand({}))).toMatchObject({ OrganizationId: orgId, EnabledFeatures: [] });
    const a = await iam(root(MGMT)).send(new EnableOrganizationsRootSessionsCommand({}));
    expect(a).toMatchObject({ OrganizationId: orgId, EnabledFeatures: ['RootSessions'] });
    const b = await iam(root(MGMT)).send(new EnableOrganizationsRootCredentialsManagementCommand({}));
    expect(b.EnabledFeatures).toEqual(['RootCredentialsManagement', 'RootSessions']);
    await org(MGMT).send(new O.RegisterDelegatedAdministratorCommand({ AccountId: B, ServicePrincipal: 'iam.amazonaws.com' }));
    expect((await iam(root(B)).send(new ListOrganizationsFeaturesCommand({}))).EnabledFeatures).toEqual(['RootCredentialsManagement', 'RootSessions']);
    const c = await iam(root(MGMT)).send(new DisableOrganizationsRootCredentialsManagementCommand({}));
    expect(c.EnabledFeatures).toEqual(['RootSessions']);
    const d = await iam(root(MGMT)).send(new DisableOrganizationsRootSessionsCommand({}));
    expect(d.EnabledFeatures).toEqual([]);
  });
});

describe('Organizations access report', () => {
  let denySqs: string;
  let ouId: string;

  beforeAll(async () => {
    // principals in B and C call services; C sits in an OU whose SCP denies SQS
    for (const [account, name] of [[B, 'b-dev'], [C, 'c-dev']] as const) {
      await iam(root(account)).send(new CreateUserCommand({ UserName: name }));
      await iam(root(account)).send(new PutUserPolicyCommand({ UserName: name, PolicyName: 'all', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) }));
      const k = (await iam(root(account)).send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
      const creds = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
      await new SQSClient(clientConfig(ctx.g, { credentials: creds })).send(new ListQueuesCommand({}));
      if (account === C) {
        ctx.g.clock.advance('2m');
        await new SNSClient(clientConfig(ctx.g, { credentials: creds, region: 'eu-west-1' })).send(new ListTopicsCommand({}));
      }
    }
    await org(MGMT).send(new O.EnablePolicyTypeCommand({ RootId: rootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    denySqs = (await org(MGMT).send(new O.CreatePolicyCommand({
      Name: 'deny-sqs', Description: '', Type: 'SERVICE_CONTROL_POLICY',
      Content: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Effect: 'Deny', Action: 'sqs:*', Resource: '*' }] }),
    }))).Policy!.PolicySummary!.Id!;
    ouId = (await org(MGMT).send(new O.CreateOrganizationalUnitCommand({ ParentId: rootId, Name: 'restricted' }))).OrganizationalUnit!.Id!;
    await org(MGMT).send(new O.MoveAccountCommand({ AccountId: C, SourceParentId: rootId, DestinationParentId: ouId }));
    await org(MGMT).send(new O.AttachPolicyCommand({ PolicyId: denySqs, TargetId: ouId }));
  });

  const report = async (EntityPath: string, OrganizationsPolicyId?: string, SortKey?: SortKeyType) => {
    const { JobId } = await iam(root(MGMT)).send(new GenerateOrganizationsAccessReportCommand({ EntityPath, OrganizationsPolicyId }));
    const pending = await iam(root(MGMT)).send(new GetOrganizationsAccessReportCommand({ JobId: JobId! }));
    expect(pending.JobStatus).toBe('IN_PROGRESS');
    ctx.g.clock.advance('6s');
    return iam(root(MGMT)).send(new GetOrganizationsAccessReportCommand({ JobId: JobId!, SortKey }));
  };
  const detail = (r: { AccessDetails?: AccessDetail[] }, ns: string) => r.AccessDetails!.find((d) => d.ServiceNamespace === ns);

  test('the root: every service FullAWSAccess allows, with the last access in the accounts under it', async () => {
    const r = await report(`${orgId}/${rootId}/`);
    expect(r.JobStatus).toBe('COMPLETED');
    expect(r.NumberOfServicesAccessible).toBe(r.AccessDetails!.length);
    expect(r.NumberOfServicesNotAccessed).toBe(r.NumberOfServicesAccessible! - 2);
    expect(detail(r, 'sqs')).toMatchObject({ TotalAuthenticatedEntities: 2, Region: 'us-east-1', EntityPath: expect.stringMatching(new RegExp(`^${orgId}/${rootId}/`)) });
    expect(detail(r, 'sns')).toMatchObject({ TotalAuthenticatedEntities: 1, Region: 'eu-west-1', EntityPath: `${orgId}/${rootId}/${ouId}/${C}/` });
    expect(detail(r, 'dynamodb')).toMatchObject({ ServiceName: expect.any(String) });
    expect(detail(r, 'dynamodb')!.LastAuthenticatedTime).toBeUndefined();
    const names = r.AccessDetails!.map((d) => d.ServiceNamespace!);
    expect(names).toEqual([...names].sort());
    const byTime = await report(`${orgId}/${rootId}/`, undefined, 'LAST_AUTHENTICATED_TIME_DESCENDING');
    expect(byTime.AccessDetails!.slice(0, 2).map((d) => d.ServiceNamespace)).toEqual(['sns', 'sqs']);
  });

  test('an OU: the SCPs on its path decide the services; an SCP by id narrows to the accounts it applies to', async () => {
    const ou = await report(`${orgId}/${rootId}/${ouId}/`);
    expect(detail(ou, 'sqs')).toBeUndefined();
    expect(detail(ou, 'sns')).toMatchObject({ TotalAuthenticatedEntities: 1 });
    const byPolicy = await report(`${orgId}/${rootId}/`, denySqs);
    expect(detail(byPolicy, 'sqs')).toBeUndefined();
    expect(detail(byPolicy, 'sns')).toMatchObject({ TotalAuthenticatedEntities: 1, EntityPath: `${orgId}/${rootId}/${ouId}/${C}/` });
    const account = await report(`${orgId}/${rootId}/${B}/`);
    expect(detail(account, 'sqs')).toMatchObject({ TotalAuthenticatedEntities: 1, EntityPath: `${orgId}/${rootId}/${B}/` });
    expect(detail(account, 'sns')!.LastAuthenticatedTime).toBeUndefined();
  });

  test('paging, unknown paths, member callers', async () => {
    const { JobId } = await iam(root(MGMT)).send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `${orgId}/${rootId}/` }));
    ctx.g.clock.advance('6s');
    const first = await iam(root(MGMT)).send(new GetOrganizationsAccessReportCommand({ JobId: JobId!, MaxItems: 2 }));
    expect(first).toMatchObject({ IsTruncated: true });
    const second = await iam(root(MGMT)).send(new GetOrganizationsAccessReportCommand({ JobId: JobId!, MaxItems: 2, Marker: first.Marker }));
    expect(second.AccessDetails![0]!.ServiceNamespace! > first.AccessDetails![1]!.ServiceNamespace!).toBe(true);
    expect(await failure(iam(root(MGMT)).send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `${orgId}/${rootId}/ou-zzzz-zzzzzzzz/` })))).toMatchObject({ name: 'InvalidInputException' });
    expect(await failure(iam(root(B)).send(new GenerateOrganizationsAccessReportCommand({ EntityPath: `${orgId}/${rootId}/` })))).toMatchObject({ name: 'InvalidInputException' });
    expect(await failure(iam(root(MGMT)).send(new GetOrganizationsAccessReportCommand({ JobId: '00000000-0000-0000-0000-000000000000' })))).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });
});
