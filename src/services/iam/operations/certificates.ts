/**
 * Server certificates (Upload/Get/Update/Delete/List, tags) and users' signing certificates.
 * Certificates are parsed with node:crypto's X509Certificate (domain/x509.ts): a server
 * certificate's private key must match it and its chain must sign it in order; Expiration is the
 * certificate's notAfter. The private key is checked, never stored.
 */
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import type { IAMHandlers, ServerCertificateMetadata, SigningCertificate } from '../generated/types.js';
import {
  Constraints, alreadyExists, byPrefix, checkDuplicateTagKeys, checkName, checkPath, checkPathPrefix, checkPaging, checkTags, iamArn,
  limitExceeded, noSuchEntity, page, pageInOrder, uniqueId, validationError,
} from '../domain/common.js';
import { userFor } from '../domain/caller.js';
import { tagOps } from '../domain/tags.js';
import { canonicalPem, checkChain, parseCertificate, parseCertificates, parsePrivateKey } from '../domain/x509.js';
import { nameKey, type ServerCertRec, type SigningCertRec, type UserRec } from '../state.js';
import type { IamContext } from './context.js';

const SERVER_CERTS_PER_ACCOUNT = 20;
const SIGNING_CERTS_PER_USER = 2;
const PEM_RE = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const PEM_SRC = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
const CERT_ID_RE = /^[\w]+$/;
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

const signingCertId = () => [...randomBytes(32)].map((b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');

export function certificateOperations({ t, now }: IamContext): IAMHandlers {
  function serverCert(ctx: RequestContext, name: string): ServerCertRec {
    const c = t.serverCerts.get(scopeOf(ctx), nameKey(name));
    if (!c) throw noSuchEntity(`The Server Certificate with name ${name} cannot be found.`);
    return c;
  }
  const metadata = (c: ServerCertRec): ServerCertificateMetadata => ({
    Path: c.path, ServerCertificateName: c.name, ServerCertificateId: c.id, Arn: c.arn, UploadDate: new Date(c.uploaded), Expiration: new Date(c.expiration),
  });
  const tags = (c: ServerCertRec) => (c.tags.length ? c.tags.map((x) => ({ Key: x.Key, Value: x.Value })) : undefined);

  function signingCert(ctx: RequestContext, u: UserRec, id: string): SigningCertRec {
    const c = t.signingCerts.get(scopeOf(ctx), id);
    if (!c || c.user !== nameKey(u.name)) throw noSuchEntity(`The Certificate with id ${id} cannot be found.`);
    return c;
  }
  const signingOut = (c: SigningCertRec, u: UserRec): SigningCertificate => ({ UserName: u.name, CertificateId: c.id, CertificateBody: c.body, Status: c.status, UploadDate: new Date(c.uploaded) });
  const checkStatus = (status: string) => {
    if (status !== 'Active' && status !== 'Inactive') {
      throw validationError(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]`);
    }
  };

  return {
    UploadServerCertificate(input, ctx) {
      const c = checkName(new Constraints(), 'serverCertificateName', input.ServerCertificateName, 128);
      checkPath(c, 'path', input.Path)
        .length('certificateBody', input.CertificateBody, 1, 16384).pattern('certificateBody', input.CertificateBody, PEM_RE, PEM_SRC)
        .length('privateKey', input.PrivateKey, 1, 16384).pattern('privateKey', input.PrivateKey, PEM_RE, PEM_SRC)
        .length('certificateChain', input.CertificateChain, 1, 2097152).pattern('certificateChain', input.CertificateChain, PEM_RE, PEM_SRC);
      checkTags(c, input.Tags).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      const scope = scopeOf(ctx);
      const key = nameKey(input.ServerCertificateName);
      if (t.serverCerts.has(scope, key)) throw alreadyExists(`The Server Certificate with name ${input.ServerCertificateName} already exists.`);
      const cert = parseCertificate(input.CertificateBody);
      const privateKey = parsePrivateKey(input.PrivateKey);
      if (!cert.checkPrivateKey(privateKey)) throw new AwsError('KeyPairMismatchException', 'The public key in the certificate does not match the private key.', 400);
      const chain = input.CertificateChain !== undefined ? parseCertificates(input.CertificateChain) : undefined;
      if (chain) checkChain(cert, chain);
      if (t.serverCerts.count(scope) >= SERVER_CERTS_PER_ACCOUNT) throw limitExceeded(`Cannot exceed quota for ServerCertificatesPerAccount: ${SERVER_CERTS_PER_ACCOUNT}`);
      const path = input.Path ?? '/';
      const rec: ServerCertRec = {
        name: input.ServerCertificateName,
        path,
        id: uniqueId('ASCA'),
        arn: iamArn(ctx.accountId, 'server-certificate', path, input.ServerCertificateName),
        uploaded: now(),
        expiration: Date.parse(cert.validTo),
        body: canonicalPem(cert),
        chain: chain?.map(canonicalPem).join('\n'),
        tags: (input.Tags ?? []).map((x) => ({ Key: x.Key, Value: x.Value })),
      };
      t.serverCerts.put(scope, key, rec);
      return { ServerCertificateMetadata: metadata(rec), Tags: tags(rec) };
    },

    GetServerCertificate(input, ctx) {
      checkName(new Constraints(), 'serverCertificateName', input.ServerCertificateName, 128).throwIfAny();
      const c = serverCert(ctx, input.ServerCertificateName);
      return { ServerCertificate: { ServerCertificateMetadata: metadata(c), CertificateBody: c.body, CertificateChain: c.chain, Tags: tags(c) } };
    },

    ListServerCertificates(input, ctx) {
      checkPaging(checkPathPrefix(new Constraints(), input.PathPrefix), input).throwIfAny();
      const p = page(byPrefix(t.serverCerts.entries(scopeOf(ctx)), input.PathPrefix), ([k]) => k, input);
      return { ServerCertificateMetadataList: p.items.map(([, c]) => metadata(c)), IsTruncated: p.IsTruncated, Marker: p.Marker };
    },

    UpdateServerCertificate(input, ctx) {
      const c = checkName(new Constraints(), 'serverCertificateName', input.ServerCertificateName, 128);
      checkName(c, 'newServerCertificateName', input.NewServerCertificateName, 128);
      checkPath(c, 'newPath', input.NewPath).throwIfAny();
      const scope = scopeOf(ctx);
      const cert = serverCert(ctx, input.ServerCertificateName);
      const oldKey = nameKey(cert.name);
      const name = input.NewServerCertificateName ?? cert.name;
      const newKey = nameKey(name);
      if (newKey !== oldKey && t.serverCerts.has(scope, newKey)) throw alreadyExists(`The Server Certificate with name ${name} already exists.`);
      cert.name = name;
      cert.path = input.NewPath ?? cert.path;
      cert.arn = iamArn(ctx.accountId, 'server-certificate', cert.path, cert.name);
      if (newKey !== oldKey) t.serverCerts.delete(scope, oldKey);
      t.serverCerts.put(scope, newKey, cert);
    },

    DeleteServerCertificate(input, ctx) {
      checkName(new Constraints(), 'serverCertificateName', input.ServerCertificateName, 128).throwIfAny();
      const c = serverCert(ctx, input.ServerCertificateName);
      t.serverCerts.delete(scopeOf(ctx), nameKey(c.name));
    },

    ...(tagOps('ServerCertificate', 'ServerCertificateName', serverCert, (ctx, e) => t.serverCerts.put(scopeOf(ctx), nameKey(e.name), e), (c, v) => checkName(c, 'serverCertificateName', v, 128)) as IAMHandlers),

    // ---- signing certificates (X.509, per user; without UserName: the calling user)
    UploadSigningCertificate(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 128)
        .length('certificateBody', input.CertificateBody, 1, 16384).pattern('certificateBody', input.CertificateBody, PEM_RE, PEM_SRC)
        .throwIfAny();
      const u = userFor(t, input.UserName, ctx);
      const scope = scopeOf(ctx);
      const cert = parseCertificate(input.CertificateBody);
      const body = canonicalPem(cert);
      if ([...t.signingCerts.values(scope)].some((c) => c.body === body)) {
        throw new AwsError('DuplicateCertificateException', 'The same certificate is already associated with an IAM user in this account.', 409);
      }
      if ([...t.signingCerts.values(scope)].filter((c) => c.user === nameKey(u.name)).length >= SIGNING_CERTS_PER_USER) {
        throw limitExceeded(`Cannot exceed quota for SigningCertificatesPerUser: ${SIGNING_CERTS_PER_USER}`);
      }
      const rec: SigningCertRec = { id: signingCertId(), user: nameKey(u.name), body, status: 'Active', uploaded: now() };
      t.signingCerts.put(scope, rec.id, rec);
      return { Certificate: signingOut(rec, u) };
    },

    ListSigningCertificates(input, ctx) {
      checkPaging(checkName(new Constraints(), 'userName', input.UserName, 128), input).throwIfAny();
      const u = userFor(t, input.UserName, ctx);
      const mine = [...t.signingCerts.values(scopeOf(ctx))].filter((c) => c.user === nameKey(u.name)).sort((a, b) => a.uploaded - b.uploaded);
      const pg = pageInOrder(mine, input);
      return { Certificates: pg.items.map((c) => signingOut(c, u)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    UpdateSigningCertificate(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 128)
        .length('certificateId', input.CertificateId, 24, 128).pattern('certificateId', input.CertificateId, CERT_ID_RE, '[\\w]+')
        .throwIfAny();
      checkStatus(input.Status);
      const u = userFor(t, input.UserName, ctx);
      const c = signingCert(ctx, u, input.CertificateId);
      c.status = input.Status as SigningCertRec['status'];
      t.signingCerts.put(scopeOf(ctx), c.id, c);
    },

    DeleteSigningCertificate(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 128)
        .length('certificateId', input.CertificateId, 24, 128).pattern('certificateId', input.CertificateId, CERT_ID_RE, '[\\w]+')
        .throwIfAny();
      const u = userFor(t, input.UserName, ctx);
      t.signingCerts.delete(scopeOf(ctx), signingCert(ctx, u, input.CertificateId).id);
    },
  };
}
