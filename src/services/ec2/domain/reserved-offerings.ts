/**
 * Deterministic Reserved Instance offerings: for every instance type, product (Linux/UNIX,
 * Windows, with and without "(Amazon VPC)"), tenancy (default, dedicated), class (standard,
 * convertible), payment option (No/Partial/All Upfront) and term (1 or 3 years), one regional
 * offering — and zonal ones when a zone is asked for. Prices derive from the estimated On-Demand
 * price (domain/spot-prices.ts) with discounts close to AWS's published ranges; ids are stable
 * UUIDs hashed from the offering's terms, the same every run.
 */
import { createHash } from 'node:crypto';
import { instanceTypes, instanceType } from './instance-types.js';
import { onDemandPrice } from './spot-prices.js';

export const PRODUCTS = ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)', 'Windows', 'Windows (Amazon VPC)'];
export const TENANCIES = ['default', 'dedicated'];
export const CLASSES = ['standard', 'convertible'];
export const PAYMENTS = ['No Upfront', 'Partial Upfront', 'All Upfront'];
export const YEAR_S = 31_536_000;
export const DURATIONS = [YEAR_S, 3 * YEAR_S];

/** Effective price as a share of On-Demand, by class, term (years) and payment option. */
const DISCOUNT: Record<string, Record<number, number[]>> = {
  standard: { 1: [0.64, 0.61, 0.6], 3: [0.45, 0.42, 0.4] },
  convertible: { 1: [0.74, 0.71, 0.7], 3: [0.58, 0.55, 0.54] },
};

export interface Offering {
  id: string; type: string; product: string; tenancy: string; offeringClass: string; payment: string; duration: number; az?: string;
  fixedPrice: number; hourly: number;
}

const round = (n: number, d: number) => Math.round(n * 10 ** d) / 10 ** d;

function uuidOf(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function offering(region: string, type: string, product: string, tenancy: string, offeringClass: string, payment: string, duration: number, az?: string): Offering | undefined {
  const od = onDemandPrice(type);
  const t = instanceType(type);
  if (od === undefined || !t) return undefined;
  const windows = product.startsWith('Windows') ? 0.046 * (t.VCpuInfo?.DefaultVCpus ?? 1) : 0;
  const hourlyOnDemand = (od + windows) * (tenancy === 'dedicated' ? 1.1 : 1);
  const years = duration / YEAR_S;
  const total = hourlyOnDemand * DISCOUNT[offeringClass]![years]![PAYMENTS.indexOf(payment)]! * 24 * 365 * years;
  const fixed = payment === 'All Upfront' ? total : payment === 'Partial Upfront' ? total / 2 : 0;
  const hourly = (total - fixed) / (24 * 365 * years);
  return {
    id: uuidOf(`${region}|${type}|${product}|${tenancy}|${offeringClass}|${payment}|${duration}|${az ?? ''}`),
    type, product, tenancy, offeringClass, payment, duration, az, fixedPrice: round(fixed, 2), hourly: round(hourly, 4),
  };
}

/** The offerings of a region for the given types (all when none), optionally in one zone. */
export function offerings(region: string, types: string[] | undefined, az?: string): Offering[] {
  const out: Offering[] = [];
  for (const type of types ?? instanceTypes().map((t) => t.InstanceType!)) {
    for (const product of PRODUCTS) for (const tenancy of TENANCIES) for (const c of CLASSES) for (const p of PAYMENTS) for (const d of DURATIONS) {
      const o = offering(region, type, product, tenancy, c, p, d, az);
      if (o) out.push(o);
    }
  }
  return out;
}

const regional = new Map<string, Map<string, Offering>>();

/** A regional offering by id (zonal ones are remembered by the caller when it lists them). */
export function regionalOffering(region: string, id: string): Offering | undefined {
  let m = regional.get(region);
  if (!m) regional.set(region, (m = new Map(offerings(region, undefined).map((o) => [o.id, o]))));
  return m.get(id);
}

/** Instance size normalization factors (AWS's table): small = 1, each size up doubles. */
export function normalizationFactor(type: string): number {
  const size = type.split('.')[1] ?? '';
  const fixed: Record<string, number> = { nano: 0.25, micro: 0.5, small: 1, medium: 2, large: 4, xlarge: 8 };
  if (fixed[size] !== undefined) return fixed[size];
  const m = /^(\d+)xlarge$/.exec(size);
  if (m) return 8 * Number(m[1]);
  // metal sizes count as the family's largest size
  const vcpus = instanceType(type)?.VCpuInfo?.DefaultVCpus ?? 2;
  return vcpus * 2;
}
