/**
 * Put/Get/Delete/List of the id-keyed bucket configurations: inventory (reports are produced by
 * inventory-runner.ts), analytics (storage class analysis), CloudWatch request metrics and
 * Intelligent-Tiering archive configurations.
 */
import type { RequestContext } from '../../../gateway/context.js';
import type { S3Handlers } from '../generated/types.js';
import type { BucketRecord } from '../domain/buckets.js';
import type { S3State } from '../state.js';
import {
  MAX_CONFIGURATIONS, checkAnalytics, checkIntelligentTiering, checkInventory, checkMetrics, configPage, noSuchConfiguration, tooManyConfigurations,
} from '../domain/bucket-configs.js';
import { checkBodyIntegrity } from '../domain/integrity.js';

type Kind = 'inventory' | 'analytics' | 'metrics' | 'intelligentTiering';
type Config = { Id: string };
interface Addressed { Bucket: string; ExpectedBucketOwner?: string }

type Handlers = Pick<Required<S3Handlers>,
  | 'PutBucketInventoryConfiguration' | 'GetBucketInventoryConfiguration' | 'DeleteBucketInventoryConfiguration' | 'ListBucketInventoryConfigurations'
  | 'PutBucketAnalyticsConfiguration' | 'GetBucketAnalyticsConfiguration' | 'DeleteBucketAnalyticsConfiguration' | 'ListBucketAnalyticsConfigurations'
  | 'PutBucketMetricsConfiguration' | 'GetBucketMetricsConfiguration' | 'DeleteBucketMetricsConfiguration' | 'ListBucketMetricsConfigurations'
  | 'PutBucketIntelligentTieringConfiguration' | 'GetBucketIntelligentTieringConfiguration' | 'DeleteBucketIntelligentTieringConfiguration'
  | 'ListBucketIntelligentTieringConfigurations'>;

export function bucketConfigHandlers(state: S3State): Handlers {
  const configs = (r: BucketRecord, kind: Kind) => r[kind] as Record<string, Config> | undefined;

  function put(kind: Kind, input: Addressed & { Id: string }, ctx: RequestContext, config: Config): void {
    const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
    const all = { ...configs(b.record, kind) };
    if (!(input.Id in all) && Object.keys(all).length >= MAX_CONFIGURATIONS) throw tooManyConfigurations();
    all[input.Id] = config;
    state.updateBucket(b, { [kind]: all });
  }

  function get(kind: Kind, input: Addressed & { Id: string }, ctx: RequestContext): Config {
    const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
    const c = configs(b.record, kind)?.[input.Id];
    if (!c) throw noSuchConfiguration();
    return c;
  }

  function remove(kind: Kind, input: Addressed & { Id: string }, ctx: RequestContext): void {
    const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
    const all = { ...configs(b.record, kind) };
    if (!(input.Id in all)) throw noSuchConfiguration();
    delete all[input.Id];
    state.updateBucket(b, { [kind]: Object.keys(all).length ? all : undefined });
  }

  function list(kind: Kind, input: Addressed & { ContinuationToken?: string }, ctx: RequestContext) {
    const b = state.bucket(ctx, input.Bucket, input.ExpectedBucketOwner);
    const page = configPage(configs(b.record, kind), input.ContinuationToken);
    return {
      list: page.list,
      IsTruncated: page.next !== undefined,
      ...(input.ContinuationToken !== undefined ? { ContinuationToken: input.ContinuationToken } : {}),
      ...(page.next !== undefined ? { NextContinuationToken: page.next } : {}),
    };
  }

  return {
    PutBucketInventoryConfiguration(input, ctx) {
      checkBodyIntegrity(ctx, false);
      put('inventory', input, ctx, checkInventory(input.Id, input.InventoryConfiguration));
    },
    GetBucketInventoryConfiguration: (input, ctx) => ({ InventoryConfiguration: get('inventory', input, ctx) as never }),
    DeleteBucketInventoryConfiguration: (input, ctx) => remove('inventory', input, ctx),
    ListBucketInventoryConfigurations(input, ctx) {
      const { list: l, ...rest } = list('inventory', input, ctx);
      return { ...rest, ...(l.length ? { InventoryConfigurationList: l as never } : {}) };
    },

    PutBucketAnalyticsConfiguration(input, ctx) {
      checkBodyIntegrity(ctx, false);
      put('analytics', input, ctx, checkAnalytics(input.Id, input.AnalyticsConfiguration));
    },
    GetBucketAnalyticsConfiguration: (input, ctx) => ({ AnalyticsConfiguration: get('analytics', input, ctx) as never }),
    DeleteBucketAnalyticsConfiguration: (input, ctx) => remove('analytics', input, ctx),
    ListBucketAnalyticsConfigurations(input, ctx) {
      const { list: l, ...rest } = list('analytics', input, ctx);
      return { ...rest, ...(l.length ? { AnalyticsConfigurationList: l as never } : {}) };
    },

    PutBucketMetricsConfiguration(input, ctx) {
      checkBodyIntegrity(ctx, false);
      put('metrics', input, ctx, checkMetrics(input.Id, input.MetricsConfiguration));
    },
    GetBucketMetricsConfiguration: (input, ctx) => ({ MetricsConfiguration: get('metrics', input, ctx) as never }),
    DeleteBucketMetricsConfiguration: (input, ctx) => remove('metrics', input, ctx),
    ListBucketMetricsConfigurations(input, ctx) {
      const { list: l, ...rest } = list('metrics', input, ctx);
      return { ...rest, ...(l.length ? { MetricsConfigurationList: l as never } : {}) };
    },

    PutBucketIntelligentTieringConfiguration(input, ctx) {
      checkBodyIntegrity(ctx, false);
      put('intelligentTiering', input, ctx, checkIntelligentTiering(input.Id, input.IntelligentTieringConfiguration));
    },
    GetBucketIntelligentTieringConfiguration: (input, ctx) => ({ IntelligentTieringConfiguration: get('intelligentTiering', input, ctx) as never }),
    DeleteBucketIntelligentTieringConfiguration: (input, ctx) => remove('intelligentTiering', input, ctx),
    ListBucketIntelligentTieringConfigurations(input, ctx) {
      const { list: l, ...rest } = list('intelligentTiering', input, ctx);
      return { ...rest, ...(l.length ? { IntelligentTieringConfigurationList: l as never } : {}) };
    },
  };
}
