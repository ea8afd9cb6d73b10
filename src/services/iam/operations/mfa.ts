/**
 * Virtual MFA devices: create (seed + QR code), enable with two consecutive codes, resync,
 * deactivate, delete, list, tags. Codes are TOTP at the virtual clock (domain/mfa.ts); STS checks
 * SerialNumber/TokenCode against the same devices (internal.ts `verifyMfaToken`).
 */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import { AwsError } from '../../../core/errors.js';
import type { IAMHandlers, MFADevice, VirtualMFADevice } from '../generated/types.js';
import { callerIdentity } from '../../sts/internal.js';
import { Constraints, alreadyExists, checkDuplicateTagKeys, checkName, checkPath, checkPaging, checkTags, deleteConflict, iamArn, limitExceeded, noSuchEntity, page, validationError } from '../domain/common.js';
import { findUser, userOut } from '../domain/model.js';
import { consecutiveStep, newSeed, otpauthUri } from '../domain/mfa.js';
import { tagOps } from '../domain/tags.js';
import { nameKey, type MfaDeviceRec, type UserRec } from '../state.js';
import type { IamContext } from './context.js';

const SERIAL_RE = /^[\w+=/:,.@-]+$/;
const SERIAL_SRC = '[\\w+=/:,.@-]+';
const CODE_RE = /^[\d]+$/;
/** AWS allows up to eight MFA devices per user. */
const MAX_PER_USER = 8;

const invalidCode = () => new AwsError('InvalidAuthenticationCodeException', 'Authentication code for device is not valid.', 403);

export function mfaOperations({ rt, t, now }: IamContext): IAMHandlers {
  const checkSerial = (c: Constraints, v: string | undefined) => c.length('serialNumber', v, 9, 256).pattern('serialNumber', v, SERIAL_RE, SERIAL_SRC);
  const checkCodes = (c: Constraints, a: string | undefined, b: string | undefined) =>
    c.length('authenticationCode1', a, 6, 6).pattern('authenticationCode1', a, CODE_RE, '[\\d]+').length('authenticationCode2', b, 6, 6).pattern('authenticationCode2', b, CODE_RE, '[\\d]+');

  /** The named user, or the caller when it is an IAM user. */
  function userFor(name: string | undefined, ctx: RequestContext): UserRec {
    if (name) return findUser(t, scopeOf(ctx), name);
    const c = callerIdentity(ctx.runtime.store, ctx);
    const m = /^arn:aws[\w-]*:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(c.arn);
    if (!m) throw validationError('Must specify userName when calling with non-User credentials');
    return findUser(t, scopeOf(ctx), m[1]!);
  }
  function device(ctx: RequestContext, serial: string): MfaDeviceRec {
    const d = t.mfa.get(scopeOf(ctx), serial);
    if (!d) throw noSuchEntity(`VirtualMFADevice with serial number ${serial} doesn't exist.`);
    return d;
  }
  /** A device assigned to `u` (deactivate/resync/get name the user's device). */
  function assigned(ctx: RequestContext, u: UserRec, serial: string): MfaDeviceRec {
    const d = t.mfa.get(scopeOf(ctx), serial);
    if (!d || d.user !== nameKey(u.name)) throw noSuchEntity(`MFA Device with serial number ${serial} does not exist.`);
    return d;
  }
  const save = (ctx: RequestContext, d: MfaDeviceRec) => t.mfa.put(scopeOf(ctx), d.serial, d);
  const sorted = (ctx: RequestContext) => [...t.mfa.values(scopeOf(ctx))].sort((a, b) => (a.serial < b.serial ? -1 : a.serial > b.serial ? 1 : 0));

  return {
    async CreateVirtualMFADevice(input, ctx) {
      const c = new Constraints().length('virtualMFADeviceName', input.VirtualMFADeviceName, 1, 226).pattern('virtualMFADeviceName', input.VirtualMFADeviceName, /^[\w+=,.@-]+$/, '[\\w+=,.@-]+');
      checkTags(checkPath(c, 'path', input.Path), input.Tags).throwIfAny();
      checkDuplicateTagKeys(input.Tags);
      const path = input.Path ?? '/';
      const serial = iamArn(ctx.accountId, 'mfa', path, input.VirtualMFADeviceName);
      const seed = newSeed();
      const alias = t.account.get(scopeOf(ctx), 'account')?.aliases[0];
      const { default: QRCode } = await import('qrcode'); // (loaded by the first CreateVirtualMFADevice only)
      const png = await QRCode.toBuffer(otpauthUri(input.VirtualMFADeviceName, alias ?? ctx.accountId, seed), { type: 'png' });
      // AWS: names are unique per account whatever the path
      if ([...t.mfa.values(scopeOf(ctx))].some((d) => d.name === input.VirtualMFADeviceName)) throw alreadyExists('MFADevice entity at the same path and name already exists.');
      const d: MfaDeviceRec = { serial, name: input.VirtualMFADeviceName, path, seed, created: now(), tags: (input.Tags ?? []).map((x) => ({ Key: x.Key, Value: x.Value })), drift: 0 };
      save(ctx, d);
      const out: VirtualMFADevice = { SerialNumber: serial, Base32StringSeed: Buffer.from(seed, 'ascii'), QRCodePNG: png };
      if (d.tags.length) out.Tags = d.tags;
      return { VirtualMFADevice: out };
    },

    EnableMFADevice(input, ctx) {
      checkCodes(checkSerial(checkName(new Constraints(), 'userName', input.UserName, 128), input.SerialNumber), input.AuthenticationCode1, input.AuthenticationCode2).throwIfAny();
      const u = findUser(t, scopeOf(ctx), input.UserName);
      const d = device(ctx, input.SerialNumber);
      if (d.user) throw alreadyExists('MFA Device is already in use.');
      const key = nameKey(u.name);
      if ([...t.mfa.values(scopeOf(ctx))].filter((x) => x.user === key).length >= MAX_PER_USER) throw limitExceeded(`Cannot exceed quota for MFADevicesPerUser: ${MAX_PER_USER}`);
      const at = rt.clock.now();
      const step = consecutiveStep(d.seed, input.AuthenticationCode1, input.AuthenticationCode2, at);
      if (step === undefined) throw invalidCode();
      d.user = key;
      d.enabled = now();
      d.drift = step - Math.floor(at / 30_000);
      d.lastStep = step;
      save(ctx, d);
    },

    ResyncMFADevice(input, ctx) {
      checkCodes(checkSerial(checkName(new Constraints(), 'userName', input.UserName, 128), input.SerialNumber), input.AuthenticationCode1, input.AuthenticationCode2).throwIfAny();
      const u = findUser(t, scopeOf(ctx), input.UserName);
      const d = assigned(ctx, u, input.SerialNumber);
      const at = rt.clock.now();
      const step = consecutiveStep(d.seed, input.AuthenticationCode1, input.AuthenticationCode2, at, true);
      if (step === undefined) throw invalidCode();
      d.drift = step - Math.floor(at / 30_000);
      d.lastStep = step;
      save(ctx, d);
    },

    DeactivateMFADevice(input, ctx) {
      checkSerial(checkName(new Constraints(), 'userName', input.UserName, 64), input.SerialNumber).throwIfAny();
      const u = userFor(input.UserName, ctx);
      const d = assigned(ctx, u, input.SerialNumber);
      delete d.user;
      delete d.enabled;
      delete d.lastStep;
      d.drift = 0;
      save(ctx, d);
    },

    DeleteVirtualMFADevice(input, ctx) {
      checkSerial(new Constraints(), input.SerialNumber).throwIfAny();
      const d = device(ctx, input.SerialNumber);
      if (d.user) throw deleteConflict('MFA VirtualDevice in use. Must deactivate first.');
      t.mfa.delete(scopeOf(ctx), d.serial);
    },

    GetMFADevice(input, ctx) {
      checkSerial(checkName(new Constraints(), 'userName', input.UserName, 64), input.SerialNumber).throwIfAny();
      const u = userFor(input.UserName, ctx);
      const d = assigned(ctx, u, input.SerialNumber);
      return { UserName: u.name, SerialNumber: d.serial, EnableDate: new Date(d.enabled!) };
    },

    ListMFADevices(input, ctx) {
      checkPaging(checkName(new Constraints(), 'userName', input.UserName, 128), input).throwIfAny();
      const u = userFor(input.UserName, ctx);
      const mine = sorted(ctx).filter((d) => d.user === nameKey(u.name));
      const pg = page(mine, (d) => d.serial, input);
      const rows: MFADevice[] = pg.items.map((d) => ({ UserName: u.name, SerialNumber: d.serial, EnableDate: new Date(d.enabled!) }));
      return { MFADevices: rows, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    ListVirtualMFADevices(input, ctx) {
      checkPaging(new Constraints(), input).throwIfAny();
      const status = input.AssignmentStatus ?? 'Any';
      if (!['Assigned', 'Unassigned', 'Any'].includes(status)) {
        throw validationError(`1 validation error detected: Value '${status}' at 'assignmentStatus' failed to satisfy constraint: Member must satisfy enum value set: [Unassigned, Any, Assigned]`);
      }
      const rows = sorted(ctx).filter((d) => status === 'Any' || (status === 'Assigned') === !!d.user);
      const pg = page(rows, (d) => d.serial, input);
      const out = pg.items.map((d): VirtualMFADevice => {
        const user = d.user ? t.users.get(scopeOf(ctx), d.user) : undefined;
        const v: VirtualMFADevice = { SerialNumber: d.serial };
        if (user) {
          v.User = userOut(user, false);
          v.EnableDate = new Date(d.enabled!);
        }
        return v;
      });
      return { VirtualMFADevices: out, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    ...(tagOps('MFADevice', 'SerialNumber', (ctx, serial) => device(ctx, serial), save, (c, v) => checkSerial(c, v)) as IAMHandlers),
  };
}
