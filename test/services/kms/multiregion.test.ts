// covers: kms.CreateKey kms.ReplicateKey kms.UpdatePrimaryRegion kms.DescribeKey kms.Encrypt kms.Decrypt kms.RotateKeyOnDemand kms.EnableKeyRotation kms.ScheduleKeyDeletion kms.CancelKeyDeletion kms.GetKeyLastUsage kms.ReEncrypt
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CancelKeyDeletionCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EnableKeyRotationCommand, EncryptCommand, GetKeyLastUsageCommand,
  KMSClient, ReEncryptCommand, ReplicateKeyCommand, RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, UpdatePrimaryRegionCommand,
} from '@aws-sdk/client-kms';
import { boto3, clientConfig, failure, HAS_PYTHON_BOTO3, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-05-01T00:00:00Z');
const DAY = 86_400_000;
const ACCOUNT = '000000000000';
beforeAll(() => ctx.g.clock.set(T0));

const kms = (region = 'us-east-1') => new KMSClient(clientConfig(ctx.g, { region }));
const te = new TextEncoder();
const arnIn = (region: string, keyId: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${keyId}`;
const text = (b: Uint8Array | undefined) => Buffer.from(b!).toString();

describe('multi-Region keys', () => {
  test('ReplicateKey: same key id and material in another Region, Creating for a moment, then ciphertext decrypts in both', async () => {
    const primary = (await kms().send(new CreateKeyCommand({ MultiRegion: true, Description: 'global' }))).KeyMetadata!;
    const rep = await kms().send(new ReplicateKeyCommand({ KeyId: primary.Arn, ReplicaRegion: 'us-west-2', Tags: [{ TagKey: 'r', TagValue: 'west' }] }));
    const west = arnIn('us-west-2', primary.KeyId!);
    expect(rep.ReplicaKeyMetadata).toMatchObject({
      KeyId: primary.KeyId, Arn: west, KeyState: 'Creating', Description: 'global', MultiRegion: true,
      MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA', PrimaryKey: { Arn: primary.Arn, Region: 'us-east-1' }, ReplicaKeys: [{ Arn: west, Region: 'us-west-2' }] },
    });
    expect(rep.ReplicaTags).toEqual([{ TagKey: 'r', TagValue: 'west' }]);
    expect(JSON.parse(rep.ReplicaPolicy!).Statement[0].Principal.AWS).toBe(`arn:aws:iam::${ACCOUNT}:root`);
    expect((await kms().send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: primary.Arn, Region: 'us-east-1' }, ReplicaKeys: [{ Arn: west, Region: 'us-west-2' }],
    });

    const ct = (await kms().send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: te.encode('from the east'), EncryptionContext: { k: 'v' } }))).CiphertextBlob!;
    expect((await failure(kms('us-west-2').send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { k: 'v' } })))).name).toBe('KMSInvalidStateException');
    ctx.g.clock.advance(2_000);
    const d = await kms('us-west-2').send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { k: 'v' } }));
    expect(text(d.Plaintext)).toBe('from the east');
    expect(d.KeyId).toBe(west);
    const back = (await kms('us-west-2').send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: te.encode('from the west') }))).CiphertextBlob!;
    expect(text((await kms().send(new DecryptCommand({ CiphertextBlob: back }))).Plaintext)).toBe('from the west');

    // the replica set is shared: a rotation on the primary reaches the replica
    await kms().send(new RotateKeyOnDemandCommand({ KeyId: primary.KeyId }));
    const rotated = (await kms().send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: te.encode('after rotation') }))).CiphertextBlob!;
    expect(text((await kms('us-west-2').send(new DecryptCommand({ CiphertextBlob: rotated }))).Plaintext)).toBe('after rotation');
    expect((await kms('us-west-2').send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!.CurrentKeyMaterialId)
      .toBe((await kms().send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!.CurrentKeyMaterialId);
    expect((await failure(kms('us-west-2').send(new EnableKeyRotationCommand({ KeyId: primary.KeyId })))).name).toBe('UnsupportedOperationException');
    expect((await failure(kms('us-west-2').send(new RotateKeyOnDemandCommand({ KeyId: primary.KeyId })))).name).toBe('UnsupportedOperationException');
  });

  test('ReplicateKey refusals: existing replica, the primary Region, a replica, a single-Region key, an unknown Region', async () => {
    const primary = (await kms().send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    await kms().send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' }));
    expect(await failure(kms().send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-west-1' })))).toMatchObject({ name: 'AlreadyExistsException', status: 409 });
    expect((await failure(kms().send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'us-east-1' })))).name).toBe('AlreadyExistsException');
    expect((await failure(kms('eu-west-1').send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'ap-south-1' })))).name).toBe('UnsupportedOperationException');
    const single = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    expect((await failure(kms().send(new ReplicateKeyCommand({ KeyId: single.KeyId, ReplicaRegion: 'eu-west-1' })))).name).toBe('UnsupportedOperationException');
    expect((await failure(kms().send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'mars-north-1' })))).name).toBe('ValidationException');
  });

  test('UpdatePrimaryRegion swaps the roles; deleting a primary waits for its replicas', async () => {
    const primary = (await kms().send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    await kms().send(new ReplicateKeyCommand({ KeyId: primary.KeyId, ReplicaRegion: 'eu-central-1' }));
    ctx.g.clock.advance(2_000);
    const eu = arnIn('eu-central-1', primary.KeyId!);
    expect((await failure(kms().send(new UpdatePrimaryRegionCommand({ KeyId: primary.KeyId, PrimaryRegion: 'ap-south-1' })))).name).toBe('NotFoundException');
    await kms().send(new UpdatePrimaryRegionCommand({ KeyId: primary.KeyId, PrimaryRegion: 'eu-central-1' }));
    expect((await kms('eu-central-1').send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!.MultiRegionConfiguration).toEqual({
      MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: eu, Region: 'eu-central-1' }, ReplicaKeys: [{ Arn: primary.Arn, Region: 'us-east-1' }],
    });
    expect((await kms().send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType).toBe('REPLICA');

    // the new primary (eu-central-1) has a replica: it waits in PendingReplicaDeletion
    const sched = await kms('eu-central-1').send(new ScheduleKeyDeletionCommand({ KeyId: primary.KeyId, PendingWindowInDays: 7 }));
    expect(sched).toMatchObject({ KeyId: eu, KeyState: 'PendingReplicaDeletion', PendingWindowInDays: 7 });
    expect(sched.DeletionDate).toBeUndefined();
    expect((await failure(kms('eu-central-1').send(new EncryptCommand({ KeyId: primary.KeyId, Plaintext: te.encode('x') })))).name).toBe('KMSInvalidStateException');
    await kms().send(new ScheduleKeyDeletionCommand({ KeyId: primary.KeyId, PendingWindowInDays: 7 }));
    const removedAt = ctx.g.clock.now().getTime() + 7 * DAY;
    ctx.g.clock.advance(7 * DAY);
    expect((await failure(kms().send(new DescribeKeyCommand({ KeyId: primary.KeyId })))).name).toBe('NotFoundException');
    const left = (await kms('eu-central-1').send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!;
    expect(left).toMatchObject({ KeyState: 'PendingDeletion', DeletionDate: new Date(removedAt + 7 * DAY), MultiRegionConfiguration: { ReplicaKeys: [] } });
    await kms('eu-central-1').send(new CancelKeyDeletionCommand({ KeyId: primary.KeyId }));
    expect((await kms('eu-central-1').send(new DescribeKeyCommand({ KeyId: primary.KeyId }))).KeyMetadata!.KeyState).toBe('Disabled');
  });
});

describe('GetKeyLastUsage', () => {
  test('empty until a cryptographic operation; then the operation, its time and request id; each Region member on its own', async () => {
    const md = (await kms().send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!;
    const fresh = await kms().send(new GetKeyLastUsageCommand({ KeyId: md.Arn }));
    expect(fresh).toMatchObject({ KeyId: md.KeyId, KeyCreationDate: md.CreationDate, TrackingStartDate: md.CreationDate });
    expect(fresh.KeyLastUsage).toBeUndefined();
    await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId })); // not a cryptographic operation
    expect((await kms().send(new GetKeyLastUsageCommand({ KeyId: md.KeyId }))).KeyLastUsage).toBeUndefined();

    await kms().send(new ReplicateKeyCommand({ KeyId: md.KeyId, ReplicaRegion: 'us-east-2' }));
    ctx.g.clock.advance(60_000);
    const enc = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x') }));
    const at = ctx.g.clock.now();
    expect((await kms().send(new GetKeyLastUsageCommand({ KeyId: md.KeyId }))).KeyLastUsage).toEqual({
      Operation: 'Encrypt', Timestamp: at, KmsRequestId: enc.$metadata.requestId,
    });
    expect((await kms('us-east-2').send(new GetKeyLastUsageCommand({ KeyId: md.KeyId }))).KeyLastUsage).toBeUndefined();
    const other = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    ctx.g.clock.advance(60_000);
    await kms().send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: other.KeyId }));
    expect((await kms().send(new GetKeyLastUsageCommand({ KeyId: md.KeyId }))).KeyLastUsage!.Operation).toBe('ReEncrypt');
    expect((await kms().send(new GetKeyLastUsageCommand({ KeyId: other.KeyId }))).KeyLastUsage!.Timestamp).toEqual(ctx.g.clock.now());
    expect((await failure(kms().send(new GetKeyLastUsageCommand({ KeyId: 'alias/whatever' })))).name).toBe('NotFoundException');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('replicate_key and decrypt in the replica Region', async () => {
    const r = await boto3(ctx.g, `
east = boto3.client('kms', endpoint_url=ENDPOINT, region_name='us-east-1')
west = boto3.client('kms', endpoint_url=ENDPOINT, region_name='ca-central-1')
k = east.create_key(MultiRegion=True)['KeyMetadata']
rep = east.replicate_key(KeyId=k['KeyId'], ReplicaRegion='ca-central-1')
ct = east.encrypt(KeyId=k['KeyId'], Plaintext=b'boto')['CiphertextBlob']
print(json.dumps({'state': rep['ReplicaKeyMetadata']['KeyState'], 'type': rep['ReplicaKeyMetadata']['MultiRegionConfiguration']['MultiRegionKeyType'], 'id': k['KeyId'], 'ct': ct.hex()}))
`);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as { state: string; type: string; id: string; ct: string };
    expect(out).toMatchObject({ state: 'Creating', type: 'REPLICA' });
    ctx.g.clock.advance(2_000);
    const d = await kms('ca-central-1').send(new DecryptCommand({ CiphertextBlob: Buffer.from(out.ct, 'hex') }));
    expect(text(d.Plaintext)).toBe('boto');
  });
});
