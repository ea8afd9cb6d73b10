/**
 * Instance lifecycle and views: Start/Stop/Reboot/TerminateInstances with AWS's state-change
 * answers, IncorrectInstanceState and termination/stop protection; DescribeInstanceStatus;
 * Describe/ModifyInstanceAttribute; GetConsoleOutput; DescribeNetworkInterfaces.
 */
import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, pickIds } from '../common.js';
import { instanceType } from '../domain/instance-types.js';
import { INSTANCE_PENDING_MS, INSTANCE_STATUS_INIT_MS, NOT_FOUND, type Ec2State, type InstanceRec } from '../state.js';
import { eniFilters, renderEni, stateOf } from './instance-render.js';
import { checkInstanceIds, purgeTerminated, randomPublicIp } from './instances.js';
import { deleteEni, detach } from './network-interfaces.js';
import { checkVcpuQuota, isStandardFamily, vcpusOf } from '../domain/quotas.js';

function instancesOf(st: Ec2State, scope: Scope, ids: string[] | undefined): InstanceRec[] {
  if (!ids?.length) throw new AwsError('MissingParameter', 'The request must contain the parameter InstanceId', 400);
  checkInstanceIds(ids);
  const missing = ids.filter((id) => !st.instances.has(scope, id));
  if (missing.length) throw NOT_FOUND.instance(missing.join(', '));
  return [...new Set(ids)].map((id) => st.instances.get(scope, id)!);
}

const gmt = (ms: number) => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT');
const USER_SHUTDOWN = { Code: 'Client.UserInitiatedShutdown', Message: 'Client.UserInitiatedShutdown: User initiated shutdown' };

export function setState(st: Ec2State, scope: Scope, i: InstanceRec, state: InstanceRec['state']): void {
  i.state = state;
  i.since = st.now();
  st.instances.put(scope, i.id, i);
}

/** Frees what a terminated instance held: its address and interface, its volumes (deleted or detached). */
export function release(st: Ec2State, scope: Scope, i: InstanceRec): void {
  // Interfaces: deleted with DeleteOnTermination (the default for those RunInstances creates), else detached (available again).
  for (const id of [i.eniId, ...(i.secondaryEnis ?? [])]) {
    const e = st.enis.get(scope, id);
    if (!e) continue;
    if (e.deleteOnTermination) deleteEni(st, scope, e);
    else detach(st, scope, e);
  }
  i.secondaryEnis = [];
  for (const d of i.devices) {
    const v = st.volumes.get(scope, d.volumeId);
    if (!v) continue;
    if (d.deleteOnTermination) st.volumes.delete(scope, v.id);
    else {
      v.attachments = v.attachments.filter((a) => a.instanceId !== i.id);
      st.volumes.put(scope, v.id, v);
    }
  }
}

export function instanceLifecycleOperations(st: Ec2State) {
  return {
    StartInstances(input: T.StartInstancesRequest, ctx: RequestContext): T.StartInstancesResult {
      const scope = st.scope(ctx);
      const list = instancesOf(st, scope, input.InstanceIds);
      for (const i of list) {
        const s = st.instanceState(i);
        if (s !== 'stopped' && s !== 'running' && s !== 'pending') {
          throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be started.`, 400);
        }
      }
      // Starting On-Demand instances takes their vCPUs from the quota again.
      const starting = list.filter((i) => st.instanceState(i) === 'stopped' && !i.spotRequestId && !i.hostId);
      for (const type of new Set(starting.map((i) => i.type))) {
        checkVcpuQuota(st, scope, type, starting.filter((i) => isStandardFamily(i.type)).reduce((n, i) => n + vcpusOf(i), 0));
      }
      dryRun(input);
      return {
        StartingInstances: list.map((i) => {
          const prev = st.instanceState(i);
          if (prev === 'stopped') {
            setState(st, scope, i, 'pending');
            i.launchTime = st.now();
            i.reason = '';
            delete i.stateReason;
            const eni = st.enis.get(scope, i.eniId);
            if (eni?.autoPublic && !eni.publicIp && ![...st.eips.values(scope)].some((a) => a.eniId === eni.id)) {
              eni.publicIp = randomPublicIp();
              st.enis.put(scope, eni.id, eni);
            }
            st.instances.put(scope, i.id, i);
          }
          return { InstanceId: i.id, PreviousState: stateOf(prev), CurrentState: stateOf(st.instanceState(i)) };
        }),
      };
    },

    StopInstances(input: T.StopInstancesRequest, ctx: RequestContext): T.StopInstancesResult {
      const scope = st.scope(ctx);
      const list = instancesOf(st, scope, input.InstanceIds);
      for (const i of list) {
        const s = st.instanceState(i);
        if (s === 'shutting-down' || s === 'terminated' || s === 'pending') {
          throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be stopped.`, 400);
        }
        if (i.disableApiStop && s === 'running') {
          throw new AwsError('OperationNotPermitted', `The instance '${i.id}' may not be stopped. Modify its 'disableApiStop' instance attribute and try again.`, 400);
        }
      }
      dryRun(input);
      return {
        StoppingInstances: list.map((i) => {
          const prev = st.instanceState(i);
          if (prev === 'running') {
            i.reason = `User initiated (${gmt(st.now())})`;
            i.stateReason = USER_SHUTDOWN;
            // Instance store contents do not survive a stop: the instance gets fresh volumes.
            for (const d of i.instanceStore ?? []) d.dataId = randomUUID();
            setState(st, scope, i, 'stopping');
            const eni = st.enis.get(scope, i.eniId);
            if (eni?.publicIp) {
              delete eni.publicIp; // released on stop; an Elastic IP stays
              st.enis.put(scope, eni.id, eni);
            }
          }
          return { InstanceId: i.id, PreviousState: stateOf(prev), CurrentState: stateOf(st.instanceState(i)) };
        }),
      };
    },

    RebootInstances(input: T.RebootInstancesRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      const list = instancesOf(st, scope, input.InstanceIds);
      for (const i of list) {
        const s = st.instanceState(i);
        if (s === 'terminated' || s === 'shutting-down') throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be rebooted.`, 400);
      }
      dryRun(input);
    },

    TerminateInstances(input: T.TerminateInstancesRequest, ctx: RequestContext): T.TerminateInstancesResult {
      const scope = st.scope(ctx);
      const list = instancesOf(st, scope, input.InstanceIds);
      for (const i of list) {
        if (i.disableApiTermination) {
          throw new AwsError('OperationNotPermitted', `The instance '${i.id}' may not be terminated. Modify its 'disableApiTermination' instance attribute and try again.`, 400);
        }
      }
      dryRun(input);
      return {
        TerminatingInstances: list.map((i) => {
          const prev = st.instanceState(i);
          if (prev !== 'terminated' && prev !== 'shutting-down') {
            i.reason = `User initiated (${gmt(st.now())})`;
            i.stateReason = USER_SHUTDOWN;
            release(st, scope, i);
            setState(st, scope, i, 'shutting-down');
          }
          return { InstanceId: i.id, PreviousState: stateOf(prev), CurrentState: stateOf(st.instanceState(i)) };
        }),
      };
    },

    DescribeInstanceStatus(input: T.DescribeInstanceStatusRequest, ctx: RequestContext): T.DescribeInstanceStatusResult {
      const scope = st.scope(ctx);
      checkInstanceIds(input.InstanceIds);
      dryRun(input);
      purgeTerminated(st, scope);
      let all = pickIds([...st.instances.values(scope)], input.InstanceIds, (i) => i.id, NOT_FOUND.instance);
      if (!input.IncludeAllInstances) all = all.filter((i) => st.instanceState(i) === 'running');
      const now = st.now();
      const rows = all.map((i): T.InstanceStatus => {
        const state = st.instanceState(i);
        const runningSince = i.state === 'pending' ? i.since + INSTANCE_PENDING_MS : i.since;
        const check = state !== 'running' ? 'not-applicable' : now >= runningSince + INSTANCE_STATUS_INIT_MS ? 'ok' : 'initializing';
        const detail = check === 'ok' ? 'passed' : check === 'initializing' ? 'initializing' : undefined;
        const summary = (name: string): T.InstanceStatusSummary => ({ Status: check, Details: detail ? [{ Name: name, Status: detail }] : undefined });
        return {
          AvailabilityZone: i.az,
          AvailabilityZoneId: i.azId,
          InstanceId: i.id,
          InstanceState: stateOf(state),
          InstanceStatus: summary('reachability'),
          SystemStatus: summary('reachability'),
          AttachedEbsStatus: { Status: check, Details: detail ? [{ Name: 'reachability', Status: detail }] : undefined },
          Events: [],
        };
      });
      const fields = {
        'availability-zone': (r: T.InstanceStatus) => r.AvailabilityZone,
        'instance-state-name': (r: T.InstanceStatus) => r.InstanceState?.Name,
        'instance-state-code': (r: T.InstanceStatus) => String(r.InstanceState?.Code),
        'instance-status.status': (r: T.InstanceStatus) => r.InstanceStatus?.Status,
        'instance-status.reachability': (r: T.InstanceStatus) => r.InstanceStatus?.Details?.[0]?.Status,
        'system-status.status': (r: T.InstanceStatus) => r.SystemStatus?.Status,
        'system-status.reachability': (r: T.InstanceStatus) => r.SystemStatus?.Details?.[0]?.Status,
      };
      const { page, NextToken } = paginate(applyFilters(rows, input.Filters, fields), input, 5, 1000);
      return { InstanceStatuses: page, NextToken };
    },

    DescribeInstanceAttribute(input: T.DescribeInstanceAttributeRequest, ctx: RequestContext): T.InstanceAttribute {
      const scope = st.scope(ctx);
      checkInstanceIds([input.InstanceId]);
      const i = st.instance(scope, input.InstanceId);
      dryRun(input);
      const out: T.InstanceAttribute = { InstanceId: i.id };
      const eni = st.enis.get(scope, i.eniId);
      switch (input.Attribute) {
        case 'instanceType': out.InstanceType = { Value: i.type }; break;
        case 'kernel': out.KernelId = {}; break;
        case 'ramdisk': out.RamdiskId = {}; break;
        case 'userData': out.UserData = i.userData ? { Value: i.userData } : {}; break;
        case 'disableApiTermination': out.DisableApiTermination = { Value: i.disableApiTermination }; break;
        case 'disableApiStop': out.DisableApiStop = { Value: i.disableApiStop }; break;
        case 'instanceInitiatedShutdownBehavior': out.InstanceInitiatedShutdownBehavior = { Value: i.shutdownBehavior }; break;
        case 'rootDeviceName': out.RootDeviceName = { Value: i.rootDeviceName }; break;
        case 'blockDeviceMapping':
          out.BlockDeviceMappings = i.devices.map((d) => ({ DeviceName: d.device, Ebs: { AttachTime: new Date(d.attachTime), DeleteOnTermination: d.deleteOnTermination, Status: 'attached', VolumeId: d.volumeId } }));
          break;
        case 'productCodes': out.ProductCodes = []; break;
        case 'sourceDestCheck': out.SourceDestCheck = { Value: eni?.sourceDestCheck ?? true }; break;
        case 'groupSet': out.Groups = (eni?.sgIds ?? i.sgIds).map((id) => ({ GroupId: id, GroupName: st.sgs.get(scope, id)?.name })); break;
        case 'ebsOptimized': out.EbsOptimized = { Value: i.ebsOptimized }; break;
        case 'sriovNetSupport': out.SriovNetSupport = {}; break;
        case 'enaSupport': out.EnaSupport = { Value: i.enaSupport }; break;
        case 'enclaveOptions': out.EnclaveOptions = { Enabled: false }; break;
        default:
          throw new AwsError('InvalidParameterValue', `Value (${input.Attribute}) for parameter attribute is invalid. Unknown attribute.`, 400);
      }
      return out;
    },

    ModifyInstanceAttribute(input: T.ModifyInstanceAttributeRequest, ctx: RequestContext): void {
      const scope = st.scope(ctx);
      checkInstanceIds([input.InstanceId]);
      const i = st.instance(scope, input.InstanceId);
      const state = st.instanceState(i);
      if (state === 'terminated' || state === 'shutting-down') {
        throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in a state from which it can be modified.`, 400);
      }
      const needStopped = () => {
        if (state !== 'stopped') throw new AwsError('IncorrectInstanceState', `The instance '${i.id}' is not in the 'stopped' state.`, 400);
      };
      // The CLI's `--attribute X --value Y` form.
      const attr = input.Attribute;
      const value = input.Value;
      const boolOf = (v: string | undefined) => v === 'true';
      const eni = st.enis.get(scope, i.eniId);
      const changes: (() => void)[] = [];
      const type = input.InstanceType?.Value ?? (attr === 'instanceType' ? value : undefined);
      if (type !== undefined) {
        if (!instanceType(type)) throw new AwsError('InvalidInstanceAttributeValue', `Value (${type}) for parameter instanceType is invalid.`, 400);
        needStopped();
        changes.push(() => (i.type = type));
      }
      const userData = input.UserData?.Value !== undefined ? Buffer.from(input.UserData.Value).toString('base64') : attr === 'userData' ? value : undefined;
      if (userData !== undefined) {
        needStopped();
        changes.push(() => (i.userData = userData));
      }
      const term = input.DisableApiTermination?.Value ?? (attr === 'disableApiTermination' ? boolOf(value) : undefined);
      if (term !== undefined) changes.push(() => (i.disableApiTermination = term));
      const stop = input.DisableApiStop?.Value ?? (attr === 'disableApiStop' ? boolOf(value) : undefined);
      if (stop !== undefined) changes.push(() => (i.disableApiStop = stop));
      const shutdown = input.InstanceInitiatedShutdownBehavior?.Value ?? (attr === 'instanceInitiatedShutdownBehavior' ? value : undefined);
      if (shutdown !== undefined) {
        if (shutdown !== 'stop' && shutdown !== 'terminate') {
          throw new AwsError('InvalidParameterValue', `Value (${shutdown}) for parameter instanceInitiatedShutdownBehavior is invalid. Valid values are stop and terminate.`, 400);
        }
        changes.push(() => (i.shutdownBehavior = shutdown));
      }
      const sdc = input.SourceDestCheck?.Value ?? (attr === 'sourceDestCheck' ? boolOf(value) : undefined);
      if (sdc !== undefined && eni) changes.push(() => { eni.sourceDestCheck = sdc; });
      const ebs = input.EbsOptimized?.Value ?? (attr === 'ebsOptimized' ? boolOf(value) : undefined);
      if (ebs !== undefined) {
        needStopped();
        changes.push(() => (i.ebsOptimized = ebs));
      }
      const ena = input.EnaSupport?.Value ?? (attr === 'enaSupport' ? boolOf(value) : undefined);
      if (ena !== undefined) {
        needStopped();
        changes.push(() => (i.enaSupport = ena));
      }
      const groups = input.Groups ?? (attr === 'groupSet' && value ? [value] : undefined);
      if (groups) {
        if (!groups.length) throw new AwsError('InvalidParameterValue', 'Value () for parameter groupId is invalid. The value cannot be empty', 400);
        for (const id of groups) {
          const g = st.sg(scope, id);
          if (g.vpcId !== i.vpcId) throw new AwsError('InvalidGroup.NotFound', `You have specified two resources that belong to different networks.`, 400);
        }
        changes.push(() => {
          i.sgIds = [...new Set(groups)];
          if (eni) eni.sgIds = i.sgIds;
        });
      }
      for (const m of input.BlockDeviceMappings ?? []) {
        const d = i.devices.find((x) => x.device === m.DeviceName);
        if (!d) throw new AwsError('InvalidInstanceAttributeValue', `No device is currently mapped at ${m.DeviceName}`, 400);
        if (m.Ebs?.DeleteOnTermination !== undefined) {
          const dot = m.Ebs.DeleteOnTermination;
          changes.push(() => {
            d.deleteOnTermination = dot;
            const v = st.volumes.get(scope, d.volumeId);
            const a = v?.attachments.find((x) => x.instanceId === i.id);
            if (v && a) {
              a.deleteOnTermination = dot;
              st.volumes.put(scope, v.id, v);
            }
          });
        }
      }
      if (!changes.length) {
        if (attr && !['instanceType', 'userData', 'disableApiTermination', 'disableApiStop', 'instanceInitiatedShutdownBehavior', 'sourceDestCheck', 'ebsOptimized', 'enaSupport', 'groupSet'].includes(attr)) {
          throw new AwsError('InvalidParameterValue', `Value (${attr}) for parameter attribute is invalid. Unknown attribute.`, 400);
        }
        throw new AwsError('MissingParameter', 'The request must contain the parameter attribute', 400);
      }
      dryRun(input);
      for (const c of changes) c();
      st.instances.put(scope, i.id, i);
      if (eni) st.enis.put(scope, eni.id, eni);
    },

    GetConsoleOutput(input: T.GetConsoleOutputRequest, ctx: RequestContext): T.GetConsoleOutputResult {
      const scope = st.scope(ctx);
      checkInstanceIds([input.InstanceId]);
      const i = st.instance(scope, input.InstanceId);
      dryRun(input);
      const state = st.instanceState(i);
      if (state === 'pending') return { InstanceId: i.id, Timestamp: new Date(st.now()) };
      const bootAt = i.launchTime + INSTANCE_PENDING_MS;
      const lines = [
        `[    0.000000] Linux version 6.1.119-129.201.amzn2023.${i.architecture === 'arm64' ? 'aarch64' : 'x86_64'} (mockbuild@ip-10-0-38-189) (gcc (GCC) 11.4.1) #1 SMP PREEMPT_DYNAMIC`,
        `[    0.000000] Command line: BOOT_IMAGE=(hd0,gpt1)/boot/vmlinuz root=UUID=0f2f8d2f-5c4e-4b8f-9f4e-2a1b3c4d5e6f ro console=tty0 console=ttyS0,115200n8 nvme_core.io_timeout=4294967295`,
        `[    1.218811] systemd[1]: Hostname set to <${i.privateIp ? 'ip-' + i.privateIp.replace(/\./g, '-') : 'localhost'}.ec2.internal>.`,
        `[    4.402337] cloud-init[1604]: Cloud-init v. 22.2.2 running 'init' at ${new Date(bootAt).toUTCString()}. Up 4.40 seconds.`,
        `[    5.915562] cloud-init[1604]: ci-info: +++++++++++++++++++++++++++Net device info++++++++++++++++++++++++++++`,
        `[    5.916100] cloud-init[1604]: ci-info: | Device |  Up  |   Address   |      Mask     | Scope  |     Hw-Address    |`,
        `[    5.917002] cloud-init[1604]: ci-info: |  ens5  | True | ${i.privateIp} | 255.255.255.0 | global | ${st.enis.get(scope, i.eniId)?.mac ?? '-'} |`,
        `[    9.214771] cloud-init[2157]: Cloud-init v. 22.2.2 running 'modules:final' at ${new Date(bootAt + 5000).toUTCString()}. Up 9.21 seconds.`,
        `[    9.301820] cloud-init[2157]: Cloud-init v. 22.2.2 finished at ${new Date(bootAt + 5100).toUTCString()}. Datasource DataSourceEc2.  Up 9.30 seconds`,
        '',
        `Amazon Linux 2023`,
        `Kernel 6.1.119-129.201.amzn2023 on an ${i.architecture === 'arm64' ? 'aarch64' : 'x86_64'} (-)`,
        '',
      ];
      return { InstanceId: i.id, Timestamp: new Date(bootAt + 5100), Output: Buffer.from(lines.join('\r\n')).toString('base64') };
    },

    DescribeNetworkInterfaces(input: T.DescribeNetworkInterfacesRequest, ctx: RequestContext): T.DescribeNetworkInterfacesResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const all = pickIds([...st.enis.values(scope)], input.NetworkInterfaceIds, (e) => e.id, NOT_FOUND.eni);
      const matched = applyFilters(all, input.Filters, eniFilters(st, scope), (e) => e.tags);
      const { page, NextToken } = paginate(matched, input, 5, 1000);
      return { NetworkInterfaces: page.map((e) => renderEni(st, scope, e)), NextToken };
    },
  };
}


