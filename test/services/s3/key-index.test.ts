// covers: s3.ListObjectsV2 s3.ListObjects s3.PutObject s3.DeleteObjects s3.CreateBucket
/**
 * The key index behind listings (chunked, so inserts stay cheap at a million keys) must keep
 * S3's UTF-8 binary order through thousands of random inserts and deletes — chunks splitting and
 * emptying, astral and U+E000+ keys arriving late — for every page, prefix and delimiter.
 */
import { describe, it, expect, beforeAll } from 'vitest';
import { S3Client, CreateBucketCommand, PutObjectCommand, DeleteObjectsCommand, ListObjectsV2Command, ListObjectsCommand } from '@aws-sdk/client-s3';
import { useGureum, clientConfig } from '../../helpers.js';

const h = useGureum();
let s3: S3Client;
const Bucket = 'key-index';
const utf8Sort = (keys: Iterable<string>) => [...keys].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));

/** A deterministic pseudo-random sequence (the test must fail the same way twice). */
function rng(seed: number): () => number {
  let x = seed;
  return () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) / 2 ** 32);
}

async function putAll(keys: string[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 64) await Promise.all(keys.slice(i, i + 64).map((Key) => s3.send(new PutObjectCommand({ Bucket, Key, Body: '' }))));
}

async function listAll(Prefix: string, Delimiter: string | undefined, MaxKeys: number): Promise<string[]> {
  const out: string[] = [];
  let ContinuationToken: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix, Delimiter, MaxKeys, ContinuationToken }));
    const keys = (page.Contents ?? []).map((o) => o.Key!);
    const prefixes = (page.CommonPrefixes ?? []).map((p) => p.Prefix!);
    // each list in order; a page's keys and prefixes together are the next run of the listing
    expect(keys).toEqual(utf8Sort(keys));
    expect(prefixes).toEqual(utf8Sort(prefixes));
    out.push(...utf8Sort([...keys, ...prefixes]));
    ContinuationToken = page.NextContinuationToken;
  } while (ContinuationToken);
  return out;
}

/** What S3 answers for (prefix, delimiter) over `keys`, keys and common prefixes in one order. */
function expected(keys: Set<string>, prefix: string, delimiter: string | undefined): string[] {
  const out = new Set<string>();
  for (const k of utf8Sort(keys)) {
    if (!k.startsWith(prefix)) continue;
    const d = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    out.add(d < 0 ? k : k.slice(0, d + delimiter!.length));
  }
  return [...out];
}

beforeAll(async () => {
  s3 = new S3Client(clientConfig(h.g, { forcePathStyle: true }));
  await s3.send(new CreateBucketCommand({ Bucket }));
});

describe('listing order through random inserts and deletes', () => {
  it('stays UTF-8 binary order across chunk splits, removals and late wide keys', async () => {
    const r = rng(42);
    const alphabet = ['a', 'b', 'z', '/', '-', '0', '9', 'é', '日', '\uE000', '\uFFFD', '😀', '𝄞'];
    const pick = (n: number, wide: boolean) => Array.from({ length: n }, () => alphabet[Math.floor(r() * (wide ? alphabet.length : 7))]!).join('');
    const keys = new Set<string>();
    // 3,000 ASCII keys first (the index compares natively), then wide ones (it switches)
    while (keys.size < 3000) keys.add(`${pick(2, false)}/${pick(6, false)}`);
    await putAll(utf8Sort(keys).sort(() => r() - 0.5));
    const gone = [...keys].filter(() => r() < 0.4);
    for (let i = 0; i < gone.length; i += 1000) {
      await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: gone.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
    }
    gone.forEach((k) => keys.delete(k));
    const wide = new Set<string>();
    while (wide.size < 400) wide.add(`${pick(2, true)}/${pick(4, true)}`);
    await putAll([...wide]);
    wide.forEach((k) => keys.add(k));

    for (const [prefix, delimiter, max] of [['', undefined, 1000], ['', undefined, 333], ['', '/', 100], ['a', undefined, 97], ['z/', '-', 50], ['😀', '/', 7], ['\uE000', undefined, 1000]] as const) {
      expect(await listAll(prefix, delimiter, max), `${prefix} ${delimiter} ${max}`).toEqual(expected(keys, prefix, delimiter));
    }
    // v1 listings and StartAfter walk the same index
    const v1 = await s3.send(new ListObjectsCommand({ Bucket, MaxKeys: 1000 }));
    expect(v1.Contents!.map((o) => o.Key)).toEqual(utf8Sort(keys).slice(0, 1000));
    const sorted = utf8Sort(keys);
    const after = sorted[1234]!;
    const page = await s3.send(new ListObjectsV2Command({ Bucket, StartAfter: after, MaxKeys: 10 }));
    expect(page.Contents!.map((o) => o.Key)).toEqual(sorted.slice(1235, 1245));
  }, 120_000);
});
