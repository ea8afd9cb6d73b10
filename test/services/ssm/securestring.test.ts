// covers: ssm.PutParameter ssm.GetParameter ssm.GetParameters ssm.GetParametersByPath ssm.GetParameterHistory ssm.DescribeParameters kms.CreateKey kms.CreateAlias kms.DisableKey kms.EnableKey kms.Decrypt kms.ListAliases
import { describe, expect, test } from 'vitest';
import {
  DescribeParametersCommand, GetParameterCommand, GetParameterHistoryCommand, GetParametersByPathCommand, GetParametersCommand, PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { CreateAliasCommand, CreateKeyCommand, DecryptCommand, DisableKeyCommand, EnableKeyCommand, KMSClient, ListAliasesCommand } from '@aws-sdk/client-kms';
import type { ParamRecord } from '../../../src/services/ssm/domain/model.js';
import { awsCli, clientConfig, failure, HAS_AWS_CLI, useGureum } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ssm = () => new SSMClient(clientConfig(ctx.g));
const kms = () => new KMSClient(clientConfig(ctx.g));
const ARN = (name: string) => `arn:aws:ssm:us-east-1:000000000000:parameter${name}`;

describe('SecureString through KMS', () => {
  test('default key alias/aws/ssm; without WithDecryption the real KMS ciphertext, which kms decrypt opens under PARAMETER_ARN', async () => {
    await ssm().send(new PutParameterCommand({ Name: '/db/password', Value: 'correct horse', Type: 'SecureString' }));
    const alias = (await kms().send(new ListAliasesCommand({}))).Aliases!.find((a) => a.AliasName === 'alias/aws/ssm');
    expect(alias?.TargetKeyId).toBeDefined();
    const enc = (await ssm().send(new GetParameterCommand({ Name: '/db/password' }))).Parameter!;
    expect(enc).toMatchObject({ Type: 'SecureString', Version: 1 });
    expect(enc.Value).not.toContain('correct horse');
    const blob = Buffer.from(enc.Value!, 'base64');
    expect((await failure(kms().send(new DecryptCommand({ CiphertextBlob: blob })))).name).toBe('InvalidCiphertextException');
    const d = await kms().send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { PARAMETER_ARN: ARN('/db/password') } }));
    expect(Buffer.from(d.Plaintext!).toString()).toBe('correct horse');
    expect(d.KeyId).toBe(`arn:aws:kms:us-east-1:000000000000:key/${alias!.TargetKeyId}`);
    expect((await ssm().send(new GetParameterCommand({ Name: '/db/password', WithDecryption: true }))).Parameter!.Value).toBe('correct horse');
    const stored = ctx.g.runtime.store.table<ParamRecord>('ssm', 'parameters').get({ account: '000000000000', region: 'us-east-1' }, '/db/password')!;
    expect(JSON.stringify(stored)).not.toContain('correct horse');
    expect((await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/db/password'] }] }))).Parameters![0]!.KeyId).toBe('alias/aws/ssm');
  });

  test('a customer key by alias; a disabled key: InvalidKeyId on write and on decrypting reads, ciphertext still readable', async () => {
    const key = (await kms().send(new CreateKeyCommand({}))).KeyMetadata!;
    await kms().send(new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: key.KeyId }));
    await ssm().send(new PutParameterCommand({ Name: '/app/token', Value: 't0ken', Type: 'SecureString', KeyId: 'alias/app' }));
    const blob = Buffer.from((await ssm().send(new GetParameterCommand({ Name: '/app/token' }))).Parameter!.Value!, 'base64');
    expect((await kms().send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: { PARAMETER_ARN: ARN('/app/token') } }))).KeyId).toBe(key.Arn);
    expect((await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'KeyId', Values: ['alias/app'] }] }))).Parameters!.map((p) => p.Name)).toEqual(['/app/token']);

    await kms().send(new DisableKeyCommand({ KeyId: key.KeyId }));
    expect(await failure(ssm().send(new GetParameterCommand({ Name: '/app/token', WithDecryption: true })))).toMatchObject({
      name: 'InvalidKeyId', status: 400, message: expect.stringMatching(new RegExp(`^${key.Arn} is disabled\\. \\(Service: AWSKMS; Status Code: \\d+; Error Code: DisabledException; Request ID: [0-9a-f-]+; Proxy: null\\)$`)),
    });
    expect((await ssm().send(new GetParameterCommand({ Name: '/app/token' }))).Parameter!.Value).toBe(blob.toString('base64'));
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/app/token', Value: 'new', Overwrite: true })))).name).toBe('InvalidKeyId');
    expect((await ssm().send(new GetParameterHistoryCommand({ Name: '/app/token' }))).Parameters!.length).toBe(1);
    await kms().send(new EnableKeyCommand({ KeyId: key.KeyId }));
    expect((await ssm().send(new GetParameterCommand({ Name: '/app/token', WithDecryption: true }))).Parameter!.Value).toBe('t0ken');

    expect(await failure(ssm().send(new PutParameterCommand({ Name: '/app/x', Value: 'x', Type: 'SecureString', KeyId: 'alias/missing' })))).toMatchObject({
      name: 'InvalidKeyId', message: expect.stringContaining('Error Code: NotFoundException'),
    });
    const rsa = (await kms().send(new CreateKeyCommand({ KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }))).KeyMetadata!;
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/app/y', Value: 'y', Type: 'SecureString', KeyId: rsa.KeyId })))).name).toBe('InvalidKeyId');
  });

  test('advanced tier (beyond KMS Encrypt\'s 4 KB), paths, history and GetParameters decrypt', async () => {
    const big = 'z'.repeat(6000);
    await ssm().send(new PutParameterCommand({ Name: '/adv/blob', Value: big, Type: 'SecureString', Tier: 'Advanced' }));
    const enc = (await ssm().send(new GetParameterCommand({ Name: '/adv/blob' }))).Parameter!.Value!;
    expect(enc).not.toContain('zzzz');
    expect((await ssm().send(new GetParameterCommand({ Name: '/adv/blob', WithDecryption: true }))).Parameter!.Value).toBe(big);
    await ssm().send(new PutParameterCommand({ Name: '/adv/small', Value: 'v1', Type: 'SecureString' }));
    await ssm().send(new PutParameterCommand({ Name: '/adv/small', Value: 'v2', Overwrite: true }));
    const byPath = await ssm().send(new GetParametersByPathCommand({ Path: '/adv', WithDecryption: true }));
    expect(byPath.Parameters!.map((p) => [p.Name, p.Value])).toEqual([['/adv/blob', big], ['/adv/small', 'v2']]);
    const hist = await ssm().send(new GetParameterHistoryCommand({ Name: '/adv/small', WithDecryption: true }));
    expect(hist.Parameters!.map((p) => [p.Value, p.KeyId])).toEqual([['v1', 'alias/aws/ssm'], ['v2', 'alias/aws/ssm']]);
    const hidden = await ssm().send(new GetParameterHistoryCommand({ Name: '/adv/small' }));
    expect(hidden.Parameters!.map((p) => p.Value)).not.toContain('v1');
    expect((await ssm().send(new GetParametersCommand({ Names: ['/adv/small:1'], WithDecryption: true }))).Parameters![0]!.Value).toBe('v1');
  });

  test.skipIf(!HAS_AWS_CLI)('AWS CLI: put-parameter --type SecureString and get-parameter --with-decryption', async () => {
    expect((await awsCli(ctx.g, ['ssm', 'put-parameter', '--name', '/cli/secure', '--value', 'from-cli', '--type', 'SecureString'])).status).toBe(0);
    const plain = await awsCli(ctx.g, ['ssm', 'get-parameter', '--name', '/cli/secure', '--with-decryption']);
    expect((plain.json as { Parameter: { Value: string } }).Parameter.Value).toBe('from-cli');
    const enc = await awsCli(ctx.g, ['ssm', 'get-parameter', '--name', '/cli/secure']);
    expect((enc.json as { Parameter: { Value: string } }).Parameter.Value).not.toBe('from-cli');
  });
});
