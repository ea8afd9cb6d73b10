// covers: ec2.CreateVolume ec2.DescribeVolumes ec2.AttachVolume ec2.DetachVolume ec2.DeleteVolume ec2.ModifyVolume ec2.DescribeVolumesModifications ec2.CreateSnapshot ec2.DescribeSnapshots ec2.DeleteSnapshot ec2.CopySnapshot ec2.CreateKeyPair ec2.ImportKeyPair ec2.DescribeKeyPairs ec2.DeleteKeyPair
import { describe, test, expect } from 'vitest';
import { createHash, generateKeyPairSync } from 'node:crypto';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (region = 'us-east-1', accessKeyId = 'test') => new E.EC2Client(clientConfig(ctx.g, { region, credentials: { accessKeyId, secretAccessKey: 'test' } }));

describe('EBS', () => {
  test('type rules, create → available, attach → attached, VolumeInUse, detach, modify, snapshots on the clock, copy across regions', async () => {
    const c = ec2('us-east-1', '111111111111');
    const v = await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 100, VolumeType: 'gp3' }));
    expect(v).toMatchObject({ Size: 100, VolumeType: 'gp3', Iops: 3000, Throughput: 125, State: 'creating', Encrypted: false, AvailabilityZone: 'us-east-1a' });
    expect(v.VolumeId).toMatch(/^vol-[0-9a-f]{17}$/);
    const gp2 = await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }));
    expect(gp2).toMatchObject({ VolumeType: 'gp2', Iops: 100 });
    expect(await failure(c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'io1' })))).toMatchObject({ name: 'InvalidParameterCombination', message: 'The parameter iops must be specified for io1 volumes.' });
    expect(await failure(c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'io1', Iops: 1000 })))).toMatchObject({ name: 'InvalidParameterValue', message: 'Iops to volume size ratio of 100.000000 is too high; maximum is 50.000000.' });
    expect(await failure(c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 20000, VolumeType: 'gp2' })))).toMatchObject({ name: 'InvalidParameterValue', message: 'Volume of 20000GiB is too large; maximum is 16384GiB.' });
    expect(await failure(c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'st1' })))).toMatchObject({ message: 'Volume of 10GiB is too small; minimum is 125GiB.' });
    expect((await failure(c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10, VolumeType: 'gp2', Iops: 300 })))).name).toBe('InvalidParameterCombination');

    const r = await c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't2.micro', MinCount: 1, MaxCount: 1, Placement: { AvailabilityZone: 'us-east-1a' } }));
    const id = r.Instances![0]!.InstanceId!;
    ctx.g.clock.advance(5_000);
    const other = await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1b', Size: 1 }));
    ctx.g.clock.advance(2_000);
    expect((await failure(c.send(new E.AttachVolumeCommand({ VolumeId: other.VolumeId, InstanceId: id, Device: '/dev/sdf' })))).name).toBe('InvalidVolume.ZoneMismatch');
    const att = await c.send(new E.AttachVolumeCommand({ VolumeId: v.VolumeId, InstanceId: id, Device: '/dev/sdf' }));
    expect(att).toMatchObject({ State: 'attaching', Device: '/dev/sdf', InstanceId: id });
    ctx.g.clock.advance(2_000);
    const desc = (await c.send(new E.DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]!;
    expect(desc.State).toBe('in-use');
    expect(desc.Attachments).toEqual([expect.objectContaining({ State: 'attached', InstanceId: id, Device: '/dev/sdf', DeleteOnTermination: false })]);
    const inst = (await c.send(new E.DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations![0]!.Instances![0]!;
    expect(inst.BlockDeviceMappings!.map((b) => [b.DeviceName, b.Ebs!.Status])).toEqual([['/dev/xvda', 'attached'], ['/dev/sdf', 'attached']]);
    expect(await failure(c.send(new E.DeleteVolumeCommand({ VolumeId: v.VolumeId })))).toMatchObject({ name: 'VolumeInUse', message: `Volume ${v.VolumeId} is currently attached to ${id}` });
    expect((await c.send(new E.DescribeVolumesCommand({ Filters: [{ Name: 'status', Values: ['in-use'] }] }))).Volumes).toHaveLength(2);

    const mod = await c.send(new E.ModifyVolumeCommand({ VolumeId: v.VolumeId, Size: 200, Iops: 6000 }));
    expect(mod.VolumeModification).toMatchObject({ ModificationState: 'modifying', OriginalSize: 100, TargetSize: 200, TargetIops: 6000, OriginalIops: 3000 });
    expect((await failure(c.send(new E.ModifyVolumeCommand({ VolumeId: v.VolumeId, Size: 300 })))).name).toBe('IncorrectModificationState');
    ctx.g.clock.advance(70_000);
    expect((await c.send(new E.DescribeVolumesModificationsCommand({ VolumeIds: [v.VolumeId!] }))).VolumesModifications![0]!.ModificationState).toBe('completed');
    expect((await failure(c.send(new E.ModifyVolumeCommand({ VolumeId: v.VolumeId, Size: 50 })))).name).toBe('InvalidParameterValue');

    const det = await c.send(new E.DetachVolumeCommand({ VolumeId: v.VolumeId }));
    expect(det.State).toBe('detaching');
    ctx.g.clock.advance(2_000);
    expect((await c.send(new E.DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] }))).Volumes![0]).toMatchObject({ State: 'available', Attachments: [] });

    const snap = await c.send(new E.CreateSnapshotCommand({ VolumeId: v.VolumeId, Description: 'backup' }));
    expect(snap).toMatchObject({ State: 'pending', VolumeSize: 200, Description: 'backup', OwnerId: '111111111111' });
    expect((await failure(c.send(new E.CopySnapshotCommand({ SourceSnapshotId: snap.SnapshotId, SourceRegion: 'us-east-1' })))).name).toBe('IncorrectState');
    ctx.g.clock.advance(30_000);
    expect((await c.send(new E.DescribeSnapshotsCommand({ OwnerIds: ['self'], SnapshotIds: [snap.SnapshotId!] }))).Snapshots![0]).toMatchObject({ State: 'completed', Progress: '100%' });
    const west = ec2('us-west-2', '111111111111');
    const copy = await west.send(new E.CopySnapshotCommand({ SourceSnapshotId: snap.SnapshotId, SourceRegion: 'us-east-1', Description: 'dr' }));
    expect((await west.send(new E.DescribeSnapshotsCommand({ OwnerIds: ['self'] }))).Snapshots!.map((s) => [s.SnapshotId, s.Description, s.VolumeSize])).toEqual([[copy.SnapshotId, 'dr', 200]]);
    const restored = await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1c', SnapshotId: snap.SnapshotId }));
    expect(restored).toMatchObject({ Size: 200, SnapshotId: snap.SnapshotId });
    await c.send(new E.DeleteSnapshotCommand({ SnapshotId: snap.SnapshotId }));
    expect((await failure(c.send(new E.DescribeSnapshotsCommand({ SnapshotIds: [snap.SnapshotId!] })))).name).toBe('InvalidSnapshot.NotFound');
    await c.send(new E.DeleteVolumeCommand({ VolumeId: v.VolumeId }));
    expect(await failure(c.send(new E.DescribeVolumesCommand({ VolumeIds: [v.VolumeId!] })))).toMatchObject({ name: 'InvalidVolume.NotFound', message: `The volume '${v.VolumeId}' does not exist.` });

    // root volume: DeleteOnTermination
    await c.send(new E.TerminateInstancesCommand({ InstanceIds: [id] }));
    expect((await c.send(new E.DescribeVolumesCommand({ Filters: [{ Name: 'attachment.instance-id', Values: [id] }] }))).Volumes).toEqual([]);
  });
});

describe('key pairs', () => {
  test('create rsa/ed25519 in pem/ppk, fingerprints as AWS computes them, import, duplicate, describe, delete', async () => {
    const c = ec2('us-east-1', '666666666666');
    const rsa = await c.send(new E.CreateKeyPairCommand({ KeyName: 'rsa-key' }));
    expect(rsa.KeyMaterial).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+\n-----END RSA PRIVATE KEY-----$/);
    expect(rsa.KeyPairId).toMatch(/^key-[0-9a-f]{17}$/);
    const { createPrivateKey } = await import('node:crypto');
    const der = createPrivateKey(rsa.KeyMaterial!).export({ type: 'pkcs8', format: 'der' });
    expect(rsa.KeyFingerprint).toBe(createHash('sha1').update(der).digest('hex').match(/../g)!.join(':'));
    const ed = await c.send(new E.CreateKeyPairCommand({ KeyName: 'ed-key', KeyType: 'ed25519' }));
    expect(ed.KeyMaterial).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n/);
    expect(ed.KeyFingerprint).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const ppk = await c.send(new E.CreateKeyPairCommand({ KeyName: 'ppk-key', KeyFormat: 'ppk' }));
    expect(ppk.KeyMaterial).toMatch(/^PuTTY-User-Key-File-2: ssh-rsa\nEncryption: none\nComment: ppk-key\n/);
    expect(await failure(c.send(new E.CreateKeyPairCommand({ KeyName: 'rsa-key' })))).toMatchObject({ name: 'InvalidKeyPair.Duplicate', message: "The keypair 'rsa-key' already exists." });

    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const jwk = publicKey.export({ format: 'jwk' });
    const s = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 255, b.length & 255]), b]);
    const mp = (b: Buffer) => s(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
    const blob = Buffer.concat([s(Buffer.from('ssh-rsa')), mp(Buffer.from(jwk.e!, 'base64url')), mp(Buffer.from(jwk.n!, 'base64url'))]);
    const imported = await c.send(new E.ImportKeyPairCommand({ KeyName: 'imported', PublicKeyMaterial: Buffer.from(`ssh-rsa ${blob.toString('base64')} me@host`) }));
    expect(imported.KeyFingerprint).toBe(createHash('md5').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').match(/../g)!.join(':'));
    expect((await failure(c.send(new E.ImportKeyPairCommand({ KeyName: 'bad', PublicKeyMaterial: Buffer.from('not a key') })))).name).toBe('InvalidKey.Format');

    const all = await c.send(new E.DescribeKeyPairsCommand({ IncludePublicKey: true }));
    expect(all.KeyPairs!.map((k) => [k.KeyName, k.KeyType])).toEqual([['rsa-key', 'rsa'], ['ed-key', 'ed25519'], ['ppk-key', 'rsa'], ['imported', 'rsa']]);
    expect(all.KeyPairs![3]!.PublicKey).toBe(`ssh-rsa ${blob.toString('base64')} imported`);
    expect(await failure(c.send(new E.DescribeKeyPairsCommand({ KeyNames: ['nope'] })))).toMatchObject({ name: 'InvalidKeyPair.NotFound', message: "The key pair 'nope' does not exist" });
    const r = await c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't2.micro', KeyName: 'ed-key', MinCount: 1, MaxCount: 1 }));
    expect(r.Instances![0]!.KeyName).toBe('ed-key');
    await c.send(new E.DeleteKeyPairCommand({ KeyName: 'rsa-key' }));
    expect((await c.send(new E.DescribeKeyPairsCommand({}))).KeyPairs).toHaveLength(3);
  });
});
