// covers: s3.ListObjectsV2 s3.ListObjects s3.PutObject s3.CreateBucket
import { describe, it, expect, beforeAll } from 'vitest';
import { S3Client, CreateBucketCommand, PutObjectCommand, ListObjectsV2Command, ListObjectsCommand, DeleteObjectCommand, type ListObjectsV2CommandOutput } from '@aws-sdk/client-s3';
import { useGureum, clientConfig } from '../helpers.js';

const h = useGureum();
const s3 = () => new S3Client(clientConfig(h.g, { forcePathStyle: true }));
const bucket = 'list-bucket';

/** UTF-8 byte order, the order S3 lists keys in. */
const utf8Sort = (keys: string[]) => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

// Mixed keys: ASCII order differs from locale order; BMP chars above U+E000 and astral chars
// (surrogate pairs) order differently in UTF-16 and UTF-8.
const KEYS = [
  'a', 'B', 'a/b', 'a/b/c', 'a/c', 'a+b', 'a b', 'a-b', 'a.b', 'a_b', 'aa',
  'photos/2024/jan.jpg', 'photos/2024/feb.jpg', 'photos/2025/mar.jpg', 'photos/index.html',
  'z', 'é', 'ﬁ-ligature', '😀-emoji', '\uFFFDreplacement', '日本', 'ü/x',
];

beforeAll(async () => {
  const c = s3();
  await c.send(new CreateBucketCommand({ Bucket: bucket }));
  await Promise.all(KEYS.map((Key) => c.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }))));
});

async function listAll(input: Record<string, unknown>): Promise<ListObjectsV2CommandOutput[]> {
  const c = s3();
  const pages: ListObjectsV2CommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await c.send(new ListObjectsV2Command({ Bucket: bucket, ...input, ContinuationToken: token }));
    pages.push(page);
    token = page.NextContinuationToken;
  } while (token);
  return pages;
}

describe('ListObjectsV2', () => {
  it('lists every key in UTF-8 binary order with sizes and ETags', async () => {
    const r = await s3().send(new ListObjectsV2Command({ Bucket: bucket }));
    expect(r.Contents!.map((o) => o.Key)).toEqual(utf8Sort(KEYS));
    expect(r.KeyCount).toBe(KEYS.length);
    expect(r.IsTruncated).toBe(false);
    expect(r.Name).toBe(bucket);
    expect(r.MaxKeys).toBe(1000);
    const first = r.Contents![0]!;
    expect(first.Size).toBe(Buffer.byteLength(first.Key!));
    expect(first.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.StorageClass).toBe('STANDARD');
    expect(first.Owner).toBeUndefined();
  });

  it('pages with max-keys and continuation tokens without gaps or repeats', async () => {
    const pages = await listAll({ MaxKeys: 3 });
    expect(pages.length).toBe(Math.ceil(KEYS.length / 3));
    expect(pages.flatMap((p) => p.Contents!.map((o) => o.Key))).toEqual(utf8Sort(KEYS));
    for (const p of pages.slice(0, -1)) {
      expect(p.IsTruncated).toBe(true);
      expect(p.KeyCount).toBe(3);
    }
    expect(pages.at(-1)!.IsTruncated).toBe(false);
    expect(pages[1]!.ContinuationToken).toBe(pages[0]!.NextContinuationToken);
  });

  it('rolls keys up into CommonPrefixes with a delimiter, across pages', async () => {
    const r = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    expect(r.CommonPrefixes!.map((p) => p.Prefix)).toEqual(utf8Sort(['a/', 'photos/', 'ü/']));
    expect(r.Contents!.map((o) => o.Key)).not.toContain('a/b');
    expect(r.KeyCount).toBe(r.Contents!.length + r.CommonPrefixes!.length);
    expect(r.Delimiter).toBe('/');

    const nested = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'photos/', Delimiter: '/' }));
    expect(nested.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['photos/2024/', 'photos/2025/']);
    expect(nested.Contents!.map((o) => o.Key)).toEqual(['photos/index.html']);
    expect(nested.Prefix).toBe('photos/');

    // one item per page: every prefix appears exactly once
    const pages = await listAll({ Delimiter: '/', MaxKeys: 1 });
    const items = pages.flatMap((p) => [...(p.Contents ?? []).map((o) => o.Key!), ...(p.CommonPrefixes ?? []).map((c) => c.Prefix!)]);
    expect(items).toEqual(utf8Sort(items));
    expect(new Set(items).size).toBe(items.length);
    expect(items.filter((i) => i.endsWith('/'))).toEqual(utf8Sort(['a/', 'photos/', 'ü/']));
  });

  it('filters by prefix and starts after start-after', async () => {
    const r = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/' }));
    expect(r.Contents!.map((o) => o.Key)).toEqual(['a/b', 'a/b/c', 'a/c']);
    const after = await s3().send(new ListObjectsV2Command({ Bucket: bucket, StartAfter: 'photos/2025/mar.jpg' }));
    expect(after.Contents!.map((o) => o.Key)).toEqual(utf8Sort(KEYS).filter((k) => Buffer.compare(Buffer.from(k), Buffer.from('photos/2025/mar.jpg')) > 0));
    expect(after.StartAfter).toBe('photos/2025/mar.jpg');
    const none = await s3().send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'nothing-here' }));
    expect(none.Contents).toBeUndefined();
    expect(none.KeyCount).toBe(0);
  });

  it('url-encodes keys and prefixes with encoding-type=url', async () => {
    const r = await s3().send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url', Prefix: 'a', Delimiter: '/' }));
    const keys = r.Contents!.map((o) => o.Key);
    expect(keys).toContain('a+b'); // "a b"
    expect(keys).toContain('a%2Bb'); // "a+b"
    expect(r.CommonPrefixes!.map((p) => p.Prefix)).toEqual(['a/']);
    const u = await s3().send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'url', Prefix: 'ü' }));
    expect(u.Contents!.map((o) => o.Key)).toEqual(['%C3%BC/x']);
    expect(u.EncodingType).toBe('url');
  });

  it('returns owners with fetch-owner, nothing with max-keys=0, errors for bad arguments', async () => {
    const c = s3();
    const owned = await c.send(new ListObjectsV2Command({ Bucket: bucket, FetchOwner: true, MaxKeys: 1 }));
    expect(owned.Contents![0]!.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    const zero = await c.send(new ListObjectsV2Command({ Bucket: bucket, MaxKeys: 0 }));
    expect(zero.KeyCount).toBe(0);
    expect(zero.IsTruncated).toBe(false);
    await expect(c.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: 'garbage' }))).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(c.send(new ListObjectsV2Command({ Bucket: bucket, EncodingType: 'base64' as never }))).rejects.toMatchObject({ name: 'InvalidArgument' });
    await expect(c.send(new ListObjectsV2Command({ Bucket: 'missing-list-bucket' }))).rejects.toMatchObject({ name: 'NoSuchBucket' });
  });

  it('sees deletes and new keys in the index', async () => {
    const c = s3();
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b0', Body: 'x' }));
    await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a/c' }));
    const r = await c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'a/' }));
    expect(r.Contents!.map((o) => o.Key)).toEqual(['a/b', 'a/b/c', 'a/b0']);
    await c.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/c', Body: 'a/c' }));
    await c.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'a/b0' }));
  });
});

describe('ListObjects (v1)', () => {
  it('pages with Marker and NextMarker', async () => {
    const c = s3();
    const first = await c.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 5 }));
    expect(first.IsTruncated).toBe(true);
    expect(first.Contents!.map((o) => o.Key)).toEqual(utf8Sort(KEYS).slice(0, 5));
    expect(first.NextMarker).toBeUndefined(); // only with a delimiter
    const next = await c.send(new ListObjectsCommand({ Bucket: bucket, MaxKeys: 5, Marker: first.Contents!.at(-1)!.Key }));
    expect(next.Contents!.map((o) => o.Key)).toEqual(utf8Sort(KEYS).slice(5, 10));
    const delim = await c.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', MaxKeys: 2 }));
    expect(delim.NextMarker).toBeDefined();
    const rest = await c.send(new ListObjectsCommand({ Bucket: bucket, Delimiter: '/', Marker: delim.NextMarker }));
    const seen = [...(delim.Contents ?? []).map((o) => o.Key), ...(delim.CommonPrefixes ?? []).map((p) => p.Prefix), ...(rest.Contents ?? []).map((o) => o.Key), ...(rest.CommonPrefixes ?? []).map((p) => p.Prefix)];
    expect(new Set(seen).size).toBe(seen.length);
  });
});
