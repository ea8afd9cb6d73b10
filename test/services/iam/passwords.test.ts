// covers: iam.ChangePassword iam.CreateLoginProfile iam.UpdateLoginProfile iam.GetLoginProfile iam.UpdateAccountPasswordPolicy iam.GetAccountPasswordPolicy iam.CreateUser iam.CreateAccessKey iam.PutUserPolicy iam.SetSecurityTokenServicePreferences iam.GetAccountSummary sts.AssumeRole iam.CreateRole
/**
 * ChangePassword: the calling IAM user changes its own password against the account password
 * policy (length, character classes, reuse prevention); PasswordResetRequired clears. Under
 * iamEnforcement=enforce, AllowUsersToChangePassword lets every user change its own password
 * without an identity policy. Also SetSecurityTokenServicePreferences (GetAccountSummary).
 */
import { describe, test, expect, beforeAll } from 'vitest';
import {
  IAMClient, ChangePasswordCommand, CreateLoginProfileCommand, UpdateLoginProfileCommand, GetLoginProfileCommand, UpdateAccountPasswordPolicyCommand,
  GetAccountPasswordPolicyCommand, CreateUserCommand, CreateAccessKeyCommand, PutUserPolicyCommand, SetSecurityTokenServicePreferencesCommand,
  GetAccountSummaryCommand, CreateRoleCommand,
} from '@aws-sdk/client-iam';
import { STSClient, AssumeRoleCommand } from '@aws-sdk/client-sts';
import { useGureum, clientConfig, failure, awsCli, HAS_AWS_CLI } from '../../helpers.js';

type Creds = { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
const ACCOUNT = '000000000000';
const off = useGureum({ freezeClock: true });
const enforced = useGureum({ config: { iamEnforcement: 'enforce' } });

async function userWithPassword(iam: IAMClient, name: string, password: string, reset = false): Promise<Creds> {
  await iam.send(new CreateUserCommand({ UserName: name }));
  await iam.send(new CreateLoginProfileCommand({ UserName: name, Password: password, PasswordResetRequired: reset }));
  const k = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey!;
  return { accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! };
}

describe('ChangePassword', () => {
  const admin = () => new IAMClient(clientConfig(off.g));
  const as = (c: Creds) => new IAMClient(clientConfig(off.g, { credentials: c }));
  let alice: Creds;

  beforeAll(async () => {
    await admin().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 10, RequireNumbers: true, RequireSymbols: true, PasswordReusePrevention: 2, AllowUsersToChangePassword: true }));
    alice = await userWithPassword(admin(), 'alice', 'First-pass-1', true);
  });

  test('the old password must match; the new one must satisfy the policy', async () => {
    const wrong = await failure(as(alice).send(new ChangePasswordCommand({ OldPassword: 'not-it-1!', NewPassword: 'Second-pass-2' })));
    expect(wrong).toMatchObject({ name: 'AccessDenied', status: 403 });
    for (const NewPassword of ['Short-1', 'No-digits-here', 'NoSymbols123']) {
      const weak = await failure(as(alice).send(new ChangePasswordCommand({ OldPassword: 'First-pass-1', NewPassword })));
      expect(weak, NewPassword).toMatchObject({ name: 'PasswordPolicyViolationException', status: 400, message: 'Password does not conform to the account password policy.' });
    }
  });

  test('a good change clears PasswordResetRequired; PasswordReusePrevention refuses the last N passwords', async () => {
    expect((await admin().send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile!.PasswordResetRequired).toBe(true);
    await as(alice).send(new ChangePasswordCommand({ OldPassword: 'First-pass-1', NewPassword: 'Second-pass-2' }));
    expect((await admin().send(new GetLoginProfileCommand({ UserName: 'alice' }))).LoginProfile!.PasswordResetRequired).toBe(false);
    const stale = await failure(as(alice).send(new ChangePasswordCommand({ OldPassword: 'First-pass-1', NewPassword: 'Third-pass-3' })));
    expect(stale.name).toBe('AccessDenied');
    const reuse = await failure(as(alice).send(new ChangePasswordCommand({ OldPassword: 'Second-pass-2', NewPassword: 'First-pass-1' })));
    expect(reuse.name).toBe('PasswordPolicyViolationException');
    await as(alice).send(new ChangePasswordCommand({ OldPassword: 'Second-pass-2', NewPassword: 'Third-pass-3' }));
    // an administrator's UpdateLoginProfile is held to reuse prevention too (last 2: Third, Second)
    expect((await failure(admin().send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'Second-pass-2' })))).name).toBe('PasswordPolicyViolationException');
    await admin().send(new UpdateLoginProfileCommand({ UserName: 'alice', Password: 'First-pass-1' }));
  });

  test('only an IAM user with a login profile can change its password', async () => {
    const root = await failure(admin().send(new ChangePasswordCommand({ OldPassword: 'a', NewPassword: 'b' })));
    expect(root).toMatchObject({ name: 'InvalidUserTypeException', status: 400 });
    await admin().send(new CreateUserCommand({ UserName: 'nologin' }));
    const k = (await admin().send(new CreateAccessKeyCommand({ UserName: 'nologin' }))).AccessKey!;
    const none = await failure(as({ accessKeyId: k.AccessKeyId!, secretAccessKey: k.SecretAccessKey! }).send(new ChangePasswordCommand({ OldPassword: 'a', NewPassword: 'Good-pass-123' })));
    expect(none).toMatchObject({ name: 'NoSuchEntityException', message: 'Login Profile for User nologin cannot be found.' });
  });

  test.skipIf(!HAS_AWS_CLI)('aws iam change-password', async () => {
    const r = await awsCli(off.g, ['iam', 'change-password', '--old-password', 'bad-bad-1!', '--new-password', 'Whatever-1!']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('InvalidUserType');
  });
});

describe('AllowUsersToChangePassword under iamEnforcement=enforce', () => {
  const admin = () => new IAMClient(clientConfig(enforced.g));
  const as = (c: Creds) => new IAMClient(clientConfig(enforced.g, { credentials: c }));

  test('without it a user needs iam:ChangePassword; with it every user may change (only) its own', async () => {
    await admin().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8 }));
    const bob = await userWithPassword(admin(), 'bob', 'bob-pass-1');
    const denied = await failure(as(bob).send(new ChangePasswordCommand({ OldPassword: 'bob-pass-1', NewPassword: 'bob-pass-2' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403, message: expect.stringContaining(`perform: iam:ChangePassword on resource: arn:aws:iam::${ACCOUNT}:user/bob`) });
    expect((await failure(as(bob).send(new GetAccountPasswordPolicyCommand({})))).name).toBe('AccessDenied');

    await admin().send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 8, AllowUsersToChangePassword: true }));
    await as(bob).send(new ChangePasswordCommand({ OldPassword: 'bob-pass-1', NewPassword: 'bob-pass-2' }));
    expect((await as(bob).send(new GetAccountPasswordPolicyCommand({}))).PasswordPolicy!.AllowUsersToChangePassword).toBe(true);
    // it grants nothing else: another user's password stays out of reach
    expect((await failure(as(bob).send(new UpdateLoginProfileCommand({ UserName: 'bob', Password: 'bob-pass-3' })))).name).toBe('AccessDenied');
  });

  test('an explicit deny still wins', async () => {
    const carol = await userWithPassword(admin(), 'carol', 'carol-pass-1');
    await admin().send(new PutUserPolicyCommand({ UserName: 'carol', PolicyName: 'no', PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'iam:ChangePassword', Resource: '*' }] }) }));
    const denied = await failure(as(carol).send(new ChangePasswordCommand({ OldPassword: 'carol-pass-1', NewPassword: 'carol-pass-2' })));
    expect(denied).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('with an explicit deny in an identity-based policy') });
  });

  test('a role session is not a user: the password policy grants it nothing', async () => {
    await admin().send(new CreateRoleCommand({ RoleName: 'r', AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] }) }));
    const c = (await new STSClient(clientConfig(enforced.g)).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${ACCOUNT}:role/r`, RoleSessionName: 'session' }))).Credentials!;
    const denied = await failure(as({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }).send(new ChangePasswordCommand({ OldPassword: 'x', NewPassword: 'y-pass-123' })));
    expect(denied.name).toBe('AccessDenied');
  });
});

describe('SetSecurityTokenServicePreferences', () => {
  const admin = () => new IAMClient(clientConfig(off.g));
  test('GlobalEndpointTokenVersion shows in GetAccountSummary (1 by default, 2 for v2Token)', async () => {
    const version = async () => (await admin().send(new GetAccountSummaryCommand({}))).SummaryMap!.GlobalEndpointTokenVersion;
    expect(await version()).toBe(1);
    await admin().send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v2Token' }));
    expect(await version()).toBe(2);
    await admin().send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v1Token' }));
    expect(await version()).toBe(1);
    const bad = await failure(admin().send(new SetSecurityTokenServicePreferencesCommand({ GlobalEndpointTokenVersion: 'v3Token' as never /* not a GlobalEndpointTokenVersion, on purpose */ })));
    expect(bad).toMatchObject({ name: 'ValidationError', status: 400 });
  });
});
