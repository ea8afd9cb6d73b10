/**
 * AddPermission / RemovePermission: labelled statements in the queue's Policy document, laid out
 * as AWS writes them (Version 2008-10-17, Id "<queue ARN>/SQSDefaultPolicy"; a single principal
 * or action is a string, several are a list). Removing the last statement removes the Policy.
 */
import { AwsError } from '../../../core/errors.js';

/** Actions a queue owner can grant to other accounts (batch variants come with their action). */
const GRANTABLE = new Set(['*', 'SendMessage', 'ReceiveMessage', 'DeleteMessage', 'ChangeMessageVisibility', 'GetQueueAttributes', 'GetQueueUrl',
  'ListDeadLetterSourceQueues', 'PurgeQueue', 'ListQueueTags', 'StartMessageMoveTask', 'ListMessageMoveTasks', 'CancelMessageMoveTask']);
const OWNER_ONLY = new Set(['CreateQueue', 'DeleteQueue', 'SetQueueAttributes', 'AddPermission', 'RemovePermission', 'TagQueue', 'UntagQueue', 'ListQueues']);
const LABEL = /^[A-Za-z0-9_-]{1,80}$/;
const MAX_ACTIONS = 7;
const MAX_STATEMENTS = 20;

interface PolicyDoc { Version?: string; Id?: string; Statement: Record<string, unknown>[]; [k: string]: unknown }

const invalid = (message: string) => new AwsError('InvalidParameterValue', message, 400);

function parse(policy: string | undefined, queueArn: string): PolicyDoc {
  if (!policy) return { Version: '2008-10-17', Id: `${queueArn}/SQSDefaultPolicy`, Statement: [] };
  const doc = JSON.parse(policy) as PolicyDoc;
  const st = doc.Statement as unknown;
  doc.Statement = Array.isArray(st) ? st : st && typeof st === 'object' ? [st as Record<string, unknown>] : [];
  return doc;
}

/** The Policy text after adding statement `label`. */
export function addPermission(policy: string | undefined, queueArn: string, label: string, accounts: string[], actions: string[]): string {
  if (!label) throw new AwsError('MissingParameter', 'The request must contain the parameter Label.', 400);
  if (!LABEL.test(label)) throw invalid(`Value ${label} for parameter Label is invalid. Reason: Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length.`);
  if (!actions.length) throw new AwsError('MissingParameter', 'The request must contain the parameter Actions.', 400);
  if (!accounts.length) throw invalid('Value [] for parameter PrincipalId is invalid. Reason: Unable to verify.');
  if (actions.length > MAX_ACTIONS) throw new AwsError('OverLimit', `${actions.length} Actions were found, maximum allowed is ${MAX_ACTIONS}.`, 403);
  for (const a of actions) {
    if (OWNER_ONLY.has(a)) throw invalid(`Value SQS:${a} for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.`);
    if (!GRANTABLE.has(a)) throw invalid(`Value SQS:${a} for parameter ActionName is invalid. Reason: Please refer to the appropriate WSDL for a list of valid actions.`);
  }
  for (const id of accounts) if (!/^\d{12}$/.test(id)) throw invalid(`Value [${id}] for parameter PrincipalId is invalid. Reason: Unable to verify.`);
  const doc = parse(policy, queueArn);
  if (doc.Statement.some((s) => s.Sid === label)) throw invalid(`Value ${label} for parameter Label is invalid. Reason: Already exists.`);
  if (doc.Statement.length + 1 > MAX_STATEMENTS) throw new AwsError('OverLimit', `${doc.Statement.length + 1} statements were found in the submitted policy, max allowed is ${MAX_STATEMENTS}`, 403);
  const principals = accounts.map((id) => `arn:aws:iam::${id}:root`);
  const grants = actions.map((a) => `SQS:${a}`);
  doc.Statement.push({
    Sid: label,
    Effect: 'Allow',
    Principal: { AWS: principals.length === 1 ? principals[0] : principals },
    Action: grants.length === 1 ? grants[0] : grants,
    Resource: queueArn,
  });
  return JSON.stringify(doc);
}

/** The Policy text after removing statement `label` (undefined: no statement left). */
export function removePermission(policy: string | undefined, queueArn: string, label: string): string | undefined {
  if (!label) throw new AwsError('MissingParameter', 'The request must contain the parameter Label.', 400);
  const doc = parse(policy, queueArn);
  const kept = doc.Statement.filter((s) => s.Sid !== label);
  if (kept.length === doc.Statement.length) throw invalid(`Value ${label} for parameter Label is invalid. Reason: can't find label.`);
  if (!kept.length) return undefined;
  doc.Statement = kept;
  return JSON.stringify(doc);
}
