/**
 * AWS Systems Manager Parameter Store (awsJson 1.1): String, StringList and SecureString
 * parameters with versions, labels, history, tiers, policies, hierarchies and the public
 * /aws/service/… parameters. The rest of SSM answers 501 NotImplemented.
 */
import { defineService } from '../service.js';
import { scopeOf, type RequestContext } from '../../gateway/context.js';
import type { SSMHandlers } from './generated/types.js';
import { SsmState } from './state.js';
import {
  deleteParameter, deleteParameters, getParameter, getParameterHistory, getParameters, labelParameterVersion, putParameter, unlabelParameterVersion,
} from './operations/parameters.js';
import { describeParameters, getParametersByPath } from './operations/query.js';
import { addTagsToResource, listTagsForResource, removeTagsFromResource } from './operations/tags.js';

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
    return { handlers: handlers as never };
  },
});
