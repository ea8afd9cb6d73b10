// covers: iam.CreateVirtualMFADevice iam.EnableMFADevice iam.ResyncMFADevice iam.DeactivateMFADevice iam.DeleteVirtualMFADevice iam.ListMFADevices iam.ListVirtualMFADevices iam.GetMFADevice iam.TagMFADevice iam.UntagMFADevice iam.ListMFADeviceTags iam.CreateUser iam.DeleteUser iam.CreateAccessKey iam.CreateRole sts.GetSessionToken sts.AssumeRole sts.GetCallerIdentity
import { describe, test, expect, beforeAll } from 'vitest';
import { HOTP, Secret } from 'otpauth';
import {
  IAMClient, CreateVirtualMFADeviceCommand, EnableMFADeviceCommand, ResyncMFADeviceCommand, DeactivateMFADeviceCommand, DeleteVirtualMFADeviceCommand,
  ListMFADevicesCommand, ListVirtualMFADevicesCommand, GetMFADeviceCommand, TagMFADeviceCommand, UntagMFADeviceCommand, ListMFADeviceTagsCommand,
  CreateUserCommand, DeleteUserCommand, CreateAccessKeyCommand, CreateRoleCommand,
} from '@aws-sdk/client-iam';
import { STSClient, GetSessionTokenCommand, AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { useGureum, clientConfig, failure, boto3, HAS_PYTHON_BOTO3 } from '../../helpers.js';
import { authorize } from '../../../src/services/iam/internal.js';

const ACCOUNT = '000000000000';
const ctx = useGureum({ freezeClock: true });
const iam = () => new IAMClient(clientConfig(ctx.g));
const sts = (credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) => new STSClient(clientConfig(ctx.g, credentials ? { credentials } : {}));
/** The code a device with `seed` shows `steps` 30-second steps from now on the virtual clock. */
const code = (seed: string, steps = 0) => HOTP.generate({ secret: Secret.fromBase32(seed), counter: Math.floor(ctx.g.clock.now().getTime() / 30_000) + steps });

let seed: string;
let serial: string;
let keys: { accessKeyId: string; secretAccessKey: string };

beforeAll(async () => {
  await iam().send(new CreateUserCommand({ UserName: 'mallory' }));
  const k = (await iam().send(new CreateAccessKeyCommand({ UserName: 'mallory' }))).AccessKey!;
  keys = { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
});

describe('virtual MFA devices', () => {
  test('CreateVirtualMFADevice returns a Base32 seed and a QR code PNG; names are unique', async () => {
    const out = await iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mallory-phone', Path: '/team/', Tags: [{ Key: 'k', Value: 'v' }] }));
    const d = out.VirtualMFADevice!;
    serial = d.SerialNumber!;
    expect(serial).toBe(`arn:aws:iam::${ACCOUNT}:mfa/team/mallory-phone`);
    seed = Buffer.from(d.Base32StringSeed!).toString('ascii');
    expect(seed).toMatch(/^[A-Z2-7]{32}$/); // 20 random bytes in RFC 4648 Base32
    const png = Buffer.from(d.QRCodePNG!);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.readUInt32BE(16)).toBe(png.readUInt32BE(20)); // square image
    expect(d.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
    const dup = await failure(iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'mallory-phone' })));
    expect(dup).toMatchObject({ name: 'EntityAlreadyExistsException', status: 409, message: 'MFADevice entity at the same path and name already exists.' });
  });

  test('EnableMFADevice needs two consecutive codes at the virtual clock', async () => {
    const wrong = await failure(iam().send(new EnableMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial, AuthenticationCode1: code(seed, -1), AuthenticationCode2: code(seed, -1) })));
    expect(wrong).toMatchObject({ name: 'InvalidAuthenticationCodeException', status: 403, message: 'Authentication code for device is not valid.' });
    const far = await failure(iam().send(new EnableMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial, AuthenticationCode1: code(seed, -40), AuthenticationCode2: code(seed, -39) })));
    expect(far.name).toBe('InvalidAuthenticationCodeException');
    await iam().send(new EnableMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial, AuthenticationCode1: code(seed, -1), AuthenticationCode2: code(seed, 0) }));
    const again = await failure(iam().send(new EnableMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial, AuthenticationCode1: code(seed, -1), AuthenticationCode2: code(seed, 0) })));
    expect(again).toMatchObject({ name: 'EntityAlreadyExistsException', message: 'MFA Device is already in use.' });
  });

  test('listing: the user\'s devices, virtual devices by assignment, GetMFADevice, tags', async () => {
    const mine = await iam().send(new ListMFADevicesCommand({ UserName: 'mallory' }));
    expect(mine.MFADevices).toEqual([{ UserName: 'mallory', SerialNumber: serial, EnableDate: new Date(Math.floor(ctx.g.clock.now().getTime() / 1000) * 1000) }]);
    // without UserName: the calling user's own
    const own = await new IAMClient(clientConfig(ctx.g, { credentials: keys })).send(new ListMFADevicesCommand({}));
    expect(own.MFADevices?.map((d) => d.SerialNumber)).toEqual([serial]);
    await iam().send(new CreateVirtualMFADeviceCommand({ VirtualMFADeviceName: 'spare' }));
    const assigned = await iam().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Assigned' }));
    expect(assigned.VirtualMFADevices!.map((d) => [d.SerialNumber, d.User?.UserName])).toEqual([[serial, 'mallory']]);
    expect(assigned.VirtualMFADevices![0]!.Base32StringSeed).toBeUndefined();
    const unassigned = await iam().send(new ListVirtualMFADevicesCommand({ AssignmentStatus: 'Unassigned' }));
    expect(unassigned.VirtualMFADevices!.map((d) => d.SerialNumber)).toEqual([`arn:aws:iam::${ACCOUNT}:mfa/spare`]);
    expect((await iam().send(new GetMFADeviceCommand({ SerialNumber: serial, UserName: 'mallory' }))).UserName).toBe('mallory');
    await iam().send(new TagMFADeviceCommand({ SerialNumber: serial, Tags: [{ Key: 'K', Value: 'w' }, { Key: 'x', Value: '1' }] }));
    await iam().send(new UntagMFADeviceCommand({ SerialNumber: serial, TagKeys: ['x'] }));
    expect((await iam().send(new ListMFADeviceTagsCommand({ SerialNumber: serial }))).Tags).toEqual([{ Key: 'K', Value: 'w' }]);
    const del = await failure(iam().send(new DeleteUserCommand({ UserName: 'mallory' })));
    expect(del.name).toBe('DeleteConflictException');
  });

  test('GetSessionToken with SerialNumber/TokenCode: MFA in the session\'s request context; a code is good once', async () => {
    ctx.g.clock.advance('30s');
    const out = await sts(keys).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code(seed), DurationSeconds: 3600 }));
    const c = out.Credentials!;
    const reuse = await failure(sts(keys).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code(seed) })));
    expect(reuse).toMatchObject({ name: 'AccessDenied', status: 403, message: 'MultiFactorAuthentication failed with invalid MFA one time pass code. ' });
    const bad = await failure(sts(keys).send(new GetSessionTokenCommand({ SerialNumber: `arn:aws:iam::${ACCOUNT}:mfa/spare`, TokenCode: '123456' })));
    expect(bad.message).toBe('MultiFactorAuthentication failed, unable to validate MFA code. Please verify your MFA serial number is valid and associated with this user.');
    ctx.g.clock.advance('10m');
    const d = authorize({ store: ctx.g.runtime.store, ctx: { accessKeyId: c.AccessKeyId!, accountId: ACCOUNT, region: 'us-east-1' }, action: 'iam:ListUsers', now: ctx.g.clock.now().getTime() });
    expect(d.context['aws:MultiFactorAuthPresent']).toBe('true');
    expect(d.context['aws:MultiFactorAuthAge']).toBe('600');
    // without MFA the session says false; long-term keys carry no MFA key at all
    const plain = (await sts(keys).send(new GetSessionTokenCommand({}))).Credentials!;
    const p = authorize({ store: ctx.g.runtime.store, ctx: { accessKeyId: plain.AccessKeyId!, accountId: ACCOUNT, region: 'us-east-1' }, action: 'iam:ListUsers', now: ctx.g.clock.now().getTime() });
    expect(p.context['aws:MultiFactorAuthPresent']).toBe('false');
    const lt = authorize({ store: ctx.g.runtime.store, ctx: { accessKeyId: keys.accessKeyId, accountId: ACCOUNT, region: 'us-east-1' }, action: 'iam:ListUsers', now: ctx.g.clock.now().getTime() });
    expect(lt.context['aws:MultiFactorAuthPresent']).toBeUndefined();
  });

  test('AssumeRole into a role whose trust policy requires MFA (Bool and NumericLessThan on the age)', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:user/mallory` }, Action: 'sts:AssumeRole',
      Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, NumericLessThan: { 'aws:MultiFactorAuthAge': '3600' } } }] });
    await iam().send(new CreateRoleCommand({ RoleName: 'NeedsMfa', AssumeRolePolicyDocument: doc }));
    const RoleArn = `arn:aws:iam::${ACCOUNT}:role/NeedsMfa`;
    const denied = await failure(sts(keys).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'no-mfa' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403, message: `User: arn:aws:iam::${ACCOUNT}:user/mallory is not authorized to perform: sts:AssumeRole on resource: ${RoleArn}` });
    ctx.g.clock.advance('30s');
    const ok = await sts(keys).send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'with-mfa', SerialNumber: serial, TokenCode: code(seed) }));
    const who = await sts({ accessKeyId: ok.Credentials!.AccessKeyId!, secretAccessKey: ok.Credentials!.SecretAccessKey!, sessionToken: ok.Credentials!.SessionToken }).send(new GetCallerIdentityCommand({}));
    expect(who.Arn).toBe(`arn:aws:sts::${ACCOUNT}:assumed-role/NeedsMfa/with-mfa`);
    // MFA from GetSessionToken counts too, until it is older than the condition allows
    ctx.g.clock.advance('30s');
    const st = (await sts(keys).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code(seed) }))).Credentials!;
    const viaSession = sts({ accessKeyId: st.AccessKeyId!, secretAccessKey: st.SecretAccessKey!, sessionToken: st.SessionToken });
    await viaSession.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'via-session' }));
    ctx.g.clock.advance('61m');
    expect((await failure(viaSession.send(new AssumeRoleCommand({ RoleArn, RoleSessionName: 'too-old' })))).name).toBe('AccessDenied');
  });

  test('ResyncMFADevice learns a drifting device; Deactivate and Delete', async () => {
    // the device runs 10 minutes fast: its current codes are not accepted until resynced
    const drift = 20;
    ctx.g.clock.advance('30s');
    expect((await failure(sts(keys).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code(seed, drift) })))).name).toBe('AccessDenied');
    await iam().send(new ResyncMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial, AuthenticationCode1: code(seed, drift), AuthenticationCode2: code(seed, drift + 1) }));
    ctx.g.clock.advance('30s');
    await sts(keys).send(new GetSessionTokenCommand({ SerialNumber: serial, TokenCode: code(seed, drift + 1) }));
    const inUse = await failure(iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })));
    expect(inUse).toMatchObject({ name: 'DeleteConflictException', message: 'MFA VirtualDevice in use. Must deactivate first.' });
    await iam().send(new DeactivateMFADeviceCommand({ UserName: 'mallory', SerialNumber: serial }));
    expect((await iam().send(new ListMFADevicesCommand({ UserName: 'mallory' }))).MFADevices).toEqual([]);
    await iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial }));
    const gone = await failure(iam().send(new DeleteVirtualMFADeviceCommand({ SerialNumber: serial })));
    expect(gone).toMatchObject({ name: 'NoSuchEntityException', status: 404, message: `VirtualMFADevice with serial number ${serial} doesn't exist.` });
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('create_virtual_mfa_device returns bytes for the seed and the PNG', async () => {
    const r = await boto3(ctx.g, `
iam = boto3.client('iam', endpoint_url=ENDPOINT, region_name='us-east-1')
d = iam.create_virtual_mfa_device(VirtualMFADeviceName='py-phone')['VirtualMFADevice']
print(json.dumps([d['SerialNumber'], len(d['Base32StringSeed']), d['QRCodePNG'][:4].hex()]))
`);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual([`arn:aws:iam::${ACCOUNT}:mfa/py-phone`, 32, '89504e47']);
  });
});
