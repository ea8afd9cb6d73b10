/**
 * DescribeRegions and DescribeAvailabilityZones, from the fixed catalogue in core/regions.ts.
 * gureum treats every opt-in region as enabled ("opted-in").
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { AvailabilityZone, DescribeAvailabilityZonesRequest, DescribeAvailabilityZonesResult, DescribeRegionsRequest, DescribeRegionsResult, Region } from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import { REGIONS, availabilityZones, isKnownRegion } from '../../../core/regions.js';
import { applyFilters, dryRun, type FilterFields } from '../common.js';

const REGION_FILTERS: FilterFields<Region> = {
  endpoint: (r) => r.Endpoint,
  'region-name': (r) => r.RegionName,
  'opt-in-status': (r) => r.OptInStatus,
};

const ZONE_FILTERS: FilterFields<AvailabilityZone> = {
  'group-long-name': (z) => z.GroupLongName,
  'group-name': (z) => z.GroupName,
  message: (z) => z.Messages?.map((m) => m.Message ?? ''),
  'opt-in-status': (z) => z.OptInStatus,
  'parent-zone-id': (z) => z.ParentZoneId,
  'parent-zone-name': (z) => z.ParentZoneName,
  'region-name': (z) => z.RegionName,
  state: (z) => z.State,
  'zone-id': (z) => z.ZoneId,
  'zone-name': (z) => z.ZoneName,
  'zone-type': (z) => z.ZoneType,
};

const invalid = (message: string) => new AwsError('InvalidParameterValue', message, 400);

function regionList(): Region[] {
  return [...REGIONS]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((r) => ({ RegionName: r.name, Endpoint: `ec2.${r.name}.amazonaws.com`, OptInStatus: r.optIn ? 'opted-in' : 'opt-in-not-required' }));
}

/** The request region's zones; a region outside the catalogue gets a, b and c. */
function zoneList(region: string): AvailabilityZone[] {
  const known = availabilityZones(region);
  const zones = known.length
    ? known
    : ['a', 'b', 'c'].map((l, i) => ({ zoneName: region + l, zoneId: `${region}-az${i + 1}`, regionName: region, groupName: region, state: 'available' as const }));
  return zones.map((z) => ({
    OptInStatus: 'opt-in-not-required',
    Messages: [],
    RegionName: z.regionName,
    ZoneName: z.zoneName,
    ZoneId: z.zoneId,
    GroupName: z.groupName,
    NetworkBorderGroup: z.regionName,
    ZoneType: 'availability-zone',
    State: z.state,
  }));
}

export const regionOperations = {
  DescribeRegions(input: DescribeRegionsRequest): DescribeRegionsResult {
    dryRun(input);
    let regions = regionList();
    if (input.RegionNames?.length) {
      // AWS names the alphabetically first unknown region.
      const unknown = input.RegionNames.filter((n) => !isKnownRegion(n)).sort()[0];
      if (unknown !== undefined) throw invalid(`Invalid region: [${unknown}]`);
      const wanted = new Set(input.RegionNames);
      regions = regions.filter((r) => wanted.has(r.RegionName!));
    }
    return { Regions: applyFilters(regions, input.Filters, REGION_FILTERS) };
  },

  DescribeAvailabilityZones(input: DescribeAvailabilityZonesRequest, ctx: RequestContext): DescribeAvailabilityZonesResult {
    dryRun(input);
    let zones = zoneList(ctx.region);
    const names = input.ZoneNames ?? [];
    const ids = input.ZoneIds ?? [];
    // First unknown name in request order, as AWS reports it.
    const badName = names.find((n) => !zones.some((z) => z.ZoneName === n));
    if (badName !== undefined) throw invalid(`Invalid availability zone: [${badName}]`);
    const badId = ids.find((id) => !zones.some((z) => z.ZoneId === id));
    if (badId !== undefined) throw invalid(`Invalid availability zone-id: [${badId}]`);
    if (names.length || ids.length) zones = zones.filter((z) => names.includes(z.ZoneName!) || ids.includes(z.ZoneId!));
    return { AvailabilityZones: applyFilters(zones, input.Filters, ZONE_FILTERS) };
  },
};
