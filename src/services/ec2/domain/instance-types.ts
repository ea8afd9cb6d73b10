/**
 * The instance type catalogue (every type with vCPUs, memory, architectures, network and EBS
 * characteristics, in DescribeInstanceTypes' shape), unpacked from data/instance-types.ts on
 * first use.
 */
import { gunzipSync } from 'node:zlib';
import type { InstanceTypeInfo } from '../generated/types.js';
import { INSTANCE_TYPES_GZ_BASE64 } from '../data/instance-types.js';

let all: InstanceTypeInfo[] | undefined;
let byName: Map<string, InstanceTypeInfo> | undefined;

export function instanceTypes(): InstanceTypeInfo[] {
  if (!all) {
    all = JSON.parse(gunzipSync(Buffer.from(INSTANCE_TYPES_GZ_BASE64, 'base64')).toString('utf8')) as InstanceTypeInfo[];
    byName = new Map(all.map((t) => [t.InstanceType!, t]));
  }
  return all;
}

export function instanceType(name: string): InstanceTypeInfo | undefined {
  instanceTypes();
  return byName!.get(name);
}
