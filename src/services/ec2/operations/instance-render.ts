/**
 * How instances and network interfaces look on the wire: Instance (with its ENI, public address
 * and block devices), NetworkInterface, the state codes, DNS names, and the filter fields of
 * DescribeInstances (evaluated on records, so a filtered page over many instances stays cheap).
 */
import type * as T from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import type { FilterFields } from '../common.js';
import { tagsOut, VOLUME_ATTACHING_MS, VOLUME_DETACHING_MS, type Ec2State, type EniRec, type InstanceRec, type VolumeRec } from '../state.js';
import { instanceEnis } from '../domain/interfaces.js';
import { pgTable } from './placement-groups.js';

export const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };
export const stateOf = (name: string): T.InstanceState => ({ Code: STATE_CODES[name], Name: name });

export function privateDns(region: string, ip: string): string {
  const host = `ip-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${region}.compute.internal`;
}
export function publicDns(region: string, ip: string): string {
  const host = `ec2-${ip.replace(/\./g, '-')}`;
  return region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${region}.compute.amazonaws.com`;
}

/** The public address of an interface: its Elastic IP, else the address assigned at launch. */
export function publicAddress(st: Ec2State, scope: Scope, eni: EniRec): { ip: string; eip?: { id: string; assocId?: string } } | undefined {
  for (const a of st.eips.values(scope)) if (a.eniId === eni.id) return { ip: a.publicIp, eip: { id: a.id, assocId: a.assocId } };
  return eni.publicIp ? { ip: eni.publicIp } : undefined;
}

function groups(st: Ec2State, scope: Scope, ids: string[]): T.GroupIdentifier[] {
  return ids.map((id) => ({ GroupId: id, GroupName: st.sgs.get(scope, id)?.name }));
}

/** Attachment state of a volume to an instance on the virtual clock (undefined once detached). */
export function attachState(st: Ec2State, v: VolumeRec, instanceId: string): string | undefined {
  const a = v.attachments.find((x) => x.instanceId === instanceId);
  if (!a) return undefined;
  const now = st.now();
  if (a.detachingAt !== undefined) return now >= a.detachingAt + VOLUME_DETACHING_MS ? undefined : 'detaching';
  return now >= a.since + VOLUME_ATTACHING_MS ? 'attached' : 'attaching';
}

const groupOf = (st: Ec2State, scope: Scope, i: InstanceRec) => (i.placementGroupId ? pgTable(st).get(scope, i.placementGroupId) : undefined);

export function renderInstance(st: Ec2State, scope: Scope, i: InstanceRec): T.Instance {
  const state = st.instanceState(i);
  const gone = state === 'terminated';
  const eni = gone ? undefined : st.enis.get(scope, i.eniId);
  const pub = eni ? publicAddress(st, scope, eni) : undefined;
  const vpc = st.vpcs.get(scope, i.vpcId);
  const pubDns = pub && vpc?.dnsHostnames ? publicDns(scope.region, pub.ip) : '';
  const out: T.Instance = {
    AmiLaunchIndex: i.launchIndex,
    ImageId: i.imageId,
    InstanceId: i.id,
    InstanceType: i.type,
    KeyName: i.keyName,
    LaunchTime: new Date(i.launchTime),
    Monitoring: { State: i.monitoring ? 'enabled' : 'disabled' },
    Placement: {
      AvailabilityZone: i.az, AvailabilityZoneId: i.azId, GroupName: groupOf(st, scope, i)?.name ?? '', GroupId: groupOf(st, scope, i)?.id,
      PartitionNumber: i.partition, HostId: i.hostId, Tenancy: i.tenancy,
    },
    Platform: i.platform,
    PrivateDnsName: gone ? '' : privateDns(scope.region, i.privateIp),
    PrivateIpAddress: gone ? undefined : i.privateIp,
    ProductCodes: [],
    PublicDnsName: pubDns,
    PublicIpAddress: pub?.ip,
    State: stateOf(state),
    StateTransitionReason: i.reason,
    StateReason: i.stateReason && state !== 'running' && state !== 'pending' ? i.stateReason : undefined,
    SubnetId: gone ? undefined : i.subnetId,
    VpcId: gone ? undefined : i.vpcId,
    Architecture: i.architecture,
    BlockDeviceMappings: gone
      ? []
      : i.devices.map((d) => {
          const v = st.volumes.get(scope, d.volumeId);
          return {
            DeviceName: d.device,
            Ebs: { AttachTime: new Date(d.attachTime), DeleteOnTermination: d.deleteOnTermination, Status: (v && attachState(st, v, i.id)) ?? 'detached', VolumeId: d.volumeId },
          };
        }),
    ClientToken: i.clientToken ?? '',
    EbsOptimized: i.ebsOptimized,
    EnaSupport: i.enaSupport,
    Hypervisor: 'xen',
    IamInstanceProfile: i.iamProfile,
    NetworkInterfaces: gone ? [] : instanceEnis(st, scope, i).map((e) => (e.id === eni?.id ? renderInstanceEni(st, scope, e, pub, pubDns) : renderInstanceEni(st, scope, e, undefined, ''))),
    RootDeviceName: i.rootDeviceName,
    RootDeviceType: 'ebs',
    SecurityGroups: gone ? [] : groups(st, scope, eni?.sgIds ?? i.sgIds),
    SourceDestCheck: eni?.sourceDestCheck ?? true,
    Tags: tagsOut(i.tags),
    VirtualizationType: 'hvm',
    CpuOptions: { CoreCount: i.cores, ThreadsPerCore: i.threads },
    CapacityReservationId: i.capacityReservationId,
    CapacityReservationSpecification: i.capacityPreference === 'targeted'
      ? { CapacityReservationTarget: { CapacityReservationId: i.capacityReservationId } }
      : { CapacityReservationPreference: i.capacityPreference ?? 'open' },
    HibernationOptions: { Configured: false },
    MetadataOptions: {
      State: state === 'pending' ? 'pending' : 'applied',
      HttpTokens: i.httpTokens,
      HttpPutResponseHopLimit: i.hopLimit,
      HttpEndpoint: i.httpEndpoint,
      HttpProtocolIpv6: i.httpProtocolIpv6 ?? 'disabled',
      InstanceMetadataTags: i.metadataTags ?? 'disabled',
    },
    EnclaveOptions: { Enabled: false },
    BootMode: i.architecture === 'arm64' ? 'uefi' : undefined,
    PlatformDetails: i.platformDetails,
    UsageOperation: i.platform === 'windows' ? 'RunInstances:0002' : 'RunInstances',
    UsageOperationUpdateTime: new Date(i.launchTime),
    PrivateDnsNameOptions: { HostnameType: 'ip-name', EnableResourceNameDnsARecord: false, EnableResourceNameDnsAAAARecord: false },
    MaintenanceOptions: { AutoRecovery: 'default' },
    InstanceLifecycle: i.spotRequestId ? 'spot' : undefined,
    SpotInstanceRequestId: i.spotRequestId,
    CurrentInstanceBootMode: i.architecture === 'arm64' ? 'uefi' : 'legacy-bios',
  };
  return out;
}

function renderInstanceEni(st: Ec2State, scope: Scope, e: EniRec, pub: ReturnType<typeof publicAddress>, pubDns: string): T.InstanceNetworkInterface {
  const association = pub ? { IpOwnerId: pub.eip ? scope.account : 'amazon', PublicDnsName: pubDns, PublicIp: pub.ip } : undefined;
  return {
    Association: association,
    Attachment: {
      AttachTime: new Date(e.attachTime ?? 0),
      AttachmentId: e.attachmentId,
      DeleteOnTermination: e.deleteOnTermination,
      DeviceIndex: e.deviceIndex ?? 0,
      Status: 'attached',
      NetworkCardIndex: 0,
    },
    Description: e.description,
    Groups: groups(st, scope, e.sgIds),
    Ipv6Addresses: [],
    MacAddress: e.mac,
    NetworkInterfaceId: e.id,
    OwnerId: scope.account,
    PrivateDnsName: privateDns(scope.region, e.privateIp),
    PrivateIpAddress: e.privateIp,
    PrivateIpAddresses: privateAddresses(scope, e, association),
    SourceDestCheck: e.sourceDestCheck,
    Status: 'in-use',
    SubnetId: e.subnetId,
    VpcId: e.vpcId,
    InterfaceType: 'interface',
  };
}

/** The primary address (with the public association) and the secondary addresses of an interface. */
function privateAddresses<A>(scope: Scope, e: EniRec, association: A | undefined) {
  return [
    { Association: association, Primary: true, PrivateDnsName: privateDns(scope.region, e.privateIp), PrivateIpAddress: e.privateIp },
    ...(e.secondaryIps ?? []).map((ip) => ({ Primary: false, PrivateDnsName: privateDns(scope.region, ip), PrivateIpAddress: ip })),
  ];
}

const eniStatus = (e: EniRec) => (e.instanceId || e.vpceId ? 'in-use' : 'available');

export function renderEni(st: Ec2State, scope: Scope, e: EniRec): T.NetworkInterface {
  const pub = publicAddress(st, scope, e);
  const vpc = st.vpcs.get(scope, e.vpcId);
  const pubDns = pub && vpc?.dnsHostnames ? publicDns(scope.region, pub.ip) : undefined;
  const association = pub
    ? { IpOwnerId: pub.eip ? scope.account : 'amazon', PublicDnsName: pubDns, PublicIp: pub.ip, AllocationId: pub.eip?.id, AssociationId: pub.eip?.assocId }
    : undefined;
  return {
    Association: association,
    Attachment: e.instanceId
      ? { AttachTime: new Date(e.attachTime ?? 0), AttachmentId: e.attachmentId, DeleteOnTermination: e.deleteOnTermination, DeviceIndex: e.deviceIndex ?? 0, NetworkCardIndex: 0, InstanceId: e.instanceId, InstanceOwnerId: scope.account, Status: 'attached' }
      : undefined,
    AvailabilityZone: e.az,
    AvailabilityZoneId: e.azId,
    Description: e.description,
    Groups: groups(st, scope, e.sgIds),
    InterfaceType: e.interfaceType ?? 'interface',
    Ipv6Addresses: [],
    MacAddress: e.mac,
    NetworkInterfaceId: e.id,
    OwnerId: scope.account,
    PrivateDnsName: privateDns(scope.region, e.privateIp),
    PrivateIpAddress: e.privateIp,
    PrivateIpAddresses: privateAddresses(scope, e, association),
    RequesterManaged: !!e.vpceId,
    SourceDestCheck: e.sourceDestCheck,
    Status: eniStatus(e),
    SubnetId: e.subnetId,
    TagSet: e.tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })),
    VpcId: e.vpcId,
  };
}

export function eniFilters(st: Ec2State, scope: Scope): FilterFields<EniRec> {
  return {
    'network-interface-id': (e) => e.id,
    'subnet-id': (e) => e.subnetId,
    'vpc-id': (e) => e.vpcId,
    'availability-zone': (e) => e.az,
    'private-ip-address': (e) => e.privateIp,
    addresses: (e) => [e.privateIp, ...(e.secondaryIps ?? [])],
    'addresses.private-ip-address': (e) => [e.privateIp, ...(e.secondaryIps ?? [])],
    'addresses.primary': (e) => ['true', ...(e.secondaryIps ?? []).map(() => 'false')],
    'attachment.instance-id': (e) => e.instanceId,
    'attachment.attachment-id': (e) => e.attachmentId,
    'attachment.device-index': (e) => (e.deviceIndex === undefined ? undefined : String(e.deviceIndex)),
    'attachment.status': (e) => (e.instanceId ? 'attached' : undefined),
    'group-id': (e) => e.sgIds,
    'group-name': (e) => e.sgIds.map((id) => st.sgs.get(scope, id)?.name ?? ''),
    'mac-address': (e) => e.mac,
    'owner-id': () => scope.account,
    status: eniStatus,
    description: (e) => e.description,
    'interface-type': (e) => e.interfaceType ?? 'interface',
    'requester-managed': (e) => String(!!e.vpceId),
    'association.public-ip': (e) => publicAddress(st, scope, e)?.ip,
    'source-dest-check': (e) => String(e.sourceDestCheck),
  };
}

export function instanceFilters(st: Ec2State, scope: Scope): FilterFields<InstanceRec> {
  const live = (i: InstanceRec) => st.instanceState(i) !== 'terminated';
  const eniOf = (i: InstanceRec) => (live(i) ? st.enis.get(scope, i.eniId) : undefined);
  const sgNames = (i: InstanceRec) => (live(i) ? i.sgIds.map((id) => st.sgs.get(scope, id)?.name ?? '') : []);
  return {
    'instance-id': (i) => i.id,
    'instance-state-name': (i) => st.instanceState(i),
    'instance-state-code': (i) => String(STATE_CODES[st.instanceState(i)]),
    'instance-type': (i) => i.type,
    'image-id': (i) => i.imageId,
    'key-name': (i) => i.keyName,
    'vpc-id': (i) => (live(i) ? i.vpcId : undefined),
    'subnet-id': (i) => (live(i) ? i.subnetId : undefined),
    'private-ip-address': (i) => (live(i) ? i.privateIp : undefined),
    'network-interface.addresses.private-ip-address': (i) => (live(i) ? instanceEnis(st, scope, i).flatMap((e) => [e.privateIp, ...(e.secondaryIps ?? [])]) : undefined),
    'private-dns-name': (i) => (live(i) ? privateDns(scope.region, i.privateIp) : undefined),
    'ip-address': (i) => {
      const e = eniOf(i);
      return e ? publicAddress(st, scope, e)?.ip : undefined;
    },
    'dns-name': (i) => {
      const e = eniOf(i);
      const p = e ? publicAddress(st, scope, e) : undefined;
      return p ? publicDns(scope.region, p.ip) : undefined;
    },
    'availability-zone': (i) => i.az,
    'placement-availability-zone': (i) => i.az,
    'reservation-id': (i) => i.reservationId,
    'owner-id': () => scope.account,
    architecture: (i) => i.architecture,
    'root-device-type': () => 'ebs',
    'root-device-name': (i) => i.rootDeviceName,
    'launch-index': (i) => String(i.launchIndex),
    'client-token': (i) => i.clientToken,
    'iam-instance-profile.arn': (i) => i.iamProfile?.Arn,
    platform: (i) => i.platform,
    'platform-details': (i) => i.platformDetails,
    tenancy: (i) => i.tenancy,
    'placement-group-name': (i) => groupOf(st, scope, i)?.name,
    'placement-partition-number': (i) => (i.partition === undefined ? undefined : String(i.partition)),
    'host-id': (i) => i.hostId,
    'capacity-reservation-id': (i) => i.capacityReservationId,
    'metadata-options.http-endpoint': (i) => i.httpEndpoint,
    'metadata-options.http-put-response-hop-limit': (i) => String(i.hopLimit),
    'metadata-options.http-protocol-ipv6': (i) => i.httpProtocolIpv6 ?? 'disabled',
    'metadata-options.instance-metadata-tags': (i) => i.metadataTags ?? 'disabled',
    'monitoring-state': (i) => (i.monitoring ? 'enabled' : 'disabled'),
    'group-id': (i) => (live(i) ? i.sgIds : []),
    'instance.group-id': (i) => (live(i) ? i.sgIds : []),
    'group-name': sgNames,
    'instance.group-name': sgNames,
    'network-interface.network-interface-id': (i) => (live(i) ? [i.eniId, ...(i.secondaryEnis ?? [])] : undefined),
    'network-interface.subnet-id': (i) => (live(i) ? i.subnetId : undefined),
    'network-interface.vpc-id': (i) => (live(i) ? i.vpcId : undefined),
    'block-device-mapping.volume-id': (i) => i.devices.map((d) => d.volumeId),
    'block-device-mapping.device-name': (i) => i.devices.map((d) => d.device),
    'metadata-options.http-tokens': (i) => i.httpTokens,
    'state-reason-code': (i) => i.stateReason?.Code,
    'virtualization-type': () => 'hvm',
    'instance-lifecycle': (i) => (i.spotRequestId ? 'spot' : undefined),
    'spot-instance-request-id': (i) => i.spotRequestId,
    hypervisor: () => 'xen',
  };
}
