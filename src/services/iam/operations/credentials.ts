/** Access keys (two per user), login profiles and ChangePassword (the account password policy). */
import { createHash, randomBytes } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import type { AccessKeyMetadata, IAMHandlers } from '../generated/types.js';
import { makeAccessKeyId } from '../../../core/accounts.js';
import { AwsError } from '../../../core/errors.js';
import { callerUserName, userFor as userForCaller } from '../domain/caller.js';
import { Constraints, alreadyExists, checkName, checkPaging, limitExceeded, noSuchEntity, pageInOrder, validationError } from '../domain/common.js';
import { findUser } from '../domain/model.js';
import { nameKey, type AccessKeyRec, type UserRec } from '../state.js';
import type { IamContext } from './context.js';

const MAX_KEYS = 2;
const KEY_RE = /^[\w]+$/;

export function credentialOperations({ t, now }: IamContext): IAMHandlers {
  const userFor = (name: string | undefined, ctx: RequestContext) => userForCaller(t, name, ctx);
  const keyOut = (k: AccessKeyRec, u: UserRec): AccessKeyMetadata => ({ UserName: u.name, AccessKeyId: k.id, Status: k.status, CreateDate: new Date(k.created) });
  function findKey(ctx: RequestContext, u: UserRec, id: string): AccessKeyRec {
    const k = t.keys.get(scopeOf(ctx), id);
    if (!k || k.user !== nameKey(u.name)) throw noSuchEntity(`The Access Key with id ${id} cannot be found.`);
    return k;
  }
  const checkKeyArgs = (c: Constraints, input: { UserName?: string; AccessKeyId?: string }) =>
    checkName(c, 'userName', input.UserName, 128).length('accessKeyId', input.AccessKeyId, 16, 128).pattern('accessKeyId', input.AccessKeyId, KEY_RE, '[\\w]+');

  /** The account password policy's rules (default: 8 characters); reuse against the user's last N passwords. */
  function checkPassword(ctx: RequestContext, password: string, u?: UserRec): void {
    const policy = t.account.get(scopeOf(ctx), 'account')?.passwordPolicy;
    const min = policy?.MinimumPasswordLength ?? 8;
    const reused = policy?.PasswordReusePrevention && u?.login
      ? [u.login.password, ...(u.login.history ?? [])].slice(0, policy.PasswordReusePrevention).includes(hash(password))
      : false;
    const ok =
      password.length >= min &&
      (!policy?.RequireLowercaseCharacters || /[a-z]/.test(password)) &&
      (!policy?.RequireUppercaseCharacters || /[A-Z]/.test(password)) &&
      (!policy?.RequireNumbers || /[0-9]/.test(password)) &&
      (!policy?.RequireSymbols || /[!@#$%^&*()_+\-=[\]{}|']/.test(password)) &&
      !reused;
    if (!ok) throw new AwsError('PasswordPolicyViolationException', 'Password does not conform to the account password policy.', 400);
  }
  /** Sets a new password, keeping the previous ones for PasswordReusePrevention (24 at most). */
  function setPassword(u: UserRec, password: string): void {
    const login = u.login!;
    login.history = [login.password, ...(login.history ?? [])].slice(0, 24);
    login.password = hash(password);
    login.changed = now();
  }
  const hash = (password: string) => createHash('sha256').update(password).digest('hex');

  return {
    CreateAccessKey(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 128).throwIfAny();
      const u = userFor(input.UserName, ctx);
      const scope = scopeOf(ctx);
      const mine = [...t.keys.values(scope)].filter((k) => k.user === nameKey(u.name));
      if (mine.length >= MAX_KEYS) throw limitExceeded(`Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS}`);
      const k: AccessKeyRec = {
        id: makeAccessKeyId('AKIA', ctx.accountId),
        secret: randomBytes(30).toString('base64').replace(/[+/]/g, (c) => (c === '+' ? 'k' : 'Q')),
        user: nameKey(u.name),
        status: 'Active',
        created: now(),
      };
      t.keys.put(scope, k.id, k);
      return { AccessKey: { UserName: u.name, AccessKeyId: k.id, Status: k.status, SecretAccessKey: k.secret, CreateDate: new Date(k.created) } };
    },

    ListAccessKeys(input, ctx) {
      checkPaging(checkName(new Constraints(), 'userName', input.UserName, 128), input).throwIfAny();
      const u = userFor(input.UserName, ctx);
      const mine = [...t.keys.values(scopeOf(ctx))].filter((k) => k.user === nameKey(u.name)).sort((a, b) => a.created - b.created);
      const pg = pageInOrder(mine, input);
      return { AccessKeyMetadata: pg.items.map((k) => keyOut(k, u)), IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    UpdateAccessKey(input, ctx) {
      checkKeyArgs(new Constraints(), input).throwIfAny();
      if (input.Status !== 'Active' && input.Status !== 'Inactive') {
        throw validationError(`1 validation error detected: Value '${input.Status}' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]`);
      }
      const u = userFor(input.UserName, ctx);
      const k = findKey(ctx, u, input.AccessKeyId);
      k.status = input.Status;
      t.keys.put(scopeOf(ctx), k.id, k);
    },

    DeleteAccessKey(input, ctx) {
      checkKeyArgs(new Constraints(), input).throwIfAny();
      const u = userFor(input.UserName, ctx);
      const k = findKey(ctx, u, input.AccessKeyId);
      t.keys.delete(scopeOf(ctx), k.id);
    },

    GetAccessKeyLastUsed(input, ctx) {
      new Constraints().length('accessKeyId', input.AccessKeyId, 16, 128).pattern('accessKeyId', input.AccessKeyId, KEY_RE, '[\\w]+').throwIfAny();
      const k = t.keys.get(scopeOf(ctx), input.AccessKeyId);
      const u = k && t.users.get(scopeOf(ctx), k.user);
      if (!k || !u) throw noSuchEntity(`The Access Key with id ${input.AccessKeyId} cannot be found.`);
      return {
        UserName: u.name,
        AccessKeyLastUsed: k.lastUsed
          ? { LastUsedDate: new Date(k.lastUsed.date), Region: k.lastUsed.region, ServiceName: k.lastUsed.service }
          : { Region: 'N/A', ServiceName: 'N/A' },
      };
    },

    // ---- login profiles (console passwords)
    CreateLoginProfile(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).length('password', input.Password, 1, 128).throwIfAny();
      const u = userFor(input.UserName, ctx);
      if (u.login) throw alreadyExists(`Login Profile for user ${u.name} already exists.`);
      if (input.Password === undefined) throw validationError('Password is required');
      checkPassword(ctx, input.Password);
      u.login = { created: now(), changed: now(), resetRequired: !!input.PasswordResetRequired, password: hash(input.Password) };
      t.users.put(scopeOf(ctx), nameKey(u.name), u);
      return { LoginProfile: { UserName: u.name, CreateDate: new Date(u.login.created), PasswordResetRequired: u.login.resetRequired } };
    },

    GetLoginProfile(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).throwIfAny();
      const u = userFor(input.UserName, ctx);
      if (!u.login) throw noSuchEntity(`Login Profile for User ${u.name} cannot be found.`);
      return { LoginProfile: { UserName: u.name, CreateDate: new Date(u.login.created), PasswordResetRequired: u.login.resetRequired } };
    },

    UpdateLoginProfile(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).length('password', input.Password, 1, 128).throwIfAny();
      const u = userFor(input.UserName, ctx);
      if (!u.login) throw noSuchEntity(`Login Profile for User ${u.name} cannot be found.`);
      if (input.Password !== undefined) {
        checkPassword(ctx, input.Password, u);
        setPassword(u, input.Password);
      }
      if (input.PasswordResetRequired !== undefined) u.login.resetRequired = input.PasswordResetRequired;
      t.users.put(scopeOf(ctx), nameKey(u.name), u);
    },

    DeleteLoginProfile(input, ctx) {
      checkName(new Constraints(), 'userName', input.UserName, 64).throwIfAny();
      const u = userFor(input.UserName, ctx);
      if (!u.login) throw noSuchEntity(`Login Profile for User ${u.name} cannot be found.`);
      delete u.login;
      t.users.put(scopeOf(ctx), nameKey(u.name), u);
    },

    /**
     * The calling IAM user changes its own console password: the old one must match, the new one
     * must satisfy the password policy (and PasswordReusePrevention); PasswordResetRequired clears.
     * Whether the user may call it at all is the policy engine's (AllowUsersToChangePassword grants
     * it to every user for themselves; domain/authorize.ts).
     */
    ChangePassword(input, ctx) {
      const pw = /^[\u0009\u000A\u000D\u0020-\u00FF]+$/;
      const src = '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+';
      new Constraints()
        .length('oldPassword', input.OldPassword, 1, 128).pattern('oldPassword', input.OldPassword, pw, src)
        .length('newPassword', input.NewPassword, 1, 128).pattern('newPassword', input.NewPassword, pw, src)
        .throwIfAny();
      const name = callerUserName(ctx);
      if (!name) throw new AwsError('InvalidUserTypeException', 'Only IAM users can change their own password.', 400);
      const u = userFor(name, ctx);
      if (!u.login) throw noSuchEntity(`Login Profile for User ${u.name} cannot be found.`);
      if (hash(input.OldPassword) !== u.login.password) throw new AwsError('AccessDenied', 'The old password is incorrect.', 403);
      checkPassword(ctx, input.NewPassword, u);
      setPassword(u, input.NewPassword);
      u.login.resetRequired = false;
      t.users.put(scopeOf(ctx), nameKey(u.name), u);
    },
  };
}
