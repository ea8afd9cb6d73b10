/**
 * IAM's routes under /_gureum/iam (called from src/control/control.ts):
 *
 *   POST /_gureum/iam/explain   "would X be allowed, and why?" — the same engine and inputs as
 *        the gateway's authorize step. Body: {"action", "resource"?, "region"?, "context"?, and
 *        who: "principal" (IAM user/role ARN, account id or root ARN) or "accessKeyId"}. Answers
 *        the decision, the deciding kind of policy, AWS's AccessDenied sentence, the deciding
 *        statements (policy, Sid/index, effect, source text) and the context keys used/missing.
 *        GET with the same names as query parameters works too.
 *   PUT    /_gureum/iam/oidc-keys {"issuer", "jwks": {"keys": […]}}  keys AssumeRoleWithWebIdentity
 *          verifies that issuer's tokens with (instead of fetching the issuer's jwks_uri)
 *   GET    /_gureum/iam/oidc-keys[?issuer=]   the registered issuers (or one issuer's keys)
 *   DELETE /_gureum/iam/oidc-keys?issuer=     forget them
 *   GET    /_gureum/iam/outbound-federation?account=   an account's outbound-federation issuer and
 *          its JSON Web Key Set (what `<issuer>/.well-known/jwks.json` serves at AWS), to verify
 *          the JWTs STS GetWebIdentityToken signs
 */
import type { RequestContext } from '../../gateway/context.js';
import { PARTITION } from '../../core/regions.js';
import { accountForAccessKey } from '../../core/accounts.js';
import { authorize } from './domain/authorize.js';
import { localJwks, registerLocalJwks, removeLocalJwks } from './domain/federation.js';
import { parseEntityArn } from './policy/sources.js';
import { outboundJwks } from './internal.js';
import { GLOBAL_SCOPE, iamScope, iamTables, nameKey } from './state.js';

type Body = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export async function iamControl(ctx: RequestContext, path: string, body: () => Promise<Body>): Promise<object | undefined> {
  const rt = ctx.runtime;
  if (path === '/_gureum/iam/explain') {
    const input: Body = ctx.method === 'GET' ? Object.fromEntries(ctx.query) : await body();
    return explain(ctx, input);
  }
  if (path === '/_gureum/iam/oidc-keys') {
    const issuer = ctx.query.get('issuer') ?? undefined;
    if (ctx.method === 'PUT' || ctx.method === 'POST') {
      const b = await body();
      const jwks = b.jwks as { keys?: unknown } | undefined;
      if (!str(b.issuer) || !jwks || !Array.isArray(jwks.keys)) throw new Error('body must be {"issuer": "https://…", "jwks": {"keys": [ … ]}}');
      registerLocalJwks(rt.store, b.issuer as string, jwks.keys);
      await rt.store.committed();
      return { issuer: b.issuer, keys: jwks.keys.length };
    }
    if (ctx.method === 'DELETE') {
      if (!issuer) throw new Error('issuer query parameter required');
      const removed = removeLocalJwks(rt.store, issuer);
      await rt.store.committed();
      return { issuer, removed };
    }
    if (issuer) return localJwks(rt.store, issuer) ?? { keys: [] };
    return { issuers: [...iamTables(rt.store).jwks.values(GLOBAL_SCOPE)].map((r) => r.issuer) };
  }
  if (path === '/_gureum/iam/outbound-federation') {
    const account = ctx.query.get('account') ?? ctx.accountId;
    const f = outboundJwks(rt.store, account);
    if (!f) throw new Error(`outbound identity federation was never enabled for account ${account}`);
    return { issuer: f.issuer, enabled: f.enabled, jwks: { keys: f.keys } };
  }
  return undefined;
}

function explain(ctx: RequestContext, b: Body): object {
  const rt = ctx.runtime;
  const action = str(b.action);
  if (!action || !action.includes(':')) throw new Error('"action" (service:Action) is required');
  const region = str(b.region) ?? 'us-east-1';
  const context = (b.context && typeof b.context === 'object' ? b.context : {}) as Record<string, string | string[]>;
  let req: Parameters<typeof authorize>[0];
  const base = { store: rt.store, action, resource: str(b.resource), now: rt.clock.now(), context };
  const accessKeyId = str(b.accessKeyId);
  if (accessKeyId) {
    req = { ...base, ctx: { accessKeyId, accountId: accountForAccessKey(accessKeyId, rt.config.accountId), region } };
  } else {
    const caller = principal(ctx, str(b.principal) ?? rt.config.accountId);
    req = { ...base, ctx: { accountId: caller.account, region }, caller };
  }
  const d = authorize(req);
  return {
    allowed: d.decision === 'allowed',
    decision: d.decision,
    decidedBy: d.decidedBy,
    reason: d.reason,
    message: d.message,
    caller: d.callerArn,
    action: d.action,
    resource: d.resource,
    crossAccount: d.crossAccount,
    identityDecision: d.identityDecision,
    resourceDecision: d.resourceDecision,
    allowedByPermissionsBoundary: d.allowedByBoundary,
    allowedBySessionPolicies: d.allowedBySession,
    allowedByServiceControlPolicies: d.allowedByOrganizations,
    allowedByResourceControlPolicies: d.allowedByRcps,
    matchedStatements: d.matched.map((m) => ({
      policy: m.policy.label ?? m.policy.id,
      policyType: m.policy.type,
      sid: m.statement.sid,
      index: m.statement.index,
      effect: m.statement.effect,
      action: m.statement.action ?? m.statement.notAction,
      resource: m.statement.resource ?? m.statement.notResource,
      conditions: m.statement.conditions,
    })),
    missingContextKeys: d.missing,
    context: d.context,
  };
}

/** An explain request's principal: an IAM user or role (by ARN), or an account's root. */
function principal(ctx: RequestContext, who: string): { arn: string; account: string; principalArn: string; userId: string } {
  if (/^\d{12}$/.test(who) || /^arn:aws[\w-]*:iam::\d{12}:root$/.test(who)) {
    const account = who.length === 12 ? who : who.split(':')[4]!;
    const arn = `arn:${PARTITION}:iam::${account}:root`;
    return { arn, account, principalArn: arn, userId: account };
  }
  const e = parseEntityArn(who);
  if (!e || e.kind === 'group') throw new Error('"principal" must be an IAM user or role ARN, an account id or a root ARN');
  const t = iamTables(ctx.runtime.store);
  const rec = (e.kind === 'user' ? t.users : t.roles).get(iamScope(e.account), nameKey(e.name));
  if (!rec) throw new Error(`${who} does not exist`);
  return { arn: rec.arn, account: e.account, principalArn: rec.arn, userId: rec.id };
}
