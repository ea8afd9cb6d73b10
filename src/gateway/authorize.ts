/**
 * The gateway's authorize step (iamEnforcement soft|enforce; never loaded when off): IAM's policy
 * engine on `<iam prefix>:<Operation>` and the resource's ARN when the input names it cheaply.
 * soft: the decision is only recorded (request log); enforce: a denial answers AWS's AccessDenied.
 */
import { AwsError } from '../core/errors.js';
import { PARTITION } from '../core/regions.js';
import type { ServiceModel } from '../protocol/model.js';
import { authorize } from '../services/iam/internal.js';
import type { RequestContext } from './context.js';
import type { Runtime } from './runtime.js';

/** Signing names whose IAM action prefix differs (everything else: the signing name itself). */
const ACTION_PREFIX: Record<string, string> = {
  monitoring: 'cloudwatch', // CloudWatch signs as monitoring, its actions are cloudwatch:*
  email: 'ses', // SES v1 (botocore's signing name)
  iotdata: 'iot', // IoT data plane (not routed here yet)
};

/** Operations AWS never denies on identity policies. */
const NEVER_DENIED = new Set(['sts:GetCallerIdentity']);

export function iamAction(model: ServiceModel, operation: string): string {
  const signing = model.signingName ?? model.id;
  return `${ACTION_PREFIX[signing] ?? signing}:${operation}`;
}

/** The resource's ARN when the input names it (S3 bucket/key, SQS queue, DynamoDB table), else `*`. */
export function resourceArn(ctx: RequestContext, model: ServiceModel, input: Record<string, unknown>): string {
  const str = (k: string) => (typeof input[k] === 'string' ? (input[k] as string) : undefined);
  switch (model.id) {
    case 's3': {
      const bucket = str('Bucket');
      if (!bucket) return '*';
      const key = str('Key');
      return `arn:${PARTITION}:s3:::${bucket}${key !== undefined ? `/${key}` : ''}`;
    }
    case 'sqs': {
      const url = str('QueueUrl');
      if (url) {
        const m = /\/(\d{12})\/([^/?#]+)\/?(?:[?#].*)?$/.exec(url);
        if (m) return `arn:${PARTITION}:sqs:${ctx.region}:${m[1]}:${m[2]}`;
        return '*';
      }
      const name = str('QueueName');
      return name && ctx.operationName === 'CreateQueue' ? `arn:${PARTITION}:sqs:${ctx.region}:${ctx.accountId}:${name}` : '*';
    }
    case 'dynamodb': {
      const table = str('TableName');
      if (!table) return '*';
      return table.startsWith('arn:') ? table : `arn:${PARTITION}:dynamodb:${ctx.region}:${ctx.accountId}:table/${table}`;
    }
    default:
      return '*';
  }
}

/** AWS's error for a denial, in the shape the service's model uses. */
function accessDenied(ctx: RequestContext, model: ServiceModel, message: string): AwsError {
  const protocol = ctx.protocol ?? model.protocol;
  if (protocol === 'ec2') return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}`, 403);
  if (protocol === 'query' || protocol === 'rest-xml') return new AwsError('AccessDenied', message, 403);
  // json / rest-json / cbor: AccessDeniedException; query-compatible services (SQS) report the
  // legacy code AccessDenied in x-amzn-query-error, as AWS does.
  return new AwsError('AccessDeniedException', message, 403, model.awsQueryCompatible ? { headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } } : {});
}

export function authorizeRequest(rt: Runtime, ctx: RequestContext, model: ServiceModel, operation: string, input: Record<string, unknown>): void {
  const action = iamAction(model, operation);
  if (NEVER_DENIED.has(action)) return;
  const d = authorize({ store: rt.store, ctx, action, resource: resourceArn(ctx, model, input), now: rt.clock.now() });
  const allowed = d.decision === 'allowed';
  ctx.iam = { decision: allowed ? 'allow' : 'deny', reason: d.message ?? d.reason };
  if (!allowed && rt.config.iamEnforcement === 'enforce') throw accessDenied(ctx, model, d.message ?? d.reason);
}
