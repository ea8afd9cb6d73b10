import { PARTITION } from './regions.js';

export function arn(service: string, region: string, account: string, resource: string): string {
  return `arn:${PARTITION}:${service}:${region}:${account}:${resource}`;
}

export interface ParsedArn { partition: string; service: string; region: string; account: string; resource: string }

export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return { partition: parts[1]!, service: parts[2]!, region: parts[3]!, account: parts[4]!, resource: parts.slice(5).join(':') };
}
