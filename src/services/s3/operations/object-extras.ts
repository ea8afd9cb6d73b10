/**
 * What encryption, Object Lock, archive restores, lifecycle and replication add to the object
 * operations (PutObject, CopyObject, multipart, GetObject, HeadObject): the settings a new
 * version gets, the checks a read passes, and the headers the answers carry.
 */
import { AwsError } from '../../../core/errors.js';
import type { Bucket, ObjectRecord, S3State } from '../state.js';
import { checkReadKey, customerKey, sseOutput, writeEncryption, type ObjectSse, type SseReadInput, type SseWriteInput } from '../domain/sse.js';
import { lockOutput, newObjectLock, type LockWriteInput, type ObjectLock } from '../domain/lock.js';
import { invalidObjectState, readable, restoreHeader } from '../domain/restore.js';
import { dueAfter, expirationHeader } from '../domain/lifecycle.js';

export interface WriteExtras { sse?: ObjectSse; lock?: ObjectLock }

const settle = (sse: ObjectSse | undefined, lock: ObjectLock | undefined): WriteExtras => ({ ...(sse ? { sse } : {}), ...(lock ? { lock } : {}) });

/** Encryption and lock of a new version (checked before its bytes are received). */
export function writeExtras(state: S3State, b: Bucket, input: SseWriteInput & LockWriteInput): WriteExtras | Promise<WriteExtras> {
  const lock = newObjectLock(b.record, input, state.rt.clock.now());
  const sse = writeEncryption(state, b, input);
  return sse instanceof Promise ? sse.then((s) => settle(s, lock)) : settle(sse, lock);
}

/** Headers of a write's answer: encryption and x-amz-expiration. */
export function writeOutput(b: Bucket, rec: ObjectRecord): Record<string, unknown> {
  const expiration = expirationHeader(b.record.lifecycle, rec);
  return { ...sseOutput(rec.sse), ...(expiration ? { Expiration: expiration } : {}) };
}

/** A read of a version's bytes: the SSE-C key it needs, and (GET, copy source) not archived. */
export function checkRead(state: S3State, obj: ObjectRecord, input: SseReadInput, bytes: boolean, copy = false): void {
  checkReadKey(obj.sse, input, copy);
  if (bytes && !readable(obj.storageClass, obj.restore, state.rt.clock.now())) {
    if (copy) throw new AwsError('ObjectNotInActiveTierError', 'The source object of the COPY operation is not in the active tier and is only stored in Amazon Glacier.', 403);
    throw invalidObjectState(obj.storageClass);
  }
}

/** Headers GET and HEAD answer beyond the content ones. */
export function readOutput(state: S3State, b: Bucket, obj: ObjectRecord, current: boolean): Record<string, unknown> {
  const restore = restoreHeader(obj.restore, state.rt.clock.now());
  const expiration = current ? expirationHeader(b.record.lifecycle, obj) : undefined;
  return {
    ...sseOutput(obj.sse),
    ...lockOutput(obj.lock),
    ...(restore ? { Restore: restore } : {}),
    ...(expiration ? { Expiration: expiration } : {}),
    ...(obj.replication ? { ReplicationStatus: obj.replication } : {}),
  };
}

/** x-amz-abort-date / x-amz-abort-rule-id of a new multipart upload under an abort rule. */
export function abortOutput(b: Bucket, key: string, initiated: number): { AbortDate?: Date; AbortRuleId?: string } {
  let best: { AbortDate: Date; AbortRuleId: string } | undefined;
  for (const r of b.record.lifecycle?.rules ?? []) {
    const days = r.AbortIncompleteMultipartUpload?.DaysAfterInitiation;
    if (r.Status !== 'Enabled' || days === undefined || !key.startsWith(r.Filter?.Prefix ?? r.Filter?.And?.Prefix ?? r.Prefix ?? '')) continue;
    const at = dueAfter(initiated, days);
    if (!best || at < best.AbortDate.getTime()) best = { AbortDate: new Date(at), AbortRuleId: r.ID! };
  }
  return best ?? {};
}

/** UploadPart of an upload started with SSE-C needs the same key; others refuse one. */
export function checkPartKey(sse: ObjectSse | undefined, input: SseReadInput): void {
  const given = input.SSECustomerAlgorithm !== undefined || input.SSECustomerKey !== undefined || input.SSECustomerKeyMD5 !== undefined;
  if (!given && !sse?.customerKeyMD5) return;
  if (!given || !sse?.customerKeyMD5) {
    throw new AwsError('InvalidRequest', 'The multipart upload initiate requested encryption. Subsequent part requests must include the appropriate encryption parameters.', 400);
  }
  if (customerKey(input) !== sse.customerKeyMD5) throw new AwsError('InvalidRequest', 'The provided encryption parameters did not match the ones used originally.', 400);
}
