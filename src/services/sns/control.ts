/**
 * SNS's routes under /_gureum/sns (called from src/control/control.ts):
 *   GET    /_gureum/sns/messages[?type=sms|email|email-json|http|lambda|application|…]  the outbox
 *   DELETE /_gureum/sns/messages                                             clear it
 *   GET    /_gureum/sns/SimpleNotificationService.pem                        the signing certificate
 *   GET    /_gureum/sns/public-key.pem                                       its public key
 *   POST   /_gureum/sns/opt-out {"phoneNumber", "accountId"?, "region"?}     a recipient replied STOP
 */
import type { RequestContext } from '../../gateway/context.js';
import { snsStateOf } from './internal.js';
import { CERT_PATH } from './domain/envelope.js';
import { publicKeyPem } from './domain/signing.js';

export async function snsControl(ctx: RequestContext, path: string, body: () => Promise<Record<string, unknown>>): Promise<object | undefined> {
  const rt = ctx.runtime;
  await rt.instance('sns');
  const state = snsStateOf(rt.store);
  if (!state) return undefined;
  if (path === CERT_PATH || path === '/_gureum/sns/public-key.pem') {
    const key = state.signingKey();
    await rt.store.committed();
    const text = path === CERT_PATH ? key.certificatePem : publicKeyPem(key);
    ctx.status = 200;
    ctx.res.writeHead(200, { 'content-type': 'application/x-pem-file', 'content-length': Buffer.byteLength(text) });
    ctx.res.end(text);
    return {};
  }
  if (path === '/_gureum/sns/messages') {
    if (ctx.method === 'DELETE') {
      state.clearOutbox();
      await rt.store.committed();
      return { cleared: true };
    }
    const type = ctx.query.get('type') ?? undefined;
    return { messages: state.outbox(type) };
  }
  if (path === '/_gureum/sns/opt-out' && ctx.method === 'POST') {
    const b = await body();
    const phoneNumber = String(b.phoneNumber ?? '');
    if (!/^\+?[1-9]\d{1,14}$/.test(phoneNumber)) throw new Error('phoneNumber must be an E.164 number');
    const scope = { account: String(b.accountId ?? rt.config.accountId), region: String(b.region ?? rt.config.defaultRegion) };
    state.optedOut.put(scope, phoneNumber, { phoneNumber, at: rt.clock.now() });
    await rt.store.committed();
    return { optedOut: phoneNumber, ...scope };
  }
  return undefined;
}
