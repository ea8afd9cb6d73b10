// covers: ec2.CreateImage ec2.CopyImage ec2.RegisterImage ec2.DescribeImages ec2.DescribeImageAttribute ec2.ModifyImageAttribute ec2.ResetImageAttribute ec2.RunInstances ec2.CreateVolume ec2.CreateSnapshot ec2.DescribeSnapshots
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (account: string, region = 'us-east-1') => new E.EC2Client(clientConfig(ctx.g, { region, credentials: { accessKeyId: account, secretAccessKey: 'test' } }));
const OWNER = '330000000001';
const FRIEND = '330000000002';
const STRANGER = '330000000003';

async function imageOf(c: E.EC2Client, id: string): Promise<E.Image> {
  return (await c.send(new E.DescribeImagesCommand({ ImageIds: [id] }))).Images![0]!;
}

describe('images', () => {
  test('CreateImage, CopyImage to another region (pending → available), RegisterImage from a snapshot', async () => {
    const c = ec2(OWNER);
    const inst = (await c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    ctx.g.clock.advance(5_000);
    const ami = (await c.send(new E.CreateImageCommand({ InstanceId: inst, Name: 'web-v1', Description: 'web server' }))).ImageId!;
    expect(await failure(c.send(new E.CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: ami, Name: 'web-v1-copy' })))).toMatchObject({ name: 'InvalidAMIID.Unavailable' });
    expect(await failure(c.send(new E.RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })))).toMatchObject({
      name: 'InvalidAMIID.Unavailable', message: `AMI '${ami}' is pending, and cannot be run`,
    });
    ctx.g.clock.advance(30_000);
    expect((await imageOf(c, ami)).State).toBe('available');

    const west = ec2(OWNER, 'eu-west-1');
    const copy = (await west.send(new E.CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: ami, Name: 'web-v1', ClientToken: 'copy-1' }))).ImageId!;
    expect(copy).toMatch(/^ami-[0-9a-f]{17}$/);
    expect((await west.send(new E.CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: ami, Name: 'web-v1', ClientToken: 'copy-1' }))).ImageId).toBe(copy);
    const copied = await imageOf(west, copy);
    expect([copied.State, copied.Name, copied.Description, copied.OwnerId, copied.SourceImageId, copied.SourceImageRegion]).toEqual(['pending', 'web-v1', 'web server', OWNER, ami, 'us-east-1']);
    const snap = copied.BlockDeviceMappings![0]!.Ebs!.SnapshotId!;
    expect((await west.send(new E.DescribeSnapshotsCommand({ SnapshotIds: [snap] }))).Snapshots![0]!.Description).toContain(`Copied for DestinationAmi ${copy} from SourceAmi ${ami}`);
    expect(await failure(c.send(new E.DescribeImagesCommand({ ImageIds: [copy] })))).toMatchObject({ name: 'InvalidAMIID.NotFound' });
    expect((await failure(west.send(new E.CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: ami, Name: 'web-v1' })))).name).toBe('InvalidAMIName.Duplicate');
    ctx.g.clock.advance(30_000);
    expect((await imageOf(west, copy)).State).toBe('available');
    const launched = (await west.send(new E.RunInstancesCommand({ ImageId: copy, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    expect(launched.ImageId).toBe(copy);
    // a public catalogue image can be copied too
    const pub = (await west.send(new E.CopyImageCommand({ SourceRegion: 'us-east-1', SourceImageId: 'ami-760aaa0f', Name: 'amzn-copy' }))).ImageId!;
    expect((await imageOf(west, pub)).OwnerId).toBe(OWNER);

    // RegisterImage from a completed snapshot: AWS's defaults (i386, paravirtual) unless given
    const vol = (await c.send(new E.CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 10 }))).VolumeId!;
    const s = (await c.send(new E.CreateSnapshotCommand({ VolumeId: vol }))).SnapshotId!;
    expect((await failure(c.send(new E.RegisterImageCommand({ Name: 'from-snap', RootDeviceName: '/dev/xvda', BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: s } }] })))).name).toBe('IncorrectState');
    ctx.g.clock.advance(30_000);
    const legacy = (await c.send(new E.RegisterImageCommand({ Name: 'legacy', RootDeviceName: '/dev/sda1', BlockDeviceMappings: [{ DeviceName: '/dev/sda1', Ebs: { SnapshotId: s } }] }))).ImageId!;
    expect(await imageOf(c, legacy)).toMatchObject({ Architecture: 'i386', VirtualizationType: 'paravirtual', RootDeviceName: '/dev/sda1', State: 'pending', OwnerId: OWNER });
    const reg = (await c.send(new E.RegisterImageCommand({
      Name: 'from-snap', Architecture: 'x86_64', VirtualizationType: 'hvm', EnaSupport: true, RootDeviceName: '/dev/xvda',
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { SnapshotId: s, VolumeSize: 20, VolumeType: 'gp3' } }, { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' }],
    }))).ImageId!;
    const regImg = await imageOf(c, reg);
    expect(regImg.BlockDeviceMappings).toEqual([
      { DeviceName: '/dev/xvda', Ebs: { DeleteOnTermination: true, SnapshotId: s, VolumeSize: 20, VolumeType: 'gp3', Encrypted: false } },
      { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' },
    ]);
    expect(await failure(c.send(new E.RegisterImageCommand({ Name: 'no-root', RootDeviceName: '/dev/xvda', BlockDeviceMappings: [] })))).toMatchObject({ name: 'InvalidBlockDeviceMapping' });
    ctx.g.clock.advance(30_000);
    const fromReg = (await c.send(new E.RunInstancesCommand({ ImageId: reg, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    const root = (await c.send(new E.DescribeVolumesCommand({ VolumeIds: [fromReg.BlockDeviceMappings![0]!.Ebs!.VolumeId!] }))).Volumes![0]!;
    expect([root.Size, root.VolumeType, root.SnapshotId]).toEqual([20, 'gp3', s]);
    expect((await c.send(new E.DescribeImageAttributeCommand({ ImageId: reg, Attribute: 'lastLaunchedTime' }))).LastLaunchedTime?.Value).toBe(ctx.g.clock.now().toISOString());
  });

  test('launch permissions: shared with an account, listed and launchable there, reset', async () => {
    const c = ec2(OWNER);
    const friend = ec2(FRIEND);
    const stranger = ec2(STRANGER);
    const inst = (await c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!.InstanceId!;
    ctx.g.clock.advance(5_000);
    const ami = (await c.send(new E.CreateImageCommand({ InstanceId: inst, Name: 'shared-app' }))).ImageId!;
    ctx.g.clock.advance(30_000);
    expect(await failure(friend.send(new E.RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 })))).toMatchObject({ name: 'InvalidAMIID.NotFound' });

    await c.send(new E.ModifyImageAttributeCommand({ ImageId: ami, LaunchPermission: { Add: [{ UserId: FRIEND }] } }));
    expect((await c.send(new E.DescribeImageAttributeCommand({ ImageId: ami, Attribute: 'launchPermission' }))).LaunchPermissions).toEqual([{ UserId: FRIEND }]);
    const shared = await friend.send(new E.DescribeImagesCommand({ ExecutableUsers: ['self'], Filters: [{ Name: 'name', Values: ['shared-app'] }] }));
    expect(shared.Images!.map((i) => [i.ImageId, i.OwnerId, i.Public])).toEqual([[ami, OWNER, false]]);
    expect((await friend.send(new E.DescribeImagesCommand({ Owners: [OWNER] }))).Images!.map((i) => i.ImageId)).toEqual([ami]);
    expect((await friend.send(new E.DescribeImagesCommand({ Owners: ['self'] }))).Images).toEqual([]);
    expect((await stranger.send(new E.DescribeImagesCommand({ Owners: [OWNER] }))).Images).toEqual([]);
    expect((await c.send(new E.DescribeImagesCommand({ ExecutableUsers: [FRIEND], Owners: ['self'] }))).Images!.map((i) => i.ImageId)).toEqual([ami]);
    const there = (await friend.send(new E.RunInstancesCommand({ ImageId: ami, InstanceType: 't3.micro', MinCount: 1, MaxCount: 1 }))).Instances![0]!;
    expect(there.ImageId).toBe(ami);
    // only the owner reads or changes the attributes
    expect(await failure(friend.send(new E.DescribeImageAttributeCommand({ ImageId: ami, Attribute: 'launchPermission' })))).toMatchObject({ name: 'AuthFailure', message: `Not authorized for image:${ami}` });
    expect((await failure(c.send(new E.ModifyImageAttributeCommand({ ImageId: ami, LaunchPermission: { Add: [{ UserId: 'bob' }] } })))).name).toBe('InvalidAMIAttributeItemValue');

    // public: every account sees it; the CLI-style attribute form works too
    await c.send(new E.ModifyImageAttributeCommand({ ImageId: ami, Attribute: 'launchPermission', OperationType: 'add', UserGroups: ['all'] }));
    expect((await stranger.send(new E.DescribeImagesCommand({ ImageIds: [ami] }))).Images![0]!.Public).toBe(true);
    await c.send(new E.ModifyImageAttributeCommand({ ImageId: ami, Description: { Value: 'v2' } }));
    expect((await c.send(new E.DescribeImageAttributeCommand({ ImageId: ami, Attribute: 'description' }))).Description).toEqual({ Value: 'v2' });

    await c.send(new E.ResetImageAttributeCommand({ ImageId: ami, Attribute: 'launchPermission' }));
    expect((await c.send(new E.DescribeImageAttributeCommand({ ImageId: ami, Attribute: 'launchPermission' }))).LaunchPermissions).toEqual([]);
    expect(await failure(stranger.send(new E.DescribeImagesCommand({ ImageIds: [ami] })))).toMatchObject({ name: 'InvalidAMIID.NotFound' });
    expect((await friend.send(new E.DescribeImagesCommand({ ExecutableUsers: ['self'], Owners: [OWNER] }))).Images).toEqual([]);
  });
});
