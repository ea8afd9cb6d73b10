// covers: ec2.CreateLaunchTemplate ec2.CreateLaunchTemplateVersion ec2.ModifyLaunchTemplate ec2.DeleteLaunchTemplate ec2.DescribeLaunchTemplates ec2.DescribeLaunchTemplateVersions ec2.DeleteLaunchTemplateVersions ec2.RunInstances ec2.DescribeInstances
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = () => new E.EC2Client(clientConfig(ctx.g, { region: 'us-east-2' }));

describe('launch templates', () => {
  test('versions, default and latest, source versions, deletion rules', async () => {
    const e = ec2();
    expect((await failure(e.send(new E.CreateLaunchTemplateCommand({ LaunchTemplateName: 'x!', LaunchTemplateData: { InstanceType: 't3.micro' } })))).name).toBe('InvalidLaunchTemplateName.MalformedException');
    const created = await e.send(new E.CreateLaunchTemplateCommand({
      LaunchTemplateName: 'web', VersionDescription: 'first',
      LaunchTemplateData: { ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'role', Value: 'web' }] }] },
      TagSpecifications: [{ ResourceType: 'launch-template', Tags: [{ Key: 'team', Value: 'a' }] }],
    }));
    const lt = created.LaunchTemplate!;
    expect(lt.LaunchTemplateId).toMatch(/^lt-[0-9a-f]{17}$/);
    expect(lt).toMatchObject({ LaunchTemplateName: 'web', DefaultVersionNumber: 1, LatestVersionNumber: 1, CreatedBy: 'arn:aws:iam::000000000000:root', Tags: [{ Key: 'team', Value: 'a' }] });
    expect(created.Warning).toBeUndefined();
    expect(await failure(e.send(new E.CreateLaunchTemplateCommand({ LaunchTemplateName: 'web', LaunchTemplateData: { InstanceType: 't3.micro' } })))).toMatchObject({
      name: 'InvalidLaunchTemplateName.AlreadyExistsException', message: 'Launch template name already in use.',
    });
    // unknown AMI: accepted with a warning
    const warned = await e.send(new E.CreateLaunchTemplateCommand({ LaunchTemplateName: 'odd', LaunchTemplateData: { ImageId: 'ami-0000000000000dead' } }));
    expect(warned.Warning!.Errors![0]!.Code).toBe('InvalidAmiID.NotFound');

    const v2 = (await e.send(new E.CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'web', SourceVersion: '1', VersionDescription: 'bigger', LaunchTemplateData: { InstanceType: 't3.large' } }))).LaunchTemplateVersion!;
    expect(v2).toMatchObject({ VersionNumber: 2, DefaultVersion: false, LaunchTemplateData: { ImageId: 'ami-760aaa0f', InstanceType: 't3.large' } });
    const v3 = (await e.send(new E.CreateLaunchTemplateVersionCommand({ LaunchTemplateId: lt.LaunchTemplateId, LaunchTemplateData: { InstanceType: 'c5.large' } }))).LaunchTemplateVersion!;
    expect(v3.LaunchTemplateData).toEqual({ InstanceType: 'c5.large' });

    const versions = async (v?: string[]) =>
      (await e.send(new E.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, Versions: v }))).LaunchTemplateVersions!.map((x) => x.VersionNumber);
    expect(await versions()).toEqual([3, 2, 1]);
    expect(await versions(['$Latest', '$Default'])).toEqual([3, 1]);
    expect(await failure(e.send(new E.DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: lt.LaunchTemplateId, Versions: ['9'] })))).toMatchObject({
      name: 'InvalidLaunchTemplateId.VersionNotFound',
      message: `The specified launch template version, with template ID ${lt.LaunchTemplateId} and version 9, does not exist.`,
    });

    const mod = (await e.send(new E.ModifyLaunchTemplateCommand({ LaunchTemplateName: 'web', DefaultVersion: '2' }))).LaunchTemplate!;
    expect(mod).toMatchObject({ DefaultVersionNumber: 2, LatestVersionNumber: 3 });
    const del = await e.send(new E.DeleteLaunchTemplateVersionsCommand({ LaunchTemplateName: 'web', Versions: ['2', '3', '7'] }));
    expect(del.SuccessfullyDeletedLaunchTemplateVersions!.map((x) => x.VersionNumber)).toEqual([3]);
    expect(del.UnsuccessfullyDeletedLaunchTemplateVersions!.map((x) => [x.VersionNumber, x.ResponseError!.Code])).toEqual([[2, 'unexpectedError'], [7, 'launchTemplateVersionDoesNotExist']]);

    const listed = (await e.send(new E.DescribeLaunchTemplatesCommand({ Filters: [{ Name: 'tag:team', Values: ['a'] }] }))).LaunchTemplates!;
    expect(listed.map((x) => [x.LaunchTemplateName, x.DefaultVersionNumber, x.LatestVersionNumber])).toEqual([['web', 2, 3]]);
    expect(await failure(e.send(new E.DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ['nope'] })))).toMatchObject({
      name: 'InvalidLaunchTemplateName.NotFoundException', message: 'The specified launch template, with template name nope, does not exist.',
    });
    await e.send(new E.DeleteLaunchTemplateCommand({ LaunchTemplateName: 'odd' }));
    expect((await failure(e.send(new E.DeleteLaunchTemplateCommand({ LaunchTemplateId: warned.LaunchTemplate!.LaunchTemplateId })))).name).toBe('InvalidLaunchTemplateId.NotFound');
  });

  test('RunInstances with a launch template: version data, request overrides, template tags', async () => {
    const e = ec2();
    const lt = (await e.send(new E.CreateLaunchTemplateCommand({
      LaunchTemplateName: 'app',
      LaunchTemplateData: { ImageId: 'ami-760aaa0f', InstanceType: 't3.small', DisableApiTermination: true, TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'tier', Value: 'app' }] }] },
    }))).LaunchTemplate!;
    await e.send(new E.CreateLaunchTemplateVersionCommand({ LaunchTemplateName: 'app', SourceVersion: '1', LaunchTemplateData: { InstanceType: 't3.medium' } }));

    const byDefault = (await e.send(new E.RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'app' } }))).Instances![0]!;
    expect(byDefault).toMatchObject({ ImageId: 'ami-760aaa0f', InstanceType: 't3.small' });
    const tags = Object.fromEntries(byDefault.Tags!.map((t) => [t.Key, t.Value]));
    expect(tags).toEqual({ tier: 'app', 'aws:ec2launchtemplate:id': lt.LaunchTemplateId, 'aws:ec2launchtemplate:version': '1' });
    expect((await failure(e.send(new E.TerminateInstancesCommand({ InstanceIds: [byDefault.InstanceId!] })))).name).toBe('OperationNotPermitted');

    const latest = (await e.send(new E.RunInstancesCommand({
      MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateId: lt.LaunchTemplateId, Version: '$Latest' }, DisableApiTermination: false,
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'tier', Value: 'batch' }] }],
    }))).Instances![0]!;
    expect(latest.InstanceType).toBe('t3.medium');
    expect(latest.Tags!.find((t) => t.Key === 'tier')!.Value).toBe('batch');
    expect(latest.Tags!.find((t) => t.Key === 'aws:ec2launchtemplate:version')!.Value).toBe('2');
    await e.send(new E.TerminateInstancesCommand({ InstanceIds: [latest.InstanceId!] }));
    const overridden = (await e.send(new E.RunInstancesCommand({ MinCount: 1, MaxCount: 1, InstanceType: 'm5.large', LaunchTemplate: { LaunchTemplateName: 'app', Version: '2' } }))).Instances![0]!;
    expect(overridden.InstanceType).toBe('m5.large');
    expect((await failure(e.send(new E.RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'app', Version: '5' } })))).name).toBe('InvalidLaunchTemplateId.VersionNotFound');
    expect((await failure(e.send(new E.RunInstancesCommand({ MinCount: 1, MaxCount: 1, LaunchTemplate: { LaunchTemplateName: 'ghost' } })))).name).toBe('InvalidLaunchTemplateName.NotFoundException');
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3: template versions', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('ec2', endpoint_url=ENDPOINT, region_name='eu-west-1')
lt = c.create_launch_template(LaunchTemplateName='py-web', LaunchTemplateData={'InstanceType': 't3.nano'})['LaunchTemplate']
c.create_launch_template_version(LaunchTemplateId=lt['LaunchTemplateId'], LaunchTemplateData={'InstanceType': 't3.micro'})
vs = c.describe_launch_template_versions(LaunchTemplateId=lt['LaunchTemplateId'])['LaunchTemplateVersions']
print(json.dumps([[v['VersionNumber'], v['DefaultVersion'], v['LaunchTemplateData']['InstanceType']] for v in vs]))`);
    expect(r.json, r.stderr).toEqual([[2, false, 't3.micro'], [1, true, 't3.nano']]);
  });
});
