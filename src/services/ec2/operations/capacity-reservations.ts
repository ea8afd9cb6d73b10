/**
 * On-Demand Capacity Reservations as state: Create/Describe/Modify/CancelCapacityReservation.
 * RunInstances fills a reservation through `chooseReservation` (CapacityReservationSpecification:
 * `open` — the default — uses a matching open reservation with room, a target names one, `none`
 * uses none); pending and running instances count against it, stopped ones give the room back.
 * A `limited` reservation expires at its EndDate on the virtual clock.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { instanceType } from '../domain/instance-types.js';
import { newId, tagsFor, tagsOut, zonesOf, type Ec2State } from '../state.js';

export interface CrRec {
  id: string; type: string; platform: string; az: string; azId: string; tenancy: string; total: number; ebsOptimized: boolean;
  endDateType: string; endDate?: number; matchCriteria: string; createdAt: number; cancelledAt?: number; tags: { Key: string; Value: string }[];
}

export const crTable = (st: Ec2State): Table<CrRec> => st.rt.table('capacity-reservations');

const PLATFORMS = ['Linux/UNIX', 'Red Hat Enterprise Linux', 'SUSE Linux', 'Windows', 'Windows with SQL Server', 'Windows with SQL Server Enterprise', 'Windows with SQL Server Standard', 'Windows with SQL Server Web', 'Linux with SQL Server Standard', 'Linux with SQL Server Web', 'Linux with SQL Server Enterprise', 'RHEL with SQL Server Standard', 'RHEL with SQL Server Enterprise', 'RHEL with SQL Server Web', 'RHEL with HA', 'RHEL with HA and SQL Server Standard', 'RHEL with HA and SQL Server Enterprise', 'Ubuntu Pro'];

export const notFoundCr = (id: string) => new AwsError('InvalidCapacityReservationId.NotFound', `The capacity reservation ID '${id}' does not exist`, 400);

export function crState(st: Ec2State, r: CrRec): string {
  if (r.cancelledAt !== undefined) return 'cancelled';
  if (r.endDateType === 'limited' && r.endDate !== undefined && st.now() >= r.endDate) return 'expired';
  return 'active';
}

/** Instances (pending or running) currently counted against the reservation. */
export function crUsed(st: Ec2State, scope: Scope, id: string): number {
  let n = 0;
  for (const i of st.instances.values(scope)) if (i.capacityReservationId === id && (i.state === 'pending' || i.state === 'running')) n++;
  return n;
}

/**
 * The reservation a launch of `count` instances fills (or undefined), following the request's
 * CapacityReservationSpecification. `az` is the launch's zone when known.
 */
export function chooseReservation(
  st: Ec2State, scope: Scope, spec: T.CapacityReservationSpecification | undefined, want: { type: string; platform: string; tenancy: string; az?: string }, count: number,
): CrRec | undefined {
  const pref = spec?.CapacityReservationPreference ?? (spec?.CapacityReservationTarget ? undefined : 'open');
  const fits = (r: CrRec) => r.type === want.type && r.platform === want.platform && r.tenancy === want.tenancy && (!want.az || r.az === want.az);
  const room = (r: CrRec) => r.total - crUsed(st, scope, r.id);
  const targetId = spec?.CapacityReservationTarget?.CapacityReservationId;
  if (targetId) {
    const r = crTable(st).get(scope, targetId);
    if (!r) throw notFoundCr(targetId);
    if (crState(st, r) !== 'active') throw new AwsError('InvalidCapacityReservationId.Unavailable', `The capacity reservation '${r.id}' is not active.`, 400);
    if (!fits(r)) {
      throw new AwsError('InvalidParameterCombination', `The instance attributes (instance type, platform, Availability Zone, tenancy) do not match those of the Capacity Reservation '${r.id}'.`, 400);
    }
    if (room(r) < count) throw new AwsError('ReservationCapacityExceeded', `The requested number of instances exceeds the available capacity of the Capacity Reservation '${r.id}'.`, 400);
    return r;
  }
  if (pref === 'none') return undefined;
  if (pref === 'capacity-reservations-only') {
    throw new AwsError('InvalidParameterValue', 'CapacityReservationPreference capacity-reservations-only requires a CapacityReservationTarget.', 400);
  }
  if (pref !== 'open') throw new AwsError('InvalidParameterValue', `Value (${pref}) for parameter capacityReservationPreference is invalid. Valid values are: open | none | capacity-reservations-only`, 400);
  return [...crTable(st).values(scope)].find((r) => r.matchCriteria === 'open' && crState(st, r) === 'active' && fits(r) && room(r) >= count);
}

function render(st: Ec2State, scope: Scope, r: CrRec): T.CapacityReservation {
  const state = crState(st, r);
  const available = state === 'active' ? Math.max(0, r.total - crUsed(st, scope, r.id)) : 0;
  return {
    CapacityReservationId: r.id, OwnerId: scope.account, CapacityReservationArn: `arn:aws:ec2:${scope.region}:${scope.account}:capacity-reservation/${r.id}`,
    AvailabilityZoneId: r.azId, InstanceType: r.type, InstancePlatform: r.platform, AvailabilityZone: r.az, Tenancy: r.tenancy,
    TotalInstanceCount: r.total, AvailableInstanceCount: available, EbsOptimized: r.ebsOptimized, EphemeralStorage: false, State: state,
    StartDate: new Date(r.createdAt), EndDate: r.endDate !== undefined ? new Date(r.endDate) : undefined, EndDateType: r.endDateType,
    InstanceMatchCriteria: r.matchCriteria, CreateDate: new Date(r.createdAt), Tags: tagsOut(r.tags) ?? [], ReservationType: 'default',
    DeliveryPreference: 'fixed', CapacityAllocations: [{ AllocationType: 'used', Count: state === 'active' ? r.total - available : 0 }],
  };
}

const FILTERS: FilterFields<T.CapacityReservation> = {
  'instance-type': (r) => r.InstanceType,
  'owner-id': (r) => r.OwnerId,
  'availability-zone': (r) => r.AvailabilityZone,
  'availability-zone-id': (r) => r.AvailabilityZoneId,
  'instance-platform': (r) => r.InstancePlatform,
  tenancy: (r) => r.Tenancy,
  state: (r) => r.State,
  'end-date-type': (r) => r.EndDateType,
  'instance-match-criteria': (r) => r.InstanceMatchCriteria,
  'capacity-reservation-id': (r) => r.CapacityReservationId,
};

function endDateOf(st: Ec2State, type: string | undefined, date: Date | undefined): { endDateType: string; endDate?: number } {
  const endDateType = type ?? (date ? 'limited' : 'unlimited');
  if (endDateType !== 'limited' && endDateType !== 'unlimited') throw new AwsError('InvalidParameterValue', `Value (${endDateType}) for parameter endDateType is invalid. Valid values are: unlimited | limited`, 400);
  if (endDateType === 'unlimited' && date) throw new AwsError('InvalidParameterCombination', 'EndDate cannot be specified when EndDateType is unlimited.', 400);
  if (endDateType === 'limited') {
    if (!date) throw new AwsError('MissingParameter', 'The request must contain the parameter EndDate when EndDateType is limited.', 400);
    if (date.getTime() <= st.now()) throw new AwsError('InvalidParameterValue', 'The EndDate must be in the future.', 400);
  }
  return { endDateType, endDate: endDateType === 'limited' ? date!.getTime() : undefined };
}

export function capacityReservationOperations(st: Ec2State) {
  const table = crTable(st);
  return {
    CreateCapacityReservation(input: T.CreateCapacityReservationRequest, ctx: RequestContext): T.CreateCapacityReservationResult {
      const scope = st.scope(ctx);
      if (!instanceType(input.InstanceType ?? '')) throw new AwsError('InvalidParameterValue', `Invalid value '${input.InstanceType}' for InstanceType.`, 400);
      if (!PLATFORMS.includes(input.InstancePlatform)) throw new AwsError('InvalidParameterValue', `Value (${input.InstancePlatform}) for parameter instancePlatform is invalid.`, 400);
      const zones = zonesOf(scope.region);
      const zone = input.AvailabilityZone ? zones.find((z) => z.name === input.AvailabilityZone) : zones.find((z) => z.id === input.AvailabilityZoneId);
      if (!input.AvailabilityZone && !input.AvailabilityZoneId) throw new AwsError('MissingParameter', 'The request must contain the parameter AvailabilityZone', 400);
      if (!zone) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone ?? input.AvailabilityZoneId}]`, 400);
      if (!Number.isInteger(input.InstanceCount) || input.InstanceCount < 1) throw new AwsError('InvalidParameterValue', `Value (${input.InstanceCount}) for parameter instanceCount is invalid. Expected a positive integer.`, 400);
      const tenancy = input.Tenancy ?? 'default';
      if (tenancy !== 'default' && tenancy !== 'dedicated') throw new AwsError('InvalidParameterValue', `Value (${tenancy}) for parameter tenancy is invalid. Valid values are: default | dedicated`, 400);
      const match = input.InstanceMatchCriteria ?? 'open';
      if (match !== 'open' && match !== 'targeted') throw new AwsError('InvalidParameterValue', `Value (${match}) for parameter instanceMatchCriteria is invalid. Valid values are: open | targeted`, 400);
      const end = endDateOf(st, input.EndDateType, input.EndDate);
      const tags = tagsFor(input.TagSpecifications, 'capacity-reservation') as CrRec['tags'];
      dryRun(input);
      const r: CrRec = {
        id: newId('cr'), type: input.InstanceType, platform: input.InstancePlatform, az: zone.name, azId: zone.id, tenancy, total: input.InstanceCount,
        ebsOptimized: input.EbsOptimized ?? false, ...end, matchCriteria: match, createdAt: st.now(), tags,
      };
      table.put(scope, r.id, r);
      return { CapacityReservation: render(st, scope, r) };
    },

    DescribeCapacityReservations(input: T.DescribeCapacityReservationsRequest, ctx: RequestContext): T.DescribeCapacityReservationsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...table.values(scope)];
      for (const id of input.CapacityReservationIds ?? []) if (!table.has(scope, id)) throw notFoundCr(id);
      if (input.CapacityReservationIds?.length) all = all.filter((r) => input.CapacityReservationIds!.includes(r.id));
      const out = applyFilters(all.map((r) => render(st, scope, r)), input.Filters, FILTERS, (r) => r.Tags);
      const { page, NextToken } = paginate(out, input, 1, 1000);
      return { CapacityReservations: page, NextToken };
    },

    ModifyCapacityReservation(input: T.ModifyCapacityReservationRequest, ctx: RequestContext): T.ModifyCapacityReservationResult {
      const scope = st.scope(ctx);
      const r = table.get(scope, input.CapacityReservationId);
      if (!r) throw notFoundCr(input.CapacityReservationId);
      if (crState(st, r) !== 'active') throw new AwsError('InvalidCapacityReservationId.Unavailable', `The capacity reservation '${r.id}' is not active.`, 400);
      if (input.InstanceCount !== undefined && (!Number.isInteger(input.InstanceCount) || input.InstanceCount < 1)) {
        throw new AwsError('InvalidParameterValue', `Value (${input.InstanceCount}) for parameter instanceCount is invalid. Expected a positive integer.`, 400);
      }
      if (input.InstanceMatchCriteria !== undefined && input.InstanceMatchCriteria !== 'open' && input.InstanceMatchCriteria !== 'targeted') {
        throw new AwsError('InvalidParameterValue', `Value (${input.InstanceMatchCriteria}) for parameter instanceMatchCriteria is invalid. Valid values are: open | targeted`, 400);
      }
      const end = input.EndDateType !== undefined || input.EndDate !== undefined ? endDateOf(st, input.EndDateType, input.EndDate) : undefined;
      dryRun(input);
      if (input.InstanceCount !== undefined) r.total = input.InstanceCount;
      if (input.InstanceMatchCriteria !== undefined) r.matchCriteria = input.InstanceMatchCriteria;
      if (end) Object.assign(r, end);
      table.put(scope, r.id, r);
      return { Return: true };
    },

    CancelCapacityReservation(input: T.CancelCapacityReservationRequest, ctx: RequestContext): T.CancelCapacityReservationResult {
      const scope = st.scope(ctx);
      const r = table.get(scope, input.CapacityReservationId);
      if (!r) throw notFoundCr(input.CapacityReservationId);
      if (crState(st, r) !== 'active') throw new AwsError('InvalidCapacityReservationId.Unavailable', `The capacity reservation '${r.id}' is not active.`, 400);
      dryRun(input);
      r.cancelledAt = st.now();
      table.put(scope, r.id, r);
      return { Return: true };
    },
  };
}
