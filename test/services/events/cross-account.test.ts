// covers: events.PutPermission events.RemovePermission events.DescribeEventBus events.CreatePartnerEventSource events.DescribePartnerEventSource events.ListPartnerEventSources events.ListPartnerEventSourceAccounts events.DeletePartnerEventSource events.ListEventSources events.DescribeEventSource events.ActivateEventSource events.DeactivateEventSource events.PutPartnerEvents events.CreateEndpoint events.DescribeEndpoint events.ListEndpoints events.UpdateEndpoint events.DeleteEndpoint events.CreateEventBus events.PutRule events.PutTargets events.PutEvents
/**
 * What crosses accounts and regions: event bus resource policies (PutPermission /
 * RemovePermission, enforced for cross-account PutEvents and bus-to-bus targets), partner event
 * sources (a partner account puts events on a customer's partner bus), and global endpoints.
 * Accounts are chosen by 12-digit access key ids.
 */
import { describe, expect, it } from 'vitest';
import {
  EventBridgeClient, PutPermissionCommand, RemovePermissionCommand, DescribeEventBusCommand, CreatePartnerEventSourceCommand,
  DescribePartnerEventSourceCommand, ListPartnerEventSourcesCommand, ListPartnerEventSourceAccountsCommand, DeletePartnerEventSourceCommand,
  ListEventSourcesCommand, DescribeEventSourceCommand, ActivateEventSourceCommand, DeactivateEventSourceCommand, PutPartnerEventsCommand,
  CreateEndpointCommand, DescribeEndpointCommand, ListEndpointsCommand, UpdateEndpointCommand, DeleteEndpointCommand,
  CreateEventBusCommand, PutRuleCommand, PutTargetsCommand, PutEventsCommand,
} from '@aws-sdk/client-eventbridge';
import { SQSClient, CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { clientConfig, useGureum, failure, drainQueue, raw } from '../../helpers.js';

const ctx = useGureum({ freezeClock: true });
const OWNER = '000000000000';
const OTHER = '111111111111';
const PARTNER = '222222222222';
const as = (account: string, region = 'us-east-1') => ({ region, credentials: { accessKeyId: account === OWNER ? 'test' : account, secretAccessKey: 'test' } });
const eb = (account = OWNER, region = 'us-east-1') => new EventBridgeClient(clientConfig(ctx.g, as(account, region)));

async function queue(name: string, account = OWNER, region = 'us-east-1') {
  const sqs = new SQSClient(clientConfig(ctx.g, as(account, region)));
  const url = (await sqs.send(new CreateQueueCommand({ QueueName: name }))).QueueUrl!;
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes!.QueueArn!;
  return { url, arn };
}

describe('bus permissions', () => {
  it('PutPermission lets another account put events on the bus; RemovePermission takes it back', async () => {
    const bus = (await eb().send(new CreateEventBusCommand({ Name: 'shared' }))).EventBusArn!;
    const q = await queue('shared-q');
    await eb().send(new PutRuleCommand({ Name: 'all', EventBusName: 'shared', EventPattern: JSON.stringify({ source: ['partner.app'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'all', EventBusName: 'shared', Targets: [{ Id: 'q', Arn: q.arn }] }));
    const entry = { Source: 'partner.app', DetailType: 'x', Detail: '{"n":1}', EventBusName: bus };

    const denied = await eb(OTHER).send(new PutEventsCommand({ Entries: [entry] }));
    expect(denied.FailedEntryCount).toBe(1);
    expect(denied.Entries![0]).toMatchObject({ ErrorCode: 'AccessDeniedException' });
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(0);

    await eb().send(new PutPermissionCommand({ EventBusName: 'shared', Action: 'events:PutEvents', Principal: OTHER, StatementId: 'allow-other' }));
    const policy = JSON.parse((await eb().send(new DescribeEventBusCommand({ Name: 'shared' }))).Policy!);
    expect(policy).toEqual({ Version: '2012-10-17', Statement: [{ Sid: 'allow-other', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER}:root` }, Action: 'events:PutEvents', Resource: bus }] });
    const ok = await eb(OTHER).send(new PutEventsCommand({ Entries: [entry] }));
    expect(ok.FailedEntryCount).toBe(0);
    const got = (await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!));
    expect(got).toEqual([expect.objectContaining({ id: ok.Entries![0]!.EventId, account: OTHER, source: 'partner.app' })]);

    const badAction = await failure(eb().send(new PutPermissionCommand({ EventBusName: 'shared', Action: 'events:PutRule', Principal: OTHER, StatementId: 'x' })));
    expect(badAction).toMatchObject({ name: 'ValidationException', message: "Provided value in parameter 'action' is not supported." });
    const badPrincipal = await failure(eb().send(new PutPermissionCommand({ EventBusName: 'shared', Action: 'events:PutEvents', Principal: 'someone', StatementId: 'x' })));
    expect(badPrincipal.name).toBe('InvalidParameterValue');

    const missing = await failure(eb().send(new RemovePermissionCommand({ EventBusName: 'shared', StatementId: 'nope' })));
    expect(missing).toMatchObject({ name: 'ResourceNotFoundException', message: 'Statement with the provided id does not exist.' });
    await eb().send(new RemovePermissionCommand({ EventBusName: 'shared', StatementId: 'allow-other' }));
    expect((await eb().send(new DescribeEventBusCommand({ Name: 'shared' }))).Policy).toBeUndefined();
    expect((await eb(OTHER).send(new PutEventsCommand({ Entries: [entry] }))).FailedEntryCount).toBe(1);
    const none = await failure(eb().send(new RemovePermissionCommand({ EventBusName: 'shared', StatementId: 'allow-other' })));
    expect(none).toMatchObject({ name: 'ResourceNotFoundException', message: 'EventBus does not have a policy.' });
  });

  it('a rule target on another account\'s bus needs that bus\'s permission (else the DLQ gets NO_PERMISSIONS)', async () => {
    const central = (await eb(OTHER).send(new CreateEventBusCommand({ Name: 'central' }))).EventBusArn!;
    const inbox = await queue('central-inbox', OTHER);
    await eb(OTHER).send(new PutRuleCommand({ Name: 'in', EventBusName: 'central', EventPattern: JSON.stringify({ source: ['fwd'] }) }));
    await eb(OTHER).send(new PutTargetsCommand({ Rule: 'in', EventBusName: 'central', Targets: [{ Id: 'q', Arn: inbox.arn }] }));
    const dlq = await queue('fwd-dlq');
    await eb().send(new PutRuleCommand({ Name: 'forward', EventPattern: JSON.stringify({ source: ['fwd'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'forward', Targets: [{ Id: 'bus', Arn: central, DeadLetterConfig: { Arn: dlq.arn } }] }));
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'fwd', DetailType: 'x', Detail: '{"try":1}' }] }));
    const dead = await drainQueue(ctx.g, dlq.url);
    expect(dead.map((m) => m.MessageAttributes!.ERROR_CODE!.StringValue)).toEqual(['NO_PERMISSIONS']);
    expect(await drainQueue(ctx.g, inbox.url)).toHaveLength(0);

    await eb(OTHER).send(new PutPermissionCommand({ EventBusName: 'central', Policy: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'org', Effect: 'Allow', Principal: { AWS: OWNER }, Action: 'events:PutEvents', Resource: central }],
    }) }));
    await eb().send(new PutEventsCommand({ Entries: [{ Source: 'fwd', DetailType: 'x', Detail: '{"try":2}' }] }));
    const got = (await drainQueue(ctx.g, inbox.url)).map((m) => JSON.parse(m.Body!));
    expect(got).toEqual([expect.objectContaining({ account: OWNER, detail: { try: 2 } })]);
  });
});

describe('partner event sources', () => {
  it('a partner creates a source for a customer, who associates a bus and receives PutPartnerEvents', async () => {
    const name = 'aws.partner/saas.example.com/123/orders';
    const partner = eb(PARTNER);
    const created = await partner.send(new CreatePartnerEventSourceCommand({ Name: name, Account: OTHER }));
    expect(created.EventSourceArn).toBe(`arn:aws:events:us-east-1::event-source/${name}`);
    expect(await partner.send(new DescribePartnerEventSourceCommand({ Name: name }))).toMatchObject({ Arn: created.EventSourceArn, Name: name });
    expect((await partner.send(new ListPartnerEventSourcesCommand({ NamePrefix: 'aws.partner/saas' }))).PartnerEventSources!.map((p) => p.Name)).toEqual([name]);
    const dup = await failure(partner.send(new CreatePartnerEventSourceCommand({ Name: name, Account: OTHER })));
    expect(dup.name).toBe('ResourceAlreadyExistsException');
    const badName = await failure(partner.send(new CreatePartnerEventSourceCommand({ Name: 'my/source', Account: OTHER })));
    expect(badName.name).toBe('ValidationException');

    const customer = eb(OTHER);
    expect(await customer.send(new DescribeEventSourceCommand({ Name: name }))).toMatchObject({ Arn: created.EventSourceArn, Name: name, State: 'PENDING', CreatedBy: 'saas.example.com' });
    expect((await customer.send(new ListEventSourcesCommand({ NamePrefix: 'aws.partner/' }))).EventSources!.map((s) => s.Name)).toEqual([name]);
    expect((await failure(customer.send(new CreateEventBusCommand({ Name: 'aws.partner/other/x/y', EventSourceName: 'aws.partner/other/x/y' })))).name).toBe('ResourceNotFoundException');

    const bus = await customer.send(new CreateEventBusCommand({ Name: name, EventSourceName: name }));
    expect(bus.EventBusArn).toBe(`arn:aws:events:us-east-1:${OTHER}:event-bus/${name}`);
    expect((await customer.send(new DescribeEventSourceCommand({ Name: name }))).State).toBe('ACTIVE');
    const q = await queue('partner-q', OTHER);
    await customer.send(new PutRuleCommand({ Name: 'orders', EventBusName: name, EventPattern: JSON.stringify({ source: [name] }) }));
    await customer.send(new PutTargetsCommand({ Rule: 'orders', EventBusName: name, Targets: [{ Id: 'q', Arn: q.arn }] }));

    const put = await partner.send(new PutPartnerEventsCommand({ Entries: [
      { Source: name, DetailType: 'Order Placed', Detail: '{"id":"o-1"}' },
      { Source: 'aws.partner/not/mine/x', DetailType: 'x', Detail: '{}' },
    ] }));
    expect(put.FailedEntryCount).toBe(1);
    expect(put.Entries![1]).toMatchObject({ ErrorCode: 'NotAuthorizedForSourceException' });
    const got = (await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!));
    expect(got).toEqual([expect.objectContaining({ id: put.Entries![0]!.EventId, source: name, account: OTHER, 'detail-type': 'Order Placed', detail: { id: 'o-1' } })]);

    await customer.send(new DeactivateEventSourceCommand({ Name: name }));
    expect((await partner.send(new ListPartnerEventSourceAccountsCommand({ EventSourceName: name }))).PartnerEventSourceAccounts).toEqual([
      expect.objectContaining({ Account: OTHER, State: 'PENDING' }),
    ]);
    await partner.send(new PutPartnerEventsCommand({ Entries: [{ Source: name, DetailType: 'x', Detail: '{}' }] }));
    expect(await drainQueue(ctx.g, q.url)).toHaveLength(0);
    await customer.send(new ActivateEventSourceCommand({ Name: name }));
    await partner.send(new PutPartnerEventsCommand({ Entries: [{ Source: name, DetailType: 'x', Detail: '{"again":true}' }] }));
    expect((await drainQueue(ctx.g, q.url)).map((m) => JSON.parse(m.Body!).detail)).toEqual([{ again: true }]);

    await partner.send(new DeletePartnerEventSourceCommand({ Name: name, Account: OTHER }));
    expect((await failure(customer.send(new DescribeEventSourceCommand({ Name: name })))).name).toBe('ResourceNotFoundException');
    expect((await failure(partner.send(new DescribePartnerEventSourceCommand({ Name: name })))).name).toBe('ResourceNotFoundException');
  });
});

describe('global endpoints', () => {
  it('are created ACTIVE on the clock, updated, listed, deleted, and route PutEvents to the primary and replica buses', async () => {
    const east = (await eb().send(new CreateEventBusCommand({ Name: 'global' }))).EventBusArn!;
    const west = (await eb(OWNER, 'us-west-2').send(new CreateEventBusCommand({ Name: 'global' }))).EventBusArn!;
    const hc = `arn:aws:route53:::healthcheck/${'a'.repeat(36)}`;
    const routing = { FailoverConfig: { Primary: { HealthCheck: hc }, Secondary: { Route: 'us-west-2' } } };
    const c = await eb().send(new CreateEndpointCommand({ Name: 'ge', RoutingConfig: routing, EventBuses: [{ EventBusArn: east }, { EventBusArn: west }], ReplicationConfig: { State: 'DISABLED' } }));
    expect(c).toMatchObject({ Name: 'ge', Arn: `arn:aws:events:us-east-1:${OWNER}:endpoint/ge`, State: 'CREATING', ReplicationConfig: { State: 'DISABLED' } });
    ctx.g.clock.advance('1s');
    const d = await eb().send(new DescribeEndpointCommand({ Name: 'ge' }));
    expect(d).toMatchObject({ State: 'ACTIVE', RoutingConfig: routing, EventBuses: [{ EventBusArn: east }, { EventBusArn: west }] });
    expect(d.EndpointId).toMatch(/^[a-z0-9]{10}\.[a-z0-9]{3}$/);
    expect(d.EndpointUrl).toBe(`https://${d.EndpointId}.endpoint.events.amazonaws.com`);
    expect((await eb().send(new ListEndpointsCommand({ NamePrefix: 'g' }))).Endpoints!.map((e) => e.Name)).toEqual(['ge']);

    const sameRegion = await failure(eb().send(new CreateEndpointCommand({ Name: 'bad', RoutingConfig: routing, EventBuses: [{ EventBusArn: east }, { EventBusArn: east }] })));
    expect(sameRegion.name).toBe('ValidationException');
    expect((await failure(eb().send(new CreateEndpointCommand({ Name: 'ge', RoutingConfig: routing, EventBuses: [{ EventBusArn: east }, { EventBusArn: west }] })))).name).toBe('ResourceAlreadyExistsException');

    const u = await eb().send(new UpdateEndpointCommand({ Name: 'ge', ReplicationConfig: { State: 'ENABLED' }, Description: 'now replicated' }));
    expect(u).toMatchObject({ State: 'UPDATING', ReplicationConfig: { State: 'ENABLED' }, EndpointId: d.EndpointId });
    ctx.g.clock.advance('1s');
    expect(await eb().send(new DescribeEndpointCommand({ Name: 'ge' }))).toMatchObject({ State: 'ACTIVE', Description: 'now replicated' });

    // PutEvents through the endpoint (the SDKs sign it with SigV4a, which this test does not load: a raw JSON call).
    const qe = await queue('ge-east');
    const qw = await queue('ge-west', OWNER, 'us-west-2');
    await eb().send(new PutRuleCommand({ Name: 'r', EventBusName: 'global', EventPattern: JSON.stringify({ source: ['ge'] }) }));
    await eb().send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'global', Targets: [{ Id: 'q', Arn: qe.arn }] }));
    await eb(OWNER, 'us-west-2').send(new PutRuleCommand({ Name: 'r', EventBusName: 'global', EventPattern: JSON.stringify({ source: ['ge'] }) }));
    await eb(OWNER, 'us-west-2').send(new PutTargetsCommand({ Rule: 'r', EventBusName: 'global', Targets: [{ Id: 'q', Arn: qw.arn }] }));
    const res = await raw(ctx.g, '/', {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' },
      body: JSON.stringify({ EndpointId: d.EndpointId, Entries: [{ Source: 'ge', DetailType: 'x', Detail: '{"via":"endpoint"}', EventBusName: 'global' }] }),
    });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toMatchObject({ FailedEntryCount: 0 });
    expect((await drainQueue(ctx.g, qe.url)).map((m) => JSON.parse(m.Body!).detail)).toEqual([{ via: 'endpoint' }]);
    const west2 = new SQSClient(clientConfig(ctx.g, as(OWNER, 'us-west-2')));
    const replica = (await west2.send(new ReceiveMessageCommand({ QueueUrl: qw.url, MaxNumberOfMessages: 10 }))).Messages ?? [];
    expect(replica.map((m) => JSON.parse(m.Body!).detail)).toEqual([{ via: 'endpoint' }]);

    await eb().send(new DeleteEndpointCommand({ Name: 'ge' }));
    expect((await eb().send(new DescribeEndpointCommand({ Name: 'ge' }))).State).toBe('DELETING');
    ctx.g.clock.advance('1s');
    const gone = await failure(eb().send(new DescribeEndpointCommand({ Name: 'ge' })));
    expect(gone).toMatchObject({ name: 'ResourceNotFoundException', message: 'Endpoint ge does not exist.' });
  });
});
