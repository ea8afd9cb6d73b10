// covers: iam.CreateServiceLinkedRole iam.DeleteServiceLinkedRole iam.GetServiceLinkedRoleDeletionStatus iam.GetRole iam.ListAttachedRolePolicies iam.AttachRolePolicy iam.PutRolePolicy iam.UpdateAssumeRolePolicy iam.DeleteRole iam.UpdateRoleDescription iam.CreateRole
/**
 * Service-linked roles: AWS's role names and paths, the AWS managed policy attached, custom
 * suffixes, protection against changes, and deletion as a task on the virtual clock.
 */
import { describe, test, expect } from 'vitest';
import {
  IAMClient, CreateServiceLinkedRoleCommand, DeleteServiceLinkedRoleCommand, GetServiceLinkedRoleDeletionStatusCommand, GetRoleCommand,
  ListAttachedRolePoliciesCommand, AttachRolePolicyCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand, DeleteRoleCommand,
  UpdateRoleDescriptionCommand, CreateRoleCommand,
} from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';
import { knownLinkedRoles, LINKED_ROLE_POLICY_PREFIX } from '../../../src/services/iam/domain/service-linked-roles.js';
import { awsManagedPolicies } from '../../../src/services/iam/domain/model.js';

const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true });
const iam = () => new IAMClient(clientConfig(ctx.g));

describe('service-linked roles', () => {
  test('every documented role names an AWS managed policy that exists', () => {
    const managed = awsManagedPolicies();
    for (const [service, spec] of knownLinkedRoles()) {
      expect(spec.name, service).toMatch(/^AWSServiceRoleFor/);
      if (spec.policy) expect(managed.has(LINKED_ROLE_POLICY_PREFIX + spec.policy), `${service} → ${spec.policy}`).toBe(true);
    }
  });

  test('CreateServiceLinkedRole: name, path, trust policy and the managed policy AWS attaches', async () => {
    const role = (await iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticloadbalancing.amazonaws.com', Description: 'ELB' }))).Role!;
    expect(role).toMatchObject({
      RoleName: 'AWSServiceRoleForElasticLoadBalancing',
      Path: '/aws-service-role/elasticloadbalancing.amazonaws.com/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`,
      Description: 'ELB',
      MaxSessionDuration: 3600,
    });
    expect(role.RoleId).toMatch(/^AROA/);
    expect(JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument!))).toEqual({
      Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: ['elasticloadbalancing.amazonaws.com'] }, Action: ['sts:AssumeRole'] }],
    });
    const attached = await iam().send(new ListAttachedRolePoliciesCommand({ RoleName: role.RoleName }));
    expect(attached.AttachedPolicies).toEqual([{ PolicyName: 'AWSElasticLoadBalancingServiceRolePolicy', PolicyArn: 'arn:aws:iam::aws:policy/aws-service-role/AWSElasticLoadBalancingServiceRolePolicy' }]);
    const again = await failure(iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'elasticloadbalancing.amazonaws.com' })));
    expect(again).toMatchObject({ name: 'InvalidInputException', status: 400, message: 'Service role name AWSServiceRoleForElasticLoadBalancing has been taken in this account, please try a different suffix.' });
  });

  test('CustomSuffix where the service takes one; refused where it does not', async () => {
    const a = (await iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'web' }))).Role!;
    expect(a.RoleName).toBe('AWSServiceRoleForAutoScaling_web');
    const refused = await failure(iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'es.amazonaws.com', CustomSuffix: 'two' })));
    expect(refused).toMatchObject({ name: 'InvalidInputException', message: 'Custom suffix is not allowed for es.amazonaws.com' });
    const bad = await failure(iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'bad name' })));
    expect(bad).toMatchObject({ name: 'ValidationError', status: 400 });
  });

  test('only the service may change or delete it; its description may be edited', async () => {
    const RoleName = 'AWSServiceRoleForElasticLoadBalancing';
    const message = `Cannot perform the operation on the protected role '${RoleName}' - this role is only modifiable by AWS`;
    for (const p of [
      iam().send(new AttachRolePolicyCommand({ RoleName, PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })),
      iam().send(new PutRolePolicyCommand({ RoleName, PolicyName: 'x', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] }) })),
      iam().send(new UpdateAssumeRolePolicyCommand({ RoleName, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] }) })),
      iam().send(new DeleteRoleCommand({ RoleName })),
    ]) expect(await failure(p)).toMatchObject({ name: 'UnmodifiableEntityException', status: 400, message });
    await iam().send(new UpdateRoleDescriptionCommand({ RoleName, Description: 'load balancers' }));
    expect((await iam().send(new GetRoleCommand({ RoleName }))).Role!.Description).toBe('load balancers');
  });

  test('DeleteServiceLinkedRole: a task NOT_STARTED → IN_PROGRESS → SUCCEEDED on the clock, then the role is gone', async () => {
    const RoleName = 'AWSServiceRoleForAutoScaling_web';
    const { DeletionTaskId } = await iam().send(new DeleteServiceLinkedRoleCommand({ RoleName }));
    expect(DeletionTaskId).toMatch(/^task\/aws-service-role\/autoscaling\.amazonaws\.com\/AWSServiceRoleForAutoScaling_web\/[0-9a-f-]{36}$/);
    const status = async () => (await iam().send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId }))).Status;
    expect(await status()).toBe('NOT_STARTED');
    // asking again while it runs answers the same task
    expect((await iam().send(new DeleteServiceLinkedRoleCommand({ RoleName }))).DeletionTaskId).toBe(DeletionTaskId);
    ctx.g.clock.advance('2s');
    expect(await status()).toBe('IN_PROGRESS');
    expect((await iam().send(new GetRoleCommand({ RoleName }))).Role!.RoleName).toBe(RoleName);
    ctx.g.clock.advance('5s');
    expect(await status()).toBe('SUCCEEDED');
    expect(await failure(iam().send(new GetRoleCommand({ RoleName })))).toMatchObject({ name: 'NoSuchEntityException' });
    // the role can be made again
    expect((await iam().send(new CreateServiceLinkedRoleCommand({ AWSServiceName: 'autoscaling.amazonaws.com', CustomSuffix: 'web' }))).Role!.RoleName).toBe(RoleName);
  });

  test('an ordinary role is not service-linked; unknown tasks are not found', async () => {
    await iam().send(new CreateRoleCommand({ RoleName: 'plain', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] }) }));
    expect(await failure(iam().send(new DeleteServiceLinkedRoleCommand({ RoleName: 'plain' })))).toMatchObject({ name: 'InvalidInputException' });
    const missing = await failure(iam().send(new GetServiceLinkedRoleDeletionStatusCommand({ DeletionTaskId: 'task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/00000000-0000-0000-0000-000000000000' })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3 creates one for an undocumented service principal', async () => {
    const r = await boto3(ctx.g, `
import json
iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='us-east-1')
role = iam.create_service_linked_role(AWSServiceName='example-svc.amazonaws.com')['Role']
print(json.dumps([role['RoleName'], role['Path']]))`);
    expect(r.json).toEqual(['AWSServiceRoleForExampleSvc', '/aws-service-role/example-svc.amazonaws.com/']);
  });
});
