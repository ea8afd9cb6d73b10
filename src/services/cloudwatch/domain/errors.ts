/** CloudWatch's own error shapes (json/cbor code = shape name; query code from awsQueryError). */
import { AwsError } from '../../../core/errors.js';

export const invalidValue = (message: string) => new AwsError('InvalidParameterValueException', message, 400);
export const invalidCombination = (message: string) => new AwsError('InvalidParameterCombinationException', message, 400);
export const missingParameter = (message: string) => new AwsError('MissingRequiredParameterException', message, 400);
export const invalidNextToken = () => new AwsError('InvalidNextToken', 'The service cannot decode the NextToken.', 400);

/** "The value X for parameter P is invalid." — CloudWatch's usual wording. */
export const invalidParam = (param: string, value: unknown) => invalidValue(`The value ${String(value)} for parameter ${param} is invalid.`);
