/**
 * Exports to S3: ExportTableToPointInTime, DescribeExport, ListExports. A full export writes the
 * table as it was at ExportTime (point-in-time recovery must be on); an incremental export writes
 * each item changed between ExportFromTime and ExportToTime with its keys and new (and old) image.
 * Files follow AWS's layout — `<prefix>/AWSDynamoDB/<export id>/manifest-summary.json`,
 * `manifest-files.json`, their `.md5`, and `data/<name>.json.gz` (DYNAMODB_JSON) or `.ion.gz`
 * (ION) — written through the S3 service. The export answers IN_PROGRESS and is COMPLETED after the
 * table delay (FAILED, with S3's error, when the objects cannot be written).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { AwsError } from '../../../core/errors.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type { Scope, Table } from '../../../state/store.js';
import type * as T from '../generated/types.js';
import type { DynamoState } from '../state.js';
import type { TableData } from '../domain/table.js';
import { itemSize, type Item } from '../domain/values.js';
import { DAY_MS } from '../domain/backups.js';
import { evaluate, ExprContext, parseCondition, parseProjection, project, type Condition, type Path } from '../domain/expressions/index.js';
import { toIonLine, toJsonItem } from '../domain/formats.js';
import { checkEnum, invalid } from './common.js';

const err = (code: string, msg: string) => new AwsError(code, msg, 400);

interface ExportRecord {
  arn: string; id: string; table: string; tableArn: string; tableId: string;
  startedAt: number; doneAt: number; exportTime: number; format: string; type: string;
  incremental?: { from: number; to: number; view: string };
  bucket: string; owner?: string; prefix?: string; sse?: string; kms?: string; token?: string;
  written: boolean; itemCount?: number; bytes?: number; manifest?: string; failure?: { code: string; message: string };
}

export function exportHandlers(state: DynamoState): T.DynamoDBHandlers {
  const records: Table<ExportRecord> = state.rt.table<ExportRecord>('exports');
  const clock = state.rt.clock;

  function describe(e: ExportRecord): T.ExportDescription {
    const now = clock.now();
    const status = e.failure ? 'FAILED' : e.written && now >= e.doneAt ? 'COMPLETED' : 'IN_PROGRESS';
    return {
      ExportArn: e.arn, ExportStatus: status, StartTime: new Date(e.startedAt), TableArn: e.tableArn, TableId: e.tableId,
      ExportTime: new Date(e.exportTime), S3Bucket: e.bucket, ...(e.owner ? { S3BucketOwner: e.owner } : {}), ...(e.prefix ? { S3Prefix: e.prefix } : {}),
      S3SseAlgorithm: e.sse ?? 'AES256', ...(e.kms ? { S3SseKmsKeyId: e.kms } : {}), ExportFormat: e.format, ExportType: e.type,
      ...(e.token ? { ClientToken: e.token } : {}),
      ...(e.incremental ? { IncrementalExportSpecification: { ExportFromTime: new Date(e.incremental.from), ExportToTime: new Date(e.incremental.to), ExportViewType: e.incremental.view } } : {}),
      ...(status === 'COMPLETED' ? { EndTime: new Date(e.doneAt), ItemCount: e.itemCount, BilledSizeBytes: e.bytes, ExportManifest: e.manifest } : {}),
      ...(e.failure ? { EndTime: new Date(e.doneAt), FailureCode: e.failure.code, FailureMessage: e.failure.message } : {}),
    };
  }

  function exportOf(ctx: RequestContext, arn: string): ExportRecord {
    const e = records.get(scopeOf(ctx), arn);
    if (!e) throw err('ExportNotFoundException', `Export not found: ${arn}`);
    return e;
  }

  return {
    async ExportTableToPointInTime(input, ctx) {
      checkEnum(input.ExportFormat, 'exportFormat', ['DYNAMODB_JSON', 'ION']);
      checkEnum(input.ExportType, 'exportType', ['FULL_EXPORT', 'INCREMENTAL_EXPORT']);
      checkEnum(input.S3SseAlgorithm, 's3SseAlgorithm', ['AES256', 'KMS']);
      const scope = scopeOf(ctx);
      if (input.ClientToken !== undefined) {
        const prior = [...records.values(scope)].find((e) => e.token === input.ClientToken && e.tableArn === input.TableArn);
        if (prior) return { ExportDescription: describe(prior) };
      }
      const m = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(input.TableArn);
      const t = m && m[1] === scope.region && m[2] === scope.account ? state.get(scope, m[3]!) : undefined;
      if (!t || t.rec.deletedAt !== undefined) throw err('TableNotFoundException', `Table not found: ${m?.[3] ?? input.TableArn}`);
      const p = t.rec.pitr;
      if (!p) throw err('PointInTimeRecoveryUnavailableException', `Point in time recovery is not enabled for table '${t.rec.name}'`);
      const now = clock.now();
      const earliest = Math.max(p.enabledAt, now - p.days * DAY_MS);
      const inWindow = (ms: number) => ms >= earliest - 999 && ms <= now;
      const type = input.ExportType ?? 'FULL_EXPORT';
      const exportTime = input.ExportTime?.getTime() ?? now;
      if (!inWindow(exportTime)) throw err('InvalidExportTimeException', 'Export time must be within the point in time recovery window of the table');
      let incremental: ExportRecord['incremental'];
      if (type === 'INCREMENTAL_EXPORT') {
        const spec = input.IncrementalExportSpecification;
        const from = spec?.ExportFromTime?.getTime(), to = spec?.ExportToTime?.getTime();
        if (from === undefined || to === undefined) throw invalid('IncrementalExportSpecification with ExportFromTime and ExportToTime is required for INCREMENTAL_EXPORT');
        checkEnum(spec!.ExportViewType, 'incrementalExportSpecification.exportViewType', ['NEW_IMAGE', 'NEW_AND_OLD_IMAGES']);
        if (to <= from) throw invalid('ExportFromTime must be before ExportToTime');
        if (to - from < 15 * 60_000 || to - from > DAY_MS) throw invalid('The export period must be between 15 minutes and 24 hours');
        if (!inWindow(from) || !inWindow(to)) throw err('InvalidExportTimeException', 'Export time must be within the point in time recovery window of the table');
        incremental = { from, to, view: spec!.ExportViewType ?? 'NEW_AND_OLD_IMAGES' };
      }
      const filter = filterOf(input.FilterSpecification);
      const format = input.ExportFormat ?? 'DYNAMODB_JSON';
      const lines = incremental ? changeLines(state, scope, t, incremental, format) : fullLines(state.backups.itemsAt(scope, t, exportTime), format, filter);
      const id = `${String(now).padStart(14, '0')}-${randomBytes(4).toString('hex')}`;
      const rec: ExportRecord = {
        arn: `${t.rec.arn}/export/${id}`, id, table: t.rec.name, tableArn: t.rec.arn, tableId: t.rec.id, startedAt: now,
        doneAt: now + state.rt.config.dynamodbTableDelayMs, exportTime: incremental?.to ?? exportTime, format, type, ...(incremental ? { incremental } : {}),
        bucket: input.S3Bucket, ...(input.S3BucketOwner ? { owner: input.S3BucketOwner } : {}), ...(input.S3Prefix ? { prefix: input.S3Prefix } : {}),
        ...(input.S3SseAlgorithm ? { sse: input.S3SseAlgorithm } : {}), ...(input.S3SseKmsKeyId ? { kms: input.S3SseKmsKeyId } : {}),
        ...(input.ClientToken ? { token: input.ClientToken } : {}), written: false,
      };
      records.put(scope, rec.arn, rec);
      const first = describe(rec);
      try {
        const written = await writeFiles(state, scope, rec, lines);
        records.put(scope, rec.arn, { ...rec, ...written, written: true });
      } catch (e) {
        const code = e instanceof AwsError ? e.code : 'InternalError';
        records.put(scope, rec.arn, { ...rec, failure: { code: code.startsWith('S3') ? code : `S3${code}`, message: (e as Error).message } });
      }
      return { ExportDescription: first };
    },

    DescribeExport(input, ctx) {
      return { ExportDescription: describe(exportOf(ctx, input.ExportArn)) };
    },

    ListExports(input, ctx) {
      if (input.MaxResults !== undefined && (input.MaxResults < 1 || input.MaxResults > 25)) {
        throw invalid(`1 validation error detected: Value '${input.MaxResults}' at 'maxResults' failed to satisfy constraint: Member must have value ${input.MaxResults < 1 ? 'greater than or equal to 1' : 'less than or equal to 25'}`);
      }
      const all = [...records.values(scopeOf(ctx))].filter((e) => input.TableArn === undefined || e.tableArn === input.TableArn).sort((a, b) => a.startedAt - b.startedAt || (a.arn < b.arn ? -1 : 1));
      const start = input.NextToken ? Math.max(0, all.findIndex((e) => e.arn === Buffer.from(input.NextToken!, 'base64url').toString()) + 1) : 0;
      const size = input.MaxResults ?? 25;
      const page = all.slice(start, start + size);
      return {
        ExportSummaries: page.map((e) => ({ ExportArn: e.arn, ExportStatus: describe(e).ExportStatus, ExportType: e.type })),
        ...(start + size < all.length ? { NextToken: Buffer.from(page[page.length - 1]!.arn).toString('base64url') } : {}),
      };
    },
  };
}

interface Filter { cond?: Condition; paths?: Path[] }

function filterOf(f: T.FilterSpecification | undefined): Filter {
  if (!f) return {};
  const present = ['KeyConditionExpression', 'FilterExpression', 'ProjectionExpression'].filter((k) => (f as Record<string, unknown>)[k] !== undefined);
  const ctx = new ExprContext(f, present, ['KeyConditionExpression', 'FilterExpression']);
  const conds = [
    f.KeyConditionExpression !== undefined ? parseCondition(f.KeyConditionExpression, 'KeyConditionExpression', ctx) : undefined,
    f.FilterExpression !== undefined ? parseCondition(f.FilterExpression, 'FilterExpression', ctx) : undefined,
  ].filter((c): c is Condition => c !== undefined);
  const paths = f.ProjectionExpression !== undefined ? parseProjection(f.ProjectionExpression, ctx) : undefined;
  ctx.finish();
  return { cond: conds.reduce<Condition | undefined>((a, c) => (a ? { k: 'and', a, b: c } : c), undefined), ...(paths ? { paths } : {}) };
}

/** One line of a data file: each part (Item; or Metadata, Keys, NewImage, OldImage) a map of attributes. */
function line(format: string, record: Record<string, Item>): string {
  if (format === 'ION') return toIonLine(record);
  return JSON.stringify(Object.fromEntries(Object.entries(record).map(([k, v]) => [k, toJsonItem(v)])));
}

function fullLines(items: Item[], format: string, f: Filter): { lines: string[]; bytes: number } {
  const lines: string[] = [];
  let bytes = 0;
  for (const item of items) {
    if (f.cond && !evaluate(f.cond, item)) continue;
    const out = f.paths ? project(item, f.paths) : item;
    bytes += itemSize(out);
    lines.push(line(format, { Item: out }));
  }
  return { lines, bytes };
}

/** Items changed in the window: keys, the image at its end and (NEW_AND_OLD_IMAGES) at its start. */
function changeLines(state: DynamoState, scope: Scope, t: TableData, inc: NonNullable<ExportRecord['incremental']>, format: string): { lines: string[]; bytes: number } {
  const at = (ms: number) => new Map(state.backups.itemsAt(scope, t, ms).map((i) => [t.keyOf(i), i]));
  const before = at(inc.from), after = at(inc.to);
  const lines: string[] = [];
  let bytes = 0;
  const keys = new Set([...before.keys(), ...after.keys()]);
  for (const k of keys) {
    const o = before.get(k), n = after.get(k);
    if (o && n && JSON.stringify(toJsonItem(o)) === JSON.stringify(toJsonItem(n))) continue;
    const src = (n ?? o)!;
    const keyItem: Item = Object.fromEntries([t.hashKey, ...(t.rangeKey ? [t.rangeKey] : [])].map((name) => [name, src[name]!]));
    const rec: Record<string, Item> = { Metadata: { WriteTimestampMicros: { N: String(inc.to * 1000) } }, Keys: keyItem };
    if (n) rec.NewImage = n;
    if (o && inc.view === 'NEW_AND_OLD_IMAGES') rec.OldImage = o;
    bytes += itemSize(n ?? o!);
    lines.push(line(format, rec));
  }
  return { lines, bytes };
}

async function writeFiles(state: DynamoState, scope: Scope, rec: ExportRecord, data: { lines: string[]; bytes: number }) {
  const base = `${rec.prefix ? `${rec.prefix.replace(/\/$/, '')}/` : ''}AWSDynamoDB/${rec.id}`;
  const put = (Key: string, Body: Buffer, ContentType: string) => state.rt.call('s3', 'PutObject', { Bucket: rec.bucket, Key, Body, ContentType }, scope);
  const md5 = (b: Buffer) => createHash('md5').update(b).digest();
  const files: Record<string, unknown>[] = [];
  if (data.lines.length) {
    const body = gzipSync(Buffer.from(data.lines.join('\n') + '\n'));
    const key = `${base}/data/${randomUUID().replace(/-/g, '').slice(0, 26)}.${rec.format === 'ION' ? 'ion' : 'json'}.gz`;
    await put(key, body, 'application/x-gzip');
    files.push({ itemCount: data.lines.length, md5Checksum: md5(body).toString('base64'), etag: md5(body).toString('hex'), dataFileS3Key: key });
  }
  const manifestFiles = Buffer.from(files.map((f) => JSON.stringify(f)).join('\n') + (files.length ? '\n' : ''));
  await put(`${base}/manifest-files.json`, manifestFiles, 'application/json');
  await put(`${base}/manifest-files.md5`, Buffer.from(md5(manifestFiles).toString('hex')), 'text/plain');
  const summary = Buffer.from(JSON.stringify({
    version: '2023-08-01', exportArn: rec.arn, startTime: new Date(rec.startedAt).toISOString(), endTime: new Date(rec.doneAt).toISOString(),
    tableArn: rec.tableArn, tableId: rec.tableId, exportTime: new Date(rec.exportTime).toISOString(), s3Bucket: rec.bucket, s3Prefix: rec.prefix ?? null,
    s3SseAlgorithm: rec.sse ?? 'AES256', s3SseKmsKeyId: rec.kms ?? null, manifestFilesS3Key: `${base}/manifest-files.json`,
    billedSizeBytes: data.bytes, itemCount: data.lines.length, outputFormat: rec.format, exportType: rec.type,
  }));
  await put(`${base}/manifest-summary.json`, summary, 'application/json');
  await put(`${base}/manifest-summary.md5`, Buffer.from(md5(summary).toString('hex')), 'text/plain');
  return { itemCount: data.lines.length, bytes: data.bytes, manifest: `${base}/manifest-summary.json` };
}
