// covers: organizations.EnableAllFeatures organizations.AcceptHandshake organizations.DeclineHandshake organizations.CancelHandshake organizations.ListHandshakesForOrganization organizations.ListHandshakesForAccount organizations.DescribeHandshake organizations.DescribeOrganization organizations.CreateOrganization organizations.InviteAccountToOrganization organizations.CreateAccount organizations.DescribeCreateAccountStatus organizations.EnablePolicyType organizations.ListRoots
/**
 * EnableAllFeatures as AWS runs it: a handshake round in which every invited member account
 * approves (created accounts approve implicitly), then the management account accepts the
 * APPROVE_ALL_FEATURES handshake and the organization moves to ALL features.
 */
import { describe, test, expect } from 'vitest';
import * as O from '@aws-sdk/client-organizations';
import { useGureum, clientConfig, failure, rejection } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const as = (account: string) => ({ accessKeyId: account, secretAccessKey: 'x' });
const org = (account: string) => new O.OrganizationsClient(clientConfig(ctx.g, { credentials: as(account) }));

/** A consolidated-billing organization of `mgmt` with invited members (accepted) and one created account. */
async function billingOrg(mgmt: string, invited: string[]): Promise<string> {
  await org(mgmt).send(new O.CreateOrganizationCommand({ FeatureSet: 'CONSOLIDATED_BILLING' }));
  for (const id of invited) {
    const h = (await org(mgmt).send(new O.InviteAccountToOrganizationCommand({ Target: { Id: id, Type: 'ACCOUNT' } }))).Handshake!;
    await org(id).send(new O.AcceptHandshakeCommand({ HandshakeId: h.Id }));
  }
  const car = await org(mgmt).send(new O.CreateAccountCommand({ AccountName: `made-by-${mgmt}`, Email: `made-${mgmt}@example.com` }));
  ctx.g.clock.advance(10_000);
  return (await org(mgmt).send(new O.DescribeCreateAccountStatusCommand({ CreateAccountRequestId: car.CreateAccountStatus!.Id }))).CreateAccountStatus!.AccountId!;
}

describe('EnableAllFeatures', () => {
  const MGMT = '300000000001';
  const B = '300000000002';
  const C = '300000000003';

  test('the round: invited members approve, then the management account finalizes', async () => {
    const created = await billingOrg(MGMT, [B, C]);
    const RootId = (await org(MGMT).send(new O.ListRootsCommand({}))).Roots![0]!.Id!;
    const scps = () => org(MGMT).send(new O.EnablePolicyTypeCommand({ RootId, PolicyType: 'SERVICE_CONTROL_POLICY' }));
    expect((await failure(scps())).name).toBe('PolicyTypeNotAvailableForOrganizationException');

    const parent = (await org(MGMT).send(new O.EnableAllFeaturesCommand({}))).Handshake!;
    expect(parent).toMatchObject({ Action: 'ENABLE_ALL_FEATURES', State: 'OPEN' });
    expect(parent.Arn).toMatch(/^arn:aws:organizations::300000000001:handshake\/o-[a-z0-9]{10}\/enable_all_features\/h-[a-z0-9]{10}$/);
    expect(parent.ExpirationTimestamp!.getTime() - parent.RequestedTimestamp!.getTime()).toBe(90 * 86_400_000);

    // one child per invited account; the created account is not asked
    const kids = (await org(MGMT).send(new O.ListHandshakesForOrganizationCommand({ Filter: { ParentHandshakeId: parent.Id } }))).Handshakes!;
    expect(kids.map((h) => h.Parties!.find((p) => p.Type === 'ACCOUNT')!.Id).sort()).toEqual([B, C]);
    expect(kids.every((h) => h.Action === 'ENABLE_ALL_FEATURES' && h.Resources!.some((r) => r.Type === 'PARENT_HANDSHAKE' && r.Value === parent.Id))).toBe(true);
    expect(kids.map((h) => h.Parties!.find((p) => p.Type === 'ACCOUNT')!.Id)).not.toContain(created);

    // no invitations, no second round, no early finish
    const invite = await rejection(org(MGMT).send(new O.InviteAccountToOrganizationCommand({ Target: { Id: '300000000009', Type: 'ACCOUNT' } })));
    expect(invite).toMatchObject({ name: 'HandshakeConstraintViolationException', Reason: 'INVITE_DISABLED_DURING_ENABLE_ALL_FEATURES' });
    const again = await rejection(org(MGMT).send(new O.EnableAllFeaturesCommand({})));
    expect(again).toMatchObject({ name: 'HandshakeConstraintViolationException', Reason: 'ORGANIZATION_IS_ALREADY_PENDING_ALL_FEATURES_MIGRATION' });
    const early = await failure(org(MGMT).send(new O.AcceptHandshakeCommand({ HandshakeId: parent.Id })));
    expect(early.name).toBe('InvalidHandshakeTransitionException');

    // B and C approve from their side
    for (const id of [B, C]) {
      const mine = (await org(id).send(new O.ListHandshakesForAccountCommand({ Filter: { ActionType: 'ENABLE_ALL_FEATURES' } }))).Handshakes!;
      expect(mine).toHaveLength(1);
      const accepted = (await org(id).send(new O.AcceptHandshakeCommand({ HandshakeId: mine[0]!.Id }))).Handshake!;
      expect(accepted.State).toBe('ACCEPTED');
    }
    expect((await org(B).send(new O.DescribeOrganizationCommand({}))).Organization!.FeatureSet).toBe('CONSOLIDATED_BILLING');

    // then the management account is asked to approve
    const approve = (await org(MGMT).send(new O.ListHandshakesForAccountCommand({ Filter: { ActionType: 'APPROVE_ALL_FEATURES' } }))).Handshakes!;
    expect(approve).toHaveLength(1);
    await org(MGMT).send(new O.AcceptHandshakeCommand({ HandshakeId: approve[0]!.Id }));
    expect((await org(B).send(new O.DescribeOrganizationCommand({}))).Organization!.FeatureSet).toBe('ALL');
    expect((await org(MGMT).send(new O.DescribeHandshakeCommand({ HandshakeId: parent.Id }))).Handshake!.State).toBe('ACCEPTED');
    expect((await scps()).Root!.PolicyTypes).toEqual([{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }]);

    const done = await rejection(org(MGMT).send(new O.EnableAllFeaturesCommand({})));
    expect(done).toMatchObject({ name: 'HandshakeConstraintViolationException', Reason: 'ORGANIZATION_ALREADY_HAS_ALL_FEATURES', $metadata: { httpStatusCode: 409 } });
    // invitations work again
    await org(MGMT).send(new O.InviteAccountToOrganizationCommand({ Target: { Id: '300000000009', Type: 'ACCOUNT' } }));
  });

  test('a member declining ends the round; the organization stays consolidated billing', async () => {
    const MGMT2 = '310000000001';
    const D = '310000000002';
    const E = '310000000003';
    await billingOrg(MGMT2, [D, E]);
    const parent = (await org(MGMT2).send(new O.EnableAllFeaturesCommand({}))).Handshake!;
    const mine = (await org(D).send(new O.ListHandshakesForAccountCommand({}))).Handshakes!.find((h) => h.Action === 'ENABLE_ALL_FEATURES')!;
    await org(D).send(new O.DeclineHandshakeCommand({ HandshakeId: mine.Id }));
    const states = (await org(MGMT2).send(new O.ListHandshakesForOrganizationCommand({ Filter: { ParentHandshakeId: parent.Id } }))).Handshakes!.map((h) => h.State).sort();
    expect(states).toEqual(['CANCELED', 'DECLINED']);
    expect((await org(MGMT2).send(new O.DescribeHandshakeCommand({ HandshakeId: parent.Id }))).Handshake!.State).toBe('DECLINED');
    expect((await org(MGMT2).send(new O.DescribeOrganizationCommand({}))).Organization!.FeatureSet).toBe('CONSOLIDATED_BILLING');

    // a new round; the management account cancels it
    const second = (await org(MGMT2).send(new O.EnableAllFeaturesCommand({}))).Handshake!;
    await org(MGMT2).send(new O.CancelHandshakeCommand({ HandshakeId: second.Id }));
    const kids = (await org(MGMT2).send(new O.ListHandshakesForOrganizationCommand({ Filter: { ParentHandshakeId: second.Id } }))).Handshakes!;
    expect(kids.map((h) => h.State)).toEqual(['CANCELED', 'CANCELED']);
  });

  test('an organization of created accounts only finalizes at once; members cannot start a round', async () => {
    const MGMT3 = '320000000001';
    await billingOrg(MGMT3, []);
    const parent = (await org(MGMT3).send(new O.EnableAllFeaturesCommand({}))).Handshake!;
    const approve = (await org(MGMT3).send(new O.ListHandshakesForOrganizationCommand({ Filter: { ParentHandshakeId: parent.Id } }))).Handshakes!;
    expect(approve.map((h) => h.Action)).toEqual(['APPROVE_ALL_FEATURES']);
    await org(MGMT3).send(new O.AcceptHandshakeCommand({ HandshakeId: parent.Id }));
    expect((await org(MGMT3).send(new O.DescribeOrganizationCommand({}))).Organization!.FeatureSet).toBe('ALL');
    const denied = await failure(org(B).send(new O.EnableAllFeaturesCommand({})));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 403 });
  });
});
