// covers: iam.GenerateCredentialReport iam.GetCredentialReport iam.GetAccountAuthorizationDetails iam.GenerateServiceLastAccessedDetails iam.GetServiceLastAccessedDetails iam.GetServiceLastAccessedDetailsWithEntities iam.ListPoliciesGrantingServiceAccess iam.CreateUser iam.CreateGroup iam.AddUserToGroup iam.CreateAccessKey iam.CreateLoginProfile iam.PutUserPolicy iam.PutGroupPolicy iam.CreateRole iam.AttachRolePolicy iam.CreatePolicy iam.AttachUserPolicy sqs.ListQueues
import { describe, test, expect, beforeAll } from 'vitest';
import * as I from '@aws-sdk/client-iam';
import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true });
const iam = () => new I.IAMClient(clientConfig(ctx.g));
const policy = (...Statement: object[]) => JSON.stringify({ Version: '2012-10-17', Statement });
let keys: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  await iam().send(new I.CreateUserCommand({ UserName: 'zoe' }));
  await iam().send(new I.CreateUserCommand({ UserName: 'adam' }));
  await iam().send(new I.CreateLoginProfileCommand({ UserName: 'zoe', Password: 'Passw0rd!long' }));
  const k = (await iam().send(new I.CreateAccessKeyCommand({ UserName: 'zoe' }))).AccessKey!;
  keys = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
  await iam().send(new I.CreateGroupCommand({ GroupName: 'devs' }));
  await iam().send(new I.AddUserToGroupCommand({ GroupName: 'devs', UserName: 'zoe' }));
  await iam().send(new I.PutGroupPolicyCommand({ GroupName: 'devs', PolicyName: 'queues', PolicyDocument: policy({ Effect: 'Allow', Action: 'sqs:*', Resource: '*' }) }));
  await iam().send(new I.PutUserPolicyCommand({ UserName: 'zoe', PolicyName: 'buckets', PolicyDocument: policy({ Effect: 'Allow', Action: ['s3:Get*', 'dynamodb:Query'], Resource: '*' }) }));
  await iam().send(new I.CreateRoleCommand({ RoleName: 'app', AssumeRolePolicyDocument: policy({ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }) }));
  await iam().send(new I.AttachRolePolicyCommand({ RoleName: 'app', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }));
});

describe('credential report', () => {
  test('not present → STARTED → not ready → COMPLETE on the clock; CSV with AWS\'s columns', async () => {
    expect(await failure(iam().send(new I.GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportNotPresentException', status: 410 });
    // zoe uses her key once so the report shows it
    await new SQSClient(clientConfig(ctx.g, { credentials: keys })).send(new ListQueuesCommand({}));
    const started = await iam().send(new I.GenerateCredentialReportCommand({}));
    expect(started).toMatchObject({ State: 'STARTED', Description: 'No report exists. Starting a new report generation task' });
    expect((await iam().send(new I.GenerateCredentialReportCommand({}))).State).toBe('INPROGRESS');
    expect(await failure(iam().send(new I.GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportNotReadyException', status: 404 });
    ctx.g.clock.advance('10s');
    expect((await iam().send(new I.GenerateCredentialReportCommand({}))).State).toBe('COMPLETE');
    const r = await iam().send(new I.GetCredentialReportCommand({}));
    expect(r.ReportFormat).toBe('text/csv');
    const lines = Buffer.from(r.Content!).toString('utf8').split('\n');
    expect(lines[0]).toBe('user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated');
    expect(lines[1]!.split(',').slice(0, 4)).toEqual(['<root_account>', `arn:aws:iam::${ACCOUNT}:root`, expect.stringMatching(/\+00:00$/), 'not_supported']);
    const zoe = lines.find((l) => l.startsWith('zoe,'))!.split(',');
    expect(zoe.slice(3, 13)).toEqual(['true', 'no_information', expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/), 'N/A', 'false', 'true', expect.any(String), expect.any(String), 'us-east-1', 'sqs']);
    const adam = lines.find((l) => l.startsWith('adam,'))!.split(',');
    expect(adam.slice(3, 9)).toEqual(['false', 'N/A', 'N/A', 'N/A', 'false', 'false']);
    ctx.g.clock.advance('5h');
    expect(await failure(iam().send(new I.GetCredentialReportCommand({})))).toMatchObject({ name: 'CredentialReportExpiredException', status: 410 });
  });
});

describe('GetAccountAuthorizationDetails', () => {
  test('users (groups, inline policies), groups, roles, and the AWS managed policies in use, by filter', async () => {
    const all = await iam().send(new I.GetAccountAuthorizationDetailsCommand({}));
    const zoe = all.UserDetailList!.find((u) => u.UserName === 'zoe')!;
    expect(zoe.GroupList).toEqual(['devs']);
    expect(zoe.UserPolicyList!.map((p) => [p.PolicyName, JSON.parse(decodeURIComponent(p.PolicyDocument!)).Statement[0].Action])).toEqual([['buckets', ['s3:Get*', 'dynamodb:Query']]]);
    expect(all.GroupDetailList!.map((g) => [g.GroupName, g.GroupPolicyList!.map((p) => p.PolicyName)])).toEqual([['devs', ['queues']]]);
    const role = all.RoleDetailList!.find((r) => r.RoleName === 'app')!;
    expect(role.AttachedManagedPolicies).toEqual([{ PolicyName: 'ReadOnlyAccess', PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' }]);
    expect(all.Policies!.map((p) => p.Arn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    expect(all.Policies![0]!.PolicyVersionList!.filter((v) => v.IsDefaultVersion)).toHaveLength(1);
    const rolesOnly = await iam().send(new I.GetAccountAuthorizationDetailsCommand({ Filter: ['Role'] }));
    expect([rolesOnly.UserDetailList, rolesOnly.GroupDetailList, rolesOnly.Policies]).toEqual([[], [], []]);
    const paged = await iam().send(new I.GetAccountAuthorizationDetailsCommand({ MaxItems: 1 }));
    expect(paged.IsTruncated).toBe(true);
    expect(paged.UserDetailList!.map((u) => u.UserName)).toEqual(['adam']);
    const next = await iam().send(new I.GetAccountAuthorizationDetailsCommand({ MaxItems: 1, Marker: paged.Marker }));
    expect(next.UserDetailList!.map((u) => u.UserName)).toEqual(['zoe']);
  });
});

describe('access advisor', () => {
  test('GenerateServiceLastAccessedDetails: the services the user\'s policies allow, with the last request gureum saw', async () => {
    const arn = `arn:aws:iam::${ACCOUNT}:user/zoe`;
    const { JobId } = await iam().send(new I.GenerateServiceLastAccessedDetailsCommand({ Arn: arn, Granularity: 'ACTION_LEVEL' }));
    const pending = await iam().send(new I.GetServiceLastAccessedDetailsCommand({ JobId }));
    expect(pending).toMatchObject({ JobStatus: 'IN_PROGRESS', ServicesLastAccessed: [] });
    ctx.g.clock.advance('10s');
    const done = await iam().send(new I.GetServiceLastAccessedDetailsCommand({ JobId }));
    expect(done.JobStatus).toBe('COMPLETED');
    expect(done.ServicesLastAccessed!.map((s) => s.ServiceNamespace)).toEqual(['dynamodb', 's3', 'sqs']);
    const sqs = done.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 'sqs')!;
    expect(sqs).toMatchObject({ LastAuthenticatedEntity: arn, LastAuthenticatedRegion: 'us-east-1', TotalAuthenticatedEntities: 1 });
    expect(sqs.TrackedActionsLastAccessed).toEqual([expect.objectContaining({ ActionName: 'ListQueues', LastAccessedEntity: arn })]);
    expect(done.ServicesLastAccessed!.find((s) => s.ServiceNamespace === 's3')!.LastAuthenticated).toBeUndefined();
    // for the group: its members
    const g = await iam().send(new I.GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${ACCOUNT}:group/devs` }));
    ctx.g.clock.advance('10s');
    const ents = await iam().send(new I.GetServiceLastAccessedDetailsWithEntitiesCommand({ JobId: g.JobId, ServiceNamespace: 'sqs' }));
    expect(ents.EntityDetailsList!.map((e) => [e.EntityInfo!.Name, e.EntityInfo!.Type])).toEqual([['zoe', 'USER']]);
    expect(await failure(iam().send(new I.GenerateServiceLastAccessedDetailsCommand({ Arn: `arn:aws:iam::${ACCOUNT}:user/nobody` })))).toMatchObject({ name: 'NoSuchEntityException' });
  });

  test('ListPoliciesGrantingServiceAccess: inline policies of the user and of its groups', async () => {
    const out = await iam().send(new I.ListPoliciesGrantingServiceAccessCommand({ Arn: `arn:aws:iam::${ACCOUNT}:user/zoe`, ServiceNamespaces: ['sqs', 's3', 'ec2'] }));
    expect(out.PoliciesGrantingServiceAccess).toEqual([
      { ServiceNamespace: 'sqs', Policies: [{ PolicyName: 'queues', PolicyType: 'INLINE', EntityType: 'GROUP', EntityName: 'devs' }] },
      { ServiceNamespace: 's3', Policies: [{ PolicyName: 'buckets', PolicyType: 'INLINE', EntityType: 'USER', EntityName: 'zoe' }] },
      { ServiceNamespace: 'ec2', Policies: [] },
    ]);
  });

  test.skipIf(!HAS_AWS_CLI)('AWS CLI: get-account-authorization-details --filter User', async () => {
    const r = await awsCli(ctx.g, ['iam', 'get-account-authorization-details', '--filter', 'User']);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as { UserDetailList: { UserName: string; UserPolicyList: { PolicyDocument: unknown }[] }[] };
    expect(out.UserDetailList.map((u) => u.UserName)).toEqual(['adam', 'zoe']);
    // the CLI decodes the URL-encoded documents into JSON
    expect(out.UserDetailList[1]!.UserPolicyList[0]!.PolicyDocument).toMatchObject({ Version: '2012-10-17' });
  });
});
