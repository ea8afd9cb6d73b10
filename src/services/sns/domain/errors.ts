/** SNS's errors, by the model's shape names (the query protocol maps them to InvalidParameter, NotFound, …). */
import { AwsError } from '../../../core/errors.js';
import { parseArn } from '../../../core/arn.js';

export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message, 400);
export const invalidParameterValue = (message: string) => new AwsError('InvalidParameterValueException', message, 400);
export const notFound = (message: string) => new AwsError('NotFoundException', message, 404);
export const topicNotFound = () => notFound('Topic does not exist');
export const subscriptionNotFound = () => notFound('Subscription does not exist');

export interface TopicRef { arn: string; account: string; region: string; name: string }

/** Account, region and name of a topic ARN; `what` names the parameter in AWS's message. */
export function parseTopicArn(arn: string | undefined, what = 'TopicArn'): TopicRef {
  const value = arn ?? '';
  const p = parseArn(value);
  if (!p) throw invalidParameter(`Invalid parameter: ${what} Reason: An ARN must have at least 6 elements, not ${value.split(':').length}`);
  if (p.service !== 'sns' || !/^\d{12}$/.test(p.account) || !p.resource || p.resource.includes(':')) throw invalidParameter(`Invalid parameter: ${what}`);
  return { arn: value, account: p.account, region: p.region, name: p.resource };
}

/** A subscription ARN is the topic ARN plus ":<uuid>". */
export function parseSubscriptionArn(arn: string | undefined): TopicRef & { id: string } {
  const value = arn ?? '';
  const parts = value.split(':');
  const p = parseArn(value);
  if (!p) throw invalidParameter(`Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not ${parts.length}`);
  if (parts.length !== 7 || p.service !== 'sns') throw invalidParameter('Invalid parameter: SubscriptionId');
  return { arn: value, account: p.account, region: p.region, name: parts[5]!, id: parts[6]! };
}
