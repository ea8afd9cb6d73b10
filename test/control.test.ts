// The emulator's own control plane (/_gureum, /_localstack) and the virtual clock.
import { describe, expect, test } from 'vitest';
import { raw, useGureum } from './helpers.js';

const ctx = useGureum({ freezeClock: true });

async function post(path: string, body: unknown) {
  const r = await raw(ctx.g, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: r.status, json: JSON.parse(r.text) };
}

describe('control API', () => {
  test('/_gureum/health describes the instance', async () => {
    const r = await raw(ctx.g, '/_gureum/health');
    expect(r.status).toBe(200);
    const h = JSON.parse(r.text);
    expect(h.status).toBe('running');
    expect(h.accountId).toBe('000000000000');
    expect(h.persistence).toBe(false);
    expect(h.services).toEqual(expect.arrayContaining(['sqs', 's3', 'dynamodb', 'sts']));
    expect(h.services).not.toContain('_template');
  });

  test('/_localstack/health answers in LocalStack format', async () => {
    const r = await raw(ctx.g, '/_localstack/health');
    const h = JSON.parse(r.text);
    expect(h.services.sqs).toMatch(/^(available|running)$/);
    expect(h.services.glacier).toBe('disabled');
    const init = JSON.parse((await raw(ctx.g, '/_localstack/init')).text);
    expect(init.completed.READY).toBe(true);
  });

  test('/_gureum/services lists every routed service with its operation count', async () => {
    const { services } = JSON.parse((await raw(ctx.g, '/_gureum/services')).text);
    expect(services.length).toBeGreaterThanOrEqual(70);
    const ec2 = services.find((s: { id: string }) => s.id === 'ec2');
    expect(ec2.protocols).toEqual(['ec2']);
    expect(ec2.operations).toBeGreaterThan(500);
  });

  test('unknown control route is a 404 with a JSON error', async () => {
    const r = await raw(ctx.g, '/_gureum/nope');
    expect(r.status).toBe(404);
    expect(JSON.parse(r.text).error).toBe('NotFound');
  });

  test('clock: freeze, advance, set, scale, resume over HTTP', async () => {
    const c0 = JSON.parse((await raw(ctx.g, '/_gureum/clock')).text);
    expect(c0.frozen).toBe(true);
    const c1 = await post('/_gureum/clock', { advance: 'PT2H' });
    expect(c1.json.epochMs - c0.epochMs).toBe(2 * 3600 * 1000);
    const c2 = await post('/_gureum/clock', { advance: '90s' });
    expect(c2.json.epochMs - c1.json.epochMs).toBe(90_000);
    const c3 = await post('/_gureum/clock', { set: '2030-01-01T00:00:00Z' });
    expect(c3.json.now).toBe('2030-01-01T00:00:00.000Z');
    const bad = await post('/_gureum/clock', { advance: 'soon' });
    expect(bad.status).toBe(400);
    const c4 = await post('/_gureum/clock', { scale: 60, resume: true });
    expect(c4.json.frozen).toBe(false);
    expect(c4.json.scale).toBe(60);
    await post('/_gureum/clock', { freeze: true, scale: 1 });
  });

  test('in-process clock fires timers in order, each at its own time', () => {
    const clock = ctx.g.runtime.clock;
    const seen: [string, number][] = [];
    const t0 = clock.now();
    clock.after(3000, () => seen.push(['c', clock.now() - t0]));
    clock.after(1000, () => seen.push(['a', clock.now() - t0]));
    clock.after(2000, () => seen.push(['b', clock.now() - t0]));
    const cancelled = clock.after(1500, () => seen.push(['x', 0]));
    cancelled.cancel();
    ctx.g.clock.advance('2500ms');
    expect(seen).toEqual([['a', 1000], ['b', 2000]]);
    ctx.g.clock.advance(1000);
    expect(seen).toEqual([['a', 1000], ['b', 2000], ['c', 3000]]);
  });

  test('request log records recent requests, newest first', async () => {
    await raw(ctx.g, '/', { method: 'POST', headers: { 'x-amz-target': 'DynamoDB_20120810.ListTables', 'content-type': 'application/x-amz-json-1.0' }, body: '{}' });
    const { requests } = JSON.parse((await raw(ctx.g, '/_gureum/requests?limit=5')).text);
    expect(requests[0]).toMatchObject({ service: 'dynamodb', operation: 'ListTables', account: '000000000000', region: 'us-east-1' });
    expect(typeof requests[0].ms).toBe('number');
  });

  test('an unbuilt operation answers 501 NotImplemented naming service:Operation', async () => {
    const r = await raw(ctx.g, '/', { method: 'POST', headers: { 'x-amz-target': 'AWSGlue.GetDatabases', 'content-type': 'application/x-amz-json-1.1' }, body: '{}' });
    expect(r.status).toBe(501);
    const body = JSON.parse(r.text);
    expect(body.__type).toContain('NotImplemented');
    expect(body.message).toContain('glue:GetDatabases');
  });
});
