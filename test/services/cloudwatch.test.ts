// covers: cloudwatch.PutMetricData cloudwatch.GetMetricStatistics cloudwatch.ListMetrics
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
  type GetMetricStatisticsCommandInput,
  type MetricDatum,
} from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, raw, useGureum, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-03-10T12:00:00Z');
const at = (s: number) => new Date(T0 + s * 1000);

beforeAll(() => ctx.g.clock.set(T0));

/** SDK v3 speaks awsJson 1.0 to CloudWatch by default; the same client can be switched to rpcv2Cbor. */
const cw = () => new CloudWatchClient(clientConfig(ctx.g));
const cwCbor = () => new CloudWatchClient({ ...clientConfig(ctx.g), protocol: AwsSmithyRpcV2CborProtocol } as never);

const put = (Namespace: string, MetricData: MetricDatum[], client = cw()) => client.send(new PutMetricDataCommand({ Namespace, MetricData }));
const stats = (input: Partial<GetMetricStatisticsCommandInput> & { Namespace: string; MetricName: string }, client = cw()) =>
  client.send(new GetMetricStatisticsCommand({ StartTime: at(-3600), EndTime: at(60), Period: 60, ...input }));

describe('PutMetricData → GetMetricStatistics', () => {
  test('values are bucketed by period with every statistic', async () => {
    await put('App/Stats', [
      { MetricName: 'Latency', Value: 10, Unit: 'Milliseconds', Timestamp: at(-400) },
      { MetricName: 'Latency', Value: 30, Unit: 'Milliseconds', Timestamp: at(-390) },
      { MetricName: 'Latency', Value: 5, Unit: 'Milliseconds', Timestamp: at(-100) },
    ]);
    const out = await stats({ Namespace: 'App/Stats', MetricName: 'Latency', StartTime: at(-600), EndTime: at(0), Period: 300, Statistics: ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'] });
    expect(out.Label).toBe('Latency');
    expect(out.Datapoints).toEqual([
      { Timestamp: at(-600), SampleCount: 2, Average: 20, Sum: 40, Minimum: 10, Maximum: 30, Unit: 'Milliseconds' },
      { Timestamp: at(-300), SampleCount: 1, Average: 5, Sum: 5, Minimum: 5, Maximum: 5, Unit: 'Milliseconds' },
    ]);
  });

  test('Values with Counts, StatisticValues, and percentiles', async () => {
    await put('App/Dist', [
      { MetricName: 'Size', Values: [1, 2, 3, 100], Counts: [50, 30, 19, 1], Timestamp: at(-120) },
      { MetricName: 'Agg', StatisticValues: { SampleCount: 4, Sum: 20, Minimum: 2, Maximum: 8 }, Timestamp: at(-120) },
    ]);
    const size = await stats({ Namespace: 'App/Dist', MetricName: 'Size', ExtendedStatistics: ['p50', 'p90', 'p99.9', 'p100'] });
    expect(size.Datapoints).toEqual([{ Timestamp: at(-120), Unit: 'None', ExtendedStatistics: { p50: 1, p90: 3, 'p99.9': 100, p100: 100 } }]);
    const sum = await stats({ Namespace: 'App/Dist', MetricName: 'Size', Statistics: ['SampleCount', 'Sum', 'Maximum'] });
    expect(sum.Datapoints).toEqual([{ Timestamp: at(-120), Unit: 'None', SampleCount: 100, Sum: 50 + 60 + 57 + 100, Maximum: 100 }]);
    const agg = await stats({ Namespace: 'App/Dist', MetricName: 'Agg', Statistics: ['Average', 'Minimum'] });
    expect(agg.Datapoints).toEqual([{ Timestamp: at(-120), Unit: 'None', Average: 5, Minimum: 2 }]);
    // A statistic set of distinct values has no percentiles (AWS omits them).
    const aggP = await stats({ Namespace: 'App/Dist', MetricName: 'Agg', ExtendedStatistics: ['p50'] });
    expect(aggP.Datapoints).toEqual([{ Timestamp: at(-120), Unit: 'None' }]);
  });

  test('Timestamp defaults to now on the virtual clock; dimensions are part of identity, not their order', async () => {
    ctx.g.clock.set(T0 + 42_000);
    await put('App/Dims', [{ MetricName: 'Hits', Value: 1, Dimensions: [{ Name: 'A', Value: '1' }, { Name: 'B', Value: '2' }] }]);
    await put('App/Dims', [{ MetricName: 'Hits', Value: 2, Dimensions: [{ Name: 'B', Value: '2' }, { Name: 'A', Value: '1' }] }]);
    await put('App/Dims', [{ MetricName: 'Hits', Value: 100, Dimensions: [{ Name: 'A', Value: '1' }] }]);
    ctx.g.clock.set(T0);
    const out = await stats({ Namespace: 'App/Dims', MetricName: 'Hits', Dimensions: [{ Name: 'B', Value: '2' }, { Name: 'A', Value: '1' }], Statistics: ['Sum'] });
    expect(out.Datapoints).toEqual([{ Timestamp: at(0), Sum: 3, Unit: 'None' }]);
    const none = await stats({ Namespace: 'App/Dims', MetricName: 'Hits', Statistics: ['Sum'] });
    expect(none.Datapoints).toEqual([]);
  });

  test('units: one datapoint per unit, or only the asked unit', async () => {
    await put('App/Units', [
      { MetricName: 'Data', Value: 1, Unit: 'Bytes', Timestamp: at(-60) },
      { MetricName: 'Data', Value: 8, Unit: 'Kilobytes', Timestamp: at(-60) },
    ]);
    const both = await stats({ Namespace: 'App/Units', MetricName: 'Data', Statistics: ['Sum'] });
    expect(both.Datapoints!.map((d) => [d.Unit, d.Sum])).toEqual([['Bytes', 1], ['Kilobytes', 8]]);
    const kb = await stats({ Namespace: 'App/Units', MetricName: 'Data', Statistics: ['Sum'], Unit: 'Kilobytes' });
    expect(kb.Datapoints).toEqual([{ Timestamp: at(-60), Sum: 8, Unit: 'Kilobytes' }]);
  });

  test('high-resolution data keeps seconds; standard resolution keeps minutes', async () => {
    await put('App/HiRes', [
      { MetricName: 'Fast', Value: 1, StorageResolution: 1, Timestamp: at(-59) },
      { MetricName: 'Fast', Value: 2, StorageResolution: 1, Timestamp: at(-45) },
      { MetricName: 'Slow', Value: 1, Timestamp: at(-59) },
      { MetricName: 'Slow', Value: 2, Timestamp: at(-45) },
    ]);
    const fast = await stats({ Namespace: 'App/HiRes', MetricName: 'Fast', StartTime: at(-60), EndTime: at(0), Period: 10, Statistics: ['Sum'] });
    expect(fast.Datapoints).toEqual([
      { Timestamp: at(-60), Sum: 1, Unit: 'None' },
      { Timestamp: at(-60 + 10), Sum: 2, Unit: 'None' },
    ]);
    const slow = await stats({ Namespace: 'App/HiRes', MetricName: 'Slow', StartTime: at(-60), EndTime: at(0), Period: 10, Statistics: ['Sum'] });
    expect(slow.Datapoints).toEqual([{ Timestamp: at(-60), Sum: 3, Unit: 'None' }]);
  });

  test('a period finer than the age of the data allows returns no datapoints', async () => {
    await put('App/Old', [{ MetricName: 'M', Value: 1, StorageResolution: 1, Timestamp: at(-4 * 3600) }]);
    const fine = await stats({ Namespace: 'App/Old', MetricName: 'M', StartTime: at(-5 * 3600), EndTime: at(-3 * 3600), Period: 10, Statistics: ['Sum'] });
    expect(fine.Datapoints).toEqual([]);
    const coarse = await stats({ Namespace: 'App/Old', MetricName: 'M', StartTime: at(-5 * 3600), EndTime: at(-3 * 3600), Period: 3600, Statistics: ['Sum'] });
    expect(coarse.Datapoints).toEqual([{ Timestamp: at(-4 * 3600), Sum: 1, Unit: 'None' }]);
  });
});

describe('PutMetricData validation (AWS error codes and messages)', () => {
  test('AWS/ namespaces are reserved', async () => {
    const e = await failure(put('AWS/EC2', [{ MetricName: 'M', Value: 1 }]));
    expect(e).toMatchObject({ name: 'InvalidParameterValueException', status: 400, message: 'The value AWS/ for parameter Namespace is invalid.' });
  });

  test('Value and Values are mutually exclusive', async () => {
    const e = await failure(put('App/V', [{ MetricName: 'M', Value: 1, Values: [1] }]));
    expect(e).toMatchObject({ name: 'InvalidParameterCombinationException', message: 'The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually exclusive and you have specified both.' });
  });

  test('Counts must match Values; at most 30 dimensions; valid units and resolutions', async () => {
    expect(await failure(put('App/V', [{ MetricName: 'M', Values: [1, 2], Counts: [1] }]))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The parameters MetricData.member.1.Values and MetricData.member.1.Counts must be of the same size.',
    });
    const dims = Array.from({ length: 31 }, (_, i) => ({ Name: `d${i}`, Value: 'v' }));
    expect(await failure(put('App/V', [{ MetricName: 'M', Value: 1, Dimensions: dims }]))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The collection MetricData.member.1.Dimensions must not have a size greater than 30.',
    });
    expect(await failure(put('App/V', [{ MetricName: 'M', Value: 1, Unit: 'Parsecs' as never }]))).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(await failure(put('App/V', [{ MetricName: 'M', Value: 1, StorageResolution: 5 }]))).toMatchObject({
      message: 'The value 5 for parameter MetricData.member.1.StorageResolution is invalid.',
    });
  });

  test('timestamps older than two weeks or over two hours ahead are refused, and nothing is stored', async () => {
    const e = await failure(put('App/Time', [
      { MetricName: 'M', Value: 1, Timestamp: at(0) },
      { MetricName: 'M', Value: 1, Timestamp: at(-15 * 86400) },
      { MetricName: 'M', Value: 1, Timestamp: at(3 * 3600) },
    ]));
    expect(e.name).toBe('InvalidParameterValueException');
    expect(e.message).toBe(
      'The parameter MetricData.member.2.Timestamp must specify a time within the past two weeks.\n' +
        'The parameter MetricData.member.3.Timestamp must specify a time no more than two hours in the future.',
    );
    const listed = await cw().send(new ListMetricsCommand({ Namespace: 'App/Time' }));
    expect(listed.Metrics).toEqual([]);
  });
});

describe('GetMetricStatistics validation', () => {
  test('Statistics or ExtendedStatistics, not both, not neither', async () => {
    const both = await failure(stats({ Namespace: 'App/X', MetricName: 'M', Statistics: ['Sum'], ExtendedStatistics: ['p50'] }));
    expect(both).toMatchObject({ name: 'InvalidParameterCombinationException', message: 'Must specify either Statistics or ExtendedStatistics, but not both.' });
    const neither = await failure(stats({ Namespace: 'App/X', MetricName: 'M' }));
    expect(neither.name).toBe('InvalidParameterCombinationException');
  });

  test('period, time range and the 1,440-datapoint limit', async () => {
    expect(await failure(stats({ Namespace: 'App/X', MetricName: 'M', Statistics: ['Sum'], Period: 7 }))).toMatchObject({ name: 'InvalidParameterValueException' });
    expect(await failure(stats({ Namespace: 'App/X', MetricName: 'M', Statistics: ['Sum'], StartTime: at(0), EndTime: at(0) }))).toMatchObject({
      name: 'InvalidParameterValueException',
      message: 'The parameter StartTime must not equal parameter EndTime.',
    });
    const tooMany = await failure(stats({ Namespace: 'App/X', MetricName: 'M', Statistics: ['Sum'], StartTime: at(-86400), EndTime: at(0), Period: 1 }));
    expect(tooMany).toMatchObject({
      name: 'InvalidParameterCombinationException',
      status: 400,
      message: 'You have requested up to 86400 datapoints, which exceeds the limit of 1440. You may reduce the datapoints requested by increasing Period, or decreasing the time range.',
    });
    const ok = await stats({ Namespace: 'App/X', MetricName: 'M', Statistics: ['Sum'], StartTime: at(-86400), EndTime: at(0), Period: 60 });
    expect(ok.Datapoints).toEqual([]);
  });
});

describe('ListMetrics', () => {
  test('filters by namespace, name and dimensions (name alone or name and value)', async () => {
    await put('App/List', [
      { MetricName: 'A', Value: 1, Dimensions: [{ Name: 'Host', Value: 'h1' }, { Name: 'Az', Value: 'a' }] },
      { MetricName: 'A', Value: 1, Dimensions: [{ Name: 'Host', Value: 'h2' }] },
      { MetricName: 'B', Value: 1 },
    ]);
    const all = await cw().send(new ListMetricsCommand({ Namespace: 'App/List' }));
    expect(all.Metrics).toHaveLength(3);
    const b = await cw().send(new ListMetricsCommand({ Namespace: 'App/List', MetricName: 'B' }));
    expect(b.Metrics).toEqual([{ Namespace: 'App/List', MetricName: 'B', Dimensions: [] }]);
    const host = await cw().send(new ListMetricsCommand({ Namespace: 'App/List', Dimensions: [{ Name: 'Host' }] }));
    expect(host.Metrics).toHaveLength(2);
    const h1 = await cw().send(new ListMetricsCommand({ Dimensions: [{ Name: 'Host', Value: 'h1' }] }));
    expect(h1.Metrics).toEqual([{ Namespace: 'App/List', MetricName: 'A', Dimensions: [{ Name: 'Host', Value: 'h1' }, { Name: 'Az', Value: 'a' }] }]);
  });

  test('pages of 500 with NextToken', async () => {
    const data = (from: number) => Array.from({ length: 500 }, (_, i) => ({ MetricName: `m${String(from + i).padStart(4, '0')}`, Value: 1 }));
    await put('App/Paging', data(0));
    await put('App/Paging', data(500));
    await put('App/Paging', [{ MetricName: 'zzz', Value: 1 }]);
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const out = await cw().send(new ListMetricsCommand({ Namespace: 'App/Paging', NextToken: token }));
      names.push(...out.Metrics!.map((m) => m.MetricName!));
      token = out.NextToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(new Set(names).size).toBe(1001);
    const bad = await failure(cw().send(new ListMetricsCommand({ NextToken: 'garbage' })));
    expect(bad.name).toBe('InvalidNextToken');
  });

  test('RecentlyActive PT3H and metrics idle for two weeks drop out (virtual clock)', async () => {
    await ctx.g.reset('cloudwatch');
    ctx.g.clock.set(T0);
    await put('App/Active', [{ MetricName: 'Old', Value: 1 }]);
    ctx.g.clock.advance('4h');
    await put('App/Active', [{ MetricName: 'New', Value: 1 }]);
    const recent = await cw().send(new ListMetricsCommand({ Namespace: 'App/Active', RecentlyActive: 'PT3H' }));
    expect(recent.Metrics!.map((m) => m.MetricName)).toEqual(['New']);
    const all = await cw().send(new ListMetricsCommand({ Namespace: 'App/Active' }));
    expect(all.Metrics!.map((m) => m.MetricName).sort()).toEqual(['New', 'Old']);
    ctx.g.clock.advance('P14D');
    const later = await cw().send(new ListMetricsCommand({ Namespace: 'App/Active' }));
    expect(later.Metrics!.map((m) => m.MetricName)).toEqual(['New']);
    const bad = await failure(cw().send(new ListMetricsCommand({ RecentlyActive: 'PT1H' as never })));
    expect(bad.name).toBe('InvalidParameterValueException');
    ctx.g.clock.set(T0);
  });
});

describe('SDK v3 over smithy-rpc-v2-cbor', () => {
  test('put, statistics, list and a modelled error', async () => {
    const c = cwCbor();
    await put('Cbor/App', [{ MetricName: 'Bytes', Value: 1.5, Unit: 'Bytes', Timestamp: at(-30), Dimensions: [{ Name: 'K', Value: 'v' }] }], c);
    await put('Cbor/App', [{ MetricName: 'Bytes', Values: [2.5, 4], Unit: 'Bytes', Timestamp: at(-20), Dimensions: [{ Name: 'K', Value: 'v' }] }], c);
    const out = await stats({ Namespace: 'Cbor/App', MetricName: 'Bytes', Dimensions: [{ Name: 'K', Value: 'v' }], Statistics: ['Sum', 'Maximum'], ExtendedStatistics: undefined }, c);
    expect(out.Datapoints).toEqual([{ Timestamp: at(-60), Sum: 8, Maximum: 4, Unit: 'Bytes' }]);
    const listed = await c.send(new ListMetricsCommand({ Namespace: 'Cbor/App' }));
    expect(listed.Metrics).toEqual([{ Namespace: 'Cbor/App', MetricName: 'Bytes', Dimensions: [{ Name: 'K', Value: 'v' }] }]);
    const e = await failure(put('AWS/Lambda', [{ MetricName: 'M', Value: 1 }], c));
    expect(e).toMatchObject({ name: 'InvalidParameterValueException', status: 400, message: 'The value AWS/ for parameter Namespace is invalid.' });
  });
});

const SIGV4 = 'AWS4-HMAC-SHA256 Credential=test/20260310/us-east-1/monitoring/aws4_request, SignedHeaders=host;x-amz-date, Signature=00';

describe('raw awsJson 1.0 (X-Amz-Target GraniteServiceVersion20100801.*)', () => {
  const call = (op: string, body: unknown) =>
    raw(ctx.g, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `GraniteServiceVersion20100801.${op}`, authorization: SIGV4 },
      body: JSON.stringify(body),
    });

  test('PutMetricData then GetMetricStatistics with epoch-second timestamps', async () => {
    const put = await call('PutMetricData', { Namespace: 'Json/App', MetricData: [{ MetricName: 'Q', Value: 7, Timestamp: (T0 - 90_000) / 1000 }] });
    expect(put.status).toBe(200);
    const got = await call('GetMetricStatistics', { Namespace: 'Json/App', MetricName: 'Q', StartTime: (T0 - 600_000) / 1000, EndTime: T0 / 1000, Period: 60, Statistics: ['Sum'] });
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(JSON.parse(got.text)).toEqual({ Label: 'Q', Datapoints: [{ Timestamp: (T0 - 120_000) / 1000, Sum: 7, Unit: 'None' }] });
  });

  test('errors carry the shape id and the legacy query code', async () => {
    const r = await call('PutMetricData', { Namespace: 'AWS/S3', MetricData: [{ MetricName: 'Q', Value: 1 }] });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
    expect(JSON.parse(r.text)).toEqual({ __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The value AWS/ for parameter Namespace is invalid.' });
  });
});

describe('raw awsQuery (Action=…&Version=2010-08-01)', () => {
  const call = (params: Record<string, string>) =>
    raw(ctx.g, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', authorization: SIGV4 },
      body: new URLSearchParams({ Version: '2010-08-01', ...params }).toString(),
    });

  test('PutMetricData, GetMetricStatistics and ListMetrics', async () => {
    const put = await call({
      Action: 'PutMetricData',
      Namespace: 'Query/App',
      'MetricData.member.1.MetricName': 'Q',
      'MetricData.member.1.Value': '2.5',
      'MetricData.member.1.Unit': 'Count',
      'MetricData.member.1.Timestamp': at(-30).toISOString(),
      'MetricData.member.1.Dimensions.member.1.Name': 'Host',
      'MetricData.member.1.Dimensions.member.1.Value': 'web-1',
    });
    expect(put.status, put.text).toBe(200);
    expect(put.text).toContain('<PutMetricDataResponse');
    const got = await call({
      Action: 'GetMetricStatistics',
      Namespace: 'Query/App',
      MetricName: 'Q',
      'Dimensions.member.1.Name': 'Host',
      'Dimensions.member.1.Value': 'web-1',
      StartTime: at(-600).toISOString(),
      EndTime: at(0).toISOString(),
      Period: '60',
      'Statistics.member.1': 'Sum',
    });
    expect(got.status, got.text).toBe(200);
    expect(got.text).toMatch(/<GetMetricStatisticsResult>[\s\S]*<Label>Q<\/Label>/);
    expect(got.text).toMatch(/<Sum>2.5<\/Sum>/);
    expect(got.text).toMatch(/<Unit>Count<\/Unit>/);
    const list = await call({ Action: 'ListMetrics', Namespace: 'Query/App' });
    expect(list.status).toBe(200);
    expect(list.text).toMatch(/<MetricName>Q<\/MetricName>/);
  });

  test('errors use the legacy query codes', async () => {
    const r = await call({ Action: 'PutMetricData', Namespace: 'AWS/Query', 'MetricData.member.1.MetricName': 'Q', 'MetricData.member.1.Value': '1' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('<Code>InvalidParameterValue</Code>');
    expect(r.text).toContain('<Message>The value AWS/ for parameter Namespace is invalid.</Message>');
  });
});

// botocore 1.43 (boto3 and AWS CLI v1) ranks json above smithy-rpc-v2-cbor, so both speak awsJson
// with x-amzn-query-mode by default; the boto3 CBOR test re-ranks the protocols to force CBOR.
describe.skipIf(!HAS_AWS_CLI)('AWS CLI (awsJson)', () => {
  test('aws cloudwatch put-metric-data, get-metric-statistics, list-metrics', async () => {
    const p = await awsCli(ctx.g, ['cloudwatch', 'put-metric-data', '--namespace', 'Cli/App', '--metric-name', 'Jobs', '--value', '4', '--unit', 'Count', '--timestamp', at(-30).toISOString(), '--dimensions', 'Queue=q1']);
    expect(p.status, p.stderr).toBe(0);
    const s = await awsCli(ctx.g, ['cloudwatch', 'get-metric-statistics', '--namespace', 'Cli/App', '--metric-name', 'Jobs', '--dimensions', 'Name=Queue,Value=q1', '--start-time', at(-600).toISOString(), '--end-time', at(0).toISOString(), '--period', '60', '--statistics', 'Sum', 'SampleCount']);
    expect(s.status, s.stderr).toBe(0);
    expect(s.json).toMatchObject({ Label: 'Jobs', Datapoints: [{ Sum: 4, SampleCount: 1, Unit: 'Count' }] });
    const l = await awsCli(ctx.g, ['cloudwatch', 'list-metrics', '--namespace', 'Cli/App']);
    expect(l.json).toEqual({ Metrics: [{ Namespace: 'Cli/App', MetricName: 'Jobs', Dimensions: [{ Name: 'Queue', Value: 'q1' }] }] });
  });

  test('CLI error for a reserved namespace', async () => {
    const r = await awsCli(ctx.g, ['cloudwatch', 'put-metric-data', '--namespace', 'AWS/Cli', '--metric-name', 'Jobs', '--value', '4']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('(InvalidParameterValue)');
  });
});

const BOTO3_SCENARIO = `
import datetime
c = boto3.client('cloudwatch', endpoint_url=ENDPOINT)
seen = []
c.meta.events.register('after-call.cloudwatch.*', lambda http_response, **kw: seen.append(http_response.headers.get('content-type')))
t = datetime.datetime.fromtimestamp(${T0 / 1000 - 30}, tz=datetime.timezone.utc)
c.put_metric_data(Namespace=NS, MetricData=[{'MetricName': 'Rt', 'StatisticValues': {'SampleCount': 2, 'Sum': 3.0, 'Minimum': 1.0, 'Maximum': 2.0}, 'Timestamp': t, 'Unit': 'Seconds'}])
out = c.get_metric_statistics(Namespace=NS, MetricName='Rt', StartTime=t - datetime.timedelta(minutes=5), EndTime=t + datetime.timedelta(minutes=1), Period=60, Statistics=['Average', 'SampleCount'])
try:
    c.get_metric_statistics(Namespace=NS, MetricName='Rt', StartTime=t, EndTime=t, Period=60, Statistics=['Sum'])
    err = None
except c.exceptions.InvalidParameterValueException as e:
    err = e.response['Error']['Code']
dp = out['Datapoints'][0]
print(json.dumps({'protocol': c.meta.service_model.resolved_protocol, 'type': seen[-1], 'avg': dp['Average'], 'n': dp['SampleCount'], 'ts': dp['Timestamp'].timestamp(), 'err': err}))
`;

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('put_metric_data with StatisticValues and get_metric_statistics (awsJson, query-compatible errors)', async () => {
    const r = await boto3(ctx.g, `NS = 'Py/Json'\n` + BOTO3_SCENARIO);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ protocol: 'json', type: 'application/x-amz-json-1.0', avg: 1.5, n: 2, ts: T0 / 1000 - 60, err: 'InvalidParameterValue' });
  });

  test('the same over smithy-rpc-v2-cbor (botocore forced to rank CBOR first)', async () => {
    const force = `import botocore.model\nbotocore.model.PRIORITY_ORDERED_SUPPORTED_PROTOCOLS = ('smithy-rpc-v2-cbor', 'json', 'query')\nNS = 'Py/Cbor'\n`;
    const r = await boto3(ctx.g, force + BOTO3_SCENARIO);
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ protocol: 'smithy-rpc-v2-cbor', type: 'application/cbor', avg: 1.5, n: 2, ts: T0 / 1000 - 60, err: 'InvalidParameterValue' });
  });
});
