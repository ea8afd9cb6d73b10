/**
 * The On-Demand vCPU quota of the Standard bucket ("Running On-Demand Standard (A, C, D, H, I, M,
 * R, T, Z) instances", quota code L-1216C47A): pending and running On-Demand instances of those
 * families count their vCPUs, per account × region. The default, 32 vCPUs, is the value AWS gives
 * a new account; it can be changed per account × region through internal.ts (for Service Quotas).
 */
import { AwsError } from '../../../core/errors.js';
import type { Scope, Table } from '../../../state/store.js';
import { instanceType } from './instance-types.js';
import type { Ec2State, InstanceRec } from '../state.js';

export const STANDARD_VCPU_QUOTA_CODE = 'L-1216C47A';
export const DEFAULT_STANDARD_VCPU_QUOTA = 32;

export const isStandardFamily = (type: string) => /^[acdhimrtz]/.test(type) && !/^(inf|dl|trn|mac|u-|x)/.test(type);

export const vcpusOf = (i: Pick<InstanceRec, 'type' | 'cores' | 'threads'>) => i.cores * i.threads || (instanceType(i.type)?.VCpuInfo?.DefaultVCpus ?? 1);

export function quotaTable(st: Ec2State): Table<{ value: number }> {
  return st.rt.table('quotas');
}

export function standardQuota(st: Ec2State, scope: Scope): number {
  return quotaTable(st).get(scope, STANDARD_VCPU_QUOTA_CODE)?.value ?? DEFAULT_STANDARD_VCPU_QUOTA;
}

/** vCPUs of the account's pending/running On-Demand standard instances (Spot and Dedicated Host instances do not count). */
export function standardVcpusInUse(st: Ec2State, scope: Scope): number {
  let n = 0;
  for (const i of st.instances.values(scope)) {
    // The recorded state is enough: pending → running does not change what counts.
    if ((i.state !== 'pending' && i.state !== 'running') || i.spotRequestId || i.hostId || !isStandardFamily(i.type)) continue;
    n += vcpusOf(i);
  }
  return n;
}

/** Fails with AWS's VcpuLimitExceeded when `extra` more vCPUs would pass the quota. */
export function checkVcpuQuota(st: Ec2State, scope: Scope, type: string, extra: number): void {
  if (!isStandardFamily(type) || extra <= 0) return;
  const limit = standardQuota(st, scope);
  if (standardVcpusInUse(st, scope) + extra > limit) {
    throw new AwsError(
      'VcpuLimitExceeded',
      `You have requested more vCPU capacity than your current vCPU limit of ${limit} allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit.`,
      400,
    );
  }
}

/** Sets the Standard bucket's vCPU quota of an account × region (Service Quotas, tests, benchmarks). */
export function setStandardVcpuQuota(st: Ec2State, scope: Scope, value: number): void {
  quotaTable(st).put(scope, STANDARD_VCPU_QUOTA_CODE, { value });
}
