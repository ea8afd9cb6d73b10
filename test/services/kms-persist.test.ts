// covers: kms.CreateKey kms.Encrypt kms.Decrypt kms.Sign kms.Verify kms.GenerateMac kms.VerifyMac
/** KMS key material across a restart on the same data directory: old ciphertexts, signatures and MACs still check. */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, DecryptCommand, EncryptCommand, GenerateMacCommand, KMSClient, SignCommand, VerifyCommand, VerifyMacCommand } from '@aws-sdk/client-kms';
import { startGureum, type Gureum } from '../../src/index.js';
import { clientConfig } from '../helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gureum-kms-persist-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const client = (g: Gureum) => new KMSClient(clientConfig(g));

describe('KMS persistence', () => {
  it('keeps keys and their material across a restart', async () => {
    let g = await startGureum({ dataDir });
    let ids: { sym: string; ec: string; mac: string; ct: Uint8Array; sig: Uint8Array; macv: Uint8Array };
    try {
      const c = client(g);
      const sym = (await c.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
      const ec = (await c.send(new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!.KeyId!;
      const mac = (await c.send(new CreateKeyCommand({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }))).KeyMetadata!.KeyId!;
      const ct = (await c.send(new EncryptCommand({ KeyId: sym, Plaintext: Buffer.from('durable'), EncryptionContext: { a: 'b' } }))).CiphertextBlob!;
      const sig = (await c.send(new SignCommand({ KeyId: ec, Message: Buffer.from('m'), SigningAlgorithm: 'ECDSA_SHA_256' }))).Signature!;
      const macv = (await c.send(new GenerateMacCommand({ KeyId: mac, Message: Buffer.from('m'), MacAlgorithm: 'HMAC_SHA_256' }))).Mac!;
      ids = { sym, ec, mac, ct, sig, macv };
    } finally {
      await g.stop();
    }
    g = await startGureum({ dataDir });
    try {
      const c = client(g);
      const dec = await c.send(new DecryptCommand({ CiphertextBlob: ids.ct, EncryptionContext: { a: 'b' } }));
      expect(Buffer.from(dec.Plaintext!).toString()).toBe('durable');
      expect((await c.send(new VerifyCommand({ KeyId: ids.ec, Message: Buffer.from('m'), Signature: ids.sig, SigningAlgorithm: 'ECDSA_SHA_256' }))).SignatureValid).toBe(true);
      expect((await c.send(new VerifyMacCommand({ KeyId: ids.mac, Message: Buffer.from('m'), Mac: ids.macv, MacAlgorithm: 'HMAC_SHA_256' }))).MacValid).toBe(true);
      expect((await c.send(new EncryptCommand({ KeyId: ids.sym, Plaintext: Buffer.from('again') }))).CiphertextBlob!.length).toBeGreaterThan(0);
    } finally {
      await g.stop();
    }
  }, 30_000);
});
