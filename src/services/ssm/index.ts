/**
 * AWS Systems Manager Parameter Store (awsJson 1.1): String, StringList and SecureString
 * (encrypted through KMS) parameters with versions, labels, history, tiers, policies acting on
 * the virtual clock (with EventBridge events), hierarchies and the public /aws/service/…
 * parameters. The rest of SSM answers 501 NotImplemented.
 */
import { defineService, type OperationHandler } from '../service.js';
import { AwsError, isAwsError } from '../../core/errors.js';
import { scopeOf, type RequestContext } from '../../gateway/context.js';
import type { SSMHandlers } from './generated/types.js';
import { SsmState } from './state.js';
import {
  deleteParameter, deleteParameters, getParameter, getParameterHistory, getParameters, labelParameterVersion, putParameter, unlabelParameterVersion,
} from './operations/parameters.js';
import { describeParameters, getParametersByPath } from './operations/query.js';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './operations/tags.js';

/** aws:ec2:image values must be the id of an image the account can use (EC2's DescribeImages). */
async function checkImage(s: SsmState, scope: { account: string; region: string }, input: { Name: string; Value: string; DataType?: string }): Promise<void> {
  const dataType = input.DataType ?? (s.params.get(scope, input.Name)?.versions.at(-1)?.dataType);
  if (dataType !== 'aws:ec2:image' || !/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(input.Value ?? '')) return;
  let found = false;
  try {
    const out = (await s.rt.call('ec2', 'DescribeImages', { ImageIds: [input.Value] }, scope)) as { Images?: unknown[] };
    found = (out.Images?.length ?? 0) > 0;
  } catch (e) {
    if (!isAwsError(e)) throw e;
  }
  if (!found) throw new AwsError('ValidationException', `Unable to validate the parameter value ${input.Value} for data type aws:ec2:image: the image does not exist or is not available to this account.`, 400);
}

/** Who changed a parameter: the caller's account root (IAM identities are not resolved here). */
const userOf = (ctx: RequestContext) => `arn:aws:iam::${ctx.accountId}:root`;

export default defineService({
  id: 'ssm',
  create(rt) {
    const s = new SsmState(rt);
    const handlers: SSMHandlers = {
      PutParameter: (input, ctx) => putParameter(s, scopeOf(ctx), input, userOf(ctx)),
      GetParameter: (input, ctx) => getParameter(s, scopeOf(ctx), input.Name, input.WithDecryption),
      GetParameters: (input, ctx) => getParameters(s, scopeOf(ctx), input.Names, input.WithDecryption),
      GetParametersByPath: (input, ctx) => getParametersByPath(s, scopeOf(ctx), input),
      DescribeParameters: (input, ctx) => describeParameters(s, scopeOf(ctx), input),
      DeleteParameter: (input, ctx) => (deleteParameter(s, scopeOf(ctx), input.Name), {}),
      DeleteParameters: (input, ctx) => deleteParameters(s, scopeOf(ctx), input.Names),
      GetParameterHistory: (input, ctx) => getParameterHistory(s, scopeOf(ctx), input),
      LabelParameterVersion: (input, ctx) => labelParameterVersion(s, scopeOf(ctx), input),
      UnlabelParameterVersion: (input, ctx) => unlabelParameterVersion(s, scopeOf(ctx), input),
      AddTagsToResource: (input, ctx) => (addTagsToResource(s, scopeOf(ctx), input.ResourceType, input.ResourceId, input.Tags), {}),
      RemoveTagsFromResource: (input, ctx) => (removeTagsFromResource(s, scopeOf(ctx), input.ResourceType, input.ResourceId, input.TagKeys), {}),
      ListTagsForResource: (input, ctx) => listTagsForResource(s, scopeOf(ctx), input.ResourceType, input.ResourceId),
    };
    // SecureString values need KMS; an aws:ec2:image value must name an image EC2 knows (asked first, then
    // the operation runs synchronously).
    const wrapped: Record<string, OperationHandler> = {};
    for (const [name, h] of Object.entries(handlers) as [string, OperationHandler][]) {
      wrapped[name] = async (input, ctx) => {
        await s.ready(scopeOf(ctx));
        if (name === 'PutParameter') await checkImage(s, scopeOf(ctx), input as { Name: string; Value: string; DataType?: string });
        return h(input, ctx);
      };
    }
    s.armAll();
    return { handlers: wrapped, stop: () => s.stop() };
  },
});
