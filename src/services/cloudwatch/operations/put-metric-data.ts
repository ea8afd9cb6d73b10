/**
 * PutMetricData: validate the whole request first (AWS stores nothing from a rejected
 * request), then store one sample per datum.
 */
import type { MetricDatum, PutMetricDataInput } from '../generated/types.js';
import type { MetricStore, PutSample } from '../domain/samples.js';
import type { Scope } from '../../../state/store.js';
import { checkDimensions, checkMetricName, checkNamespace, checkUnit } from '../domain/metric.js';
import { invalidCombination, invalidParam, invalidValue, missingParameter } from '../domain/errors.js';
import { sampleOf } from '../domain/statistics.js';

const MAX_DATA = 1000;
const MAX_VALUES = 150;
const TWO_WEEKS = 14 * 24 * 3_600_000;
const TWO_HOURS = 2 * 3_600_000;
const LIMIT = 2 ** 360; // values must be within ±2^360

export function putMetricData(store: MetricStore, scope: Scope, input: PutMetricDataInput, now: number): void {
  checkNamespace(input.Namespace);
  // EntityMetricData carries the same data with an entity we do not keep.
  const groups: [string, MetricDatum[]][] = [];
  if (input.MetricData?.length) groups.push(['MetricData', input.MetricData]);
  input.EntityMetricData?.forEach((e, i) => e.MetricData?.length && groups.push([`EntityMetricData.member.${i + 1}.MetricData`, e.MetricData]));
  if (!groups.length) throw missingParameter('The parameter MetricData is required.');
  const total = groups.reduce((n, [, list]) => n + list.length, 0);
  if (total > MAX_DATA) throw invalidValue(`The collection MetricData must not have a size greater than ${MAX_DATA}.`);

  const batch: PutSample[] = [];
  const timeErrors: string[] = [];
  for (const [param, list] of groups) {
    list.forEach((d, i) => {
      const p = `${param}.member.${i + 1}`;
      checkDatum(d, p);
      const ts = d.Timestamp ? d.Timestamp.getTime() : now;
      if (ts < now - TWO_WEEKS) timeErrors.push(`The parameter ${p}.Timestamp must specify a time within the past two weeks.`);
      else if (ts > now + TWO_HOURS) timeErrors.push(`The parameter ${p}.Timestamp must specify a time no more than two hours in the future.`);
      const res = (d.StorageResolution ?? 60) * 1000; // data is kept at its storage resolution
      batch.push({ namespace: input.Namespace, name: d.MetricName, dimensions: d.Dimensions ?? [], sample: sampleOf(d, Math.floor(ts / res) * res) });
    });
  }
  if (timeErrors.length) throw invalidValue(timeErrors.join('\n'));
  store.put(scope, batch, now);
}

function checkDatum(d: MetricDatum, p: string): void {
  checkMetricName(d.MetricName, `${p}.MetricName`);
  checkDimensions(d.Dimensions, `${p}.Dimensions`);
  checkUnit(d.Unit, `${p}.Unit`);
  if (d.StorageResolution !== undefined && d.StorageResolution !== 1 && d.StorageResolution !== 60) throw invalidParam(`${p}.StorageResolution`, d.StorageResolution);

  const given = (['Value', 'Values', 'StatisticValues'] as const).filter((k) => d[k] !== undefined);
  if (given.length > 1) throw invalidCombination(`The parameters ${p}.${given[0]} and ${p}.${given[1]} are mutually exclusive and you have specified both.`);
  if (d.Counts !== undefined && d.Values === undefined) throw invalidCombination(`The parameter ${p}.Counts can only be specified with ${p}.Values.`);
  if (!given.length) throw missingParameter(`At least one of the parameters ${p}.Value, ${p}.Values or ${p}.StatisticValues must be specified.`);

  if (d.Value !== undefined) checkValue(d.Value, `${p}.Value`);
  if (d.Values) {
    if (d.Values.length > MAX_VALUES) throw invalidValue(`The collection ${p}.Values must not have a size greater than ${MAX_VALUES}.`);
    d.Values.forEach((v, i) => checkValue(v, `${p}.Values.member.${i + 1}`));
    if (d.Counts) {
      if (d.Counts.length !== d.Values.length) throw invalidValue(`The parameters ${p}.Values and ${p}.Counts must be of the same size.`);
      d.Counts.forEach((c, i) => {
        if (!Number.isFinite(c) || c < 0) throw invalidParam(`${p}.Counts.member.${i + 1}`, c);
      });
    }
  }
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    const sp = `${p}.StatisticValues`;
    for (const k of ['SampleCount', 'Sum', 'Minimum', 'Maximum'] as const) checkValue(s[k], `${sp}.${k}`);
    if (s.SampleCount <= 0) throw invalidParam(`${sp}.SampleCount`, s.SampleCount);
    if (s.Minimum > s.Maximum) throw invalidValue(`The parameter ${sp}.Minimum must be less than or equal to ${sp}.Maximum.`);
  }
}

function checkValue(v: number, param: string): void {
  if (!Number.isFinite(v) || Math.abs(v) > LIMIT) throw invalidParam(param, v);
}
