// covers: kms.CreateKey kms.CreateGrant kms.RetireGrant kms.Encrypt kms.Decrypt kms.GenerateDataKey kms.DescribeKey iam.CreateUser iam.CreateAccessKey iam.PutUserPolicy
import { beforeAll, describe, expect, test } from 'vitest';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient, PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { CreateGrantCommand, CreateKeyCommand, DecryptCommand, DescribeKeyCommand, EncryptCommand, GenerateDataKeyCommand, KMSClient, RetireGrantCommand } from '@aws-sdk/client-kms';
import { clientConfig, failure, useGureum } from '../../helpers.js';

const ACCOUNT = '000000000000';
const te = new TextEncoder();

/**
 * IAM enforcement on: user "app" may call any KMS action by its IAM policy, but the key's policy
 * only lets the account (root and IAM policies) administer the key — so using it needs a grant.
 */
describe('grants are enforced for their grantee (iamEnforcement enforce)', () => {
  const ctx = useGureum({ config: { iamEnforcement: 'enforce' } });
  const root = () => new KMSClient(clientConfig(ctx.g));
  let app: KMSClient;
  let appArn: string;
  let keyId: string;
  let keyArn: string;

  beforeAll(async () => {
    const iam = new IAMClient(clientConfig(ctx.g));
    appArn = (await iam.send(new CreateUserCommand({ UserName: 'app' }))).User!.Arn!;
    const k = (await iam.send(new CreateAccessKeyCommand({ UserName: 'app' }))).AccessKey!;
    await iam.send(new PutUserPolicyCommand({ UserName: 'app', PolicyName: 'kms', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }] }) }));
    app = new KMSClient(clientConfig(ctx.g, { credentials: { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! } }));
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['kms:Describe*', 'kms:CreateGrant', 'kms:RetireGrant', 'kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion'], Resource: '*' }],
    });
    const md = (await root().send(new CreateKeyCommand({ Policy: policy }))).KeyMetadata!;
    keyId = md.KeyId!;
    keyArn = md.Arn!;
  });

  test('without a grant the key policy denies: AccessDeniedException naming the caller and the key', async () => {
    expect(await failure(app.send(new EncryptCommand({ KeyId: keyId, Plaintext: te.encode('x') })))).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`User: ${appArn} is not authorized to perform: kms:Encrypt on resource: ${keyArn}`),
    });
    // administration the key policy delegates to IAM still works
    expect((await app.send(new DescribeKeyCommand({ KeyId: keyId }))).KeyMetadata!.KeyId).toBe(keyId);
  });

  test('a grant allows its operations, within its encryption-context constraint, until it is retired', async () => {
    const g = await root().send(new CreateGrantCommand({
      KeyId: keyId, GranteePrincipal: appArn, RetiringPrincipal: appArn, Operations: ['Encrypt', 'Decrypt'],
      Constraints: { EncryptionContextSubset: { tenant: 'a' } }, Name: 'app-use',
    }));
    const ct = (await app.send(new EncryptCommand({ KeyId: keyId, Plaintext: te.encode('tenant a'), EncryptionContext: { tenant: 'a', extra: '1' } }))).CiphertextBlob!;
    expect(Buffer.from((await app.send(new DecryptCommand({ CiphertextBlob: ct, EncryptionContext: { tenant: 'a', extra: '1' } }))).Plaintext!).toString()).toBe('tenant a');
    // outside the constraint, or an operation the grant does not name
    expect((await failure(app.send(new EncryptCommand({ KeyId: keyId, Plaintext: te.encode('x'), EncryptionContext: { tenant: 'b' } })))).name).toBe('AccessDeniedException');
    expect((await failure(app.send(new EncryptCommand({ KeyId: keyId, Plaintext: te.encode('x') })))).name).toBe('AccessDeniedException');
    expect((await failure(app.send(new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256', EncryptionContext: { tenant: 'a' } })))).name).toBe('AccessDeniedException');
    // the grant covers only its grantee: root is held to the key policy, which names no Encrypt
    expect((await failure(root().send(new EncryptCommand({ KeyId: keyId, Plaintext: te.encode('x'), EncryptionContext: { tenant: 'a' } })))).name).toBe('AccessDeniedException');

    await app.send(new RetireGrantCommand({ GrantToken: g.GrantToken }));
    expect((await failure(app.send(new EncryptCommand({ KeyId: keyId, Plaintext: te.encode('x'), EncryptionContext: { tenant: 'a' } })))).name).toBe('AccessDeniedException');
  });

  test('encryption-context constraints are refused for operations without an encryption context', async () => {
    expect(await failure(root().send(new CreateGrantCommand({
      KeyId: keyId, GranteePrincipal: appArn, Operations: ['Sign'], Constraints: { EncryptionContextEquals: { a: 'b' } },
    })))).toMatchObject({ name: 'ValidationException' });
  });
});
