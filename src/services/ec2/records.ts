/**
 * Records of the connectivity resources (peering, transit gateways, endpoints, prefix lists, VPN,
 * flow logs), launch templates, Spot requests and Reachability Analyzer paths/analyses. Plain data,
 * one scoped table each (see Ec2State). Times are virtual-clock epoch milliseconds.
 */
import type { Tag } from './generated/types.js';

// ---- VPC peering: one record per side's scope (requester and accepter may differ in account/region)
export interface PcxSide { account: string; region: string; vpcId: string; cidrs: string[]; ipv6: string[]; allowDns: boolean }
export type PcxStatus = 'initiating-request' | 'pending-acceptance' | 'provisioning' | 'active' | 'failed' | 'rejected' | 'deleted' | 'expired';
export interface PcxRec {
  id: string; requester: PcxSide; accepter: PcxSide; status: PcxStatus; message: string;
  createdAt: number; changedAt: number; expiresAt: number; tags: Tag[];
}

// ---- transit gateways
export interface TgwOptions {
  amazonSideAsn: number; autoAccept: string; defaultAssoc: string; defaultProp: string; vpnEcmp: string; dns: string;
  multicast: string; sgReferencing: string; cidrBlocks: string[];
}
export interface TgwRec {
  id: string; description?: string; options: TgwOptions; assocRtbId?: string; propRtbId?: string;
  createdAt: number; deletedAt?: number; tags: Tag[];
}
export interface TgwAttachRec {
  id: string; tgwId: string; resourceType: 'vpc' | 'vpn'; resourceId: string; subnetIds: string[];
  options: { dns: string; ipv6: string; applianceMode: string; sgReferencing: string };
  rtbId?: string; createdAt: number; deletedAt?: number; tags: Tag[];
}
export interface TgwRouteRec { cidr: string; attachmentId?: string; blackhole: boolean }
export interface TgwRtbRec {
  id: string; tgwId: string; defaultAssoc: boolean; defaultProp: boolean; propagations: string[]; routes: TgwRouteRec[];
  createdAt: number; deletedAt?: number; tags: Tag[];
}

// ---- VPC endpoints and managed prefix lists
export interface VpceRec {
  id: string; type: 'Gateway' | 'Interface'; vpcId: string; service: string; rtbIds: string[]; subnetIds: string[]; eniIds: string[];
  sgIds: string[]; policy: string; privateDns: boolean; createdAt: number; deletedAt?: number; tags: Tag[];
}
export interface PlEntry { cidr: string; description?: string }
export interface PlRec {
  id: string; name: string; family: string; maxEntries: number; version: number; versions: { version: number; entries: PlEntry[] }[];
  state: string; tags: Tag[];
}

// ---- Site-to-Site VPN
export interface CgwRec { id: string; asn: string; ip: string; type: string; deviceName?: string; certArn?: string; deletedAt?: number; tags: Tag[] }
export interface VgwAttach { vpcId: string; since: number; detachedAt?: number }
export interface VgwRec { id: string; type: string; asn: number; az?: string; attachments: VgwAttach[]; createdAt: number; deletedAt?: number; tags: Tag[] }
export interface VpnRec {
  id: string; cgwId: string; vgwId?: string; tgwId?: string; tgwAttachmentId?: string; type: string; staticRoutesOnly: boolean;
  routes: { cidr: string; deletedAt?: number }[]; tunnels: { outsideIp: string; insideCidr: string; psk: string }[];
  localCidr: string; remoteCidr: string; createdAt: number; deletedAt?: number; tags: Tag[];
}

// ---- flow logs
export interface FlowLogRec {
  id: string; resourceId: string; resourceType: string; trafficType: string; destType: string; logGroupName?: string; destination?: string;
  roleArn?: string; format: string; maxAggregation: number; fileFormat: string; hiveCompatible: boolean; perHour: boolean;
  createdAt: number; deliverStatus: string; deliverError?: string; tags: Tag[];
}

// ---- launch templates
export interface LtVersionRec { number: number; description?: string; data: Record<string, unknown>; createdAt: number }
export interface LtRec { id: string; name: string; defaultVersion: number; latestVersion: number; createdAt: number; createdBy: string; versions: LtVersionRec[]; tags: Tag[] }

// ---- Spot
export interface SpotReqRec {
  id: string; type: 'one-time' | 'persistent'; price: string; launchSpec: Record<string, unknown>; az: string; productDescription: string;
  state: 'open' | 'active' | 'closed' | 'cancelled' | 'failed' | 'disabled'; statusCode: string; statusMessage: string; statusAt: number;
  instanceId?: string; behavior: string; validFrom?: number; validUntil?: number; createdAt: number; tags: Tag[];
}
export interface InterruptionRec { instanceId: string; noticeAt: number; actionAt: number; action: 'terminate' | 'stop' | 'hibernate'; done: boolean }

// ---- Reachability Analyzer
export interface PathFilterRec { sourceAddress?: string; destinationAddress?: string; sourcePorts?: [number, number]; destinationPorts?: [number, number] }
export interface NipRec {
  id: string; source: string; destination?: string; sourceIp?: string; destinationIp?: string; protocol: string; destinationPort?: number;
  filterAtSource?: PathFilterRec; filterAtDestination?: PathFilterRec; createdAt: number; tags: Tag[];
}
export interface NiaRec {
  id: string; pathId: string; startedAt: number; status: string; statusMessage?: string; found?: boolean;
  forward: unknown[]; ret: unknown[]; explanations: unknown[]; filterInArns: string[]; tags: Tag[];
}
