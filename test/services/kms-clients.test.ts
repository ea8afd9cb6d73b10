// covers: kms.CreateKey kms.DescribeKey kms.Encrypt kms.Decrypt kms.CreateAlias kms.ListAliases kms.Sign kms.Verify kms.GenerateDataKey kms.ScheduleKeyDeletion kms.GetPublicKey
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, EncryptCommand, KMSClient, SignCommand, VerifyCommand } from '@aws-sdk/client-kms';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum } from '../helpers.js';

const ctx = useGureum();
const kms = () => new KMSClient(clientConfig(ctx.g));
const dir = mkdtempSync(join(tmpdir(), 'gureum-kms-'));

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('create-key / describe-key, encrypt with fileb:// → SDK decrypt, SDK encrypt → CLI decrypt', async () => {
    const created = await awsCli(ctx.g, ['kms', 'create-key', '--description', 'cli key']);
    expect(created.status, created.stderr).toBe(0);
    const md = (created.json as { KeyMetadata: { KeyId: string; Arn: string; KeyState: string; Description: string } }).KeyMetadata;
    expect(md).toMatchObject({ KeyState: 'Enabled', Description: 'cli key' });
    await kms().send(new CreateAliasCommand({ AliasName: 'alias/cli', TargetKeyId: md.KeyId }));
    const described = await awsCli(ctx.g, ['kms', 'describe-key', '--key-id', 'alias/cli']);
    expect((described.json as { KeyMetadata: { Arn: string } }).KeyMetadata.Arn).toBe(md.Arn);

    const pt = join(dir, 'plain.bin');
    const bytes = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    writeFileSync(pt, bytes);
    const enc = await awsCli(ctx.g, ['kms', 'encrypt', '--key-id', 'alias/cli', '--plaintext', `fileb://${pt}`, '--encryption-context', 'app=cli']);
    expect(enc.status, enc.stderr).toBe(0);
    const encOut = enc.json as { CiphertextBlob: string; KeyId: string; EncryptionAlgorithm: string };
    expect(encOut).toMatchObject({ KeyId: md.Arn, EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' });
    const dec = await kms().send(new DecryptCommand({ CiphertextBlob: Buffer.from(encOut.CiphertextBlob, 'base64'), EncryptionContext: { app: 'cli' } }));
    expect(Buffer.from(dec.Plaintext!).equals(bytes)).toBe(true);

    const sdkCt = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('from the sdk') }));
    const ctFile = join(dir, 'ct.bin');
    writeFileSync(ctFile, sdkCt.CiphertextBlob!);
    const cliDec = await awsCli(ctx.g, ['kms', 'decrypt', '--ciphertext-blob', `fileb://${ctFile}`]);
    expect(cliDec.status, cliDec.stderr).toBe(0);
    const out = cliDec.json as { Plaintext: string; KeyId: string };
    expect(Buffer.from(out.Plaintext, 'base64').toString()).toBe('from the sdk');
    expect(out.KeyId).toBe(md.Arn);

    const wrong = await awsCli(ctx.g, ['kms', 'decrypt', '--ciphertext-blob', `fileb://${ctFile}`, '--encryption-context', 'app=other']);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toContain('InvalidCiphertextException');
    const badWindow = await awsCli(ctx.g, ['kms', 'schedule-key-deletion', '--key-id', md.KeyId, '--pending-window-in-days', '3']);
    expect(badWindow.stderr).toContain('ValidationException');
    const aliases = await awsCli(ctx.g, ['kms', 'list-aliases', '--key-id', md.KeyId]);
    expect((aliases.json as { Aliases: { AliasName: string }[] }).Aliases.map((a) => a.AliasName)).toEqual(['alias/cli']);
  }, 60_000);
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('boto3 decrypts SDK ciphertext, SDK decrypts boto3 ciphertext, boto3 signatures verify in the SDK and node:crypto', async () => {
    const md = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    const signKey = (await kms().send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    const sdkCt = await kms().send(new EncryptCommand({ KeyId: md.KeyId, Plaintext: Buffer.from('sdk → boto3'), EncryptionContext: { k: 'v' } }));
    const r = await boto3(ctx.g, `
import base64
c = boto3.client('kms', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
dec = c.decrypt(CiphertextBlob=base64.b64decode('${Buffer.from(sdkCt.CiphertextBlob!).toString('base64')}'), EncryptionContext={'k': 'v'})
enc = c.encrypt(KeyId='${md.Arn}', Plaintext=b'boto3 -> sdk')
dk = c.generate_data_key(KeyId='${md.KeyId}', KeySpec='AES_256')
sig = c.sign(KeyId='${signKey.KeyId}', Message=b'signed by boto3', SigningAlgorithm='ECDSA_SHA_256')
pub = c.get_public_key(KeyId='${signKey.KeyId}')
try:
    c.decrypt(CiphertextBlob=enc['CiphertextBlob'], KeyId='${signKey.KeyId}')
    err = None
except c.exceptions.ClientError as e:
    err = e.response['Error']['Code']
try:
    c.describe_key(KeyId='alias/nothing-here')
    nf = None
except c.exceptions.NotFoundException as e:
    nf = e.response['Error']['Message']
print(json.dumps({
  'plain': dec['Plaintext'].decode(), 'decKeyId': dec['KeyId'],
  'ct': base64.b64encode(enc['CiphertextBlob']).decode(),
  'dkPlain': base64.b64encode(dk['Plaintext']).decode(), 'dkCt': base64.b64encode(dk['CiphertextBlob']).decode(),
  'sig': base64.b64encode(sig['Signature']).decode(), 'pub': base64.b64encode(pub['PublicKey']).decode(),
  'err': err, 'nf': nf,
}))
`);
    expect(r.status, r.stderr).toBe(0);
    const out = r.json as Record<string, string>;
    expect(out.plain).toBe('sdk → boto3');
    expect(out.decKeyId).toBe(md.Arn);
    const back = await kms().send(new DecryptCommand({ CiphertextBlob: Buffer.from(out.ct!, 'base64') }));
    expect(Buffer.from(back.Plaintext!).toString()).toBe('boto3 -> sdk');
    const dk = await kms().send(new DecryptCommand({ CiphertextBlob: Buffer.from(out.dkCt!, 'base64') }));
    expect(Buffer.from(dk.Plaintext!).toString('base64')).toBe(out.dkPlain);
    const sig = Buffer.from(out.sig!, 'base64');
    expect((await kms().send(new VerifyCommand({ KeyId: signKey.KeyId, Message: Buffer.from('signed by boto3'), Signature: sig, SigningAlgorithm: 'ECDSA_SHA_256' }))).SignatureValid).toBe(true);
    const pub = createPublicKey({ key: Buffer.from(out.pub!, 'base64'), format: 'der', type: 'spki' });
    expect(nodeVerify('sha256', Buffer.from('signed by boto3'), pub, sig)).toBe(true);
    expect(out.err).toBe('InvalidKeyUsageException');
    expect(out.nf).toBe('Alias arn:aws:kms:us-east-1:000000000000:alias/nothing-here is not found.');
    // and an SDK signature verifies through boto3
    const sdkSig = await kms().send(new SignCommand({ KeyId: signKey.KeyId, Message: Buffer.from('sdk sig'), SigningAlgorithm: 'ECDSA_SHA_256' }));
    const v = await boto3(ctx.g, `
import base64
c = boto3.client('kms', endpoint_url=ENDPOINT, region_name='us-east-1', aws_access_key_id='test', aws_secret_access_key='test')
print(json.dumps(c.verify(KeyId='${signKey.Arn}', Message=b'sdk sig', Signature=base64.b64decode('${Buffer.from(sdkSig.Signature!).toString('base64')}'), SigningAlgorithm='ECDSA_SHA_256')['SignatureValid']))
`);
    expect(v.json, v.stderr).toBe(true);
  }, 60_000);
});
