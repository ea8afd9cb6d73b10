/**
 * Account-level EBS settings and fast snapshot restores: encryption by default (Enable/Disable/
 * GetEbsEncryptionByDefault) and its KMS key (Get/Modify/ResetEbsDefaultKmsKeyId, checked against
 * KMS), which CreateVolume, RunInstances and CopySnapshot apply; EnableFastSnapshotRestores /
 * DescribeFastSnapshotRestores / DisableFastSnapshotRestores per snapshot × zone, moving
 * enabling → optimizing → enabled (and disabling → gone) on the virtual clock.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { SNAPSHOT_PENDING_MS, zonesOf, type Ec2State } from '../state.js';

interface EbsSettings { encryptByDefault: boolean; kmsKeyId?: string }
interface FsrRec { snapshotId: string; az: string; azId: string; ownerId: string; enablingAt: number; size: number; disablingAt?: number }

export const FSR_ENABLING_MS = 60_000;
export const FSR_DISABLING_MS = 60_000;
/** Optimizing takes an hour per TiB on AWS; at least a minute here. */
export const fsrOptimizingMs = (sizeGiB: number) => Math.max(60_000, Math.round((3_600_000 * sizeGiB) / 1024));

const settingsTable = (st: Ec2State): Table<EbsSettings> => st.rt.table('ebs-settings');
const fsrTable = (st: Ec2State): Table<FsrRec> => st.rt.table('fast-snapshot-restores');

export const awsManagedEbsKey = (scope: Scope) => `arn:aws:kms:${scope.region}:${scope.account}:alias/aws/ebs`;

/** Whether new volumes must be encrypted, and with which key, in this account × region. */
export function ebsDefaults(st: Ec2State, scope: Scope): { encrypt: boolean; kmsKeyId: string } {
  const s = settingsTable(st).get(scope, 'settings');
  return { encrypt: s?.encryptByDefault ?? false, kmsKeyId: s?.kmsKeyId ?? awsManagedEbsKey(scope) };
}

function update(st: Ec2State, scope: Scope, change: Partial<EbsSettings>): EbsSettings {
  const s = { encryptByDefault: false, ...settingsTable(st).get(scope, 'settings'), ...change };
  settingsTable(st).put(scope, 'settings', s);
  return s;
}

function fsrState(st: Ec2State, r: FsrRec): { state: string; optimizingAt: number; enabledAt: number } {
  const now = st.now();
  const optimizingAt = r.enablingAt + FSR_ENABLING_MS;
  const enabledAt = optimizingAt + fsrOptimizingMs(r.size);
  if (r.disablingAt !== undefined) return { state: now >= r.disablingAt + FSR_DISABLING_MS ? 'disabled' : 'disabling', optimizingAt, enabledAt };
  return { state: now < optimizingAt ? 'enabling' : now < enabledAt ? 'optimizing' : 'enabled', optimizingAt, enabledAt };
}

function renderFsr(st: Ec2State, r: FsrRec): T.DescribeFastSnapshotRestoreSuccessItem {
  const { state, optimizingAt, enabledAt } = fsrState(st, r);
  const at = (t: number) => (st.now() >= t ? new Date(t) : undefined);
  return {
    SnapshotId: r.snapshotId, AvailabilityZone: r.az, AvailabilityZoneId: r.azId, State: state, OwnerId: r.ownerId,
    StateTransitionReason: r.disablingAt !== undefined ? 'Client.UserInitiatedFastSnapshotRestoreDisable' : 'Client.UserInitiatedFastSnapshotRestore',
    EnablingTime: new Date(r.enablingAt), OptimizingTime: r.disablingAt === undefined ? at(optimizingAt) : undefined,
    EnabledTime: r.disablingAt === undefined ? at(enabledAt) : undefined,
    DisablingTime: r.disablingAt !== undefined ? new Date(r.disablingAt) : undefined,
    DisabledTime: r.disablingAt !== undefined ? at(r.disablingAt + FSR_DISABLING_MS) : undefined,
  };
}

const FSR_FILTERS: FilterFields<T.DescribeFastSnapshotRestoreSuccessItem> = {
  'availability-zone': (r) => r.AvailabilityZone,
  'availability-zone-id': (r) => r.AvailabilityZoneId,
  'owner-id': (r) => r.OwnerId,
  'snapshot-id': (r) => r.SnapshotId,
  state: (r) => r.State,
};

function zonesOfRequest(scope: Scope, names: string[] | undefined, ids: string[] | undefined) {
  const zones = zonesOf(scope.region);
  if (!names?.length && !ids?.length) throw new AwsError('MissingParameter', 'The request must contain the parameter AvailabilityZones', 400);
  return [
    ...(names ?? []).map((n) => zones.find((z) => z.name === n) ?? badZone(n)),
    ...(ids ?? []).map((n) => zones.find((z) => z.id === n) ?? badZone(n)),
  ];
}
const badZone = (z: string): never => {
  throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${z}]`, 400);
};

export function ebsSettingsOperations(st: Ec2State) {
  async function resolveKey(scope: Scope, keyId: string): Promise<string> {
    if (!/^(arn:aws[a-z-]*:kms:|alias\/|[0-9a-f-]{36}$|mrk-)/.test(keyId)) throw new AwsError('InvalidParameterValue', `Value (${keyId}) for parameter kmsKeyId is invalid.`, 400);
    if (/alias\/aws\/ebs$/.test(keyId)) return awsManagedEbsKey(scope);
    try {
      const out = (await st.rt.call('kms', 'DescribeKey', { KeyId: keyId }, scope)) as { KeyMetadata?: { Arn?: string; KeyState?: string } };
      if (out.KeyMetadata?.KeyState !== 'Enabled') throw new AwsError('InvalidKmsKey.InvalidState', `The KMS key ${keyId} is not in a valid state.`, 400);
      return /^arn:/.test(keyId) ? keyId : out.KeyMetadata.Arn!;
    } catch (e) {
      if (e instanceof AwsError && e.code === 'InvalidKmsKey.InvalidState') throw e;
      throw new AwsError('InvalidKmsKey.NotFound', `The specified KMS key does not exist: ${keyId}`, 400);
    }
  }

  return {
    EnableEbsEncryptionByDefault(input: T.EnableEbsEncryptionByDefaultRequest, ctx: RequestContext): T.EnableEbsEncryptionByDefaultResult {
      const scope = st.scope(ctx);
      dryRun(input);
      return { EbsEncryptionByDefault: update(st, scope, { encryptByDefault: true }).encryptByDefault };
    },
    DisableEbsEncryptionByDefault(input: T.DisableEbsEncryptionByDefaultRequest, ctx: RequestContext): T.DisableEbsEncryptionByDefaultResult {
      const scope = st.scope(ctx);
      dryRun(input);
      return { EbsEncryptionByDefault: update(st, scope, { encryptByDefault: false }).encryptByDefault };
    },
    GetEbsEncryptionByDefault(input: T.GetEbsEncryptionByDefaultRequest, ctx: RequestContext): T.GetEbsEncryptionByDefaultResult {
      const scope = st.scope(ctx);
      dryRun(input);
      return { EbsEncryptionByDefault: ebsDefaults(st, scope).encrypt, SseType: 'none' };
    },
    GetEbsDefaultKmsKeyId(input: T.GetEbsDefaultKmsKeyIdRequest, ctx: RequestContext): T.GetEbsDefaultKmsKeyIdResult {
      const scope = st.scope(ctx);
      dryRun(input);
      return { KmsKeyId: ebsDefaults(st, scope).kmsKeyId };
    },
    async ModifyEbsDefaultKmsKeyId(input: T.ModifyEbsDefaultKmsKeyIdRequest, ctx: RequestContext): Promise<T.ModifyEbsDefaultKmsKeyIdResult> {
      const scope = st.scope(ctx);
      if (!input.KmsKeyId) throw new AwsError('MissingParameter', 'The request must contain the parameter KmsKeyId', 400);
      const arn = await resolveKey(scope, input.KmsKeyId);
      dryRun(input);
      update(st, scope, { kmsKeyId: arn });
      return { KmsKeyId: arn };
    },
    ResetEbsDefaultKmsKeyId(input: T.ResetEbsDefaultKmsKeyIdRequest, ctx: RequestContext): T.ResetEbsDefaultKmsKeyIdResult {
      const scope = st.scope(ctx);
      dryRun(input);
      update(st, scope, { kmsKeyId: undefined });
      return { KmsKeyId: awsManagedEbsKey(scope) };
    },

    EnableFastSnapshotRestores(input: T.EnableFastSnapshotRestoresRequest, ctx: RequestContext): T.EnableFastSnapshotRestoresResult {
      const scope = st.scope(ctx);
      const zones = zonesOfRequest(scope, input.AvailabilityZones, input.AvailabilityZoneIds);
      if (!input.SourceSnapshotIds?.length) throw new AwsError('MissingParameter', 'The request must contain the parameter SourceSnapshotIds', 400);
      dryRun(input);
      const ok: T.EnableFastSnapshotRestoreSuccessItem[] = [];
      const failed: T.EnableFastSnapshotRestoreErrorItem[] = [];
      for (const id of input.SourceSnapshotIds) {
        const snap = st.snapshots.get(scope, id);
        const complete = snap && st.now() >= snap.startedAt + SNAPSHOT_PENDING_MS;
        if (!snap || !complete) {
          const error = snap ? { Code: 'IncorrectState', Message: `Snapshot '${id}' is not in the 'completed' state.` } : { Code: 'InvalidSnapshot.NotFound', Message: `The snapshot '${id}' does not exist.` };
          failed.push({ SnapshotId: id, FastSnapshotRestoreStateErrors: zones.map((z) => ({ AvailabilityZone: z.name, Error: error })) });
          continue;
        }
        for (const z of zones) {
          const key = `${id}/${z.name}`;
          let r = fsrTable(st).get(scope, key);
          if (!r || fsrState(st, r).state === 'disabled') {
            r = { snapshotId: id, az: z.name, azId: z.id, ownerId: scope.account, enablingAt: st.now(), size: snap.size };
            fsrTable(st).put(scope, key, r);
          }
          ok.push(renderFsr(st, r));
        }
      }
      return { Successful: ok, Unsuccessful: failed };
    },

    DisableFastSnapshotRestores(input: T.DisableFastSnapshotRestoresRequest, ctx: RequestContext): T.DisableFastSnapshotRestoresResult {
      const scope = st.scope(ctx);
      const zones = zonesOfRequest(scope, input.AvailabilityZones, input.AvailabilityZoneIds);
      if (!input.SourceSnapshotIds?.length) throw new AwsError('MissingParameter', 'The request must contain the parameter SourceSnapshotIds', 400);
      dryRun(input);
      const ok: T.DisableFastSnapshotRestoreSuccessItem[] = [];
      const failed: T.DisableFastSnapshotRestoreErrorItem[] = [];
      for (const id of input.SourceSnapshotIds) {
        if (!st.snapshots.has(scope, id)) {
          failed.push({ SnapshotId: id, FastSnapshotRestoreStateErrors: zones.map((z) => ({ AvailabilityZone: z.name, Error: { Code: 'InvalidSnapshot.NotFound', Message: `The snapshot '${id}' does not exist.` } })) });
          continue;
        }
        for (const z of zones) {
          const key = `${id}/${z.name}`;
          const r = fsrTable(st).get(scope, key);
          if (!r || fsrState(st, r).state === 'disabled') {
            ok.push({ SnapshotId: id, AvailabilityZone: z.name, AvailabilityZoneId: z.id, State: 'disabled', OwnerId: scope.account });
            continue;
          }
          if (r.disablingAt === undefined) {
            r.disablingAt = st.now();
            fsrTable(st).put(scope, key, r);
          }
          ok.push(renderFsr(st, r));
        }
      }
      return { Successful: ok, Unsuccessful: failed };
    },

    DescribeFastSnapshotRestores(input: T.DescribeFastSnapshotRestoresRequest, ctx: RequestContext): T.DescribeFastSnapshotRestoresResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const rows: T.DescribeFastSnapshotRestoreSuccessItem[] = [];
      for (const [key, r] of [...fsrTable(st).entries(scope)]) {
        if (fsrState(st, r).state === 'disabled' || !st.snapshots.has(scope, r.snapshotId)) fsrTable(st).delete(scope, key);
        else rows.push(renderFsr(st, r));
      }
      const { page, NextToken } = paginate(applyFilters(rows, input.Filters, FSR_FILTERS), input, 0, 200);
      return { FastSnapshotRestores: page, NextToken };
    },
  };
}
