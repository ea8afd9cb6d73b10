// covers: kms.Sign kms.Verify kms.GetPublicKey kms.GenerateMac kms.VerifyMac kms.GenerateDataKey kms.GenerateDataKeyWithoutPlaintext kms.GenerateDataKeyPair kms.GenerateDataKeyPairWithoutPlaintext kms.GenerateRandom kms.DeriveSharedSecret kms.Encrypt kms.Decrypt
import { constants, createDecipheriv, createCipheriv, createHash, createHmac, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, publicEncrypt, randomBytes, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  CreateKeyCommand, DecryptCommand, DeriveSharedSecretCommand, EncryptCommand, GenerateDataKeyCommand, GenerateDataKeyPairCommand,
  GenerateDataKeyPairWithoutPlaintextCommand, GenerateDataKeyWithoutPlaintextCommand, GenerateMacCommand, GenerateRandomCommand,
  GetPublicKeyCommand, KMSClient, SignCommand, VerifyCommand, VerifyMacCommand,
  type CreateKeyCommandInput, type KeySpec, type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { clientConfig, useGureum, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const kms = () => new KMSClient(clientConfig(ctx.g));
const te = new TextEncoder();

const newKey = async (extra: CreateKeyCommandInput = {}) => (await kms().send(new CreateKeyCommand(extra))).KeyMetadata!;
const spki = (der: Uint8Array) => createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' });

describe('Sign / Verify, checked with node:crypto and GetPublicKey', () => {
  const cases: [KeySpec, SigningAlgorithmSpec][] = [
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_256'],
    ['RSA_2048', 'RSASSA_PSS_SHA_256'],
    ['RSA_3072', 'RSASSA_PSS_SHA_384'],
    ['RSA_2048', 'RSASSA_PKCS1_V1_5_SHA_512'],
    ['ECC_NIST_P256', 'ECDSA_SHA_256'],
    ['ECC_NIST_P384', 'ECDSA_SHA_384'],
    ['ECC_NIST_P521', 'ECDSA_SHA_512'],
    ['ECC_SECG_P256K1', 'ECDSA_SHA_256'],
  ];
  for (const [spec, alg] of cases) {
    test(`${spec} ${alg}: RAW and DIGEST`, async () => {
      const md = await newKey({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' });
      const pub = await kms().send(new GetPublicKeyCommand({ KeyId: md.KeyId }));
      expect(pub).toMatchObject({ KeyId: md.Arn, KeySpec: spec, KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: md.SigningAlgorithms });
      const key = spki(pub.PublicKey!);
      const hash = `sha${/(\d+)$/.exec(alg)![1]}`;
      const pss = alg.includes('PSS');
      const opts = (k: ReturnType<typeof spki>) => (spec.startsWith('RSA') ? { key: k, padding: pss ? constants.RSA_PKCS1_PSS_PADDING : constants.RSA_PKCS1_PADDING, saltLength: pss ? constants.RSA_PSS_SALTLEN_DIGEST : undefined } : k);
      const message = te.encode(`message for ${spec}`);

      const raw = await kms().send(new SignCommand({ KeyId: md.KeyId, Message: message, SigningAlgorithm: alg }));
      expect(raw).toMatchObject({ KeyId: md.Arn, SigningAlgorithm: alg });
      expect(nodeVerify(hash, message, opts(key), raw.Signature!)).toBe(true);

      const digest = createHash(hash).update(message).digest();
      const dg = await kms().send(new SignCommand({ KeyId: md.KeyId, Message: digest, MessageType: 'DIGEST', SigningAlgorithm: alg }));
      expect(nodeVerify(hash, message, opts(key), dg.Signature!)).toBe(true);

      expect((await kms().send(new VerifyCommand({ KeyId: md.KeyId, Message: message, Signature: raw.Signature, SigningAlgorithm: alg }))).SignatureValid).toBe(true);
      expect((await kms().send(new VerifyCommand({ KeyId: md.KeyId, Message: digest, MessageType: 'DIGEST', Signature: dg.Signature, SigningAlgorithm: alg }))).SignatureValid).toBe(true);
      expect((await kms().send(new VerifyCommand({ KeyId: md.KeyId, Message: digest, MessageType: 'DIGEST', Signature: raw.Signature, SigningAlgorithm: alg }))).SignatureValid).toBe(true);
      expect(await failure(kms().send(new VerifyCommand({ KeyId: md.KeyId, Message: te.encode('other'), Signature: raw.Signature, SigningAlgorithm: alg })))).toMatchObject({ name: 'KMSInvalidSignatureException', status: 400 });
    }, 30_000);
  }

  test('signature errors: wrong algorithm, digest length, usage', async () => {
    const ec = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' });
    expect(await failure(kms().send(new SignCommand({ KeyId: ec.KeyId, Message: te.encode('m'), SigningAlgorithm: 'ECDSA_SHA_384' })))).toMatchObject({
      name: 'InvalidKeyUsageException', message: 'Algorithm ECDSA_SHA_384 is incompatible with key spec ECC_NIST_P256.',
    });
    expect(await failure(kms().send(new SignCommand({ KeyId: ec.KeyId, Message: te.encode('short'), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256' })))).toMatchObject({
      name: 'ValidationException', message: 'Digest is invalid length for algorithm ECDSA_SHA_256.',
    });
    const sym = await newKey();
    expect(await failure(kms().send(new SignCommand({ KeyId: sym.KeyId, Message: te.encode('m'), SigningAlgorithm: 'ECDSA_SHA_256' })))).toMatchObject({
      name: 'InvalidKeyUsageException', message: `${sym.Arn} key usage is ENCRYPT_DECRYPT which is not valid for Sign.`,
    });
    expect(await failure(kms().send(new GetPublicKeyCommand({ KeyId: sym.KeyId })))).toMatchObject({ name: 'UnsupportedOperationException' });
  });
});

describe('RSA encryption', () => {
  test('OAEP SHA-1/SHA-256 with size limits; a public-key encryption made outside decrypts in KMS', async () => {
    const md = await newKey({ KeySpec: 'RSA_2048' });
    for (const [alg, limit] of [['RSAES_OAEP_SHA_1', 214], ['RSAES_OAEP_SHA_256', 190]] as const) {
      const pt = randomBytes(limit);
      const ct = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: pt, EncryptionAlgorithm: alg }));
      expect(ct.CiphertextBlob!.length).toBe(256);
      const dec = await kms().send(new DecryptCommand({ KeyId: md.KeyId, CiphertextBlob: ct.CiphertextBlob, EncryptionAlgorithm: alg }));
      expect(Buffer.from(dec.Plaintext!).equals(pt)).toBe(true);
      expect(dec.EncryptionAlgorithm).toBe(alg);
      expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: randomBytes(limit + 1), EncryptionAlgorithm: alg })))).toMatchObject({ name: 'ValidationException' });
    }
    const pub = await kms().send(new GetPublicKeyCommand({ KeyId: md.KeyId }));
    expect(pub.EncryptionAlgorithms).toEqual(['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256']);
    const outside = publicEncrypt({ key: spki(pub.PublicKey!), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, te.encode('from outside'));
    const dec = await kms().send(new DecryptCommand({ KeyId: md.KeyId, CiphertextBlob: outside, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('from outside');
    expect(await failure(kms().send(new DecryptCommand({ CiphertextBlob: outside })))).toMatchObject({ name: 'InvalidCiphertextException' });
    expect(await failure(kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: te.encode('x') })))).toMatchObject({
      name: 'InvalidKeyUsageException', message: 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.',
    });
    expect(await failure(kms().send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' })))).toMatchObject({ name: 'InvalidKeyUsageException' });
  });
});

describe('data keys', () => {
  test('GenerateDataKey: usable plaintext key, ciphertext decrypts to it; WithoutPlaintext', async () => {
    const md = await newKey();
    const dk = await kms().send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_256', EncryptionContext: { f: 'x' } }));
    expect(dk.Plaintext!.length).toBe(32);
    expect(dk.KeyId).toBe(md.Arn);
    const back = await kms().send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: { f: 'x' } }));
    expect(Buffer.from(back.Plaintext!).equals(Buffer.from(dk.Plaintext!))).toBe(true);
    // envelope encryption with the data key works as a plain AES key
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', dk.Plaintext!, iv);
    const sealed = Buffer.concat([c.update('payload'), c.final()]);
    const tag = c.getAuthTag();
    const d = createDecipheriv('aes-256-gcm', back.Plaintext!, iv);
    d.setAuthTag(tag);
    expect(Buffer.concat([d.update(sealed), d.final()]).toString()).toBe('payload');

    expect((await kms().send(new GenerateDataKeyCommand({ KeyId: md.KeyId, KeySpec: 'AES_128' }))).Plaintext!.length).toBe(16);
    expect((await kms().send(new GenerateDataKeyCommand({ KeyId: md.KeyId, NumberOfBytes: 7 }))).Plaintext!.length).toBe(7);
    const np = await kms().send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: md.KeyId, KeySpec: 'AES_256' }));
    expect(np).not.toHaveProperty('Plaintext');
    expect((await kms().send(new DecryptCommand({ CiphertextBlob: np.CiphertextBlob }))).Plaintext!.length).toBe(32);
    expect(await failure(kms().send(new GenerateDataKeyCommand({ KeyId: md.KeyId })))).toMatchObject({ name: 'ValidationException', message: 'Please specify either number of bytes or key spec.' });
    expect(await failure(kms().send(new GenerateDataKeyCommand({ KeyId: md.KeyId, NumberOfBytes: 1025 })))).toMatchObject({ name: 'ValidationException' });
  });

  test('GenerateDataKeyPair(WithoutPlaintext): matching DER keys, private key decrypts', async () => {
    const md = await newKey();
    const pair = await kms().send(new GenerateDataKeyPairCommand({ KeyId: md.KeyId, KeyPairSpec: 'ECC_NIST_P256' }));
    expect(pair).toMatchObject({ KeyId: md.Arn, KeyPairSpec: 'ECC_NIST_P256' });
    const priv = createPrivateKey({ key: Buffer.from(pair.PrivateKeyPlaintext!), format: 'der', type: 'pkcs8' });
    const sig = nodeSign('sha256', te.encode('x'), priv);
    expect(nodeVerify('sha256', te.encode('x'), spki(pair.PublicKey!), sig)).toBe(true);
    const dec = await kms().send(new DecryptCommand({ CiphertextBlob: pair.PrivateKeyCiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).equals(Buffer.from(pair.PrivateKeyPlaintext!))).toBe(true);
    const np = await kms().send(new GenerateDataKeyPairWithoutPlaintextCommand({ KeyId: md.KeyId, KeyPairSpec: 'RSA_2048' }));
    expect(np).not.toHaveProperty('PrivateKeyPlaintext');
    expect(spki(np.PublicKey!).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(await failure(kms().send(new GenerateDataKeyPairCommand({ KeyId: md.KeyId, KeyPairSpec: 'RSA_1' as never })))).toMatchObject({ name: 'ValidationException' }); // not a DataKeyPairSpec on purpose
  }, 30_000);
});

describe('HMAC, random, key agreement', () => {
  test('GenerateMac / VerifyMac', async () => {
    const md = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' });
    const m1 = await kms().send(new GenerateMacCommand({ KeyId: md.KeyId, Message: te.encode('hello'), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(m1).toMatchObject({ KeyId: md.Arn, MacAlgorithm: 'HMAC_SHA_256' });
    expect(m1.Mac!.length).toBe(32);
    const m2 = await kms().send(new GenerateMacCommand({ KeyId: md.KeyId, Message: te.encode('hello'), MacAlgorithm: 'HMAC_SHA_256' }));
    expect(Buffer.from(m2.Mac!).equals(Buffer.from(m1.Mac!))).toBe(true);
    expect((await kms().send(new VerifyMacCommand({ KeyId: md.KeyId, Message: te.encode('hello'), Mac: m1.Mac, MacAlgorithm: 'HMAC_SHA_256' }))).MacValid).toBe(true);
    expect(await failure(kms().send(new VerifyMacCommand({ KeyId: md.KeyId, Message: te.encode('hellO'), Mac: m1.Mac, MacAlgorithm: 'HMAC_SHA_256' })))).toMatchObject({ name: 'KMSInvalidMacException' });
    expect(await failure(kms().send(new GenerateMacCommand({ KeyId: md.KeyId, Message: te.encode('x'), MacAlgorithm: 'HMAC_SHA_512' })))).toMatchObject({ name: 'InvalidKeyUsageException' });
    // not a plain HMAC of some fixed key: differs from HMAC with an all-zero key
    expect(Buffer.from(m1.Mac!).equals(createHmac('sha256', Buffer.alloc(32)).update('hello').digest())).toBe(false);
  });

  test('GenerateRandom', async () => {
    const r = await kms().send(new GenerateRandomCommand({ NumberOfBytes: 64 }));
    expect(r.Plaintext!.length).toBe(64);
    expect(await failure(kms().send(new GenerateRandomCommand({ NumberOfBytes: 1025 })))).toMatchObject({ name: 'ValidationException' });
  });

  test('DeriveSharedSecret (ECDH) agrees with node:crypto', async () => {
    const md = await newKey({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' });
    expect(md.KeyAgreementAlgorithms).toEqual(['ECDH']);
    const kmsPub = spki((await kms().send(new GetPublicKeyCommand({ KeyId: md.KeyId }))).PublicKey!);
    const mine = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const out = await kms().send(new DeriveSharedSecretCommand({ KeyId: md.KeyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: mine.publicKey.export({ format: 'der', type: 'spki' }) }));
    expect(Buffer.from(out.SharedSecret!).equals(diffieHellman({ privateKey: mine.privateKey, publicKey: kmsPub }))).toBe(true);
  });
});
