/**
 * Images beyond CreateImage: RegisterImage (from an EBS snapshot), CopyImage (from another region of
 * the account, or a public/shared image there; new snapshots, pending → available on the clock),
 * launch permissions (Describe/Modify/ResetImageAttribute): an image shared with an account, or
 * with `all`, is listed by that account's DescribeImages and launchable there.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { dryRun } from '../common.js';
import { publicImage, type ImageRec } from '../domain/images.js';
import { newId, SNAPSHOT_PENDING_MS, type Ec2State, type SnapshotRec } from '../state.js';
import { tagsByType } from './instances.js';
import { imageState, renderImage } from './images.js';
import { ebsDefaults } from './ebs-settings.js';
import { visibleSnapshot } from './snapshot-sharing.js';

const ACCOUNT = /^\d{12}$/;
const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const live = (i: ImageRec) => i.state !== 'deregistered';

/** Images of other accounts in this region that this account may launch. */
export function sharedImages(st: Ec2State, scope: Scope): ImageRec[] {
  const out: ImageRec[] = [];
  for (const [s, m] of st.images.allScopes()) {
    if (s.region !== scope.region || s.account === scope.account) continue;
    for (const i of m.values()) if (live(i) && (i.launchPublic || i.launchUsers?.includes(scope.account))) out.push(i);
  }
  return out;
}

/** An image this account can launch or copy: public catalogue, own, or shared with it. */
export function launchableImage(st: Ec2State, scope: Scope, id: string): ImageRec | undefined {
  const own = st.images.get(scope, id);
  if (own && live(own)) return own;
  return publicImage(scope.region, id) ?? sharedImages(st, scope).find((i) => i.id === id);
}

export function checkImageName(st: Ec2State, scope: Scope, name: string | undefined): string {
  if (!name || !/^[A-Za-z0-9()[\] ./\-'@_]{3,128}$/.test(name)) {
    throw new AwsError('InvalidAMIName.Malformed', `AMI names must be between 3 and 128 characters long, and may contain letters, numbers, '(', ')', '.', '-', '/' and '_'`, 400);
  }
  const dup = [...st.images.values(scope)].find((i) => i.name === name && live(i));
  if (dup) throw new AwsError('InvalidAMIName.Duplicate', `AMI name ${name} is already in use by AMI ${dup.id}`, 400);
  return name;
}

function ownImage(st: Ec2State, scope: Scope, id: string | undefined): ImageRec {
  if (!id || !AMI_ID.test(id)) throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${id}" (expecting "ami-...")`, 400);
  const img = st.images.get(scope, id);
  if (img && live(img)) return img;
  if (launchableImage(st, scope, id)) throw new AwsError('AuthFailure', `Not authorized for image:${id}`, 400);
  throw new AwsError('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`, 400);
}

const newImageId = () => 'ami-' + newId('x').slice(2);
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, '.000Z');

export function imageSharingOperations(st: Ec2State) {
  return {
    RegisterImage(input: T.RegisterImageRequest, ctx: RequestContext): T.RegisterImageResult {
      const scope = st.scope(ctx);
      const name = checkImageName(st, scope, input.Name);
      if (input.ImageLocation) {
        throw new AwsError('InvalidParameterValue', 'Instance store-backed AMIs (ImageLocation) are not supported; register an EBS-backed AMI from a snapshot.', 400);
      }
      const bdms = input.BlockDeviceMappings ?? [];
      const rootName = input.RootDeviceName;
      if (!rootName) throw new AwsError('MissingParameter', 'The request must contain the parameter rootDeviceName', 400);
      const root = bdms.find((b) => b.DeviceName === rootName);
      if (!root?.Ebs?.SnapshotId) {
        throw new AwsError('InvalidBlockDeviceMapping', `The device '${rootName}' given as the root device name must have a block device mapping with an EBS snapshot.`, 400);
      }
      const arch = input.Architecture ?? 'i386';
      if (!['i386', 'x86_64', 'arm64', 'x86_64_mac', 'arm64_mac'].includes(arch)) {
        throw new AwsError('InvalidParameterValue', `Value (${arch}) for parameter architecture is invalid. Valid values are: i386 | x86_64 | arm64 | x86_64_mac | arm64_mac`, 400);
      }
      const snapOf = (id: string) => {
        const { snap } = visibleSnapshot(st, scope, id);
        if (st.now() < snap.startedAt + SNAPSHOT_PENDING_MS) throw new AwsError('IncorrectState', `Snapshot '${id}' is not in the 'completed' state.`, 400);
        return snap;
      };
      const rootSnap = snapOf(root.Ebs.SnapshotId);
      const extra: NonNullable<ImageRec['extraDevices']> = [];
      const ephemeral: NonNullable<ImageRec['ephemeralDevices']> = [];
      for (const b of bdms) {
        if (b === root) continue;
        if (b.VirtualName) ephemeral.push({ device: b.DeviceName!, virtualName: b.VirtualName });
        else if (b.Ebs) {
          const snap = b.Ebs.SnapshotId ? snapOf(b.Ebs.SnapshotId) : undefined;
          const size = b.Ebs.VolumeSize ?? snap?.size;
          if (!size) throw new AwsError('InvalidBlockDeviceMapping', `The request must contain the parameter size or snapshotId for device ${b.DeviceName}`, 400);
          extra.push({ device: b.DeviceName!, snapshotId: snap?.id ?? '', size, type: b.Ebs.VolumeType ?? 'gp2', deleteOnTermination: b.Ebs.DeleteOnTermination ?? true });
        }
      }
      const tags = tagsByType(input.TagSpecifications, ['image']);
      dryRun(input);
      const now = st.now();
      const id = newImageId();
      const img: ImageRec = {
        id, name, description: input.Description ?? '', ownerId: scope.account, architecture: arch, platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
        rootDeviceName: rootName, snapshotId: rootSnap.id, volumeSize: root.Ebs.VolumeSize ?? rootSnap.size, volumeType: root.Ebs.VolumeType ?? 'gp2',
        creationDate: isoSeconds(now), public: false, location: `${scope.account}/${name}`, bootMode: input.BootMode, state: 'pending', createdAt: now,
        tags: tags.get('image') ?? [], extraDevices: extra, ephemeralDevices: ephemeral, virtualizationType: input.VirtualizationType ?? 'paravirtual',
        enaSupport: input.EnaSupport ?? false, sriovNetSupport: input.SriovNetSupport, imdsSupport: input.ImdsSupport, tpmSupport: input.TpmSupport,
      };
      st.images.put(scope, id, img);
      return { ImageId: id };
    },

    CopyImage(input: T.CopyImageRequest, ctx: RequestContext): T.CopyImageResult {
      const scope = st.scope(ctx);
      if (!input.SourceRegion) throw new AwsError('MissingParameter', 'The request must contain the parameter SourceRegion', 400);
      if (!input.SourceImageId || !AMI_ID.test(input.SourceImageId)) throw new AwsError('InvalidAMIID.Malformed', `Invalid id: "${input.SourceImageId}" (expecting "ami-...")`, 400);
      const token = input.ClientToken ? st.tokens.get(scope, `copy-image:${input.ClientToken}`) : undefined;
      if (token) return { ImageId: token.reservationId };
      const from: Scope = { account: scope.account, region: input.SourceRegion };
      const src = launchableImage(st, from, input.SourceImageId);
      if (!src) throw new AwsError('InvalidAMIID.NotFound', `The image id '[${input.SourceImageId}]' does not exist`, 400);
      if (imageState(st, src) !== 'available') throw new AwsError('InvalidAMIID.Unavailable', `AMI '${src.id}' is pending, and cannot be copied`, 400);
      const name = checkImageName(st, scope, input.Name);
      if (input.KmsKeyId && !input.Encrypted) throw new AwsError('InvalidParameterDependency', 'The parameter KmsKeyId requires the parameter Encrypted to be set.', 400);
      const tags = tagsByType(input.TagSpecifications, ['image', 'snapshot']);
      dryRun(input);
      const now = st.now();
      const id = newImageId();
      const defaults = ebsDefaults(st, scope);
      const copySnap = (snapshotId: string, size: number): string => {
        const encrypted = defaults.encrypt || !!input.Encrypted;
        const s: SnapshotRec = {
          id: newId('snap'), volumeId: 'vol-ffffffff', size, encrypted, kmsKeyId: encrypted ? (input.KmsKeyId ?? defaults.kmsKeyId) : undefined, startedAt: now,
          description: `Copied for DestinationAmi ${id} from SourceAmi ${src.id} for SourceSnapshot ${snapshotId}. Task created on ${now}.`, tags: tags.get('snapshot') ?? [],
        };
        st.snapshots.put(scope, s.id, s);
        return s.id;
      };
      const ownSource = src.ownerId === scope.account;
      const img: ImageRec = {
        ...src, id, name, description: input.Description ?? src.description, ownerId: scope.account, alias: undefined, public: false, launchPublic: false, launchUsers: [],
        location: `${scope.account}/${name}`, state: 'pending', createdAt: now, creationDate: isoSeconds(now), ssmName: undefined, sourceInstanceId: undefined,
        snapshotId: copySnap(src.snapshotId, src.volumeSize),
        extraDevices: (src.extraDevices ?? []).map((d) => ({ ...d, snapshotId: d.snapshotId ? copySnap(d.snapshotId, d.size) : '' })),
        tags: [...(input.CopyImageTags && ownSource ? src.tags : []), ...(tags.get('image') ?? [])],
        sourceImageId: src.id, sourceRegion: input.SourceRegion,
      };
      st.images.put(scope, id, img);
      if (input.ClientToken) st.tokens.put(scope, `copy-image:${input.ClientToken}`, { reservationId: id, hash: '', instanceIds: [] });
      return { ImageId: id };
    },

    DescribeImageAttribute(input: T.DescribeImageAttributeRequest, ctx: RequestContext): T.ImageAttribute {
      const scope = st.scope(ctx);
      const img = ownImage(st, scope, input.ImageId);
      dryRun(input);
      const out: T.ImageAttribute = { ImageId: img.id };
      const value = (v: string | undefined) => (v === undefined ? {} : { Value: v });
      switch (input.Attribute) {
        case 'description': out.Description = value(img.description); break;
        case 'kernel': out.KernelId = {}; break;
        case 'ramdisk': out.RamdiskId = {}; break;
        case 'launchPermission':
          out.LaunchPermissions = [...(img.launchPublic ? [{ Group: 'all' }] : []), ...(img.launchUsers ?? []).map((UserId) => ({ UserId }))];
          break;
        case 'productCodes': out.ProductCodes = []; break;
        case 'blockDeviceMapping': out.BlockDeviceMappings = renderImage(st, img).BlockDeviceMappings; break;
        case 'sriovNetSupport': out.SriovNetSupport = value(img.sriovNetSupport ?? 'simple'); break;
        case 'bootMode': out.BootMode = value(img.bootMode); break;
        case 'tpmSupport': out.TpmSupport = value(img.tpmSupport); break;
        case 'uefiData': out.UefiData = {}; break;
        case 'imdsSupport': out.ImdsSupport = value(img.imdsSupport); break;
        case 'lastLaunchedTime': out.LastLaunchedTime = value(img.lastLaunchedAt === undefined ? undefined : new Date(img.lastLaunchedAt).toISOString()); break;
        case 'deregistrationProtection': out.DeregistrationProtection = { Value: 'disabled' }; break;
        default:
          throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
      }
      return out;
    },

    ModifyImageAttribute(input: T.ModifyImageAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const img = ownImage(st, scope, input.ImageId);
      const attr = input.Attribute ?? (input.LaunchPermission ? 'launchPermission' : input.Description ? 'description' : input.ImdsSupport ? 'imdsSupport' : undefined);
      const changes: (() => void)[] = [];
      if (attr === 'description') {
        const d = input.Description?.Value ?? input.Value;
        if (d === undefined) throw new AwsError('MissingParameter', 'The request must contain the parameter description', 400);
        changes.push(() => (img.description = d));
      } else if (attr === 'imdsSupport') {
        const v = input.ImdsSupport?.Value ?? input.Value;
        if (v !== 'v2.0') throw new AwsError('InvalidParameterValue', `Value (${v}) for parameter imdsSupport is invalid. Valid values are: v2.0`, 400);
        changes.push(() => (img.imdsSupport = v));
      } else if (attr === 'launchPermission') {
        const add: T.LaunchPermission[] = [...(input.LaunchPermission?.Add ?? [])];
        const remove: T.LaunchPermission[] = [...(input.LaunchPermission?.Remove ?? [])];
        if (input.OperationType) {
          if (input.OperationType !== 'add' && input.OperationType !== 'remove') throw new AwsError('InvalidParameterValue', `Value (${input.OperationType}) for parameter operationType is invalid.`, 400);
          const list = input.OperationType === 'add' ? add : remove;
          for (const u of input.UserIds ?? []) list.push({ UserId: u });
          for (const g of input.UserGroups ?? []) list.push({ Group: g });
        }
        if (!add.length && !remove.length) throw new AwsError('MissingParameter', 'The request must contain the parameter launchPermission', 400);
        for (const p of [...add, ...remove]) {
          if (p.Group !== undefined && p.Group !== 'all') throw new AwsError('InvalidParameterValue', `Value (${p.Group}) for parameter group is invalid.`, 400);
          if (p.UserId !== undefined && !ACCOUNT.test(p.UserId)) throw new AwsError('InvalidAMIAttributeItemValue', `Invalid attribute item value "${p.UserId}" for userId item type.`, 400);
        }
        changes.push(() => {
          const users = new Set(img.launchUsers ?? []);
          for (const p of add) if (p.UserId) users.add(p.UserId);
          for (const p of remove) if (p.UserId) users.delete(p.UserId);
          img.launchUsers = [...users];
          if (add.some((p) => p.Group === 'all')) img.launchPublic = true;
          if (remove.some((p) => p.Group === 'all')) img.launchPublic = false;
        });
      } else {
        throw new AwsError('InvalidParameterValue', `Value (${attr}) for parameter attribute is invalid. Unknown attribute.`, 400);
      }
      dryRun(input);
      for (const c of changes) c();
      st.images.put(scope, img.id, img);
    },

    ResetImageAttribute(input: T.ResetImageAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const img = ownImage(st, scope, input.ImageId);
      if (input.Attribute !== 'launchPermission') throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Only launchPermission can be reset.`, 400);
      dryRun(input);
      img.launchUsers = [];
      img.launchPublic = false;
      st.images.put(scope, img.id, img);
    },
  };
}
