/**
 * PartiQL syntax errors in DynamoDB's words: "Statement wasn't well formed, can't be processed: "
 * and a detail chosen from where the parse stopped (the rule, the token there and the one before).
 */
import { EOF, type IRecognitionException, type IToken, type TokenType } from 'chevrotain';
import { AwsError } from '../../../core/errors.js';
import * as L from './lexer.js';

export const NOT_WELL_FORMED = "Statement wasn't well formed, can't be processed: ";
export const malformed = (detail: string) => new AwsError('ValidationException', NOT_WELL_FORMED + detail, 400);

/** DynamoDB's detail for where a parse stopped. */
export function detail(e: IRecognitionException): string {
  if (e.name === 'NotAllInputParsedException') return 'Unexpected token after expression';
  const stack = e.context.ruleStack;
  const rule = stack[stack.length - 1];
  const tok = e.token;
  const prev = (e as { previousToken?: IToken }).previousToken;
  if (rule === 'statement') return 'Expected data manipulation';
  if (rule === 'tableName' || (rule === 'name' && stack.includes('tableName'))) return 'Expected identifier for simple path';
  if (rule === 'insert' && e.name === 'MismatchedTokenException') return 'Unexpected token after expression';
  if (prev && (prev.tokenType === L.And || prev.tokenType === L.Or) && tok.tokenType === EOF) return 'Missing right-hand side expression of infix operator';
  const type: TokenType = tok.tokenType;
  if (tok.tokenType !== EOF && (type === L.Is || type === L.Equal || type === L.NotEqual || type === L.Less || type === L.Greater || type === L.LessEq || type === L.GreaterEq)) return 'Unexpected operator';
  if (tok.tokenType !== EOF && type.CATEGORIES?.includes(L.Keyword) && prev?.tokenType !== L.And && prev?.tokenType !== L.Or && type !== L.Not) return 'Unexpected keyword';
  return 'Unexpected term';
}

