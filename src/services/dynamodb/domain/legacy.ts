/**
 * DynamoDB's legacy (pre-expression) parameters, validated with DynamoDB's messages and turned
 * into the same conditions and update actions the expressions parse to, so evaluation is shared:
 * Expected (Exists/Value or ComparisonOperator/AttributeValueList), QueryFilter, ScanFilter and
 * KeyConditions (ComparisonOperator/AttributeValueList), joined by ConditionalOperator (AND by
 * default), and AttributeUpdates (PUT, ADD, DELETE).
 */
import { AwsError } from '../../../core/errors.js';
import type * as T from '../generated/types.js';
import type { Condition, Operand, UpdateAction } from './expressions/ast.js';
import { compareValues } from './expressions/eval.js';
import { checkValue, typeOf } from './values.js';

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const param = (msg: string) => invalid(`One or more parameter values were invalid: ${msg}`);

const OPERATORS = ['IN', 'NULL', 'BETWEEN', 'LT', 'NOT_CONTAINS', 'EQ', 'GT', 'NOT_NULL', 'NE', 'LE', 'BEGINS_WITH', 'GE', 'CONTAINS'];
const ARGS: Record<string, (n: number) => boolean> = {
  EQ: (n) => n === 1, NE: (n) => n === 1, LE: (n) => n === 1, LT: (n) => n === 1, GE: (n) => n === 1, GT: (n) => n === 1,
  CONTAINS: (n) => n === 1, NOT_CONTAINS: (n) => n === 1, BEGINS_WITH: (n) => n === 1,
  NULL: (n) => n === 0, NOT_NULL: (n) => n === 0, IN: (n) => n > 0, BETWEEN: (n) => n === 2,
};
const SCALAR = ['S', 'N', 'B'];
/** Types each operator accepts in QueryFilter/ScanFilter/KeyConditions. */
const FILTER_TYPES: Record<string, string[]> = {
  EQ: [...SCALAR, 'SS', 'NS', 'BS'], NE: [...SCALAR, 'SS', 'NS', 'BS'], LE: SCALAR, LT: SCALAR, GE: SCALAR, GT: SCALAR,
  CONTAINS: SCALAR, NOT_CONTAINS: SCALAR, BEGINS_WITH: ['S', 'B'], IN: SCALAR, BETWEEN: SCALAR,
};
const ORDERED = ['LE', 'LT', 'GE', 'GT', 'BETWEEN', 'IN', 'CONTAINS', 'NOT_CONTAINS', 'BEGINS_WITH'];

const path = (name: string): Operand => ({ k: 'path', path: [{ name }] });
const value = (v: T.AttributeValue): Operand => ({ k: 'value', v, ref: '' });

function checkOperator(op: string, field: string): void {
  if (!OPERATORS.includes(op)) throw invalid(`1 validation error detected: Value '${op}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${OPERATORS.join(', ')}]`);
}

/** One ComparisonOperator condition on a top-level attribute. */
function comparison(name: string, op: string, list: T.AttributeValue[], types: Record<string, string[]> | undefined): Condition {
  if (!ARGS[op]!(list.length)) throw param(`Invalid number of argument(s) for the ${op} ComparisonOperator`);
  const vals = list.map((v) => checkValue(v));
  const allowed = types?.[op] ?? (ORDERED.includes(op) ? (op === 'BEGINS_WITH' ? ['S', 'B'] : SCALAR) : undefined);
  for (const v of vals) if (allowed && !allowed.includes(typeOf(v))) throw param(`ComparisonOperator ${op} is not valid for ${typeOf(v)} AttributeValue type`);
  if (vals.length > 1 && vals.some((v) => typeOf(v) !== typeOf(vals[0]!))) throw param('AttributeValues inside AttributeValueList must be of same type');
  if (op === 'BETWEEN' && (compareValues(vals[0]!, vals[1]!) ?? 0) > 0) throw invalid('The BETWEEN condition was provided a range where the lower bound is greater than the upper bound');
  const a = path(name);
  const CMP: Record<string, '=' | '<>' | '<' | '<=' | '>' | '>='> = { EQ: '=', NE: '<>', LT: '<', LE: '<=', GT: '>', GE: '>=' };
  switch (op) {
    case 'NULL': return { k: 'call', name: 'attribute_not_exists', args: [a] };
    case 'NOT_NULL': return { k: 'call', name: 'attribute_exists', args: [a] };
    case 'CONTAINS': return { k: 'call', name: 'contains', args: [a, value(vals[0]!)] };
    case 'NOT_CONTAINS': return { k: 'not', a: { k: 'call', name: 'contains', args: [a, value(vals[0]!)] } };
    case 'BEGINS_WITH': return { k: 'call', name: 'begins_with', args: [a, value(vals[0]!)] };
    case 'IN': return { k: 'in', a, list: vals.map(value) };
    case 'BETWEEN': return { k: 'between', a, lo: value(vals[0]!), hi: value(vals[1]!) };
    default: return { k: 'cmp', op: CMP[op]!, a, b: value(vals[0]!) };
  }
}

function join(conds: Condition[], operator: string | undefined): Condition | undefined {
  if (operator !== undefined && operator !== 'AND' && operator !== 'OR') {
    throw invalid(`1 validation error detected: Value '${operator}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]`);
  }
  if (operator !== undefined && conds.length === 0) throw invalid('ConditionalOperator cannot be used without Filter or Expected');
  if (operator !== undefined && conds.length === 1) throw invalid('ConditionalOperator can only be used when Filter or Expected has two or more elements');
  return conds.reduce<Condition | undefined>((acc, c) => (acc ? { k: operator === 'OR' ? 'or' : 'and', a: acc, b: c } : c), undefined);
}

/** Expected (PutItem, UpdateItem, DeleteItem) as a condition. */
export function expectedCondition(expected: Record<string, T.ExpectedAttributeValue> | undefined, operator: string | undefined): Condition | undefined {
  const conds: Condition[] = [];
  for (const [name, e] of Object.entries(expected ?? {})) {
    const has = (k: keyof T.ExpectedAttributeValue) => e[k] !== undefined && e[k] !== null;
    if (has('AttributeValueList') && has('Value')) throw param(`Value and AttributeValueList cannot be used together for Attribute: ${name}`);
    if (has('ComparisonOperator')) {
      checkOperator(e.ComparisonOperator!, `expected.${name}.member.comparisonOperator`);
      if (has('Exists')) throw param(`Exists and ComparisonOperator cannot be used together for Attribute: ${name}`);
      const op = e.ComparisonOperator!;
      if (op !== 'NULL' && op !== 'NOT_NULL' && !has('AttributeValueList') && !has('Value')) throw param(`Value or AttributeValueList must be used with ComparisonOperator: ${op} for Attribute: ${name}`);
      conds.push(comparison(name, op, e.AttributeValueList ?? (e.Value ? [e.Value] : []), undefined));
    } else if (has('AttributeValueList')) {
      throw param(`AttributeValueList can only be used with a ComparisonOperator for Attribute: ${name}`);
    } else {
      const exists = e.Exists !== false;
      if (exists && !has('Value')) throw param(`Value must be provided when Exists is ${e.Exists === undefined || e.Exists === null ? 'null' : e.Exists} for Attribute: ${name}`);
      if (!exists && has('Value')) throw param(`Value cannot be used when Exists is false for Attribute: ${name}`);
      conds.push(exists ? { k: 'cmp', op: '=', a: path(name), b: value(checkValue(e.Value)) } : { k: 'call', name: 'attribute_not_exists', args: [path(name)] });
    }
  }
  return join(conds, operator);
}

/** QueryFilter / ScanFilter as a condition. */
export function filterCondition(filter: Record<string, T.Condition> | undefined, operator: string | undefined, field: 'queryFilter' | 'scanFilter'): Condition | undefined {
  const conds = Object.entries(filter ?? {}).map(([name, c]) => {
    checkOperator(c.ComparisonOperator, `${field}.${name}.member.comparisonOperator`);
    return comparison(name, c.ComparisonOperator, c.AttributeValueList ?? [], FILTER_TYPES);
  });
  return join(conds, operator);
}

/** KeyConditions as the AND of one condition per key attribute (checked like a KeyConditionExpression). */
export function keyConditionsCondition(keyConditions: Record<string, T.Condition>): Condition {
  const conds = Object.entries(keyConditions).map(([name, c]) => {
    checkOperator(c.ComparisonOperator, `keyConditions.${name}.member.comparisonOperator`);
    if (!['EQ', 'LE', 'LT', 'GE', 'GT', 'BEGINS_WITH', 'BETWEEN'].includes(c.ComparisonOperator)) throw param(`Unsupported operator on KeyCondition: ${c.ComparisonOperator}`);
    return comparison(name, c.ComparisonOperator, c.AttributeValueList ?? [], FILTER_TYPES);
  });
  if (!conds.length) throw invalid('Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.');
  return join(conds, undefined)!;
}

/** AttributeUpdates as update actions (ADD of a list appends, as the legacy API does). */
export function attributeUpdateActions(updates: Record<string, T.AttributeValueUpdate>, keyNames: string[]): UpdateAction[] {
  const actions: UpdateAction[] = [];
  for (const [name, u] of Object.entries(updates)) {
    const action = u.Action ?? 'PUT';
    if (!['ADD', 'PUT', 'DELETE'].includes(action)) throw invalid(`1 validation error detected: Value '${action}' at 'attributeUpdates.${name}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]`);
    if (keyNames.includes(name)) throw param(`Cannot update attribute ${name}. This attribute is part of the key`);
    const v = u.Value !== undefined && u.Value !== null ? checkValue(u.Value) : undefined;
    if (!v && action !== 'DELETE') throw param('Only DELETE action is allowed when no attribute value is specified');
    const p = [{ name }];
    if (action === 'PUT') actions.push({ k: 'SET', path: p, value: value(v!) });
    else if (action === 'DELETE') {
      if (!v) actions.push({ k: 'REMOVE', path: p });
      else if (!['SS', 'NS', 'BS'].includes(typeOf(v))) throw param(`DELETE action with value is not supported for the type ${typeOf(v)}`);
      else actions.push({ k: 'DELETE', path: p, value: v });
    } else if (v!.L) {
      actions.push({ k: 'SET', path: p, value: { k: 'fn', name: 'list_append', args: [{ k: 'fn', name: 'if_not_exists', args: [path(name), value({ L: [] })] }, value(v!)] } });
    } else if (!['N', 'SS', 'NS', 'BS'].includes(typeOf(v!))) {
      throw param(`ADD action is not supported for the type ${typeOf(v!)}`);
    } else actions.push({ k: 'ADD', path: p, value: v! });
  }
  return actions;
}
