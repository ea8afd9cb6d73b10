/**
 * Network interface rules shared by the ENI operations and RunInstances: the per-type limits from
 * the instance type catalogue (interfaces per instance, IPv4 addresses per interface), taking
 * addresses of a subnet, and the interfaces an instance has (primary + secondaries).
 */
import { AwsError } from '../../../core/errors.js';
import type { Scope } from '../../../state/store.js';
import { formatIp4, parseCidr4, size4 } from './cidr.js';
import { instanceType } from './instance-types.js';
import type { Ec2State, EniRec, InstanceRec, SubnetRec } from '../state.js';

/** Addresses per interface for an interface that is not attached (AWS checks the type once attached). */
export const UNATTACHED_IPV4_LIMIT = 50;

export function typeLimits(type: string): { interfaces: number; ipv4PerInterface: number } {
  const t = instanceType(type);
  return { interfaces: t?.NetworkInfo?.MaximumNetworkInterfaces ?? 2, ipv4PerInterface: t?.NetworkInfo?.Ipv4AddressesPerInterface ?? UNATTACHED_IPV4_LIMIT };
}

export const ipNum = (s: string) => s.split('.').reduce((n, o) => n * 256 + Number(o), 0);
export const isIp4 = (s: string) => /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.test(s) && s.split('.').every((o) => Number(o) < 256);

/** Whether `ip` is a usable host address of the subnet (not one of the five AWS reserves). */
export function inSubnetRange(s: SubnetRec, ip: string): boolean {
  const c = parseCidr4(s.cidr)!;
  const n = ipNum(ip);
  return n >= c.base + 4 && n <= c.base + size4(c) - 2;
}

export const freeAddresses = (s: SubnetRec) => size4(parseCidr4(s.cidr)!) - 5 - s.usedIps.length;

/**
 * Takes the named addresses and then `count` more of a subnet, all or none (one write). Named
 * addresses must be in the subnet's range and free.
 */
export function takeAddresses(st: Ec2State, scope: Scope, s: SubnetRec, named: string[], count: number): string[] {
  const used = new Set(s.usedIps);
  for (const ip of named) {
    if (!isIp4(ip) || !inSubnetRange(s, ip)) throw new AwsError('InvalidParameterValue', `Address ${ip} does not fall within the subnet's address range`, 400);
    if (used.has(ipNum(ip))) throw new AwsError('InvalidIPAddress.InUse', `Address ${ip} is in use.`, 400);
    used.add(ipNum(ip));
  }
  const c = parseCidr4(s.cidr)!;
  const extra: number[] = [];
  for (let ip = c.base + 4; ip <= c.base + size4(c) - 2 && extra.length < count; ip++) if (!used.has(ip)) extra.push(ip);
  if (extra.length < count) throw new AwsError('InsufficientFreeAddressesInSubnet', `There are not enough free addresses in subnet '${s.id}' to satisfy the requested number of instances.`, 400);
  s.usedIps.push(...named.map(ipNum), ...extra);
  st.subnets.put(scope, s.id, s);
  return [...named, ...extra.map(formatIp4)];
}

/** Gives an interface's addresses (primary and secondaries) back to its subnet. */
export function releaseAddresses(st: Ec2State, scope: Scope, e: EniRec): void {
  const s = st.subnets.get(scope, e.subnetId);
  if (!s) return;
  const gone = new Set([e.privateIp, ...(e.secondaryIps ?? [])].map(ipNum));
  s.usedIps = s.usedIps.filter((x) => !gone.has(x));
  st.subnets.put(scope, s.id, s);
}

/** An instance's interfaces in device order: the primary, then those attached at index ≥ 1. */
export function instanceEnis(st: Ec2State, scope: Scope, i: InstanceRec): EniRec[] {
  const out: EniRec[] = [];
  const primary = st.enis.get(scope, i.eniId);
  if (primary) out.push(primary);
  for (const id of i.secondaryEnis ?? []) {
    const e = st.enis.get(scope, id);
    if (e) out.push(e);
  }
  return out;
}
