// covers: ec2.CreateCapacityReservation ec2.DescribeCapacityReservations ec2.ModifyCapacityReservation ec2.CancelCapacityReservation ec2.AllocateHosts ec2.DescribeHosts ec2.ReleaseHosts ec2.RunInstances ec2.StopInstances ec2.TerminateInstances ec2.DescribeInstances ec2.DescribeReservedInstancesOfferings ec2.PurchaseReservedInstancesOffering ec2.DescribeReservedInstances ec2.ModifyReservedInstances ec2.DescribeReservedInstancesModifications ec2.CreateLaunchTemplate ec2.CreateFleet ec2.DescribeFleets ec2.DescribeFleetInstances ec2.DeleteFleets ec2.RequestSpotFleet ec2.DescribeSpotFleetRequests ec2.DescribeSpotFleetInstances ec2.CancelSpotFleetRequests
import { describe, test, expect } from 'vitest';
import * as E from '@aws-sdk/client-ec2';
import { useGureum, clientConfig, failure } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const ec2 = (account: string) => new E.EC2Client(clientConfig(ctx.g, { credentials: { accessKeyId: account, secretAccessKey: 'test' } }));
const run = (c: E.EC2Client, input: Partial<E.RunInstancesCommandInput>) =>
  c.send(new E.RunInstancesCommand({ ImageId: 'ami-760aaa0f', InstanceType: 'm5.large', MinCount: 1, MaxCount: 1, ...input }));

describe('capacity reservations', () => {
  test('open reservations fill with matching launches, targeted ones only when named; modify, expire, cancel', async () => {
    const c = ec2('360000000001');
    const cr = (await c.send(new E.CreateCapacityReservationCommand({ InstanceType: 'm5.large', InstancePlatform: 'Linux/UNIX', AvailabilityZone: 'us-east-1a', InstanceCount: 2 }))).CapacityReservation!;
    expect(cr).toMatchObject({ InstanceType: 'm5.large', AvailabilityZone: 'us-east-1a', TotalInstanceCount: 2, AvailableInstanceCount: 2, State: 'active', EndDateType: 'unlimited', InstanceMatchCriteria: 'open', Tenancy: 'default' });
    expect(cr.CapacityReservationId).toMatch(/^cr-[0-9a-f]{17}$/);
    const id = cr.CapacityReservationId!;
    const avail = async () => (await c.send(new E.DescribeCapacityReservationsCommand({ CapacityReservationIds: [id] }))).CapacityReservations![0]!.AvailableInstanceCount;

    const a = (await run(c, { Placement: { AvailabilityZone: 'us-east-1a' } })).Instances![0]!;
    expect([a.CapacityReservationId, a.CapacityReservationSpecification?.CapacityReservationPreference]).toEqual([id, 'open']);
    expect(await avail()).toBe(1);
    expect((await run(c, { Placement: { AvailabilityZone: 'us-east-1b' } })).Instances![0]!.CapacityReservationId).toBeUndefined();
    expect((await run(c, { Placement: { AvailabilityZone: 'us-east-1a' }, CapacityReservationSpecification: { CapacityReservationPreference: 'none' } })).Instances![0]!.CapacityReservationId).toBeUndefined();
    expect(await avail()).toBe(1);
    await run(c, { Placement: { AvailabilityZone: 'us-east-1a' } });
    expect(await avail()).toBe(0);
    expect((await run(c, { Placement: { AvailabilityZone: 'us-east-1a' } })).Instances![0]!.CapacityReservationId).toBeUndefined();
    ctx.g.clock.advance(5_000);
    await c.send(new E.StopInstancesCommand({ InstanceIds: [a.InstanceId!] }));
    expect(await avail()).toBe(1);

    // targeted: only launches naming it; the zone follows the reservation
    const t = (await c.send(new E.CreateCapacityReservationCommand({
      InstanceType: 'c5.large', InstancePlatform: 'Linux/UNIX', AvailabilityZone: 'us-east-1c', InstanceCount: 1, InstanceMatchCriteria: 'targeted',
      EndDateType: 'limited', EndDate: new Date(ctx.g.clock.now().getTime() + 3_600_000), TagSpecifications: [{ ResourceType: 'capacity-reservation', Tags: [{ Key: 'team', Value: 'ml' }] }],
    }))).CapacityReservation!;
    expect((await run(c, { InstanceType: 'c5.large', Placement: { AvailabilityZone: 'us-east-1c' } })).Instances![0]!.CapacityReservationId).toBeUndefined();
    const target = { CapacityReservationTarget: { CapacityReservationId: t.CapacityReservationId } };
    const inT = (await run(c, { InstanceType: 'c5.large', CapacityReservationSpecification: target })).Instances![0]!;
    expect([inT.CapacityReservationId, inT.Placement?.AvailabilityZone]).toEqual([t.CapacityReservationId, 'us-east-1c']);
    expect(inT.CapacityReservationSpecification).toEqual({ CapacityReservationTarget: { CapacityReservationId: t.CapacityReservationId } });
    expect((await failure(run(c, { InstanceType: 'c5.large', CapacityReservationSpecification: target }))).name).toBe('ReservationCapacityExceeded');
    expect((await failure(run(c, { InstanceType: 'm5.large', CapacityReservationSpecification: target }))).name).toBe('InvalidParameterCombination');
    await c.send(new E.ModifyCapacityReservationCommand({ CapacityReservationId: t.CapacityReservationId!, InstanceCount: 2 }));
    await run(c, { InstanceType: 'c5.large', CapacityReservationSpecification: target });
    const filtered = await c.send(new E.DescribeCapacityReservationsCommand({ Filters: [{ Name: 'tag:team', Values: ['ml'] }] }));
    expect(filtered.CapacityReservations!.map((r) => [r.TotalInstanceCount, r.AvailableInstanceCount])).toEqual([[2, 0]]);
    ctx.g.clock.advance(3_600_000);
    expect((await c.send(new E.DescribeCapacityReservationsCommand({ CapacityReservationIds: [t.CapacityReservationId!] }))).CapacityReservations![0]!.State).toBe('expired');

    expect((await c.send(new E.CancelCapacityReservationCommand({ CapacityReservationId: id }))).Return).toBe(true);
    expect((await c.send(new E.DescribeCapacityReservationsCommand({ Filters: [{ Name: 'state', Values: ['cancelled'] }] }))).CapacityReservations!.map((r) => r.CapacityReservationId)).toEqual([id]);
    expect((await failure(c.send(new E.CancelCapacityReservationCommand({ CapacityReservationId: id })))).name).toBe('InvalidCapacityReservationId.Unavailable');
    expect(await failure(c.send(new E.DescribeCapacityReservationsCommand({ CapacityReservationIds: ['cr-0123456789abcdef0'] })))).toMatchObject({
      name: 'InvalidCapacityReservationId.NotFound', message: "The capacity reservation ID 'cr-0123456789abcdef0' does not exist",
    });
  });
});

describe('dedicated hosts', () => {
  test('allocate, launch with host tenancy (by id and auto-placement), capacity, release', async () => {
    const c = ec2('360000000002');
    const [h1] = (await c.send(new E.AllocateHostsCommand({ InstanceType: 'm5.large', AvailabilityZone: 'us-east-1a', Quantity: 1 }))).HostIds!;
    const [h2] = (await c.send(new E.AllocateHostsCommand({ InstanceFamily: 'c5', AvailabilityZone: 'us-east-1b', AutoPlacement: 'on' }))).HostIds!;
    expect(h1).toMatch(/^h-[0-9a-f]{17}$/);
    const host = (await c.send(new E.DescribeHostsCommand({ HostIds: [h1!] }))).Hosts![0]!;
    expect(host).toMatchObject({ State: 'available', AutoPlacement: 'off', AvailabilityZone: 'us-east-1a', AllowsMultipleInstanceTypes: 'off' });
    expect(host.HostProperties).toMatchObject({ InstanceType: 'm5.large', TotalVCpus: 96 });
    expect(host.AvailableCapacity).toEqual({ AvailableVCpus: 96, AvailableInstanceCapacity: [{ InstanceType: 'm5.large', AvailableCapacity: 48, TotalCapacity: 48 }] });
    expect((await failure(c.send(new E.AllocateHostsCommand({ InstanceType: 't2.micro', AvailabilityZone: 'us-east-1a' })))).name).toBe('InvalidParameterValue');

    const onHost = (await run(c, { MinCount: 2, MaxCount: 2, Placement: { HostId: h1 } })).Instances!;
    expect(onHost.map((i) => [i.Placement?.Tenancy, i.Placement?.HostId, i.Placement?.AvailabilityZone])).toEqual([['host', h1, 'us-east-1a'], ['host', h1, 'us-east-1a']]);
    expect((await c.send(new E.DescribeHostsCommand({ HostIds: [h1!] }))).Hosts![0]!.AvailableCapacity!.AvailableInstanceCapacity![0]!.AvailableCapacity).toBe(46);
    expect((await failure(run(c, { InstanceType: 'm5.xlarge', Placement: { HostId: h1 } }))).name).toBe('InvalidParameterValue');
    // auto-placement finds the c5 host in its zone; a family host takes any size while vCPUs remain
    const auto = (await run(c, { InstanceType: 'c5.4xlarge', Placement: { Tenancy: 'host' } })).Instances![0]!;
    expect([auto.Placement?.HostId, auto.Placement?.AvailabilityZone]).toEqual([h2, 'us-east-1b']);
    expect((await c.send(new E.DescribeHostsCommand({ HostIds: [h2!] }))).Hosts![0]!.AvailableCapacity!.AvailableVCpus).toBe(96 - 16);
    expect((await failure(run(c, { InstanceType: 'r5.large', Placement: { Tenancy: 'host' } }))).name).toBe('InsufficientHostCapacity');
    const byHost = await c.send(new E.DescribeInstancesCommand({ Filters: [{ Name: 'host-id', Values: [h2!] }] }));
    expect(byHost.Reservations!.flatMap((r) => r.Instances!.map((i) => i.InstanceId))).toEqual([auto.InstanceId]);

    const rel = await c.send(new E.ReleaseHostsCommand({ HostIds: [h1!, 'h-0123456789abcdef0'] }));
    expect(rel.Successful).toEqual([]);
    expect(rel.Unsuccessful!.map((u) => [u.ResourceId, u.Error?.Code])).toEqual([[h1, 'Client.InvalidHost.Occupied'], ['h-0123456789abcdef0', 'Client.InvalidHostID.NotFound']]);
    await c.send(new E.TerminateInstancesCommand({ InstanceIds: onHost.map((i) => i.InstanceId!) }));
    expect((await c.send(new E.ReleaseHostsCommand({ HostIds: [h1!] }))).Successful).toEqual([h1]);
    expect((await c.send(new E.DescribeHostsCommand({ Filter: [{ Name: 'state', Values: ['released'] }] }))).Hosts!.map((h) => h.HostId)).toEqual([h1]);
  });
});

describe('reserved instances', () => {
  test('deterministic offerings, purchase (payment-pending → active), modify size and zone within the footprint', async () => {
    const c = ec2('360000000003');
    const q = { InstanceType: 'm5.large' as E._InstanceType, ProductDescription: 'Linux/UNIX' as E.RIProductDescription, OfferingClass: 'standard' as E.OfferingClassType, InstanceTenancy: 'default' as E.Tenancy };
    const offers = (await c.send(new E.DescribeReservedInstancesOfferingsCommand({ ...q, OfferingType: 'All Upfront' }))).ReservedInstancesOfferings!;
    expect(offers.map((o) => o.Duration)).toEqual([31536000, 94608000]);
    const again = (await c.send(new E.DescribeReservedInstancesOfferingsCommand({ ...q, OfferingType: 'All Upfront' }))).ReservedInstancesOfferings!;
    expect(again.map((o) => o.ReservedInstancesOfferingId)).toEqual(offers.map((o) => o.ReservedInstancesOfferingId));
    const oneYear = offers[0]!;
    expect(oneYear).toMatchObject({ Scope: 'Region', CurrencyCode: 'USD', OfferingClass: 'standard', OfferingType: 'All Upfront', RecurringCharges: [], Marketplace: false });
    expect(oneYear.ReservedInstancesOfferingId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const noUpfront = (await c.send(new E.DescribeReservedInstancesOfferingsCommand({ ...q, OfferingType: 'No Upfront', MaxDuration: 31536000 }))).ReservedInstancesOfferings!;
    expect(noUpfront.map((o) => [o.FixedPrice, o.RecurringCharges![0]!.Frequency])).toEqual([[0, 'Hourly']]);
    expect(noUpfront[0]!.RecurringCharges![0]!.Amount! * 8760).toBeGreaterThan(oneYear.FixedPrice!);
    const zonal = (await c.send(new E.DescribeReservedInstancesOfferingsCommand({ ...q, AvailabilityZone: 'us-east-1b', Filters: [{ Name: 'scope', Values: ['Availability Zone'] }] }))).ReservedInstancesOfferings!;
    expect(new Set(zonal.map((o) => o.AvailabilityZone))).toEqual(new Set(['us-east-1b']));

    expect((await failure(c.send(new E.PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: oneYear.ReservedInstancesOfferingId!, InstanceCount: 2, LimitPrice: { Amount: 1, CurrencyCode: 'USD' } })))).name).toBe('ReservedInstancesLimitPriceExceeded');
    const ri = (await c.send(new E.PurchaseReservedInstancesOfferingCommand({ ReservedInstancesOfferingId: oneYear.ReservedInstancesOfferingId!, InstanceCount: 2 }))).ReservedInstancesId!;
    const described = async () => (await c.send(new E.DescribeReservedInstancesCommand({}))).ReservedInstances!;
    expect((await described()).map((r) => [r.ReservedInstancesId, r.State, r.InstanceCount, r.InstanceType, r.Duration])).toEqual([[ri, 'payment-pending', 2, 'm5.large', 31536000]]);
    expect((await failure(c.send(new E.ModifyReservedInstancesCommand({ ReservedInstancesIds: [ri], TargetConfigurations: [{ InstanceType: 'm5.xlarge', InstanceCount: 1 }] })))).name).toBe('InvalidParameterValue');
    ctx.g.clock.advance(60_000);
    const r0 = (await described())[0]!;
    expect(r0.State).toBe('active');
    expect(r0.End!.getTime() - r0.Start!.getTime()).toBe(31536000 * 1000);

    // 2 × large = 1 × xlarge (footprint 8); anything else is refused
    expect((await failure(c.send(new E.ModifyReservedInstancesCommand({ ReservedInstancesIds: [ri], TargetConfigurations: [{ InstanceType: 'm5.2xlarge', InstanceCount: 1 }] })))).message).toContain('footprint');
    expect((await failure(c.send(new E.ModifyReservedInstancesCommand({ ReservedInstancesIds: [ri], TargetConfigurations: [{ InstanceType: 'c5.xlarge', InstanceCount: 1 }] })))).name).toBe('InvalidParameterValue');
    const mod = (await c.send(new E.ModifyReservedInstancesCommand({ ReservedInstancesIds: [ri], ClientToken: 'mod-1', TargetConfigurations: [{ InstanceType: 'm5.xlarge', InstanceCount: 1, AvailabilityZone: 'us-east-1a', Scope: 'Availability Zone' }] }))).ReservedInstancesModificationId!;
    expect(mod).toMatch(/^rimod-/);
    expect((await c.send(new E.ModifyReservedInstancesCommand({ ReservedInstancesIds: [ri], ClientToken: 'mod-1', TargetConfigurations: [{ InstanceType: 'm5.xlarge', InstanceCount: 1 }] }))).ReservedInstancesModificationId).toBe(mod);
    const mods = async () => (await c.send(new E.DescribeReservedInstancesModificationsCommand({ ReservedInstancesModificationIds: [mod] }))).ReservedInstancesModifications![0]!;
    expect((await mods()).Status).toBe('processing');
    ctx.g.clock.advance(60_000);
    const done = await mods();
    expect(done.Status).toBe('fulfilled');
    const newId = done.ModificationResults![0]!.ReservedInstancesId!;
    const after = await described();
    expect(after.map((r) => [r.ReservedInstancesId, r.State, r.InstanceType, r.InstanceCount, r.Scope, r.AvailabilityZone]).sort()).toEqual([
      [newId, 'active', 'm5.xlarge', 1, 'Availability Zone', 'us-east-1a'],
      [ri, 'retired', 'm5.large', 2, 'Region', undefined],
    ].sort());
    expect(after.find((r) => r.ReservedInstancesId === newId)!.End).toEqual(r0.End);
  });
});

describe('EC2 Fleet and Spot Fleet', () => {
  async function template(c: E.EC2Client, name: string) {
    return (await c.send(new E.CreateLaunchTemplateCommand({ LaunchTemplateName: name, LaunchTemplateData: { ImageId: 'ami-760aaa0f', InstanceType: 't3.micro' } }))).LaunchTemplate!.LaunchTemplateId!;
  }

  test('instant fleet: On-Demand by lowest price with weights, Spot by lowest Spot price; maintain replaces; delete terminates', async () => {
    const c = ec2('360000000004');
    const lt = await template(c, 'web');
    const spec = { LaunchTemplateId: lt, Version: '$Latest' };
    const instant = await c.send(new E.CreateFleetCommand({
      Type: 'instant', TargetCapacitySpecification: { TotalTargetCapacity: 6, OnDemandTargetCapacity: 4, DefaultTargetCapacityType: 'spot' },
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: spec, Overrides: [{ InstanceType: 'm5.xlarge', WeightedCapacity: 2 }, { InstanceType: 'm5.large', WeightedCapacity: 1 }] }],
    }));
    expect(instant.FleetId).toMatch(/^fleet-/);
    expect(instant.Errors).toEqual([]);
    const onDemand = instant.Instances!.filter((g) => g.Lifecycle === 'on-demand');
    const spot = instant.Instances!.filter((g) => g.Lifecycle === 'spot');
    expect(onDemand.reduce((n, g) => n + g.InstanceIds!.length * (g.InstanceType === 'm5.xlarge' ? 2 : 1), 0)).toBeGreaterThanOrEqual(4);
    expect(spot.reduce((n, g) => n + g.InstanceIds!.length * (g.InstanceType === 'm5.xlarge' ? 2 : 1), 0)).toBeGreaterThanOrEqual(2);
    const spotIds = spot.flatMap((g) => g.InstanceIds!);
    const spotInstances = (await c.send(new E.DescribeInstancesCommand({ InstanceIds: spotIds }))).Reservations!.flatMap((r) => r.Instances!);
    expect(spotInstances.every((i) => i.InstanceLifecycle === 'spot' && i.SpotInstanceRequestId?.startsWith('sir-'))).toBe(true);
    const fleet = (await c.send(new E.DescribeFleetsCommand({ FleetIds: [instant.FleetId!] }))).Fleets![0]!;
    expect(fleet).toMatchObject({ Type: 'instant', FleetState: 'active', ActivityStatus: 'fulfilled', FulfilledOnDemandCapacity: onDemand.reduce((n, g) => n + g.InstanceIds!.length * (g.InstanceType === 'm5.xlarge' ? 2 : 1), 0) });

    const maintained = (await c.send(new E.CreateFleetCommand({
      Type: 'maintain', TargetCapacitySpecification: { TotalTargetCapacity: 2, DefaultTargetCapacityType: 'on-demand' },
      OnDemandOptions: { AllocationStrategy: 'prioritized' },
      LaunchTemplateConfigs: [{ LaunchTemplateSpecification: spec, Overrides: [{ InstanceType: 'c5.large', Priority: 2 }, { InstanceType: 'r5.large', Priority: 1 }] }],
    }))).FleetId!;
    const members = async () => (await c.send(new E.DescribeFleetInstancesCommand({ FleetId: maintained }))).ActiveInstances!;
    const first = await members();
    expect(first.map((i) => i.InstanceType)).toEqual(['r5.large', 'r5.large']);
    await c.send(new E.TerminateInstancesCommand({ InstanceIds: [first[0]!.InstanceId!] }));
    const replaced = await members();
    expect(replaced.length).toBe(2);
    expect(replaced.map((i) => i.InstanceId)).not.toContain(first[0]!.InstanceId);

    const del = await c.send(new E.DeleteFleetsCommand({ FleetIds: [maintained, 'fleet-00000000-0000-4000-a000-000000000000'], TerminateInstances: true }));
    expect(del.SuccessfulFleetDeletions).toEqual([{ FleetId: maintained, PreviousFleetState: 'active', CurrentFleetState: 'deleted_terminating' }]);
    expect(del.UnsuccessfulFleetDeletions![0]!.Error!.Code).toBe('fleetIdDoesNotExist');
    const gone = (await c.send(new E.DescribeInstancesCommand({ InstanceIds: replaced.map((i) => i.InstanceId!) }))).Reservations!.flatMap((r) => r.Instances!.map((i) => i.State?.Name));
    expect(gone).toEqual(['shutting-down', 'shutting-down']);
  });

  test('Spot Fleet from launch specifications: request, describe, instances, cancel', async () => {
    const c = ec2('360000000005');
    const id = (await c.send(new E.RequestSpotFleetCommand({
      SpotFleetRequestConfig: {
        IamFleetRole: 'arn:aws:iam::360000000005:role/aws-ec2-spot-fleet-tagging-role', TargetCapacity: 3, Type: 'request',
        LaunchSpecifications: [{ ImageId: 'ami-760aaa0f', InstanceType: 'm5.large' }, { ImageId: 'ami-760aaa0f', InstanceType: 'c5.large' }],
      },
    }))).SpotFleetRequestId!;
    expect(id).toMatch(/^sfr-/);
    const cfg = (await c.send(new E.DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: [id] }))).SpotFleetRequestConfigs![0]!;
    expect(cfg).toMatchObject({ SpotFleetRequestState: 'active', ActivityStatus: 'fulfilled' });
    expect(cfg.SpotFleetRequestConfig).toMatchObject({ TargetCapacity: 3, FulfilledCapacity: 3, Type: 'request' });
    const active = (await c.send(new E.DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: id }))).ActiveInstances!;
    expect(active.length).toBe(3);
    expect(active.every((i) => i.SpotInstanceRequestId?.startsWith('sir-'))).toBe(true);
    expect((await failure(c.send(new E.RequestSpotFleetCommand({ SpotFleetRequestConfig: { TargetCapacity: 1, LaunchSpecifications: [] } as unknown as E.SpotFleetRequestConfigData })))).name).toBe('MissingParameter');
    const cancel = await c.send(new E.CancelSpotFleetRequestsCommand({ SpotFleetRequestIds: [id], TerminateInstances: false }));
    expect(cancel.SuccessfulFleetRequests).toEqual([{ SpotFleetRequestId: id, PreviousSpotFleetRequestState: 'active', CurrentSpotFleetRequestState: 'cancelled_running' }]);
    expect((await c.send(new E.DescribeSpotFleetInstancesCommand({ SpotFleetRequestId: id }))).ActiveInstances!.length).toBe(3);
    expect((await failure(c.send(new E.DescribeSpotFleetRequestsCommand({ SpotFleetRequestIds: ['sfr-00000000-0000-4000-a000-000000000000'] })))).name).toBe('InvalidSpotFleetRequestId.NotFound');
  });
});
