// covers: logs.CreateLogGroup logs.DescribeLogGroups logs.DeleteLogGroup logs.PutRetentionPolicy logs.DeleteRetentionPolicy logs.CreateLogStream logs.DescribeLogStreams logs.DeleteLogStream logs.PutLogEvents logs.GetLogEvents
import { beforeAll, describe, expect, test } from 'vitest';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  type GetLogEventsCommandInput,
  type InputLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsCli, boto3, clientConfig, HAS_AWS_CLI, HAS_PYTHON_BOTO3, useGureum, failure } from '../helpers.js';

const ctx = useGureum({ freezeClock: true });
const T0 = Date.parse('2026-03-10T12:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;

beforeAll(() => ctx.g.clock.set(T0));

const logs = () => new CloudWatchLogsClient(clientConfig(ctx.g));

async function groupWithStream(group: string, stream = 's1') {
  await logs().send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs().send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
}
const putEvents = (group: string, logEvents: InputLogEvent[], stream = 's1') => logs().send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
const getEvents = (group: string, extra: Partial<GetLogEventsCommandInput> = {}) => logs().send(new GetLogEventsCommand({ logGroupName: group, logStreamName: 's1', ...extra }));

describe('log groups', () => {
  test('CreateLogGroup → DescribeLogGroups with both ARN forms, creation time, class, KMS key', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: '/app/web', kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/abc', tags: { team: 'a' } }));
    const out = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/app/web' }));
    expect(out.logGroups).toEqual([
      {
        logGroupName: '/app/web',
        creationTime: T0,
        metricFilterCount: 0,
        arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/app/web:*',
        logGroupArn: 'arn:aws:logs:us-east-1:000000000000:log-group:/app/web',
        storedBytes: 0,
        kmsKeyId: 'arn:aws:kms:us-east-1:000000000000:key/abc',
        logGroupClass: 'STANDARD',
        deletionProtectionEnabled: false,
      },
    ]);
  });

  test('duplicate and invalid names', async () => {
    await logs().send(new CreateLogGroupCommand({ logGroupName: 'dup' }));
    expect(await failure(logs().send(new CreateLogGroupCommand({ logGroupName: 'dup' })))).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      status: 400,
      message: 'The specified log group already exists',
    });
    expect(await failure(logs().send(new CreateLogGroupCommand({ logGroupName: 'bad name!' })))).toMatchObject({
      name: 'InvalidParameterException',
      message: "1 validation error detected: Value 'bad name!' at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    });
    expect((await failure(logs().send(new CreateLogGroupCommand({ logGroupName: 'x'.repeat(513) })))).name).toBe('InvalidParameterException');
    expect((await failure(logs().send(new CreateLogGroupCommand({ logGroupName: 'g', logGroupClass: 'HOT' as never })))).name).toBe('InvalidParameterException');
  });

  test('DescribeLogGroups: prefix, pattern, class, limit and nextToken paging in name order', async () => {
    for (const n of ['pg/c', 'pg/a', 'pg/b', 'pg/d', 'pg/e']) await logs().send(new CreateLogGroupCommand({ logGroupName: n, logGroupClass: n === 'pg/e' ? 'INFREQUENT_ACCESS' : undefined }));
    const names: string[] = [];
    let nextToken: string | undefined;
    do {
      const out = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'pg/', limit: 2, nextToken }));
      expect(out.logGroups!.length).toBeLessThanOrEqual(2);
      names.push(...out.logGroups!.map((g) => g.logGroupName!));
      nextToken = out.nextToken;
    } while (nextToken);
    expect(names).toEqual(['pg/a', 'pg/b', 'pg/c', 'pg/d', 'pg/e']);
    const pattern = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePattern: 'G/B' }));
    expect(pattern.logGroups!.map((g) => g.logGroupName)).toEqual(['pg/b']);
    const ia = await logs().send(new DescribeLogGroupsCommand({ logGroupClass: 'INFREQUENT_ACCESS' }));
    expect(ia.logGroups!.map((g) => g.logGroupName)).toEqual(['pg/e']);
    expect((await failure(logs().send(new DescribeLogGroupsCommand({ limit: 51 })))).name).toBe('InvalidParameterException');
  });

  test('retention policy shows up; DeleteLogGroup removes group and streams; deletion protection', async () => {
    await groupWithStream('ret');
    await logs().send(new PutRetentionPolicyCommand({ logGroupName: 'ret', retentionInDays: 7 }));
    let g = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ret' }));
    expect(g.logGroups![0]!.retentionInDays).toBe(7);
    expect((await failure(logs().send(new PutRetentionPolicyCommand({ logGroupName: 'ret', retentionInDays: 2 })))).name).toBe('InvalidParameterException');
    await logs().send(new DeleteRetentionPolicyCommand({ logGroupName: 'ret' }));
    g = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ret' }));
    expect(g.logGroups![0]!.retentionInDays).toBeUndefined();

    await logs().send(new DeleteLogGroupCommand({ logGroupName: 'ret' }));
    expect((await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'ret' }))).logGroups).toEqual([]);
    expect(await failure(logs().send(new DeleteLogGroupCommand({ logGroupName: 'ret' })))).toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log group does not exist.' });
    await groupWithStream('ret'); // recreated: the old stream is gone
    expect((await getEvents('ret')).events).toEqual([]);

    await logs().send(new CreateLogGroupCommand({ logGroupName: 'protected', deletionProtectionEnabled: true }));
    expect(await failure(logs().send(new DeleteLogGroupCommand({ logGroupName: 'protected' })))).toMatchObject({
      name: 'ValidationException',
      message: 'Cannot delete log group with deletion protection enabled. Disable deletion protection first.',
    });
  });
});

describe('log streams', () => {
  test('CreateLogStream needs the group; duplicates refused; DescribeLogStreams orders and pages', async () => {
    expect(await failure(logs().send(new CreateLogStreamCommand({ logGroupName: 'nope', logStreamName: 's' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
    await groupWithStream('streams', 'b');
    expect((await failure(logs().send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'b' })))).name).toBe('ResourceAlreadyExistsException');
    expect((await failure(logs().send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a:b' })))).name).toBe('InvalidParameterException');
    await logs().send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a' }));
    await logs().send(new CreateLogStreamCommand({ logGroupName: 'streams', logStreamName: 'c' }));
    await putEvents('streams', [{ timestamp: T0 - 5 * MIN, message: 'x' }], 'c');
    await putEvents('streams', [{ timestamp: T0 - 1 * MIN, message: 'x' }], 'a');

    const first = await logs().send(new DescribeLogStreamsCommand({ logGroupName: 'streams', limit: 2 }));
    expect(first.logStreams!.map((s) => s.logStreamName)).toEqual(['a', 'b']);
    const second = await logs().send(new DescribeLogStreamsCommand({ logGroupName: 'streams', limit: 2, nextToken: first.nextToken }));
    expect(second.logStreams!.map((s) => s.logStreamName)).toEqual(['c']);
    expect(second.nextToken).toBeUndefined();
    const byTime = await logs().send(new DescribeLogStreamsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:streams:*', orderBy: 'LastEventTime', descending: true }));
    expect(byTime.logStreams!.map((s) => s.logStreamName)).toEqual(['a', 'c', 'b']);
    expect(byTime.logStreams![0]).toMatchObject({
      arn: 'arn:aws:logs:us-east-1:000000000000:log-group:streams:log-stream:a',
      creationTime: T0,
      firstEventTimestamp: T0 - MIN,
      lastEventTimestamp: T0 - MIN,
      lastIngestionTime: T0,
      storedBytes: 0,
    });

    await logs().send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a' }));
    expect(await failure(logs().send(new DeleteLogStreamCommand({ logGroupName: 'streams', logStreamName: 'a' })))).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log stream does not exist.',
    });
  });
});

describe('PutLogEvents', () => {
  test('accepted without a sequence token; a token is still returned; storedBytes grows', async () => {
    await groupWithStream('put');
    const a = await putEvents('put', [{ timestamp: T0 - 2000, message: 'hello' }, { timestamp: T0 - 1000, message: 'wörld' }]);
    expect(a.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(a.rejectedLogEventsInfo).toBeUndefined();
    const b = await logs().send(new PutLogEventsCommand({ logGroupName: 'put', logStreamName: 's1', sequenceToken: 'stale', logEvents: [{ timestamp: T0, message: 'again' }] }));
    expect(b.nextSequenceToken).not.toBe(a.nextSequenceToken);
    const g = await logs().send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'put' }));
    expect(g.logGroups![0]!.storedBytes).toBe(5 + 6 + 5);
  });

  test('order, span and size rules refuse the whole batch', async () => {
    await groupWithStream('rules');
    expect(await failure(putEvents('rules', [{ timestamp: T0, message: 'b' }, { timestamp: T0 - 1, message: 'a' }]))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
    expect(await failure(putEvents('rules', [{ timestamp: T0 - DAY - 1, message: 'a' }, { timestamp: T0, message: 'b' }]))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    });
    expect(await failure(putEvents('rules', [{ timestamp: T0, message: 'x'.repeat(1_048_576) }]))).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Upload too large: 1048602 bytes exceeds limit of 1048576',
    });
    expect((await failure(putEvents('rules', Array.from({ length: 10_001 }, () => ({ timestamp: T0, message: 'm' }))))).name).toBe('InvalidParameterException');
    expect((await failure(putEvents('rules', [])))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await failure(putEvents('rules', [{ timestamp: T0, message: 'm' }], 'missing'))).toMatchObject({ name: 'ResourceNotFoundException', message: 'The specified log stream does not exist.' });
    expect((await getEvents('rules')).events).toEqual([]);
    const ok = await putEvents('rules', Array.from({ length: 10_000 }, (_, i) => ({ timestamp: T0 - 10_000 + i, message: 'm' })));
    expect(ok.rejectedLogEventsInfo).toBeUndefined();
  });

  test('too old, expired and too new events are skipped and reported by index', async () => {
    const H = 3_600_000;
    await groupWithStream('window');
    const old = await putEvents('window', [
      { timestamp: T0 - 14 * DAY - 2 * H, message: 'too old 0' },
      { timestamp: T0 - 14 * DAY - H, message: 'too old 1' },
      { timestamp: T0 - 14 * DAY + H, message: 'ok 2' },
    ]);
    expect(old.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2 });
    const future = await putEvents('window', [
      { timestamp: T0, message: 'ok 0' },
      { timestamp: T0 + 2 * H, message: 'ok 1' },
      { timestamp: T0 + 2 * H + 1, message: 'too new 2' },
      { timestamp: T0 + 3 * H, message: 'too new 3' },
    ]);
    expect(future.rejectedLogEventsInfo).toEqual({ tooNewLogEventStartIndex: 2 });
    expect((await getEvents('window', { startFromHead: true })).events!.map((e) => e.message)).toEqual(['ok 2', 'ok 0', 'ok 1']);

    await logs().send(new PutRetentionPolicyCommand({ logGroupName: 'window', retentionInDays: 7 }));
    const expired = await putEvents('window', [
      { timestamp: T0 - 7 * DAY - 2 * H, message: 'expired 0' },
      { timestamp: T0 - 7 * DAY + H, message: 'ok 1' },
    ]);
    expect(expired.rejectedLogEventsInfo).toEqual({ expiredLogEventEndIndex: 1 });
  });
});

describe('GetLogEvents', () => {
  const messages = (out: { events?: { message?: string }[] }) => out.events!.map((e) => e.message);

  beforeAll(async () => {
    await groupWithStream('read');
    await putEvents('read', Array.from({ length: 10 }, (_, i) => ({ timestamp: T0 - (10 - i) * MIN, message: `e${i}` })));
  });

  test('from the tail by default, then backwards to the head; the same token comes back at the end', async () => {
    const tail = await getEvents('read', { limit: 3 });
    expect(messages(tail)).toEqual(['e7', 'e8', 'e9']);
    expect(tail.events![0]).toEqual({ timestamp: T0 - 3 * MIN, message: 'e7', ingestionTime: T0 });
    const back1 = await getEvents('read', { limit: 3, nextToken: tail.nextBackwardToken });
    expect(messages(back1)).toEqual(['e4', 'e5', 'e6']);
    const back2 = await getEvents('read', { limit: 3, nextToken: back1.nextBackwardToken });
    const back3 = await getEvents('read', { limit: 3, nextToken: back2.nextBackwardToken });
    expect(messages(back3)).toEqual(['e0']);
    const none = await getEvents('read', { limit: 3, nextToken: back3.nextBackwardToken });
    expect(none.events).toEqual([]);
    expect(none.nextBackwardToken).toBe(back3.nextBackwardToken);
    const fwd = await getEvents('read', { limit: 3, nextToken: back1.nextForwardToken });
    expect(messages(fwd)).toEqual(['e7', 'e8', 'e9']);
  });

  test('from the head forwards; at the end the forward token repeats; new events show up after it', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (;;) {
      const out: { events?: { message?: string }[]; nextForwardToken?: string } = await getEvents('read', { startFromHead: true, limit: 4, nextToken: token });
      seen.push(...messages(out).map(String));
      if (out.nextForwardToken === token) break;
      token = out.nextForwardToken;
    }
    expect(seen).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);
    await putEvents('read', [{ timestamp: T0, message: 'e10' }]);
    const more = await getEvents('read', { startFromHead: true, nextToken: token });
    expect(messages(more)).toEqual(['e10']);
    expect(token).toMatch(/^f\/\d{56}\/s$/);
  });

  test('startTime inclusive, endTime exclusive; invalid tokens refused', async () => {
    const out = await getEvents('read', { startTime: T0 - 8 * MIN, endTime: T0 - 5 * MIN, startFromHead: true });
    expect(messages(out)).toEqual(['e2', 'e3', 'e4']);
    expect(await failure(getEvents('read', { nextToken: 'f/123' }))).toMatchObject({ name: 'InvalidParameterException' });
    expect(await failure(getEvents('read', { logStreamName: 'missing' }))).toMatchObject({ name: 'ResourceNotFoundException' });
    const byArn = await logs().send(new GetLogEventsCommand({ logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:read', logStreamName: 's1', limit: 1 }));
    expect(messages(byArn)).toEqual(['e10']);
  });

  test('events past the retention period disappear as the clock advances', async () => {
    await groupWithStream('expiring');
    await putEvents('expiring', [{ timestamp: T0 - MIN, message: 'soon gone' }]);
    await logs().send(new PutRetentionPolicyCommand({ logGroupName: 'expiring', retentionInDays: 1 }));
    expect(messages(await getEvents('expiring'))).toEqual(['soon gone']);
    ctx.g.clock.advance('P1D');
    expect(messages(await getEvents('expiring'))).toEqual([]);
    ctx.g.clock.set(T0);
  });
});

describe.skipIf(!HAS_AWS_CLI)('AWS CLI', () => {
  test('aws logs create-log-group / describe-log-groups', async () => {
    const c = await awsCli(ctx.g, ['logs', 'create-log-group', '--log-group-name', '/cli/app', '--tags', 'env=test']);
    expect(c.status, c.stderr).toBe(0);
    const d = await awsCli(ctx.g, ['logs', 'describe-log-groups', '--log-group-name-prefix', '/cli/']);
    expect(d.status, d.stderr).toBe(0);
    expect(d.json).toMatchObject({ logGroups: [{ logGroupName: '/cli/app', arn: 'arn:aws:logs:us-east-1:000000000000:log-group:/cli/app:*', creationTime: T0, storedBytes: 0 }] });
    const again = await awsCli(ctx.g, ['logs', 'create-log-group', '--log-group-name', '/cli/app']);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('ResourceAlreadyExistsException');
  });
});

describe.skipIf(!HAS_PYTHON_BOTO3)('boto3', () => {
  test('put_log_events then get_log_events', async () => {
    const r = await boto3(
      ctx.g,
      `
c = boto3.client('logs', endpoint_url=ENDPOINT)
c.create_log_group(logGroupName='py')
c.create_log_stream(logGroupName='py', logStreamName='s')
p = c.put_log_events(logGroupName='py', logStreamName='s', logEvents=[{'timestamp': ${T0 - 1000}, 'message': 'one'}, {'timestamp': ${T0}, 'message': 'two'}])
g = c.get_log_events(logGroupName='py', logStreamName='s', startFromHead=True)
print(json.dumps({'token': p['nextSequenceToken'], 'messages': [e['message'] for e in g['events']], 'fwd': g['nextForwardToken']}))
`,
    );
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ messages: ['one', 'two'] });
    expect((r.json as { fwd: string }).fwd).toMatch(/^f\//);
  });
});
