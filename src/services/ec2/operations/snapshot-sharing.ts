/**
 * Snapshot sharing (createVolumePermission): Modify/Describe/ResetSnapshotAttribute, and the lookup
 * other accounts use — a snapshot shared with an account (or with `all`) in the same region is
 * listed by its DescribeSnapshots and can be restored (CreateVolume) and copied (CopySnapshot) there.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { dryRun } from '../common.js';
import { NOT_FOUND, type Ec2State, type SnapshotRec } from '../state.js';

export interface VisibleSnapshot { snap: SnapshotRec; owner: string }

/** Snapshots of other accounts in this region that this account may restore. */
export function sharedSnapshots(st: Ec2State, scope: Scope): VisibleSnapshot[] {
  const out: VisibleSnapshot[] = [];
  for (const [s, m] of st.snapshots.allScopes()) {
    if (s.region !== scope.region || s.account === scope.account) continue;
    for (const snap of m.values()) if (snap.sharePublic || snap.shareUsers?.includes(scope.account)) out.push({ snap, owner: s.account });
  }
  return out;
}

/** A snapshot this account owns or may restore (shared or public), or InvalidSnapshot.NotFound. */
export function visibleSnapshot(st: Ec2State, scope: Scope, id: string): VisibleSnapshot {
  const own = st.snapshots.get(scope, id);
  if (own) return { snap: own, owner: scope.account };
  const shared = sharedSnapshots(st, scope).find((v) => v.snap.id === id);
  if (shared) return shared;
  throw NOT_FOUND.snapshot(id);
}

const ACCOUNT = /^\d{12}$/;

export function snapshotSharingOperations(st: Ec2State) {
  return {
    ModifySnapshotAttribute(input: T.ModifySnapshotAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const snap = st.snapshot(scope, input.SnapshotId);
      const attr = input.Attribute ?? 'createVolumePermission';
      if (attr === 'productCodes') throw new AwsError('InvalidParameterValue', 'Product codes cannot be added to a snapshot.', 400);
      if (attr !== 'createVolumePermission') throw new AwsError('InvalidParameterValue', `Value (${attr}) for parameter attribute is invalid. Unknown attribute.`, 400);
      const add: T.CreateVolumePermission[] = [...(input.CreateVolumePermission?.Add ?? [])];
      const remove: T.CreateVolumePermission[] = [...(input.CreateVolumePermission?.Remove ?? [])];
      if (input.OperationType) {
        if (input.OperationType !== 'add' && input.OperationType !== 'remove') {
          throw new AwsError('InvalidParameterValue', `Value (${input.OperationType}) for parameter operationType is invalid.`, 400);
        }
        const list = input.OperationType === 'add' ? add : remove;
        for (const u of input.UserIds ?? []) list.push({ UserId: u });
        for (const g of input.GroupNames ?? []) list.push({ Group: g });
      }
      if (!add.length && !remove.length) throw new AwsError('MissingParameter', 'The request must contain the parameter createVolumePermission', 400);
      for (const p of [...add, ...remove]) {
        if (p.Group !== undefined && p.Group !== 'all') throw new AwsError('InvalidParameterValue', `Value (${p.Group}) for parameter group is invalid.`, 400);
        if (p.UserId !== undefined && !ACCOUNT.test(p.UserId)) throw new AwsError('InvalidParameterValue', `Value (${p.UserId}) for parameter userId is invalid.`, 400);
      }
      if (snap.encrypted && add.length) {
        if (add.some((p) => p.Group === 'all')) throw new AwsError('OperationNotPermitted', 'Encrypted snapshots cannot be shared publicly.', 400);
        if (!snap.kmsKeyId || /alias\/aws\/ebs$/.test(snap.kmsKeyId)) {
          throw new AwsError('OperationNotPermitted', 'Snapshots encrypted with the AWS Managed CMK can\'t be shared. Try again with a customer managed CMK.', 400);
        }
      }
      dryRun(input);
      const users = new Set(snap.shareUsers ?? []);
      for (const p of add) if (p.UserId) users.add(p.UserId);
      for (const p of remove) if (p.UserId) users.delete(p.UserId);
      if (add.some((p) => p.Group === 'all')) snap.sharePublic = true;
      if (remove.some((p) => p.Group === 'all')) snap.sharePublic = false;
      snap.shareUsers = [...users];
      st.snapshots.put(scope, snap.id, snap);
    },

    DescribeSnapshotAttribute(input: T.DescribeSnapshotAttributeRequest, ctx: RequestContext): T.DescribeSnapshotAttributeResult {
      const scope = st.scope(ctx);
      const snap = st.snapshot(scope, input.SnapshotId);
      dryRun(input);
      if (input.Attribute === 'productCodes') return { SnapshotId: snap.id, ProductCodes: [] };
      if (input.Attribute !== 'createVolumePermission') {
        throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
      }
      return {
        SnapshotId: snap.id,
        CreateVolumePermissions: [...(snap.sharePublic ? [{ Group: 'all' }] : []), ...(snap.shareUsers ?? []).map((UserId) => ({ UserId }))],
      };
    },

    ResetSnapshotAttribute(input: T.ResetSnapshotAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const snap = st.snapshot(scope, input.SnapshotId);
      if (input.Attribute !== 'createVolumePermission') {
        throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
      }
      dryRun(input);
      snap.shareUsers = [];
      snap.sharePublic = false;
      st.snapshots.put(scope, snap.id, snap);
    },
  };
}
