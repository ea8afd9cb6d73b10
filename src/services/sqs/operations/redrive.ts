/**
 * Dead-letter queues and permissions: ListDeadLetterSourceQueues, StartMessageMoveTask,
 * ListMessageMoveTasks, CancelMessageMoveTask, AddPermission, RemovePermission.
 */
import { AwsError } from '../../../core/errors.js';
import type { SQSHandlers } from '../generated/types.js';
import { scopeOfQueue, type MoveTaskRecord, type SqsState } from '../state.js';
import { validateRedrivePolicy } from '../domain/attributes.js';
import { addPermission, removePermission } from '../domain/permissions.js';
import { queueUrl } from '../domain/names.js';
import type { QueueState } from '../domain/queue.js';
import { taskKey, type MoveTasks } from '../move-tasks.js';
import { checkRange, invalidParameter, resolveQueue } from './common.js';

const notFound = (param: string) => new AwsError('ResourceNotFoundException', `The resource that you specified for the ${param} parameter doesn't exist.`, 404);

/** The queue an ARN names (SourceArn / DestinationArn). */
function queueByArn(state: SqsState, arn: string | undefined, param: string): QueueState {
  const p = (arn ?? '').split(':');
  if (p.length !== 6 || p[0] !== 'arn' || !p[5]) throw invalidParameter(`You must use this format to specify the ${param}: arn:<partition>:<service>:<region>:<account-id>:<resource-id>`);
  const q = p[2] === 'sqs' ? state.byArn(arn!) : undefined;
  if (!q) throw notFound(param);
  return q;
}

/** Queues of the dead-letter queue's account and region whose RedrivePolicy names it. */
function sourcesOf(state: SqsState, dlq: QueueState): QueueState[] {
  return state.list(scopeOfQueue(dlq))
    .filter((q) => q.rec.attributes.RedrivePolicy && validateRedrivePolicy(q.rec.attributes.RedrivePolicy)?.deadLetterTargetArn === dlq.rec.arn)
    .sort((a, b) => (a.rec.name < b.rec.name ? -1 : 1));
}

function decodeHandle(handle: string): { taskId: string; sourceArn: string } {
  try {
    const v = JSON.parse(Buffer.from(handle, 'base64').toString('utf8')) as { taskId?: unknown; sourceArn?: unknown };
    if (typeof v.taskId === 'string' && typeof v.sourceArn === 'string') return { taskId: v.taskId, sourceArn: v.sourceArn };
  } catch { /* not a handle */ }
  throw invalidParameter('Value for parameter TaskHandle is invalid.');
}

export function redriveHandlers(state: SqsState, tasks: MoveTasks): SQSHandlers {
  return {
    ListDeadLetterSourceQueues(input, ctx) {
      const { q } = resolveQueue(state, ctx, input.QueueUrl);
      checkRange('MaxResults', input.MaxResults, 1, 1000, 'MaxResults must be an integer between 1 and 1000.');
      let after = '';
      if (input.NextToken) {
        try {
          after = String((JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as { after: unknown }).after);
        } catch {
          throw invalidParameter('Invalid NextToken value.');
        }
      }
      const names = sourcesOf(state, q).map((s) => s.rec.name).filter((n) => n > after);
      const limit = input.MaxResults ?? 1000;
      const page = names.slice(0, limit);
      return {
        queueUrls: page.map((n) => queueUrl(ctx.baseUrl, q.rec.account, n)),
        // As ListQueues: only paginated requests get a NextToken.
        ...(input.MaxResults !== undefined && names.length > limit ? { NextToken: Buffer.from(JSON.stringify({ after: page[page.length - 1] })).toString('base64') } : {}),
      };
    },

    StartMessageMoveTask(input) {
      const source = queueByArn(state, input.SourceArn, 'SourceArn');
      const rate = input.MaxNumberOfMessagesPerSecond;
      if (rate !== undefined && (!Number.isInteger(rate) || rate < 1 || rate > 500)) {
        throw invalidParameter(`Value ${rate} for parameter MaxNumberOfMessagesPerSecond is invalid. Reason: You must enter a number that's between 1 and 500.`);
      }
      if (!sourcesOf(state, source).length) throw invalidParameter('Source queue must be configured as a Dead Letter Queue.');
      if (input.DestinationArn) {
        const dest = queueByArn(state, input.DestinationArn, 'DestinationArn');
        if (dest.rec.fifo !== source.rec.fifo) throw invalidParameter('The destination queue must be the same type of queue as the source queue.');
      }
      if (tasks.list(scopeOfQueue(source), source.rec.arn).some((t) => t.status === 'RUNNING')) {
        throw invalidParameter('There is already a task running. Only one active task is allowed for a source queue arn at a given time.');
      }
      const t = tasks.start(source, {
        sourceArn: source.rec.arn,
        ...(input.DestinationArn ? { destinationArn: input.DestinationArn } : {}),
        ...(rate !== undefined ? { rate } : {}),
      });
      return { TaskHandle: t.handle };
    },

    ListMessageMoveTasks(input) {
      const source = queueByArn(state, input.SourceArn, 'SourceArn');
      checkRange('MaxResults', input.MaxResults, 1, 10, 'You must enter a number that\'s between 1 and 10.');
      const list = tasks.list(scopeOfQueue(source), source.rec.arn).slice(0, input.MaxResults ?? 1);
      return { Results: list.map(entry) };
    },

    CancelMessageMoveTask(input) {
      const { taskId, sourceArn } = decodeHandle(input.TaskHandle);
      const source = queueByArn(state, sourceArn, 'SourceArn');
      const scope = scopeOfQueue(source);
      const t = state.moveTasks.get(scope, taskKey({ sourceArn, id: taskId }));
      if (!t) throw new AwsError('ResourceNotFoundException', 'Task does not exist.', 404);
      if (t.status !== 'RUNNING') throw new AwsError('UnsupportedOperation', 'Only active tasks can be cancelled.', 400);
      tasks.cancel(scope, t);
      return { ApproximateNumberOfMessagesMoved: t.moved };
    },

    AddPermission(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      const policy = addPermission(q.rec.attributes.Policy, q.rec.arn, input.Label, input.AWSAccountIds ?? [], input.Actions ?? []);
      q.rec = { ...q.rec, attributes: { ...q.rec.attributes, Policy: policy } };
      state.saveQueue(scope, q);
    },

    RemovePermission(input, ctx) {
      const { scope, q } = resolveQueue(state, ctx, input.QueueUrl);
      const policy = removePermission(q.rec.attributes.Policy, q.rec.arn, input.Label);
      const { Policy: _old, ...attributes } = q.rec.attributes;
      q.rec = { ...q.rec, attributes: policy ? { ...attributes, Policy: policy } : attributes };
      state.saveQueue(scope, q);
    },
  };
}

/** A task as ListMessageMoveTasks shows it (the handle only while it runs). */
function entry(t: MoveTaskRecord) {
  return {
    ...(t.status === 'RUNNING' ? { TaskHandle: t.handle } : {}),
    Status: t.status,
    SourceArn: t.sourceArn,
    ...(t.destinationArn ? { DestinationArn: t.destinationArn } : {}),
    ...(t.rate !== undefined ? { MaxNumberOfMessagesPerSecond: t.rate } : {}),
    ApproximateNumberOfMessagesMoved: t.moved,
    ApproximateNumberOfMessagesToMove: t.toMove,
    ...(t.failureReason ? { FailureReason: t.failureReason } : {}),
    StartedTimestamp: t.startedAt,
  };
}
