// covers: logs.CreateLogGroup logs.DescribeLogGroups logs.PutLogEvents cloudwatch.PutMetricData
/**
 * The awsJson protocol itself, on raw HTTP: CloudWatch Logs (json 1.1) and CloudWatch
 * (json 1.0, awsQueryCompatible) as subjects. Type checks, broken JSON, X-Amz-Target
 * routing, ValidationException messages for missing members, error shapes and headers.
 */
import { describe, expect, test } from 'vitest';
import { raw, useGureum } from '../helpers.js';

const ctx = useGureum();
const sig = (service: string) => `AWS4-HMAC-SHA256 Credential=test/20260310/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=00`;

async function logs(target: string | undefined, body: string, extra: Record<string, string> = {}) {
  const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', authorization: sig('logs'), ...extra };
  if (target !== undefined) headers['x-amz-target'] = target;
  const r = await raw(ctx.g, '/', { method: 'POST', headers, body });
  return { ...r, json: r.text ? (JSON.parse(r.text) as Record<string, unknown>) : undefined };
}
const op = (name: string, body: unknown) => logs(`Logs_20140328.${name}`, JSON.stringify(body));

describe('success responses', () => {
  test('200 with the json 1.1 content type and a request id; unit outputs are {}', async () => {
    const r = await op('CreateLogGroup', { logGroupName: 'json-a' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.1');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json).toEqual({});
    const d = await op('DescribeLogGroups', { logGroupNamePrefix: 'json-a' });
    expect((d.json!.logGroups as { logGroupName: string }[])[0]!.logGroupName).toBe('json-a');
  });

  test('unknown members are ignored', async () => {
    const r = await op('DescribeLogGroups', { logGroupNamePrefix: 'json-a', notAMember: [1, 2] });
    expect(r.status).toBe(200);
  });
});

describe('SerializationException', () => {
  test('wrong member types name the member path', async () => {
    const r = await op('CreateLogGroup', { logGroupName: 5 });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'SerializationException', message: "Unexpected value type for 'logGroupName': expected string" });
    const nested = await op('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 'soon', message: 'm' }] });
    expect(nested.json!.message).toBe("Unexpected value type for 'logEvents.1.member.timestamp': expected number");
    const list = await op('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: { timestamp: 1 } });
    expect(list.json!.message).toBe("Unexpected value type for 'logEvents': expected list");
    const map = await op('CreateLogGroup', { logGroupName: 'g', tags: ['a'] });
    expect(map.json!.message).toBe("Unexpected value type for 'tags': expected map");
    const bool = await op('GetLogEvents', { logGroupName: 'g', logStreamName: 's', startFromHead: 'yes' });
    expect(bool.json!.message).toBe("Unexpected value type for 'startFromHead': expected boolean");
  });

  test('broken JSON and a non-object body', async () => {
    const broken = await logs('Logs_20140328.CreateLogGroup', '{"logGroupName": ');
    expect(broken.status).toBe(400);
    expect(broken.json!.__type).toBe('SerializationException');
    const array = await logs('Logs_20140328.CreateLogGroup', '[1]');
    expect(array.json!.__type).toBe('SerializationException');
  });

  test('an empty body is an empty input', async () => {
    const r = await logs('Logs_20140328.DescribeLogGroups', '');
    expect(r.status).toBe(200);
  });
});

describe('ValidationException for missing members', () => {
  test('one message listing every missing member, AWS style', async () => {
    const r = await op('PutLogEvents', {});
    expect(r.status).toBe(400);
    expect(r.json!.__type).toBe('com.amazonaws.cloudwatchlogs#ValidationException');
    const msg = r.json!.message as string;
    expect(msg).toMatch(/^3 validation errors detected: /);
    for (const m of ['logEvents', 'logGroupName', 'logStreamName']) expect(msg).toContain(`Value null at '${m}' failed to satisfy constraint: Member must not be null`);
    const one = await op('PutLogEvents', { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: 1 }] });
    expect(one.json!.message).toBe("1 validation error detected: Value null at 'logEvents.1.member.message' failed to satisfy constraint: Member must not be null");
  });
});

describe('routing', () => {
  test('missing X-Amz-Target', async () => {
    const r = await logs(undefined, '{}');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ __type: 'UnknownOperationException' });
  });

  test('unknown operation', async () => {
    const r = await op('MakeCoffee', {});
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'UnknownOperationException', message: 'Unknown operation MakeCoffee' });
  });

  test('modelled but not yet built → 501 NotImplemented naming service and operation', async () => {
    const r = await op('StartQuery', { logGroupName: 'g', startTime: 0, endTime: 1, queryString: 'fields @message' });
    expect(r.status).toBe(501);
    expect(r.json!.__type).toBe('NotImplemented');
    expect(r.json!.message).toContain('logs:StartQuery');
  });

  test('detected by X-Amz-Target alone (no signature)', async () => {
    const r = await raw(ctx.g, '/', { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.DescribeLogGroups' }, body: '{}' });
    expect(r.status).toBe(200);
  });
});

describe('modelled errors', () => {
  test('service error: shape id as __type, message, 400', async () => {
    await op('CreateLogGroup', { logGroupName: 'json-dup' });
    const r = await op('CreateLogGroup', { logGroupName: 'json-dup' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ __type: 'com.amazonaws.cloudwatchlogs#ResourceAlreadyExistsException', message: 'The specified log group already exists' });
    expect(r.headers.get('x-amzn-query-error')).toBeNull(); // Logs is not awsQueryCompatible
  });

  test('awsQueryCompatible service (CloudWatch, json 1.0): x-amzn-query-error carries the legacy code', async () => {
    const r = await raw(ctx.g, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', 'x-amzn-query-mode': 'true', authorization: sig('monitoring') },
      body: JSON.stringify({ Namespace: 'N', MetricData: [{ MetricName: 'M', Value: 1, Values: [1] }] }),
    });
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/x-amz-json-1.0');
    expect(r.headers.get('x-amzn-query-error')).toBe('InvalidParameterCombination;Sender');
    expect(JSON.parse(r.text).__type).toBe('com.amazonaws.cloudwatch#InvalidParameterCombinationException');
  });

  test('non-finite doubles travel as strings', async () => {
    const r = await raw(ctx.g, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'GraniteServiceVersion20100801.PutMetricData', authorization: sig('monitoring') },
      body: JSON.stringify({ Namespace: 'N', MetricData: [{ MetricName: 'M', Value: 'NaN' }] }),
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).message).toBe('The value NaN for parameter MetricData.member.1.Value is invalid.');
  });
});
