// covers: kms.CreateKey kms.GetParametersForImport kms.ImportKeyMaterial kms.DescribeKey kms.ReplicateKey kms.Decrypt secretsmanager.CreateSecret secretsmanager.GetSecretValue ssm.PutParameter ssm.GetParameter
/**
 * Across a restart on the same data directory: imported key material (and its expiry on the clock
 * while gureum was stopped), multi-Region replicas, and the KMS-encrypted values of Secrets
 * Manager and SSM SecureString.
 */
import { constants, createPublicKey, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GetParametersForImportCommand, ImportKeyMaterialCommand, KMSClient, ReplicateKeyCommand } from '@aws-sdk/client-kms';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { startGureum, type Gureum } from '../../../src/index.js';
import { clientConfig } from '../../helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gureum-kms-import-persist-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const T0 = Date.parse('2026-10-01T00:00:00Z');
const DAY = 86_400_000;

describe('persistence of imported material, replicas and encrypted values', () => {
  it('everything decrypts after a restart; material that expired meanwhile leaves its key PendingImport', async () => {
    let g: Gureum = await startGureum({ dataDir, freezeClock: true });
    let ids: { expiring: string; mrk: string; ct: Uint8Array };
    try {
      g.clock.set(T0);
      const kms = new KMSClient(clientConfig(g));
      const expiring = (await kms.send(new CreateKeyCommand({ Origin: 'EXTERNAL' }))).KeyMetadata!.KeyId!;
      const p = await kms.send(new GetParametersForImportCommand({ KeyId: expiring, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }));
      const wrapping = createPublicKey({ key: Buffer.from(p.PublicKey!), format: 'der', type: 'spki' });
      const wrapped = publicEncrypt({ key: wrapping, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, randomBytes(32));
      await kms.send(new ImportKeyMaterialCommand({ KeyId: expiring, ImportToken: p.ImportToken, EncryptedKeyMaterial: wrapped, ValidTo: new Date(T0 + 2 * DAY) }));
      const mrk = (await kms.send(new CreateKeyCommand({ MultiRegion: true }))).KeyMetadata!.KeyId!;
      await kms.send(new ReplicateKeyCommand({ KeyId: mrk, ReplicaRegion: 'eu-west-1' }));
      const ct = (await kms.send(new EncryptCommand({ KeyId: mrk, Plaintext: Buffer.from('both regions') }))).CiphertextBlob!;
      await new SecretsManagerClient(clientConfig(g)).send(new CreateSecretCommand({ Name: 'durable', SecretString: 's3cret' }));
      await new SSMClient(clientConfig(g)).send(new PutParameterCommand({ Name: '/durable', Value: 'p4ss', Type: 'SecureString' }));
      ids = { expiring, mrk, ct };
    } finally {
      await g.stop();
    }
    g = await startGureum({ dataDir, freezeClock: true });
    try {
      g.clock.set(T0 + 3 * DAY);
      const kms = new KMSClient(clientConfig(g));
      expect((await kms.send(new DescribeKeyCommand({ KeyId: ids.expiring }))).KeyMetadata!.KeyState).toBe('PendingImport');
      const west = new KMSClient(clientConfig(g, { region: 'eu-west-1' }));
      expect((await west.send(new DescribeKeyCommand({ KeyId: ids.mrk }))).KeyMetadata).toMatchObject({ KeyState: 'Enabled', MultiRegionConfiguration: { MultiRegionKeyType: 'REPLICA' } });
      expect(Buffer.from((await west.send(new DecryptCommand({ CiphertextBlob: ids.ct }))).Plaintext!).toString()).toBe('both regions');
      expect((await new SecretsManagerClient(clientConfig(g)).send(new GetSecretValueCommand({ SecretId: 'durable' }))).SecretString).toBe('s3cret');
      expect((await new SSMClient(clientConfig(g)).send(new GetParameterCommand({ Name: '/durable', WithDecryption: true }))).Parameter!.Value).toBe('p4ss');
    } finally {
      await g.stop();
    }
  }, 60_000);
});
