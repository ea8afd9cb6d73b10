/**
 * Which instance types each Availability Zone offers (DescribeInstanceTypeOfferings, and the
 * Unsupported error of RunInstances). AWS's real lists differ per account and change often; gureum
 * keeps two rules that reproduce the behaviour people meet:
 * - us-east-1e (zone id use1-az3), AWS's well-known constrained zone, offers only the Xen-based
 *   families (t2, m1, m4, c4, r4, i3, p3 here);
 * - accelerated families (GPU or Inferentia: g4dn, g5, p3, p4d, inf1) are offered in the first two
 *   zones of a region (zone order) only.
 * Every other type is offered in every zone of every region.
 */
import { AwsError } from '../../../core/errors.js';
import { instanceType, instanceTypes } from './instance-types.js';
import { zonesOf, type Zone } from '../state.js';

const CONSTRAINED_ZONE_IDS = new Set(['use1-az3']);

export function offeredIn(type: string, region: string, zone: Zone): boolean {
  const t = instanceType(type);
  if (!t) return false;
  if (CONSTRAINED_ZONE_IDS.has(zone.id) && t.Hypervisor !== 'xen') return false;
  if (t.GpuInfo || t.InferenceAcceleratorInfo) {
    const index = zonesOf(region).findIndex((z) => z.id === zone.id);
    if (index >= 2) return false;
  }
  return true;
}

/** Zones of the region offering the type, in zone order. */
export function zonesOffering(type: string, region: string): Zone[] {
  return zonesOf(region).filter((z) => offeredIn(type, region, z));
}

/** AWS's answer for a type the chosen zone does not offer. */
export function checkOffered(type: string, region: string, zone: Zone): void {
  if (offeredIn(type, region, zone)) return;
  const others = zonesOffering(type, region).map((z) => z.name);
  throw new AwsError(
    'Unsupported',
    `Your requested instance type (${type}) is not supported in your requested Availability Zone (${zone.name}). Please retry your request by not specifying an Availability Zone or choosing ${others.join(', ')}.`,
    400,
  );
}

export interface Offering { InstanceType: string; LocationType: string; Location: string }

/** Every offering of a region for one location type, by type then location. */
export function offerings(region: string, locationType: string): Offering[] {
  const out: Offering[] = [];
  const zones = zonesOf(region);
  for (const t of instanceTypes()) {
    const name = t.InstanceType!;
    if (locationType === 'region') {
      if (zones.some((z) => offeredIn(name, region, z))) out.push({ InstanceType: name, LocationType: 'region', Location: region });
      continue;
    }
    for (const z of zones) {
      if (offeredIn(name, region, z)) out.push({ InstanceType: name, LocationType: locationType, Location: locationType === 'availability-zone' ? z.name : z.id });
    }
  }
  return out;
}
