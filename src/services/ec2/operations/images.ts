/** DescribeImages (public catalogue + own images), CreateImage from an instance, DescribeInstanceTypes. */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { publicImages, type ImageRec } from '../domain/images.js';
import { instanceTypes } from '../domain/instance-types.js';
import { newId, SNAPSHOT_PENDING_MS, tagsOut, type Ec2State, type SnapshotRec } from '../state.js';
import { checkInstanceIds, tagsByType } from './instances.js';
import { sharedImages } from './image-sharing.js';

export function imageState(st: Ec2State, i: ImageRec): string {
  if (i.state === 'pending' && i.createdAt !== undefined && st.now() >= i.createdAt + SNAPSHOT_PENDING_MS) return 'available';
  return i.state;
}

export function renderImage(st: Ec2State, i: ImageRec): T.Image {
  return {
    Architecture: i.architecture,
    CreationDate: i.creationDate,
    ImageId: i.id,
    ImageLocation: i.location,
    ImageType: 'machine',
    Public: i.public || !!i.launchPublic,
    OwnerId: i.ownerId,
    Platform: i.platform,
    PlatformDetails: i.platformDetails,
    UsageOperation: i.usageOperation,
    State: imageState(st, i),
    BlockDeviceMappings: [
      { DeviceName: i.rootDeviceName, Ebs: { DeleteOnTermination: true, SnapshotId: i.snapshotId, VolumeSize: i.volumeSize, VolumeType: i.volumeType, Encrypted: false } },
      ...(i.extraDevices ?? []).map((d) => ({ DeviceName: d.device, Ebs: { DeleteOnTermination: d.deleteOnTermination, SnapshotId: d.snapshotId || undefined, VolumeSize: d.size, VolumeType: d.type, Encrypted: false } })),
      ...(i.ephemeralDevices ?? []).map((d) => ({ DeviceName: d.device, VirtualName: d.virtualName })),
    ],
    Description: i.description,
    EnaSupport: i.enaSupport ?? true,
    Hypervisor: 'xen',
    ImageOwnerAlias: i.alias,
    Name: i.name,
    RootDeviceName: i.rootDeviceName,
    RootDeviceType: 'ebs',
    SriovNetSupport: i.sriovNetSupport ?? 'simple',
    VirtualizationType: i.virtualizationType ?? 'hvm',
    BootMode: i.bootMode,
    ImdsSupport: i.imdsSupport ?? (i.bootMode === 'uefi-preferred' ? 'v2.0' : undefined),
    TpmSupport: i.tpmSupport,
    SourceImageId: i.sourceImageId,
    SourceImageRegion: i.sourceRegion,
    Tags: tagsOut(i.tags),
    SourceInstanceId: i.sourceInstanceId,
    DeprecationTime: i.public ? new Date(Date.parse(i.creationDate) + 2 * 365 * 86_400_000).toISOString().replace(/\.\d+Z$/, '.000Z') : undefined,
  };
}

const IMAGE_FILTERS: FilterFields<T.Image> = {
  architecture: (i) => i.Architecture,
  'block-device-mapping.device-name': (i) => i.BlockDeviceMappings?.map((b) => b.DeviceName!),
  'block-device-mapping.snapshot-id': (i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.SnapshotId ?? ''),
  'block-device-mapping.volume-size': (i) => i.BlockDeviceMappings?.map((b) => String(b.Ebs?.VolumeSize)),
  'block-device-mapping.volume-type': (i) => i.BlockDeviceMappings?.map((b) => b.Ebs?.VolumeType ?? ''),
  'creation-date': (i) => i.CreationDate,
  description: (i) => i.Description,
  'ena-support': (i) => String(i.EnaSupport),
  hypervisor: (i) => i.Hypervisor,
  'image-id': (i) => i.ImageId,
  'image-type': (i) => i.ImageType,
  'is-public': (i) => String(i.Public),
  manifest: (i) => i.ImageLocation,
  'manifest-location': (i) => i.ImageLocation,
  name: (i) => i.Name,
  'owner-alias': (i) => i.ImageOwnerAlias,
  'owner-id': (i) => i.OwnerId,
  platform: (i) => i.Platform,
  'platform-details': (i) => i.PlatformDetails,
  'root-device-name': (i) => i.RootDeviceName,
  'root-device-type': (i) => i.RootDeviceType,
  'source-instance-id': (i) => i.SourceInstanceId,
  state: (i) => i.State,
  'sriov-net-support': (i) => i.SriovNetSupport,
  'usage-operation': (i) => i.UsageOperation,
  'virtualization-type': (i) => i.VirtualizationType,
};

/** Public catalogue, own images, then images other accounts share with this one (or with everyone). */
function allImages(st: Ec2State, scope: Scope): ImageRec[] {
  return [...publicImages(scope.region), ...[...st.images.values(scope)].filter((i) => i.state !== 'deregistered'), ...sharedImages(st, scope)];
}

const TYPE_FILTERS: FilterFields<T.InstanceTypeInfo> = {
  'instance-type': (t) => t.InstanceType,
  'current-generation': (t) => String(t.CurrentGeneration),
  'free-tier-eligible': (t) => String(t.FreeTierEligible),
  'bare-metal': (t) => String(t.BareMetal),
  'burstable-performance-supported': (t) => String(t.BurstablePerformanceSupported),
  hypervisor: (t) => t.Hypervisor,
  'instance-storage-supported': (t) => String(t.InstanceStorageSupported),
  'memory-info.size-in-mib': (t) => String(t.MemoryInfo?.SizeInMiB),
  'processor-info.supported-architecture': (t) => t.ProcessorInfo?.SupportedArchitectures,
  'processor-info.manufacturer': (t) => t.ProcessorInfo?.Manufacturer,
  'vcpu-info.default-vcpus': (t) => String(t.VCpuInfo?.DefaultVCpus),
  'vcpu-info.default-cores': (t) => String(t.VCpuInfo?.DefaultCores),
  'network-info.ena-support': (t) => t.NetworkInfo?.EnaSupport,
  'network-info.network-performance': (t) => t.NetworkInfo?.NetworkPerformance,
  'network-info.ipv6-supported': (t) => String(t.NetworkInfo?.Ipv6Supported),
  'network-info.maximum-network-interfaces': (t) => String(t.NetworkInfo?.MaximumNetworkInterfaces),
  'ebs-info.ebs-optimized-support': (t) => t.EbsInfo?.EbsOptimizedSupport,
  'ebs-info.encryption-support': (t) => t.EbsInfo?.EncryptionSupport,
  'ebs-info.nvme-support': (t) => t.EbsInfo?.NvmeSupport,
  'supported-root-device-type': (t) => t.SupportedRootDeviceTypes,
  'supported-usage-class': (t) => t.SupportedUsageClasses,
  'supported-virtualization-type': (t) => t.SupportedVirtualizationTypes,
  'supported-boot-mode': (t) => t.SupportedBootModes,
  'hibernation-supported': (t) => String(t.HibernationSupported),
  'dedicated-hosts-supported': (t) => String(t.DedicatedHostsSupported),
  'auto-recovery-supported': (t) => String(t.AutoRecoverySupported),
};

export function imageOperations(st: Ec2State) {
  return {
    DescribeImages(input: T.DescribeImagesRequest, ctx: RequestContext): T.DescribeImagesResult {
      const scope = st.scope(ctx);
      for (const id of input.ImageIds ?? []) {
        if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`, 400);
      }
      dryRun(input);
      let all = allImages(st, scope);
      if (input.ImageIds?.length) {
        const missing = input.ImageIds.filter((id) => !all.some((i) => i.id === id));
        if (missing.length) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`, 400);
        all = all.filter((i) => input.ImageIds!.includes(i.id));
      }
      if (input.Owners?.length) {
        all = all.filter((i) => input.Owners!.some((o) => o === i.ownerId || o === i.alias || (o === 'self' && i.ownerId === scope.account)));
      }
      if (input.ExecutableUsers?.length) {
        const explicit = (i: ImageRec, account: string) => i.launchUsers?.includes(account) ?? false;
        all = all.filter((i) =>
          input.ExecutableUsers!.some((u) =>
            u === 'all' ? i.public || !!i.launchPublic : u === 'self' ? i.ownerId === scope.account || explicit(i, scope.account) : i.ownerId === scope.account && explicit(i, u),
          ),
        );
      }
      const rendered = all.map((i) => renderImage(st, i));
      const out = applyFilters(rendered, input.Filters, IMAGE_FILTERS, (i) => i.Tags);
      const { page, NextToken } = paginate(out, input, 5, 1000);
      return { Images: page, NextToken };
    },

    CreateImage(input: T.CreateImageRequest, ctx: RequestContext): T.CreateImageResult {
      const scope = st.scope(ctx);
      checkInstanceIds([input.InstanceId]);
      const inst = st.instance(scope, input.InstanceId);
      const state = st.instanceState(inst);
      if (state !== 'running' && state !== 'stopped') throw new AwsError('IncorrectInstanceState', `The instance '${inst.id}' is not in the 'running' or 'stopped' state.`, 400);
      const name = input.Name ?? '';
      if (!/^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/.test(name)) {
        throw new AwsError('InvalidAMIName.Malformed', `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`, 400);
      }
      if ([...st.images.values(scope)].some((i) => i.name === name && i.state !== 'deregistered')) {
        throw new AwsError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${[...st.images.values(scope)].find((i) => i.name === name)!.id}`, 400);
      }
      const tags = tagsByType(input.TagSpecifications, ['image', 'snapshot']);
      dryRun(input);
      const now = st.now();
      const snaps: { device: string; snap: SnapshotRec; type: string; dot: boolean }[] = [];
      for (const d of inst.devices) {
        const v = st.volumes.get(scope, d.volumeId);
        if (!v) continue;
        const snap: SnapshotRec = {
          id: newId('snap'), volumeId: v.id, size: v.size, description: `Created by CreateImage(${inst.id}) for ${'ami-PENDING'} from ${v.id}`,
          encrypted: v.encrypted, kmsKeyId: v.kmsKeyId, startedAt: now, tags: tags.get('snapshot') ?? [],
        };
        snaps.push({ device: d.device, snap, type: v.type, dot: d.deleteOnTermination });
      }
      const id = 'ami-' + newId('x').slice(2);
      for (const s of snaps) {
        s.snap.description = s.snap.description.replace('ami-PENDING', id);
        st.snapshots.put(scope, s.snap.id, s.snap);
      }
      const root = snaps.find((s) => s.device === inst.rootDeviceName) ?? snaps[0];
      const base = [...publicImages(scope.region), ...st.images.values(scope)].find((i) => i.id === inst.imageId);
      const img: ImageRec = {
        id, name, description: input.Description ?? '', ownerId: scope.account, architecture: inst.architecture, platform: inst.platform,
        platformDetails: inst.platformDetails, usageOperation: base?.usageOperation ?? 'RunInstances', rootDeviceName: inst.rootDeviceName,
        snapshotId: root?.snap.id ?? '', volumeSize: root?.snap.size ?? 8, volumeType: root?.type ?? 'gp3',
        creationDate: new Date(now).toISOString().replace(/\.\d+Z$/, '.000Z'), public: false, location: `${scope.account}/${name}`,
        bootMode: base?.bootMode, state: 'pending', createdAt: now, tags: tags.get('image') ?? [], sourceInstanceId: inst.id,
        extraDevices: snaps.filter((s) => s !== root).map((s) => ({ device: s.device, snapshotId: s.snap.id, size: s.snap.size, type: s.type, deleteOnTermination: s.dot })),
        // mapped instance store volumes (Xen types) stay mappings of the image; NVMe ones come with the type
        ephemeralDevices: (inst.instanceStore ?? []).filter((d) => !d.device.startsWith('/dev/nvme')).map((d) => ({ device: d.device, virtualName: d.virtualName })),
      };
      st.images.put(scope, id, img);
      return { ImageId: id };
    },

    DeregisterImage(input: T.DeregisterImageRequest, ctx: RequestContext): T.DeregisterImageResult {
      const scope = st.scope(ctx);
      const img = input.ImageId ? st.images.get(scope, input.ImageId) : undefined;
      if (!img || img.state === 'deregistered') throw new AwsError('InvalidAMIID.NotFound', `The image id '[${input.ImageId}]' does not exist`, 400);
      dryRun(input);
      st.images.delete(scope, img.id);
      return { Return: true };
    },

    DescribeInstanceTypes(input: T.DescribeInstanceTypesRequest, ctx: RequestContext): T.DescribeInstanceTypesResult {
      st.scope(ctx);
      dryRun(input);
      let all = instanceTypes();
      if (input.InstanceTypes?.length) {
        const missing = input.InstanceTypes.filter((n) => !all.some((t) => t.InstanceType === n));
        if (missing.length) throw new AwsError('InvalidInstanceType', `The following supplied instance types do not exist: [${missing.join(', ')}]`, 400);
        all = all.filter((t) => input.InstanceTypes!.includes(t.InstanceType!));
      }
      const out = applyFilters(all, input.Filters, TYPE_FILTERS);
      const { page, NextToken } = paginate(out, { MaxResults: input.MaxResults ?? 100, NextToken: input.NextToken }, 5, 100);
      return { InstanceTypes: page, NextToken };
    },
  };
}
