/**
 * Amazon S3: buckets (regional, with a global name index), objects streamed to blob files
 * with MD5 ETags and verified flexible checksums (aws-chunked trailers included), multipart
 * uploads, copies, versioning, tagging, CORS, ranged and conditional reads, and listings in
 * UTF-8 binary order; lifecycle and archive restores on the virtual clock, event
 * notifications, replication, Object Lock and server-side encryption. Path style and
 * virtual-host style addressing both arrive here as the same operations (the rest router
 * handles the Host).
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
import { accessHandlers } from './operations/access.js';
import { websiteHandlers } from './operations/website.js';
import { guardAccess, serveRaw } from './operations/gate.js';
import { lifecycleHandlers } from './operations/lifecycle.js';
import { notificationHandlers } from './operations/notifications.js';
import { replicationHandlers } from './operations/replication.js';
import { objectLockHandlers } from './operations/object-lock.js';
import { encryptionHandlers } from './operations/encryption.js';
import { restoreHandlers } from './operations/restore.js';
import { EFFECT_OPERATIONS, ObjectEffects } from './effects.js';
import { LifecycleRunner } from './lifecycle-runner.js';
import { Restores } from './restores.js';
import { bucketConfigHandlers } from './operations/bucket-configs.js';
import { bucketSettingHandlers } from './operations/bucket-settings.js';
import { objectAttributeHandlers } from './operations/object-attributes.js';
import { AccessLogger } from './access-logger.js';
import { InventoryRunner } from './inventory-runner.js';

export default defineService({
  id: 's3',
  create(rt) {
    const state = new S3State(rt);
    const effects = new ObjectEffects(state);
    const restores = new Restores(state, effects.notifier);
    const lifecycle = new LifecycleRunner(state, effects.notifier);
    const inventory = new InventoryRunner(state);
    const accessLog = new AccessLogger(state);
    const handlers: S3Handlers = {
      ...bucketHandlers(state), ...objectHandlers(state), ...listHandlers(state), ...multipartHandlers(state),
      ...copyHandlers(state), ...configHandlers(state), ...batchHandlers(state),
      ...accessHandlers(state), ...websiteHandlers(state),
      ...lifecycleHandlers(state), ...notificationHandlers(state, effects.notifier), ...replicationHandlers(state),
      ...objectLockHandlers(state), ...encryptionHandlers(state), ...restoreHandlers(state, restores),
      ...bucketConfigHandlers(state), ...bucketSettingHandlers(state), ...objectAttributeHandlers(state),
    };
    // Requests with an Origin to a bucket with CORS rules answer with the rules' headers.
    const wrapped: Record<string, OperationHandler> = {};
    for (const [name, unguarded] of Object.entries(handlers) as [string, OperationHandler][]) {
      // bucket policies, ACLs, Block Public Access, presigned signatures (operations/gate.ts)
      const h = guardAccess(state, name, unguarded);
      wrapped[name] = (input: { Bucket?: string }, ctx: RequestContext) => {
        if (ctx.req?.headers.origin !== undefined && typeof input.Bucket === 'string') applyBucketCors(state, ctx, input.Bucket);
        // server access logging records the request once it is answered
        const answered = accessLog.track(ctx, name, input);
        if (answered) {
          const out = call(name, h, input, ctx);
          if (out instanceof Promise) return out.finally(answered);
          answered();
          return out;
        }
        return call(name, h, input, ctx);
      };
    }
    /** The guarded handler, then (for writes and deletes) notifications and replication. */
    function call(name: string, h: OperationHandler, input: { Bucket?: string }, ctx: RequestContext): unknown {
      if (!EFFECT_OPERATIONS.has(name)) return h(input, ctx);
      const out = h(input, ctx);
      const after = (o: unknown) => {
        effects.after(name, input as { Bucket: string }, (o ?? {}) as Record<string, unknown>, ctx);
        return o;
      };
      return out instanceof Promise ? out.then(after) : after(out);
    }
    return {
      handlers: wrapped,
      preflight: (ctx: RequestContext, bucket: string) => answerBucketPreflight(state, ctx, bucket),
      // website endpoints and browser POST uploads (see internal.ts)
      raw: (ctx: RequestContext) => serveRaw(state, ctx, wrapped.PutObject!),
      stop: () => {
        lifecycle.stop();
        restores.stop();
        inventory.stop();
        accessLog.stop();
      },
    };
  },
});
