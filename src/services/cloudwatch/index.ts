/**
 * CloudWatch metrics: PutMetricData, GetMetricStatistics, ListMetrics. Served over
 * rpcv2Cbor (botocore/AWS CLI), awsJson 1.0 (SDK v3) and awsQuery — the protocol layer
 * hands every one of them the same typed input.
 */
import { defineService } from '../service.js';
import { scopeOf } from '../../gateway/context.js';
import type { CloudWatchHandlers } from './generated/types.js';
import type { MetricRecord } from './domain/metric.js';
import { MetricStore, type HourBucket } from './domain/samples.js';
import { putMetricData } from './operations/put-metric-data.js';
import { getMetricStatistics } from './operations/get-metric-statistics.js';
import { listMetrics } from './operations/list-metrics.js';

export default defineService({
  id: 'cloudwatch',
  create(rt) {
    const store = new MetricStore(rt.table<MetricRecord>('metrics'), rt.table<HourBucket>('data'));
    const handlers: CloudWatchHandlers = {
      PutMetricData: (input, ctx) => putMetricData(store, scopeOf(ctx), input, rt.clock.now()),
      GetMetricStatistics: (input, ctx) => getMetricStatistics(store, scopeOf(ctx), input, rt.clock.now()),
      ListMetrics: (input, ctx) => listMetrics(store, scopeOf(ctx), input, rt.clock.now()),
    };
    return { handlers: handlers as never };
  },
});
