/** Account aliases, the password policy, the account summary, and tags on users/roles/policies/profiles. */
import type { RequestContext } from '../../../gateway/context.js';
import { scopeOf } from '../../../gateway/context.js';
import type { IAMHandlers, PasswordPolicy } from '../generated/types.js';
import { Constraints, alreadyExists, checkArn, checkName, checkPaging, limitExceeded, noSuchEntity, pageInOrder, validationError } from '../domain/common.js';
import { tagOps } from '../domain/tags.js';
import { findPolicy, findProfile, findRole, findUser, isAwsManaged } from '../domain/model.js';
import { nameKey, type AccountRec } from '../state.js';
import type { IamContext } from './context.js';

const ALIAS_RE = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;
const ALIAS_SRC = '^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$';

export function accountOperations({ t }: IamContext): IAMHandlers {
  const account = (ctx: RequestContext): AccountRec => t.account.get(scopeOf(ctx), 'account') ?? { aliases: [] };
  const saveAccount = (ctx: RequestContext, a: AccountRec) => t.account.put(scopeOf(ctx), 'account', a);

  const handlers: IAMHandlers = {
    CreateAccountAlias(input, ctx) {
      new Constraints().length('accountAlias', input.AccountAlias, 3, 63).pattern('accountAlias', input.AccountAlias, ALIAS_RE, ALIAS_SRC).throwIfAny();
      const a = account(ctx);
      if (a.aliases.includes(input.AccountAlias)) return;
      for (const [scope, m] of t.account.allScopes()) {
        if (scope.account !== ctx.accountId && m.get('account')?.aliases.includes(input.AccountAlias)) {
          throw alreadyExists(`The account alias ${input.AccountAlias} already exists.`);
        }
      }
      if (a.aliases.length >= 1) throw limitExceeded('Cannot exceed quota for AccountAliasesPerAccount: 1');
      a.aliases = [input.AccountAlias];
      saveAccount(ctx, a);
    },

    DeleteAccountAlias(input, ctx) {
      new Constraints().length('accountAlias', input.AccountAlias, 3, 63).pattern('accountAlias', input.AccountAlias, ALIAS_RE, ALIAS_SRC).throwIfAny();
      const a = account(ctx);
      if (!a.aliases.includes(input.AccountAlias)) throw noSuchEntity(`The account alias ${input.AccountAlias} cannot be found.`);
      a.aliases = a.aliases.filter((x) => x !== input.AccountAlias);
      saveAccount(ctx, a);
    },

    ListAccountAliases(input, ctx) {
      checkPaging(new Constraints(), input).throwIfAny();
      const pg = pageInOrder(account(ctx).aliases, input);
      return { AccountAliases: pg.items, IsTruncated: pg.IsTruncated, Marker: pg.Marker };
    },

    UpdateAccountPasswordPolicy(input, ctx) {
      new Constraints()
        .range('minimumPasswordLength', input.MinimumPasswordLength, 6, 128)
        .range('maxPasswordAge', input.MaxPasswordAge, 1, 1095)
        .range('passwordReusePrevention', input.PasswordReusePrevention, 1, 24)
        .throwIfAny();
      const p: PasswordPolicy = {
        MinimumPasswordLength: input.MinimumPasswordLength ?? 8,
        RequireSymbols: input.RequireSymbols ?? false,
        RequireNumbers: input.RequireNumbers ?? false,
        RequireUppercaseCharacters: input.RequireUppercaseCharacters ?? false,
        RequireLowercaseCharacters: input.RequireLowercaseCharacters ?? false,
        AllowUsersToChangePassword: input.AllowUsersToChangePassword ?? false,
        ExpirePasswords: (input.MaxPasswordAge ?? 0) > 0,
      };
      if (input.MaxPasswordAge !== undefined) p.MaxPasswordAge = input.MaxPasswordAge;
      if (input.PasswordReusePrevention !== undefined) p.PasswordReusePrevention = input.PasswordReusePrevention;
      if (input.HardExpiry !== undefined) p.HardExpiry = input.HardExpiry;
      const a = account(ctx);
      a.passwordPolicy = p;
      saveAccount(ctx, a);
    },

    GetAccountPasswordPolicy(_input, ctx) {
      const p = account(ctx).passwordPolicy;
      if (!p) throw noSuchEntity(`The Password Policy with domain name ${ctx.accountId} cannot be found.`);
      return { PasswordPolicy: p };
    },

    DeleteAccountPasswordPolicy(_input, ctx) {
      const a = account(ctx);
      if (!a.passwordPolicy) throw noSuchEntity(`The account policy with name PasswordPolicy cannot be found.`);
      delete a.passwordPolicy;
      saveAccount(ctx, a);
    },

    /** v1Token: global-endpoint session tokens valid only in regions enabled by default; v2Token: in every region. */
    SetSecurityTokenServicePreferences(input, ctx) {
      if (input.GlobalEndpointTokenVersion !== 'v1Token' && input.GlobalEndpointTokenVersion !== 'v2Token') {
        throw validationError(`1 validation error detected: Value '${input.GlobalEndpointTokenVersion}' at 'globalEndpointTokenVersion' failed to satisfy constraint: Member must satisfy enum value set: [v1Token, v2Token]`);
      }
      const a = account(ctx);
      a.globalEndpointTokenVersion = input.GlobalEndpointTokenVersion;
      saveAccount(ctx, a);
    },

    GetAccountSummary(_input, ctx) {
      const scope = scopeOf(ctx);
      const users = [...t.users.values(scope)];
      const groups = [...t.groups.values(scope)];
      const roles = [...t.roles.values(scope)];
      const attached = (xs: { attached: string[] }[]) => new Set(xs.flatMap((x) => x.attached)).size;
      return {
        SummaryMap: {
          Users: users.length,
          UsersQuota: 5000,
          Groups: groups.length,
          GroupsQuota: 300,
          Roles: roles.length,
          RolesQuota: 1000,
          Policies: t.policies.count(scope),
          PoliciesQuota: 1500,
          InstanceProfiles: t.profiles.count(scope),
          InstanceProfilesQuota: 1000,
          ServerCertificates: t.serverCerts.count(scope),
          ServerCertificatesQuota: 20,
          MFADevices: t.mfa.count(scope),
          MFADevicesInUse: [...t.mfa.values(scope)].filter((d) => d.user).length,
          AccountMFAEnabled: 0,
          AccountAccessKeysPresent: 0,
          AccountSigningCertificatesPresent: 0,
          AccessKeysPerUserQuota: 2,
          GroupsPerUserQuota: 10,
          AttachedPoliciesPerUserQuota: 10,
          AttachedPoliciesPerGroupQuota: 10,
          AttachedPoliciesPerRoleQuota: 10,
          PolicySizeQuota: 6144,
          PolicyVersionsInUse: attached(users) + attached(groups) + attached(roles),
          PolicyVersionsInUseQuota: 10000,
          VersionsPerPolicyQuota: 5,
          UserPolicySizeQuota: 2048,
          GroupPolicySizeQuota: 5120,
          AssumeRolePolicySizeQuota: 2048,
          Providers: t.saml.count(scope) + t.oidc.count(scope),
          GlobalEndpointTokenVersion: account(ctx).globalEndpointTokenVersion === 'v2Token' ? 2 : 1,
        },
      };
    },

    ...(tagOps('User', 'UserName', (ctx, n) => findUser(t, scopeOf(ctx), n), (ctx, e) => t.users.put(scopeOf(ctx), nameKey(e.name), e as never), (c, v) => checkName(c, 'userName', v, 128)) as IAMHandlers),
    ...(tagOps('Role', 'RoleName', (ctx, n) => findRole(t, scopeOf(ctx), n), (ctx, e) => t.roles.put(scopeOf(ctx), nameKey(e.name), e as never), (c, v) => checkName(c, 'roleName', v, 64)) as IAMHandlers),
    ...(tagOps('InstanceProfile', 'InstanceProfileName', (ctx, n) => findProfile(t, scopeOf(ctx), n), (ctx, e) => t.profiles.put(scopeOf(ctx), nameKey(e.name), e as never), (c, v) => checkName(c, 'instanceProfileName', v, 128)) as IAMHandlers),
    ...(tagOps(
      'Policy',
      'PolicyArn',
      (ctx, arn) => {
        const p = findPolicy(t, scopeOf(ctx), arn);
        if (isAwsManaged(arn)) throw noSuchEntity(`Policy ${arn} was not found.`);
        return p;
      },
      (ctx, e) => t.policies.put(scopeOf(ctx), e.arn, e as never),
      (c, v) => checkArn(c, 'policyArn', v),
    ) as IAMHandlers),
  };
  return handlers;
}
