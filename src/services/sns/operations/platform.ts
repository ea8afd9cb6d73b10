/**
 * Mobile push: platform applications and their device endpoints. Applications and endpoints live
 * in the account × region of their ARN. Nothing is sent to APNs/FCM/…: a publish to an endpoint
 * is recorded in the outbox (see delivery.ts).
 */
import { randomUUID } from 'node:crypto';
import { arn as makeArn } from '../../../core/arn.js';
import { scopeOf } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { scopeOfArn, type EndpointRecord, type SnsState } from '../state.js';
import { invalidParameter } from '../domain/errors.js';
import {
  appNotFound, endpointNotFound, parseAppArn, parseEndpointArn, PLATFORMS, requireAttributes, shownAppAttributes,
  validateAppAttributes, validateAppName, validateEndpointAttributes,
} from '../domain/platform.js';
import { page } from './paging.js';

/** The endpoint's attributes as CreatePlatformEndpoint would set them (for its idempotency check). */
function requested(token: string, customUserData: string | undefined, attrs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = { Enabled: 'true', Token: token };
  if (customUserData !== undefined && customUserData !== '') out.CustomUserData = customUserData;
  for (const [k, v] of Object.entries(attrs)) out[k] = k === 'Enabled' ? v.toLowerCase() : v;
  return out;
}

const sameAttributes = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export function platformHandlers(state: SnsState): T.SNSHandlers {
  const clock = state.rt.clock;

  function app(arn: string | undefined) {
    const ref = parseAppArn(arn);
    const a = state.platformApps.get(scopeOfArn(ref), arn!);
    if (!a) throw appNotFound();
    return a;
  }

  function endpointsOf(appArn: string, scope: { account: string; region: string }): EndpointRecord[] {
    return [...state.endpoints.values(scope)].filter((e) => e.appArn === appArn);
  }

  return {
    CreatePlatformApplication(input, ctx) {
      validateAppName(input.Name);
      if (!PLATFORMS.has(input.Platform)) throw invalidParameter(`Invalid parameter: Platform Reason: ${input.Platform} is not supported`);
      const attributes = validateAppAttributes(input.Attributes, input.Platform, true);
      const scope = scopeOf(ctx);
      const arn = makeArn('sns', scope.region, scope.account, `app/${input.Platform}/${input.Name}`);
      // Creating an existing application again replaces its attributes and keeps its endpoints.
      const existing = state.platformApps.get(scope, arn);
      state.platformApps.put(scope, arn, {
        arn, name: input.Name, platform: input.Platform, account: scope.account, region: scope.region, attributes, createdAt: existing?.createdAt ?? clock.now(),
      });
      return { PlatformApplicationArn: arn };
    },

    GetPlatformApplicationAttributes(input) {
      return { Attributes: shownAppAttributes(app(input.PlatformApplicationArn)) };
    },

    SetPlatformApplicationAttributes(input) {
      const a = app(input.PlatformApplicationArn);
      const attributes = validateAppAttributes(input.Attributes, a.platform, false, a.attributes);
      for (const [k, v] of Object.entries(attributes)) if (v === '' && !k.startsWith('Platform')) delete attributes[k];
      state.platformApps.put(scopeOfArn(a), a.arn, { ...a, attributes });
    },

    ListPlatformApplications(input, ctx) {
      const { items, next } = page([...state.platformApps.values(scopeOf(ctx))], input.NextToken, (a) => a.arn);
      return { PlatformApplications: items.map((a) => ({ PlatformApplicationArn: a.arn, Attributes: shownAppAttributes(a) })), NextToken: next };
    },

    DeletePlatformApplication(input) {
      const ref = parseAppArn(input.PlatformApplicationArn);
      const scope = scopeOfArn(ref);
      if (!state.platformApps.delete(scope, input.PlatformApplicationArn)) return; // idempotent, as on AWS
      for (const e of endpointsOf(input.PlatformApplicationArn, scope)) state.endpoints.delete(scope, e.arn);
    },

    CreatePlatformEndpoint(input) {
      const a = app(input.PlatformApplicationArn);
      if (!input.Token) throw invalidParameter('Invalid parameter: Token Reason: cannot be empty');
      const wanted = requested(input.Token, input.CustomUserData, input.Attributes ?? {});
      validateEndpointAttributes(wanted);
      const scope = scopeOfArn(a);
      // Idempotent for the same token and attributes; the same token with others is refused.
      const existing = endpointsOf(a.arn, scope).find((e) => e.attributes.Token === wanted.Token);
      if (existing) {
        if (!sameAttributes(existing.attributes, wanted)) {
          throw invalidParameter(`Invalid parameter: Token Reason: Endpoint ${existing.arn} already exists with the same Token, but different attributes.`);
        }
        return { EndpointArn: existing.arn };
      }
      const arn = makeArn('sns', a.region, a.account, `endpoint/${a.platform}/${a.name}/${randomUUID()}`);
      state.endpoints.put(scope, arn, { arn, appArn: a.arn, attributes: wanted, createdAt: clock.now() });
      return { EndpointArn: arn };
    },

    GetEndpointAttributes(input) {
      const ref = parseEndpointArn(input.EndpointArn);
      const e = state.endpoints.get(scopeOfArn(ref), ref.arn);
      if (!e) throw endpointNotFound();
      return { Attributes: { ...e.attributes } };
    },

    SetEndpointAttributes(input) {
      const ref = parseEndpointArn(input.EndpointArn);
      const e = state.endpoints.get(scopeOfArn(ref), ref.arn);
      if (!e) throw endpointNotFound();
      const attrs = requireAttributes(input.Attributes);
      validateEndpointAttributes(attrs);
      const attributes = { ...e.attributes };
      for (const [k, v] of Object.entries(attrs)) {
        if (k === 'CustomUserData' && v === '') delete attributes.CustomUserData;
        else attributes[k] = k === 'Enabled' ? v.toLowerCase() : v;
      }
      state.endpoints.put(scopeOfArn(ref), ref.arn, { ...e, attributes });
    },

    ListEndpointsByPlatformApplication(input) {
      const a = app(input.PlatformApplicationArn);
      const { items, next } = page(endpointsOf(a.arn, scopeOfArn(a)), input.NextToken, (e) => e.arn);
      return { Endpoints: items.map((e) => ({ EndpointArn: e.arn, Attributes: { ...e.attributes } })), NextToken: next };
    },

    DeleteEndpoint(input) {
      const ref = parseEndpointArn(input.EndpointArn);
      state.endpoints.delete(scopeOfArn(ref), ref.arn); // idempotent, as on AWS
    },
  };
}
