/**
 * RunInstances (client token idempotency and launch templates here, the launch itself in
 * launch.ts) and DescribeInstances, with the helpers launches share: tags per resource type, image
 * lookup, EBS volume plans from the image and BlockDeviceMappings. States advance on the virtual
 * clock (see Ec2State.instanceState).
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate } from '../common.js';
import { formatIp4 } from '../domain/cidr.js';
import type { ImageRec } from '../domain/images.js';
import { INSTANCE_SHUTTING_DOWN_MS, INSTANCE_VISIBLE_AFTER_TERMINATE_MS, NOT_FOUND, type Ec2State, type InstanceRec } from '../state.js';
import { instanceFilters, renderInstance } from './instance-render.js';
import { validateVolume } from './volumes.js';
import { withLaunchTemplate } from './launch-templates.js';
import { launchableImage } from './image-sharing.js';
import { launch } from './launch.js';

export { launch, type LaunchOptions } from './launch.js';

type Tag = { Key: string; Value: string };

/** Tags per resource type from TagSpecifications (RunInstances tags several types at once). */
export function tagsByType(specs: T.TagSpecification[] | undefined, allowed: string[]): Map<string, Tag[]> {
  const out = new Map<string, Tag[]>();
  for (const s of specs ?? []) {
    const type = s.ResourceType ?? '';
    if (!allowed.includes(type)) throw new AwsError('InvalidParameterValue', `'${type}' is not a valid taggable resource type for this operation.`, 400);
    const list = out.get(type) ?? [];
    for (const t of s.Tags ?? []) {
      if (!t.Key) continue;
      if (t.Key.toLowerCase().startsWith('aws:')) throw new AwsError('InvalidParameterValue', "Tag keys starting with 'aws:' are reserved for internal use", 400);
      const i = list.findIndex((x) => x.Key === t.Key);
      if (i >= 0) list[i] = { Key: t.Key, Value: t.Value ?? '' };
      else list.push({ Key: t.Key, Value: t.Value ?? '' });
    }
    out.set(type, list);
  }
  return out;
}

export const ipNumber = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const randomMac = () => '0e:' + [...randomBytes(5)].map((b) => b.toString(16).padStart(2, '0')).join(':');
/** A public address from Amazon's pool (54.144.0.0/12 here), not one already handed out. */
export function randomPublicIp(): string {
  return formatIp4(((54 << 24) | (randomInt(144, 160) << 16) | randomInt(0, 65536)) >>> 0);
}

export function findImage(st: Ec2State, scope: Scope, id: string | undefined): ImageRec {
  if (!id) throw new AwsError('MissingParameter', 'The request must contain the parameter ImageId', 400);
  if (!/^ami-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id)) throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`, 400);
  const img = launchableImage(st, scope, id);
  if (!img) throw NOT_FOUND.image(id);
  return img;
}

const validInstanceId = (id: string) => /^i-([0-9a-f]{8}|[0-9a-f]{17})$/.test(id);
export function checkInstanceIds(ids: string[] | undefined): void {
  for (const id of ids ?? []) if (!validInstanceId(id)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${id}"`, 400);
}

interface VolumePlan { device: string; size: number; type: string; iops?: number; throughput?: number; deleteOnTermination: boolean; encrypted: boolean; kmsKeyId?: string; snapshotId?: string }

export function volumePlans(img: ImageRec, bdms: T.BlockDeviceMapping[] | undefined): VolumePlan[] {
  const root: VolumePlan = { device: img.rootDeviceName, size: img.volumeSize, type: img.volumeType, deleteOnTermination: true, encrypted: false, snapshotId: img.snapshotId };
  const out: VolumePlan[] = [root];
  for (const m of img.extraDevices ?? []) out.push({ device: m.device, size: m.size, type: m.type, deleteOnTermination: m.deleteOnTermination, encrypted: false, snapshotId: m.snapshotId });
  for (const b of bdms ?? []) {
    if (!b.DeviceName) throw new AwsError('MissingParameter', 'The request must contain the parameter BlockDeviceMapping.DeviceName', 400);
    if (!b.Ebs) continue;
    const existing = out.find((p) => p.device === b.DeviceName);
    const p: VolumePlan = existing ?? { device: b.DeviceName, size: 0, type: 'gp2', deleteOnTermination: true, encrypted: false };
    if (b.Ebs.VolumeSize !== undefined) {
      if (existing?.snapshotId && b.Ebs.VolumeSize < existing.size) {
        throw new AwsError('InvalidBlockDeviceMapping', `Volume of size ${b.Ebs.VolumeSize}GB is smaller than snapshot '${existing.snapshotId}', expect size >= ${existing.size}GB`, 400);
      }
      p.size = b.Ebs.VolumeSize;
    }
    if (b.Ebs.VolumeType) {
      p.type = b.Ebs.VolumeType;
      if (!b.Ebs.Iops) delete p.iops;
    }
    if (b.Ebs.Iops !== undefined) p.iops = b.Ebs.Iops;
    if (b.Ebs.Throughput !== undefined) p.throughput = b.Ebs.Throughput;
    if (b.Ebs.DeleteOnTermination !== undefined) p.deleteOnTermination = b.Ebs.DeleteOnTermination;
    if (b.Ebs.Encrypted !== undefined) p.encrypted = b.Ebs.Encrypted;
    if (b.Ebs.KmsKeyId) p.kmsKeyId = b.Ebs.KmsKeyId;
    if (!existing) {
      if (!p.size) throw new AwsError('InvalidBlockDeviceMapping', `The request must contain the parameter size or snapshotId for device ${b.DeviceName}`, 400);
      out.push(p);
    }
  }
  for (const p of out) Object.assign(p, validateVolume({ size: p.size, type: p.type, iops: p.iops, throughput: p.throughput }));
  return out;
}

/** The parameters of a launch that a repeated client token must match. */
function launchHash(input: T.RunInstancesRequest): string {
  const { ClientToken: _t, DryRun: _d, ...rest } = input;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

export function reservationOf(st: Ec2State, scope: Scope, instances: InstanceRec[]): T.Reservation {
  return { ReservationId: instances[0]?.reservationId, OwnerId: scope.account, Groups: [], Instances: instances.map((i) => renderInstance(st, scope, i)) };
}

export function instanceOperations(st: Ec2State) {
  return {
    RunInstances(request: T.RunInstancesRequest, ctx: RequestContext): T.Reservation {
      const scope = st.scope(ctx);
      if (request.ClientToken) {
        const prior = st.tokens.get(scope, `run:${request.ClientToken}`);
        if (prior) {
          if (prior.hash !== launchHash(request)) throw new AwsError('IdempotentParameterMismatch', 'Arguments on this idempotent request are inconsistent with arguments used in previous request(s).', 400);
          return reservationOf(st, scope, prior.instanceIds.flatMap((id) => st.instances.get(scope, id) ?? []));
        }
      }
      const { input, template } = withLaunchTemplate(st, scope, request);
      const reservation = launch(st, scope, input, { template });
      const ids = reservation.Instances!.map((i) => i.InstanceId!);
      if (request.ClientToken) st.tokens.put(scope, `run:${request.ClientToken}`, { reservationId: reservation.ReservationId!, hash: launchHash(request), instanceIds: ids });
      return reservation;
    },

    DescribeInstances(input: T.DescribeInstancesRequest, ctx: RequestContext): T.DescribeInstancesResult {
      const scope = st.scope(ctx);
      checkInstanceIds(input.InstanceIds);
      if (input.InstanceIds?.length && input.MaxResults !== undefined) {
        throw new AwsError('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults', 400);
      }
      dryRun(input);
      purgeTerminated(st, scope);
      let all: InstanceRec[];
      if (input.InstanceIds?.length) {
        const missing = input.InstanceIds.filter((id) => !st.instances.has(scope, id));
        if (missing.length) throw NOT_FOUND.instance(missing.join(', '));
        all = [...new Set(input.InstanceIds)].map((id) => st.instances.get(scope, id)!);
      } else all = [...st.instances.values(scope)];
      const matched = applyFilters(all, input.Filters, instanceFilters(st, scope), (i) => i.tags);
      const { page, NextToken } = paginate(matched, input, 5, 1000);
      const reservations: T.Reservation[] = [];
      let current: InstanceRec[] = [];
      for (const i of page) {
        if (current.length && current[0]!.reservationId !== i.reservationId) {
          reservations.push(reservationOf(st, scope, current));
          current = [];
        }
        current.push(i);
      }
      if (current.length) reservations.push(reservationOf(st, scope, current));
      return { Reservations: reservations, NextToken };
    },
  };
}

/** Terminated instances disappear an hour after they terminated. */
export function purgeTerminated(st: Ec2State, scope: Scope): void {
  const now = st.now();
  for (const i of st.instances.values(scope)) {
    if (i.state === 'shutting-down' && now >= i.since + INSTANCE_SHUTTING_DOWN_MS + INSTANCE_VISIBLE_AFTER_TERMINATE_MS) {
      st.instances.delete(scope, i.id);
    }
  }
}
