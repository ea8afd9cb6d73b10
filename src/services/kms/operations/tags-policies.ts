/** Tags (TagResource, UntagResource, ListResourceTags) and key policies (stored and validated, not enforced). */
import type { Scope } from '../../../state/store.js';
import type { GetKeyPolicyResponse, ListKeyPoliciesRequest, ListKeyPoliciesResponse, ListResourceTagsRequest, ListResourceTagsResponse, PutKeyPolicyRequest, Tag } from '../generated/types.js';
import { checkRange } from '../domain/errors.js';
import { arnOf, type KeyRecord } from '../domain/model.js';
import { byKey, page } from '../domain/paging.js';
import { checkPolicy, checkPolicyName, checkTags, mergeTags } from '../domain/policy.js';
import { checkManageable, type KmsState } from '../state.js';

function taggable(s: KmsState, scope: Scope, keyId: string): KeyRecord {
  const k = s.resolve(scope, keyId);
  checkManageable(k);
  return k;
}

export function tagResource(s: KmsState, scope: Scope, keyId: string, tags: Tag[]): void {
  checkTags(tags);
  const k = taggable(s, scope, keyId);
  k.Tags = mergeTags(k.Tags, tags);
  s.save(k);
}

export function untagResource(s: KmsState, scope: Scope, keyId: string, keys: string[]): void {
  const k = taggable(s, scope, keyId);
  const drop = new Set(keys);
  k.Tags = k.Tags.filter((t) => !drop.has(t.TagKey));
  s.save(k);
}

export function listResourceTags(s: KmsState, scope: Scope, input: ListResourceTagsRequest): ListResourceTagsResponse {
  const k = s.resolve(scope, input.KeyId);
  const sorted = [...k.Tags].sort(byKey((t) => t.TagKey));
  const p = page(sorted, (t) => t.TagKey, input.Limit, input.Marker, 50, 50);
  return { Tags: p.items, NextMarker: p.NextMarker, Truncated: p.Truncated };
}

export function getKeyPolicy(s: KmsState, scope: Scope, keyId: string, policyName: string | undefined): GetKeyPolicyResponse {
  checkPolicyName(policyName);
  const k = s.resolve(scope, keyId);
  return { Policy: k.Policy, PolicyName: 'default' };
}

export function putKeyPolicy(s: KmsState, scope: Scope, input: PutKeyPolicyRequest): void {
  checkPolicyName(input.PolicyName);
  checkPolicy(input.Policy);
  const k = s.resolve(scope, input.KeyId);
  checkManageable(k);
  k.Policy = input.Policy;
  s.save(k);
}

export function listKeyPolicies(s: KmsState, scope: Scope, input: ListKeyPoliciesRequest): ListKeyPoliciesResponse {
  checkRange(input.Limit, 'limit', 1, 1000);
  s.resolve(scope, input.KeyId);
  return { PolicyNames: ['default'], Truncated: false };
}
