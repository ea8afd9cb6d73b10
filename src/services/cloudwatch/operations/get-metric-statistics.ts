/**
 * GetMetricStatistics: one metric (exact dimension set), statistics per period bucket and
 * per unit. Start times are rounded as AWS documents; a period too fine for the age of the
 * start time yields no datapoints (not an error), as in AWS.
 */
import type { GetMetricStatisticsInput, GetMetricStatisticsOutput } from '../generated/types.js';
import type { MetricStore } from '../domain/samples.js';
import type { Scope } from '../../../state/store.js';
import { checkDimensions, checkMetricName, checkNamespace, checkUnit, metricKey } from '../domain/metric.js';
import { invalidCombination, invalidValue } from '../domain/errors.js';
import { datapoints, PERCENTILE, STATISTICS } from '../domain/statistics.js';

const MAX_DATAPOINTS = 1440;
const HIGH_RES_PERIODS = new Set([1, 5, 10, 20, 30]);
const DAY = 86_400_000;

export function getMetricStatistics(store: MetricStore, scope: Scope, input: GetMetricStatisticsInput, now: number): GetMetricStatisticsOutput {
  checkMetricName(input.MetricName, 'MetricName');
  checkNamespace(input.Namespace, { reading: true });
  checkDimensions(input.Dimensions, 'Dimensions');
  checkUnit(input.Unit, 'Unit');
  const statistics = input.Statistics ?? [];
  const extended = input.ExtendedStatistics ?? [];
  if (!statistics.length === !extended.length) throw invalidCombination('Must specify either Statistics or ExtendedStatistics, but not both.');
  if (statistics.length > 5) throw invalidValue('The collection Statistics must not have a size greater than 5.');
  if (extended.length > 10) throw invalidValue('The collection ExtendedStatistics must not have a size greater than 10.');
  statistics.forEach((s, i) => {
    if (!(STATISTICS as readonly string[]).includes(s)) throw invalidValue(`The parameter Statistics.member.${i + 1} must be a value in the set [ ${STATISTICS.join(', ')} ].`);
  });
  extended.forEach((s, i) => {
    if (!PERCENTILE.test(s)) throw invalidValue(`The value ${s} for parameter ExtendedStatistics.member.${i + 1} is invalid. Percentiles must be of the form pNN.NN between p0.0 and p100.`);
  });

  const period = input.Period;
  if (!Number.isInteger(period) || period < 1 || (period % 60 !== 0 && !HIGH_RES_PERIODS.has(period))) {
    throw invalidValue('The parameter Period must be 1, 5, 10, 20, 30, or a multiple of 60.');
  }
  const startIn = input.StartTime.getTime();
  const end = input.EndTime.getTime();
  if (startIn === end) throw invalidValue('The parameter StartTime must not equal parameter EndTime.');
  if (startIn > end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');

  const age = now - startIn;
  const rounding = age > 63 * DAY ? 3600 : age > 15 * DAY ? 300 : Math.min(60, period);
  const start = Math.floor(startIn / (rounding * 1000)) * rounding * 1000;
  const requested = Math.ceil((end - start) / (period * 1000));
  if (requested > MAX_DATAPOINTS) {
    throw invalidCombination(`You have requested up to ${requested} datapoints, which exceeds the limit of ${MAX_DATAPOINTS}. You may reduce the datapoints requested by increasing Period, or decreasing the time range.`);
  }

  const label = input.MetricName;
  // Older data only exists at coarser resolution (3 h / 15 d / 63 d tiers).
  const finest = age > 63 * DAY ? 3600 : age > 15 * DAY ? 300 : age > 3 * 3_600_000 ? 60 : 1;
  if (period % finest !== 0) return { Label: label, Datapoints: [] };

  const key = metricKey(input.Namespace, input.MetricName, input.Dimensions ?? []);
  let samples = [...store.samples(scope, key, start, end)];
  if (input.Unit) samples = samples.filter((s) => s.u === input.Unit);
  return { Label: label, Datapoints: datapoints(samples, { start, period: period * 1000, statistics, extended }) };
}
