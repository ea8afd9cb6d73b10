/** Log groups: CreateLogGroup, DescribeLogGroups, DeleteLogGroup, retention policies. */
import type { CreateLogGroupRequest, DescribeLogGroupsRequest, DescribeLogGroupsResponse, LogGroup } from '../generated/types.js';
import type { Scope } from '../../../state/store.js';
import { AwsError } from '../../../core/errors.js';
import type { LogsState } from '../state.js';
import { constraint, groupNotFound, invalidParameter } from '../domain/errors.js';
import { checkGroupName, checkLimit, checkRetention, decodeNameToken, encodeNameToken, groupNameOf, LOG_GROUP_CLASSES, logGroupArn, type LogGroupRecord } from '../domain/model.js';

const MAX_TAGS = 50;

export function createLogGroup(s: LogsState, scope: Scope, input: CreateLogGroupRequest, now: number): void {
  const name = input.logGroupName;
  checkGroupName(name);
  if (name.toLowerCase().startsWith('aws/')) throw invalidParameter('Log group names starting with aws/ are reserved for AWS.');
  const cls = input.logGroupClass ?? 'STANDARD';
  if (!LOG_GROUP_CLASSES.includes(cls)) throw constraint(cls, 'logGroupClass', `Member must satisfy enum value set: [${LOG_GROUP_CLASSES.join(', ')}]`);
  if (input.kmsKeyId !== undefined && input.kmsKeyId.length > 256) throw constraint(input.kmsKeyId, 'kmsKeyId', 'Member must have length less than or equal to 256');
  const tags = input.tags ?? {};
  if (Object.keys(tags).length > MAX_TAGS) throw constraint('{…}', 'tags', `Member must have length less than or equal to ${MAX_TAGS}`);
  if (s.groups.has(scope, name)) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists', 400);
  s.groups.put(scope, name, {
    logGroupName: name,
    creationTime: now,
    kmsKeyId: input.kmsKeyId,
    logGroupClass: cls,
    deletionProtectionEnabled: input.deletionProtectionEnabled ?? false,
    tags: { ...tags },
    storedBytes: 0,
  });
}

export function describeLogGroups(s: LogsState, scope: Scope, input: DescribeLogGroupsRequest): DescribeLogGroupsResponse {
  checkLimit(input.limit, 50);
  if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
    throw invalidParameter('LogGroupNamePrefix and LogGroupNamePattern are mutually exclusive parameters.');
  }
  if (input.logGroupNamePrefix !== undefined) checkGroupName(input.logGroupNamePrefix, 'logGroupNamePrefix');
  const pattern = input.logGroupNamePattern?.toLowerCase();
  const ids = input.logGroupIdentifiers?.map(groupNameOf);
  const after = input.nextToken === undefined ? undefined : decodeNameToken(input.nextToken);
  const matching = [...s.groups.values(scope)]
    .filter((g) =>
      (after === undefined || g.logGroupName > after) &&
      (input.logGroupNamePrefix === undefined || g.logGroupName.startsWith(input.logGroupNamePrefix)) &&
      (pattern === undefined || g.logGroupName.toLowerCase().includes(pattern)) &&
      (ids === undefined || ids.includes(g.logGroupName)) &&
      (input.logGroupClass === undefined || g.logGroupClass === input.logGroupClass),
    )
    .sort((a, b) => (a.logGroupName < b.logGroupName ? -1 : 1));
  const limit = input.limit ?? 50;
  const page = matching.slice(0, limit);
  const out: DescribeLogGroupsResponse = { logGroups: page.map((g) => describe(scope, g)) };
  if (matching.length > limit) out.nextToken = encodeNameToken(page[page.length - 1]!.logGroupName);
  return out;
}

function describe(scope: Scope, g: LogGroupRecord): LogGroup {
  const arn = logGroupArn(scope, g.logGroupName);
  return {
    logGroupName: g.logGroupName,
    creationTime: g.creationTime,
    retentionInDays: g.retentionInDays,
    metricFilterCount: 0,
    arn: `${arn}:*`,
    logGroupArn: arn,
    storedBytes: g.storedBytes,
    kmsKeyId: g.kmsKeyId,
    logGroupClass: g.logGroupClass,
    deletionProtectionEnabled: g.deletionProtectionEnabled,
  };
}

export function deleteLogGroup(s: LogsState, scope: Scope, name: string): void {
  const g = s.groups.get(scope, name);
  if (!g) throw groupNotFound();
  if (g.deletionProtectionEnabled) throw new AwsError('ValidationException', 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.', 400);
  for (const st of [...s.streams.values(scope)]) if (st.logGroupName === name) s.dropStream(scope, st);
  s.groups.delete(scope, name);
}

export function putRetentionPolicy(s: LogsState, scope: Scope, name: string, days: number | undefined): void {
  if (days !== undefined) checkRetention(days);
  const g = s.groups.get(scope, name);
  if (!g) throw groupNotFound();
  g.retentionInDays = days;
  s.groups.put(scope, name, g);
}
