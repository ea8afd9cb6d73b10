/**
 * Outbound identity federation: EnableOutboundWebIdentityFederation gives the account an issuer
 * (`https://<uuid>.tokens.sts.global.api.aws`) and signing keys (RS256 and ES384) with which STS
 * GetWebIdentityToken signs JWTs for external services. The issuer's host is not reachable from a
 * local machine, so its JSON Web Key Set is served at `GET /_gureum/iam/outbound-federation?account=`
 * (control.ts).
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import type { IAMHandlers } from '../generated/types.js';
import type { AccountRec, OutboundFederationRec } from '../state.js';
import type { IamContext } from './context.js';

const disabled = () => new AwsError('FeatureDisabledException', 'Outbound identity federation is disabled for your AWS account.', 404);

function newKeys(): OutboundFederationRec['keys'] {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
  return [
    { kid: randomUUID(), alg: 'RS256', pem: rsa.export({ type: 'pkcs8', format: 'pem' }).toString() },
    { kid: randomUUID(), alg: 'ES384', pem: ec.export({ type: 'pkcs8', format: 'pem' }).toString() },
  ];
}

export function outboundFederationOperations({ t }: IamContext): IAMHandlers {
  const account = (ctx: RequestContext): AccountRec => t.account.get(scopeOf(ctx), 'account') ?? { aliases: [] };
  const save = (ctx: RequestContext, a: AccountRec) => t.account.put(scopeOf(ctx), 'account', a);

  return {
    EnableOutboundWebIdentityFederation(_input, ctx) {
      const a = account(ctx);
      if (a.outboundFederation?.enabled) {
        throw new AwsError('FeatureEnabledException', 'Outbound identity federation is already enabled for your AWS account.', 409);
      }
      a.outboundFederation = a.outboundFederation
        ? { ...a.outboundFederation, enabled: true }
        : { issuer: `https://${randomUUID()}.tokens.sts.global.api.aws`, enabled: true, keys: newKeys() };
      save(ctx, a);
      return { IssuerIdentifier: a.outboundFederation.issuer };
    },

    DisableOutboundWebIdentityFederation(_input, ctx) {
      const a = account(ctx);
      if (!a.outboundFederation?.enabled) throw disabled();
      a.outboundFederation = { ...a.outboundFederation, enabled: false };
      save(ctx, a);
    },

    GetOutboundWebIdentityFederationInfo(_input, ctx) {
      const f = account(ctx).outboundFederation;
      if (!f?.enabled) throw disabled();
      return { IssuerIdentifier: f.issuer, JwtVendingEnabled: true };
    },
  };
}
