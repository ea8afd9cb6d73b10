// covers: secretsmanager.CreateSecret secretsmanager.GetSecretValue secretsmanager.PutSecretValue secretsmanager.UpdateSecret secretsmanager.DescribeSecret secretsmanager.ListSecrets secretsmanager.ListSecretVersionIds secretsmanager.DeleteSecret secretsmanager.RestoreSecret secretsmanager.UpdateSecretVersionStage secretsmanager.TagResource secretsmanager.UntagResource secretsmanager.GetResourcePolicy secretsmanager.PutResourcePolicy secretsmanager.DeleteResourcePolicy secretsmanager.ValidateResourcePolicy secretsmanager.GetRandomPassword secretsmanager.BatchGetSecretValue secretsmanager.RotateSecret secretsmanager.CancelRotateSecret kms.CreateKey kms.CreateAlias
import { beforeAll, describe, expect, test } from 'vitest';
import {
  BatchGetSecretValueCommand, CancelRotateSecretCommand, CreateSecretCommand, DeleteResourcePolicyCommand, DeleteSecretCommand,
  DescribeSecretCommand, GetRandomPasswordCommand, GetResourcePolicyCommand, GetSecretValueCommand, ListSecretsCommand,
  ListSecretVersionIdsCommand, PutResourcePolicyCommand, PutSecretValueCommand, RestoreSecretCommand, RotateSecretCommand,
  SecretsManagerClient, TagResourceCommand, UntagResourceCommand, UpdateSecretCommand, UpdateSecretVersionStageCommand,
  ValidateResourcePolicyCommand,
} from '@aws-sdk/client-secrets-manager';
import { CreateAliasCommand, CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-03-10T12:34:56Z');
const DAY = 86_400_000;
beforeAll(() => ctx.g.clock.set(T0));

const sm = () => new SecretsManagerClient(clientConfig(ctx.g));

const TOKEN1 = '11111111-1111-1111-1111-111111111111';
const TOKEN2 = '22222222-2222-2222-2222-222222222222';

describe('create and read', () => {
  test('CreateSecret: ARN with a 6-character suffix, token as version id, read by name, full and partial ARN', async () => {
    const out = await sm().send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"a"}', ClientRequestToken: TOKEN1, Description: 'db', Tags: [{ Key: 'team', Value: 'x' }] }));
    expect(out.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/db-[A-Za-z0-9]{6}$/);
    expect(out.VersionId).toBe(TOKEN1);
    for (const id of ['app/db', out.ARN!, out.ARN!.slice(0, -7)]) {
      const v = await sm().send(new GetSecretValueCommand({ SecretId: id }));
      expect(v).toMatchObject({ Name: 'app/db', ARN: out.ARN, SecretString: '{"user":"a"}', VersionId: TOKEN1, VersionStages: ['AWSCURRENT'] });
      expect(v.CreatedDate?.getTime()).toBe(T0);
    }
    // idempotent retry with the same token and value
    const again = await sm().send(new CreateSecretCommand({ Name: 'app/db', SecretString: '{"user":"a"}', ClientRequestToken: TOKEN1 }));
    expect(again.VersionId).toBe(TOKEN1);
    expect(await failure(sm().send(new CreateSecretCommand({ Name: 'app/db', SecretString: 'other' })))).toMatchObject({
      name: 'ResourceExistsException',
      message: 'The operation failed because the secret app/db already exists.',
    });
  });

  test('binary secrets, name rules, both values, missing secret', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'bin', SecretBinary: Buffer.from([0, 1, 2, 255]) }));
    const v = await sm().send(new GetSecretValueCommand({ SecretId: 'bin' }));
    expect(Buffer.from(v.SecretBinary!)).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(v.SecretString).toBeUndefined();
    expect(await failure(sm().send(new CreateSecretCommand({ Name: 'bad name!', SecretString: 'x' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    });
    expect((await failure(sm().send(new CreateSecretCommand({ Name: 'both', SecretString: 'x', SecretBinary: Buffer.from('y') })))).name).toBe('InvalidParameterException');
    expect(await failure(sm().send(new GetSecretValueCommand({ SecretId: 'nope' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret.",
      status: 400,
    });
    await sm().send(new CreateSecretCommand({ Name: 'empty' }));
    expect(await failure(sm().send(new GetSecretValueCommand({ SecretId: 'empty' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
    });
  });
});

describe('versions and stages', () => {
  test('PutSecretValue moves AWSCURRENT, old becomes AWSPREVIOUS; idempotent token; conflicting token', async () => {
    const c = await sm().send(new CreateSecretCommand({ Name: 'ver', SecretString: 'v1', ClientRequestToken: TOKEN1 }));
    const p = await sm().send(new PutSecretValueCommand({ SecretId: 'ver', SecretString: 'v2', ClientRequestToken: TOKEN2 }));
    expect(p).toMatchObject({ ARN: c.ARN, Name: 'ver', VersionId: TOKEN2, VersionStages: ['AWSCURRENT'] });
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'ver' }))).SecretString).toBe('v2');
    expect(await sm().send(new GetSecretValueCommand({ SecretId: 'ver', VersionStage: 'AWSPREVIOUS' }))).toMatchObject({ SecretString: 'v1', VersionId: TOKEN1, VersionStages: ['AWSPREVIOUS'] });
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'ver', VersionId: TOKEN1 }))).SecretString).toBe('v1');
    // same token and value: nothing changes
    const again = await sm().send(new PutSecretValueCommand({ SecretId: 'ver', SecretString: 'v2', ClientRequestToken: TOKEN2 }));
    expect(again.VersionId).toBe(TOKEN2);
    expect(await failure(sm().send(new PutSecretValueCommand({ SecretId: 'ver', SecretString: 'v3', ClientRequestToken: TOKEN2 })))).toMatchObject({
      name: 'ResourceExistsException',
      message: "You can't modify an existing version, you can only create a new version.",
    });
    // a third version: v1 loses AWSPREVIOUS and is listed only with IncludeDeprecated
    const p3 = await sm().send(new PutSecretValueCommand({ SecretId: 'ver', SecretString: 'v3' }));
    const d = await sm().send(new DescribeSecretCommand({ SecretId: 'ver' }));
    expect(d.VersionIdsToStages).toEqual({ [TOKEN2]: ['AWSPREVIOUS'], [p3.VersionId!]: ['AWSCURRENT'] });
    const ids = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'ver' }));
    expect(ids.Versions!.map((v) => v.VersionId)).toEqual([TOKEN2, p3.VersionId]);
    expect(ids.Versions![0]!.KmsKeyIds).toEqual(['DefaultEncryptionKey']);
    const all = await sm().send(new ListSecretVersionIdsCommand({ SecretId: 'ver', IncludeDeprecated: true }));
    expect(all.Versions!.map((v) => v.VersionId)).toEqual([TOKEN1, TOKEN2, p3.VersionId]);
    // AWSPENDING version and GetSecretValue by stage
    const pend = await sm().send(new PutSecretValueCommand({ SecretId: 'ver', SecretString: 'next', VersionStages: ['AWSPENDING'] }));
    expect(pend.VersionStages).toEqual(['AWSPENDING']);
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'ver', VersionStage: 'AWSPENDING' }))).SecretString).toBe('next');
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'ver' }))).SecretString).toBe('v3');
    expect(await failure(sm().send(new GetSecretValueCommand({ SecretId: 'ver', VersionId: TOKEN2, VersionStage: 'AWSCURRENT' })))).toMatchObject({
      name: 'InvalidRequestException',
      message: 'You provided a VersionStage that is not associated to the provided VersionId.',
    });

    // UpdateSecretVersionStage: moving AWSCURRENT needs RemoveFromVersionId
    expect((await failure(sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'ver', VersionStage: 'AWSCURRENT', MoveToVersionId: pend.VersionId })))).name).toBe('InvalidParameterException');
    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'ver', VersionStage: 'AWSCURRENT', MoveToVersionId: pend.VersionId, RemoveFromVersionId: p3.VersionId }));
    const d2 = await sm().send(new DescribeSecretCommand({ SecretId: 'ver' }));
    expect(d2.VersionIdsToStages).toEqual({ [p3.VersionId!]: ['AWSPREVIOUS'], [pend.VersionId!]: ['AWSPENDING', 'AWSCURRENT'] });
    await sm().send(new UpdateSecretVersionStageCommand({ SecretId: 'ver', VersionStage: 'AWSPENDING', RemoveFromVersionId: pend.VersionId }));
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'ver' }))).VersionIdsToStages![pend.VersionId!]).toEqual(['AWSCURRENT']);
  });

  test('UpdateSecret changes metadata and, with a value, adds a version', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'upd', SecretString: 'a' }));
    const key = (await new KMSClient(clientConfig(ctx.g)).send(new CreateKeyCommand({}))).KeyMetadata!;
    await new KMSClient(clientConfig(ctx.g)).send(new CreateAliasCommand({ AliasName: 'alias/mine', TargetKeyId: key.KeyId }));
    const noValue = await sm().send(new UpdateSecretCommand({ SecretId: 'upd', Description: 'new', KmsKeyId: 'alias/mine' }));
    expect(noValue.VersionId).toBeUndefined();
    const withValue = await sm().send(new UpdateSecretCommand({ SecretId: 'upd', SecretString: 'b' }));
    expect(withValue.VersionId).toBeDefined();
    const d = await sm().send(new DescribeSecretCommand({ SecretId: 'upd' }));
    expect(d).toMatchObject({ Description: 'new', KmsKeyId: 'alias/mine', RotationEnabled: false });
    expect(d.VersionIdsToStages![withValue.VersionId!]).toEqual(['AWSCURRENT']);
  });
});

describe('describe, list, tags, access dates', () => {
  test('DescribeSecret dates: LastChangedDate, LastAccessedDate at day granularity', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'dates', SecretString: 'x' }));
    let d = await sm().send(new DescribeSecretCommand({ SecretId: 'dates' }));
    expect(d.CreatedDate?.getTime()).toBe(T0);
    expect(d.LastChangedDate?.getTime()).toBe(T0);
    expect(d.LastAccessedDate).toBeUndefined();
    await sm().send(new GetSecretValueCommand({ SecretId: 'dates' }));
    d = await sm().send(new DescribeSecretCommand({ SecretId: 'dates' }));
    expect(d.LastAccessedDate?.toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });

  test('ListSecrets: filters, negation, paging, tags', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'list/alpha', SecretString: 'x', Description: 'first one', Tags: [{ Key: 'env', Value: 'prod' }] }));
    await sm().send(new CreateSecretCommand({ Name: 'list/beta', SecretString: 'x', Tags: [{ Key: 'env', Value: 'dev' }] }));
    await sm().send(new CreateSecretCommand({ Name: 'list/gamma', SecretString: 'x' }));
    const names = async (Filters: { Key: 'name' | 'tag-key' | 'tag-value' | 'description' | 'all'; Values: string[] }[]) =>
      (await sm().send(new ListSecretsCommand({ Filters }))).SecretList!.map((s) => s.Name).sort();
    expect(await names([{ Key: 'name', Values: ['list/'] }])).toEqual(['list/alpha', 'list/beta', 'list/gamma']);
    expect(await names([{ Key: 'tag-key', Values: ['env'] }])).toEqual(['list/alpha', 'list/beta']);
    expect(await names([{ Key: 'tag-value', Values: ['prod', 'dev'] }])).toEqual(['list/alpha', 'list/beta']);
    expect(await names([{ Key: 'name', Values: ['list/'] }, { Key: 'tag-value', Values: ['!prod'] }])).toEqual(['list/beta', 'list/gamma']);
    expect(await names([{ Key: 'description', Values: ['first'] }])).toEqual(['list/alpha']);
    expect(await names([{ Key: 'all', Values: ['GAMMA'] }])).toEqual(['list/gamma']);
    const p1 = await sm().send(new ListSecretsCommand({ MaxResults: 2, Filters: [{ Key: 'name', Values: ['list/'] }] }));
    expect(p1.SecretList).toHaveLength(2);
    expect(p1.SecretList![0]!.SecretVersionsToStages).toBeDefined();
    const p2 = await sm().send(new ListSecretsCommand({ MaxResults: 2, NextToken: p1.NextToken, Filters: [{ Key: 'name', Values: ['list/'] }] }));
    expect(p2.SecretList!.map((s) => s.Name)).toEqual(['list/gamma']);
    expect(p2.NextToken).toBeUndefined();

    await sm().send(new TagResourceCommand({ SecretId: 'list/gamma', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await sm().send(new UntagResourceCommand({ SecretId: 'list/gamma', TagKeys: ['a'] }));
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'list/gamma' }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
  });
});

describe('deletion on the clock', () => {
  test('DeleteSecret with a recovery window, RestoreSecret, and removal once the window passes', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'del', SecretString: 'x' }));
    expect(await failure(sm().send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 6 })))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
    });
    expect((await failure(sm().send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true })))).name).toBe('InvalidParameterException');
    const now = ctx.g.clock.now().getTime();
    const out = await sm().send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 7 }));
    expect(out.DeletionDate?.getTime()).toBe(now + 7 * DAY);
    expect(await failure(sm().send(new GetSecretValueCommand({ SecretId: 'del' })))).toMatchObject({
      name: 'InvalidRequestException',
      message: "You can't perform this operation on the secret because it was marked for deletion.",
    });
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'del' }))).DeletedDate?.getTime()).toBe(now);
    expect((await sm().send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['del'] }] }))).SecretList).toEqual([]);
    expect((await sm().send(new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: 'name', Values: ['del'] }] }))).SecretList).toHaveLength(1);
    expect((await failure(sm().send(new CreateSecretCommand({ Name: 'del', SecretString: 'y' })))).message).toBe(
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
    await sm().send(new RestoreSecretCommand({ SecretId: 'del' }));
    expect((await sm().send(new GetSecretValueCommand({ SecretId: 'del' }))).SecretString).toBe('x');

    await sm().send(new DeleteSecretCommand({ SecretId: 'del', RecoveryWindowInDays: 7 }));
    ctx.g.clock.advance(7 * DAY - 1000);
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'del' }))).Name).toBe('del');
    ctx.g.clock.advance(2000);
    expect((await failure(sm().send(new DescribeSecretCommand({ SecretId: 'del' })))).name).toBe('ResourceNotFoundException');
    await sm().send(new CreateSecretCommand({ Name: 'del', SecretString: 'new' }));
  });

  test('ForceDeleteWithoutRecovery removes at once', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'force', SecretString: 'x' }));
    const out = await sm().send(new DeleteSecretCommand({ SecretId: 'force', ForceDeleteWithoutRecovery: true }));
    expect(out.DeletionDate?.getTime()).toBe(ctx.g.clock.now().getTime());
    expect((await failure(sm().send(new GetSecretValueCommand({ SecretId: 'force' })))).name).toBe('ResourceNotFoundException');
  });
});

describe('policies, passwords, batch, rotation', () => {
  test('resource policies are validated and stored', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'pol', SecretString: 'x' }));
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }] });
    await sm().send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: policy }));
    expect((await sm().send(new GetResourcePolicyCommand({ SecretId: 'pol' }))).ResourcePolicy).toBe(policy);
    expect((await failure(sm().send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: '{not json' })))).name).toBe('MalformedPolicyDocumentException');
    const open = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'secretsmanager:*', Resource: '*' }] });
    expect((await failure(sm().send(new PutResourcePolicyCommand({ SecretId: 'pol', ResourcePolicy: open, BlockPublicPolicy: true })))).name).toBe('PublicPolicyException');
    expect((await sm().send(new ValidateResourcePolicyCommand({ ResourcePolicy: policy }))).PolicyValidationPassed).toBe(true);
    expect((await sm().send(new ValidateResourcePolicyCommand({ ResourcePolicy: open }))).PolicyValidationPassed).toBe(false);
    await sm().send(new DeleteResourcePolicyCommand({ SecretId: 'pol' }));
    expect((await sm().send(new GetResourcePolicyCommand({ SecretId: 'pol' }))).ResourcePolicy).toBeUndefined();
  });

  test('GetRandomPassword: default length 32 with every type, options honoured', async () => {
    const d = (await sm().send(new GetRandomPasswordCommand({}))).RandomPassword!;
    expect(d).toHaveLength(32);
    expect(d).toMatch(/[a-z]/);
    expect(d).toMatch(/[A-Z]/);
    expect(d).toMatch(/[0-9]/);
    expect(d).not.toMatch(/ /);
    const p = (await sm().send(new GetRandomPasswordCommand({ PasswordLength: 100, ExcludePunctuation: true, ExcludeCharacters: 'abcABC123', IncludeSpace: true }))).RandomPassword!;
    expect(p).toHaveLength(100);
    expect(p).toMatch(/^[d-zD-Z04-9 ]+$/);
    expect(p).toMatch(/ /);
    const digits = (await sm().send(new GetRandomPasswordCommand({ PasswordLength: 8, ExcludeLowercase: true, ExcludeUppercase: true, ExcludePunctuation: true }))).RandomPassword!;
    expect(digits).toMatch(/^[0-9]{8}$/);
    expect((await failure(sm().send(new GetRandomPasswordCommand({ PasswordLength: 3 })))).name).toBe('InvalidParameterException');
    expect((await failure(sm().send(new GetRandomPasswordCommand({ PasswordLength: 5000 })))).name).toBe('ValidationException');
  });

  test('BatchGetSecretValue by id list (with errors) and by filter', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'batch/one', SecretString: '1' }));
    await sm().send(new CreateSecretCommand({ Name: 'batch/two', SecretString: '2' }));
    const out = await sm().send(new BatchGetSecretValueCommand({ SecretIdList: ['batch/one', 'batch/two', 'batch/none'] }));
    expect(out.SecretValues!.map((v) => v.SecretString)).toEqual(['1', '2']);
    expect(out.Errors).toEqual([{ SecretId: 'batch/none', ErrorCode: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." }]);
    const f = await sm().send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['batch/'] }] }));
    expect(f.SecretValues!.map((v) => v.Name).sort()).toEqual(['batch/one', 'batch/two']);
  });

  test('RotateSecret without rotating immediately records the configuration; CancelRotateSecret', async () => {
    await sm().send(new CreateSecretCommand({ Name: 'rot', SecretString: 'x' }));
    expect((await failure(sm().send(new RotateSecretCommand({ SecretId: 'rot' })))).name).toBe('InvalidRequestException');
    const lambda = 'arn:aws:lambda:us-east-1:000000000000:function:rotator';
    const out = await sm().send(new RotateSecretCommand({ SecretId: 'rot', RotationLambdaARN: lambda, RotationRules: { AutomaticallyAfterDays: 30 }, RotateImmediately: false }));
    expect(out.VersionId).toBeUndefined();
    const d = await sm().send(new DescribeSecretCommand({ SecretId: 'rot' }));
    expect(d).toMatchObject({ RotationEnabled: true, RotationLambdaARN: lambda, RotationRules: { AutomaticallyAfterDays: 30 } });
    expect(d.NextRotationDate).toBeDefined();
    await sm().send(new CancelRotateSecretCommand({ SecretId: 'rot' }));
    expect((await sm().send(new DescribeSecretCommand({ SecretId: 'rot' }))).RotationEnabled).toBe(false);
  });
});

describe('other clients', () => {
  test.skipIf(!HAS_AWS_CLI)('AWS CLI: create-secret, get-secret-value, put-secret-value, describe-secret', async () => {
    const c = await awsCli(ctx.g, ['secretsmanager', 'create-secret', '--name', 'cli/secret', '--secret-string', 's3cr3t']);
    expect(c.status, c.stderr).toBe(0);
    expect((c.json as { ARN: string }).ARN).toMatch(/:secret:cli\/secret-[A-Za-z0-9]{6}$/);
    const g = await awsCli(ctx.g, ['secretsmanager', 'get-secret-value', '--secret-id', 'cli/secret']);
    expect(g.json).toMatchObject({ Name: 'cli/secret', SecretString: 's3cr3t', VersionStages: ['AWSCURRENT'] });
    const p = await awsCli(ctx.g, ['secretsmanager', 'put-secret-value', '--secret-id', 'cli/secret', '--secret-string', 'two']);
    expect(p.status, p.stderr).toBe(0);
    const d = await awsCli(ctx.g, ['secretsmanager', 'describe-secret', '--secret-id', 'cli/secret']);
    expect(Object.values((d.json as { VersionIdsToStages: Record<string, string[]> }).VersionIdsToStages).sort()).toEqual([['AWSCURRENT'], ['AWSPREVIOUS']]);
    const miss = await awsCli(ctx.g, ['secretsmanager', 'get-secret-value', '--secret-id', 'cli/none']);
    expect(miss.status).not.toBe(0);
    expect(miss.stderr).toContain('ResourceNotFoundException');
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3: create_secret, get_secret_value (binary), list_secrets paginator', async () => {
    const r = await boto3(
      ctx.g,
      `c = boto3.client('secretsmanager', endpoint_url=ENDPOINT, region_name='us-east-1')
c.create_secret(Name='py/one', SecretBinary=b'\\x00\\xff')
v = c.get_secret_value(SecretId='py/one')
names = [s['Name'] for p in c.get_paginator('list_secrets').paginate(Filters=[{'Key': 'name', 'Values': ['py/']}]) for s in p['SecretList']]
try:
    c.get_secret_value(SecretId='py/none')
    err = None
except c.exceptions.ResourceNotFoundException as e:
    err = e.response['Error']['Code']
print(json.dumps({'bin': list(v['SecretBinary']), 'stages': v['VersionStages'], 'names': names, 'err': err}))`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ bin: [0, 255], stages: ['AWSCURRENT'], names: ['py/one'], err: 'ResourceNotFoundException' });
  });
});
