// covers: kms.CreateKey kms.DescribeKey kms.ListKeys kms.EnableKey kms.DisableKey kms.UpdateKeyDescription kms.ScheduleKeyDeletion kms.CancelKeyDeletion kms.EnableKeyRotation kms.DisableKeyRotation kms.GetKeyRotationStatus kms.RotateKeyOnDemand kms.ListKeyRotations kms.CreateAlias kms.UpdateAlias kms.DeleteAlias kms.ListAliases kms.TagResource kms.UntagResource kms.ListResourceTags kms.GetKeyPolicy kms.PutKeyPolicy kms.ListKeyPolicies kms.CreateGrant kms.ListGrants kms.ListRetirableGrants kms.RetireGrant kms.RevokeGrant kms.Encrypt kms.Decrypt kms.ReEncrypt
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CancelKeyDeletionCommand, CreateAliasCommand, CreateGrantCommand, CreateKeyCommand, DecryptCommand, DeleteAliasCommand, DescribeKeyCommand,
  DisableKeyCommand, DisableKeyRotationCommand, EnableKeyCommand, EnableKeyRotationCommand, EncryptCommand, GetKeyPolicyCommand,
  GetKeyRotationStatusCommand, KMSClient, ListAliasesCommand, ListGrantsCommand, ListKeyPoliciesCommand, ListKeyRotationsCommand, ListKeysCommand,
  ListResourceTagsCommand, ListRetirableGrantsCommand, PutKeyPolicyCommand, ReEncryptCommand, RetireGrantCommand, RevokeGrantCommand,
  RotateKeyOnDemandCommand, ScheduleKeyDeletionCommand, TagResourceCommand, UntagResourceCommand, UpdateAliasCommand, UpdateKeyDescriptionCommand,
  type CreateKeyCommandInput,
} from '@aws-sdk/client-kms';
import { clientConfig, useGureum, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-03-10T12:00:00Z');
const DAY = 86_400_000;
const ACCOUNT = '000000000000';
const ARN_PREFIX = `arn:aws:kms:us-east-1:${ACCOUNT}:key/`;

beforeAll(() => ctx.g.clock.set(T0));

const kms = () => new KMSClient(clientConfig(ctx.g));
const te = new TextEncoder();
const td = new TextDecoder();

const newKey = async (extra: CreateKeyCommandInput = {}) => (await kms().send(new CreateKeyCommand(extra))).KeyMetadata!;

describe('keys', () => {
  test('CreateKey → DescribeKey with complete metadata and the default policy', async () => {
    const md = await newKey({ Description: 'app key', Tags: [{ TagKey: 'team', TagValue: 'a' }] });
    expect(md).toEqual({
      AWSAccountId: ACCOUNT,
      KeyId: md.KeyId,
      Arn: ARN_PREFIX + md.KeyId,
      CreationDate: new Date(T0),
      Enabled: true,
      Description: 'app key',
      KeyUsage: 'ENCRYPT_DECRYPT',
      KeyState: 'Enabled',
      Origin: 'AWS_KMS',
      KeyManager: 'CUSTOMER',
      CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
      KeySpec: 'SYMMETRIC_DEFAULT',
      EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'],
      MultiRegion: false,
      CurrentKeyMaterialId: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(md.KeyId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const d = await kms().send(new DescribeKeyCommand({ KeyId: md.Arn }));
    expect(d.KeyMetadata).toEqual(md);
    const policy = await kms().send(new GetKeyPolicyCommand({ KeyId: md.KeyId }));
    expect(policy.PolicyName).toBe('default');
    expect(JSON.parse(policy.Policy!)).toEqual({
      Version: '2012-10-17',
      Id: 'key-default-1',
      Statement: [{ Sid: 'Enable IAM User Permissions', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }],
    });
    expect((await kms().send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags).toEqual([{ TagKey: 'team', TagValue: 'a' }]);
  });

  test('key specs report their algorithms; invalid spec/usage combinations are refused', async () => {
    expect((await newKey({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })).SigningAlgorithms).toEqual([
      'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512', 'RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512',
    ]);
    expect((await newKey({ KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' })).EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    expect((await newKey({ KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' })).SigningAlgorithms).toEqual(['ECDSA_SHA_384']);
    expect((await newKey({ KeySpec: 'ECC_SECG_P256K1', KeyUsage: 'SIGN_VERIFY' })).SigningAlgorithms).toEqual(['ECDSA_SHA_256']);
    const hmac = await newKey({ KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' });
    expect(hmac.MacAlgorithms).toEqual(['HMAC_SHA_384']);
    expect(hmac.EncryptionAlgorithms).toBeUndefined();
    expect(hmac.CurrentKeyMaterialId).toBeUndefined();

    expect(await failure(newKey({ KeySpec: 'HMAC_256' }))).toMatchObject({ name: 'ValidationException', message: 'KeyUsage ENCRYPT_DECRYPT is not compatible with KeySpec HMAC_256.' });
    expect(await failure(newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'ENCRYPT_DECRYPT' }))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(newKey({ KeySpec: 'SYMMETRIC_DEFAULT', KeyUsage: 'SIGN_VERIFY' }))).toMatchObject({ name: 'ValidationException' });
    const bad = await failure(newKey({ KeySpec: 'RSA_1024' as never })); // not a KeySpec on purpose
    expect(bad.name).toBe('ValidationException');
    expect(bad.message).toMatch(/^1 validation error detected: Value 'RSA_1024' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: \[SYMMETRIC_DEFAULT, RSA_2048/);
    expect(await failure(newKey({ Policy: '{not json' }))).toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });

  test('MultiRegion keys get an mrk- id and a configuration', async () => {
    const md = await newKey({ MultiRegion: true });
    expect(md.KeyId).toMatch(/^mrk-[0-9a-f]{32}$/);
    expect(md.MultiRegion).toBe(true);
    expect(md.MultiRegionConfiguration).toEqual({ MultiRegionKeyType: 'PRIMARY', PrimaryKey: { Arn: md.Arn, Region: 'us-east-1' }, ReplicaKeys: [] });
  });

  test('NotFoundException with the key ARN; invalid ids', async () => {
    const id = '11111111-2222-3333-4444-555555555555';
    expect(await failure(kms().send(new DescribeKeyCommand({ KeyId: id })))).toEqual({ name: 'NotFoundException', message: `Key '${ARN_PREFIX}${id}' does not exist`, status: 404 });
    expect(await failure(kms().send(new DescribeKeyCommand({ KeyId: 'nope' })))).toMatchObject({ name: 'NotFoundException', message: "Invalid keyId 'nope'" });
    expect(await failure(kms().send(new DescribeKeyCommand({ KeyId: 'alias/missing' })))).toMatchObject({
      name: 'NotFoundException',
      message: `Alias arn:aws:kms:us-east-1:${ACCOUNT}:alias/missing is not found.`,
    });
  });

  test('ListKeys pages with Limit/Marker', async () => {
    for (let i = 0; i < 3; i++) await newKey();
    const all = (await kms().send(new ListKeysCommand({}))).Keys!;
    expect(all.length).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const p = await kms().send(new ListKeysCommand({ Limit: 2, Marker: marker }));
      expect(p.Keys!.length).toBeLessThanOrEqual(2);
      for (const k of p.Keys!) {
        expect(k.KeyArn).toBe(ARN_PREFIX + k.KeyId);
        seen.push(k.KeyId!);
      }
      marker = p.NextMarker;
      expect(p.Truncated).toBe(marker !== undefined);
    } while (marker);
    expect(seen.sort()).toEqual(all.map((k) => k.KeyId!).sort());
    expect(await failure(kms().send(new ListKeysCommand({ Limit: 0 })))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(kms().send(new ListKeysCommand({ Marker: '!!' })))).toMatchObject({ name: 'InvalidMarkerException' });
  });

  test('Disable/Enable and UpdateKeyDescription; a disabled key refuses crypto', async () => {
    const md = await newKey();
    await kms().send(new UpdateKeyDescriptionCommand({ KeyId: md.KeyId, Description: 'renamed' }));
    await kms().send(new DisableKeyCommand({ KeyId: md.Arn }));
    const d = (await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    expect([d.Enabled, d.KeyState, d.Description]).toEqual([false, 'Disabled', 'renamed']);
    expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x') })))).toEqual({ name: 'DisabledException', message: `${md.Arn} is disabled.`, status: 409 });
    await kms().send(new EnableKeyCommand({ KeyId: md.KeyId }));
    expect((await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x') }))).KeyId).toBe(md.Arn);
  });
});

describe('scheduled deletion on the clock', () => {
  test('window validation, PendingDeletion state, cancel, and deletion when the window passes', async () => {
    const md = await newKey();
    expect(await failure(kms().send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 6 })))).toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7",
    });
    const now = ctx.g.clock.now().getTime();
    const out = await kms().send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 7 }));
    expect(out).toMatchObject({ KeyId: md.Arn, KeyState: 'PendingDeletion', PendingWindowInDays: 7, DeletionDate: new Date(now + 7 * DAY) });
    const d = (await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    expect(d).toMatchObject({ KeyState: 'PendingDeletion', Enabled: false, DeletionDate: new Date(now + 7 * DAY), PendingDeletionWindowInDays: 7 });
    expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x') })))).toEqual({
      name: 'KMSInvalidStateException', message: `${md.Arn} is pending deletion.`, status: 409,
    });
    expect(await failure(kms().send(new EnableKeyCommand({ KeyId: md.KeyId })))).toMatchObject({ name: 'KMSInvalidStateException' });

    await kms().send(new CancelKeyDeletionCommand({ KeyId: md.KeyId }));
    expect((await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'Disabled', Enabled: false });
    expect((await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.DeletionDate).toBeUndefined();
    expect(await failure(kms().send(new CancelKeyDeletionCommand({ KeyId: md.KeyId })))).toMatchObject({ name: 'KMSInvalidStateException', message: `${md.Arn} is not pending deletion.` });

    await kms().send(new CreateAliasCommand({ AliasName: 'alias/doomed', TargetKeyId: md.KeyId }));
    await kms().send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId, PendingWindowInDays: 10 }));
    ctx.g.clock.advance(10 * DAY - 1000);
    expect((await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState).toBe('PendingDeletion');
    ctx.g.clock.advance(1000);
    expect(await failure(kms().send(new DescribeKeyCommand({ KeyId: md.KeyId })))).toMatchObject({ name: 'NotFoundException', message: `Key '${md.Arn}' does not exist` });
    const keys = (await kms().send(new ListKeysCommand({ Limit: 1000 }))).Keys!;
    expect(keys.some((k) => k.KeyId === md.KeyId)).toBe(false);
    const aliases = (await kms().send(new ListAliasesCommand({}))).Aliases!;
    expect(aliases.some((a) => a.AliasName === 'alias/doomed')).toBe(false);
  });
});

describe('rotation', () => {
  test('automatic rotation on the clock keeps old material able to decrypt', async () => {
    const md = await newKey();
    expect(await kms().send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).toMatchObject({ KeyId: md.Arn, KeyRotationEnabled: false });
    const old = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('before rotation') }));
    expect(await failure(kms().send(new EnableKeyRotationCommand({ KeyId: md.KeyId, RotationPeriodInDays: 30 })))).toMatchObject({ name: 'ValidationException' });
    const start = ctx.g.clock.now().getTime();
    await kms().send(new EnableKeyRotationCommand({ KeyId: md.KeyId, RotationPeriodInDays: 90 }));
    expect(await kms().send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).toMatchObject({
      KeyRotationEnabled: true, RotationPeriodInDays: 90, NextRotationDate: new Date(start + 90 * DAY),
    });
    ctx.g.clock.advance(181 * DAY);
    const rotations = (await kms().send(new ListKeyRotationsCommand({ KeyId: md.KeyId }))).Rotations!;
    expect(rotations.map((r) => [r.RotationType, r.RotationDate])).toEqual([
      ['AUTOMATIC', new Date(start + 90 * DAY)],
      ['AUTOMATIC', new Date(start + 180 * DAY)],
    ]);
    const d = (await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    expect(d.CurrentKeyMaterialId).toBe(rotations[1]!.KeyMaterialId);
    expect(d.CurrentKeyMaterialId).not.toBe(md.CurrentKeyMaterialId);
    const dec = await kms().send(new DecryptCommand({ CiphertextBlob: old.CiphertextBlob }));
    expect(td.decode(dec.Plaintext)).toBe('before rotation');
    expect(dec.KeyMaterialId).toBe(md.CurrentKeyMaterialId);
    const fresh = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('after') }));
    expect((await kms().send(new DecryptCommand({ CiphertextBlob: fresh.CiphertextBlob }))).KeyMaterialId).toBe(d.CurrentKeyMaterialId);

    await kms().send(new DisableKeyRotationCommand({ KeyId: md.KeyId }));
    expect(await kms().send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).toMatchObject({ KeyRotationEnabled: false });
  });

  test('RotateKeyOnDemand; rotation is refused for asymmetric keys', async () => {
    const md = await newKey();
    const ct = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('v1') }));
    expect(await kms().send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId }))).toMatchObject({ KeyId: md.Arn });
    const r = (await kms().send(new ListKeyRotationsCommand({ KeyId: md.KeyId }))).Rotations!;
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ RotationType: 'ON_DEMAND', KeyId: md.Arn, KeyMaterialState: 'CURRENT' });
    expect(td.decode((await kms().send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext)).toBe('v1');
    const rsa = await newKey({ KeySpec: 'RSA_2048' });
    expect(await failure(kms().send(new EnableKeyRotationCommand({ KeyId: rsa.KeyId })))).toMatchObject({ name: 'UnsupportedOperationException' });
    expect(await failure(kms().send(new RotateKeyOnDemandCommand({ KeyId: rsa.KeyId })))).toMatchObject({ name: 'UnsupportedOperationException' });
  });
});

describe('aliases', () => {
  test('create, use everywhere (name and ARN), update, list, delete', async () => {
    const a = await newKey();
    const b = await newKey();
    await kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: a.KeyId }));
    const aliasArn = `arn:aws:kms:us-east-1:${ACCOUNT}:alias/app`;
    expect((await kms().send(new DescribeKeyCommand({ KeyId: 'alias/app' }))).KeyMetadata!.KeyId).toBe(a.KeyId);
    expect((await kms().send(new DescribeKeyCommand({ KeyId: aliasArn }))).KeyMetadata!.KeyId).toBe(a.KeyId);
    const ct = await kms().send(new EncryptCommand({ KeyId: aliasArn, Plaintext: te.encode('hi') }));
    expect(ct.KeyId).toBe(a.Arn);
    expect(await failure(kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.KeyId })))).toEqual({
      name: 'AlreadyExistsException', message: `An alias with the name ${aliasArn} already exists`, status: 409,
    });
    expect(await failure(kms().send(new CreateAliasCommand({ AliasName: 'app2', TargetKeyId: b.KeyId })))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(kms().send(new CreateAliasCommand({ AliasName: 'alias/aws/mine', TargetKeyId: b.KeyId })))).toMatchObject({ name: 'NotAuthorizedException' });
    expect(await failure(kms().send(new CreateAliasCommand({ AliasName: 'alias/x y', TargetKeyId: b.KeyId })))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(kms().send(new CreateAliasCommand({ AliasName: 'alias/x', TargetKeyId: 'alias/app' })))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(kms().send(new DisableKeyCommand({ KeyId: 'alias/app' })))).toMatchObject({ name: 'NotFoundException' });

    ctx.g.clock.advance(1000);
    await kms().send(new UpdateAliasCommand({ AliasName: 'alias/app', TargetKeyId: b.Arn }));
    const listed = (await kms().send(new ListAliasesCommand({ KeyId: b.KeyId }))).Aliases!;
    expect(listed).toEqual([{ AliasName: 'alias/app', AliasArn: aliasArn, TargetKeyId: b.KeyId, CreationDate: expect.any(Date), LastUpdatedDate: expect.any(Date) }]);
    expect(listed[0]!.LastUpdatedDate!.getTime()).toBe(listed[0]!.CreationDate!.getTime() + 1000);
    // the old ciphertext still names key a, so it decrypts without KeyId but not with the alias (now b)
    expect(td.decode((await kms().send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob }))).Plaintext)).toBe('hi');
    expect(await failure(kms().send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob, KeyId: 'alias/app' })))).toMatchObject({
      name: 'IncorrectKeyException', message: 'The key ID in the request does not identify a CMK that can perform this operation.',
    });
    await kms().send(new DeleteAliasCommand({ AliasName: 'alias/app' }));
    expect(await failure(kms().send(new DeleteAliasCommand({ AliasName: 'alias/app' })))).toMatchObject({ name: 'NotFoundException', message: `Alias ${aliasArn} is not found.` });
  });

  test('AWS managed aliases come into being on first use', async () => {
    const out = await kms().send(new EncryptCommand({ KeyId: 'alias/aws/secretsmanager', Plaintext: te.encode('s') }));
    const md = (await kms().send(new DescribeKeyCommand({ KeyId: 'alias/aws/secretsmanager' }))).KeyMetadata!;
    expect(md).toMatchObject({ KeyManager: 'AWS', KeyState: 'Enabled', Arn: out.KeyId });
    expect(await kms().send(new GetKeyRotationStatusCommand({ KeyId: md.KeyId }))).toMatchObject({ KeyRotationEnabled: true });
    expect(await failure(kms().send(new ScheduleKeyDeletionCommand({ KeyId: md.KeyId })))).toMatchObject({ name: 'UnsupportedOperationException' });
  });
});

describe('tags, policies, grants', () => {
  test('TagResource / UntagResource / ListResourceTags', async () => {
    const md = await newKey();
    await kms().send(new TagResourceCommand({ KeyId: md.Arn, Tags: [{ TagKey: 'b', TagValue: '2' }, { TagKey: 'a', TagValue: '1' }] }));
    await kms().send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'a', TagValue: 'one' }] }));
    expect((await kms().send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags).toEqual([{ TagKey: 'a', TagValue: 'one' }, { TagKey: 'b', TagValue: '2' }]);
    const p1 = await kms().send(new ListResourceTagsCommand({ KeyId: md.KeyId, Limit: 1 }));
    expect(p1).toMatchObject({ Tags: [{ TagKey: 'a', TagValue: 'one' }], Truncated: true });
    expect((await kms().send(new ListResourceTagsCommand({ KeyId: md.KeyId, Marker: p1.NextMarker }))).Tags).toEqual([{ TagKey: 'b', TagValue: '2' }]);
    await kms().send(new UntagResourceCommand({ KeyId: md.KeyId, TagKeys: ['a'] }));
    expect((await kms().send(new ListResourceTagsCommand({ KeyId: md.KeyId }))).Tags).toEqual([{ TagKey: 'b', TagValue: '2' }]);
    expect(await failure(kms().send(new TagResourceCommand({ KeyId: md.KeyId, Tags: [{ TagKey: 'aws:x', TagValue: '1' }] })))).toMatchObject({ name: 'TagException' });
  });

  test('PutKeyPolicy / GetKeyPolicy / ListKeyPolicies', async () => {
    const md = await newKey();
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:Decrypt', Resource: '*' }] });
    await kms().send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: policy }));
    expect((await kms().send(new GetKeyPolicyCommand({ KeyId: md.KeyId, PolicyName: 'default' }))).Policy).toBe(policy);
    expect(await kms().send(new ListKeyPoliciesCommand({ KeyId: md.KeyId }))).toMatchObject({ PolicyNames: ['default'], Truncated: false });
    expect(await failure(kms().send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: '[]' })))).toMatchObject({ name: 'MalformedPolicyDocumentException' });
    expect(await failure(kms().send(new PutKeyPolicyCommand({ KeyId: md.KeyId, Policy: '{"Statement":[{"Effect":"Maybe"}]}' })))).toMatchObject({ name: 'MalformedPolicyDocumentException' });
  });

  test('CreateGrant / ListGrants / ListRetirableGrants / RetireGrant / RevokeGrant', async () => {
    const md = await newKey();
    const grantee = `arn:aws:iam::${ACCOUNT}:role/app`;
    const retiree = `arn:aws:iam::${ACCOUNT}:role/ops`;
    const g1 = await kms().send(new CreateGrantCommand({
      KeyId: md.KeyId, GranteePrincipal: grantee, RetiringPrincipal: retiree, Operations: ['Encrypt', 'Decrypt'], Name: 'g1',
      Constraints: { EncryptionContextSubset: { app: 'web' } },
    }));
    expect(g1.GrantId).toMatch(/^[0-9a-f]{64}$/);
    expect(g1.GrantToken!.length).toBeGreaterThan(64);
    const g2 = await kms().send(new CreateGrantCommand({ KeyId: md.Arn, GranteePrincipal: grantee, Operations: ['DescribeKey'] }));
    const listed = (await kms().send(new ListGrantsCommand({ KeyId: md.KeyId }))).Grants!;
    expect(listed).toHaveLength(2);
    expect(listed[0]).toEqual({
      KeyId: md.Arn, GrantId: g1.GrantId, Name: 'g1', CreationDate: expect.any(Date), GranteePrincipal: grantee, RetiringPrincipal: retiree,
      IssuingAccount: `arn:aws:iam::${ACCOUNT}:root`, Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { app: 'web' } },
    });
    expect((await kms().send(new ListRetirableGrantsCommand({ RetiringPrincipal: retiree }))).Grants!.map((g) => g.GrantId)).toEqual([g1.GrantId]);
    expect(await failure(kms().send(new CreateGrantCommand({ KeyId: md.KeyId, GranteePrincipal: grantee, Operations: ['Fly' as never] })))).toMatchObject({ name: 'ValidationException' }); // not a GrantOperation on purpose
    await kms().send(new RetireGrantCommand({ GrantToken: g1.GrantToken }));
    await kms().send(new RevokeGrantCommand({ KeyId: md.KeyId, GrantId: g2.GrantId }));
    expect((await kms().send(new ListGrantsCommand({ KeyId: md.KeyId }))).Grants).toEqual([]);
    expect(await failure(kms().send(new RevokeGrantCommand({ KeyId: md.KeyId, GrantId: g2.GrantId! })))).toMatchObject({ name: 'NotFoundException' });
  });
});

describe('symmetric encryption', () => {
  test('Encrypt/Decrypt with encryption context; a wrong context fails; no KeyId needed', async () => {
    const md = await newKey();
    const ctxA = { tenant: 'a', purpose: 'test' };
    const ct = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('secret'), EncryptionContext: ctxA }));
    expect(ct).toMatchObject({ KeyId: md.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await kms().send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob, EncryptionContext: { purpose: 'test', tenant: 'a' } }));
    expect(td.decode(dec.Plaintext)).toBe('secret');
    expect(dec).toMatchObject({ KeyId: md.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    expect(await failure(kms().send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob, EncryptionContext: { tenant: 'b', purpose: 'test' } })))).toMatchObject({ name: 'InvalidCiphertextException', status: 400 });
    expect(await failure(kms().send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob })))).toMatchObject({ name: 'InvalidCiphertextException' });
    const tampered = Buffer.from(ct.CiphertextBlob!);
    tampered[tampered.length - 1]! ^= 1;
    expect(await failure(kms().send(new DecryptCommand({ CiphertextBlob: tampered, EncryptionContext: ctxA })))).toMatchObject({ name: 'InvalidCiphertextException' });
    expect(await failure(kms().send(new DecryptCommand({ CiphertextBlob: te.encode('garbage') })))).toMatchObject({ name: 'InvalidCiphertextException' });
    const other = await newKey();
    expect(await failure(kms().send(new DecryptCommand({ CiphertextBlob: ct.CiphertextBlob, KeyId: other.KeyId, EncryptionContext: ctxA })))).toMatchObject({ name: 'IncorrectKeyException' });
    expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: new Uint8Array(4097) })))).toMatchObject({ name: 'ValidationException' });
    expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })))).toMatchObject({
      name: 'InvalidKeyUsageException', message: 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.',
    });
    const signKey = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(await failure(kms().send(new EncryptCommand({ KeyId: signKey.KeyId, Plaintext: te.encode('x') })))).toEqual({
      name: 'InvalidKeyUsageException', message: `${signKey.Arn} key usage is SIGN_VERIFY which is not valid for Encrypt.`, status: 400,
    });
    expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x'), DryRun: true })))).toMatchObject({ name: 'DryRunOperationException', status: 412 });
  });

  test('ReEncrypt moves a ciphertext to another key and context', async () => {
    const a = await newKey();
    const b = await newKey();
    const ct = await kms().send(new EncryptCommand({ KeyId: a.KeyId, Plaintext: te.encode('move me'), EncryptionContext: { v: '1' } }));
    const re = await kms().send(new ReEncryptCommand({ CiphertextBlob: ct.CiphertextBlob, SourceEncryptionContext: { v: '1' }, DestinationKeyId: b.KeyId, DestinationEncryptionContext: { v: '2' } }));
    expect(re).toMatchObject({ SourceKeyId: a.Arn, KeyId: b.Arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await kms().send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { v: '2' } }));
    expect([td.decode(dec.Plaintext), dec.KeyId]).toEqual(['move me', b.Arn]);
    expect(await failure(kms().send(new ReEncryptCommand({ CiphertextBlob: ct.CiphertextBlob, SourceKeyId: b.KeyId, SourceEncryptionContext: { v: '1' }, DestinationKeyId: b.KeyId })))).toMatchObject({ name: 'IncorrectKeyException' });
  });
});
