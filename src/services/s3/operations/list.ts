/**
 * ListObjectsV2 and ListObjects over the bucket's sorted key index: binary search to the
 * first key, then a walk that rolls keys up into CommonPrefixes (skipping each rolled-up
 * run with one more search), so a page costs O(log n + page).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { S3Handlers, Object_ as S3Object, ObjectVersion, DeleteMarkerEntry } from '../generated/types.js';
import { versionIdOf, type Bucket, type ObjectRecord, type S3State } from '../state.js';
import { compareKeys, type SortedKeys } from '../domain/keys.js';
import { accessDenied, invalidArgument } from '../domain/errors.js';
import { canonicalUserId } from '../domain/buckets.js';

type Handlers = Pick<Required<S3Handlers>, 'ListObjectsV2' | 'ListObjects' | 'ListObjectVersions'>;

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
        ChecksumType: o.checksum.type ?? 'FULL_OBJECT',
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

    ListObjectVersions(input, ctx) {
      const { b, max, enc } = common(state, ctx, input);
      const prefix = input.Prefix ?? '';
      const delimiter = input.Delimiter || undefined;
      const km = input.KeyMarker || undefined;
      const vm = km !== undefined ? input.VersionIdMarker || undefined : undefined;
      if (input.VersionIdMarker && !km) throw invalidArgument('A version-id marker cannot be specified without a key marker.', 'version-id-marker', input.VersionIdMarker);
      const a = state.keys(b), v = state.versionKeys(b);
      const start = km !== undefined && compareKeys(km, prefix) > 0 ? km : prefix;
      let ia = a.lowerBound(start), iv = v.lowerBound(start);
      const versions: ObjectVersion[] = [];
      const markers: DeleteMarkerEntry[] = [];
      const prefixes: string[] = [];
      const owner = { ID: canonicalUserId(b.record.account), DisplayName: 'webfile' };
      let count = 0, truncated = false;
      let nextKey: string | undefined, nextVersion: string | undefined;
      if (km !== undefined && delimiter) {
        const cp = commonPrefix(km, prefix, delimiter);
        if (cp) { ia = Math.max(ia, a.afterPrefix(cp)); iv = Math.max(iv, v.afterPrefix(cp)); }
      }
      outer: while (ia < a.size || iv < v.size) {
        const ka = a.at(ia), kv = v.at(iv);
        const key = ka === undefined ? kv! : kv === undefined ? ka : compareKeys(ka, kv) <= 0 ? ka : kv;
        if (!key.startsWith(prefix)) break;
        const cp = commonPrefix(key, prefix, delimiter);
        if (cp) {
          if (count >= max) { truncated = true; break; }
          prefixes.push(cp);
          count++;
          nextKey = cp; nextVersion = undefined;
          ia = Math.max(ia, a.afterPrefix(cp)); iv = Math.max(iv, v.afterPrefix(cp));
          continue;
        }
        if (ka === key) ia++;
        if (kv === key) iv++;
        const cur = state.getObject(b, key);
        const all: ObjectRecord[] = cur ? [cur, ...state.versionsOf(b, key)] : state.versionsOf(b, key);
        let i = 0;
        if (key === km) {
          if (vm === undefined) continue;
          const at = all.findIndex((x) => versionIdOf(x) === vm);
          if (at < 0) continue;
          i = at + 1;
        }
        for (; i < all.length; i++) {
          if (count >= max) { truncated = true; break outer; }
          const x = all[i]!;
          const base = { Key: enc(key), VersionId: versionIdOf(x), IsLatest: i === 0, LastModified: new Date(x.lastModified), Owner: owner };
          if (x.deleteMarker) markers.push(base);
          else versions.push({ ...base, ETag: x.etag, Size: x.size, StorageClass: x.storageClass, ChecksumAlgorithm: [x.checksum.algorithm], ChecksumType: x.checksum.type ?? 'FULL_OBJECT' });
          count++;
          nextKey = key; nextVersion = versionIdOf(x);
        }
      }
      return {
        Name: b.record.name,
        Prefix: enc(prefix),
        KeyMarker: enc(km ?? ''),
        VersionIdMarker: vm ?? '',
        ...(truncated && nextKey !== undefined ? { NextKeyMarker: enc(nextKey), ...(nextVersion !== undefined ? { NextVersionIdMarker: nextVersion } : {}) } : {}),
        MaxKeys: input.MaxKeys ?? 1000,
        ...(delimiter ? { Delimiter: enc(delimiter) } : {}),
        ...(input.EncodingType ? { EncodingType: input.EncodingType } : {}),
        IsTruncated: truncated,
        Versions: versions,
        DeleteMarkers: markers,
        CommonPrefixes: prefixes.map((p) => ({ Prefix: enc(p) })),
      };
    },
  };
}
