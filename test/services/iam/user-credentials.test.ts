// covers: iam.UploadSSHPublicKey iam.GetSSHPublicKey iam.ListSSHPublicKeys iam.UpdateSSHPublicKey iam.DeleteSSHPublicKey iam.CreateServiceSpecificCredential iam.ResetServiceSpecificCredential iam.UpdateServiceSpecificCredential iam.DeleteServiceSpecificCredential iam.ListServiceSpecificCredentials iam.CreateUser iam.DeleteUser iam.CreateAccessKey iam.UpdateUser
/**
 * SSH public keys (OpenSSH and PEM encodings, AWS's MD5 fingerprint) and service-specific
 * credentials (CodeCommit/Keyspaces passwords, Bedrock API keys with an expiry on the clock).
 */
import { describe, test, expect, beforeAll } from 'vitest';
import { createHash, generateKeyPairSync } from 'node:crypto';
import {
  IAMClient, UploadSSHPublicKeyCommand, GetSSHPublicKeyCommand, ListSSHPublicKeysCommand, UpdateSSHPublicKeyCommand, DeleteSSHPublicKeyCommand,
  CreateServiceSpecificCredentialCommand, ResetServiceSpecificCredentialCommand, UpdateServiceSpecificCredentialCommand,
  DeleteServiceSpecificCredentialCommand, ListServiceSpecificCredentialsCommand, CreateUserCommand, DeleteUserCommand, CreateAccessKeyCommand, UpdateUserCommand,
} from '@aws-sdk/client-iam';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true });
const iam = (credentials?: { accessKeyId: string; secretAccessKey: string }) => new IAMClient(clientConfig(ctx.g, credentials ? { credentials } : {}));

/** An RSA key as `ssh-rsa <base64>`, as ssh-keygen writes it, with its MD5 fingerprint computed independently. */
function sshKey(bits = 2048): { ssh: string; pem: string; md5: string } {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = publicKey.export({ format: 'jwk' });
  const field = (b: Buffer) => { const l = Buffer.alloc(4); l.writeUInt32BE(b.length); return Buffer.concat([l, b]); };
  const mp = (b64: string) => { const b = Buffer.from(b64, 'base64url'); return b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b; };
  const blob = Buffer.concat([field(Buffer.from('ssh-rsa')), field(mp(jwk.e!)), field(mp(jwk.n!))]);
  return { ssh: `ssh-rsa ${blob.toString('base64')}`, pem: publicKey.export({ type: 'spki', format: 'pem' }).toString().trim(), md5: createHash('md5').update(blob).digest('hex').match(/../g)!.join(':') };
}

beforeAll(async () => {
  await iam().send(new CreateUserCommand({ UserName: 'dev' }));
});

describe('SSH public keys', () => {
  let a: ReturnType<typeof sshKey>;
  let id: string;

  test('UploadSSHPublicKey: an APKA id, the MD5 fingerprint, Active', async () => {
    a = sshKey();
    const k = (await iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: `${a.ssh} dev@laptop` }))).SSHPublicKey!;
    id = k.SSHPublicKeyId!;
    expect(id).toMatch(/^APKA[A-Z2-7]{17}$/);
    expect(k).toMatchObject({ UserName: 'dev', Fingerprint: a.md5, Status: 'Active', SSHPublicKeyBody: a.ssh });
    const dup = await failure(iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: a.pem })));
    expect(dup).toMatchObject({ name: 'DuplicateSSHPublicKeyException', status: 400 });
  });

  test('GetSSHPublicKey in SSH and PEM encodings; a PEM upload gets the same fingerprint', async () => {
    const ssh = (await iam().send(new GetSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyId: id, Encoding: 'SSH' }))).SSHPublicKey!;
    expect(ssh.SSHPublicKeyBody).toBe(a.ssh);
    const pem = (await iam().send(new GetSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyId: id, Encoding: 'PEM' }))).SSHPublicKey!;
    expect(pem.SSHPublicKeyBody).toBe(a.pem);
    const bad = await failure(iam().send(new GetSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyId: id, Encoding: 'DER' as never /* not an EncodingType, on purpose */ })));
    expect(bad).toMatchObject({ name: 'UnrecognizedPublicKeyEncodingException', status: 400 });
    const b = sshKey();
    const fromPem = (await iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: b.pem }))).SSHPublicKey!;
    expect(fromPem).toMatchObject({ Fingerprint: b.md5, SSHPublicKeyBody: b.ssh });
  });

  test('bad keys: unknown format, short RSA keys, a broken blob', async () => {
    expect(await failure(iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: 'ssh-dss AAAA' })))).toMatchObject({ name: 'UnrecognizedPublicKeyEncodingException' });
    expect(await failure(iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: sshKey(1024).ssh })))).toMatchObject({ name: 'InvalidPublicKeyException', status: 400 });
    expect(await failure(iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQAB' })))).toMatchObject({ name: 'InvalidPublicKeyException' });
  });

  test('list (named user or the caller), status, five per user, delete', async () => {
    const k = (await iam().send(new CreateAccessKeyCommand({ UserName: 'dev' }))).AccessKey!;
    const own = await iam({ accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }).send(new ListSSHPublicKeysCommand({}));
    expect(own.SSHPublicKeys!.map((x) => x.SSHPublicKeyId)[0]).toBe(id);
    await iam().send(new UpdateSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyId: id, Status: 'Inactive' }));
    expect((await iam().send(new ListSSHPublicKeysCommand({ UserName: 'dev' }))).SSHPublicKeys![0]).toMatchObject({ SSHPublicKeyId: id, Status: 'Inactive', UserName: 'dev' });
    for (let i = 0; i < 3; i++) await iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: sshKey().ssh }));
    const sixth = await failure(iam().send(new UploadSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyBody: sshKey().ssh })));
    expect(sixth).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for SSHPublicKeysPerUser: 5' });
    await iam().send(new DeleteSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyId: id }));
    const missing = await failure(iam().send(new GetSSHPublicKeyCommand({ UserName: 'dev', SSHPublicKeyId: id, Encoding: 'SSH' })));
    expect(missing).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: `The Public Key with id ${id} cannot be found.` });
  });
});

describe('service-specific credentials', () => {
  test('CodeCommit: <user>-at-<account> and a password shown once; two per service', async () => {
    const c = (await iam().send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev', ServiceName: 'codecommit.amazonaws.com' }))).ServiceSpecificCredential!;
    expect(c).toMatchObject({ UserName: 'dev', ServiceName: 'codecommit.amazonaws.com', ServiceUserName: `dev-at-${ACCOUNT}`, Status: 'Active' });
    expect(c.ServiceSpecificCredentialId).toMatch(/^ACCA[A-Z2-7]{17}$/);
    expect(c.ServicePassword).toMatch(/^[A-Za-z0-9+/=]{44}$/);
    const second = (await iam().send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev', ServiceName: 'codecommit.amazonaws.com' }))).ServiceSpecificCredential!;
    expect(second.ServiceUserName).toBe(`dev-at-${ACCOUNT}-1`);
    const third = await failure(iam().send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev', ServiceName: 'codecommit.amazonaws.com' })));
    expect(third).toMatchObject({ name: 'LimitExceededException', message: 'Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2' });

    const reset = (await iam().send(new ResetServiceSpecificCredentialCommand({ UserName: 'dev', ServiceSpecificCredentialId: c.ServiceSpecificCredentialId! }))).ServiceSpecificCredential!;
    expect(reset.ServicePassword).not.toBe(c.ServicePassword);
    expect(reset.ServiceUserName).toBe(c.ServiceUserName);
    await iam().send(new UpdateServiceSpecificCredentialCommand({ UserName: 'dev', ServiceSpecificCredentialId: second.ServiceSpecificCredentialId!, Status: 'Inactive' }));
    const list = (await iam().send(new ListServiceSpecificCredentialsCommand({ UserName: 'dev', ServiceName: 'codecommit.amazonaws.com' }))).ServiceSpecificCredentials!;
    expect(list.map((x) => [x.ServiceUserName, x.Status])).toEqual([[`dev-at-${ACCOUNT}`, 'Active'], [`dev-at-${ACCOUNT}-1`, 'Inactive']]);
    expect(JSON.stringify(list)).not.toContain('ServicePassword');
    await iam().send(new DeleteServiceSpecificCredentialCommand({ UserName: 'dev', ServiceSpecificCredentialId: second.ServiceSpecificCredentialId! }));
    const gone = await failure(iam().send(new DeleteServiceSpecificCredentialCommand({ UserName: 'dev', ServiceSpecificCredentialId: second.ServiceSpecificCredentialId! })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404 });
  });

  test('Bedrock: an API key (alias + secret) that expires after CredentialAgeDays on the clock', async () => {
    const c = (await iam().send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev', ServiceName: 'bedrock.amazonaws.com', CredentialAgeDays: 1 }))).ServiceSpecificCredential!;
    expect(c.ServiceCredentialAlias).toMatch(new RegExp(`^BedrockAPIKey-[a-z0-9]{4}-at-${ACCOUNT}$`));
    expect(c.ServiceCredentialSecret).toMatch(/^ABSK[A-Za-z0-9+/=]+$/);
    expect(Buffer.from(c.ServiceCredentialSecret!.slice(4), 'base64').toString()).toMatch(new RegExp(`^${c.ServiceCredentialAlias}:`));
    expect(c.ServicePassword).toBeUndefined();
    expect(c.ExpirationDate!.getTime() - c.CreateDate!.getTime()).toBe(86_400_000);
    ctx.g.clock.advance('25h');
    const list = (await iam().send(new ListServiceSpecificCredentialsCommand({ UserName: 'dev', ServiceName: 'bedrock.amazonaws.com' }))).ServiceSpecificCredentials!;
    expect(list[0]!.Status).toBe('Expired');
  });

  test('other services are not supported; CredentialAgeDays only for API keys; AllUsers lists everyone', async () => {
    const no = await failure(iam().send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev', ServiceName: 's3.amazonaws.com' })));
    expect(no).toMatchObject({ name: 'ServiceNotSupportedException', status: 404 });
    const age = await failure(iam().send(new CreateServiceSpecificCredentialCommand({ UserName: 'dev', ServiceName: 'cassandra.amazonaws.com', CredentialAgeDays: 3 })));
    expect(age.name).toBe('InvalidInputException');
    await iam().send(new CreateUserCommand({ UserName: 'ops' }));
    await iam().send(new CreateServiceSpecificCredentialCommand({ UserName: 'ops', ServiceName: 'cassandra.amazonaws.com' }));
    const all = (await iam().send(new ListServiceSpecificCredentialsCommand({ AllUsers: true }))).ServiceSpecificCredentials!;
    expect(new Set(all.map((x) => x.UserName))).toEqual(new Set(['dev', 'ops']));
  });

  test('DeleteUser waits for them; renaming a user keeps them', async () => {
    expect((await failure(iam().send(new DeleteUserCommand({ UserName: 'ops' })))).name).toBe('DeleteConflictException');
    await iam().send(new UpdateUserCommand({ UserName: 'ops', NewUserName: 'ops2' }));
    const mine = (await iam().send(new ListServiceSpecificCredentialsCommand({ UserName: 'ops2' }))).ServiceSpecificCredentials!;
    expect(mine.map((x) => [x.UserName, x.ServiceName])).toEqual([['ops2', 'cassandra.amazonaws.com']]);
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3 reads them', async () => {
    const r = await boto3(ctx.g, `
iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='us-east-1')
print(json.dumps(sorted(c['ServiceName'] for c in iam.list_service_specific_credentials(UserName='dev')['ServiceSpecificCredentials'])))`);
    expect(r.json).toEqual(['bedrock.amazonaws.com', 'codecommit.amazonaws.com']);
  });
});
