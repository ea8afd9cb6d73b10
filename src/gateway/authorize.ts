/**
 * The gateway's authorize step (iamEnforcement soft|enforce; never loaded when off): IAM's policy
 * engine on `<iam prefix>:<action>` and the resource's ARN when the input names it. The engine
 * adds the caller's session policies, SCPs/RCPs from Organizations and the resource's own policy
 * (bucket, queue, topic, key, role trust policy). soft: the decision is only recorded (request
 * log); enforce: a denial answers AWS's AccessDenied (EC2: with an encoded authorization message).
 */
import { AwsError } from '../core/errors.js';
import { PARTITION } from '../core/regions.js';
import type { ServiceModel } from '../protocol/model.js';
import { authorize, iamEntityArn, kmsKeyArn, type AuthorizeDecision } from '../services/iam/internal.js';
import { encodeAuthorizationMessage } from '../services/sts/internal.js';
import { s3Action } from '../services/s3/domain/actions.js';
import type { RequestContext } from './context.js';
import type { Runtime } from './runtime.js';

/** Signing names whose IAM action prefix differs (everything else: the signing name itself). */
const ACTION_PREFIX: Record<string, string> = {
  monitoring: 'cloudwatch', // CloudWatch signs as monitoring, its actions are cloudwatch:*
  email: 'ses', // SES v1 (botocore's signing name)
  iotdata: 'iot', // IoT data plane (not routed here yet)
};

/** Operations AWS never denies on identity policies (and the federation calls made without credentials). */
const NEVER_DENIED = new Set(['sts:GetCallerIdentity', 'sts:AssumeRoleWithWebIdentity', 'sts:AssumeRoleWithSAML']);

export function iamAction(model: ServiceModel, operation: string, input: Record<string, unknown> = {}): string {
  if (model.id === 's3') return s3Action(operation, input as { VersionId?: unknown });
  const signing = model.signingName ?? model.id;
  return `${ACTION_PREFIX[signing] ?? signing}:${operation}`;
}

/** The resource's ARN when the input names it (S3, SQS, SNS, KMS, DynamoDB, IAM entities, STS roles), else `*`. */
export function resourceArn(rt: Runtime, ctx: RequestContext, model: ServiceModel, input: Record<string, unknown>): string {
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
    case 'sns': {
      const arn = str('TopicArn') ?? str('TargetArn') ?? str('ResourceArn');
      if (arn?.startsWith('arn:')) return arn;
      const name = str('Name');
      return name && ctx.operationName === 'CreateTopic' ? `arn:${PARTITION}:sns:${ctx.region}:${ctx.accountId}:${name}` : '*';
    }
    case 'kms': {
      const id = str('KeyId') ?? str('DestinationKeyId');
      return id ? kmsKeyArn(rt.store, ctx.accountId, ctx.region, id) ?? '*' : '*';
    }
    case 'dynamodb': {
      const table = str('TableName');
      if (!table) return '*';
      return table.startsWith('arn:') ? table : `arn:${PARTITION}:dynamodb:${ctx.region}:${ctx.accountId}:table/${table}`;
    }
    case 'sts':
      return str('RoleArn') ?? '*';
    case 'iam': {
      const arn = str('PolicyArn') ?? str('OpenIDConnectProviderArn') ?? str('SAMLProviderArn');
      if (arn) return arn;
      for (const [member, kind] of [['RoleName', 'role'], ['UserName', 'user'], ['GroupName', 'group'], ['InstanceProfileName', 'instance-profile']] as const) {
        const name = str(member);
        if (name) return iamEntityArn(rt.store, ctx.accountId, kind, name);
      }
      return '*';
    }
    default:
      return '*';
  }
}

/** AWS's error for a denial, in the shape the service's model uses. */
function accessDenied(rt: Runtime, ctx: RequestContext, model: ServiceModel, d: AuthorizeDecision): AwsError {
  const message = d.message ?? d.reason;
  const protocol = ctx.protocol ?? model.protocol;
  if (protocol === 'ec2') return new AwsError('UnauthorizedOperation', `You are not authorized to perform this operation. ${message}. Encoded authorization failure message: ${encoded(rt, d)}`, 403);
  if (protocol === 'query' || protocol === 'rest-xml') return new AwsError('AccessDenied', message, 403);
  // json / rest-json / cbor: AccessDeniedException; query-compatible services (SQS) report the
  // legacy code AccessDenied in x-amzn-query-error, as AWS does.
  return new AwsError('AccessDeniedException', message, 403, model.awsQueryCompatible ? { headers: { 'x-amzn-query-error': 'AccessDenied;Sender' } } : {});
}

/** The decision as AWS's DecodeAuthorizationMessage shows it, encrypted for STS. */
function encoded(rt: Runtime, d: AuthorizeDecision): string {
  const values = (v: string | string[]) => ({ items: (Array.isArray(v) ? v : [v]).map((value) => ({ value })) });
  return encodeAuthorizationMessage(rt.store, {
    allowed: false,
    explicitDeny: d.decision === 'explicitDeny',
    matchedStatements: {
      items: d.matched.map((m) => ({
        statementId: m.statement.sid ?? '',
        effect: m.statement.effect.toUpperCase(),
        principals: m.statement.principal ? { items: [] } : undefined,
        actions: values(m.statement.action ?? m.statement.notAction ?? []),
        resources: values(m.statement.resource ?? m.statement.notResource ?? []),
        conditions: { items: m.statement.conditions.map((c) => ({ key: c.key, values: values(c.values) })) },
      })),
    },
    failures: { items: [] },
    context: {
      principal: { id: String(d.context['aws:userid'] ?? ''), arn: d.callerArn, name: typeof d.context['aws:username'] === 'string' ? d.context['aws:username'] : undefined },
      action: d.action,
      resource: d.resource,
      conditions: { items: Object.entries(d.context).map(([key, v]) => ({ key, values: values(v) })) },
    },
  });
}

export function authorizeRequest(rt: Runtime, ctx: RequestContext, model: ServiceModel, operation: string, input: Record<string, unknown>): void {
  const action = iamAction(model, operation, input);
  if (NEVER_DENIED.has(action)) return;
  const d = authorize({ store: rt.store, ctx, action, resource: resourceArn(rt, ctx, model, input), now: rt.clock.now() });
  const allowed = d.decision === 'allowed';
  ctx.iam = { decision: allowed ? 'allow' : 'deny', reason: d.message ?? d.reason };
  if (!allowed && rt.config.iamEnforcement === 'enforce') throw accessDenied(rt, ctx, model, d);
}
