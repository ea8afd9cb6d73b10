/**
 * Delivery of S3 event notifications, after the operation that caused them: to SQS
 * (SendMessage), SNS (Publish, subject "Amazon S3 Notification"), Lambda (Invoke, asynchronous)
 * through the dispatch path, and to EventBridge's default bus when the bucket has
 * EventBridgeConfiguration. Deliveries are asynchronous, as in AWS: a destination that fails
 * loses the event (recorded in `failures`).
 */
import { randomUUID } from 'node:crypto';
import { isAwsError } from '../../core/errors.js';
import { parseArn } from '../../core/arn.js';
import type { RequestContext } from '../../gateway/context.js';
import { versionIdOf, type Bucket, type ObjectRecord, type S3State } from './state.js';
import { canonicalUserId } from './domain/buckets.js';
import { eventBridgeEvent, eventRecord, targetsOf, testEvent, wants, type EventFacts, type Target } from './domain/notify.js';

export type CreatedKind = 'Put' | 'Post' | 'Copy' | 'CompleteMultipartUpload';

/** Who caused an event: a request, or S3 itself (lifecycle, restores). */
export interface Cause { principal?: string; sourceIp?: string; requestId: string }

export const causeOf = (ctx: RequestContext): Cause => ({
  principal: ctx.accessKeyId ? `AWS:${ctx.accessKeyId}` : ctx.accountId,
  sourceIp: ctx.req?.socket?.remoteAddress?.replace(/^::ffff:/, ''),
  requestId: ctx.requestId,
});

export const s3Cause = (): Cause => ({ requestId: randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase() });

export interface DeliveryFailure { bucket: string; destination: string; error: string }

export class Notifier {
  private seq = 0;
  /** the last delivery failures (bounded), for diagnosis */
  readonly failures: DeliveryFailure[] = [];

  constructor(private readonly state: S3State) {}

  /** S3's per-key ordering token: hex, increasing. */
  sequencer(): string {
    this.seq = (this.seq + 1) % 0x1000000;
    return (this.state.rt.clock.now().toString(16).padStart(12, '0') + this.seq.toString(16).padStart(6, '0')).toUpperCase();
  }

  /** An event about a version (or a key, for deletes) of a bucket's object. */
  emit(b: Bucket, eventName: string, obj: Pick<ObjectRecord, 'key'> & Partial<ObjectRecord>, cause: Cause, extra: Partial<EventFacts> = {}): void {
    const cfg = b.record.notification;
    if (!cfg) return;
    const withSize = eventName.startsWith('ObjectCreated') || eventName.startsWith('ObjectRestore') || eventName === 'LifecycleTransition' || eventName.startsWith('ObjectTagging') || eventName.startsWith('ObjectAcl');
    const facts: EventFacts = {
      eventName,
      time: this.state.rt.clock.now(),
      region: b.record.region,
      bucket: b.record.name,
      bucketOwner: canonicalUserId(b.record.account).slice(0, 14).toUpperCase(),
      key: obj.key,
      ...(withSize && obj.size !== undefined ? { size: obj.size, etag: obj.etag } : {}),
      ...(b.record.versioning ? { versionId: versionIdOf(obj) } : {}),
      sequencer: this.sequencer(),
      ...cause,
      ...extra,
    };
    for (const t of targetsOf(cfg)) {
      if (wants(t, eventName, obj.key)) void this.deliver(b, t, JSON.stringify({ Records: [eventRecord(facts, t.id)] }));
    }
    if (cfg.EventBridgeConfiguration) {
      const e = eventBridgeEvent(facts);
      if (e) void this.toEventBridge(b, e.detailType, e.detail);
    }
  }

  /**
   * The s3:TestEvent a new configuration sends to each queue and topic; resolves to the
   * destinations that could not take it (arn → reason).
   */
  async validate(b: Bucket, targets: Target[], requestId: string): Promise<Map<string, string>> {
    const failed = new Map<string, string>();
    const body = JSON.stringify(testEvent(b.record.name, this.state.rt.clock.now(), requestId));
    for (const arn of new Set(targets.filter((t) => t.kind !== 'lambda').map((t) => t.arn))) {
      const t = targets.find((x) => x.arn === arn)!;
      try {
        await this.send(t, body);
      } catch (e) {
        failed.set(arn, t.kind === 'queue'
          ? 'Permissions on the destination queue do not allow S3 to publish notifications from this bucket'
          : 'Permissions on the destination topic do not allow S3 to publish notifications from this bucket');
        if (!isAwsError(e)) throw e;
      }
    }
    return failed;
  }

  private send(t: Target, body: string): Promise<unknown> {
    const a = parseArn(t.arn)!;
    const scope = { account: a.account, region: a.region };
    if (t.kind === 'queue') return this.state.rt.call('sqs', 'SendMessage', { QueueUrl: `/${a.account}/${a.resource}`, MessageBody: body }, scope);
    if (t.kind === 'topic') return this.state.rt.call('sns', 'Publish', { TopicArn: t.arn, Message: body, Subject: 'Amazon S3 Notification' }, scope);
    return this.state.rt.call('lambda', 'Invoke', { FunctionName: t.arn, InvocationType: 'Event', Payload: Buffer.from(body) }, scope);
  }

  private async deliver(b: Bucket, t: Target, body: string): Promise<void> {
    try {
      await this.send(t, body);
    } catch (e) {
      this.fail(b, t.arn, e);
    }
  }

  private async toEventBridge(b: Bucket, detailType: string, detail: Record<string, unknown>): Promise<void> {
    try {
      await this.state.rt.call('events', 'PutEvents', {
        Entries: [{ Source: 'aws.s3', DetailType: detailType, Detail: JSON.stringify(detail), Resources: [`arn:aws:s3:::${b.record.name}`] }],
      }, { account: b.record.account, region: b.record.region });
    } catch (e) {
      this.fail(b, 'eventbridge', e);
    }
  }

  private fail(b: Bucket, destination: string, e: unknown): void {
    this.failures.push({ bucket: b.record.name, destination, error: isAwsError(e) ? `${e.code}: ${e.message}` : String(e) });
    if (this.failures.length > 100) this.failures.shift();
  }
}
