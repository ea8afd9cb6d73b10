// covers: lambda.ListFunctions lambda.GetAccountSettings
/**
 * rest-json on the wire (raw HTTP against Lambda): routing by method and path (trailing
 * slash included), query bindings, JSON bodies, x-amzn-RequestId, and errors as
 * `x-amzn-errortype` + a JSON body carrying the message and the error's own members.
 */
import { describe, it, expect } from 'vitest';
import { useGureum } from '../helpers.js';

const h = useGureum();
const AUTH = `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;

async function call(method: string, path: string, init: { headers?: Record<string, string>; body?: string } = {}) {
  const res = await fetch(h.g.endpoint + path, { method, headers: { authorization: AUTH, ...init.headers }, body: init.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined };
}

describe('rest-json success', () => {
  it('serializes output bodies as JSON with x-amzn-RequestId', async () => {
    const r = await call('GET', '/2016-08-19/account-settings/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.json.AccountLimit.TotalCodeSize).toBe(80530636800);
    const l = await call('GET', '/2015-03-31/functions?MaxItems=5');
    expect(l.status).toBe(200);
    expect(l.json).toEqual({ Functions: [] });
  });
});

describe('rest-json errors', () => {
  it('names modelled errors in x-amzn-errortype and adds Lambda\'s Type', async () => {
    const r = await call('GET', '/2015-03-31/functions/?Marker=bogus');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('InvalidParameterValueException');
    expect(r.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(r.json).toEqual({ Type: 'User', message: 'Invalid marker: bogus' });
  });

  it('reports validation and type errors', async () => {
    let r = await call('GET', '/2015-03-31/functions/?MaxItems=0');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('ValidationException');
    expect(r.json.message).toMatch(/^1 validation error detected: Value '0' at 'maxItems'/);
    r = await call('GET', '/2015-03-31/functions/?MaxItems=many');
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });

  it('answers UnknownOperationException for an unrouted path and NotImplemented for an unbuilt operation', async () => {
    let r = await call('GET', '/2015-03-31/nothing-here');
    expect(r.status).toBe(404);
    expect(r.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    r = await call('GET', '/2015-03-31/functions/my-function');
    expect(r.status).toBe(501);
    expect(r.headers.get('x-amzn-errortype')).toBe('NotImplemented');
    expect(r.json.message).toContain('lambda:GetFunction');
  });

  it('rejects a malformed JSON body', async () => {
    const r = await call('POST', '/2015-03-31/functions', { headers: { 'content-type': 'application/json' }, body: '{"FunctionName": ' });
    expect(r.status).toBe(400);
    expect(r.headers.get('x-amzn-errortype')).toBe('SerializationException');
  });
});
