// covers: secretsmanager.CreateSecret secretsmanager.ReplicateSecretToRegions secretsmanager.RemoveRegionsFromReplication secretsmanager.StopReplicationToReplica secretsmanager.DescribeSecret secretsmanager.GetSecretValue secretsmanager.PutSecretValue secretsmanager.TagResource secretsmanager.DeleteSecret secretsmanager.ListSecrets
import { describe, expect, test } from 'vitest';
import {
  CreateSecretCommand, DeleteSecretCommand, DescribeSecretCommand, GetSecretValueCommand, ListSecretsCommand, PutSecretValueCommand,
  RemoveRegionsFromReplicationCommand, ReplicateSecretToRegionsCommand, SecretsManagerClient, StopReplicationToReplicaCommand, TagResourceCommand,
} from '@aws-sdk/client-secrets-manager';
import { CreateKeyCommand, DisableKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { boto3, clientConfig, failure, HAS_PYTHON_BOTO3, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const sm = (region = 'us-east-1') => new SecretsManagerClient(clientConfig(ctx.g, { region }));
const kms = (region = 'us-east-1') => new KMSClient(clientConfig(ctx.g, { region }));

describe('replication to other Regions', () => {
  test('CreateSecret AddReplicaRegions: a read-only copy in the other Region that follows the primary', async () => {
    const c = await sm().send(new CreateSecretCommand({ Name: 'rep/db', SecretString: 'one', AddReplicaRegions: [{ Region: 'us-west-2' }] }));
    expect(c.ReplicationStatus).toEqual([{ Region: 'us-west-2', KmsKeyId: 'alias/aws/secretsmanager', Status: 'InSync' }]);
    const replicaArn = c.ARN!.replace(':us-east-1:', ':us-west-2:');
    for (const id of ['rep/db', replicaArn]) {
      expect(await sm('us-west-2').send(new GetSecretValueCommand({ SecretId: id }))).toMatchObject({ ARN: replicaArn, SecretString: 'one', VersionId: c.VersionId });
    }
    expect(await sm('us-west-2').send(new DescribeSecretCommand({ SecretId: 'rep/db' }))).toMatchObject({ ARN: replicaArn, PrimaryRegion: 'us-east-1' });
    const primary = await sm().send(new DescribeSecretCommand({ SecretId: 'rep/db' }));
    expect(primary.PrimaryRegion).toBe('us-east-1');
    expect(primary.ReplicationStatus).toEqual([expect.objectContaining({ Region: 'us-west-2', Status: 'InSync', LastAccessedDate: expect.any(Date) })]);

    // changes on the primary reach the replica
    const p = await sm().send(new PutSecretValueCommand({ SecretId: 'rep/db', SecretString: 'two' }));
    await sm().send(new TagResourceCommand({ SecretId: 'rep/db', Tags: [{ Key: 'team', Value: 'x' }] }));
    expect(await sm('us-west-2').send(new GetSecretValueCommand({ SecretId: 'rep/db' }))).toMatchObject({ SecretString: 'two', VersionId: p.VersionId });
    expect(await sm('us-west-2').send(new GetSecretValueCommand({ SecretId: 'rep/db', VersionStage: 'AWSPREVIOUS' }))).toMatchObject({ SecretString: 'one' });
    expect((await sm('us-west-2').send(new DescribeSecretCommand({ SecretId: 'rep/db' }))).Tags).toEqual([{ Key: 'team', Value: 'x' }]);
    expect((await sm('us-west-2').send(new ListSecretsCommand({ Filters: [{ Key: 'primary-region', Values: ['us-east-1'] }] }))).SecretList!.map((s) => s.Name)).toEqual(['rep/db']);

    // a replica only changes through its primary; a primary with replicas cannot be deleted
    expect(await failure(sm('us-west-2').send(new PutSecretValueCommand({ SecretId: 'rep/db', SecretString: 'nope' })))).toMatchObject({
      name: 'InvalidRequestException', message: "Operation not permitted on a replica secret. Call must be made in primary secret's region.",
    });
    expect((await failure(sm().send(new DeleteSecretCommand({ SecretId: 'rep/db' })))).name).toBe('InvalidRequestException');
  });

  test('ReplicateSecretToRegions with a Region\'s own key; a disabled key fails; an existing name needs ForceOverwriteReplicaSecret', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'rep/app', SecretString: 'value' }));
    const euKey = (await kms('eu-west-1').send(new CreateKeyCommand({}))).KeyMetadata!;
    const apKey = (await kms('ap-south-1').send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms('ap-south-1').send(new DisableKeyCommand({ KeyId: apKey.KeyId }));
    const out = await sm().send(new ReplicateSecretToRegionsCommand({ SecretId: 'rep/app', AddReplicaRegions: [{ Region: 'eu-west-1', KmsKeyId: euKey.Arn }, { Region: 'ap-south-1', KmsKeyId: apKey.Arn }] }));
    expect(out.ReplicationStatus).toEqual([
      { Region: 'eu-west-1', KmsKeyId: euKey.Arn, Status: 'InSync' },
      { Region: 'ap-south-1', KmsKeyId: apKey.Arn, Status: 'Failed', StatusMessage: expect.stringContaining('Replication failed') },
    ]);
    expect((await sm('eu-west-1').send(new GetSecretValueCommand({ SecretId: 'rep/app' }))).SecretString).toBe('value');
    expect((await sm('eu-west-1').send(new DescribeSecretCommand({ SecretId: 'rep/app' }))).KmsKeyId).toBe(euKey.Arn);
    expect((await failure(sm().send(new ReplicateSecretToRegionsCommand({ SecretId: 'rep/app', AddReplicaRegions: [{ Region: 'us-east-1' }] })))).name).toBe('InvalidParameterException');

    await sm('ca-central-1').send(new CreateSecretCommand({ Name: 'rep/app', SecretString: 'local' }));
    const clash = await sm().send(new ReplicateSecretToRegionsCommand({ SecretId: 'rep/app', AddReplicaRegions: [{ Region: 'ca-central-1' }] }));
    expect(clash.ReplicationStatus![0]).toMatchObject({ Region: 'ca-central-1', Status: 'Failed' });
    expect((await sm('ca-central-1').send(new GetSecretValueCommand({ SecretId: 'rep/app' }))).SecretString).toBe('local');
    await sm().send(new RemoveRegionsFromReplicationCommand({ SecretId: 'rep/app', RemoveReplicaRegions: ['ca-central-1'] }));
    const forced = await sm().send(new ReplicateSecretToRegionsCommand({ SecretId: 'rep/app', AddReplicaRegions: [{ Region: 'ca-central-1' }], ForceOverwriteReplicaSecret: true }));
    expect(forced.ReplicationStatus![0]).toMatchObject({ Region: 'ca-central-1', Status: 'InSync' });
    expect((await sm('ca-central-1').send(new GetSecretValueCommand({ SecretId: 'rep/app' }))).SecretString).toBe('value');

    const removed = await sm().send(new RemoveRegionsFromReplicationCommand({ SecretId: 'rep/app', RemoveReplicaRegions: ['eu-west-1', 'ap-south-1'] }));
    expect(removed.ReplicationStatus!.map((r) => r.Region)).toEqual(['ca-central-1']);
    expect((await failure(sm('eu-west-1').send(new GetSecretValueCommand({ SecretId: 'rep/app' })))).name).toBe('ResourceNotFoundException');
    expect((await failure(sm().send(new RemoveRegionsFromReplicationCommand({ SecretId: 'rep/app', RemoveReplicaRegions: ['eu-west-1'] })))).name).toBe('InvalidParameterException');
  });

  test('StopReplicationToReplica promotes the replica to a standalone secret', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'rep/promote', SecretString: 'p', AddReplicaRegions: [{ Region: 'eu-central-1' }] }));
    expect((await failure(sm().send(new StopReplicationToReplicaCommand({ SecretId: 'rep/promote' })))).name).toBe('InvalidRequestException');
    await sm('eu-central-1').send(new StopReplicationToReplicaCommand({ SecretId: 'rep/promote' }));
    const d = await sm('eu-central-1').send(new DescribeSecretCommand({ SecretId: 'rep/promote' }));
    expect(d.PrimaryRegion).toBeUndefined();
    await sm('eu-central-1').send(new PutSecretValueCommand({ SecretId: 'rep/promote', SecretString: 'own' }));
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'rep/promote' }))).ReplicationStatus).toBeUndefined();
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'rep/promote' }))).SecretString).toBe('p');
    await sm().send(new DeleteSecretCommand({ SecretId: 'rep/promote', ForceDeleteWithoutRecovery: true }));
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3: replicate_secret_to_regions and read in the replica Region', async () => {
    const r = await boto3(ctx.g, `
east = boto3.client('secretsmanager', endpoint_url=ENDPOINT, region_name='us-east-1')
west = boto3.client('secretsmanager', endpoint_url=ENDPOINT, region_name='us-west-1')
east.create_secret(Name='rep/boto', SecretString='py')
out = east.replicate_secret_to_regions(SecretId='rep/boto', AddReplicaRegions=[{'Region': 'us-west-1'}])
v = west.get_secret_value(SecretId='rep/boto')
print(json.dumps({'status': out['ReplicationStatus'][0]['Status'], 'value': v['SecretString'], 'primary': west.describe_secret(SecretId='rep/boto')['PrimaryRegion']}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ status: 'InSync', value: 'py', primary: 'us-east-1' });
  });
});
