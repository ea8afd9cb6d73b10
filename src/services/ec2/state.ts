/**
 * EC2 network state: one scoped table per resource kind (account × region), records as plain
 * data, and the default VPC of each account × region, created lazily on the first network call
 * exactly as AWS lays it out.
 */
import type { ServiceRuntime } from '../service.js';
import type { Scope, Table } from '../../state/store.js';
import type { RequestContext } from '../../gateway/context.js';
import { scopeOf } from '../../gateway/context.js';
import { AwsError } from '../../core/errors.js';
import { hexId } from '../../core/ids.js';
import { availabilityZones } from '../../core/regions.js';
import type { Tag, TagSpecification } from './generated/types.js';
import { formatCidr4, parseCidr4, size4, type Cidr4 } from './domain/cidr.js';
import type { ImageRec } from './domain/images.js';
import type * as R from './records.js';

export interface CidrAssoc { id: string; cidr: string; state: string }
export interface VpcRec {
  id: string; cidr: string; cidrAssocs: CidrAssoc[]; ipv6Assocs: CidrAssoc[]; isDefault: boolean; tenancy: string;
  dhcp: string; dnsSupport: boolean; dnsHostnames: boolean; naum: boolean; tags: Tag[];
}
export interface SubnetRec {
  id: string; vpcId: string; cidr: string; az: string; azId: string; mapPublic: boolean; defaultForAz: boolean;
  usedIps: number[]; ipv6Assocs: CidrAssoc[]; assignIpv6: boolean; aclId: string; aclAssocId: string; tags: Tag[];
}
export interface IgwRec { id: string; vpcId?: string; tags: Tag[] }
export type TargetKind = 'local' | 'gateway' | 'nat' | 'instance' | 'peering' | 'eni' | 'egress' | 'transit' | 'endpoint';
export interface RouteRec { dest?: string; dest6?: string; destPl?: string; kind: TargetKind; target: string; origin: string }
export interface RtbAssoc { id: string; subnetId?: string; gatewayId?: string }
export interface RtbRec {
  id: string; vpcId: string; main: boolean; mainAssocId?: string; assocs: RtbAssoc[]; routes: RouteRec[]; tags: Tag[];
  /** virtual private gateways whose VPN routes propagate into this table */
  propagatingVgws?: string[];
}
export interface SgRuleRec {
  id: string; egress: boolean; protocol: string; from?: number; to?: number; cidr4?: string; cidr6?: string; pl?: string;
  ref?: { groupId: string; userId: string }; description?: string; tags: Tag[];
}
export interface SgRec { id: string; name: string; description: string; vpcId: string; isDefault: boolean; rules: SgRuleRec[]; tags: Tag[] }
export interface AclEntryRec {
  rule: number; egress: boolean; protocol: string; action: string; cidr?: string; cidr6?: string;
  icmp?: { Code?: number; Type?: number }; ports?: { From?: number; To?: number };
}
export interface AclRec { id: string; vpcId: string; isDefault: boolean; entries: AclEntryRec[]; tags: Tag[] }
export interface EipRec { id: string; publicIp: string; assocId?: string; eniId?: string; privateIp?: string; instanceId?: string; natId?: string; tags: Tag[] }
export interface NatRec {
  id: string; subnetId: string; vpcId: string; allocId?: string; assocId?: string; publicIp?: string; connectivity: string;
  privateIp: string; eniId: string; createdAt: number; deletedAt?: number; tags: Tag[];
}
interface Meta { defaultVpcId?: string; created: boolean }

export interface DeviceRec { device: string; volumeId: string; deleteOnTermination: boolean; attachTime: number }
export interface InstanceRec {
  id: string; reservationId: string; imageId: string; type: string; keyName?: string; launchTime: number;
  /** Last requested state; the effective one is computed from `since` on the virtual clock. */
  state: 'pending' | 'running' | 'stopping' | 'stopped' | 'shutting-down' | 'terminated'; since: number;
  reason: string; stateReason?: { Code: string; Message: string };
  subnetId: string; vpcId: string; az: string; azId: string; privateIp: string; eniId: string; sgIds: string[];
  userData?: string; iamProfile?: { Arn: string; Id: string }; tags: Tag[]; clientToken?: string; launchIndex: number;
  disableApiTermination: boolean; disableApiStop: boolean; shutdownBehavior: string; ebsOptimized: boolean; enaSupport: boolean;
  rootDeviceName: string; devices: DeviceRec[]; architecture: string; platform?: string; platformDetails: string;
  monitoring: boolean; cores: number; threads: number; tenancy: string; httpTokens: string; hopLimit: number; httpEndpoint: string;
  /** Spot instances: their request, and the interruption notice once one was issued */
  spotRequestId?: string; launchTemplate?: { id: string; name: string; version: string };
  /** interfaces at device index ≥ 1, placement, host, capacity reservation, instance store (operations/instances.ts) */
  secondaryEnis?: string[]; placementGroupId?: string; partition?: number; hostId?: string; capacityReservationId?: string;
  capacityPreference?: string; instanceStore?: { virtualName: string; device: string; sizeGB: number; dataId: string }[];
  httpProtocolIpv6?: string; metadataTags?: string;
}
export interface EniRec {
  id: string; subnetId: string; vpcId: string; az: string; azId: string; privateIp: string; mac: string; sgIds: string[];
  description: string; instanceId?: string; attachmentId?: string; deviceIndex?: number; attachTime?: number;
  deleteOnTermination: boolean; sourceDestCheck: boolean; publicIp?: string; autoPublic: boolean; tags: Tag[];
  /** interfaces AWS creates for a service (interface endpoints): InterfaceType and the endpoint */
  interfaceType?: string; vpceId?: string;
  /** secondary private IPv4 addresses (AssignPrivateIpAddresses, SecondaryPrivateIpAddressCount) */
  secondaryIps?: string[];
}
export interface VolAttach { instanceId: string; device: string; since: number; deleteOnTermination: boolean; detachingAt?: number }
export interface VolumeRec {
  id: string; size: number; type: string; iops?: number; throughput?: number; az: string; azId: string; snapshotId?: string;
  encrypted: boolean; kmsKeyId?: string; createdAt: number; multiAttach: boolean; attachments: VolAttach[]; tags: Tag[];
  modification?: { startedAt: number; original: { size: number; type: string; iops?: number; throughput?: number } };
}
export interface SnapshotRec {
  id: string; volumeId: string; size: number; description: string; encrypted: boolean; kmsKeyId?: string; startedAt: number; tags: Tag[];
  /** createVolumePermission: accounts it is shared with, and `all` */
  shareUsers?: string[]; sharePublic?: boolean;
}
export interface KeyPairRec { id: string; name: string; type: string; fingerprint: string; publicKey: string; createdAt: number; tags: Tag[] }

/** Instance state delays on the virtual clock, and how long a terminated instance stays visible. */
export const INSTANCE_PENDING_MS = 5_000;
export const INSTANCE_STOPPING_MS = 5_000;
export const INSTANCE_SHUTTING_DOWN_MS = 5_000;
export const INSTANCE_VISIBLE_AFTER_TERMINATE_MS = 3_600_000;
/** Status checks stay `initializing` this long after an instance is running. */
export const INSTANCE_STATUS_INIT_MS = 30_000;
export const VOLUME_CREATING_MS = 2_000;
export const VOLUME_ATTACHING_MS = 2_000;
export const VOLUME_DETACHING_MS = 2_000;
export const VOLUME_MODIFYING_MS = 10_000;
export const VOLUME_OPTIMIZING_MS = 60_000;
export const SNAPSHOT_PENDING_MS = 30_000;

/** How long a NAT gateway stays pending / deleting on the virtual clock, and how long a deleted one stays visible. */
export const NAT_PENDING_MS = 60_000;
export const NAT_DELETING_MS = 60_000;
export const NAT_VISIBLE_AFTER_DELETE_MS = 3_600_000;

export const newId = (prefix: string) => `${prefix}-${hexId(17)}`;
export const tagsOut = (tags: Tag[]) => (tags.length ? tags.map((t) => ({ Key: t.Key, Value: t.Value ?? '' })) : undefined);

export function tagsFor(specs: TagSpecification[] | undefined, resourceType: string): Tag[] {
  const out: Tag[] = [];
  for (const s of specs ?? []) {
    if (s.ResourceType && s.ResourceType !== resourceType) {
      throw new AwsError('InvalidParameterValue', `'${s.ResourceType}' is not a valid taggable resource type for this operation.`, 400);
    }
    for (const t of s.Tags ?? []) {
      if (!t.Key) continue;
      const i = out.findIndex((x) => x.Key === t.Key);
      const tag = { Key: t.Key, Value: t.Value ?? '' };
      if (i >= 0) out[i] = tag;
      else out.push(tag);
    }
  }
  return out;
}

export interface Zone { name: string; id: string }
export function zonesOf(region: string): Zone[] {
  const z = availabilityZones(region);
  if (z.length) return z.map((x) => ({ name: x.zoneName, id: x.zoneId }));
  return ['a', 'b', 'c'].map((l, i) => ({ name: region + l, id: `${region}-az${i + 1}` }));
}

const notFound = (code: string, what: string) => (id: string) => new AwsError(code, `The ${what} ID '${id}' does not exist`, 400);
export const NOT_FOUND = {
  vpc: notFound('InvalidVpcID.NotFound', 'vpc'),
  subnet: notFound('InvalidSubnetID.NotFound', 'subnet'),
  igw: notFound('InvalidInternetGatewayID.NotFound', 'internetGateway'),
  rtb: notFound('InvalidRouteTableID.NotFound', 'routeTable'),
  sg: (id: string) => new AwsError('InvalidGroup.NotFound', `The security group '${id}' does not exist`, 400),
  acl: notFound('InvalidNetworkAclID.NotFound', 'networkAcl'),
  eip: (id: string) => new AwsError('InvalidAllocationID.NotFound', `The allocation ID '${id}' does not exist`, 400),
  nat: (id: string) => new AwsError('NatGatewayNotFound', `The Nat Gateway ${id} was not found`, 400),
  instance: (id: string) =>
    new AwsError('InvalidInstanceID.NotFound', id.includes(',') ? `The instance IDs '${id}' do not exist` : `The instance ID '${id}' does not exist`, 400),
  eni: notFound('InvalidNetworkInterfaceID.NotFound', 'network interface'),
  volume: (id: string) => new AwsError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`, 400),
  snapshot: (id: string) => new AwsError('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`, 400),
  keyPair: (name: string) => new AwsError('InvalidKeyPair.NotFound', `The key pair '${name}' does not exist`, 400),
  image: (id: string) => new AwsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`, 400),
};

export class Ec2State {
  readonly vpcs: Table<VpcRec>;
  readonly subnets: Table<SubnetRec>;
  readonly igws: Table<IgwRec>;
  readonly rtbs: Table<RtbRec>;
  readonly sgs: Table<SgRec>;
  readonly acls: Table<AclRec>;
  readonly eips: Table<EipRec>;
  readonly nats: Table<NatRec>;
  readonly instances: Table<InstanceRec>;
  readonly enis: Table<EniRec>;
  readonly volumes: Table<VolumeRec>;
  readonly snapshots: Table<SnapshotRec>;
  readonly keyPairs: Table<KeyPairRec>;
  readonly images: Table<ImageRec>;
  readonly tokens: Table<{ reservationId: string; hash: string; instanceIds: string[] }>;
  readonly peerings: Table<R.PcxRec>;
  readonly tgws: Table<R.TgwRec>;
  readonly tgwAttachments: Table<R.TgwAttachRec>;
  readonly tgwRtbs: Table<R.TgwRtbRec>;
  readonly endpoints: Table<R.VpceRec>;
  readonly prefixLists: Table<R.PlRec>;
  readonly cgws: Table<R.CgwRec>;
  readonly vgws: Table<R.VgwRec>;
  readonly vpns: Table<R.VpnRec>;
  readonly flowLogs: Table<R.FlowLogRec>;
  readonly launchTemplates: Table<R.LtRec>;
  readonly spotRequests: Table<R.SpotReqRec>;
  readonly interruptions: Table<R.InterruptionRec>;
  readonly insightsPaths: Table<R.NipRec>;
  readonly insightsAnalyses: Table<R.NiaRec>;
  private readonly meta: Table<Meta>;

  constructor(readonly rt: ServiceRuntime) {
    this.vpcs = rt.table('vpcs');
    this.subnets = rt.table('subnets');
    this.igws = rt.table('internet-gateways');
    this.rtbs = rt.table('route-tables');
    this.sgs = rt.table('security-groups');
    this.acls = rt.table('network-acls');
    this.eips = rt.table('addresses');
    this.nats = rt.table('nat-gateways');
    this.meta = rt.table('meta');
    this.instances = rt.table('instances');
    this.enis = rt.table('network-interfaces');
    this.volumes = rt.table('volumes');
    this.snapshots = rt.table('snapshots');
    this.keyPairs = rt.table('key-pairs');
    this.images = rt.table('images');
    this.tokens = rt.table('client-tokens');
    this.peerings = rt.table('vpc-peering-connections');
    this.tgws = rt.table('transit-gateways');
    this.tgwAttachments = rt.table('transit-gateway-attachments');
    this.tgwRtbs = rt.table('transit-gateway-route-tables');
    this.endpoints = rt.table('vpc-endpoints');
    this.prefixLists = rt.table('managed-prefix-lists');
    this.cgws = rt.table('customer-gateways');
    this.vgws = rt.table('vpn-gateways');
    this.vpns = rt.table('vpn-connections');
    this.flowLogs = rt.table('flow-logs');
    this.launchTemplates = rt.table('launch-templates');
    this.spotRequests = rt.table('spot-instance-requests');
    this.interruptions = rt.table('spot-interruptions');
    this.insightsPaths = rt.table('network-insights-paths');
    this.insightsAnalyses = rt.table('network-insights-analyses');
  }

  /** An instance that exists (terminated ones included while they are visible). */
  instance(scope: Scope, id: string | undefined): InstanceRec {
    const v = id ? this.instances.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.instance(id ?? '');
    return v;
  }
  eni(scope: Scope, id: string | undefined): EniRec {
    const v = id ? this.enis.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.eni(id ?? '');
    return v;
  }
  volume(scope: Scope, id: string | undefined): VolumeRec {
    const v = id ? this.volumes.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.volume(id ?? '');
    return v;
  }
  snapshot(scope: Scope, id: string | undefined): SnapshotRec {
    const v = id ? this.snapshots.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.snapshot(id ?? '');
    return v;
  }

  /** The effective state of an instance on the virtual clock. */
  instanceState(i: InstanceRec): InstanceRec['state'] {
    const now = this.now();
    switch (i.state) {
      case 'pending':
        return now >= i.since + INSTANCE_PENDING_MS ? 'running' : 'pending';
      case 'stopping':
        return now >= i.since + INSTANCE_STOPPING_MS ? 'stopped' : 'stopping';
      case 'shutting-down':
        return now >= i.since + INSTANCE_SHUTTING_DOWN_MS ? 'terminated' : 'shutting-down';
      default:
        return i.state;
    }
  }

  /** Takes `n` free addresses of a subnet at once (one write), or fails with AWS's error. */
  allocateIps(scope: Scope, s: SubnetRec, n: number): number[] {
    const c = parseCidr4(s.cidr)!;
    const first = c.base + 4;
    const last = c.base + size4(c) - 2;
    const used = new Set(s.usedIps);
    const out: number[] = [];
    for (let ip = first; ip <= last && out.length < n; ip++) if (!used.has(ip)) out.push(ip);
    if (out.length < n) {
      throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${s.id}' to satisfy the requested number of instances.`, 400);
    }
    s.usedIps.push(...out);
    this.subnets.put(scope, s.id, s);
    return out;
  }

  now(): number {
    return this.rt.clock.now();
  }

  /** The scope of a request, with its default VPC created on first use. */
  scope(ctx: RequestContext): Scope {
    const scope = scopeOf(ctx);
    if (!this.meta.get(scope, 'defaults')?.created) this.createDefaultVpc(scope);
    return scope;
  }

  /** Another account's or region's scope (a peer VPC, an accepter), with its default VPC created on first use. */
  ensure(scope: Scope): Scope {
    if (!this.meta.get(scope, 'defaults')?.created) this.createDefaultVpc(scope);
    return scope;
  }

  defaultVpcId(scope: Scope): string | undefined {
    const id = this.meta.get(scope, 'defaults')?.defaultVpcId;
    return id && this.vpcs.has(scope, id) ? id : undefined;
  }

  vpc(scope: Scope, id: string | undefined): VpcRec {
    const v = id ? this.vpcs.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.vpc(id ?? '');
    return v;
  }
  subnet(scope: Scope, id: string | undefined): SubnetRec {
    const v = id ? this.subnets.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.subnet(id ?? '');
    return v;
  }
  igw(scope: Scope, id: string | undefined): IgwRec {
    const v = id ? this.igws.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.igw(id ?? '');
    return v;
  }
  rtb(scope: Scope, id: string | undefined): RtbRec {
    const v = id ? this.rtbs.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.rtb(id ?? '');
    return v;
  }
  sg(scope: Scope, id: string | undefined): SgRec {
    const v = id ? this.sgs.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.sg(id ?? '');
    return v;
  }
  acl(scope: Scope, id: string | undefined): AclRec {
    const v = id ? this.acls.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.acl(id ?? '');
    return v;
  }
  eip(scope: Scope, id: string | undefined): EipRec {
    const v = id ? this.eips.get(scope, id) : undefined;
    if (!v) throw NOT_FOUND.eip(id ?? '');
    return v;
  }
  /** A NAT gateway that still exists (deleted ones disappear from lookups). */
  nat(scope: Scope, id: string | undefined): NatRec {
    const v = id ? this.nats.get(scope, id) : undefined;
    if (!v || this.natState(v) === 'deleted') throw NOT_FOUND.nat(id ?? '');
    return v;
  }

  natState(n: NatRec): string {
    const now = this.now();
    if (n.deletedAt !== undefined) return now >= n.deletedAt + NAT_DELETING_MS ? 'deleted' : 'deleting';
    return now >= n.createdAt + NAT_PENDING_MS ? 'available' : 'pending';
  }

  /** Takes the first free address of a subnet (after the four reserved at the start). */
  allocateIp(scope: Scope, s: SubnetRec, wanted?: number): number {
    const c = parseCidr4(s.cidr)!;
    const first = c.base + 4;
    const last = c.base + size4(c) - 2;
    if (wanted !== undefined) {
      if (wanted < first || wanted > last || s.usedIps.includes(wanted)) {
        throw new AwsError('InvalidParameterValue', `Address ${wanted} is in use or not in subnet ${s.id}`, 400);
      }
      s.usedIps.push(wanted);
      this.subnets.put(scope, s.id, s);
      return wanted;
    }
    for (let ip = first; ip <= last; ip++) {
      if (!s.usedIps.includes(ip)) {
        s.usedIps.push(ip);
        this.subnets.put(scope, s.id, s);
        return ip;
      }
    }
    throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${s.id}' to satisfy the requested number of instances.`, 400);
  }

  releaseIp(scope: Scope, subnetId: string, ip: number): void {
    const s = this.subnets.get(scope, subnetId);
    if (!s) return;
    s.usedIps = s.usedIps.filter((x) => x !== ip);
    this.subnets.put(scope, s.id, s);
  }

  // ---- creation of a VPC with its main route table, default NACL and default security group

  createVpc(scope: Scope, cidr: Cidr4, opts: { isDefault: boolean; tenancy?: string; ipv6?: boolean; tags?: Tag[] }): VpcRec {
    const id = newId('vpc');
    const cidrText = formatCidr4(cidr);
    const vpc: VpcRec = {
      id,
      cidr: cidrText,
      cidrAssocs: [{ id: newId('vpc-cidr-assoc'), cidr: cidrText, state: 'associated' }],
      ipv6Assocs: [],
      isDefault: opts.isDefault,
      tenancy: opts.tenancy ?? 'default',
      dhcp: this.defaultDhcp(scope),
      dnsSupport: true,
      dnsHostnames: opts.isDefault,
      naum: false,
      tags: opts.tags ?? [],
    };
    this.vpcs.put(scope, id, vpc);
    const rtb: RtbRec = {
      id: newId('rtb'),
      vpcId: id,
      main: true,
      mainAssocId: newId('rtbassoc'),
      assocs: [],
      routes: [{ dest: cidrText, kind: 'local', target: 'local', origin: 'CreateRouteTable' }],
      tags: [],
    };
    this.rtbs.put(scope, rtb.id, rtb);
    const acl: AclRec = { id: newId('acl'), vpcId: id, isDefault: true, entries: defaultAclEntries(false), tags: [] };
    this.acls.put(scope, acl.id, acl);
    const sgId = newId('sg');
    const sg: SgRec = {
      id: sgId,
      name: 'default',
      description: 'default VPC security group',
      vpcId: id,
      isDefault: true,
      rules: [
        { id: newId('sgr'), egress: false, protocol: '-1', ref: { groupId: sgId, userId: scope.account }, tags: [] },
        { id: newId('sgr'), egress: true, protocol: '-1', cidr4: '0.0.0.0/0', tags: [] },
      ],
      tags: [],
    };
    this.sgs.put(scope, sgId, sg);
    return vpc;
  }

  mainRtb(scope: Scope, vpcId: string): RtbRec | undefined {
    for (const r of this.rtbs.values(scope)) if (r.vpcId === vpcId && r.main) return r;
    return undefined;
  }
  defaultAcl(scope: Scope, vpcId: string): AclRec | undefined {
    for (const a of this.acls.values(scope)) if (a.vpcId === vpcId && a.isDefault) return a;
    return undefined;
  }
  defaultSg(scope: Scope, vpcId: string): SgRec | undefined {
    for (const g of this.sgs.values(scope)) if (g.vpcId === vpcId && g.isDefault) return g;
    return undefined;
  }

  /** The id of the account × region's default DHCP options set (created on first use). */
  defaultDhcp(scope: Scope): string {
    let m = this.meta.get(scope, 'dhcp') as unknown as { id: string } | undefined;
    if (!m) this.meta.put(scope, 'dhcp', (m = { id: newId('dopt') }) as never);
    return m.id;
  }

  newSubnet(scope: Scope, vpc: VpcRec, cidr: Cidr4, zone: Zone, extra: Partial<SubnetRec> = {}): SubnetRec {
    const acl = this.defaultAcl(scope, vpc.id)!;
    const s: SubnetRec = {
      id: newId('subnet'),
      vpcId: vpc.id,
      cidr: formatCidr4(cidr),
      az: zone.name,
      azId: zone.id,
      mapPublic: false,
      defaultForAz: false,
      usedIps: [],
      ipv6Assocs: [],
      assignIpv6: false,
      aclId: acl.id,
      aclAssocId: newId('aclassoc'),
      tags: [],
      ...extra,
    };
    this.subnets.put(scope, s.id, s);
    return s;
  }

  /** The default VPC: 172.31.0.0/16, a /20 per zone in zone order, an attached IGW and 0.0.0.0/0 → igw. */
  createDefaultVpc(scope: Scope): VpcRec {
    const vpc = this.createVpc(scope, parseCidr4('172.31.0.0/16')!, { isDefault: true });
    zonesOf(scope.region).forEach((zone, i) => {
      this.newSubnet(scope, vpc, { base: parseCidr4('172.31.0.0/16')!.base + i * 4096, prefix: 20 }, zone, { mapPublic: true, defaultForAz: true });
    });
    const igw: IgwRec = { id: newId('igw'), vpcId: vpc.id, tags: [] };
    this.igws.put(scope, igw.id, igw);
    const rtb = this.mainRtb(scope, vpc.id)!;
    rtb.routes.push({ dest: '0.0.0.0/0', kind: 'gateway', target: igw.id, origin: 'CreateRoute' });
    this.rtbs.put(scope, rtb.id, rtb);
    this.meta.put(scope, 'defaults', { created: true, defaultVpcId: vpc.id });
    return vpc;
  }

  markDefaultsCreated(scope: Scope, defaultVpcId?: string): void {
    this.meta.put(scope, 'defaults', { created: true, defaultVpcId });
  }
}

export function defaultAclEntries(ipv6: boolean): AclEntryRec[] {
  const out: AclEntryRec[] = [];
  for (const egress of [true, false]) {
    out.push({ rule: 100, egress, protocol: '-1', action: 'allow', cidr: '0.0.0.0/0' });
    if (ipv6) out.push({ rule: 101, egress, protocol: '-1', action: 'allow', cidr6: '::/0' });
    out.push(...denyAll(egress, ipv6));
  }
  return out;
}

export function denyAll(egress: boolean, ipv6: boolean): AclEntryRec[] {
  const out: AclEntryRec[] = [{ rule: 32767, egress, protocol: '-1', action: 'deny', cidr: '0.0.0.0/0' }];
  if (ipv6) out.push({ rule: 32768, egress, protocol: '-1', action: 'deny', cidr6: '::/0' });
  return out;
}
