/** DynamoDB expressions: one tokenizer, recursive-descent parsers, evaluation and updates. */
export * from './ast.js';
export { ExprContext, type ExpressionInput } from './context.js';
export { parseCondition, parseProjection, parseUpdate } from './parser.js';
export { valueAt, project, evaluate, equalValues, compareValues, operandValue } from './eval.js';
export { applyUpdate, checkKeyUpdates } from './update.js';
