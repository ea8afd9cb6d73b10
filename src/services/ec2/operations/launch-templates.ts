/**
 * Launch templates with versions: Create / Describe / Modify (default version) / Delete,
 * CreateLaunchTemplateVersion (optionally from a source version), DescribeLaunchTemplateVersions
 * ($Latest, $Default, ranges), DeleteLaunchTemplateVersions, and RunInstances with a
 * LaunchTemplate (the version's data, overridden by the request's own parameters).
 */
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, bool, dryRun, paginate, type FilterFields } from '../common.js';
import { instanceType } from '../domain/instance-types.js';
import { publicImage } from '../domain/images.js';
import { newId, tagsFor, tagsOut, type Ec2State, type InstanceRec } from '../state.js';
import type { LtRec, LtVersionRec } from '../records.js';

const NAME = /^[a-zA-Z0-9().\-/_]{3,128}$/;
const idNotFound = (id: string) => new AwsError('InvalidLaunchTemplateId.NotFound', `The specified launch template, with template ID ${id}, does not exist.`, 400);
const nameNotFound = (n: string) => new AwsError('InvalidLaunchTemplateName.NotFoundException', `The specified launch template, with template name ${n}, does not exist.`, 400);
const versionNotFound = (id: string, v: string) =>
  new AwsError('InvalidLaunchTemplateId.VersionNotFound', `The specified launch template version, with template ID ${id} and version ${v}, does not exist.`, 400);

function checkName(name: string | undefined): string {
  if (!name) throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateName', 400);
  if (!NAME.test(name)) {
    throw new AwsError(
      'InvalidLaunchTemplateName.MalformedException',
      "A launch template name must be between 3 and 128 characters, and may contain letters, numbers, and the following characters: - ( ) . / _.'",
      400,
    );
  }
  return name;
}

/** Finds a template by id or name (exactly one of them). */
export function findTemplate(st: Ec2State, scope: Scope, ref: { LaunchTemplateId?: string; LaunchTemplateName?: string }): LtRec {
  if (ref.LaunchTemplateId && ref.LaunchTemplateName) {
    throw new AwsError('InvalidParameterCombination', 'Specify either the launch template ID or the launch template name, not both.', 400);
  }
  if (ref.LaunchTemplateId) {
    const t = st.launchTemplates.get(scope, ref.LaunchTemplateId);
    if (!t) throw idNotFound(ref.LaunchTemplateId);
    return t;
  }
  if (ref.LaunchTemplateName) {
    const t = [...st.launchTemplates.values(scope)].find((x) => x.name === ref.LaunchTemplateName);
    if (!t) throw nameNotFound(ref.LaunchTemplateName);
    return t;
  }
  throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateName or LaunchTemplateId', 400);
}

/** `$Latest`, `$Default` or a number (undefined means the default version). */
export function findVersion(t: LtRec, v: string | undefined): LtVersionRec {
  const n = v === undefined || v === '$Default' ? t.defaultVersion : v === '$Latest' ? t.latestVersion : Number(v);
  const found = Number.isInteger(n) ? t.versions.find((x) => x.number === n) : undefined;
  if (!found) throw versionNotFound(t.id, v ?? String(t.defaultVersion));
  return found;
}

function renderTemplate(t: LtRec): T.LaunchTemplate {
  return {
    CreateTime: new Date(t.createdAt), CreatedBy: t.createdBy, DefaultVersionNumber: t.defaultVersion, LatestVersionNumber: t.latestVersion,
    LaunchTemplateId: t.id, LaunchTemplateName: t.name, Tags: tagsOut(t.tags),
  };
}

function renderVersion(t: LtRec, v: LtVersionRec): T.LaunchTemplateVersion {
  return {
    CreateTime: new Date(v.createdAt), CreatedBy: t.createdBy, DefaultVersion: v.number === t.defaultVersion, LaunchTemplateData: v.data as T.ResponseLaunchTemplateData,
    LaunchTemplateId: t.id, LaunchTemplateName: t.name, VersionDescription: v.description, VersionNumber: v.number,
  };
}

/** AWS accepts template data it cannot launch and answers a warning instead. */
function warnings(st: Ec2State, scope: Scope, d: T.RequestLaunchTemplateData): T.ValidationWarning | undefined {
  const errors: T.ValidationError[] = [];
  if (d.ImageId && !publicImage(scope.region, d.ImageId) && !st.images.has(scope, d.ImageId)) {
    errors.push({ Code: 'InvalidAmiID.NotFound', Message: `The image id '[${d.ImageId}]' does not exist` });
  }
  if (d.InstanceType && !instanceType(d.InstanceType)) errors.push({ Code: 'InvalidInstanceType', Message: `The instance type '${d.InstanceType}' does not exist` });
  return errors.length ? { Errors: errors } : undefined;
}

function checkData(d: T.RequestLaunchTemplateData | undefined): T.RequestLaunchTemplateData {
  if (!d) throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateData', 400);
  if (d.UserData !== undefined && !/^[A-Za-z0-9+/]*={0,2}$/.test(d.UserData.replace(/\s+/g, ''))) {
    throw new AwsError('InvalidUserData.Malformed', 'User data is not valid base64.', 400);
  }
  return JSON.parse(JSON.stringify(d)) as T.RequestLaunchTemplateData;
}

const VERSION_FILTERS: FilterFields<T.LaunchTemplateVersion> = {
  'create-time': (v) => v.CreateTime?.toISOString(),
  'ebs-optimized': (v) => (v.LaunchTemplateData?.EbsOptimized === undefined ? undefined : bool(v.LaunchTemplateData.EbsOptimized)),
  'iam-instance-profile': (v) => v.LaunchTemplateData?.IamInstanceProfile?.Arn ?? v.LaunchTemplateData?.IamInstanceProfile?.Name,
  'image-id': (v) => v.LaunchTemplateData?.ImageId,
  'instance-type': (v) => v.LaunchTemplateData?.InstanceType,
  'is-default-version': (v) => bool(!!v.DefaultVersion),
  'kernel-id': (v) => v.LaunchTemplateData?.KernelId,
  'ram-disk-id': (v) => v.LaunchTemplateData?.RamDiskId,
};

export function launchTemplateOperations(st: Ec2State) {
  return {
    CreateLaunchTemplate(input: T.CreateLaunchTemplateRequest, ctx: RequestContext): T.CreateLaunchTemplateResult {
      const scope = st.scope(ctx);
      const name = checkName(input.LaunchTemplateName);
      const data = checkData(input.LaunchTemplateData);
      if ([...st.launchTemplates.values(scope)].some((t) => t.name === name)) {
        throw new AwsError('InvalidLaunchTemplateName.AlreadyExistsException', 'Launch template name already in use.', 400);
      }
      const tags = tagsFor(input.TagSpecifications, 'launch-template');
      dryRun(input);
      const now = st.now();
      const t: LtRec = {
        id: newId('lt'), name, defaultVersion: 1, latestVersion: 1, createdAt: now, createdBy: `arn:aws:iam::${scope.account}:root`,
        versions: [{ number: 1, description: input.VersionDescription, data: data as Record<string, unknown>, createdAt: now }], tags,
      };
      st.launchTemplates.put(scope, t.id, t);
      return { LaunchTemplate: renderTemplate(t), Warning: warnings(st, scope, data) };
    },

    CreateLaunchTemplateVersion(input: T.CreateLaunchTemplateVersionRequest, ctx: RequestContext): T.CreateLaunchTemplateVersionResult {
      const scope = st.scope(ctx);
      const t = findTemplate(st, scope, input);
      const given = checkData(input.LaunchTemplateData);
      // A version made from a source version keeps its parameters except those given.
      const data = input.SourceVersion !== undefined ? { ...findVersion(t, input.SourceVersion).data, ...given } : given;
      dryRun(input);
      const v: LtVersionRec = { number: t.latestVersion + 1, description: input.VersionDescription, data: data as Record<string, unknown>, createdAt: st.now() };
      t.versions.push(v);
      t.latestVersion = v.number;
      st.launchTemplates.put(scope, t.id, t);
      return { LaunchTemplateVersion: renderVersion(t, v), Warning: warnings(st, scope, data) };
    },

    ModifyLaunchTemplate(input: T.ModifyLaunchTemplateRequest, ctx: RequestContext): T.ModifyLaunchTemplateResult {
      const scope = st.scope(ctx);
      const t = findTemplate(st, scope, input);
      const v = input.DefaultVersion !== undefined ? findVersion(t, input.DefaultVersion) : undefined;
      dryRun(input);
      if (v) t.defaultVersion = v.number;
      st.launchTemplates.put(scope, t.id, t);
      return { LaunchTemplate: renderTemplate(t) };
    },

    DeleteLaunchTemplate(input: T.DeleteLaunchTemplateRequest, ctx: RequestContext): T.DeleteLaunchTemplateResult {
      const scope = st.scope(ctx);
      const t = findTemplate(st, scope, input);
      dryRun(input);
      st.launchTemplates.delete(scope, t.id);
      return { LaunchTemplate: renderTemplate(t) };
    },

    DescribeLaunchTemplates(input: T.DescribeLaunchTemplatesRequest, ctx: RequestContext): T.DescribeLaunchTemplatesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.launchTemplates.values(scope)];
      for (const id of input.LaunchTemplateIds ?? []) if (!all.some((t) => t.id === id)) throw idNotFound(id);
      for (const n of input.LaunchTemplateNames ?? []) if (!all.some((t) => t.name === n)) throw nameNotFound(n);
      if (input.LaunchTemplateIds?.length) all = all.filter((t) => input.LaunchTemplateIds!.includes(t.id));
      if (input.LaunchTemplateNames?.length) all = all.filter((t) => input.LaunchTemplateNames!.includes(t.name));
      const out = applyFilters(all.map(renderTemplate), input.Filters, {
        'create-time': (t) => t.CreateTime?.toISOString(), 'launch-template-name': (t) => t.LaunchTemplateName,
      }, (t) => t.Tags);
      const { page, NextToken } = paginate(out, input, 1, 200);
      return { LaunchTemplates: page, NextToken };
    },

    DescribeLaunchTemplateVersions(input: T.DescribeLaunchTemplateVersionsRequest, ctx: RequestContext): T.DescribeLaunchTemplateVersionsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const templates = input.LaunchTemplateId || input.LaunchTemplateName ? [findTemplate(st, scope, input)] : [...st.launchTemplates.values(scope)];
      let versions: [LtRec, LtVersionRec][] = templates.flatMap((t) => t.versions.map((v) => [t, v] as [LtRec, LtVersionRec]));
      if (input.Versions?.length) {
        if (templates.length !== 1) throw new AwsError('MissingParameter', 'The request must contain the parameter LaunchTemplateName or LaunchTemplateId', 400);
        const wanted = input.Versions.map((v) => findVersion(templates[0]!, v).number);
        versions = versions.filter(([, v]) => wanted.includes(v.number));
      }
      const min = input.MinVersion !== undefined ? Number(input.MinVersion) : undefined;
      const max = input.MaxVersion !== undefined ? Number(input.MaxVersion) : undefined;
      versions = versions.filter(([, v]) => (min === undefined || v.number >= min) && (max === undefined || v.number <= max));
      const out = applyFilters(versions.sort((a, b) => b[1].number - a[1].number).map(([t, v]) => renderVersion(t, v)), input.Filters, VERSION_FILTERS);
      const { page, NextToken } = paginate(out, input, 1, 200);
      return { LaunchTemplateVersions: page, NextToken };
    },

    DeleteLaunchTemplateVersions(input: T.DeleteLaunchTemplateVersionsRequest, ctx: RequestContext): T.DeleteLaunchTemplateVersionsResult {
      const scope = st.scope(ctx);
      const t = findTemplate(st, scope, input);
      dryRun(input);
      const ok: T.DeleteLaunchTemplateVersionsResponseSuccessItem[] = [];
      const failed: T.DeleteLaunchTemplateVersionsResponseErrorItem[] = [];
      for (const raw of input.Versions ?? []) {
        const n = Number(raw);
        const base = { LaunchTemplateId: t.id, LaunchTemplateName: t.name, VersionNumber: Number.isInteger(n) ? n : undefined };
        if (!Number.isInteger(n) || !t.versions.some((v) => v.number === n)) {
          failed.push({ ...base, ResponseError: { Code: 'launchTemplateVersionDoesNotExist', Message: `The specified launch template version, with template ID ${t.id} and version ${raw}, does not exist.` } });
        } else if (n === t.defaultVersion) {
          failed.push({ ...base, ResponseError: { Code: 'unexpectedError', Message: 'Cannot delete the default version of a launch template. Set another version as the default first.' } });
        } else {
          t.versions = t.versions.filter((v) => v.number !== n);
          ok.push(base);
        }
      }
      st.launchTemplates.put(scope, t.id, t);
      return { SuccessfullyDeletedLaunchTemplateVersions: ok, UnsuccessfullyDeletedLaunchTemplateVersions: failed };
    },
  };
}

/**
 * RunInstances with a LaunchTemplate: the version's data, overridden by the request's own
 * parameters (tags of the same resource type are merged, the request's values winning).
 */
export function withLaunchTemplate(st: Ec2State, scope: Scope, request: T.RunInstancesRequest): { input: T.RunInstancesRequest; template?: InstanceRec['launchTemplate'] } {
  const spec = request.LaunchTemplate;
  if (!spec) return { input: request };
  const t = findTemplate(st, scope, spec);
  const v = findVersion(t, spec.Version);
  const d = v.data as T.RequestLaunchTemplateData;
  const fromTemplate: Partial<T.RunInstancesRequest> = {
    ImageId: d.ImageId, InstanceType: d.InstanceType, KeyName: d.KeyName, SecurityGroupIds: d.SecurityGroupIds, SecurityGroups: d.SecurityGroups,
    UserData: d.UserData, BlockDeviceMappings: d.BlockDeviceMappings as T.BlockDeviceMapping[] | undefined,
    NetworkInterfaces: d.NetworkInterfaces as T.InstanceNetworkInterfaceSpecification[] | undefined, IamInstanceProfile: d.IamInstanceProfile,
    Placement: d.Placement as T.Placement | undefined, Monitoring: d.Monitoring as T.RunInstancesMonitoringEnabled | undefined,
    DisableApiTermination: d.DisableApiTermination, DisableApiStop: d.DisableApiStop, InstanceInitiatedShutdownBehavior: d.InstanceInitiatedShutdownBehavior,
    EbsOptimized: d.EbsOptimized, MetadataOptions: d.MetadataOptions as T.InstanceMetadataOptionsRequest | undefined, CpuOptions: d.CpuOptions as T.CpuOptionsRequest | undefined,
    InstanceMarketOptions: d.InstanceMarketOptions as T.InstanceMarketOptionsRequest | undefined,
  };
  const given = Object.fromEntries(Object.entries(request).filter(([k, x]) => x !== undefined && k !== 'LaunchTemplate' && k !== 'TagSpecifications'));
  const input: T.RunInstancesRequest = { ...(Object.fromEntries(Object.entries(fromTemplate).filter(([, x]) => x !== undefined)) as object), ...given } as T.RunInstancesRequest;
  // The request's subnet or groups replace the template's interface specification.
  if ((request.SubnetId || request.SecurityGroupIds?.length) && !request.NetworkInterfaces && input.NetworkInterfaces) {
    const [primary] = input.NetworkInterfaces;
    delete input.NetworkInterfaces;
    if (primary?.SubnetId && !input.SubnetId) input.SubnetId = primary.SubnetId;
    if (primary?.Groups && !input.SecurityGroupIds) input.SecurityGroupIds = primary.Groups;
  }
  const tags = new Map<string, T.Tag[]>();
  for (const s of [...(d.TagSpecifications ?? []), ...(request.TagSpecifications ?? [])]) {
    const list = tags.get(s.ResourceType ?? '') ?? [];
    for (const tag of s.Tags ?? []) {
      const i = list.findIndex((x) => x.Key === tag.Key);
      if (i >= 0) list[i] = tag;
      else list.push(tag);
    }
    tags.set(s.ResourceType ?? '', list);
  }
  if (tags.size) input.TagSpecifications = [...tags].map(([ResourceType, Tags]) => ({ ResourceType, Tags }));
  return { input, template: { id: t.id, name: t.name, version: String(v.number) } };
}
