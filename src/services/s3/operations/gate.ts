/**
 * Where S3's access control meets the handlers: every API operation is authorized first
 * (domain/access.ts) and its ACL headers checked and applied (domain/acl-writes.ts); and the
 * requests outside the API model — website endpoints and browser-form POST uploads — are served
 * here (the gateway hands them over through internal.ts).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { OperationHandler } from '../../service.js';
import type { S3State } from '../state.js';
import { authorizeS3 } from '../domain/access.js';
import { aclBeforeWrite } from '../domain/acl-writes.js';
import { websiteBucket } from '../domain/website.js';
import { serveWebsite } from './website.js';
import { postObject } from './post-object.js';

export function guardAccess(state: S3State, operation: string, handler: OperationHandler): OperationHandler {
  return (input: Record<string, unknown>, ctx: RequestContext) => {
    const charged = authorizeS3(state, ctx, operation, input);
    const acl = aclBeforeWrite(state, ctx, operation, input);
    if (!acl && !charged) return handler(input, ctx);
    const after = (out: unknown) => {
      const o = acl ? acl(out) : out;
      // x-amz-request-charged: the requester pays for this one (Requester Pays buckets)
      return charged && typeof o === 'object' && o !== null && !Buffer.isBuffer(o) ? { ...o, RequestCharged: 'requester' } : o;
    };
    const out = handler(input, ctx);
    return out instanceof Promise ? out.then(after) : after(out);
  };
}

/** A website endpoint request or a POST upload (the gateway only sends these). */
export function serveRaw(state: S3State, ctx: RequestContext, putObject: OperationHandler): Promise<void> {
  const site = websiteBucket(ctx.host);
  if (site !== undefined) return serveWebsite(state, ctx, site);
  return postObject(state, ctx, putObject);
}
