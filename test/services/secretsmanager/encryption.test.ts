// covers: secretsmanager.CreateSecret secretsmanager.GetSecretValue secretsmanager.PutSecretValue secretsmanager.UpdateSecret secretsmanager.ListSecretVersionIds secretsmanager.BatchGetSecretValue kms.CreateKey kms.DisableKey kms.EnableKey kms.ScheduleKeyDeletion kms.CancelKeyDeletion kms.ListAliases kms.Decrypt kms.DescribeKey
import { createDecipheriv } from 'node:crypto';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  BatchGetSecretValueCommand, CreateSecretCommand, GetSecretValueCommand, ListSecretVersionIdsCommand, PutSecretValueCommand, SecretsManagerClient,
  UpdateSecretCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  CancelKeyDeletionCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, DisableKeyCommand, EnableKeyCommand, KMSClient, ListAliasesCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import type { SecretRecord } from '../../../src/services/secretsmanager/domain/model.js';
import { clientConfig, failure, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
beforeAll(() => ctx.g.clock.set(Date.parse('2026-06-01T00:00:00Z')));
const sm = () => new SecretsManagerClient(clientConfig(ctx.g));
const kms = () => new KMSClient(clientConfig(ctx.g));
const stored = (name: string) => ctx.g.runtime.store.table<SecretRecord>('secretsmanager', 'secrets').get({ account: '000000000000', region: 'us-east-1' }, name)!;
const DECRYPTION_FAILURE = "Secrets Manager can't decrypt the protected secret text using the provided KMS key.";

describe('values are encrypted through KMS', () => {
  test('the default aws/secretsmanager key is created on first use; state holds only ciphertext, which KMS and node:crypto open', async () => {
    const c = await sm().send(new CreateSecretCommand({ Name: 'enc/default', SecretString: 'hunter2-very-secret' }));
    const aliases = (await kms().send(new ListAliasesCommand({}))).Aliases!;
    const alias = aliases.find((a) => a.AliasName === 'alias/aws/secretsmanager')!;
    expect(alias).toBeDefined();
    const key = (await kms().send(new DescribeKeyCommand({ KeyId: alias.TargetKeyId }))).KeyMetadata!;
    expect(key).toMatchObject({ KeyManager: 'AWS', Description: 'Default key that protects my secretsmanager data when no other key is defined' });

    const rec = stored('enc/default');
    const v = rec.versions[c.VersionId!]!;
    expect(v.secretString).toBeUndefined();
    expect(JSON.stringify(rec)).not.toContain('hunter2');
    expect(v.sealed!.keyArn).toBe(key.Arn);
    // the data key opens with KMS only under the secret's encryption context
    expect((await failure(kms().send(new DecryptCommand({ CiphertextBlob: v.sealed!.dataKey })))).name).toBe('InvalidCiphertextException');
    const dk = await kms().send(new DecryptCommand({ CiphertextBlob: v.sealed!.dataKey, EncryptionContext: { SecretARN: c.ARN!, SecretVersionId: c.VersionId! } }));
    expect(dk.KeyId).toBe(key.Arn);
    const d = createDecipheriv('aes-256-gcm', Buffer.from(dk.Plaintext!), Buffer.from(v.sealed!.iv));
    d.setAuthTag(Buffer.from(v.sealed!.tag));
    expect(Buffer.concat([d.update(Buffer.from(v.sealed!.ct)), d.final()]).toString()).toBe('hunter2-very-secret');
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'enc/default' }))).SecretString).toBe('hunter2-very-secret');
    expect((await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'enc/default' }))).Versions![0]!.KmsKeyIds).toEqual(['DefaultEncryptionKey']);
  });

  test('a customer key: disabled → DecryptionFailure / EncryptionFailure; enabled again → readable; pending deletion → DecryptionFailure', async () => {
    const key = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    await sm().send(new CreateSecretCommand({ Name: 'enc/cmk', SecretString: 'v1', KmsKeyId: key.Arn }));
    expect(stored('enc/cmk').versions[Object.keys(stored('enc/cmk').versions)[0]!]!.sealed!.keyArn).toBe(key.Arn);
    await kms().send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect(await failure(sm().send(new GetSecretValueCommand({ SecretId: 'enc/cmk' })))).toMatchObject({ name: 'DecryptionFailure', message: DECRYPTION_FAILURE, status: 400 });
    expect(await failure(sm().send(new PutSecretValueCommand({ SecretId: 'enc/cmk', SecretString: 'v2' })))).toMatchObject({ name: 'EncryptionFailure', status: 400 });
    const batch = await sm().send(new BatchGetSecretValueCommand({ SecretIdList: ['enc/cmk'] }));
    expect(batch.Errors).toEqual([{ SecretId: 'enc/cmk', ErrorCode: 'DecryptionFailure', Message: DECRYPTION_FAILURE }]);
    await kms().send(new EnableKeyCommand({ KeyId: key.KeyId }));
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'enc/cmk' }))).SecretString).toBe('v1');
    await kms().send(new ScheduleKeyDeletionCommand({ KeyId: key.KeyId, PendingWindowInDays: 7 }));
    expect((await failure(sm().send(new GetSecretValueCommand({ SecretId: 'enc/cmk' })))).name).toBe('DecryptionFailure');
    await kms().send(new CancelKeyDeletionCommand({ KeyId: key.KeyId }));
    await kms().send(new EnableKeyCommand({ KeyId: key.KeyId }));
  });

  test('a missing or asymmetric key cannot protect a secret: EncryptionFailure', async () => {
    expect((await failure(sm().send(new CreateSecretCommand({ Name: 'enc/missing', SecretString: 'x', KmsKeyId: 'alias/nope' })))).name).toBe('EncryptionFailure');
    const rsa = (await kms().send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }))).KeyMetadata!;
    expect((await failure(sm().send(new CreateSecretCommand({ Name: 'enc/rsa', SecretString: 'x', KmsKeyId: rsa.KeyId })))).name).toBe('EncryptionFailure');
  });

  test('UpdateSecret with a new KmsKeyId re-encrypts the labelled versions under it', async () => {
    const oldKey = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    const newKey = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    await sm().send(new CreateSecretCommand({ Name: 'enc/move', SecretBinary: Buffer.from([1, 2, 3]), KmsKeyId: oldKey.KeyId }));
    await sm().send(new UpdateSecretCommand({ SecretId: 'enc/move', KmsKeyId: newKey.KeyId }));
    await kms().send(new DisableKeyCommand({ KeyId: oldKey.KeyId }));
    expect(Buffer.from((await sm().send(new GetSecretValueCommand({ SecretId: 'enc/move' }))).SecretBinary!)).toEqual(Buffer.from([1, 2, 3]));
    expect((await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'enc/move' }))).Versions![0]!.KmsKeyIds).toEqual([newKey.KeyId]);
  });
});
