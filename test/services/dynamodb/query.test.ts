// covers: dynamodb.Query dynamodb.Scan dynamodb.BatchGetItem dynamodb.BatchWriteItem dynamodb.TransactWriteItems dynamodb.TransactGetItems
/** Query, Scan, secondary indexes, batches and transactions through SDK v3, the AWS CLI and boto3. */
import { describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, QueryCommand, ScanCommand, UpdateItemCommand, DeleteItemCommand,
  BatchGetItemCommand, BatchWriteItemCommand, TransactWriteItemsCommand, TransactGetItemsCommand, type QueryCommandInput, type TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum, rejection } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));

async function seeded(name: string, extra: Record<string, unknown> = {}) {
  await ddb().send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }, { AttributeName: 'g', AttributeType: 'S' }, { AttributeName: 'gs', AttributeType: 'N' }],
    GlobalSecondaryIndexes: [{ IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }, { AttributeName: 'gs', KeyType: 'RANGE' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
    ...extra,
  }));
  for (const p of ['a', 'b']) {
    for (let i = 0; i < 20; i++) {
      await ddb().send(new PutItemCommand({ TableName: name, Item: {
        pk: { S: p }, sk: { N: String(i - 5) }, v: { N: String(i % 3) }, name: { S: `item-${String(i).padStart(2, '0')}` },
        ...(i % 4 === 0 ? { g: { S: `g${p}` }, gs: { N: String(100 - i) } } : {}),
      } }));
    }
  }
}

const q = (input: Omit<QueryCommandInput, 'TableName'>) => ddb().send(new QueryCommand({ TableName: 'Qry', ...input }));
const sks = (items: Record<string, { N?: string }>[] | undefined) => items!.map((i) => Number(i.sk!.N));

describe('Query', () => {
  it('key conditions, order, Limit before filter, pagination, Select COUNT, projection', async () => {
    await seeded('Qry');
    const p = { ':p': { S: 'a' } };
    expect(sks((await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p })).Items)).toEqual(Array.from({ length: 20 }, (_, i) => i - 5));
    expect(sks((await q({ KeyConditionExpression: 'pk = :p AND sk < :x', ExpressionAttributeValues: { ...p, ':x': { N: '-3' } } })).Items)).toEqual([-5, -4]);
    expect(sks((await q({ KeyConditionExpression: 'pk = :p AND sk <= :x', ExpressionAttributeValues: { ...p, ':x': { N: '-3' } } })).Items)).toEqual([-5, -4, -3]);
    expect(sks((await q({ KeyConditionExpression: 'pk = :p AND :x < sk', ExpressionAttributeValues: { ...p, ':x': { N: '12' } } })).Items)).toEqual([13, 14]);
    expect(sks((await q({ KeyConditionExpression: 'pk = :p AND sk >= :x', ExpressionAttributeValues: { ...p, ':x': { N: '13' } } })).Items)).toEqual([13, 14]);
    expect(sks((await q({ KeyConditionExpression: 'pk = :p AND sk = :x', ExpressionAttributeValues: { ...p, ':x': { N: '3.0' } } })).Items)).toEqual([3]);
    expect(sks((await q({ KeyConditionExpression: '(pk = :p) AND (sk BETWEEN :lo AND :hi)', ExpressionAttributeValues: { ...p, ':lo': { N: '-1' }, ':hi': { N: '1' } }, ScanIndexForward: false })).Items)).toEqual([1, 0, -1]);
    const desc = await q({ KeyConditionExpression: 'pk = :p AND sk > :x', ExpressionAttributeValues: { ...p, ':x': { N: '10' } }, ScanIndexForward: false, Limit: 2 });
    expect(sks(desc.Items)).toEqual([14, 13]);
    expect(desc.LastEvaluatedKey).toEqual({ pk: { S: 'a' }, sk: { N: '13' } });
    const rest = await q({ KeyConditionExpression: 'pk = :p AND sk > :x', ExpressionAttributeValues: { ...p, ':x': { N: '10' } }, ScanIndexForward: false, Limit: 2, ExclusiveStartKey: desc.LastEvaluatedKey });
    expect(sks(rest.Items)).toEqual([12, 11]);
    // Limit counts items read before the filter
    const f = await q({ KeyConditionExpression: 'pk = :p', FilterExpression: 'v = :zero', ExpressionAttributeValues: { ...p, ':zero': { N: '0' } }, Limit: 6 });
    expect({ Count: f.Count, ScannedCount: f.ScannedCount, sks: sks(f.Items), lek: f.LastEvaluatedKey }).toEqual({ Count: 2, ScannedCount: 6, sks: [-5, -2], lek: { pk: { S: 'a' }, sk: { N: '0' } } });
    const count = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: p, Select: 'COUNT' });
    expect([count.Items, count.Count, count.ScannedCount, count.LastEvaluatedKey]).toEqual([undefined, 20, 20, undefined]);
    const proj = await q({ KeyConditionExpression: 'pk = :p AND sk = :x', ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ...p, ':x': { N: '0' } } });
    expect(proj.Items).toEqual([{ name: { S: 'item-05' } }]);
  });

  it('begins_with on string sort keys; key condition errors', async () => {
    await ddb().send(new CreateTableCommand({ TableName: 'QrS', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }] }));
    for (const sk of ['a', 'ab', 'abc', 'b', 'ORDER#1', 'ORDER#2', 'USER#1']) await ddb().send(new PutItemCommand({ TableName: 'QrS', Item: { pk: { S: 'p' }, sk: { S: sk } } }));
    const run = (KeyConditionExpression: string, vals: Record<string, string>, extra: Partial<QueryCommandInput> = {}) =>
      ddb().send(new QueryCommand({ TableName: 'QrS', KeyConditionExpression, ExpressionAttributeValues: Object.fromEntries(Object.entries(vals).map(([k, v]) => [k, { S: v }])), ...extra }));
    expect((await run('pk = :p AND begins_with(sk, :s)', { ':p': 'p', ':s': 'ORDER#' })).Items!.map((i) => i.sk!.S)).toEqual(['ORDER#1', 'ORDER#2']);
    expect((await run('pk = :p AND begins_with(sk, :s)', { ':p': 'p', ':s': 'a' }, { ScanIndexForward: false })).Items!.map((i) => i.sk!.S)).toEqual(['abc', 'ab', 'a']);
    const err = async (expr: string, vals: Record<string, string>, extra: Partial<QueryCommandInput> = {}) => (await rejection(run(expr, vals, extra))).message;
    expect(await err('sk = :s', { ':s': 'a' })).toBe('Query condition missed key schema element: pk');
    expect(await err('pk = :p OR sk = :s', { ':p': 'p', ':s': 'a' })).toBe('Invalid operator used in KeyConditionExpression: OR');
    expect(await err('pk = :p AND another = :s', { ':p': 'p', ':s': 'a' })).toBe('Query condition missed key schema element: sk');
    expect(await err('pk > :p', { ':p': 'p' })).toBe('Query key condition not supported');
    expect(await err('pk = :p AND sk = :s AND sk = :s', { ':p': 'p', ':s': 'a' })).toBe('KeyConditionExpressions must only contain one condition per key');
    expect(await err('pk = :p', { ':p': 'p' }, { FilterExpression: 'sk = :s', ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { S: 'a' } } })).toBe('Filter Expression can only contain non-primary key attributes: Primary key attribute: sk');
    expect((await rejection(ddb().send(new QueryCommand({ TableName: 'QrS', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } })))).message)
      .toBe('One or more parameter values were invalid: Condition parameter type does not match schema type');
  });

  it('GSI: sparse, KEYS_ONLY projection, ordered by the index sort key, maintained on writes', async () => {
    const r = await q({ IndexName: 'byG', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'ga' } } });
    expect(r.Items!.map((i) => i.gs!.N)).toEqual(['84', '88', '92', '96', '100']);
    expect(r.Items![0]).toEqual({ pk: { S: 'a' }, sk: { N: '11' }, g: { S: 'ga' }, gs: { N: '84' } });
    await ddb().send(new UpdateItemCommand({ TableName: 'Qry', Key: { pk: { S: 'a' }, sk: { N: '11' } }, UpdateExpression: 'SET gs = :n', ExpressionAttributeValues: { ':n': { N: '1' } } }));
    await ddb().send(new DeleteItemCommand({ TableName: 'Qry', Key: { pk: { S: 'a' }, sk: { N: '-5' } } }));
    const page = await q({ IndexName: 'byG', KeyConditionExpression: 'g = :g AND gs < :top', ExpressionAttributeValues: { ':g': { S: 'ga' }, ':top': { N: '95' } }, Limit: 2 });
    expect(page.Items!.map((i) => i.gs!.N)).toEqual(['1', '88']);
    expect(page.LastEvaluatedKey).toEqual({ pk: { S: 'a' }, sk: { N: '7' }, g: { S: 'ga' }, gs: { N: '88' } });
    const next = await q({ IndexName: 'byG', KeyConditionExpression: 'g = :g AND gs < :top', ExpressionAttributeValues: { ':g': { S: 'ga' }, ':top': { N: '95' } }, ExclusiveStartKey: page.LastEvaluatedKey });
    expect(next.Items!.map((i) => i.gs!.N)).toEqual(['92']);
    expect((await rejection(q({ IndexName: 'nope', KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'ga' } } }))).message).toBe('The table does not have the specified index: nope');
    expect((await rejection(q({ IndexName: 'byG', ConsistentRead: true, KeyConditionExpression: 'g = :g', ExpressionAttributeValues: { ':g': { S: 'ga' } } }))).message).toBe('Consistent reads are not supported on global secondary indexes');
    const scan = await ddb().send(new ScanCommand({ TableName: 'Qry', IndexName: 'byG' }));
    expect(scan.Count).toBe(9);
  });
});

describe('Scan', () => {
  it('filter, Limit, pagination to the end, parallel segments cover every item once', async () => {
    let start: Record<string, unknown> | undefined;
    const seen: string[] = [];
    let pages = 0;
    do {
      const r = await ddb().send(new ScanCommand({ TableName: 'Qry', Limit: 7, FilterExpression: 'v = :one', ExpressionAttributeValues: { ':one': { N: '1' } }, ExclusiveStartKey: start as never }));
      for (const i of r.Items!) seen.push(`${i.pk!.S}${i.sk!.N}`);
      start = r.LastEvaluatedKey;
      pages++;
    } while (start);
    expect(pages).toBe(6); // 39 items, 7 per page, and a last empty page (no look-ahead)
    expect(seen.length).toBe(14);
    const all = new Set<string>();
    let total = 0;
    for (let s = 0; s < 4; s++) {
      const r = await ddb().send(new ScanCommand({ TableName: 'Qry', Segment: s, TotalSegments: 4 }));
      for (const i of r.Items!) all.add(`${i.pk!.S}${i.sk!.N}`);
      total += r.Count!;
    }
    expect([all.size, total]).toEqual([39, 39]);
    expect((await rejection(ddb().send(new ScanCommand({ TableName: 'Qry', Segment: 4, TotalSegments: 4 })))).message).toBe('The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4');
  });

  it('1 MB pages', async () => {
    await ddb().send(new CreateTableCommand({ TableName: 'Big', BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }));
    const blob = 'x'.repeat(300 * 1024);
    for (let i = 0; i < 5; i++) await ddb().send(new PutItemCommand({ TableName: 'Big', Item: { id: { S: `k${i}` }, blob: { S: blob } } }));
    const first = await ddb().send(new ScanCommand({ TableName: 'Big', Select: 'COUNT' }));
    expect([first.Count, first.LastEvaluatedKey !== undefined]).toEqual([4, true]);
    const second = await ddb().send(new ScanCommand({ TableName: 'Big', Select: 'COUNT', ExclusiveStartKey: first.LastEvaluatedKey }));
    expect([second.Count, second.LastEvaluatedKey]).toEqual([1, undefined]);
  });
});

describe('batches and transactions', () => {
  it('BatchWriteItem / BatchGetItem with limits, duplicates and projections', async () => {
    const put = (i: number) => ({ PutRequest: { Item: { pk: { S: 'batch' }, sk: { N: String(i) }, v: { S: `v${i}` } } } });
    expect(await ddb().send(new BatchWriteItemCommand({ RequestItems: { Qry: Array.from({ length: 25 }, (_, i) => put(i)) } }))).toMatchObject({ UnprocessedItems: {} });
    expect((await rejection(ddb().send(new BatchWriteItemCommand({ RequestItems: { Qry: Array.from({ length: 26 }, (_, i) => put(i)) } })))).message).toBe('Too many items requested for the BatchWriteItem call');
    expect((await rejection(ddb().send(new BatchWriteItemCommand({ RequestItems: { Qry: [put(1), { DeleteRequest: { Key: { pk: { S: 'batch' }, sk: { N: '1' } } } }] } })))).message).toBe('Provided list of item keys contains duplicates');
    await ddb().send(new BatchWriteItemCommand({ RequestItems: { Qry: [{ DeleteRequest: { Key: { pk: { S: 'batch' }, sk: { N: '0' } } } }] } }));
    const got = await ddb().send(new BatchGetItemCommand({ RequestItems: { Qry: { Keys: [0, 1, 2].map((i) => ({ pk: { S: 'batch' }, sk: { N: String(i) } })), ProjectionExpression: 'v' } } }));
    expect(got.Responses).toEqual({ Qry: [{ v: { S: 'v1' } }, { v: { S: 'v2' } }] });
    expect(got.UnprocessedKeys).toEqual({});
    const dup = await rejection(ddb().send(new BatchGetItemCommand({ RequestItems: { Qry: { Keys: [{ pk: { S: 'batch' }, sk: { N: '1' } }, { pk: { S: 'batch' }, sk: { N: '1.0' } }] } } })));
    expect(dup.message).toBe('Provided list of item keys contains duplicates');
    expect((await rejection(ddb().send(new BatchGetItemCommand({ RequestItems: { Qry: { Keys: Array.from({ length: 101 }, (_, i) => ({ pk: { S: 'x' }, sk: { N: String(i) } })) } } })))).message).toBe('Too many items requested for the BatchGetItem call');
  });

  it('TransactWriteItems: all or nothing, CancellationReasons in order, idempotent tokens on the clock; TransactGetItems', async () => {
    const k = (i: number) => ({ pk: { S: 'tx' }, sk: { N: String(i) } });
    await ddb().send(new PutItemCommand({ TableName: 'Qry', Item: { ...k(1), n: { N: '1' } } }));
    const items = (cond: string) => [
      { Put: { TableName: 'Qry', Item: { ...k(2), n: { N: '2' } } } },
      { Update: { TableName: 'Qry', Key: k(1), UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
      { ConditionCheck: { TableName: 'Qry', Key: k(1), ConditionExpression: cond, ExpressionAttributeValues: { ':v': { N: '1' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } },
    ];
    const twoOps = await rejection(ddb().send(new TransactWriteItemsCommand({ TransactItems: items('n = :v') })));
    expect(twoOps.message).toBe('Transaction request cannot include multiple operations on one item');
    const bad = items('n > :v');
    bad[1] = { Delete: { TableName: 'Qry', Key: k(3) } } as never;
    const e = await rejection(ddb().send(new TransactWriteItemsCommand({ TransactItems: bad }))) as TransactionCanceledException;
    expect(e.name).toBe('TransactionCanceledException');
    expect(e.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, None, ConditionalCheckFailed]');
    expect(e.CancellationReasons).toEqual([{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { ...k(1), n: { N: '1' } } }]);
    expect((await ddb().send(new GetItemCommand({ TableName: 'Qry', Key: k(2) }))).Item).toBeUndefined();

    const ok = [items('n = :v')[0]!, items('n = :v')[1]!];
    await ddb().send(new TransactWriteItemsCommand({ TransactItems: ok, ClientRequestToken: 'tok-1' }));
    await ddb().send(new TransactWriteItemsCommand({ TransactItems: ok, ClientRequestToken: 'tok-1' })); // replay: not applied twice
    const got = await ddb().send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: 'Qry', Key: k(1) } }, { Get: { TableName: 'Qry', Key: k(2), ProjectionExpression: 'n' } }, { Get: { TableName: 'Qry', Key: k(9) } }] }));
    expect(got.Responses).toEqual([{ Item: { ...k(1), n: { N: '2' } } }, { Item: { n: { N: '2' } } }, {}]);
    const mismatch = await rejection(ddb().send(new TransactWriteItemsCommand({ TransactItems: [ok[0]!], ClientRequestToken: 'tok-1' })));
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    ctx.g.clock.advance('11m');
    await ddb().send(new TransactWriteItemsCommand({ TransactItems: ok, ClientRequestToken: 'tok-1' })); // expired: applied again
    expect((await ddb().send(new GetItemCommand({ TableName: 'Qry', Key: k(1) }))).Item?.n).toEqual({ N: '3' });
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  it('query with a key condition, update-item, scan with a filter', async () => {
    const r = await awsCli(ctx.g, ['dynamodb', 'query', '--table-name', 'Qry', '--key-condition-expression', 'pk = :p AND sk BETWEEN :a AND :b',
      '--expression-attribute-values', '{":p":{"S":"b"},":a":{"N":"0"},":b":{"N":"2"}}', '--projection-expression', 'sk']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ Items: [{ sk: { N: '0' } }, { sk: { N: '1' } }, { sk: { N: '2' } }], Count: 3, ScannedCount: 3 });
    const u = await awsCli(ctx.g, ['dynamodb', 'update-item', '--table-name', 'Qry', '--key', '{"pk":{"S":"b"},"sk":{"N":"0"}}',
      '--update-expression', 'ADD v :n', '--expression-attribute-values', '{":n":{"N":"10"}}', '--return-values', 'UPDATED_NEW']);
    expect(u.status, u.stderr).toBe(0);
    expect(u.json).toEqual({ Attributes: { v: { N: '12' } } });
    const s = await awsCli(ctx.g, ['dynamodb', 'scan', '--table-name', 'Qry', '--filter-expression', 'v = :n', '--expression-attribute-values', '{":n":{"N":"12"}}']);
    expect(s.status, s.stderr).toBe(0);
    expect((s.json as { Count: number }).Count).toBe(1);
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('Table resource with Key/Attr conditions, batch_writer, update_item', async () => {
    const r = await boto3(ctx.g, `
from decimal import Decimal
from boto3.dynamodb.conditions import Key, Attr
db = boto3.resource('dynamodb', endpoint_url=ENDPOINT, region_name='us-east-1')
t = db.create_table(TableName='Boto', KeySchema=[{'AttributeName': 'pk', 'KeyType': 'HASH'}, {'AttributeName': 'sk', 'KeyType': 'RANGE'}],
    AttributeDefinitions=[{'AttributeName': 'pk', 'AttributeType': 'S'}, {'AttributeName': 'sk', 'AttributeType': 'S'}], BillingMode='PAY_PER_REQUEST')
with t.batch_writer() as bw:
    for i in range(30):
        bw.put_item(Item={'pk': 'user', 'sk': 'order#%02d' % i, 'total': Decimal(i) / 4, 'status': 'open' if i % 2 else 'closed'})
q = t.query(KeyConditionExpression=Key('pk').eq('user') & Key('sk').begins_with('order#1'), FilterExpression=Attr('status').eq('open') & Attr('total').gte(Decimal('3')))
t.update_item(Key={'pk': 'user', 'sk': 'order#01'}, UpdateExpression='SET #s = :s, #t = #t + :d', ConditionExpression=Attr('status').eq('open'),
    ExpressionAttributeNames={'#s': 'status', '#t': 'total'}, ExpressionAttributeValues={':s': 'paid', ':d': Decimal('0.75')})
try:
    t.update_item(Key={'pk': 'user', 'sk': 'order#01'}, UpdateExpression='SET #s = :s', ConditionExpression=Attr('status').eq('open'), ExpressionAttributeNames={'#s': 'status'}, ExpressionAttributeValues={':s': 'x'})
    err = None
except db.meta.client.exceptions.ConditionalCheckFailedException as e:
    err = e.response['Error']['Code']
item = t.get_item(Key={'pk': 'user', 'sk': 'order#01'})['Item']
scan = t.scan(FilterExpression=Attr('total').between(Decimal(1), Decimal(2)))
print(json.dumps({'q': [i['sk'] for i in q['Items']], 'scanned': q['ScannedCount'], 'item': [item['status'], str(item['total'])], 'err': err, 'scan': scan['Count']}))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ q: ['order#13', 'order#15', 'order#17', 'order#19'], scanned: 10, item: ['paid', '1'], err: 'ConditionalCheckFailedException', scan: 6 });
  });
});
