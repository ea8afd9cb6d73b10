/** CloudWatch Logs' error shapes with AWS's wording. */
import { AwsError } from '../../../core/errors.js';

export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message, 400);
export const groupNotFound = () => new AwsError('ResourceNotFoundException', 'The specified log group does not exist.', 400);
export const streamNotFound = () => new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.', 400);

/** Coral-style constraint message: "1 validation error detected: Value 'x' at 'logGroupName' failed to satisfy constraint: …" */
export const constraint = (value: unknown, path: string, rule: string) =>
  invalidParameter(`1 validation error detected: Value '${String(value)}' at '${path}' failed to satisfy constraint: ${rule}`);
