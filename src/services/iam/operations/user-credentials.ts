/**
 * A user's other credentials: SSH public keys (CodeCommit; domain/ssh-keys.ts) and
 * service-specific credentials — a user name and password for CodeCommit and Amazon Keyspaces,
 * a long-term API key for Amazon Bedrock. Passwords and secrets are shown once (create, reset)
 * and kept only as a SHA-256.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import type { IAMHandlers, ServiceSpecificCredential, ServiceSpecificCredentialMetadata } from '../generated/types.js';
import { Constraints, checkName, checkPaging, limitExceeded, noSuchEntity, pageInOrder, uniqueId, validationError } from '../domain/common.js';
import { callerUserName, userFor } from '../domain/caller.js';
import { findUser } from '../domain/model.js';
import { parseSshPublicKey, unrecognizedEncoding } from '../domain/ssh-keys.js';
import { nameKey, type ServiceCredRec, type SshKeyRec, type UserRec } from '../state.js';
import type { IamContext } from './context.js';

const SSH_KEYS_PER_USER = 5;
const CREDS_PER_SERVICE = 2;
const SSH_BODY_RE = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
const ID_RE = /^[\w]+$/;
const DAY_MS = 86_400_000;

/** Services IAM makes service-specific credentials for: user name + password, or an API key. */
const SERVICES: Record<string, 'password' | 'api-key'> = {
  'codecommit.amazonaws.com': 'password',
  'cassandra.amazonaws.com': 'password',
  'bedrock.amazonaws.com': 'api-key',
};

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (n: number, alphabet = ALNUM) => [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');

export function userCredentialOperations({ t, now }: IamContext): IAMHandlers {
  const checkStatus = (status: string) => {
    if (status !== 'Active' && status !== 'Inactive') {
      throw validationError(`1 validation error detected: Value '${status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]`);
    }
  };
  const mine = <T extends { user: string }>(values: Iterable<T>, u: UserRec) => [...values].filter((x) => x.user === nameKey(u.name));

  // ---- SSH public keys
  function sshKey(ctx: RequestContext, u: UserRec, id: string): SshKeyRec {
    const k = t.sshKeys.get(scopeOf(ctx), id);
    if (!k || k.user !== nameKey(u.name)) throw noSuchEntity(`The Public Key with id ${id} cannot be found.`);
    return k;
  }
  const checkKeyId = (c: Constraints, id: string | undefined) => c.length('sSHPublicKeyId', id, 20, 128).pattern('sSHPublicKeyId', id, ID_RE, '[\\w]+');

  // ---- service-specific credentials
  function credential(ctx: RequestContext, u: UserRec | undefined, id: string): ServiceCredRec {
    const c = t.serviceCreds.get(scopeOf(ctx), id);
    if (!c || (u && c.user !== nameKey(u.name))) throw noSuchEntity(`No such credential ${id} exists`);
    return c;
  }
  const credUser = (ctx: RequestContext, c: ServiceCredRec) => t.users.get(scopeOf(ctx), c.user)?.name ?? c.user;
  const status = (c: ServiceCredRec): string => (c.expires !== undefined && now() >= c.expires ? 'Expired' : c.status);
  function credMetadata(ctx: RequestContext, c: ServiceCredRec): ServiceSpecificCredentialMetadata {
    return {
      UserName: credUser(ctx, c), Status: status(c), ServiceUserName: c.serviceUserName, ServiceCredentialAlias: c.alias, CreateDate: new Date(c.created),
      ExpirationDate: c.expires !== undefined ? new Date(c.expires) : undefined, ServiceSpecificCredentialId: c.id, ServiceName: c.service,
    };
  }
  /** A new secret for the credential: a password, or an API key that names its alias (shown once). */
  function issueSecret(ctx: RequestContext, c: ServiceCredRec): ServiceSpecificCredential {
    const out: ServiceSpecificCredential = { ...credMetadata(ctx, c) } as ServiceSpecificCredential;
    if (SERVICES[c.service] === 'password') {
      const password = randomBytes(33).toString('base64');
      c.secretHash = sha256(password);
      out.ServicePassword = password;
    } else {
      const secret = `ABSK${Buffer.from(`${c.alias}:${randomBytes(45).toString('base64')}`).toString('base64')}`;
      c.secretHash = sha256(secret);
      out.ServiceCredentialSecret = secret;
    }
    return out;
  }

  return {
    UploadSSHPublicKey(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 128)
        .length('sSHPublicKeyBody', input.SSHPublicKeyBody, 1, 16384).pattern('sSHPublicKeyBody', input.SSHPublicKeyBody, SSH_BODY_RE, '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+')
        .throwIfAny();
      const scope = scopeOf(ctx);
      const u = findUser(t, scope, input.UserName);
      const parsed = parseSshPublicKey(input.SSHPublicKeyBody);
      const keys = mine(t.sshKeys.values(scope), u);
      if (keys.some((k) => k.fingerprint === parsed.fingerprint)) {
        throw new AwsError('DuplicateSSHPublicKeyException', 'The SSH public key is already associated with the specified IAM user.', 400);
      }
      if (keys.length >= SSH_KEYS_PER_USER) throw limitExceeded(`Cannot exceed quota for SSHPublicKeysPerUser: ${SSH_KEYS_PER_USER}`);
      const k: SshKeyRec = { id: uniqueId('APKA'), user: nameKey(u.name), ...parsed, status: 'Active', uploaded: now() };
      t.sshKeys.put(scope, k.id, k);
      return { SSHPublicKey: { UserName: u.name, SSHPublicKeyId: k.id, Fingerprint: k.fingerprint, SSHPublicKeyBody: k.ssh, Status: k.status, UploadDate: new Date(k.uploaded) } };
    },

    GetSSHPublicKey(input, ctx) {
      checkKeyId(checkName(new Constraints(), 'userName', input.UserName, 128), input.SSHPublicKeyId).throwIfAny();
      if (input.Encoding !== 'SSH' && input.Encoding !== 'PEM') throw unrecognizedEncoding(`The encoding ${input.Encoding} is not recognized. Valid encodings are SSH and PEM.`);
      const u = findUser(t, scopeOf(ctx), input.UserName);
      const k = sshKey(ctx, u, input.SSHPublicKeyId);
      return {
        SSHPublicKey: { UserName: u.name, SSHPublicKeyId: k.id, Fingerprint: k.fingerprint, SSHPublicKeyBody: input.Encoding === 'SSH' ? k.ssh : k.pem, Status: k.status, UploadDate: new Date(k.uploaded) },
      };
    },

    ListSSHPublicKeys(input, ctx) {
      checkPaging(checkName(new Constraints(), 'userName', input.UserName, 128), input).throwIfAny();
      const u = userFor(t, input.UserName, ctx);
      const keys = mine(t.sshKeys.values(scopeOf(ctx)), u).sort((a, b) => a.uploaded - b.uploaded);
      const pg = pageInOrder(keys, input);
      return { SSHPublicKeys: pg.items.map((k) => ({ UserName: u.name, SSHPublicKeyId: k.id, Status: k.status, UploadDate: new Date(k.uploaded) })), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    UpdateSSHPublicKey(input, ctx) {
      checkKeyId(checkName(new Constraints(), 'userName', input.UserName, 128), input.SSHPublicKeyId).throwIfAny();
      checkStatus(input.Status);
      const u = findUser(t, scopeOf(ctx), input.UserName);
      const k = sshKey(ctx, u, input.SSHPublicKeyId);
      k.status = input.Status as SshKeyRec['status'];
      t.sshKeys.put(scopeOf(ctx), k.id, k);
    },

    DeleteSSHPublicKey(input, ctx) {
      checkKeyId(checkName(new Constraints(), 'userName', input.UserName, 128), input.SSHPublicKeyId).throwIfAny();
      const u = findUser(t, scopeOf(ctx), input.UserName);
      t.sshKeys.delete(scopeOf(ctx), sshKey(ctx, u, input.SSHPublicKeyId).id);
    },

    // ---- service-specific credentials
    CreateServiceSpecificCredential(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).range('credentialAgeDays', input.CredentialAgeDays, 1, 36600).throwIfAny();
      const kind = SERVICES[input.ServiceName];
      if (!kind) throw new AwsError('ServiceNotSupportedException', `No such service ${input.ServiceName} is supported for Service-Specific Credentials`, 404);
      if (input.CredentialAgeDays !== undefined && kind !== 'api-key') throw new AwsError('InvalidInputException', `CredentialAgeDays is not supported for ${input.ServiceName}.`, 400);
      const scope = scopeOf(ctx);
      const u = findUser(t, scope, input.UserName);
      if (mine(t.serviceCreds.values(scope), u).filter((c) => c.service === input.ServiceName).length >= CREDS_PER_SERVICE) {
        throw limitExceeded(`Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: ${CREDS_PER_SERVICE}`);
      }
      const created = now();
      const c: ServiceCredRec = {
        id: uniqueId('ACCA'),
        user: nameKey(u.name),
        service: input.ServiceName,
        secretHash: '',
        status: 'Active',
        created,
        expires: input.CredentialAgeDays !== undefined ? created + input.CredentialAgeDays * DAY_MS : undefined,
      };
      // CodeCommit/Keyspaces: <user>-at-<account> (+ digits when taken); Bedrock: BedrockAPIKey-<id>-at-<account>
      if (kind === 'password') {
        const base = `${u.name}-at-${ctx.accountId}`;
        const taken = new Set([...t.serviceCreds.values(scope)].filter((x) => x.service === c.service).map((x) => x.serviceUserName));
        let name = base;
        for (let i = 1; taken.has(name); i++) name = `${base}-${i}`;
        c.serviceUserName = name;
      } else c.alias = `${input.ServiceName.split('.')[0]!.replace(/^./, (x) => x.toUpperCase())}APIKey-${randomText(4, 'abcdefghijklmnopqrstuvwxyz0123456789')}-at-${ctx.accountId}`;
      const out = issueSecret(ctx, c);
      t.serviceCreds.put(scope, c.id, c);
      return { ServiceSpecificCredential: out };
    },

    ResetServiceSpecificCredential(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).length('serviceSpecificCredentialId', input.ServiceSpecificCredentialId, 20, 128).pattern('serviceSpecificCredentialId', input.ServiceSpecificCredentialId, ID_RE, '[\\w]+').throwIfAny();
      const u = userFor(t, input.UserName, ctx);
      const c = credential(ctx, u, input.ServiceSpecificCredentialId);
      const out = issueSecret(ctx, c);
      t.serviceCreds.put(scopeOf(ctx), c.id, c);
      return { ServiceSpecificCredential: out };
    },

    UpdateServiceSpecificCredential(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).length('serviceSpecificCredentialId', input.ServiceSpecificCredentialId, 20, 128).pattern('serviceSpecificCredentialId', input.ServiceSpecificCredentialId, ID_RE, '[\\w]+').throwIfAny();
      checkStatus(input.Status);
      const u = userFor(t, input.UserName, ctx);
      const c = credential(ctx, u, input.ServiceSpecificCredentialId);
      c.status = input.Status as ServiceCredRec['status'];
      t.serviceCreds.put(scopeOf(ctx), c.id, c);
    },

    DeleteServiceSpecificCredential(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).length('serviceSpecificCredentialId', input.ServiceSpecificCredentialId, 20, 128).pattern('serviceSpecificCredentialId', input.ServiceSpecificCredentialId, ID_RE, '[\\w]+').throwIfAny();
      const u = userFor(t, input.UserName, ctx);
      t.serviceCreds.delete(scopeOf(ctx), credential(ctx, u, input.ServiceSpecificCredentialId).id);
    },

    /** One user's (named, or the caller), or with AllUsers every user's; ServiceName filters. */
    ListServiceSpecificCredentials(input, ctx) {
      checkPaging(checkName(new Constraints(), 'userName', input.UserName, 64), input).throwIfAny();
      const scope = scopeOf(ctx);
      let creds = [...t.serviceCreds.values(scope)];
      if (!input.AllUsers) {
        const name = input.UserName ?? callerUserName(ctx);
        if (name) creds = mine(creds, findUser(t, scope, name));
        else creds = [];
      }
      if (input.ServiceName) creds = creds.filter((c) => c.service === input.ServiceName);
      creds.sort((a, b) => a.created - b.created); // stable: creation order
      const pg = pageInOrder(creds, input);
      return { ServiceSpecificCredentials: pg.items.map((c) => credMetadata(ctx, c)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },
  };
}
