/**
 * What a metric is: namespace + name + dimension set (unordered). Names, units and limits
 * as the CloudWatch API reference states them.
 */
import type { Dimension } from '../generated/types.js';
import { invalidParam, invalidValue } from './errors.js';

export const UNITS: ReadonlySet<string> = new Set([
  'Seconds', 'Microseconds', 'Milliseconds', 'Bytes', 'Kilobytes', 'Megabytes', 'Gigabytes', 'Terabytes',
  'Bits', 'Kilobits', 'Megabits', 'Gigabits', 'Terabits', 'Percent', 'Count',
  'Bytes/Second', 'Kilobytes/Second', 'Megabytes/Second', 'Gigabytes/Second', 'Terabytes/Second',
  'Bits/Second', 'Kilobits/Second', 'Megabits/Second', 'Gigabits/Second', 'Terabits/Second', 'Count/Second', 'None',
]);

export const MAX_DIMENSIONS = 30;

/** A metric as stored: its identity, when data last arrived (ListMetrics), its dimension order. */
export interface MetricRecord {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  lastPutAt: number;
}

/** Stable identity: dimension order does not make a different metric. */
export function metricKey(namespace: string, name: string, dims: readonly Dimension[] = []): string {
  const sorted = dims.map((d) => [d.Name, d.Value]).sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : 0));
  return JSON.stringify([namespace, name, sorted]);
}

// alphanumerics . - _ / # : and space; not starting with ":" and not all whitespace
const NAMESPACE = /^[0-9A-Za-z.\-_/#: ]+$/;

/** `reading`: queries may name AWS/ namespaces; only puts into them are refused. */
export function checkNamespace(ns: string, opts: { reading?: boolean } = {}, param = 'Namespace'): void {
  if (!opts.reading && ns.startsWith('AWS/')) throw invalidParam(param, 'AWS/');
  if (ns.length < 1 || ns.length > 255 || !NAMESPACE.test(ns) || ns.startsWith(':') || !ns.trim()) throw invalidParam(param, ns);
}

export function checkMetricName(name: string, param: string): void {
  if (name.length < 1 || name.length > 255 || !name.trim()) throw invalidParam(param, name);
}

export function checkUnit(unit: string | undefined, param: string): void {
  if (unit !== undefined && !UNITS.has(unit)) throw invalidParam(param, unit);
}

/** Dimension list of a metric: ≤ 30, names 1–255 not starting with ":", values 1–1024, no duplicate names. */
export function checkDimensions(dims: readonly Dimension[] | undefined, param: string): void {
  if (!dims) return;
  if (dims.length > MAX_DIMENSIONS) throw invalidValue(`The collection ${param} must not have a size greater than ${MAX_DIMENSIONS}.`);
  const seen = new Set<string>();
  dims.forEach((d, i) => {
    const p = `${param}.member.${i + 1}`;
    if (d.Name.length < 1 || d.Name.length > 255 || d.Name.startsWith(':') || !d.Name.trim()) throw invalidParam(`${p}.Name`, d.Name);
    if (d.Value.length < 1 || d.Value.length > 1024 || !d.Value.trim()) throw invalidParam(`${p}.Value`, d.Value);
    if (seen.has(d.Name)) throw invalidValue(`The parameter ${param} must not contain duplicate dimension names (${d.Name}).`);
    seen.add(d.Name);
  });
}
