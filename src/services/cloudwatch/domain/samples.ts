/**
 * Metric data as stored: one record per metric (identity + last put time) and its samples in
 * hour buckets, so a put rewrites one bucket and a query reads only the hours it spans.
 * A sample keeps the raw values (for percentiles) unless it arrived as a statistic set.
 */
import type { Scope, Table } from '../../../state/store.js';
import { metricKey, type MetricRecord } from './metric.js';
import type { Dimension } from '../generated/types.js';

export interface Sample {
  /** timestamp (ms), truncated to the storage resolution */
  t: number;
  /** unit the data was put with ("None" when omitted) */
  u: string;
  n: number;
  sum: number;
  min: number;
  max: number;
  /** raw values and their counts (absent for a statistic set) */
  v?: number[];
  c?: number[];
}

export interface HourBucket {
  samples: Sample[];
}

export const HOUR = 3_600_000;
const hourOf = (t: number) => Math.floor(t / HOUR) * HOUR;
const bucketKey = (key: string, hour: number) => `${key}@${hour}`;

export interface PutSample {
  namespace: string;
  name: string;
  dimensions: Dimension[];
  sample: Sample;
}

export class MetricStore {
  constructor(
    private readonly metrics: Table<MetricRecord>,
    private readonly data: Table<HourBucket>,
  ) {}

  /** Store a validated batch: each touched metric and hour bucket is written once. */
  put(scope: Scope, batch: PutSample[], now: number): void {
    const buckets = new Map<string, HourBucket>();
    for (const { namespace, name, dimensions, sample } of batch) {
      const key = metricKey(namespace, name, dimensions);
      const rec = this.metrics.get(scope, key) ?? { Namespace: namespace, MetricName: name, Dimensions: dimensions, lastPutAt: now };
      rec.lastPutAt = now;
      this.metrics.put(scope, key, rec);
      const bk = bucketKey(key, hourOf(sample.t));
      let bucket = buckets.get(bk);
      if (!bucket) buckets.set(bk, (bucket = this.data.get(scope, bk) ?? { samples: [] }));
      bucket.samples.push(sample);
    }
    for (const [bk, bucket] of buckets) this.data.put(scope, bk, bucket);
  }

  /** Samples of one metric with start ≤ t < end. */
  *samples(scope: Scope, key: string, start: number, end: number): Generator<Sample> {
    for (let hour = hourOf(start); hour < end; hour += HOUR) {
      const bucket = this.data.get(scope, bucketKey(key, hour));
      if (!bucket) continue;
      for (const s of bucket.samples) if (s.t >= start && s.t < end) yield s;
    }
  }

  /** Every metric of the scope with its key. */
  list(scope: Scope): [string, MetricRecord][] {
    return [...this.metrics.entries(scope)];
  }
}
