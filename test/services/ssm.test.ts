// covers: ssm.PutParameter ssm.GetParameter ssm.GetParameters ssm.GetParametersByPath ssm.DescribeParameters ssm.DeleteParameter ssm.DeleteParameters ssm.GetParameterHistory ssm.LabelParameterVersion ssm.UnlabelParameterVersion ssm.AddTagsToResource ssm.RemoveTagsFromResource ssm.ListTagsForResource
import { beforeAll, describe, expect, test } from 'vitest';
import {
  AddTagsToResourceCommand, DeleteParameterCommand, DeleteParametersCommand, DescribeParametersCommand, GetParameterCommand,
  GetParameterHistoryCommand, GetParametersByPathCommand, GetParametersCommand, LabelParameterVersionCommand, ListTagsForResourceCommand,
  PutParameterCommand, RemoveTagsFromResourceCommand, SSMClient, UnlabelParameterVersionCommand,
} from '@aws-sdk/client-ssm';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-03-10T12:00:00Z');
beforeAll(() => ctx.g.clock.set(T0));

const ssm = () => new SSMClient(clientConfig(ctx.g));

describe('put and get', () => {
  test('PutParameter creates version 1, Overwrite increments, ParameterAlreadyExists otherwise', async () => {
    expect(await ssm().send(new PutParameterCommand({ Name: '/app/url', Value: 'http://a', Type: 'String', Description: 'url' }))).toMatchObject({ Version: 1, Tier: 'Standard' });
    const p = (await ssm().send(new GetParameterCommand({ Name: '/app/url' }))).Parameter!;
    expect(p).toMatchObject({ Name: '/app/url', Type: 'String', Value: 'http://a', Version: 1, DataType: 'text', ARN: 'arn:aws:ssm:us-east-1:000000000000:parameter/app/url' });
    expect(p.LastModifiedDate?.getTime()).toBe(T0);
    expect(await failure(ssm().send(new PutParameterCommand({ Name: '/app/url', Value: 'x', Type: 'String' })))).toMatchObject({
      name: 'ParameterAlreadyExists',
      message: 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
    });
    expect((await ssm().send(new PutParameterCommand({ Name: '/app/url', Value: 'http://b', Overwrite: true }))).Version).toBe(2);
    const p2 = (await ssm().send(new GetParameterCommand({ Name: '/app/url' }))).Parameter!;
    expect(p2).toMatchObject({ Value: 'http://b', Version: 2, Type: 'String' });
    expect((await ssm().send(new GetParameterCommand({ Name: '/app/url:1' }))).Parameter).toMatchObject({ Value: 'http://a', Version: 1, Selector: ':1' });
    expect((await ssm().send(new GetParameterCommand({ Name: p.ARN! }))).Parameter!.Value).toBe('http://b');
    expect(await failure(ssm().send(new GetParameterCommand({ Name: '/app/url:9' })))).toMatchObject({
      name: 'ParameterVersionNotFound',
      message: 'Systems Manager could not find version 9 of /app/url. Verify the version and try again.',
    });
    expect((await failure(ssm().send(new GetParameterCommand({ Name: '/nope' })))).name).toBe('ParameterNotFound');
  });

  test('rules: tags with overwrite, type required, reserved prefixes, hierarchy depth, pattern, tiers, data type', async () => {
    expect(await failure(ssm().send(new PutParameterCommand({ Name: '/t', Value: 'x', Type: 'String', Overwrite: true, Tags: [{ Key: 'a', Value: 'b' }] })))).toMatchObject({
      name: 'ValidationException',
      message: "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
    });
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/notype', Value: 'x' })))).message).toBe('A parameter type is required when you create a parameter.');
    expect(await failure(ssm().send(new PutParameterCommand({ Name: '/aws/mine', Value: 'x', Type: 'String' })))).toMatchObject({ name: 'AccessDeniedException', message: 'No access to reserved parameter name: /aws/mine.' });
    expect(await failure(ssm().send(new PutParameterCommand({ Name: 'ssmthing', Value: 'x', Type: 'String' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
    });
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/bad name', Value: 'x', Type: 'String' })))).name).toBe('ValidationException');
    const deep = '/' + Array.from({ length: 15 }, (_, i) => `l${i}`).join('/');
    await ssm().send(new PutParameterCommand({ Name: deep, Value: 'x', Type: 'String' }));
    expect((await failure(ssm().send(new PutParameterCommand({ Name: deep + '/l15', Value: 'x', Type: 'String' })))).name).toBe('HierarchyLevelLimitExceededException');
    expect(await failure(ssm().send(new PutParameterCommand({ Name: '/num', Value: '12345', Type: 'String', AllowedPattern: '\\d{1,4}' })))).toMatchObject({
      name: 'ParameterPatternMismatchException',
      message: 'Parameter value, cannot be validated against allowedPattern: \\d{1,4}',
    });
    await ssm().send(new PutParameterCommand({ Name: '/num', Value: '1234', Type: 'String', AllowedPattern: '\\d{1,4}' }));
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/num', Value: 'abc', Overwrite: true })))).name).toBe('ParameterPatternMismatchException');

    const big = 'x'.repeat(5000);
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/big', Value: big, Type: 'String' })))).message).toMatch(/^Standard tier parameters support a maximum parameter value of 4096 characters/);
    expect((await ssm().send(new PutParameterCommand({ Name: '/big', Value: big, Type: 'String', Tier: 'Advanced' }))).Tier).toBe('Advanced');
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/big', Value: 'x'.repeat(9000), Overwrite: true })))).name).toBe('ValidationException');
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/big', Value: 'small', Overwrite: true, Tier: 'Standard' })))).message).toMatch(/can't downgrade/);
    expect((await ssm().send(new PutParameterCommand({ Name: '/it', Value: big, Type: 'String', Tier: 'Intelligent-Tiering' }))).Tier).toBe('Advanced');
    expect((await ssm().send(new PutParameterCommand({ Name: '/it2', Value: 'small', Type: 'String', Tier: 'Intelligent-Tiering' }))).Tier).toBe('Standard');

    // the value must be an image EC2 knows: here the current Amazon Linux 2023 AMI of the Region
    const ami = (await ssm().send(new GetParameterCommand({ Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }))).Parameter!.Value!;
    await ssm().send(new PutParameterCommand({ Name: '/img', Value: ami, Type: 'String', DataType: 'aws:ec2:image' }));
    expect((await ssm().send(new GetParameterCommand({ Name: '/img' }))).Parameter!.DataType).toBe('aws:ec2:image');
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/img1', Value: 'ami-0123456789abcdef0', Type: 'String', DataType: 'aws:ec2:image' })))).name).toBe('ValidationException');
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/img2', Value: 'not-an-ami', Type: 'String', DataType: 'aws:ec2:image' })))).name).toBe('ValidationException');
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/img3', Value: 'x', Type: 'String', DataType: 'AWS:EC2:IMAGE' })))).message).toBe(
      'The following data type is not supported: AWS:EC2:IMAGE (Data type names are all lowercase.)',
    );
  });

  test('SecureString and StringList; WithDecryption; GetParameters InvalidParameters', async () => {
    await ssm().send(new PutParameterCommand({ Name: '/sec/pw', Value: 'hunter2', Type: 'SecureString' }));
    await ssm().send(new PutParameterCommand({ Name: '/sec/list', Value: 'a,b,c', Type: 'StringList' }));
    const enc = (await ssm().send(new GetParameterCommand({ Name: '/sec/pw' }))).Parameter!;
    expect(enc.Type).toBe('SecureString');
    expect(enc.Value).not.toBe('hunter2');
    expect((await ssm().send(new GetParameterCommand({ Name: '/sec/pw', WithDecryption: true }))).Parameter!.Value).toBe('hunter2');
    const d = await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/sec/pw'] }] }));
    expect(d.Parameters![0]).toMatchObject({ KeyId: 'alias/aws/ssm', Type: 'SecureString', Version: 1 });
    const many = await ssm().send(new GetParametersCommand({ Names: ['/sec/list', '/sec/pw', '/sec/none', '/sec/list:7'], WithDecryption: true }));
    expect(many.Parameters!.map((p) => [p.Name, p.Value])).toEqual([['/sec/list', 'a,b,c'], ['/sec/pw', 'hunter2']]);
    expect(many.InvalidParameters).toEqual(['/sec/none', '/sec/list:7']);
  });
});

describe('paths, describe, history, labels, tags, delete', () => {
  test('GetParametersByPath: one level vs recursive, filters, paging by 10', async () => {
    for (let i = 0; i < 12; i++) await ssm().send(new PutParameterCommand({ Name: `/tree/n${String(i).padStart(2, '0')}`, Value: `${i}`, Type: i % 2 ? 'String' : 'SecureString' }));
    await ssm().send(new PutParameterCommand({ Name: '/tree/sub/deep', Value: 'd', Type: 'String' }));
    const p1 = await ssm().send(new GetParametersByPathCommand({ Path: '/tree' }));
    expect(p1.Parameters).toHaveLength(10);
    const p2 = await ssm().send(new GetParametersByPathCommand({ Path: '/tree', NextToken: p1.NextToken }));
    expect(p2.Parameters!.map((p) => p.Name)).toEqual(['/tree/n10', '/tree/n11']);
    expect(p2.NextToken).toBeUndefined();
    const names: string[] = [];
    let token: string | undefined;
    do {
      const page = await ssm().send(new GetParametersByPathCommand({ Path: '/tree/', Recursive: true, NextToken: token, WithDecryption: true }));
      names.push(...page.Parameters!.map((p) => p.Name!));
      token = page.NextToken;
    } while (token);
    expect(names).toHaveLength(13);
    expect(names).toContain('/tree/sub/deep');
    const typed = await ssm().send(new GetParametersByPathCommand({ Path: '/tree', Recursive: true, ParameterFilters: [{ Key: 'Type', Values: ['String'] }] }));
    expect(typed.Parameters!.every((p) => p.Type === 'String')).toBe(true);
    expect((await failure(ssm().send(new GetParametersByPathCommand({ Path: '/tree', ParameterFilters: [{ Key: 'Name', Values: ['x'] }] })))).name).toBe('InvalidFilterKey');
    expect((await failure(ssm().send(new GetParametersByPathCommand({ Path: 'tree' })))).name).toBe('ValidationException');
  });

  test('DescribeParameters: Filters vs ParameterFilters, Path/Name/tag filters, paging', async () => {
    expect((await failure(ssm().send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['/tree'] }], ParameterFilters: [{ Key: 'Name', Values: ['/tree'] }] })))).message).toBe(
      'You can use either Filters or ParameterFilters in a single request.',
    );
    const legacy = await ssm().send(new DescribeParametersCommand({ Filters: [{ Key: 'Name', Values: ['/tree/n0'] }], MaxResults: 50 }));
    expect(legacy.Parameters).toHaveLength(10);
    const oneLevel = await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Path', Values: ['/tree/sub'] }] }));
    expect(oneLevel.Parameters!.map((p) => p.Name)).toEqual(['/tree/sub/deep']);
    const contains = await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Contains', Values: ['n1'] }] }));
    expect(contains.Parameters!.map((p) => p.Name)).toEqual(['/tree/n10', '/tree/n11']);
    const page = await ssm().send(new DescribeParametersCommand({ MaxResults: 5, ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/tree'] }] }));
    expect(page.Parameters).toHaveLength(5);
    expect(page.NextToken).toBeDefined();
    await ssm().send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tree/n01', Tags: [{ Key: 'owner', Value: 'me' }] }));
    const tagged = await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'tag:owner', Values: ['me'] }] }));
    expect(tagged.Parameters!.map((p) => p.Name)).toEqual(['/tree/n01']);
  });

  test('history and labels', async () => {
    for (const v of ['one', 'two', 'three']) await ssm().send(new PutParameterCommand({ Name: '/hist', Value: v, Type: 'String', Overwrite: true }));
    const l = await ssm().send(new LabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 1, Labels: ['prod', 'aws-bad', '1bad', 'good.label'] }));
    expect(l).toMatchObject({ ParameterVersion: 1, InvalidLabels: ['aws-bad', '1bad'] });
    expect((await ssm().send(new GetParameterCommand({ Name: '/hist:prod' }))).Parameter).toMatchObject({ Value: 'one', Selector: ':prod', Version: 1 });
    // moving a label
    await ssm().send(new LabelParameterVersionCommand({ Name: '/hist', Labels: ['prod'] }));
    expect((await ssm().send(new GetParameterCommand({ Name: '/hist:prod' }))).Parameter!.Value).toBe('three');
    const h = await ssm().send(new GetParameterHistoryCommand({ Name: '/hist' }));
    expect(h.Parameters!.map((p) => [p.Version, p.Value, p.Labels])).toEqual([[1, 'one', ['good.label']], [2, 'two', []], [3, 'three', ['prod']]]);
    expect(h.Parameters![0]!.LastModifiedUser).toBe('arn:aws:iam::000000000000:root');
    const u = await ssm().send(new UnlabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 3, Labels: ['prod', 'none'] }));
    expect(u).toEqual(expect.objectContaining({ RemovedLabels: ['prod'], InvalidLabels: ['none'] }));
    expect((await failure(ssm().send(new GetParameterCommand({ Name: '/hist:prod' })))).name).toBe('ParameterNotFound');
    const labels = Array.from({ length: 10 }, (_, i) => `l${i}`);
    await ssm().send(new LabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 2, Labels: labels }));
    expect((await failure(ssm().send(new LabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 2, Labels: ['eleven'] })))).name).toBe('ParameterVersionLabelLimitExceeded');
    expect((await failure(ssm().send(new LabelParameterVersionCommand({ Name: '/hist', ParameterVersion: 9, Labels: ['x'] })))).name).toBe('ParameterVersionNotFound');
  });

  test('100 versions are kept; the oldest goes unless it has a label', async () => {
    await ssm().send(new PutParameterCommand({ Name: '/many', Value: 'v1', Type: 'String' }));
    await ssm().send(new LabelParameterVersionCommand({ Name: '/many', ParameterVersion: 1, Labels: ['keep'] }));
    for (let i = 2; i <= 100; i++) await ssm().send(new PutParameterCommand({ Name: '/many', Value: `v${i}`, Overwrite: true }));
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/many', Value: 'v101', Overwrite: true })))).name).toBe('ParameterMaxVersionLimitExceeded');
    await ssm().send(new UnlabelParameterVersionCommand({ Name: '/many', ParameterVersion: 1, Labels: ['keep'] }));
    expect((await ssm().send(new PutParameterCommand({ Name: '/many', Value: 'v101', Overwrite: true }))).Version).toBe(101);
    expect((await failure(ssm().send(new GetParameterCommand({ Name: '/many:1' })))).name).toBe('ParameterVersionNotFound');
  });

  test('tags on parameters; Tags at creation', async () => {
    await ssm().send(new PutParameterCommand({ Name: '/tagged', Value: 'x', Type: 'String', Tags: [{ Key: 'a', Value: '1' }] }));
    await ssm().send(new AddTagsToResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tagged', Tags: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '3' }] }));
    await ssm().send(new RemoveTagsFromResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tagged', TagKeys: ['b'] }));
    expect((await ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/tagged' }))).TagList).toEqual([{ Key: 'a', Value: '3' }]);
    expect((await failure(ssm().send(new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: '/none' })))).name).toBe('InvalidResourceId');
  });

  test('DeleteParameter(s)', async () => {
    await ssm().send(new PutParameterCommand({ Name: '/del/a', Value: 'x', Type: 'String' }));
    await ssm().send(new PutParameterCommand({ Name: '/del/b', Value: 'x', Type: 'String' }));
    await ssm().send(new DeleteParameterCommand({ Name: '/del/a' }));
    expect((await failure(ssm().send(new DeleteParameterCommand({ Name: '/del/a' })))).name).toBe('ParameterNotFound');
    expect(await ssm().send(new DeleteParametersCommand({ Names: ['/del/b', '/del/a'] }))).toMatchObject({ DeletedParameters: ['/del/b'], InvalidParameters: ['/del/a'] });
  });

  test('Expiration policy deletes the parameter on the clock', async () => {
    const at = new Date(T0 + 3_600_000).toISOString();
    const policies = JSON.stringify([{ Type: 'Expiration', Version: '1.0', Attributes: { Timestamp: at } }]);
    expect((await failure(ssm().send(new PutParameterCommand({ Name: '/exp', Value: 'x', Type: 'String', Policies: policies })))).name).toBe('ValidationException');
    await ssm().send(new PutParameterCommand({ Name: '/exp', Value: 'x', Type: 'String', Tier: 'Advanced', Policies: policies }));
    const d = await ssm().send(new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Values: ['/exp'] }] }));
    expect(d.Parameters![0]!.Policies).toEqual([{ PolicyText: JSON.stringify(JSON.parse(policies)[0]), PolicyType: 'Expiration', PolicyStatus: 'Pending' }]);
    ctx.g.clock.set(Date.parse(at) + 1000);
    expect((await failure(ssm().send(new GetParameterCommand({ Name: '/exp' })))).name).toBe('ParameterNotFound');
  });
});

describe('public parameters', () => {
  test('/aws/service/ami-amazon-linux-latest serves AMI ids, by name and by path', async () => {
    const p = (await ssm().send(new GetParameterCommand({ Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' }))).Parameter!;
    expect(p.Value).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(p.ARN).toBe('arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64');
    const byPath = await ssm().send(new GetParametersByPathCommand({ Path: '/aws/service/ami-amazon-linux-latest' }));
    expect(byPath.Parameters!.map((x) => x.Name)).toContain('/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64');
    const west = new SSMClient(clientConfig(ctx.g, { region: 'us-west-2' }));
    const w = (await west.send(new GetParameterCommand({ Name: p.Name! }))).Parameter!;
    expect(w.Value).toMatch(/^ami-[0-9a-f]{17}$/);
    expect(w.Value).not.toBe(p.Value);
    const ecs = (await ssm().send(new GetParametersCommand({ Names: ['/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id', '/aws/service/nope'] })));
    expect(ecs.Parameters![0]!.Value).toMatch(/^ami-/);
    expect(ecs.InvalidParameters).toEqual(['/aws/service/nope']);
  });
});

describe('other clients', () => {
  test.skipIf(!HAS_AWS_CLI)('AWS CLI: put-parameter, get-parameters-by-path, get-parameter', async () => {
    const put = await awsCli(ctx.g, ['ssm', 'put-parameter', '--name', '/cli/a', '--value', 'va', '--type', 'String']);
    expect(put.status, put.stderr).toBe(0);
    expect(put.json).toEqual({ Version: 1, Tier: 'Standard' });
    await awsCli(ctx.g, ['ssm', 'put-parameter', '--name', '/cli/b/c', '--value', 'vc', '--type', 'SecureString']);
    const byPath = await awsCli(ctx.g, ['ssm', 'get-parameters-by-path', '--path', '/cli', '--recursive', '--with-decryption']);
    expect(byPath.status, byPath.stderr).toBe(0);
    expect((byPath.json as { Parameters: { Name: string; Value: string }[] }).Parameters.map((p) => [p.Name, p.Value])).toEqual([['/cli/a', 'va'], ['/cli/b/c', 'vc']]);
    const dup = await awsCli(ctx.g, ['ssm', 'put-parameter', '--name', '/cli/a', '--value', 'vb', '--type', 'String']);
    expect(dup.status).not.toBe(0);
    expect(dup.stderr).toContain('ParameterAlreadyExists');
  });

  test.skipIf(!HAS_PYTHON_BOTO3)('boto3: put_parameter, get_parameter, paginated get_parameters_by_path', async () => {
    const r = await boto3(
      ctx.g,
      `c = boto3.client('ssm', endpoint_url=ENDPOINT, region_name='us-east-1')
for i in range(15):
    c.put_parameter(Name='/py/p%02d' % i, Value=str(i), Type='String')
v = c.get_parameter(Name='/py/p03')['Parameter']
names = [p['Name'] for page in c.get_paginator('get_parameters_by_path').paginate(Path='/py') for p in page['Parameters']]
try:
    c.get_parameter(Name='/py/none')
    err = None
except c.exceptions.ParameterNotFound as e:
    err = e.response['Error']['Code']
print(json.dumps({'value': v['Value'], 'version': v['Version'], 'count': len(names), 'err': err}))`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ value: '3', version: 1, count: 15, err: 'ParameterNotFound' });
  });
});
