/**
 * Imports from S3: ImportTable, DescribeImport, ListImports. ImportTable creates the table from
 * TableCreationParameters (CreateTable's rules), reads every object under the S3 key prefix
 * through the S3 service (GZIP or uncompressed; DYNAMODB_JSON lines, ION or CSV), and loads the items;
 * the table stays CREATING and the import IN_PROGRESS until the table delay has passed after
 * loading. Lines that cannot be read are counted in ErrorCount; an unreadable source (no bucket)
 * fails the import and removes the table.
 */
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { AwsError } from '../../../core/errors.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type { Scope, Table } from '../../../state/store.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import { checkItemKeys } from '../domain/keys.js';
import { itemSize, type Item } from '../domain/values.js';
import { csvItem, fromJsonLine, parseCsv } from '../domain/formats.js';
import { ionItems } from '../domain/ion.js';
import { checkEnum, invalid } from './common.js';

const err = (code: string, msg: string) => new AwsError(code, msg, 400);

interface ImportRecord {
  arn: string; table: string; tableArn: string; tableId: string; startedAt: number; doneAt?: number;
  input: Omit<T.ImportTableInput, 'ClientToken'>; token?: string;
  errors: number; processed: number; imported: number; bytes: number; failure?: { code: string; message: string };
}

export function importHandlers(state: DynamoState): T.DynamoDBHandlers {
  const records: Table<ImportRecord> = state.rt.table<ImportRecord>('imports');
  const clock = state.rt.clock;

  function describe(r: ImportRecord): T.ImportTableDescription {
    const now = clock.now();
    const status = r.failure ? 'FAILED' : r.doneAt !== undefined && now >= r.doneAt ? 'COMPLETED' : 'IN_PROGRESS';
    return {
      ImportArn: r.arn, ImportStatus: status, TableArn: r.tableArn, TableId: r.tableId, ...(r.token ? { ClientToken: r.token } : {}),
      S3BucketSource: r.input.S3BucketSource, InputFormat: r.input.InputFormat, InputCompressionType: r.input.InputCompressionType ?? 'NONE',
      ...(r.input.InputFormatOptions ? { InputFormatOptions: r.input.InputFormatOptions } : {}), TableCreationParameters: r.input.TableCreationParameters,
      StartTime: new Date(r.startedAt), ErrorCount: r.errors, CloudWatchLogGroupArn: `arn:aws:logs:${r.tableArn.split(':')[3]}:${r.tableArn.split(':')[4]}:log-group:/aws-dynamodb/imports:*`,
      ...(status !== 'IN_PROGRESS' ? { EndTime: new Date(r.doneAt ?? now), ProcessedItemCount: r.processed, ImportedItemCount: r.imported, ProcessedSizeBytes: r.bytes } : {}),
      ...(r.failure ? { FailureCode: r.failure.code, FailureMessage: r.failure.message } : {}),
    };
  }

  return {
    async ImportTable(input, ctx) {
      checkEnum(input.InputFormat, 'inputFormat', ['DYNAMODB_JSON', 'ION', 'CSV']);
      checkEnum(input.InputCompressionType, 'inputCompressionType', ['GZIP', 'ZSTD', 'NONE']);
      if (input.InputCompressionType === 'ZSTD') throw invalid('gureum reads GZIP and uncompressed imports; ZSTD input is not supported');
      if (input.InputFormatOptions && input.InputFormat !== 'CSV') throw invalid('InputFormatOptions can only be specified for the CSV input format');
      const scope = scopeOf(ctx);
      const { ClientToken: token, ...rest } = input;
      if (token !== undefined) {
        const prior = [...records.values(scope)].find((r) => r.token === token);
        if (prior) {
          if (JSON.stringify(prior.input) !== JSON.stringify(rest)) throw err('IdempotentParameterMismatchException', 'Request parameters do not match the previous request made with the same client token');
          return { ImportTableDescription: describe(prior) };
        }
      }
      const p = input.TableCreationParameters;
      // CreateTable's validation and creation (the table is CREATING while the import runs)
      const created = (await state.rt.call('dynamodb', 'CreateTable', { ...p }, scope)) as T.CreateTableOutput;
      const t = state.get(scope, p.TableName)!;
      const now = clock.now();
      const rec: ImportRecord = {
        arn: `${created.TableDescription!.TableArn}/import/${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`,
        table: p.TableName, tableArn: t.rec.arn, tableId: t.rec.id, startedAt: now, input: rest, ...(token ? { token } : {}),
        errors: 0, processed: 0, imported: 0, bytes: 0,
      };
      records.put(scope, rec.arn, rec);
      const first = describe(rec);
      try {
        const bodies = await readSource(state, scope, input.S3BucketSource, input.InputCompressionType ?? 'NONE');
        const items: Item[] = [];
        for (const text of bodies) {
          const got = input.InputFormat === 'CSV' ? csvItems(text, input.InputFormatOptions?.Csv, t.types) : input.InputFormat === 'ION' ? ionItems(text) : jsonItems(text);
          items.push(...got.items);
          rec.errors += got.errors;
        }
        const done = clock.now() + state.rt.config.dynamodbTableDelayMs;
        for (const item of items) {
          rec.processed++;
          try {
            checkItemKeys(t, item);
          } catch {
            rec.errors++;
            continue;
          }
          state.putItem(scope, t, t.keyOf(item), item);
          rec.imported++;
          rec.bytes += itemSize(item);
        }
        t.rec = { ...t.rec, activeAt: done };
        state.save(scope, t);
        records.put(scope, rec.arn, { ...rec, doneAt: done });
      } catch (e) {
        const code = e instanceof AwsError ? e.code : 'InternalError';
        records.put(scope, rec.arn, { ...rec, doneAt: clock.now(), failure: { code: `S3${code}`, message: (e as Error).message } });
        state.markDeleted(scope, t, clock.now());
      }
      return { ImportTableDescription: first };
    },

    DescribeImport(input, ctx) {
      const r = records.get(scopeOf(ctx), input.ImportArn);
      if (!r) throw err('ImportNotFoundException', `Import not found: ${input.ImportArn}`);
      return { ImportTableDescription: describe(r) };
    },

    ListImports(input, ctx) {
      if (input.PageSize !== undefined && (input.PageSize < 1 || input.PageSize > 25)) {
        throw invalid(`1 validation error detected: Value '${input.PageSize}' at 'pageSize' failed to satisfy constraint: Member must have value ${input.PageSize < 1 ? 'greater than or equal to 1' : 'less than or equal to 25'}`);
      }
      const all = [...records.values(scopeOf(ctx))].filter((r) => input.TableArn === undefined || r.tableArn === input.TableArn).sort((a, b) => a.startedAt - b.startedAt || (a.arn < b.arn ? -1 : 1));
      const start = input.NextToken ? Math.max(0, all.findIndex((r) => r.arn === Buffer.from(input.NextToken!, 'base64url').toString()) + 1) : 0;
      const size = input.PageSize ?? 25;
      const page = all.slice(start, start + size);
      return {
        ImportSummaryList: page.map((r) => {
          const d = describe(r);
          return { ImportArn: r.arn, ImportStatus: d.ImportStatus, TableArn: r.tableArn, S3BucketSource: r.input.S3BucketSource, InputFormat: r.input.InputFormat, StartTime: d.StartTime, ...(d.EndTime ? { EndTime: d.EndTime } : {}), CloudWatchLogGroupArn: d.CloudWatchLogGroupArn };
        }),
        ...(start + size < all.length ? { NextToken: Buffer.from(page[page.length - 1]!.arn).toString('base64url') } : {}),
      };
    },
  };
}

/** The text of every object under the source prefix (in key order), decompressed. */
async function readSource(state: DynamoState, scope: Scope, src: T.S3BucketSource, compression: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = (await state.rt.call('s3', 'ListObjectsV2', { Bucket: src.S3Bucket, ...(src.S3KeyPrefix ? { Prefix: src.S3KeyPrefix } : {}), ...(token ? { ContinuationToken: token } : {}) }, scope)) as { Contents?: { Key: string; Size?: number }[]; NextContinuationToken?: string };
    for (const o of page.Contents ?? []) if (!o.Key.endsWith('/')) keys.push(o.Key);
    token = page.NextContinuationToken;
  } while (token);
  const out: string[] = [];
  for (const Key of keys) {
    const obj = (await state.rt.call('s3', 'GetObject', { Bucket: src.S3Bucket, Key }, scope)) as { Body?: Buffer | Readable };
    let body = await bytesOf(obj.Body);
    if (compression === 'GZIP') body = gunzipSync(body);
    out.push(body.toString('utf8'));
  }
  return out;
}

async function bytesOf(body: Buffer | Readable | undefined): Promise<Buffer> {
  if (!body) return Buffer.alloc(0);
  if (Buffer.isBuffer(body) || body instanceof Uint8Array) return Buffer.from(body);
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Buffer));
  return Buffer.concat(chunks);
}

function jsonItems(text: string): { items: Item[]; errors: number } {
  const items: Item[] = [];
  let errors = 0;
  for (const l of text.split('\n')) {
    if (!l.trim()) continue;
    try {
      items.push(fromJsonLine(l));
    } catch {
      errors++;
    }
  }
  return { items, errors };
}

function csvItems(text: string, opts: T.CsvOptions | undefined, types: Record<string, string>): { items: Item[]; errors: number } {
  const rows = parseCsv(text, opts?.Delimiter ?? ',');
  const header = opts?.HeaderList ?? rows.shift() ?? [];
  const items: Item[] = [];
  let errors = 0;
  for (const row of rows) {
    try {
      items.push(csvItem(header, row, types));
    } catch {
      errors++;
    }
  }
  return { items, errors };
}
