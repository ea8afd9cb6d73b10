// covers: dynamodb.CreateTable dynamodb.PutItem dynamodb.GetItem dynamodb.DescribeTable dynamodb.DeleteItem
/** DynamoDB through the AWS CLI and boto3's resource API, state across a restart, and key order. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { startGureum } from '../../../src/index.js';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum } from '../../helpers.js';
import { SortedMap } from '../../../src/services/dynamodb/domain/sorted.js';
import { compositeKey, encodeKeyValue } from '../../../src/services/dynamodb/domain/values.js';

const ctx = useGureum();

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('create-table, put-item, get-item', async () => {
    const created = await awsCli(ctx.g, ['dynamodb', 'create-table', '--table-name', 'CliTable',
      '--attribute-definitions', 'AttributeName=pk,AttributeType=S', 'AttributeName=sk,AttributeType=N',
      '--key-schema', 'AttributeName=pk,KeyType=HASH', 'AttributeName=sk,KeyType=RANGE', '--billing-mode', 'PAY_PER_REQUEST']);
    expect(created.status, created.stderr).toBe(0);
    expect((created.json as { TableDescription: { TableArn: string } }).TableDescription.TableArn).toBe('arn:aws:dynamodb:us-east-1:000000000000:table/CliTable');
    const put = await awsCli(ctx.g, ['dynamodb', 'put-item', '--table-name', 'CliTable', '--item', '{"pk":{"S":"a"},"sk":{"N":"1.0"},"v":{"B":"AAEC"}}']);
    expect(put.status, put.stderr).toBe(0);
    const got = await awsCli(ctx.g, ['dynamodb', 'get-item', '--table-name', 'CliTable', '--key', '{"pk":{"S":"a"},"sk":{"N":"1"}}']);
    expect(got.status, got.stderr).toBe(0);
    // CLI v1 sends a blob argument's text as the bytes ("AAEC"), and prints blobs base64-encoded.
    expect(got.json).toEqual({ Item: { pk: { S: 'a' }, sk: { N: '1' }, v: { B: Buffer.from('AAEC').toString('base64') } } });
    const missing = await awsCli(ctx.g, ['dynamodb', 'describe-table', '--table-name', 'Nope']);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('ResourceNotFoundException');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('resource API: create_table, put_item, get_item with Decimals and sets', async () => {
    const r = await boto3(ctx.g, `
from decimal import Decimal
db = boto3.resource('dynamodb', endpoint_url=ENDPOINT, region_name='us-east-1')
t = db.create_table(TableName='BotoTable', KeySchema=[{'AttributeName': 'id', 'KeyType': 'HASH'}],
    AttributeDefinitions=[{'AttributeName': 'id', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
t.put_item(Item={'id': 'x', 'price': Decimal('19.990'), 'tags': {'a', 'b'}, 'nested': {'list': [1, 'two', None, True]}})
item = t.get_item(Key={'id': 'x'})['Item']
try:
    t.get_item(Key={'nope': 'x'})
    raise SystemExit('expected an error')
except db.meta.client.exceptions.ClientError as e:
    err = e.response['Error']
print(json.dumps({'price': str(item['price']), 'tags': sorted(item['tags']), 'list': [str(v) if isinstance(v, Decimal) else v for v in item['nested']['list']], 'err': err['Code'], 'msg': err['Message']}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ price: '19.99', tags: ['a', 'b'], list: ['1', 'two', null, true], err: 'ValidationException', msg: 'The provided key element does not match the schema' });
  });
});

describe('persistence', () => {
  it('tables and items survive a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gureum-ddb-'));
    try {
      let g = await startGureum({ dataDir: dir });
      let ddb = new DynamoDBClient(clientConfig(g));
      await ddb.send(new CreateTableCommand({ TableName: 'Durable', KeySchema: [{ AttributeName: 'k', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'k', AttributeType: 'B' }], BillingMode: 'PAY_PER_REQUEST' }));
      await ddb.send(new PutItemCommand({ TableName: 'Durable', Item: { k: { B: Uint8Array.of(0, 0, 1) }, v: { NS: ['1', '2'] } } }));
      await g.stop();
      g = await startGureum({ dataDir: dir });
      ddb = new DynamoDBClient(clientConfig(g));
      const got = await ddb.send(new GetItemCommand({ TableName: 'Durable', Key: { k: { B: Uint8Array.of(0, 0, 1) } } }));
      expect(got.Item).toEqual({ k: { B: Uint8Array.of(0, 0, 1) }, v: { NS: ['1', '2'] } });
      expect((await ddb.send(new DescribeTableCommand({ TableName: 'Durable' }))).Table?.ItemCount).toBe(1);
      await g.stop();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('key order (the store a later Query pages through)', () => {
  it('orders N numerically, S and B by bytes, partition key first', () => {
    const n = (s: string) => encodeKeyValue({ N: s });
    const nums = ['-1e10', '-100', '-15', '-1.5', '-1', '-0.1', '0', '1e-130', '0.5', '1', '1.5', '2', '10', '15', '9.9e125'];
    const m = new SortedMap<string>();
    for (const x of [...nums].reverse()) m.set(compositeKey('p', n(x)), x);
    expect([...m.entries()].map(([, v]) => v)).toEqual(nums);
    // UTF-8 byte order: U+FFFD (EF BF BD) sorts before U+1F600 (F0 9F 98 80), unlike UTF-16 order.
    const strs = ['', 'A', 'B', 'a', 'ab', 'é', '\uFFFD', '😀'];
    const s = new SortedMap<string>();
    for (const x of [...strs].reverse()) s.set(compositeKey(encodeKeyValue({ S: x }), undefined), x); // hash-only keys
    expect([...s.entries()].map(([, v]) => v)).toEqual(strs);
    // partition "a" < "a\0" < "ab", whatever the sort keys are
    const parts = new SortedMap<string>();
    parts.set(compositeKey('ab', 'x'), 'ab');
    parts.set(compositeKey('a\x00', '\xff'), 'a0');
    parts.set(compositeKey('a', '\xff\xff'), 'a');
    expect([...parts.entries()].map(([, v]) => v)).toEqual(['a', 'a0', 'ab']);
    // chunk splits and deletes keep order
    const big = new SortedMap<number>();
    for (let i = 0; i < 5000; i++) big.set(n(String((i * 7919) % 5000)), (i * 7919) % 5000);
    for (let i = 0; i < 5000; i += 2) big.delete(n(String(i)));
    const vals = [...big.entries()].map(([, v]) => v);
    expect(vals).toEqual(Array.from({ length: 2500 }, (_, i) => 2 * i + 1));
    expect([...big.entries(n('4001'), true)].map(([, v]) => v).slice(0, 2)).toEqual([4003, 4005]);
  });
});
