/**
 * Logs state: log groups, log streams, and the events of a stream stored one PutLogEvents
 * batch per record (a put writes one new record, never rewrites old events).
 */
import { arn } from '../../../core/arn.js';
import type { Scope } from '../../../state/store.js';
import { constraint, invalidParameter } from './errors.js';

export interface LogGroupRecord {
  logGroupName: string;
  creationTime: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  deletionProtectionEnabled: boolean;
  tags: Record<string, string>;
  storedBytes: number;
}

export interface LogStreamRecord {
  logGroupName: string;
  logStreamName: string;
  creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** ids of the stored batches, in ingestion order */
  batches: number[];
  /** last event sequence number handed out (orders events of equal timestamp) */
  seq: number;
  /** PutLogEvents count, for nextSequenceToken */
  puts: number;
}

export interface StoredEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  seq: number;
}

export interface EventBatch {
  events: StoredEvent[];
}

export const streamKey = (group: string, stream: string) => `${group}\u0000${stream}`;
export const batchKey = (group: string, stream: string, id: number) => `${group}\u0000${stream}\u0000${id}`;

export const logGroupArn = (scope: Scope, name: string) => arn('logs', scope.region, scope.account, `log-group:${name}`);
export const logStreamArn = (scope: Scope, group: string, stream: string) => arn('logs', scope.region, scope.account, `log-group:${group}:log-stream:${stream}`);

const GROUP_NAME = /^[.\-_/#A-Za-z0-9]+$/;
const STREAM_NAME = /^[^:*]*$/;
export const LOG_GROUP_CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];
export const RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export function checkGroupName(name: string, path = 'logGroupName'): void {
  if (name.length < 1) throw constraint(name, path, 'Member must have length greater than or equal to 1');
  if (name.length > 512) throw constraint(name, path, 'Member must have length less than or equal to 512');
  if (!GROUP_NAME.test(name)) throw constraint(name, path, 'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+');
}

export function checkStreamName(name: string, path = 'logStreamName'): void {
  if (name.length < 1) throw constraint(name, path, 'Member must have length greater than or equal to 1');
  if (name.length > 512) throw constraint(name, path, 'Member must have length less than or equal to 512');
  if (!STREAM_NAME.test(name)) throw constraint(name, path, 'Member must satisfy regular expression pattern: [^:*]*');
}

export function checkRetention(days: number): void {
  if (!RETENTION_DAYS.includes(days)) throw constraint(days, 'retentionInDays', `Member must satisfy enum value set: [${RETENTION_DAYS.join(', ')}]`);
}

export function checkLimit(limit: number | undefined, max: number): void {
  if (limit === undefined) return;
  if (limit < 1) throw constraint(limit, 'limit', 'Member must have value greater than or equal to 1');
  if (limit > max) throw constraint(limit, 'limit', `Member must have value less than or equal to ${max}`);
}

/** A log group named by name or ARN (with or without the trailing ":*"). */
export function groupNameOf(identifier: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:([^:]+)(?::\*)?$/.exec(identifier);
  return m ? m[1]! : identifier;
}

/** Opaque page token over names sorted ascending: the last name of the page. */
export const encodeNameToken = (name: string) => Buffer.from(name, 'utf8').toString('base64url');
export function decodeNameToken(token: string): string {
  const name = Buffer.from(token, 'base64url').toString('utf8');
  if (!name || encodeNameToken(name) !== token) throw invalidParameter('The specified nextToken is invalid.');
  return name;
}
