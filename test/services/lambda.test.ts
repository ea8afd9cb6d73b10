// covers: lambda.ListFunctions lambda.GetAccountSettings
import { describe, it, expect } from 'vitest';
import { LambdaClient, ListFunctionsCommand, GetAccountSettingsCommand, paginateListFunctions } from '@aws-sdk/client-lambda';
import type { FunctionRecord } from '../../src/services/lambda/state.js';
import { useGureum, clientConfig, awsCli, boto3, HAS_AWS_CLI, HAS_PYTHON_BOTO3 } from '../helpers.js';

const h = useGureum();
const lambda = (extra: Record<string, unknown> = {}) => new LambdaClient(clientConfig(h.g, extra));

/** Functions as CreateFunction will store them (it is not built yet, so seed the table). */
function seed(account: string, region: string, names: string[], codeSize = 1000): void {
  const table = h.g.runtime.store.table<FunctionRecord>('lambda', 'functions');
  for (const name of names) {
    table.put({ account, region }, name, {
      configuration: {
        FunctionName: name,
        FunctionArn: `arn:aws:lambda:${region}:${account}:function:${name}`,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        CodeSize: codeSize,
        MemorySize: 128,
        Timeout: 3,
        LastModified: '2026-01-01T00:00:00.000+0000',
        Version: '$LATEST',
        PackageType: 'Zip',
        State: 'Active',
      },
    });
  }
}

describe('GetAccountSettings', () => {
  it("returns AWS's default limits and zero usage for a new account", async () => {
    const r = await lambda().send(new GetAccountSettingsCommand({}));
    expect(r.AccountLimit).toEqual({
      TotalCodeSize: 80530636800,
      CodeSizeUnzipped: 262144000,
      CodeSizeZipped: 52428800,
      ConcurrentExecutions: 1000,
      UnreservedConcurrentExecutions: 1000,
    });
    expect(r.AccountUsage).toEqual({ TotalCodeSize: 0, FunctionCount: 0 });
  });

  it('computes usage from the functions of the account and region', async () => {
    seed(h.g.accountId, 'eu-central-1', ['u1', 'u2', 'u3'], 2500);
    const r = await lambda({ region: 'eu-central-1' }).send(new GetAccountSettingsCommand({}));
    expect(r.AccountUsage).toEqual({ TotalCodeSize: 7500, FunctionCount: 3 });
    const elsewhere = await lambda({ region: 'eu-west-3' }).send(new GetAccountSettingsCommand({}));
    expect(elsewhere.AccountUsage?.FunctionCount).toBe(0);
  });
});

describe('ListFunctions', () => {
  it('is empty before any function exists', async () => {
    const r = await lambda({ region: 'sa-east-1' }).send(new ListFunctionsCommand({}));
    expect(r.Functions).toEqual([]);
    expect(r.NextMarker).toBeUndefined();
  });

  it('pages with MaxItems and Marker in name order', async () => {
    const names = Array.from({ length: 7 }, (_, i) => `fn-${String.fromCharCode(103 - i)}`); // fn-g … fn-a
    seed(h.g.accountId, 'ap-south-1', names);
    const c = lambda({ region: 'ap-south-1' });
    const first = await c.send(new ListFunctionsCommand({ MaxItems: 3 }));
    expect(first.Functions!.map((f) => f.FunctionName)).toEqual(['fn-a', 'fn-b', 'fn-c']);
    expect(first.NextMarker).toBeTruthy();
    expect(first.Functions![0]!.FunctionArn).toBe(`arn:aws:lambda:ap-south-1:${h.g.accountId}:function:fn-a`);
    const all: string[] = [];
    for await (const page of paginateListFunctions({ client: c, pageSize: 2 }, {})) all.push(...page.Functions!.map((f) => f.FunctionName!));
    expect(all).toEqual([...names].sort());
  });

  it('rejects bad MaxItems, FunctionVersion and Marker values', async () => {
    const c = lambda();
    await expect(c.send(new ListFunctionsCommand({ MaxItems: 0 }))).rejects.toMatchObject({ name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
    await expect(c.send(new ListFunctionsCommand({ MaxItems: 10001 }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(c.send(new ListFunctionsCommand({ FunctionVersion: 'LATEST' as never }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(c.send(new ListFunctionsCommand({ Marker: 'not-a-marker' }))).rejects.toMatchObject({ name: 'InvalidParameterValueException', Type: 'User' });
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('aws lambda get-account-settings and list-functions', async () => {
    const r = await awsCli(h.g, ['lambda', 'get-account-settings']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ AccountLimit: { ConcurrentExecutions: 1000, CodeSizeZipped: 52428800 }, AccountUsage: { FunctionCount: 0 } });
    const l = await awsCli(h.g, ['lambda', 'list-functions', '--region', 'ap-south-1', '--max-items', '4']);
    expect(l.status, l.stderr).toBe(0);
    const out = l.json as { Functions: { FunctionName: string }[]; NextToken?: string };
    expect(out.Functions.map((f) => f.FunctionName)).toEqual(['fn-a', 'fn-b', 'fn-c', 'fn-d']);
    expect(out.NextToken).toBeTruthy();
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('list_functions paginator and get_account_settings', async () => {
    const r = await boto3(h.g, `
c = boto3.client('lambda', endpoint_url=ENDPOINT, region_name='ap-south-1')
names = [f['FunctionName'] for p in c.get_paginator('list_functions').paginate(PaginationConfig={'PageSize': 3}) for f in p['Functions']]
s = c.get_account_settings()
print(json.dumps({'names': names, 'usage': s['AccountUsage']}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ names: ['fn-a', 'fn-b', 'fn-c', 'fn-d', 'fn-e', 'fn-f', 'fn-g'], usage: { TotalCodeSize: 7000, FunctionCount: 7 } });
  });
});
