/**
 * Server access logging: every request to a bucket with logging enabled becomes a record
 * (domain/access-log.ts) once its answer is sent; records are batched per source bucket and
 * written to the target bucket as one log object a few minutes later on the virtual clock
 * (S3 delivers best effort, in batches, within hours). A DeleteObjects request also logs a
 * BATCH.DELETE.OBJECT record per key, and a copy logs REST.COPY.OBJECT_GET in the source bucket.
 *
 * Delivery is done as S3's logging service (`logging.s3.amazonaws.com`): the target bucket's
 * policy must allow it s3:PutObject, or (ACLs enabled) its ACL must grant the LogDelivery group
 * WRITE; targets with Requester Pays or an Object Lock default retention get nothing, as in AWS.
 * Undelivered batches are dropped and recorded in `failures`. Records still waiting when
 * gureum stops are lost (S3's logging is best effort too).
 */
import type { Timer } from '../../core/clock.js';
import type { RequestContext } from '../../gateway/context.js';
import type { LoggingEnabled } from './generated/types.js';
import type { Bucket, S3State } from './state.js';
import { canonicalUserId } from './domain/buckets.js';
import { formatLogRecord, logObjectKey, logOperation, type LogRecord } from './domain/access-log.js';
import { aclsDisabled, bucketAcl, callerOf, copySourceOf } from './domain/access.js';
import { LOG_DELIVERY, aclFromDocument, ownerOnly } from './domain/acl.js';
import { applyObjectAcl } from './domain/acl-writes.js';
import { serviceAllowed } from './domain/policy.js';

/** How long records wait before their batch is written (virtual time). */
export const LOG_DELIVERY_DELAY = 5 * 60_000;
/** A batch this large is written at once. */
const MAX_BATCH_BYTES = 1 << 20;

interface Batch {
  source: { account: string; region: string; bucket: string };
  config: LoggingEnabled;
  lines: string[];
  bytes: number;
  firstEvent: number;
  timer?: Timer;
}

export interface LogDeliveryFailure { bucket: string; target: string; reason: string }

const header = (ctx: RequestContext, name: string): string | undefined => {
  const v = ctx.req?.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

export class AccessLogger {
  private readonly batches = new Map<string, Batch>();
  /** the last delivery failures (bounded), for diagnosis */
  readonly failures: LogDeliveryFailure[] = [];

  constructor(private readonly state: S3State) {}

  /**
   * Before an operation runs: if its bucket logs requests, record it once the answer is sent.
   * Returns what to call when the handler has answered (the turn-around time), if tracked.
   */
  track(ctx: RequestContext, operation: string, input: Record<string, unknown>): (() => void) | undefined {
    if (ctx.internal || !ctx.req || !ctx.res || typeof input.Bucket !== 'string') return undefined;
    const b = this.state.bucketByName(input.Bucket);
    const copy = operation === 'CopyObject' || operation === 'UploadPartCopy';
    const src = copy ? copySourceOf(input) : undefined;
    const srcBucket = src && this.state.bucketByName(src.bucket);
    if (!b?.record.logging && !srcBucket?.record.logging) return undefined;
    const clock = this.state.rt.clock;
    const started = clock.now();
    let answered: number | undefined;
    ctx.res.once('finish', () => {
      try {
        const base = this.baseRecord(ctx, input, started, answered);
        if (b?.record.logging) {
          const owner = canonicalUserId(b.record.account);
          this.add(b, { ...base, bucketOwner: owner, bucket: b.record.name, operation: logOperation(ctx.method, ctx.query, base.key !== undefined, copy) });
          if (operation === 'DeleteObjects' && base.status === 200) {
            const objects = (input.Delete as { Objects?: { Key?: string; VersionId?: string }[] } | undefined)?.Objects ?? [];
            for (const o of objects) {
              this.add(b, { ...base, bucketOwner: owner, bucket: b.record.name, operation: 'BATCH.DELETE.OBJECT', key: o.Key, versionId: o.VersionId, status: 204, bytesSent: undefined, objectSize: undefined });
            }
          }
        }
        if (src && srcBucket?.record.logging && base.status < 300) {
          this.add(srcBucket, {
            ...base, bucketOwner: canonicalUserId(srcBucket.record.account), bucket: srcBucket.record.name,
            operation: operation === 'CopyObject' ? 'REST.COPY.OBJECT_GET' : 'REST.COPY.PART_GET', key: src.key, versionId: src.versionId,
          });
        }
      } catch (e) {
        console.error('[gureum] s3 access log record failed', e);
      }
    });
    return () => {
      answered ??= clock.now();
    };
  }

  private baseRecord(ctx: RequestContext, input: Record<string, unknown>, started: number, answered: number | undefined): Omit<LogRecord, 'bucketOwner' | 'bucket' | 'operation'> {
    const res = ctx.res;
    const caller = ctx.accessKeyId ? callerOf(this.state, ctx) : undefined;
    const auth = header(ctx, 'authorization');
    const presigned = ctx.query.has('X-Amz-Signature') || ctx.query.has('Signature');
    const sentLength = Number(res.getHeader('content-length') ?? 0);
    const size = res.getHeader('content-range')?.toString().split('/')[1] ?? (ctx.method === 'GET' || ctx.method === 'HEAD' ? res.getHeader('content-length')?.toString() : undefined);
    const putSize = ctx.method === 'PUT' && typeof input.Key === 'string' ? header(ctx, 'x-amz-decoded-content-length') ?? header(ctx, 'content-length') : undefined;
    const now = this.state.rt.clock.now();
    return {
      time: started,
      remoteIp: ctx.req.socket?.remoteAddress?.replace(/^::ffff:/, ''),
      requester: caller ? (caller.arn.endsWith(':root') ? canonicalUserId(caller.account) : caller.arn) : undefined,
      requestId: ctx.requestId,
      key: typeof input.Key === 'string' ? input.Key : undefined,
      requestUri: `${ctx.method} ${ctx.req.url ?? '/'} HTTP/${ctx.req.httpVersion}`,
      status: res.statusCode,
      errorCode: res.statusCode >= 300 ? ctx.errorCode : undefined,
      bytesSent: ctx.method === 'HEAD' ? undefined : sentLength,
      objectSize: size !== undefined && size !== '*' ? Number(size) : putSize !== undefined ? Number(putSize) : undefined,
      totalTime: now - started,
      turnAround: answered !== undefined ? answered - started : undefined,
      referer: header(ctx, 'referer'),
      userAgent: header(ctx, 'user-agent'),
      versionId: typeof input.VersionId === 'string' ? input.VersionId : res.getHeader('x-amz-version-id')?.toString(),
      signatureVersion: !ctx.accessKeyId ? undefined : auth?.startsWith('AWS ') || ctx.query.has('Signature') ? 'SigV2' : 'SigV4',
      authType: !ctx.accessKeyId ? undefined : presigned ? 'QueryString' : 'AuthHeader',
      host: ctx.host,
    };
  }

  private add(b: Bucket, r: LogRecord): void {
    const config = b.record.logging!;
    const id = `${b.scope.account}/${b.scope.region}/${b.record.name}`;
    let batch = this.batches.get(id);
    if (!batch) {
      batch = { source: { account: b.record.account, region: b.record.region, bucket: b.record.name }, config, lines: [], bytes: 0, firstEvent: r.time };
      this.batches.set(id, batch);
      const due = batch;
      batch.timer = this.state.rt.clock.after(LOG_DELIVERY_DELAY, () => this.flush(id, due));
    }
    const line = formatLogRecord(r) + '\n';
    batch.lines.push(line);
    batch.bytes += Buffer.byteLength(line);
    if (batch.bytes >= MAX_BATCH_BYTES) this.flush(id, batch);
  }

  private flush(id: string, batch: Batch): void {
    if (this.batches.get(id) !== batch) return;
    this.batches.delete(id);
    batch.timer?.cancel();
    void this.deliver(batch).catch((e: unknown) => this.fail(batch, e instanceof Error ? e.message : String(e)));
  }

  private fail(batch: Batch, reason: string): void {
    this.failures.push({ bucket: batch.source.bucket, target: batch.config.TargetBucket, reason });
    if (this.failures.length > 100) this.failures.shift();
  }

  /** Writes one batch as a log object, as S3's logging service would (or records why not). */
  private async deliver(batch: Batch): Promise<void> {
    const { config, source } = batch;
    const target = this.state.bucketByName(config.TargetBucket);
    if (!target) return this.fail(batch, 'the target bucket does not exist');
    if (target.record.account !== source.account || target.record.region !== source.region) return this.fail(batch, 'the target bucket is another account\'s or in another region');
    if (target.record.requesterPays) return this.fail(batch, 'the target bucket has Requester Pays enabled');
    if (target.record.objectLockRule?.DefaultRetention) return this.fail(batch, 'the target bucket has an Object Lock default retention');
    const now = this.state.rt.clock.now();
    const key = logObjectKey(config, source, now, batch.firstEvent);
    const context = { 'aws:SourceArn': `arn:aws:s3:::${source.bucket}`, 'aws:SourceAccount': source.account, 's3:x-amz-acl': 'bucket-owner-full-control' };
    const byPolicy = serviceAllowed(target.record.policy, 'logging.s3.amazonaws.com', 's3:PutObject', `arn:aws:s3:::${target.record.name}/${key}`, context);
    const byAcl = !aclsDisabled(target) && bucketAcl(target).grants.some((g) => 'uri' in g.grantee && g.grantee.uri === LOG_DELIVERY && (g.permission === 'WRITE' || g.permission === 'FULL_CONTROL'));
    if (!byPolicy && !byAcl) return this.fail(batch, 'the target bucket does not allow logging.s3.amazonaws.com to write (bucket policy or LogDelivery ACL grant)');
    const out = (await this.state.rt.call('s3', 'PutObject', { Bucket: target.record.name, Key: key, Body: Buffer.from(batch.lines.join('')), ContentType: 'text/plain' }, target.scope)) as { VersionId?: string };
    if (config.TargetGrants?.length && !aclsDisabled(target)) {
      const owner = target.record.account;
      const granted = aclFromDocument(config.TargetGrants, canonicalUserId(owner), owner);
      applyObjectAcl(this.state, target.record.name, key, out.VersionId, { owner, grants: [...ownerOnly(owner).grants, ...granted.grants] });
    }
  }

  stop(): void {
    for (const b of this.batches.values()) b.timer?.cancel();
    this.batches.clear();
  }
}
