/** AddTagsToResource / RemoveTagsFromResource / ListTagsForResource (parameters). */
import type { Tag } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import type { SsmState } from '../state.js';
import { checkTags, mergeTags, type ParamRecord } from '../domain/model.js';

const RESOURCE_TYPES = ['Document', 'ManagedInstance', 'MaintenanceWindow', 'Parameter', 'PatchBaseline', 'OpsItem', 'OpsMetadata', 'Automation', 'Association'];

function parameterOf(st: SsmState, scope: Scope, type: string, id: string): ParamRecord {
  if (!RESOURCE_TYPES.includes(type)) {
    throw new AwsError('ValidationException', `1 validation error detected: Value '${type}' at 'resourceType' failed to satisfy constraint: Member must satisfy enum value set: [${RESOURCE_TYPES.join(', ')}]`, 400);
  }
  if (type !== 'Parameter') throw new AwsError('NotImplemented', `ssm tags on ${type} resources are not implemented by gureum yet`, 501, { sender: false });
  const p = st.get(scope, id) ?? (id.startsWith('/') ? undefined : st.get(scope, `/${id}`));
  if (!p) throw new AwsError('InvalidResourceId', 'The resource ID is not valid. Verify that you entered the correct ID and try again.', 400);
  return p;
}

export function addTagsToResource(st: SsmState, scope: Scope, type: string, id: string, tags: Tag[]): void {
  checkTags(tags);
  const p = parameterOf(st, scope, type, id);
  const merged = mergeTags(p.tags, tags);
  if (merged.length > 50) throw new AwsError('TooManyTagsError', 'The Tags parameter exceeds the maximum of 50 tags for the resource.', 400);
  p.tags = merged;
  st.save(scope, p);
}

export function removeTagsFromResource(st: SsmState, scope: Scope, type: string, id: string, keys: string[]): void {
  const p = parameterOf(st, scope, type, id);
  p.tags = p.tags.filter((t) => !keys.includes(t.Key!));
  st.save(scope, p);
}

export function listTagsForResource(st: SsmState, scope: Scope, type: string, id: string): { TagList: Tag[] } {
  return { TagList: parameterOf(st, scope, type, id).tags.map((t) => ({ ...t })) };
}
