/**
 * Amazon S3: buckets (regional, with a global name index), objects streamed to blob files
 * with MD5 ETags and verified flexible checksums (aws-chunked trailers included), ranged and
 * conditional reads, and listings in UTF-8 binary order. Path style and virtual-host style
 * addressing both arrive here as the same operations (the rest router handles the Host).
 */
import { defineService } from '../service.js';
import type { S3Handlers } from './generated/types.js';
import { S3State } from './state.js';
import { bucketHandlers } from './operations/buckets.js';
import { objectHandlers } from './operations/objects.js';
import { listHandlers } from './operations/list.js';

export default defineService({
  id: 's3',
  create(rt) {
    const state = new S3State(rt);
    const handlers: S3Handlers = { ...bucketHandlers(state), ...objectHandlers(state), ...listHandlers(state) };
    return { handlers: handlers as never };
  },
});
