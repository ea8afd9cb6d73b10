/**
 * Identity providers for federation: SAML 2.0 providers (IdP metadata with its signing
 * certificates) and OpenID Connect providers (issuer URL, client ids, thumbprints). STS's
 * AssumeRoleWithSAML / AssumeRoleWithWebIdentity read them through internal.ts.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { PARTITION } from '../../../core/regions.js';
import type { IAMHandlers, SAMLPrivateKey } from '../generated/types.js';
import { Constraints, alreadyExists, checkArn, checkDuplicateTagKeys, checkTags, invalidInput, limitExceeded, noSuchEntity, validationError } from '../domain/common.js';
import { parseSamlMetadata } from '../domain/saml-metadata.js';
import { tagOps } from '../domain/tags.js';
import type { OidcProviderRec, SamlProviderRec, Tag } from '../state.js';
import type { IamContext } from './context.js';

const SAML_NAME_RE = /^[\w._-]+$/;
const THUMBPRINT_RE = /^[0-9a-fA-F]{40}$/;
const MAX_CLIENT_IDS = 100;
const MAX_THUMBPRINTS = 5;
/** AWS: metadata without validUntil is trusted for 100 years from upload. */
const DEFAULT_VALIDITY_MS = 100 * 365 * 86_400_000;

const copyTags = (tags: Tag[] | undefined) => (tags ?? []).map((x) => ({ Key: x.Key, Value: x.Value }));
const tagsOut = (tags: Tag[]) => (tags.length ? tags.map((x) => ({ Key: x.Key, Value: x.Value })) : undefined);

/** `https://host/path` → `host/path` (IAM keys OIDC providers by URL without the scheme or a trailing slash). */
export function oidcKey(url: string): string {
  return url.replace(/^https:\/\//i, '').replace(/\/+$/, '');
}

export function providerOperations({ t, now }: IamContext): IAMHandlers {
  // ---- SAML
  function saml(ctx: RequestContext, arn: string): SamlProviderRec {
    const p = t.saml.get(scopeOf(ctx), arn);
    if (!p) throw noSuchEntity(`Manifest not found for arn ${arn}`);
    return p;
  }
  const saveSaml = (ctx: RequestContext, p: SamlProviderRec) => t.saml.put(scopeOf(ctx), p.arn, p);
  const checkMetadata = (c: Constraints, doc: string | undefined) => c.length('sAMLMetadataDocument', doc, 1000, 10_000_000);
  function checkMode(mode: string | undefined): void {
    if (mode !== undefined && mode !== 'Required' && mode !== 'Allowed') {
      throw validationError(`1 validation error detected: Value '${mode}' at 'assertionEncryptionMode' failed to satisfy constraint: Member must satisfy enum value set: [Required, Allowed]`);
    }
  }
  function addKey(p: SamlProviderRec, pem: string | undefined): void {
    if (!pem) return;
    if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) throw invalidInput('The private key is not valid.');
    if (p.privateKeys.length >= 2) throw limitExceeded('Cannot exceed quota for PrivateKeysPerSAMLProvider: 2');
    p.privateKeys.push({ keyId: `${p.uuid.replace(/-/g, '').slice(0, 22).toUpperCase()}${p.privateKeys.length}`, pem, timestamp: now() });
  }
  const keysOut = (p: SamlProviderRec): SAMLPrivateKey[] | undefined => (p.privateKeys.length ? p.privateKeys.map((k) => ({ KeyId: k.keyId, Timestamp: new Date(k.timestamp) })) : undefined);

  // ---- OIDC
  function oidc(ctx: RequestContext, arn: string): OidcProviderRec {
    const p = t.oidc.get(scopeOf(ctx), arn);
    if (!p) throw noSuchEntity(`OpenIDConnect Provider not found for arn ${arn}`);
    return p;
  }
  const saveOidc = (ctx: RequestContext, p: OidcProviderRec) => t.oidc.put(scopeOf(ctx), p.arn, p);
  function checkThumbprints(c: Constraints, list: string[] | undefined): Constraints {
    c.count('thumbprintList', list, MAX_THUMBPRINTS);
    for (const [i, v] of (list ?? []).entries()) c.length(`thumbprintList.${i + 1}.member`, v, 40, 40);
    return c;
  }
  function checkClientIds(c: Constraints, list: string[] | undefined): Constraints {
    c.count('clientIDList', list, MAX_CLIENT_IDS);
    for (const [i, v] of (list ?? []).entries()) c.length(`clientIDList.${i + 1}.member`, v, 1, 255);
    return c;
  }
  function thumbprintsValid(list: string[] | undefined): void {
    for (const v of list ?? []) if (!THUMBPRINT_RE.test(v)) throw invalidInput(`Thumbprint ${v} is not valid. The thumbprint must be a 40-character hexadecimal string.`);
  }

  return {
    CreateSAMLProvider(input, ctx) {
      const c = new Constraints().length('name', input.Name, 1, 128).pattern('name', input.Name, SAML_NAME_RE, '[\\w._-]+');
      checkTags(checkMetadata(c, input.SAMLMetadataDocument), input.Tags).length('addPrivateKey', input.AddPrivateKey, 1, 16384).throwIfAny();
      checkMode(input.AssertionEncryptionMode);
      checkDuplicateTagKeys(input.Tags);
      const meta = parseSamlMetadata(input.SAMLMetadataDocument);
      const arn = `arn:${PARTITION}:iam::${ctx.accountId}:saml-provider/${input.Name}`;
      if (t.saml.has(scopeOf(ctx), arn)) throw alreadyExists(`SAMLProvider ${input.Name} already exists`);
      const created = now();
      const p: SamlProviderRec = {
        arn,
        name: input.Name,
        uuid: randomUUID(),
        metadata: input.SAMLMetadataDocument,
        created,
        validUntil: meta.validUntil ?? created + DEFAULT_VALIDITY_MS,
        tags: copyTags(input.Tags),
        assertionEncryptionMode: input.AssertionEncryptionMode,
        privateKeys: [],
      };
      addKey(p, input.AddPrivateKey);
      saveSaml(ctx, p);
      return { SAMLProviderArn: arn, Tags: tagsOut(p.tags) };
    },

    GetSAMLProvider(input, ctx) {
      checkArn(new Constraints(), 'sAMLProviderArn', input.SAMLProviderArn).throwIfAny();
      const p = saml(ctx, input.SAMLProviderArn);
      return {
        SAMLProviderUUID: p.uuid,
        SAMLMetadataDocument: p.metadata,
        CreateDate: new Date(p.created),
        ValidUntil: new Date(p.validUntil),
        Tags: tagsOut(p.tags),
        AssertionEncryptionMode: p.assertionEncryptionMode,
        PrivateKeyList: keysOut(p),
      };
    },

    UpdateSAMLProvider(input, ctx) {
      checkMetadata(checkArn(new Constraints(), 'sAMLProviderArn', input.SAMLProviderArn), input.SAMLMetadataDocument).length('addPrivateKey', input.AddPrivateKey, 1, 16384).throwIfAny();
      checkMode(input.AssertionEncryptionMode);
      const p = saml(ctx, input.SAMLProviderArn);
      if (input.SAMLMetadataDocument !== undefined) {
        const meta = parseSamlMetadata(input.SAMLMetadataDocument);
        p.metadata = input.SAMLMetadataDocument;
        p.validUntil = meta.validUntil ?? now() + DEFAULT_VALIDITY_MS;
      }
      if (input.AssertionEncryptionMode) p.assertionEncryptionMode = input.AssertionEncryptionMode;
      if (input.RemovePrivateKey) {
        const i = p.privateKeys.findIndex((k) => k.keyId === input.RemovePrivateKey);
        if (i < 0) throw invalidInput(`The private key ${input.RemovePrivateKey} does not exist.`);
        p.privateKeys.splice(i, 1);
      }
      addKey(p, input.AddPrivateKey);
      saveSaml(ctx, p);
      return { SAMLProviderArn: p.arn };
    },

    DeleteSAMLProvider(input, ctx) {
      checkArn(new Constraints(), 'sAMLProviderArn', input.SAMLProviderArn).throwIfAny();
      saml(ctx, input.SAMLProviderArn);
      t.saml.delete(scopeOf(ctx), input.SAMLProviderArn);
    },

    ListSAMLProviders(_input, ctx) {
      const rows = [...t.saml.values(scopeOf(ctx))].sort((a, b) => (a.arn < b.arn ? -1 : 1));
      return { SAMLProviderList: rows.map((p) => ({ Arn: p.arn, CreateDate: new Date(p.created), ValidUntil: new Date(p.validUntil) })) };
    },

    CreateOpenIDConnectProvider(input, ctx) {
      const c = new Constraints().length('url', input.Url, 1, 255);
      checkTags(checkThumbprints(checkClientIds(c, input.ClientIDList), input.ThumbprintList), input.Tags).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      let url: URL;
      try {
        url = new URL(input.Url);
      } catch {
        throw invalidInput('Invalid Open ID Connect Provider URL');
      }
      if (url.protocol !== 'https:' || url.search || url.hash || url.port) throw invalidInput('Invalid Open ID Connect Provider URL');
      thumbprintsValid(input.ThumbprintList);
      const key = oidcKey(input.Url);
      const arn = `arn:${PARTITION}:iam::${ctx.accountId}:oidc-provider/${key}`;
      if (t.oidc.has(scopeOf(ctx), arn)) throw alreadyExists(`Provider with url https://${key} already exists.`);
      const p: OidcProviderRec = {
        arn,
        url: key,
        clientIds: [...new Set(input.ClientIDList ?? [])],
        thumbprints: [...new Set((input.ThumbprintList ?? []).map((x) => x.toLowerCase()))],
        created: now(),
        tags: copyTags(input.Tags),
      };
      saveOidc(ctx, p);
      return { OpenIDConnectProviderArn: arn, Tags: tagsOut(p.tags) };
    },

    GetOpenIDConnectProvider(input, ctx) {
      checkArn(new Constraints(), 'openIDConnectProviderArn', input.OpenIDConnectProviderArn).throwIfAny();
      const p = oidc(ctx, input.OpenIDConnectProviderArn);
      return { Url: p.url, ClientIDList: p.clientIds, ThumbprintList: p.thumbprints, CreateDate: new Date(p.created), Tags: tagsOut(p.tags) };
    },

    AddClientIDToOpenIDConnectProvider(input, ctx) {
      checkArn(new Constraints(), 'openIDConnectProviderArn', input.OpenIDConnectProviderArn).length('clientID', input.ClientID, 1, 255).throwIfAny();
      const p = oidc(ctx, input.OpenIDConnectProviderArn);
      if (p.clientIds.includes(input.ClientID)) return;
      if (p.clientIds.length >= MAX_CLIENT_IDS) throw limitExceeded(`Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: ${MAX_CLIENT_IDS}`);
      p.clientIds.push(input.ClientID);
      saveOidc(ctx, p);
    },

    RemoveClientIDFromOpenIDConnectProvider(input, ctx) {
      checkArn(new Constraints(), 'openIDConnectProviderArn', input.OpenIDConnectProviderArn).length('clientID', input.ClientID, 1, 255).throwIfAny();
      const p = oidc(ctx, input.OpenIDConnectProviderArn);
      p.clientIds = p.clientIds.filter((x) => x !== input.ClientID);
      saveOidc(ctx, p);
    },

    UpdateOpenIDConnectProviderThumbprint(input, ctx) {
      checkThumbprints(checkArn(new Constraints(), 'openIDConnectProviderArn', input.OpenIDConnectProviderArn), input.ThumbprintList).throwIfAny();
      thumbprintsValid(input.ThumbprintList);
      const p = oidc(ctx, input.OpenIDConnectProviderArn);
      p.thumbprints = [...new Set(input.ThumbprintList.map((x) => x.toLowerCase()))];
      saveOidc(ctx, p);
    },

    DeleteOpenIDConnectProvider(input, ctx) {
      checkArn(new Constraints(), 'openIDConnectProviderArn', input.OpenIDConnectProviderArn).throwIfAny();
      // AWS: deleting a provider that does not exist succeeds
      t.oidc.delete(scopeOf(ctx), input.OpenIDConnectProviderArn);
    },

    ListOpenIDConnectProviders(_input, ctx) {
      const rows = [...t.oidc.values(scopeOf(ctx))].sort((a, b) => (a.arn < b.arn ? -1 : 1));
      return { OpenIDConnectProviderList: rows.map((p) => ({ Arn: p.arn })) };
    },

    ...(tagOps('SAMLProvider', 'SAMLProviderArn', (ctx, arn) => saml(ctx, arn), saveSaml, (c, v) => checkArn(c, 'sAMLProviderArn', v)) as IAMHandlers),
    ...(tagOps('OpenIDConnectProvider', 'OpenIDConnectProviderArn', (ctx, arn) => oidc(ctx, arn), saveOidc, (c, v) => checkArn(c, 'openIDConnectProviderArn', v)) as IAMHandlers),
  };
}
