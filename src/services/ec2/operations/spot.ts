/**
 * Spot: RequestSpotInstances / DescribeSpotInstanceRequests / CancelSpotInstanceRequests,
 * RunInstances with InstanceMarketOptions (a one-time or persistent request per instance),
 * DescribeSpotPriceHistory (domain/spot-prices.ts), and interruptions: a notice (instance
 * metadata `spot/instance-action` and the EventBridge "EC2 Spot Instance Interruption Warning")
 * followed two minutes later on the virtual clock by the stop, hibernation or termination.
 */
import { randomBytes } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { currentSpotPrice, DAY_MS, dayStart, priceText, PRODUCTS, spotPrice } from '../domain/spot-prices.js';
import { instanceType, instanceTypes } from '../domain/instance-types.js';
import { tagsOut, zonesOf, type Ec2State, type InstanceRec } from '../state.js';
import type { InterruptionRec, SpotReqRec } from '../records.js';
import { launch } from './instances.js';
import { release, setState } from './instance-ops.js';

export const SPOT_NOTICE_MS = 120_000;
/** A new request shows pending-evaluation this long before it shows its outcome. */
const SPOT_EVALUATION_MS = 2_000;

const MESSAGES: Record<string, string> = {
  'pending-evaluation': 'Your Spot request has been submitted for review, and is pending evaluation.',
  fulfilled: 'Your spot request is fulfilled.',
  'request-canceled-and-instance-running': 'Spot Instance request is canceled, but the Spot Instance is still running.',
  'canceled-before-fulfillment': 'Your Spot request was canceled before it was fulfilled.',
  'marked-for-termination': 'Your Spot Instance is marked for termination because there is no Spot capacity available that matches your request.',
  'marked-for-stop': 'Your Spot Instance is marked for stop because there is no Spot capacity available that matches your request.',
  'marked-for-hibernation': 'Your Spot Instance is marked for hibernation because there is no Spot capacity available that matches your request.',
  'instance-terminated-no-capacity': 'Your Spot Instance was terminated because there is no Spot capacity available that matches your request.',
  'instance-stopped-no-capacity': 'Your Spot Instance was stopped because there is no Spot capacity available that matches your request.',
  'instance-hibernated-no-capacity': 'Your Spot Instance was hibernated because there is no Spot capacity available that matches your request.',
  'instance-terminated-by-user': 'Spot Instance terminated due to user-initiated termination.',
  'schedule-expired': 'Your Spot request has expired because it was not fulfilled before the specified end date.',
};
const tooLow = (price: string, min: number) => `Your Spot request price of ${price} is lower than the minimum required Spot request fulfillment price of ${priceText(min)}.`;

const sirId = () => `sir-${randomBytes(4).toString('hex')}`;
export const spotNotFound = (id: string) => new AwsError('InvalidSpotInstanceRequestID.NotFound', `The spot instance request ID '${id}' does not exist`, 400);

/** Checks Spot market options of a launch; the price must cover the current Spot price. */
export function checkSpotMarket(st: Ec2State, scope: Scope, market: T.InstanceMarketOptionsRequest | undefined, type: string, az: string): void {
  if (!market) return;
  if (market.MarketType !== undefined && market.MarketType !== 'spot' && market.MarketType !== 'capacity-block') {
    throw new AwsError('InvalidParameterValue', `Value (${market.MarketType}) for parameter MarketType is invalid.`, 400);
  }
  if (market.MarketType === 'capacity-block') throw new AwsError('InvalidParameterValue', 'Capacity Blocks are not modelled by gureum.', 400);
  const o = market.SpotOptions ?? {};
  const kind = o.SpotInstanceType ?? 'one-time';
  const behavior = o.InstanceInterruptionBehavior ?? 'terminate';
  if (kind !== 'one-time' && kind !== 'persistent') throw new AwsError('InvalidParameterValue', `Value (${kind}) for parameter SpotInstanceType is invalid.`, 400);
  if (!['terminate', 'stop', 'hibernate'].includes(behavior)) throw new AwsError('InvalidParameterValue', `Value (${behavior}) for parameter InstanceInterruptionBehavior is invalid.`, 400);
  if (kind === 'one-time' && behavior !== 'terminate') {
    throw new AwsError('InvalidParameterCombination', `The ${behavior} instance interruption behavior is supported only for persistent Spot requests.`, 400);
  }
  checkPrice(o.MaxPrice, type, az, st.now());
}

function checkPrice(max: string | undefined, type: string, az: string, now: number): void {
  if (max === undefined) return;
  const n = Number(max);
  if (!Number.isFinite(n) || n <= 0) throw new AwsError('InvalidParameterValue', `Invalid value '${max}' for spotPrice.`, 400);
  const current = currentSpotPrice(type, az, now)!;
  if (n < current) throw new AwsError('SpotMaxPriceTooLow', tooLow(max, current), 400);
}

/** Links launched instances to their Spot requests (given, or one per instance for InstanceMarketOptions). */
export function spotInstances(st: Ec2State, scope: Scope, input: T.RunInstancesRequest, created: InstanceRec[], requestIds: string[] | undefined, tags: T.Tag[]): void {
  const o = input.InstanceMarketOptions?.MarketType === 'spot' || input.InstanceMarketOptions?.SpotOptions ? (input.InstanceMarketOptions.SpotOptions ?? {}) : undefined;
  if (!requestIds && !o) return;
  created.forEach((i, k) => {
    let r = requestIds ? st.spotRequests.get(scope, requestIds[k]!) : undefined;
    if (!r) {
      const now = st.now();
      r = {
        id: sirId(), type: (o?.SpotInstanceType as SpotReqRec['type']) ?? 'one-time', price: o?.MaxPrice ?? priceText(onDemandCeiling(i.type)),
        launchSpec: { ImageId: i.imageId, InstanceType: i.type, SubnetId: i.subnetId, KeyName: i.keyName, Placement: { AvailabilityZone: i.az } },
        az: i.az, productDescription: 'Linux/UNIX', state: 'active', statusCode: 'fulfilled', statusMessage: MESSAGES.fulfilled!, statusAt: now,
        behavior: o?.InstanceInterruptionBehavior ?? 'terminate', validUntil: o?.ValidUntil?.getTime(), createdAt: now - SPOT_EVALUATION_MS, tags,
      };
    }
    r.instanceId = i.id;
    st.spotRequests.put(scope, r.id, r);
    i.spotRequestId = r.id;
    st.instances.put(scope, i.id, i);
  });
}

/** The default maximum price is the on-demand price. */
function onDemandCeiling(type: string): number {
  const vcpus = instanceType(type)?.VCpuInfo?.DefaultVCpus ?? 1;
  return Math.max(0.0116, 0.037 * vcpus);
}

/** What a request shows now: outcomes appear after evaluation; instances terminated by their owner close it. */
function view(st: Ec2State, scope: Scope, r: SpotReqRec): { state: string; code: string; message: string; at: number; instanceId?: string } {
  const now = st.now();
  if (now < r.createdAt + SPOT_EVALUATION_MS && r.statusCode !== 'canceled-before-fulfillment') {
    return { state: 'open', code: 'pending-evaluation', message: MESSAGES['pending-evaluation']!, at: r.createdAt };
  }
  if (r.state === 'open' && r.statusCode === 'price-too-low' && r.validUntil !== undefined && now >= r.validUntil) {
    return { state: 'closed', code: 'schedule-expired', message: MESSAGES['schedule-expired']!, at: r.validUntil };
  }
  const i = r.instanceId ? st.instances.get(scope, r.instanceId) : undefined;
  if (r.state === 'active' && i && (st.instanceState(i) === 'terminated' || st.instanceState(i) === 'shutting-down')) {
    return { state: r.type === 'persistent' ? 'open' : 'closed', code: 'instance-terminated-by-user', message: MESSAGES['instance-terminated-by-user']!, at: i.since, instanceId: i.id };
  }
  return { state: r.state, code: r.statusCode, message: r.statusMessage, at: r.statusAt, instanceId: r.instanceId };
}

function render(st: Ec2State, scope: Scope, r: SpotReqRec): T.SpotInstanceRequest {
  const v = view(st, scope, r);
  return {
    SpotInstanceRequestId: r.id, SpotPrice: r.price, Type: r.type, State: v.state, Status: { Code: v.code, Message: v.message, UpdateTime: new Date(v.at) },
    InstanceId: v.instanceId, LaunchSpecification: r.launchSpec as T.LaunchSpecification, CreateTime: new Date(r.createdAt), ProductDescription: r.productDescription,
    InstanceInterruptionBehavior: r.behavior, LaunchedAvailabilityZone: v.instanceId ? r.az : undefined,
    LaunchedAvailabilityZoneId: v.instanceId ? zonesOf(scope.region).find((z) => z.name === r.az)?.id : undefined,
    ValidFrom: r.validFrom !== undefined ? new Date(r.validFrom) : undefined, ValidUntil: r.validUntil !== undefined ? new Date(r.validUntil) : undefined,
    Tags: tagsOut(r.tags),
  };
}

const SPOT_FILTERS: FilterFields<T.SpotInstanceRequest> = {
  'availability-zone-group': (r) => r.AvailabilityZoneGroup,
  'create-time': (r) => r.CreateTime?.toISOString(),
  'instance-id': (r) => r.InstanceId,
  'launched-availability-zone': (r) => r.LaunchedAvailabilityZone,
  'launch.image-id': (r) => r.LaunchSpecification?.ImageId,
  'launch.instance-type': (r) => r.LaunchSpecification?.InstanceType,
  'product-description': (r) => r.ProductDescription,
  'spot-instance-request-id': (r) => r.SpotInstanceRequestId,
  'spot-price': (r) => r.SpotPrice,
  state: (r) => r.State,
  'status-code': (r) => r.Status?.Code,
  'status-message': (r) => r.Status?.Message,
  type: (r) => r.Type,
};

export function spotOperations(st: Ec2State) {
  return {
    RequestSpotInstances(input: T.RequestSpotInstancesRequest, ctx: RequestContext): T.RequestSpotInstancesResult {
      const scope = st.scope(ctx);
      const spec = input.LaunchSpecification ?? {};
      const count = input.InstanceCount ?? 1;
      if (!Number.isInteger(count) || count < 1) throw new AwsError('InvalidParameterValue', `Value (${count}) for parameter instanceCount is invalid.`, 400);
      const type = input.Type ?? 'one-time';
      if (type !== 'one-time' && type !== 'persistent') throw new AwsError('InvalidParameterValue', `Value (${type}) for parameter type is invalid.`, 400);
      const behavior = input.InstanceInterruptionBehavior ?? 'terminate';
      if (!['terminate', 'stop', 'hibernate'].includes(behavior)) throw new AwsError('InvalidParameterValue', `Value (${behavior}) for parameter InstanceInterruptionBehavior is invalid.`, 400);
      if (type === 'one-time' && behavior !== 'terminate') {
        throw new AwsError('InvalidParameterCombination', `The ${behavior} instance interruption behavior is supported only for persistent Spot requests.`, 400);
      }
      const instanceTypeName = spec.InstanceType ?? 'm1.small';
      if (!instanceType(instanceTypeName)) throw new AwsError('InvalidParameterValue', `Invalid value '${instanceTypeName}' for InstanceType.`, 400);
      const now = st.now();
      const subnet = spec.SubnetId ? st.subnet(scope, spec.SubnetId) : undefined;
      const az = subnet?.az ?? spec.Placement?.AvailabilityZone ?? zonesOf(scope.region)[0]!.name;
      const price = input.SpotPrice ?? priceText(onDemandCeiling(instanceTypeName));
      if (!Number.isFinite(Number(price)) || Number(price) <= 0) throw new AwsError('InvalidParameterValue', `Invalid value '${price}' for spotPrice.`, 400);
      const current = currentSpotPrice(instanceTypeName, az, now)!;
      const tags = (input.TagSpecifications ?? []).flatMap((t) => {
        if (t.ResourceType !== 'spot-instances-request') throw new AwsError('InvalidParameterValue', `'${t.ResourceType}' is not a valid taggable resource type for this operation.`, 400);
        return (t.Tags ?? []).map((x) => ({ Key: x.Key!, Value: x.Value ?? '' }));
      });
      const requests: SpotReqRec[] = Array.from({ length: count }, () => ({
        id: sirId(), type, price, launchSpec: { ...spec, Placement: { ...spec.Placement, AvailabilityZone: az } } as Record<string, unknown>, az,
        productDescription: 'Linux/UNIX', state: 'open', statusCode: 'price-too-low', statusMessage: tooLow(price, current), statusAt: now, behavior,
        validFrom: input.ValidFrom?.getTime(), validUntil: input.ValidUntil?.getTime(), createdAt: now, tags,
      }));
      if (Number(price) >= current) {
        // Fulfilled at once: the instances launch now; the requests show the outcome after evaluation.
        const run: T.RunInstancesRequest = {
          ImageId: spec.ImageId, InstanceType: instanceTypeName, KeyName: spec.KeyName, SubnetId: spec.NetworkInterfaces?.length ? undefined : spec.SubnetId,
          SecurityGroupIds: spec.SecurityGroupIds, SecurityGroups: spec.SecurityGroups, UserData: spec.UserData, BlockDeviceMappings: spec.BlockDeviceMappings,
          IamInstanceProfile: spec.IamInstanceProfile, NetworkInterfaces: spec.NetworkInterfaces, EbsOptimized: spec.EbsOptimized, Monitoring: spec.Monitoring,
          Placement: subnet ? undefined : { AvailabilityZone: az }, MinCount: count, MaxCount: count, DryRun: input.DryRun,
        };
        for (const r of requests) Object.assign(r, { state: 'active', statusCode: 'fulfilled', statusMessage: MESSAGES.fulfilled });
        for (const r of requests) st.spotRequests.put(scope, r.id, r);
        try {
          launch(st, scope, run, { spotRequestIds: requests.map((r) => r.id) });
        } catch (e) {
          for (const r of requests) st.spotRequests.delete(scope, r.id);
          throw e;
        }
      } else {
        dryRun(input);
        for (const r of requests) st.spotRequests.put(scope, r.id, r);
      }
      return { SpotInstanceRequests: requests.map((r) => render(st, scope, st.spotRequests.get(scope, r.id)!)) };
    },

    DescribeSpotInstanceRequests(input: T.DescribeSpotInstanceRequestsRequest, ctx: RequestContext): T.DescribeSpotInstanceRequestsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.spotRequests.values(scope)];
      if (input.SpotInstanceRequestIds?.length) {
        const missing = input.SpotInstanceRequestIds.find((id) => !st.spotRequests.has(scope, id));
        if (missing) throw spotNotFound(missing);
        all = all.filter((r) => input.SpotInstanceRequestIds!.includes(r.id));
      }
      const { page, NextToken } = paginate(applyFilters(all.map((r) => render(st, scope, r)), input.Filters, SPOT_FILTERS, (r) => r.Tags), input);
      return { SpotInstanceRequests: page, NextToken };
    },

    CancelSpotInstanceRequests(input: T.CancelSpotInstanceRequestsRequest, ctx: RequestContext): T.CancelSpotInstanceRequestsResult {
      const scope = st.scope(ctx);
      const list = (input.SpotInstanceRequestIds ?? []).map((id) => st.spotRequests.get(scope, id) ?? (() => { throw spotNotFound(id); })());
      dryRun(input);
      return {
        CancelledSpotInstanceRequests: list.map((r) => {
          const v = view(st, scope, r);
          if (v.state === 'open' || v.state === 'active' || v.state === 'disabled') {
            const running = v.instanceId && v.state === 'active';
            const code = running ? 'request-canceled-and-instance-running' : 'canceled-before-fulfillment';
            Object.assign(r, { state: 'cancelled', statusCode: code, statusMessage: MESSAGES[code], statusAt: st.now() });
            if (!running) r.createdAt = Math.min(r.createdAt, st.now() - SPOT_EVALUATION_MS);
            st.spotRequests.put(scope, r.id, r);
          }
          return { SpotInstanceRequestId: r.id, State: view(st, scope, r).state };
        }),
      };
    },

    DescribeSpotPriceHistory(input: T.DescribeSpotPriceHistoryRequest, ctx: RequestContext): T.DescribeSpotPriceHistoryResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const now = st.now();
      const zones = zonesOf(scope.region).filter((z) => (!input.AvailabilityZone || z.name === input.AvailabilityZone) && (!input.AvailabilityZoneId || z.id === input.AvailabilityZoneId));
      if (input.AvailabilityZone && !zones.length) throw new AwsError('InvalidParameterValue', `Invalid availability zone: [${input.AvailabilityZone}]`, 400);
      const types = input.InstanceTypes?.length ? input.InstanceTypes : instanceTypes().map((t) => t.InstanceType!);
      for (const t of types) if (!instanceType(t)) throw new AwsError('InvalidParameterValue', `Invalid value '${t}' for InstanceType.`, 400);
      const products = input.ProductDescriptions?.length ? input.ProductDescriptions : PRODUCTS;
      const end = Math.min(input.EndTime?.getTime() ?? now, now);
      const start = input.StartTime?.getTime() ?? end;
      if (start > end) throw new AwsError('InvalidParameterValue', 'The start time must be earlier than the end time.', 400);
      // A price point per day; the point in effect at the start time is included.
      const days: number[] = [];
      for (let d = dayStart(end); d >= dayStart(start); d -= DAY_MS) days.push(d);
      const out: T.SpotPrice[] = [];
      for (const d of days) {
        for (const z of zones) {
          for (const t of types) {
            for (const p of products) {
              const price = spotPrice(t, z.name, p, d);
              if (price !== undefined) out.push({ AvailabilityZone: z.name, InstanceType: t, ProductDescription: p, SpotPrice: priceText(price), Timestamp: new Date(d) });
            }
          }
        }
      }
      const filtered = applyFilters(out, input.Filters, {
        'availability-zone': (p) => p.AvailabilityZone, 'instance-type': (p) => p.InstanceType, 'product-description': (p) => p.ProductDescription,
        'spot-price': (p) => p.SpotPrice, timestamp: (p) => p.Timestamp!.toISOString(),
      });
      const { page, NextToken } = paginate(filtered, input, 5, 1000);
      return { SpotPriceHistory: page, NextToken: NextToken ?? '' };
    },
  };
}

// ---- interruptions

/** Issues the two-minute interruption notice for a running Spot instance. */
export function interruptSpot(st: Ec2State, scope: Scope, instanceId: string): InterruptionRec {
  const i = st.instances.get(scope, instanceId);
  if (!i) throw new Error(`no instance ${instanceId} in ${scope.account}/${scope.region}`);
  if (!i.spotRequestId) throw new Error(`${instanceId} is not a Spot instance`);
  const state = st.instanceState(i);
  if (state !== 'running' && state !== 'pending') throw new Error(`${instanceId} is ${state}; only a running Spot instance can be interrupted`);
  const prior = st.interruptions.get(scope, i.id);
  if (prior && !prior.done) return prior;
  const r = st.spotRequests.get(scope, i.spotRequestId);
  const action = (r?.behavior ?? 'terminate') as InterruptionRec['action'];
  const now = st.now();
  const rec: InterruptionRec = { instanceId: i.id, noticeAt: now, actionAt: now + SPOT_NOTICE_MS, action, done: false };
  st.interruptions.put(scope, i.id, rec);
  if (r) {
    const code = action === 'terminate' ? 'marked-for-termination' : action === 'stop' ? 'marked-for-stop' : 'marked-for-hibernation';
    Object.assign(r, { statusCode: code, statusMessage: MESSAGES[code], statusAt: now });
    st.spotRequests.put(scope, r.id, r);
  }
  armInterruption(st, scope, rec);
  return rec;
}

export function armInterruption(st: Ec2State, scope: Scope, rec: InterruptionRec): void {
  if (rec.done) return;
  if (st.now() >= rec.actionAt) applyInterruption(st, scope, rec.instanceId);
  else st.rt.clock.at(rec.actionAt, () => applyInterruption(st, scope, rec.instanceId));
}

/** The interruption itself, two minutes after the notice. */
function applyInterruption(st: Ec2State, scope: Scope, instanceId: string): void {
  const rec = st.interruptions.get(scope, instanceId);
  const i = st.instances.get(scope, instanceId);
  if (!rec || rec.done) return;
  st.interruptions.put(scope, instanceId, { ...rec, done: true });
  if (!i) return;
  const state = st.instanceState(i);
  if (state !== 'running' && state !== 'pending') return;
  const r = i.spotRequestId ? st.spotRequests.get(scope, i.spotRequestId) : undefined;
  const at = new Date(st.now()).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
  if (rec.action === 'terminate') {
    i.reason = `Service initiated (${at})`;
    i.stateReason = { Code: 'Server.SpotInstanceTermination', Message: 'Server.SpotInstanceTermination: Spot instance termination' };
    release(st, scope, i);
    setState(st, scope, i, 'shutting-down');
  } else {
    i.reason = `Service initiated (${at})`;
    i.stateReason = { Code: 'Server.SpotInstanceShutdown', Message: 'Server.SpotInstanceShutdown: Spot instance shutdown' };
    const eni = st.enis.get(scope, i.eniId);
    if (eni?.publicIp) st.enis.put(scope, eni.id, { ...eni, publicIp: undefined });
    setState(st, scope, i, 'stopping');
  }
  if (r) {
    const code = rec.action === 'terminate' ? 'instance-terminated-no-capacity' : rec.action === 'stop' ? 'instance-stopped-no-capacity' : 'instance-hibernated-no-capacity';
    const next = rec.action !== 'terminate' ? 'disabled' : r.type === 'persistent' ? 'open' : 'closed';
    Object.assign(r, { state: next, statusCode: code, statusMessage: MESSAGES[code], statusAt: st.now() });
    st.spotRequests.put(scope, r.id, r);
  }
}

/** The instance metadata document `spot/instance-action`, while a notice stands. */
export function instanceAction(st: Ec2State, scope: Scope, instanceId: string): { action: string; time: string } | undefined {
  const rec = st.interruptions.get(scope, instanceId);
  if (!rec) return undefined;
  return { action: rec.action, time: new Date(rec.actionAt).toISOString().replace(/\.\d+Z$/, 'Z') };
}

/** Interruption notices that were pending when the service (re)started. */
export function rearmInterruptions(st: Ec2State): void {
  for (const [scope, recs] of st.interruptions.allScopes()) for (const rec of [...recs.values()]) armInterruption(st, scope, rec);
}

