/**
 * Deterministic Spot prices. An on-demand price is estimated from an instance type's vCPUs,
 * memory and accelerators (fitted to AWS's us-east-1 Linux prices of general-purpose, compute
 * and memory families); the Spot price is 25–45 % of it, changing once a day (00:00 UTC) by a
 * hash of type, zone, product and day — the same everywhere, every run.
 */
import { createHash } from 'node:crypto';
import { instanceType } from './instance-types.js';

export const DAY_MS = 86_400_000;
export const PRODUCTS = ['Linux/UNIX', 'Linux/UNIX (Amazon VPC)', 'SUSE Linux', 'Red Hat Enterprise Linux', 'Windows', 'Windows (Amazon VPC)'];

/** Estimated on-demand hourly price (USD) of a type running Linux. */
export function onDemandPrice(type: string): number | undefined {
  const t = instanceType(type);
  if (!t) return undefined;
  const vcpus = t.VCpuInfo?.DefaultVCpus ?? 1;
  const gib = (t.MemoryInfo?.SizeInMiB ?? 1024) / 1024;
  const gpus = t.GpuInfo?.Gpus?.reduce((n, g) => n + (g.Count ?? 0), 0) ?? 0;
  const chips = t.InferenceAcceleratorInfo?.Accelerators?.reduce((n, a) => n + (a.Count ?? 0), 0) ?? 0;
  return 0.037 * vcpus + 0.00275 * gib + 0.5 * gpus + 0.2 * chips;
}

function productFactor(product: string, vcpus: number): number {
  if (product.startsWith('Windows')) return 0.046 * vcpus;
  if (product.startsWith('SUSE')) return 0.01 * vcpus;
  if (product.startsWith('Red Hat')) return 0.013 * vcpus;
  return 0;
}

/** The Spot price in effect on the day starting at `dayStart` (epoch ms, 00:00 UTC). */
export function spotPrice(type: string, az: string, product: string, dayStart: number): number | undefined {
  const od = onDemandPrice(type);
  if (od === undefined) return undefined;
  const h = createHash('sha256').update(`${type}/${az}/${product}/${dayStart}`).digest();
  const share = 0.25 + (h.readUInt16BE(0) / 0xffff) * 0.2;
  const vcpus = instanceType(type)?.VCpuInfo?.DefaultVCpus ?? 1;
  return Math.max(0.0016, (od + productFactor(product, vcpus)) * share);
}

export const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
export const priceText = (p: number) => p.toFixed(6);

/** The price of a type in a zone right now (Linux/UNIX). */
export const currentSpotPrice = (type: string, az: string, now: number) => spotPrice(type, az, 'Linux/UNIX', dayStart(now));
