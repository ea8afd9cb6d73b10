/**
 * ListObjectsV2 and ListObjects over the bucket's sorted key index: binary search to the
 * first key, then a walk that rolls keys up into CommonPrefixes (skipping each rolled-up
 * run with one more search), so a page costs O(log n + page).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { S3Handlers, Object_ as S3Object } from '../generated/types.js';
import type { Bucket, S3State } from '../state.js';
import type { SortedKeys } from '../domain/keys.js';
import { accessDenied, invalidArgument } from '../domain/errors.js';
import { canonicalUserId } from '../domain/buckets.js';

type Handlers = Pick<Required<S3Handlers>, 'ListObjectsV2' | 'ListObjects'>;

interface Page { keys: string[]; prefixes: string[]; truncated: boolean; last?: string }

/** The rolled-up prefix of `key` ("photos/2024/" for delimiter "/"), if it has one. */
function commonPrefix(key: string, prefix: string, delimiter: string | undefined): string | undefined {
  if (!delimiter || !key.startsWith(prefix)) return undefined;
  const d = key.indexOf(delimiter, prefix.length);
  return d < 0 ? undefined : key.slice(0, d + delimiter.length);
}

/**
 * One page, starting after `after`: a key or common prefix returned before (a continuation
 * token, a v1 Marker), whose rolled-up run is skipped too; or, with `literal`, S3's V2
 * StartAfter, which starts at the next key whatever it rolls up into.
 */
function listPage(index: SortedKeys, prefix: string, delimiter: string | undefined, max: number, after: string | undefined, literal = false): Page {
  const page: Page = { keys: [], prefixes: [], truncated: false };
  if (max <= 0) return page;
  let i = index.lowerBound(prefix);
  if (after !== undefined) {
    i = Math.max(i, index.upperBound(after));
    const cp = literal ? undefined : commonPrefix(after, prefix, delimiter);
    if (cp) i = Math.max(i, index.afterPrefix(cp));
  }
  while (i < index.size) {
    const key = index.at(i)!;
    if (!key.startsWith(prefix)) break;
    if (page.keys.length + page.prefixes.length === max) {
      page.truncated = true;
      break;
    }
    const cp = commonPrefix(key, prefix, delimiter);
    if (cp) {
      page.prefixes.push(cp);
      page.last = cp;
      i = index.afterPrefix(cp);
    } else {
      page.keys.push(key);
      page.last = key;
      i++;
    }
  }
  return page;
}

/** S3's encoding-type=url: percent-encoding with '+' for space and '/' kept (as AWS answers). */
const urlEncode = (s: string) => encodeURIComponent(s).replace(/%20/g, '+').replace(/%2F/g, '/');

const TOKEN_TAG = 'gureum1:';
const token = {
  encode: (item: string) => Buffer.from(TOKEN_TAG + item, 'utf8').toString('base64'),
  decode(t: string): string {
    const s = Buffer.from(t, 'base64').toString('utf8');
    if (!s.startsWith(TOKEN_TAG)) throw invalidArgument('The continuation token provided is incorrect', 'continuation-token', t);
    return s.slice(TOKEN_TAG.length);
  },
};

function common(state: S3State, ctx: RequestContext, input: { Bucket: string; MaxKeys?: number; EncodingType?: string; ExpectedBucketOwner?: string }): { b: Bucket; max: number; enc: (s: string) => string } {
  const b = state.bucket(ctx, input.Bucket);
  if (input.ExpectedBucketOwner !== undefined && input.ExpectedBucketOwner !== b.record.account) throw accessDenied();
  if (input.EncodingType !== undefined && input.EncodingType !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', input.EncodingType);
  const max = input.MaxKeys ?? 1000;
  if (!Number.isInteger(max) || max < 0 || max > 2147483647) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', String(input.MaxKeys));
  return { b, max: Math.min(max, 1000), enc: input.EncodingType === 'url' ? urlEncode : (s) => s };
}

export function listHandlers(state: S3State): Handlers {
  const contents = (b: Bucket, keys: string[], enc: (s: string) => string, withOwner: boolean): S3Object[] =>
    keys.map((k) => {
      const o = state.getObject(b, k)!;
      return {
        Key: enc(k),
        LastModified: new Date(o.lastModified),
        ETag: o.etag,
        ChecksumAlgorithm: [o.checksum.algorithm],
        ChecksumType: 'FULL_OBJECT',
        Size: o.size,
        StorageClass: o.storageClass,
        ...(withOwner ? { Owner: { ID: canonicalUserId(b.record.account) } } : {}),
      };
    });

  return {
    ListObjectsV2(input, ctx) {
      const { b, max, enc } = common(state, ctx, input);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      // A continuation token wins over StartAfter.
      const page = input.ContinuationToken !== undefined
        ? listPage(state.keys(b), prefix, delimiter, max, token.decode(input.ContinuationToken))
        : listPage(state.keys(b), prefix, delimiter, max, input.StartAfter || undefined, true);
      return {
        Name: b.record.name,
        Prefix: enc(prefix),
        ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
        MaxKeys: input.MaxKeys ?? 1000,
        ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        KeyCount: page.keys.length + page.prefixes.length,
        IsTruncated: page.truncated,
        ...(input.ContinuationToken !== undefined ? { ContinuationToken: input.ContinuationToken } : {}),
        ...(page.truncated && page.last !== undefined ? { NextContinuationToken: token.encode(page.last) } : {}),
        ...(input.StartAfter ? { StartAfter: enc(input.StartAfter) } : {}),
        Contents: contents(b, page.keys, enc, input.FetchOwner === true),
        CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
      };
    },

    ListObjects(input, ctx) {
      const { b, max, enc } = common(state, ctx, input);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const page = listPage(state.keys(b), prefix, delimiter, max, input.Marker || undefined);
      return {
        Name: b.record.name,
        Prefix: enc(prefix),
        Marker: enc(input.Marker ?? ''),
        ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
        MaxKeys: input.MaxKeys ?? 1000,
        ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        IsTruncated: page.truncated,
        // NextMarker only with a delimiter; without one, clients continue from the last key.
        ...(page.truncated && delimiter && page.last !== undefined ? { NextMarker: enc(page.last) } : {}),
        Contents: contents(b, page.keys, enc, true),
        CommonPrefixes: page.prefixes.map((p) => ({ Prefix: enc(p) })),
      };
    },
  };
}
