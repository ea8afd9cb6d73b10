/**
 * Launching instances — RunInstances once idempotency and launch templates are resolved, the
 * fulfilment of Spot requests, and fleets: image and type (offered in the zone), the network plan
 * (launch-plan.ts), placement group, tenancy and Dedicated Host, Capacity Reservation, the
 * On-Demand vCPU quota, metadata options, EBS volumes (encrypted by default when the account says
 * so) and instance store volumes.
 */
import { randomBytes } from 'node:crypto';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { dryRun } from '../common.js';
import { instanceType } from '../domain/instance-types.js';
import { checkOffered } from '../domain/offerings.js';
import { checkVcpuQuota, vcpusOf } from '../domain/quotas.js';
import { newId, NOT_FOUND, VOLUME_ATTACHING_MS, VOLUME_CREATING_MS, type Ec2State, type EniRec, type InstanceRec, type VolumeRec } from '../state.js';
import { takeAddresses } from '../domain/interfaces.js';
import { findImage, randomMac, randomPublicIp, reservationOf, tagsByType, volumePlans } from './instances.js';
import { checkMetadataOptions, instanceStorePlan, launchableCount, planNetwork } from './launch-plan.js';
import { findGroup, placeInGroup } from './placement-groups.js';
import { chooseHost } from './hosts.js';
import { chooseReservation } from './capacity-reservations.js';
import { ebsDefaults } from './ebs-settings.js';
import { imageState } from './images.js';
import { checkSpotMarket, spotInstances } from './spot.js';

export interface LaunchOptions {
  template?: InstanceRec['launchTemplate'];
  /** Spot requests the instances fulfil (RequestSpotInstances), one per instance */
  spotRequestIds?: string[];
}

function checkArchitecture(type: T.InstanceTypeInfo, imgArch: string): void {
  const archs = type.ProcessorInfo?.SupportedArchitectures ?? [];
  if (archs.includes(imgArch)) return;
  throw new AwsError(
    'InvalidParameterValue',
    `The architecture '${archs.filter((a) => a !== 'i386').join(', ')}' of the specified instance type does not match the architecture '${imgArch}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
    400,
  );
}

function checkUserData(userData: string | undefined): void {
  if (userData === undefined) return;
  const clean = userData.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new AwsError('InvalidParameterValue', 'Invalid BASE64 encoding of user data.', 400);
  if (Buffer.from(clean, 'base64').length > 16384) throw new AwsError('InvalidParameterValue', 'User data is limited to 16384 bytes', 400);
}

function instanceProfile(scope: Scope, p: T.IamInstanceProfileSpecification | undefined): InstanceRec['iamProfile'] {
  if (!p?.Arn && !p?.Name) return undefined;
  if (p.Arn && !/^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/.+/.test(p.Arn)) {
    throw new AwsError('InvalidParameterValue', `Value (${p.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`, 400);
  }
  return { Arn: p.Arn ?? `arn:aws:iam::${scope.account}:instance-profile/${p.Name}`, Id: 'AIPA' + randomBytes(9).toString('hex').toUpperCase().slice(0, 17) };
}

/** Launches instances (all checks first, then one reservation). */
export function launch(st: Ec2State, scope: Scope, input: T.RunInstancesRequest, opts: LaunchOptions = {}): T.Reservation {
  const img = findImage(st, scope, input.ImageId);
  if (imageState(st, img) !== 'available') throw new AwsError('InvalidAMIID.Unavailable', `AMI '${img.id}' is pending, and cannot be run`, 400);
  const typeName = input.InstanceType ?? 'm1.small';
  const type = instanceType(typeName);
  if (!type) throw new AwsError('InvalidParameterValue', `Invalid value '${typeName}' for InstanceType.`, 400);
  checkArchitecture(type, img.architecture);
  const min = input.MinCount;
  const max = input.MaxCount;
  if (!Number.isInteger(min) || min < 1) throw new AwsError('InvalidParameterValue', `Value (${min}) for parameter minCount is invalid. Expected a positive integer.`, 400);
  if (!Number.isInteger(max) || max < 1) throw new AwsError('InvalidParameterValue', `Value (${max}) for parameter maxCount is invalid. Expected a positive integer.`, 400);
  if (min > max) throw new AwsError('InvalidParameterValue', `Value (${min}) for parameter minCount is invalid. Expected a value less than or equal to maxCount (${max}).`, 400);

  const net = planNetwork(st, scope, input, typeName, max);
  const subnet = net.subnet;
  checkOffered(typeName, scope.region, { name: subnet.az, id: subnet.azId });
  const vpc = st.vpc(scope, subnet.vpcId);
  if (input.KeyName !== undefined && !st.keyPairs.get(scope, input.KeyName)) throw NOT_FOUND.keyPair(input.KeyName);
  checkUserData(input.UserData);
  const shutdown = input.InstanceInitiatedShutdownBehavior ?? 'stop';
  if (shutdown !== 'stop' && shutdown !== 'terminate') {
    throw new AwsError('InvalidParameterValue', `Value (${shutdown}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are stop and terminate.`, 400);
  }
  checkMetadataOptions(input.MetadataOptions);
  const plans = volumePlans(img, input.BlockDeviceMappings);
  const mappedStore = [...(img.ephemeralDevices ?? []), ...(input.BlockDeviceMappings ?? []).flatMap((b) => (b.VirtualName && b.DeviceName ? [{ device: b.DeviceName, virtualName: b.VirtualName }] : []))];
  const tags = tagsByType(input.TagSpecifications, ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu']);
  const profile = instanceProfile(scope, input.IamInstanceProfile);
  const count = launchableCount(net, min, max);

  // placement: tenancy and host, group, capacity reservation
  const hostId = input.Placement?.HostId;
  const tenancy = input.Placement?.Tenancy ?? (hostId ? 'host' : vpc.tenancy === 'dedicated' ? 'dedicated' : 'default');
  if (!['default', 'dedicated', 'host'].includes(tenancy)) throw new AwsError('InvalidParameterValue', `Value (${tenancy}) for parameter tenancy is invalid. Valid values are: default | dedicated | host`, 400);
  const host = tenancy === 'host' ? chooseHost(st, scope, hostId, typeName, subnet.az, count) : undefined;
  const group = input.Placement?.GroupName || input.Placement?.GroupId ? findGroup(st, scope, input.Placement.GroupName || undefined, input.Placement.GroupId) : undefined;
  const partitions = group ? placeInGroup(st, scope, group, typeName, subnet.az, count, input.Placement?.PartitionNumber) : [];
  const spot = !!input.InstanceMarketOptions?.MarketType || !!opts.spotRequestIds;
  const reservation = host || spot ? undefined : chooseReservation(st, scope, input.CapacityReservationSpecification, { type: typeName, platform: img.platformDetails, tenancy, az: subnet.az }, count);
  const cores = input.CpuOptions?.CoreCount ?? type.VCpuInfo?.DefaultCores ?? 1;
  const threads = input.CpuOptions?.ThreadsPerCore ?? type.VCpuInfo?.DefaultThreadsPerCore ?? 1;
  if (!host && !spot) checkVcpuQuota(st, scope, typeName, vcpusOf({ type: typeName, cores, threads }) * count);
  checkSpotMarket(st, scope, input.InstanceMarketOptions, typeName, subnet.az);
  dryRun(input);

  // Instances launched from a template carry AWS's tags naming it.
  const instanceTags = [...(tags.get('instance') ?? [])];
  if (opts.template) instanceTags.push({ Key: 'aws:ec2launchtemplate:id', Value: opts.template.id }, { Key: 'aws:ec2launchtemplate:version', Value: opts.template.version });
  const defaults = ebsDefaults(st, scope);
  const now = st.now();
  const reservationId = newId('r');
  const created: InstanceRec[] = [];
  // Addresses for every instance at once, one subnet write per interface position.
  const addresses = net.nics.map((n) => {
    if (n.existing) return [];
    const per = n.named.length + n.extra;
    const ips = n.named.length ? takeAddresses(st, scope, n.subnet, n.named, n.extra) : takeAddresses(st, scope, n.subnet, [], per * count);
    return Array.from({ length: count }, (_, k) => ips.slice(k * per, (k + 1) * per));
  });
  for (let k = 0; k < count; k++) {
    const id = newId('i');
    const enis: EniRec[] = net.nics.map((n, position) => {
      const e: EniRec = n.existing ?? (() => {
        const ips = addresses[position]![k]!;
        return {
          id: newId('eni'), subnetId: n.subnet.id, vpcId: n.subnet.vpcId, az: n.subnet.az, azId: n.subnet.azId, privateIp: ips[0]!, secondaryIps: ips.slice(1),
          mac: randomMac(), sgIds: n.sgIds, description: n.description, deleteOnTermination: n.deleteOnTermination, sourceDestCheck: true, autoPublic: false,
          tags: tags.get('network-interface') ?? [], interfaceType: n.interfaceType && n.interfaceType !== 'interface' ? n.interfaceType : undefined,
        };
      })();
      Object.assign(e, { instanceId: id, attachmentId: newId('eni-attach'), deviceIndex: n.index, attachTime: now, deleteOnTermination: n.deleteOnTermination });
      if (n.index === 0) {
        e.autoPublic = net.associatePublic;
        if (net.associatePublic) e.publicIp = randomPublicIp();
      }
      st.enis.put(scope, e.id, e);
      return e;
    });
    const primary = enis[0]!;
    const devices: InstanceRec['devices'] = [];
    for (const p of plans) {
      const encrypted = defaults.encrypt || p.encrypted;
      const v: VolumeRec = {
        id: newId('vol'), size: p.size, type: p.type, iops: p.iops, throughput: p.throughput, az: subnet.az, azId: subnet.azId, snapshotId: p.snapshotId || undefined,
        encrypted, kmsKeyId: encrypted ? (p.kmsKeyId ?? defaults.kmsKeyId) : undefined, createdAt: now - VOLUME_CREATING_MS, multiAttach: false,
        attachments: [{ instanceId: id, device: p.device, since: now - VOLUME_ATTACHING_MS, deleteOnTermination: p.deleteOnTermination }],
        tags: tags.get('volume') ?? [],
      };
      st.volumes.put(scope, v.id, v);
      devices.push({ device: p.device, volumeId: v.id, deleteOnTermination: p.deleteOnTermination, attachTime: now });
    }
    const i: InstanceRec = {
      id, reservationId, imageId: img.id, type: typeName, keyName: input.KeyName, launchTime: now, state: 'pending', since: now, reason: '',
      subnetId: subnet.id, vpcId: vpc.id, az: subnet.az, azId: subnet.azId, privateIp: primary.privateIp, eniId: primary.id, sgIds: primary.sgIds,
      secondaryEnis: enis.slice(1).map((e) => e.id),
      userData: input.UserData?.replace(/\s+/g, ''), iamProfile: profile, tags: instanceTags.map((t) => ({ ...t })), clientToken: input.ClientToken, launchIndex: k,
      disableApiTermination: input.DisableApiTermination ?? false, disableApiStop: input.DisableApiStop ?? false, shutdownBehavior: shutdown,
      ebsOptimized: input.EbsOptimized ?? false, enaSupport: true, rootDeviceName: img.rootDeviceName, devices, architecture: img.architecture,
      platform: img.platform, platformDetails: img.platformDetails, monitoring: input.Monitoring?.Enabled ?? false, cores, threads, tenancy,
      httpTokens: input.MetadataOptions?.HttpTokens ?? (img.bootMode === 'uefi-preferred' || img.imdsSupport === 'v2.0' ? 'required' : 'optional'),
      hopLimit: input.MetadataOptions?.HttpPutResponseHopLimit ?? (img.bootMode === 'uefi-preferred' ? 2 : 1),
      httpEndpoint: input.MetadataOptions?.HttpEndpoint ?? 'enabled',
      httpProtocolIpv6: input.MetadataOptions?.HttpProtocolIpv6, metadataTags: input.MetadataOptions?.InstanceMetadataTags,
      launchTemplate: opts.template, placementGroupId: group?.id, partition: partitions[k], hostId: host?.id,
      capacityReservationId: reservation?.id,
      capacityPreference: input.CapacityReservationSpecification?.CapacityReservationTarget ? 'targeted' : (input.CapacityReservationSpecification?.CapacityReservationPreference ?? 'open'),
      instanceStore: instanceStorePlan(type, mappedStore),
    };
    st.instances.put(scope, id, i);
    created.push(i);
  }
  if (img.ownerId === scope.account && st.images.has(scope, img.id)) {
    img.lastLaunchedAt = now;
    st.images.put(scope, img.id, img);
  }
  spotInstances(st, scope, input, created, opts.spotRequestIds, tags.get('spot-instances-request') ?? []);
  return reservationOf(st, scope, created);
}
