// covers: dynamodb.ExecuteStatement dynamodb.BatchExecuteStatement dynamodb.ExecuteTransaction dynamodb.CreateTable dynamodb.PutItem dynamodb.GetItem
/** PartiQL: SELECT (Query or Scan), INSERT, UPDATE, DELETE, parameters, pagination, batches, transactions, errors. */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, ExecuteStatementCommand, BatchExecuteStatementCommand,
  ExecuteTransactionCommand, type AttributeValue, type ExecuteStatementCommandInput,
} from '@aws-sdk/client-dynamodb';
import { clientConfig, failure, rejection, useGureum, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));
const run = (Statement: string, extra: Partial<ExecuteStatementCommandInput> = {}) => ddb().send(new ExecuteStatementCommand({ Statement, ...extra }));
const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";

beforeAll(async () => {
  await ddb().send(new CreateTableCommand({
    TableName: 'Music', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'Artist', KeyType: 'HASH' }, { AttributeName: 'Song', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'Artist', AttributeType: 'S' }, { AttributeName: 'Song', AttributeType: 'S' }, { AttributeName: 'Genre', AttributeType: 'S' }],
    GlobalSecondaryIndexes: [{ IndexName: 'ByGenre', KeySchema: [{ AttributeName: 'Genre', KeyType: 'HASH' }], Projection: { ProjectionType: 'KEYS_ONLY' } }],
  }));
  await ddb().send(new CreateTableCommand({
    TableName: 'Users', BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
  }));
  const songs: [string, string, Record<string, AttributeValue>][] = [
    ['Acme', 'A1', { Year: { N: '2001' }, Genre: { S: 'rock' }, Tags: { SS: ['x', 'y'] }, Info: { M: { Label: { S: 'L1' }, Chart: { L: [{ N: '3' }, { N: '7' }] } } } }],
    ['Acme', 'A2', { Year: { N: '2005' }, Genre: { S: 'pop' }, Price: { NULL: true } }],
    ['Acme', 'B1', { Year: { N: '2010' } }],
    ['Zed', 'Z1', { Year: { N: '1999' }, Genre: { S: 'rock' } }],
    ['Zed', 'Z2', { Year: { N: '2020' } }],
  ];
  for (const [Artist, Song, rest] of songs) await ddb().send(new PutItemCommand({ TableName: 'Music', Item: { Artist: { S: Artist }, Song: { S: Song }, ...rest } }));
});

const songsOf = (items: Record<string, AttributeValue>[] | undefined) => (items ?? []).map((i) => i.Song?.S);

describe('SELECT', () => {
  it('Query by partition key, sort-key conditions, filters and projections', async () => {
    expect(songsOf((await run(`SELECT * FROM "Music" WHERE Artist = 'Acme'`)).Items)).toEqual(['A1', 'A2', 'B1']);
    expect(songsOf((await run(`SELECT * FROM Music WHERE Artist = ? AND begins_with(Song, 'A')`, { Parameters: [{ S: 'Acme' }] })).Items)).toEqual(['A1', 'A2']);
    expect(songsOf((await run(`SELECT * FROM "Music" WHERE Artist = 'Acme' AND Song BETWEEN 'A2' AND 'Z'`)).Items)).toEqual(['A2', 'B1']);
    expect(songsOf((await run(`SELECT * FROM "Music" WHERE Artist = 'Acme' AND Song > 'A1' AND Year >= 2005 ORDER BY Song DESC`)).Items)).toEqual(['B1', 'A2']);
    expect(songsOf((await run(`SELECT * FROM "Music" WHERE Artist IN ['Zed', 'Acme'] AND Year < 2002`)).Items)).toEqual(['Z1', 'A1']);
    expect(songsOf((await run(`SELECT * FROM "Music" WHERE Artist = 'Zed' OR Artist = 'Acme' AND Song = 'B1'`)).Items)).toEqual(['Z1', 'Z2', 'B1']);
    const proj = await run(`SELECT Song, Info.Label, "Info"."Chart"[1] FROM "Music" WHERE Artist = 'Acme' AND Song = 'A1'`);
    expect(proj.Items).toEqual([{ Song: { S: 'A1' }, Label: { S: 'L1' }, Chart: { N: '7' } }]);
  });

  it('Scan with every kind of predicate', async () => {
    const where = async (cond: string) => songsOf((await run(`SELECT Song FROM "Music" WHERE ${cond}`)).Items).sort();
    expect(await where('Year > 2004 AND Year <= 2010')).toEqual(['A2', 'B1']);
    expect(await where('Genre <> \'rock\'')).toEqual(['A2', 'B1', 'Z2']);
    expect(await where('NOT (Genre = \'rock\') AND Year IN [2005, 2020]')).toEqual(['A2', 'Z2']);
    expect(await where('contains(Tags, \'y\')')).toEqual(['A1']);
    expect(await where('attribute_exists(Genre) AND attribute_not_exists(Tags)')).toEqual(['A2', 'Z1']);
    expect(await where('Genre IS MISSING')).toEqual(['B1', 'Z2']);
    expect(await where('Genre IS NOT MISSING AND Price IS NULL')).toEqual(['A1', 'A2', 'Z1']); // MISSING IS NULL, as PartiQL has it
    expect(await where('Price IS NOT MISSING AND Price IS NULL')).toEqual(['A2']);
    expect(await where('Info.Chart[0] = 3')).toEqual(['A1']);
    expect(await where('size(Tags) = 2 OR Year BETWEEN 2015 AND 2030')).toEqual(['A1', 'Z2']);
    expect(await where('attribute_exists(Genre) = false')).toEqual(['B1', 'Z2']);
    expect(await where('Year IS NUMBER AND Genre IS STRING')).toEqual(['A1', 'A2', 'Z1']);
  });

  it('FROM "table"."index" reads a global secondary index', async () => {
    const r = await run(`SELECT * FROM "Music"."ByGenre" WHERE Genre = 'rock'`);
    expect(r.Items?.map((i) => i.Song?.S).sort()).toEqual(['A1', 'Z1']);
    expect(r.Items?.[0]).not.toHaveProperty('Year');
    expect(await failure(run(`SELECT Year FROM "Music"."ByGenre" WHERE Genre = 'rock'`))).toEqual({
      name: 'ValidationException', status: 400, message: 'One or more parameter values were invalid: Global secondary index ByGenre does not project [Year]',
    });
  });

  it('Limit and NextToken page through the results', async () => {
    const seen: string[] = [];
    let NextToken: string | undefined;
    let pages = 0;
    do {
      const r = await run(`SELECT * FROM "Music" WHERE Year > 2000`, { Limit: 2, NextToken });
      seen.push(...songsOf(r.Items) as string[]);
      NextToken = r.NextToken;
      pages++;
    } while (NextToken);
    expect(seen.sort()).toEqual(['A1', 'A2', 'B1', 'Z2']);
    expect(pages).toBe(3);
    const first = await run(`SELECT * FROM "Music" WHERE Artist = 'Acme'`, { Limit: 1 });
    expect(first.LastEvaluatedKey).toEqual({ Artist: { S: 'Acme' }, Song: { S: 'A1' } });
    const second = await run(`SELECT * FROM "Music" WHERE Artist = 'Acme'`, { Limit: 1, NextToken: first.NextToken });
    expect(songsOf(second.Items)).toEqual(['A2']);
  });

  it('ReturnConsumedCapacity: a Query reads less than a Scan', async () => {
    const q = await run(`SELECT * FROM "Music" WHERE Artist = 'Zed'`, { ReturnConsumedCapacity: 'TOTAL', ConsistentRead: true });
    expect(q.ConsumedCapacity).toEqual({ TableName: 'Music', CapacityUnits: 1, ReadCapacityUnits: 1 });
    const s = await run(`SELECT * FROM "Music"`, { ReturnConsumedCapacity: 'INDEXES' });
    expect(s.ConsumedCapacity).toEqual({ TableName: 'Music', CapacityUnits: 0.5, ReadCapacityUnits: 0.5, Table: { CapacityUnits: 0.5, ReadCapacityUnits: 0.5 } });
  });
});

describe('INSERT, UPDATE, DELETE', () => {
  it('INSERT adds an item; a second INSERT of the key is DuplicateItemException', async () => {
    const r = await run(`INSERT INTO "Users" VALUE {'id': ?, 'name': 'Ann', 'age': 30, 'tags': <<'a', 'b'>>, 'pets': ['cat', {'n': 2}], 'ok': true, 'none': null}`, { Parameters: [{ S: 'u1' }] });
    expect(r.Items).toEqual([]);
    const got = await ddb().send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'u1' } } }));
    expect(got.Item).toEqual({ id: { S: 'u1' }, name: { S: 'Ann' }, age: { N: '30' }, tags: { SS: ['a', 'b'] }, pets: { L: [{ S: 'cat' }, { M: { n: { N: '2' } } }] }, ok: { BOOL: true }, none: { NULL: true } });
    expect(await failure(run(`INSERT INTO "Users" VALUE {'id': 'u1'}`))).toEqual({ name: 'DuplicateItemException', status: 400, message: 'Duplicate primary key exists in table' });
    expect((await failure(run(`INSERT INTO "Users" VALUE {'name': 'x'}`))).message).toBe('One or more parameter values were invalid: Missing the key id in the item');
  });

  it('UPDATE: SET with arithmetic, set_add, set_delete, list_append, REMOVE, RETURNING; a missing item fails its condition', async () => {
    await run(`INSERT INTO "Users" VALUE {'id': 'u2', 'n': 1, 'tags': <<'a'>>, 'l': [1], 'gone': 'x', 'm': {'k': 1}}`);
    const r = await run(`UPDATE "Users" SET n = n + 5 SET tags = set_add(tags, <<'b', 'c'>>) SET l = list_append(l, [2]), m.k = ? REMOVE gone WHERE id = 'u2' RETURNING ALL NEW *`, { Parameters: [{ S: 'v' }] });
    expect(r.Items).toEqual([{ id: { S: 'u2' }, n: { N: '6' }, tags: { SS: ['a', 'b', 'c'] }, l: { L: [{ N: '1' }, { N: '2' }] }, m: { M: { k: { S: 'v' } } } }]);
    const mod = await run(`UPDATE "Users" SET tags = set_delete(tags, <<'a'>>) WHERE id = 'u2' RETURNING MODIFIED OLD *`);
    expect(mod.Items).toEqual([{ tags: { SS: ['a', 'b', 'c'] } }]);
    const missing = await rejection(run(`UPDATE "Users" SET n = 1 WHERE id = 'nobody'`));
    expect(missing.name).toBe('ConditionalCheckFailedException');
    expect((await ddb().send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'nobody' } } }))).Item).toBeUndefined();
    const cond = await rejection(run(`UPDATE "Users" SET n = 0 WHERE id = 'u2' AND n > 100`, { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    expect(cond.name).toBe('ConditionalCheckFailedException');
    expect(cond.Item?.n).toEqual({ N: '6' });
    expect((await failure(run(`UPDATE "Users" SET n = 1 WHERE n = 6`))).message).toBe('Where clause does not contain a mandatory equality on all key attributes');
    expect((await failure(run(`UPDATE "Users" SET id = 'x' WHERE id = 'u2'`))).message).toBe('One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key');
    expect((await failure(run(`UPDATE "Users" SET t = set_add(tags, <<'x'>>) WHERE id = 'u2'`))).message).toBe(`The first argument to SET_ADD must equal the assignment value at 1:${'UPDATE "Users" SET t = '.length + 1}:7`);
  });

  it('DELETE: a missing item is no change; a false condition fails; RETURNING ALL OLD *', async () => {
    await run(`INSERT INTO "Users" VALUE {'id': 'u3', 'n': 1}`);
    expect((await run(`DELETE FROM "Users" WHERE id = 'never'`)).Items).toEqual([]);
    expect((await rejection(run(`DELETE FROM "Users" WHERE id = 'u3' AND n = 2`))).name).toBe('ConditionalCheckFailedException');
    const r = await run(`DELETE FROM "Users" WHERE id = 'u3' AND n = 1 RETURNING ALL OLD *`);
    expect(r.Items).toEqual([{ id: { S: 'u3' }, n: { N: '1' } }]);
    expect((await failure(run(`DELETE FROM "Users" WHERE id = 'u3' RETURNING ALL NEW *`))).message)
      .toBe('Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.');
  });
});

describe('errors', () => {
  it('syntax errors carry DynamoDB wording', async () => {
    const cases: [string, string][] = [
      [`SELECT * FROM "Users" WHERE id = 'a' foo`, `${NOT_WELL_FORMED}Unexpected token after expression`],
      [`SELECT * FROM "Users" WHERE`, `${NOT_WELL_FORMED}Unexpected term`],
      [`SELECT * FROM "Users" WHERE id = 'a' AND`, `${NOT_WELL_FORMED}Missing right-hand side expression of infix operator`],
      [`SELECT * FROM "Users" WHERE ORDER BY id`, `${NOT_WELL_FORMED}Unexpected keyword`],
      [`DELETE FROM`, `${NOT_WELL_FORMED}Expected identifier for simple path`],
      [`FETCH * FROM "Users"`, `${NOT_WELL_FORMED}Expected data manipulation`],
      [`SELECT * FROM "Users" WHERE id = 'a' # note`, NOT_WELL_FORMED],
      [`SELECT * FROM "Users" u WHERE id = 'a'`, 'Aliasing is not supported'],
      [`SELECT * FROM "Users" WHERE id = 1e126`, 'Number overflow. Attempting to store a number with magnitude larger than supported range under root'],
      [`INSERT INTO "Users" VALUE {'id': 'z', 'l': [1, 1e126]}`, 'Number overflow. Attempting to store a number with magnitude larger than supported range under root[1]'],
      [`SELECT * FROM "Users" WHERE attribute_exists('x')`, 'Operator or function requires a document path; operator or function: attribute_exists'],
      [`SELECT * FROM "Users" WHERE nope(x)`, 'Unrecognized function: nope at 1:29:4'],
      [`SELECT * FROM "Users" WHERE id = ?`, "Number of parameters in request and statement don't match."],
      [`UPDATE "Users" SET s = set_add(s, <<>>) WHERE id = 'a'`, 'Empty bags are not supported'],
    ];
    for (const [statement, message] of cases) expect(await failure(run(statement)), statement).toEqual({ name: 'ValidationException', status: 400, message });
    expect(await failure(run(`SELECT * FROM "Users" WHERE x < ?`, { Parameters: [{ BOOL: true }] }))).toMatchObject({ message: 'Incorrect operand type for operator or function; operator or function: <, operand type: BOOL' });
    expect(await failure(run(`SELECT * FROM "Users" WHERE x = ?`, { Parameters: [{ N: '1e99999999999' }] }))).toMatchObject({ message: 'The parameter cannot be converted to a numeric value: 1e99999999999' });
    expect(await failure(run(`SELECT * FROM "Nope"`))).toEqual({ name: 'ResourceNotFoundException', status: 400, message: 'Requested resource not found' });
  });
});

describe('BatchExecuteStatement', () => {
  it('point reads with an error per slot', async () => {
    await run(`INSERT INTO "Users" VALUE {'id': 'b1', 'v': 1}`);
    const r = await ddb().send(new BatchExecuteStatementCommand({
      Statements: [
        { Statement: `SELECT * FROM "Users" WHERE id = ?`, Parameters: [{ S: 'b1' }] },
        { Statement: `SELECT * FROM "Users" WHERE id = 'missing'` },
        { Statement: `SELECT * FROM "Users" WHERE v = 1` },
        { Statement: `SELECT * FROM "Users" WHERE` },
      ],
      ReturnConsumedCapacity: 'TOTAL',
    }));
    expect(r.Responses).toEqual([
      { TableName: 'Users', Item: { id: { S: 'b1' }, v: { N: '1' } } },
      { TableName: 'Users' },
      { Error: { Code: 'ValidationError', Message: 'Select statements within BatchExecuteStatement must specify the primary key in the where clause.' } },
      { Error: { Code: 'ValidationError', Message: `${NOT_WELL_FORMED}Unexpected term` } },
    ]);
    expect(r.ConsumedCapacity).toEqual([{ TableName: 'Users', CapacityUnits: 1, ReadCapacityUnits: 1 }]);
  });

  it('writes succeed or fail one by one', async () => {
    const r = await ddb().send(new BatchExecuteStatementCommand({
      Statements: [
        { Statement: `INSERT INTO "Users" VALUE {'id': 'b2'}` },
        { Statement: `INSERT INTO "Users" VALUE {'id': 'b1'}` },
        { Statement: `UPDATE "Users" SET v = 9 WHERE id = 'b1' AND v = 5`, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
        { Statement: `UPDATE "Users" SET v = 2 WHERE id = 'b1'` },
      ],
    }));
    expect(r.Responses).toEqual([
      { TableName: 'Users' },
      { TableName: 'Users', Error: { Code: 'DuplicateItem', Message: 'Duplicate primary key exists in table' } },
      { TableName: 'Users', Error: { Code: 'ConditionalCheckFailed', Message: 'The conditional request failed', Item: { id: { S: 'b1' }, v: { N: '1' } } } },
      { TableName: 'Users' },
    ]);
    expect((await ddb().send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 'b1' } } }))).Item?.v).toEqual({ N: '2' });
  });
});

describe('ExecuteTransaction', () => {
  it('writes all or nothing; cancellation reasons in order; EXISTS checks', async () => {
    await run(`INSERT INTO "Users" VALUE {'id': 't1', 'n': 1}`);
    const bad = await rejection(ddb().send(new ExecuteTransactionCommand({
      TransactStatements: [
        { Statement: `UPDATE "Users" SET n = 2 WHERE id = 't1'` },
        { Statement: `INSERT INTO "Users" VALUE {'id': 'b1'}` },
        { Statement: `EXISTS(SELECT * FROM "Users" WHERE id = 'nobody' AND n = 1)` },
      ],
    })));
    expect(bad.name).toBe('TransactionCanceledException');
    expect(bad.message).toBe('Transaction cancelled, please refer cancellation reasons for specific reasons [None, DuplicateItem, ConditionalCheckFailed]');
    expect(bad.CancellationReasons.map((r: { Code: string }) => r.Code)).toEqual(['None', 'DuplicateItem', 'ConditionalCheckFailed']);
    expect((await ddb().send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 't1' } } }))).Item?.n).toEqual({ N: '1' });

    const ok = await ddb().send(new ExecuteTransactionCommand({
      TransactStatements: [
        { Statement: `EXISTS(SELECT * FROM "Users" WHERE id = ? AND n = 1)`, Parameters: [{ S: 't1' }] },
        { Statement: `INSERT INTO "Users" VALUE {'id': 't3'}` },
        { Statement: `DELETE FROM "Users" WHERE id = 'b2'` },
      ],
      ReturnConsumedCapacity: 'TOTAL',
      ClientRequestToken: 'tok-1',
    }));
    expect(ok.Responses).toEqual([]);
    expect(ok.ConsumedCapacity).toEqual([{ TableName: 'Users', CapacityUnits: 6, WriteCapacityUnits: 6 }]);
    expect((await ddb().send(new GetItemCommand({ TableName: 'Users', Key: { id: { S: 't3' } } }))).Item).toEqual({ id: { S: 't3' } });
  });

  it('reads return one response per statement', async () => {
    const r = await ddb().send(new ExecuteTransactionCommand({
      TransactStatements: [{ Statement: `SELECT id FROM "Users" WHERE id = 't1'` }, { Statement: `SELECT * FROM "Users" WHERE id = 'zzz'` }],
    }));
    expect(r.Responses).toEqual([{ Item: { id: { S: 't1' } } }, {}]);
  });

  it('validation errors name the statement; mixing reads and writes is refused', async () => {
    expect(await failure(ddb().send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "Users" WHERE` }] })))).toEqual({
      name: 'ValidationException', status: 400, message: `Validation failed in TransactStatements[0]: ${NOT_WELL_FORMED}Unexpected term`,
    });
    expect((await failure(ddb().send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `EXISTS(SELECT * FROM "Users" WHERE id = 't1')` }, { Statement: `INSERT INTO "Users" VALUE {'id': 'q'}` }] })))).message)
      .toBe('Validation failed in TransactStatements[0]: EXISTS() must contain a single item read with additional condition');
    expect((await failure(ddb().send(new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "Users" WHERE id = 't1'` }, { Statement: `INSERT INTO "Users" VALUE {'id': 'q'}` }] })))).message)
      .toBe('The entire transaction must consist of either read statements or write statements, you cannot mix both in one transaction.');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  it('execute_statement with parameters', async () => {
    const r = await boto3(ctx.g, `
c = boto3.client('dynamodb', endpoint_url=ENDPOINT, region_name='us-east-1')
c.execute_statement(Statement="INSERT INTO Users VALUE {'id': ?, 'score': ?}", Parameters=[{'S': 'py'}, {'N': '42'}])
r = c.execute_statement(Statement="SELECT score FROM Users WHERE id = ?", Parameters=[{'S': 'py'}])
print(json.dumps(r['Items']))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual([{ score: { N: '42' } }]);
  });
});
