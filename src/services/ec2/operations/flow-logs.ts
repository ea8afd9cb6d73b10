/**
 * VPC flow logs: CreateFlowLogs (VPC, subnet or interface; ACCEPT/REJECT/ALL; to CloudWatch Logs
 * or S3), DescribeFlowLogs, DeleteFlowLogs; and the delivery of the records a flow produces
 * (deliverFlow, used by the traffic control route) — one log stream per interface in CloudWatch
 * Logs, or a gzipped object per delivery under AWSLogs/<account>/vpcflowlogs/… in S3.
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { RequestContext } from '../../../gateway/context.js';
import type * as T from '../generated/types.js';
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { applyFilters, dryRun, paginate, type FilterFields } from '../common.js';
import { DEFAULT_FORMAT, formatFields, formatRecord, type FlowRecord } from '../domain/flow-records.js';
import { newId, NOT_FOUND, tagsFor, tagsOut, type Ec2State } from '../state.js';
import type { FlowLogRec } from '../records.js';

const RESOURCE_TYPES: Record<string, { table: (st: Ec2State) => { has(s: Scope, id: string): boolean }; notFound: (id: string) => AwsError }> = {
  VPC: { table: (st) => st.vpcs, notFound: NOT_FOUND.vpc },
  Subnet: { table: (st) => st.subnets, notFound: NOT_FOUND.subnet },
  NetworkInterface: { table: (st) => st.enis, notFound: NOT_FOUND.eni },
  TransitGateway: { table: (st) => st.tgws, notFound: (id) => new AwsError('InvalidTransitGatewayID.NotFound', `Transit Gateway ${id} was deleted or does not exist.`, 400) },
  TransitGatewayAttachment: {
    table: (st) => st.tgwAttachments,
    notFound: (id) => new AwsError('InvalidTransitGatewayAttachmentID.NotFound', `Transit Gateway Attachment ${id} was deleted or does not exist.`, 400),
  },
};

const flowLogNotFound = (id: string) => new AwsError('InvalidFlowLogId.NotFound', `Flow log ${id} does not exist`, 400);

function render(f: FlowLogRec): T.FlowLog {
  return {
    CreationTime: new Date(f.createdAt), DeliverLogsPermissionArn: f.roleArn, DeliverLogsStatus: f.deliverStatus, DeliverLogsErrorMessage: f.deliverError,
    FlowLogId: f.id, FlowLogStatus: 'ACTIVE', LogGroupName: f.logGroupName, ResourceId: f.resourceId, TrafficType: f.trafficType,
    LogDestinationType: f.destType, LogDestination: f.destination, LogFormat: f.format, MaxAggregationInterval: f.maxAggregation, Tags: tagsOut(f.tags) ?? [],
    DestinationOptions: f.destType === 's3' ? { FileFormat: f.fileFormat, HiveCompatiblePartitions: f.hiveCompatible, PerHourPartition: f.perHour } : undefined,
  };
}

const FLOW_FILTERS: FilterFields<T.FlowLog> = {
  'deliver-log-status': (f) => f.DeliverLogsStatus,
  'log-destination-type': (f) => f.LogDestinationType,
  'flow-log-id': (f) => f.FlowLogId,
  'log-group-name': (f) => f.LogGroupName,
  'resource-id': (f) => f.ResourceId,
  'traffic-type': (f) => f.TrafficType,
};

export function flowLogOperations(st: Ec2State) {
  return {
    CreateFlowLogs(input: T.CreateFlowLogsRequest, ctx: RequestContext): T.CreateFlowLogsResult {
      const scope = st.scope(ctx);
      const kind = RESOURCE_TYPES[input.ResourceType];
      if (!kind) throw new AwsError('InvalidParameterValue', `Invalid value '${input.ResourceType}' for ResourceType. Valid values: VPC, Subnet, NetworkInterface, TransitGateway, TransitGatewayAttachment`, 400);
      const traffic = input.TrafficType ?? (input.ResourceType.startsWith('TransitGateway') ? 'ALL' : undefined);
      if (!traffic) throw new AwsError('MissingParameter', 'The request must contain the parameter TrafficType', 400);
      if (!['ACCEPT', 'REJECT', 'ALL'].includes(traffic)) throw new AwsError('InvalidParameterValue', `Invalid value '${traffic}' for TrafficType. Valid values: ACCEPT, REJECT, ALL`, 400);
      const destType = input.LogDestinationType ?? 'cloud-watch-logs';
      let logGroupName = input.LogGroupName;
      let destination = input.LogDestination;
      if (destType === 'cloud-watch-logs') {
        if (destination && !logGroupName) {
          const m = /^arn:aws[a-z-]*:logs:[^:]*:\d{12}:log-group:([^:]+)(:\*)?$/.exec(destination);
          if (!m) throw new AwsError('InvalidParameter', `LogDestination: ${destination} is not a valid CloudWatch Logs log group ARN.`, 400);
          logGroupName = m[1];
        }
        if (!logGroupName) throw new AwsError('InvalidParameter', 'LogDestination or LogGroupName must be specified for the cloud-watch-logs destination type.', 400);
        if (!input.DeliverLogsPermissionArn) throw new AwsError('InvalidParameter', 'DeliverLogsPermissionArn is required when the destination type is cloud-watch-logs.', 400);
        destination ??= `arn:aws:logs:${scope.region}:${scope.account}:log-group:${logGroupName}`;
      } else if (destType === 's3') {
        if (!destination || !/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(destination)) {
          throw new AwsError('InvalidParameter', `LogDestination: ${destination ?? ''} is not a valid S3 bucket ARN.`, 400);
        }
        if (logGroupName) throw new AwsError('InvalidParameter', 'LogGroupName cannot be used with the s3 destination type.', 400);
        if (input.DeliverLogsPermissionArn) throw new AwsError('InvalidParameter', 'DeliverLogsPermissionArn cannot be specified for the s3 destination type.', 400);
      } else if (destType === 'kinesis-data-firehose') {
        throw new AwsError('InvalidParameter', 'gureum delivers flow logs to cloud-watch-logs and s3; kinesis-data-firehose is not supported.', 400);
      } else throw new AwsError('InvalidParameterValue', `Invalid value '${destType}' for LogDestinationType.`, 400);
      const format = input.LogFormat ?? DEFAULT_FORMAT;
      formatFields(format);
      const maxAggregation = input.MaxAggregationInterval ?? 600;
      if (maxAggregation !== 60 && maxAggregation !== 600) throw new AwsError('InvalidParameter', 'MaxAggregationInterval must be 60 or 600.', 400);
      const fileFormat = input.DestinationOptions?.FileFormat ?? 'plain-text';
      if (fileFormat !== 'plain-text' && fileFormat !== 'parquet') throw new AwsError('InvalidParameterValue', `Invalid value '${fileFormat}' for FileFormat.`, 400);
      if (fileFormat === 'parquet') throw new AwsError('InvalidParameter', 'gureum writes flow logs to S3 as plain text; parquet is not supported.', 400);
      const tags = tagsFor(input.TagSpecifications, 'vpc-flow-log');
      dryRun(input);
      const ids: string[] = [];
      const unsuccessful: T.UnsuccessfulItem[] = [];
      for (const resourceId of input.ResourceIds ?? []) {
        if (!kind.table(st).has(scope, resourceId)) {
          const e = kind.notFound(resourceId);
          unsuccessful.push({ ResourceId: resourceId, Error: { Code: e.code, Message: e.message } });
          continue;
        }
        const same = [...st.flowLogs.values(scope)].some(
          (f) => f.resourceId === resourceId && f.trafficType === traffic && f.destType === destType && f.destination === destination && f.format === format,
        );
        if (same) {
          unsuccessful.push({ ResourceId: resourceId, Error: { Code: 'FlowLogAlreadyExists', Message: 'Error. There is an existing Flow Log with the same configuration and log destination.' } });
          continue;
        }
        const f: FlowLogRec = {
          id: newId('fl'), resourceId, resourceType: input.ResourceType, trafficType: traffic, destType, logGroupName, destination, roleArn: input.DeliverLogsPermissionArn,
          format, maxAggregation, fileFormat, hiveCompatible: input.DestinationOptions?.HiveCompatiblePartitions ?? false,
          perHour: input.DestinationOptions?.PerHourPartition ?? false, createdAt: st.now(), deliverStatus: 'SUCCESS', tags: tags.map((t) => ({ ...t })),
        };
        st.flowLogs.put(scope, f.id, f);
        ids.push(f.id);
      }
      return { FlowLogIds: ids, Unsuccessful: unsuccessful, ClientToken: input.ClientToken };
    },

    DescribeFlowLogs(input: T.DescribeFlowLogsRequest, ctx: RequestContext): T.DescribeFlowLogsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      let all = [...st.flowLogs.values(scope)];
      if (input.FlowLogIds?.length) all = all.filter((f) => input.FlowLogIds!.includes(f.id));
      const { page, NextToken } = paginate(applyFilters(all.map(render), input.Filter, FLOW_FILTERS, (f) => f.Tags), input);
      return { FlowLogs: page, NextToken };
    },

    DeleteFlowLogs(input: T.DeleteFlowLogsRequest, ctx: RequestContext): T.DeleteFlowLogsResult {
      const scope = st.scope(ctx);
      dryRun(input);
      const unsuccessful: T.UnsuccessfulItem[] = [];
      for (const id of input.FlowLogIds ?? []) {
        if (!st.flowLogs.delete(scope, id)) {
          const e = flowLogNotFound(id);
          unsuccessful.push({ ResourceId: id, Error: { Code: e.code, Message: e.message } });
        }
      }
      return { Unsuccessful: unsuccessful };
    },
  };
}

/** The flow logs that capture an interface's records of one action. */
function capturing(st: Ec2State, scope: Scope, r: FlowRecord): FlowLogRec[] {
  return [...st.flowLogs.values(scope)].filter(
    (f) =>
      (f.trafficType === 'ALL' || f.trafficType === r.action) &&
      ((f.resourceType === 'NetworkInterface' && f.resourceId === r.eni.id) ||
        (f.resourceType === 'Subnet' && f.resourceId === r.eni.subnetId) ||
        (f.resourceType === 'VPC' && f.resourceId === r.eni.vpcId)),
  );
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Writes records to every flow log that captures them (records of one interface live in the
 * interface's account × region). Returns how many lines each flow log received.
 */
export async function deliverFlow(st: Ec2State, scope: Scope, records: FlowRecord[]): Promise<Record<string, string[]>> {
  const byLog = new Map<string, { log: FlowLogRec; lines: { eniId: string; line: string; end: number }[] }>();
  for (const r of records) {
    for (const log of capturing(st, scope, r)) {
      const entry = byLog.get(log.id) ?? { log, lines: [] };
      entry.lines.push({ eniId: r.eni.id, line: formatRecord(log.format, r, scope.account, scope.region, r.eni.azId), end: r.end });
      byLog.set(log.id, entry);
    }
  }
  const out: Record<string, string[]> = {};
  for (const { log, lines } of byLog.values()) {
    out[log.id] = lines.map((l) => l.line);
    let error: string | undefined;
    try {
      if (log.destType === 'cloud-watch-logs') await toLogs(st, scope, log, lines);
      else await toS3(st, scope, log, lines.map((l) => l.line));
    } catch (e) {
      error = e instanceof AwsError ? `${e.code}: ${e.message}` : String(e);
    }
    const current = st.flowLogs.get(scope, log.id);
    if (current) st.flowLogs.put(scope, log.id, { ...current, deliverStatus: error ? 'FAILED' : 'SUCCESS', deliverError: error });
  }
  return out;
}

async function toLogs(st: Ec2State, scope: Scope, log: FlowLogRec, lines: { eniId: string; line: string; end: number }[]): Promise<void> {
  const group = log.logGroupName!;
  // The flow log creates its group and one stream per interface when they do not exist.
  await st.rt.call('logs', 'CreateLogGroup', { logGroupName: group }, scope).catch(ignoreExists);
  for (const eniId of new Set(lines.map((l) => l.eniId))) {
    await st.rt.call('logs', 'CreateLogStream', { logGroupName: group, logStreamName: eniId }, scope).catch(ignoreExists);
    const events = lines.filter((l) => l.eniId === eniId).map((l) => ({ timestamp: l.end * 1000, message: l.line }));
    await st.rt.call('logs', 'PutLogEvents', { logGroupName: group, logStreamName: eniId, logEvents: events }, scope);
  }
}

function ignoreExists(e: unknown): void {
  if (e instanceof AwsError && e.code === 'ResourceAlreadyExistsException') return;
  throw e;
}

async function toS3(st: Ec2State, scope: Scope, log: FlowLogRec, lines: string[]): Promise<void> {
  const m = /^arn:aws[a-z-]*:s3:::([^/]+)\/?(.*)$/.exec(log.destination!)!;
  const bucket = m[1]!;
  const prefix = m[2] ? (m[2].endsWith('/') ? m[2] : `${m[2]}/`) : '';
  const d = new Date(st.now());
  const [y, mo, day, h, mi] = [d.getUTCFullYear(), pad(d.getUTCMonth() + 1), pad(d.getUTCDate()), pad(d.getUTCHours()), pad(d.getUTCMinutes())];
  const dir = log.hiveCompatible
    ? `AWSLogs/aws-account-id=${scope.account}/aws-service=vpcflowlogs/aws-region=${scope.region}/year=${y}/month=${mo}/day=${day}/${log.perHour ? `hour=${h}/` : ''}`
    : `AWSLogs/${scope.account}/vpcflowlogs/${scope.region}/${y}/${mo}/${day}/${log.perHour ? `${h}/` : ''}`;
  const body = [formatFields(log.format).join(' '), ...lines].join('\n') + '\n';
  const hash = createHash('sha256').update(body).update(String(st.now())).digest('hex').slice(0, 8);
  const key = `${prefix}${dir}${scope.account}_vpcflowlogs_${scope.region}_${log.id}_${y}${mo}${day}T${h}${mi}Z_${hash}.log.gz`;
  await st.rt.call('s3', 'PutObject', { Bucket: bucket, Key: key, Body: gzipSync(body), ContentType: 'application/x-gzip' }, scope);
}
