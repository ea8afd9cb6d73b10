/**
 * ListStreams, DescribeStream, GetShardIterator, GetRecords. A shard iterator is an opaque
 * token naming the stream, the shard, the first sequence number to return and when it was
 * issued; it expires after 15 minutes of virtual time (ExpiredIteratorException). Positions
 * whose records were trimmed (24-hour retention) answer TrimmedDataAccessException.
 */
import { AwsError } from '../../../core/errors.js';
import { scopeOf, type RequestContext } from '../../../gateway/context.js';
import type { Scope } from '../../../state/store.js';
import type { ServiceRuntime } from '../../service.js';
import type * as T from '../generated/types.js';
import { dynamoStreamReader, StreamStore, type StreamMeta, type StreamReader } from '../../dynamodb/internal.js';

const ITERATOR_TTL_MS = 15 * 60 * 1000;
const TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'];

const invalid = (msg: string) => new AwsError('ValidationException', msg, 400);
const notFound = (arn: string) => new AwsError('ResourceNotFoundException', `Requested resource not found: Stream: ${arn} not found`, 400);
const violations = (v: string[]) => invalid(`${v.length} validation error${v.length > 1 ? 's' : ''} detected: ${v.join('; ')}`);

interface Iterator { a: string; s: string; p: string; t: number }

const encode = (it: Iterator) => Buffer.from(JSON.stringify(it)).toString('base64url');

function decode(token: string): Iterator {
  try {
    const it = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Iterator;
    if (typeof it.a === 'string' && typeof it.s === 'string' && /^\d+$/.test(it.p) && typeof it.t === 'number') return it;
  } catch {
    /* fall through */
  }
  throw invalid('Invalid ShardIterator');
}

/** The scope a stream ARN belongs to (arn:aws:dynamodb:<region>:<account>:table/<t>/stream/<label>). */
function scopeOfArn(arn: string): Scope | undefined {
  const m = /^arn:aws:dynamodb:([^:]+):(\d{12}):table\/[^/]+\/stream\/.+$/.exec(arn);
  return m ? { region: m[1]!, account: m[2]! } : undefined;
}

const checkArn = (v: string[], arn: string, field: string) => {
  if (arn.length < 37) v.push(`Value '${arn}' at '${field}' failed to satisfy constraint: Member must have length greater than or equal to 37`);
  if (arn.length > 1024) v.push(`Value '${arn}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to 1024`);
};

export function streamHandlers(rt: ServiceRuntime): T.DynamoDBStreamsHandlers {
  const reader = (ctx: RequestContext): Promise<StreamReader> => dynamoStreamReader(rt, scopeOf(ctx));

  /** A stream in the caller's account and region. */
  function streamOf(r: StreamReader, ctx: RequestContext, arn: string): StreamMeta {
    const own = scopeOf(ctx);
    const s = scopeOfArn(arn);
    const m = s && s.account === own.account && s.region === own.region ? r.stream(own, arn) : undefined;
    if (!m) throw notFound(arn);
    return m;
  }

  return {
    async ListStreams(input, ctx) {
      const v: string[] = [];
      if (input.Limit !== undefined && input.Limit < 1) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      if (input.Limit !== undefined && input.Limit > 100) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
      if (input.ExclusiveStartStreamArn !== undefined) checkArn(v, input.ExclusiveStartStreamArn, 'exclusiveStartStreamArn');
      if (v.length) throw violations(v);
      const r = await reader(ctx);
      const all = r.streams(scopeOf(ctx), input.TableName);
      let start = 0;
      if (input.ExclusiveStartStreamArn !== undefined) {
        const i = all.findIndex((m) => m.arn === input.ExclusiveStartStreamArn);
        if (i < 0) throw notFound(input.ExclusiveStartStreamArn);
        start = i + 1;
      }
      const limit = input.Limit ?? 100;
      const page = all.slice(start, start + limit);
      return {
        Streams: page.map((m) => ({ StreamArn: m.arn, TableName: m.table, StreamLabel: m.label })),
        ...(start + limit < all.length ? { LastEvaluatedStreamArn: page[page.length - 1]!.arn } : {}),
      };
    },

    async DescribeStream(input, ctx) {
      const v: string[] = [];
      checkArn(v, input.StreamArn, 'streamArn');
      if (input.Limit !== undefined && input.Limit < 1) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      if (input.Limit !== undefined && input.Limit > 100) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100`);
      if (v.length) throw violations(v);
      const m = streamOf(await reader(ctx), ctx, input.StreamArn);
      const shard: T.Shard = {
        ShardId: m.shardId,
        SequenceNumberRange: { StartingSequenceNumber: m.startSeq, ...(m.endSeq ? { EndingSequenceNumber: m.endSeq } : {}) },
      };
      // one shard per stream: it is listed unless the caller starts after it or filters on another
      const listed = input.ExclusiveStartShardId === undefined || input.ExclusiveStartShardId < m.shardId;
      const filter = input.ShardFilter;
      const shown = listed && !(filter?.Type === 'CHILD_SHARDS');
      return {
        StreamDescription: {
          StreamArn: m.arn,
          StreamLabel: m.label,
          StreamStatus: m.endSeq ? 'DISABLED' : 'ENABLED',
          StreamViewType: m.viewType,
          CreationRequestDateTime: new Date(m.createdAt),
          TableName: m.table,
          KeySchema: m.keySchema,
          Shards: shown ? [shard] : [],
        },
      };
    },

    async GetShardIterator(input, ctx) {
      const v: string[] = [];
      checkArn(v, input.StreamArn, 'streamArn');
      if (input.ShardId.length < 28) v.push(`Value '${input.ShardId}' at 'shardId' failed to satisfy constraint: Member must have length greater than or equal to 28`);
      if (input.ShardId.length > 65) v.push(`Value '${input.ShardId}' at 'shardId' failed to satisfy constraint: Member must have length less than or equal to 65`);
      if (!TYPES.includes(input.ShardIteratorType)) v.push(`Value '${input.ShardIteratorType}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [${TYPES.join(', ')}]`);
      if (input.SequenceNumber !== undefined && (input.SequenceNumber.length < 21 || input.SequenceNumber.length > 40)) {
        v.push(`Value '${input.SequenceNumber}' at 'sequenceNumber' failed to satisfy constraint: Member must have length ${input.SequenceNumber.length < 21 ? 'greater than or equal to 21' : 'less than or equal to 40'}`);
      }
      if (v.length) throw violations(v);
      const r = await reader(ctx);
      const m = streamOf(r, ctx, input.StreamArn);
      if (input.ShardId !== m.shardId) throw new AwsError('ResourceNotFoundException', `Requested resource not found: Shard does not exist`, 400);
      const type = input.ShardIteratorType;
      const bySeq = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
      if (bySeq && input.SequenceNumber === undefined) throw invalid('Must specify a sequence number for AT_SEQUENCE_NUMBER or AFTER_SEQUENCE_NUMBER iterators');
      if (!bySeq && input.SequenceNumber !== undefined) throw invalid(`Sequence number must not be specified for ${type} iterators`);
      const trimmed = BigInt(m.trimmedThrough ?? '0');
      const records = r.records(m.arn);
      let pos: bigint;
      if (type === 'TRIM_HORIZON') pos = trimmed > 0n ? trimmed + 1n : BigInt(m.startSeq);
      else if (type === 'LATEST') pos = records.length ? BigInt(records[records.length - 1]!.seq) + 1n : m.endSeq ? BigInt(m.endSeq) + 1n : BigInt(m.startSeq);
      else {
        if (!/^\d+$/.test(input.SequenceNumber!)) throw invalid(`Invalid SequenceNumber for ShardIterator initialization. SequenceNumber: ${input.SequenceNumber}`);
        const seq = BigInt(input.SequenceNumber!);
        const last = records.length ? BigInt(records[records.length - 1]!.seq) : BigInt(m.startSeq);
        if (seq < BigInt(m.startSeq) || seq > last) throw invalid(`Invalid SequenceNumber for ShardIterator initialization. SequenceNumber: ${input.SequenceNumber}, ShardId: ${m.shardId}`);
        if (seq <= trimmed) throw trimmedError();
        pos = type === 'AT_SEQUENCE_NUMBER' ? seq : seq + 1n;
      }
      return { ShardIterator: encode({ a: m.arn, s: m.shardId, p: pos.toString(), t: rt.clock.now() }) };
    },

    async GetRecords(input, ctx) {
      const v: string[] = [];
      if (input.Limit !== undefined && input.Limit < 1) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
      if (input.Limit !== undefined && input.Limit > 1000) v.push(`Value '${input.Limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000`);
      if (input.ShardIterator.length > 2048) v.push(`Value '${input.ShardIterator}' at 'shardIterator' failed to satisfy constraint: Member must have length less than or equal to 2048`);
      if (v.length) throw violations(v);
      const it = decode(input.ShardIterator);
      const now = rt.clock.now();
      if (now - it.t > ITERATOR_TTL_MS) throw new AwsError('ExpiredIteratorException', 'Iterator expired. The iterator was created at time ' + new Date(it.t).toUTCString() + ' while right now it is ' + new Date(now).toUTCString() + ' which is further in the future than the tolerated delay of 900000 milliseconds.', 400);
      const r = await reader(ctx);
      const m = streamOf(r, ctx, it.a);
      const pos = BigInt(it.p);
      if (m.trimmedThrough && pos <= BigInt(m.trimmedThrough)) throw trimmedError();
      const records = r.records(m.arn);
      const from = r.indexFrom(m.arn, pos);
      const limit = input.Limit ?? 1000;
      const page = records.slice(from, from + limit);
      const nextPos = page.length ? BigInt(page[page.length - 1]!.seq) + 1n : pos;
      const exhausted = from + page.length >= records.length;
      return {
        Records: page.map((rec) => StreamStore.wire(m, rec)) as T.Record_[],
        // a closed shard read to its end has no next iterator
        ...(m.endSeq && exhausted ? {} : { NextShardIterator: encode({ a: m.arn, s: m.shardId, p: nextPos.toString(), t: now }) }),
      };
    },
  };
}

function trimmedError(): AwsError {
  return new AwsError('TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard.', 400);
}
