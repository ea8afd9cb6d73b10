/**
 * Amazon S3: buckets (regional, with a global name index), objects streamed to blob files
 * with MD5 ETags and verified flexible checksums (aws-chunked trailers included), multipart
 * uploads, copies, versioning, tagging, CORS, ranged and conditional reads, and listings in
 * UTF-8 binary order. Path style and virtual-host style addressing both arrive here as the
 * same operations (the rest router handles the Host).
 */
import { defineService, type OperationHandler } from '../service.js';
import type { RequestContext } from '../../gateway/context.js';
import type { S3Handlers } from './generated/types.js';
import { S3State } from './state.js';
import { bucketHandlers } from './operations/buckets.js';
import { objectHandlers } from './operations/objects.js';
import { listHandlers } from './operations/list.js';
import { multipartHandlers } from './operations/multipart.js';
import { copyHandlers } from './operations/copy.js';
import { configHandlers } from './operations/config.js';
import { batchHandlers } from './operations/batch.js';
import { applyBucketCors, answerBucketPreflight } from './operations/cors.js';

export default defineService({
  id: 's3',
  create(rt) {
    const state = new S3State(rt);
    const handlers: S3Handlers = {
      ...bucketHandlers(state), ...objectHandlers(state), ...listHandlers(state), ...multipartHandlers(state),
      ...copyHandlers(state), ...configHandlers(state), ...batchHandlers(state),
    };
    // Requests with an Origin to a bucket with CORS rules answer with the rules' headers.
    const wrapped: Record<string, OperationHandler> = {};
    for (const [name, h] of Object.entries(handlers) as [string, OperationHandler][]) {
      wrapped[name] = (input: { Bucket?: string }, ctx: RequestContext) => {
        if (ctx.req?.headers.origin !== undefined && typeof input.Bucket === 'string') applyBucketCors(state, ctx, input.Bucket);
        return h(input, ctx);
      };
    }
    return { handlers: wrapped, preflight: (ctx: RequestContext, bucket: string) => answerBucketPreflight(state, ctx, bucket) };
  },
});
