/**
 * ExpressionAttributeNames / ExpressionAttributeValues of one request: DynamoDB's checks before
 * parsing (only with expressions, not empty, key syntax, valid values) and the unused-key
 * errors after every expression of the request was parsed.
 */
import { AwsError } from '../../../../core/errors.js';
import type { AttributeValue } from '../../generated/types.js';
import { checkValue } from '../values.js';
import { invalid } from './lexer.js';

export interface ExpressionInput {
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}

const KEY = /^[#:][0-9A-Za-z_]+$/;

export class ExprContext {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  readonly names: Record<string, string> | undefined;
  readonly values: Record<string, AttributeValue> | undefined;

  /**
   * @param present the expression parameters given (names, e.g. ['ConditionExpression'])
   * @param valueExpressions the request's expression parameters that can use values (for the message)
   */
  constructor(input: ExpressionInput, present: string[], valueExpressions: string[]) {
    const names = input.ExpressionAttributeNames;
    const values = input.ExpressionAttributeValues;
    if (names && !present.length) throw invalid('ExpressionAttributeNames can only be specified when using expressions');
    if (values && valueExpressions.length && !present.some((p) => valueExpressions.includes(p))) {
      throw invalid(`ExpressionAttributeValues can only be specified when using expressions: ${valueExpressions.join(' and ')} ${valueExpressions.length > 1 ? 'are' : 'is'} null`);
    }
    if (values && !valueExpressions.length) throw invalid('ExpressionAttributeValues can only be specified when using expressions');
    if (names) {
      if (!Object.keys(names).length) throw invalid('ExpressionAttributeNames must not be empty');
      for (const k of Object.keys(names)) if (!k.startsWith('#') || !KEY.test(k)) throw invalid(`ExpressionAttributeNames contains invalid key: Syntax error; key: "${k}"`);
    }
    let normalized: Record<string, AttributeValue> | undefined;
    if (values) {
      if (!Object.keys(values).length) throw invalid('ExpressionAttributeValues must not be empty');
      for (const k of Object.keys(values)) if (!k.startsWith(':') || !KEY.test(k)) throw invalid(`ExpressionAttributeValues contains invalid key: Syntax error; key: "${k}"`);
      normalized = {};
      for (const [k, v] of Object.entries(values)) {
        try {
          normalized[k] = checkValue(v);
        } catch (e) {
          if (e instanceof AwsError) throw invalid(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${k}`);
          throw e;
        }
      }
    }
    this.names = names;
    this.values = normalized;
  }

  /** The unused-name/value errors, once every expression of the request is parsed. */
  finish(): void {
    const unusedNames = Object.keys(this.names ?? {}).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length) throw invalid(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
    const unusedValues = Object.keys(this.values ?? {}).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length) throw invalid(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}
