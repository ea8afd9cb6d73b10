/** Tag/Untag/List…Tags for every taggable IAM kind: one implementation (keys case-insensitive). */
import type { RequestContext } from '../../../gateway/context.js';
import { Constraints, checkDuplicateTagKeys, checkPaging, checkTags, dropTags, mergeTags, pageInOrder } from './common.js';
import type { Tag } from '../state.js';

export interface Taggable { tags: Tag[] }
export function tagOps<K extends string, E extends Taggable>(title: string, idMember: K, find: (ctx: RequestContext, id: string) => E, save: (ctx: RequestContext, e: E) => void, check: (c: Constraints, v: string) => Constraints) {
  return {
    [`Tag${title}`]: (input: Record<K, string> & { Tags: Tag[] }, ctx: RequestContext) => {
      checkTags(check(new Constraints(), input[idMember]), input.Tags).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      const e = find(ctx, input[idMember]);
      e.tags = mergeTags(e.tags, input.Tags, title);
      save(ctx, e);
    },
    [`Untag${title}`]: (input: Record<K, string> & { TagKeys: string[] }, ctx: RequestContext) => {
      check(new Constraints(), input[idMember]).count('tagKeys', input.TagKeys, 50).throwIfAny();
      const e = find(ctx, input[idMember]);
      e.tags = dropTags(e.tags, input.TagKeys);
      save(ctx, e);
    },
    [`List${title}Tags`]: (input: Record<K, string> & { Marker?: string; MaxItems?: number }, ctx: RequestContext) => {
      checkPaging(check(new Constraints(), input[idMember]), input).throwIfAny();
      const pg = pageInOrder(find(ctx, input[idMember]).tags, input);
      return { Tags: pg.items.map((x) => ({ Key: x.Key, Value: x.Value })), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },
  };
}
