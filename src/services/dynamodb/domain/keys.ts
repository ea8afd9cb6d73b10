/** Key checks for items (PutItem) and keys (GetItem, DeleteItem), with DynamoDB's messages. */
import { AwsError } from '../../../core/errors.js';
import type { AttributeValue } from '../generated/types.js';
import type { TableData } from './table.js';
import { checkValue, typeOf, type Item } from './values.js';

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const HASH_LIMIT = 2048;
const RANGE_LIMIT = 1024;

function emptyKey(name: string, v: AttributeValue): void {
  if (v.S === '') throw invalid(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`);
  if (v.B !== undefined && v.B.byteLength === 0) throw invalid(`One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`);
}

function keySize(t: TableData, name: string, v: AttributeValue): void {
  const size = v.S !== undefined ? Buffer.byteLength(v.S) : v.B !== undefined ? v.B.byteLength : 0;
  if (name === t.hashKey && size > HASH_LIMIT) throw invalid(`One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of${HASH_LIMIT} bytes`);
  if (name === t.rangeKey && size > RANGE_LIMIT) throw invalid(`One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of ${RANGE_LIMIT} bytes`);
}

/** A full item must carry every key attribute with the declared type; index keys must match too. */
export function checkItemKeys(t: TableData, item: Item): void {
  for (const name of [t.hashKey, t.rangeKey]) {
    if (!name) continue;
    const v = item[name];
    if (!v) throw invalid(`One or more parameter values were invalid: Missing the key ${name} in the item`);
    const actual = typeOf(v);
    if (actual !== t.types[name]) throw invalid(`One or more parameter values were invalid: Type mismatch for key ${name} expected: ${t.types[name]} actual: ${actual}`);
    emptyKey(name, v);
    keySize(t, name, v);
  }
  for (const idx of [...(t.rec.gsis ?? []), ...(t.rec.lsis ?? [])]) {
    for (const k of idx.KeySchema) {
      const v = item[k.AttributeName];
      if (!v) continue; // sparse index: items without the attribute are simply not indexed
      const actual = typeOf(v);
      const expected = t.types[k.AttributeName];
      if (actual !== expected) throw invalid(`One or more parameter values were invalid: Type mismatch for Index Key ${k.AttributeName} Expected: ${expected} Actual: ${actual} IndexName: ${idx.IndexName}`);
      if (v.S === '' || (v.B !== undefined && v.B.byteLength === 0)) {
        throw invalid(`One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${v.S === '' ? 'string' : 'binary'} value. IndexName: ${idx.IndexName}, IndexKey: ${k.AttributeName}`);
      }
    }
  }
}

/** A Key must name exactly the key attributes with their declared types. */
export function checkKey(t: TableData, key: Record<string, AttributeValue | null>): Item {
  const names = Object.keys(key);
  const expected = t.rangeKey ? 2 : 1;
  const out: Item = {};
  for (const n of names) out[n] = checkValue(key[n]);
  const mismatch = () => invalid('The provided key element does not match the schema');
  if (names.length !== expected) throw mismatch();
  for (const name of [t.hashKey, t.rangeKey]) {
    if (!name) continue;
    const v = out[name];
    if (!v || typeOf(v) !== t.types[name]) throw mismatch();
    emptyKey(name, v);
    keySize(t, name, v);
  }
  return out;
}
