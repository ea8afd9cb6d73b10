/**
 * EBS: volumes (AWS's size / IOPS / throughput rules per type; creating → available,
 * attaching → attached, detaching → detached on the virtual clock), ModifyVolume with its
 * modification states, snapshots (pending → completed), CopySnapshot across regions.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, pickIds, type FilterFields } from '../common.js';
import {
  newId, NOT_FOUND, SNAPSHOT_PENDING_MS, tagsFor, tagsOut, VOLUME_CREATING_MS, VOLUME_MODIFYING_MS,
  VOLUME_OPTIMIZING_MS, zonesOf, type Ec2State, type SnapshotRec, type VolumeRec,
} from '../state.js';
import { attachState } from './instance-render.js';
import { ebsDefaults } from './ebs-settings.js';
import { sharedSnapshots, visibleSnapshot } from './snapshot-sharing.js';

interface Rule { min: number; max: number; iops?: { min: number; max: number; ratio: number; required: boolean; def?: number }; throughput?: { min: number; max: number; def: number; perIops: number } }
/** AWS's limits per volume type (gp3 as raised in 2025: 64 TiB, 80,000 IOPS, 2,000 MiB/s). */
const RULES: Record<string, Rule> = {
  gp2: { min: 1, max: 16384 },
  gp3: { min: 1, max: 65536, iops: { min: 3000, max: 80000, ratio: 500, required: false, def: 3000 }, throughput: { min: 125, max: 2000, def: 125, perIops: 0.25 } },
  io1: { min: 4, max: 16384, iops: { min: 100, max: 64000, ratio: 50, required: true } },
  io2: { min: 4, max: 65536, iops: { min: 100, max: 256000, ratio: 1000, required: true } },
  st1: { min: 125, max: 16384 },
  sc1: { min: 125, max: 16384 },
  standard: { min: 1, max: 1024 },
};

/** Checks a volume's size/type/IOPS/throughput and fills the defaults (gp3: 3000 IOPS, 125 MiB/s). */
export function validateVolume(v: { size: number; type: string; iops?: number; throughput?: number }): { iops?: number; throughput?: number } {
  const r = RULES[v.type];
  if (!r) throw new AwsError('InvalidParameterValue', `Value (${v.type}) for parameter volumeType is invalid. Valid values are: standard | io1 | io2 | gp2 | sc1 | st1 | gp3`, 400);
  if (!Number.isInteger(v.size) || v.size < r.min) {
    if (v.type === 'io1' || v.type === 'io2') throw new AwsError('InvalidParameterValue', `The volume size is invalid for ${v.type} volumes: ${v.size} GiB. ${v.type} volumes must be at least ${r.min} GiB in size.`, 400);
    throw new AwsError('InvalidParameterValue', `Volume of ${v.size}GiB is too small; minimum is ${r.min}GiB.`, 400);
  }
  if (v.size > r.max) throw new AwsError('InvalidParameterValue', `Volume of ${v.size}GiB is too large; maximum is ${r.max}GiB.`, 400);
  if (v.iops !== undefined && !r.iops) throw new AwsError('InvalidParameterCombination', `The parameter iops is not supported for ${v.type} volumes.`, 400);
  if (v.throughput !== undefined && !r.throughput) throw new AwsError('InvalidParameterCombination', `The parameter throughput is not supported for ${v.type} volumes.`, 400);
  let iops = v.iops;
  let throughput = v.throughput;
  if (r.iops) {
    if (iops === undefined) {
      if (r.iops.required) throw new AwsError('InvalidParameterCombination', `The parameter iops must be specified for ${v.type} volumes.`, 400);
      iops = r.iops.def;
    }
    if (iops! < r.iops.min || iops! > r.iops.max) {
      throw new AwsError('InvalidParameterValue', `Volume iops of ${iops} is ${iops! < r.iops.min ? 'too low; minimum is ' + r.iops.min : 'too high; maximum is ' + r.iops.max}.`, 400);
    }
    if (iops! / v.size > r.iops.ratio && !(v.type === 'gp3' && iops === r.iops.def)) {
      throw new AwsError('InvalidParameterValue', `Iops to volume size ratio of ${(iops! / v.size).toFixed(6)} is too high; maximum is ${r.iops.ratio.toFixed(6)}.`, 400);
    }
  }
  if (r.throughput) {
    throughput ??= r.throughput.def;
    if (throughput < r.throughput.min || throughput > r.throughput.max) {
      throw new AwsError('InvalidParameterValue', `Throughput of ${throughput}MiB/s is ${throughput < r.throughput.min ? 'too low; minimum is ' + r.throughput.min : 'too high; maximum is ' + r.throughput.max}MiB/s.`, 400);
    }
    if (throughput > iops! * r.throughput.perIops && throughput > r.throughput.def) {
      throw new AwsError('InvalidParameterValue', `Throughput (MiBps) to iops ratio of ${(throughput / iops!).toFixed(6)} is too high; maximum is ${r.throughput.perIops.toFixed(6)} MiBps per iops.`, 400);
    }
  }
  return { iops, throughput };
}

/** gp2's baseline: 3 IOPS per GiB, at least 100 and at most 16,000; st1/sc1/standard have none shown. */
function shownIops(v: VolumeRec): number | undefined {
  if (v.type === 'gp2') return Math.min(16000, Math.max(100, 3 * v.size));
  return v.iops;
}

export function volumeState(st: Ec2State, v: VolumeRec): string {
  if (st.now() < v.createdAt + VOLUME_CREATING_MS) return 'creating';
  return v.attachments.some((a) => attachState(st, v, a.instanceId)) ? 'in-use' : 'available';
}

/** Drops finished detachments (and the instance's device entry) so the record matches what is shown. */
function settle(st: Ec2State, scope: Scope, v: VolumeRec): void {
  const done = v.attachments.filter((a) => !attachState(st, v, a.instanceId));
  if (!done.length) return;
  v.attachments = v.attachments.filter((a) => !done.includes(a));
  st.volumes.put(scope, v.id, v);
}

function renderVolume(st: Ec2State, scope: Scope, v: VolumeRec): T.Volume {
  return {
    Attachments: v.attachments.flatMap((a) => {
      const s = attachState(st, v, a.instanceId);
      return s ? [{ AttachTime: new Date(a.since), Device: a.device, InstanceId: a.instanceId, State: s, VolumeId: v.id, DeleteOnTermination: a.deleteOnTermination }] : [];
    }),
    AvailabilityZone: v.az,
    AvailabilityZoneId: v.azId,
    CreateTime: new Date(v.createdAt),
    Encrypted: v.encrypted,
    KmsKeyId: v.kmsKeyId,
    Size: v.size,
    SnapshotId: v.snapshotId ?? '',
    State: volumeState(st, v),
    VolumeId: v.id,
    Iops: shownIops(v),
    Tags: tagsOut(v.tags),
    VolumeType: v.type,
    MultiAttachEnabled: v.multiAttach,
    Throughput: v.throughput,
  };
}

const VOLUME_FILTERS: FilterFields<T.Volume> = {
  'attachment.attach-time': (v) => v.Attachments?.map((a) => a.AttachTime!.toISOString()),
  'attachment.delete-on-termination': (v) => v.Attachments?.map((a) => String(a.DeleteOnTermination)),
  'attachment.device': (v) => v.Attachments?.map((a) => a.Device!),
  'attachment.instance-id': (v) => v.Attachments?.map((a) => a.InstanceId!),
  'attachment.status': (v) => v.Attachments?.map((a) => a.State!),
  'availability-zone': (v) => v.AvailabilityZone,
  'create-time': (v) => v.CreateTime?.toISOString(),
  encrypted: (v) => String(v.Encrypted),
  'multi-attach-enabled': (v) => String(v.MultiAttachEnabled),
  size: (v) => String(v.Size),
  'snapshot-id': (v) => v.SnapshotId,
  status: (v) => v.State,
  'volume-id': (v) => v.VolumeId,
  'volume-type': (v) => v.VolumeType,
};

function snapshotState(st: Ec2State, s: SnapshotRec): { state: string; progress: string } {
  const elapsed = st.now() - s.startedAt;
  if (elapsed >= SNAPSHOT_PENDING_MS) return { state: 'completed', progress: '100%' };
  return { state: 'pending', progress: `${Math.floor((elapsed / SNAPSHOT_PENDING_MS) * 100)}%` };
}

function renderSnapshot(st: Ec2State, owner: string, s: SnapshotRec): T.Snapshot {
  const { state, progress } = snapshotState(st, s);
  return {
    Description: s.description,
    Encrypted: s.encrypted,
    KmsKeyId: s.kmsKeyId,
    OwnerId: owner,
    Progress: progress,
    SnapshotId: s.id,
    StartTime: new Date(s.startedAt),
    State: state,
    VolumeId: s.volumeId,
    VolumeSize: s.size,
    StorageTier: 'standard',
    CompletionTime: state === 'completed' ? new Date(s.startedAt + SNAPSHOT_PENDING_MS) : undefined,
    Tags: tagsOut(s.tags),
  };
}

const SNAPSHOT_FILTERS: FilterFields<T.Snapshot> = {
  description: (s) => s.Description,
  encrypted: (s) => String(s.Encrypted),
  'owner-id': (s) => s.OwnerId,
  progress: (s) => s.Progress,
  'snapshot-id': (s) => s.SnapshotId,
  'start-time': (s) => s.StartTime?.toISOString(),
  status: (s) => s.State,
  'storage-tier': (s) => s.StorageTier,
  'volume-id': (s) => s.VolumeId,
  'volume-size': (s) => String(s.VolumeSize),
};

function modificationOf(st: Ec2State, v: VolumeRec): T.VolumeModification | undefined {
  const m = v.modification;
  if (!m) return undefined;
  const elapsed = st.now() - m.startedAt;
  const state = elapsed < VOLUME_MODIFYING_MS ? 'modifying' : elapsed < VOLUME_MODIFYING_MS + VOLUME_OPTIMIZING_MS ? 'optimizing' : 'completed';
  const progress = state === 'completed' ? 100 : Math.floor((elapsed / (VOLUME_MODIFYING_MS + VOLUME_OPTIMIZING_MS)) * 100);
  return {
    VolumeId: v.id, ModificationState: state, TargetSize: v.size, TargetIops: shownIops(v), TargetVolumeType: v.type, TargetThroughput: v.throughput, TargetMultiAttachEnabled: v.multiAttach,
    OriginalSize: m.original.size, OriginalIops: m.original.type === 'gp2' ? Math.min(16000, Math.max(100, 3 * m.original.size)) : m.original.iops,
    OriginalVolumeType: m.original.type, OriginalThroughput: m.original.throughput, OriginalMultiAttachEnabled: v.multiAttach,
    Progress: progress, StartTime: new Date(m.startedAt), EndTime: state === 'completed' ? new Date(m.startedAt + VOLUME_MODIFYING_MS + VOLUME_OPTIMIZING_MS) : undefined,
  };
}

export function volumeOperations(st: Ec2State) {
  return {
    CreateVolume(input: T.CreateVolumeRequest, ctx: RequestContext): T.Volume {
      const scope = st.scope(ctx);
      const zones = zonesOf(scope.region);
      const zone = input.AvailabilityZone !== undefined ? zones.find((z) => z.name === input.AvailabilityZone) : zones.find((z) => z.id === input.AvailabilityZoneId);
      if (!input.AvailabilityZone && !input.AvailabilityZoneId) throw new AwsError('MissingParameter', 'The request must contain the parameter AvailabilityZone', 400);
      if (!zone) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone ?? input.AvailabilityZoneId}]`, 400);
      const snap = input.SnapshotId ? visibleSnapshot(st, scope, input.SnapshotId).snap : undefined;
      if (input.Size === undefined && !snap) throw new AwsError('MissingParameter', 'The request must contain the parameter size or snapshotId', 400);
      const size = input.Size ?? snap!.size;
      if (snap && size < snap.size) throw new AwsError('InvalidParameterValue', `Volume of ${size}GiB is smaller than snapshot '${snap.id}', expect size >= ${snap.size}GiB`, 400);
      const type = input.VolumeType ?? 'gp2';
      const { iops, throughput } = validateVolume({ size, type, iops: input.Iops, throughput: input.Throughput });
      if (input.MultiAttachEnabled && type !== 'io1' && type !== 'io2') throw new AwsError('InvalidParameterCombination', 'The parameter multiAttachEnabled is only supported for io1 and io2 volumes.', 400);
      const tags = tagsFor(input.TagSpecifications, 'volume');
      dryRun(input);
      // Encryption by default (or an encrypted snapshot) makes the volume encrypted whatever Encrypted says.
      const defaults = ebsDefaults(st, scope);
      const encrypted = defaults.encrypt || snap?.encrypted || (input.Encrypted ?? false);
      if (input.KmsKeyId && !encrypted) throw new AwsError('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.', 400);
      const v: VolumeRec = {
        id: newId('vol'), size, type, iops: type === 'gp2' ? undefined : iops, throughput, az: zone.name, azId: zone.id, snapshotId: snap?.id,
        encrypted, kmsKeyId: encrypted ? (input.KmsKeyId ?? snap?.kmsKeyId ?? defaults.kmsKeyId) : undefined,
        createdAt: st.now(), multiAttach: input.MultiAttachEnabled ?? false, attachments: [], tags,
      };
      st.volumes.put(scope, v.id, v);
      return renderVolume(st, scope, v);
    },

    DescribeVolumes(input: T.DescribeVolumesRequest, ctx: RequestContext): T.DescribeVolumesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = pickIds([...st.volumes.values(scope)], input.VolumeIds, (v) => v.id, NOT_FOUND.volume);
      for (const v of all) settle(st, scope, v);
      const out = applyFilters(all.map((v) => renderVolume(st, scope, v)), input.Filters, VOLUME_FILTERS, (v) => v.Tags);
      const { page, NextToken } = paginate(out, input, 5, 500);
      return { Volumes: page, NextToken };
    },

    AttachVolume(input: T.AttachVolumeRequest, ctx: RequestContext): T.VolumeAttachment {
      const scope = st.scope(ctx);
      const v = st.volume(scope, input.VolumeId);
      const i = st.instance(scope, input.InstanceId);
      settle(st, scope, v);
      const istate = st.instanceState(i);
      if (istate !== 'running' && istate !== 'stopped') throw new AwsError('IncorrectState', `Instance '${i.id}' is not 'running'.`, 400);
      if (!/^\/dev\/(sd[a-z]\d*|xvd[a-z]+\d*)$|^xvd[a-z]+$/.test(input.Device ?? '')) throw new AwsError('InvalidParameterValue', `Value (${input.Device}) for parameter device is invalid. ${input.Device} is not a valid EBS device name.`, 400);
      if (i.az !== v.az) throw new AwsError('InvalidVolume.ZoneMismatch', `The volume '${v.id}' is not in the same availability zone as instance '${i.id}'`, 400);
      const state = volumeState(st, v);
      if (state === 'creating') throw new AwsError('IncorrectState', `vol '${v.id}' is not 'available'.`, 400);
      if (v.attachments.length && !v.multiAttach) throw new AwsError('VolumeInUse', `${v.id} is already attached to an instance`, 400);
      if (i.devices.some((d) => d.device === input.Device)) throw new AwsError('InvalidParameterValue', `Invalid value '${input.Device}' for unixDevice. Attachment point ${input.Device} is already in use`, 400);
      dryRun(input);
      const now = st.now();
      v.attachments.push({ instanceId: i.id, device: input.Device!, since: now, deleteOnTermination: false });
      st.volumes.put(scope, v.id, v);
      i.devices.push({ device: input.Device!, volumeId: v.id, deleteOnTermination: false, attachTime: now });
      st.instances.put(scope, i.id, i);
      return { AttachTime: new Date(now), Device: input.Device, InstanceId: i.id, State: 'attaching', VolumeId: v.id };
    },

    DetachVolume(input: T.DetachVolumeRequest, ctx: RequestContext): T.VolumeAttachment {
      const scope = st.scope(ctx);
      const v = st.volume(scope, input.VolumeId);
      settle(st, scope, v);
      const a = v.attachments.find((x) => (!input.InstanceId || x.instanceId === input.InstanceId) && (!input.Device || x.device === input.Device));
      if (!a || a.detachingAt !== undefined) throw new AwsError('IncorrectState', `Volume '${v.id}' is in the 'available' state.`, 400);
      const i = st.instances.get(scope, a.instanceId);
      if (i && i.rootDeviceName === a.device && st.instanceState(i) !== 'stopped' && !input.Force) {
        throw new AwsError('OperationNotPermitted', `Unable to detach root volume '${v.id}' from instance '${i.id}'`, 400);
      }
      dryRun(input);
      a.detachingAt = st.now();
      st.volumes.put(scope, v.id, v);
      if (i) {
        i.devices = i.devices.filter((d) => d.volumeId !== v.id);
        st.instances.put(scope, i.id, i);
      }
      return { AttachTime: new Date(a.since), Device: a.device, InstanceId: a.instanceId, State: 'detaching', VolumeId: v.id, DeleteOnTermination: a.deleteOnTermination };
    },

    DeleteVolume(input: T.DeleteVolumeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const v = st.volume(scope, input.VolumeId);
      settle(st, scope, v);
      if (v.attachments.length) throw new AwsError('VolumeInUse', `Volume ${v.id} is currently attached to ${v.attachments[0]!.instanceId}`, 400);
      dryRun(input);
      st.volumes.delete(scope, v.id);
    },

    ModifyVolume(input: T.ModifyVolumeRequest, ctx: RequestContext): T.ModifyVolumeResult {
      const scope = st.scope(ctx);
      const v = st.volume(scope, input.VolumeId);
      const cur = modificationOf(st, v);
      if (cur && cur.ModificationState !== 'completed') {
        throw new AwsError('IncorrectModificationState', `Cannot modify volume ${v.id} as it is already being modified.`, 400);
      }
      const size = input.Size ?? v.size;
      if (size < v.size) throw new AwsError('InvalidParameterValue', `New size cannot be smaller than existing size.`, 400);
      const type = input.VolumeType ?? v.type;
      const keepIops = type === v.type && input.Iops === undefined ? v.iops : input.Iops;
      const keepTp = type === v.type && input.Throughput === undefined ? v.throughput : input.Throughput;
      const { iops, throughput } = validateVolume({ size, type, iops: RULES[type]?.iops ? keepIops : input.Iops, throughput: RULES[type]?.throughput ? keepTp : input.Throughput });
      if (size === v.size && type === v.type && iops === v.iops && throughput === v.throughput && input.MultiAttachEnabled === undefined) {
        throw new AwsError('InvalidParameterValue', `New size, type, iops and throughput are the same as the current ones.`, 400);
      }
      dryRun(input);
      v.modification = { startedAt: st.now(), original: { size: v.size, type: v.type, iops: v.iops, throughput: v.throughput } };
      Object.assign(v, { size, type, iops: type === 'gp2' ? undefined : iops, throughput });
      if (input.MultiAttachEnabled !== undefined) v.multiAttach = input.MultiAttachEnabled;
      st.volumes.put(scope, v.id, v);
      return { VolumeModification: modificationOf(st, v) };
    },

    DescribeVolumesModifications(input: T.DescribeVolumesModificationsRequest, ctx: RequestContext): T.DescribeVolumesModificationsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = pickIds([...st.volumes.values(scope)], input.VolumeIds, (v) => v.id, NOT_FOUND.volume);
      const out = all.flatMap((v) => modificationOf(st, v) ?? []);
      const fields: FilterFields<T.VolumeModification> = {
        'modification-state': (m) => m.ModificationState, 'volume-id': (m) => m.VolumeId, 'target-size': (m) => String(m.TargetSize),
        'target-volume-type': (m) => m.TargetVolumeType, 'original-size': (m) => String(m.OriginalSize), 'original-volume-type': (m) => m.OriginalVolumeType,
      };
      return { VolumesModifications: applyFilters(out, input.Filters, fields) };
    },

    CreateSnapshot(input: T.CreateSnapshotRequest, ctx: RequestContext): T.Snapshot {
      const scope = st.scope(ctx);
      const v = st.volume(scope, input.VolumeId);
      const tags = tagsFor(input.TagSpecifications, 'snapshot');
      dryRun(input);
      const s: SnapshotRec = { id: newId('snap'), volumeId: v.id, size: v.size, description: input.Description ?? '', encrypted: v.encrypted, kmsKeyId: v.kmsKeyId, startedAt: st.now(), tags };
      st.snapshots.put(scope, s.id, s);
      return renderSnapshot(st, scope.account, s);
    },

    DescribeSnapshots(input: T.DescribeSnapshotsRequest, ctx: RequestContext): T.DescribeSnapshotsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      // Own snapshots, then those other accounts share with this one (or with everyone).
      const visible = [...[...st.snapshots.values(scope)].map((snap) => ({ snap, owner: scope.account })), ...sharedSnapshots(st, scope)];
      let all = pickIds(visible, input.SnapshotIds, (v) => v.snap.id, NOT_FOUND.snapshot);
      if (input.OwnerIds?.length) all = all.filter((v) => input.OwnerIds!.some((o) => o === v.owner || (o === 'self' && v.owner === scope.account)));
      if (input.RestorableByUserIds?.length) {
        all = all.filter((v) => input.RestorableByUserIds!.some((u) => (u === 'self' ? scope.account : u) === v.owner || (u === 'all' && v.snap.sharePublic) || v.snap.shareUsers?.includes(u === 'self' ? scope.account : u)));
      }
      const out = applyFilters(all.map((v) => renderSnapshot(st, v.owner, v.snap)), input.Filters, SNAPSHOT_FILTERS, (s) => s.Tags);
      const { page, NextToken } = paginate(out, input, 5, 1000);
      return { Snapshots: page, NextToken };
    },

    DeleteSnapshot(input: T.DeleteSnapshotRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const s = st.snapshot(scope, input.SnapshotId);
      const img = [...st.images.values(scope)].find((i) => i.state !== 'deregistered' && (i.snapshotId === s.id || i.extraDevices?.some((d) => d.snapshotId === s.id)));
      if (img) throw new AwsError('InvalidSnapshot.InUse', `The snapshot ${s.id} is currently in use by ${img.id}`, 400);
      dryRun(input);
      st.snapshots.delete(scope, s.id);
    },

    CopySnapshot(input: T.CopySnapshotRequest, ctx: RequestContext): T.CopySnapshotResult {
      const scope = st.scope(ctx);
      if (!input.SourceSnapshotId) throw new AwsError('MissingParameter', 'The request must contain the parameter SourceSnapshotId', 400);
      if (!input.SourceRegion) throw new AwsError('MissingParameter', 'The request must contain the parameter SourceRegion', 400);
      const from: Scope = { account: scope.account, region: input.SourceRegion };
      const src = visibleSnapshot(st, from, input.SourceSnapshotId).snap;
      if (snapshotState(st, src).state !== 'completed') throw new AwsError('IncorrectState', `Snapshot is in invalid state - pending`, 400);
      const tags = tagsFor(input.TagSpecifications, 'snapshot');
      dryRun(input);
      const defaults = ebsDefaults(st, scope);
      const encrypted = defaults.encrypt || src.encrypted || (input.Encrypted ?? false);
      const s: SnapshotRec = {
        id: newId('snap'), volumeId: 'vol-ffffffff', size: src.size, description: input.Description ?? `[Copied ${src.id} from ${input.SourceRegion}]`,
        encrypted, kmsKeyId: encrypted ? (input.KmsKeyId ?? defaults.kmsKeyId) : undefined, startedAt: st.now(), tags,
      };
      st.snapshots.put(scope, s.id, s);
      return { SnapshotId: s.id, Tags: tagsOut(tags) };
    },
  };
}
