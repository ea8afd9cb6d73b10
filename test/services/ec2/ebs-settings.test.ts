// covers: ec2.EnableEbsEncryptionByDefault ec2.DisableEbsEncryptionByDefault ec2.GetEbsEncryptionByDefault ec2.GetEbsDefaultKmsKeyId ec2.ModifyEbsDefaultKmsKeyId ec2.ResetEbsDefaultKmsKeyId ec2.CreateVolume ec2.RunInstances ec2.DescribeVolumes ec2.CreateSnapshot ec2.ModifySnapshotAttribute ec2.DescribeSnapshotAttribute ec2.ResetSnapshotAttribute ec2.DescribeSnapshots ec2.CopySnapshot ec2.EnableFastSnapshotRestores ec2.DescribeFastSnapshotRestores ec2.DisableFastSnapshotRestores kms.CreateKey
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { KMSClient, CreateKeyCommand } from '@aws-sdk/client-kms';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const creds = (account: string) => ({ credentials: { accessKeyId: account, secretAccessKey: 'test' } });
const ec2 = (account: string, region = 'us-east-1') => new E.EC2Client(clientConfig(ctx.g, { region, ...creds(account) }));

describe('EBS encryption by default', () => {
  test('enable/disable, the default key (checked against KMS), applied to new volumes', async () => {
    const account = '350000000001';
    const c = ec2(account);
    expect((await c.send(new E.GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect((await c.send(new E.GetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(`arn:aws:kms:us-east-1:${account}:alias/aws/ebs`);
    const plain = (await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 })));
    expect(plain.Encrypted).toBe(false);

    expect((await c.send(new E.EnableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    expect((await c.send(new E.GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(true);
    const enc = await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8, Encrypted: false }));
    expect([enc.Encrypted, enc.KmsKeyId]).toEqual([true, `arn:aws:kms:us-east-1:${account}:alias/aws/ebs`]);
    // other regions keep their own setting
    expect((await ec2(account, 'us-west-2').send(new E.GetEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);

    const key = (await new KMSClient(clientConfig(ctx.g, creds(account))).send(new CreateKeyCommand({}))).KeyMetadata!;
    expect((await c.send(new E.ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: key.KeyId! }))).KmsKeyId).toBe(key.Arn);
    expect((await failure(c.send(new E.ModifyEbsDefaultKmsKeyIdCommand({ KmsKeyId: '11111111-2222-3333-4444-555555555555' })))).name).toBe('InvalidKmsKey.NotFound');
    const inst = (await c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const root = (await c.send(new E.DescribeVolumesCommand({ VolumeIds: [inst.BlockDeviceMappings![0]!.Ebs!.VolumeId!] }))).Volumes![0]!;
    expect([root.Encrypted, root.KmsKeyId]).toEqual([true, key.Arn]);

    expect((await c.send(new E.ResetEbsDefaultKmsKeyIdCommand({}))).KmsKeyId).toBe(`arn:aws:kms:us-east-1:${account}:alias/aws/ebs`);
    expect((await c.send(new E.DisableEbsEncryptionByDefaultCommand({}))).EbsEncryptionByDefault).toBe(false);
    expect((await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }))).Encrypted).toBe(false);
  });
});

describe('snapshot sharing and fast snapshot restores', () => {
  test('createVolumePermission: shared snapshots are listed, restorable and copyable by the other account', async () => {
    const owner = ec2('350000000002');
    const friend = ec2('350000000003');
    const vol = (await owner.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 12 }))).VolumeId!;
    const snap = (await owner.send(new E.CreateSnapshotCommand({ VolumeId: vol, Description: 'golden' }))).SnapshotId!;
    expect(await failure(friend.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: snap })))).toMatchObject({ name: 'InvalidSnapshot.NotFound' });
    await owner.send(new E.ModifySnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: ['350000000003'] }));
    expect((await owner.send(new E.DescribeSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' }))).CreateVolumePermissions).toEqual([{ UserId: '350000000003' }]);

    const seen = await friend.send(new E.DescribeSnapshotsCommand({ RestorableByUserIds: ['self'] }));
    expect(seen.Snapshots!.map((s) => [s.SnapshotId, s.OwnerId, s.Description])).toEqual([[snap, '350000000002', 'golden']]);
    expect((await friend.send(new E.DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots).toEqual([]);
    const restored = await friend.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', SnapshotId: snap }));
    expect([restored.Size, restored.SnapshotId]).toEqual([12, snap]);
    ctx.g.clock.advance(30_000);
    const copy = (await ec2('350000000003', 'eu-west-1').send(new E.CopySnapshotCommand({ SourceRegion: 'us-east-1', SourceSnapshotId: snap }))).SnapshotId!;
    expect(copy).toMatch(/^snap-/);

    await owner.send(new E.ResetSnapshotAttributeCommand({ SnapshotId: snap, Attribute: 'createVolumePermission' }));
    expect((await friend.send(new E.DescribeSnapshotsCommand({}))).Snapshots).toEqual([]);
    // snapshots encrypted with the AWS managed key cannot be shared
    const encVol = (await owner.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1, Encrypted: true }))).VolumeId!;
    const encSnap = (await owner.send(new E.CreateSnapshotCommand({ VolumeId: encVol }))).SnapshotId!;
    expect((await failure(owner.send(new E.ModifySnapshotAttributeCommand({ SnapshotId: encSnap, CreateVolumePermission: { Add: [{ UserId: '350000000003' }] } })))).name).toBe('OperationNotPermitted');
    expect((await failure(owner.send(new E.ModifySnapshotAttributeCommand({ SnapshotId: encSnap, CreateVolumePermission: { Add: [{ Group: 'all' }] } })))).name).toBe('OperationNotPermitted');
  });

  test('fast snapshot restores: enabling → optimizing → enabled, disabling → gone', async () => {
    const c = ec2('350000000004');
    const vol = (await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 1024 }))).VolumeId!;
    const snap = (await c.send(new E.CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    const early = await c.send(new E.EnableFastSnapshotRestoresCommand({ SourceSnapshotIds: [snap], AvailabilityZones: ['us-east-1a'] }));
    expect(early.Unsuccessful![0]!.FastSnapshotRestoreStateErrors![0]!.Error!.Code).toBe('IncorrectState');
    ctx.g.clock.advance(30_000);
    const on = await c.send(new E.EnableFastSnapshotRestoresCommand({ SourceSnapshotIds: [snap, 'snap-0123456789abcdef0'], AvailabilityZones: ['us-east-1a', 'us-east-1b'] }));
    expect(on.Successful!.map((s) => [s.AvailabilityZone, s.State, s.StateTransitionReason])).toEqual([
      ['us-east-1a', 'enabling', 'Client.UserInitiatedFastSnapshotRestore'],
      ['us-east-1b', 'enabling', 'Client.UserInitiatedFastSnapshotRestore'],
    ]);
    expect(on.Unsuccessful![0]!.SnapshotId).toBe('snap-0123456789abcdef0');
    const states = async () => (await c.send(new E.DescribeFastSnapshotRestoresCommand({ Filters: [{ Name: 'availability-zone', Values: ['us-east-1a'] }] }))).FastSnapshotRestores!.map((r) => r.State);
    ctx.g.clock.advance(60_000);
    expect(await states()).toEqual(['optimizing']);
    ctx.g.clock.advance(3_600_000); // an hour per TiB
    expect(await states()).toEqual(['enabled']);
    const off = await c.send(new E.DisableFastSnapshotRestoresCommand({ SourceSnapshotIds: [snap], AvailabilityZones: ['us-east-1a'] }));
    expect(off.Successful![0]!.State).toBe('disabling');
    ctx.g.clock.advance(60_000);
    expect(await states()).toEqual([]);
    expect((await c.send(new E.DescribeFastSnapshotRestoresCommand({}))).FastSnapshotRestores!.map((r) => [r.AvailabilityZone, r.State])).toEqual([['us-east-1b', 'enabled']]);
  });
});
