/**
 * From put data to samples, and from samples to GetMetricStatistics datapoints.
 * Percentiles are exact nearest-rank over the raw values (AWS approximates); they are
 * unavailable, as in AWS, when a bucket holds negative values or statistic sets with
 * distinct minimum and maximum.
 */
import type { Datapoint, MetricDatum } from '../generated/types.js';
import type { Sample } from './samples.js';

export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] as const;
export const PERCENTILE = /^p(\d{1,2}(\.\d{1,2})?|100(\.0{1,2})?)$/;

/** One sample for a validated datum, at time `t` (already truncated to its resolution). */
export function sampleOf(d: MetricDatum, t: number): Sample {
  const u = d.Unit ?? 'None';
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    return { t, u, n: s.SampleCount, sum: s.Sum, min: s.Minimum, max: s.Maximum };
  }
  const v = d.Values ?? [d.Value!];
  const c = d.Counts ?? v.map(() => 1);
  let n = 0, sum = 0, min = Infinity, max = -Infinity;
  v.forEach((x, i) => {
    const k = c[i]!;
    if (k <= 0) return;
    n += k;
    sum += x * k;
    if (x < min) min = x;
    if (x > max) max = x;
  });
  return n ? { t, u, n, sum, min, max, v, c } : { t, u, n: 0, sum: 0, min: 0, max: 0, v: [], c: [] };
}

export interface StatsRequest {
  start: number;
  period: number; // ms
  statistics: readonly string[];
  extended: readonly string[];
}

/** Group samples by (period bucket, unit) and compute the requested statistics. */
export function datapoints(samples: Iterable<Sample>, req: StatsRequest): Datapoint[] {
  const groups = new Map<string, { t: number; u: string; list: Sample[] }>();
  for (const s of samples) {
    if (s.n <= 0) continue;
    const t = req.start + Math.floor((s.t - req.start) / req.period) * req.period;
    const k = `${t}\u0000${s.u}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { t, u: s.u, list: [] }));
    g.list.push(s);
  }
  const out = [...groups.values()].map((g) => datapoint(g.t, g.u, g.list, req));
  return out.sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime() || (a.Unit! < b.Unit! ? -1 : 1));
}

function datapoint(t: number, unit: string, list: Sample[], req: StatsRequest): Datapoint {
  let n = 0, sum = 0, min = Infinity, max = -Infinity;
  for (const s of list) {
    n += s.n;
    sum += s.sum;
    min = Math.min(min, s.min);
    max = Math.max(max, s.max);
  }
  const all: Record<string, number> = { SampleCount: n, Sum: sum, Minimum: min, Maximum: max, Average: sum / n };
  const dp: Datapoint = { Timestamp: new Date(t), Unit: unit };
  for (const s of req.statistics) (dp as Record<string, unknown>)[s] = all[s];
  if (req.extended.length) {
    const values = rawValues(list);
    if (values) {
      const ext: Record<string, number> = {};
      for (const p of req.extended) ext[p] = percentile(values, n, Number(p.slice(1)));
      dp.ExtendedStatistics = ext;
    }
  }
  return dp;
}

/** Sorted [value, count] pairs, or undefined when percentiles cannot be computed. */
function rawValues(list: Sample[]): [number, number][] | undefined {
  const pairs: [number, number][] = [];
  for (const s of list) {
    if (s.v && s.c) s.v.forEach((x, i) => s.c![i]! > 0 && pairs.push([x, s.c![i]!]));
    else if (s.min === s.max) pairs.push([s.min, s.n]); // a statistic set of one value
    else return undefined;
  }
  if (pairs.some(([x]) => x < 0)) return undefined;
  return pairs.sort((a, b) => a[0] - b[0]);
}

function percentile(pairs: [number, number][], total: number, p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const [x, k] of pairs) {
    seen += k;
    if (seen >= rank) return x;
  }
  return pairs[pairs.length - 1]![0];
}
