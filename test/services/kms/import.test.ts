// covers: kms.CreateKey kms.GetParametersForImport kms.ImportKeyMaterial kms.DeleteImportedKeyMaterial kms.DescribeKey kms.Encrypt kms.Decrypt kms.GenerateMac kms.Sign kms.GetPublicKey kms.RotateKeyOnDemand kms.ListKeyRotations kms.EnableKeyRotation
import {
  constants, createCipheriv, createHmac, createPublicKey, generateKeyPairSync, publicEncrypt, randomBytes, verify as nodeVerify, type KeyObject,
} from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CreateKeyCommand, DecryptCommand, DeleteImportedKeyMaterialCommand, DescribeKeyCommand, EnableKeyRotationCommand, EncryptCommand,
  GenerateMacCommand, GetParametersForImportCommand, GetPublicKeyCommand, ImportKeyMaterialCommand, KMSClient, ListKeyRotationsCommand,
  RotateKeyOnDemandCommand, SignCommand, type AlgorithmSpec, type CreateKeyCommandInput, type WrappingKeySpec,
} from '@aws-sdk/client-kms';
import { awsCli, clientConfig, failure, HAS_AWS_CLI, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-04-01T00:00:00Z');
const DAY = 86_400_000;
beforeAll(() => ctx.g.clock.set(T0));

const kms = () => new KMSClient(clientConfig(ctx.g));
const te = new TextEncoder();

const externalKey = async (extra: CreateKeyCommandInput = {}) => (await kms().send(new CreateKeyCommand({ Origin: 'EXTERNAL', ...extra }))).KeyMetadata!;

async function parameters(keyId: string, WrappingAlgorithm: AlgorithmSpec = 'RSAES_OAEP_SHA_256', WrappingKeySpec: WrappingKeySpec = 'RSA_2048') {
  const p = await kms().send(new GetParametersForImportCommand({ KeyId: keyId, WrappingAlgorithm, WrappingKeySpec }));
  return { token: p.ImportToken!, wrappingKey: createPublicKey({ key: Buffer.from(p.PublicKey!), format: 'der', type: 'spki' }), out: p };
}

/** RSAES_OAEP_*: the material encrypted directly under the wrapping key. */
const oaepWrap = (key: KeyObject, material: Buffer, hash = 'sha256') => publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, material);

/** RSA_AES_KEY_WRAP_*: RSA-OAEP(AES key) ‖ AES key wrap with padding (RFC 5649) of the material. */
function aesKeyWrap(key: KeyObject, material: Buffer, hash = 'sha256'): Buffer {
  const aes = randomBytes(32);
  const c = createCipheriv('id-aes256-wrap-pad', aes, Buffer.from('a65959a6', 'hex'));
  return Buffer.concat([oaepWrap(key, aes, hash), c.update(material), c.final()]);
}

describe('symmetric key material', () => {
  test('an EXTERNAL key waits for its material; imported material encrypts; it expires on the clock and can be reimported', async () => {
    const md = await externalKey({ Description: 'byok' });
    expect(md).toMatchObject({ Origin: 'EXTERNAL', KeyState: 'PendingImport', Enabled: false });
    expect(md.CurrentKeyMaterialId).toBeUndefined();
    expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x') })))).toMatchObject({
      name: 'KMSInvalidStateException', message: `${md.Arn} is pending import.`,
    });

    const { token, wrappingKey, out } = await parameters(md.KeyId!);
    expect(out.KeyId).toBe(md.Arn);
    expect(out.ParametersValidTo).toEqual(new Date(T0 + DAY));
    expect(wrappingKey.asymmetricKeyDetails?.modulusLength).toBe(2048);

    const material = randomBytes(32);
    const imported = await kms().send(new ImportKeyMaterialCommand({
      KeyId: md.KeyId, ImportToken: token, EncryptedKeyMaterial: oaepWrap(wrappingKey, material), ValidTo: new Date(T0 + 10 * DAY),
    }));
    expect(imported.KeyId).toBe(md.Arn);
    expect(imported.KeyMaterialId).toMatch(/^[0-9a-f]{64}$/);
    const d = (await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    expect(d).toMatchObject({ KeyState: 'Enabled', Enabled: true, ExpirationModel: 'KEY_MATERIAL_EXPIRES', ValidTo: new Date(T0 + 10 * DAY), CurrentKeyMaterialId: imported.KeyMaterialId });

    const ct = (await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('under my own key'), EncryptionContext: { a: 'b' } }))).CiphertextBlob!;
    const pt = await kms().send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { a: 'b' } }));
    expect(Buffer.from(pt.Plaintext!).toString()).toBe('under my own key');
    expect(pt.KeyMaterialId).toBe(imported.KeyMaterialId);

    // ValidTo passes: KMS deletes the material and the key waits for it again
    ctx.g.clock.advance(10 * DAY);
    expect((await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata).toMatchObject({ KeyState: 'PendingImport', Enabled: false });
    expect((await failure(kms().send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { a: 'b' } })))).name).toBe('KMSInvalidStateException');

    // other material is refused; the same material comes back with the same id, now without expiry
    const again = await parameters(md.KeyId!, 'RSAES_OAEP_SHA_1', 'RSA_3072');
    expect(await failure(kms().send(new ImportKeyMaterialCommand({
      KeyId: md.KeyId, ImportToken: again.token, EncryptedKeyMaterial: oaepWrap(again.wrappingKey, randomBytes(32), 'sha1'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    })))).toMatchObject({ name: 'IncorrectKeyMaterialException' });
    const re = await kms().send(new ImportKeyMaterialCommand({
      KeyId: md.KeyId, ImportToken: again.token, EncryptedKeyMaterial: oaepWrap(again.wrappingKey, material, 'sha1'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }));
    expect(re.KeyMaterialId).toBe(imported.KeyMaterialId);
    const after = (await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!;
    expect(after).toMatchObject({ KeyState: 'Enabled', ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' });
    expect(after.ValidTo).toBeUndefined();
    expect(Buffer.from((await kms().send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { a: 'b' } }))).Plaintext!).toString()).toBe('under my own key');

    // DeleteImportedKeyMaterial: unusable again at once
    const del = await kms().send(new DeleteImportedKeyMaterialCommand({ KeyId: md.KeyId }));
    expect(del).toMatchObject({ KeyId: md.Arn, KeyMaterialId: imported.KeyMaterialId });
    expect((await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.KeyState).toBe('PendingImport');
    const rotations = (await kms().send(new ListKeyRotationsCommand({ KeyId: md.KeyId }))).Rotations!;
    expect(rotations).toEqual([expect.objectContaining({ KeyMaterialId: imported.KeyMaterialId, ImportState: 'PENDING_IMPORT', KeyMaterialState: 'CURRENT' })]);
  });

  test('import tokens: expiry after 24 hours, another key\'s token, bad wrapping, ValidTo rules, AWS_KMS keys', async () => {
    const a = await externalKey();
    const b = await externalKey();
    const pa = await parameters(a.KeyId!);
    const material = randomBytes(32);
    expect(await failure(kms().send(new ImportKeyMaterialCommand({
      KeyId: b.KeyId, ImportToken: pa.token, EncryptedKeyMaterial: oaepWrap(pa.wrappingKey, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    })))).toMatchObject({ name: 'InvalidImportTokenException', status: 400 });
    expect((await failure(kms().send(new ImportKeyMaterialCommand({
      KeyId: a.KeyId, ImportToken: pa.token, EncryptedKeyMaterial: randomBytes(256), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    })))).name).toBe('InvalidCiphertextException');
    expect((await failure(kms().send(new ImportKeyMaterialCommand({
      KeyId: a.KeyId, ImportToken: pa.token, EncryptedKeyMaterial: oaepWrap(pa.wrappingKey, randomBytes(16)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    })))).name).toBe('IncorrectKeyMaterialException');
    for (const bad of [{}, { ValidTo: new Date(ctx.g.clock.now().getTime() - 1000) }, { ValidTo: new Date(ctx.g.clock.now().getTime() + 400 * DAY) }]) {
      expect((await failure(kms().send(new ImportKeyMaterialCommand({ KeyId: a.KeyId, ImportToken: pa.token, EncryptedKeyMaterial: oaepWrap(pa.wrappingKey, material), ...bad })))).name).toBe('ValidationException');
    }
    ctx.g.clock.advance(DAY + 1000);
    expect(await failure(kms().send(new ImportKeyMaterialCommand({
      KeyId: a.KeyId, ImportToken: pa.token, EncryptedKeyMaterial: oaepWrap(pa.wrappingKey, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    })))).toMatchObject({ name: 'ExpiredImportTokenException' });
    const generated = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    expect((await failure(kms().send(new GetParametersForImportCommand({ KeyId: generated.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })))).name)
      .toBe('UnsupportedOperationException');
    // RSA_1024 is not a WrappingKeySpec: sent on purpose to get the validation error
    expect((await failure(kms().send(new GetParametersForImportCommand({ KeyId: a.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_1024' as never })))).name)
      .toBe('ValidationException');
  });

  test('NEW_KEY_MATERIAL is pending rotation until RotateKeyOnDemand; older material still decrypts', async () => {
    const md = await externalKey();
    const p = await parameters(md.KeyId!);
    const first = (await kms().send(new ImportKeyMaterialCommand({
      KeyId: md.KeyId, ImportToken: p.token, EncryptedKeyMaterial: oaepWrap(p.wrappingKey, randomBytes(32)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
    }))).KeyMaterialId!;
    const old = (await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('v1') }))).CiphertextBlob!;
    const second = (await kms().send(new ImportKeyMaterialCommand({
      KeyId: md.KeyId, ImportToken: p.token, EncryptedKeyMaterial: oaepWrap(p.wrappingKey, randomBytes(32)), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE',
      ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'next',
    }))).KeyMaterialId!;
    expect(second).not.toBe(first);
    expect((await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(first);
    expect((await kms().send(new ListKeyRotationsCommand({ KeyId: md.KeyId }))).Rotations!.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.KeyMaterialDescription]))
      .toEqual([[first, 'CURRENT', undefined], [second, 'PENDING_ROTATION', 'next']]);
    expect((await failure(kms().send(new EnableKeyRotationCommand({ KeyId: md.KeyId })))).name).toBe('UnsupportedOperationException');
    await kms().send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId }));
    expect((await kms().send(new DescribeKeyCommand({ KeyId: md.KeyId }))).KeyMetadata!.CurrentKeyMaterialId).toBe(second);
    const fresh = (await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('v2') }))).CiphertextBlob!;
    expect((await kms().send(new DecryptCommand({ CiphertextBlob: fresh }))).KeyMaterialId).toBe(second);
    expect((await kms().send(new DecryptCommand({ CiphertextBlob: old }))).KeyMaterialId).toBe(first);
    // nothing pending any more
    expect((await failure(kms().send(new RotateKeyOnDemandCommand({ KeyId: md.KeyId })))).name).toBe('KMSInvalidStateException');
  });
});

describe('HMAC and asymmetric key material (RSA_AES_KEY_WRAP)', () => {
  test('an imported HMAC key computes the same MAC as node:crypto', async () => {
    const md = await externalKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const p = await parameters(md.KeyId!, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_4096');
    const material = randomBytes(40);
    await kms().send(new ImportKeyMaterialCommand({ KeyId: md.KeyId, ImportToken: p.token, EncryptedKeyMaterial: aesKeyWrap(p.wrappingKey, material), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
    const mac = await kms().send(new GenerateMacCommand({ KeyId: md.KeyId, MacAlgorithm: 'HMAC_SHA_256', Message: te.encode('message') }));
    expect(Buffer.from(mac.Mac!)).toEqual(createHmac('sha256', material).update('message').digest());
  });

  test('an imported ECC private key signs; GetPublicKey is its public key; RSA material needs RSA_AES_KEY_WRAP', async () => {
    const md = await externalKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    const p = await parameters(md.KeyId!, 'RSA_AES_KEY_WRAP_SHA_1', 'RSA_2048');
    const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pkcs8 = pair.privateKey.export({ format: 'der', type: 'pkcs8' });
    // a P-384 key does not fit a P-256 KMS key
    const wrong = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey.export({ format: 'der', type: 'pkcs8' });
    expect((await failure(kms().send(new ImportKeyMaterialCommand({ KeyId: md.KeyId, ImportToken: p.token, EncryptedKeyMaterial: aesKeyWrap(p.wrappingKey, wrong, 'sha1'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })))).name)
      .toBe('IncorrectKeyMaterialException');
    await kms().send(new ImportKeyMaterialCommand({ KeyId: md.KeyId, ImportToken: p.token, EncryptedKeyMaterial: aesKeyWrap(p.wrappingKey, pkcs8, 'sha1'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }));
    const pub = await kms().send(new GetPublicKeyCommand({ KeyId: md.KeyId }));
    expect(Buffer.from(pub.PublicKey!)).toEqual(pair.publicKey.export({ format: 'der', type: 'spki' }));
    const sig = await kms().send(new SignCommand({ KeyId: md.KeyId, Message: te.encode('hello'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    expect(nodeVerify('sha256', te.encode('hello'), pair.publicKey, sig.Signature!)).toBe(true);

    const rsa = await externalKey({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' });
    expect((await failure(kms().send(new GetParametersForImportCommand({ KeyId: rsa.KeyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' })))).name)
      .toBe('ValidationException');
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('create-key --origin EXTERNAL and get-parameters-for-import', async () => {
    const created = await awsCli(ctx.g, ['kms', 'create-key', '--origin', 'EXTERNAL']);
    const keyId = (created.json as { KeyMetadata: { KeyId: string; KeyState: string } }).KeyMetadata.KeyId;
    expect((created.json as { KeyMetadata: { KeyState: string } }).KeyMetadata.KeyState).toBe('PendingImport');
    const r = await awsCli(ctx.g, ['kms', 'get-parameters-for-import', '--key-id', keyId, '--wrapping-algorithm', 'RSAES_OAEP_SHA_256', '--wrapping-key-spec', 'RSA_2048']);
    expect(r.status).toBe(0);
    const out = r.json as { PublicKey: string; ImportToken: string };
    expect(createPublicKey({ key: Buffer.from(out.PublicKey, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType).toBe('rsa');
    expect(out.ImportToken.length).toBeGreaterThan(10);
  });
});
