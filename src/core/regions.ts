/**
 * AWS commercial regions and their Availability Zones, as of late 2026.
 * `azs` lists the zone letters; zone ids are `<zonePrefix>-az<N>` in that order.
 * AWS maps letters to zone ids per account; gureum uses one fixed mapping.
 */
export interface RegionInfo {
  name: string;
  optIn: boolean;          // opt-in region (OptInStatus "not-opted-in" until enabled; gureum treats all as enabled)
  zonePrefix: string;
  azs: string;             // zone letters
  zoneIds?: number[];      // az numbers when they are not 1..n
}

export const REGIONS: readonly RegionInfo[] = [
  { name: 'us-east-1', optIn: false, zonePrefix: 'use1', azs: 'abcdef', zoneIds: [6, 1, 2, 4, 3, 5] },
  { name: 'us-east-2', optIn: false, zonePrefix: 'use2', azs: 'abc' },
  { name: 'us-west-1', optIn: false, zonePrefix: 'usw1', azs: 'ac', zoneIds: [1, 3] },
  { name: 'us-west-2', optIn: false, zonePrefix: 'usw2', azs: 'abcd', zoneIds: [2, 1, 3, 4] },
  { name: 'af-south-1', optIn: true, zonePrefix: 'afs1', azs: 'abc' },
  { name: 'ap-east-1', optIn: true, zonePrefix: 'ape1', azs: 'abc' },
  { name: 'ap-east-2', optIn: true, zonePrefix: 'ape2', azs: 'abc' },
  { name: 'ap-south-1', optIn: false, zonePrefix: 'aps1', azs: 'abc' },
  { name: 'ap-south-2', optIn: true, zonePrefix: 'aps2', azs: 'abc' },
  { name: 'ap-southeast-1', optIn: false, zonePrefix: 'apse1', azs: 'abc' },
  { name: 'ap-southeast-2', optIn: false, zonePrefix: 'apse2', azs: 'abc' },
  { name: 'ap-southeast-3', optIn: true, zonePrefix: 'apse3', azs: 'abc' },
  { name: 'ap-southeast-4', optIn: true, zonePrefix: 'apse4', azs: 'abc' },
  { name: 'ap-southeast-5', optIn: true, zonePrefix: 'apse5', azs: 'abc' },
  { name: 'ap-southeast-6', optIn: true, zonePrefix: 'apse6', azs: 'abc' },
  { name: 'ap-southeast-7', optIn: true, zonePrefix: 'apse7', azs: 'abc' },
  { name: 'ap-northeast-1', optIn: false, zonePrefix: 'apne1', azs: 'acd', zoneIds: [4, 1, 2] },
  { name: 'ap-northeast-2', optIn: false, zonePrefix: 'apne2', azs: 'abcd' },
  { name: 'ap-northeast-3', optIn: false, zonePrefix: 'apne3', azs: 'abc' },
  { name: 'ca-central-1', optIn: false, zonePrefix: 'cac1', azs: 'abd', zoneIds: [1, 2, 4] },
  { name: 'ca-west-1', optIn: true, zonePrefix: 'caw1', azs: 'abc' },
  { name: 'eu-central-1', optIn: false, zonePrefix: 'euc1', azs: 'abc', zoneIds: [1, 2, 3] },
  { name: 'eu-central-2', optIn: true, zonePrefix: 'euc2', azs: 'abc' },
  { name: 'eu-west-1', optIn: false, zonePrefix: 'euw1', azs: 'abc', zoneIds: [1, 2, 3] },
  { name: 'eu-west-2', optIn: false, zonePrefix: 'euw2', azs: 'abc', zoneIds: [2, 3, 1] },
  { name: 'eu-west-3', optIn: false, zonePrefix: 'euw3', azs: 'abc' },
  { name: 'eu-south-1', optIn: true, zonePrefix: 'eus1', azs: 'abc' },
  { name: 'eu-south-2', optIn: true, zonePrefix: 'eus2', azs: 'abc' },
  { name: 'eu-north-1', optIn: false, zonePrefix: 'eun1', azs: 'abc' },
  { name: 'il-central-1', optIn: true, zonePrefix: 'ilc1', azs: 'abc' },
  { name: 'me-south-1', optIn: true, zonePrefix: 'mes1', azs: 'abc' },
  { name: 'me-central-1', optIn: true, zonePrefix: 'mec1', azs: 'abc' },
  { name: 'mx-central-1', optIn: true, zonePrefix: 'mxc1', azs: 'abc' },
  { name: 'sa-east-1', optIn: false, zonePrefix: 'sae1', azs: 'abc', zoneIds: [1, 2, 3] },
];

const byName = new Map(REGIONS.map((r) => [r.name, r]));

export const DEFAULT_REGION = 'us-east-1';

export function regionInfo(name: string): RegionInfo | undefined {
  return byName.get(name);
}

export function isKnownRegion(name: string): boolean {
  return byName.has(name);
}

export interface AvailabilityZone {
  zoneName: string;
  zoneId: string;
  regionName: string;
  groupName: string;
  state: 'available';
}

export function availabilityZones(region: string): AvailabilityZone[] {
  const r = byName.get(region);
  if (!r) return [];
  return [...r.azs].map((letter, i) => ({
    zoneName: `${region}${letter}`,
    zoneId: `${r.zonePrefix}-az${r.zoneIds?.[i] ?? i + 1}`,
    regionName: region,
    groupName: region,
    state: 'available',
  }));
}

/** Partition-aware host suffix for ARNs and endpoints (gureum only models the aws partition). */
export const PARTITION = 'aws';
