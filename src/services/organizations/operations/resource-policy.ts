/**
 * The organization's resource-based policy (Put/Describe/DeleteResourcePolicy): which principals
 * may call Organizations' read and delegation operations on it. Kept with the organization;
 * tags on it go with the organization's other tags (ResourceId = the policy's id).
 */
import type { OrganizationsHandlers, ResourcePolicy } from '../generated/types.js';
import { PARTITION } from '../../../core/regions.js';
import { constraint, orgError, rid, type OrgRec } from '../state.js';
import { checkTags, mgmtOrg, readOrg, save, type OrgContext } from './context.js';

const MAX_CONTENT = 40_000;
const malformed = () => orgError('MalformedPolicyDocumentException', 'The provided policy document does not meet the requirements of the specified policy type.');

function shape(o: OrgRec): ResourcePolicy {
  const p = o.resourcePolicy!;
  return { Content: p.content, ResourcePolicySummary: { Id: p.id, Arn: `arn:${PARTITION}:organizations::${o.mgmt}:resourcepolicy/${o.id}/${p.id}` } };
}

/** A resource policy names principals and has statements with an Effect and an Action. */
function checkContent(content: string | undefined): string {
  if (!content) throw constraint('INPUT_REQUIRED', 'You must specify a value for Content.');
  if (content.length > MAX_CONTENT) throw orgError('ConstraintViolationException', 'You have exceeded the maximum size allowed for this policy.', 'POLICY_CONTENT_LIMIT_EXCEEDED');
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    throw malformed();
  }
  const d = doc as { Statement?: unknown };
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || d.Statement === undefined) throw malformed();
  const list = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  for (const s of list as Record<string, unknown>[]) {
    if (!s || typeof s !== 'object' || (s.Effect !== 'Allow' && s.Effect !== 'Deny')) throw malformed();
    if (s.Principal === undefined || (s.Action === undefined && s.NotAction === undefined)) throw malformed();
  }
  return content;
}

export function resourcePolicyOperations(c: OrgContext): OrganizationsHandlers {
  return {
    PutResourcePolicy(input, ctx) {
      const o = mgmtOrg(c, ctx);
      const content = checkContent(input.Content);
      const id = o.resourcePolicy?.id ?? `rp-${rid(8)}`;
      const tags = input.Tags ? checkTags(input.Tags, o.tags[id]) : undefined;
      o.resourcePolicy = { id, content };
      if (tags) o.tags[id] = tags;
      save(c, o);
      return { ResourcePolicy: shape(o) };
    },

    DescribeResourcePolicy(_input, ctx) {
      const o = readOrg(c, ctx);
      if (!o.resourcePolicy) throw orgError('ResourcePolicyNotFoundException', "We can't find a resource policy request with the parameter that you specified.");
      return { ResourcePolicy: shape(o) };
    },

    DeleteResourcePolicy(_input, ctx) {
      const o = mgmtOrg(c, ctx);
      if (!o.resourcePolicy) throw orgError('ResourcePolicyNotFoundException', "We can't find a resource policy request with the parameter that you specified.");
      delete o.tags[o.resourcePolicy.id];
      delete o.resourcePolicy;
      save(c, o);
    },
  };
}
