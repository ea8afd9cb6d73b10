// covers: cloudwatch.PutMetricData cloudwatch.GetMetricStatistics cloudwatch.ListMetrics
/**
 * smithy-rpc-v2-cbor on the wire, with CloudWatch as the subject: request path and headers,
 * CBOR bodies (tag-1 timestamps, indefinite-length maps), unit vs structure outputs, errors
 * (shape id, status, x-amzn-query-error), type checks and missing members.
 */
import { describe, expect, test } from 'vitest';
import { decode, encode, Tag } from 'cbor-x';
import { CloudWatchClient, PutMetricDataCommand, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { AwsSmithyRpcV2CborProtocol } from '@aws-sdk/core/protocols';
import { clientConfig, useGureum } from '../helpers.js';
import { CBOR_SCALARS } from '../../src/protocol/cbor/codec.js';
import { readStructure, writeStructure } from '../../src/protocol/walk.js';
import type { ServiceModel } from '../../src/protocol/model.js';

const ctx = useGureum({ freezeClock: true });
const SERVICE = '/service/GraniteServiceVersion20100801/operation/';
const SIGV4 = 'AWS4-HMAC-SHA256 Credential=test/20260310/us-east-1/monitoring/aws4_request, SignedHeaders=host, Signature=00';

interface Reply { status: number; headers: Headers; bytes: Buffer; body: unknown }

async function call(op: string, body?: unknown | Buffer, headers: Record<string, string> = {}): Promise<Reply> {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : encode(body);
  const res = await fetch(ctx.g.endpoint + SERVICE + op, {
    method: 'POST',
    headers: { 'smithy-protocol': 'rpc-v2-cbor', accept: 'application/cbor', authorization: SIGV4, ...(payload ? { 'content-type': 'application/cbor' } : {}), ...headers },
    body: payload ? new Uint8Array(payload) : undefined,
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, body: bytes.length ? decode(bytes) : undefined };
}

const now = () => ctx.g.clock.now().getTime();

describe('requests and responses', () => {
  test('unit output: 200, smithy-protocol header, no body and no content type', async () => {
    const r = await call('PutMetricData', { Namespace: 'Wire/A', MetricData: [{ MetricName: 'M', Value: 2, Timestamp: new Date(now() - 30_000) }] });
    expect(r.status).toBe(200);
    expect(r.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    expect(r.headers.get('content-type')).toBeNull();
    expect(r.bytes.length).toBe(0);
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('structure output: CBOR map, timestamps as tag 1 epoch seconds', async () => {
    const t = now();
    await call('PutMetricData', { Namespace: 'Wire/B', MetricData: [{ MetricName: 'M', Values: [1.5, 2.5], Timestamp: new Tag((t - 30_000) / 1000, 1) }] });
    const r = await call('GetMetricStatistics', { Namespace: 'Wire/B', MetricName: 'M', StartTime: new Date(t - 600_000), EndTime: new Date(t), Period: 60, Statistics: ['Sum', 'Maximum'] });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/cbor');
    const bucket = Math.floor((t - 30_000) / 60_000) * 60_000;
    const startBucket = Math.floor((t - 600_000) / 60_000) * 60_000;
    expect(bucket >= startBucket).toBe(true);
    expect(r.body).toEqual({ Label: 'M', Datapoints: [{ Timestamp: new Date(bucket), Sum: 4, Maximum: 2.5, Unit: 'None' }] });
    const tagIndex = r.bytes.indexOf(0xc1); // tag 1 precedes the timestamp
    expect(tagIndex).toBeGreaterThan(0);
  });

  test('an empty body is an empty input; indefinite-length maps are accepted', async () => {
    const empty = await call('ListMetrics');
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ Metrics: expect.any(Array) });
    // {_ "Namespace": "Wire/A" } as an indefinite-length map (0xbf … 0xff)
    const indefinite = Buffer.concat([Buffer.from([0xbf]), encode('Namespace'), encode('Wire/A'), Buffer.from([0xff])]);
    const r = await call('ListMetrics', indefinite);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ Metrics: [{ Namespace: 'Wire/A', MetricName: 'M', Dimensions: [] }] });
  });
});

describe('errors', () => {
  test('modelled error: shape id in __type, status from the shape, legacy code header', async () => {
    const r = await call('PutMetricData', { Namespace: 'AWS/X', MetricData: [{ MetricName: 'M', Value: 1 }] });
    expect(r.status).toBe(400);
    expect(r.headers.get('smithy-protocol')).toBe('rpc-v2-cbor');
    expect(r.headers.get('content-type')).toBe('application/cbor');
    expect(r.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
    expect(r.body).toEqual({ __type: 'com.amazonaws.cloudwatch#InvalidParameterValueException', message: 'The value AWS/ for parameter Namespace is invalid.' });
  });

  test('undecodable CBOR → SerializationException', async () => {
    const r = await call('ListMetrics', Buffer.from([0xa1, 0x61]));
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ __type: 'SerializationException' });
  });

  test('wrong types → SerializationException naming the member', async () => {
    const num = await call('PutMetricData', { Namespace: 42, MetricData: [] });
    expect(num.body).toEqual({ __type: 'SerializationException', message: "Unexpected value type for 'namespace': expected string" });
    const val = await call('PutMetricData', { Namespace: 'N', MetricData: [{ MetricName: 'M', Value: '1' }] });
    expect((val.body as { message: string }).message).toBe("Unexpected value type for 'metricData.1.member.value': expected number");
    const ts = await call('PutMetricData', { Namespace: 'N', MetricData: [{ MetricName: 'M', Value: 1, Timestamp: '2026-01-01' }] });
    expect((ts.body as { message: string }).message).toContain("'metricData.1.member.timestamp': expected timestamp");
    const list = await call('PutMetricData', { Namespace: 'N', MetricData: { MetricName: 'M' } });
    expect((list.body as { message: string }).message).toBe("Unexpected value type for 'metricData': expected list");
    const struct = await call('ListMetrics', [1, 2]);
    expect(struct.body).toMatchObject({ __type: 'SerializationException' });
  });

  test('missing required members → ValidationException listing each (query code ValidationError)', async () => {
    const r = await call('GetMetricStatistics', { Namespace: 'N' });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-query-error')).toBe('ValidationError;Sender');
    const body = r.body as { __type: string; message: string };
    expect(body.__type).toBe('com.amazonaws.cloudwatch#ValidationException');
    expect(body.message).toMatch(/^4 validation errors detected: /);
    for (const m of ['metricName', 'startTime', 'endTime', 'period']) expect(body.message).toContain(`Value null at '${m}' failed to satisfy constraint: Member must not be null`);
    const nested = await call('PutMetricData', { Namespace: 'N', MetricData: [{ Value: 1 }] });
    expect((nested.body as { message: string }).message).toBe("1 validation error detected: Value null at 'metricData.1.member.metricName' failed to satisfy constraint: Member must not be null");
  });

  test('unknown and unimplemented operations', async () => {
    const unknown = await call('DoesNotExist', {});
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ __type: 'UnknownOperationException' });
    const later = await call('DescribeAlarms', {});
    expect(later.status).toBe(501);
    expect(later.body).toMatchObject({ __type: 'NotImplemented' });
  });
});

describe('SDK v3 with the rpcv2Cbor protocol', () => {
  test('dates round-trip with millisecond precision', async () => {
    const c = new CloudWatchClient({ ...clientConfig(ctx.g), protocol: AwsSmithyRpcV2CborProtocol } as never);
    const t = now();
    await c.send(new PutMetricDataCommand({ Namespace: 'Wire/Sdk', MetricData: [{ MetricName: 'M', Value: 1, StorageResolution: 1, Timestamp: new Date(t - 10_500) }] }));
    const out = await c.send(new GetMetricStatisticsCommand({ Namespace: 'Wire/Sdk', MetricName: 'M', StartTime: new Date(t - 60_000), EndTime: new Date(t), Period: 1, Statistics: ['SampleCount'] }));
    expect(out.Datapoints).toEqual([{ Timestamp: new Date(Math.floor((t - 10_500) / 1000) * 1000), SampleCount: 1, Unit: 'None' }]);
  });
});

describe('codec (blobs and timestamps through the shared shape walk)', () => {
  const model = {
    id: 't', namespace: 'x', operations: {}, errors: [],
    shapes: { In: { type: 'structure', members: { B: { target: 'blob' }, T: { target: 'timestamp' }, N: { target: 'number', required: true }, L: { target: 'Tags' } } }, Tags: { type: 'map', key: { target: 'string' }, value: { target: 'string' } } },
  } as unknown as ServiceModel;

  test('byte strings in, Buffers out and back; tag 1 and bare epoch numbers both read as Dates', () => {
    const input = decode(encode({ B: Buffer.from([1, 2, 3]), T: new Date(1_700_000_000_250), N: 1, L: { a: 'b' } }));
    const read = readStructure(model, 'In', input, CBOR_SCALARS);
    expect(read).toEqual({ B: Buffer.from([1, 2, 3]), T: new Date(1_700_000_000_250), N: 1, L: { a: 'b' } });
    expect(readStructure(model, 'In', { T: 1_700_000_000.5, N: 2 }, CBOR_SCALARS).T).toEqual(new Date(1_700_000_000_500));
    expect(() => readStructure(model, 'In', { B: 'AQID', N: 1 }, CBOR_SCALARS)).toThrow(/expected byte string/);
    expect(() => readStructure(model, 'In', {}, CBOR_SCALARS)).toThrow(/Value null at 'n'/);
    const written = decode(encode(writeStructure(model, 'In', { B: new Uint8Array([9]), T: new Date(5_000), N: NaN }, CBOR_SCALARS)));
    expect(written.B).toEqual(Buffer.from([9]));
    expect(written.T).toEqual(new Date(5_000));
    expect(written.N).toBeNaN();
  });
});
