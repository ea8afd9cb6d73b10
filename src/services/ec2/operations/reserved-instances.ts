/**
 * Reserved Instances as state: DescribeReservedInstancesOfferings (domain/reserved-offerings.ts),
 * PurchaseReservedInstancesOffering (payment-pending → active on the clock, retired at the end of
 * the term), DescribeReservedInstances, ModifyReservedInstances (standard RIs: zone, scope and
 * size within the family while the normalized footprint stays the same; processing → fulfilled,
 * the originals retired and new RIs active for the rest of the term) and
 * DescribeReservedInstancesModifications.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { instanceType } from '../domain/instance-types.js';
import { DURATIONS, normalizationFactor, offering, offerings, regionalOffering, type Offering } from '../domain/reserved-offerings.js';
import { zonesOf, type Ec2State } from '../state.js';

/** How long a purchase stays payment-pending and a modification processing. */
export const RI_PAYMENT_MS = 60_000;
export const RI_MODIFY_MS = 60_000;

interface RiRec { id: string; offering: Offering; count: number; start: number; end: number; visibleFrom: number; pendingUntil?: number; retiredAt?: number; tags: { Key: string; Value: string }[] }
interface ModRec { id: string; clientToken?: string; sourceIds: string[]; results: { id: string; target: T.ReservedInstancesConfiguration }[]; createdAt: number }

const riTable = (st: Ec2State): Table<RiRec> => st.rt.table('reserved-instances');
const modTable = (st: Ec2State): Table<ModRec> => st.rt.table('reserved-instances-modifications');
const zonalSeen = (st: Ec2State): Table<Offering> => st.rt.table('reserved-instances-offerings-listed');

function riState(st: Ec2State, r: RiRec): string {
  const now = st.now();
  if ((r.retiredAt !== undefined && now >= r.retiredAt) || now >= r.end) return 'retired';
  return r.pendingUntil !== undefined && now < r.pendingUntil ? 'payment-pending' : 'active';
}

function renderOffering(o: Offering, zones: { name: string; id: string }[]): T.ReservedInstancesOffering {
  return {
    ReservedInstancesOfferingId: o.id, InstanceType: o.type, AvailabilityZone: o.az, AvailabilityZoneId: zones.find((z) => z.name === o.az)?.id,
    Duration: o.duration, FixedPrice: o.fixedPrice, UsagePrice: 0, ProductDescription: o.product, InstanceTenancy: o.tenancy, CurrencyCode: 'USD',
    OfferingType: o.payment, OfferingClass: o.offeringClass, Marketplace: false, Scope: o.az ? 'Availability Zone' : 'Region', PricingDetails: [],
    RecurringCharges: o.hourly ? [{ Frequency: 'Hourly', Amount: o.hourly }] : [],
  };
}

function renderRi(st: Ec2State, r: RiRec, zones: { name: string; id: string }[]): T.ReservedInstances {
  const o = r.offering;
  return {
    ReservedInstancesId: r.id, InstanceType: o.type, AvailabilityZone: o.az, AvailabilityZoneId: zones.find((z) => z.name === o.az)?.id,
    Start: new Date(r.start), End: new Date(r.end), Duration: Math.round((r.end - r.start) / 1000), UsagePrice: 0, FixedPrice: o.fixedPrice,
    InstanceCount: r.count, ProductDescription: o.product, State: riState(st, r), InstanceTenancy: o.tenancy, CurrencyCode: 'USD',
    OfferingType: o.payment, OfferingClass: o.offeringClass, Scope: o.az ? 'Availability Zone' : 'Region', Tags: r.tags.length ? r.tags : undefined,
    RecurringCharges: o.hourly ? [{ Frequency: 'Hourly', Amount: o.hourly }] : [],
  };
}

const OFFERING_FILTERS: FilterFields<T.ReservedInstancesOffering> = {
  'availability-zone': (o) => o.AvailabilityZone,
  duration: (o) => String(o.Duration),
  'fixed-price': (o) => String(o.FixedPrice),
  'instance-type': (o) => o.InstanceType,
  marketplace: (o) => String(o.Marketplace),
  'product-description': (o) => o.ProductDescription,
  'reserved-instances-offering-id': (o) => o.ReservedInstancesOfferingId,
  scope: (o) => o.Scope,
  'usage-price': (o) => String(o.UsagePrice),
};
const RI_FILTERS: FilterFields<T.ReservedInstances> = {
  'availability-zone': (r) => r.AvailabilityZone,
  duration: (r) => String(r.Duration),
  end: (r) => r.End?.toISOString(),
  'fixed-price': (r) => String(r.FixedPrice),
  'instance-type': (r) => r.InstanceType,
  scope: (r) => r.Scope,
  'product-description': (r) => r.ProductDescription,
  'reserved-instances-id': (r) => r.ReservedInstancesId,
  start: (r) => r.Start?.toISOString(),
  state: (r) => r.State,
  'usage-price': (r) => String(r.UsagePrice),
};

export function reservedInstanceOperations(st: Ec2State) {
  const findOffering = (scope: Scope, id: string) => regionalOffering(scope.region, id) ?? zonalSeen(st).get(scope, id);

  return {
    DescribeReservedInstancesOfferings(input: T.DescribeReservedInstancesOfferingsRequest, ctx: RequestContext): T.DescribeReservedInstancesOfferingsResult {
      const scope = st.scope(ctx);
      const zones = zonesOf(scope.region);
      const az = input.AvailabilityZone ?? (input.AvailabilityZoneId ? zones.find((z) => z.id === input.AvailabilityZoneId)?.name : undefined);
      if ((input.AvailabilityZone || input.AvailabilityZoneId) && !zones.some((z) => z.name === az)) {
        throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone ?? input.AvailabilityZoneId}]`, 400);
      }
      if (input.InstanceType && !instanceType(input.InstanceType)) throw new AwsError('InvalidParameterValue', `Invalid value '${input.InstanceType}' for InstanceType.`, 400);
      dryRun(input);
      let all: Offering[];
      if (input.ReservedInstancesOfferingIds?.length) all = input.ReservedInstancesOfferingIds.flatMap((id) => findOffering(scope, id) ?? []);
      else {
        const types = input.InstanceType ? [input.InstanceType] : undefined;
        all = [...offerings(scope.region, types), ...(az ? offerings(scope.region, types, az) : [])];
      }
      all = all.filter((o) =>
        (!input.ProductDescription || o.product === input.ProductDescription) && (!input.InstanceTenancy || o.tenancy === input.InstanceTenancy) &&
        (!input.OfferingType || o.payment === input.OfferingType) && (!input.OfferingClass || o.offeringClass === input.OfferingClass) &&
        (input.MinDuration === undefined || o.duration >= input.MinDuration) && (input.MaxDuration === undefined || o.duration <= input.MaxDuration) &&
        (!az || !o.az || o.az === az));
      const rendered = applyFilters(all.map((o) => renderOffering(o, zones)), input.Filters, OFFERING_FILTERS);
      const { page, NextToken } = paginate(rendered, { MaxResults: input.MaxResults ?? 100, NextToken: input.NextToken }, 1, 100);
      // zonal offerings are remembered so they can be bought by id
      for (const o of page) if (o.AvailabilityZone) zonalSeen(st).put(scope, o.ReservedInstancesOfferingId!, findOffering(scope, o.ReservedInstancesOfferingId!) ?? offering(scope.region, o.InstanceType!, o.ProductDescription!, o.InstanceTenancy!, o.OfferingClass!, o.OfferingType!, o.Duration!, o.AvailabilityZone)!);
      return { ReservedInstancesOfferings: page, NextToken };
    },

    PurchaseReservedInstancesOffering(input: T.PurchaseReservedInstancesOfferingRequest, ctx: RequestContext): T.PurchaseReservedInstancesOfferingResult {
      const scope = st.scope(ctx);
      const o = findOffering(scope, input.ReservedInstancesOfferingId);
      if (!o) throw new AwsError('InvalidReservedInstancesOfferingId', `The Reserved Instances offering '${input.ReservedInstancesOfferingId}' does not exist.`, 400);
      if (!Number.isInteger(input.InstanceCount) || input.InstanceCount < 1) throw new AwsError('InvalidParameterValue', `Value (${input.InstanceCount}) for parameter instanceCount is invalid. Expected a positive integer.`, 400);
      const limit = input.LimitPrice?.Amount;
      if (limit !== undefined && o.fixedPrice * input.InstanceCount > limit) {
        throw new AwsError('ReservedInstancesLimitPriceExceeded', `The total upfront price ${(o.fixedPrice * input.InstanceCount).toFixed(2)} exceeds the limit price ${limit}.`, 400);
      }
      dryRun(input);
      const now = st.now();
      const r: RiRec = { id: randomUUID(), offering: o, count: input.InstanceCount, start: now, end: now + o.duration * 1000, visibleFrom: now, pendingUntil: now + RI_PAYMENT_MS, tags: [] };
      riTable(st).put(scope, r.id, r);
      return { ReservedInstancesId: r.id };
    },

    DescribeReservedInstances(input: T.DescribeReservedInstancesRequest, ctx: RequestContext): T.DescribeReservedInstancesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const zones = zonesOf(scope.region);
      let all = [...riTable(st).values(scope)].filter((r) => st.now() >= r.visibleFrom);
      if (input.ReservedInstancesIds?.length) all = all.filter((r) => input.ReservedInstancesIds!.includes(r.id));
      if (input.OfferingClass) all = all.filter((r) => r.offering.offeringClass === input.OfferingClass);
      if (input.OfferingType) all = all.filter((r) => r.offering.payment === input.OfferingType);
      return { ReservedInstances: applyFilters(all.map((r) => renderRi(st, r, zones)), input.Filters, RI_FILTERS, (r) => r.Tags) };
    },

    ModifyReservedInstances(input: T.ModifyReservedInstancesRequest, ctx: RequestContext): T.ModifyReservedInstancesResult {
      const scope = st.scope(ctx);
      if (input.ClientToken) {
        const prior = [...modTable(st).values(scope)].find((m) => m.clientToken === input.ClientToken);
        if (prior) return { ReservedInstancesModificationId: prior.id };
      }
      const zones = zonesOf(scope.region);
      const sources = (input.ReservedInstancesIds ?? []).map((id) => {
        const r = riTable(st).get(scope, id);
        if (!r || st.now() < r.visibleFrom) throw new AwsError('InvalidParameterValue', `Reserved Instances ID '${id}' does not exist.`, 400);
        if (riState(st, r) !== 'active') throw new AwsError('InvalidParameterValue', `Reserved Instances '${id}' are not active and cannot be modified.`, 400);
        if (r.offering.offeringClass === 'convertible') throw new AwsError('InvalidParameterValue', `Convertible Reserved Instances '${id}' cannot be modified; exchange them instead.`, 400);
        return r;
      });
      if (!sources.length) throw new AwsError('MissingParameter', 'The request must contain the parameter reservedInstancesId', 400);
      const first = sources[0]!.offering;
      const family = first.type.split('.')[0];
      if (sources.some((r) => r.offering.product !== first.product || r.offering.tenancy !== first.tenancy || r.end !== sources[0]!.end)) {
        throw new AwsError('InvalidParameterValue', 'The Reserved Instances to modify must have the same platform, tenancy and end time.', 400);
      }
      const targets = input.TargetConfigurations ?? [];
      if (!targets.length) throw new AwsError('MissingParameter', 'The request must contain the parameter targetConfigurations', 400);
      const footprint = (type: string, n: number) => normalizationFactor(type) * n;
      const before = sources.reduce((n, r) => n + footprint(r.offering.type, r.count), 0);
      let after = 0;
      for (const t of targets) {
        const type = t.InstanceType ?? first.type;
        if (!instanceType(type)) throw new AwsError('InvalidParameterValue', `Invalid value '${type}' for InstanceType.`, 400);
        if (type.split('.')[0] !== family) throw new AwsError('InvalidParameterValue', `The instance type ${type} is not in the ${family} family of the Reserved Instances.`, 400);
        if (type !== first.type && !first.product.startsWith('Linux')) throw new AwsError('InvalidParameterValue', 'Only Linux/UNIX Reserved Instances can change instance size.', 400);
        const scopeName = t.Scope ?? (t.AvailabilityZone ? 'Availability Zone' : 'Region');
        if (scopeName === 'Availability Zone' && !zones.some((z) => z.name === t.AvailabilityZone)) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${t.AvailabilityZone ?? ''}]`, 400);
        if (!Number.isInteger(t.InstanceCount) || (t.InstanceCount ?? 0) < 1) throw new AwsError('InvalidParameterValue', `Value (${t.InstanceCount}) for parameter instanceCount is invalid.`, 400);
        after += footprint(type, t.InstanceCount!);
      }
      if (Math.abs(after - before) > 1e-9) {
        throw new AwsError('InvalidParameterValue', `The requested configuration's instance size footprint (${after}) does not match that of the Reserved Instances (${before}).`, 400);
      }
      const now = st.now();
      const done = now + RI_MODIFY_MS;
      const results: ModRec['results'] = [];
      for (const t of targets) {
        const type = t.InstanceType ?? first.type;
        const az = (t.Scope ?? (t.AvailabilityZone ? 'Availability Zone' : 'Region')) === 'Availability Zone' ? t.AvailabilityZone : undefined;
        const o = offering(scope.region, type, first.product, first.tenancy, first.offeringClass, first.payment, DURATIONS.includes(first.duration) ? first.duration : DURATIONS[0]!, az)!;
        const r: RiRec = { id: randomUUID(), offering: o, count: t.InstanceCount!, start: done, end: sources[0]!.end, visibleFrom: done, tags: [] };
        riTable(st).put(scope, r.id, r);
        results.push({ id: r.id, target: { AvailabilityZone: az, InstanceCount: t.InstanceCount, InstanceType: type, Platform: first.product, Scope: az ? 'Availability Zone' : 'Region' } });
      }
      for (const r of sources) {
        r.retiredAt = done;
        riTable(st).put(scope, r.id, r);
      }
      const m: ModRec = { id: `rimod-${randomUUID()}`, clientToken: input.ClientToken, sourceIds: sources.map((r) => r.id), results, createdAt: now };
      modTable(st).put(scope, m.id, m);
      return { ReservedInstancesModificationId: m.id };
    },

    DescribeReservedInstancesModifications(input: T.DescribeReservedInstancesModificationsRequest, ctx: RequestContext): T.DescribeReservedInstancesModificationsResult {
      const scope = st.scope(ctx);
      let all = [...modTable(st).values(scope)];
      if (input.ReservedInstancesModificationIds?.length) all = all.filter((m) => input.ReservedInstancesModificationIds!.includes(m.id));
      const rows = all.map((m): T.ReservedInstancesModification => {
        const done = st.now() >= m.createdAt + RI_MODIFY_MS;
        return {
          ReservedInstancesModificationId: m.id, ClientToken: m.clientToken, CreateDate: new Date(m.createdAt), UpdateDate: new Date(done ? m.createdAt + RI_MODIFY_MS : m.createdAt),
          EffectiveDate: new Date(m.createdAt + RI_MODIFY_MS), Status: done ? 'fulfilled' : 'processing',
          ReservedInstancesIds: m.sourceIds.map((ReservedInstancesId) => ({ ReservedInstancesId })),
          ModificationResults: m.results.map((r) => ({ ReservedInstancesId: done ? r.id : undefined, TargetConfiguration: r.target })),
        };
      });
      const fields: FilterFields<T.ReservedInstancesModification> = {
        'client-token': (m) => m.ClientToken, status: (m) => m.Status, 'reserved-instances-modification-id': (m) => m.ReservedInstancesModificationId,
        'reserved-instances-id': (m) => m.ReservedInstancesIds?.map((x) => x.ReservedInstancesId!),
      };
      const { page, NextToken } = paginate(applyFilters(rows, input.Filters, fields), { NextToken: input.NextToken });
      return { ReservedInstancesModifications: page, NextToken };
    },
  };
}
