/**
 * RunInstances and DescribeInstances: image, type, network (subnet or the default VPC's subnet in
 * the chosen zone), security groups, key pair, user data, root and extra EBS volumes, one ENI per
 * instance, public address when the subnet maps one, tags on instance/volume/interface, client
 * token idempotency. States advance on the virtual clock (see Ec2State.instanceState).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate } from '../common.js';
import { formatIp4, parseCidr4 } from '../domain/cidr.js';
import { instanceType } from '../domain/instance-types.js';
import { publicImage, type ImageRec } from '../domain/images.js';
import {
  INSTANCE_SHUTTING_DOWN_MS, INSTANCE_VISIBLE_AFTER_TERMINATE_MS, newId, NOT_FOUND, VOLUME_ATTACHING_MS, VOLUME_CREATING_MS, zonesOf,
  type Ec2State, type EniRec, type InstanceRec, type SubnetRec, type VolumeRec,
} from '../state.js';
import { instanceFilters, renderInstance } from './instance-render.js';
import { validateVolume } from './volumes.js';

type Tag = { Key: string; Value: string };

/** Tags per resource type from TagSpecifications (RunInstances tags several types at once). */
export function tagsByType(specs: T.TagSpecification[] | undefined, allowed: string[]): Map<string, Tag[]> {
  const out = new Map<string, Tag[]>();
  for (const s of specs ?? []) {
    const type = s.ResourceType ?? '';
    if (!allowed.includes(type)) throw new AwsError('InvalidParameterValue', `'${type}' is not a valid taggable resource type for this operation.`, 400);
    const list = out.get(type) ?? [];
    for (const t of s.Tags ?? []) {
      if (!t.Key) continue;
      if (t.Key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use", 400);
      const i = list.findIndex((x) => x.Key === t.Key);
      if (i >= 0) list[i] = { Key: t.Key, Value: t.Value ?? '' };
      else list.push({ Key: t.Key, Value: t.Value ?? '' });
    }
    out.set(type, list);
  }
  return out;
}

export const ipNumber = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const isIp4 = (s: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) < 256);
export const randomMac = () => '0e:' + [...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0')).join(':');
/** A public address from Amazon's pool (54.144.0.0/12 here), not one already handed out. */
export function randomPublicIp(): string {
  return formatIp4(((54 << 24) | (randomInt(144, 160) << 16) | randomInt(0, 65536)) >>> 0);
}

export function findImage(st: Ec2State, scope: Scope, id: string | undefined): ImageRec {
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter ImageId', 400);
  if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`, 400);
  const img = publicImage(scope.region, id) ?? st.images.get(scope, id);
  if (!img || img.state === 'deregistered') throw NOT_FOUND.image(id);
  return img;
}

const validInstanceId = (id: string) => /^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
export function checkInstanceIds(ids: string[] | undefined): void {
  for (const id of ids ?? []) if (!validInstanceId(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`, 400);
}

/** Subnet of a launch: the given one, or the default VPC's default subnet in the zone (first zone). */
function launchSubnet(st: Ec2State, scope: Scope, subnetId: string | undefined, az: string | undefined): SubnetRec {
  if (subnetId) {
    const s = st.subnet(scope, subnetId);
    if (az && az !== s.az) throw new AwsError('InvalidParameterCombination', `The specified subnet ${s.id} is in availability zone ${s.az}, not in ${az}.`, 400);
    return s;
  }
  const vpcId = st.defaultVpcId(scope);
  if (!vpcId) throw new AwsError('VPCIdNotSpecified', 'No default VPC for this user. GroupName is only supported for EC2-Classic and default VPC.', 400);
  const zones = zonesOf(scope.region);
  if (az && !zones.some((z) => z.name === az)) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${az}]`, 400);
  const subnets = [...st.subnets.values(scope)].filter((s) => s.vpcId === vpcId && s.defaultForAz);
  const s = az ? subnets.find((x) => x.az === az) : subnets.sort((a, b) => (a.az < b.az ? -1 : 1))[0];
  if (!s) throw new AwsError('MissingInput', 'No subnets found for the default VPC ' + vpcId + '. Please specify a subnet.', 400);
  return s;
}

function launchGroups(st: Ec2State, scope: Scope, s: SubnetRec, ids: string[] | undefined, names: string[] | undefined): string[] {
  const out: string[] = [];
  for (const id of ids ?? []) {
    const g = st.sg(scope, id);
    if (g.vpcId !== s.vpcId) throw new AwsError('InvalidParameter', `Security group ${g.id} and subnet ${s.id} belong to different networks.`, 400);
    out.push(g.id);
  }
  if (names?.length) {
    const vpc = st.vpc(scope, s.vpcId);
    if (!vpc.isDefault) throw new AwsError('InvalidParameterCombination', 'The parameter groupName cannot be used with the parameter subnet', 400);
    for (const name of names) {
      const g = [...st.sgs.values(scope)].find((x) => x.vpcId === vpc.id && x.name === name);
      if (!g) throw new AwsError('InvalidGroup.NotFound', `The security group '${name}' does not exist in default VPC '${vpc.id}'`, 400);
      out.push(g.id);
    }
  }
  if (!out.length) out.push(st.defaultSg(scope, s.vpcId)!.id);
  return [...new Set(out)];
}

interface VolumePlan { device: string; size: number; type: string; iops?: number; throughput?: number; deleteOnTermination: boolean; encrypted: boolean; kmsKeyId?: string; snapshotId?: string }

function volumePlans(img: ImageRec, bdms: T.BlockDeviceMapping[] | undefined): VolumePlan[] {
  const root: VolumePlan = { device: img.rootDeviceName, size: img.volumeSize, type: img.volumeType, deleteOnTermination: true, encrypted: false, snapshotId: img.snapshotId };
  const out: VolumePlan[] = [root];
  for (const m of img.extraDevices ?? []) out.push({ device: m.device, size: m.size, type: m.type, deleteOnTermination: m.deleteOnTermination, encrypted: false, snapshotId: m.snapshotId });
  for (const b of bdms ?? []) {
    if (!b.DeviceName) throw new AwsError('MissingParameter', 'The request must contain the parameter BlockDeviceMapping.DeviceName', 400);
    if (!b.Ebs) continue;
    const existing = out.find((p) => p.device === b.DeviceName);
    const p: VolumePlan = existing ?? { device: b.DeviceName, size: 0, type: 'gp2', deleteOnTermination: true, encrypted: false };
    if (b.Ebs.VolumeSize !== undefined) {
      if (existing?.snapshotId && b.Ebs.VolumeSize < existing.size) {
        throw new AwsError('InvalidBlockDeviceMapping', `Volume of size ${b.Ebs.VolumeSize}GB is smaller than snapshot '${existing.snapshotId}', expect size >= ${existing.size}GB`, 400);
      }
      p.size = b.Ebs.VolumeSize;
    }
    if (b.Ebs.VolumeType) {
      p.type = b.Ebs.VolumeType;
      if (!b.Ebs.Iops) delete p.iops;
    }
    if (b.Ebs.Iops !== undefined) p.iops = b.Ebs.Iops;
    if (b.Ebs.Throughput !== undefined) p.throughput = b.Ebs.Throughput;
    if (b.Ebs.DeleteOnTermination !== undefined) p.deleteOnTermination = b.Ebs.DeleteOnTermination;
    if (b.Ebs.Encrypted !== undefined) p.encrypted = b.Ebs.Encrypted;
    if (b.Ebs.KmsKeyId) p.kmsKeyId = b.Ebs.KmsKeyId;
    if (!existing) {
      if (!p.size) throw new AwsError('InvalidBlockDeviceMapping', `The request must contain the parameter size or snapshotId for device ${b.DeviceName}`, 400);
      out.push(p);
    }
  }
  for (const p of out) Object.assign(p, validateVolume({ size: p.size, type: p.type, iops: p.iops, throughput: p.throughput }));
  return out;
}

/** The parameters of a launch that a repeated client token must match. */
function launchHash(input: T.RunInstancesRequest): string {
  const { ClientToken: _t, DryRun: _d, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

export function reservationOf(st: Ec2State, scope: Scope, instances: InstanceRec[]): T.Reservation {
  return { ReservationId: instances[0]?.reservationId, OwnerId: scope.account, Groups: [], Instances: instances.map((i) => renderInstance(st, scope, i)) };
}

export function instanceOperations(st: Ec2State) {
  return {
    RunInstances(input: T.RunInstancesRequest, ctx: RequestContext): T.Reservation {
      const scope = st.scope(ctx);
      if (input.ClientToken) {
        const prior = st.tokens.get(scope, `run:${input.ClientToken}`);
        if (prior) {
          if (prior.hash !== launchHash(input)) throw new AwsError('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).', 400);
          return reservationOf(st, scope, prior.instanceIds.flatMap((id) => st.instances.get(scope, id) ?? []));
        }
      }
      const img = findImage(st, scope, input.ImageId);
      const typeName = input.InstanceType ?? 'm1.small';
      const type = instanceType(typeName);
      if (!type) throw new AwsError('InvalidParameterValue', `Invalid value '${typeName}' for InstanceType.`, 400);
      const archs = type.ProcessorInfo?.SupportedArchitectures ?? [];
      if (!archs.includes(img.architecture)) {
        throw new AwsError(
          'InvalidParameterValue',
          `The architecture '${archs.filter((a) => a !== 'i386').join(', ')}' of the specified instance type does not match the architecture '${img.architecture}' of the specified AMI. Specify an instance type and an AMI that have matching architectures, and try again. You can use 'describe-instance-types' or 'describe-images' to discover the architecture of the instance type or AMI.`,
          400,
        );
      }
      const min = input.MinCount;
      const max = input.MaxCount;
      if (!Number.isInteger(min) || min < 1) throw new AwsError('InvalidParameterValue', `Value (${min}) for parameter minCount is invalid. Expected a positive integer.`, 400);
      if (!Number.isInteger(max) || max < 1) throw new AwsError('InvalidParameterValue', `Value (${max}) for parameter maxCount is invalid. Expected a positive integer.`, 400);
      if (min > max) throw new AwsError('InvalidParameterValue', `Value (${min}) for parameter minCount is invalid. Expected a value less than or equal to maxCount (${max}).`, 400);

      // network: instance-level parameters or the primary network interface specification
      const nis = input.NetworkInterfaces ?? [];
      const ni = nis.find((n) => (n.DeviceIndex ?? 0) === 0);
      if (ni && (input.SubnetId || input.SecurityGroupIds?.length || input.SecurityGroups?.length)) {
        throw new AwsError('InvalidParameterCombination', 'Network interfaces and an instance-level subnet ID or security groups may not be specified on the same request', 400);
      }
      if (ni?.NetworkInterfaceId) throw new AwsError('InvalidParameterValue', 'Launching with an existing network interface is not supported by gureum yet.', 400);
      const subnet = launchSubnet(st, scope, ni?.SubnetId ?? input.SubnetId, input.Placement?.AvailabilityZone);
      const sgIds = launchGroups(st, scope, subnet, ni?.Groups ?? input.SecurityGroupIds, input.SecurityGroups);
      const wantedIp = ni?.PrivateIpAddress ?? input.PrivateIpAddress;
      if (wantedIp !== undefined) {
        if (!isIp4(wantedIp) || !parseCidr4(subnet.cidr) || !inSubnet(subnet, wantedIp)) {
          throw new AwsError('InvalidParameterValue', `Address ${wantedIp} does not fall within the subnet's address range`, 400);
        }
        if (max > 1) throw new AwsError('InvalidParameterCombination', 'Cannot specify PrivateIpAddress when launching more than one instance', 400);
        if (subnet.usedIps.includes(ipNumber(wantedIp))) throw new AwsError('InvalidIPAddress.InUse', `Address ${wantedIp} is in use.`, 400);
      }
      const vpc = st.vpc(scope, subnet.vpcId);
      const associatePublic = ni?.AssociatePublicIpAddress ?? subnet.mapPublic;
      if (input.KeyName !== undefined && !st.keyPairs.get(scope, input.KeyName)) throw NOT_FOUND.keyPair(input.KeyName);
      if (input.UserData !== undefined) {
        const clean = input.UserData.replace(/\s+/g, '');
        if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) throw new AwsError('InvalidParameterValue', 'Invalid BASE64 encoding of user data.', 400);
        if (Buffer.from(clean, 'base64').length > 16384) throw new AwsError('InvalidParameterValue', 'User data is limited to 16384 bytes', 400);
      }
      const shutdown = input.InstanceInitiatedShutdownBehavior ?? 'stop';
      if (shutdown !== 'stop' && shutdown !== 'terminate') {
        throw new AwsError('InvalidParameterValue', `Value (${shutdown}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are stop and terminate.`, 400);
      }
      const plans = volumePlans(img, input.BlockDeviceMappings);
      const tags = tagsByType(input.TagSpecifications, ['instance', 'volume', 'network-interface', 'spot-instances-request', 'elastic-gpu']);
      let profile: InstanceRec['iamProfile'];
      if (input.IamInstanceProfile?.Arn || input.IamInstanceProfile?.Name) {
        const p = input.IamInstanceProfile;
        if (p.Arn && !/^arn:aws[a-z-]*:iam::\d{12}:instance-profile\/.+/.test(p.Arn)) {
          throw new AwsError('InvalidParameterValue', `Value (${p.Arn}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`, 400);
        }
        profile = { Arn: p.Arn ?? `arn:aws:iam::${scope.account}:instance-profile/${p.Name}`, Id: 'AIPA' + randomBytes(9).toString('hex').toUpperCase().slice(0, 17) };
      }
      const free = parseFreeCount(subnet);
      if (free < min) {
        throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${subnet.id}' to satisfy the requested number of instances.`, 400);
      }
      dryRun(input);

      const count = Math.min(max, free);
      const now = st.now();
      const ips = wantedIp !== undefined ? [st.allocateIp(scope, subnet, ipNumber(wantedIp))] : st.allocateIps(scope, subnet, count);
      const reservationId = newId('r');
      const created: InstanceRec[] = [];
      for (let k = 0; k < count; k++) {
        const id = newId('i');
        const privateIp = formatIp4(ips[k]!);
        const eni: EniRec = {
          id: newId('eni'), subnetId: subnet.id, vpcId: vpc.id, az: subnet.az, azId: subnet.azId, privateIp, mac: randomMac(), sgIds,
          description: ni?.Description ?? '', instanceId: id, attachmentId: newId('eni-attach'), deviceIndex: 0, attachTime: now,
          deleteOnTermination: ni?.DeleteOnTermination ?? true, sourceDestCheck: true, publicIp: associatePublic ? randomPublicIp() : undefined,
          autoPublic: associatePublic, tags: tags.get('network-interface') ?? [],
        };
        st.enis.put(scope, eni.id, eni);
        const devices: InstanceRec['devices'] = [];
        for (const p of plans) {
          const v: VolumeRec = {
            id: newId('vol'), size: p.size, type: p.type, iops: p.iops, throughput: p.throughput, az: subnet.az, azId: subnet.azId, snapshotId: p.snapshotId,
            encrypted: p.encrypted, kmsKeyId: p.kmsKeyId, createdAt: now - VOLUME_CREATING_MS, multiAttach: false,
            attachments: [{ instanceId: id, device: p.device, since: now - VOLUME_ATTACHING_MS, deleteOnTermination: p.deleteOnTermination }],
            tags: tags.get('volume') ?? [],
          };
          st.volumes.put(scope, v.id, v);
          devices.push({ device: p.device, volumeId: v.id, deleteOnTermination: p.deleteOnTermination, attachTime: now });
        }
        const i: InstanceRec = {
          id, reservationId, imageId: img.id, type: typeName, keyName: input.KeyName, launchTime: now, state: 'pending', since: now, reason: '',
          subnetId: subnet.id, vpcId: vpc.id, az: subnet.az, azId: subnet.azId, privateIp, eniId: eni.id, sgIds,
          userData: input.UserData?.replace(/\s+/g, ''), iamProfile: profile, tags: tags.get('instance') ?? [], clientToken: input.ClientToken, launchIndex: k,
          disableApiTermination: input.DisableApiTermination ?? false, disableApiStop: input.DisableApiStop ?? false, shutdownBehavior: shutdown,
          ebsOptimized: input.EbsOptimized ?? false, enaSupport: true, rootDeviceName: img.rootDeviceName, devices, architecture: img.architecture,
          platform: img.platform, platformDetails: img.platformDetails, monitoring: input.Monitoring?.Enabled ?? false,
          cores: input.CpuOptions?.CoreCount ?? type.VCpuInfo?.DefaultCores ?? 1, threads: input.CpuOptions?.ThreadsPerCore ?? type.VCpuInfo?.DefaultThreadsPerCore ?? 1,
          tenancy: input.Placement?.Tenancy ?? (vpc.tenancy === 'dedicated' ? 'dedicated' : 'default'),
          httpTokens: input.MetadataOptions?.HttpTokens ?? (img.bootMode === 'uefi-preferred' ? 'required' : 'optional'),
          hopLimit: input.MetadataOptions?.HttpPutResponseHopLimit ?? (img.bootMode === 'uefi-preferred' ? 2 : 1),
          httpEndpoint: input.MetadataOptions?.HttpEndpoint ?? 'enabled',
        };
        st.instances.put(scope, id, i);
        created.push(i);
      }
      if (input.ClientToken) st.tokens.put(scope, `run:${input.ClientToken}`, { reservationId, hash: launchHash(input), instanceIds: created.map((i) => i.id) });
      return reservationOf(st, scope, created);
    },

    DescribeInstances(input: T.DescribeInstancesRequest, ctx: RequestContext): T.DescribeInstancesResult {
      const scope = st.scope(ctx);
      checkInstanceIds(input.InstanceIds);
      if (input.InstanceIds?.length && input.MaxResults !== undefined) {
        throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults', 400);
      }
      dryRun(input);
      purgeTerminated(st, scope);
      let all: InstanceRec[];
      if (input.InstanceIds?.length) {
        const missing = input.InstanceIds.filter((id) => !st.instances.has(scope, id));
        if (missing.length) throw NOT_FOUND.instance(missing.join(', '));
        all = [...new Set(input.InstanceIds)].map((id) => st.instances.get(scope, id)!);
      } else all = [...st.instances.values(scope)];
      const matched = applyFilters(all, input.Filters, instanceFilters(st, scope), (i) => i.tags);
      const { page, NextToken } = paginate(matched, input, 5, 1000);
      const reservations: T.Reservation[] = [];
      let current: InstanceRec[] = [];
      for (const i of page) {
        if (current.length && current[0]!.reservationId !== i.reservationId) {
          reservations.push(reservationOf(st, scope, current));
          current = [];
        }
        current.push(i);
      }
      if (current.length) reservations.push(reservationOf(st, scope, current));
      return { Reservations: reservations, NextToken };
    },
  };
}

function inSubnet(s: SubnetRec, ip: string): boolean {
  const c = parseCidr4(s.cidr)!;
  const n = ipNumber(ip);
  const size = 2 ** (32 - c.prefix);
  return n >= c.base + 4 && n <= c.base + size - 2;
}

function parseFreeCount(s: SubnetRec): number {
  const c = parseCidr4(s.cidr)!;
  return 2 ** (32 - c.prefix) - 5 - s.usedIps.length;
}

/** Terminated instances disappear an hour after they terminated. */
export function purgeTerminated(st: Ec2State, scope: Scope): void {
  const now = st.now();
  for (const i of st.instances.values(scope)) {
    if (i.state === 'shutting-down' && now >= i.since + INSTANCE_SHUTTING_DOWN_MS + INSTANCE_VISIBLE_AFTER_TERMINATE_MS) {
      st.instances.delete(scope, i.id);
    }
  }
}
