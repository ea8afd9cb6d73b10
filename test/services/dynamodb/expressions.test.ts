// covers: dynamodb.UpdateItem dynamodb.PutItem dynamodb.DeleteItem dynamodb.GetItem
/** Expressions through SDK v3: UpdateItem clauses, conditions, ReturnValues, and DynamoDB's errors. */
import { describe, expect, it } from 'vitest';
import { DynamoDBClient, CreateTableCommand, PutItemCommand, GetItemCommand, UpdateItemCommand, type UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { clientConfig, useGureum, rejection } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ddb = () => new DynamoDBClient(clientConfig(ctx.g));

async function table(name: string) {
  await ddb().send(new CreateTableCommand({
    TableName: name, BillingMode: 'PAY_PER_REQUEST',
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
  }));
}
const key = { pk: { S: 'a' }, sk: { N: '1' } };
const update = (TableName: string, extra: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>) => ddb().send(new UpdateItemCommand({ TableName, Key: key, ...extra }));
const get = async (TableName: string) => (await ddb().send(new GetItemCommand({ TableName, Key: key }))).Item;

describe('UpdateItem', () => {
  it('SET with arithmetic, list_append, if_not_exists, nested paths; REMOVE; ADD; DELETE; ReturnValues', async () => {
    await table('Upd');
    const created = await update('Upd', {
      UpdateExpression: 'SET #c = if_not_exists(#c, :zero) + :one, info = :info, tags = :tags, l = list_append(if_not_exists(l, :empty), :l)',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':zero': { N: '0' }, ':one': { N: '1' }, ':info': { M: { a: { S: 'x' }, arr: { L: [{ N: '1' }, { N: '2' }, { N: '3' }] } } }, ':tags': { SS: ['a', 'b'] }, ':empty': { L: [] }, ':l': { L: [{ S: 'first' }] } },
      ReturnValues: 'ALL_NEW',
    });
    expect(created.Attributes).toEqual({ ...key, count: { N: '1' }, info: { M: { a: { S: 'x' }, arr: { L: [{ N: '1' }, { N: '2' }, { N: '3' }] } } }, tags: { SS: ['a', 'b'] }, l: { L: [{ S: 'first' }] } });

    const r = await update('Upd', {
      UpdateExpression: 'SET info.a = :y, info.arr[1] = :n, l = list_append(:l, l) ADD #c :big, tags :more',
      ExpressionAttributeNames: { '#c': 'count' },
      ExpressionAttributeValues: { ':y': { S: 'y' }, ':n': { N: '20' }, ':l': { L: [{ S: 'zero' }] }, ':big': { N: '12345678901234567890123456789012345677' }, ':more': { SS: ['c'] } },
      ReturnValues: 'UPDATED_NEW',
    });
    expect(r.Attributes).toEqual({
      info: { M: { a: { S: 'y' }, arr: { L: [{ N: '20' }] } } },
      l: { L: [{ S: 'zero' }, { S: 'first' }] },
      count: { N: '12345678901234567890123456789012345678' },
      tags: { SS: ['a', 'b', 'c'] },
    });
    await update('Upd', { UpdateExpression: 'DELETE tags :gone', ExpressionAttributeValues: { ':gone': { SS: ['a'] } } });
    await update('Upd', { UpdateExpression: 'SET info.arr[10] = :n REMOVE info.arr[0], info.arr[2]', ExpressionAttributeValues: { ':n': { N: '7' } } });
    expect((await get('Upd'))!.info).toEqual({ M: { a: { S: 'y' }, arr: { L: [{ N: '20' }, { N: '7' }] } } });

    const old = await update('Upd', { UpdateExpression: 'SET #c = #c - :d REMOVE tags', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':d': { N: '8' } }, ReturnValues: 'UPDATED_OLD' });
    expect(old.Attributes).toEqual({ count: { N: '12345678901234567890123456789012345678' }, tags: { SS: ['b', 'c'] } });
    expect((await get('Upd'))!.count).toEqual({ N: '12345678901234567890123456789012345670' });
    // exact arithmetic: a result that needs 39 digits is refused, never rounded
    expect((await rejection(update('Upd', { UpdateExpression: 'SET #c = #c + :d', ExpressionAttributeNames: { '#c': 'count' }, ExpressionAttributeValues: { ':d': { N: '0.5' } } }))).message)
      .toBe('Attempting to store more than 38 significant digits in a Number');
    // DELETE of the last members removes the attribute; ADD creates a set
    await update('Upd', { UpdateExpression: 'ADD s :s', ExpressionAttributeValues: { ':s': { NS: ['1', '2'] } } });
    await update('Upd', { UpdateExpression: 'DELETE s :s', ExpressionAttributeValues: { ':s': { NS: ['1.0', '2'] } } });
    expect((await get('Upd'))!.s).toBeUndefined();
    const none = await update('Upd', { UpdateExpression: 'SET z = :z', ExpressionAttributeValues: { ':z': { BOOL: true } }, ReturnValues: 'ALL_OLD' });
    expect(none.Attributes?.z).toBeUndefined();
    expect(none.Attributes?.pk).toEqual({ S: 'a' });
  });

  it('runtime and validation errors with DynamoDB messages', async () => {
    await table('UpdErr');
    await ddb().send(new PutItemCommand({ TableName: 'UpdErr', Item: { ...key, s: { S: 'str' }, n: { N: '1' } } }));
    const msg = async (extra: Omit<UpdateItemCommandInput, 'TableName' | 'Key'>) => (await rejection(update('UpdErr', extra))).message;
    expect(await msg({ UpdateExpression: 'SET pk = :v', ExpressionAttributeValues: { ':v': { S: 'b' } } })).toBe('One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key');
    expect(await msg({ UpdateExpression: 'SET n = n + s' })).toBe('An operand in the update expression has an incorrect data type');
    expect(await msg({ UpdateExpression: 'SET n = nothere + n' })).toBe('The provided expression refers to an attribute that does not exist in the item');
    expect(await msg({ UpdateExpression: 'SET nope.deeper = n' })).toBe('The document path provided in the update expression is invalid for update');
    expect(await msg({ UpdateExpression: 'ADD s :v', ExpressionAttributeValues: { ':v': { N: '1' } } })).toBe('An operand in the update expression has an incorrect data type');
    expect(await msg({ UpdateExpression: 'ADD n :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })).toBe('Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING');
    expect(await msg({ UpdateExpression: 'SET a = :v, a.b = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })).toBe('Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]');
    expect(await msg({ UpdateExpression: 'SET a = :v SET b = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })).toBe('Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
    expect(await msg({ UpdateExpression: 'SET' })).toBe('Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"');
    expect(await msg({ UpdateExpression: 'SET a = :v', ExpressionAttributeValues: { ':v': { S: 'x' }, ':x': { S: 'y' } } })).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}');
    expect(await msg({ UpdateExpression: 'SET a = :nope' })).toBe('Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope');
    expect(await msg({ UpdateExpression: 'SET #name = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })).toBe('Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #name');
    expect(await msg({ UpdateExpression: 'SET name = :v', ExpressionAttributeValues: { ':v': { S: 'x' } } })).toBe('Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: name');
    expect(await msg({ UpdateExpression: 'SET a = list_append(n, :v)', ExpressionAttributeValues: { ':v': { S: 'x' } } })).toBe('Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S');
    expect(await msg({ UpdateExpression: 'SET a = foo(n)' })).toBe('Invalid UpdateExpression: Invalid function name; function: foo');
    expect(await msg({ UpdateExpression: 'SET n = :n', ExpressionAttributeValues: { ':n': { N: '99999999999999999999999999999999999999' } }, ConditionExpression: 'n = :n' })).toBe('The conditional request failed');
    const big = await msg({ UpdateExpression: 'SET n = :a + :b', ExpressionAttributeValues: { ':a': { N: '9E+125' }, ':b': { N: '9E+125' } } });
    expect(big).toBe('Number overflow. Attempting to store a number with magnitude larger than supported range');
    const ret = await rejection(update('UpdErr', { UpdateExpression: 'SET n = :v', ConditionExpression: 'n > :v', ExpressionAttributeValues: { ':v': { N: '5' } }, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }));
    expect(ret.name).toBe('ConditionalCheckFailedException');
    expect(ret.Item).toEqual({ ...key, s: { S: 'str' }, n: { N: '1' } });
  });
});

describe('conditions', () => {
  it('comparators, BETWEEN, IN, functions, precedence and type rules', async () => {
    await table('Cond2');
    const item = { ...key, n: { N: '10' }, s: { S: 'hello' }, b: { B: Uint8Array.of(1, 2, 3) }, ss: { SS: ['x', 'y'] }, l: { L: [{ S: 'e' }, { N: '2' }] }, m: { M: { k: { S: 'v' } } }, t: { BOOL: true }, z: { NULL: true } };
    await ddb().send(new PutItemCommand({ TableName: 'Cond2', Item: item }));
    const values = { ':5': { N: '5' }, ':10': { N: '10.0' }, ':20': { N: '20' }, ':he': { S: 'he' }, ':x': { S: 'x' }, ':b12': { B: Uint8Array.of(1, 2) }, ':S': { S: 'S' }, ':L': { S: 'L' }, ':n2': { N: '2' }, ':ten': { S: '10' }, ':five': { N: '5' } };
    const ok = async (expr: string) => {
      const used = Object.fromEntries(Object.entries(values).filter(([k]) => new RegExp(`${k}(?![A-Za-z0-9_])`).test(expr)));
      try {
        await ddb().send(new UpdateItemCommand({ TableName: 'Cond2', Key: key, ConditionExpression: expr, ...(Object.keys(used).length ? { ExpressionAttributeValues: used } : {}) }));
        return true;
      } catch (e) {
        if ((e as Error).name === 'ConditionalCheckFailedException') return false;
        throw e;
      }
    };
    const cases: [string, boolean][] = [
      ['n = :10', true], ['n <> :10', false], ['n < :20', true], ['n <= :10', true], ['n > :5', true], ['n >= :20', false],
      ['n = :ten', false], ['n <> :ten', true], ['s < :x', true], ['nothere <> :5', true], ['nothere = :5', false], ['nothere < :5', false],
      ['n BETWEEN :5 AND :20', true], ['n BETWEEN :10 AND :10', true], ['s BETWEEN :5 AND :20', false],
      ['n IN (:5, :10)', true], ['n IN (:5, :20)', false],
      ['begins_with(s, :he)', true], ['begins_with(b, :b12)', true], ['contains(s, :he)', true], ['contains(ss, :x)', true], ['contains(l, :n2)', true],
      ['attribute_type(s, :S)', true], ['attribute_type(l, :L)', true], ['attribute_type(s, :L)', false],
      ['size(s) = :five', true], ['size(l) = :n2', true], ['size(b) > :n2', true], ['size(nothere) = :5', false],
      ['m.k = :x', false], ['attribute_exists(m.k) AND attribute_exists(l[1]) AND attribute_not_exists(l[2])', true],
      // NOT binds tighter than AND, AND tighter than OR
      ['NOT n = :5 AND n = :10', true], ['n = :5 AND n = :10 OR n = :10', true], ['n = :5 AND (n = :10 OR n = :10)', false], ['NOT (n = :10 OR n = :5)', false],
    ];
    for (const [expr, want] of cases) expect([expr, await ok(expr)]).toEqual([expr, want]);
  });

  it('syntax and semantic errors', async () => {
    await table('CondErr');
    const msg = async (ConditionExpression: string, vals?: Record<string, unknown>, names?: Record<string, string>) => (await rejection(ddb().send(new PutItemCommand({
      TableName: 'CondErr', Item: key, ConditionExpression, ...(vals ? { ExpressionAttributeValues: vals as never } : {}), ...(names ? { ExpressionAttributeNames: names } : {}),
    })))).message;
    expect(await msg('a = ')).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "= "');
    expect(await msg('attribute_type()')).toBe('Invalid ConditionExpression: Syntax error; token: ")", near: "()"');
    expect(await msg('a = :v AND', { ':v': { N: '1' } })).toBe('Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"');
    expect(await msg('a $ b')).toBe('Invalid ConditionExpression: Syntax error; token: "$", near: "a $"');
    expect(await msg('a = :v', { ':v': { N: '1' }, ':w': { N: '2' } })).toBe('Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}');
    expect(await msg('a = :x')).toBe('Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :x');
    expect(await msg('attribute_exists(#a)', undefined, { '#a': 'a', '#b': 'b' })).toBe('Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}');
    expect(await msg('attribute_exists(size)')).toBe('Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: size');
    expect(await msg('nope(a)')).toBe('Invalid ConditionExpression: Invalid function name; function: nope');
    expect(await msg('begins_with(a, :n)', { ':n': { N: '1' } })).toBe('Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
    expect(await msg('a = a')).toBe('Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]');
    expect(await msg('((attribute_exists(a)))')).toBe('Invalid ConditionExpression: The expression has redundant parentheses;');
    expect(await msg('size(a)')).toBe('Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size');
    expect(await msg('a BETWEEN :b AND :a', { ':a': { N: '1' }, ':b': { N: '2' } })).toBe('Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:2}, upper bound operand: AttributeValue: {N:1}');
    expect(await msg('attribute_exists(a)', { ':a': { N: 'x' } })).toBe('ExpressionAttributeValues contains invalid value: The parameter cannot be converted to a numeric value: x for key :a');
    expect(await msg('')).toBe('Invalid ConditionExpression: The expression can not be empty;');
  });
});
