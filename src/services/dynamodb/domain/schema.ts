/** CreateTable validation with DynamoDB's exact messages, in the order DynamoDB checks. */
import { AwsError } from '../../../core/errors.js';
import type * as T from '../generated/types.js';

const NAME = /^[a-zA-Z0-9_.-]+$/;
const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const paramInvalid = (msg: string) => invalid(`One or more parameter values were invalid: ${msg}`);

/** Framework-level constraints, reported together as "N validation errors detected: …". */
export function constraintViolations(input: T.CreateTableInput): string[] {
  const v: string[] = [];
  nameViolations(v, input.TableName, 'tableName');
  if (!input.AttributeDefinitions) v.push(`Value null at 'attributeDefinitions' failed to satisfy constraint: Member must not be null`);
  else input.AttributeDefinitions.forEach((d, i) => {
    if (!['B', 'N', 'S'].includes(d.AttributeType)) v.push(`Value '${d.AttributeType}' at 'attributeDefinitions.${i + 1}.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]`);
  });
  keySchemaViolations(v, input.KeySchema, 'keySchema');
  if (input.BillingMode !== undefined && !['PROVISIONED', 'PAY_PER_REQUEST'].includes(input.BillingMode)) {
    v.push(`Value '${input.BillingMode}' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]`);
  }
  throughputViolations(v, input.ProvisionedThroughput, 'provisionedThroughput');
  input.GlobalSecondaryIndexes?.forEach((g, i) => {
    const p = `globalSecondaryIndexes.${i + 1}.member`;
    nameViolations(v, g.IndexName, `${p}.indexName`);
    keySchemaViolations(v, g.KeySchema, `${p}.keySchema`);
    throughputViolations(v, g.ProvisionedThroughput, `${p}.provisionedThroughput`);
  });
  input.LocalSecondaryIndexes?.forEach((l, i) => {
    const p = `localSecondaryIndexes.${i + 1}.member`;
    nameViolations(v, l.IndexName, `${p}.indexName`);
    keySchemaViolations(v, l.KeySchema, `${p}.keySchema`);
  });
  return v;
}

function nameViolations(v: string[], name: string, path: string): void {
  if (name.length < 3) v.push(`Value '${name}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to 3`);
  if (name.length > 255) v.push(`Value '${name}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to 255`);
  if (!NAME.test(name)) v.push(`Value '${name}' at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`);
}

function keySchemaViolations(v: string[], ks: T.KeySchemaElement[] | undefined, path: string): void {
  if (!ks) {
    v.push(`Value null at '${path}' failed to satisfy constraint: Member must not be null`);
    return;
  }
  const text = `[${ks.map((k) => `KeySchemaElement(attributeName=${k.AttributeName}, keyType=${k.KeyType})`).join(', ')}]`;
  if (ks.length < 1) v.push(`Value '${text}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to 1`);
  if (ks.length > 2) v.push(`Value '${text}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to 2`);
  ks.forEach((k, i) => {
    if (!['HASH', 'RANGE'].includes(k.KeyType)) v.push(`Value '${k.KeyType}' at '${path}.${i + 1}.member.keyType' failed to satisfy constraint: Member must satisfy enum value set: [HASH, RANGE]`);
  });
}

function throughputViolations(v: string[], pt: T.ProvisionedThroughput | undefined, path: string): void {
  if (!pt) return;
  if (pt.WriteCapacityUnits < 1) v.push(`Value '${pt.WriteCapacityUnits}' at '${path}.writeCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  if (pt.ReadCapacityUnits < 1) v.push(`Value '${pt.ReadCapacityUnits}' at '${path}.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1`);
}

/** The semantic checks DynamoDB runs once the request is well-formed. */
export function validateCreateTable(input: T.CreateTableInput): void {
  const v = constraintViolations(input);
  if (v.length) throw invalid(`${v.length} validation error${v.length > 1 ? 's' : ''} detected: ${v.join('; ')}`);
  const defs = input.AttributeDefinitions!;
  const ks = input.KeySchema!;
  const mode = input.BillingMode ?? 'PROVISIONED';
  if (mode === 'PAY_PER_REQUEST' && input.ProvisionedThroughput) {
    throw paramInvalid('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST');
  }
  if (mode === 'PROVISIONED' && !input.ProvisionedThroughput) {
    throw paramInvalid('ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED');
  }
  for (const pt of [input.ProvisionedThroughput, ...(input.GlobalSecondaryIndexes ?? []).map((g) => g.ProvisionedThroughput)]) {
    if (pt && pt.ReadCapacityUnits > 1e12) throw invalid(`Given value ${pt.ReadCapacityUnits} for ReadCapacityUnits is out of bounds`);
    if (pt && pt.WriteCapacityUnits > 1e12) throw invalid(`Given value ${pt.WriteCapacityUnits} for WriteCapacityUnits is out of bounds`);
  }
  const defNames = defs.map((d) => d.AttributeName);
  if (new Set(defNames).size !== defNames.length) throw paramInvalid('Duplicate AttributeName in AttributeDefinitions');
  checkKeySchema(ks, defNames);

  const used = new Set(ks.map((k) => k.AttributeName));
  const names = new Set<string>();
  for (const l of input.LocalSecondaryIndexes ?? []) {
    if (ks.length !== 2) throw paramInvalid('Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex');
    checkKeySchema(l.KeySchema, defNames);
    if (l.KeySchema.length !== 2) throw paramInvalid(`Index KeySchema does not have a range key for index: ${l.IndexName}`);
    if (l.KeySchema[0]!.AttributeName !== ks[0]!.AttributeName) {
      throw paramInvalid(`Index KeySchema does not have the same leading hash key as table KeySchema for index: ${l.IndexName}. index hash key: ${l.KeySchema[0]!.AttributeName}, table hash key: ${ks[0]!.AttributeName}`);
    }
    checkProjection(l.Projection);
    indexName(names, l.IndexName);
    l.KeySchema.forEach((k) => used.add(k.AttributeName));
  }
  if ((input.LocalSecondaryIndexes?.length ?? 0) > 5) throw paramInvalid('Number of LocalSecondaryIndexes exceeds per-table limit of 5');
  for (const g of input.GlobalSecondaryIndexes ?? []) {
    checkKeySchema(g.KeySchema, defNames);
    checkProjection(g.Projection);
    indexName(names, g.IndexName);
    if (mode === 'PAY_PER_REQUEST' && g.ProvisionedThroughput) throw paramInvalid('ProvisionedThroughput should not be specified for index: ' + g.IndexName + ' when BillingMode is PAY_PER_REQUEST');
    if (mode === 'PROVISIONED' && !g.ProvisionedThroughput) throw paramInvalid('ProvisionedThroughput is not specified for index: ' + g.IndexName);
    g.KeySchema.forEach((k) => used.add(k.AttributeName));
  }
  if ((input.GlobalSecondaryIndexes?.length ?? 0) > 20) throw paramInvalid('GlobalSecondaryIndex count exceeds the per-table limit of 20');
  if (used.size !== defNames.length) {
    if (!input.GlobalSecondaryIndexes && !input.LocalSecondaryIndexes) {
      throw paramInvalid('Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions');
    }
    throw paramInvalid(`Some AttributeDefinitions are not used. AttributeDefinitions: [${defNames.join(', ')}], keys used: [${[...used].join(', ')}]`);
  }
}

function checkKeySchema(ks: T.KeySchemaElement[], defNames: string[]): void {
  const keys = ks.map((k) => k.AttributeName);
  // DynamoDB's odd special case: one definition, the same name twice.
  if (keys.length === 2 && keys[0] === keys[1] && defNames.length === 1) throw invalid('Invalid KeySchema: Some index key attribute have no definition');
  if (keys.some((k) => !defNames.includes(k))) {
    if (keys.length === 2) throw invalid('Invalid KeySchema: Some index key attribute have no definition');
    throw paramInvalid(`Some index key attributes are not defined in AttributeDefinitions. Keys: [${keys.join(', ')}], AttributeDefinitions: [${defNames.join(', ')}]`);
  }
  if (keys.length === 2 && keys[0] === keys[1]) throw paramInvalid('Both the Hash Key and the Range Key element in the KeySchema have the same name');
  if (ks[0]!.KeyType !== 'HASH') throw invalid('Invalid KeySchema: The first KeySchemaElement is not a HASH key type');
  if (ks[1] && ks[1].KeyType !== 'RANGE') throw invalid('Invalid KeySchema: The second KeySchemaElement is not a RANGE key type');
}

function checkProjection(p: T.Projection): void {
  if (!p.ProjectionType) throw paramInvalid('Unknown ProjectionType: null');
  if (!['ALL', 'INCLUDE', 'KEYS_ONLY'].includes(p.ProjectionType)) throw paramInvalid(`Unknown ProjectionType: ${p.ProjectionType}`);
  if (p.NonKeyAttributes && p.ProjectionType !== 'INCLUDE') throw paramInvalid(`ProjectionType is ${p.ProjectionType}, but NonKeyAttributes is specified`);
}

function indexName(seen: Set<string>, name: string): void {
  if (seen.has(name)) throw paramInvalid(`Duplicate index name: ${name}`);
  seen.add(name);
}
